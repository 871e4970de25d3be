//! The CI gate: --fail-on, --min-score, --exit-zero, --baseline and --new-only, with the exit
//! codes DESIGN.md gives (0 pass, 1 threshold reached, 2 usage or configuration error).

mod common;

use std::path::Path;
use std::time::Duration;

use common::{run, scan_json, stderr, write};

const APP: &str = "const express = require('express');\nconst cors = require('cors');\nconst app = express();\napp.use(cors());\napp.get('/healthz', (req, res) => res.send('ok'));\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n";

fn repo() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "api/package.json",
        r#"{"name":"api","dependencies":{"express":"^4.19.2","cors":"^2.8.5"}}"#,
    );
    write(dir.path(), "api/src/app.js", APP);
    dir
}

fn s(p: &Path) -> String {
    p.to_string_lossy().to_string()
}

fn code(args: &[&str]) -> Option<i32> {
    run(args, Duration::from_mins(1)).status.code()
}

#[test]
fn fail_on_min_score_and_exit_zero() {
    let r = repo();
    let p = s(r.path());
    // One critical SEC002.
    assert_eq!(code(&["scan", &p]), Some(0), "no threshold, no failure");
    assert_eq!(code(&["scan", &p, "--fail-on", "critical"]), Some(1));
    assert_eq!(
        code(&["scan", &p, "--fail-on", "critical", "--exit-zero"]),
        Some(0)
    );
    assert_eq!(code(&["scan", &p, "--min-score", "100"]), Some(1));
    assert_eq!(code(&["scan", &p, "--min-score", "0"]), Some(0));
    assert_eq!(code(&["scan", &p, "--min-score", "101"]), Some(2));
    assert_eq!(
        code(&["gate", &p]),
        Some(1),
        "gate defaults to --fail-on high"
    );
    let out = run(&["gate", &p, "--exit-zero"], Duration::from_mins(1));
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("shipready gate: FAIL ("), "{text}");
    assert_eq!(
        text.lines().next().map(|l| l.contains("score ")),
        Some(true)
    );
}

#[test]
fn verdict_is_one_line_on_stderr_and_in_json() {
    let r = repo();
    let (v, out) = scan_json(r.path(), &["--fail-on", "high", "--min-score", "99"]);
    assert_eq!(out.status.code(), Some(1));
    let gate = &v["summary"]["gate"];
    assert_eq!(gate["fail_on"], "high");
    assert_eq!(gate["min_score"], 99);
    assert_eq!(gate["new_only"], false);
    assert_eq!(gate["failed"], true);
    let reason = gate["reason"].as_str().expect("reason");
    assert!(reason.contains("at or above high"), "{reason}");
    assert!(reason.contains("under the minimum 99"), "{reason}");
    let err = stderr(&out);
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| l.starts_with("shipready gate:"))
        .collect();
    assert_eq!(lines.len(), 1, "{err}");
    assert!(lines[0].starts_with("shipready gate: FAIL"), "{err}");
    // Without a threshold nothing is printed and the gate says so.
    let (v, out) = scan_json(r.path(), &[]);
    assert_eq!(v["summary"]["gate"]["reason"], "no threshold set");
    assert!(!stderr(&out).contains("shipready gate:"));
}

#[test]
fn baseline_marks_new_fixed_and_still_open() {
    let r = repo();
    let p = s(r.path());
    let base_dir = tempfile::tempdir().expect("tempdir");
    let baseline = base_dir.path().join("previous.json");
    let b = s(&baseline);
    let out = run(
        &["scan", &p, "--format", "json", "--output", &b],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(0));

    // Same tree: nothing new; --new-only passes although a critical is open.
    let (v, out) = scan_json(
        r.path(),
        &["--baseline", &b, "--new-only", "--fail-on", "critical"],
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let changes = &v["changes"];
    assert_eq!(changes["new"].as_array().map(Vec::len), Some(0));
    assert_eq!(changes["fixed"].as_array().map(Vec::len), Some(0));
    let open = changes["still_open"].as_array().expect("still_open");
    assert_eq!(open.len(), v["findings"].as_array().map_or(0, Vec::len));
    assert_eq!(v["summary"]["gate"]["new_only"], true);
    assert_eq!(
        code(&["scan", &p, "--baseline", &b, "--fail-on", "critical"]),
        Some(1),
        "without --new-only the open critical counts"
    );

    // A new critical, and code moved down by a line: the old finding keeps its fingerprint.
    let changed = APP.replace(
        "app.use(cors());\n",
        "// CORS\napp.use(cors());\napp.use('/admin', cors());\n",
    );
    write(r.path(), "api/src/app.js", &changed);
    let (v, out) = scan_json(
        r.path(),
        &["--baseline", &b, "--new-only", "--fail-on", "critical"],
    );
    assert_eq!(out.status.code(), Some(1));
    let new = v["changes"]["new"].as_array().expect("new");
    assert_eq!(new.len(), 1, "{new:#?}");
    assert_eq!(new[0]["rule"], "SEC002");
    assert_eq!(new[0]["line"], 6);
    assert!(
        v["changes"]["still_open"]
            .as_array()
            .expect("still_open")
            .iter()
            .any(|f| f["rule"] == "SEC002" && f["line"] == 5),
        "the moved finding is still open, not new"
    );
    assert!(
        v["summary"]["gate"]["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("1 new finding at or above critical"))
    );
    let gate = run(
        &["gate", &p, "--baseline", &b, "--new-only"],
        Duration::from_mins(1),
    );
    assert_eq!(gate.status.code(), Some(1));
    let text = String::from_utf8_lossy(&gate.stdout);
    let listed: Vec<&str> = text.lines().skip(1).collect();
    assert_eq!(listed.len(), 1, "only the new finding is listed: {text}");
    assert!(listed[0].contains("critical new SEC002"), "{text}");

    // Fixed: the original line removed.
    write(
        r.path(),
        "api/src/app.js",
        &APP.replace("app.use(cors());\n", ""),
    );
    let (v, _) = scan_json(r.path(), &["--baseline", &b]);
    let fixed = v["changes"]["fixed"].as_array().expect("fixed");
    assert!(fixed.iter().any(|f| f["rule"] == "SEC002"), "{fixed:#?}");
}

#[test]
fn bad_gate_usage_exits_2() {
    let r = repo();
    let p = s(r.path());
    let out = run(&["scan", &p, "--new-only"], Duration::from_mins(1));
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--new-only needs --baseline"));
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "not json").expect("write");
    let out = run(
        &["scan", &p, "--baseline", &s(&bad)],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("is not JSON"), "{}", stderr(&out));
    std::fs::write(&bad, "{\"x\": 1}").expect("write");
    assert_eq!(code(&["scan", &p, "--baseline", &s(&bad)]), Some(2));
    assert_eq!(
        code(&["scan", &p, "--baseline", "/definitely/missing.json"]),
        Some(2)
    );
}
