use std::collections::BTreeMap;

use shipready_model::{FileRole, Lang, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Environment file with secrets committed
    ///
    /// ## What it finds
    /// `.env` files (`.env`, `.env.production`, `api/.env`...) that are tracked by git and hold
    /// at least one value that looks like a credential (a password, key or token assigned to a
    /// secret-named variable, a connection URL with a password, a known key format).
    /// Templates (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`) are not
    /// reported. When the scanned folder is a git checkout, only files in git's index count
    /// (shipready reads `.git/index` itself); otherwise every `.env` file in the tree counts.
    /// ## Why it matters
    /// Everything committed is copied to every clone, fork, CI cache and backup, and stays in
    /// the history after the file is deleted. A committed production `.env` hands the database
    /// password and signing keys to anyone with read access.
    /// ## Failure scenario
    /// A contractor's laptop with a clone of the repository is stolen; the `.env` in it holds
    /// the production database URL with its password and the JWT signing secret, so the
    /// attacker can read all customer data and mint admin tokens.
    /// ## Examples
    /// ```dotenv bad
    /// DATABASE_URL=postgres://shop:Xk29vLm44qPz@db.internal:5432/shop
    /// JWT_SECRET=9f8e2a71c4b05d3e6a1f7c28b4d90e53
    /// ```
    /// ```dotenv good
    /// DATABASE_URL=postgres://localhost:5432/shop_dev
    /// LOG_LEVEL=debug
    /// ```
    /// ## How to fix
    /// Remove the file from git (`git rm --cached .env`), add it to `.gitignore`, commit a
    /// `.env.example` with placeholder values instead, and rotate every secret the file held:
    /// it stays in the history.
    /// ```text fix
    /// # .gitignore
    /// .env
    /// .env.*
    /// !.env.example
    /// ```
    /// ## Limitations
    /// Files git ignores are not read at all (the walk honours `.gitignore`), so an ignored
    /// `.env` is never reported. Values are judged by the secret scanner: a secret with an
    /// unusual name and a short value may be missed.
    /// ## References
    /// - OWASP Secrets Management Cheat Sheet: https://cheatsheetseries.owasp.org/cheatsheets/Secrets_Management_Cheat_Sheet.html
    pub EnvFileCommitted {
        code: "SECR001",
        slug: "env-file-committed",
        category: Security,
        severity: Critical,
        likelihood: Likely,
        effort_hours: 1.0,
    }
}

/// Whether a `.env` file name is a template meant to be committed.
fn is_template(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split('.').any(|p| {
        matches!(
            p,
            "example" | "sample" | "template" | "dist" | "defaults" | "schema" | "tpl"
        )
    })
}

impl Rule for EnvFileCommitted {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // Secret-looking names per `.env` file.
        let mut by_file: BTreeMap<u32, Vec<String>> = BTreeMap::new();
        for s in &project.facts.secret_literals {
            let file = project.file(s.span.file);
            let value = project.slice(s.span).unwrap_or("");
            if file.lang == Lang::DotEnv && !crate::vocab::is_placeholder_value(value) {
                let name = s.name.clone().unwrap_or_else(|| match s.kind.as_str() {
                    "url-credentials" => "a URL password".to_string(),
                    k => k.to_string(),
                });
                let names = by_file.entry(s.span.file.0).or_default();
                if !names.contains(&name) {
                    names.push(name);
                }
            }
        }
        for (id, names) in by_file {
            let file = &project.files[id as usize];
            if is_template(&file.path) || file.role == FileRole::Test {
                continue;
            }
            if let Some(tracked) = &project.git_tracked
                && !tracked.iter().any(|t| t == &file.path)
            {
                continue;
            }
            let how = if project.git_tracked.is_some() {
                "tracked by git"
            } else {
                "in the tree"
            };
            let shown: Vec<String> = names
                .iter()
                .take(4)
                .map(|n| {
                    if n.contains(' ') {
                        n.clone()
                    } else {
                        format!("`{n}`")
                    }
                })
                .collect();
            let more = if names.len() > 4 {
                format!(" and {} more", names.len() - 4)
            } else {
                String::new()
            };
            cx.finding(
                Self::META,
                Span::file_start(file.id),
                format!(
                    "`{}` is {how} and holds secrets: {}{more}",
                    file.path,
                    shown.join(", ")
                ),
            );
        }
    }
}
