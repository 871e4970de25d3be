//! Security rules (SEC).

mod admin_route_without_role_check;
pub mod chain;
mod command_or_code_injection;
mod cors_allows_any_origin;
mod cors_empty_production_allowlist;
mod error_details_leak;
mod handler_text;
mod hardcoded_secret;
mod https_not_enforced;
mod input_flow;
mod input_without_validation;
mod insecure_session_cookie;
mod login_without_lockout;
mod login_without_rate_limit;
mod no_rate_limiting;
mod no_security_headers;
mod path_traversal;
mod request_body_without_size_limit;
mod secret_with_fallback;
mod server_side_request_forgery;
mod sql_built_from_strings;
mod token_issued_without_credentials;
mod unauthenticated_mutation;
mod unauthenticated_service_api;
mod weak_jwt_configuration;
mod weak_password_policy;
mod websocket_without_auth;

pub use admin_route_without_role_check::AdminRouteWithoutRoleCheck;
pub use command_or_code_injection::CommandOrCodeInjection;
pub use cors_allows_any_origin::CorsAllowsAnyOrigin;
pub use cors_empty_production_allowlist::CorsEmptyProductionAllowlist;
pub use error_details_leak::ErrorDetailsLeak;
pub use hardcoded_secret::HardcodedSecret;
pub use https_not_enforced::HttpsNotEnforced;
pub use input_without_validation::InputWithoutValidation;
pub use insecure_session_cookie::InsecureSessionCookie;
pub use login_without_lockout::LoginWithoutLockout;
pub use login_without_rate_limit::LoginWithoutRateLimit;
pub use no_rate_limiting::NoRateLimiting;
pub use no_security_headers::NoSecurityHeaders;
pub use path_traversal::PathTraversal;
pub use request_body_without_size_limit::RequestBodyWithoutSizeLimit;
pub use secret_with_fallback::SecretWithFallback;
pub use server_side_request_forgery::ServerSideRequestForgery;
pub use sql_built_from_strings::SqlBuiltFromStrings;
pub use token_issued_without_credentials::TokenIssuedWithoutCredentials;
pub use unauthenticated_mutation::UnauthenticatedMutation;
pub use unauthenticated_service_api::UnauthenticatedServiceApi;
pub use weak_jwt_configuration::WeakJwtConfiguration;
pub use weak_password_policy::WeakPasswordPolicy;
pub use websocket_without_auth::WebsocketWithoutAuth;

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
    &LoginWithoutLockout,
    &NoSecurityHeaders,
    &ErrorDetailsLeak,
    &WeakJwtConfiguration,
    &WebsocketWithoutAuth,
    &PathTraversal,
    &CommandOrCodeInjection,
    &InputWithoutValidation,
    &InsecureSessionCookie,
    &HttpsNotEnforced,
    &UnauthenticatedServiceApi,
    &WeakPasswordPolicy,
    &NoRateLimiting,
    &AdminRouteWithoutRoleCheck,
    &UnauthenticatedMutation,
    &TokenIssuedWithoutCredentials,
    &ServerSideRequestForgery,
];
