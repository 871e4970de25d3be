//! The analysing commands: configuration, walk, facts, rules, assessment, baseline, gate,
//! and the reports.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use shipready_assess::{AssessOptions, Assessment, PreviousRun, assess, compare};
use shipready_config::Config;
use shipready_report::terminal::TerminalOptions;
use shipready_rules::{Date, Rule, RunOptions, all_rules};

use crate::cli::{CommonArgs, Format, GateArgs, PlanArgs, PlanFormat, ScanArgs};
use crate::gate::{GateSpec, evaluate, gate_text, verdict_line};
use crate::{EXIT_FAIL, EXIT_OK, EXIT_USAGE, print_out};

/// A usage or configuration problem: the message, exit 2.
pub struct UsageError(pub String);

/// Everything prepared before the analysis.
struct Prepared {
    config: Config,
    rules: Vec<&'static dyn Rule>,
    today: Date,
    baseline: Option<PreviousRun>,
}

/// The day expiry dates are compared with: `SHIPREADY_TODAY` (YYYY-MM-DD, for reproducible
/// runs and tests) or today in UTC.
fn today() -> Result<Date, UsageError> {
    match std::env::var("SHIPREADY_TODAY") {
        Ok(v) if !v.is_empty() => Date::parse(&v)
            .ok_or_else(|| UsageError(format!("SHIPREADY_TODAY=`{v}` is not a date (YYYY-MM-DD)"))),
        _ => Ok(Date::today()),
    }
}

/// `/`-separated path of `root` below `dir`, when it is below.
fn relative_below(root: &Path, dir: &Path) -> Option<String> {
    let rel = root.strip_prefix(dir).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// Finds and reads the configuration.
fn load_config(common: &CommonArgs) -> Result<Config, UsageError> {
    let (path, display): (PathBuf, String) = match &common.config {
        Some(p) => {
            if !p.is_file() {
                return Err(UsageError(format!(
                    "configuration file `{}` not found",
                    p.display()
                )));
            }
            (p.clone(), p.display().to_string())
        }
        None => match shipready_config::find(&common.path) {
            Some(p) => {
                // Shown relative to the scanned root (`shipready.toml`, `../shipready.toml`):
                // the report stays the same wherever the checkout lives.
                let up = common
                    .path
                    .canonicalize()
                    .ok()
                    .zip(p.parent().map(Path::to_path_buf))
                    .and_then(|(root, dir)| relative_below(&root, &dir))
                    .map(|rel| rel.split('/').filter(|s| !s.is_empty()).count());
                let display = match up {
                    Some(n) => format!("{}{}", "../".repeat(n), shipready_config::FILE_NAME),
                    None => p.display().to_string(),
                };
                (p, display)
            }
            None => return Ok(Config::default()),
        },
    };
    let config = shipready_config::load(&path, &display).map_err(|e| UsageError(e.to_string()))?;
    // Paths in the file are relative to its folder; the scan may start below it.
    let root = common.path.canonicalize().ok();
    let dir = path
        .canonicalize()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf));
    let prefix = match (root, dir) {
        (Some(r), Some(d)) => relative_below(&r, &d).unwrap_or_default(),
        _ => String::new(),
    };
    Ok(config.rebased(&prefix))
}

fn load_baseline(path: &Path) -> Result<PreviousRun, UsageError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| UsageError(format!("cannot read baseline `{}`: {e}", path.display())))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        UsageError(format!(
            "baseline `{}` is not JSON ({e}); pass a report written by `shipready scan --format json`",
            path.display()
        ))
    })?;
    PreviousRun::from_report_json(&path.display().to_string(), &value)
        .map_err(|e| UsageError(format!("baseline `{}`: {e}", path.display())))
}

fn prepare(common: &CommonArgs, gate: &GateArgs) -> Result<Prepared, UsageError> {
    match std::fs::metadata(&common.path) {
        Ok(m) if m.is_dir() => {}
        Ok(_) => {
            return Err(UsageError(format!(
                "`{}` is not a directory",
                common.path.display()
            )));
        }
        Err(e) => {
            return Err(UsageError(format!(
                "cannot read `{}`: {e}",
                common.path.display()
            )));
        }
    }
    if gate.new_only && common.baseline.is_none() {
        return Err(UsageError(
            "--new-only needs --baseline FILE (a JSON report of an earlier run)".to_string(),
        ));
    }
    let mut config = load_config(common)?;
    // Accepted risks of the register (.shipready/register.toml) act as waivers until their date.
    config
        .waivers
        .extend(crate::history_cmd::register_waivers(&common.path)?);
    let rules: Vec<&'static dyn Rule> = all_rules()
        .into_iter()
        .filter(|r| config.rules.enabled(r.meta().code))
        .collect();
    let baseline = common.baseline.as_deref().map(load_baseline).transpose()?;
    Ok(Prepared {
        config,
        rules,
        today: today()?,
        baseline,
    })
}

