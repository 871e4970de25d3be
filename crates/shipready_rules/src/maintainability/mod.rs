//! Maintainability rules (MNT).

mod duplicate_api_versions;
mod typescript_not_strict;

pub use duplicate_api_versions::DuplicateApiVersions;
pub use typescript_not_strict::TypescriptNotStrict;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&TypescriptNotStrict, &DuplicateApiVersions];
