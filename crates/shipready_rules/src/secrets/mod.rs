//! Secrets in files and deploy configuration (SECR).

mod env_file_committed;
mod secrets_in_deploy_config;

pub use env_file_committed::EnvFileCommitted;
pub use secrets_in_deploy_config::SecretsInDeployConfig;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&EnvFileCommitted, &SecretsInDeployConfig];
