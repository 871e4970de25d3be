//! Shared by the fixture and catalog tests.
#![allow(dead_code)]

use std::path::Path;

use shipready_model::Project;
use shipready_rules::{Rule, RuleOutput, RunOptions, run};

/// Builds the model of `dir` and runs one rule on it.
pub fn run_rule(dir: &Path, rule: &dyn Rule) -> (Project, RuleOutput) {
    let project = shipready_facts::testing::project_of(dir);
    let out = run(&project, &[rule], &RunOptions::default());
    (project, out)
}

/// The family folder of a rule code prefix.
pub fn family_of(code: &str) -> Option<&'static str> {
    let prefix: String = code.chars().take_while(char::is_ascii_alphabetic).collect();
    Some(match prefix.as_str() {
        "REL" => "reliability",
        "SEC" => "security",
        "SECR" => "secrets",
        "CFG" => "config",
        "AVL" => "availability",
        "CTR" => "containers",
        "DATA" => "data",
        "OBS" => "observability",
        "CI" => "delivery",
        "TEST" => "testing",
        "MNT" => "maintainability",
        "DOC" => "docs",
        "COST" => "cost",
        "API" => "api_contract",
        "XCF" => "consistency",
        _ => return None,
    })
}
