//! Health depth on the demo (`examples/shop.risks.md`): AVL002 fires at the worker's shallow
//! `/health` and AVL003 at the inventory's deep `/healthz` used as its liveness probe; the
//! inventory's `/healthz` (pings Postgres and Redis) is no AVL002, its split probes
//! (`/healthz`, `/ready`) no same-path AVL003, and the api's Deployment has no probes at all.

mod common;

const RULES: &[&str] = &["AVL002", "AVL003"];

const EXPECTED: &[(&str, &str, u64)] = &[
    ("AVL002", "worker/app/main.py", 27),
    ("AVL003", "inventory/cmd/inventory/main.go", 36),
];

#[test]
fn health_depth_rules_fire_exactly_at_planted_cases() {
    common::assert_demo_findings_exactly(RULES, EXPECTED);
}

#[test]
fn negatives_stay_silent() {
    let found = common::demo_findings();
    for (rule, path, line) in [
        ("AVL002", "inventory/internal/handlers/handlers.go", 28),
        ("AVL002", "inventory/cmd/inventory/main.go", 36),
        ("AVL003", "deploy/k8s/inventory-deployment.yaml", 38),
        ("AVL003", "deploy/k8s/inventory-deployment.yaml", 44),
    ] {
        assert!(
            !found.contains(&(rule.to_string(), path.to_string(), line)),
            "{rule} at {path}:{line} is a planted negative"
        );
    }
}
