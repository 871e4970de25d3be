//! The project: files, components and all facts of one scanned tree.

use std::sync::Arc;

use serde::Serialize;

use crate::{Component, ComponentId, Facts, FileId, LineIndex, Span};

/// Language (or format) of a file, decided from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// `.ts`, `.mts`, `.cts`
    TypeScript,
    /// `.tsx`
    Tsx,
    /// `.js`, `.mjs`, `.cjs`
    JavaScript,
    /// `.jsx`
    Jsx,
    /// `.py`
    Python,
    /// `.go`
    Go,
    /// `.yaml`, `.yml`
    Yaml,
    /// `.json`
    Json,
    /// `.toml`
    Toml,
    /// `Dockerfile`, `*.dockerfile`, `Dockerfile.*`
    Dockerfile,
    /// `.env`, `.env.*`
    DotEnv,
    /// `.prisma`
    Prisma,
    /// `go.mod`
    GoMod,
    /// `requirements*.txt`
    Requirements,
    /// `.md`
    Markdown,
    /// Any other text file that may hold secrets (`.properties`, `.ini`, `.cfg`, `.conf`, `.sh`, `.tf`...).
    Text,
}

impl Lang {
    /// Whether this is JavaScript or TypeScript (any dialect).
    pub fn is_js_family(self) -> bool {
        matches!(
            self,
            Lang::TypeScript | Lang::Tsx | Lang::JavaScript | Lang::Jsx
        )
    }

    /// Whether this is application source code (JS/TS, Python, Go).
    pub fn is_code(self) -> bool {
        self.is_js_family() || matches!(self, Lang::Python | Lang::Go)
    }

    /// The language name used in fix examples and reports.
    pub fn name(self) -> &'static str {
        match self {
            Lang::TypeScript | Lang::Tsx => "typescript",
            Lang::JavaScript | Lang::Jsx => "javascript",
            Lang::Python => "python",
            Lang::Go => "go",
            Lang::Yaml => "yaml",
            Lang::Json => "json",
            Lang::Toml => "toml",
            Lang::Dockerfile => "dockerfile",
            Lang::DotEnv => "dotenv",
            Lang::Prisma => "prisma",
            Lang::GoMod => "gomod",
            Lang::Requirements => "requirements",
            Lang::Markdown => "markdown",
            Lang::Text => "text",
        }
    }
}

/// What a file is for, from its path: rules treat tests and scripts differently from
/// production code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileRole {
    /// Production source or config.
    Source,
    /// A test, spec, fixture or mock.
    Test,
    /// A one-off script, migration helper, CLI tool, seed, example or benchmark.
    Script,
    /// Documentation.
    Doc,
}

/// One file that was read.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Its id (index into [`Project::files`]).
    pub id: FileId,
    /// Repository-relative path with `/` separators.
    pub path: String,
    /// Language or format.
    pub lang: Lang,
    /// Role from the path.
    pub role: FileRole,
    /// The component it belongs to.
    pub component: ComponentId,
    /// Size in bytes.
    pub size: u64,
    /// Line starts, for rendering locations.
    pub lines: LineIndex,
    /// The text, kept for files that produced facts (snippets, suppressions, fingerprints).
    pub text: Option<Arc<str>>,
    /// Whether the parser had to recover from syntax errors.
    pub had_syntax_errors: bool,
    /// Whether the file was read and analysed (false when it was skipped after the walk).
    pub analysed: bool,
    /// Number of lines.
    pub line_count: u32,
}

impl SourceFile {
    /// The text of the span, when the file's text is kept.
    pub fn slice(&self, span: Span) -> Option<&str> {
        let text = self.text.as_deref()?;
        text.get(span.start as usize..span.end as usize)
    }
}

/// Why a file was not read or not analysed.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct SkippedFile {
    /// Repository-relative path.
    pub path: String,
    /// Machine-readable reason (`too-large`, `binary`, `invalid-utf8`, `symlink`, `not-a-file`,
    /// `unreadable`, `vendored`, `generated`, `minified`, `too-deep`, `parse-error`...).
    pub reason: String,
    /// Human detail (sizes, the error).
    pub detail: String,
}

/// A note about a file that was analysed only partly (syntax errors recovered, for instance).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FileNote {
    /// Repository-relative path.
    pub path: String,
    /// What happened.
    pub note: String,
}

