use std::collections::BTreeSet;

use shipready_model::{CiJob, CiPipeline, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Deploy job without gates
    ///
    /// ## What it finds
    /// CI jobs that deploy (a step running `kubectl apply`, `helm upgrade`, `flyctl deploy`,
    /// `gcloud run deploy`, `terraform apply`, a deploy action...) when no test runs before
    /// the deploy (in the same job or in a job it `needs`, directly or not), or when there is
    /// none of: a staging deploy before it, a manual approval (a GitHub `environment:`, GitLab
    /// `when: manual`, a `workflow_dispatch`-only trigger), a smoke test or health check after
    /// it (`curl .../health`, `kubectl rollout status`, `helm --wait`), or a rollback
    /// (`helm --atomic`, `kubectl rollout undo`). Deploys to environments named staging,
    /// preview, dev or test (or in a step or workflow so named), GitHub Pages deploys, and jobs that deploy to a throwaway cluster
    /// on the runner (kind, k3d, minikube: an end-to-end test) are not reported; installing a
    /// CLI (`azure/setup-helm`) is no deploy; a workflow started by `workflow_run` (after
    /// another workflow succeeded) counts as tested.
    /// ## Why it matters
    /// A deploy job with no gates ships whatever was pushed: a failing build, an untested
    /// change, a broken migration, and nothing notices until users do.
    /// ## Failure scenario
    /// A push to `main` with a typo in the database URL deploys straight to production; the
    /// pods crash-loop, there is no health check to stop the rollout and no rollback step,
    /// and the outage lasts until someone reverts by hand.
    /// ## Examples
    /// ```tree bad
    /// ==> .github/workflows/deploy.yml <==
    /// on: push
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: kubectl apply -f deploy/k8s
    /// ```
    /// ```tree good
    /// ==> .github/workflows/deploy.yml <==
    /// on: push
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: npm ci && npm test
    ///   deploy:
    ///     needs: test
    ///     environment: production
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: kubectl apply -f deploy/k8s
    ///       - run: kubectl rollout status deployment/api --timeout=120s
    /// ```
    /// ## How to fix
    /// Make the deploy job depend on the test job, deploy to staging first or require an
    /// approval through a protected environment, and verify the rollout (rollout status or a
    /// smoke test) with an automatic rollback on failure.
    /// ```yaml fix
    /// deploy:
    ///   needs: [test]
    ///   environment: production
    ///   steps:
    ///     - run: helm upgrade --install api ./chart --atomic --wait --timeout 5m
    /// ```
    /// ## Limitations
    /// Whether a GitHub environment really requires a reviewer is configured outside the
    /// repository: any `environment:` counts as an approval. Branch protection that requires
    /// a separate test workflow before merging is not seen.
    /// ## References
    /// - GitHub, deployments and environments: https://docs.github.com/en/actions/managing-workflow-runs-and-deployments/managing-deployments/managing-environments-for-deployment
    pub DeployWithoutGates {
        code: "CI003",
        slug: "deploy-without-gates",
        category: Delivery,
        severity: High,
        likelihood: Possible,
        effort_hours: 3.0,
    }
}

fn non_prod(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    [
        "staging",
        "stage",
        "preview",
        "dev",
        "test",
        "tests",
        "qa",
        "sandbox",
        "review",
        "pages",
        "docs",
        "pr",
        "e2e",
        "ephemeral",
    ]
    .iter()
    .any(|w| {
        l.split(|c: char| !c.is_ascii_alphanumeric())
            .any(|p| p == *w)
    })
}

/// Jobs `job` waits for, transitively (bounded by the job count).
fn upstream<'a>(p: &'a CiPipeline, job: &'a CiJob) -> Vec<&'a CiJob> {
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    let mut queue: Vec<&str> = job.needs.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    while let Some(n) = queue.pop() {
        if !seen.insert(n) || seen.len() > p.jobs.len() + 1 {
            continue;
        }
        if let Some(j) = p.jobs.iter().find(|j| j.name == n) {
            out.push(j);
            queue.extend(j.needs.iter().map(String::as_str));
        }
    }
    out
}

fn has(job: &CiJob, kind: &str) -> bool {
    job.steps.iter().any(|s| s.kinds.iter().any(|k| k == kind))
}

impl Rule for DeployWithoutGates {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for p in &project.facts.ci_pipelines {
            let after_other_workflow = p.triggers.iter().any(|t| t == "workflow_run");
            let manual_only =
                !p.triggers.is_empty() && p.triggers.iter().all(|t| t == "workflow_dispatch");
            let rollback_anywhere = p.jobs.iter().any(|j| has(j, "rollback"));
            for job in &p.jobs {
                let Some(deploy_at) = job
                    .steps
                    .iter()
                    .position(|s| s.kinds.iter().any(|k| k == "deploy"))
                else {
                    continue;
                };
                if job.environment.as_deref().is_some_and(non_prod)
                    || non_prod(&job.name)
                    || has(job, "local-cluster")
                    || job.steps[deploy_at].name.as_deref().is_some_and(non_prod)
                    || p.name.as_deref().is_some_and(non_prod)
                {
                    continue;
                }
                let ups = upstream(p, job);
                let tested = after_other_workflow
                    || job.steps[..deploy_at]
                        .iter()
                        .any(|s| s.kinds.iter().any(|k| k == "test"))
                    || ups.iter().any(|j| has(j, "test"));
                let staging = ups.iter().any(|j| {
                    has(j, "deploy")
                        && (non_prod(&j.name) || j.environment.as_deref().is_some_and(non_prod))
                });
                let approval = manual_only
                    || job.environment.is_some()
                    || job.manual
                    || ups.iter().any(|j| j.manual);
                let downstream_smoke = p
                    .jobs
                    .iter()
                    .any(|j| j.needs.iter().any(|n| n == &job.name) && has(j, "smoke"));
                let smoke = job.steps[deploy_at..]
                    .iter()
                    .any(|s| s.kinds.iter().any(|k| k == "smoke"))
                    || downstream_smoke;
                let rollback = rollback_anywhere;
                let guarded = staging || approval || smoke || rollback;
                if tested && guarded {
                    continue;
                }
                let mut parts = Vec::new();
                if !tested {
                    parts.push("no test before it".to_string());
                }
                if !guarded {
                    parts.push("no staging, approval, smoke test or rollback".to_string());
                }
                let step = &job.steps[deploy_at];
                cx.finding(
                    Self::META,
                    step.span,
                    format!("job `{}` deploys with {}", job.name, parts.join(", and ")),
                );
            }
        }
    }
}
