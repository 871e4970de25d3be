use shipready_model::{Lang, Project, QueueConsumer, QueueProducer};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Jobs enqueued that no worker consumes
    ///
    /// ## What it finds
    /// Messages sent to a named queue with no consumer of that name anywhere in the
    /// repository: BullMQ/Bull `queue.add` and bee-queue `createJob` with no `new Worker(name)`,
    /// `queue.process` or NestJS `@Processor(name)`; Celery `task.delay`/`apply_async`/
    /// `send_task` of a task no `@celery.task`/`@shared_task` defines, or Celery tasks
    /// enqueued while no compose service, Dockerfile, Procfile or script starts a
    /// `celery worker`; Redis `lpush`/`xadd` keys, Kafka topics and NATS subjects that no
    /// `brpop`/`xreadgroup`, `consumer.subscribe` or `subscribe` reads, in a repository that
    /// consumes that broker elsewhere.
    /// ## Why it matters
    /// The producer succeeds: the job is stored, the request answers 200. Nothing ever
    /// processes it. The queue grows in Redis until memory runs out, and the work the user
    /// was promised (an email, an export, a refund) never happens.
    /// ## Failure scenario
    /// Checkout enqueues an order-confirmation email on every order. The worker that used to
    /// consume the queue was removed in a refactor; for three weeks no customer gets a
    /// receipt, and Redis memory climbs until it evicts sessions.
    /// ## Examples
    /// ```js bad
    /// const { Queue } = require('bullmq');
    /// const emails = new Queue('emails', { defaultJobOptions: { attempts: 3 } });
    /// async function sendReceipt(orderId) {
    ///   await emails.add('receipt', { orderId });
    /// }
    /// ```
    /// ```js good
    /// const { Queue, Worker } = require('bullmq');
    /// const emails = new Queue('emails', { defaultJobOptions: { attempts: 3 } });
    /// async function sendReceipt(orderId) {
    ///   await emails.add('receipt', { orderId });
    /// }
    /// new Worker('emails', async (job) => mailer.receipt(job.data.orderId));
    /// ```
    /// ## How to fix
    /// Start a consumer for the queue (a worker process deployed next to the API), or stop
    /// enqueuing. Deploy the worker with its own health check and alert on queue depth.
    /// ```js fix
    /// // worker.js, deployed as its own service
    /// new Worker('emails', async (job) => sendEmail(job.data), { connection });
    /// ```
    /// ```yaml fix
    /// services:
    ///   worker:
    ///     build: ./worker
    ///     command: celery -A app.celery_app worker --loglevel=info
    /// ```
    /// ## Limitations
    /// Queue names must resolve statically (a literal, a constant of the same file, or in
    /// JS/TS a string constant imported from another file of the repository);
    /// a producer with an unresolved name is skipped, and a consumer with an unresolved name
    /// counts as consuming every queue of its library. Consumers in other repositories or in
    /// languages shipready does not read (Java, Kotlin, C#) are not seen: Redis, Kafka and
    /// NATS producers are only reported when the repository consumes that broker somewhere,
    /// and Celery producers only when the repository defines Celery tasks. RQ queues count as
    /// consumed when a `Worker([..])` names them or a command line in a Procfile, script,
    /// supervisord, compose or Kubernetes file or Dockerfile (`rq worker high default`,
    /// `manage.py rqworker emails`, `["rq", "worker", "high"]`) does; a command naming its
    /// queues through a variable (`rq worker $QUEUES`) counts as consuming every RQ queue. Celery queue routing (`-Q`, `task_routes`) is not compared:
    /// a task routed to a queue no worker listens on is not reported. amqplib is not
    /// extracted.
    pub QueueWithoutConsumer {
        code: "REL012",
        slug: "queue-without-consumer",
        category: Reliability,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

/// Protocol family: Bull and BullMQ share Redis key layouts closely enough to be matched.
pub(crate) fn family(system: &str) -> &str {
    match system {
        "bullmq" | "bull" => "bull",
        s => s,
    }
}

/// Whether NATS subject `pattern` (with `*` and `>` wildcards) matches `subject`.
fn nats_matches(pattern: &str, subject: &str) -> bool {
    let mut p = pattern.split('.');
    let mut s = subject.split('.');
    loop {
        match (p.next(), s.next()) {
            (Some(">"), Some(_)) => return true,
            (Some(a), Some(b)) if a == "*" || a == b => {}
            (None, None) => return true,
            _ => return false,
        }
    }
}

/// Whether consumer name `c` consumes producer name `p` of `system`.
pub(crate) fn name_matches(system: &str, p: &str, c: &str) -> bool {
    if p == c {
        return true;
    }
    match system {
        // `send_task('app.tasks.x')` vs the task function `x`; `x.delay()` vs `name="a.x"`.
        "celery" => p.rsplit('.').next() == c.rsplit('.').next(),
        "nats" => nats_matches(c, p),
        _ => false,
    }
}

/// Whether a consumer of the same family consumes `name` (or may: its name is unresolved).
pub(crate) fn consumes(c: &QueueConsumer, system: &str, name: &str) -> bool {
    family(&c.system) == family(system)
        && (c.queues_opaque || c.queues.iter().any(|q| name_matches(system, name, q)))
}

/// Consumers in production code.
pub(crate) fn consumers(project: &Project) -> Vec<&QueueConsumer> {
    project
        .facts
        .queue_consumers
        .iter()
        .filter(|c| project.is_production(c.span))
        .collect()
}

/// Whether something starts a Celery worker: a compose command, a Dockerfile, a Procfile,
/// a script or a Kubernetes manifest with `celery ... worker` on one line, or
/// `worker_main` in code.
fn celery_worker_started(project: &Project) -> bool {
    project.files.iter().any(|f| {
        if matches!(f.lang, Lang::Markdown) {
            return false;
        }
        let Some(text) = f.text.as_deref() else {
            return false;
        };
        text.lines().any(|l| {
            let l = l.to_ascii_lowercase();
            (l.contains("celery") && l.contains("worker")) || l.contains("worker_main(")
        })
    })
}

/// Whether the repository has deploy configuration (compose, Dockerfile, Kubernetes).
fn has_deploy_config(project: &Project) -> bool {
    !project.facts.compose_services.is_empty()
        || !project.facts.dockerfiles.is_empty()
        || !project.facts.k8s_workloads.is_empty()
}

/// Whether a `.delay` receiver comes from a package outside the repository.
fn from_external_package(project: &Project, p: &QueueProducer) -> bool {
    if p.api.ends_with(".send_task") {
        return false;
    }
    let head = p.api.split('.').next().unwrap_or("");
    project
        .facts
        .imports
        .iter()
        .any(|i| i.span.file == p.span.file && i.local == head && i.resolved.is_none())
}

impl Rule for QueueWithoutConsumer {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let consumers = consumers(project);
        let mut reported: Vec<(String, String)> = Vec::new();
        let mut celery_matched: Option<&QueueProducer> = None;
        for p in &project.facts.queue_producers {
            if !project.is_production(p.span) {
                continue;
            }
            let Some(name) = p.queue.as_deref() else {
                continue;
            };
            let fam = family(&p.system);
            let same: Vec<&&QueueConsumer> = consumers
                .iter()
                .filter(|c| family(&c.system) == fam)
                .collect();
            let needs_presence = !matches!(fam, "bull" | "bee-queue");
            if needs_presence && same.is_empty() {
                continue;
            }
            if fam == "celery" && from_external_package(project, p) {
                continue;
            }
            if same.iter().any(|c| consumes(c, &p.system, name)) {
                if fam == "celery" && celery_matched.is_none() {
                    celery_matched = Some(p);
                }
                continue;
            }
            let key = (fam.to_string(), name.to_string());
            if reported.contains(&key) {
                continue;
            }
            reported.push(key);
            let what = match fam {
                "celery" => format!(
                    "task `{name}` is enqueued with Celery but no task of that name is defined"
                ),
                "kafka" => format!(
                    "messages are sent to Kafka topic `{name}` but nothing subscribes to it"
                ),
                "nats" => format!(
                    "messages are published to NATS subject `{name}` but nothing subscribes to it"
                ),
                "redis-list" | "redis-stream" => {
                    format!(
                        "`{}` writes to Redis key `{name}` but nothing in the repository reads it",
                        p.api
                    )
                }
                _ => format!("jobs are added to queue `{name}` but no worker consumes it"),
            };
            let f = cx.finding(Self::META, p.span, what);
            if let Some(d) = p.declared_at {
                f.related(d, format!("queue `{name}` declared here"));
            }
            for other in project
                .facts
                .queue_producers
                .iter()
                .filter(|o| {
                    o.span != p.span
                        && family(&o.system) == fam
                        && o.queue.as_deref() == Some(name)
                        && project.is_production(o.span)
                })
                .take(3)
            {
                f.related(other.span, "also enqueued here");
            }
        }
        // Celery tasks that exist, enqueued with no worker process anywhere.
        if let Some(p) = celery_matched
            && has_deploy_config(project)
            && !celery_worker_started(project)
        {
            let f = cx.finding(
                Self::META,
                p.span,
                format!(
                    "task `{}` is enqueued but nothing starts a `celery worker` (compose, Dockerfile, scripts)",
                    p.queue.as_deref().unwrap_or("?")
                ),
            );
            if let Some(c) = consumers.iter().find(|c| {
                c.system == "celery"
                    && p.queue
                        .as_deref()
                        .is_some_and(|n| c.queues.iter().any(|q| name_matches("celery", n, q)))
            }) {
                f.related(c.span, "task defined here");
            }
        }
    }
}
