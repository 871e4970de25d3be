//! The `shipready` command line: scan, gate, plan, init, rules, explain, facts.

mod cli;
mod gate;
mod history_cmd;
mod overrides;
mod scan;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;
use shipready_rules::{all_rules, find_rule};

use crate::cli::{Cli, Command, ListFormat};

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
    let result = match cli.command {
        Command::Scan(args) => scan::scan(&args, false),
        Command::Gate(args) => scan::scan(&args, true),
        Command::Plan(args) => scan::plan(&args),
        Command::Init { path } => scan::init(&path),
        Command::Rules { format } => Ok(list_rules(format)),
        Command::Explain { rule } => Ok(explain(&rule)),
        Command::History(args) => history_cmd::history(&args),
        Command::Risk(cmd) => history_cmd::risk(&cmd),
        Command::Facts { path } => {
            if path.is_dir() {
                let project = shipready_facts::testing::project_of(&path);
                Ok(print_out(
                    &(shipready_facts::testing::facts_json(&project) + "\n"),
                ))
            } else {
                Err(scan::UsageError(format!(
                    "`{}` is not a directory",
                    path.display()
                )))
            }
        }
    };
    match result {
        Ok(code) => code,
        Err(scan::UsageError(message)) => {
            eprintln!("shipready: {message}");
            EXIT_USAGE
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

/// Writes to standard output; a closed pipe is not an error.
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
