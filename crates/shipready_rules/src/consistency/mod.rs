//! Cross-file consistency rules (XCF): facts in one place that contradict facts in another.

pub(crate) mod deploy;
mod env_name_mismatch;
mod health_path_not_served;
mod k8s_env_forward_reference;
mod middleware_prefix_matches_no_route;
mod port_mismatch;
mod queue_never_consumed_for_some_keys;
mod queue_payload_shape_mismatch;

pub use env_name_mismatch::EnvNameMismatch;
pub use health_path_not_served::HealthPathNotServed;
pub use k8s_env_forward_reference::K8sEnvForwardReference;
pub use middleware_prefix_matches_no_route::MiddlewarePrefixMatchesNoRoute;
pub use port_mismatch::PortMismatch;
pub use queue_never_consumed_for_some_keys::QueueNeverConsumedForSomeKeys;
pub use queue_payload_shape_mismatch::QueuePayloadShapeMismatch;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &MiddlewarePrefixMatchesNoRoute,
    &HealthPathNotServed,
    &PortMismatch,
    &EnvNameMismatch,
    &K8sEnvForwardReference,
    &QueuePayloadShapeMismatch,
    &QueueNeverConsumedForSomeKeys,
];
