//! A text-level scan of code files for delivery facts the language extractors do not
//! produce: skipped tests in test files, and (through [`crate::config::schema`]) ORM schema
//! definitions and run-time schema creation in the others. Conservative on purpose: a few
//! fixed shapes per line, comment lines skipped.

use std::sync::LazyLock;

use regex::Regex;
use shipready_model::{Facts, FileRole, Lang, TestSkip};

use crate::FileCtx;

static JS_SKIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[^\w.$])((?:it|test|describe|context|suite|specify)\.skip|xit|xdescribe|xtest|xcontext|xspecify)\s*\(")
        .unwrap_or_else(|_| unreachable!())
});
static PY_SKIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*@(pytest\.mark\.skip|unittest\.skip)\b(?:\(|\s*$)")
        .unwrap_or_else(|_| unreachable!())
});
static GO_SKIP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bt\.(Skip|SkipNow|Skipf)\s*\(").unwrap_or_else(|_| unreachable!())
});

/// Scans one code file: skipped tests when it is a test file, schema facts otherwise.
pub(crate) fn scan(cx: &FileCtx<'_>, out: &mut Facts) {
    if !cx.lang.is_code() {
        return;
    }
    if cx.role == FileRole::Test {
        skips(cx, out);
    } else {
        crate::config::schema::scan_code(cx, out);
        crate::config::coverage_thresholds_in_code(cx, out);
    }
}

fn skips(cx: &FileCtx<'_>, out: &mut Facts) {
    let mut off = 0;
    let mut prev_lines: [&str; 2] = ["", ""];
    for raw in cx.text.split_inclusive('\n') {
        let line = raw.trim_end_matches(['\n', '\r']);
        let t = line.trim_start();
        let comment = match cx.lang {
            Lang::Python => t.starts_with('#'),
            _ => t.starts_with("//") || t.starts_with('*') || t.starts_with("/*"),
        };
        if !comment {
            let hit = match cx.lang {
                Lang::Python => PY_SKIP
                    .captures(line)
                    .and_then(|c| c.get(1))
                    .map(|m| (m.start(), m.end(), m.as_str().to_string())),
                Lang::Go => GO_SKIP.captures(line).and_then(|c| {
                    // `if testing.Short() { t.Skip() }` and skips guarded by an env var or a
                    // missing tool are how Go gates slow tests: not a disabled test.
                    let guarded = [line, prev_lines[0], prev_lines[1]].iter().any(|l| {
                        l.contains("testing.Short()")
                            || l.contains("Getenv")
                            || l.contains("LookupEnv")
                            || l.contains("LookPath")
                            || l.contains("runtime.GOOS")
                            || l.contains("err != nil")
                    });
                    let m = c.get(0)?;
                    (!guarded).then(|| (m.start(), m.end() - 1, format!("t.{}", &c[1])))
                }),
                _ if cx.lang.is_js_family() => JS_SKIP
                    .captures(line)
                    .and_then(|c| c.get(1))
                    .map(|m| (m.start(), m.end(), m.as_str().to_string())),
                _ => None,
            };
            if let Some((s, e, kind)) = hit {
                out.test_skips.push(TestSkip {
                    span: cx.span_of(off + s, off + e),
                    kind,
                });
            }
        }
        prev_lines = [line, prev_lines[0]];
        off += raw.len();
    }
}