/// `SHIPREADY_NO_CACHE` set to anything but empty or `0` turns the fact cache off.
fn cache_disabled_by_env() -> bool {
    std::env::var("SHIPREADY_NO_CACHE").is_ok_and(|v| !v.is_empty() && v != "0")
}

/// Runs the whole pipeline.
fn analyse(common: &CommonArgs, prepared: &Prepared) -> Result<Assessment, UsageError> {
    let root = &common.path;
    let started = Instant::now();
    let walk_opts = shipready_walk::WalkOptions {
        max_file_size: common.max_file_size,
        jobs: common.jobs,
        exclude: prepared.config.exclude.clone(),
    };
    let walked = shipready_walk::walk(root, &walk_opts);
    let walk_ms = started.elapsed().as_millis() as u64;

    let show_progress =
        !common.no_progress && std::io::stderr().is_terminal() && walked.files.len() > 2000;
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
    let mut project = shipready_facts::build_project(
        root,
        walked,
        &shipready_facts::BuildOptions {
            jobs: common.jobs,
            max_file_size: common.max_file_size,
            on_file: Some(&tick),
            cache_dir: (!common.no_cache && !cache_disabled_by_env())
                .then(|| shipready_facts::cache::default_dir(root)),
        },
    );
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    for path in &common.coverage {
        shipready_facts::config::project::add_coverage(&mut project, path)
            .map_err(|e| UsageError(format!("--coverage {}: {e}", path.display())))?;
    }
    for w in crate::overrides::apply(&mut project, &prepared.config.components)
        .map_err(|e| UsageError(format!("configuration: {e}")))?
    {
        eprintln!("shipready: warning: {w}");
    }
    let analyse_ms = t1.elapsed().as_millis() as u64;

    let t2 = Instant::now();
    let rules = &prepared.rules;
    let run_options = RunOptions {
        severity_overrides: prepared.config.rules.severity.clone(),
        no_ignores: common.no_ignores,
        waivers: prepared.config.waivers.clone(),
        today: Some(prepared.today),
    };
    let mut output = shipready_rules::run(&project, rules, &run_options);
    if let Some(c) = &common.component {
        if !project.components.iter().any(|x| &x.name == c) {
            let names: Vec<&str> = project.components.iter().map(|x| x.name.as_str()).collect();
            return Err(UsageError(format!(
                "no component `{c}` (components: {})",
                names.join(", ")
            )));
        }
        output.findings.retain(|f| &f.component == c);
        output.strengths.retain(|s| &s.component == c);
        output.suppressed.retain(|s| &s.finding.component == c);
    }
    let mut assessment = assess(
        &project,
        output,
        &AssessOptions {
            root_display: common.path.display().to_string(),
            fail_on: None,
            rules_run: rules.len() as u32,
            rule_codes: rules.iter().map(|r| r.meta().code.to_string()).collect(),
            target_score: prepared.config.target_score,
        },
    );
    if let Some(prev) = &prepared.baseline {
        let mut prev = prev.clone();
        if let Some(c) = &common.component {
            prev.findings.retain(|f| &f.component == c);
        }
        compare(&mut assessment, &prev);
    }
    let rules_ms = t2.elapsed().as_millis() as u64;
    assessment.timing = shipready_assess::Timing {
        walk_ms,
        analyse_ms,
        rules_ms,
        total_ms: started.elapsed().as_millis() as u64,
    };
    Ok(assessment)
}

/// Writes `text` to `--output` or standard output.
fn emit(output: Option<&Path>, text: &str, what: &str) -> u8 {
    match output {
        Some(path) => match std::fs::write(path, text.as_bytes()) {
            Ok(()) => {
                eprintln!("shipready: wrote {} ({what})", path.display());
                EXIT_OK
            }
            Err(e) => {
                eprintln!("shipready: cannot write `{}`: {e}", path.display());
                EXIT_USAGE
            }
        },
        None => print_out(text),
    }
}

/// The report date: `SHIPREADY_TODAY` or today.
fn report_date(prepared: &Prepared) -> String {
    prepared.today.to_string()
}

/// Terminal notices the terminal renderer does not print: unused and expired suppressions.
fn suppression_notices(a: &Assessment) -> String {
    let mut out = String::new();
    if !a.expired_suppressions.is_empty() {
        out.push_str(&format!(
            "\nEXPIRED SUPPRESSIONS ({}): the findings are open again\n",
            a.expired_suppressions.len()
        ));
        for e in &a.expired_suppressions {
            out.push_str(&format!(
                "  {} {} expired {} ({} at {}: {})\n",
                e.location,
                e.rule,
                e.expires,
                e.kind_name(),
                e.source,
                e.reason
            ));
        }
    }
    if !a.unused_suppressions.is_empty() {
        out.push_str(&format!(
            "\nUNUSED SUPPRESSIONS ({})\n",
            a.unused_suppressions.len()
        ));
        for u in &a.unused_suppressions {
            out.push_str(&format!("  {}:{} {}\n", u.path, u.line, u.message));
        }
    }
    out
}

