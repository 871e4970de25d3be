//! Small config readers for delivery facts: tsconfig `compilerOptions`, Dependabot/Renovate
//! configs, `package.json` scripts and coverage thresholds, Kubernetes `Secret` manifests,
//! Prisma schemas, and backup evidence in scripts, manifests and docs.

use std::sync::LazyLock;

use regex::Regex;
use shipready_model::{
    BackupEvidence, CoverageThreshold, DependencyUpdateConfig, EnvDecl, Facts, K8sSecret,
    PackageScript, SchemaDef, Span, TsConfig, TsOption,
};
use shipready_syntax::config::{Doc, NodeRef};

use crate::FileCtx;

fn span(cx: &FileCtx<'_>, r: (u32, u32)) -> Span {
    cx.span_of(r.0 as usize, r.1 as usize)
}

fn first_key(cx: &FileCtx<'_>, root: &NodeRef<'_>) -> Span {
    span(
        cx,
        root.entries()
            .next()
            .map_or((0, 0), |(_, key_span, _)| key_span),
    )
}

/// Whether a file name is a tsconfig (`tsconfig.json`, `tsconfig.build.json`).
pub(crate) fn is_tsconfig(name: &str) -> bool {
    name.starts_with("tsconfig") && name.ends_with(".json")
}

/// Reads a tsconfig's own `compilerOptions` and `extends`; inherited options are added after
/// all files are read ([`super::project`]).
pub(super) fn tsconfig(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    let Some(root) = doc.root(0) else {
        return;
    };
    if !root.is_map() {
        return;
    }
    let extends = match root.get("extends") {
        Some(e) if e.is_seq() => e
            .seq()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(e) => e.as_str().map(str::to_string).into_iter().collect(),
        None => Vec::new(),
    };
    let compiler = root.get("compilerOptions");
    let options = compiler
        .map(|c| {
            c.entries()
                .filter(|(k, _, _)| !k.is_empty())
                .map(|(name, key_span, v)| TsOption {
                    span: span(cx, (key_span.0, v.span().1.max(key_span.1))),
                    name: name.to_string(),
                    value: v.as_str().unwrap_or("").to_string(),
                    inherited_from: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let at = compiler
        .and_then(|c| c.key_span())
        .map_or_else(|| first_key(cx, &root), |k| span(cx, k));
    // A "solution" config (`"files": []` with `references`) compiles nothing itself.
    let solution = root.get("references").is_some()
        && root.get("files").is_some_and(|f| f.seq().next().is_none())
        && root.get("include").is_none();
    if solution {
        return;
    }
    out.tsconfigs.push(TsConfig {
        span: at,
        extends_resolved: extends.is_empty(),
        extends,
        options,
    });
}

/// Dependabot (`.github/dependabot.yml`) and Renovate (`renovate.json`, `.renovaterc.json`,
/// `.github/renovate.json`, a `renovate` key in package.json).
pub(super) fn dependency_update(cx: &FileCtx<'_>, name: &str, doc: &Doc, out: &mut Facts) {
    let lower = cx.path.to_ascii_lowercase();
    let tool = if (lower == ".github/dependabot.yml" || lower == ".github/dependabot.yaml")
        && doc.root(0).is_some_and(|r| r.get("updates").is_some())
    {
        "dependabot"
    } else if matches!(
        name,
        "renovate.json" | ".renovaterc.json" | ".renovaterc" | "renovate.json5"
    ) || (name == "package.json"
        && doc.root(0).is_some_and(|r| r.get("renovate").is_some()))
    {
        "renovate"
    } else {
        return;
    };
    let at = doc
        .root(0)
        .map_or_else(|| cx.span_of(0, 0), |r| first_key(cx, &r));
    out.dependency_update_configs.push(DependencyUpdateConfig {
        span: at,
        tool: tool.to_string(),
    });
}

/// `package.json` `scripts` and a jest `coverageThreshold`.
pub(super) fn package_json(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    let Some(root) = doc.root(0) else {
        return;
    };
    if let Some(scripts) = root.get("scripts") {
        for (name, key_span, v) in scripts.entries() {
            if let Some(cmd) = v.as_str() {
                out.package_scripts.push(PackageScript {
                    span: span(cx, key_span),
                    name: name.to_string(),
                    command: cmd.to_string(),
                });
            }
        }
    }
    if let Some(global) = root.path(&["jest", "coverageThreshold", "global"]) {
        for (metric, key_span, v) in global.entries() {
            #[allow(clippy::cast_sign_loss)]
            if let Some(p) = v.as_str().and_then(|s| s.parse::<f64>().ok())
                && p > 0.0
            {
                out.coverage_thresholds.push(CoverageThreshold {
                    span: span(cx, key_span),
                    tool: "jest".to_string(),
                    metric: metric.to_string(),
                    percent: p.clamp(0.0, 100.0) as u32,
                });
            }
        }
    }
}

static THRESHOLD_BLOCK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(coverageThreshold|thresholds)\s*[:=]\s*\{").unwrap_or_else(|_| unreachable!())
});
static THRESHOLD_ITEM: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(lines|branches|functions|statements)\s*:\s*(\d{1,3})")
        .unwrap_or_else(|_| unreachable!())
});
static FAIL_UNDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(--cov-fail-under|\bfail_under|--fail-under)\s*[= ]\s*(\d{1,3})")
        .unwrap_or_else(|_| unreachable!())
});

