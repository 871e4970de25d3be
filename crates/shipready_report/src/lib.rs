//! Renderers over one [`shipready_assess::Assessment`]: terminal and JSON. None of them
//! recomputes anything; they only format.
#![warn(missing_docs)]

pub mod json;
pub mod terminal;
