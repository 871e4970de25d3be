//! Run history in SQLite and the risk register.
//!
//! Every scan is stored as a run (scores per category and component, findings with their
//! fingerprints, strengths, commit and branch, tool version, rule set). Findings are matched
//! across runs and keep a `RISK-NNN` id from the run that first saw them:
//!
//! 1. by fingerprint (which has no line numbers, so lines added above a finding keep it), over
//!    every fingerprint the risk ever had;
//! 2. when no fingerprint matches (a renamed or moved file changes the path, which the
//!    fingerprint includes), by rule, component and the finding's first code line with
//!    whitespace removed, among the risks no finding of this run claimed: open risks first,
//!    then the most recently seen. A rename into another component, or an edit of the flagged
//!    line itself, makes a new risk.
//!
//! A risk not seen in a run whose rule set contains its rule is marked fixed in that run; one
//! that comes back reopens with its old id.
//!
//! The database (default `.shipready/history.db`) has versioned migrations embedded in the
//! binary (`migrations/NNNN_name.sql`), applied on open under `PRAGMA user_version`; a
//! database from a newer shipready is refused and never written. It runs in WAL mode and
//! each run is written in one `BEGIN IMMEDIATE` transaction, so concurrent scans queue and a
//! killed scan leaves its run either whole or absent.
//!
//! Test hook: [`SLOW_WRITE_ENV`] (`SHIPREADY_TEST_SLOW_WRITE_MS`) makes the CLI sleep that many
//! milliseconds after each finding row inside the transaction, so tests can kill a scan in
//! the middle of writing. It is not meant for users.
#![warn(missing_docs)]

mod register;
mod time;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, TransactionBehavior, params};
use serde::Serialize;
use sha2::{Digest, Sha256};
use shipready_assess::{Assessment, FindingRef, HistoryPoint, PreviousRun, compare};
use shipready_model::{Category, Finding, Severity};

pub use register::{REGISTER_FILE, Register, RegisterEntry, RegisterError};
pub use time::now_rfc3339;

/// Default database path, relative to the scanned root.
pub const DEFAULT_DB: &str = ".shipready/history.db";

/// Test hook: milliseconds to sleep after each finding row written (see the crate docs).
pub const SLOW_WRITE_ENV: &str = "SHIPREADY_TEST_SLOW_WRITE_MS";

/// Schema migrations, in order: (version, name, SQL).
const MIGRATIONS: &[(u32, &str, &str)] =
    &[(1, "initial", include_str!("../migrations/0001_initial.sql"))];

/// The schema version this shipready writes and reads.
pub const SCHEMA_VERSION: u32 = 1;

/// How many runs the trend shows.
const TREND_RUNS: u32 = 10;

/// How long a scan waits for another one writing the same database.
const BUSY_TIMEOUT: Duration = Duration::from_mins(1);

/// `RISK-007` for 7.
pub fn format_risk_id(n: u32) -> String {
    format!("RISK-{n:03}")
}

/// Parses `RISK-007`, `risk-7` or `7`.
pub fn parse_risk_id(s: &str) -> Option<u32> {
    let s = s.trim();
    let digits = if s.len() > 5 && s[..5].eq_ignore_ascii_case("risk-") {
        &s[5..]
    } else {
        s
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// Why the history database cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HistoryError {
    /// Written by a newer shipready: refused, not modified.
    Newer {
        /// The database.
        path: PathBuf,
        /// Its schema version.
        found: u32,
    },
    /// Not a database, corrupt or truncated.
    Damaged {
        /// The database.
        path: PathBuf,
        /// What SQLite said.
        detail: String,
    },
    /// Some other SQLite database, not shipready's.
    Foreign {
        /// The database.
        path: PathBuf,
    },
    /// No history yet (read commands).
    Missing {
        /// The database.
        path: PathBuf,
    },
    /// Cannot open, create or write it.
    Io {
        /// The database.
        path: PathBuf,
        /// What went wrong.
        detail: String,
    },
}

impl fmt::Display for HistoryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HistoryError::Newer { path, found } => write!(
                f,
                "history database `{}` was written by a newer shipready (schema {found}; this \
                 shipready reads up to {SCHEMA_VERSION}) and was left untouched: upgrade shipready, \
                 or pass `--db OTHER.db` or `--no-history`",
                path.display()
            ),
            HistoryError::Damaged { path, detail } => write!(
                f,
                "history database `{}` is damaged ({detail}): move it away or delete it to start \
                 a new history (decisions are kept in {REGISTER_FILE}), or pass `--db OTHER.db` \
                 or `--no-history`",
                path.display()
            ),
            HistoryError::Foreign { path } => write!(
                f,
                "`{}` is an SQLite database but not a shipready history: pass another `--db` path",
                path.display()
            ),
            HistoryError::Missing { path } => write!(
                f,
                "no history at `{}` yet: run `shipready scan` first (or pass `--db PATH`)",
                path.display()
            ),
            HistoryError::Io { path, detail } => write!(
                f,
                "cannot use history database `{}`: {detail} (pass `--db PATH` or `--no-history`)",
                path.display()
            ),
        }
    }
}

