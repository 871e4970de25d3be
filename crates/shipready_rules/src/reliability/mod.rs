//! Reliability rules (REL).

mod async_handler_without_error_handling;
mod db_pool_without_limits;
mod dependency_error_exits_process;
mod job_without_retry_or_dead_letter;
mod no_circuit_breaker;
mod no_graceful_shutdown;
mod outbound_call_without_timeout;
pub(crate) mod queue_without_consumer;
mod rate_limiter_memory_fallback;
mod redis_single_point_of_failure;
mod server_without_timeouts;
mod shutdown_leaks_resources;
mod transaction_without_rollback;
mod unbounded_query_limit;
mod unhandled_rejection_exits;
mod websocket_client_without_reconnect;
mod websocket_without_heartbeat;

pub use async_handler_without_error_handling::AsyncHandlerWithoutErrorHandling;
pub use db_pool_without_limits::DbPoolWithoutLimits;
pub use dependency_error_exits_process::DependencyErrorExitsProcess;
pub use job_without_retry_or_dead_letter::JobWithoutRetryOrDeadLetter;
pub use no_circuit_breaker::NoCircuitBreaker;
pub use no_graceful_shutdown::NoGracefulShutdown;
pub use outbound_call_without_timeout::OutboundCallWithoutTimeout;
pub use queue_without_consumer::QueueWithoutConsumer;
pub use rate_limiter_memory_fallback::RateLimiterMemoryFallback;
pub use redis_single_point_of_failure::RedisSinglePointOfFailure;
pub use server_without_timeouts::ServerWithoutTimeouts;
pub use shutdown_leaks_resources::ShutdownLeaksResources;
pub use transaction_without_rollback::TransactionWithoutRollback;
pub use unbounded_query_limit::UnboundedQueryLimit;
pub use unhandled_rejection_exits::UnhandledRejectionExits;
pub use websocket_client_without_reconnect::WebsocketClientWithoutReconnect;
pub use websocket_without_heartbeat::WebsocketWithoutHeartbeat;

use crate::Rule;

/// The family's rules, in code order.
pub const RULES: &[&dyn Rule] = &[
    &DependencyErrorExitsProcess,
    &AsyncHandlerWithoutErrorHandling,
    &NoGracefulShutdown,
    &ShutdownLeaksResources,
    &DbPoolWithoutLimits,
    &TransactionWithoutRollback,
    &ServerWithoutTimeouts,
    &OutboundCallWithoutTimeout,
    &NoCircuitBreaker,
    &RedisSinglePointOfFailure,
    &RateLimiterMemoryFallback,
    &QueueWithoutConsumer,
    &JobWithoutRetryOrDeadLetter,
    &WebsocketWithoutHeartbeat,
    &WebsocketClientWithoutReconnect,
    &UnboundedQueryLimit,
    &UnhandledRejectionExits,
];
