//! `shipready init`: a commented default `shipready.toml`, and `.gitignore` lines that keep
//! the run history (`.shipready/*`) out of git but the risk register in.

use std::path::{Path, PathBuf};

use crate::FILE_NAME;

/// The file `shipready init` writes: every key commented out, so it changes nothing until
/// edited.
pub const DEFAULT_CONFIG: &str = r#"# shipready configuration. Every key is optional; remove the leading `# ` to use one.
# Reference: docs/schema/shipready-toml.json (JSON Schema, usable by editors).

# The gate (`shipready gate`, `shipready scan --fail-on`) fails when a finding reaches
# this severity: "critical", "high", "medium" or "low". Command-line flags win.
# fail_on = "high"

# The gate also fails when the overall readiness score (0-100) is under this value.
# min_score = 60

# The score the team aims at; reports show the gap (default 80).
# target_score = 80

# Folders or files (repository-relative) that are never read.
# exclude = ["legacy", "tools/generated"]

# [rules]
# Run only these rules (codes such as "REL001", slugs, or families such as "SEC").
# select = ["REL", "SEC", "AVL"]
# Never run these.
# ignore = ["OBS001"]

# [rules.severity]
# Severity overrides, by code or slug.
# REL003 = "medium"

# [coverage]
# Line coverage (percent) the testing category expects.
# target = 80

# Components: name a deployable unit, give it a folder, or set its kind
# ("service", "worker", "frontend", "library").
# [components.billing]
# path = "services/billing"
# kind = "worker"

# Waivers: accepted risks, reviewed like code. `rule` and `reason` are required; narrow it
# with `path` (a prefix or a glob) and/or `fingerprint` (from the JSON report). After
# `expires` the finding is reported again.
# [[waivers]]
# rule = "SEC002"
# path = "apps/api/src/public.ts"
# reason = "public read-only catalogue, no credentials"
# owner = "platform-team"
# expires = 2026-12-31
"#;

/// What `init` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InitReport {
    /// The configuration file written.
    pub config: PathBuf,
    /// The `.gitignore` file, when it was created or changed (`None`: already listed).
    pub gitignore: Option<PathBuf>,
}

/// The lines `init` adds: the run history is local, the risk register is reviewed and
/// committed. Git cannot re-include a file under an ignored folder, so the folder's contents
/// are ignored (`.shipready/*`), not the folder.
const GITIGNORE_BLOCK: &str = "# shipready: run history stays local, the risk register is committed\n.shipready/*\n!.shipready/register.toml\n";

/// Whether a `.gitignore` line already ignores shipready's state at the root.
fn ignores_state(line: &str) -> bool {
    matches!(line.trim(), ".shipready/*" | "/.shipready/*")
}

/// Writes `shipready.toml` into `dir` (refusing to overwrite one) and adds `.shipready/` to
/// `dir/.gitignore` (created when missing; left alone when it already lists it).
pub fn init(dir: &Path) -> Result<InitReport, String> {
    if !dir.is_dir() {
        return Err(format!("`{}` is not a directory", dir.display()));
    }
    let config = dir.join(FILE_NAME);
    if config.exists() {
        return Err(format!(
            "`{}` already exists; not overwriting it",
            config.display()
        ));
    }
    let gitignore = dir.join(".gitignore");
    let existing = match std::fs::read(&gitignore) {
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(format!("cannot read `{}`: {e}", gitignore.display())),
    };
    // Write the configuration with create_new: never clobber a file created meanwhile.
    {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&config)
            .map_err(|e| format!("cannot create `{}`: {e}", config.display()))?;
        f.write_all(DEFAULT_CONFIG.as_bytes())
            .map_err(|e| format!("cannot write `{}`: {e}", config.display()))?;
    }
    let changed = match existing {
        Some(text) if text.lines().any(ignores_state) => None,
        Some(mut text) => {
            if !text.is_empty() && !text.ends_with('\n') {
                text.push('\n');
            }
            text.push_str(GITIGNORE_BLOCK);
            std::fs::write(&gitignore, text)
                .map_err(|e| format!("cannot write `{}`: {e}", gitignore.display()))?;
            Some(gitignore)
        }
        None => {
            std::fs::write(&gitignore, GITIGNORE_BLOCK)
                .map_err(|e| format!("cannot write `{}`: {e}", gitignore.display()))?;
            Some(gitignore)
        }
    };
    Ok(InitReport {
        config,
        gitignore: changed,
    })
}
