//! Fuzzes the sanitizer on raw bytes (read as lossy UTF-8, as a message
//! from the cluster would arrive): the output never holds a character that
//! acts on a terminal or draws as nothing, and cutting it to a width keeps
//! within that width.
#![no_main]

#[path = "../../tests/common/screen.rs"]
mod screen;

use fluxdeck::text::{sanitize, truncate, width};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let clean = sanitize(&text);
    if let Some(bad) = screen::first_forbidden(&clean) {
        panic!("sanitize let through {bad}");
    }
    let max = data.first().map_or(0, |&b| usize::from(b % 64));
    let cut = truncate(&clean, max);
    assert!(width(&cut) <= max, "{cut:?} is wider than {max}");
});
