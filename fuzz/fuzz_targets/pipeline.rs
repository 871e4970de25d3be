#![no_main]
//! The whole per-file pipeline: the first byte picks the path (and so the language and the
//! extractor branch), the rest is the file.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let paths = shipready_fuzz::PATHS;
    shipready_fuzz::extract(paths[usize::from(kind) % paths.len()], rest);
});
