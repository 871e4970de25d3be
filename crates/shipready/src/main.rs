//! The `shipready` command line: scan, gate, rules, explain.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use shipready_assess::{AssessOptions, Assessment, assess};
use shipready_model::Severity;
use shipready_report::terminal::TerminalOptions;
use shipready_rules::{RunOptions, all_rules, find_rule};

/// shipready: a production-readiness assessment of a repository, from the code itself.
#[derive(Parser)]
#[command(name = "shipready", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Terminal,
    Json,
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Text,
    Json,
}

#[derive(clap::Args)]
struct ScanArgs {
    /// Repository to scan.
    #[arg(default_value = ".")]
    path: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "terminal")]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding reaches this severity (critical, high, medium, low).
    #[arg(long, value_parser = parse_severity)]
    fail_on: Option<Severity>,
    /// Threads (default: the number of cores).
    #[arg(long, short, default_value_t = 0)]
    jobs: usize,
    /// Skip files larger than this many bytes.
    #[arg(long, default_value_t = shipready_walk::DEFAULT_MAX_FILE_SIZE)]
    max_file_size: u64,
    /// Only report findings of this component (its name, e.g. `apps/api`).
    #[arg(long)]
    component: Option<String>,
    /// Terminal: also list strengths and skipped files.
    #[arg(long, short)]
    verbose: bool,
    /// Never show a progress bar.
    #[arg(long)]
    no_progress: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Scan a repository and report its production-readiness findings.
    Scan(ScanArgs),
    /// CI gate: scan, print the verdict, exit 1 when findings reach --fail-on (default high).
    Gate(ScanArgs),
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
}

fn parse_severity(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown severity `{s}` (critical, high, medium, low)"))
}

const EXIT_OK: u8 = 0;
const EXIT_FAIL: u8 = 1;
const EXIT_USAGE: u8 = 2;
const EXIT_INTERNAL: u8 = 3;

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("shipready: internal error: {info}");
        eprintln!("this is a bug in shipready; please report it with the command you ran");
    }));
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match std::panic::catch_unwind(|| run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(_) => ExitCode::from(EXIT_INTERNAL),
    }
}

fn run(cli: Cli) -> u8 {
    match cli.command {
        Command::Scan(args) => scan(&args, false),
        Command::Gate(mut args) => {
            if args.fail_on.is_none() {
                args.fail_on = Some(Severity::High);
            }
            scan(&args, true)
        }
        Command::Rules { format } => list_rules(format),
        Command::Explain { rule } => explain(&rule),
        Command::Facts { path } => {
            if !path.is_dir() {
                eprintln!("shipready: `{}` is not a directory", path.display());
                return EXIT_USAGE;
            }
            let project = shipready_facts::testing::project_of(&path);
            print_out(&(shipready_facts::testing::facts_json(&project) + "\n"))
        }
    }
}

fn list_rules(format: ListFormat) -> u8 {
    let rules = all_rules();
    let mut out = String::new();
    match format {
        ListFormat::Json => {
            let list: Vec<serde_json::Value> = rules
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "code": m.code, "slug": m.slug, "title": m.title(),
                        "category": m.category, "severity": m.severity,
                        "likelihood": m.likelihood, "effort_hours": m.effort_hours,
                        "doc": m.doc_path(),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&list).unwrap_or_default();
            out.push('\n');
        }
        ListFormat::Text => {
            for r in &rules {
                let m = r.meta();
                out.push_str(&format!(
                    "{:<8} {:<40} {:<9} {:<15} {}\n",
                    m.code,
                    m.slug,
                    m.severity,
                    m.category,
                    m.title()
                ));
            }
        }
    }
    print_out(&out)
}

fn explain(name: &str) -> u8 {
    let Some(rule) = find_rule(name) else {
        eprintln!("shipready: no rule `{name}` (see `shipready rules`)");
        return EXIT_USAGE;
    };
    let m = rule.meta();
    let text = format!(
        "{} {}: {}\n\ncategory: {} · severity: {} · likelihood: {} · effort: {} h\n\n{}\n",
        m.code,
        m.slug,
        m.title(),
        m.category,
        m.severity,
        m.likelihood.as_str(),
        m.effort_hours,
        m.body_markdown()
    );
    print_out(&text)
}

fn print_out(text: &str) -> u8 {
    let mut stdout = std::io::stdout().lock();
    match stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
    {
        Ok(()) => EXIT_OK,
        // A closed pipe (`shipready rules | head`) is not an error.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("shipready: cannot write output: {e}");
            EXIT_INTERNAL
        }
    }
}

