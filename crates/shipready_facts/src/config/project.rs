//! Project-level delivery facts that need more than one file or the disk itself, run once
//! after every walked file is extracted and before components are assigned:
//!
//! - the git index (`.git/index`, versions 2-4, read directly; git is never run) into
//!   [`Project::git_tracked`];
//! - migration folders at the usual places (bounded `read_dir`, no symlinks): counted, SQL
//!   files added to the project (their `CREATE TABLE`s become schema facts), `.gitignore`
//!   patterns that hide them;
//! - container build contexts with their `.dockerignore` and `.env` files on disk;
//! - coverage reports at the usual paths of each manifest folder ([`super::coverage`]);
//! - CI steps re-classified with `package.json` scripts resolved; `--cov-fail-under` and
//!   `prisma db push` in CI, scripts, Dockerfiles and compose commands;
//! - tsconfig `extends` followed inside the repository.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use shipready_model::{
    ComponentId, CoverageReport, CoverageThreshold, DockerContext, FileId, FileRole, Lang,
    LineIndex, MigrationDir, Project, SchemaSync, SourceFile, Span, TsOption,
};

use super::coverage::{CoverageData, CoverageError, read_coverage};
use crate::{FileCtx, roles};

/// Folders (relative to a manifest folder) where migrations usually live.
const MIGRATION_PATHS: &[&str] = &[
    "migrations",
    "migration",
    "db/migrations",
    "db/migrate",
    "database/migrations",
    "prisma/migrations",
    "alembic/versions",
    "migrations/versions",
    "src/migrations",
    "src/migration",
    "src/db/migrations",
    "src/database/migrations",
    "sql/migrations",
    "internal/db/migrations",
    "internal/database/migrations",
    "supabase/migrations",
    "drizzle",
    "schema/migrations",
];

/// Coverage reports (relative to a manifest folder) found without being asked for.
const COVERAGE_PATHS: &[&str] = &[
    "coverage/lcov.info",
    "coverage/coverage-summary.json",
    "coverage/coverage-final.json",
    "coverage/cobertura-coverage.xml",
    "coverage.xml",
    "cobertura.xml",
    "coverage.out",
    "cover.out",
    "coverage.json",
    "lcov.info",
];

/// At most this many entries of a migrations folder are listed.
const MAX_DIR_ENTRIES: usize = 5000;
/// At most this many SQL migration files are read per project.
const MAX_SQL_FILES: usize = 2000;
/// SQL files above this size are counted, not read.
const MAX_SQL_SIZE: u64 = 1024 * 1024;
/// Small text files read here (`.dockerignore`, `.gitignore`, `.git` pointer files).
const MAX_SMALL_FILE: u64 = 256 * 1024;
/// The git index is not read above this size.
const MAX_INDEX_SIZE: u64 = 256 * 1024 * 1024;

/// Runs every project-level step (see the module docs).
pub fn postprocess(root: &Path, project: &mut Project) {
    project.git_tracked = git_tracked(root);
    let roots = manifest_roots(project);
    migrations(root, project, &roots);
    docker_contexts(root, project);
    renovate_json5(root, project);
    resolve_ci(project);
    scripts_and_commands(project);
    resolve_tsconfigs(project);
    for dir in &roots {
        for rel in COVERAGE_PATHS {
            let path = join(dir, rel);
            let abs = root.join(&path);
            if let Ok(data) = read_coverage(&abs) {
                push_coverage(project, path, data, None);
            }
        }
    }
}

/// Reads a coverage report given on the command line and adds it to a built project. The
/// report is attributed to the component most of its source files belong to.
///
/// # Errors
/// When the report cannot be read (see [`read_coverage`]).
pub fn add_coverage(project: &mut Project, path: &Path) -> Result<(), CoverageError> {
    let data = read_coverage(path)?;
    let root = Path::new(&project.root);
    let shown = path.strip_prefix(root).map_or_else(
        |_| path.display().to_string(),
        |p| p.to_string_lossy().replace('\\', "/"),
    );
    let component = component_of_report(project, &data);
    push_coverage(project, shown, data, Some(component));
    Ok(())
}

