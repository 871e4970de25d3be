//! Checks the catalog itself: codes, slugs and names agree everywhere; every rule has its
//! doc sections, fixture folder with positive and negative cases; doc examples behave
//! (`bad` gives exactly one finding of the rule, `good` none); generated pages are current.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use shipready_rules::{all_rules, docs};

const SECTIONS: &[&str] = &[
    "What it finds",
    "Why it matters",
    "Failure scenario",
    "Examples",
    "How to fix",
    "Limitations",
];

fn pascal(slug: &str) -> String {
    slug.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next().map_or(String::new(), |f| {
                f.to_ascii_uppercase().to_string() + c.as_str()
            })
        })
        .collect()
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn codes_slugs_and_names_agree() {
    let mut codes = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for rule in all_rules() {
        let m = rule.meta();
        assert!(codes.insert(m.code), "duplicate code {}", m.code);
        assert!(slugs.insert(m.slug), "duplicate slug {}", m.slug);
        let family =
            common::family_of(m.code).unwrap_or_else(|| panic!("unknown prefix {}", m.code));
        assert!(
            m.code.len() >= 5
                && m.code[m.code.len() - 3..]
                    .chars()
                    .all(|c| c.is_ascii_digit()),
            "{}",
            m.code
        );
        assert!(
            m.slug
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                && !m.slug.starts_with('-')
                && !m.slug.ends_with('-'),
            "slug not kebab-case: {}",
            m.slug
        );
        assert_eq!(m.name, pascal(m.slug), "struct name of {}", m.code);
        let expected_file = format!("src/{family}/{}.rs", m.slug.replace('-', "_"));
        assert!(
            m.file.replace('\\', "/").ends_with(&expected_file),
            "{} is declared in {}, expected {expected_file}",
            m.code,
            m.file
        );
        for bad in ["use-", "avoid-", "check-"] {
            assert!(
                !m.slug.starts_with(bad),
                "slug {} starts with {bad}",
                m.slug
            );
        }
    }
}

#[test]
fn rules_are_in_code_order_within_families() {
    let rules = all_rules();
    for pair in rules.windows(2) {
        let (a, b) = (pair[0].meta(), pair[1].meta());
        if common::family_of(a.code) == common::family_of(b.code) {
            assert!(a.code < b.code, "{} listed before {}", a.code, b.code);
        }
    }
}

#[test]
fn every_rule_has_all_doc_sections() {
    for rule in all_rules() {
        let m = rule.meta();
        assert!(!m.title().is_empty(), "{} has no title", m.code);
        assert!(
            !m.title().ends_with('.'),
            "{} title ends with a period",
            m.code
        );
        let sections = m.sections();
        for s in SECTIONS {
            assert!(sections.contains(s), "{} lacks section `## {s}`", m.code);
            assert!(
                m.section(s).is_some_and(|b| !b.is_empty()),
                "{} section `{s}` is empty",
                m.code
            );
        }
        let blocks = m.code_blocks();
        assert!(
            blocks.iter().any(|(i, _)| i.ends_with(" bad")),
            "{} has no bad example",
            m.code
        );
        assert!(
            blocks.iter().any(|(i, _)| i.ends_with(" good")),
            "{} has no good example",
            m.code
        );
    }
}

#[test]
fn every_rule_has_positive_and_negative_fixtures() {
    let re = regex::Regex::new(r"\b(expect|todo|known-fp):\s*[A-Z]+[0-9]{3}").expect("regex");
    let fixtures = root().join("tests/fixtures");
    for rule in all_rules() {
        let m = rule.meta();
        let family = common::family_of(m.code).expect("family");
        let dir = fixtures.join(family).join(m.slug);
        assert!(
            dir.is_dir(),
            "{} has no fixture folder {}",
            m.code,
            dir.display()
        );
        let mut positive = false;
        let mut negative = false;
        let mut stack = vec![dir.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).expect("read fixture dir").flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                    continue;
                }
                let name = p
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                if name.ends_with(".snap") || name == "expect.toml" {
                    if name == "expect.toml" {
                        positive = true;
                    }
                    continue;
                }
                let text = std::fs::read_to_string(&p).unwrap_or_default();
                let is_source = shipready_model::Lang::from_path(&name).is_some_and(|l| {
                    l.is_code()
                        || matches!(
                            l,
                            shipready_model::Lang::Dockerfile | shipready_model::Lang::Yaml
                        )
                });
                if text.contains(&format!("expect: {}", m.code)) {
                    positive = true;
                } else if is_source && !re.is_match(&text) {
                    negative = true;
                }
            }
        }
        assert!(
            positive,
            "{} has no positive fixture (an `expect: {}` marker)",
            m.code, m.code
        );
        assert!(
            negative,
            "{} has no negative fixture file (a source file without markers)",
            m.code
        );
        assert!(
            dir.join("findings.snap").is_file(),
            "{} has no findings.snap",
            m.code
        );
    }
}

