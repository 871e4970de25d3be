use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Third-party CI action referenced by branch
    ///
    /// ## What it finds
    /// GitHub Actions steps and reusable workflows that use a third-party action by a branch
    /// (`some-org/deploy-action@main`, `@master`, `@develop`) or with no ref at all. Actions
    /// by `actions/` and `github/`, local actions (`./...`), Docker actions and refs that
    /// look like tags (`@v4`, `@1.2.3`) or commit SHAs are not reported.
    /// ## Why it matters
    /// A branch moves whenever its owner pushes. The pipeline runs whatever the action's
    /// repository holds at that moment, with the workflow's secrets and write token: a
    /// compromised or careless upstream commit runs in your deploy job.
    /// ## Failure scenario
    /// The maintainer of a deploy action pushes a broken commit to `main`; every deploy
    /// fails until someone finds out why. Worse, an attacker who takes over the account ships
    /// a version that sends `PROD_KUBECONFIG` to their server.
    /// ## Examples
    /// ```tree bad
    /// ==> .github/workflows/deploy.yml <==
    /// on: push
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: some-org/deploy-action@main
    /// ```
    /// ```tree good
    /// ==> .github/workflows/deploy.yml <==
    /// on: push
    /// jobs:
    ///   deploy:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: some-org/deploy-action@8f4b7f84864484a7bf31766abe9204da3cbe65b3 # v2.1.0
    /// ```
    /// ## How to fix
    /// Pin third-party actions to a full commit SHA (with the tag as a comment) and let
    /// Dependabot's `github-actions` ecosystem propose updates.
    /// ```yaml fix
    /// - uses: some-org/deploy-action@8f4b7f84864484a7bf31766abe9204da3cbe65b3 # v2.1.0
    /// ```
    /// ## Limitations
    /// A tag can be moved too; tags are accepted here, and SHA pinning of tags is not
    /// required. GitLab `include:` of remote templates is not checked.
    /// ## References
    /// - GitHub, security hardening, using third-party actions: https://docs.github.com/en/actions/security-for-github-actions/security-guides/security-hardening-for-github-actions#using-third-party-actions
    pub UnpinnedCiActions {
        code: "CI005",
        slug: "unpinned-ci-actions",
        category: Delivery,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

const BRANCHES: &[&str] = &[
    "main", "master", "develop", "dev", "trunk", "latest", "head", "stable", "next", "nightly",
    "edge",
];

/// `Some(reason)` when an action reference follows a branch.
fn unpinned(uses: &str) -> Option<String> {
    let u = uses.trim();
    if u.starts_with("./") || u.starts_with("docker://") || u.starts_with('$') {
        return None;
    }
    let (action, reference) = match u.split_once('@') {
        Some((a, r)) => (a, Some(r)),
        None => (u, None),
    };
    let owner = action.split('/').next().unwrap_or("").to_ascii_lowercase();
    if owner == "actions" || owner == "github" || !action.contains('/') {
        return None;
    }
    match reference {
        None => Some("has no ref".to_string()),
        Some(r)
            if BRANCHES.contains(&r.to_ascii_lowercase().as_str())
                || r.starts_with("release/")
                || r.starts_with("feature/") =>
        {
            Some(format!("follows branch `{r}`"))
        }
        _ => None,
    }
}

impl Rule for UnpinnedCiActions {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for p in &project.facts.ci_pipelines {
            if p.provider != "github-actions" {
                continue;
            }
            for job in &p.jobs {
                if let Some(u) = &job.uses
                    && let Some(why) = unpinned(u)
                {
                    cx.finding(
                        Self::META,
                        job.span,
                        format!("reusable workflow `{u}` {why}"),
                    );
                }
                for step in &job.steps {
                    if let Some(u) = &step.uses
                        && let Some(why) = unpinned(u)
                    {
                        cx.finding(
                            Self::META,
                            step.uses_span.unwrap_or(step.span),
                            format!("action `{u}` {why} instead of a tag or SHA"),
                        );
                    }
                }
            }
        }
    }
}
