//! The demo's Markdown report and plan: snapshots (date fixed) and shape checks.

mod common;

use shipready_report::markdown::{MarkdownOptions, render};

#[test]
fn demo_markdown_report() {
    let a = common::demo();
    let md = render(
        &a,
        &MarkdownOptions {
            date: common::DATE.to_string(),
        },
    );
    common::keep("shop.md", &md);
    let headings: Vec<&str> = md.lines().filter(|l| l.starts_with("## ")).collect();
    assert_eq!(
        headings,
        [
            "## Executive summary",
            "## Scores by category",
            "## Components",
            "## Critical and high risks",
            "## Medium and low risks",
            "## Strengths",
            "## Risk matrix",
            "## Prioritised fix list",
            "## Pre-production checklist",
            "## Changes since the previous run",
        ]
    );
    insta::assert_snapshot!("shop_report_md", md);
}

#[test]
fn demo_html_and_plan_render() {
    let a = common::demo();
    let html = shipready_report::html::render(
        &a,
        &shipready_report::html::HtmlOptions {
            date: common::DATE.to_string(),
        },
    );
    common::keep("shop.html", &html);
    assert!(html.starts_with("<!DOCTYPE html>"));
    // Self-contained: no external reference of any kind.
    // CSS references are looked for in the stylesheet only: rule docs shown in the report
    // may quote code such as `z.string().url()`.
    let css: String = html
        .split("<style")
        .skip(1)
        .filter_map(|s| s.split("</style>").next())
        .collect();
    assert!(!css.is_empty(), "the report has an inline stylesheet");
    for needle in ["@import", "url("] {
        assert!(!css.contains(needle), "stylesheet references {needle}");
    }
    for needle in ["http://", "https://", "src=\"", "<link"] {
        let hits: Vec<&str> = html.lines().filter(|l| l.contains(needle)).collect();
        assert!(
            needle.starts_with("http") || hits.is_empty(),
            "{needle}: {hits:?}"
        );
    }
    assert!(!html.contains("<script src"));
    let plan = shipready_assess::plan(&a);
    let json = shipready_report::plan::render_json(&plan);
    common::keep("shop.plan.json", &json);
    common::keep(
        "shop.plan.md",
        &shipready_report::plan::render_markdown(&plan, common::DATE),
    );
    insta::assert_snapshot!("shop_plan_json", json);
}

#[test]
fn changes_and_trend_render_against_a_baseline() {
    let mut a = common::demo();
    let previous_json: serde_json::Value =
        serde_json::from_str(&shipready_report::json::render(&a)).expect("json");
    let mut prev =
        shipready_assess::PreviousRun::from_report_json("baseline previous.json", &previous_json)
            .expect("previous run");
    prev.overall = prev.overall.map(|s| s.saturating_sub(5));
    // One finding fixed since the baseline.
    let fixed = a.findings.remove(0);
    shipready_assess::compare(&mut a, &prev);
    let changes = a.changes.as_ref().expect("changes");
    assert_eq!(changes.fixed.len(), 1);
    assert_eq!(changes.fixed[0].fingerprint, fixed.fingerprint);
    assert!(changes.new.is_empty());
    assert_eq!(changes.still_open.len(), a.findings.len());
    assert_eq!(a.scores.delta, Some(5));
    assert_eq!(a.history.len(), 2);
    let md = render(&a, &MarkdownOptions::default());
    assert!(md.contains("Compared with baseline previous.json"), "{md}");
    assert!(md.contains("**Fixed**"));
    assert!(md.contains("(+5 since the previous run"));
    let html = shipready_report::html::render(&a, &shipready_report::html::HtmlOptions::default());
    assert!(html.contains("<polyline"));
}
