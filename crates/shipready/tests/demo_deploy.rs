//! Code vs deploy config on the demo (`examples/shop.risks.md`): probe and health-check paths
//! (AVL005, XCF002), ports (XCF003), env names (XCF004) and k8s env references (XCF005) fire
//! at the planted places and stay silent at the negative ones.

mod common;

const RULES: &[&str] = &["AVL005", "XCF002", "XCF003", "XCF004", "XCF005"];

const EXPECTED: &[(&str, &str, u64)] = &[
    ("AVL005", "deploy/k8s/inventory-deployment.yaml", 46),
    ("XCF002", "worker/Dockerfile", 12),
    ("XCF003", "deploy/k8s/inventory-deployment.yaml", 22),
    ("XCF004", "docker-compose.yml", 26),
    ("XCF004", "deploy/k8s/api-deployment.yaml", 31),
    ("XCF004", "docker-compose.yml", 39),
    ("XCF004", "docker-compose.yml", 52),
    ("XCF005", "deploy/k8s/migrate-job.yaml", 16),
];

#[test]
fn deploy_rules_fire_exactly_at_planted_cases() {
    // Exact equality covers the negatives: the inventory liveness probe and Dockerfile
    // HEALTHCHECK on `/healthz` (served), the agreeing ports (inventory EXPOSE 8081, compose
    // 8081:8081 and 3000:3000, api containerPort 3000 = `PORT` default), and the variables
    // the code does read.
    common::assert_demo_findings_exactly(RULES, EXPECTED);
}
