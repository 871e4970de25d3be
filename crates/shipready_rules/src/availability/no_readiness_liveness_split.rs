use std::collections::BTreeSet;

use shipready_model::{K8sContainer, K8sWorkload, Project};

use super::health_depth::{clients_by_component, health_routes, label};
use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Same health check for liveness and readiness
    ///
    /// ## What it finds
    /// Kubernetes containers whose liveness and readiness probes hit the same HTTP path, and
    /// services whose only health route checks their database, Redis or broker while a
    /// liveness probe of the workload running them (matched by name) points at it.
    /// ## Why it matters
    /// Readiness answers "send me traffic?", liveness "restart me?". When one route answers
    /// both, either readiness checks nothing (traffic goes to replicas that cannot serve) or
    /// liveness checks the dependencies, and a database outage makes Kubernetes restart
    /// every replica at once: a dependency blip becomes a full outage and a restart storm.
    /// ## Failure scenario
    /// Postgres fails over for 40 seconds. `/healthz` pings it and fails; the liveness probe
    /// fails three times and every pod is killed. They come back cold, all at once, and
    /// stampede the database as it recovers.
    /// ## Examples
    /// ```yaml bad
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4.2
    ///           livenessProbe:
    ///             httpGet: { path: /health, port: 8080 }
    ///           readinessProbe:
    ///             httpGet: { path: /health, port: 8080 }
    /// ```
    /// ```yaml good
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: shop/api:1.4.2
    ///           livenessProbe:
    ///             httpGet: { path: /livez, port: 8080 }
    ///           readinessProbe:
    ///             httpGet: { path: /readyz, port: 8080 }
    /// ```
    /// ## How to fix
    /// Serve two routes: a liveness route that only proves the process answers, and a
    /// readiness route that checks the dependencies with a short timeout.
    /// ```ts fix
    /// app.get('/livez', (req, res) => res.send('ok'));
    /// app.get('/readyz', async (req, res) => {
    ///   try { await pool.query('SELECT 1'); res.send('ok'); }
    ///   catch { res.status(503).send('db down'); }
    /// });
    /// ```
    /// ## Limitations
    /// A workload is tied to a component when its name, container name or image names the
    /// component's folder. Services run without Kubernetes probes are not reported for a
    /// single deep health route (compose and load balancers do not restart on failure).
    /// Copies of one container (same name, image and path in several manifests, e.g. a base
    /// and a release bundle) are reported once, the other copies listed with it. A container
    /// linked to code in the repository that creates no database, Redis or broker client and
    /// depends on no such package is not reported: readiness has nothing more to check than
    /// liveness. Containers of images
    /// built elsewhere (a vendor's model server) are reported, since the manifest is yours,
    /// though the image may offer a single health path.
    pub NoReadinessLivenessSplit {
        code: "AVL003",
        slug: "no-readiness-liveness-split",
        category: Availability,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 1.0,
    }
}

/// Words of data store and broker client packages (`ioredis`, `rhea`, `@azure/service-bus`,
/// `github.com/jackc/pgx/v5`): a component depending on one has something for readiness to
/// check even when its client is not extracted.
const DATASTORE_WORDS: &[&str] = &[
    "redis",
    "pg",
    "pgx",
    "postgres",
    "postgresql",
    "psycopg",
    "psycopg2",
    "asyncpg",
    "mysql",
    "mysql2",
    "mariadb",
    "mongodb",
    "mongoose",
    "pymongo",
    "motor",
    "amqp",
    "amqplib",
    "rabbitmq",
    "rhea",
    "pika",
    "kafka",
    "kafkajs",
    "sarama",
    "nats",
    "service-bus",
    "sqlalchemy",
    "prisma",
    "typeorm",
    "sequelize",
    "knex",
    "drizzle-orm",
    "celery",
    "gorm",
    "sqlx",
    "dynamodb",
    "cassandra",
    "elasticsearch",
    "opensearch",
    "cosmos",
    "firestore",
    "spanner",
    "pubsub",
    "sqs",
    "memcached",
];

/// Whether the component depends on a data store or broker client package.
fn has_datastore_dependency(project: &Project, comp: shipready_model::ComponentId) -> bool {
    project.facts.dependencies.iter().any(|d| {
        !d.dev
            && project.file(d.span.file).component == comp
            && d.name
                .to_ascii_lowercase()
                .split(['/', '@', '.'])
                .any(|part| {
                    DATASTORE_WORDS.contains(&part)
                        || part
                            .split(['-', '_'])
                            .any(|w| w.len() > 2 && DATASTORE_WORDS.contains(&w))
                })
    })
}

