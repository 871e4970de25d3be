use std::collections::BTreeSet;

use shipready_model::{ComponentKind, DeployKind, EnvRead, Project};

use crate::consistency::deploy;
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Deploy config sets a variable the code reads under another name
    ///
    /// ## What it finds
    /// A compose `environment` or k8s `env` entry for a component whose code never reads that
    /// variable, while the code reads a similar-named one (`REDIS_URL` set, `REDIS_HOST` read;
    /// `DATABASE_URL` set, `APP_DATABASE_URL` read) that no deploy config of the component sets,
    /// so the code silently runs on its default. The finding names the pair and points at the
    /// read.
    /// ## Why it matters
    /// Nothing fails at start: the service connects to `localhost` or to the development
    /// database built into the default, and the value operations set is ignored. Such mismatches
    /// survive review because each file is right on its own terms.
    /// ## Failure scenario
    /// Operations move Redis to a managed instance and update `REDIS_URL` in the manifest. The
    /// api reads `REDIS_HOST` and keeps using `localhost:6379`: in the pod that is nothing, so
    /// every cache call times out, while the manifest says the right thing.
    /// ## Examples
    /// ```tree bad
    /// ==> api/package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2", "ioredis": "^5.4.1"}}
    /// ==> api/src/index.js <==
    /// const Redis = require('ioredis');
    /// const redis = new Redis({ host: process.env.REDIS_HOST || 'localhost' });
    /// ==> docker-compose.yml <==
    /// services:
    ///   api:
    ///     build: ./api
    ///     environment:
    ///       REDIS_URL: redis://redis:6379
    /// ```
    /// ```tree good
    /// ==> api/package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2", "ioredis": "^5.4.1"}}
    /// ==> api/src/index.js <==
    /// const Redis = require('ioredis');
    /// const redis = new Redis(process.env.REDIS_URL || 'redis://localhost:6379');
    /// ==> docker-compose.yml <==
    /// services:
    ///   api:
    ///     build: ./api
    ///     environment:
    ///       REDIS_URL: redis://redis:6379
    /// ```
    /// ## How to fix
    /// Use one name on both sides, and fail at start when a required variable is missing
    /// instead of falling back to a development default.
    /// ```ts fix
    /// const url = process.env.REDIS_URL;
    /// if (!url) throw new Error('REDIS_URL is required');
    /// ```
    /// ## Limitations
    /// Each deploy config is judged on its own (with the `ENV` of the component's Dockerfile).
    /// Only deploy configs linked to a component are checked, and only when that config has no
    /// `envFrom`/`env_file` (which may set the read name). Names count as similar when one is the
    /// other with a prefix (`APP_DATABASE_URL`), when they differ only in an endpoint suffix
    /// (`_URL`, `_HOST`, `_ADDR`, `_PORT`, `_DSN`...), or by one character. A variable read by a
    /// shared library component, or written as a string anywhere in the component's code, is
    /// taken as read. Variables read by frameworks and SDKs by themselves are not known.
    /// ## References
    /// - The twelve-factor app, config: https://12factor.net/config
    pub EnvNameMismatch {
        code: "XCF004",
        slug: "env-name-mismatch",
        category: Configuration,
        severity: High,
        likelihood: Likely,
        effort_hours: 0.5,
    }
}

/// Suffixes that name where a service is reached.
const ENDPOINT_PARTS: &[&str] = &[
    "URL",
    "URI",
    "HOST",
    "HOSTNAME",
    "ADDR",
    "ADDRESS",
    "DSN",
    "PORT",
    "ENDPOINT",
    "SERVER",
    "SERVERS",
    "CONN",
    "CONNECTION",
];

fn one_edit_apart(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len().abs_diff(b.len()) > 1 {
        return false;
    }
    let (mut i, mut j, mut edits) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            i += 1;
            j += 1;
            continue;
        }
        edits += 1;
        if edits > 1 {
            return false;
        }
        match a.len().cmp(&b.len()) {
            std::cmp::Ordering::Greater => i += 1,
            std::cmp::Ordering::Less => j += 1,
            std::cmp::Ordering::Equal => {
                i += 1;
                j += 1;
            }
        }
    }
    edits + (a.len() - i) + (b.len() - j) <= 1
}

