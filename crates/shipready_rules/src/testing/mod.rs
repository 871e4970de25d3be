//! Testing rules (TEST): tests present, their share, coverage and skipped tests.

mod component_without_tests;
mod coverage_below_target;
mod low_test_ratio;
mod skipped_tests;

pub use component_without_tests::ComponentWithoutTests;
pub use coverage_below_target::CoverageBelowTarget;
pub use low_test_ratio::LowTestRatio;
pub use skipped_tests::SkippedTests;

use shipready_model::{Component, Project, Span};

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &ComponentWithoutTests,
    &LowTestRatio,
    &CoverageBelowTarget,
    &SkippedTests,
];

/// Where a component-level finding points: its first manifest, else its first file.
pub(crate) fn component_anchor(project: &Project, c: &Component) -> Option<Span> {
    let file = c
        .manifest_files
        .iter()
        .copied()
        .find(|f| project.file(*f).lang != shipready_model::Lang::Dockerfile)
        .or_else(|| c.manifest_files.first().copied())
        .or_else(|| {
            project
                .files
                .iter()
                .find(|f| f.component == c.id)
                .map(|f| f.id)
        })?;
    Some(Span::file_start(file))
}
