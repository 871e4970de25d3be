//! Security rules (SEC).

mod admin_route_without_role_check;
pub mod chain;
mod cors_allows_any_origin;
mod cors_empty_production_allowlist;
mod error_details_leak;
mod hardcoded_secret;
mod login_without_rate_limit;
mod no_rate_limiting;
mod no_security_headers;
mod request_body_without_size_limit;
mod secret_with_fallback;
mod sql_built_from_strings;
mod token_issued_without_credentials;
mod unauthenticated_mutation;
mod unauthenticated_service_api;
mod weak_jwt_configuration;

pub use admin_route_without_role_check::AdminRouteWithoutRoleCheck;
pub use cors_allows_any_origin::CorsAllowsAnyOrigin;
pub use cors_empty_production_allowlist::CorsEmptyProductionAllowlist;
pub use error_details_leak::ErrorDetailsLeak;
pub use hardcoded_secret::HardcodedSecret;
pub use login_without_rate_limit::LoginWithoutRateLimit;
pub use no_rate_limiting::NoRateLimiting;
pub use no_security_headers::NoSecurityHeaders;
pub use request_body_without_size_limit::RequestBodyWithoutSizeLimit;
pub use secret_with_fallback::SecretWithFallback;
pub use sql_built_from_strings::SqlBuiltFromStrings;
pub use token_issued_without_credentials::TokenIssuedWithoutCredentials;
pub use unauthenticated_mutation::UnauthenticatedMutation;
pub use unauthenticated_service_api::UnauthenticatedServiceApi;
pub use weak_jwt_configuration::WeakJwtConfiguration;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &SqlBuiltFromStrings,
    &CorsAllowsAnyOrigin,
    &CorsEmptyProductionAllowlist,
    &SecretWithFallback,
    &HardcodedSecret,
    &RequestBodyWithoutSizeLimit,
    &LoginWithoutRateLimit,
    &NoSecurityHeaders,
    &ErrorDetailsLeak,
    &WeakJwtConfiguration,
    &UnauthenticatedServiceApi,
    &NoRateLimiting,
    &AdminRouteWithoutRoleCheck,
    &UnauthenticatedMutation,
    &TokenIssuedWithoutCredentials,
];
