#![no_main]
//! The .env parser and the secrets scan over it (through the scan's per-file entry).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = shipready_fuzz::text(data) {
        let _ = shipready_syntax::dotenv::parse(text);
        shipready_fuzz::extract(".env.production", data);
    }
});
