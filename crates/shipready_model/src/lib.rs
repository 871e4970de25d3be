//! The project model: everything the rules may read.
//!
//! Extractors (`shipready_facts`) fill a [`Project`] with language-neutral facts; rules
//! (`shipready_rules`) read it and emit [`Finding`]s. Nothing here knows syntax, files on disk,
//! or output formats. Positions are [`Span`]s (file + byte range); line and column are computed
//! only when a finding is rendered, through each file's [`LineIndex`].
#![warn(missing_docs)]

mod component;
mod facts;
mod finding;
mod project;
mod span;

pub use component::*;
pub use facts::*;
pub use finding::*;
pub use project::*;
pub use span::*;
