//! SIGTERM, SIGINT, SIGHUP and SIGQUIT end the dashboard promptly with the
//! terminal restored (alternate screen left, cursor shown, mouse reporting
//! off) and the shell's code for a signal, 128 + its number; checked in a
//! real pseudo-terminal on the demo fleet.

#[path = "common/pty.rs"]
mod pty;

use pty::Pty;
use std::time::Duration;

fn stopped_by(signal: i32) {
    let dir = std::env::temp_dir().join(format!("fluxdeck-signal-{}-{signal}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pidfile = dir.join("pid");
    let bin = env!("CARGO_BIN_EXE_fluxdeck");
    // The shell writes its pid and becomes fluxdeck: the signal goes to it.
    let mut term = Pty::spawn(&format!(
        "sh -c 'echo $$ > {}; exec {bin} --demo'",
        pidfile.display()
    ));
    assert!(
        term.wait_for("\u{1b}[?1049h", Duration::from_secs(20)),
        "the dashboard started: {:?}",
        term.output()
    );
    let mut pid = None;
    pty::poll(Duration::from_secs(5), || {
        pid = std::fs::read_to_string(&pidfile)
            .ok()
            .and_then(|s| s.trim().parse::<i32>().ok());
        pid.is_some()
    });
    let pid = pid.expect("the pid was written");
    // SAFETY: kill(2) on a process this test started.
    assert_eq!(unsafe { libc::kill(pid, signal) }, 0);
    let status = term
        .exited(Duration::from_secs(5))
        .unwrap_or_else(|| panic!("signal {signal}: still running after 5s"));
    assert_eq!(status.code(), Some(128 + signal), "signal {signal}");
    let bytes = term.output();
    let entered = bytes.find("\u{1b}[?1049h").unwrap();
    let after = &bytes[entered..];
    for (what, seq) in [
        ("the alternate screen left", "\u{1b}[?1049l"),
        ("the cursor shown", "\u{1b}[?25h"),
        ("mouse reporting off", "\u{1b}[?1000l"),
    ] {
        assert!(after.contains(seq), "signal {signal}: {what}: {after:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn sigterm_restores_the_terminal() {
    stopped_by(libc::SIGTERM);
}

#[test]
fn sigint_restores_the_terminal() {
    stopped_by(libc::SIGINT);
}

#[test]
fn sighup_restores_the_terminal() {
    stopped_by(libc::SIGHUP);
}

#[test]
fn sigquit_restores_the_terminal() {
    stopped_by(libc::SIGQUIT);
}
