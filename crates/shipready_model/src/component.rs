//! Components: the deployable units of a repository.

use serde::Serialize;

use crate::FileId;

/// Index of a component in [`crate::Project::components`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Default)]
pub struct ComponentId(pub u32);

/// What made a folder a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ManifestKind {
    /// `package.json`
    PackageJson,
    /// `pyproject.toml`
    Pyproject,
    /// `requirements*.txt`
    Requirements,
    /// `setup.py`
    SetupPy,
    /// `go.mod` (module root)
    GoMod,
    /// a Go `package main` folder
    GoMain,
    /// `Dockerfile`
    Dockerfile,
    /// the repository root, holding files no manifest claims
    Root,
}

/// What kind of unit a component looks like, from its facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ComponentKind {
    /// Serves HTTP (routes or a server start).
    Service,
    /// Runs jobs without serving HTTP.
    Worker,
    /// A browser application.
    Frontend,
    /// A library or anything else.
    Library,
}

/// A deployable unit.
#[derive(Debug, Clone, Serialize)]
pub struct Component {
    /// Its id.
    pub id: ComponentId,
    /// Display name: the root path (`apps/api`), or `.` for the repository root.
    pub name: String,
    /// Root folder, repository-relative (`""` for the repository root).
    pub root: String,
    /// Manifests that define it.
    pub manifests: Vec<ManifestKind>,
    /// Manifest files.
    #[serde(skip)]
    pub manifest_files: Vec<FileId>,
    /// Main language (most source lines).
    pub language: Option<&'static str>,
    /// What it looks like.
    pub kind: ComponentKind,
    /// Whether it ships browser code (a frontend framework among its dependencies), even
    /// when it also serves HTTP (Next.js, Nuxt).
    pub has_frontend: bool,
    /// Source files (production role) in it.
    pub source_files: u32,
    /// Test files in it.
    pub test_files: u32,
    /// Lines of code in it (all roles).
    pub lines: u32,
}

/// What kind of deploy config a [`Deployment`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeployKind {
    /// A container of a Kubernetes workload ([`crate::K8sContainer`]).
    K8sContainer,
    /// A compose service ([`crate::ComposeService`]).
    ComposeService,
    /// A Dockerfile ([`crate::Dockerfile`]).
    Dockerfile,
}

/// A deploy config linked to the component whose code it runs. Filled by the deploy linker
/// (`shipready_facts::components`) after components are known; ask
/// [`crate::Project::deployment_at`] ("which component does this probe/port/env entry
/// belong to", given the owner span) or [`crate::Project::deployments_of`] ("which deploy
/// configs run component X").
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Deployment {
    /// Kind.
    pub kind: DeployKind,
    /// The k8s container entry, compose service key or whole Dockerfile (the `owner` span of
    /// [`crate::HealthCheck`], [`crate::DeployPort`], [`crate::EnvSource`]).
    pub span: crate::Span,
    /// Container name, compose service name, or the Dockerfile path.
    pub name: String,
    /// Image as written, when given (k8s `image`, compose `image`).
    pub image: Option<String>,
    /// The component whose source it builds or runs, when it could be linked without doubt.
    pub component: Option<ComponentId>,
    /// How the link was made: `dockerfile-folder` (the Dockerfile sits in the component),
    /// `build-context` (compose `build:`), `ci-build` (a CI `docker build -t IMAGE DIR`),
    /// `compose-image` (same image as a compose service with a build), `image-name` (the
    /// image's last path segment, or its part after a `-`/`_`, names exactly one component
    /// folder), `compose-override` (a service with neither build nor image, linked through
    /// the same-named service of another compose file in the same folder).
    pub via: Option<String>,
}
