//! Observability rules (OBS).

mod console_logging;

pub use console_logging::ConsoleLogging;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&ConsoleLogging];
