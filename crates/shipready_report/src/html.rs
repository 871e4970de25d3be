//! The HTML report (`--format html`): one self-contained file (inline CSS, JS and SVG; a
//! Content-Security-Policy forbids any network access), with a score gauge, category bars, a
//! trend line when history exists, findings filterable by severity, category and component,
//! evidence in code frames, strengths, the fix plan and the checklist.

use std::fmt::Write as _;

use shipready_assess::{
    Assessment, FreezeVerdict, Plan, ProductionVerdict, RiskLevel, StagingVerdict, Window,
};
use shipready_model::{Finding, Severity};

use crate::common::{
    category_name, delta, display_snippet, fix_example, hours, meta, opt_score, section_prose,
};

/// HTML rendering options.
#[derive(Debug, Clone, Default)]
pub struct HtmlOptions {
    /// Date of the report (`YYYY-MM-DD`); the CLI passes today's UTC date.
    pub date: String,
}

/// Escapes text for HTML content and attribute values.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Text with `backticked` names as `<code>`.
fn rich(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            out.push_str(&esc(part));
        }
    }
    out
}

fn score_color(score: u32) -> &'static str {
    match score {
        80.. => "#15803d",
        60..80 => "#b45309",
        40..60 => "#c2410c",
        _ => "#b91c1c",
    }
}

fn risk_class(r: RiskLevel) -> &'static str {
    r.as_str()
}

