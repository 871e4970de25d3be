//! Maintainability rules (MNT).

mod typescript_not_strict;

pub use typescript_not_strict::TypescriptNotStrict;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&TypescriptNotStrict];
