//! Components: deployable units found from manifests, and the files each one owns; then
//! deploy linking ([`deploy_link`]): which component each k8s container, compose service and
//! Dockerfile runs.

mod deploy_link;

use std::collections::{BTreeMap, BTreeSet};

use shipready_model::{
    Component, ComponentId, ComponentKind, FileId, FileRole, ManifestKind, Project,
};

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether `dir` is `root` or below it.
fn is_under(dir: &str, root: &str) -> bool {
    root.is_empty()
        || dir == root
        || (dir.starts_with(root) && dir.as_bytes().get(root.len()) == Some(&b'/'))
}

/// Creates components from manifests and assigns every file to the deepest component root
/// above it (the repository root holds the rest).
pub fn assign(project: &mut Project, manifests: &[(FileId, ManifestKind)]) {
    let manifests = merge_single_go_mains(project, manifests);
    let manifests = manifests.as_slice();
    let mut roots: BTreeMap<String, (Vec<ManifestKind>, Vec<FileId>)> = BTreeMap::new();
    for &(id, kind) in manifests {
        let file = project.file(id);
        if file.role != FileRole::Source && kind != ManifestKind::Dockerfile {
            // Manifests inside tests, examples or scripts do not make deployable units.
            continue;
        }
        let dir = parent_dir(&file.path).to_string();
        let entry = roles_entry(&mut roots, dir);
        if !entry.0.contains(&kind) {
            entry.0.push(kind);
        }
        entry.1.push(id);
    }
    let root_list: Vec<String> = roots.keys().cloned().collect();
    // The deepest root above each file.
    let owner_of = |path: &str| -> String {
        let dir = parent_dir(path);
        root_list
            .iter()
            .filter(|r| is_under(dir, r))
            .max_by_key(|r| r.len())
            .cloned()
            .unwrap_or_default()
    };
    let owners: Vec<String> = project.files.iter().map(|f| owner_of(&f.path)).collect();
    let mut used: BTreeMap<String, u32> = BTreeMap::new();
    for (f, owner) in project.files.iter().zip(&owners) {
        if f.analysed {
            *used.entry(owner.clone()).or_default() += 1;
        }
    }
    let mut names: Vec<String> = roots.keys().cloned().collect();
    if !roots.contains_key("") && used.contains_key("") {
        names.push(String::new());
    }
    names.sort();
    let index: BTreeMap<String, ComponentId> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.clone(), ComponentId(i as u32)))
        .collect();
    project.components = names
        .iter()
        .enumerate()
        .map(|(i, root)| {
            let (manifests, manifest_files) = roots
                .get(root)
                .cloned()
                .unwrap_or_else(|| (vec![ManifestKind::Root], Vec::new()));
            Component {
                id: ComponentId(i as u32),
                name: if root.is_empty() {
                    ".".to_string()
                } else {
                    root.clone()
                },
                root: root.clone(),
                manifests,
                manifest_files,
                language: None,
                kind: ComponentKind::Library,
                has_frontend: false,
                source_files: 0,
                test_files: 0,
                lines: 0,
            }
        })
        .collect();
    if project.components.is_empty() {
        project.components.push(Component {
            id: ComponentId(0),
            name: ".".to_string(),
            root: String::new(),
            manifests: vec![ManifestKind::Root],
            manifest_files: Vec::new(),
            language: None,
            kind: ComponentKind::Library,
            has_frontend: false,
            source_files: 0,
            test_files: 0,
            lines: 0,
        });
    }
    for (f, owner) in project.files.iter_mut().zip(owners) {
        f.component = index.get(&owner).copied().unwrap_or(ComponentId(0));
    }
}

