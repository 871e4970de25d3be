//! Demo assertions for the input-flow security rules (SEC013 path-traversal, SEC014
//! command-or-code-injection, SEC024 server-side-request-forgery): each fires on its planted
//! case in `examples/shop` (see `examples/shop.risks.md`, section 5) and stays silent on the
//! fixed twin next to it.

mod common;

use std::collections::BTreeSet;

fn findings() -> BTreeSet<(String, String, u64)> {
    common::demo_findings()
}

const CODES: &[&str] = &["SEC013", "SEC014", "SEC024"];

const EXPECTED: &[(&str, &str, u64)] = &[
    ("SEC013", "api/src/routes/orders.ts", 60),
    ("SEC014", "notifications/app.py", 32),
    ("SEC024", "worker/app/main.py", 93),
];

#[test]
fn input_flow_rules_fire_on_planted_cases_only() {
    let all = findings();
    for (code, path, line) in EXPECTED {
        assert!(
            all.contains(&((*code).to_string(), (*path).to_string(), *line)),
            "missing {code} at {path}:{line}"
        );
    }
    let ours: Vec<&(String, String, u64)> = all
        .iter()
        .filter(|(c, _, _)| CODES.contains(&c.as_str()))
        .collect();
    assert_eq!(
        ours.len(),
        EXPECTED.len(),
        "unexpected input-flow findings: {ours:?}"
    );
}

#[test]
fn fixed_twins_stay_silent() {
    let all = findings();
    for (path, line) in [
        ("api/src/routes/orders.ts", 64),
        ("notifications/app.py", 41),
        ("worker/app/main.py", 103),
    ] {
        assert!(
            !all.iter()
                .any(|(c, p, l)| CODES.contains(&c.as_str()) && p == path && *l == line),
            "input-flow finding on the fixed twin {path}:{line}"
        );
    }
}
