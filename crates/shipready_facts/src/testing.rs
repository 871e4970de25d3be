//! Helpers for fixture tests: build the model of a folder and render facts readably.

use std::path::Path;

use shipready_model::{Project, Span};
use shipready_walk::{WalkOptions, walk};

use crate::{BuildOptions, build_project};

/// Builds the project model of a folder with one thread (fixtures, `shipready facts`).
pub fn project_of(dir: &Path) -> Project {
    let walked = walk(
        dir,
        &WalkOptions {
            jobs: 1,
            ..WalkOptions::default()
        },
    );
    build_project(
        dir,
        walked,
        &BuildOptions {
            jobs: 1,
            ..BuildOptions::default()
        },
    )
}

/// `path:line:col` of a span's start, `-line:col` of its end.
pub fn render_span(project: &Project, span: Span) -> String {
    let f = project.file(span.file);
    let (l1, c1) = f.lines.line_col(span.start);
    let (l2, c2) = f.lines.line_col(span.end);
    format!("{}:{l1}:{c1}-{l2}:{c2}", f.path)
}

/// The project's facts as pretty JSON with spans rendered by [`render_span`] and empty lists
/// left out, for snapshots a person can read.
pub fn facts_json(project: &Project) -> String {
    let mut value = serde_json::to_value(&project.facts).unwrap_or_default();
    rewrite(project, &mut value);
    let comps: Vec<serde_json::Value> = project
        .components
        .iter()
        .map(|c| serde_json::json!({"name": c.name, "kind": c.kind, "language": c.language, "manifests": c.manifests}))
        .collect();
    let out = serde_json::json!({"components": comps, "facts": value});
    serde_json::to_string_pretty(&out).unwrap_or_default()
}

fn rewrite(project: &Project, v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let is_span = map.len() == 3
                && map.contains_key("file")
                && map.contains_key("start")
                && map.contains_key("end");
            if is_span {
                let get = |k: &str| map.get(k).and_then(Value::as_u64).unwrap_or(0) as u32;
                let span = Span {
                    file: shipready_model::FileId(get("file")),
                    start: get("start"),
                    end: get("end"),
                };
                *v = Value::String(render_span(project, span));
                return;
            }
            map.retain(|_, x| !matches!(x, Value::Array(a) if a.is_empty()) && !x.is_null());
            for x in map.values_mut() {
                rewrite(project, x);
            }
        }
        Value::Array(items) => {
            for x in items {
                rewrite(project, x);
            }
        }
        _ => {}
    }
}
