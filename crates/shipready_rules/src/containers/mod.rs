//! Container rules (CTR).

mod container_runs_as_root;

pub use container_runs_as_root::ContainerRunsAsRoot;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&ContainerRunsAsRoot];
