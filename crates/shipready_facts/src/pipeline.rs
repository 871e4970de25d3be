//! Read, parse and extract every walked file in parallel, then link and group.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use shipready_model::{
    ComponentId, Facts, FileId, FileNote, FileRole, Lang, LineIndex, ManifestKind, Project,
    SkippedFile, SourceFile,
};
use shipready_syntax::code::{self, CodeLang};
use shipready_walk::{WalkOutput, read_text};

use crate::cache::{self, FactCache};
use crate::{FileCtx, components, config, envdecl, go, js, link, python, roles, secrets, testscan};

/// Options for [`build_project`].
pub struct BuildOptions<'a> {
    /// Threads (0: the number of cores).
    pub jobs: usize,
    /// Size cap for reading.
    pub max_file_size: u64,
    /// Called after each file is done (for a progress bar).
    pub on_file: Option<&'a (dyn Fn() + Sync)>,
    /// Directory of the per-file fact cache (see [`crate::cache`]); `None`: no cache.
    pub cache_dir: Option<PathBuf>,
}

impl Default for BuildOptions<'_> {
    fn default() -> Self {
        Self {
            jobs: 0,
            max_file_size: shipready_walk::DEFAULT_MAX_FILE_SIZE,
            on_file: None,
            cache_dir: None,
        }
    }
}

/// What one file produced.
pub(crate) struct FileResult {
    pub facts: Facts,
    pub text: Option<Arc<str>>,
    pub lines: LineIndex,
    pub had_errors: bool,
    pub skipped: Option<SkippedFile>,
    pub manifest: Option<ManifestKind>,
    pub go_main: bool,
    pub line_count: u32,
    /// What to store in the fact cache for this file (when caching and analysed).
    pub cache_entry: Option<cache::Entry>,
}

impl FileResult {
    fn internal_error(path: &str) -> Self {
        FileResult {
            facts: Facts::default(),
            text: None,
            lines: LineIndex::default(),
            had_errors: false,
            skipped: Some(SkippedFile {
                path: path.to_string(),
                reason: "internal-error".to_string(),
                detail: "shipready failed on this file (a bug: please report it)".to_string(),
            }),
            manifest: None,
            go_main: false,
            line_count: 0,
            cache_entry: None,
        }
    }
}

/// The tree-sitter grammar for a file's language, for the languages with code extractors.
pub(crate) fn code_lang(lang: Lang) -> Option<CodeLang> {
    Some(match lang {
        Lang::TypeScript => CodeLang::TypeScript,
        Lang::Tsx => CodeLang::Tsx,
        Lang::JavaScript | Lang::Jsx => CodeLang::JavaScript,
        Lang::Python => CodeLang::Python,
        Lang::Go => CodeLang::Go,
        _ => return None,
    })
}

fn manifest_kind(path: &str) -> Option<ManifestKind> {
    let name = path.rsplit('/').next().unwrap_or(path);
    Some(match name {
        "package.json" => ManifestKind::PackageJson,
        "pyproject.toml" => ManifestKind::Pyproject,
        "setup.py" => ManifestKind::SetupPy,
        "go.mod" => ManifestKind::GoMod,
        _ if name.starts_with("requirements") && name.ends_with(".txt") => {
            ManifestKind::Requirements
        }
        _ if Lang::from_path(path) == Some(Lang::Dockerfile) => ManifestKind::Dockerfile,
        _ => return None,
    })
}

/// Whether a Go file declares `package main` (first `package` clause).
fn is_go_main(text: &str) -> bool {
    text.lines()
        .map(str::trim)
        .find(|l| l.starts_with("package "))
        .is_some_and(|l| l.split_whitespace().nth(1) == Some("main"))
}

fn process(
    id: FileId,
    path: &str,
    abs: &Path,
    lang: Lang,
    max: u64,
    cache: Option<&FactCache>,
) -> FileResult {
    let role = roles::role_of(path, lang);
    let text = match read_text(abs, lang, max) {
        Ok(t) => t,
        Err(skip) => {
            return FileResult {
                facts: Facts::default(),
                text: None,
                lines: LineIndex::default(),
                had_errors: false,
                skipped: Some(SkippedFile {
                    path: path.to_string(),
                    reason: skip.reason.to_string(),
                    detail: skip.detail,
                }),
                manifest: None,
                go_main: false,
                line_count: 0,
                cache_entry: None,
            };
        }
    };
    let Some(cache) = cache else {
        return analyse(id, path, lang, role, &text);
    };
    let hash = cache::content_hash(&text);
    if let Some((facts, entry)) = cache.get(path, &hash, id) {
        let had_errors = entry.had_errors;
        let mut r = finish(path, lang, role, &text, facts, had_errors, None);
        r.cache_entry = Some(entry.clone());
        return r;
    }
    let mut r = analyse(id, path, lang, role, &text);
    if r.skipped.is_none() {
        r.cache_entry = cache::Entry::new(hash, id, r.had_errors, &r.facts);
    }
    r
}

