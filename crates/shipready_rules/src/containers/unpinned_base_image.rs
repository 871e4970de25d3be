use std::collections::BTreeSet;

use shipready_model::{FileRole, Project};

use crate::{Rule, RuleContext, RuleMeta, declare_rule};

declare_rule! {
    /// Base image not pinned to a version
    ///
    /// ## What it finds
    /// Dockerfile `FROM` lines and compose `image:` values with no tag or with `:latest`
    /// (`FROM python:latest`, `FROM node`, `image: redis`). Stage references (`FROM build`),
    /// `scratch`, images given by a build argument (`FROM ${BASE}`) and digests
    /// (`@sha256:...`) are not reported; images pinned by digest are recorded as a strength.
    /// Compose `${TAG:-16}` defaults are resolved first.
    /// ## Why it matters
    /// `latest` moves: two builds of the same commit produce different images, a new major
    /// version of the runtime arrives unannounced, and a rollback rebuilds something that was
    /// never tested.
    /// ## Failure scenario
    /// `python:latest` moves from 3.12 to 3.13 overnight; a compiled dependency has no wheel
    /// for it yet, the next deploy fails to build, and the hotfix that was urgent waits.
    /// ## Examples
    /// ```dockerfile bad
    /// FROM python:latest
    /// USER nobody
    /// ```
    /// ```dockerfile good
    /// FROM python:3.12.4-slim
    /// USER nobody
    /// ```
    /// ## How to fix
    /// Pin a version tag at least to the minor version, better with its digest, and let a
    /// dependency bot propose upgrades.
    /// ```dockerfile fix
    /// FROM python:3.12.4-slim@sha256:<digest>
    /// ```
    /// ## Limitations
    /// A tag that is itself a moving alias (`node:20`, `alpine:3`) is accepted. Kubernetes
    /// manifests are not checked (image tags there are often set by the pipeline).
    /// ## References
    /// - Docker best practices, pin base image versions: https://docs.docker.com/build/building/best-practices/#pin-base-image-versions
    pub UnpinnedBaseImage {
        code: "CTR002",
        slug: "unpinned-base-image",
        category: Containers,
        severity: Medium,
        likelihood: Possible,
        effort_hours: 0.25,
    }
}

/// `Some(true)` for `:latest`, `Some(false)` for no tag, `None` when pinned or not judged.
fn unpinned(image: &str) -> Option<bool> {
    let image = image.trim();
    if image.is_empty()
        || image.contains('$')
        || image.contains('@')
        || image.eq_ignore_ascii_case("scratch")
    {
        return None;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.split_once(':') {
        Some((_, tag)) if tag.eq_ignore_ascii_case("latest") => Some(true),
        Some(_) => None,
        None => Some(false),
    }
}

impl Rule for UnpinnedBaseImage {
    fn meta(&self) -> &'static RuleMeta {
        Self::META
    }

    fn check(&self, project: &Project, cx: &mut RuleContext) {
        for file in &project.facts.dockerfiles {
            if project.file(file.span.file).role == FileRole::Test {
                continue;
            }
            let mut aliases: BTreeSet<String> = BTreeSet::new();
            for stage in &file.stages {
                let image = stage.image.trim();
                let is_stage_ref = aliases.contains(&image.to_ascii_lowercase());
                if let Some(a) = &stage.alias {
                    aliases.insert(a.to_ascii_lowercase());
                }
                if is_stage_ref {
                    continue;
                }
                if image.contains("@sha256:") {
                    cx.strength(
                        Self::META,
                        stage.span,
                        format!("`{image}` is pinned by digest"),
                    );
                    continue;
                }
                match unpinned(image) {
                    Some(true) => {
                        cx.finding(
                            Self::META,
                            stage.span,
                            format!("`FROM {image}` follows the moving `latest` tag"),
                        );
                    }
                    Some(false) => {
                        cx.finding(
                            Self::META,
                            stage.span,
                            format!("`FROM {image}` has no tag, so it means `latest`"),
                        );
                    }
                    None => {}
                }
            }
        }
        for s in &project.facts.compose_services {
            if project.file(s.span.file).role == FileRole::Test {
                continue;
            }
            let Some(image) = &s.image else { continue };
            // A service that is also built names its own image.
            if s.build.is_some() {
                continue;
            }
            match unpinned(image) {
                Some(true) => {
                    cx.finding(
                        Self::META,
                        s.span,
                        format!(
                            "service `{}` runs `{image}`, the moving `latest` tag",
                            s.name
                        ),
                    );
                }
                Some(false) => {
                    cx.finding(
                        Self::META,
                        s.span,
                        format!("service `{}` runs `{image}` with no tag (`latest`)", s.name),
                    );
                }
                None => {}
            }
        }
    }
}
