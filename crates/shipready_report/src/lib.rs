//! Renderers over one [`shipready_assess::Assessment`]: terminal, JSON, Markdown, HTML, and the
//! remediation plan. None of them recomputes anything; they only format.
#![warn(missing_docs)]

mod common;
pub mod html;
pub mod json;
pub mod markdown;
pub mod plan;
pub mod sarif;
pub mod terminal;

pub use common::today_utc;