/// The facts of one file's text and the skip it caused, exactly as a scan extracts them
/// (the per-file half of [`build_project`], without reading, linking or grouping): the
/// entry point of the fuzz targets and of limit tests.
#[doc(hidden)]
pub fn extract_text(path: &str, lang: Lang, text: &str) -> (Facts, Option<SkippedFile>) {
    let r = analyse(FileId(0), path, lang, roles::role_of(path, lang), text);
    (r.facts, r.skipped)
}

/// [`extract_text`] with an explicit extraction budget (for the budget test).
#[cfg(test)]
fn extract_text_within(
    path: &str,
    lang: Lang,
    text: &str,
    extract_budget: std::time::Duration,
) -> (Facts, Option<SkippedFile>) {
    let role = roles::role_of(path, lang);
    let r = analyse_within(FileId(0), path, lang, role, text, Some(extract_budget));
    (r.facts, r.skipped)
}

fn analyse(id: FileId, path: &str, lang: Lang, role: FileRole, text: &str) -> FileResult {
    analyse_within(id, path, lang, role, text, None)
}

/// [`analyse`] with an explicit extraction budget (`None`: [`code::extract_budget_for`]).
fn analyse_within(
    id: FileId,
    path: &str,
    lang: Lang,
    role: FileRole,
    text: &str,
    extract_budget: Option<std::time::Duration>,
) -> FileResult {
    let cx = FileCtx {
        id,
        path,
        lang,
        role,
        text,
    };
    let mut facts = Facts::default();
    let mut had_errors = false;
    let mut skipped = None;
    if let Some(cl) = code_lang(lang) {
        let budget = code::budget_for(text.len());
        let parsed = code::parse_within_any_depth(cl, text, budget);
        // One walk per file: the depth limit and the node list every extractor reads.
        let nodes = parsed
            .as_ref()
            .map_err(|e| *e)
            .and_then(|p| code::Nodes::collect(&p.tree));
        match (&parsed, nodes) {
            (Ok(parsed), Ok(nodes)) => {
                had_errors = parsed.has_errors;
                let extract_budget =
                    extract_budget.unwrap_or_else(|| code::extract_budget_for(text.len()));
                let deadline = code::Deadline::after(extract_budget);
                let tree = &parsed.tree;
                let complete = match cl {
                    CodeLang::TypeScript | CodeLang::Tsx | CodeLang::JavaScript => {
                        js::extract_nodes(&cx, tree, nodes, deadline, &mut facts)
                    }
                    CodeLang::Python => {
                        python::extract_nodes(&cx, tree, nodes, deadline, &mut facts)
                    }
                    CodeLang::Go => go::extract_nodes(&cx, tree, &nodes, deadline, &mut facts),
                };
                if complete {
                    testscan::scan(&cx, &mut facts);
                } else {
                    // Over budget: the facts extracted so far are kept, the file is listed.
                    skipped = Some(SkippedFile {
                        path: path.to_string(),
                        reason: "extract-timeout".to_string(),
                        detail: format!(
                            "extracting facts took longer than {} ms: the facts found so far \
                             are kept (set {} to change the budget)",
                            extract_budget.as_millis(),
                            code::EXTRACT_BUDGET_ENV
                        ),
                    });
                }
            }
            (_, Err(code::ParseFailure::Timeout)) => {
                skipped = Some(SkippedFile {
                    path: path.to_string(),
                    reason: "timeout".to_string(),
                    detail: format!(
                        "parsing took longer than {} ms (set {} to change the budget)",
                        budget.as_millis(),
                        code::PARSE_BUDGET_ENV
                    ),
                });
            }
            (_, Err(code::ParseFailure::TooDeep)) => {
                skipped = Some(SkippedFile {
                    path: path.to_string(),
                    reason: "too-deep".to_string(),
                    detail: format!("syntax nested deeper than {} levels", code::MAX_TREE_DEPTH),
                });
            }
            (_, Err(code::ParseFailure::Failed)) | (Err(_), Ok(_)) => {
                skipped = Some(SkippedFile {
                    path: path.to_string(),
                    reason: "parse-error".to_string(),
                    detail: "the parser gave up".to_string(),
                });
            }
        }
    } else if let Err(err) = config::extract(&cx, &mut facts) {
        skipped = Some(SkippedFile {
            path: path.to_string(),
            reason: err.reason.to_string(),
            detail: err.detail,
        });
    }
    if skipped.is_none() {
        envdecl::extract(&cx, &mut facts);
    }
    if role != FileRole::Doc {
        crate::worker_cmds::extract(&cx, &mut facts);
    }
    if role != FileRole::Doc {
        secrets::scan(&cx, &mut facts);
    }
    finish(path, lang, role, text, facts, had_errors, skipped)
}

