//! Config extractors: manifests (package.json, requirements, pyproject, go.mod), Dockerfiles and
//! Kubernetes workloads.
//!
//! Every JSON and YAML file is parsed (so a hostile one is refused with a reason and listed as
//! skipped) even when no extractor reads it yet; compose files, CI workflows and other YAML
//! documents plug in next to [`k8s`] by reading the same parsed [`Doc`]. Nothing here recurses
//! on input depth: the parsers build flat arenas and extractors walk fixed paths.

mod ci;
mod compose;
pub mod coverage;
mod delivery;
pub(crate) mod deploy;
mod docker;
mod k8s;
mod manifests;
pub mod project;
pub(crate) mod schema;
mod tls;

use shipready_model::{Facts, Lang};
pub use shipready_syntax::config::ConfigError;
use shipready_syntax::config::{Doc, parse_json, parse_toml, parse_yaml};

use crate::FileCtx;

/// JSON files above this size that are not `package.json` are data, not config: not parsed.
const MAX_DATA_JSON: usize = 512 * 1024;

/// The lower-case file name of a repository path.
pub(crate) fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

/// Whether a YAML file is a Helm (or other Go-template) template, which is not YAML until
/// rendered.
fn is_helm_template(cx: &FileCtx<'_>) -> bool {
    let in_templates = cx.path.split('/').rev().skip(1).any(|p| p == "templates");
    in_templates && cx.text.contains("{{")
}

/// Coverage thresholds in code config files (`jest.config.ts`, `vitest.config.ts`).
pub(crate) fn coverage_thresholds_in_code(cx: &FileCtx<'_>, out: &mut Facts) {
    delivery::coverage_thresholds_in_text(cx, out);
}

/// Extracts the facts of one non-code file.
pub fn extract(cx: &FileCtx<'_>, out: &mut Facts) -> Result<(), ConfigError> {
    let name = file_name(cx.path);
    tls::extract(cx, &name, out);
    match cx.lang {
        Lang::Json => {
            if name == "package.json" {
                let doc = parse_json(cx.text)?;
                manifests::package_json(cx, &doc, out);
                crate::clients::cra_proxy(cx, &doc, out);
                delivery::package_json(cx, &doc, out);
                delivery::dependency_update(cx, &name, &doc, out);
            } else if cx.text.len() <= MAX_DATA_JSON {
                let doc = parse_json(cx.text)?;
                if delivery::is_tsconfig(&name) {
                    delivery::tsconfig(cx, &doc, out);
                }
                delivery::dependency_update(cx, &name, &doc, out);
            }
        }
        Lang::Yaml => {
            if is_helm_template(cx) {
                // Not YAML until rendered: listed as skipped with the reason, never misread.
                return Err(ConfigError {
                    reason: "template",
                    detail: "Helm template: its manifests are known only once rendered".to_string(),
                });
            }
            let doc: Doc = parse_yaml(cx.text)?;
            k8s::extract(cx, &doc, out);
            deploy::extract(cx, &doc, out);
            delivery::k8s_secrets(cx, &doc, out);
            if compose::is_compose_path(cx.path) {
                compose::extract(cx, &doc, out);
            }
            if let Some(provider) = ci::provider_of(cx.path) {
                ci::extract(cx, provider, &doc, out);
            }
            delivery::dependency_update(cx, &name, &doc, out);
            delivery::backup_evidence(cx, out);
        }
        Lang::Toml if name == "pyproject.toml" => {
            let doc = parse_toml(cx.text)?;
            manifests::pyproject(cx, &doc, out);
            delivery::coverage_thresholds_in_text(cx, out);
        }
        Lang::Requirements => manifests::requirements(cx, out),
        Lang::GoMod => manifests::go_mod(cx, out),
        Lang::Dockerfile => docker::extract(cx, out),
        Lang::Prisma => delivery::prisma(cx, out),
        Lang::Markdown => delivery::backup_evidence(cx, out),
        Lang::Text => {
            delivery::coverage_thresholds_in_text(cx, out);
            delivery::backup_evidence(cx, out);
        }
        _ => {}
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;
    use std::time::{Duration, Instant};

    use shipready_model::{FileId, FileRole};

    use super::*;

    fn run(path: &str, text: &str) -> (Result<(), ConfigError>, Facts) {
        let lang = Lang::from_path(path).unwrap_or(Lang::Text);
        let cx = FileCtx {
            id: FileId(0),
            path,
            lang,
            role: FileRole::Source,
            text,
        };
        let mut facts = Facts::default();
        let r = extract(&cx, &mut facts);
        (r, facts)
    }

    #[test]
    fn hostile_nesting_is_refused_not_overflowed() {
        // Default test thread stack (2 MiB): nothing recurses on depth.
        let json = "[".repeat(5000) + &"]".repeat(5000);
        assert_eq!(
            run("data/deep.json", &json).0.unwrap_err().reason,
            "too-deep"
        );
        assert_eq!(run("package.json", &json).0.unwrap_err().reason, "too-deep");
        let yaml = "- ".repeat(5000) + "x\n";
        assert_eq!(
            run("deploy/deep.yaml", &yaml).0.unwrap_err().reason,
            "too-deep"
        );
        let flow = "{a: ".repeat(5000) + &"}".repeat(5000);
        assert_eq!(
            run("deploy/deep.yml", &flow).0.unwrap_err().reason,
            "too-deep"
        );
    }

    #[test]
    fn alias_bomb_is_fast() {
        let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        let names: Vec<String> = (b'b'..=b'z').map(|c| (c as char).to_string()).collect();
        let mut prev = "a".to_string();
        for n in &names {
            let refs = vec![format!("*{prev}"); 10].join(", ");
            let _ = writeln!(text, "{n}: &{n} [{refs}]");
            prev.clone_from(n);
        }
        text.push_str(
            "kind: Deployment\napiVersion: apps/v1\nspec: {template: {spec: {containers: *z}}}\n",
        );
        let start = Instant::now();
        let (r, facts) = run("deploy/bomb.yaml", &text);
        assert!(r.is_ok());
        assert!(start.elapsed() < Duration::from_secs(2));
        // The workload is read; the "containers" are sequences, not maps, so none is listed.
        assert_eq!(facts.k8s_workloads.len(), 1);
        assert!(facts.k8s_workloads[0].containers.is_empty());
    }

    #[test]
    fn skips_and_errors() {
        // Helm templates are skipped with a note, never read as manifests.
        let helm = "kind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n";
        let (r, facts) = run("chart/templates/deploy.yaml", helm);
        assert_eq!(r.unwrap_err().reason, "template");
        assert!(facts.is_empty());
        // Broken YAML elsewhere is an error.
        assert_eq!(
            run("deploy/x.yaml", "a: [1, 2\n").0.unwrap_err().reason,
            "parse-error"
        );
        // Big data JSON is not parsed; a broken small one is an error.
        let big = format!("[{}", "1,".repeat(300_000));
        assert!(run("data/big.json", &big).0.is_ok());
        assert_eq!(
            run("data/small.json", "[1,").0.unwrap_err().reason,
            "parse-error"
        );
        // Other TOML is not read.
        assert!(run("Cargo.toml", "[[[").0.is_ok());
        assert_eq!(
            run("pyproject.toml", "[[[").0.unwrap_err().reason,
            "parse-error"
        );
    }
}
