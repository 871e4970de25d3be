//! The JSON report (`--format json`), shape versioned by `schema_version` and described by
//! `docs/schema/report-v1.json`.

use shipready_assess::Assessment;

/// Renders the assessment as pretty JSON with a trailing newline.
pub fn render(assessment: &Assessment) -> String {
    let mut s = serde_json::to_string_pretty(assessment)
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}
