use std::collections::BTreeSet;

use shipready_model::{CiPipeline, FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// CI pipeline missing quality gates
    ///
    /// ## What it finds
    /// Repositories whose CI (GitHub Actions, GitLab CI), taken together, never runs one of:
    /// dependency install, lint, type check, tests, coverage, dependency audit, build. Steps
    /// are recognised by what they run, not by their names: `npm run lint` counts as lint
    /// only if the `lint` script of that `package.json` runs a linter; `pytest`, `go test`,
    /// `eslint`, `ruff`, `golangci-lint`, `tsc`, `mypy`, `npm audit`, `pip-audit`,
    /// `govulncheck`, `trivy`, `snyk`, `docker build` and the matching actions are known.
    /// Type check is expected only when the repository has TypeScript or Go (where compiling
    /// is the check); build only when it has a Dockerfile, a `build` script or Go; install
    /// only for npm and Python manifests. One finding, at the first job of the pipeline with
    /// the most steps, naming what is missing; all gates present is a strength.
    /// ## Why it matters
    /// Each missing gate is a class of defect that reaches production unchecked: lint and
    /// type errors, failing tests, untested code paths, known-vulnerable dependencies, images
    /// that do not build.
    /// ## Failure scenario
    /// The only workflow builds and deploys. A pull request that breaks the checkout handler
    /// passes CI because no test runs, and a dependency with a published RCE ships because
    /// nothing audits.
    /// ## Examples
    /// ```tree bad
    /// ==> .github/workflows/ci.yml <==
    /// on: push
    /// jobs:
    ///   build:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: docker build -t app .
    /// ```
    /// ```tree good
    /// ==> .github/workflows/ci.yml <==
    /// on: push
    /// jobs:
    ///   build:
    ///     runs-on: ubuntu-latest
    ///     steps:
    ///       - uses: actions/checkout@v4
    ///       - run: docker build -t app .
    ///       - run: pip install -r requirements.txt
    ///       - run: ruff check .
    ///       - run: pytest --cov=app --cov-fail-under=80
    ///       - run: pip-audit
    /// ```
    /// ## How to fix
    /// Add the missing steps to the pipeline that runs on pull requests, and make them
    /// required checks for merging.
    /// ```yaml fix
    /// - run: npm ci
    /// - run: npm run lint && npx tsc --noEmit
    /// - run: npm test -- --coverage
    /// - run: npm audit --audit-level=high
    /// ```
    /// ## Limitations
    /// Makefile, `just` and `task` targets, turbo/nx tasks and reusable workflows of other
    /// repositories are judged by their names; a
    /// gate run inside a Docker build (`RUN npm test`) or by an external service (a hosted
    /// code-quality app) is not seen. Jenkins and CircleCI pipelines are not read.
    /// ## References
    /// - GitHub Actions, about continuous integration: https://docs.github.com/en/actions/about-github-actions/about-continuous-integration-with-github-actions
    pub CiMissingQualityGates {
        code: "CI002",
        slug: "ci-missing-quality-gates",
        category: Delivery,
        severity: High,
        likelihood: Likely,
        effort_hours: 4.0,
    }
}

const LABELS: &[(&str, &str)] = &[
    ("install", "dependency install"),
    ("lint", "lint"),
    ("typecheck", "type check"),
    ("test", "tests"),
    ("coverage", "coverage"),
    ("audit", "dependency audit"),
    ("build", "build"),
];

/// Gates that apply to this repository.
fn expected(project: &Project) -> BTreeSet<&'static str> {
    let facts = &project.facts;
    let prod = |f: shipready_model::FileId| project.file(f).role == FileRole::Source;
    let mut set = BTreeSet::from(["lint", "test", "coverage", "audit"]);
    let go = facts.dependencies.iter().any(|d| d.ecosystem == "go")
        || project.files.iter().any(|f| f.path.ends_with("go.mod"));
    let npm_or_py = facts
        .dependencies
        .iter()
        .any(|d| prod(d.span.file) && matches!(d.ecosystem.as_str(), "npm" | "pypi"));
    if npm_or_py {
        set.insert("install");
    }
    let ts = facts.tsconfigs.iter().any(|t| prod(t.span.file));
    if ts || go {
        set.insert("typecheck");
    }
    let build_script = facts
        .package_scripts
        .iter()
        .any(|s| s.name == "build" && prod(s.span.file));
    let docker = facts.dockerfiles.iter().any(|d| prod(d.span.file));
    if build_script || docker || go {
        set.insert("build");
    }
    set
}

fn steps(p: &CiPipeline) -> usize {
    p.jobs.iter().map(|j| j.steps.len()).sum()
}

impl Rule for CiMissingQualityGates {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let pipelines: Vec<&CiPipeline> = project
            .facts
            .ci_pipelines
            .iter()
            .filter(|p| matches!(p.provider.as_str(), "github-actions" | "gitlab-ci"))
            .collect();
        let Some(main) = pipelines
            .iter()
            .copied()
            .max_by_key(|p| (steps(p), std::cmp::Reverse(p.span.file)))
        else {
            return;
        };
        let Some(anchor) = main.jobs.first().map(|j| j.span) else {
            return;
        };
        // Reusable workflows of other repositories cannot be read: judge them by their
        // file name (`reusable-docker-build.yaml` builds).
        let external: BTreeSet<&str> = pipelines
            .iter()
            .flat_map(|p| &p.jobs)
            .filter_map(|j| j.uses.as_deref())
            .filter(|u| !u.starts_with("./"))
            .flat_map(|u| {
                let name = u
                    .split('@')
                    .next()
                    .unwrap_or(u)
                    .rsplit('/')
                    .next()
                    .unwrap_or("");
                let lower = name.to_ascii_lowercase();
                [
                    ("build", "build"),
                    ("test", "test"),
                    ("lint", "lint"),
                    ("audit", "audit"),
                    ("scan", "audit"),
                    ("security", "audit"),
                    ("coverage", "coverage"),
                ]
                .into_iter()
                .filter(move |(w, _)| lower.contains(w))
                .map(|(_, k)| k)
            })
            .collect();
        let seen: BTreeSet<&str> = pipelines
            .iter()
            .flat_map(|p| &p.jobs)
            .flat_map(|j| &j.steps)
            .flat_map(|s| &s.kinds)
            .map(String::as_str)
            .collect();
        let expected = expected(project);
        let missing: Vec<&str> = LABELS
            .iter()
            .filter(|(k, _)| expected.contains(k) && !seen.contains(k) && !external.contains(k))
            .map(|(_, label)| *label)
            .collect();
        if missing.is_empty() {
            cx.strength(
                Self::META,
                anchor,
                "CI runs install, lint, tests, coverage, audit and build",
            );
            return;
        }
        let scope = if pipelines.len() == 1 {
            "this pipeline never runs".to_string()
        } else {
            format!("the {} pipelines never run", pipelines.len())
        };
        cx.finding(
            Self::META,
            anchor,
            format!("{scope}: {}", missing.join(", ")),
        );
    }
}
