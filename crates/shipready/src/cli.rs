//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use shipready_model::Severity;

/// shipready: a production-readiness assessment of a repository, from the code itself.
#[derive(Parser)]
#[command(name = "shipready", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Report formats of `scan` and `gate`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum Format {
    /// Findings with code frames, for people at a terminal.
    Terminal,
    /// The whole assessment as JSON (docs/schema/report-v1.json).
    Json,
    /// The assessment document (Markdown).
    Markdown,
    /// One self-contained HTML page.
    Html,
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
}

/// Formats of `plan`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum PlanFormat {
    /// Markdown document.
    Markdown,
    /// JSON.
    Json,
}

/// Formats of `rules`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum ListFormat {
    /// One line per rule.
    Text,
    /// JSON array.
    Json,
}

/// What every analysing command takes.
#[derive(clap::Args, Debug)]
pub struct CommonArgs {
    /// Repository to scan.
    #[arg(default_value = ".")]
    pub path: PathBuf,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
    /// Configuration file (default: the nearest `shipready.toml` from PATH up to the
    /// repository root).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// A JSON report of an earlier run: findings are marked new, fixed or still open.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Audit: apply no `shipready-ignore` comment and no waiver.
    #[arg(long)]
    pub no_ignores: bool,
    /// Coverage reports to read (lcov, Cobertura XML, istanbul JSON, Go coverprofile,
    /// coverage.py JSON), besides those found at their usual paths. Repeatable.
    #[arg(long, value_name = "FILE", num_args = 1..)]
    pub coverage: Vec<PathBuf>,
    /// Threads (default: the number of cores).
    #[arg(long, short, default_value_t = 0)]
    pub jobs: usize,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = shipready_walk::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Only report findings of this component (its name, e.g. `apps/api`).
    #[arg(long)]
    pub component: Option<String>,
    /// Never show a progress bar.
    #[arg(long)]
    pub no_progress: bool,
    /// Neither read nor write the per-file fact cache (`.shipready/cache/`; also
    /// `SHIPREADY_NO_CACHE=1`). `--no-history` does not turn it off.
    #[arg(long)]
    pub no_cache: bool,
}

/// The gate's thresholds.
#[derive(clap::Args, Debug, Default)]
pub struct GateArgs {
    /// Fail (exit 1) when a finding reaches this severity: critical, high, medium, low.
    #[arg(long, value_parser = parse_severity, value_name = "SEVERITY")]
    pub fail_on: Option<Severity>,
    /// Fail (exit 1) when the overall readiness score is under N (0-100).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=100), value_name = "N")]
    pub min_score: Option<u32>,
    /// With --baseline: only findings new since the baseline count toward --fail-on.
    #[arg(long)]
    pub new_only: bool,
    /// Exit 0 whenever the scan ran, even when the gate fails (the verdict is still printed).
    #[arg(long)]
    pub exit_zero: bool,
}

/// `scan` and `gate`.
#[derive(clap::Args, Debug)]
pub struct ScanArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub gate: GateArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "terminal")]
    pub format: Format,
    /// Also write a report in another format, from the same scan (repeatable):
    /// `--report sarif=shipready.sarif --report html=report.html`.
    #[arg(long = "report", value_name = "FORMAT=FILE", value_parser = parse_report)]
    pub reports: Vec<(Format, PathBuf)>,
    /// Terminal: also list strengths and skipped files.
    #[arg(long, short)]
    pub verbose: bool,
    #[command(flatten)]
    pub history: crate::history_cmd::HistoryArgs,
}

/// `plan`.
#[derive(clap::Args, Debug)]
pub struct PlanArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    pub format: PlanFormat,
}

#[derive(Subcommand)]
pub enum Command {
    /// Scan a repository and report its production-readiness assessment.
    Scan(ScanArgs),
    /// CI gate: scan, print the verdict in one line, exit 1 when it fails (--fail-on
    /// defaults to high).
    Gate(ScanArgs),
    /// Remediation plan: tasks by priority and week, with acceptance criteria and effort.
    Plan(PlanArgs),
    /// Write a commented default shipready.toml and add .shipready/ to .gitignore.
    Init {
        /// Folder to write into (the repository root).
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// List the rules.
    Rules {
        /// Output format.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
    /// Print the facts extracted from a repository as JSON (what the rules read).
    Facts {
        /// Repository to read.
        #[arg(default_value = ".")]
        path: PathBuf,
    },
    /// Explain one rule, by code or slug.
    Explain {
        /// `REL001` or `dependency-error-exits-process`.
        rule: String,
    },
    /// Stored runs of a repository: date, commit, score, counts.
    History(crate::history_cmd::HistoryCommand),
    /// The risk register: list and show risks, assign owners, accept risks until a date.
    #[command(subcommand)]
    Risk(crate::history_cmd::RiskCommand),
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity `{s}` (critical, high, medium, low)"))
}

/// Parses `FORMAT=FILE` for `--report`.
fn parse_report(s: &str) -> Result<(Format, PathBuf), String> {
    let (format, file) = s
        .split_once('=')
        .ok_or_else(|| format!("expected FORMAT=FILE (e.g. sarif=shipready.sarif), got `{s}`"))?;
    let format = Format::from_str(format, true).map_err(|_| {
        format!("unknown report format `{format}` (terminal, json, markdown, html, sarif)")
    })?;
    if file.is_empty() {
        return Err("the file name after `=` is empty".to_string());
    }
    Ok((format, PathBuf::from(file)))
}
