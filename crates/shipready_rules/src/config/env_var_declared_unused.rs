use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{ComponentId, EnvDoc, FileRole, Lang, Project};

use super::env_lifecycle::{is_shared_package, mentions, read_names, reads_env_opaquely};
use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Env var declared in a template but read by no code
    ///
    /// ## What it finds
    /// Variables listed in an env template (`.env.example`, `.env.sample`, `.env.template`)
    /// that no code of the component the template belongs to reads, validates or names
    /// (a template inside a component's folder is compared with that component; one at the
    /// root, or in a folder without code, with the whole repository). Variables that
    /// libraries and images read by themselves (`DATABASE_URL`, `POSTGRES_*`, `AWS_*`,
    /// `OTEL_*`, `SENTRY_*`...) are left out.
    /// ## Why it matters
    /// The template is the contract between the code and whoever deploys it. A declared
    /// variable nothing reads usually means the code reads a different one (`REDIS_URL`
    /// declared, `REDIS_HOST`/`REDIS_PORT` read), so operators set the documented one and the
    /// service silently runs on its defaults.
    /// ## Failure scenario
    /// Production sets `REDIS_URL` from the template; the api reads `REDIS_HOST`, falls back
    /// to `localhost`, and every cache and queue call fails after the deploy.
    /// ## Examples
    /// ```tree bad
    /// ==> package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> src/app.js <==
    /// const express = require('express');
    /// const host = process.env.REDIS_HOST || 'localhost';
    /// express().listen(3000);
    /// ==> .env.example <==
    /// REDIS_HOST=localhost
    /// REDIS_URL=redis://localhost:6379
    /// ```
    /// ```tree good
    /// ==> package.json <==
    /// {"name":"api","dependencies":{"express":"^4.19.2"}}
    /// ==> src/app.js <==
    /// const express = require('express');
    /// const host = process.env.REDIS_HOST || 'localhost';
    /// express().listen(3000);
    /// ==> .env.example <==
    /// REDIS_HOST=localhost
    /// ```
    /// ## How to fix
    /// Remove the stale entry, or make the code read the documented name.
    /// ```ts fix
    /// const redis = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379');
    /// ```
    /// ## Limitations
    /// A name counts as used when any kept file of the scope mentions it as a word (code,
    /// Dockerfile, compose, Prisma schema...); shell scripts without other facts are not
    /// read. A component whose code reads the environment by computed names
    /// (`process.env[key]`, `viper.AutomaticEnv`, `envconfig.Process`) is not checked. A read
    /// in a shared package (a library, or a folder under `libs/`, `packages/`...) counts for
    /// every component, since it runs inside the apps that import it. A component whose code
    /// names the template's folder as a relative path (`'../web'`: a backend loading the
    /// web app's env files) counts as reading the template too. A template whose every entry
    /// is an `export NAME=` line is a shell profile (`source .env`) for the make, gcloud or
    /// terraform commands run from that shell, which are not read: it is not checked.
    pub EnvVarDeclaredUnused {
        code: "CFG003",
        slug: "env-var-declared-unused",
        category: Configuration,
        severity: Low,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

impl Rule for EnvVarDeclaredUnused {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut templates: BTreeMap<u32, Vec<&EnvDoc>> = BTreeMap::new();
        for d in &project.facts.env_docs {
            if d.source == "env-template" {
                templates.entry(d.span.file.0).or_default().push(d);
            }
        }
        if templates.is_empty() {
            return;
        }
        let reads = read_names(project);
        for entries in templates.values() {
            let Some(first) = entries.first() else {
                continue;
            };
            let file = project.file(first.span.file);
            if file.text.as_deref().is_some_and(is_shell_profile) {
                continue;
            }
            // Scope: the template's component when it has code reading env vars, else the
            // whole repository.
            let own = file.component;
            let own_reads = reads
                .values()
                .flatten()
                .any(|s| project.file(s.file).component == own);
            let loaders = env_file_loaders(project, own);
            let in_scope = |c: ComponentId| !own_reads || c == own || loaders.contains(&c);
            let scope_files: Vec<_> = project
                .files
                .iter()
                .filter(|f| {
                    in_scope(f.component)
                        && f.role != FileRole::Doc
                        && f.lang != Lang::DotEnv
                        && f.lang != Lang::Markdown
                })
                .collect();
            let has_code = scope_files.iter().any(|f| f.lang.is_code());
            if !has_code
                || scope_files
                    .iter()
                    .filter(|f| f.lang.is_code())
                    .filter_map(|f| f.text.as_deref())
                    .any(reads_env_opaquely)
            {
                continue;
            }
            let scope_name = if own_reads {
                format!("`{}`", project.component(own).name)
            } else {
                "the repository".to_string()
            };
            for d in entries {
                let name = d.name.as_str();
                if vocab::is_library_env_var(name) {
                    continue;
                }
                // A shared package's reads run inside the apps that import it.
                let read = reads.get(name).is_some_and(|spans| {
                    spans.iter().any(|s| {
                        let c = project.file(s.file).component;
                        in_scope(c) || is_shared_package(project, c)
                    })
                });
                if read {
                    continue;
                }
                // A shared package may read it through an alias (`env.X`); names with `_`
                // only, since a plain word (`POST`) is no sign of a read.
                let named = scope_files
                    .iter()
                    .filter_map(|f| f.text.as_deref())
                    .any(|t| mentions(t, name))
                    || name.contains('_')
                        && project
                            .files
                            .iter()
                            .filter(|f| f.lang.is_code() && is_shared_package(project, f.component))
                            .filter_map(|f| f.text.as_deref())
                            .any(|t| mentions(t, name));
                if named {
                    continue;
                }
                cx.finding(
                    Self::META,
                    d.span,
                    format!("`{name}` is declared here but no code of {scope_name} reads it"),
                );
            }
        }
    }
}

/// Whether a template is a shell profile (`source .env`): every entry is an `export NAME=`
/// line. Its names drive the shell tools started from that shell (make, gcloud, terraform,
/// `envsubst` over manifests), which are not read, so an unread name is no sign of a stale
/// entry.
fn is_shell_profile(text: &str) -> bool {
    let mut entries = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#') && l.contains('='))
        .peekable();
    entries.peek().is_some() && entries.all(|l| l.starts_with("export "))
}

/// Other components whose code names the template's component folder as a relative path
/// (`'../web'`, `"../web/.env"`): they load their env files from there (a Nest backend whose
/// `envFilePath` points at the web app's folder).
fn env_file_loaders(project: &Project, own: ComponentId) -> BTreeSet<ComponentId> {
    let mut out = BTreeSet::new();
    let root = project.component(own).root.as_str();
    let seg = root.rsplit('/').next().unwrap_or(root);
    if seg.is_empty() || seg.starts_with('.') {
        return out;
    }
    let needles: Vec<String> = ['\'', '"', '`', '/']
        .iter()
        .map(|end| format!("../{seg}{end}"))
        .collect();
    for f in &project.files {
        if f.component == own
            || f.role != FileRole::Source
            || !f.lang.is_code()
            || out.contains(&f.component)
        {
            continue;
        }
        if f.text
            .as_deref()
            .is_some_and(|t| needles.iter().any(|n| t.contains(n.as_str())))
        {
            out.insert(f.component);
        }
    }
    out
}
