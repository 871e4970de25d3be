use shipready_model::{FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule, vocab};

declare_rule! {
    /// Database or broker port published on all interfaces
    ///
    /// ## What it finds
    /// Compose services running a database, cache or broker image (Postgres, MySQL, MongoDB,
    /// Redis, RabbitMQ, Kafka, NATS, Elasticsearch...) that publish a port with no host
    /// interface (`"5432:5432"`, `"6379"`) or on `0.0.0.0`. Ports bound to `127.0.0.1` or
    /// `::1` are fine. One finding per published port.
    /// ## Why it matters
    /// Docker publishes ports on every interface of the host and writes its own firewall
    /// rules, bypassing `ufw`/firewalld. On any host with a public address the database is
    /// reachable from the internet, usually with the default credentials of the compose file.
    /// ## Failure scenario
    /// The compose file is used on a staging VM; within hours a scanner finds Redis on 6379
    /// without a password, overwrites keys and uses it to plant a cron job.
    /// ## Examples
    /// ```tree bad
    /// ==> docker-compose.yml <==
    /// services:
    ///   redis:
    ///     image: redis:7
    ///     ports:
    ///       - "6379:6379"
    /// ```
    /// ```tree good
    /// ==> docker-compose.yml <==
    /// services:
    ///   redis:
    ///     image: redis:7
    ///     ports:
    ///       - "127.0.0.1:6379:6379"
    /// ```
    /// ## How to fix
    /// Drop `ports:` for services only other containers use (they reach each other on the
    /// compose network), or bind to the loopback interface for local tools.
    /// ```yaml fix
    /// ports:
    ///   - "127.0.0.1:5432:5432"
    /// ```
    /// ## Limitations
    /// Images are recognised by name only (a custom `mycorp/pg` image is missed); Kubernetes
    /// `Service` objects of type `LoadBalancer`/`NodePort` are not checked yet.
    /// ## References
    /// - Docker, packet filtering and firewalls: https://docs.docker.com/engine/network/packet-filtering-firewalls/
    pub InternalPortsExposed {
        code: "CTR004",
        slug: "internal-ports-exposed",
        category: Containers,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

impl Rule for InternalPortsExposed {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for s in &project.facts.compose_services {
            if project.file(s.span.file).role == FileRole::Test {
                continue;
            }
            let Some(image) = &s.image else { continue };
            if !vocab::image_in(image, vocab::DATASTORE_IMAGES) {
                continue;
            }
            for p in &s.ports {
                let all = match p.host_ip.as_deref() {
                    None => true,
                    Some(ip) => matches!(ip.trim(), "0.0.0.0" | "::" | "" | "*"),
                };
                if !all {
                    continue;
                }
                let published = p.published.as_deref().unwrap_or("a random port");
                cx.finding(
                    Self::META,
                    p.span,
                    format!(
                        "`{}` (`{}`) port {} is published on all interfaces as {published}",
                        s.name,
                        vocab::image_name(image),
                        p.target
                    ),
                );
            }
        }
    }
}
