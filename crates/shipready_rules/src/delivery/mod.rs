//! Delivery rules (CI): pipelines, their gates, deploys and dependency updates.

mod ci_missing_quality_gates;
mod deploy_without_gates;
mod no_ci_pipeline;
mod no_dependency_updates;
mod unpinned_ci_actions;

pub use ci_missing_quality_gates::CiMissingQualityGates;
pub use deploy_without_gates::DeployWithoutGates;
pub use no_ci_pipeline::NoCiPipeline;
pub use no_dependency_updates::NoDependencyUpdates;
pub use unpinned_ci_actions::UnpinnedCiActions;

use shipready_model::{ComponentKind, Project, Span};

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &NoCiPipeline,
    &CiMissingQualityGates,
    &DeployWithoutGates,
    &NoDependencyUpdates,
    &UnpinnedCiActions,
];

/// Where a repository-level finding about a deployable component points: its first
/// manifest file, or the first file of the component.
pub(crate) fn deployable_anchor(project: &Project) -> Option<(Span, String)> {
    project
        .components
        .iter()
        .filter(|c| matches!(c.kind, ComponentKind::Service | ComponentKind::Worker))
        .find_map(|c| {
            let file = c.manifest_files.first().copied().or_else(|| {
                project
                    .files
                    .iter()
                    .find(|f| f.component == c.id)
                    .map(|f| f.id)
            })?;
            Some((Span::file_start(file), c.name.clone()))
        })
}
