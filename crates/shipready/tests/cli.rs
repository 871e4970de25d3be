//! End-to-end tests of the `shipready` binary: exit codes, JSON shape, determinism,
//! suppressions.

mod common;

use std::time::Duration;

use common::{run, scan_json, without_timing};

fn write(dir: &std::path::Path, rel: &str, text: &str) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, text).expect("write");
}

fn small_repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "api/package.json",
        r#"{"name":"api","dependencies":{"express":"^4.19.2","cors":"^2.8.5"}}"#,
    );
    write(
        dir.path(),
        "api/src/app.js",
        "const express = require('express');\nconst cors = require('cors');\nconst app = express();\napp.use(cors());\n// shipready-ignore SEC002: public read-only catalogue\napp.use('/public', cors({ origin: '*' }));\napp.get('/healthz', (req, res) => res.send('ok'));\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n",
    );
    dir
}

#[test]
fn json_is_valid_against_the_schema() {
    let schema_text =
        std::fs::read_to_string(common::workspace().join("docs/schema/report-v1.json"))
            .expect("schema");
    let schema: serde_json::Value = serde_json::from_str(&schema_text).expect("schema json");
    let validator = jsonschema::validator_for(&schema).expect("compile schema");
    for path in [common::demo(), small_repo().path().to_path_buf()] {
        let (value, _) = scan_json(&path, &[]);
        let errors: Vec<String> = validator
            .iter_errors(&value)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", path.display());
        assert_eq!(value["schema_version"], 1);
    }
}

#[test]
fn output_is_deterministic_across_thread_counts() {
    let (a, _) = scan_json(&common::demo(), &["--jobs", "1"]);
    let (b, _) = scan_json(&common::demo(), &["--jobs", "2"]);
    let (c, _) = scan_json(&common::demo(), &["--jobs", "4"]);
    let a = serde_json::to_string(&without_timing(a)).expect("json");
    assert_eq!(a, serde_json::to_string(&without_timing(b)).expect("json"));
    assert_eq!(a, serde_json::to_string(&without_timing(c)).expect("json"));
}

#[test]
fn inline_suppression_silences_one_finding() {
    let repo = small_repo();
    let (v, out) = scan_json(repo.path(), &[]);
    assert_eq!(out.status.code(), Some(0));
    let findings = v["findings"].as_array().expect("findings");
    let sec002: Vec<_> = findings.iter().filter(|f| f["rule"] == "SEC002").collect();
    assert_eq!(sec002.len(), 1, "{findings:#?}");
    assert_eq!(sec002[0]["location"]["line"], 4);
    let suppressed = v["suppressed"].as_array().expect("suppressed");
    assert_eq!(suppressed.len(), 1);
    assert_eq!(suppressed[0]["reason"], "public read-only catalogue");
    assert_eq!(suppressed[0]["finding"]["location"]["line"], 6);
}

#[test]
fn fail_on_sets_the_exit_code() {
    let repo = small_repo();
    let p = repo.path().to_string_lossy().to_string();
    let ok = run(
        &["scan", &p, "--fail-on", "low", "--format", "json"],
        Duration::from_mins(1),
    );
    assert_eq!(ok.status.code(), Some(1), "a critical SEC002 reaches `low`");
    let pass = run(&["scan", &p], Duration::from_mins(1));
    assert_eq!(pass.status.code(), Some(0));
    let gate = run(&["gate", &p], Duration::from_mins(1));
    assert_eq!(gate.status.code(), Some(1));
    let text = String::from_utf8_lossy(&gate.stdout);
    assert!(text.starts_with("shipready gate: FAIL"), "{text}");
    assert!(text.contains("SEC002"), "{text}");
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(
        run(&["scan", "/definitely/not/here"], Duration::from_secs(10))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["scan", "--fail-on", "severe"], Duration::from_secs(10))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["explain", "NOPE999"], Duration::from_secs(10))
            .status
            .code(),
        Some(2)
    );
    assert_eq!(
        run(&["frobnicate"], Duration::from_secs(10)).status.code(),
        Some(2)
    );
    let repo = small_repo();
    let p = repo.path().to_string_lossy().to_string();
    assert_eq!(
        run(
            &["scan", &p, "--component", "nope"],
            Duration::from_secs(30)
        )
        .status
        .code(),
        Some(2)
    );
}

#[test]
fn rules_and_explain() {
    let out = run(&["rules", "--format", "json"], Duration::from_secs(10));
    assert_eq!(out.status.code(), Some(0));
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let codes: Vec<&str> = rules
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|r| r["code"].as_str())
        .collect();
    for code in [
        "REL001", "REL002", "REL003", "REL005", "SEC001", "SEC002", "SEC004", "SEC005", "AVL001",
        "AVL004", "OBS001", "CTR001",
    ] {
        assert!(codes.contains(&code), "{code} missing from `rules`");
    }
    for name in ["REL001", "rel001", "dependency-error-exits-process"] {
        let out = run(&["explain", name], Duration::from_secs(10));
        assert_eq!(out.status.code(), Some(0));
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.starts_with("REL001 dependency-error-exits-process"),
            "{text}"
        );
        assert!(text.contains("## Failure scenario"), "{text}");
    }
}

#[test]
fn output_file_is_written() {
    let repo = small_repo();
    let dir = tempfile::tempdir().expect("tempdir");
    let out_path = dir.path().join("report.json");
    let p = repo.path().to_string_lossy().to_string();
    let o = out_path.to_string_lossy().to_string();
    let out = run(
        &["scan", &p, "--format", "json", "--output", &o],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out_path).expect("read")).expect("json");
    assert_eq!(v["tool"]["name"], "shipready");
}

#[test]
fn terminal_output_has_frames_and_summary() {
    let repo = small_repo();
    let p = repo.path().to_string_lossy().to_string();
    let out = run(&["scan", &p], Duration::from_mins(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("CRITICAL (1)"), "{text}");
    assert!(text.contains("api/src/app.js:4:"), "{text}");
    assert!(text.contains("app.use(cors());"), "{text}");
    assert!(
        !text.contains('\u{1b}'),
        "no colour when NO_COLOR is set or stdout is not a TTY"
    );
    assert!(
        text.lines()
            .any(|l| l.starts_with("1 findings (1 critical")),
        "{text}"
    );
}
