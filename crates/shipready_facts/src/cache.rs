//! Content-hash cache of per-file facts under `.shipready/cache/`.
//!
//! A file's facts depend only on its path, language, role and text (the per-file half of
//! [`crate::build_project`]); linking, grouping and the rules run on every scan. So a file
//! whose path and SHA-256 are unchanged since the last scan reuses its facts instead of being
//! parsed again.
//!
//! Trust: the cache file records a key made of the shipready version and the identity of the
//! running executable (its size and modification time), so any rebuild or upgrade (new
//! extractors, new fact fields) discards it. A cache that does not parse, has another format
//! or key, or whose entry does not deserialize into today's facts is ignored: the file is
//! extracted again. Writes go to a temporary file renamed into place, so a concurrent or
//! interrupted scan never leaves a half-written cache. Files that were skipped (parse
//! failure, timeout) are never cached.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shipready_model::{Facts, FileId};

/// Name of the cache file inside the cache directory.
const FILE_NAME: &str = "facts.json";
/// Format tag of the cache file.
const FORMAT: &str = "shipready-fact-cache/1";
/// Deepest JSON nesting [`remap`] follows (facts nest a handful of levels).
const MAX_DEPTH: usize = 64;

/// The cache directory of a repository root: `.shipready/cache/`.
pub fn default_dir(root: &Path) -> PathBuf {
    root.join(".shipready").join("cache")
}

/// One cached file.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Entry {
    /// SHA-256 of the text, hex.
    hash: String,
    /// The file id the facts' spans carry.
    id: u32,
    /// Whether the parse had syntax errors.
    pub had_errors: bool,
    /// The facts, as a JSON text (a string is far smaller in memory than a `Value` tree).
    facts: String,
}

#[derive(Serialize, Deserialize)]
struct Stored {
    format: String,
    key: String,
    entries: HashMap<String, Entry>,
}

/// The cache as loaded at the start of a scan.
pub(crate) struct FactCache {
    dir: PathBuf,
    key: String,
    entries: HashMap<String, Entry>,
}

/// What invalidates the cache: the version and the running executable's identity.
fn cache_key() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("{}-{mtime}", m.len())
        })
        .unwrap_or_default();
    format!("{}+{exe}", env!("CARGO_PKG_VERSION"))
}

/// SHA-256 of `text`, hex.
pub(crate) fn content_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

