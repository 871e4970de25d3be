//! The terminal report: findings grouped by severity with cargo-style code frames, then a
//! one-line summary. Colour only when the caller says so (a TTY without `NO_COLOR`).

use std::fmt::Write as _;

use annotate_snippets::{Level, Renderer, Snippet};
use anstyle::{AnsiColor, Style};
use shipready_assess::Assessment;
use shipready_model::{Finding, Severity};

/// Terminal rendering options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TerminalOptions {
    /// Use ANSI colours.
    pub color: bool,
    /// Show strengths and skipped files too.
    pub verbose: bool,
}

fn severity_style(s: Severity) -> Style {
    let color = match s {
        Severity::Critical => AnsiColor::BrightRed,
        Severity::High => AnsiColor::Red,
        Severity::Medium => AnsiColor::Yellow,
        Severity::Low => AnsiColor::Cyan,
    };
    Style::new().fg_color(Some(color.into())).bold()
}

fn paint(text: &str, style: Style, color: bool) -> String {
    if color {
        format!("{style}{text}{style:#}")
    } else {
        text.to_string()
    }
}

fn level(s: Severity) -> Level {
    match s {
        Severity::Critical | Severity::High => Level::Error,
        Severity::Medium => Level::Warning,
        Severity::Low => Level::Note,
    }
}

/// Byte range of the finding inside its snippet (first line from the column to the end of
/// the span or of the line).
fn snippet_range(f: &Finding) -> std::ops::Range<usize> {
    let first_len = f.location.snippet.lines().next().map_or(0, str::len);
    let start = (f.location.column as usize)
        .saturating_sub(1)
        .min(first_len);
    let end = if f.location.end_line == f.location.line {
        (f.location.end_column as usize)
            .saturating_sub(1)
            .clamp(start, first_len)
    } else {
        first_len
    };
    if end <= start {
        start..first_len.max(start)
    } else {
        start..end
    }
}

fn render_finding(out: &mut String, f: &Finding, color: bool) {
    let renderer = if color {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    let title = format!("{} {}", f.rule, f.message);
    let range = snippet_range(f);
    let label = f.slug.as_str();
    let mut message = level(f.severity).title(&title);
    let related: Vec<String> = f
        .related
        .iter()
        .map(|r| format!("{}:{}: {}", r.location.path, r.location.line, r.message))
        .collect();
    let footer_text = format!("{} · {} · component `{}`", f.title, f.category, f.component);
    if f.location.snippet.is_empty() {
        message = message.footer(Level::Note.title(&footer_text));
    } else {
        message = message
            .snippet(
                Snippet::source(&f.location.snippet)
                    .line_start(f.location.line as usize)
                    .origin(&f.location.path)
                    .fold(false)
                    .annotation(level(f.severity).span(range).label(label)),
            )
            .footer(Level::Note.title(&footer_text));
    }
    for r in &related {
        message = message.footer(Level::Help.title(r));
    }
    let _ = writeln!(out, "{}", renderer.render(message));
    if f.location.snippet.is_empty() {
        let _ = writeln!(out, "  --> {}:{}", f.location.path, f.location.line);
    }
    out.push('\n');
}

/// Renders the terminal report.
pub fn render(a: &Assessment, options: TerminalOptions) -> String {
    let color = options.color;
    let mut out = String::new();
    let dim = Style::new().dimmed();
    let bold = Style::new().bold();
    let _ = writeln!(
        out,
        "{} {} · {} · {} files read, {} skipped\n",
        paint(a.tool.name, bold, color),
        a.tool.version,
        a.root,
        a.summary.files_scanned,
        a.summary.files_skipped
    );
    for sev in Severity::ALL {
        let group: Vec<&Finding> = a.findings.iter().filter(|f| f.severity == sev).collect();
        if group.is_empty() {
            continue;
        }
        let heading = format!("{} ({})", sev.as_str().to_ascii_uppercase(), group.len());
        let _ = writeln!(out, "{}\n", paint(&heading, severity_style(sev), color));
        for f in group {
            render_finding(&mut out, f, color);
        }
    }
    if options.verbose {
        if !a.strengths.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                paint(&format!("STRENGTHS ({})", a.strengths.len()), bold, color)
            );
            for s in &a.strengths {
                let _ = writeln!(
                    out,
                    "  + {}:{} {} ({})",
                    s.location.path, s.location.line, s.message, s.rule
                );
            }
            out.push('\n');
        }
        if !a.skipped.is_empty() {
            let _ = writeln!(
                out,
                "{}",
                paint(&format!("SKIPPED ({})", a.skipped.len()), bold, color)
            );
            for s in &a.skipped {
                let _ = writeln!(out, "  - {} ({}: {})", s.path, s.reason, s.detail);
            }
            out.push('\n');
        }
    }
    if !a.components.is_empty() {
        let _ = writeln!(out, "{}", paint("COMPONENTS", bold, color));
        for c in &a.components {
            let lang = c.language.unwrap_or("-");
            let _ = writeln!(
                out,
                "  {:<28} {:<9} {:<11} {:>3} critical {:>3} high {:>3} medium {:>3} low",
                c.name,
                format!("{:?}", c.kind).to_ascii_lowercase(),
                lang,
                c.findings.critical,
                c.findings.high,
                c.findings.medium,
                c.findings.low
            );
        }
        out.push('\n');
    }
    let s = &a.summary;
    let counts = format!(
        "{} findings ({} critical, {} high, {} medium, {} low)",
        s.findings.total, s.findings.critical, s.findings.high, s.findings.medium, s.findings.low
    );
    let gate = match s.gate.fail_on {
        Some(_) if s.gate.failed => paint(
            &format!(" · gate FAILED: {}", s.gate.reason),
            severity_style(Severity::Critical),
            color,
        ),
        Some(_) => format!(" · gate passed: {}", s.gate.reason),
        None => String::new(),
    };
    let _ = writeln!(
        out,
        "{} in {} components · {} strengths · {} suppressed · {} files, {} lines in {:.2}s{gate}",
        paint(&counts, bold, color),
        a.components.len(),
        s.strengths,
        s.suppressed,
        s.files_scanned,
        s.lines,
        a.timing.total_ms as f64 / 1000.0
    );
    if !options.verbose && (s.strengths > 0 || s.files_skipped > 0) {
        let _ = writeln!(
            out,
            "{}",
            paint("(--verbose lists strengths and skipped files)", dim, color)
        );
    }
    out
}