/// The component whose files the report names most (suffix match on paths).
fn component_of_report(project: &Project, data: &CoverageData) -> ComponentId {
    let mut votes: BTreeMap<ComponentId, u32> = BTreeMap::new();
    for f in data.files.iter().take(5000) {
        let f = f.replace('\\', "/");
        let hit = project.files.iter().find(|sf| {
            f == sf.path || f.ends_with(&format!("/{}", sf.path)) || sf.path.ends_with(&f)
        });
        if let Some(sf) = hit {
            *votes.entry(sf.component).or_default() += 1;
        }
    }
    votes
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map_or(ComponentId(0), |(c, _)| c)
}

fn push_coverage(
    project: &mut Project,
    path: String,
    data: CoverageData,
    component: Option<ComponentId>,
) {
    // A report the walk already listed (a `.json`, an `.xml`) keeps its file entry.
    let existing = project.files.iter().find(|f| f.path == path).map(|f| f.id);
    let id = match existing {
        Some(id) => id,
        None => add_file(project, path, None),
    };
    if let Some(c) = component {
        project.files[id.0 as usize].component = c;
    }
    project.facts.coverage_reports.push(CoverageReport {
        span: Span::file_start(id),
        format: data.format,
        metrics: data.metrics,
        files: data.files.len() as u32,
    });
}

/// Appends a file that the walk does not list (SQL migrations, coverage reports).
fn add_file(project: &mut Project, path: String, text: Option<String>) -> FileId {
    let id = FileId(project.files.len() as u32);
    // An empty index still has its first line (a default one has none).
    let lines = LineIndex::new(text.as_deref().unwrap_or(""));
    let line_count = text.as_ref().map_or(0, |_| lines.line_count() as u32);
    let size = text.as_ref().map_or(0, |t| t.len() as u64);
    project.files.push(SourceFile {
        id,
        role: roles::role_of(&path, Lang::Text),
        path,
        lang: Lang::Text,
        component: ComponentId(0),
        size,
        lines,
        text: text.map(|t| Arc::from(t.as_str())),
        had_syntax_errors: false,
        analysed: true,
        line_count,
    });
    id
}

fn join(dir: &str, rel: &str) -> String {
    if dir.is_empty() {
        rel.to_string()
    } else {
        format!("{dir}/{rel}")
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Folders holding a manifest, plus the root.
fn manifest_roots(project: &Project) -> Vec<String> {
    let mut roots = BTreeSet::from([String::new()]);
    for f in &project.files {
        let name = super::file_name(&f.path);
        let is_manifest = matches!(
            name.as_str(),
            "package.json" | "pyproject.toml" | "go.mod" | "setup.py" | "schema.prisma"
        ) || name.starts_with("requirements") && name.ends_with(".txt");
        if is_manifest && f.role == FileRole::Source {
            roots.insert(parent(&f.path).to_string());
            if name == "schema.prisma" {
                roots.insert(parent(parent(&f.path)).to_string());
            }
        }
    }
    roots.into_iter().collect()
}

/// Reads a small regular file (no symlinks).
fn read_small(path: &Path, cap: u64) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > cap {
        return None;
    }
    let mut text = String::new();
    std::fs::File::open(path)
        .ok()?
        .take(cap)
        .read_to_string(&mut text)
        .ok()?;
    Some(text)
}

fn is_real_dir(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.is_dir())
}

/// Renovate configs the walk does not read (`renovate.json5`): found by name on disk.
fn renovate_json5(root: &Path, project: &mut Project) {
    if !project.facts.dependency_update_configs.is_empty() {
        return;
    }
    for rel in [
        "renovate.json5",
        ".github/renovate.json5",
        ".gitlab/renovate.json5",
        ".renovaterc.json5",
        ".renovaterc",
        ".github/renovate.json",
        ".gitlab/renovate.json",
    ] {
        if project.files.iter().any(|f| f.path == rel) {
            continue;
        }
        if let Some(text) = read_small(&root.join(rel), MAX_SMALL_FILE) {
            let id = add_file(project, rel.to_string(), Some(text));
            project
                .facts
                .dependency_update_configs
                .push(shipready_model::DependencyUpdateConfig {
                    span: Span::file_start(id),
                    tool: "renovate".to_string(),
                });
            return;
        }
    }
}

// ---------------------------------------------------------------------------------------
// git index

