//! Availability rules (AVL).

mod k8s_missing_probes;
mod no_health_endpoint;

pub use k8s_missing_probes::K8sMissingProbes;
pub use no_health_endpoint::NoHealthEndpoint;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&NoHealthEndpoint, &K8sMissingProbes];
