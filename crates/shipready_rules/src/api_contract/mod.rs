//! API contract rules (API): client calls in the repository checked against the routes it serves.

mod contract;
mod endpoint_missing;
mod method_mismatch;

pub use endpoint_missing::EndpointMissing;
pub use method_mismatch::MethodMismatch;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&EndpointMissing, &MethodMismatch];
