use std::collections::BTreeSet;

use shipready_model::{FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Compose services without health checks or restart policy
    ///
    /// ## What it finds
    /// Services of a compose file that: have no `healthcheck` (neither in the compose file nor
    /// a `HEALTHCHECK` in the Dockerfile they are built from) while other services depend on
    /// them or they publish ports; depend on a service that has a health check, or on a
    /// database, cache or broker, without waiting for `condition: service_healthy`; or have
    /// no `restart` policy. One finding per
    /// service, naming what is missing. Compose files named for development or tests
    /// (`docker-compose.dev.yml`, `*.test.yml`, `*.override.yml`) and services using
    /// `extends` are skipped, and so are services with neither `image` nor `build` (fragments
    /// merged into a service of another compose file).
    /// ## Why it matters
    /// `depends_on` without a health condition only waits for the container to start, not
    /// for the database to accept connections; without a health check Docker cannot tell a
    /// hung service from a working one; without a restart policy a crashed service stays
    /// down until someone notices.
    /// ## Failure scenario
    /// After a host reboot the API starts before Postgres accepts connections, fails its
    /// first query and exits; with no restart policy it stays down until the morning.
    /// ## Examples
    /// ```tree bad
    /// ==> docker-compose.yml <==
    /// services:
    ///   api:
    ///     image: shop/api:1.4.2
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:3000/healthz"]
    ///     depends_on:
    ///       - postgres
    ///   postgres:
    ///     image: postgres:16
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U shop"]
    /// ```
    /// ```tree good
    /// ==> docker-compose.yml <==
    /// services:
    ///   api:
    ///     image: shop/api:1.4.2
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD", "wget", "-qO-", "http://localhost:3000/healthz"]
    ///     depends_on:
    ///       postgres:
    ///         condition: service_healthy
    ///   postgres:
    ///     image: postgres:16
    ///     restart: unless-stopped
    ///     healthcheck:
    ///       test: ["CMD-SHELL", "pg_isready -U shop"]
    /// ```
    /// ## How to fix
    /// Give each long-running service a health check, make dependants wait for
    /// `service_healthy`, and set `restart: unless-stopped` (or a `deploy.restart_policy`).
    /// ```yaml fix
    /// depends_on:
    ///   postgres:
    ///     condition: service_healthy
    /// restart: unless-stopped
    /// ```
    /// ## Limitations
    /// One-off services (migrations, seeders) are judged like the others unless they set a
    /// `restart` policy; a health check defined in a base image is only seen when the
    /// Dockerfile is in the repository.
    /// ## References
    /// - Compose, control startup order: https://docs.docker.com/compose/how-tos/startup-order/
    pub ComposeWithoutHealthchecks {
        code: "AVL007",
        slug: "compose-without-healthchecks",
        category: Availability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

impl Rule for ComposeWithoutHealthchecks {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let services = &project.facts.compose_services;
        // Dockerfile folders with a HEALTHCHECK in the final stage.
        let healthy_dirs: BTreeSet<&str> = project
            .facts
            .dockerfiles
            .iter()
            .filter(|d| {
                d.final_stage().is_some_and(|s| {
                    s.instructions.iter().any(|i| {
                        i.keyword == "HEALTHCHECK" && !i.args.trim().eq_ignore_ascii_case("none")
                    })
                })
            })
            .map(|d| {
                let p = &project.file(d.span.file).path;
                p.rsplit_once('/').map_or("", |(dir, _)| dir)
            })
            .collect();
        for s in services {
            let file = project.file(s.span.file);
            if file.role == FileRole::Test
                || crate::containers::is_dev_compose(&file.path)
                || s.extends.is_some()
                || is_fragment(s)
            {
                continue;
            }
            let same_file = || services.iter().filter(|o| o.span.file == s.span.file);
            let depended_on = same_file().any(|o| o.depends_on.iter().any(|d| d.service == s.name));
            let base = file.path.rsplit_once('/').map_or("", |(d, _)| d);
            let image_check = s.build.as_deref().is_some_and(|b| {
                let dir = normalise(&if base.is_empty() {
                    b.to_string()
                } else {
                    format!("{base}/{b}")
                });
                healthy_dirs.contains(dir.as_str())
            });
            let mut missing = Vec::new();
            if s.healthcheck.is_none() && !image_check && (depended_on || !s.ports.is_empty()) {
                missing.push("no `healthcheck`".to_string());
            }
            // A dependency that has a health check (or is a database, cache or broker) must
            // be waited for; one with no health check is reported on its own line.
            let unhealthy: Vec<String> = s
                .depends_on
                .iter()
                .filter(|d| {
                    !matches!(
                        d.condition.as_deref(),
                        Some("service_healthy" | "service_completed_successfully")
                    )
                })
                .filter(|d| {
                    same_file().any(|o| {
                        o.name == d.service
                            && (o.healthcheck.is_some()
                                || o.image
                                    .as_deref()
                                    .is_some_and(|i| vocab::image_in(i, vocab::DATASTORE_IMAGES)))
                    })
                })
                .map(|d| format!("`{}`", d.service))
                .collect();
            if !unhealthy.is_empty() {
                missing.push(format!(
                    "starts without waiting for {} to be healthy",
                    unhealthy.join(", ")
                ));
            }
            if s.restart.is_none() {
                missing.push("no `restart` policy".to_string());
            }
            if missing.is_empty() {
                continue;
            }
            cx.finding(
                Self::META,
                s.span,
                format!("service `{}`: {}", s.name, missing.join("; ")),
            );
        }
    }
}

/// A service with no image and no build: a fragment merged into a service of another
/// compose file (`docker compose -f a.yml -f b.yml`), not a service of its own.
fn is_fragment(s: &shipready_model::ComposeService) -> bool {
    s.image.is_none() && s.build.is_none()
}

fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            _ => parts.push(p),
        }
    }
    parts.join("/")
}