/// Runs the whole pipeline on `root`.
fn analyse(args: &ScanArgs, root: &Path) -> Assessment {
    let started = Instant::now();
    let walk_opts = shipready_walk::WalkOptions {
        max_file_size: args.max_file_size,
        jobs: args.jobs,
        exclude: Vec::new(),
    };
    let walked = shipready_walk::walk(root, &walk_opts);
    let walk_ms = started.elapsed().as_millis() as u64;

    let show_progress =
        !args.no_progress && std::io::stderr().is_terminal() && walked.files.len() > 2000;
    let bar = if show_progress {
        let pb = indicatif::ProgressBar::new(walked.files.len() as u64);
        pb.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} analysing {pos}/{len} files {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        Some(pb)
    } else {
        None
    };
    let tick = || {
        if let Some(pb) = &bar {
            pb.inc(1);
        }
    };
    let t1 = Instant::now();
    let project = shipready_facts::build_project(
        root,
        walked,
        &shipready_facts::BuildOptions {
            jobs: args.jobs,
            max_file_size: args.max_file_size,
            on_file: Some(&tick),
        },
    );
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let analyse_ms = t1.elapsed().as_millis() as u64;

    let t2 = Instant::now();
    let rules = all_rules();
    let mut output = shipready_rules::run(&project, &rules, &RunOptions::default());
    if let Some(c) = &args.component {
        output.findings.retain(|f| &f.component == c);
        output.strengths.retain(|s| &s.component == c);
    }
    let mut assessment = assess(
        &project,
        output,
        &AssessOptions {
            root_display: args.path.display().to_string(),
            fail_on: args.fail_on,
            rules_run: rules.len() as u32,
        },
    );
    let rules_ms = t2.elapsed().as_millis() as u64;
    assessment.timing = shipready_assess::Timing {
        walk_ms,
        analyse_ms,
        rules_ms,
        total_ms: started.elapsed().as_millis() as u64,
    };
    assessment
}

fn scan(args: &ScanArgs, gate: bool) -> u8 {
    let root = &args.path;
    match std::fs::metadata(root) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            eprintln!("shipready: `{}` is not a directory", root.display());
            return EXIT_USAGE;
        }
        Err(e) => {
            eprintln!("shipready: cannot read `{}`: {e}", root.display());
            return EXIT_USAGE;
        }
    }
    if let Some(c) = &args.component {
        // Checked after the scan: component names come from the tree.
        let _ = c;
    }
    let assessment = analyse(args, root);
    if let Some(c) = &args.component
        && !assessment.components.iter().any(|x| &x.name == c)
    {
        let names: Vec<&str> = assessment
            .components
            .iter()
            .map(|x| x.name.as_str())
            .collect();
        eprintln!(
            "shipready: no component `{c}` (components: {})",
            names.join(", ")
        );
        return EXIT_USAGE;
    }
    let to_file = args.output.is_some();
    let color = !to_file
        && args.format == Format::Terminal
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = if gate && args.format == Format::Terminal {
        gate_text(&assessment)
    } else {
        match args.format {
            Format::Json => shipready_report::json::render(&assessment),
            Format::Terminal => shipready_report::terminal::render(
                &assessment,
                TerminalOptions {
                    color,
                    verbose: args.verbose,
                },
            ),
        }
    };
    let written = match &args.output {
        Some(path) => match std::fs::write(path, text.as_bytes()) {
            Ok(()) => {
                eprintln!(
                    "shipready: wrote {} ({} findings)",
                    path.display(),
                    assessment.summary.findings.total
                );
                EXIT_OK
            }
            Err(e) => {
                eprintln!("shipready: cannot write `{}`: {e}", path.display());
                return EXIT_USAGE;
            }
        },
        None => print_out(&text),
    };
    if written != EXIT_OK {
        return written;
    }
    if assessment.summary.gate.failed {
        EXIT_FAIL
    } else {
        EXIT_OK
    }
}

fn gate_text(a: &Assessment) -> String {
    let s = &a.summary;
    let verdict = if s.gate.failed { "FAIL" } else { "PASS" };
    let mut out = format!(
        "shipready gate: {verdict} ({}) · {} critical, {} high, {} medium, {} low\n",
        s.gate.reason, s.findings.critical, s.findings.high, s.findings.medium, s.findings.low
    );
    if let Some(threshold) = s.gate.fail_on {
        for f in a.findings.iter().filter(|f| f.severity >= threshold) {
            out.push_str(&format!(
                "  {} {} {}:{} {}\n",
                f.severity, f.rule, f.location.path, f.location.line, f.message
            ));
        }
    }
    out
}
