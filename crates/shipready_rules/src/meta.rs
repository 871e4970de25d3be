//! Rule metadata and the `declare_rule!` macro.

use shipready_model::{Category, Likelihood, Project, Severity};

use crate::RuleContext;

/// Everything known about a rule besides its logic.
#[derive(Debug)]
pub struct RuleMeta {
    /// Code (`REL001`).
    pub code: &'static str,
    /// Slug (`dependency-error-exits-process`).
    pub slug: &'static str,
    /// Struct name (`DependencyErrorExitsProcess`).
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// Likelihood.
    pub likelihood: Likelihood,
    /// Default effort to fix one finding, in hours.
    pub effort_hours: f32,
    /// The doc comment: first line the title, then `##` sections.
    pub docs: &'static str,
    /// Source file of the rule.
    pub file: &'static str,
    /// Line of the declaration.
    pub line: u32,
}

impl RuleMeta {
    /// The title (first doc line).
    pub fn title(&self) -> &'static str {
        self.docs
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("")
    }

    /// Doc lines with the one leading space of `/// ` removed.
    fn doc_lines(&self) -> impl Iterator<Item = &'static str> {
        self.docs.lines().map(|l| l.strip_prefix(' ').unwrap_or(l))
    }

    /// The body of the `## name` section, trimmed.
    pub fn section(&self, name: &str) -> Option<String> {
        let mut out = Vec::new();
        let mut inside = false;
        for line in self.doc_lines() {
            if let Some(h) = line.strip_prefix("## ") {
                if inside {
                    break;
                }
                inside = h.trim().eq_ignore_ascii_case(name);
                continue;
            }
            if inside {
                out.push(line);
            }
        }
        if !inside && out.is_empty() {
            return None;
        }
        let text = out.join("\n");
        Some(text.trim().to_string())
    }

    /// Names of the `##` sections, in order.
    pub fn sections(&self) -> Vec<&'static str> {
        self.doc_lines()
            .filter_map(|l| l.strip_prefix("## "))
            .map(str::trim)
            .collect()
    }

    /// Fenced code blocks of the docs: (info string, code).
    pub fn code_blocks(&self) -> Vec<(String, String)> {
        let mut out = Vec::new();
        let mut current: Option<(String, Vec<&str>)> = None;
        for line in self.doc_lines() {
            if let Some(info) = line.trim_start().strip_prefix("```") {
                match current.take() {
                    Some((i, body)) => out.push((i, body.join("\n"))),
                    None => current = Some((info.trim().to_string(), Vec::new())),
                }
                continue;
            }
            if let Some((_, body)) = current.as_mut() {
                body.push(line);
            }
        }
        out
    }

    /// The docs as Markdown, without the title line.
    pub fn body_markdown(&self) -> String {
        let mut lines = self.doc_lines().skip_while(|l| l.trim().is_empty());
        lines.next();
        let body: Vec<&str> = lines.collect();
        body.join("\n").trim().to_string()
    }

    /// Repository-relative path of the generated doc page.
    pub fn doc_path(&self) -> String {
        format!("docs/rules/{}.md", self.slug)
    }
}

/// One rule: metadata plus logic over the project model.
pub trait Rule: Sync + Send {
    /// The metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// Reports findings and strengths.
    fn check(&self, project: &Project, cx: &mut RuleContext);
}

/// Declares a rule struct with its metadata; the doc comment is the rule's documentation.
///
/// The macro provides the unit struct and `X::META`; the rule's logic is an `impl Rule for X`
/// whose `meta` returns `Self::META` and whose `check` reports through [`crate::RuleContext`].
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $name:ident {
            code: $code:literal,
            slug: $slug:literal,
            category: $category:ident,
            severity: $severity:ident,
            likelihood: $likelihood:ident,
            effort_hours: $effort:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $name {
            /// The rule's metadata.
            pub const META: &'static $crate::RuleMeta = &$crate::RuleMeta {
                code: $code,
                slug: $slug,
                name: stringify!($name),
                category: ::shipready_model::Category::$category,
                severity: ::shipready_model::Severity::$severity,
                likelihood: ::shipready_model::Likelihood::$likelihood,
                effort_hours: $effort,
                docs: concat!($($doc, "\n"),*),
                file: file!(),
                line: line!(),
            };
        }
    };
}

#[cfg(test)]
mod tests {
    crate::declare_rule! {
        /// Example title
        ///
        /// ## What it finds
        /// Things.
        /// ## Examples
        /// ```ts bad
        /// bad();
        /// ```
        /// ```ts good
        /// good();
        /// ```
        pub ExampleRule {
            code: "TST999",
            slug: "example-rule",
            category: Testing,
            severity: Low,
            likelihood: Possible,
            effort_hours: 0.5,
        }
    }

    #[test]
    fn meta_parses_docs() {
        let m = ExampleRule::META;
        assert_eq!(m.title(), "Example title");
        assert_eq!(m.section("What it finds").as_deref(), Some("Things."));
        assert_eq!(m.sections(), ["What it finds", "Examples"]);
        let blocks = m.code_blocks();
        assert_eq!(blocks.len(), 2);
        assert_eq!(blocks[0], ("ts bad".to_string(), "bad();".to_string()));
        assert_eq!(m.name, "ExampleRule");
    }
}
