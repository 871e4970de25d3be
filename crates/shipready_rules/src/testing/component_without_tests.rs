use shipready_model::{ComponentKind, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Component without tests
    ///
    /// ## What it finds
    /// Services, workers and frontends with production source files and no test file at all (`*.test.ts`, `*.spec.js`, `test_*.py`, `*_test.go`, files under `tests/`,
    /// `__tests__/`...). Reported once per component, at its manifest.
    /// ## Why it matters
    /// Every change to an untested component is verified by hand or in production. Refactors
    /// stop because nobody dares, and regressions are found by users.
    /// ## Failure scenario
    /// A dependency upgrade changes how the worker parses dates; no test exercises it, the
    /// nightly job silently writes wrong timestamps for a week.
    /// ## Examples
    /// ```py bad
    /// from fastapi import FastAPI
    /// app = FastAPI()
    ///
    /// @app.get("/items")
    /// def items():
    ///     return []
    /// ```
    /// ```yaml good
    /// # a repository with no service code: nothing to test
    /// name: docs
    /// ```
    /// ## How to fix
    /// Start with a few tests of the riskiest paths (authentication, payments, data writes)
    /// and run them in CI.
    /// ```py fix
    /// def test_items_returns_list(client):
    ///     assert client.get("/items").json() == []
    /// ```
    /// ## Limitations
    /// Tests kept in another component or repository (a separate e2e suite) are not linked to
    /// the component they exercise; libraries are not reported.
    /// ## References
    /// - Martin Fowler, the practical test pyramid: https://martinfowler.com/articles/practical-test-pyramid.html
    pub ComponentWithoutTests {
        code: "TEST001",
        slug: "component-without-tests",
        category: Testing,
        severity: High,
        likelihood: Likely,
        effort_hours: 8.0,
    }
}

/// Source files a component needs before missing tests are reported.
const MIN_SOURCE_FILES: u32 = 1;

impl Rule for ComponentWithoutTests {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for c in &project.components {
            if !matches!(
                c.kind,
                ComponentKind::Service | ComponentKind::Worker | ComponentKind::Frontend
            ) || c.test_files > 0
                || c.source_files < MIN_SOURCE_FILES
            {
                continue;
            }
            let Some(span) = super::component_anchor(project, c) else {
                continue;
            };
            cx.finding(
                Self::META,
                span,
                format!(
                    "component `{}` has {} and no test file",
                    c.name,
                    crate::vocab::count(c.source_files as usize, "source file")
                ),
            );
        }
    }
}
