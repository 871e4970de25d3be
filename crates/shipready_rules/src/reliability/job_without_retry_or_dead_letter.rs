use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Job enqueued with no retry and no failed-job handling
    ///
    /// ## What it finds
    /// BullMQ / Bull jobs added (`queue.add(...)`) with no `attempts` in the job options or
    /// the queue's `defaultJobOptions`, while nothing in the repository handles failed jobs
    /// (`worker.on('failed')`, `queueEvents.on('failed')`).
    /// ## Why it matters
    /// A job runs once by default. When the mail provider or the database blips, the job
    /// fails, lands in the failed set and stays there: no retry, no alert, no dead-letter
    /// review. The work is silently lost.
    /// ## Failure scenario
    /// The SMTP relay refuses connections for two minutes during a deploy. Every
    /// order-confirmation job in that window fails on its only attempt; customers never get
    /// their receipts and nobody notices until support tickets arrive.
    /// ## Examples
    /// ```js bad
    /// const { Queue } = require('bullmq');
    /// const emails = new Queue('emails', { connection: { host: 'redis' } });
    /// async function sendReceipt(orderId) {
    ///   await emails.add('receipt', { orderId });
    /// }
    /// ```
    /// ```js good
    /// const { Queue } = require('bullmq');
    /// const emails = new Queue('emails', { connection: { host: 'redis' } });
    /// async function sendReceipt(orderId) {
    ///   await emails.add('receipt', { orderId }, {
    ///     attempts: 5,
    ///     backoff: { type: 'exponential', delay: 1000 },
    ///     removeOnFail: false,
    ///   });
    /// }
    /// ```
    /// ## How to fix
    /// Give jobs retries with backoff (per job or once in the queue's `defaultJobOptions`),
    /// keep failed jobs, and handle the `failed` event: alert, or move the job to a
    /// dead-letter queue for review.
    /// ```js fix
    /// const emails = new Queue('emails', {
    ///   connection,
    ///   defaultJobOptions: { attempts: 5, backoff: { type: 'exponential', delay: 1000 } },
    /// });
    /// worker.on('failed', (job, err) => deadLetter.add(job.name, { ...job.data, error: err.message }));
    /// ```
    /// ## Limitations
    /// Only BullMQ and Bull producers in JavaScript/TypeScript are checked. Celery tasks
    /// (`autoretry_for`, `max_retries`, `acks_late`) and Go queue libraries are not yet.
    /// Job options passed through a variable, queues built with options from a variable,
    /// and repeatable jobs (`repeat:`) are given the benefit of the doubt.
    pub JobWithoutRetryOrDeadLetter {
        code: "REL013",
        slug: "job-without-retry-or-dead-letter",
        category: Reliability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// Option names that make a job retry.
const RETRY_OPTIONS: &[&str] = &["attempts", "defaultJobOptions.attempts"];

impl Rule for JobWithoutRetryOrDeadLetter {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        if project
            .facts
            .job_failure_handlers
            .iter()
            .any(|h| project.is_production(h.span))
        {
            return;
        }
        for job in &project.facts.job_enqueues {
            if !project.is_production(job.span)
                || job.options_opaque
                || job
                    .options
                    .iter()
                    .any(|o| RETRY_OPTIONS.contains(&o.as_str()))
                // A repeatable job runs again at its next schedule.
                || job.options.iter().any(|o| o == "repeat")
            {
                continue;
            }
            // The queue, when created in the same file.
            let queue = project.facts.data_clients.iter().find(|d| {
                d.span.file == job.span.file && d.var.as_deref() == Some(job.queue_var.as_str())
            });
            if let Some(q) = queue
                && (q.options_opaque
                    || q.options
                        .iter()
                        .any(|o| RETRY_OPTIONS.contains(&o.as_str())))
            {
                continue;
            }
            let f = cx.finding(
                Self::META,
                job.span,
                format!(
                    "`{}` adds a job with no `attempts` and nothing handles failed jobs",
                    job.api
                ),
            );
            if let Some(q) = queue {
                f.related(
                    q.span,
                    "queue created here without `defaultJobOptions.attempts`",
                );
            }
        }
    }
}
