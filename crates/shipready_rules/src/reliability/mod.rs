//! Reliability rules (REL).

mod async_handler_without_error_handling;
mod db_pool_without_limits;
mod dependency_error_exits_process;
mod no_graceful_shutdown;

pub use async_handler_without_error_handling::AsyncHandlerWithoutErrorHandling;
pub use db_pool_without_limits::DbPoolWithoutLimits;
pub use dependency_error_exits_process::DependencyErrorExitsProcess;
pub use no_graceful_shutdown::NoGracefulShutdown;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &DependencyErrorExitsProcess,
    &AsyncHandlerWithoutErrorHandling,
    &NoGracefulShutdown,
    &DbPoolWithoutLimits,
];
