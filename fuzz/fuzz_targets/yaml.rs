#![no_main]
//! The yaml parser (`shipready_syntax::config::parse_yaml`), read through every accessor.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = shipready_fuzz::text(data) {
        shipready_fuzz::read_doc(&shipready_syntax::config::parse_yaml(text));
    }
});
