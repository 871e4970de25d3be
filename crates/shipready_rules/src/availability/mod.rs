//! Availability rules (AVL).

mod compose_without_healthchecks;
mod health_depth;
mod k8s_missing_probes;
mod k8s_missing_resources;
mod k8s_probe_path_not_served;
mod no_health_endpoint;
mod no_readiness_liveness_split;
mod shallow_health_check;

pub use compose_without_healthchecks::ComposeWithoutHealthchecks;
pub use k8s_missing_probes::K8sMissingProbes;
pub use k8s_missing_resources::K8sMissingResources;
pub use k8s_probe_path_not_served::K8sProbePathNotServed;
pub use no_health_endpoint::NoHealthEndpoint;
pub use no_readiness_liveness_split::NoReadinessLivenessSplit;
pub use shallow_health_check::ShallowHealthCheck;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &NoHealthEndpoint,
    &ShallowHealthCheck,
    &NoReadinessLivenessSplit,
    &K8sMissingProbes,
    &K8sProbePathNotServed,
    &K8sMissingResources,
    &ComposeWithoutHealthchecks,
];
