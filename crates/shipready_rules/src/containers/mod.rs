//! Container rules (CTR).

mod container_runs_as_root;
mod internal_ports_exposed;
mod no_dockerfile;
mod secrets_copied_into_image;
mod unbounded_container_logs;
mod unpinned_base_image;

pub use container_runs_as_root::ContainerRunsAsRoot;
pub use internal_ports_exposed::InternalPortsExposed;
pub use no_dockerfile::NoDockerfile;
pub use secrets_copied_into_image::SecretsCopiedIntoImage;
pub use unbounded_container_logs::UnboundedContainerLogs;
pub(crate) use unbounded_container_logs::is_dev_compose;
pub use unpinned_base_image::UnpinnedBaseImage;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &ContainerRunsAsRoot,
    &UnpinnedBaseImage,
    &NoDockerfile,
    &InternalPortsExposed,
    &UnboundedContainerLogs,
    &SecretsCopiedIntoImage,
];
