//! Commit and branch of a git checkout, read from `.git` as files (git is never run).

use std::path::{Path, PathBuf};

use serde::Serialize;

/// Where the scanned tree stands in git.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GitInfo {
    /// Branch name, unless HEAD is detached.
    pub branch: Option<String>,
    /// Full commit hash, when it could be resolved.
    pub commit: Option<String>,
}

/// Largest `.git` file read (HEAD, a ref, packed-refs).
const MAX_READ: u64 = 4 << 20;

fn read_small(path: &Path) -> Option<String> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    if !meta.is_file() || meta.len() > MAX_READ {
        return None;
    }
    std::fs::read_to_string(path).ok()
}

fn is_hash(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The git directory of a checkout root: `.git/`, or the one a `.git` file points to.
fn git_dir(root: &Path) -> Option<PathBuf> {
    let dot = root.join(".git");
    let meta = std::fs::symlink_metadata(&dot).ok()?;
    if meta.is_dir() {
        return Some(dot);
    }
    let text = read_small(&dot)?;
    let target = text.lines().next()?.strip_prefix("gitdir:")?.trim();
    let p = Path::new(target);
    Some(if p.is_absolute() {
        p.to_path_buf()
    } else {
        root.join(p)
    })
}

/// Resolves a ref name (`refs/heads/main`) through loose refs, then packed-refs.
fn resolve(dir: &Path, name: &str) -> Option<String> {
    if name.split('/').any(|part| part == ".." || part.is_empty()) {
        return None;
    }
    if let Some(text) = read_small(&dir.join(name)) {
        let t = text.trim();
        if is_hash(t) {
            return Some(t.to_string());
        }
    }
    let packed = read_small(&dir.join("packed-refs"))?;
    packed.lines().find_map(|l| {
        let (hash, r) = l.split_once(' ')?;
        (r.trim() == name && is_hash(hash)).then(|| hash.to_string())
    })
}

/// Reads the branch and commit of `root` when it is a git checkout.
pub fn git_info(root: &Path) -> Option<GitInfo> {
    let dir = git_dir(root)?;
    let head = read_small(&dir.join("HEAD"))?;
    let head = head.trim();
    if let Some(name) = head.strip_prefix("ref:") {
        let name = name.trim();
        let branch = name.strip_prefix("refs/heads/").unwrap_or(name).to_string();
        // A linked worktree keeps its refs in the common dir.
        let commit = resolve(&dir, name).or_else(|| {
            let common = read_small(&dir.join("commondir"))?;
            resolve(&dir.join(common.trim()), name)
        });
        Some(GitInfo {
            branch: Some(branch),
            commit,
        })
    } else if is_hash(head) {
        Some(GitInfo {
            branch: None,
            commit: Some(head.to_string()),
        })
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_loose_and_packed_refs() {
        let t = std::env::temp_dir().join(format!("shipready-git-{}", std::process::id()));
        let g = t.join(".git");
        std::fs::create_dir_all(g.join("refs/heads")).expect("mkdir");
        std::fs::write(g.join("HEAD"), "ref: refs/heads/main\n").expect("write");
        let hash = "0123456789abcdef0123456789abcdef01234567";
        std::fs::write(
            g.join("packed-refs"),
            format!("# pack\n{hash} refs/heads/main\n"),
        )
        .expect("write");
        assert_eq!(
            git_info(&t),
            Some(GitInfo {
                branch: Some("main".into()),
                commit: Some(hash.into())
            })
        );
        std::fs::write(g.join("HEAD"), format!("{hash}\n")).expect("write");
        assert_eq!(git_info(&t).and_then(|g| g.branch), None);
        let _ = std::fs::remove_dir_all(&t);
        assert_eq!(git_info(&t), None);
    }
}