/// An image without registry and tag (`ghcr.io/acme/api:1.2` -> `acme/api`).
fn image_repo(image: &str) -> &str {
    let image = image.split('@').next().unwrap_or(image);
    let name = match image.rfind(':') {
        Some(i) if !image[i..].contains('/') => &image[..i],
        _ => image,
    };
    match name.split_once('/') {
        Some((reg, rest)) if reg.contains('.') || reg.contains(':') || reg == "localhost" => rest,
        _ => name,
    }
}

/// Whether the workload or container names the component folder `dir` (last segment).
fn runs(w: &K8sWorkload, c: &K8sContainer, dir: &str) -> bool {
    if dir.len() < 2 {
        return false;
    }
    let segment = |s: &str| {
        s.split(['/', ':', '-', '_', '.', '@'])
            .any(|p| p.eq_ignore_ascii_case(dir))
    };
    segment(&w.name) || segment(&c.name) || c.image.as_deref().is_some_and(segment)
}

impl Rule for NoReadinessLivenessSplit {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        // Probes: the same path for both. Copies of one container (same name, image and
        // path in several manifests) make one finding that lists the others. A container
        // whose code is here and uses no database, Redis or broker is left alone: readiness
        // has nothing more to check than liveness.
        let clients = clients_by_component(project);
        let mut reported = BTreeSet::new();
        let mut separate = Vec::new();
        let mut same: Vec<(&K8sContainer, &str, Vec<shipready_model::Span>)> = Vec::new();
        for w in &project.facts.k8s_workloads {
            for c in w.containers.iter().filter(|c| !c.init) {
                let (Some(live), Some(ready)) = (&c.liveness, &c.readiness) else {
                    continue;
                };
                if live.kind != "http" || ready.kind != "http" {
                    continue;
                }
                let (Some(lp), Some(rp)) = (&live.path, &ready.path) else {
                    continue;
                };
                if lp == rp && live.port == ready.port {
                    reported.insert((w.name.as_str(), c.name.as_str()));
                    let no_deps = project
                        .deployment_at(c.span)
                        .and_then(|d| d.component)
                        .is_some_and(|comp| {
                            !clients.contains_key(&comp) && !has_datastore_dependency(project, comp)
                        });
                    if no_deps {
                        continue;
                    }
                    let image = c.image.as_deref().map(image_repo);
                    if let Some(first) = same.iter_mut().find(|(o, p, _)| {
                        o.name == c.name
                            && *p == rp.as_str()
                            && o.image.as_deref().map(image_repo) == image
                    }) {
                        first.2.push(ready.span);
                        continue;
                    }
                    same.push((c, rp.as_str(), Vec::new()));
                } else {
                    separate.push((w.name.as_str(), c.name.as_str(), ready.span));
                }
            }
        }
        for (c, path, copies) in same {
            let (Some(ready), Some(live)) = (&c.readiness, &c.liveness) else {
                continue;
            };
            let f = cx
                .finding(
                    Self::META,
                    ready.span,
                    format!(
                        "container `{}` uses `{path}` for both readiness and liveness",
                        c.name
                    ),
                )
                .related(live.span, "liveness probe on the same path");
            for span in copies.iter().take(5) {
                f.related(*span, "the same probes in a copy of this container");
            }
        }
        // Code: one deep health route used as a liveness probe.
        for (component, routes) in health_routes(project, &clients) {
            let paths: BTreeSet<&str> = routes.iter().map(|h| h.route.full_path.as_str()).collect();
            if paths.len() != 1 {
                continue;
            }
            let Some(deep) = routes.iter().find(|h| !h.touches.is_empty()) else {
                continue;
            };
            let dir = project
                .component(component)
                .root
                .rsplit('/')
                .next()
                .unwrap_or("");
            for w in &project.facts.k8s_workloads {
                for c in w.containers.iter().filter(|c| !c.init) {
                    let Some(live) = &c.liveness else {
                        continue;
                    };
                    if live.path.as_deref() != Some(deep.route.full_path.as_str())
                        || reported.contains(&(w.name.as_str(), c.name.as_str()))
                        || !runs(w, c, dir)
                    {
                        continue;
                    }
                    let deps: BTreeSet<&str> = deep.touches.iter().map(|d| label(d.kind)).collect();
                    let deps: Vec<&str> = deps.into_iter().collect();
                    cx.finding(
                        Self::META,
                        deep.route.span,
                        format!(
                            "`{}` checks {} and is the liveness probe of `{}`: outages restart pods",
                            deep.route.full_path,
                            deps.join(" and "),
                            c.name
                        ),
                    )
                    .related(live.span, "liveness probe on this path");
                    reported.insert((w.name.as_str(), c.name.as_str()));
                }
            }
        }
        for (w, c, span) in separate {
            if !reported.contains(&(w, c)) {
                cx.strength(
                    Self::META,
                    span,
                    format!("container `{c}` has separate liveness and readiness paths"),
                );
            }
        }
    }
}
