//! Asset path normalization: whatever path a page requests (percent-encoded,
//! with `..`, backslashes, NUL, drive letters), the result stays inside the
//! root (the entry point asserts it).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| {
    let _ = portcullis::fuzz::asset_path(path);
});