fn example_file(lang: &str) -> Option<(&'static str, Option<(&'static str, &'static str)>)> {
    // (file name, optional manifest beside it so the component is a service)
    Some(match lang {
        "js" | "javascript" => (
            "src/app.js",
            Some((
                "package.json",
                "{\"name\":\"example\",\"dependencies\":{\"express\":\"^4.19.2\"}}",
            )),
        ),
        "ts" | "typescript" => (
            "src/app.ts",
            Some((
                "package.json",
                "{\"name\":\"example\",\"dependencies\":{\"express\":\"^4.19.2\"}}",
            )),
        ),
        "py" | "python" => ("app.py", Some(("requirements.txt", "fastapi==0.110.0\n"))),
        "go" => (
            "main.go",
            Some(("go.mod", "module example.com/x\n\ngo 1.22\n")),
        ),
        "dockerfile" => ("Dockerfile", None),
        "dotenv" => (".env", None),
        "yaml" => ("deploy/app.yaml", None),
        _ => return None,
    })
}

/// Writes a `tree` example: files introduced by `==> path <==` lines.
fn write_tree(root: &Path, code: &str) {
    let mut current: Option<(String, String)> = None;
    let flush = |cur: Option<(String, String)>| {
        if let Some((path, text)) = cur {
            let p = root.join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(&p, text).expect("write example");
        }
    };
    for line in code.lines() {
        if let Some(path) = line
            .trim()
            .strip_prefix("==> ")
            .and_then(|l| l.strip_suffix(" <=="))
        {
            flush(current.take());
            current = Some((path.trim().to_string(), String::new()));
        } else if let Some((_, text)) = current.as_mut() {
            text.push_str(line);
            text.push('\n');
        }
    }
    flush(current);
}

#[test]
fn doc_examples_behave() {
    for rule in all_rules() {
        let m = rule.meta();
        for (info, code) in m.code_blocks() {
            let mut parts = info.split_whitespace();
            let lang = parts.next().unwrap_or("");
            let kind = parts.next().unwrap_or("");
            if kind != "bad" && kind != "good" {
                continue;
            }
            let dir = tempfile::tempdir().expect("tempdir");
            // `tree`: several files, each introduced by a `==> path <==` line.
            if lang == "tree" {
                write_tree(dir.path(), &code);
                let (_, out) = common::run_rule(dir.path(), rule);
                let n = out.findings.iter().filter(|f| f.rule == m.code).count();
                let expected = usize::from(kind == "bad");
                assert_eq!(
                    n, expected,
                    "{} `{info}` example gave {n} findings, expected {expected}:\n{code}\nfindings: {:#?}",
                    m.code, out.findings
                );
                continue;
            }
            let (name, manifest) = example_file(lang)
                .unwrap_or_else(|| panic!("{}: unknown example language `{lang}`", m.code));
            let path = dir.path().join(name);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).expect("mkdir");
            }
            std::fs::write(&path, format!("{code}\n")).expect("write example");
            if let Some((mname, mtext)) = manifest {
                std::fs::write(dir.path().join(mname), mtext).expect("write manifest");
            }
            let (_, out) = common::run_rule(dir.path(), rule);
            let n = out.findings.iter().filter(|f| f.rule == m.code).count();
            let expected = usize::from(kind == "bad");
            assert_eq!(
                n, expected,
                "{} `{info}` example gave {n} findings, expected {expected}:\n{code}\nfindings: {:#?}",
                m.code, out.findings
            );
        }
    }
}

#[test]
fn generated_docs_are_current() {
    let docs_dir = root().join("../../docs/rules");
    for rule in all_rules() {
        let m = rule.meta();
        let path = docs_dir.join(format!("{}.md", m.slug));
        let current = std::fs::read_to_string(&path).unwrap_or_default();
        assert_eq!(
            current,
            docs::render_page(m),
            "{} is stale: run `cargo xtask docs`",
            path.display()
        );
    }
    let index = std::fs::read_to_string(docs_dir.join("README.md")).unwrap_or_default();
    assert_eq!(
        index,
        docs::render_index(&all_rules()),
        "docs/rules/README.md is stale: run `cargo xtask docs`"
    );
}

#[test]
fn no_orphan_fixture_folders() {
    let fixtures = root().join("tests/fixtures");
    let slugs: BTreeSet<&str> = all_rules().iter().map(|r| r.meta().slug).collect();
    for fam in std::fs::read_dir(&fixtures).expect("fixtures").flatten() {
        for case in std::fs::read_dir(fam.path()).expect("family").flatten() {
            let name = case.file_name().to_string_lossy().to_string();
            assert!(
                slugs.contains(name.as_str()),
                "fixture folder {name} names no rule"
            );
        }
    }
}