impl std::error::Error for HistoryError {}

/// Options of [`Store::record_run`].
#[derive(Debug, Clone, Default)]
pub struct RecordOptions {
    /// Compare with the previous stored run (fills `changes`, deltas). False when the CLI
    /// already compared with `--baseline`; ids are still patched into those changes.
    pub compare: bool,
    /// Codes of the rules that ran (empty: all). Risks of other rules are not marked fixed.
    pub rule_codes: Vec<String>,
    /// When the run started (RFC 3339, UTC); empty: now.
    pub started_at: String,
    /// Test hook: sleep this long after each finding row (see [`SLOW_WRITE_ENV`]).
    pub slow_write_ms: u64,
}

/// What [`Store::record_run`] stored.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct RecordedRun {
    /// Run number.
    pub run: u32,
    /// Risks seen for the first time.
    pub new: u32,
    /// Risks fixed in this run.
    pub fixed: u32,
    /// Risks open again.
    pub reopened: u32,
}

/// One stored run, as `shipready history` lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunInfo {
    /// Run number.
    pub run: u32,
    /// When it started (RFC 3339, UTC).
    pub started_at: String,
    /// Commit, when the root was a git checkout.
    pub commit: Option<String>,
    /// Branch.
    pub branch: Option<String>,
    /// shipready version.
    pub tool_version: String,
    /// Overall score.
    pub score: u32,
    /// Target score.
    pub target: u32,
    /// Open findings by severity.
    pub critical: u32,
    /// High.
    pub high: u32,
    /// Medium.
    pub medium: u32,
    /// Low.
    pub low: u32,
    /// All open findings.
    pub open: u32,
    /// Waived or suppressed findings.
    pub waived: u32,
    /// Strengths.
    pub strengths: u32,
    /// Risks first seen in this run.
    pub new: u32,
    /// Risks fixed in this run.
    pub fixed: u32,
    /// Risks reopened in this run.
    pub reopened: u32,
    /// Rules that ran.
    pub rules: u32,
}

/// One risk, as `shipready risk list` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskInfo {
    /// `RISK-007`.
    pub id: String,
    /// Number (7).
    #[serde(skip)]
    pub number: u32,
    /// `open`, `waived` or `fixed` (after the last run).
    pub status: String,
    /// Rule code.
    pub rule: String,
    /// Rule title.
    pub title: String,
    /// Category.
    pub category: String,
    /// Severity.
    pub severity: String,
    /// Component.
    pub component: String,
    /// Where it was last seen.
    pub path: String,
    /// Line.
    pub line: u32,
    /// Message.
    pub message: String,
    /// Latest fingerprint.
    pub fingerprint: String,
    /// Run that first saw it.
    pub first_run: u32,
    /// Run that last saw it.
    pub last_seen_run: u32,
    /// Run that marked it fixed.
    pub fixed_run: Option<u32>,
    /// How many times it reopened.
    pub reopened: u32,
}

/// One run's view of a risk, for `shipready risk show`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskEvent {
    /// Run number.
    pub run: u32,
    /// When.
    pub started_at: String,
    /// Commit.
    pub commit: Option<String>,
    /// `open`, `waived` or `fixed`.
    pub state: String,
    /// `new`, `reopened`, `still_open`, `waived` or `fixed`.
    pub change: String,
    /// Where.
    pub path: String,
    /// Line.
    pub line: u32,
}

