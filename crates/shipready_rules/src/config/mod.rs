//! Configuration rules (CFG).

mod boot;
mod debug_logging_of_config;
mod env_lifecycle;
mod env_var_declared_unused;
mod env_var_not_validated_at_startup;
mod env_var_undocumented;

pub use debug_logging_of_config::DebugLoggingOfConfig;
pub use env_var_declared_unused::EnvVarDeclaredUnused;
pub use env_var_not_validated_at_startup::EnvVarNotValidatedAtStartup;
pub use env_var_undocumented::EnvVarUndocumented;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &EnvVarNotValidatedAtStartup,
    &EnvVarUndocumented,
    &EnvVarDeclaredUnused,
    &DebugLoggingOfConfig,
];
