#![no_main]
//! The Dockerfile parser and its extractor (through the scan's per-file entry).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = shipready_fuzz::text(data) {
        let _ = shipready_syntax::dockerfile::parse(text);
        shipready_fuzz::extract("api/Dockerfile", data);
    }
});
