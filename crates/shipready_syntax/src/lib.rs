//! Parsers. Tree-sitter for TypeScript/TSX/JavaScript/JSX, Python and Go ([`code`]);
//! span-keeping parsers for YAML, JSON and TOML into one tree shape ([`config`]); Dockerfile
//! instructions ([`dockerfile`]) and `.env` files ([`dotenv`]).
//!
//! Every parser here is total: bad input yields what can be recovered plus a note, or an
//! error value, never a panic, and no parser recurses on input depth without a bound.
#![warn(missing_docs)]

pub mod code;
pub mod config;
pub mod dockerfile;
pub mod dotenv;
