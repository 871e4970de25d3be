use std::collections::BTreeMap;

use shipready_model::{Project, TestSkip};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Skipped tests
    ///
    /// ## What it finds
    /// Tests disabled in test files: `it.skip`, `test.skip`, `describe.skip`, `xit`,
    /// `xdescribe`, `xtest`, `@pytest.mark.skip`, `@unittest.skip`, and Go `t.Skip` calls that
    /// are not guarded by `testing.Short()`, an environment variable or a platform check.
    /// One finding per file, at its first skip, with the count. Conditional skips
    /// (`pytest.mark.skipif`, `it.skipIf`) are not reported.
    /// ## Why it matters
    /// A skipped test looks like coverage and checks nothing. Tests are usually skipped
    /// because they failed, which means the behaviour they describe is broken or unknown.
    /// ## Failure scenario
    /// `it.skip('rejects expired coupons')` was disabled during a hurried release; months
    /// later expired coupons are accepted and nobody knows since when.
    /// ## Examples
    /// ```tree bad
    /// ==> src/orders.test.ts <==
    /// it.skip('rejects expired coupons', async () => {
    ///   expect(await applyCoupon('OLD')).toBe(false);
    /// });
    /// ```
    /// ```tree good
    /// ==> src/orders.test.ts <==
    /// it('rejects expired coupons', async () => {
    ///   expect(await applyCoupon('OLD')).toBe(false);
    /// });
    /// ```
    /// ## How to fix
    /// Fix and re-enable the test, or delete it with a note in the tracker; for tests that
    /// need an environment, skip them conditionally with a stated reason.
    /// ```ts fix
    /// it('rejects expired coupons', async () => { /* fixed */ });
    /// ```
    /// ## Limitations
    /// A text scan: a skip built dynamically (`(cond ? it.skip : it)(...)`) or through a
    /// helper is not seen, and every Go `t.Skip` with an unrecognised guard is reported.
    /// ## References
    /// - Jest, `test.skip`: https://jestjs.io/docs/api#testskipname-fn
    pub SkippedTests {
        code: "TEST004",
        slug: "skipped-tests",
        category: Testing,
        severity: Low,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

impl Rule for SkippedTests {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut by_file: BTreeMap<u32, Vec<&TestSkip>> = BTreeMap::new();
        for s in &project.facts.test_skips {
            by_file.entry(s.span.file.0).or_default().push(s);
        }
        for skips in by_file.values() {
            let Some(first) = skips.first() else { continue };
            let mut kinds: Vec<&str> = skips.iter().map(|s| s.kind.as_str()).collect();
            kinds.dedup();
            let list: Vec<String> = kinds.iter().take(3).map(|k| format!("`{k}`")).collect();
            let msg = if skips.len() == 1 {
                format!("test disabled with `{}`", first.kind)
            } else {
                format!(
                    "{} tests disabled in this file ({})",
                    skips.len(),
                    list.join(", ")
                )
            };
            cx.finding(Self::META, first.span, msg);
        }
    }
}
