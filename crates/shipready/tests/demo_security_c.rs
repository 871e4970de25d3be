//! The demo repository `examples/shop` for SEC003 cors-empty-production-allowlist, SEC006
//! request-body-without-size-limit and SEC022 unauthenticated-mutation: each fires at the
//! place `examples/shop.risks.md` lists and stays silent at its negative cases.

mod common;

const CODES: &[&str] = &["SEC003", "SEC006", "SEC022"];

/// The planted cases. Negatives, silent because the set is exact: `express.json()` with the
/// default 100 kB cap (`api/src/index.ts:17`), gin's `c.ShouldBindJSON` (not checked,
/// `inventory/internal/handlers/handlers.go:70`), the authenticated `POST /api/products`
/// (`api/src/routes/products.ts:67`), the open `cors()` (`api/src/index.ts:16`, SEC002's case)
/// and the worker's `allow_origins=["*"]`.
const EXPECTED: &[(&str, &str, u64)] = &[
    ("SEC003", "api/src/cors.ts", 5),
    ("SEC006", "api/src/routes/orders.ts", 72),
    ("SEC022", "api/src/routes/products.ts", 84),
];

#[test]
fn security_c_rules_fire_on_the_demo_and_nowhere_else() {
    common::assert_demo_findings_exactly(CODES, EXPECTED);
}

#[test]
fn sec022_points_at_the_authenticated_route_of_the_same_router() {
    let (v, _) = common::scan_json(&common::demo(), &[]);
    let f = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "SEC022")
        .expect("SEC022 on the demo");
    let related = f["related"].as_array().expect("related");
    assert!(
        related
            .iter()
            .any(|r| r["path"] == "api/src/routes/products.ts" && r["line"] == 67),
        "{related:?}"
    );
}