impl FactCache {
    /// Loads the cache of `dir`; a missing, corrupt or foreign cache loads as empty.
    pub(crate) fn load(dir: &Path) -> Self {
        let key = cache_key();
        let entries = std::fs::read(dir.join(FILE_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice::<Stored>(&bytes).ok())
            .filter(|s| s.format == FORMAT && s.key == key)
            .map(|s| s.entries)
            .unwrap_or_default();
        FactCache {
            dir: dir.to_path_buf(),
            key,
            entries,
        }
    }

    /// How many entries were loaded.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    /// The cached facts of `path` when its text still hashes to `hash`, with their spans
    /// moved to file `id`. `None` when absent, stale or not readable as today's facts.
    pub(crate) fn get(&self, path: &str, hash: &str, id: FileId) -> Option<(Facts, &Entry)> {
        let e = self.entries.get(path)?;
        if e.hash != hash {
            return None;
        }
        let facts = if e.id == id.0 {
            serde_json::from_str(&e.facts).ok()?
        } else {
            let mut v: serde_json::Value = serde_json::from_str(&e.facts).ok()?;
            remap(&mut v, id.0)?;
            serde_json::from_value(v).ok()?
        };
        Some((facts, e))
    }

    /// Writes `entries` (path -> entry) as the new cache, atomically. Errors are returned
    /// for the caller to ignore or report: a cache that cannot be written only costs speed.
    pub(crate) fn save(&self, entries: HashMap<String, Entry>) -> std::io::Result<()> {
        std::fs::create_dir_all(&self.dir)?;
        let ignore = self.dir.join(".gitignore");
        if !ignore.exists() {
            std::fs::write(&ignore, "# shipready's fact cache: never commit it\n*\n")?;
        }
        let stored = Stored {
            format: FORMAT.to_string(),
            key: self.key.clone(),
            entries,
        };
        // Unique per process and per save, so that concurrent scans never share a temp file.
        static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = self
            .dir
            .join(format!(".{FILE_NAME}.{}-{n}.tmp", std::process::id()));
        let result = (|| {
            let mut f = std::io::BufWriter::new(std::fs::File::create(&tmp)?);
            serde_json::to_writer(&mut f, &stored).map_err(std::io::Error::other)?;
            f.flush()?;
            drop(f);
            std::fs::rename(&tmp, self.dir.join(FILE_NAME))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

impl Entry {
    /// The entry for facts just extracted from a file whose text hashes to `hash`.
    pub(crate) fn new(hash: String, id: FileId, had_errors: bool, facts: &Facts) -> Option<Self> {
        Some(Entry {
            hash,
            id: id.0,
            had_errors,
            facts: serde_json::to_string(facts).ok()?,
        })
    }
}

/// Moves every span in `v` (an object with exactly the keys `file`, `start`, `end`) to file
/// `id`. Iterative; `None` when the nesting is deeper than [`MAX_DEPTH`].
fn remap(v: &mut serde_json::Value, id: u32) -> Option<()> {
    let mut stack: Vec<(&mut serde_json::Value, usize)> = vec![(v, 0)];
    while let Some((cur, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return None;
        }
        match cur {
            serde_json::Value::Object(map) => {
                if map.len() == 3
                    && map.contains_key("start")
                    && map.contains_key("end")
                    && map.get("file").is_some_and(serde_json::Value::is_u64)
                {
                    map.insert("file".to_string(), serde_json::Value::from(id));
                    continue;
                }
                stack.extend(map.values_mut().map(|c| (c, depth + 1)));
            }
            serde_json::Value::Array(items) => {
                stack.extend(items.iter_mut().map(|c| (c, depth + 1)));
            }
            _ => {}
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remaps_spans_only() {
        let mut v = serde_json::json!({
            "routes": [{"span": {"file": 3, "start": 1, "end": 2}, "file": 9}],
            "x": {"file": 3, "start": 1}
        });
        assert!(remap(&mut v, 7).is_some());
        assert_eq!(v["routes"][0]["span"]["file"], 7);
        assert_eq!(v["routes"][0]["file"], 9);
        assert_eq!(v["x"]["file"], 3);
    }

    #[test]
    fn corrupt_or_foreign_cache_is_empty() {
        let dir = std::env::temp_dir().join(format!("shipready-cache-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).ok();
        std::fs::write(dir.join(FILE_NAME), b"{not json").ok();
        assert_eq!(FactCache::load(&dir).len(), 0);
        std::fs::write(
            dir.join(FILE_NAME),
            br#"{"format":"shipready-fact-cache/1","key":"other","entries":{"a.js":{"hash":"x","id":0,"had_errors":false,"facts":"{}"}}}"#,
        )
        .ok();
        assert_eq!(FactCache::load(&dir).len(), 0);
        let cache = FactCache::load(&dir);
        let facts = Facts::default();
        let mut entries = HashMap::new();
        let hash = content_hash("x");
        if let Some(e) = Entry::new(hash.clone(), FileId(0), false, &facts) {
            entries.insert("a.js".to_string(), e);
        }
        assert!(cache.save(entries).is_ok());
        let again = FactCache::load(&dir);
        assert_eq!(again.len(), 1);
        assert!(again.get("a.js", &hash, FileId(4)).is_some());
        assert!(again.get("a.js", "other", FileId(0)).is_none());
        std::fs::remove_dir_all(&dir).ok();
    }
}
