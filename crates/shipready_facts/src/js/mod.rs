//! js extractor.

use shipready_model::Facts;
use tree_sitter::Tree;

use crate::FileCtx;

/// Extracts the facts of one file.
pub fn extract(cx: &FileCtx<'_>, tree: &Tree, out: &mut Facts) {
    let _ = (cx, tree, out);
}

/// Adjusts JS facts once the whole project is known (framework versions from manifests).
pub fn postprocess(project: &mut shipready_model::Project) {
    let _ = project;
}
