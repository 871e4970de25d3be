//! `[components]` from the configuration, applied to the project model before the rules run:
//! rename a component, set its kind, or declare a folder no manifest marks as its own unit.

use std::collections::BTreeMap;

use shipready_config::ComponentOverride;
use shipready_model::{ComponentId, Project};

fn parent_dir(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// Whether folder `dir` is `root` or below it.
fn is_under(dir: &str, root: &str) -> bool {
    root.is_empty()
        || dir == root
        || (dir.starts_with(root) && dir.as_bytes().get(root.len()) == Some(&b'/'))
}

/// Applies the overrides; returns warnings (folders that hold no file) or an error (two
/// components with one name).
pub fn apply(
    project: &mut Project,
    overrides: &[ComponentOverride],
) -> Result<Vec<String>, String> {
    let mut warnings = Vec::new();
    if overrides.is_empty() || project.components.is_empty() {
        return Ok(warnings);
    }
    // New components for folders that are not yet component roots.
    for o in overrides {
        if project.components.iter().any(|c| c.root == o.path) {
            continue;
        }
        let holds_files = project
            .files
            .iter()
            .any(|f| is_under(parent_dir(&f.path), &o.path));
        if !holds_files {
            warnings.push(format!(
                "component `{}`: no file read under `{}` (line {} of the configuration)",
                o.name, o.path, o.line
            ));
            continue;
        }
        let mut c = project.components[0].clone();
        c.id = ComponentId(project.components.len() as u32);
        c.root.clone_from(&o.path);
        c.name.clone_from(&o.path);
        c.manifests = Vec::new();
        c.manifest_files = Vec::new();
        c.language = None;
        project.components.push(c);
    }
    // Files move to a new component when it is deeper than the one that holds them.
    let roots: Vec<String> = project.components.iter().map(|c| c.root.clone()).collect();
    for f in &mut project.files {
        let dir = parent_dir(&f.path);
        let current = roots.get(f.component.0 as usize).map_or("", String::as_str);
        if let Some((i, _)) = roots
            .iter()
            .enumerate()
            .filter(|(_, r)| is_under(dir, r) && r.len() > current.len() && is_under(r, current))
            .max_by_key(|(_, r)| r.len())
        {
            f.component = ComponentId(i as u32);
        }
    }
    // Keep `components` sorted by root with `components[i].id == i`.
    let mut order: Vec<usize> = (0..project.components.len()).collect();
    order.sort_by(|a, b| {
        project.components[*a]
            .root
            .cmp(&project.components[*b].root)
    });
    let remap: BTreeMap<u32, u32> = order
        .iter()
        .enumerate()
        .map(|(new, old)| (*old as u32, new as u32))
        .collect();
    let mut sorted: Vec<_> = order
        .iter()
        .map(|i| project.components[*i].clone())
        .collect();
    for (i, c) in sorted.iter_mut().enumerate() {
        c.id = ComponentId(i as u32);
    }
    project.components = sorted;
    for f in &mut project.files {
        f.component = ComponentId(remap.get(&f.component.0).copied().unwrap_or(0));
    }
    shipready_facts::components::classify(project);
    // Names and kinds last: classify recomputes kinds from facts.
    for o in overrides {
        if let Some(c) = project.components.iter_mut().find(|c| c.root == o.path) {
            c.name.clone_from(&o.name);
            if let Some(kind) = o.kind {
                c.kind = kind;
            }
        }
    }
    let mut names: Vec<&str> = project.components.iter().map(|c| c.name.as_str()).collect();
    names.sort_unstable();
    if let Some(name) = names.windows(2).find_map(|w| match w {
        [a, b] if a == b => Some(*a),
        _ => None,
    }) {
        return Err(format!(
            "two components are named `{name}`: give each override its own name"
        ));
    }
    Ok(warnings)
}
