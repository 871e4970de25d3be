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
