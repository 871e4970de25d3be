//! Deploy linking: which component each deploy config runs.
//!
//! Fills [`Project::deployments`] (one entry per non-init k8s container, compose service and
//! Dockerfile) and derives the deploy facts that need the project view: Dockerfile
//! `HEALTHCHECK` URLs and `EXPOSE` ports, compose port targets, and k8s Service `targetPort`s
//! attributed to the container their selector reaches. A link is made only when it is
//! unambiguous; otherwise `component` stays `None` and rules skip the config.
//!
//! How a config finds its component, in order:
//! - Dockerfile: the component it sits in, when that component has source files;
//! - compose service with `build:`: the component at (or deepest above) the folder of its
//!   `build.dockerfile` when one is given (none when that path is a `${VAR}`), else of the
//!   build context; a service with neither build nor image through the same-named service
//!   of another compose file in its folder (an override file);
//!   A `${VAR}` Dockerfile is read from the `.env` next to the compose file when it sets it.
//! - image (compose without build, k8s container): the same image built by a linked compose
//!   service or a CI `docker build -t IMAGE DIR` step; else the image's
//!   last path segment names exactly one component folder that something builds (a Dockerfile
//!   or compose build linked to it, or a Go `cmd/<name>` binary) or that starts a server:
//!   `ghcr.io/acme/inventory:1.2`
//!   -> `inventory/`. Docker official images (`python:3.12`, `redis`) never link by name, and
//!   a name linked through its tail (`rs-cart` -> `cart/`) needs a naming scheme: another
//!   image with the same head whose tail names another component folder (`rs-user`).

use std::collections::BTreeMap;

use shipready_model::{
    ComponentId, DeployKind, DeployPort, Deployment, FileRole, HealthCheck, Project, Span,
};

use crate::config::deploy::local_url;

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Joins a relative path onto a folder, resolving `.` and `..` (never above the root).
fn join(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.contains("://") || rel.contains('$') {
        return None;
    }
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// An image reference without registry, tag or digest (`ghcr.io/acme/api:1.2` -> `acme/api`).
pub(crate) fn image_repo(image: &str) -> Option<String> {
    let image = image.trim();
    if image.is_empty() || image.contains('$') || image.contains('{') {
        return None;
    }
    let image = image.split('@').next().unwrap_or(image);
    let (name, _tag) = match image.rfind(':') {
        Some(i) if !image[i..].contains('/') => (&image[..i], &image[i..]),
        _ => (image, ""),
    };
    let mut segs: Vec<&str> = name.split('/').collect();
    if segs.len() > 1 && (segs[0].contains('.') || segs[0].contains(':') || segs[0] == "localhost")
    {
        segs.remove(0);
    }
    let repo = segs.join("/").to_ascii_lowercase();
    (!repo.is_empty()).then_some(repo)
}

fn last_segment(repo: &str) -> &str {
    repo.rsplit('/').next().unwrap_or(repo)
}

/// Docker official images (a repo without namespace): a folder named like one of them
/// (`quickstarts/languages/python`) is a sample, not the image's source.
const OFFICIAL_IMAGES: &[&str] = &[
    "alpine",
    "amazonlinux",
    "bash",
    "busybox",
    "caddy",
    "centos",
    "debian",
    "eclipse-temurin",
    "elasticsearch",
    "fedora",
    "gcc",
    "golang",
    "gradle",
    "haproxy",
    "httpd",
    "java",
    "mariadb",
    "maven",
    "memcached",
    "mongo",
    "mysql",
    "nats",
    "nginx",
    "node",
    "openjdk",
    "perl",
    "php",
    "postgres",
    "python",
    "rabbitmq",
    "redis",
    "ruby",
    "rust",
    "traefik",
    "ubuntu",
    "vault",
];

/// The `.env` entries of the folder `dir` (compose reads `.env` next to the compose file).
fn dotenv_of(project: &Project, dir: &str) -> Vec<(String, String)> {
    let path = if dir.is_empty() {
        ".env".to_string()
    } else {
        format!("{dir}/.env")
    };
    project
        .files
        .iter()
        .find(|f| f.path == path)
        .and_then(|f| f.text.as_deref())
        .map(|t| {
            shipready_syntax::dotenv::parse(t)
                .into_iter()
                .map(|e| (e.key, e.value))
                .collect()
        })
        .unwrap_or_default()
}

/// `${VAR}`, `${VAR:-default}` or `$VAR` alone, resolved from `.env` entries (then the
/// default). `None` when anything else is in the value or the variable is not set.
fn expand(value: &str, env: &[(String, String)]) -> Option<String> {
    let v = value.trim();
    let inner = v
        .strip_prefix("${")
        .and_then(|r| r.strip_suffix('}'))
        .or_else(|| v.strip_prefix('$'))?;
    let (name, default) = match inner.split_once(":-").or_else(|| inner.split_once('-')) {
        Some((n, d)) => (n, Some(d)),
        None => (inner, None),
    };
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        return None;
    }
    let out = env
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .or(default)?;
    (!out.is_empty() && !out.contains('$')).then(|| out.to_string())
}

