//! Discovery of the files to scan.
//!
//! A parallel, gitignore-aware walk (the `ignore` crate, as in ripgrep) that never follows
//! symlinks, never opens FIFOs, sockets or devices, and skips vendored and generated folders,
//! oversized files and lock files, recording each skip with its reason. [`read_text`] then
//! reads one file defensively: non-blocking open, regular-file check on the open handle, a
//! size cap, and binary / invalid UTF-8 / minified / generated detection.
#![warn(missing_docs)]

use std::fs::{File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use ignore::{WalkBuilder, WalkState};
use shipready_model::{Lang, SkippedFile};

/// Default size cap: 2 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 2 * 1024 * 1024;

/// Folders never descended into: dependencies, build output, caches.
const VENDORED_DIRS: &[&str] = &[
    "node_modules",
    "bower_components",
    "jspm_packages",
    "vendor",
    "third_party",
    "dist",
    "build",
    "out",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".output",
    "target",
    "__pycache__",
    ".venv",
    "venv",
    "site-packages",
    ".tox",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
    ".terraform",
    ".git",
    ".hg",
    ".svn",
    ".shipready",
    ".cache",
    ".yarn",
    ".pnpm-store",
];

/// Lock files: large, machine-written, nothing for the rules.
const LOCK_FILES: &[&str] = &[
    "package-lock.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "npm-shrinkwrap.json",
    "bun.lockb",
    "poetry.lock",
    "Pipfile.lock",
    "uv.lock",
    "go.sum",
    "Cargo.lock",
    "composer.lock",
];

/// Walk options.
#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Files larger than this are skipped.
    pub max_file_size: u64,
    /// Threads (0: the number of cores).
    pub jobs: usize,
    /// Extra repository-relative path prefixes to leave out (from configuration).
    pub exclude: Vec<String>,
}

impl Default for WalkOptions {
    fn default() -> Self {
        Self {
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            jobs: 0,
            exclude: Vec::new(),
        }
    }
}

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct WalkedFile {
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// Absolute path.
    pub abs: PathBuf,
    /// Language from the name.
    pub lang: Lang,
    /// Size in bytes at walk time.
    pub size: u64,
}

/// What the walk found.
#[derive(Debug, Default)]
pub struct WalkOutput {
    /// Files to read, sorted by path.
    pub files: Vec<WalkedFile>,
    /// Files and folders skipped, sorted by path.
    pub skipped: Vec<SkippedFile>,
}

fn rel_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, c) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}

fn skip(path: String, reason: &str, detail: impl Into<String>) -> SkippedFile {
    SkippedFile {
        path,
        reason: reason.to_string(),
        detail: detail.into(),
    }
}

/// Walks `root` and returns the files to read and the ones skipped.
pub fn walk(root: &Path, options: &WalkOptions) -> WalkOutput {
    let files = Mutex::new(Vec::new());
    let skipped = Mutex::new(Vec::new());
    let root_buf = root.to_path_buf();
    let exclude = options.exclude.clone();
    let skipped_dirs = std::sync::Arc::new(Mutex::new(Vec::new()));
    let skipped_dirs_filter = skipped_dirs.clone();
    let filter_root = root_buf.clone();

    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .parents(false)
        .git_ignore(true)
        .git_exclude(true)
        .git_global(false)
        .ignore(true)
        .require_git(false)
        .follow_links(false)
        .threads(options.jobs)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if entry.depth() == 0 {
                return true;
            }
            let rel = rel_path(&filter_root, entry.path());
            if exclude
                .iter()
                .any(|p| rel == *p || rel.starts_with(&format!("{p}/")))
            {
                return false;
            }
            if is_dir {
                let name = entry.file_name().to_string_lossy();
                if VENDORED_DIRS.contains(&name.as_ref()) {
                    // `.git` and shipready's own state (`.shipready`) are never part of the report.
                    if name != ".git"
                        && name != ".shipready"
                        && let Ok(mut v) = skipped_dirs_filter.lock()
                    {
                        v.push(skip(
                            rel,
                            "vendored",
                            format!("`{name}` folder not scanned"),
                        ));
                    }
                    return false;
                }
            }
            true
        });

    builder.build_parallel().run(|| {
        let files = &files;
        let skipped = &skipped;
        let root = &root_buf;
        let max = options.max_file_size;
        Box::new(move |result| {
            let entry = match result {
                Ok(e) => e,
                Err(err) => {
                    let path = match &err {
                        ignore::Error::WithPath { path, .. } => rel_path(root, path),
                        _ => String::new(),
                    };
                    if let Ok(mut s) = skipped.lock() {
                        s.push(skip(path, "unreadable", err.to_string()));
                    }
                    return WalkState::Continue;
                }
            };
            if entry.depth() == 0 {
                return WalkState::Continue;
            }
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if ft.is_dir() {
                return WalkState::Continue;
            }
            let rel = rel_path(root, entry.path());
            if ft.is_symlink() {
                if (Lang::from_path(&rel).is_some() || entry.path().is_dir())
                    && let Ok(mut s) = skipped.lock()
                {
                    s.push(skip(rel, "symlink", "symbolic links are not followed"));
                }
                return WalkState::Continue;
            }
            if !ft.is_file() {
                if let Ok(mut s) = skipped.lock() {
                    s.push(skip(
                        rel,
                        "not-a-file",
                        "FIFO, socket or device: not opened",
                    ));
                }
                return WalkState::Continue;
            }
            let name = entry.file_name().to_string_lossy();
            if LOCK_FILES.contains(&name.as_ref()) {
                if let Ok(mut s) = skipped.lock() {
                    s.push(skip(rel, "lockfile", "lock files are not analysed"));
                }
                return WalkState::Continue;
            }
            let Some(lang) = Lang::from_path(&rel) else {
                return WalkState::Continue;
            };
            if lang.is_js_family() && (name.contains(".min.") || name.contains("-min.")) {
                if let Ok(mut s) = skipped.lock() {
                    s.push(skip(rel, "minified", "minified bundle"));
                }
                return WalkState::Continue;
            }
            let size = entry.metadata().map_or(0, |m| m.len());
            if size > max {
                if let Ok(mut s) = skipped.lock() {
                    s.push(skip(rel, "too-large", format!("{size} bytes, cap {max}")));
                }
                return WalkState::Continue;
            }
            if let Ok(mut f) = files.lock() {
                f.push(WalkedFile {
                    path: rel,
                    abs: entry.path().to_path_buf(),
                    lang,
                    size,
                });
            }
            WalkState::Continue
        })
    });

    let mut files = files.into_inner().unwrap_or_default();
    let mut skipped = skipped.into_inner().unwrap_or_default();
    if let Ok(mut dirs) = skipped_dirs.lock() {
        skipped.append(&mut dirs);
    }
    files.sort();
    skipped.sort();
    skipped.dedup();
    WalkOutput { files, skipped }
}

