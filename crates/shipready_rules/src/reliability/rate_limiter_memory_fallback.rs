use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Rate limiter falls back to per-instance memory when Redis fails
    ///
    /// ## What it finds
    /// Rate limiters backed by a shared store that switch to an in-memory store when that
    /// store is unavailable: rate-limiter-flexible `insuranceLimiter: new
    /// RateLimiterMemory(...)`, express-rate-limit `store: redis ? new RedisStore(...) :
    /// undefined` (or `|| new MemoryStore()`), slowapi / flask-limiter
    /// `in_memory_fallback_enabled=True` or `in_memory_fallback=[...]`.
    /// ## Why it matters
    /// In memory, each instance counts on its own. With ten replicas the effective limit
    /// becomes ten times the configured one, and it changes as the autoscaler adds pods;
    /// the limit protecting login or a paid API silently stops meaning what it says at
    /// exactly the moment the infrastructure is already degraded.
    /// ## Failure scenario
    /// Redis fails over for three minutes. The login limiter of 5 attempts per minute per IP
    /// falls back to memory on each of 12 pods; a credential-stuffing run that was waiting
    /// for this gets 60 attempts per minute per IP, spread by the load balancer.
    /// ## Examples
    /// ```js bad
    /// const { RateLimiterRedis, RateLimiterMemory } = require('rate-limiter-flexible');
    /// const Redis = require('ioredis');
    /// const redis = new Redis({ enableOfflineQueue: false });
    /// const limiter = new RateLimiterRedis({
    ///   storeClient: redis,
    ///   points: 5,
    ///   duration: 60,
    ///   insuranceLimiter: new RateLimiterMemory({ points: 5, duration: 60 }),
    /// });
    /// ```
    /// ```js good
    /// const { RateLimiterRedis } = require('rate-limiter-flexible');
    /// const Redis = require('ioredis');
    /// const redis = new Redis({ enableOfflineQueue: false });
    /// const limiter = new RateLimiterRedis({ storeClient: redis, points: 5, duration: 60 });
    /// ```
    /// ## How to fix
    /// Decide explicitly what the limiter does when its store is down: fail closed for
    /// sensitive routes (login, password reset, paid APIs), or fall back to a memory limit
    /// divided by the replica count. Keep the shared store highly available (REL010).
    /// ```py fix
    /// # no in_memory_fallback: requests fail loudly while Redis is away
    /// limiter = Limiter(key_func=get_remote_address, storage_uri=REDIS_URL)
    /// ```
    /// ## Limitations
    /// Only the fallbacks written at the limiter's construction are recognised; a fallback
    /// built in a `catch` around the Redis connection, or a store chosen in another module,
    /// is not seen. Go limiters are not checked.
    pub RateLimiterMemoryFallback {
        code: "REL011",
        slug: "rate-limiter-memory-fallback",
        category: Reliability,
        severity: High,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

impl Rule for RateLimiterMemoryFallback {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for limiter in &project.facts.rate_limiters {
            let Some(fallback) = limiter.memory_fallback else {
                continue;
            };
            if !project.is_production(limiter.span) {
                continue;
            }
            cx.finding(
                Self::META,
                limiter.span,
                format!(
                    "`{}` falls back to a per-instance memory store when its shared store is unavailable",
                    limiter.api
                ),
            )
            .related(fallback, "in-memory fallback");
        }
    }
}
