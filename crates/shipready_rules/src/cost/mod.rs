//! Cost rules (COST).

mod llm_call_without_limits;
mod paid_api_without_budget_guard;

pub use llm_call_without_limits::LlmCallWithoutLimits;
pub use paid_api_without_budget_guard::PaidApiWithoutBudgetGuard;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[&PaidApiWithoutBudgetGuard, &LlmCallWithoutLimits];