/// Coverage thresholds in jest/vitest config files (text scan of the `coverageThreshold` /
/// `thresholds` object: the first 600 bytes after it), and `--cov-fail-under` / `fail_under`
/// in any config or script text.
pub(crate) fn coverage_thresholds_in_text(cx: &FileCtx<'_>, out: &mut Facts) {
    let name = super::file_name(cx.path);
    let js_config = name.starts_with("jest.config")
        || name.starts_with("vitest.config")
        || name.starts_with("vite.config")
        || name.starts_with("vitest.workspace");
    if js_config {
        for m in THRESHOLD_BLOCK.find_iter(cx.text) {
            let tool = if name.starts_with("jest") {
                "jest"
            } else {
                "vitest"
            };
            let end = (m.end() + 600).min(cx.text.len());
            let mut end = end;
            while !cx.text.is_char_boundary(end) {
                end -= 1;
            }
            let window = &cx.text[m.end()..end];
            // Stop at the block's closing brace (nested `global: {` allowed once).
            let mut depth = 1i32;
            let mut stop = window.len();
            for (i, c) in window.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            stop = i;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            for c in THRESHOLD_ITEM.captures_iter(&window[..stop]) {
                let (Some(all), Some(metric), Some(v)) = (c.get(0), c.get(1), c.get(2)) else {
                    continue;
                };
                let Ok(p) = v.as_str().parse::<u32>() else {
                    continue;
                };
                let start = m.end() + all.start();
                out.coverage_thresholds.push(CoverageThreshold {
                    span: cx.span_of(start, m.end() + all.end()),
                    tool: tool.to_string(),
                    metric: metric.as_str().to_string(),
                    percent: p,
                });
            }
        }
    }
    let python_config = matches!(
        name.as_str(),
        "pyproject.toml" | "setup.cfg" | "tox.ini" | "pytest.ini" | ".coveragerc"
    );
    if python_config {
        for c in FAIL_UNDER.captures_iter(cx.text) {
            let (Some(all), Some(v)) = (c.get(0), c.get(2)) else {
                continue;
            };
            let Ok(p) = v.as_str().parse::<u32>() else {
                continue;
            };
            out.coverage_thresholds.push(CoverageThreshold {
                span: cx.span_of(all.start(), all.end()),
                tool: if all.as_str().starts_with("--cov") {
                    "pytest-cov"
                } else {
                    "coverage.py"
                }
                .to_string(),
                metric: "total".to_string(),
                percent: p,
            });
        }
    }
}

