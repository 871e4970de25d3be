use shipready_model::{PaidApiCall, Project, ScheduledJob, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Scheduled job calls a paid API in a loop with no budget guard
    ///
    /// ## What it finds
    /// Paid API calls (OpenAI, Anthropic, Google AI and Maps, Twilio, SendGrid, AWS Bedrock,
    /// SES, Textract...) made in a loop inside a scheduled job: node-cron, `setInterval`,
    /// NestJS `@Cron`, Celery beat entries (linked to their task by name), APScheduler,
    /// `schedule`, Go tickers. The number of calls per run then grows with the data, and the
    /// schedule multiplies it, with no cap written anywhere.
    /// ## Why it matters
    /// A job that calls a paid API for every row, every minute, costs nothing in staging and
    /// a fortune in production; one data import or one bug that stops rows from being marked
    /// done turns it into an unbounded bill.
    /// ## Failure scenario
    /// The enrichment job runs every minute over products without a description. The model
    /// call fails to save for one category, so those products are picked again every minute:
    /// 1,440 runs a day times 3,000 products, until the monthly budget is gone in two days.
    /// ## Examples
    /// ```py bad
    /// from apscheduler.schedulers.background import BackgroundScheduler
    /// from openai import OpenAI
    ///
    /// client = OpenAI()
    /// scheduler = BackgroundScheduler()
    ///
    /// def enrich():
    ///     for product in load_products():
    ///         client.chat.completions.create(model="gpt-4o-mini", messages=[], max_tokens=100)
    ///
    /// scheduler.add_job(enrich, "interval", minutes=1)
    /// ```
    /// ```py good
    /// from apscheduler.schedulers.background import BackgroundScheduler
    /// from openai import OpenAI
    ///
    /// client = OpenAI()
    /// scheduler = BackgroundScheduler()
    ///
    /// def enrich():
    ///     product = next_product()
    ///     client.chat.completions.create(model="gpt-4o-mini", messages=[], max_tokens=100)
    ///
    /// scheduler.add_job(enrich, "interval", minutes=1)
    /// ```
    /// ## How to fix
    /// Cap the work per run (`LIMIT 50`), count calls and stop at a daily budget kept in a
    /// shared store, mark rows as attempted so failures are not retried forever, and alert on
    /// spend. Provider-side budgets and usage limits are a backstop, not a guard.
    /// ## Limitations
    /// A cap applied to the loop's data (`.limit(50)`, `[:50]`) or a budget check is not
    /// recognised yet: review and suppress with a reason when the job is bounded. A job that
    /// calls the API through a helper in another function is not followed.
    /// ## References
    /// - OpenAI, usage limits: https://platform.openai.com/docs/guides/rate-limits
    pub PaidApiWithoutBudgetGuard {
        code: "COST001",
        slug: "paid-api-without-budget-guard",
        category: Cost,
        severity: Critical,
        likelihood: Possible,
        effort_hours: 3.0,
    }
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.file == inner.file && outer.start <= inner.start && inner.end <= outer.end
}

/// The job that runs the call: its body contains the call, or it names the call's function.
fn job_of<'p>(project: &'p Project, call: &PaidApiCall) -> Option<&'p ScheduledJob> {
    project.facts.scheduled_jobs.iter().find(|job| {
        job.body.is_some_and(|b| {
            contains(b, call.span) || call.function_span.is_some_and(|f| contains(b, f))
        }) || job.target.as_deref().is_some_and(|t| {
            let name = t.rsplit(['.', ':']).next().unwrap_or(t);
            call.function.as_deref() == Some(name)
        })
    })
}

impl Rule for PaidApiWithoutBudgetGuard {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for call in &project.facts.paid_api_calls {
            if !call.in_loop
                || !project.is_production(call.span)
                || crate::observability::presence::is_tooling(&project.file(call.span.file).path)
            {
                continue;
            }
            let Some(job) = job_of(project, call) else {
                continue;
            };
            cx.finding(
                Self::META,
                call.span,
                format!(
                    "{} call `{}` runs in a loop in a scheduled job with no call cap",
                    call.provider, call.api
                ),
            )
            .related(job.span, format!("scheduled by `{}`", job.api));
        }
    }
}
