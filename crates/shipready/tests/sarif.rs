//! `--format sarif`: valid against the official SARIF 2.1.0 schema (vendored in
//! crates/shipready_report/tests/data), and shaped the way GitHub code scanning needs it.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::{run, write};
use serde_json::Value;

fn sarif_of(path: &std::path::Path, extra: &[&str]) -> Value {
    let p = path.to_string_lossy().to_string();
    let mut args = vec!["scan", p.as_str(), "--format", "sarif"];
    args.extend_from_slice(extra);
    let out = run(&args, Duration::from_mins(2));
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "exit {:?}: {}",
        out.status.code(),
        common::stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

fn validator() -> jsonschema::Validator {
    let path = common::workspace().join("crates/shipready_report/tests/data/sarif-2.1.0.json");
    let schema: Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("schema")).expect("json");
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .expect("the SARIF schema compiles")
}

/// GitHub code scanning's requirements beyond the schema (SARIF support page).
fn check_github_rules(sarif: &Value) {
    assert_eq!(sarif["version"], "2.1.0");
    let runs = sarif["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1, "one run");
    let run = &runs[0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "shipready");
    assert!(driver["version"].is_string());
    assert!(
        driver["informationUri"]
            .as_str()
            .is_some_and(|u| u.starts_with("https://"))
    );
    let rules = driver["rules"].as_array().expect("rules");
    assert!(!rules.is_empty() && rules.len() <= 25_000);
    let mut ids = BTreeSet::new();
    for r in rules {
        let id = r["id"].as_str().expect("rule id");
        assert!(ids.insert(id), "duplicate rule {id}");
        let slug = r["name"].as_str().expect("name");
        for key in ["shortDescription", "fullDescription", "help"] {
            assert!(
                r[key]["text"].as_str().is_some_and(|t| !t.is_empty()),
                "{id}: {key}.text"
            );
        }
        let help = r["helpUri"].as_str().expect("helpUri");
        assert!(
            help.ends_with(&format!("/docs/rules/{slug}.md")),
            "{id}: {help}"
        );
        // That the page exists is the catalog test's job (generated docs are current).
        assert!(
            matches!(
                r["defaultConfiguration"]["level"].as_str(),
                Some("error" | "warning" | "note")
            ),
            "{id}"
        );
        let tags = r["properties"]["tags"].as_array().expect("tags");
        assert!(!tags.is_empty() && tags.len() <= 20, "{id}: tags");
        let security = tags.iter().any(|t| t == "security");
        let category = tags[0].as_str().expect("category tag");
        let sev = &r["properties"]["security-severity"];
        if matches!(category, "security" | "secrets") {
            assert!(security, "{id}: security rules carry the `security` tag");
            let score: f64 = sev
                .as_str()
                .and_then(|s| s.parse().ok())
                .expect("security-severity is a numeric string");
            assert!((0.1..=10.0).contains(&score), "{id}: {score}");
        } else {
            assert!(
                sev.is_null(),
                "{id}: security-severity only on security rules"
            );
        }
    }
    let results = run["results"].as_array().expect("results");
    assert!(results.len() <= 25_000);
    let mut fingerprints = BTreeSet::new();
    for r in results {
        let id = r["ruleId"].as_str().expect("ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id, "ruleIndex points at the rule");
        assert!(matches!(
            r["level"].as_str(),
            Some("error" | "warning" | "note")
        ));
        assert!(r["message"]["text"].as_str().is_some_and(|t| !t.is_empty()));
        let locations = r["locations"].as_array().expect("locations");
        assert_eq!(locations.len(), 1, "{id}: one primary location");
        let mut all = locations.clone();
        if let Some(rel) = r["relatedLocations"].as_array() {
            assert!(rel.len() <= 10, "{id}: at most 10 related locations");
            all.extend(rel.iter().cloned());
        }
        for loc in &all {
            let pl = &loc["physicalLocation"];
            let uri = pl["artifactLocation"]["uri"].as_str().expect("uri");
            assert!(
                !uri.starts_with('/') && !uri.contains("://") && !uri.is_empty(),
                "{id}: repository-relative uri, got {uri}"
            );
            assert_eq!(pl["artifactLocation"]["uriBaseId"], "%SRCROOT%");
            let region = &pl["region"];
            let start = region["startLine"].as_u64().expect("startLine");
            let end = region["endLine"].as_u64().expect("endLine");
            assert!(start >= 1 && end >= start, "{id}: lines {start}-{end}");
            let sc = region["startColumn"].as_u64().expect("startColumn");
            let ec = region["endColumn"].as_u64().expect("endColumn");
            assert!(sc >= 1 && (end > start || ec >= sc), "{id}: columns");
        }
        let fp = r["partialFingerprints"]["shipready/v1"]
            .as_str()
            .expect("fingerprint");
        assert!(
            fp.len() == 64 && fp.bytes().all(|b| b.is_ascii_hexdigit()),
            "{fp}"
        );
        assert!(fingerprints.insert(fp.to_string()), "duplicate fingerprint");
        let security = r["properties"]["security-severity"].is_string();
        let category = r["properties"]["category"].as_str().expect("category");
        assert_eq!(
            security,
            matches!(category, "security" | "secrets"),
            "{id}: security-severity only on security rules"
        );
    }
}

#[test]
fn demo_sarif_validates_against_the_official_schema() {
    let validator = validator();
    let sarif = sarif_of(&common::demo(), &[]);
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    // The schema check is not vacuous: a wrong level and a missing message are caught.
    let mut broken = sarif.clone();
    broken["runs"][0]["results"][0]["level"] = Value::from("fatal");
    assert!(!validator.is_valid(&broken));
    let mut broken = sarif.clone();
    if let Some(r) = broken["runs"][0]["results"][0].as_object_mut() {
        r.remove("message");
    }
    assert!(!validator.is_valid(&broken));
    check_github_rules(&sarif);
    // The same findings as the JSON report, with the same fingerprints and levels.
    let (json, _) = common::scan_json(&common::demo(), &[]);
    let findings = json["findings"].as_array().expect("findings");
    let results = sarif["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), findings.len());
    for (f, r) in findings.iter().zip(results) {
        assert_eq!(r["ruleId"], f["rule"]);
        assert_eq!(r["partialFingerprints"]["shipready/v1"], f["fingerprint"]);
        assert_eq!(
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            f["location"]["line"]
        );
        let expected = match f["severity"].as_str() {
            Some("critical" | "high") => "error",
            Some("medium") => "warning",
            _ => "note",
        };
        assert_eq!(r["level"], expected);
    }
    // Every rule that ran is described, not only those with results.
    let rules = sarif["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules");
    assert_eq!(
        rules.len() as u64,
        json["summary"]["rules_run"].as_u64().expect("n")
    );
}

#[test]
fn suppressed_and_waived_findings_are_left_out() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(
        root,
        "api/package.json",
        r#"{"name":"api","dependencies":{"express":"^4.19.2","cors":"^2.8.5"}}"#,
    );
    write(
        root,
        "api/src/app.js",
        "const express = require('express');\nconst cors = require('cors');\nconst app = express();\napp.use(cors());\n// shipready-ignore SEC002: public read-only catalogue\napp.use('/public', cors({ origin: '*' }));\napp.use('/partners', cors({ origin: '*' }));\napp.get('/healthz', (req, res) => res.send('ok'));\nconst server = app.listen(3000);\nprocess.on('SIGTERM', () => server.close());\n",
    );
    // Find the fingerprint of the `/partners` finding without a waiver first.
    let (v, _) = common::scan_json(root, &[]);
    let partners = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["location"]["line"] == 7)
        .expect("finding on line 7")["fingerprint"]
        .as_str()
        .expect("fp")
        .to_string();
    std::fs::write(
        root.join("shipready.toml"),
        format!(
            "[[waivers]]\nrule = \"SEC002\"\npath = \"api/src/app.js\"\nfingerprint = \"{}\"\nreason = \"partners are allow-listed at the gateway\"\nowner = \"platform\"\n",
            &partners[..16]
        ),
    )
    .expect("write");
    let sarif = sarif_of(root, &[]);
    let errors: Vec<String> = validator()
        .iter_errors(&sarif)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    check_github_rules(&sarif);
    let lines: Vec<u64> = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "SEC002")
        .filter_map(|r| r["locations"][0]["physicalLocation"]["region"]["startLine"].as_u64())
        .collect();
    assert_eq!(lines, [4], "line 6 is suppressed inline, line 7 waived");
    // Audit mode brings them back.
    let sarif = sarif_of(root, &["--no-ignores"]);
    let n = sarif["runs"][0]["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter(|r| r["ruleId"] == "SEC002")
        .count();
    assert_eq!(n, 3);
}
