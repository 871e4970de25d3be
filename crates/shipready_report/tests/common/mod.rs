//! The demo's assessment, built in-process the way the CLI builds it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use shipready_assess::{AssessOptions, Assessment, assess};

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The fixed date of snapshot reports.
pub const DATE: &str = "2025-01-31";

/// The assessment of `examples/shop`, root shown as `examples/shop`.
pub fn demo() -> Assessment {
    let project = shipready_facts::testing::project_of(&workspace().join("examples/shop"));
    let rules = shipready_rules::all_rules();
    let output = shipready_rules::run(&project, &rules, &shipready_rules::RunOptions::default());
    assess(
        &project,
        output,
        &AssessOptions {
            root_display: "examples/shop".to_string(),
            rules_run: rules.len() as u32,
            ..AssessOptions::default()
        },
    )
}

/// Writes `text` under the test's scratch folder for people to look at; returns the path.
pub fn keep(name: &str, text: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("reports");
    let _ = std::fs::create_dir_all(&dir);
    let p = dir.join(name);
    let _ = std::fs::write(&p, text);
    p
}
