//! API contract rules (API): client calls in the repository checked against the routes it serves.

mod contract;
mod endpoint_missing;
mod endpoint_unused;
mod method_mismatch;
mod query_parameter_ignored;

pub use endpoint_missing::EndpointMissing;
pub use endpoint_unused::EndpointUnused;
pub use method_mismatch::MethodMismatch;
pub use query_parameter_ignored::QueryParameterIgnored;

use std::collections::BTreeMap;

use shipready_model::{ComponentId, Project};

use crate::Rule;

/// Per component: production HTTP client calls, and how many of them have a URL that cannot
/// be resolved statically (built at run time, or through a base URL in a variable), so the
/// API contract rules could not check them. The call a wrapper makes with its parameter
/// (`fetch(BASE + path)` in `getJSON(path)`) is not counted: its call sites are.
pub fn client_call_counts(project: &Project) -> BTreeMap<ComponentId, (u32, u32)> {
    let mut out: BTreeMap<ComponentId, (u32, u32)> = BTreeMap::new();
    let inner: std::collections::BTreeSet<_> = project
        .facts
        .http_wrappers
        .iter()
        .map(|w| w.inner)
        .collect();
    for c in &project.facts.outbound_calls {
        if !project.is_production(c.span) || inner.contains(&c.span) {
            continue;
        }
        let e = out.entry(project.file(c.span.file).component).or_default();
        e.0 += 1;
        if !contract::is_resolved(c) {
            e.1 += 1;
        }
    }
    out
}

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &EndpointMissing,
    &MethodMismatch,
    &QueryParameterIgnored,
    &EndpointUnused,
];