/// The component rooted at `dir`, or the deepest one above it, when it has source files.
fn component_at(project: &Project, dir: &str) -> Option<ComponentId> {
    let c = project
        .components
        .iter()
        .filter(|c| {
            c.root.is_empty()
                || dir == c.root
                || (dir.starts_with(&c.root) && dir.as_bytes().get(c.root.len()) == Some(&b'/'))
        })
        .max_by_key(|c| c.root.len())?;
    (c.source_files > 0).then_some(c.id)
}

/// `docker build` / `docker buildx build` commands of CI steps: (image repo, component).
fn ci_builds(project: &Project) -> Vec<(String, ComponentId)> {
    let mut out = Vec::new();
    for p in &project.facts.ci_pipelines {
        for step in p.jobs.iter().flat_map(|j| &j.steps) {
            let Some(run) = &step.run else { continue };
            let base = step.working_directory.as_deref().unwrap_or("");
            let joined = run.replace("\\\n", " ");
            for line in joined.lines() {
                let Some(pos) = line
                    .find("docker build")
                    .or_else(|| line.find("docker buildx build"))
                else {
                    continue;
                };
                let words: Vec<&str> = line[pos..].split_whitespace().collect();
                let mut tags = Vec::new();
                let mut file = None;
                let mut positional = Vec::new();
                let mut i = 2;
                while i < words.len() {
                    let w = words[i];
                    if matches!(w, "&&" | ";" | "|" | "||") {
                        break;
                    }
                    if let Some(t) = w.strip_prefix("--tag=") {
                        tags.push(t);
                    } else if let Some(f) = w.strip_prefix("--file=") {
                        file = Some(f);
                    } else if matches!(w, "-t" | "--tag") {
                        if let Some(t) = words.get(i + 1) {
                            tags.push(t);
                        }
                        i += 1;
                    } else if matches!(w, "-f" | "--file") {
                        file = words.get(i + 1).copied();
                        i += 1;
                    } else if w.starts_with('-') {
                        // Options with a value in the next word.
                        if matches!(
                            w,
                            "--build-arg"
                                | "--target"
                                | "--platform"
                                | "--label"
                                | "--cache-from"
                                | "--cache-to"
                                | "--secret"
                                | "--output"
                                | "-o"
                                | "--progress"
                        ) {
                            i += 1;
                        }
                    } else if w != "build" {
                        positional.push(w);
                    }
                    i += 1;
                }
                let dir = match file {
                    Some(f) => join(base, f).map(|p| parent_dir(&p).to_string()),
                    None => positional
                        .first()
                        .and_then(|c| join(base, c.trim_matches(['"', '\'']))),
                };
                let Some(dir) = dir else { continue };
                let Some(c) = component_at(project, &dir) else {
                    continue;
                };
                for t in tags {
                    if let Some(repo) = image_repo(t.trim_matches(['"', '\''])) {
                        out.push((repo, c));
                    }
                }
            }
        }
    }
    out
}

