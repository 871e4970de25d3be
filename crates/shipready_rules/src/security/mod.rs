//! Security rules (SEC).

mod cors_allows_any_origin;
mod hardcoded_secret;
mod secret_with_fallback;
mod sql_built_from_strings;

pub use cors_allows_any_origin::CorsAllowsAnyOrigin;
pub use hardcoded_secret::HardcodedSecret;
pub use secret_with_fallback::SecretWithFallback;
pub use sql_built_from_strings::SqlBuiltFromStrings;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &SqlBuiltFromStrings,
    &CorsAllowsAnyOrigin,
    &SecretWithFallback,
    &HardcodedSecret,
];