fn classify(path: &Path, e: &rusqlite::Error) -> HistoryError {
    if let rusqlite::Error::SqliteFailure(err, msg) = e {
        let detail = msg.clone().unwrap_or_else(|| err.to_string());
        return match err.code {
            ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt => HistoryError::Damaged {
                path: path.to_path_buf(),
                detail,
            },
            _ => HistoryError::Io {
                path: path.to_path_buf(),
                detail,
            },
        };
    }
    HistoryError::Io {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// The finding's fallback matching key: rule, component and its first code line without
/// whitespace (what the fingerprint hashes, minus the path and occurrence).
fn snippet_key(f: &Finding) -> String {
    let first = f.location.snippet.lines().next().unwrap_or("");
    let normalised: String = first.chars().filter(|c| !c.is_whitespace()).collect();
    let mut h = Sha256::new();
    for part in [f.rule.as_str(), f.component.as_str(), normalised.as_str()] {
        h.update(part.as_bytes());
        h.update([0u8]);
    }
    h.finalize()
        .iter()
        .fold(String::with_capacity(64), |mut s, b| {
            use fmt::Write;
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// A run's history database.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

/// A risk as loaded for matching.
struct KnownRisk {
    id: u32,
    rule: String,
    snippet_key: String,
    status: String,
    last_seen_run: u32,
}

/// A finding of this run, open or waived.
struct Item<'a> {
    finding: &'a Finding,
    waived: bool,
    risk: Option<u32>,
}

impl Store {
    /// Opens (creating when `create`) the database at `path`, checks it and applies pending
    /// migrations. A database from a newer shipready is refused without being written.
    pub fn open(path: &Path, create: bool) -> Result<Store, HistoryError> {
        let io = |detail: String| HistoryError::Io {
            path: path.to_path_buf(),
            detail,
        };
        if !create && !path.exists() {
            return Err(HistoryError::Missing {
                path: path.to_path_buf(),
            });
        }
        if path.is_dir() {
            return Err(io("it is a directory".to_string()));
        }
        if create
            && let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| io(e.to_string()))?;
        }
        let mut flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        if create {
            flags |= OpenFlags::SQLITE_OPEN_CREATE;
        }
        let conn = Connection::open_with_flags(path, flags).map_err(|e| classify(path, &e))?;
        let err = |e: rusqlite::Error| classify(path, &e);
        conn.busy_timeout(BUSY_TIMEOUT).map_err(err)?;
        // Read-only checks first: a newer or foreign database must not be touched.
        // One statement, so the version and the table count come from the same snapshot:
        // another scan may be creating the schema right now (tables and version in one
        // transaction), and two separate reads could see the tables but not the version.
        let (version, tables): (u32, u32) = conn
            .query_row(
                "SELECT (SELECT user_version FROM pragma_user_version), \
                 (SELECT count(*) FROM sqlite_master)",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(HistoryError::Newer {
                path: path.to_path_buf(),
                found: version,
            });
        }
        if version == 0 && tables > 0 {
            return Err(HistoryError::Foreign {
                path: path.to_path_buf(),
            });
        }
        if version > 0 {
            let check: String = conn
                .query_row("PRAGMA quick_check(1)", [], |r| r.get(0))
                .map_err(err)?;
            if check != "ok" {
                return Err(HistoryError::Damaged {
                    path: path.to_path_buf(),
                    detail: check,
                });
            }
        }
        let mode: String = conn
            .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
            .map_err(err)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(io(format!(
                "cannot switch to WAL mode (journal mode {mode})"
            )));
        }
        conn.execute_batch("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;")
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
        };
        if version < SCHEMA_VERSION {
            store.migrate()?;
        }
        Ok(store)
    }

    /// The database path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn err(&self, e: &rusqlite::Error) -> HistoryError {
        classify(&self.path, e)
    }

    fn migrate(&mut self) -> Result<(), HistoryError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| classify(&path, &e);
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        // Another process may have migrated while this one waited for the lock.
        let version: u32 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        if version > SCHEMA_VERSION {
            return Err(HistoryError::Newer {
                path,
                found: version,
            });
        }
        for (v, name, sql) in MIGRATIONS {
            if *v <= version {
                continue;
            }
            tx.execute_batch(sql).map_err(err)?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                params![v, name, now_rfc3339()],
            )
            .map_err(err)?;
            tx.pragma_update(None, "user_version", v).map_err(err)?;
        }
        tx.commit().map_err(err)
    }

    /// Stores the assessment as a new run, in one transaction: assigns risk ids
    /// (`Finding.id` of open and suppressed findings), marks fixed and reopened risks, compares
    /// with the previous run when `options.compare` (changes, deltas), and sets the trend
    /// (`assessment.history`) to the last runs.
    pub fn record_run(
        &mut self,
        a: &mut Assessment,
        options: &RecordOptions,
    ) -> Result<RecordedRun, HistoryError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| classify(&path, &e);
        let started_at = if options.started_at.is_empty() {
            now_rfc3339()
        } else {
            options.started_at.clone()
        };
        let rule_set: BTreeSet<String> = if options.rule_codes.is_empty() {
            a.checklist.iter().map(|c| c.rule.clone()).collect()
        } else {
            options.rule_codes.iter().cloned().collect()
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;

        // Known risks and their fingerprints.
        let mut risks: BTreeMap<u32, KnownRisk> = BTreeMap::new();
        {
            let mut st = tx
                .prepare("SELECT id, rule, snippet_key, status, last_seen_run FROM risks")
                .map_err(err)?;
            let rows = st
                .query_map([], |r| {
                    Ok(KnownRisk {
                        id: r.get(0)?,
                        rule: r.get(1)?,
                        snippet_key: r.get(2)?,
                        status: r.get(3)?,
                        last_seen_run: r.get(4)?,
                    })
                })
                .map_err(err)?;
            for row in rows {
                let row = row.map_err(err)?;
                risks.insert(row.id, row);
            }
        }
        let mut by_fp: HashMap<String, Vec<u32>> = HashMap::new();
        {
            let mut st = tx
                .prepare("SELECT fingerprint, risk_id FROM risk_fingerprints ORDER BY risk_id")
                .map_err(err)?;
            let rows = st
                .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))
                .map_err(err)?;
            for row in rows {
                let (fp, id) = row.map_err(err)?;
                by_fp.entry(fp).or_default().push(id);
            }
        }
        let previous_run: Option<u32> = tx
            .query_row("SELECT max(id) FROM runs", [], |r| r.get(0))
            .map_err(err)?;
        let previous = match previous_run {
            Some(id) => Some(load_previous(&tx, id).map_err(err)?),
            None => None,
        };

        // Match this run's findings to risks.
        let mut items: Vec<Item> = a
            .findings
            .iter()
            .map(|f| Item {
                finding: f,
                waived: false,
                risk: None,
            })
            .chain(a.suppressed.iter().map(|s| Item {
                finding: &s.finding,
                waived: true,
                risk: None,
            }))
            .collect();
        let mut claimed: BTreeSet<u32> = BTreeSet::new();
        for item in &mut items {
            if let Some(ids) = by_fp.get(&item.finding.fingerprint)
                && let Some(id) = ids.iter().find(|id| !claimed.contains(id))
            {
                claimed.insert(*id);
                item.risk = Some(*id);
            }
        }
        let mut by_key: HashMap<&str, Vec<&KnownRisk>> = HashMap::new();
        for r in risks.values() {
            by_key.entry(r.snippet_key.as_str()).or_default().push(r);
        }
        for item in items.iter_mut().filter(|i| i.risk.is_none()) {
            let key = snippet_key(item.finding);
            let best = by_key.get(key.as_str()).and_then(|cands| {
                cands
                    .iter()
                    .filter(|r| !claimed.contains(&r.id))
                    .min_by_key(|r| {
                        (
                            r.status == "fixed",
                            std::cmp::Reverse(r.last_seen_run),
                            r.id,
                        )
                    })
                    .map(|r| r.id)
            });
            if let Some(id) = best {
                claimed.insert(id);
                item.risk = Some(id);
            }
        }
        let fixed_now: Vec<u32> = risks
            .values()
            .filter(|r| {
                !claimed.contains(&r.id)
                    && r.status != "fixed"
                    && (rule_set.is_empty() || rule_set.contains(&r.rule))
            })
            .map(|r| r.id)
            .collect();

        // The run row first (risks refer to it), with its final counts.
        let changes_of = |item: &Item| -> &'static str {
            if item.waived {
                return "waived";
            }
            match item
                .risk
                .and_then(|id| risks.get(&id))
                .map(|r| r.status.as_str())
            {
                None => "new",
                Some("open") => "still_open",
                Some(_) => "reopened",
            }
        };
        let count = |what: &str| items.iter().filter(|i| changes_of(i) == what).count() as u32;
        let (new_count, reopened_count) = (count("new"), count("reopened"));
        let s = &a.summary.findings;
        let git = a.git.as_ref();
        tx.execute(
            "INSERT INTO runs (started_at, root, git_commit, git_branch, tool_version, rule_set, \
             overall, target, critical, high, medium, low, open_total, waived, strengths, \
             new_count, fixed_count, reopened_count, finding_rows) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, \
             ?18, ?19)",
            params![
                started_at,
                a.root,
                git.and_then(|g| g.commit.clone()),
                git.and_then(|g| g.branch.clone()),
                a.tool.version,
                rule_set.iter().cloned().collect::<Vec<_>>().join(","),
                a.scores.overall,
                a.scores.target,
                s.critical,
                s.high,
                s.medium,
                s.low,
                s.total,
                a.suppressed.len() as u32,
                a.strengths.len() as u32,
                new_count,
                fixed_now.len() as u32,
                reopened_count,
                (items.len() + fixed_now.len()) as u32,
            ],
        )
        .map_err(err)?;
        let run = u32::try_from(tx.last_insert_rowid()).unwrap_or(u32::MAX);
        for c in &a.scores.categories {
            tx.execute(
                "INSERT INTO run_categories (run_id, category, score) VALUES (?1, ?2, ?3)",
                params![run, c.category.as_str(), c.score],
            )
            .map_err(err)?;
        }
        for c in &a.scores.components {
            tx.execute(
                "INSERT INTO run_components (run_id, name, score) VALUES (?1, ?2, ?3)",
                params![run, c.name, c.score],
            )
            .map_err(err)?;
        }
        for st in &a.strengths {
            tx.execute(
                "INSERT INTO run_strengths (run_id, rule, category, component, path, line, message) \
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![
                    run,
                    st.rule,
                    st.category.as_str(),
                    st.component,
                    st.location.path,
                    st.location.line,
                    st.message
                ],
            )
            .map_err(err)?;
        }

        // Risks and this run's rows.
        let mut ids: HashMap<String, u32> = HashMap::new();
        let slow = Duration::from_millis(options.slow_write_ms);
        for item in &items {
            let change = changes_of(item);
            let f = item.finding;
            let status = if item.waived { "waived" } else { "open" };
            let id = if let Some(id) = item.risk {
                tx.execute(
                    "UPDATE risks SET title = ?2, category = ?3, severity = ?4, component = ?5, \
                     path = ?6, line = ?7, message = ?8, fingerprint = ?9, snippet_key = ?10, \
                     status = ?11, last_seen_run = ?12, fixed_run = CASE WHEN ?11 = 'open' OR \
                     ?11 = 'waived' THEN NULL ELSE fixed_run END, \
                     reopened = reopened + ?13 WHERE id = ?1",
                    params![
                        id,
                        f.title,
                        f.category.as_str(),
                        f.severity.as_str(),
                        f.component,
                        f.location.path,
                        f.location.line,
                        f.message,
                        f.fingerprint,
                        snippet_key(f),
                        status,
                        run,
                        u32::from(change == "reopened"),
                    ],
                )
                .map_err(err)?;
                id
            } else {
                tx.execute(
                    "INSERT INTO risks (rule, title, category, severity, component, path, line, \
                     message, fingerprint, snippet_key, status, first_run, last_seen_run) \
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
                    params![
                        f.rule,
                        f.title,
                        f.category.as_str(),
                        f.severity.as_str(),
                        f.component,
                        f.location.path,
                        f.location.line,
                        f.message,
                        f.fingerprint,
                        snippet_key(f),
                        status,
                        run,
                    ],
                )
                .map_err(err)?;
                u32::try_from(tx.last_insert_rowid()).unwrap_or(u32::MAX)
            };
            tx.execute(
                "INSERT OR IGNORE INTO risk_fingerprints (fingerprint, risk_id) VALUES (?1, ?2)",
                params![f.fingerprint, id],
            )
            .map_err(err)?;
            insert_row(&tx, run, id, status, change, f).map_err(err)?;
            ids.insert(f.fingerprint.clone(), id);
            if !slow.is_zero() {
                std::thread::sleep(slow);
            }
        }
        for id in &fixed_now {
            tx.execute(
                "UPDATE risks SET status = 'fixed', fixed_run = ?2 WHERE id = ?1",
                params![id, run],
            )
            .map_err(err)?;
            tx.execute(
                "INSERT INTO run_findings (run_id, risk_id, state, change, fingerprint, rule, \
                 title, severity, category, component, path, line, message) \
                 SELECT ?2, id, 'fixed', 'fixed', fingerprint, rule, title, severity, category, \
                 component, path, line, message FROM risks WHERE id = ?1",
                params![id, run],
            )
            .map_err(err)?;
            if !slow.is_zero() {
                std::thread::sleep(slow);
            }
        }
        let prior_status: HashMap<u32, String> = items
            .iter()
            .filter_map(|i| Some((i.risk?, risks.get(&i.risk?)?.status.clone())))
            .collect();
        drop(items);

        // Ids into the assessment; changes and deltas.
        let id_of = |fp: &str| -> Option<u32> {
            ids.get(fp)
                .copied()
                .or_else(|| by_fp.get(fp).and_then(|v| v.first().copied()))
        };
        for f in &mut a.findings {
            f.id = id_of(&f.fingerprint).map(format_risk_id);
        }
        for s in &mut a.suppressed {
            s.finding.id = id_of(&s.finding.fingerprint).map(format_risk_id);
        }
        if options.compare
            && let Some(prev) = &previous
        {
            compare(a, prev);
            // `compare` matches by fingerprint; risks matched by the fallback (a renamed file)
            // have a new one. Reconcile by risk id.
            let prev_open: BTreeSet<u32> = prev
                .findings
                .iter()
                .filter_map(|f| f.id.as_deref().and_then(parse_risk_id))
                .collect();
            let now_open: BTreeSet<u32> = a
                .findings
                .iter()
                .filter_map(|f| id_of(&f.fingerprint))
                .collect();
            let now_waived: BTreeSet<u32> = a
                .suppressed
                .iter()
                .filter_map(|s| id_of(&s.finding.fingerprint))
                .collect();
            if let Some(c) = &mut a.changes {
                for f in std::mem::take(&mut c.new) {
                    match id_of(&f.fingerprint) {
                        Some(id) if prev_open.contains(&id) => c.still_open.push(f),
                        Some(id) if prior_status.contains_key(&id) => c.reopened.push(f),
                        _ => c.new.push(f),
                    }
                }
                let by_id = |f: &FindingRef| f.id.as_deref().and_then(parse_risk_id);
                for f in std::mem::take(&mut c.fixed) {
                    match by_id(&f) {
                        Some(id) if now_open.contains(&id) => {}
                        Some(id) if now_waived.contains(&id) => c.waived.push(f),
                        _ => c.fixed.push(f),
                    }
                }
                // Keep the report's finding order.
                let order: HashMap<&str, usize> = a
                    .findings
                    .iter()
                    .enumerate()
                    .map(|(i, f)| (f.fingerprint.as_str(), i))
                    .collect();
                c.still_open
                    .sort_by_key(|f| order.get(f.fingerprint.as_str()).copied());
            }
        }
        if let Some(c) = &mut a.changes {
            for list in [
                &mut c.new,
                &mut c.fixed,
                &mut c.still_open,
                &mut c.waived,
                &mut c.reopened,
            ] {
                for f in list.iter_mut() {
                    if f.id.is_none() {
                        f.id = id_of(&f.fingerprint).map(format_risk_id);
                    }
                }
            }
        }
        let points = trend(&tx, run).map_err(err)?;
        if points.len() >= 2 || a.history.is_empty() {
            a.history = points;
        }
        tx.commit().map_err(err)?;
        Ok(RecordedRun {
            run,
            new: new_count,
            fixed: fixed_now.len() as u32,
            reopened: reopened_count,
        })
    }

    /// Stored runs, oldest first (the last `limit` when given).
    pub fn runs(&self, limit: Option<u32>) -> Result<Vec<RunInfo>, HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT id, started_at, git_commit, git_branch, tool_version, overall, target, \
                 critical, high, medium, low, open_total, waived, strengths, new_count, \
                 fixed_count, reopened_count, rule_set FROM runs ORDER BY id DESC LIMIT ?1",
            )
            .map_err(|e| self.err(&e))?;
        let rows = st
            .query_map([limit.map_or(-1, i64::from)], |r| {
                let rules: String = r.get(17)?;
                Ok(RunInfo {
                    run: r.get(0)?,
                    started_at: r.get(1)?,
                    commit: r.get(2)?,
                    branch: r.get(3)?,
                    tool_version: r.get(4)?,
                    score: r.get(5)?,
                    target: r.get(6)?,
                    critical: r.get(7)?,
                    high: r.get(8)?,
                    medium: r.get(9)?,
                    low: r.get(10)?,
                    open: r.get(11)?,
                    waived: r.get(12)?,
                    strengths: r.get(13)?,
                    new: r.get(14)?,
                    fixed: r.get(15)?,
                    reopened: r.get(16)?,
                    rules: rules.split(',').filter(|s| !s.is_empty()).count() as u32,
                })
            })
            .map_err(|e| self.err(&e))?;
        let mut out = rows
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(&e))?;
        out.reverse();
        Ok(out)
    }

    /// All risks, by number.
    pub fn risks(&self) -> Result<Vec<RiskInfo>, HistoryError> {
        self.risks_where("1 = 1", None)
    }

    /// One risk.
    pub fn risk(&self, number: u32) -> Result<Option<RiskInfo>, HistoryError> {
        Ok(self
            .risks_where("id = ?1", Some(number))?
            .into_iter()
            .next())
    }

    fn risks_where(&self, cond: &str, arg: Option<u32>) -> Result<Vec<RiskInfo>, HistoryError> {
        let sql = format!(
            "SELECT id, status, rule, title, category, severity, component, path, line, message, \
             fingerprint, first_run, last_seen_run, fixed_run, reopened FROM risks WHERE {cond} \
             ORDER BY id"
        );
        let mut st = self.conn.prepare(&sql).map_err(|e| self.err(&e))?;
        let map = |r: &rusqlite::Row| {
            let n: u32 = r.get(0)?;
            Ok(RiskInfo {
                id: format_risk_id(n),
                number: n,
                status: r.get(1)?,
                rule: r.get(2)?,
                title: r.get(3)?,
                category: r.get(4)?,
                severity: r.get(5)?,
                component: r.get(6)?,
                path: r.get(7)?,
                line: r.get(8)?,
                message: r.get(9)?,
                fingerprint: r.get(10)?,
                first_run: r.get(11)?,
                last_seen_run: r.get(12)?,
                fixed_run: r.get(13)?,
                reopened: r.get(14)?,
            })
        };
        let rows = match arg {
            Some(a) => st.query_map([a], map),
            None => st.query_map([], map),
        }
        .map_err(|e| self.err(&e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(&e))
    }

    /// A risk's history: its row in every run that saw it (or fixed it), oldest first.
    pub fn risk_events(&self, number: u32) -> Result<Vec<RiskEvent>, HistoryError> {
        let mut st = self
            .conn
            .prepare(
                "SELECT f.run_id, r.started_at, r.git_commit, f.state, f.change, f.path, f.line \
                 FROM run_findings f JOIN runs r ON r.id = f.run_id WHERE f.risk_id = ?1 \
                 ORDER BY f.run_id",
            )
            .map_err(|e| self.err(&e))?;
        let rows = st
            .query_map([number], |r| {
                Ok(RiskEvent {
                    run: r.get(0)?,
                    started_at: r.get(1)?,
                    commit: r.get(2)?,
                    state: r.get(3)?,
                    change: r.get(4)?,
                    path: r.get(5)?,
                    line: r.get(6)?,
                })
            })
            .map_err(|e| self.err(&e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.err(&e))
    }

    /// Checks the database: SQLite's integrity check, and that every run has exactly the rows
    /// it says it wrote. Returns the number of runs.
    pub fn verify(&self) -> Result<u32, HistoryError> {
        let damaged = |detail: String| HistoryError::Damaged {
            path: self.path.clone(),
            detail,
        };
        let check: String = self
            .conn
            .query_row("PRAGMA integrity_check(1)", [], |r| r.get(0))
            .map_err(|e| self.err(&e))?;
        if check != "ok" {
            return Err(damaged(check));
        }
        let mut st = self
            .conn
            .prepare(
                "SELECT r.id, r.finding_rows, (SELECT count(*) FROM run_findings f WHERE \
                 f.run_id = r.id) FROM runs r",
            )
            .map_err(|e| self.err(&e))?;
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get::<_, u32>(0)?,
                    r.get::<_, u32>(1)?,
                    r.get::<_, u32>(2)?,
                ))
            })
            .map_err(|e| self.err(&e))?;
        let mut n = 0;
        for row in rows {
            let (run, want, got) = row.map_err(|e| self.err(&e))?;
            if want != got {
                return Err(damaged(format!(
                    "run {run} has {got} finding rows, expected {want}"
                )));
            }
            n += 1;
        }
        Ok(n)
    }
}