/// The rest of a file's result once its facts are known (extracted or from the cache).
fn finish(
    path: &str,
    lang: Lang,
    role: FileRole,
    text: &str,
    facts: Facts,
    had_errors: bool,
    skipped: Option<SkippedFile>,
) -> FileResult {
    let lines = LineIndex::new(text);
    let line_count = lines.line_count() as u32;
    let go_main = lang == Lang::Go && role == FileRole::Source && is_go_main(text);
    // Keep the text of files that produced facts (snippets, suppressions, fingerprints) and
    // of manifests; drop the rest to bound memory.
    let keep = !facts.is_empty() || manifest_kind(path).is_some() || lang == Lang::DotEnv;
    FileResult {
        facts,
        text: keep.then(|| Arc::from(text)),
        lines,
        had_errors,
        skipped,
        manifest: manifest_kind(path),
        go_main,
        line_count,
        cache_entry: None,
    }
}

/// Builds the project model of `root` from a finished walk.
pub fn build_project(root: &Path, walked: WalkOutput, options: &BuildOptions<'_>) -> Project {
    let max = options.max_file_size;
    let cache = options.cache_dir.as_deref().map(FactCache::load);
    let run = || {
        walked
            .files
            .par_iter()
            .enumerate()
            .map(|(i, f)| {
                // A bug in one extractor must not take the whole scan down: the file is
                // skipped with the reason, and the scan goes on.
                let r = std::panic::catch_unwind(|| {
                    process(
                        FileId(i as u32),
                        &f.path,
                        &f.abs,
                        f.lang,
                        max,
                        cache.as_ref(),
                    )
                })
                .unwrap_or_else(|_| FileResult::internal_error(&f.path));
                if let Some(cb) = options.on_file {
                    cb();
                }
                r
            })
            .collect::<Vec<_>>()
    };
    // Big stacks: tree-sitter and the config parsers are iterative, but extractors recurse on
    // a few shallow structures; a generous stack keeps hostile nesting from ever overflowing.
    let results = match rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs)
        .stack_size(64 * 1024 * 1024)
        .build()
    {
        Ok(pool) => pool.install(run),
        Err(_) => run(),
    };

    let mut project = Project {
        root: root.display().to_string(),
        skipped: walked.skipped,
        ..Project::default()
    };
    let mut manifests = Vec::new();
    let mut cache_entries = HashMap::new();
    for (i, (walked_file, mut r)) in walked.files.into_iter().zip(results).enumerate() {
        let id = FileId(i as u32);
        if let Some(e) = r.cache_entry.take() {
            cache_entries.insert(walked_file.path.clone(), e);
        }
        let role = roles::role_of(&walked_file.path, walked_file.lang);
        let analysed = r.skipped.is_none();
        if let Some(s) = r.skipped {
            project.skipped.push(s);
        } else if r.had_errors {
            project.notes.push(FileNote {
                path: walked_file.path.clone(),
                note: "syntax errors: facts extracted from what the parser recovered".to_string(),
            });
        }
        if let Some(kind) = r.manifest {
            manifests.push((id, kind));
        } else if r.go_main {
            manifests.push((id, ManifestKind::GoMain));
        }
        project.facts.extend(r.facts);
        project.files.push(SourceFile {
            id,
            path: walked_file.path,
            lang: walked_file.lang,
            role,
            component: ComponentId(0),
            size: walked_file.size,
            lines: r.lines,
            text: r.text,
            had_syntax_errors: r.had_errors,
            analysed,
            line_count: r.line_count,
        });
    }
    if let Some(cache) = &cache {
        // A cache that cannot be written only costs the next scan its speed.
        let _ = cache.save(cache_entries);
    }
    project.skipped.sort();
    project.notes.sort();
    config::project::postprocess(root, &mut project);
    components::assign(&mut project, &manifests);
    link::link(&mut project);
    js::postprocess(&mut project);
    components::classify(&mut project);
    project
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[test]
    fn extraction_over_budget_keeps_facts_and_lists_the_file() {
        let text = "const a = process.env.A;\nfetch('http://x/' + a);\n".repeat(2000);
        let (full, skipped) =
            extract_text_within("src/a.js", Lang::JavaScript, &text, Duration::from_mins(1));
        assert!(skipped.is_none());
        assert_eq!(full.env_reads.len(), 2000);
        let (partial, skipped) =
            extract_text_within("src/a.js", Lang::JavaScript, &text, Duration::from_nanos(1));
        let skipped = skipped.expect("listed");
        assert_eq!(skipped.reason, "extract-timeout");
        assert!(skipped.detail.contains(code::EXTRACT_BUDGET_ENV));
        // What was extracted before the deadline is kept (here: none of the passes ran, but
        // the secret scan, which runs on every file, did).
        assert!(partial.env_reads.len() <= full.env_reads.len());
        assert_eq!(partial.secret_literals.len(), full.secret_literals.len());
    }
}