/// Whether two variable names look like the same setting.
fn similar(set: &str, read: &str) -> bool {
    if set == read {
        return false;
    }
    let (short, long) = if set.len() < read.len() {
        (set, read)
    } else {
        (read, set)
    };
    if long.ends_with(&format!("_{short}")) && (short.contains('_') || short.len() >= 8) {
        return true;
    }
    let sp: Vec<&str> = set.split('_').collect();
    let rp: Vec<&str> = read.split('_').collect();
    if sp.len() >= 2
        && sp.len() == rp.len()
        && sp[..sp.len() - 1] == rp[..rp.len() - 1]
        && sp.last().is_some_and(|l| ENDPOINT_PARTS.contains(l))
        && rp.last().is_some_and(|l| ENDPOINT_PARTS.contains(l))
    {
        return true;
    }
    short.len() >= 6 && one_edit_apart(set, read)
}

impl Rule for EnvNameMismatch {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let f = &project.facts;
        for d in &project.deployments {
            if d.kind == DeployKind::Dockerfile {
                continue;
            }
            let Some(c) = d.component else { continue };
            if project.file(d.span.file).role != shipready_model::FileRole::Source
                || f.env_sources.iter().any(|s| s.owner == d.span)
            {
                continue;
            }
            let in_c = |s: shipready_model::Span| {
                project.file(s.file).component == c && project.is_production(s)
            };
            let reads: Vec<&EnvRead> = f.env_reads.iter().filter(|r| in_c(r.span)).collect();
            if reads.is_empty() {
                continue;
            }
            let read_names: BTreeSet<&str> = reads.iter().map(|r| r.name.as_str()).collect();
            // Read by a shared library component: taken as read.
            let library_reads: BTreeSet<&str> = f
                .env_reads
                .iter()
                .filter(|r| {
                    project.is_production(r.span)
                        && project.component_of(r.span).kind == ComponentKind::Library
                })
                .map(|r| r.name.as_str())
                .collect();
            // Every name this deploy config sets, and the images' `ENV` of the component.
            let mut set_names: BTreeSet<String> = deploy::env_of(project, d)
                .into_iter()
                .map(|e| e.name)
                .collect();
            for other in project
                .deployments_of(c)
                .filter(|o| o.kind == DeployKind::Dockerfile)
            {
                set_names.extend(deploy::env_of(project, other).into_iter().map(|e| e.name));
            }
            let written = |name: &str| {
                let forms = [
                    format!("\"{name}\""),
                    format!("'{name}'"),
                    format!("`{name}`"),
                    format!("env.{name}"),
                ];
                project.files.iter().any(|file| {
                    file.component == c
                        && file.lang.is_code()
                        && file
                            .text
                            .as_deref()
                            .is_some_and(|t| forms.iter().any(|f| t.contains(f.as_str())))
                })
            };
            for e in deploy::env_of(project, d) {
                let x = e.name.as_str();
                if read_names.contains(x) || library_reads.contains(x) || written(x) {
                    continue;
                }
                let pairs: Vec<&&EnvRead> = reads
                    .iter()
                    .filter(|r| {
                        !r.required
                            && !set_names.contains(&r.name)
                            && r.fallback_vars.iter().all(|v| !set_names.contains(v))
                            && similar(x, &r.name)
                    })
                    .collect();
                let mut names: Vec<&str> = pairs.iter().map(|r| r.name.as_str()).collect();
                names.dedup();
                if names.is_empty() {
                    continue;
                }
                let list = names
                    .iter()
                    .take(2)
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let comp = project.component(c);
                let fnd = cx.finding(
                    Self::META,
                    e.span,
                    format!(
                        "`{x}` is set for `{}`, which never reads it but reads {list}, not set here",
                        comp.name
                    ),
                );
                let mut seen = BTreeSet::new();
                for r in pairs {
                    if !seen.insert(r.name.as_str()) {
                        continue;
                    }
                    let msg = match &r.default {
                        Some(dflt) => format!("reads `{}` here, default `{dflt}`", r.name),
                        None => format!("reads `{}` here, with no value set", r.name),
                    };
                    fnd.related(r.span, msg);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::similar;

    #[test]
    fn names() {
        assert!(similar("REDIS_URL", "REDIS_HOST"));
        assert!(similar("DATABASE_URL", "APP_DATABASE_URL"));
        assert!(similar("DATABSE_URL", "DATABASE_URL"));
        assert!(!similar("REDIS_URL", "DATABASE_URL"));
        assert!(!similar("URL", "APP_URL"));
        assert!(!similar("JWT_SECRET", "SESSION_SECRET"));
    }
}
