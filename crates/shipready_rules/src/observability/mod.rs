//! Observability rules (OBS).

mod console_logging;
mod debug_output_ungated;
mod no_audit_log;
mod no_error_tracking;
mod no_metrics;
mod no_request_id;
mod no_structured_logger;
mod no_tracing;
pub(crate) mod presence;

pub use console_logging::ConsoleLogging;
pub use debug_output_ungated::DebugOutputUngated;
pub use no_audit_log::NoAuditLog;
pub use no_error_tracking::NoErrorTracking;
pub use no_metrics::NoMetrics;
pub use no_request_id::NoRequestId;
pub use no_structured_logger::NoStructuredLogger;
pub use no_tracing::NoTracing;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &ConsoleLogging,
    &NoStructuredLogger,
    &NoErrorTracking,
    &NoMetrics,
    &NoTracing,
    &NoRequestId,
    &NoAuditLog,
    &DebugOutputUngated,
];