/// The paths tracked by git under `root`, relative to it; `None` when `root` is not inside a
/// git checkout (or its index cannot be read, or tracks nothing under `root`).
pub fn git_tracked(root: &Path) -> Option<Vec<String>> {
    let root = root.canonicalize().ok()?;
    let mut dir: &Path = &root;
    for _ in 0..64 {
        let dot_git = dir.join(".git");
        if let Ok(meta) = std::fs::symlink_metadata(&dot_git) {
            let git_dir = if meta.is_dir() {
                dot_git
            } else if meta.is_file() {
                let text = read_small(&dot_git, 4096)?;
                let target = text.trim().strip_prefix("gitdir:")?.trim().to_string();
                let p = PathBuf::from(&target);
                if p.is_absolute() { p } else { dir.join(p) }
            } else {
                return None;
            };
            let entries = read_index(&git_dir.join("index"))?;
            let prefix = root
                .strip_prefix(dir)
                .ok()?
                .to_string_lossy()
                .replace('\\', "/");
            let out: Vec<String> = if prefix.is_empty() {
                entries
            } else {
                let p = format!("{prefix}/");
                entries
                    .into_iter()
                    .filter_map(|e| e.strip_prefix(&p).map(str::to_string))
                    .collect()
            };
            return (!out.is_empty()).then_some(out);
        }
        dir = dir.parent()?;
    }
    None
}

/// Paths of a git index file (format versions 2, 3 and 4).
fn read_index(path: &Path) -> Option<Vec<String>> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_INDEX_SIZE {
        return None;
    }
    let data = std::fs::read(path).ok()?;
    parse_index(&data)
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let b = data.get(at..at + 4)?;
    Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

/// Parses the entries of a git index (see git's `Documentation/gitformat-index.txt`).
pub(crate) fn parse_index(data: &[u8]) -> Option<Vec<String>> {
    if data.get(0..4)? != b"DIRC" {
        return None;
    }
    let version = be32(data, 4)?;
    if !(2..=4).contains(&version) {
        return None;
    }
    let count = be32(data, 8)? as usize;
    let mut pos = 12;
    let mut out = Vec::with_capacity(count.min(1 << 20));
    let mut prev: Vec<u8> = Vec::new();
    for _ in 0..count {
        let entry_start = pos;
        // ctime, mtime, dev, ino, mode, uid, gid, size (40 bytes), sha-1 (20), flags (2).
        let flags = u16::from_be_bytes([*data.get(pos + 60)?, *data.get(pos + 61)?]);
        pos += 62;
        if version >= 3 && flags & 0x4000 != 0 {
            pos += 2;
        }
        let name: Vec<u8> = if version == 4 {
            // Varint: bytes to strip from the previous name, then the NUL-terminated suffix.
            let mut strip: usize = 0;
            let mut first = true;
            loop {
                let c = *data.get(pos)?;
                pos += 1;
                if first {
                    strip = usize::from(c & 0x7f);
                    first = false;
                } else {
                    strip = strip.checked_add(1)?.checked_mul(128)? + usize::from(c & 0x7f);
                }
                if c & 0x80 == 0 {
                    break;
                }
            }
            let end = pos + memchr::memchr(0, data.get(pos..)?)?;
            let keep = prev.len().checked_sub(strip)?;
            let mut n = prev[..keep].to_vec();
            n.extend_from_slice(&data[pos..end]);
            pos = end + 1;
            n
        } else {
            let end = pos + memchr::memchr(0, data.get(pos..)?)?;
            let n = data[pos..end].to_vec();
            // Entries are padded with 1-8 NULs to a multiple of 8 bytes.
            let len = end - entry_start;
            pos = entry_start + (len + 8) / 8 * 8;
            n
        };
        // Skip entries of a sparse index that stand for whole folders (mode 040000).
        let mode = be32(data, entry_start + 24)?;
        if mode & 0o170_000 != 0o040_000 {
            out.push(String::from_utf8_lossy(&name).into_owned());
        }
        prev = name;
    }
    Some(out)
}

// ---------------------------------------------------------------------------------------
// migrations

fn gitignore_patterns(root: &Path, dirs: &[&str]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for d in dirs {
        let Some(text) = read_small(&root.join(join(d, ".gitignore")), MAX_SMALL_FILE) else {
            continue;
        };
        for line in text.lines() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') || l.starts_with('!') {
                continue;
            }
            out.push(((*d).to_string(), l.to_string()));
        }
    }
    out
}

