use std::collections::BTreeMap;

use shipready_model::{ComposeService, FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Container logs without size limit
    ///
    /// ## What it finds
    /// Compose files whose services log through Docker's default `json-file` driver with no
    /// `max-size` option: one finding per compose file, at its first such service, naming
    /// them. Services with a `logging.options.max-size`, the `local` driver (which rotates) or
    /// a driver that ships logs elsewhere (`syslog`, `journald`, `fluentd`, `awslogs`, `gelf`,
    /// `none`...) are fine. Shared blocks (`<<: *logging`) are followed.
    /// ## Why it matters
    /// The `json-file` driver keeps every line a container writes, forever, under
    /// `/var/lib/docker`. A chatty service or a crash loop fills the disk, and then every
    /// container on the host fails, the database first.
    /// ## Failure scenario
    /// A worker logs each job at debug level; after six weeks its log file is 40 GB, the VM's
    /// disk is full and Postgres stops accepting writes.
    /// ## Examples
    /// ```tree bad
    /// ==> docker-compose.yml <==
    /// services:
    ///   api:
    ///     image: shop/api:1.4.2
    /// ```
    /// ```tree good
    /// ==> docker-compose.yml <==
    /// services:
    ///   api:
    ///     image: shop/api:1.4.2
    ///     logging:
    ///       driver: json-file
    ///       options: { max-size: "10m", max-file: "3" }
    /// ```
    /// ## How to fix
    /// Set `max-size` and `max-file` on every service (a YAML anchor keeps it short), or
    /// configure log rotation for the daemon in `/etc/docker/daemon.json`.
    /// ```yaml fix
    /// x-logging: &logging
    ///   driver: json-file
    ///   options: { max-size: "10m", max-file: "3" }
    /// services:
    ///   api:
    ///     logging: *logging
    /// ```
    /// ## Limitations
    /// A daemon-wide `log-opts` in `/etc/docker/daemon.json` is outside the repository and not
    /// seen; file loggers in application code are not checked yet. Compose files named for
    /// development or tests (`docker-compose.dev.yml`, `*.test.yml`, `*.override.yml`) are
    /// skipped, and so are services with neither `image` nor `build` (fragments merged into a
    /// service of another compose file).
    /// ## References
    /// - Docker, JSON file logging driver: https://docs.docker.com/engine/logging/drivers/json-file/
    pub UnboundedContainerLogs {
        code: "CTR005",
        slug: "unbounded-container-logs",
        category: Containers,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

/// Whether a compose file is for development or tests only, by name.
pub(crate) fn is_dev_compose(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    name.split(['.', '-', '_']).any(|p| {
        matches!(
            p,
            "dev"
                | "development"
                | "test"
                | "tests"
                | "ci"
                | "local"
                | "override"
                | "e2e"
                | "debug"
        )
    })
}

fn unbounded(s: &ComposeService) -> bool {
    let driver = s.logging_driver.as_deref().unwrap_or("json-file");
    driver == "json-file" && !s.logging_options.iter().any(|o| o == "max-size")
}

impl Rule for UnboundedContainerLogs {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let mut by_file: BTreeMap<u32, Vec<&ComposeService>> = BTreeMap::new();
        for s in &project.facts.compose_services {
            let file = project.file(s.span.file);
            if file.role == FileRole::Test
                || is_dev_compose(&file.path)
                || s.extends.is_some()
                || (s.image.is_none() && s.build.is_none())
            {
                continue;
            }
            by_file.entry(s.span.file.0).or_default().push(s);
        }
        for services in by_file.values() {
            let bad: Vec<&&ComposeService> = services.iter().filter(|s| unbounded(s)).collect();
            let Some(first) = bad.first() else {
                continue;
            };
            let names: Vec<String> = bad
                .iter()
                .take(6)
                .map(|s| format!("`{}`", s.name))
                .collect();
            let more = if bad.len() > 6 {
                format!(" and {} more", bad.len() - 6)
            } else {
                String::new()
            };
            let what = if bad.len() == 1 {
                "service logs"
            } else {
                "services log"
            };
            cx.finding(
                Self::META,
                first.span,
                format!(
                    "{} {what} to `json-file` with no `max-size`: {}{more}",
                    bad.len(),
                    names.join(", ")
                ),
            );
        }
    }
}
