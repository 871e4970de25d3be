//! Run history and the risk register: recording scans, `shipready history`, and
//! `shipready risk list|show|assign|accept`.
//!
//! The history database (default `.shipready/history.db` under the scanned root) holds runs;
//! the register (`.shipready/register.toml`) holds decisions and is the source of truth for
//! them. An accepted risk is passed to the rule engine as a waiver of its fingerprint until its
//! date.
//!
//! `SHIPREADY_NO_HISTORY` (any value but empty or `0`) acts as `--no-history`; the test
//! harness sets it so that scans of shared fixtures stay deterministic.

use std::path::{Path, PathBuf};

use clap::Subcommand;
use shipready_assess::Assessment;
use shipready_history::{
    DEFAULT_DB, HistoryError, REGISTER_FILE, RecordOptions, Register, RegisterEntry, RiskInfo,
    SLOW_WRITE_ENV, Store, format_risk_id, parse_risk_id,
};
use shipready_rules::{Date, Waiver};

use crate::cli::{CommonArgs, ListFormat};
use crate::print_out;
use crate::scan::UsageError;

/// History options of `scan` and `gate`.
#[derive(clap::Args, Debug, Default, Clone)]
pub struct HistoryArgs {
    /// Run history database (default: `.shipready/history.db` under the scanned root).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Neither read nor write run history (no risk ids, no changes since the last run).
    #[arg(long)]
    pub no_history: bool,
}

/// `shipready history`.
#[derive(clap::Args)]
pub struct HistoryCommand {
    /// Repository whose history to show.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// History database (default: `.shipready/history.db` under PATH).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ListFormat,
    /// Only the last N runs.
    #[arg(long, value_name = "N")]
    pub limit: Option<u32>,
}

/// Where the repository and its database are, for `risk` commands.
#[derive(clap::Args, Debug, Clone)]
pub struct RiskPlace {
    /// Repository root (where `.shipready/` is).
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
    /// History database (default: `.shipready/history.db` under --root).
    #[arg(long, value_name = "PATH")]
    pub db: Option<PathBuf>,
}

