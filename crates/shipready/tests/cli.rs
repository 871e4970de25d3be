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
        text.lines().any(|l| l.split_once(' ').is_some_and(
            |(n, rest)| n.parse::<u32>().is_ok() && rest.starts_with("findings (1 critical")
        )),
        "{text}"
    );
}

#[test]
fn one_scan_writes_every_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let p = |name: &str| dir.path().join(name).to_string_lossy().to_string();
    let demo = common::demo().to_string_lossy().to_string();
    let (json, sarif, md, html) = (p("r.json"), p("r.sarif"), p("r.md"), p("r.html"));
    let reports = [
        format!("json={json}"),
        format!("sarif={sarif}"),
        format!("markdown={md}"),
        format!("html={html}"),
    ];
    let mut args = vec!["scan", demo.as_str(), "--format", "terminal"];
    for r in &reports {
        args.push("--report");
        args.push(r);
    }
    let out = run(&args, Duration::from_mins(2));
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).expect("json")).expect("parse json");
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).expect("sarif"))
            .expect("parse sarif");
    let results = s["runs"][0]["results"].as_array().expect("results").len();
    assert_eq!(
        results as u64,
        v["summary"]["findings"]["total"].as_u64().expect("total"),
        "same scan, same findings"
    );
    assert!(
        std::fs::read_to_string(&md)
            .expect("md")
            .starts_with("# Production readiness assessment")
    );
    assert!(
        std::fs::read_to_string(&html)
            .expect("html")
            .contains("<html")
    );
    let bad = run(
        &["scan", &demo, "--report", "pdf=x.pdf"],
        Duration::from_secs(30),
    );
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn coverage_flag_reads_a_report_outside_the_tree() {
    let repo = tempfile::tempdir().expect("tempdir");
    write(
        repo.path(),
        "web/package.json",
        r#"{"name":"web","dependencies":{"express":"^4.19.2"}}"#,
    );
    write(
        repo.path(),
        "web/src/price.js",
        "function price(a) {\n  if (a > 1) return a;\n  return 0;\n}\nmodule.exports = { price };\n",
    );
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let lcov = elsewhere.path().join("lcov.info");
    std::fs::write(
        &lcov,
        format!(
            "TN:\nSF:{}\nDA:1,1\nDA:2,0\nDA:3,0\nDA:5,0\nLF:4\nLH:1\nend_of_record\n",
            repo.path().join("web/src/price.js").display()
        ),
    )
    .expect("write lcov");
    let (without, _) = scan_json(repo.path(), &[]);
    assert!(
        !without["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .any(|f| f["rule"] == "TEST003")
    );
    let l = lcov.to_string_lossy().to_string();
    let (with, out) = scan_json(repo.path(), &["--coverage", &l]);
    assert!(matches!(out.status.code(), Some(0 | 1)));
    let test003: Vec<_> = with["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "TEST003")
        .collect();
    assert_eq!(test003.len(), 1, "{test003:#?}");
    assert!(
        test003[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("25.0%"),
        "{test003:#?}"
    );
    let missing = run(
        &[
            "scan",
            &repo.path().to_string_lossy(),
            "--coverage",
            "/nonexistent/lcov.info",
        ],
        Duration::from_secs(30),
    );
    assert_eq!(missing.status.code(), Some(2));
}

#[test]
fn own_state_folder_is_not_reported_as_skipped() {
    // A scan with history writes `.shipready/` under the root; the next scan must not list it.
    let repo = small_repo();
    std::fs::create_dir_all(repo.path().join(".shipready")).expect("mkdir");
    std::fs::write(
        repo.path().join(".shipready/history.db"),
        b"SQLite format 3\0",
    )
    .expect("write");
    let (v, _) = scan_json(repo.path(), &[]);
    let skipped = v["skipped"].as_array().expect("skipped");
    assert!(
        skipped
            .iter()
            .all(|s| !s["path"].as_str().unwrap_or("").starts_with(".shipready")),
        "{skipped:#?}"
    );
}
