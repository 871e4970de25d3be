use shipready_model::{ComponentKind, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Few tests for the amount of code
    ///
    /// ## What it finds
    /// Components (services, workers, frontends) with tests, at least ten production source
    /// files, and fewer than one test file per ten source files. The message gives the
    /// counts and the ratio. Components with no test at all are TEST001.
    /// ## Why it matters
    /// A handful of tests over a large code base covers a few happy paths; most modules change
    /// with no test noticing. The ratio is a rough signal, cheap to compute and hard to game
    /// by accident.
    /// ## Failure scenario
    /// The one test file covers product listing; a change to order cancellation that refunds
    /// twice passes CI and reaches customers.
    /// ## Examples
    /// ```tree bad
    /// ==> package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2"}}
    /// ==> src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/health', (req, res) => res.send('ok'));
    /// app.listen(3000);
    /// ==> src/m1.ts <==
    /// export const m1 = 1;
    /// ==> src/m2.ts <==
    /// export const m2 = 2;
    /// ==> src/m3.ts <==
    /// export const m3 = 3;
    /// ==> src/m4.ts <==
    /// export const m4 = 4;
    /// ==> src/m5.ts <==
    /// export const m5 = 5;
    /// ==> src/m6.ts <==
    /// export const m6 = 6;
    /// ==> src/m7.ts <==
    /// export const m7 = 7;
    /// ==> src/m8.ts <==
    /// export const m8 = 8;
    /// ==> src/m9.ts <==
    /// export const m9 = 9;
    /// ==> src/m10.ts <==
    /// export const m10 = 10;
    /// ==> src/index.test.ts <==
    /// it('works', () => {});
    /// ```
    /// ```tree good
    /// ==> package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2"}}
    /// ==> src/index.ts <==
    /// import express from 'express';
    /// const app = express();
    /// app.get('/health', (req, res) => res.send('ok'));
    /// app.listen(3000);
    /// ==> src/index.test.ts <==
    /// it('works', () => {});
    /// ```
    /// ## How to fix
    /// Add tests module by module, starting with the code that handles money, auth and data
    /// writes; measure coverage (TEST003) to see what remains.
    /// ```ts fix
    /// describe('cancelOrder', () => {
    ///   it('refunds once', async () => { /* ... */ });
    /// });
    /// ```
    /// ## Limitations
    /// Counts files, not test cases or lines: one large test file may cover a lot.
    /// ## References
    /// - Google Testing Blog, code coverage best practices: https://testing.googleblog.com/2020/08/code-coverage-best-practices.html
    pub LowTestRatio {
        code: "TEST002",
        slug: "low-test-ratio",
        category: Testing,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 8.0,
    }
}

const MIN_SOURCE_FILES: u32 = 10;
/// Test files per source file below which the ratio is low.
const MIN_RATIO: f64 = 0.1;

impl Rule for LowTestRatio {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for c in &project.components {
            if !matches!(
                c.kind,
                ComponentKind::Service | ComponentKind::Worker | ComponentKind::Frontend
            ) || c.test_files == 0
                || c.source_files < MIN_SOURCE_FILES
            {
                continue;
            }
            let ratio = f64::from(c.test_files) / f64::from(c.source_files);
            if ratio >= MIN_RATIO {
                continue;
            }
            let Some(span) = super::component_anchor(project, c) else {
                continue;
            };
            cx.finding(
                Self::META,
                span,
                format!(
                    "component `{}` has {} for {} source files (ratio {ratio:.2})",
                    c.name,
                    crate::vocab::count(c.test_files as usize, "test file"),
                    c.source_files
                ),
            );
        }
    }
}
