use shipready_model::{Component, ComponentKind, FileRole, Project, Span};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Deployable component has no container build
    ///
    /// ## What it finds
    /// A service or worker component (it serves HTTP or runs scheduled jobs) with no Dockerfile
    /// in or above its folder and no compose `build:` context covering it, in a repository that
    /// builds containers for its other components. Repositories that deploy through a platform
    /// (a `Procfile`, `vercel.json`, `netlify.toml`, `fly.toml`, `app.yaml`, `render.yaml`,
    /// `serverless.yml`, `railway.json`) are not reported, and neither are frontends and
    /// libraries.
    /// ## Why it matters
    /// Every other service ships as an image built the same way in CI; this one is deployed by
    /// hand or by a script nobody reviews. Its runtime, dependencies and start command drift
    /// from what was tested, and it cannot be rolled back by image tag.
    /// ## Failure scenario
    /// The notifications service is started on a VM with `npm start` from a checkout. A node
    /// upgrade on that VM breaks it during a release freeze, and nobody can say which version
    /// ran before.
    /// ## Examples
    /// ```tree bad
    /// ==> api/Dockerfile <==
    /// FROM node:20-alpine
    /// USER node
    /// CMD ["node", "server.js"]
    /// ==> api/package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2"}}
    /// ==> api/server.js <==
    /// const app = require('express')();
    /// app.get('/healthz', (req, res) => res.send('ok'));
    /// app.listen(3000);
    /// ==> notifier/package.json <==
    /// {"name": "notifier", "dependencies": {"express": "^4.19.2"}}
    /// ==> notifier/index.js <==
    /// const app = require('express')();
    /// app.post('/notify', (req, res) => res.status(202).end());
    /// app.listen(3001);
    /// ```
    /// ```tree good
    /// ==> api/Dockerfile <==
    /// FROM node:20-alpine
    /// USER node
    /// CMD ["node", "server.js"]
    /// ==> api/package.json <==
    /// {"name": "api", "dependencies": {"express": "^4.19.2"}}
    /// ==> api/server.js <==
    /// const app = require('express')();
    /// app.get('/healthz', (req, res) => res.send('ok'));
    /// app.listen(3000);
    /// ==> notifier/Dockerfile <==
    /// FROM node:20-alpine
    /// USER node
    /// CMD ["node", "index.js"]
    /// ==> notifier/package.json <==
    /// {"name": "notifier", "dependencies": {"express": "^4.19.2"}}
    /// ==> notifier/index.js <==
    /// const app = require('express')();
    /// app.post('/notify', (req, res) => res.status(202).end());
    /// app.listen(3001);
    /// ```
    /// ## How to fix
    /// Give the component a Dockerfile built by the same pipeline as the others, or declare
    /// how the platform deploys it.
    /// ```dockerfile fix
    /// FROM node:20-alpine
    /// WORKDIR /app
    /// COPY package*.json ./
    /// RUN npm ci --omit=dev
    /// COPY . .
    /// USER node
    /// CMD ["node", "index.js"]
    /// ```
    /// ## Limitations
    /// Images built by Bazel, ko, Jib, buildpacks or a Nix flake, and Dockerfiles kept outside
    /// the component's folder under another name, are not recognised; suppress with a reason.
    /// ## References
    /// - The Twelve-Factor App, build, release, run: https://12factor.net/build-release-run
    pub NoDockerfile {
        code: "CTR003",
        slug: "no-dockerfile",
        category: Containers,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 2.0,
    }
}

/// Files that say the repository deploys through a platform rather than images.
const PLATFORM_FILES: &[&str] = &[
    "procfile",
    "vercel.json",
    "netlify.toml",
    "fly.toml",
    "app.yaml",
    "render.yaml",
    "serverless.yml",
    "serverless.yaml",
    "railway.json",
    "railway.toml",
];

fn file_name(path: &str) -> String {
    path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase()
}

fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether `dir` is `root` or an ancestor folder of it.
fn covers(dir: &str, root: &str) -> bool {
    dir.is_empty()
        || root == dir
        || (root.starts_with(dir) && root.as_bytes().get(dir.len()) == Some(&b'/'))
}

fn has_container_build(project: &Project, component: &Component) -> bool {
    let dockerfile_dirs = project
        .facts
        .dockerfiles
        .iter()
        .filter(|d| project.file(d.span.file).role != FileRole::Test)
        .map(|d| dir_of(&project.file(d.span.file).path).to_string());
    let contexts = project.facts.docker_contexts.iter().map(|c| c.dir.clone());
    dockerfile_dirs
        .chain(contexts)
        .any(|dir| covers(&dir, &component.root) || covers(&component.root, &dir))
}

impl Rule for NoDockerfile {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        let builds_images = project
            .facts
            .dockerfiles
            .iter()
            .any(|d| project.file(d.span.file).role == FileRole::Source);
        if !builds_images {
            return;
        }
        if project
            .files
            .iter()
            .any(|f| PLATFORM_FILES.contains(&file_name(&f.path).as_str()))
        {
            return;
        }
        for component in &project.components {
            if !matches!(
                component.kind,
                ComponentKind::Service | ComponentKind::Worker
            ) || component.has_frontend
                || component.root.is_empty()
                || crate::observability::presence::is_tooling(&component.root)
            {
                continue;
            }
            if has_container_build(project, component) {
                continue;
            }
            let Some(&manifest) = component.manifest_files.first() else {
                continue;
            };
            let kind = if component.kind == ComponentKind::Service {
                "service"
            } else {
                "worker"
            };
            cx.finding(
                Self::META,
                Span::file_start(manifest),
                format!(
                    "`{}` is a {kind} with no Dockerfile while other components ship as images",
                    component.name
                ),
            );
        }
    }
}
