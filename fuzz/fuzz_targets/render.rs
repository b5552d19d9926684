//! Fuzzes projection and rendering together: an object built from the
//! input (its bytes in every shown field, or the input itself when it is
//! JSON) is projected, drawn as a row, a detail overlay and an event into a
//! TestBackend, and no cell of those screens may hold a character that acts
//! on a terminal or draws as nothing.
#![no_main]

#[path = "../../tests/common/screen.rs"]
mod screen;

use fluxdeck::model::kind::Kind;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else {
        return;
    };
    let kind = Kind::ALL[usize::from(which) % Kind::ALL.len()];
    let raw = match serde_json::from_slice::<serde_json::Value>(rest) {
        Ok(v) if v.is_object() => v,
        _ => screen::object_from(&String::from_utf8_lossy(rest)),
    };
    for s in screen::screens(kind, &raw) {
        if let Some(bad) = screen::first_forbidden(&s) {
            panic!("reached the screen: {bad}");
        }
    }
});
