//! Extractors: syntax to language-neutral facts, and the builder of the project model.
//!
//! [`build_project`] reads the walked files in parallel, parses each once, runs the extractor
//! for its language, then links facts across files ([`link`]: imports, mount prefixes,
//! middleware chains) and groups files into components ([`components`]). Rules never see
//! syntax: everything they need becomes a fact here, tested by the fixtures under
//! `tests/fixtures/<lang>/<case>/`.
#![warn(missing_docs)]

pub mod cache;
pub mod clients;
pub mod components;
pub mod config;
pub mod context;
pub mod envdecl;
pub mod go;
pub mod js;
pub mod link;
mod pipeline;
pub mod python;
pub mod roles;
pub mod secrets;
mod taint;
pub mod testing;
mod testscan;
mod vocab;
mod worker_cmds;
mod xhandlers;

pub use context::FileCtx;
pub use pipeline::{BuildOptions, build_project, extract_text};