/// Whether a `.gitignore` pattern (from folder `base`) hides `dir` or the `*.sql` in it.
fn ignores(base: &str, pattern: &str, dir: &str, has_sql: bool) -> bool {
    let p = pattern
        .trim_end_matches('/')
        .trim_end_matches("/*")
        .trim_end_matches("/**");
    if has_sql && matches!(p, "*.sql" | "**/*.sql") {
        return true;
    }
    let rel = if base.is_empty() {
        Some(dir)
    } else {
        dir.strip_prefix(&format!("{base}/"))
    };
    let Some(rel) = rel else { return false };
    if let Some(anchored) = p.strip_prefix('/') {
        return rel == anchored || rel.starts_with(&format!("{anchored}/"));
    }
    let p = p.trim_start_matches("**/");
    if p.contains('/') {
        rel == p || rel.ends_with(&format!("/{p}"))
    } else {
        rel.split('/').any(|seg| seg == p)
    }
}

fn migration_tool(dir: &str, names: &[String]) -> &'static str {
    let lower = dir.to_ascii_lowercase();
    if lower.contains("prisma/") || names.iter().any(|n| n == "migration_lock.toml") {
        "prisma"
    } else if lower.ends_with("versions") {
        "alembic"
    } else if names.iter().any(|n| n == "__init__.py") {
        "django"
    } else if lower.starts_with("drizzle") || lower.ends_with("/drizzle") {
        "drizzle"
    } else if names.iter().any(|n| n.ends_with(".sql")) {
        "sql"
    } else if names.iter().any(|n| n.ends_with(".go")) {
        "go"
    } else if names
        .iter()
        .any(|n| n.ends_with(".js") || n.ends_with(".ts"))
    {
        "js"
    } else {
        "unknown"
    }
}

fn is_migration_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower.ends_with(".sql")
        || lower.ends_with(".py")
        || lower.ends_with(".js")
        || lower.ends_with(".ts")
        || lower.ends_with(".go")
        || lower.ends_with(".cjs")
        || lower.ends_with(".mjs"))
        && lower != "__init__.py"
        && !lower.ends_with(".d.ts")
}

