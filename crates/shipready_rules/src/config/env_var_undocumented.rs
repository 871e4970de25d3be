use shipready_model::Project;

use super::env_lifecycle::{declarations, is_runtime, reads_by_component};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Env var read in code but declared nowhere
    ///
    /// ## What it finds
    /// Environment variables a service or worker reads that appear in no env template
    /// (`.env.example`, `.env.sample`, `.env.template`), no `.env` file, no documentation
    /// (README and other Markdown), no compose `environment:`, no Kubernetes `env`, Secret
    /// or ConfigMap, no Dockerfile `ENV`/`ARG` and no CI `env:`. One finding per variable
    /// and component, at its first read. When the repository declares no variable anywhere,
    /// one finding per component lists them all.
    /// ## Why it matters
    /// Whoever deploys the service learns about the variable only when something breaks,
    /// or never: with a default, production silently runs on the development value (a
    /// development secret, a model name, a localhost URL).
    /// ## Failure scenario
    /// `SESSION_SECRET` falls back to `JWT_SECRET` and then to a literal. Nobody sets it in
    /// production because no template or manifest mentions it, so sessions are signed with
    /// the string committed in the repository.
    /// ## Examples
    /// ```tree bad
    /// ==> package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> src/app.js <==
    /// const express = require('express');
    /// const app = express();
    /// const key = process.env.STRIPE_KEY || '';
    /// app.listen(3000);
    /// ==> .env.example <==
    /// DATABASE_URL=postgres://localhost/app
    /// ```
    /// ```tree good
    /// ==> package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> src/app.js <==
    /// const express = require('express');
    /// const app = express();
    /// const key = process.env.STRIPE_KEY || '';
    /// app.listen(3000);
    /// ==> .env.example <==
    /// STRIPE_KEY=
    /// ```
    /// ## How to fix
    /// List every variable in the component's `.env.example` (with a safe example value and
    /// a comment) and in the deploy manifests that run it.
    /// ```sh fix
    /// # api/.env.example
    /// SESSION_SECRET=   # required in production: 32+ random bytes
    /// ```
    /// ## Limitations
    /// Declarations are matched repository-wide, not per component: a variable declared for
    /// another service counts as declared. Helm values, Terraform and platform dashboards
    /// are not read. Platform variables (`NODE_ENV`, `PORT`, `HOSTNAME`...) are left out, and
    /// so are pydantic settings fields the code itself passes to the constructor
    /// (`{"SECRET": determine_secret()}` in the settings file), pydantic settings fields
    /// with a default (as often constants as knobs), variables libraries read by themselves (`AWS_*`, `OTEL_*`), and names that do not say the service
    /// needs them: only connections and credentials are reported (`*_URL`, `*_HOST`, `*_KEY`,
    /// `*_SECRET`, `*_TOKEN`, `DATABASE*`...). CLIs, load tests and examples are not checked.
    /// `.mdx` documentation is not read. A read that is only the fallback of a lookup under
    /// the same key (`{"key": "X", "default": os.environ.get("X")}`: a settings table or admin
    /// screen sets it) is not reported.
    pub EnvVarUndocumented {
        code: "CFG002",
        slug: "env-var-undocumented",
        category: Configuration,
        severity: Medium,
        likelihood: Likely,
        effort_hours: 0.25,
    }
}

/// At most this many names are listed in a per-component summary.
const MAX_LISTED: usize = 8;

