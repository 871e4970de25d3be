#![no_main]
//! Tree-sitter Python and its extractor, through the scan's per-file entry (parse within
//! the time budget, extract, test scan, secrets).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    shipready_fuzz::extract("app/main.py", data);
});