/// Why a file could not be read as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadSkip {
    /// Machine-readable reason.
    pub reason: &'static str,
    /// Detail.
    pub detail: String,
}

fn read_skip(reason: &'static str, detail: impl Into<String>) -> ReadSkip {
    ReadSkip {
        reason,
        detail: detail.into(),
    }
}

fn open_regular(path: &Path) -> Result<File, ReadSkip> {
    let mut opts = OpenOptions::new();
    opts.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Non-blocking open: a FIFO swapped in after the walk must not block the scan.
        // O_NOFOLLOW: a symlink swapped in after the walk is not followed.
        opts.custom_flags(libc::O_NONBLOCK | libc::O_NOFOLLOW);
    }
    let file = opts
        .open(path)
        .map_err(|e| read_skip("unreadable", e.to_string()))?;
    let meta = file
        .metadata()
        .map_err(|e| read_skip("unreadable", e.to_string()))?;
    if !meta.is_file() {
        return Err(read_skip("not-a-file", "not a regular file when opened"));
    }
    Ok(file)
}

/// Reads a file as UTF-8 text, refusing what is not a regular file, larger than `max`,
/// binary, invalid UTF-8, minified or generated.
pub fn read_text(path: &Path, lang: Lang, max: u64) -> Result<String, ReadSkip> {
    let file = open_regular(path)?;
    let mut bytes = Vec::new();
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| read_skip("unreadable", e.to_string()))?;
    if bytes.len() as u64 > max {
        return Err(read_skip("too-large", format!("more than {max} bytes")));
    }
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(read_skip("binary", "contains NUL bytes"));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        read_skip(
            "invalid-utf8",
            format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
        )
    })?;
    if let Some(detail) = generated_marker(&text) {
        return Err(read_skip("generated", detail));
    }
    if lang.is_code() && is_minified(&text) {
        return Err(read_skip(
            "minified",
            "most bytes sit on lines over 1,000 characters",
        ));
    }
    Ok(text)
}

/// Markers code generators write in a file's first lines.
fn generated_marker(text: &str) -> Option<String> {
    let mut end = text.len().min(1024);
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    for marker in [
        "Code generated",
        "DO NOT EDIT",
        "@generated",
        "<auto-generated",
    ] {
        if let Some(line) = head.lines().take(10).find(|l| l.contains(marker)) {
            // Go's convention (`// Code generated ... DO NOT EDIT.`) and the common
            // `@generated` tag; only on comment lines, so a string literal does not count.
            let t = line.trim_start();
            if t.starts_with("//")
                || t.starts_with('#')
                || t.starts_with("/*")
                || t.starts_with('*')
            {
                return Some(format!(
                    "generated file (`{}`)",
                    t.chars().take(60).collect::<String>()
                ));
            }
        }
    }
    None
}

/// A file most of whose bytes sit on very long lines is a bundle, not source.
fn is_minified(text: &str) -> bool {
    if text.len() < 4096 {
        return false;
    }
    let long: usize = text.lines().filter(|l| l.len() > 1000).map(str::len).sum();
    long * 2 > text.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minified_detection() {
        let line = "a".repeat(5000);
        assert!(is_minified(&line));
        let normal = "const a = 1;\n".repeat(1000);
        assert!(!is_minified(&normal));
    }

    #[test]
    fn generated_detection_on_multibyte_boundary() {
        // Byte 1024 falls inside a three-byte character.
        let text = format!("{}\u{20ac}{}", "a".repeat(1023), "b".repeat(100));
        assert!(generated_marker(&text).is_none());
    }

    #[test]
    fn generated_detection() {
        assert!(
            generated_marker("// Code generated by protoc-gen-go. DO NOT EDIT.\npackage x")
                .is_some()
        );
        assert!(generated_marker("const s = \"DO NOT EDIT\";").is_none());
    }
}
