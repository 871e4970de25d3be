//! Credential-looking literals in any text file.

use shipready_model::Facts;

use crate::FileCtx;

/// Scans one file for key formats and secret assignments.
pub fn scan(cx: &FileCtx<'_>, out: &mut Facts) {
    let _ = (cx, out);
}
