//! The demo repository `examples/shop` for the security rules of part B (SEC008, SEC012,
//! SEC015, SEC016, SEC017, SEC019): each fires at the places `examples/shop.risks.md` lists
//! and stays silent at its negative cases.

mod common;

use std::collections::BTreeSet;

fn findings() -> BTreeSet<(String, String, u64)> {
    common::demo_findings()
}

const EXPECTED: &[(&str, &str, u64)] = &[
    ("SEC008", "api/src/routes/auth.ts", 27),
    ("SEC012", "api/src/realtime.ts", 19),
    ("SEC015", "api/src/routes/admin.ts", 22),
    ("SEC015", "notifications/app.py", 18),
    ("SEC016", "api/src/session.ts", 5),
    ("SEC017", "api/src/index.ts", 14),
    ("SEC017", "worker/app/main.py", 14),
    ("SEC019", "notifications/app.py", 53),
];

const CODES: &[&str] = &["SEC008", "SEC012", "SEC015", "SEC016", "SEC017", "SEC019"];

#[test]
fn security_b_rules_fire_on_the_demo() {
    let found = findings();
    for (code, path, line) in EXPECTED {
        assert!(
            found.contains(&((*code).to_string(), (*path).to_string(), *line)),
            "{code} expected at {path}:{line}; found: {:?}",
            found.iter().filter(|f| f.0 == *code).collect::<Vec<_>>()
        );
    }
    // Nothing else from these rules: SEC019 stays silent on the api (auth.ts:11 checks length >= 8), the
    // Go inventory service validates with `binding:` tags, and one SEC015 finding per service
    // lists the other handlers as related locations.
    let extra: Vec<_> = found
        .iter()
        .filter(|f| CODES.contains(&f.0.as_str()))
        .filter(|f| !EXPECTED.contains(&(f.0.as_str(), f.1.as_str(), f.2)))
        .collect();
    assert!(extra.is_empty(), "unexpected findings: {extra:?}");
}

#[test]
fn sec015_lists_every_unvalidated_handler_of_the_api() {
    let (v, _) = common::scan_json(&common::demo(), &[]);
    let f = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "SEC015" && f["location"]["path"] == "api/src/routes/admin.ts")
        .expect("SEC015 on the api");
    let related: BTreeSet<(String, u64)> = f["related"]
        .as_array()
        .expect("related")
        .iter()
        .map(|r| {
            (
                r["path"].as_str().unwrap_or("").to_string(),
                r["line"].as_u64().unwrap_or(0),
            )
        })
        .collect();
    for (path, line) in [
        ("api/src/routes/auth.ts", 10),
        ("api/src/routes/auth.ts", 28),
        ("api/src/routes/checkout.ts", 19),
        ("api/src/routes/products.ts", 72),
    ] {
        assert!(
            related.contains(&(path.to_string(), line)),
            "{path}:{line} not related"
        );
    }
}