const CSS: &str = r#"
:root{--critical:#b91c1c;--high:#c2410c;--medium:#a16207;--low:#1d4ed8;--ok:#15803d;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#111827;background:var(--bg)}
header{background:#0f172a;color:#f8fafc;padding:20px 32px}
header h1{margin:0 0 4px;font-size:22px}
header .meta{color:#cbd5e1;font-size:13px}
main{max-width:1180px;margin:0 auto;padding:24px 32px 64px}
section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:20px 24px;margin:0 0 20px}
h2{font-size:18px;margin:0 0 14px}
h3{font-size:16px;margin:0 0 6px}
.summary{display:grid;grid-template-columns:260px 1fr;gap:24px;align-items:center}
.gauge text{font-family:inherit}
.verdicts{display:grid;grid-template-columns:repeat(3,1fr);gap:12px;margin-bottom:14px}
.verdict{border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.verdict .label{font-size:12px;color:var(--muted);text-transform:uppercase;letter-spacing:.04em}
.verdict .value{font-weight:700;font-size:17px}
.good{color:var(--ok)}.warn{color:var(--high)}.bad{color:var(--critical)}
.counts span{display:inline-block;margin-right:14px}
.sev{display:inline-block;border-radius:999px;padding:0 8px;font-size:12px;font-weight:600;color:#fff}
.sev.critical{background:var(--critical)}.sev.high{background:var(--high)}.sev.medium{background:var(--medium)}.sev.low{background:var(--low)}
.risk.critical{color:var(--critical)}.risk.high{color:var(--high)}.risk.medium{color:var(--medium)}.risk.low{color:var(--ok)}
ol.concerns li{margin-bottom:6px}
.bars{display:grid;grid-template-columns:230px 1fr 48px;gap:6px 12px;align-items:center}
.bar{height:14px;background:#eef2f7;border-radius:7px;position:relative;overflow:hidden}
.bar span{position:absolute;left:0;top:0;bottom:0;border-radius:7px}
.bar i{position:absolute;top:-2px;bottom:-2px;border-left:2px dashed #334155}
.num{text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
.note{color:var(--muted);font-size:13px}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid var(--line);padding:6px 8px;text-align:left;vertical-align:top}
th{font-size:12px;text-transform:uppercase;color:var(--muted);letter-spacing:.03em}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.filters{display:flex;flex-wrap:wrap;gap:10px;align-items:center;margin-bottom:14px}
.filters button{border:1px solid var(--line);background:#fff;border-radius:999px;padding:3px 12px;cursor:pointer;font:inherit;font-size:13px}
.filters button[aria-pressed=true]{background:#0f172a;color:#fff;border-color:#0f172a}
.filters select{font:inherit;font-size:13px;padding:3px 6px}
.finding{border:1px solid var(--line);border-left:4px solid var(--low);border-radius:8px;padding:12px 14px;margin-bottom:12px}
.finding.critical{border-left-color:var(--critical)}.finding.high{border-left-color:var(--high)}.finding.medium{border-left-color:var(--medium)}
.finding .where{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:13px;color:#334155}
.finding .facts{font-size:13px;color:var(--muted);margin:2px 0 8px}
.frame{background:#0f172a;color:#e2e8f0;border-radius:6px;overflow:auto;margin:8px 0;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
.frame table{font:inherit;width:100%}
.frame td{border:0;padding:0 10px;white-space:pre}
.frame td.ln{color:#64748b;text-align:right;user-select:none;border-right:1px solid #1e293b}
.frame tr.hit td{background:#1e293b}
details{margin-top:6px}
summary{cursor:pointer;color:#1d4ed8;font-size:14px}
pre.fix{background:#f1f5f9;border-radius:6px;padding:10px 12px;overflow:auto;font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,monospace}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:.92em;background:#f1f5f9;padding:0 3px;border-radius:3px}
.frame code,pre.fix code{background:none;padding:0}
ul.checks{list-style:none;padding-left:0;columns:2}
ul.checks li{margin-bottom:4px;break-inside:avoid}
.hidden{display:none}
"#;

const JS: &str = r"
(function(){
  var sev=new Set(['critical','high','medium','low']);
  var cat=document.getElementById('f-category'), comp=document.getElementById('f-component');
  var items=[].slice.call(document.querySelectorAll('.finding'));
  var shown=document.getElementById('shown-count');
  function apply(){
    var n=0;
    items.forEach(function(el){
      var ok=sev.has(el.dataset.severity)&&(!cat.value||el.dataset.category===cat.value)&&(!comp.value||el.dataset.component===comp.value);
      el.classList.toggle('hidden',!ok); if(ok)n++;
    });
    shown.textContent=String(n);
  }
  [].forEach.call(document.querySelectorAll('button[data-severity]'),function(b){
    b.addEventListener('click',function(){
      var s=b.dataset.severity; if(sev.has(s)){sev.delete(s);}else{sev.add(s);}
      b.setAttribute('aria-pressed',sev.has(s)?'true':'false'); apply();
    });
  });
  cat.addEventListener('change',apply); comp.addEventListener('change',apply);
  apply();
})();
";

/// Renders the HTML report.
pub fn render(a: &Assessment, options: &HtmlOptions) -> String {
    let plan = shipready_assess::plan(a);
    let mut out = String::new();
    let title = format!("Production readiness: {}", a.root);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
        esc(&title)
    );
    header(&mut out, a, options);
    out.push_str("<main>\n");
    summary(&mut out, a);
    categories(&mut out, a);
    trend(&mut out, a);
    components(&mut out, a);
    findings(&mut out, a);
    strengths(&mut out, a);
    fix_plan(&mut out, &plan);
    checklist(&mut out, a);
    changes(&mut out, a);
    let _ = write!(
        out,
        "<p class=\"note\">{} files ({} lines) read, {} skipped, {} findings suppressed, {} rules run. \
         Scores: see docs/scoring.md.</p>\n</main>\n<script>{JS}</script>\n</body>\n</html>\n",
        a.summary.files_scanned,
        a.summary.lines,
        a.summary.files_skipped,
        a.summary.suppressed,
        a.summary.rules_run
    );
    out
}

fn header(out: &mut String, a: &Assessment, options: &HtmlOptions) {
    let mut meta = vec![format!("{} {}", a.tool.name, a.tool.version)];
    if !options.date.is_empty() {
        meta.push(options.date.clone());
    }
    if let Some(g) = &a.git {
        if let Some(b) = &g.branch {
            meta.push(format!("branch {b}"));
        }
        if let Some(c) = &g.commit {
            meta.push(format!("commit {}", &c[..c.len().min(12)]));
        }
    }
    let _ = writeln!(
        out,
        "<header><h1>Production readiness assessment: {}</h1><div class=\"meta\">{}</div></header>",
        esc(&a.root),
        esc(&meta.join(" · "))
    );
}

fn gauge(score: u32, target: u32) -> String {
    let color = score_color(score);
    // A half circle of length 100 (pathLength); the target as a tick.
    let angle = std::f64::consts::PI * (1.0 - f64::from(target.min(100)) / 100.0);
    let (tx1, ty1) = (110.0 + 78.0 * angle.cos(), 110.0 - 78.0 * angle.sin());
    let (tx2, ty2) = (110.0 + 102.0 * angle.cos(), 110.0 - 102.0 * angle.sin());
    format!(
        "<svg class=\"gauge\" viewBox=\"0 0 220 130\" width=\"250\" role=\"img\" aria-label=\"readiness score {score} of 100\">\
         <path d=\"M20 110 A90 90 0 0 1 200 110\" fill=\"none\" stroke=\"#e5e7eb\" stroke-width=\"18\" stroke-linecap=\"round\"/>\
         <path d=\"M20 110 A90 90 0 0 1 200 110\" fill=\"none\" stroke=\"{color}\" stroke-width=\"18\" stroke-linecap=\"round\" pathLength=\"100\" stroke-dasharray=\"{score} 100\"/>\
         <line x1=\"{tx1:.1}\" y1=\"{ty1:.1}\" x2=\"{tx2:.1}\" y2=\"{ty2:.1}\" stroke=\"#334155\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>\
         <text x=\"110\" y=\"98\" text-anchor=\"middle\" font-size=\"42\" font-weight=\"700\" fill=\"{color}\">{score}</text>\
         <text x=\"110\" y=\"124\" text-anchor=\"middle\" font-size=\"12\" fill=\"#6b7280\">of 100 · target {target}</text></svg>"
    )
}

fn summary(out: &mut String, a: &Assessment) {
    let s = &a.scores;
    let c = &a.summary.findings;
    let (prod, prod_class) = match s.deployment.production {
        ProductionVerdict::Go => ("Go", "good"),
        ProductionVerdict::NoGo => ("No-go", "bad"),
    };
    let (staging, staging_class) = match s.deployment.staging {
        StagingVerdict::Go => ("Go", "good"),
        StagingVerdict::GoWithMonitoring => ("Go with monitoring", "warn"),
    };
    let (freeze, freeze_class) = match s.freeze.verdict {
        FreezeVerdict::Approved => ("Approved", "good"),
        FreezeVerdict::Conditional => ("Conditional", "warn"),
        FreezeVerdict::Rejected => ("Rejected", "bad"),
    };
    let change = match s.delta {
        Some(_) => format!("{} since the previous run", delta(s.delta)),
        None => "first assessment".to_string(),
    };
    let _ = write!(
        out,
        "<section id=\"summary\"><h2>Executive summary</h2><div class=\"summary\"><div>{}\
         <div class=\"note\" style=\"text-align:center\">{}</div></div><div>\
         <div class=\"verdicts\">\
         <div class=\"verdict\"><div class=\"label\">Production</div><div class=\"value {prod_class}\">{prod}</div></div>\
         <div class=\"verdict\"><div class=\"label\">Staging</div><div class=\"value {staging_class}\">{staging}</div></div>\
         <div class=\"verdict\"><div class=\"label\">Release freeze</div><div class=\"value {freeze_class}\">{freeze}</div></div></div>\
         <p>Overall risk: <strong class=\"risk {}\">{}</strong> · {} · {}</p>\
         <p class=\"counts\"><span><span class=\"sev critical\">{}</span> critical</span><span><span class=\"sev high\">{}</span> high</span>\
         <span><span class=\"sev medium\">{}</span> medium</span><span><span class=\"sev low\">{}</span> low</span><span>{} strengths</span></p>",
        gauge(s.overall, s.target),
        esc(&change),
        risk_class(s.risk_level),
        s.risk_level.as_str(),
        esc(&s.deployment.reason),
        esc(&s.freeze.reason),
        c.critical,
        c.high,
        c.medium,
        c.low,
        a.summary.strengths
    );
    if !s.primary_concerns.is_empty() {
        out.push_str("<h3>Primary concerns</h3><ol class=\"concerns\">");
        for c in &s.primary_concerns {
            let _ = write!(
                out,
                "<li><span class=\"sev {}\">{}</span> <strong>{}</strong> ({}): {} finding(s) in {}. {}</li>",
                c.severity,
                c.severity,
                esc(&c.title),
                esc(&c.rule),
                c.findings,
                esc(&c
                    .components
                    .iter()
                    .map(|x| if x == "." {
                        "repository root"
                    } else {
                        x.as_str()
                    })
                    .collect::<Vec<_>>()
                    .join(", ")),
                rich(&c.example)
            );
        }
        out.push_str("</ol>");
    }
    out.push_str("</div></div></section>\n");
}

fn categories(out: &mut String, a: &Assessment) {
    let s = &a.scores;
    out.push_str("<section id=\"categories\"><h2>Scores by category</h2><div class=\"bars\">");
    let mut na = Vec::new();
    for c in &s.categories {
        let Some(score) = c.score else {
            na.push(category_name(c.category));
            continue;
        };
        let _ = write!(
            out,
            "<div>{}<div class=\"note\">{} open · {} strengths{}</div></div>\
             <div class=\"bar\" title=\"{score}/100, target {}\"><span style=\"width:{score}%;background:{}\"></span><i style=\"left:{}%\"></i></div>\
             <div class=\"num\">{score}</div>",
            category_name(c.category),
            c.findings.total,
            c.strengths,
            c.delta
                .map_or(String::new(), |d| format!(" · Δ {}", delta(Some(d)))),
            s.target,
            score_color(score),
            s.target.min(100)
        );
    }
    out.push_str("</div>");
    if !na.is_empty() {
        let _ = write!(
            out,
            "<p class=\"note\">Not assessed (no rule of these categories ran or had anything to check): {}.</p>",
            esc(&na.join(", "))
        );
    }
    out.push_str("</section>\n");
}

fn trend(out: &mut String, a: &Assessment) {
    out.push_str("<section id=\"trend\"><h2>Trend</h2>");
    if a.history.len() < 2 {
        out.push_str(
            "<p class=\"note\">No history yet: this is the first assessment. Pass a previous JSON report \
             with <code>--baseline</code> (or keep run history) to draw the trend.</p></section>\n",
        );
        return;
    }
    let (width, height, pad) = (640.0f64, 180.0f64, 30.0f64);
    let n = a.history.len();
    let px = |i: usize| pad + (width - 2.0 * pad) * i as f64 / (n - 1) as f64;
    let py = |s: u32| pad / 2.0 + (height - pad) * (1.0 - f64::from(s.min(100)) / 100.0);
    let points: Vec<String> = a
        .history
        .iter()
        .enumerate()
        .map(|(i, p)| format!("{:.1},{:.1}", px(i), py(p.score)))
        .collect();
    let target_y = py(a.scores.target);
    let _ = write!(
        out,
        "<svg viewBox=\"0 0 {width} {height}\" width=\"100%\" style=\"max-width:{width}px\" role=\"img\" aria-label=\"score trend\">\
         <line x1=\"{pad}\" x2=\"{}\" y1=\"{target_y:.1}\" y2=\"{target_y:.1}\" stroke=\"#94a3b8\" stroke-dasharray=\"4 3\"/>\
         <polyline fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2.5\" points=\"{}\"/>",
        width - pad,
        points.join(" ")
    );
    for (i, p) in a.history.iter().enumerate() {
        let _ = write!(
            out,
            "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"4\" fill=\"#1d4ed8\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\">{}</text>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#6b7280\">{}</text>",
            px(i),
            py(p.score),
            px(i),
            py(p.score) - 8.0,
            p.score,
            px(i),
            height - 2.0,
            esc(&p.label)
        );
    }
    out.push_str("</svg>");
    category_trends(out, a);
    out.push_str("</section>\n");
}

/// Score over runs per category (stored runs only): one small line per category.
fn category_trends(out: &mut String, a: &Assessment) {
    let mut cats: Vec<shipready_model::Category> = a
        .history
        .iter()
        .flat_map(|p| p.categories.keys().copied())
        .collect();
    cats.sort();
    cats.dedup();
    if cats.is_empty() {
        return;
    }
    out.push_str(
        "<h3>By category</h3><table><thead><tr><th>Category</th><th>Score over the runs</th>\
         <th>First</th><th>Last</th></tr></thead><tbody>",
    );
    let (w, h) = (200.0f64, 28.0f64);
    let n = a.history.len().max(2);
    for c in cats {
        let points: Vec<(usize, u32)> = a
            .history
            .iter()
            .enumerate()
            .filter_map(|(i, p)| p.categories.get(&c).map(|s| (i, *s)))
            .collect();
        let coords: Vec<String> = points
            .iter()
            .map(|(i, s)| {
                format!(
                    "{:.1},{:.1}",
                    2.0 + (w - 4.0) * *i as f64 / (n - 1) as f64,
                    2.0 + (h - 4.0) * (1.0 - f64::from((*s).min(100)) / 100.0)
                )
            })
            .collect();
        let _ = write!(
            out,
            "<tr><td>{}</td><td><svg viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" \
             aria-label=\"{} score trend\"><polyline fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2\" \
             points=\"{}\"/></svg></td><td>{}</td><td>{}</td></tr>",
            category_name(c),
            category_name(c),
            coords.join(" "),
            points.first().map_or(0, |p| p.1),
            points.last().map_or(0, |p| p.1)
        );
    }
    out.push_str("</tbody></table>");
}

fn components(out: &mut String, a: &Assessment) {
    if a.components.is_empty() {
        return;
    }
    out.push_str(
        "<section id=\"components\"><h2>Components</h2><table><thead><tr><th>Component</th><th>Kind</th><th>Language</th>\
         <th>Score</th><th>Risk</th><th>Critical</th><th>High</th><th>Medium</th><th>Low</th><th>Δ</th></tr></thead><tbody>",
    );
    for c in &a.components {
        let sc = a.scores.components.iter().find(|s| s.name == c.name);
        let score = sc.map_or(0, |s| s.score);
        let risk = sc.map_or(RiskLevel::Low, |s| s.risk_level);
        let _ = write!(
            out,
            "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td class=\"n\" style=\"color:{}\"><strong>{score}</strong></td>\
             <td class=\"risk {}\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
            esc(&c.name),
            format!("{:?}", c.kind).to_ascii_lowercase(),
            esc(c.language.unwrap_or("—")),
            score_color(score),
            risk_class(risk),
            risk.as_str(),
            c.findings.critical,
            c.findings.high,
            c.findings.medium,
            c.findings.low,
            delta(sc.and_then(|s| s.delta))
        );
    }
    out.push_str("</tbody></table></section>\n");
}

fn frame(f: &Finding) -> String {
    let snippet = display_snippet(f);
    if snippet.trim().is_empty() {
        return String::new();
    }
    let mut out = String::from("<div class=\"frame\"><table>");
    for (i, line) in snippet.lines().enumerate() {
        let n = f.location.line + i as u32;
        let hit = n >= f.location.line && n <= f.location.end_line;
        let _ = write!(
            out,
            "<tr{}><td class=\"ln\">{n}</td><td><code>{}</code></td></tr>",
            if hit { " class=\"hit\"" } else { "" },
            esc(line)
        );
    }
    out.push_str("</table></div>");
    out
}

fn findings(out: &mut String, a: &Assessment) {
    let total = a.findings.len();
    let _ = write!(
        out,
        "<section id=\"findings\"><h2>Findings</h2><div class=\"filters\"><span class=\"note\">Severity</span>"
    );
    for s in Severity::ALL {
        let n = a.findings.iter().filter(|f| f.severity == s).count();
        let _ = write!(
            out,
            "<button type=\"button\" data-severity=\"{s}\" aria-pressed=\"true\">{s} ({n})</button>"
        );
    }
    let mut cats: Vec<_> = a.findings.iter().map(|f| f.category).collect();
    cats.sort();
    cats.dedup();
    out.push_str(
        "<label class=\"note\">Category <select id=\"f-category\"><option value=\"\">all</option>",
    );
    for c in cats {
        let _ = write!(
            out,
            "<option value=\"{}\">{}</option>",
            c.as_str(),
            category_name(c)
        );
    }
    out.push_str("</select></label><label class=\"note\">Component <select id=\"f-component\"><option value=\"\">all</option>");
    for c in &a.components {
        let _ = write!(out, "<option value=\"{0}\">{0}</option>", esc(&c.name));
    }
    let _ = write!(
        out,
        "</select></label><span class=\"note\">showing <strong id=\"shown-count\">{total}</strong> of {total}</span></div>"
    );
    if total == 0 {
        out.push_str("<p>No open findings.</p>");
    }
    let mut sorted: Vec<&Finding> = a.findings.iter().collect();
    sorted.sort_by(|x, y| {
        y.severity
            .cmp(&x.severity)
            .then(x.rule.cmp(&y.rule))
            .then(x.component.cmp(&y.component))
            .then(x.location.path.cmp(&y.location.path))
            .then(x.location.line.cmp(&y.location.line))
    });
    for f in sorted {
        let lang = a
            .components
            .iter()
            .find(|c| c.name == f.component)
            .and_then(|c| c.language);
        let _ = write!(
            out,
            "<article class=\"finding {sev}\" data-severity=\"{sev}\" data-category=\"{cat}\" data-component=\"{comp}\">\
             <h3><span class=\"sev {sev}\">{sev}</span> {rule} {title}</h3>\
             <div class=\"where\">{path}:{line} · component {comp}</div>\
             <div class=\"facts\">{cat} · likelihood {lik} · effort {effort} · fix {deadline}</div>\
             <div>{msg}</div>{frame}",
            sev = f.severity,
            cat = f.category,
            comp = esc(&f.component),
            rule = esc(&f.rule),
            title = esc(&f.title),
            path = esc(&f.location.path),
            line = f.location.line,
            lik = f.likelihood.as_str(),
            effort = hours(f.effort_hours),
            deadline = Window::of(f.severity).deadline(),
            msg = rich(&f.message),
            frame = frame(f)
        );
        if !f.related.is_empty() {
            out.push_str("<ul>");
            for r in &f.related {
                let _ = write!(
                    out,
                    "<li class=\"where\">{}:{} — {}</li>",
                    esc(&r.location.path),
                    r.location.line,
                    rich(&r.message)
                );
            }
            out.push_str("</ul>");
        }
        if let Some(m) = meta(&f.rule) {
            out.push_str("<details><summary>Impact, failure scenario and fix</summary>");
            for (name, label) in [
                ("Why it matters", "Impact"),
                ("Failure scenario", "Failure scenario"),
                ("How to fix", "Mitigation"),
            ] {
                let text = section_prose(m, name);
                if !text.is_empty() {
                    let _ = write!(out, "<p><strong>{label}.</strong> {}</p>", rich(&text));
                }
            }
            if let Some((tag, code)) = fix_example(m, lang, &f.location.path) {
                let _ = write!(
                    out,
                    "<pre class=\"fix\" data-lang=\"{}\"><code>{}</code></pre>",
                    esc(&tag),
                    esc(&code)
                );
            }
            let _ = write!(
                out,
                "<p class=\"note\">Rule documentation: {}</p></details>",
                esc(&m.doc_path())
            );
        }
        out.push_str("</article>");
    }
    out.push_str("</section>\n");
}

fn strengths(out: &mut String, a: &Assessment) {
    out.push_str("<section id=\"strengths\"><h2>Strengths</h2>");
    if a.strengths.is_empty() {
        out.push_str(
            "<p class=\"note\">No good practice was recognised by the rules that ran.</p>",
        );
    } else {
        out.push_str("<ul>");
        for s in &a.strengths {
            let _ = write!(
                out,
                "<li><strong>{}</strong> in <code>{}</code>: {} <span class=\"where\">{}:{}</span></li>",
                category_name(s.category),
                esc(&s.component),
                rich(&s.message),
                esc(&s.location.path),
                s.location.line
            );
        }
        out.push_str("</ul>");
    }
    out.push_str("</section>\n");
}

fn fix_plan(out: &mut String, plan: &Plan) {
    out.push_str("<section id=\"plan\"><h2>Prioritised fix list</h2>");
    if plan.tasks.is_empty() {
        out.push_str("<p>Nothing to fix.</p></section>\n");
        return;
    }
    out.push_str(
        "<table><thead><tr><th>When</th><th>Task</th><th>Findings</th><th>Effort</th></tr></thead><tbody>",
    );
    for w in plan.windows.iter().filter(|w| w.tasks > 0) {
        let _ = write!(
            out,
            "<tr><td colspan=\"4\"><strong>{}</strong> · {} · score after: {}</td></tr>",
            esc(w.label),
            hours(w.effort_hours),
            w.score_after
        );
        for t in plan.tasks.iter().filter(|t| t.window == w.window) {
            let week = t
                .week
                .map_or_else(|| "later".to_string(), |w| format!("week {w}"));
            let _ = write!(
                out,
                "<tr><td>{week}</td><td>{} {}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
                esc(&t.id),
                rich(&t.title),
                t.findings.len(),
                hours(t.effort_hours)
            );
        }
    }
    let _ = writeln!(
        out,
        "<tr><td colspan=\"3\"><strong>Total</strong></td><td class=\"n\"><strong>{}</strong></td></tr></tbody></table></section>",
        hours(plan.total_effort_hours)
    );
}

fn checklist(out: &mut String, a: &Assessment) {
    if a.checklist.is_empty() {
        return;
    }
    let passed = a.checklist.iter().filter(|c| c.passed).count();
    let _ = write!(
        out,
        "<section id=\"checklist\"><h2>Pre-production checklist</h2><p class=\"note\">{passed} of {} checks pass.</p><ul class=\"checks\">",
        a.checklist.len()
    );
    for c in &a.checklist {
        let _ = write!(
            out,
            "<li>{} {} {} <span class=\"note\">({})</span></li>",
            if c.passed {
                "<span class=\"good\">✔</span>"
            } else {
                "<span class=\"bad\">✘</span>"
            },
            esc(&c.rule),
            esc(&c.title),
            if c.passed {
                "none found".to_string()
            } else {
                format!("{} open", c.findings)
            }
        );
    }
    out.push_str("</ul></section>\n");
}

fn changes(out: &mut String, a: &Assessment) {
    out.push_str("<section id=\"changes\"><h2>Changes since the previous run</h2>");
    match &a.changes {
        None => out.push_str("<p>First assessment: nothing to compare with.</p>"),
        Some(c) => {
            let _ = write!(
                out,
                "<p>Compared with {}: score {} → {} ({}). New {}, fixed {}, reopened {}, still open {}, waived {}.</p>",
                esc(&c.baseline),
                opt_score(a.scores.previous),
                a.scores.overall,
                delta(a.scores.delta),
                c.new.len(),
                c.fixed.len(),
                c.reopened.len(),
                c.still_open.len(),
                c.waived.len()
            );
            for (name, list) in c.groups() {
                if list.is_empty() {
                    continue;
                }
                let _ = write!(out, "<h3>{name}</h3><ul>");
                for f in list {
                    let _ = write!(
                        out,
                        "<li>{}{} {} ({}) <span class=\"where\">{}:{}</span></li>",
                        f.id.as_deref()
                            .map(|id| format!("<b>{}</b> ", esc(id)))
                            .unwrap_or_default(),
                        esc(&f.rule),
                        esc(&f.title),
                        f.severity,
                        esc(&f.path),
                        f.line
                    );
                }
                out.push_str("</ul>");
            }
        }
    }
    out.push_str("</section>\n");
}
