//! Queue and tracing rules on the demo repository `examples/shop`: REL012, XCF006, XCF007
//! and OBS005 fire at the places `examples/shop.risks.md` lists and stay silent at its
//! negative cases.

mod common;

use std::collections::BTreeSet;

fn findings() -> BTreeSet<(String, String, u64)> {
    common::demo_findings()
}

const EXPECTED: &[(&str, &str, u64)] = &[
    ("REL012", "api/src/queue.ts", 7),
    ("XCF006", "worker/app/notifications.py", 17),
    ("XCF007", "worker/app/notifications.py", 21),
    ("OBS005", "api/src/index.ts", 32),
    ("OBS005", "inventory/cmd/inventory/main.go", 44),
    ("OBS005", "worker/app/main.py", 14),
];

const NOT_EXPECTED: &[(&str, &str, u64)] = &[
    // `refresh_recommendations.delay()` is consumed by the Celery task in tasks.py, and
    // compose `worker-jobs` runs `celery ... worker`.
    ("REL012", "worker/app/main.py", 78),
    // The task named `send_push` is defined in the same file.
    ("REL012", "worker/app/notifications.py", 17),
    // `notifications` calls no other service.
    ("OBS005", "notifications/app.py", 1),
];

#[test]
fn queue_and_tracing_rules_fire_on_the_demo() {
    let found = findings();
    common::assert_listed(&found, EXPECTED, NOT_EXPECTED);
    // Exactly the listed findings of these rules.
    let ours = found
        .iter()
        .filter(|(r, _, _)| matches!(r.as_str(), "REL012" | "XCF006" | "XCF007" | "OBS005"))
        .count();
    assert_eq!(ours, EXPECTED.len(), "{found:?}");
}
