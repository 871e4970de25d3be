//! shipready.toml through the CLI: discovery, --config, rule selection and severities,
//! exclude, components, waivers with expiry, inline `until=`, unused suppressions,
//! --no-ignores, and `shipready init`.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{run, run_env, stderr, write};
use serde_json::Value;

const APP: &str = "const express = require('express');\nconst cors = require('cors');\nconst app = express();\napp.use(cors());\n// shipready-ignore SEC002: public read-only catalogue\napp.use('/public', cors({ origin: '*' }));\napp.get('/healthz', (req, res) => res.send('ok'));\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n";

/// A repository (with `.git`, so discovery stops at it) and its config.
fn repo(config: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join(".git")).expect("mkdir");
    write(
        dir.path(),
        "api/package.json",
        r#"{"name":"api","dependencies":{"express":"^4.19.2","cors":"^2.8.5"}}"#,
    );
    write(dir.path(), "api/src/app.js", APP);
    write(dir.path(), "shipready.toml", config);
    dir
}

fn s(p: &Path) -> String {
    p.to_string_lossy().to_string()
}

/// JSON scan with `SHIPREADY_TODAY` set.
fn scan_at(path: &Path, today: &str, extra: &[&str]) -> (Value, std::process::Output) {
    let p = s(path);
    let mut args = vec!["scan", p.as_str(), "--format", "json"];
    args.extend_from_slice(extra);
    let out = run_env(&args, &[("SHIPREADY_TODAY", today)], Duration::from_mins(1));
    let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", stderr(&out)));
    (v, out)
}