#[allow(clippy::too_many_lines)]
fn migrations(root: &Path, project: &mut Project, roots: &[String]) {
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for r in roots {
        for rel in MIGRATION_PATHS {
            let d = join(r, rel);
            if is_real_dir(&root.join(&d)) {
                dirs.insert(d);
            }
        }
    }
    // Folders named `migrations` that hold walked files (Django apps, nested packages).
    for f in &project.files {
        let p = parent(&f.path);
        if p.rsplit('/').next() == Some("migrations") && f.role != FileRole::Test {
            dirs.insert(p.to_string());
        }
    }
    // Nested folders of one another: keep the outer (`migrations` vs `migrations/versions`
    // counts once, as the inner one, which holds the files).
    let list: Vec<String> = dirs.iter().cloned().collect();
    let mut sql_budget = MAX_SQL_FILES;
    let mut seen_sql: BTreeSet<String> = project.files.iter().map(|f| f.path.clone()).collect();
    for dir in list {
        if list_contains_child(&dirs, &dir) && !dir.ends_with("versions") {
            // e.g. `migrations` when `migrations/versions` exists: the child is the folder.
            let child_has = dirs
                .iter()
                .any(|d| d.starts_with(&format!("{dir}/")) && d.ends_with("versions"));
            if child_has {
                continue;
            }
        }
        let abs = root.join(&dir);
        let mut names = Vec::new();
        let mut files = Vec::new();
        let Ok(rd) = std::fs::read_dir(&abs) else {
            continue;
        };
        for e in rd.flatten().take(MAX_DIR_ENTRIES) {
            let Ok(ft) = e.file_type() else { continue };
            let name = e.file_name().to_string_lossy().into_owned();
            if ft.is_symlink() {
                continue;
            }
            if ft.is_dir() {
                // Prisma / some tools: one folder per migration holding `migration.sql`
                // or `up.sql`.
                if let Ok(inner) = std::fs::read_dir(e.path()) {
                    for ie in inner.flatten().take(16) {
                        let iname = ie.file_name().to_string_lossy().into_owned();
                        if ie.file_type().is_ok_and(|t| t.is_file()) && is_migration_file(&iname) {
                            files.push(format!("{dir}/{name}/{iname}"));
                        }
                    }
                }
            } else if ft.is_file() {
                if is_migration_file(&name) {
                    files.push(format!("{dir}/{name}"));
                }
                names.push(name);
            }
        }
        files.sort();
        let tool = migration_tool(&dir, &names);
        let has_sql = files.iter().any(|f| f.ends_with(".sql"));
        // `.gitignore` of the root, every folder on the way, and the folder itself.
        let mut chain: Vec<&str> = vec![""];
        let mut acc = 0;
        while let Some(p) = dir[acc..].find('/') {
            chain.push(&dir[..acc + p]);
            acc += p + 1;
        }
        chain.push(&dir);
        let patterns = gitignore_patterns(root, &chain);
        let ignored = patterns
            .iter()
            .any(|(base, p)| ignores(base, p, &dir, has_sql));
        project.facts.migration_dirs.push(MigrationDir {
            path: dir.clone(),
            tool: tool.to_string(),
            files: files.len() as u32,
            ignored,
        });
        let source = if tool == "prisma" {
            "prisma-migration"
        } else {
            "sql-migration"
        };
        for f in files.into_iter().filter(|f| f.ends_with(".sql")) {
            if sql_budget == 0 || !seen_sql.insert(f.clone()) {
                continue;
            }
            let Some(text) = read_small(&root.join(&f), MAX_SQL_SIZE) else {
                continue;
            };
            sql_budget -= 1;
            let id = add_file(project, f.clone(), Some(text));
            let file = &project.files[id.0 as usize];
            let Some(text) = file.text.clone() else {
                continue;
            };
            let cx = FileCtx {
                id,
                path: &f,
                lang: Lang::Text,
                role: file.role,
                text: &text,
            };
            let mut facts = shipready_model::Facts::default();
            super::schema::scan_sql(&cx, source, &mut facts);
            project.facts.extend(facts);
        }
    }
}

fn list_contains_child(dirs: &BTreeSet<String>, dir: &str) -> bool {
    dirs.iter().any(|d| d.starts_with(&format!("{dir}/")))
}

// ---------------------------------------------------------------------------------------
// docker build contexts

fn is_env_file_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower == ".env" || lower.starts_with(".env."))
        && ![
            "example", "sample", "template", "dist", "defaults", "schema", "test", "ci",
        ]
        .iter()
        .any(|w| lower.split('.').any(|p| p == *w))
}

fn docker_contexts(root: &Path, project: &mut Project) {
    let mut dirs: BTreeSet<String> = BTreeSet::new();
    for d in &project.facts.dockerfiles {
        dirs.insert(parent(&project.file(d.span.file).path).to_string());
    }
    for s in &project.facts.compose_services {
        if let Some(b) = &s.build {
            if b.contains("://") || b.starts_with('$') {
                continue;
            }
            let base = parent(&project.file(s.span.file).path);
            dirs.insert(normalise(&join(base, b)));
        }
    }
    for dir in dirs {
        let abs = if dir.is_empty() {
            root.to_path_buf()
        } else {
            root.join(&dir)
        };
        if !is_real_dir(&abs) {
            continue;
        }
        let dockerignore = read_small(&abs.join(".dockerignore"), MAX_SMALL_FILE).map(|t| {
            t.lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(str::to_string)
                .collect()
        });
        let mut env_files = Vec::new();
        if let Ok(rd) = std::fs::read_dir(&abs) {
            for e in rd.flatten().take(MAX_DIR_ENTRIES) {
                let name = e.file_name().to_string_lossy().into_owned();
                if is_env_file_name(&name) && e.file_type().is_ok_and(|t| t.is_file()) {
                    env_files.push(join(&dir, &name));
                }
            }
        }
        env_files.sort();
        project.facts.docker_contexts.push(DockerContext {
            dir,
            dockerignore,
            env_files,
        });
    }
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}

// ---------------------------------------------------------------------------------------
// CI steps, scripts and commands

