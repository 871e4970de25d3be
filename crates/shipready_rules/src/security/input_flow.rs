//! Helpers shared by the rules over [`shipready_model::InputFlow`] facts (SEC013, SEC014,
//! SEC024).

use shipready_model::{FileRole, FlowOrigin, FlowSink, InputFlow, Project};

use crate::{RuleContext, RuleMeta};

/// Reports every unguarded flow of request input into `sink` outside tests, and records the
/// guarded ones as strengths. `finding(source, api)` and `strength(api)` word the messages.
pub(crate) fn report_request_flows(
    meta: &'static RuleMeta,
    project: &Project,
    cx: &mut RuleContext,
    sink: FlowSink,
    finding: impl Fn(&str, &str) -> String,
    strength: impl Fn(&str) -> String,
) {
    for flow in &project.facts.input_flows {
        if flow.sink != sink
            || flow.origin != FlowOrigin::Request
            || project.file(flow.span.file).role == FileRole::Test
        {
            continue;
        }
        if flow.guarded {
            cx.strength(meta, flow.span, strength(&short(&flow.api)));
            continue;
        }
        cx.finding(
            meta,
            flow.span,
            finding(&short(&flow.source), &short(&flow.api)),
        )
        .related(
            flow.source_span,
            format!("input read here{}", describe_via(flow)),
        );
    }
}

/// ` (through `a`, `b`; helper `h`)` for a related-location message, or nothing.
pub(crate) fn describe_via(flow: &InputFlow) -> String {
    let mut parts = Vec::new();
    if !flow.via.is_empty() {
        let names: Vec<String> = flow
            .via
            .iter()
            .take(4)
            .map(|v| format!("`{}`", short(v)))
            .collect();
        parts.push(format!("through {}", names.join(", ")));
    }
    if let Some(h) = &flow.helper {
        parts.push(format!("helper `{}`", short(h)));
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

/// One line, at most 36 characters.
pub(crate) fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 36 {
        let cut: String = one.chars().take(33).collect();
        format!("{cut}...")
    } else {
        one
    }
}
