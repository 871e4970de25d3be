//! Duplicate API versions (MNT002) on the demo (`examples/shop.risks.md`, section 5): the
//! notifications service serves `POST /notify` and `POST /v2/notify` through two handlers,
//! reported once at the newer route with the older twin as a related location; the api's
//! `/api/v2/checkout`, which has no unversioned twin, stays silent.

mod common;

#[test]
fn duplicate_api_versions_fire_exactly_at_the_planted_case() {
    common::assert_demo_findings_exactly(&["MNT002"], &[("MNT002", "notifications/app.py", 64)]);
}

#[test]
fn duplicate_api_versions_show_both_sides() {
    let (v, _) = common::scan_json(&common::demo(), &[]);
    let findings = v["findings"].as_array().expect("findings");
    let f = findings
        .iter()
        .find(|f| f["rule"] == "MNT002")
        .expect("an MNT002 finding");
    assert!(
        f["message"]
            .as_str()
            .is_some_and(|m| m.contains("`POST /v2/notify`") && m.contains("`POST /notify`")),
        "{f}"
    );
    let related = f["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "notifications/app.py" && r["line"] == 16),
        "{f}"
    );
}
