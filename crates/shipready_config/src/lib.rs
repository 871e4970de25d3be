//! `shipready.toml`: where it is found, what it may say, and the errors (with file:line) for
//! anything else.
//!
//! Every key is optional. Unknown keys and values of the wrong type or range are errors: a
//! typo in a gate threshold must not silently turn the gate off. The JSON Schema in
//! `docs/schema/shipready-toml.json` describes the same shape for editors.
#![warn(missing_docs)]

mod init;
mod parse;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

pub use init::{DEFAULT_CONFIG, InitReport, init};
pub use parse::parse;
use shipready_model::{ComponentKind, Severity};
use shipready_rules::Waiver;

/// The configuration file's name.
pub const FILE_NAME: &str = "shipready.toml";

/// Rule selection and severity overrides (`[rules]`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RulesConfig {
    /// Only these rule codes run (`None`: all).
    pub select: Option<Vec<String>>,
    /// These rule codes never run.
    pub ignore: Vec<String>,
    /// Severity by rule code.
    pub severity: BTreeMap<String, Severity>,
}

impl RulesConfig {
    /// Whether the rule with `code` runs under this selection.
    pub fn enabled(&self, code: &str) -> bool {
        self.select
            .as_ref()
            .is_none_or(|s| s.iter().any(|c| c == code))
            && !self.ignore.iter().any(|c| c == code)
    }
}

/// A component declared or adjusted by configuration (`[components.NAME]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComponentOverride {
    /// Display name.
    pub name: String,
    /// Root folder, relative to the scanned root (`""` for the root itself).
    pub path: String,
    /// Kind, when set.
    pub kind: Option<ComponentKind>,
    /// 1-based line in the configuration file.
    pub line: u32,
}

/// The whole configuration; [`Config::default`] is what no file means.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    /// The file it came from, as shown to the user (`None`: no file).
    pub source: Option<String>,
    /// `[rules]`.
    pub rules: RulesConfig,
    /// Paths (prefixes) left out of the walk, relative to the scanned root.
    pub exclude: Vec<String>,
    /// `[components]`.
    pub components: Vec<ComponentOverride>,
    /// The readiness score the team aims at (reports show the gap).
    pub target_score: Option<u32>,
    /// The gate fails under this overall score (like `--min-score`).
    pub min_score: Option<u32>,
    /// The gate fails when a finding reaches this severity (like `--fail-on`).
    pub fail_on: Option<Severity>,
    /// `[coverage] target`: the line coverage the testing category expects, in percent.
    pub coverage_target: Option<u32>,
    /// `[[waivers]]`.
    pub waivers: Vec<Waiver>,
}

/// A configuration error: where and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    /// The file as shown to the user.
    pub file: String,
    /// 1-based line (0 when the error concerns the whole file).
    pub line: u32,
    /// 1-based column (0 when unknown).
    pub column: u32,
    /// What is wrong, and what is allowed.
    pub message: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (0, _) => write!(f, "{}: {}", self.file, self.message),
            (l, 0) => write!(f, "{}:{l}: {}", self.file, self.message),
            (l, c) => write!(f, "{}:{l}:{c}: {}", self.file, self.message),
        }
    }
}

impl std::error::Error for ConfigError {}

/// Finds `shipready.toml` by walking up from `start`: the first folder holding one wins; the
/// walk stops at a folder holding `.git` (the repository root) or at the filesystem root.
pub fn find(start: &Path) -> Option<PathBuf> {
    let start = start.canonicalize().ok()?;
    // Bounded: a path has finitely many ancestors, and we never follow anything else.
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// Reads and parses a configuration file; `display` is how messages name it.
pub fn load(path: &Path, display: &str) -> Result<Config, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: display.to_string(),
        line: 0,
        column: 0,
        message: format!("cannot read: {e}"),
    })?;
    parse(&text, display)
}

impl Config {
    /// Makes paths written relative to the configuration file's folder relative to the
    /// scanned root instead, when the scan starts below that folder (`prefix` is the scanned
    /// root relative to the configuration folder, `/`-separated, `""` when they are the same).
    /// Paths outside the scanned root are dropped; `**/` globs apply everywhere and are kept.
    #[must_use]
    pub fn rebased(mut self, prefix: &str) -> Config {
        let prefix = prefix.trim_matches('/');
        if prefix.is_empty() {
            return self;
        }
        let rebase = |p: &str| -> Option<String> {
            let p = p.trim_start_matches("./");
            if p.starts_with("**") {
                return Some(p.to_string());
            }
            if p == prefix {
                return Some(String::new());
            }
            p.strip_prefix(prefix)
                .and_then(|rest| rest.strip_prefix('/'))
                .map(str::to_string)
        };
        self.exclude = self.exclude.iter().filter_map(|p| rebase(p)).collect();
        self.exclude.retain(|p| !p.is_empty());
        self.components = self
            .components
            .into_iter()
            .filter_map(|mut c| {
                c.path = rebase(&c.path)?;
                Some(c)
            })
            .collect();
        self.waivers = self
            .waivers
            .into_iter()
            .filter_map(|mut w| {
                if let Some(p) = &w.path {
                    w.path = Some(rebase(p)?);
                }
                Some(w)
            })
            .collect();
        self
    }
}
