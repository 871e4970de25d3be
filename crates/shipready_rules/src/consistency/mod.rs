//! Cross-file consistency rules (XCF): facts in one place that contradict facts in another.

mod middleware_prefix_matches_no_route;

pub use middleware_prefix_matches_no_route::MiddlewarePrefixMatchesNoRoute;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&MiddlewarePrefixMatchesNoRoute];