impl Rule for EnvVarUndocumented {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let declared = declarations(project);
        for (component, reads) in reads_by_component(project) {
            if !is_runtime(project, component) {
                continue;
            }
            let missing: Vec<_> = reads
                .iter()
                .filter(|(name, list)| {
                    // Settings-class fields with a default are as often constants as knobs.
                    let constant = list
                        .iter()
                        .all(|r| r.accessor == "pydantic-settings" && !r.required);
                    // Settings fields the code passes to the constructor (`"SECRET": gen()`).
                    let supplied = list.iter().all(|r| {
                        r.accessor == "pydantic-settings"
                            && project.file(r.span.file).text.as_deref().is_some_and(|t| {
                                t.contains(&format!("\"{name}\":"))
                                    || t.contains(&format!("'{name}':"))
                            })
                    });
                    // Env as the fallback of a lookup under the same key (a settings table
                    // or admin screen): `{"key": "X", "default": os.environ.get("X")}`.
                    let keyed = list.iter().all(|r| keyed_fallback(project, r.span, name));
                    !constant
                        && !supplied
                        && !keyed
                        && vocab::is_required_env_name(name)
                        && !vocab::is_platform_env_var(name)
                        && !vocab::is_library_env_var(name)
                        && !declared.contains(*name)
                })
                .collect();
            if missing.is_empty() {
                if reads.keys().any(|n| !vocab::is_platform_env_var(n)) {
                    let first = reads.values().next().and_then(|l| l.first());
                    if let Some(r) = first {
                        cx.strength(
                            Self::META,
                            r.span,
                            format!(
                                "every env var `{}` reads is declared",
                                project.component(component).name
                            ),
                        );
                    }
                }
                continue;
            }
            if declared.is_empty() {
                let names: Vec<String> = missing
                    .iter()
                    .take(MAX_LISTED)
                    .map(|(n, _)| format!("`{n}`"))
                    .collect();
                let more = missing.len().saturating_sub(MAX_LISTED);
                let mut list = names.join(", ");
                if more > 0 {
                    list.push_str(&format!(" and {more} more"));
                }
                let Some(first) = missing
                    .iter()
                    .filter_map(|(_, l)| l.first())
                    .min_by_key(|r| r.span)
                else {
                    continue;
                };
                let f = cx.finding(
                    Self::META,
                    first.span,
                    format!(
                        "{} read with no env template, README, compose or k8s entry: {list}",
                        vocab::count(missing.len(), "env var")
                    ),
                );
                for (_, l) in missing.iter().skip(1).take(MAX_LISTED - 1) {
                    if let Some(r) = l.first() {
                        f.related(r.span, format!("`{}` read here", r.name));
                    }
                }
                continue;
            }
            for (name, list) in missing {
                let f = cx.finding(
                    Self::META,
                    list[0].span,
                    format!("`{name}` is read here but set in no env template, README, compose, k8s or CI file"),
                );
                for r in list.iter().skip(1).take(3) {
                    f.related(r.span, format!("`{name}` also read here"));
                }
            }
        }
    }
}

/// Whether the read is the fallback of a lookup under the same key: the quoted name appears
/// just before the read, followed by a `default` or `value` entry or by the read as the next
/// argument (`{"key": "X", "default": os.environ.get("X")}`, `{"key": "X", "value": ...}`
/// seeding a settings table, `config.get('X', process.env.X)`), so the value is set through
/// that store.
fn keyed_fallback(project: &Project, read: shipready_model::Span, name: &str) -> bool {
    let Some(text) = project.file(read.file).text.as_deref() else {
        return false;
    };
    let start = read.start as usize;
    let mut from = start.saturating_sub(160);
    while from < start && !text.is_char_boundary(from) {
        from += 1;
    }
    let Some(before) = text.get(from..start) else {
        return false;
    };
    // Only the statement the read is in: nothing before the last `;` or blank line.
    let before = before.rsplit_once("\n\n").map_or(before, |(_, b)| b);
    let before = before.rsplit_once(';').map_or(before, |(_, b)| b);
    // The key, then either a `default` or nothing but a comma before the read: the read is
    // the fallback argument (`get('X', os.getenv('X'))`), not a value provided under a
    // token (`{ provide: 'X', useValue: process.env.X }`).
    [format!("\"{name}\""), format!("'{name}'")]
        .iter()
        .any(|key| {
            before.rfind(key.as_str()).is_some_and(|p| {
                let between = &before[p + key.len()..];
                between.trim() == ","
                    || ["default", "\"value\"", "'value'", " value:", " value="]
                        .iter()
                        .any(|w| between.contains(w))
            })
        })
}