fn script_table(project: &Project) -> BTreeMap<(String, String), String> {
    project
        .facts
        .package_scripts
        .iter()
        .map(|s| {
            (
                (
                    parent(&project.file(s.span.file).path).to_string(),
                    s.name.clone(),
                ),
                s.command.clone(),
            )
        })
        .collect()
}

/// Re-classifies CI steps with `package.json` scripts resolved.
fn resolve_ci(project: &mut Project) {
    let table = script_table(project);
    let resolve = |dir: &str, name: &str| -> Option<String> {
        table.get(&(dir.to_string(), name.to_string())).cloned()
    };
    for p in &mut project.facts.ci_pipelines {
        for job in &mut p.jobs {
            for step in &mut job.steps {
                let Some(run) = &step.run else { continue };
                let wd = step
                    .working_directory
                    .as_deref()
                    .map(normalise)
                    .unwrap_or_default();
                let text = if wd.is_empty() {
                    run.clone()
                } else {
                    format!("cd {wd}\n{run}")
                };
                let kinds = super::ci::classify(&text, &resolve);
                for k in kinds {
                    if !step.kinds.contains(&k) {
                        step.kinds.push(k);
                    }
                }
            }
        }
    }
}

fn fail_under(text: &str) -> Option<u32> {
    let pos = text.find("--cov-fail-under")?;
    let rest = text[pos + "--cov-fail-under".len()..].trim_start_matches(['=', ' ']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn prisma_push(text: &str) -> Option<bool> {
    text.contains("prisma db push")
        .then(|| text.contains("--accept-data-loss") || text.contains("--force-reset"))
}

/// `--cov-fail-under` and `prisma db push` in CI steps, run-path package scripts,
/// Dockerfiles and compose commands.
fn scripts_and_commands(project: &mut Project) {
    let mut thresholds = Vec::new();
    let mut syncs = Vec::new();
    for p in &project.facts.ci_pipelines {
        for step in p.jobs.iter().flat_map(|j| &j.steps) {
            let Some(run) = &step.run else { continue };
            if let Some(v) = fail_under(run) {
                thresholds.push(CoverageThreshold {
                    span: step.span,
                    tool: "pytest-cov".to_string(),
                    metric: "total".to_string(),
                    percent: v,
                });
            }
            if let Some(destructive) = prisma_push(run) {
                syncs.push(SchemaSync {
                    span: step.span,
                    api: "prisma db push".to_string(),
                    destructive,
                });
            }
        }
    }
    for s in &project.facts.package_scripts {
        if let Some(v) = fail_under(&s.command) {
            thresholds.push(CoverageThreshold {
                span: s.span,
                tool: "pytest-cov".to_string(),
                metric: "total".to_string(),
                percent: v,
            });
        }
        // Only scripts on the path to production: start/deploy/release/postinstall.
        let run_path = [
            "start",
            "prestart",
            "poststart",
            "deploy",
            "predeploy",
            "release",
            "postinstall",
            "migrate",
            "migrate:deploy",
            "db:migrate",
        ]
        .contains(&s.name.as_str());
        if run_path && let Some(destructive) = prisma_push(&s.command) {
            syncs.push(SchemaSync {
                span: s.span,
                api: "prisma db push".to_string(),
                destructive,
            });
        }
    }
    for d in &project.facts.dockerfiles {
        if project.file(d.span.file).role == FileRole::Test {
            continue;
        }
        for i in d.stages.iter().flat_map(|s| &s.instructions) {
            if matches!(i.keyword.as_str(), "RUN" | "CMD" | "ENTRYPOINT")
                && let Some(destructive) = prisma_push(&i.args)
            {
                syncs.push(SchemaSync {
                    span: i.span,
                    api: "prisma db push".to_string(),
                    destructive,
                });
            }
        }
    }
    for s in &project.facts.compose_services {
        if let Some(destructive) = s.command.as_deref().and_then(prisma_push) {
            syncs.push(SchemaSync {
                span: s.span,
                api: "prisma db push".to_string(),
                destructive,
            });
        }
    }
    project.facts.coverage_thresholds.extend(thresholds);
    project.facts.schema_syncs.extend(syncs);
}

// ---------------------------------------------------------------------------------------
// tsconfig extends

fn resolve_extends(from_dir: &str, ext: &str, known: &BTreeMap<String, usize>) -> Option<usize> {
    if !(ext.starts_with("./") || ext.starts_with("../") || ext.starts_with('/')) {
        return None;
    }
    let base = normalise(&join(from_dir, ext));
    [
        base.clone(),
        format!("{base}.json"),
        format!("{base}/tsconfig.json"),
    ]
    .iter()
    .find_map(|c| known.get(c).copied())
}

fn resolve_tsconfigs(project: &mut Project) {
    let paths: Vec<String> = project
        .facts
        .tsconfigs
        .iter()
        .map(|t| project.file(t.span.file).path.clone())
        .collect();
    let known: BTreeMap<String, usize> = paths
        .iter()
        .enumerate()
        .map(|(i, p)| (p.clone(), i))
        .collect();
    let own: Vec<Vec<TsOption>> = project
        .facts
        .tsconfigs
        .iter()
        .map(|t| t.options.clone())
        .collect();
    let mut updates = Vec::new();
    for (i, t) in project.facts.tsconfigs.iter().enumerate() {
        let mut options = t.options.clone();
        let mut resolved = true;
        // Breadth-first over `extends`, bounded; later bases lose to earlier ones.
        let mut queue: Vec<(usize, String)> = t.extends.iter().map(|e| (i, e.clone())).collect();
        let mut visited = BTreeSet::from([i]);
        let mut steps = 0;
        while let Some((from, ext)) = (!queue.is_empty()).then(|| queue.remove(0)) {
            steps += 1;
            if steps > 16 {
                break;
            }
            let Some(j) = resolve_extends(parent(&paths[from]), &ext, &known) else {
                resolved = false;
                continue;
            };
            if !visited.insert(j) {
                continue;
            }
            for o in &own[j] {
                if !options.iter().any(|x| x.name == o.name) {
                    let mut o = o.clone();
                    o.inherited_from = Some(paths[j].clone());
                    options.push(o);
                }
            }
            queue.extend(
                project.facts.tsconfigs[j]
                    .extends
                    .iter()
                    .map(|e| (j, e.clone())),
            );
        }
        updates.push((options, resolved));
    }
    for (t, (options, resolved)) in project.facts.tsconfigs.iter_mut().zip(updates) {
        t.options = options;
        t.extends_resolved = resolved;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(path: &str, version: u32, strip: u8) -> Vec<u8> {
        let mut e = vec![0u8; 62];
        e[24..28].copy_from_slice(&0o100_644u32.to_be_bytes());
        let len = u16::try_from(path.len()).unwrap_or(0);
        e[60..62].copy_from_slice(&len.to_be_bytes());
        if version == 4 {
            e.push(strip);
            e.extend_from_slice(path.as_bytes());
            e.push(0);
        } else {
            e.extend_from_slice(path.as_bytes());
            let pad = 8 - (e.len() % 8);
            e.extend(std::iter::repeat_n(0, pad));
        }
        e
    }

    #[test]
    fn index_v2_and_v4() {
        for v in [2u32, 4] {
            let mut data = b"DIRC".to_vec();
            data.extend_from_slice(&v.to_be_bytes());
            data.extend_from_slice(&2u32.to_be_bytes());
            data.extend(entry("a/.env", v, 0));
            // v4: strip the whole previous name ("a/.env", 6 bytes).
            data.extend(entry("b.txt", v, 6));
            assert_eq!(
                parse_index(&data),
                Some(vec!["a/.env".to_string(), "b.txt".to_string()]),
                "version {v}"
            );
        }
        assert_eq!(parse_index(b"DIRC\0\0\0\x02\0\0\0\x05"), None);
        assert_eq!(parse_index(b"nope"), None);
    }

    #[test]
    fn gitignore_matching() {
        assert!(ignores("", "migrations/", "api/migrations", false));
        assert!(ignores("", "/api/migrations", "api/migrations", false));
        assert!(!ignores("", "/migrations", "api/migrations", false));
        assert!(ignores("api", "*.sql", "api/migrations", true));
        assert!(!ignores("", "node_modules/", "api/migrations", true));
        assert!(is_env_file_name(".env"));
        assert!(is_env_file_name(".env.production"));
        assert!(!is_env_file_name(".env.example"));
    }
}