fn findings_of<'a>(v: &'a Value, rule: &str) -> Vec<&'a Value> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn config_is_found_by_walking_up_and_sets_the_gate() {
    let r = repo("fail_on = \"critical\"\n");
    // Scanning a subfolder still reads the repository's file.
    let out = run(&["scan", &s(&r.path().join("api"))], Duration::from_mins(1));
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    // The command line wins.
    let out = run(
        &["scan", &s(r.path()), "--fail-on", "low", "--exit-zero"],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(0));
    // --config picks another file.
    let other = r.path().join("relaxed.toml");
    std::fs::write(&other, "[rules]\nignore = [\"SEC\"]\n").expect("write");
    let out = run(
        &[
            "scan",
            &s(r.path()),
            "--config",
            &s(&other),
            "--fail-on",
            "critical",
        ],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let out = run(
        &["scan", &s(r.path()), "--config", "/no/such/shipready.toml"],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn configuration_errors_exit_2_with_file_and_line() {
    let r = repo("fail_on = \"high\"\n\n[rules]\nselct = [\"REL001\"]\n");
    let out = run(&["scan", &s(r.path())], Duration::from_mins(1));
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert!(
        err.contains("shipready.toml:4:1: unknown key `selct` in [rules] (did you mean `select`?)"),
        "{err}"
    );
    let r = repo("[[waivers]]\nrule = \"SEC002\"\nreason = \"ok\"\nexpires = 2026-13-01\n");
    let out = run(&["gate", &s(r.path())], Duration::from_mins(1));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("shipready.toml:4:"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn rules_severity_exclude_and_components() {
    let r = repo("[rules]\nignore = [\"observability\"]\n");
    let out = run(&["scan", &s(r.path())], Duration::from_mins(1));
    assert_eq!(
        out.status.code(),
        Some(2),
        "`observability` is no rule or family"
    );

    std::fs::write(
        r.path().join("shipready.toml"),
        "[rules]\nselect = [\"SEC\", \"REL003\"]\n[rules.severity]\ncors-allows-any-origin = \"low\"\n",
    )
    .expect("write");
    let (v, _) = scan_at(r.path(), "2026-01-01", &["--fail-on", "medium"]);
    // The severity override alone decides the gate: selected the one rule plus REL003.
    std::fs::write(
        r.path().join("shipready.toml"),
        "[rules]\nselect = [\"SEC002\", \"REL003\"]\n[rules.severity]\ncors-allows-any-origin = \"low\"\n",
    )
    .expect("write");
    let (only, out) = scan_at(r.path(), "2026-01-01", &["--fail-on", "medium"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "SEC002 lowered to low: {:#?}",
        only["findings"]
    );
    let sec = findings_of(&v, "SEC002");
    assert_eq!(sec.len(), 1);
    assert_eq!(sec[0]["severity"], "low");
    for f in v["findings"].as_array().expect("findings") {
        let rule = f["rule"].as_str().expect("rule");
        assert!(
            rule.starts_with("SEC") || rule == "REL003",
            "{rule} not selected"
        );
    }
    let checklist: Vec<&str> = v["checklist"]
        .as_array()
        .expect("checklist")
        .iter()
        .filter_map(|c| c["rule"].as_str())
        .collect();
    assert!(
        checklist
            .iter()
            .all(|c| c.starts_with("SEC") || *c == "REL003")
    );
    assert_eq!(
        v["summary"]["rules_run"].as_u64(),
        Some(checklist.len() as u64)
    );

    std::fs::write(r.path().join("shipready.toml"), "exclude = [\"api/src\"]\n").expect("write");
    let (v, _) = scan_at(r.path(), "2026-01-01", &[]);
    assert!(
        v["findings"]
            .as_array()
            .expect("findings")
            .iter()
            .all(|f| !f["location"]["path"]
                .as_str()
                .unwrap_or("")
                .starts_with("api/src")),
        "{:#?}",
        v["findings"]
    );

    std::fs::write(
        r.path().join("shipready.toml"),
        "[components.backend]\npath = \"api\"\nkind = \"worker\"\n[components.jobs]\npath = \"api/src/jobs\"\n",
    )
    .expect("write");
    write(
        r.path(),
        "api/src/jobs/nightly.js",
        "module.exports = () => 1;\n",
    );
    let (v, out) = scan_at(r.path(), "2026-01-01", &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let components: Vec<(&str, &str)> = v["components"]
        .as_array()
        .expect("components")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap_or(""),
                c["kind"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert!(
        components.contains(&("backend", "worker")),
        "{components:?}"
    );
    assert!(
        components.iter().any(|(n, _)| *n == "jobs"),
        "{components:?}"
    );
    assert!(
        findings_of(&v, "SEC002")
            .iter()
            .all(|f| f["component"] == "backend")
    );
    let out = run(
        &["scan", &s(r.path()), "--component", "backend"],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn waivers_hold_until_they_expire() {
    let r = repo(
        "[[waivers]]\nrule = \"cors-allows-any-origin\"\npath = \"api/src/*.js\"\nreason = \"internal admin tool\"\nowner = \"platform\"\nexpires = 2026-06-30\n",
    );
    let (v, out) = scan_at(r.path(), "2026-06-30", &["--fail-on", "critical"]);
    assert_eq!(out.status.code(), Some(0), "waived on its last day");
    assert!(findings_of(&v, "SEC002").is_empty());
    let suppressed = v["suppressed"].as_array().expect("suppressed");
    assert_eq!(suppressed.len(), 2, "{suppressed:#?}");
    let waiver = suppressed
        .iter()
        .find(|s| s["kind"] == "waiver")
        .expect("waiver");
    assert_eq!(waiver["owner"], "platform");
    assert_eq!(waiver["expires"], "2026-06-30");
    assert_eq!(waiver["source"], "shipready.toml:1");
    let inline = suppressed
        .iter()
        .find(|s| s["kind"] == "inline")
        .expect("inline");
    assert_eq!(inline["source"], "api/src/app.js:5");

    let (v, out) = scan_at(r.path(), "2026-07-01", &["--fail-on", "critical"]);
    assert_eq!(out.status.code(), Some(1), "expired: the finding is back");
    let sec = findings_of(&v, "SEC002");
    assert_eq!(sec.len(), 1);
    assert!(
        sec[0]["message"]
            .as_str()
            .is_some_and(|m| m.ends_with("(suppression expired 2026-06-30)")),
        "{sec:#?}"
    );
    let expired = v["expired_suppressions"].as_array().expect("expired");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["kind"], "waiver");
    assert_eq!(expired[0]["location"], "api/src/app.js:4");
    assert_eq!(expired[0]["owner"], "platform");
    assert_eq!(expired[0]["fingerprint"], sec[0]["fingerprint"]);
    // The terminal report lists it too.
    let out = run_env(
        &["scan", &s(r.path())],
        &[("SHIPREADY_TODAY", "2026-07-01")],
        Duration::from_mins(1),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("EXPIRED SUPPRESSIONS (1)"), "{text}");
    let out = run_env(
        &["scan", &s(r.path())],
        &[("SHIPREADY_TODAY", "someday")],
        Duration::from_mins(1),
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn inline_expiry_unused_suppressions_and_audit() {
    let r = repo("");
    let app = APP
        .replace(
            "// shipready-ignore SEC002: public",
            "// shipready-ignore SEC002 until=2026-03-31: public",
        )
        .replace(
            "app.get('/healthz'",
            "// shipready-ignore REL001: the pool handler was removed\n// shipready-ignore NOPE123: typo\n// shipready-ignore SEC002 until=2026-02-30: bad date\napp.get('/healthz'",
        );
    write(r.path(), "api/src/app.js", &app);
    std::fs::write(
        r.path().join("shipready.toml"),
        "[[waivers]]\nrule = \"SEC001\"\nreason = \"no SQL here\"\n",
    )
    .expect("write");

    let (v, _) = scan_at(r.path(), "2026-03-31", &[]);
    assert_eq!(
        findings_of(&v, "SEC002").len(),
        1,
        "line 6 still suppressed"
    );
    let unused: Vec<(String, u64, String)> = v["unused_suppressions"]
        .as_array()
        .expect("unused")
        .iter()
        .map(|u| {
            (
                u["path"].as_str().unwrap_or("").to_string(),
                u["line"].as_u64().unwrap_or(0),
                u["message"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(unused.len(), 4, "{unused:#?}");
    assert_eq!(unused[0].0, "api/src/app.js");
    assert_eq!(unused[0].1, 7);
    assert!(unused[0].2.contains("no `REL001` finding"), "{unused:#?}");
    assert!(unused[1].2.contains("`NOPE123` is not a shipready rule"));
    assert!(unused[2].2.contains("invalid `until=2026-02-30`"));
    assert_eq!(
        unused[3].0, "shipready.toml",
        "shown relative to the scanned root"
    );
    assert!(unused[3].2.contains("unused waiver"));
    assert!(v["expired_suppressions"].as_array().expect("e").is_empty());

    // After its date the inline suppression expires.
    let (v, _) = scan_at(r.path(), "2026-04-01", &[]);
    let sec = findings_of(&v, "SEC002");
    assert_eq!(sec.len(), 2);
    let expired = v["expired_suppressions"].as_array().expect("expired");
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["kind"], "inline");
    assert_eq!(expired[0]["source"], "api/src/app.js:5");
    assert_eq!(expired[0]["expires"], "2026-03-31");

    // The terminal lists unused suppressions.
    let out = run_env(
        &["scan", &s(r.path())],
        &[("SHIPREADY_TODAY", "2026-03-31")],
        Duration::from_mins(1),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("UNUSED SUPPRESSIONS (4)"), "{text}");
    assert!(
        text.contains("api/src/app.js:7 unused suppression"),
        "{text}"
    );

    // Audit: nothing suppressed, nothing reported unused.
    let (v, _) = scan_at(r.path(), "2026-03-31", &["--no-ignores"]);
    assert_eq!(findings_of(&v, "SEC002").len(), 2);
    assert!(v["suppressed"].as_array().expect("s").is_empty());
    assert!(v["unused_suppressions"].as_array().expect("u").is_empty());
}

#[test]
fn init_writes_a_default_that_scans() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "api/package.json", r#"{"name":"api"}"#);
    write(root, "api/index.js", "console.log('hi');\n");
    let out = run(&["init", &s(root)], Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let config = std::fs::read_to_string(root.join("shipready.toml")).expect("config");
    assert!(config.contains("# [[waivers]]"));
    assert_eq!(
        std::fs::read_to_string(root.join(".gitignore")).expect("gitignore"),
        "# shipready: run history stays local, the risk register is committed\n.shipready/*\n!.shipready/register.toml\n"
    );
    let again = run(&["init", &s(root)], Duration::from_secs(30));
    assert_eq!(again.status.code(), Some(2));
    assert!(stderr(&again).contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(root.join("shipready.toml")).expect("config"),
        config
    );
    let out = run(&["scan", &s(root)], Duration::from_mins(1));
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}