/// Kubernetes `Secret` manifests with their literal entries.
pub(super) fn k8s_secrets(cx: &FileCtx<'_>, doc: &Doc, out: &mut Facts) {
    for root in doc.root_refs() {
        if root.str_at(&["kind"]) != Some("Secret") || root.get("apiVersion").is_none() {
            continue;
        }
        let mut entries = Vec::new();
        let mut at = None;
        for key in ["stringData", "data"] {
            let Some(block) = root.get(key) else { continue };
            if at.is_none() {
                at = block.key_span();
            }
            for (name, key_span, v) in block.entries() {
                let raw = v.as_str().unwrap_or("");
                let value = if key == "data" {
                    decode_base64(raw).unwrap_or_else(|| raw.to_string())
                } else {
                    raw.to_string()
                };
                entries.push(EnvDecl {
                    span: span(cx, (key_span.0, v.span().1.max(key_span.1))),
                    name: name.to_string(),
                    value: Some(value),
                    value_from: Some(key.to_string()),
                });
            }
        }
        if let Some(at) = at {
            out.k8s_secrets.push(K8sSecret {
                span: span(cx, at),
                name: root.str_at(&["metadata", "name"]).unwrap_or("").to_string(),
                entries,
            });
        }
    }
}

/// Decodes standard base64 to UTF-8 text; `None` when it is not base64 or not text.
fn decode_base64(s: &str) -> Option<String> {
    let s = s.trim();
    let mut bits: u32 = 0;
    let mut nbits = 0;
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' | b'\n' | b'\r' | b' ' => continue,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(v);
        nbits += 6;
        if nbits >= 8 {
            nbits -= 8;
            out.push((bits >> nbits) as u8);
            bits &= (1 << nbits) - 1;
        }
    }
    String::from_utf8(out).ok()
}

static PRISMA_MODEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?m)^\s*model\s+([A-Za-z_][A-Za-z0-9_]*)\s*\{").unwrap_or_else(|_| unreachable!())
});
static PRISMA_MAP: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"@@map\(\s*(?:name\s*:\s*)?"([^"]+)""#).unwrap_or_else(|_| unreachable!())
});

/// Prisma schema models (`model X {` blocks; `@@map("x")` names the table).
pub(super) fn prisma(cx: &FileCtx<'_>, out: &mut Facts) {
    for c in PRISMA_MODEL.captures_iter(cx.text) {
        let (Some(all), Some(name)) = (c.get(0), c.get(1)) else {
            continue;
        };
        let body_end = cx.text[all.end()..]
            .find("\n}")
            .map_or(cx.text.len(), |p| all.end() + p);
        let body = &cx.text[all.end()..body_end];
        let table = PRISMA_MAP
            .captures(body)
            .and_then(|m| m.get(1))
            .map_or_else(|| name.as_str().to_string(), |m| m.as_str().to_string());
        let start = all.start() + (all.as_str().len() - all.as_str().trim_start().len());
        out.schema_defs.push(SchemaDef {
            span: cx.span_of(start, all.end()),
            source: "prisma".to_string(),
            table: table.to_ascii_lowercase(),
        });
    }
}

static BACKUP_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(pg_dump|pg_dumpall|pg_basebackup|mysqldump|mariadb-dump|mongodump|pgbackrest|wal-g|wal-e|barman|velero|restic|borgbackup|xtrabackup|litestream|redis-cli\s+--rdb|back(?:ing)?[ -]?ups?|point[- ]in[- ]time recovery|PITR|snapshots? of the database)\b",
    )
    .unwrap_or_else(|_| unreachable!())
});

/// Evidence of a backup procedure: a file named `*backup*`, or one of the backup tools /
/// the word "backup" in a script, manifest, compose file or document.
pub(super) fn backup_evidence(cx: &FileCtx<'_>, out: &mut Facts) {
    let lower = cx.path.to_ascii_lowercase();
    if lower.contains("backup") {
        out.backup_evidence.push(BackupEvidence {
            span: cx.span_of(0, 0),
            what: format!("file `{}`", cx.path),
        });
        return;
    }
    if let Some(m) = BACKUP_WORDS.find(cx.text) {
        out.backup_evidence.push(BackupEvidence {
            span: cx.span_of(m.start(), m.end()),
            what: m.as_str().to_string(),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::decode_base64;

    #[test]
    fn base64() {
        assert_eq!(decode_base64("c2VjcmV0").as_deref(), Some("secret"));
        assert_eq!(
            decode_base64("cGFzc3dvcmQxMjM=").as_deref(),
            Some("password123")
        );
        assert_eq!(decode_base64("not base64!"), None);
    }
}
