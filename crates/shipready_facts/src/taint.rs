//! What the input-flow passes of every language share: a value that carries caller input
//! ([`Taint`]) and the test of whether a condition guards it.

use shipready_model::{FlowOrigin, InputFlow, Span};

/// Bound on expression nesting followed.
pub(crate) const MAX_DEPTH: u32 = 24;

/// A value that carries caller input.
#[derive(Debug, Clone)]
pub(crate) struct Taint {
    pub origin: FlowOrigin,
    pub source: String,
    pub source_span: Span,
    /// Variables it passed through, first to last (at most 8).
    pub via: Vec<String>,
    /// The same-file helper function it entered, if any.
    pub helper: Option<String>,
    /// Whether the input controls the start of the string (scheme and host of a URL).
    pub lead: bool,
    /// A path parameter matched as one URL segment (`:name`, `{name}`, `<name>`): it cannot
    /// hold `/`.
    pub segment: bool,
}

impl Taint {
    /// The value after it is stored in `var`.
    pub fn through(&self, var: &str) -> Taint {
        let mut t = self.clone();
        if t.via.last().is_none_or(|v| v != var) && t.via.len() < 8 {
            t.via.push(var.to_string());
        }
        t
    }

    pub fn lead(mut self, lead: bool) -> Taint {
        self.lead = lead;
        self
    }
}

/// Whether a condition mentions a variable of the flow together with a check token.
pub(crate) fn guarded_by(conds: &[String], flow: &InputFlow, tokens: &[&str]) -> bool {
    let mut names: Vec<&str> = flow.via.iter().map(String::as_str).collect();
    names.push(flow.source.as_str());
    guarded_names(conds, &names, tokens)
}

/// Whether a condition mentions one of `names` together with a check token.
pub(crate) fn guarded_names(conds: &[String], names: &[&str], tokens: &[&str]) -> bool {
    conds
        .iter()
        .any(|c| names.iter().any(|v| mentions(c, v)) && tokens.iter().any(|g| c.contains(g)))
}

/// Whether `text` mentions `name` as a whole word (or a member chain starting with it).
pub(crate) fn mentions(text: &str, name: &str) -> bool {
    if name.is_empty() {
        return false;
    }
    let word = |c: char| c.is_alphanumeric() || c == '_' || c == '$';
    let mut from = 0;
    while let Some(i) = text.get(from..).and_then(|t| t.find(name)) {
        let at = from + i;
        let before = text[..at].chars().next_back();
        let after = text[at + name.len()..].chars().next();
        if !before.is_some_and(|c| word(c) || c == '.') && !after.is_some_and(word) {
            return true;
        }
        from = at + name.len();
    }
    false
}

/// Text on one line, at most 60 characters.
pub(crate) fn short(s: &str) -> String {
    let one: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if one.chars().count() > 60 {
        let cut: String = one.chars().take(57).collect();
        format!("{cut}...")
    } else {
        one
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mentions_whole_words_only() {
        assert!(mentions("if (name.startsWith('a'))", "name"));
        assert!(!mentions("if (filename)", "name"));
        assert!(!mentions("x.name == 1", "name"));
    }

    #[test]
    fn guard_needs_a_check_token() {
        let conds = vec!["name.startsWith('/srv')".to_string(), "other".to_string()];
        assert!(guarded_names(&conds, &["name"], &["startsWith"]));
        assert!(!guarded_names(&conds, &["name"], &["=="]));
        assert!(!guarded_names(&conds, &["file"], &["startsWith"]));
    }
}
