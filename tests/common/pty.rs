//! Runs fluxdeck in a real pseudo-terminal (util-linux `script`) and
//! watches the bytes it writes, so a test sees what a terminal would.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Pty {
    child: Child,
    stdin: Option<ChildStdin>,
    out: Arc<Mutex<Vec<u8>>>,
}

/// Polls `done` until it holds or `within` has passed.
pub fn poll(within: Duration, mut done: impl FnMut() -> bool) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    done()
}

impl Pty {
    /// `command` (a shell line) in a 100x30 pseudo-terminal.
    pub fn spawn(command: &str) -> Pty {
        // Without a terminal of its own, `script` opens a 0x0 one: size it.
        let sized = format!("stty cols 100 rows 30; {command}");
        let mut child = Command::new("script")
            .args(["-qec", &sized, "/dev/null"])
            .env("TERM", "xterm-256color")
            .env("COLUMNS", "100")
            .env("LINES", "30")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("util-linux `script` runs the dashboard in a pseudo-terminal");
        let mut stdout = child.stdout.take().expect("piped");
        let out = Arc::new(Mutex::new(Vec::new()));
        let sink = out.clone();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            while let Ok(n) = stdout.read(&mut buf) {
                if n == 0 {
                    break;
                }
                sink.lock().unwrap().extend_from_slice(&buf[..n]);
            }
        });
        let stdin = child.stdin.take();
        Pty { child, stdin, out }
    }

    pub fn output(&self) -> String {
        String::from_utf8_lossy(&self.out.lock().unwrap()).to_string()
    }

    pub fn wait_for(&self, needle: &str, within: Duration) -> bool {
        poll(within, || self.output().contains(needle))
    }

    pub fn send(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().expect("stdin is open");
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    /// The exit status, if it came within `within`.
    pub fn exited(&mut self, within: Duration) -> Option<ExitStatus> {
        let mut status = None;
        poll(within, || {
            status = self.child.try_wait().ok().flatten();
            status.is_some()
        });
        status
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
