use shipready_model::{ClientKind, DataClient, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Queues depend on a single Redis node with no retry strategy or failover
    ///
    /// ## What it finds
    /// A Redis client (ioredis, node-redis, redis-py, go-redis) created against one node,
    /// with no sentinel or cluster configuration and no explicit retry/reconnect strategy
    /// (`retryStrategy`, `reconnectOnError`, `socket.reconnectStrategy`, redis-py `retry=`,
    /// go-redis `MaxRetries`), in a component whose job queues (BullMQ, Bull, bee-queue)
    /// run on Redis too.
    /// ## Why it matters
    /// The queue, the scheduled jobs and whatever else shares the connection stop together
    /// when that one node restarts or fails over. With no strategy chosen on purpose, the
    /// client's defaults decide whether commands wait, fail fast or pile up in memory, and
    /// producers usually find out through timeouts in request handlers.
    /// ## Failure scenario
    /// The Redis pod is rescheduled during a node upgrade. For a minute every `queue.add`
    /// hangs in the offline queue, checkout requests time out, and the confirmation emails
    /// of the orders that did succeed are lost because the producer gave up.
    /// ## Examples
    /// ```js bad
    /// const Redis = require('ioredis');
    /// const { Queue } = require('bullmq');
    /// const redis = new Redis({ host: process.env.REDIS_HOST, port: 6379 });
    /// const emails = new Queue('emails', { connection: redis });
    /// ```
    /// ```js good
    /// const Redis = require('ioredis');
    /// const { Queue } = require('bullmq');
    /// const redis = new Redis({
    ///   sentinels: [{ host: 'sentinel-0', port: 26379 }, { host: 'sentinel-1', port: 26379 }],
    ///   name: 'mymaster',
    ///   retryStrategy: (times) => Math.min(times * 200, 5000),
    /// });
    /// const emails = new Queue('emails', { connection: redis });
    /// ```
    /// ## How to fix
    /// Run Redis with failover (Sentinel, Cluster or a managed replicated service) and point
    /// the client at it, choose the retry and reconnect behaviour explicitly, and decide what
    /// producers do while Redis is away (fail fast with a clear error, or buffer durably).
    /// ```py fix
    /// from redis.sentinel import Sentinel
    /// sentinel = Sentinel([("sentinel-0", 26379)], socket_timeout=0.5)
    /// redis = sentinel.master_for("mymaster", retry=Retry(ExponentialBackoff(), 5))
    /// ```
    /// ```go fix
    /// rdb := redis.NewFailoverClient(&redis.FailoverOptions{
    ///     MasterName:    "mymaster",
    ///     SentinelAddrs: []string{"sentinel-0:26379", "sentinel-1:26379"},
    ///     MaxRetries:    5,
    /// })
    /// ```
    /// ## Limitations
    /// A managed Redis endpoint (ElastiCache, Memorystore, Upstash) that fails over behind
    /// one host name looks like a single node here; suppress the finding with a reason
    /// when that is the case. Clients whose options come from a variable or spread are not
    /// reported, and the rule only looks for queues in the same component; sessions and
    /// rate limiters stored in Redis, Celery brokers and Go queue libraries (asynq) are not yet
    /// counted as dependants.
    pub RedisSinglePointOfFailure {
        code: "REL010",
        slug: "redis-single-point-of-failure",
        category: Reliability,
        severity: High,
        likelihood: Possible,
        effort_hours: 4.0,
    }
}

/// Option names that choose a retry/reconnect strategy or a failover topology.
const RESILIENT_OPTIONS: &[&str] = &[
    // ioredis / node-redis
    "retryStrategy",
    "reconnectOnError",
    "sentinels",
    "socket.reconnectStrategy",
    "clusterRetryStrategy",
    "rootNodes",
    // redis-py
    "retry",
    "retry_on_error",
    "sentinels",
    "startup_nodes",
    // go-redis
    "MaxRetries",
    "MasterName",
    "SentinelAddrs",
    "Addrs",
];

/// Constructors that build a failover-aware client.
fn is_ha_constructor(constructor: &str) -> bool {
    ["Cluster", "Sentinel", "Failover", "Universal", "master_for"]
        .iter()
        .any(|k| constructor.contains(k))
}

fn is_single_node(c: &DataClient) -> bool {
    c.kind == ClientKind::Redis
        && !c.options_opaque
        && !is_ha_constructor(&c.constructor)
        && !c.options.iter().any(|o| RESILIENT_OPTIONS.contains(&o.as_str()))
        // A bare ConnectionPool / ParseURL result is the input of another client.
        && !matches!(c.constructor.as_str(), "ConnectionPool" | "redis.ConnectionPool")
        && !c.constructor.ends_with("ParseURL")
}

/// A queue client that runs on Redis (BullMQ, Bull, bee-queue).
fn is_redis_queue(q: &DataClient) -> bool {
    q.kind == ClientKind::Queue
        && ([
            "Queue",
            "Worker",
            "QueueEvents",
            "QueueScheduler",
            "FlowProducer",
        ]
        .iter()
        .any(|k| q.constructor.ends_with(k))
            || q.constructor.contains("Bull"))
}

impl Rule for RedisSinglePointOfFailure {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let clients = &project.facts.data_clients;
        for c in clients {
            if !project.is_production(c.span) || !is_single_node(c) {
                continue;
            }
            let component = project.file(c.span.file).component;
            let queues: Vec<&DataClient> = clients
                .iter()
                .filter(|q| {
                    is_redis_queue(q)
                        && project.file(q.span.file).component == component
                        && project.is_production(q.span)
                })
                .collect();
            let Some(first) = queues.first() else {
                continue;
            };
            let name = c.var.as_deref().unwrap_or(c.constructor.as_str());
            let queue = first.var.as_deref().unwrap_or(first.constructor.as_str());
            let f = cx.finding(
                Self::META,
                c.span,
                format!(
                    "single Redis node `{name}` has no retry strategy or failover; queue \
                     `{queue}` depends on it"
                ),
            );
            for q in queues.iter().take(3) {
                f.related(q.span, format!("`{}` created here", q.constructor));
            }
        }
    }
}
