use shipready_model::{DockerStage, Dockerfile, FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Container runs as root
    ///
    /// ## What it finds
    /// Dockerfiles whose final stage sets no non-root `USER` (or sets `USER root`/`0`), unless
    /// the base image already runs as a non-root user (distroless `:nonroot`, Chainguard).
    /// A `USER` set in a build stage does not carry over to a new `FROM`.
    /// ## Why it matters
    /// A process running as root inside the container turns any remote code execution into
    /// root in the container: it can rewrite the application, read every mounted secret, and
    /// is one kernel or runtime bug away from the host.
    /// ## Failure scenario
    /// A vulnerable image-processing dependency gives an attacker code execution; as root they
    /// install tools, read the service account token and pivot to the cluster.
    /// ## Examples
    /// ```dockerfile bad
    /// FROM node:20-alpine
    /// WORKDIR /app
    /// COPY . .
    /// CMD ["node", "server.js"]
    /// ```
    /// ```dockerfile good
    /// FROM node:20-alpine
    /// WORKDIR /app
    /// COPY --chown=node:node . .
    /// USER node
    /// CMD ["node", "server.js"]
    /// ```
    /// ## How to fix
    /// Create or use an unprivileged user in the final stage and switch to it before `CMD`;
    /// also set `runAsNonRoot: true` in the pod security context.
    /// ```dockerfile fix
    /// RUN addgroup -S app && adduser -S app -G app
    /// USER app
    /// ```
    /// ## Limitations
    /// A user set by the orchestrator (`securityContext.runAsUser`) is not taken into account;
    /// base images are judged by name only. A final stage with no `CMD`/`ENTRYPOINT` of its own
    /// is taken for a build or code-generation image and not reported, so an image that relies
    /// on its base image's command (`FROM nginx` + `COPY`) is missed.
    /// ## References
    /// - Docker best practices, USER: https://docs.docker.com/build/building/best-practices/#user
    pub ContainerRunsAsRoot {
        code: "CTR001",
        slug: "container-runs-as-root",
        category: Containers,
        severity: High,
        likelihood: Possible,
        effort_hours: 0.5,
    }
}

fn is_root_user(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

/// Base images that already run as an unprivileged user.
fn nonroot_base(image: &str) -> bool {
    let lower = image.to_ascii_lowercase();
    let name = lower.trim_start_matches("docker.io/");
    lower.contains(":nonroot")
        || lower.contains("-nonroot")
        || name.starts_with("cgr.dev/chainguard/")
        || name.starts_with("nginxinc/nginx-unprivileged")
        || name.starts_with("bitnami/")
        || name.starts_with("grafana/k6")
        || name.starts_with("gcr.io/distroless/") && lower.contains("nonroot")
}

/// Whether the final stage is an image that runs a service. A stage with no `CMD` or
/// `ENTRYPOINT` of its own is a build or code-generation tool (or an artifact export), and a
/// `FROM scratch` stage whose entrypoint is not a binary (an `.apk`, a `.tar`) only carries
/// files.
fn is_artifact_stage(stage: &DockerStage) -> bool {
    let runs = stage
        .instructions
        .iter()
        .find(|i| matches!(i.keyword.as_str(), "CMD" | "ENTRYPOINT"));
    match runs {
        None => true,
        Some(i) => {
            stage.image.trim().eq_ignore_ascii_case("scratch")
                && [".apk", ".tar", ".zip", ".jar\"]", ".aab"]
                    .iter()
                    .any(|ext| i.args.contains(ext))
        }
    }
}

/// The effective user of a stage, following `FROM <earlier stage>` chains.
fn stage_user<'a>(
    file: &'a Dockerfile,
    stage: &'a DockerStage,
    depth: u32,
) -> Option<(&'a str, bool)> {
    if let Some(u) = stage
        .instructions
        .iter()
        .rev()
        .find(|i| i.keyword == "USER")
    {
        return Some((u.args.trim(), true));
    }
    if depth > 8 {
        return None;
    }
    let parent = file.stages.iter().find(|s| {
        s.alias
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(stage.image.trim()))
    })?;
    if std::ptr::eq(parent, stage) {
        return None;
    }
    stage_user(file, parent, depth + 1)
}

impl Rule for ContainerRunsAsRoot {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for file in &project.facts.dockerfiles {
            if project.file(file.span.file).role == FileRole::Test {
                continue;
            }
            let Some(last) = file.final_stage() else {
                continue;
            };
            if is_artifact_stage(last) {
                continue;
            }
            match stage_user(file, last, 0) {
                Some((user, _)) if !is_root_user(user) => {
                    if let Some(u) = last.instructions.iter().rev().find(|i| i.keyword == "USER") {
                        cx.strength(Self::META, u.span, format!("image runs as `{user}`"));
                    }
                }
                Some((user, _)) => {
                    let at = last
                        .instructions
                        .iter()
                        .rev()
                        .find(|i| i.keyword == "USER")
                        .map_or(last.span, |i| i.span);
                    cx.finding(
                        Self::META,
                        at,
                        format!("final stage switches to `USER {user}`"),
                    );
                }
                None if nonroot_base(&last.image) => {}
                None => {
                    cx.finding(
                        Self::META,
                        last.span,
                        format!("final stage `FROM {}` sets no non-root `USER`", last.image),
                    );
                }
            }
        }
    }
}