fn insert_row(
    tx: &rusqlite::Transaction,
    run: u32,
    risk: u32,
    state: &str,
    change: &str,
    f: &Finding,
) -> rusqlite::Result<usize> {
    tx.execute(
        "INSERT INTO run_findings (run_id, risk_id, state, change, fingerprint, rule, title, \
         severity, category, component, path, line, message) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
        params![
            run,
            risk,
            state,
            change,
            f.fingerprint,
            f.rule,
            f.title,
            f.severity.as_str(),
            f.category.as_str(),
            f.component,
            f.location.path,
            f.location.line,
            f.message
        ],
    )
}

fn short_commit(c: Option<&str>) -> Option<String> {
    c.map(|c| c.chars().take(7).collect())
}

fn category_of(name: &str) -> Option<Category> {
    shipready_assess::score::ALL_CATEGORIES
        .iter()
        .copied()
        .find(|c| c.as_str() == name)
}

/// The previous run as a [`PreviousRun`] for [`compare`].
fn load_previous(tx: &rusqlite::Transaction, run: u32) -> rusqlite::Result<PreviousRun> {
    let (started_at, commit, overall): (String, Option<String>, u32) = tx.query_row(
        "SELECT started_at, git_commit, overall FROM runs WHERE id = ?1",
        [run],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut label = format!(
        "run #{run} of {}",
        started_at.get(..10).unwrap_or(&started_at)
    );
    if let Some(c) = short_commit(commit.as_deref()) {
        label.push_str(&format!(" ({c})"));
    }
    let mut prev = PreviousRun {
        label,
        overall: Some(overall),
        ..PreviousRun::default()
    };
    let mut st = tx.prepare("SELECT category, score FROM run_categories WHERE run_id = ?1")?;
    for row in st.query_map([run], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<u32>>(1)?))
    })? {
        let (c, score) = row?;
        if let (Some(c), Some(score)) = (category_of(&c), score) {
            prev.categories.insert(c, score);
        }
    }
    let mut st = tx.prepare("SELECT name, score FROM run_components WHERE run_id = ?1")?;
    for row in st.query_map([run], |r| Ok((r.get::<_, String>(0)?, r.get::<_, u32>(1)?)))? {
        let (name, score) = row?;
        prev.components.insert(name, score);
    }
    let mut st = tx.prepare(
        "SELECT risk_id, rule, title, severity, component, path, line, fingerprint \
         FROM run_findings WHERE run_id = ?1 AND state = 'open' ORDER BY path, line, rule",
    )?;
    for row in st.query_map([run], |r| {
        Ok(FindingRef {
            id: Some(format_risk_id(r.get(0)?)),
            rule: r.get(1)?,
            title: r.get(2)?,
            severity: Severity::parse(&r.get::<_, String>(3)?).unwrap_or(Severity::Low),
            component: r.get(4)?,
            path: r.get(5)?,
            line: r.get(6)?,
            fingerprint: r.get(7)?,
        })
    })? {
        prev.findings.push(row?);
    }
    Ok(prev)
}