/// A Go module with one `main` package is one deployable unit: its `cmd/x` folder does not
/// make a component of its own. With several `main` packages, each is a component and the
/// module root holds the shared library code.
fn merge_single_go_mains(
    project: &Project,
    manifests: &[(FileId, ManifestKind)],
) -> Vec<(FileId, ManifestKind)> {
    let module_roots: Vec<&str> = manifests
        .iter()
        .filter(|(_, k)| *k == ManifestKind::GoMod)
        .map(|(id, _)| parent_dir(&project.file(*id).path))
        .collect();
    let module_of = |dir: &str| -> Option<&str> {
        module_roots
            .iter()
            .copied()
            .filter(|r| is_under(dir, r))
            .max_by_key(|r| r.len())
    };
    let mut mains_per_module: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (id, kind) in manifests {
        if *kind == ManifestKind::GoMain {
            let dir = parent_dir(&project.file(*id).path);
            if let Some(m) = module_of(dir) {
                mains_per_module.entry(m).or_default().insert(dir);
            }
        }
    }
    manifests
        .iter()
        .copied()
        .filter(|(id, kind)| {
            if *kind != ManifestKind::GoMain {
                return true;
            }
            let dir = parent_dir(&project.file(*id).path);
            match module_of(dir) {
                Some(m) => m != dir && mains_per_module.get(m).is_some_and(|d| d.len() > 1),
                None => true,
            }
        })
        .collect()
}

fn roles_entry(
    roots: &mut BTreeMap<String, (Vec<ManifestKind>, Vec<FileId>)>,
    dir: String,
) -> &mut (Vec<ManifestKind>, Vec<FileId>) {
    roots.entry(dir).or_default()
}

const FRONTEND_DEPS: &[&str] = &[
    "react",
    "react-dom",
    "vue",
    "svelte",
    "@angular/core",
    "solid-js",
    "preact",
    "next",
    "nuxt",
    "@sveltejs/kit",
    "vite",
];

/// Fills each component's kind, language and counts from its files and facts, then links
/// deploy configs to components ([`Project::deployments`]).
pub fn classify(project: &mut Project) {
    let n = project.components.len();
    let mut lines_by_lang: Vec<BTreeMap<&'static str, u32>> = vec![BTreeMap::new(); n];
    let mut source = vec![0u32; n];
    let mut tests = vec![0u32; n];
    let mut lines = vec![0u32; n];
    for f in project.files.iter().filter(|f| f.analysed) {
        let c = f.component.0 as usize;
        lines[c] += f.line_count;
        if f.lang.is_code() {
            match f.role {
                FileRole::Source => {
                    source[c] += 1;
                    *lines_by_lang[c].entry(f.lang.name()).or_default() += f.line_count;
                }
                FileRole::Test => tests[c] += 1,
                _ => {}
            }
        }
    }
    let mut serves = vec![false; n];
    let comp = |span: shipready_model::Span| project.file(span.file).component.0 as usize;
    let prod = |span: shipready_model::Span| project.file(span.file).role == FileRole::Source;
    for r in project.facts.routes.iter().filter(|r| prod(r.span)) {
        serves[comp(r.span)] = true;
    }
    for s in project.facts.server_starts.iter().filter(|s| prod(s.span)) {
        serves[comp(s.span)] = true;
    }
    let mut worker = vec![false; n];
    for j in project.facts.scheduled_jobs.iter().filter(|j| prod(j.span)) {
        worker[comp(j.span)] = true;
    }
    let mut frontend = vec![false; n];
    for d in project
        .facts
        .dependencies
        .iter()
        .filter(|d| !d.dev && d.ecosystem == "npm")
    {
        if FRONTEND_DEPS.contains(&d.name.as_str()) {
            frontend[comp(d.span)] = true;
        }
    }
    for (i, c) in project.components.iter_mut().enumerate() {
        c.source_files = source[i];
        c.test_files = tests[i];
        c.lines = lines[i];
        c.has_frontend = frontend[i];
        c.language = lines_by_lang[i]
            .iter()
            .max_by_key(|(_, l)| **l)
            .map(|(name, _)| *name);
        c.kind = if serves[i] {
            ComponentKind::Service
        } else if frontend[i] {
            ComponentKind::Frontend
        } else if worker[i] {
            ComponentKind::Worker
        } else {
            ComponentKind::Library
        };
    }
    deploy_link::link(project);
}

#[cfg(test)]
mod tests {
    use super::is_under;

    #[test]
    fn under() {
        assert!(is_under("apps/api/src", "apps/api"));
        assert!(!is_under("apps/api2/src", "apps/api"));
        assert!(is_under("x", ""));
    }
}
