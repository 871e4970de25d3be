//! Config extractors: manifests (package.json, requirements, pyproject, go.mod), Dockerfiles,
//! Kubernetes and compose YAML, `.env` files.

use shipready_model::Facts;

use crate::FileCtx;

/// Why a config file could not be analysed.
#[derive(Debug, Clone)]
pub struct ConfigError {
    /// Machine-readable reason (`parse-error`, `too-deep`).
    pub reason: &'static str,
    /// Detail.
    pub detail: String,
}

/// Extracts the facts of one non-code file.
pub fn extract(cx: &FileCtx<'_>, out: &mut Facts) -> Result<(), ConfigError> {
    let _ = (cx, out);
    Ok(())
}