/// `shipready risk ...`.
#[derive(Subcommand)]
pub enum RiskCommand {
    /// List the risks known to the history, with owners, due dates and acceptances.
    List {
        #[command(flatten)]
        place: RiskPlace,
        /// Also list fixed risks.
        #[arg(long)]
        all: bool,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Show one risk: where it is, its decisions, and its state in every run.
    Show {
        /// `RISK-004` (or `4`).
        id: String,
        #[command(flatten)]
        place: RiskPlace,
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Give a risk an owner and a due date (written to `.shipready/register.toml`).
    Assign {
        /// `RISK-004` (or `4`).
        id: String,
        /// Who owns the fix.
        #[arg(long)]
        owner: String,
        /// When it is due (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        due: Option<Date>,
        #[command(flatten)]
        place: RiskPlace,
    },
    /// Accept a risk until a date: it counts as waived until then (written to
    /// `.shipready/register.toml`).
    Accept {
        /// `RISK-004` (or `4`).
        id: String,
        /// Why the risk is accepted.
        #[arg(long)]
        reason: String,
        /// Last day the acceptance holds (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date, value_name = "DATE")]
        until: Date,
        #[command(flatten)]
        place: RiskPlace,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| format!("`{s}` is not a date (YYYY-MM-DD)"))
}

/// `SHIPREADY_TODAY` or today (UTC).
fn today() -> Date {
    std::env::var("SHIPREADY_TODAY")
        .ok()
        .and_then(|v| Date::parse(&v))
        .unwrap_or_else(Date::today)
}

fn env_disabled() -> bool {
    std::env::var("SHIPREADY_NO_HISTORY").is_ok_and(|v| !v.is_empty() && v != "0")
}

fn register_path(root: &Path) -> PathBuf {
    root.join(REGISTER_FILE)
}

fn load_register(root: &Path) -> Result<Register, UsageError> {
    Register::load(&register_path(root), REGISTER_FILE).map_err(|e| UsageError(e.to_string()))
}

/// The register's acceptances as waivers for the rule engine (a register with an error stops
/// the scan: exit 2, with its line).
pub fn register_waivers(root: &Path) -> Result<Vec<Waiver>, UsageError> {
    Ok(load_register(root)?.waivers(REGISTER_FILE))
}

fn history_error(e: &HistoryError) -> UsageError {
    UsageError(e.to_string())
}

/// Stores the run after the assessment: risk ids, changes since the previous run (unless
/// `--baseline` gave them), the trend. With `note`, prints a summary on standard error.
pub fn record(
    common: &CommonArgs,
    history: &HistoryArgs,
    a: &mut Assessment,
    note: bool,
) -> Result<(), UsageError> {
    if history.no_history || env_disabled() {
        return Ok(());
    }
    if common.component.is_some() {
        eprintln!(
            "shipready: note: run history not recorded: --component covers part of the repository"
        );
        return Ok(());
    }
    let (path, explicit) = match &history.db {
        Some(p) => (p.clone(), true),
        None => (common.path.join(DEFAULT_DB), false),
    };
    let mut store = match Store::open(&path, true) {
        Ok(s) => s,
        // The default place is not writable (a read-only checkout): skip, say so.
        Err(HistoryError::Io { detail, .. }) if !explicit => {
            eprintln!(
                "shipready: note: run history skipped: cannot write `{}` ({detail}); pass \
                 `--db PATH` to keep it elsewhere or `--no-history`",
                path.display()
            );
            return Ok(());
        }
        Err(e) => return Err(history_error(&e)),
    };
    let slow_write_ms = std::env::var(SLOW_WRITE_ENV)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let options = RecordOptions {
        compare: common.baseline.is_none(),
        rule_codes: a.checklist.iter().map(|c| c.rule.clone()).collect(),
        started_at: String::new(),
        slow_write_ms,
    };
    let rec = store
        .record_run(a, &options)
        .map_err(|e| history_error(&e))?;
    if note {
        let mut text = format!("\nHISTORY: run #{} stored in {}\n", rec.run, path.display());
        match &a.changes {
            Some(c) => {
                let delta = a
                    .scores
                    .delta
                    .map(|d| format!(" ({d:+} since {})", c.baseline))
                    .unwrap_or_default();
                text.push_str(&format!(
                    "  score {}{delta}\n  new {} · fixed {} · reopened {} · still open {} · waived {}\n",
                    a.scores.overall,
                    c.new.len(),
                    c.fixed.len(),
                    c.reopened.len(),
                    c.still_open.len(),
                    c.waived.len()
                ));
                for (name, list) in c.groups() {
                    let name = name.to_ascii_lowercase();
                    for f in list {
                        text.push_str(&format!(
                            "  {name:<8} {:<9} {} {}:{} {}\n",
                            f.id.as_deref().unwrap_or("-"),
                            f.rule,
                            f.path,
                            f.line,
                            f.title
                        ));
                    }
                }
            }
            None => text.push_str("  first run: nothing to compare with yet\n"),
        }
        eprint!("{text}");
    }
    Ok(())
}

fn open_for_reading(root: &Path, db: Option<&Path>) -> Result<Store, UsageError> {
    let path = db.map_or_else(|| root.join(DEFAULT_DB), Path::to_path_buf);
    Store::open(&path, false).map_err(|e| history_error(&e))
}

/// `shipready history`.
pub fn history(args: &HistoryCommand) -> Result<u8, UsageError> {
    let store = open_for_reading(&args.path, args.db.as_deref())?;
    let runs = store.runs(args.limit).map_err(|e| history_error(&e))?;
    let text = match args.format {
        ListFormat::Json => {
            let mut s = serde_json::to_string_pretty(&runs).unwrap_or_default();
            s.push('\n');
            s
        }
        ListFormat::Text => {
            let mut s = format!(
                "{:>4}  {:<20}  {:<8}  {:<12}  {:>5}  {:>5}  {:>4} {:>4} {:>4} {:>4}  {:>4} {:>5} {:>8}\n",
                "run",
                "date (UTC)",
                "commit",
                "branch",
                "score",
                "open",
                "crit",
                "high",
                "med",
                "low",
                "new",
                "fixed",
                "reopened"
            );
            let mut prev: Option<u32> = None;
            for r in &runs {
                let score = match prev {
                    Some(p) => format!("{} ({:+})", r.score, i64::from(r.score) - i64::from(p)),
                    None => r.score.to_string(),
                };
                prev = Some(r.score);
                s.push_str(&format!(
                    "{:>4}  {:<20}  {:<8}  {:<12}  {:>5}  {:>5}  {:>4} {:>4} {:>4} {:>4}  {:>4} {:>5} {:>8}\n",
                    r.run,
                    r.started_at,
                    r.commit
                        .as_deref()
                        .map_or("-".to_string(), |c| c.chars().take(7).collect()),
                    r.branch.as_deref().unwrap_or("-"),
                    score,
                    r.open,
                    r.critical,
                    r.high,
                    r.medium,
                    r.low,
                    r.new,
                    r.fixed,
                    r.reopened
                ));
            }
            if runs.is_empty() {
                s.push_str("(no runs yet)\n");
            }
            s
        }
    };
    Ok(print_out(&text))
}

/// A risk with its decisions, for listing.
#[derive(serde::Serialize)]
struct RiskView<'a> {
    #[serde(flatten)]
    risk: &'a RiskInfo,
    /// `open`, `accepted`, `waived` or `fixed`, with the register applied.
    state: String,
    owner: Option<&'a str>,
    due: Option<String>,
    overdue: bool,
    accepted_reason: Option<&'a str>,
    accepted_until: Option<String>,
}

fn view<'a>(risk: &'a RiskInfo, entry: Option<&'a RegisterEntry>, today: Date) -> RiskView<'a> {
    let accepted = entry.is_some_and(|e| e.accepted_on_day(today));
    let state = if risk.status == "fixed" {
        "fixed"
    } else if accepted {
        "accepted"
    } else {
        risk.status.as_str()
    };
    RiskView {
        risk,
        state: state.to_string(),
        owner: entry.and_then(|e| e.owner.as_deref()),
        due: entry.and_then(|e| e.due).map(|d| d.to_string()),
        overdue: risk.status != "fixed" && entry.and_then(|e| e.due).is_some_and(|d| d < today),
        accepted_reason: entry.and_then(|e| e.accepted_reason.as_deref()),
        accepted_until: entry.and_then(|e| e.accepted_until).map(|d| d.to_string()),
    }
}

fn risk_number(id: &str) -> Result<u32, UsageError> {
    parse_risk_id(id).ok_or_else(|| UsageError(format!("`{id}` is not a risk id (RISK-NNN)")))
}

fn find_risk(store: &Store, id: &str) -> Result<RiskInfo, UsageError> {
    let n = risk_number(id)?;
    store
        .risk(n)
        .map_err(|e| history_error(&e))?
        .ok_or_else(|| {
            UsageError(format!(
                "no {} in the history at `{}` (see `shipready risk list`)",
                format_risk_id(n),
                store.path().display()
            ))
        })
}

/// `shipready risk ...`.
pub fn risk(cmd: &RiskCommand) -> Result<u8, UsageError> {
    let today = today();
    match cmd {
        RiskCommand::List { place, all, format } => {
            let register = load_register(&place.root)?;
            let store = open_for_reading(&place.root, place.db.as_deref())?;
            let risks = store.risks().map_err(|e| history_error(&e))?;
            let views: Vec<RiskView> = risks
                .iter()
                .filter(|r| *all || r.status != "fixed")
                .map(|r| view(r, register.entries.get(&r.number), today))
                .collect();
            let text = match format {
                ListFormat::Json => serde_json::to_string_pretty(&views).unwrap_or_default() + "\n",
                ListFormat::Text => {
                    let mut s = String::new();
                    for v in &views {
                        let mut decision = String::new();
                        if let Some(o) = v.owner {
                            decision.push_str(&format!(" owner {o}"));
                        }
                        if let Some(d) = &v.due {
                            decision.push_str(&format!(" due {d}"));
                            if v.overdue {
                                decision.push_str(" (overdue)");
                            }
                        }
                        if let Some(u) = &v.accepted_until {
                            decision.push_str(&format!(" accepted until {u}"));
                        }
                        s.push_str(&format!(
                            "{:<9} {:<8} {:<8} {:<8} {}:{} {}{}\n",
                            v.risk.id,
                            v.state,
                            v.risk.severity,
                            v.risk.rule,
                            v.risk.path,
                            v.risk.line,
                            v.risk.title,
                            if decision.is_empty() {
                                String::new()
                            } else {
                                format!(" —{decision}")
                            }
                        ));
                    }
                    if views.is_empty() {
                        s.push_str(if *all {
                            "(no risks recorded)\n"
                        } else {
                            "(no open risks; `--all` lists fixed ones too)\n"
                        });
                    }
                    s
                }
            };
            Ok(print_out(&text))
        }
        RiskCommand::Show { id, place, format } => {
            let register = load_register(&place.root)?;
            let store = open_for_reading(&place.root, place.db.as_deref())?;
            let risk = find_risk(&store, id)?;
            let events = store
                .risk_events(risk.number)
                .map_err(|e| history_error(&e))?;
            let v = view(&risk, register.entries.get(&risk.number), today);
            let text = match format {
                ListFormat::Json => {
                    let value = serde_json::json!({ "risk": v, "runs": events });
                    serde_json::to_string_pretty(&value).unwrap_or_default() + "\n"
                }
                ListFormat::Text => {
                    let mut s = format!(
                        "{} {}: {}\n  state: {} · severity {} · category {} · component {}\n  at {}:{}: {}\n  fingerprint {}\n",
                        risk.id,
                        risk.rule,
                        risk.title,
                        v.state,
                        risk.severity,
                        risk.category,
                        risk.component,
                        risk.path,
                        risk.line,
                        risk.message,
                        risk.fingerprint
                    );
                    s.push_str(&format!(
                        "  owner: {} · due: {}{}\n",
                        v.owner.unwrap_or("-"),
                        v.due.as_deref().unwrap_or("-"),
                        if v.overdue { " (overdue)" } else { "" }
                    ));
                    if let (Some(r), Some(u)) = (v.accepted_reason, &v.accepted_until) {
                        s.push_str(&format!("  accepted until {u}: {r}\n"));
                    }
                    s.push_str("  runs:\n");
                    for e in &events {
                        s.push_str(&format!(
                            "    #{:<4} {}  {:<8} {:<10} {}:{}\n",
                            e.run, e.started_at, e.state, e.change, e.path, e.line
                        ));
                    }
                    s
                }
            };
            Ok(print_out(&text))
        }
        RiskCommand::Assign {
            id,
            owner,
            due,
            place,
        } => {
            if owner.trim().is_empty() {
                return Err(UsageError("--owner must not be empty".to_string()));
            }
            decide(place, id, |e| {
                e.owner = Some(owner.trim().to_string());
                if due.is_some() {
                    e.due = *due;
                }
            })
        }
        RiskCommand::Accept {
            id,
            reason,
            until,
            place,
        } => {
            if reason.trim().is_empty() {
                return Err(UsageError("--reason must not be empty".to_string()));
            }
            if *until < today {
                return Err(UsageError(format!(
                    "--until {until} is in the past (today is {today})"
                )));
            }
            decide(place, id, |e| {
                e.accepted_reason = Some(reason.trim().to_string());
                e.accepted_until = Some(*until);
                e.accepted_on = Some(today);
            })
        }
    }
}

/// Writes one decision to the register (creating the entry from the history).
fn decide(
    place: &RiskPlace,
    id: &str,
    change: impl FnOnce(&mut RegisterEntry),
) -> Result<u8, UsageError> {
    let mut register = load_register(&place.root)?;
    let store = open_for_reading(&place.root, place.db.as_deref())?;
    let risk = find_risk(&store, id)?;
    let entry = register
        .entries
        .entry(risk.number)
        .or_insert_with(|| RegisterEntry {
            id: risk.number,
            ..RegisterEntry::default()
        });
    // Keep the identifying fields current: the fingerprint is what the acceptance waives.
    entry.rule.clone_from(&risk.rule);
    entry.fingerprint.clone_from(&risk.fingerprint);
    entry.path.clone_from(&risk.path);
    entry.title.clone_from(&risk.title);
    change(entry);
    let path = register_path(&place.root);
    register
        .save(&path)
        .map_err(|e| UsageError(format!("cannot write `{}`: {e}", path.display())))?;
    eprintln!("shipready: {} recorded in {}", risk.id, path.display());
    if gitignore_hides_register(&place.root) {
        eprintln!(
            "shipready: note: .gitignore ignores `.shipready/`, so the register is not committed; \
             replace that line with `.shipready/*` and `!.shipready/register.toml`"
        );
    }
    Ok(crate::EXIT_OK)
}

/// Whether the root's .gitignore ignores the whole `.shipready/` folder.
fn gitignore_hides_register(root: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(root.join(".gitignore")) else {
        return false;
    };
    // Git cannot re-include a file below an ignored folder, so a negation does not help here.
    text.lines().map(str::trim).any(|l| {
        matches!(
            l,
            ".shipready/" | ".shipready" | "/.shipready/" | "/.shipready"
        )
    })
}
