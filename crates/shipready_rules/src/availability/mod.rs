//! Availability rules (AVL).

mod compose_without_healthchecks;
mod k8s_missing_probes;
mod k8s_missing_resources;
mod no_health_endpoint;

pub use compose_without_healthchecks::ComposeWithoutHealthchecks;
pub use k8s_missing_probes::K8sMissingProbes;
pub use k8s_missing_resources::K8sMissingResources;
pub use no_health_endpoint::NoHealthEndpoint;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &NoHealthEndpoint,
    &K8sMissingProbes,
    &K8sMissingResources,
    &ComposeWithoutHealthchecks,
];