/// Links every deploy config to its component and derives the project-level deploy facts.
pub(crate) fn link(project: &mut Project) {
    let mut deployments = Vec::new();
    // Dockerfiles.
    for d in &project.facts.dockerfiles {
        let file = project.file(d.span.file);
        if file.role == FileRole::Test {
            continue;
        }
        let comp = project.component(file.component);
        let component = (comp.source_files > 0).then_some(comp.id);
        deployments.push(Deployment {
            kind: DeployKind::Dockerfile,
            span: d.span,
            name: file.path.clone(),
            image: None,
            component,
            via: component.map(|_| "dockerfile-folder".to_string()),
        });
    }
    // Compose services with a build context.
    let mut images: BTreeMap<String, Option<ComponentId>> = BTreeMap::new();
    let note_image = |images: &mut BTreeMap<String, Option<ComponentId>>, repo: String, c| {
        let e = images.entry(repo).or_insert(Some(c));
        if *e != Some(c) {
            *e = None;
        }
    };
    let mut compose_docs: BTreeMap<u32, Option<shipready_syntax::config::Doc>> = BTreeMap::new();
    for s in &project.facts.compose_services {
        let file = project.file(s.span.file);
        let dir = parent_dir(&file.path);
        let ctx = s.build.as_deref().and_then(|b| join(dir, b));
        let doc = compose_docs.entry(s.span.file.0).or_insert_with(|| {
            file.text
                .as_deref()
                .and_then(|t| shipready_syntax::config::parse_yaml(t).ok())
        });
        let dockerfile = doc.as_ref().and_then(|d| {
            d.root_refs().find_map(|r| {
                r.get("services")?
                    .get(&s.name)?
                    .get("build")?
                    .get("dockerfile")?
                    .as_str()
                    .map(str::to_string)
            })
        });
        // `build: { context: ., dockerfile: backend/Dockerfile }`: the Dockerfile's folder
        // names the component; a `${VAR}` Dockerfile names none.
        // `dockerfile: ${CART_DOCKERFILE}` set in the compose folder's `.env`.
        let dockerfile = dockerfile.map(|df| {
            if df.contains('$') {
                expand(&df, &dotenv_of(project, dir)).unwrap_or(df)
            } else {
                df
            }
        });
        let component = match (&ctx, dockerfile) {
            (Some(_), Some(df)) if df.contains('$') => None,
            // A Dockerfile kept in a folder without code (`docker/Dockerfile`) builds the
            // context's component.
            // A Dockerfile whose folder is a component without read code (`src/ad/` in
            // Java) builds that component: no link, never the context's. One kept in a
            // packaging folder (`docker/api.Dockerfile`) builds the context.
            (Some(c), Some(df)) => join(c, &df).and_then(|p| {
                let dir = parent_dir(&p);
                component_at(project, dir).or_else(|| {
                    let own = project.components.iter().any(|k| k.root == dir);
                    let packaging = matches!(
                        last_segment(dir),
                        "docker"
                            | "dockerfiles"
                            | ".docker"
                            | "build"
                            | "deploy"
                            | "deployments"
                            | "ci"
                            | "containers"
                            | "images"
                            | "ops"
                    );
                    if own && !packaging {
                        None
                    } else {
                        component_at(project, c)
                    }
                })
            }),
            (Some(c), None) => component_at(project, c),
            (None, _) => None,
        };
        if let (Some(c), Some(repo)) = (component, s.image.as_deref().and_then(image_repo)) {
            note_image(&mut images, repo, c);
        }
        deployments.push(Deployment {
            kind: DeployKind::ComposeService,
            span: s.span,
            name: s.name.clone(),
            image: s.image.clone(),
            component,
            via: component.map(|_| "build-context".to_string()),
        });
    }
    for (repo, c) in ci_builds(project) {
        note_image(&mut images, repo, c);
    }
    // Components something builds: a Dockerfile or compose build linked to them, a Go
    // `cmd/<name>` binary. Only these and services (a server start) link by image name: a
    // folder of scripts named like an image (`loadgenerator/` with a locustfile) is no source.
    let built: std::collections::BTreeSet<ComponentId> = deployments
        .iter()
        .filter_map(|d| d.component)
        .chain(images.values().filter_map(|c| *c))
        .chain(project.components.iter().filter_map(|c| {
            let mut segs = c.root.rsplit('/');
            (segs.next().is_some() && segs.next() == Some("cmd")).then_some(c.id)
        }))
        .collect();
    // Image last segments of the deploy configs, for naming schemes (`rs-cart`, `rs-user`).
    let image_names: std::collections::BTreeSet<String> = project
        .facts
        .compose_services
        .iter()
        .filter_map(|s| s.image.as_deref())
        .chain(
            project
                .facts
                .k8s_workloads
                .iter()
                .flat_map(|w| &w.containers)
                .filter_map(|c| c.image.as_deref()),
        )
        .filter_map(image_repo)
        .map(|r| last_segment(&r).to_string())
        .collect();
    // Component folders by last segment, for image-name links.
    let mut by_folder: BTreeMap<String, Option<ComponentId>> = BTreeMap::new();
    for c in project.components.iter().filter(|c| {
        c.source_files > 0
            && !c.root.is_empty()
            && (built.contains(&c.id) || c.kind == shipready_model::ComponentKind::Service)
    }) {
        let seg = last_segment(&c.root).to_ascii_lowercase();
        let e = by_folder.entry(seg).or_insert(Some(c.id));
        if *e != Some(c.id) {
            *e = None;
        }
    }
    let by_image = |image: Option<&str>| -> Option<(ComponentId, &'static str)> {
        let repo = image_repo(image?)?;
        if let Some(hit) = images.get(&repo) {
            return hit.map(|c| (c, "ci-build"));
        }
        if !repo.contains('/') && OFFICIAL_IMAGES.contains(&repo.as_str()) {
            return None;
        }
        let seg = last_segment(&repo);
        if let Some(hit) = by_folder.get(seg) {
            return hit.map(|c| (c, "image-name"));
        }
        // `examplevotingapp_vote`, `rs-cart`: the part after a `_` or `-`, longest first,
        // when it names exactly one component folder and another image of the same head
        // names another component folder (`rs-user`): `tgi-tpu` alone does not make `tpu/`
        // its source.
        let scheme = |head: &str, c: ComponentId| {
            image_names.iter().any(|other| {
                other
                    .strip_prefix(head)
                    .filter(|t| t.len() >= 3)
                    .is_some_and(|t| by_folder.get(t).is_some_and(|o| o.is_none_or(|o| o != c)))
            })
        };
        seg.char_indices()
            .filter(|(_, ch)| matches!(ch, '-' | '_'))
            .map(|(i, _)| (&seg[..=i], &seg[i + 1..]))
            .filter(|(_, tail)| tail.len() >= 3)
            .find_map(|(head, tail)| {
                by_folder
                    .get(tail)
                    .copied()
                    .flatten()
                    .filter(|c| scheme(head, *c))
            })
            .map(|c| (c, "image-name"))
    };
    for d in &mut deployments {
        if d.kind == DeployKind::ComposeService && d.component.is_none() {
            let has_build = project
                .facts
                .compose_services
                .iter()
                .any(|s| s.span == d.span && s.build.is_some());
            if !has_build && let Some((c, via)) = by_image(d.image.as_deref()) {
                d.component = Some(c);
                d.via = Some(
                    if via == "ci-build" {
                        "compose-image"
                    } else {
                        via
                    }
                    .to_string(),
                );
            }
        }
    }
    // `compose.override.yml` / `compose.deploy.yml`: a service with neither `build` nor
    // `image` extends the same-named service of another compose file in the same folder.
    // A service with an image only (`langfuse/langfuse-worker:4` in `docker-compose.yml`)
    // runs what the same-named service of a sibling compose file builds
    // (`docker-compose.build.yml`).
    let linked: Vec<(u32, String, String, ComponentId, bool)> = project
        .facts
        .compose_services
        .iter()
        .filter_map(|s| {
            let d = deployments
                .iter()
                .find(|d| d.kind == DeployKind::ComposeService && d.span == s.span)?;
            let file = project.file(s.span.file);
            Some((
                s.span.file.0,
                parent_dir(&file.path).to_string(),
                s.name.clone(),
                d.component?,
                s.build.is_some(),
            ))
        })
        .collect();
    for d in &mut deployments {
        if d.kind != DeployKind::ComposeService || d.component.is_some() {
            continue;
        }
        let Some(s) = project
            .facts
            .compose_services
            .iter()
            .find(|s| s.span == d.span && s.build.is_none())
        else {
            continue;
        };
        let dir = parent_dir(&project.file(s.span.file).path);
        let image_only = s.image.is_some();
        let mut hits = linked
            .iter()
            .filter(|(f, sdir, name, _, built)| {
                *f != s.span.file.0 && sdir == dir && *name == s.name && (*built || !image_only)
            })
            .map(|x| x.3);
        if let Some(c) = hits.next()
            && hits.all(|o| o == c)
        {
            d.component = Some(c);
            d.via = Some(
                if image_only {
                    "compose-sibling"
                } else {
                    "compose-override"
                }
                .to_string(),
            );
        }
    }
    for w in &project.facts.k8s_workloads {
        if project.file(w.span.file).role == FileRole::Test {
            continue;
        }
        for c in w.containers.iter().filter(|c| !c.init) {
            let hit = by_image(c.image.as_deref());
            deployments.push(Deployment {
                kind: DeployKind::K8sContainer,
                span: c.span,
                name: c.name.clone(),
                image: c.image.clone(),
                component: hit.map(|h| h.0),
                via: hit.map(|h| h.1.to_string()),
            });
        }
    }
    project.deployments = deployments;
    derive_facts(project);
}