/// Everything known about one scanned tree.
#[derive(Debug, Default)]
pub struct Project {
    /// Absolute root that was scanned (display only).
    pub root: String,
    /// Files read, sorted by path; `files[i].id == FileId(i)`.
    pub files: Vec<SourceFile>,
    /// Deployable units, sorted by root path; `components[i].id == ComponentId(i)`.
    pub components: Vec<Component>,
    /// All facts, each list in file order then source order.
    pub facts: Facts,
    /// Files not read, with reasons.
    pub skipped: Vec<SkippedFile>,
    /// Files read with notes (syntax errors recovered...).
    pub notes: Vec<FileNote>,
    /// Whether the root is a git checkout, and the tracked paths when it is.
    pub git_tracked: Option<Vec<String>>,
    /// Deploy configs (k8s containers, compose services, Dockerfiles) and the component each
    /// runs; filled by the deploy linker.
    pub deployments: Vec<crate::Deployment>,
}

impl Project {
    /// The file behind an id.
    pub fn file(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Every file's id by its repository-relative path.
    pub fn files_by_path(&self) -> std::collections::BTreeMap<&str, FileId> {
        self.files.iter().map(|f| (f.path.as_str(), f.id)).collect()
    }

    /// The component behind an id.
    pub fn component(&self, id: ComponentId) -> &Component {
        &self.components[id.0 as usize]
    }

    /// The component a span's file belongs to.
    pub fn component_of(&self, span: Span) -> &Component {
        self.component(self.file(span.file).component)
    }

    /// Whether the span lies in production code (not a test, script or doc).
    pub fn is_production(&self, span: Span) -> bool {
        self.file(span.file).role == FileRole::Source
    }

    /// The text of a span, when kept.
    pub fn slice(&self, span: Span) -> Option<&str> {
        self.file(span.file).slice(span)
    }

    /// The deploy config whose span is `owner` (a k8s container entry, compose service key or
    /// Dockerfile span, as held in the `owner` of health checks, deploy ports, env sources).
    pub fn deployment_at(&self, owner: Span) -> Option<&crate::Deployment> {
        self.deployments.iter().find(|d| d.span == owner)
    }

    /// The deploy configs linked to a component.
    pub fn deployments_of(&self, id: ComponentId) -> impl Iterator<Item = &crate::Deployment> {
        self.deployments
            .iter()
            .filter(move |d| d.component == Some(id))
    }
}

impl Lang {
    /// The language of a file from its repository-relative path, or `None` when shipready
    /// has nothing to read in it.
    pub fn from_path(path: &str) -> Option<Lang> {
        let name = path.rsplit('/').next().unwrap_or(path);
        let lower = name.to_ascii_lowercase();
        if lower == "dockerfile"
            || lower.starts_with("dockerfile.")
            || lower.ends_with(".dockerfile")
            || lower == "containerfile"
        {
            return Some(Lang::Dockerfile);
        }
        if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
            return Some(Lang::DotEnv);
        }
        if lower == "procfile" {
            // Heroku-style process declarations: a deployment method of its own.
            return Some(Lang::Text);
        }
        if lower == "go.mod" {
            return Some(Lang::GoMod);
        }
        if lower.starts_with("requirements") && lower.ends_with(".txt") {
            return Some(Lang::Requirements);
        }
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        Some(match ext {
            "ts" | "mts" | "cts" => {
                if lower.ends_with(".d.ts")
                    || lower.ends_with(".d.mts")
                    || lower.ends_with(".d.cts")
                {
                    return None;
                }
                Lang::TypeScript
            }
            "tsx" => Lang::Tsx,
            "js" | "mjs" | "cjs" => Lang::JavaScript,
            "jsx" => Lang::Jsx,
            "py" => Lang::Python,
            "go" => Lang::Go,
            "yaml" | "yml" => Lang::Yaml,
            "json" => Lang::Json,
            "toml" => Lang::Toml,
            "prisma" => Lang::Prisma,
            "md" => Lang::Markdown,
            "properties" | "ini" | "cfg" | "conf" | "sh" | "bash" | "tf" | "tfvars" | "pem"
            | "key" | "xml" | "gradle" => Lang::Text,
            _ => return None,
        })
    }
}

#[cfg(test)]
mod lang_tests {
    use super::Lang;

    #[test]
    fn lang_from_path() {
        assert_eq!(Lang::from_path("a/b/server.ts"), Some(Lang::TypeScript));
        assert_eq!(Lang::from_path("types.d.ts"), None);
        assert_eq!(Lang::from_path("api/Dockerfile"), Some(Lang::Dockerfile));
        assert_eq!(Lang::from_path("Dockerfile.prod"), Some(Lang::Dockerfile));
        assert_eq!(Lang::from_path(".env.production"), Some(Lang::DotEnv));
        assert_eq!(
            Lang::from_path("requirements-dev.txt"),
            Some(Lang::Requirements)
        );
        assert_eq!(Lang::from_path("logo.png"), None);
    }
}
