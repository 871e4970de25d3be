use shipready_model::Project;

use crate::reliability::queue_without_consumer::{consumers, family, name_matches};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Queue consumer reads fields the producer never sends
    ///
    /// ## What it finds
    /// A BullMQ/Bull/bee-queue worker that reads payload fields (`job.data.message`,
    /// `const { message } = job.data`) that no producer of that queue puts in the job data,
    /// when every producer's payload is a visible object literal; and Celery calls
    /// (`task.delay(x=...)`, `apply_async(kwargs={...})`) passing keyword arguments the task
    /// function does not accept.
    /// ## Why it matters
    /// Producer and consumer live in different files, often different services, and nothing
    /// type-checks the payload between them. The worker reads `undefined`, sends an empty
    /// email or writes `null` to the database, or (Celery) raises `TypeError` on every job,
    /// which lands in the failed set without anyone noticing.
    /// ## Failure scenario
    /// The API is refactored to enqueue `{ input: { message } }`; the worker still reads
    /// `job.data.message`. Every notification goes out blank for a week.
    /// ## Examples
    /// ```tree bad
    /// ==> package.json <==
    /// {"name": "example", "dependencies": {"bullmq": "^5.0.0"}}
    /// ==> src/producer.js <==
    /// const { Queue } = require('bullmq');
    /// const notify = new Queue('notify', { defaultJobOptions: { attempts: 3 } });
    /// exports.send = (message) => notify.add('n', { input: { message } });
    /// ==> src/worker.js <==
    /// const { Worker } = require('bullmq');
    /// new Worker('notify', async (job) => push(job.data.message));
    /// ```
    /// ```tree good
    /// ==> package.json <==
    /// {"name": "example", "dependencies": {"bullmq": "^5.0.0"}}
    /// ==> src/producer.js <==
    /// const { Queue } = require('bullmq');
    /// const notify = new Queue('notify', { defaultJobOptions: { attempts: 3 } });
    /// exports.send = (message) => notify.add('n', { message });
    /// ==> src/worker.js <==
    /// const { Worker } = require('bullmq');
    /// new Worker('notify', async (job) => push(job.data.message));
    /// ```
    /// ## How to fix
    /// Define the payload type once and use it on both sides (a shared TypeScript type or a
    /// zod schema parsed in the worker; a pydantic model for Celery), then make the producer
    /// and consumer agree.
    /// ```ts fix
    /// // shared/jobs.ts
    /// export const NotifyJob = z.object({ message: z.string() });
    /// // worker
    /// new Worker('notify', async (job) => push(NotifyJob.parse(job.data).message));
    /// ```
    /// ## Limitations
    /// Only top-level fields are compared. Producers whose payload is a variable or has a
    /// spread, and workers that pass `job.data` on as a whole or whose processor is in
    /// another file, are given the benefit of the doubt. Celery positional arguments are not
    /// compared. Kafka, NATS and Redis payloads are serialized strings and are not compared.
    pub QueuePayloadShapeMismatch {
        code: "XCF006",
        slug: "queue-payload-shape-mismatch",
        category: Reliability,
        severity: High,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

impl Rule for QueuePayloadShapeMismatch {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let consumers = consumers(project);
        let producers: Vec<_> = project
            .facts
            .queue_producers
            .iter()
            .filter(|p| project.is_production(p.span))
            .collect();
        // Job queues: fields read that no producer sends.
        for c in &consumers {
            if c.system == "celery"
                || c.fields_opaque
                || c.fields.is_empty()
                || c.queues_opaque
                || c.queues.len() != 1
            {
                continue;
            }
            let name = &c.queues[0];
            let fam = family(&c.system);
            // Producers of that family whose name is unknown could be writing to it.
            if producers.iter().any(|p| {
                family(&p.system) == fam
                    && p.queue.is_none()
                    && p.queue_prefix
                        .as_deref()
                        .is_none_or(|x| name.starts_with(x))
            }) {
                continue;
            }
            let mine: Vec<_> = producers
                .iter()
                .filter(|p| family(&p.system) == fam && p.queue.as_deref() == Some(name))
                .collect();
            if mine.is_empty() || mine.iter().any(|p| p.payload_opaque) {
                continue;
            }
            let sent: Vec<&str> = mine
                .iter()
                .flat_map(|p| p.payload_keys.iter().map(String::as_str))
                .collect();
            let missing: Vec<_> = c
                .fields
                .iter()
                .filter(|f| !sent.contains(&f.name.as_str()))
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            let mut names: Vec<&str> = missing.iter().map(|f| f.name.as_str()).collect();
            names.dedup();
            let listed = names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let f = cx.finding(
                Self::META,
                first.span,
                format!("worker of queue `{name}` reads {listed}, which no producer sends"),
            );
            for p in mine.iter().take(3) {
                let keys = if p.payload_keys.is_empty() {
                    "no fields".to_string()
                } else {
                    p.payload_keys
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                f.related(p.span, format!("job sent with {keys}"));
            }
        }
        // Celery: keyword arguments the task does not accept.
        for p in &producers {
            if p.system != "celery" || p.payload_keys.is_empty() {
                continue;
            }
            let Some(name) = p.queue.as_deref() else {
                continue;
            };
            let tasks: Vec<_> = consumers
                .iter()
                .filter(|c| {
                    c.system == "celery" && c.queues.iter().any(|q| name_matches("celery", name, q))
                })
                .collect();
            let [task] = tasks.as_slice() else { continue };
            if task.fields_opaque {
                continue;
            }
            let unknown: Vec<&str> = p
                .payload_keys
                .iter()
                .filter(|k| !task.fields.iter().any(|f| &f.name == *k))
                .map(String::as_str)
                .collect();
            if unknown.is_empty() {
                continue;
            }
            let listed = unknown
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ");
            cx.finding(
                Self::META,
                p.span,
                format!(
                    "`{}` passes {listed}, which task `{name}` does not accept",
                    p.api
                ),
            )
            .related(task.span, "task defined here");
        }
    }
}
