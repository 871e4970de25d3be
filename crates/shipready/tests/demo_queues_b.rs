//! Queue and API-version rules on the demo repository `examples/shop`, second set: RQ jobs
//! defined in another file and consumed by an `rq worker` command in a shell script (REL012 silent), the
//! duplicated `notify` endpoint (MNT002) and the middleware prefix with no route (XCF001),
//! each at the places `examples/shop.risks.md` lists, silent at its negative cases.

mod common;

use std::collections::BTreeSet;

fn findings() -> BTreeSet<(String, String, u64)> {
    common::demo_findings()
}

const EXPECTED: &[(&str, &str, u64)] = &[
    ("MNT002", "notifications/app.py", 64),
    ("XCF001", "api/src/index.ts", 19),
];

const NOT_EXPECTED: &[(&str, &str, u64)] = &[
    // RQ jobs (`@job("emails")`, `@job("digests")` in worker/app/digest_jobs.py, through a
    // `partial` of `rq.decorators.job`) consumed by `rq worker .. emails digests` in
    // worker/rq-worker.sh: neither "no worker" nor "Celery task not defined".
    ("REL012", "worker/app/digests.py", 6),
    ("REL012", "worker/app/digests.py", 7),
    // `checkoutLimiter` on `/api/v2/checkout` guards the routes of the mounted router.
    ("XCF001", "api/src/index.ts", 24),
];

#[test]
fn rq_jobs_versions_and_middleware_prefixes_on_the_demo() {
    let found = findings();
    common::assert_listed(&found, EXPECTED, NOT_EXPECTED);
    // MNT002: only the notify pair (the api's `/api/v2/checkout` has no unversioned twin).
    let mnt = found.iter().filter(|(r, _, _)| r == "MNT002").count();
    assert_eq!(mnt, 1, "{found:?}");
}