/// Small naming helper for the notice lines.
trait KindName {
    fn kind_name(&self) -> &'static str;
}

impl KindName for shipready_rules::ExpiredSuppression {
    fn kind_name(&self) -> &'static str {
        match self.kind {
            shipready_rules::SuppressionKind::Inline => "shipready-ignore",
            shipready_rules::SuppressionKind::Waiver => "waiver",
        }
    }
}

/// Renders the assessment in one format.
fn render(
    format: Format,
    assessment: &Assessment,
    prepared: &Prepared,
    color: bool,
    verbose: bool,
) -> String {
    match format {
        Format::Json => shipready_report::json::render(assessment),
        Format::Sarif => shipready_report::sarif::render(assessment, &prepared.rules),
        Format::Markdown => shipready_report::markdown::render(
            assessment,
            &shipready_report::markdown::MarkdownOptions {
                date: report_date(prepared),
            },
        ),
        Format::Html => shipready_report::html::render(
            assessment,
            &shipready_report::html::HtmlOptions {
                date: report_date(prepared),
            },
        ),
        Format::Terminal => {
            shipready_report::terminal::render(assessment, TerminalOptions { color, verbose })
                + &suppression_notices(assessment)
        }
    }
}

/// `scan` and `gate`.
pub fn scan(args: &ScanArgs, gate_command: bool) -> Result<u8, UsageError> {
    let prepared = prepare(&args.common, &args.gate)?;
    let mut assessment = analyse(&args.common, &prepared)?;
    crate::history_cmd::record(
        &args.common,
        &args.history,
        &mut assessment,
        args.format == Format::Terminal,
    )?;
    let mut fail_on = args.gate.fail_on.or(prepared.config.fail_on);
    if gate_command && fail_on.is_none() {
        fail_on = Some(shipready_model::Severity::High);
    }
    let spec = GateSpec {
        fail_on,
        min_score: args.gate.min_score.or(prepared.config.min_score),
        new_only: args.gate.new_only,
    };
    assessment.summary.gate = evaluate(&assessment, spec);
    let thresholds = spec.fail_on.is_some() || spec.min_score.is_some();

    let to_file = args.common.output.is_some();
    let color = !to_file
        && args.format == Format::Terminal
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let gate_terminal = gate_command && args.format == Format::Terminal;
    let text = if gate_terminal {
        gate_text(&assessment)
    } else {
        render(args.format, &assessment, &prepared, color, args.verbose)
    };
    for (format, path) in &args.reports {
        let report = render(*format, &assessment, &prepared, false, args.verbose);
        if let Err(e) = std::fs::write(path, report.as_bytes()) {
            eprintln!("shipready: cannot write `{}`: {e}", path.display());
            return Ok(EXIT_USAGE);
        }
        eprintln!("shipready: wrote {}", path.display());
    }
    let what = format!("{} findings", assessment.summary.findings.total);
    let written = emit(args.common.output.as_deref(), &text, &what);
    if written != EXIT_OK {
        return Ok(written);
    }
    if thresholds && !gate_terminal {
        eprintln!("{}", verdict_line(&assessment));
    }
    if assessment.summary.gate.failed && !args.gate.exit_zero {
        Ok(EXIT_FAIL)
    } else {
        Ok(EXIT_OK)
    }
}

/// `plan`.
pub fn plan(args: &PlanArgs) -> Result<u8, UsageError> {
    let prepared = prepare(&args.common, &GateArgs::default())?;
    let assessment = analyse(&args.common, &prepared)?;
    let plan = shipready_assess::plan(&assessment);
    let text = match args.format {
        PlanFormat::Markdown => {
            shipready_report::plan::render_markdown(&plan, &report_date(&prepared))
        }
        PlanFormat::Json => shipready_report::plan::render_json(&plan),
    };
    Ok(emit(
        args.common.output.as_deref(),
        &text,
        "remediation plan",
    ))
}

/// `init`.
pub fn init(path: &Path) -> Result<u8, UsageError> {
    let report = shipready_config::init(path).map_err(UsageError)?;
    eprintln!("shipready: wrote {}", report.config.display());
    match report.gitignore {
        Some(g) => eprintln!("shipready: added .shipready/ to {}", g.display()),
        None => eprintln!("shipready: .gitignore already lists .shipready/"),
    }
    Ok(EXIT_OK)
}
