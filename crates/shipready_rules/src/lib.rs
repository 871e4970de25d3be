//! The rule catalog: metadata, docs and logic of every rule, over the project model only.
//!
//! One file per rule under its family folder (`reliability/`, `security/`...), each declared
//! with [`declare_rule!`] and registered in its family's `mod.rs` in code order. Rules read a
//! [`shipready_model::Project`] and report through a [`RuleContext`]; [`run`] turns what they
//! report into resolved, suppressed-or-not, fingerprinted [`shipready_model::Finding`]s.
#![warn(missing_docs)]

pub mod docs;
mod engine;
mod meta;
pub mod vocab;

pub mod api_contract;
pub mod availability;
pub mod config;
pub mod consistency;
pub mod containers;
pub mod cost;
pub mod data;
pub mod delivery;
pub mod maintainability;
pub mod observability;
pub mod reliability;
pub mod secrets;
pub mod security;
pub mod testing;

pub use engine::{
    Date, ExpiredSuppression, RawFinding, RuleContext, RuleOutput, RunOptions, Suppressed,
    SuppressionKind, UnusedSuppression, Waiver, locate, path_matches, run,
};
pub use meta::{Rule, RuleMeta};

/// Every rule, in code order within each family.
pub fn all_rules() -> Vec<&'static dyn Rule> {
    let mut rules: Vec<&'static dyn Rule> = Vec::new();
    rules.extend_from_slice(reliability::RULES);
    rules.extend_from_slice(security::RULES);
    rules.extend_from_slice(availability::RULES);
    rules.extend_from_slice(containers::RULES);
    rules.extend_from_slice(observability::RULES);
    rules.extend_from_slice(cost::RULES);
    rules.extend_from_slice(secrets::RULES);
    rules.extend_from_slice(config::RULES);
    rules.extend_from_slice(delivery::RULES);
    rules.extend_from_slice(testing::RULES);
    rules.extend_from_slice(data::RULES);
    rules.extend_from_slice(maintainability::RULES);
    rules.extend_from_slice(consistency::RULES);
    rules.extend_from_slice(api_contract::RULES);
    rules
}

/// Finds a rule by code (`REL001`, any case) or slug.
pub fn find_rule(code_or_slug: &str) -> Option<&'static dyn Rule> {
    let needle = code_or_slug.trim();
    all_rules()
        .into_iter()
        .find(|r| r.meta().code.eq_ignore_ascii_case(needle) || r.meta().slug == needle)
}
