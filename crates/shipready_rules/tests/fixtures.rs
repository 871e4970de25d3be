//! Rule fixtures: `tests/fixtures/<family>/<slug>/` is a tiny repository. Comments
//! `expect: CODE` (a finding must start on the next line), `todo: CODE` (a known miss: no
//! finding allowed there yet) and `known-fp: CODE` (an accepted false positive) sit on the
//! line above; files without comments list theirs in `expect.toml`. Any other finding fails,
//! and so does an `expect` without a finding. The rendered findings are snapshotted in
//! `findings.snap` beside the inputs.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use libtest_mimic::{Arguments, Failed, Trial};
use regex::Regex;
use shipready_rules::{Rule, find_rule};

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Expect,
    Todo,
    KnownFp,
}

fn markers(
    dir: &Path,
    project: &shipready_model::Project,
) -> Result<BTreeSet<(String, u32, String, Kind)>, Failed> {
    let re = Regex::new(r"\b(expect|todo|known-fp):\s*([A-Z]+[0-9]{3}(?:\s*,\s*[A-Z]+[0-9]{3})*)")
        .map_err(|e| Failed::from(e.to_string()))?;
    let mut out = BTreeSet::new();
    for f in &project.files {
        let Ok(text) = std::fs::read_to_string(dir.join(&f.path)) else {
            continue;
        };
        for (i, line) in text.lines().enumerate() {
            for cap in re.captures_iter(line) {
                let kind = match &cap[1] {
                    "expect" => Kind::Expect,
                    "todo" => Kind::Todo,
                    _ => Kind::KnownFp,
                };
                for code in cap[2].split(',') {
                    out.insert((
                        f.path.clone(),
                        i as u32 + 2,
                        code.trim().to_string(),
                        kind.clone(),
                    ));
                }
            }
        }
    }
    let toml_path = dir.join("expect.toml");
    if let Ok(text) = std::fs::read_to_string(&toml_path) {
        let doc: toml_edit::DocumentMut = text
            .parse()
            .map_err(|e| Failed::from(format!("expect.toml: {e}")))?;
        if let Some(items) = doc.get("expect").and_then(|i| i.as_array_of_tables()) {
            for t in items {
                let path = t
                    .get("path")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                let line = u32::try_from(
                    t.get("line")
                        .and_then(toml_edit::Item::as_integer)
                        .unwrap_or(0),
                )
                .unwrap_or(0);
                let code = t
                    .get("code")
                    .and_then(|v| v.as_str())
                    .unwrap_or_default()
                    .to_string();
                out.insert((path, line, code, Kind::Expect));
            }
        }
    }
    Ok(out)
}

fn check_message(msg: &str) -> Result<(), String> {
    let first = msg.chars().next().unwrap_or(' ');
    let first_word = msg.split_whitespace().next().unwrap_or("");
    let is_acronym = first_word.len() >= 2
        && first_word
            .chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
    if first.is_uppercase() && !is_acronym {
        return Err(format!("message starts upper-case: {msg}"));
    }
    if msg.ends_with('.') {
        return Err(format!("message ends with a period: {msg}"));
    }
    if msg.chars().count() > 110 {
        return Err(format!("message longer than 110 characters: {msg}"));
    }
    Ok(())
}

fn run_case(dir: &Path, rule: &dyn Rule) -> Result<(), Failed> {
    let (project, out) = common::run_rule(dir, rule);
    let code = rule.meta().code;
    let marks = markers(dir, &project)?;
    let mut errors = Vec::new();
    let mut found = BTreeSet::new();
    for f in &out.findings {
        if let Err(e) = check_message(&f.message) {
            errors.push(e);
        }
        let key = (f.location.path.clone(), f.location.line);
        found.insert((key.0.clone(), key.1, f.rule.clone()));
        let marked = marks.iter().any(|(p, l, c, k)| {
            p == &key.0 && *l == key.1 && c == &f.rule && matches!(k, Kind::Expect | Kind::KnownFp)
        });
        if !marked {
            errors.push(format!(
                "unexpected finding {}:{} {} {}",
                key.0, key.1, f.rule, f.message
            ));
        }
    }
    for (p, l, c, k) in &marks {
        if c != code {
            continue;
        }
        let hit = found.contains(&(p.clone(), *l, c.clone()));
        match k {
            Kind::Expect if !hit => errors.push(format!("expected {c} at {p}:{l}, none found")),
            Kind::Todo if hit => errors.push(format!(
                "todo {c} at {p}:{l} is now found: make it `expect`"
            )),
            _ => {}
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n").into());
    }
    let mut text = String::new();
    for f in &out.findings {
        text.push_str(&format!(
            "{}:{}:{} {} {} [{}] {}\n",
            f.location.path,
            f.location.line,
            f.location.column,
            f.rule,
            f.severity,
            f.component,
            f.message
        ));
        for line in f.location.snippet.lines() {
            text.push_str(&format!("    | {line}\n"));
        }
        for r in &f.related {
            text.push_str(&format!(
                "    = {}:{}: {}\n",
                r.location.path, r.location.line, r.message
            ));
        }
    }
    for s in &out.suppressed {
        text.push_str(&format!(
            "suppressed {}:{} {} ({})\n",
            s.finding.location.path, s.finding.location.line, s.finding.rule, s.reason
        ));
    }
    for s in &out.strengths {
        text.push_str(&format!(
            "strength {}:{} {} {}\n",
            s.location.path, s.location.line, s.rule, s.message
        ));
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(dir);
    settings.set_prepend_module_to_snapshot(false);
    settings.set_omit_expression(true);
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        settings.bind(|| insta::assert_snapshot!("findings", text));
    }));
    result.map_err(|_| Failed::from("snapshot differs (see the diff above)"))
}

fn cases(root: &Path) -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    let Ok(families) = std::fs::read_dir(root) else {
        return out;
    };
    for fam in families.flatten() {
        let Ok(slugs) = std::fs::read_dir(fam.path()) else {
            continue;
        };
        for slug in slugs.flatten() {
            if slug.path().is_dir() {
                out.push((slug.file_name().to_string_lossy().to_string(), slug.path()));
            }
        }
    }
    out.sort();
    out
}

fn main() {
    let args = Arguments::from_args();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let trials = cases(&root)
        .into_iter()
        .map(|(slug, dir)| {
            Trial::test(slug.clone(), move || {
                let rule = find_rule(&slug)
                    .ok_or_else(|| Failed::from(format!("no rule with slug {slug}")))?;
                run_case(&dir, rule)
            })
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}