fn derive_facts(project: &mut Project) {
    let mut checks = Vec::new();
    let mut ports = Vec::new();
    for d in &project.facts.dockerfiles {
        let Some(stage) = d.final_stage() else {
            continue;
        };
        for ins in &stage.instructions {
            match ins.keyword.as_str() {
                "HEALTHCHECK" => {
                    let Some(text) = project.slice(ins.span) else {
                        continue;
                    };
                    let Some(url) = local_url(text) else { continue };
                    let start = ins.span.start as usize + url.start;
                    checks.push(HealthCheck {
                        span: Span::new(d.span.file, start, start + url.len),
                        source: "dockerfile".to_string(),
                        path: url.path.clone(),
                        port: url.port.clone(),
                        port_span: url.port_start.zip(url.port.as_ref()).map(|(p, port)| {
                            let p = ins.span.start as usize + p;
                            Span::new(d.span.file, p, p + port.len())
                        }),
                        owner: d.span,
                    });
                }
                "EXPOSE" => {
                    let Some(text) = project.slice(ins.span) else {
                        continue;
                    };
                    let mut from = 0;
                    for word in ins.args.split_whitespace() {
                        let port = word.split('/').next().unwrap_or(word);
                        if port.is_empty() || !port.bytes().all(|b| b.is_ascii_digit()) {
                            continue;
                        }
                        let Some(off) = text[from..].find(port) else {
                            continue;
                        };
                        let start = ins.span.start as usize + from + off;
                        from += off + port.len();
                        ports.push(DeployPort {
                            span: Span::new(d.span.file, start, start + port.len()),
                            source: "dockerfile-expose".to_string(),
                            port: port.to_string(),
                            name: None,
                            owner: d.span,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    for s in &project.facts.compose_services {
        for p in &s.ports {
            ports.push(DeployPort {
                span: p.span,
                source: "compose-target".to_string(),
                port: p.target.clone(),
                name: None,
                owner: s.span,
            });
        }
    }
    // Service targetPorts, attributed to the one container their selector reaches.
    for svc in &project.facts.k8s_services {
        if svc.selector.is_empty() {
            continue;
        }
        let pods: Vec<Span> = project
            .facts
            .k8s_pod_labels
            .iter()
            .filter(|p| svc.selector.iter().all(|s| p.labels.contains(s)))
            .map(|p| p.workload)
            .collect();
        let containers: Vec<&shipready_model::K8sContainer> = project
            .facts
            .k8s_workloads
            .iter()
            .filter(|w| pods.contains(&w.span))
            .flat_map(|w| w.containers.iter().filter(|c| !c.init))
            .collect();
        for sp in &svc.ports {
            let (Some(target), Some(target_span)) = (&sp.target_port, sp.target_span) else {
                continue;
            };
            let owner = if containers.len() == 1 {
                Some(containers[0].span)
            } else {
                let named: Vec<Span> = project
                    .facts
                    .deploy_ports
                    .iter()
                    .filter(|p| {
                        p.source == "k8s-container-port"
                            && (p.port == *target || p.name.as_deref() == Some(target))
                            && containers.iter().any(|c| c.span == p.owner)
                    })
                    .map(|p| p.owner)
                    .collect();
                (named.len() == 1).then(|| named[0])
            };
            if let Some(owner) = owner {
                ports.push(DeployPort {
                    span: target_span,
                    source: "k8s-service-target".to_string(),
                    port: target.clone(),
                    name: None,
                    owner,
                });
            }
        }
    }
    project.facts.health_checks.extend(checks);
    project.facts.deploy_ports.extend(ports);
}

#[cfg(test)]
mod tests {
    use super::{image_repo, join};

    #[test]
    fn images() {
        assert_eq!(
            image_repo("ghcr.io/acme/api:1.2").as_deref(),
            Some("acme/api")
        );
        assert_eq!(image_repo("localhost:5000/api").as_deref(), Some("api"));
        assert_eq!(image_repo("api@sha256:abc").as_deref(), Some("api"));
        assert_eq!(image_repo("redis:7").as_deref(), Some("redis"));
        assert_eq!(image_repo("${IMAGE}:1"), None);
    }

    #[test]
    fn joins() {
        assert_eq!(join("", "./api").as_deref(), Some("api"));
        assert_eq!(join("deploy", "../api").as_deref(), Some("api"));
        assert_eq!(join("", "..").as_deref(), None);
        assert_eq!(join("x", ".").as_deref(), Some("x"));
    }

    /// Override files and image-name suffixes link; look-alikes do not.
    #[test]
    fn links_overrides_and_image_suffixes() {
        let dir =
            std::env::temp_dir().join(format!("shipready-deploy-link-{}", std::process::id()));
        let files: &[(&str, &str)] = &[
            ("vote/requirements.txt", "flask==3.0.0\n"),
            ("pyproject.toml", "[project]\nname = \"root\"\n"),
            ("tools/seed.py", "print('seed')\n"),
            (
                "vote/app.py",
                "from flask import Flask\napp = Flask(__name__)\n\n@app.get('/')\ndef index():\n    return 'ok'\n",
            ),
            ("result/package.json", "{\"name\": \"result\"}\n"),
            (
                "result/server.js",
                "const express = require('express');\nconst app = express();\napp.get('/', (req, res) => res.send('ok'));\napp.listen(80);\n",
            ),
            ("tpu/requirements.txt", "ray==2.9.0\n"),
            ("tpu/serve.py", "print('serve')\n"),
            ("tpu/Dockerfile", "FROM python:3.12\nCOPY . .\n"),
            ("python/requirements.txt", "flask==3.0.0\n"),
            ("python/app.py", "print('hello')\n"),
            ("python/Dockerfile", "FROM python:3.12\nCOPY . .\n"),
            ("loadgen/requirements.txt", "locust==2.0.0\n"),
            ("loadgen/locustfile.py", "print('load')\n"),
            ("deploy/.env", "RESULT_DOCKERFILE=result/Dockerfile\n"),
            ("ad/Dockerfile", "FROM eclipse-temurin:21\nCOPY . .\n"),
            ("ad/Main.java", "class Main {}\n"),
            (
                "compose.ad.yml",
                "services:\n  ad:\n    build:\n      context: .\n      dockerfile: ./ad/Dockerfile\n",
            ),
            (
                "deploy/compose.yml",
                "services:\n  dynres:\n    build:\n      context: ..\n      dockerfile: ${RESULT_DOCKERFILE}\n",
            ),
            (
                "compose.yml",
                "services:\n  vote:\n    build: ./vote\n  db:\n    image: postgres:16\n  voter:\n    build:\n      context: .\n      dockerfile: vote/Dockerfile\n  dyn:\n    build:\n      context: .\n      dockerfile: ${VOTE_DOCKERFILE}\n",
            ),
            (
                "compose.prod.yml",
                "services:\n  vote:\n    image: acme/voting-app:1\n  db:\n    image: postgres:16\n",
            ),
            (
                "compose.override.yml",
                "services:\n  vote:\n    restart: always\n  db:\n    restart: always\n",
            ),
            (
                "k8s/vote.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: vote\nspec:\n  template:\n    spec:\n      containers:\n        - name: vote\n          image: dockersamples/examplevotingapp_vote\n        - name: result\n          image: dockersamples/examplevotingapp_result\n        - name: fix\n          image: acme/rs-vote-fix\n        - name: tgi\n          image: acme/optimum-tpu/tgi-tpu:latest\n        - name: job\n          image: python:3.12-slim\n        - name: locust\n          image: acme/shop/loadgen:1.0\n",
            ),
        ];
        for (path, text) in files {
            let p = dir.join(path);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).expect("temp dir");
            }
            std::fs::write(&p, text).expect("temp file");
        }
        let project = crate::testing::project_of(&dir);
        let _ = std::fs::remove_dir_all(&dir);
        let via = |file: &str, name: &str| {
            project
                .deployments
                .iter()
                .find(|d| d.name == name && project.file(d.span.file).path == file)
                .map(|d| d.via.clone().unwrap_or_default())
        };
        assert_eq!(via("compose.yml", "vote").as_deref(), Some("build-context"));
        assert_eq!(
            via("compose.override.yml", "vote").as_deref(),
            Some("compose-override")
        );
        // Root context: the Dockerfile's folder names the component; a `${VAR}` one, none.
        assert_eq!(
            via("compose.yml", "voter").as_deref(),
            Some("build-context")
        );
        assert_eq!(via("compose.yml", "dyn").as_deref(), Some(""));
        let voter = project
            .deployments
            .iter()
            .find(|d| d.name == "voter")
            .and_then(|d| d.component);
        assert_eq!(
            voter.map(|c| project.component(c).root.as_str()),
            Some("vote")
        );
        // An image-only service runs what the sibling file's same-named service builds.
        assert_eq!(
            via("compose.prod.yml", "vote").as_deref(),
            Some("compose-sibling")
        );
        assert_eq!(via("compose.prod.yml", "db").as_deref(), Some(""));
        // The base service has no build: nothing to inherit.
        assert_eq!(via("compose.override.yml", "db").as_deref(), Some(""));
        assert_eq!(via("k8s/vote.yaml", "vote").as_deref(), Some("image-name"));
        // `rs-vote-fix`: no tail names a component folder (`vote-fix`, `fix`).
        assert_eq!(via("k8s/vote.yaml", "fix").as_deref(), Some(""));
        // `tgi-tpu`: no other `tgi-` image, so `tpu/` is not its source; an official image
        // never links to a folder of its name; `loadgen/` has nothing that builds it.
        assert_eq!(via("k8s/vote.yaml", "tgi").as_deref(), Some(""));
        assert_eq!(via("k8s/vote.yaml", "job").as_deref(), Some(""));
        assert_eq!(via("k8s/vote.yaml", "locust").as_deref(), Some(""));
        // A Dockerfile in a folder of unread code (Java) builds that folder, not the root.
        assert_eq!(via("compose.ad.yml", "ad").as_deref(), Some(""));
        // A `${VAR}` Dockerfile set in the compose folder's `.env`.
        let dynres = project
            .deployments
            .iter()
            .find(|d| d.name == "dynres")
            .and_then(|d| d.component);
        assert_eq!(
            dynres.map(|c| project.component(c).root.as_str()),
            Some("result")
        );
    }

    /// Trial tool, not a check: prints every deployment of the folders in
    /// `SHIPREADY_DEPLOY_DUMP` (`:`-separated) with the component it was linked to, as
    /// tab-separated lines (`cargo test -p shipready_facts --lib deploy_dump -- --ignored
    /// --nocapture`).
    #[test]
    #[ignore = "trial tool: needs SHIPREADY_DEPLOY_DUMP"]
    fn deploy_dump() {
        let Ok(dirs) = std::env::var("SHIPREADY_DEPLOY_DUMP") else {
            return;
        };
        for dir in dirs.split(':').filter(|d| !d.is_empty()) {
            let project = crate::testing::project_of(std::path::Path::new(dir));
            for d in &project.deployments {
                let comp = d
                    .component
                    .map_or("-", |c| project.component(c).name.as_str());
                println!(
                    "{dir}\t{:?}\t{}\t{}\t{}\t{comp}\t{}\t{}",
                    d.kind,
                    d.name,
                    d.image.as_deref().unwrap_or("-"),
                    crate::testing::render_span(&project, d.span),
                    d.via.as_deref().unwrap_or("-"),
                    project.components.len(),
                );
            }
        }
    }
}
