#![no_main]
//! Prisma schemas (read by the config extractor, through the scan's per-file entry).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    shipready_fuzz::extract("prisma/schema.prisma", data);
});
