use shipready_model::Project;

use crate::reliability::queue_without_consumer::{consumers, family};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Per-key queues that no consumer listens to
    ///
    /// ## What it finds
    /// Producers that build the queue, topic or subject name per key (`new
    /// Queue(`emails-${tenant}`)`, `xadd(f"events:{user}")`, `publish(`orders.${region}`)`)
    /// while every consumer of that library listens to fixed names, none of which starts
    /// with the producer's literal prefix (NATS wildcards such as `orders.*` count as
    /// listening).
    /// ## Why it matters
    /// Per-tenant queues are created on demand by the producer; nothing creates the matching
    /// workers. The first tenant's jobs may be handled by a hand-started worker, every
    /// tenant added later piles up unprocessed.
    /// ## Failure scenario
    /// A second customer signs up. Their jobs go to `emails-acme`; the only worker listens
    /// on `emails`. Their invitations never arrive, and nothing errors.
    /// ## Examples
    /// ```js bad
    /// const { Queue, Worker } = require('bullmq');
    /// async function invite(tenant, to) {
    ///   const q = new Queue(`emails-${tenant}`, { defaultJobOptions: { attempts: 3 } });
    ///   await q.add('invite', { to });
    /// }
    /// new Worker('emails', async (job) => send(job.data.to));
    /// ```
    /// ```js good
    /// const { Queue, Worker } = require('bullmq');
    /// const emails = new Queue('emails', { defaultJobOptions: { attempts: 3 } });
    /// async function invite(tenant, to) {
    ///   await emails.add('invite', { tenant, to });
    /// }
    /// new Worker('emails', async (job) => send(job.data.to));
    /// ```
    /// ## How to fix
    /// Use one queue and put the key in the payload (BullMQ groups or rate limits per key
    /// if fairness matters), or start workers from the same list of keys the producer uses.
    /// ```js fix
    /// await emails.add('invite', { tenant, to }, { attempts: 3 });
    /// ```
    /// ## Limitations
    /// Only names built from a literal prefix are checked (`${tenant}-emails` is not). A
    /// consumer whose name is not resolved statically may be a per-key consumer and
    /// silences the rule for its library.
    pub QueueNeverConsumedForSomeKeys {
        code: "XCF007",
        slug: "queue-never-consumed-for-some-keys",
        category: Reliability,
        severity: High,
        likelihood: Likely,
        effort_hours: 2.0,
    }
}

/// Whether a consumed name (possibly a NATS wildcard) covers names starting with `prefix`.
fn covers(consumed: &str, prefix: &str) -> bool {
    if consumed.starts_with(prefix) {
        return true;
    }
    // `orders.*` / `orders.>` covers `orders.${region}`.
    let stem = consumed.trim_end_matches(['*', '>']);
    stem.len() < consumed.len() && prefix.starts_with(stem)
}

impl Rule for QueueNeverConsumedForSomeKeys {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let consumers = consumers(project);
        let mut reported: Vec<(String, String)> = Vec::new();
        for p in &project.facts.queue_producers {
            if !project.is_production(p.span) {
                continue;
            }
            let Some(prefix) = p.queue_prefix.as_deref() else {
                continue;
            };
            let fam = family(&p.system);
            let same: Vec<_> = consumers
                .iter()
                .filter(|c| family(&c.system) == fam)
                .collect();
            if same.is_empty()
                || same.iter().any(|c| c.queues_opaque)
                || same
                    .iter()
                    .any(|c| c.queues.iter().any(|q| covers(q, prefix)))
            {
                continue;
            }
            let key = (fam.to_string(), prefix.to_string());
            if reported.contains(&key) {
                continue;
            }
            reported.push(key);
            let listened = same
                .iter()
                .flat_map(|c| c.queues.iter())
                .take(4)
                .map(|q| format!("`{q}`"))
                .collect::<Vec<_>>()
                .join(", ");
            let f = cx.finding(
                Self::META,
                p.span,
                format!(
                    "jobs go to per-key queues `{prefix}…`; consumers only listen to {listened}"
                ),
            );
            if let Some(d) = p.declared_at {
                f.related(d, "queue name built per key here");
            }
            for c in same.iter().take(3) {
                f.related(c.span, "consumer of a fixed name");
            }
        }
    }
}
