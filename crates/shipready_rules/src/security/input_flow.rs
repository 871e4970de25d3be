//! Helpers shared by the rules over [`shipready_model::InputFlow`] facts (SEC013, SEC014,
//! SEC024).

use shipready_model::InputFlow;

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
