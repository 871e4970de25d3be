//! Env var lifecycle and health depth on the demo (`examples/shop.risks.md`): CFG001
//! (no default, no startup check), CFG002 (declared nowhere), CFG003 (declared, never read),
//! AVL002 (health route checks no dependency) and AVL003 (one deep health route as the
//! liveness probe) fire at the planted places and stay silent at the negative ones.

mod common;

const RULES: &[&str] = &["CFG001", "CFG002", "CFG003", "AVL002", "AVL003"];

const EXPECTED: &[(&str, &str, u64)] = &[
    ("CFG001", "api/src/db.ts", 3),
    ("CFG001", "api/src/config.ts", 7),
    ("CFG001", "worker/app/settings.py", 11),
    ("CFG001", "worker/app/settings.py", 13),
    ("CFG001", "inventory/cmd/inventory/main.go", 25),
    ("CFG002", "api/src/config.ts", 4),
    ("CFG002", "worker/app/settings.py", 4),
    ("CFG002", "worker/app/settings.py", 16),
    ("CFG002", "notifications/app.py", 8),
    ("CFG003", "api/.env.example", 3),
    ("AVL002", "worker/app/main.py", 27),
    ("AVL003", "inventory/cmd/inventory/main.go", 36),
];

#[test]
fn env_and_health_rules_fire_exactly_at_planted_cases() {
    // Exact equality covers the negatives: variables with defaults (`PORT`, `JWT_SECRET`,
    // `REDIS_HOST`...), variables set in compose/k8s/`.env.example` (`INVENTORY_URL`,
    // `OPENAI_API_KEY`, `REDIS_ADDR`...), `REDIS_URL` in the root-less worker (read there), the
    // inventory `/healthz` that pings Postgres and Redis (no AVL002), and the inventory probes
    // on different paths (no probe-side AVL003).
    common::assert_demo_findings_exactly(RULES, EXPECTED);
}