/// The last runs up to `run`, oldest first, as trend points.
fn trend(tx: &rusqlite::Transaction, run: u32) -> rusqlite::Result<Vec<HistoryPoint>> {
    let mut st = tx.prepare(
        "SELECT id, started_at, git_commit, overall, open_total FROM runs WHERE id <= ?1 \
         ORDER BY id DESC LIMIT ?2",
    )?;
    let mut points = st
        .query_map(params![run, TREND_RUNS], |r| {
            let id: u32 = r.get(0)?;
            let date: String = r.get(1)?;
            let commit: Option<String> = r.get(2)?;
            Ok(HistoryPoint {
                label: format!("#{id} {}", date.get(5..10).unwrap_or(&date)),
                score: r.get(3)?,
                run: Some(id),
                date: Some(date),
                commit: short_commit(commit.as_deref()),
                open: Some(r.get(4)?),
                categories: BTreeMap::new(),
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    points.reverse();
    let mut st = tx.prepare("SELECT category, score FROM run_categories WHERE run_id = ?1")?;
    for p in &mut points {
        let id = p.run.unwrap_or(0);
        for row in st.query_map([id], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<u32>>(1)?))
        })? {
            let (c, score) = row?;
            if let (Some(c), Some(score)) = (category_of(&c), score) {
                p.categories.insert(c, score);
            }
        }
    }
    Ok(points)
}

/// Opens a read connection for tests and tools that inspect the file directly.
#[doc(hidden)]
pub fn raw_connection(path: &Path) -> rusqlite::Result<Connection> {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
}
