use shipready_model::Project;

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// No CI pipeline
    ///
    /// ## What it finds
    /// Repositories with a deployable component (an HTTP service or a worker) and no CI
    /// configuration at all: no GitHub Actions workflow, `.gitlab-ci.yml`, CircleCI, Azure
    /// Pipelines, Bitbucket Pipelines, Travis, Drone, Cloud Build or Buildkite file. One
    /// finding, at the first deployable component's manifest.
    /// ## Why it matters
    /// Without CI nothing checks a change before it is merged or deployed: tests are run when
    /// someone remembers, builds happen on laptops, and what runs in production cannot be
    /// traced to a reviewed commit.
    /// ## Failure scenario
    /// A refactoring that breaks the login route is merged on Friday; nobody ran the tests,
    /// and the image built from a laptop with uncommitted changes goes out on Monday.
    /// ## Examples
    /// ```js bad
    /// const express = require('express');
    /// const app = express();
    /// app.get('/api/items', (req, res) => res.json([]));
    /// app.listen(3000);
    /// ```
    /// ```tree good
    /// ==> .github/workflows/ci.yml <==
    /// on: [push, pull_request]
    /// jobs:
    ///   test:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: npm ci && npm test
    /// ```
    /// ## How to fix
    /// Add a pipeline that runs on every push and pull request: install, lint, type check,
    /// test with coverage, audit dependencies, build the image.
    /// ```yaml fix
    /// on: [push, pull_request]
    /// jobs:
    ///   ci:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: npm ci
    ///       - run: npm run lint && npm test -- --coverage
    /// ```
    /// ## Limitations
    /// Jenkins (`Jenkinsfile`) and CI configured outside the repository are not seen, so a
    /// repository built by them is reported.
    /// ## References
    /// - GitHub Actions, building and testing: https://docs.github.com/en/actions/use-cases-and-examples/building-and-testing
    pub NoCiPipeline {
        code: "CI001",
        slug: "no-ci-pipeline",
        category: Delivery,
        severity: High,
        likelihood: Likely,
        effort_hours: 4.0,
    }
}

impl Rule for NoCiPipeline {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        if !project.facts.ci_pipelines.is_empty() {
            return;
        }
        let jenkins = project.files.iter().any(|f| {
            let name = f.path.rsplit('/').next().unwrap_or("");
            name.eq_ignore_ascii_case("jenkinsfile")
        });
        if jenkins {
            return;
        }
        if let Some((span, name)) = super::deployable_anchor(project) {
            cx.finding(
                Self::META,
                span,
                format!("no CI pipeline in the repository builds or tests `{name}`"),
            );
        }
    }
}
