//! A panic restores the terminal (alternate screen left, cursor shown), prints
//! one readable report and exits non-zero — checked in a real pseudo-terminal
//! (util-linux `script`), on the demo fleet.

use std::process::Command;

#[test]
fn a_panic_restores_the_terminal_and_reports_once() {
    let bin = env!("CARGO_BIN_EXE_fluxdeck");
    let out = Command::new("script")
        .args(["-qec", &format!("{bin} --demo"), "/dev/null"])
        .env("FLUXDECK_SELF_TEST_PANIC", "1")
        .env("TERM", "xterm-256color")
        .env("COLUMNS", "100")
        .env("LINES", "30")
        .output()
        .expect("util-linux `script` runs the dashboard in a pseudo-terminal");
    let bytes = String::from_utf8_lossy(&out.stdout);
    assert_ne!(out.status.code(), Some(0), "a crash must not exit 0");
    let entered = bytes
        .find("\u{1b}[?1049h")
        .expect("the dashboard entered the alternate screen");
    let left = bytes
        .rfind("\u{1b}[?1049l")
        .expect("the alternate screen was left");
    // The first show after entering counts (the terminal's drop while the
    // panic unwinds may show it once more, after the report).
    let shown = entered
        + bytes[entered..]
            .find("\u{1b}[?25h")
            .expect("the cursor was shown again");
    let report = bytes
        .find("fluxdeck crashed: self-test panic")
        .expect("one readable report");
    assert!(
        entered < left && left < report && shown < report,
        "restore happens before the report"
    );
    assert_eq!(bytes.matches("fluxdeck crashed").count(), 1);
    assert!(
        !bytes.contains("panicked at"),
        "no raw panic message: {bytes:?}"
    );
}
