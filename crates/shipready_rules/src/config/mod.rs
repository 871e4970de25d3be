//! Configuration rules (CFG).

mod debug_logging_of_config;

pub use debug_logging_of_config::DebugLoggingOfConfig;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&DebugLoggingOfConfig];
