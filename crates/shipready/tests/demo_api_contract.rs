//! API contract rules on the demo repository `examples/shop` (answer key:
//! `examples/shop.risks.md`): the web client's axios instance (`web/src/api/client.ts`,
//! `baseURL: '/api'`) is resolved across imports, the planted missing endpoint is reported
//! with its closest route, and the served calls stay silent.

mod common;

use std::collections::BTreeSet;

fn findings() -> BTreeSet<(String, String, u64)> {
    common::demo_findings()
}

#[test]
fn api_contract_on_the_demo() {
    let got = findings();
    let has = |rule: &str, path: &str, line: u64| {
        got.contains(&(rule.to_string(), path.to_string(), line))
    };
    // True cases.
    assert!(
        has("API001", "web/src/components/Checkout.tsx", 18),
        "{got:?}"
    );
    assert!(has("API004", "api/src/routes/admin.ts", 7), "{got:?}");
    // A PUT on a path served only with other methods; a query parameter no handler reads.
    assert!(
        has("API002", "web/src/components/OrderHistory.tsx", 10),
        "{got:?}"
    );
    assert!(
        has("API003", "web/src/components/OrderHistory.tsx", 5),
        "{got:?}"
    );
    // Negative cases: served calls, a handler that reads every parameter sent.
    for (path, line) in [
        ("web/src/components/ProductList.tsx", 15),
        ("web/src/components/ProductList.tsx", 16),
        ("web/src/components/OrderDetail.tsx", 10),
        ("web/src/components/LoginForm.tsx", 12),
    ] {
        for rule in ["API001", "API002", "API003"] {
            assert!(!has(rule, path, line), "{rule} at {path}:{line}");
        }
    }
    let api: Vec<_> = got
        .iter()
        .filter(|(r, _, _)| r.starts_with("API"))
        .collect();
    assert_eq!(api.len(), 4, "{api:?}");
}
