//! The demo repository `examples/shop` is an end-to-end test: each of the first 12 rules
//! fires at the places `examples/shop.risks.md` lists, with the right file and line, and
//! stays silent at the negative cases it lists.

mod common;

use std::collections::BTreeSet;

fn findings() -> BTreeSet<(String, String, u64)> {
    common::demo_findings()
}

const EXPECTED: &[(&str, &str, u64)] = &[
    ("REL001", "api/src/db.ts", 7),
    ("REL001", "worker/app/main.py", 77),
    ("REL001", "inventory/internal/handlers/handlers.go", 80),
    ("REL002", "api/src/routes/products.ts", 14),
    ("REL002", "api/src/routes/products.ts", 26),
    ("REL003", "inventory/cmd/inventory/main.go", 44),
    ("REL005", "api/src/db.ts", 3),
    ("REL005", "worker/app/db.py", 6),
    ("REL005", "inventory/cmd/inventory/main.go", 25),
    ("SEC001", "api/src/routes/products.ts", 17),
    ("SEC001", "api/src/routes/products.ts", 28),
    ("SEC001", "worker/app/main.py", 37),
    ("SEC001", "inventory/internal/store/store.go", 32),
    ("SEC002", "api/src/index.ts", 16),
    ("SEC002", "worker/app/main.py", 16),
    ("SEC004", "api/src/config.ts", 3),
    ("SEC004", "api/src/config.ts", 4),
    ("SEC004", "worker/app/settings.py", 16),
    ("SEC004", "inventory/cmd/inventory/main.go", 31),
    ("SEC005", "api/src/payments.ts", 3),
    ("SEC005", "worker/app/settings.py", 3),
    ("AVL001", "api/src/index.ts", 32),
    ("AVL004", "deploy/k8s/api-deployment.yaml", 19),
    ("OBS001", "api/src/routes/products.ts", 16),
    ("OBS001", "web/src/components/ProductList.tsx", 18),
    ("OBS001", "worker/app/main.py", 76),
    ("OBS001", "inventory/internal/handlers/handlers.go", 54),
    ("CTR001", "api/Dockerfile", 1),
    ("CTR001", "worker/Dockerfile", 1),
];

#[test]
fn every_core_rule_fires_where_planted() {
    let found = findings();
    let missing: Vec<_> = EXPECTED
        .iter()
        .filter(|(c, p, l)| !found.contains(&((*c).to_string(), (*p).to_string(), *l)))
        .collect();
    assert!(missing.is_empty(), "not found: {missing:#?}");
}

#[test]
fn core_rules_stay_silent_on_negative_cases() {
    let found = findings();
    let at = |code: &str, path: &str| -> Vec<u64> {
        found
            .iter()
            .filter(|(c, p, _)| c == code && p == path)
            .map(|(_, _, l)| *l)
            .collect()
    };
    // Exits at startup, in `main`.
    assert!(!at("REL001", "inventory/cmd/inventory/main.go").contains(&27));
    assert!(!at("REL001", "inventory/cmd/inventory/main.go").contains(&45));
    // Wrapped or try/catch handlers.
    assert!(at("REL002", "api/src/routes/orders.ts").is_empty());
    assert!(at("REL002", "api/src/routes/admin.ts").is_empty());
    assert!(at("REL002", "api/src/routes/auth.ts").is_empty());
    assert_eq!(at("REL002", "api/src/routes/products.ts"), [14, 26]);
    // Constant allowlist and bind parameters.
    for line in [42, 56, 73] {
        assert!(
            !at("SEC001", "api/src/routes/products.ts").contains(&line),
            "SEC001 at products.ts:{line}"
        );
    }
    assert!(!at("SEC001", "worker/app/main.py").contains(&51));
    // Non-root distroless image, services with health routes, probes set.
    assert!(at("CTR001", "inventory/Dockerfile").is_empty());
    assert!(!found.iter().any(
        |(c, p, _)| c == "AVL001" && (p.starts_with("worker/") || p.starts_with("inventory/"))
    ));
    assert!(at("AVL004", "deploy/k8s/inventory-deployment.yaml").is_empty());
    // Example files and tests hold no secrets worth reporting.
    assert!(at("SEC005", "api/.env.example").is_empty());
    assert!(at("SEC005", "inventory/internal/handlers/handlers_test.go").is_empty());
    // Settings that are not secrets.
    assert!(!at("SEC004", "api/src/config.ts").contains(&1));
    assert!(at("SEC004", "api/src/redis.ts").is_empty());
    // Prints in tests do not count.
    assert!(at("OBS001", "api/src/routes/products.test.ts").is_empty());
}

#[test]
fn every_core_rule_is_represented() {
    let found = findings();
    for code in [
        "REL001", "REL002", "REL003", "REL005", "SEC001", "SEC002", "SEC004", "SEC005", "AVL001",
        "AVL004", "OBS001", "CTR001",
    ] {
        assert!(
            found.iter().any(|(c, _, _)| c == code),
            "{code} does not fire on the demo"
        );
    }
}
