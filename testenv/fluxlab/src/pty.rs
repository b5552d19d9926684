//! A program in a pseudo terminal of a given size, its output fed to a
//! terminal emulator (vt100), so a test or a benchmark reads the screen as
//! a person sees it, the same way for every program measured.

use anyhow::{bail, Context, Result};
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Screen {
    child: Child,
    parser: Arc<Mutex<vt100::Parser>>,
    written: Arc<AtomicU64>,
    input: File,
}

/// The answer to a cursor position query (`ESC [ 6 n`): some programs ask
/// at start and wait for it.
const CURSOR_QUERY: &[u8] = b"\x1b[6n";

fn openpty(cols: u16, rows: u16) -> Result<(OwnedFd, OwnedFd)> {
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: rows,
        ws_col: cols,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two descriptors it opened; null name and termios.
    let rc = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    if rc != 0 {
        bail!("openpty: {}", std::io::Error::last_os_error());
    }
    // SAFETY: both descriptors are open and owned by nothing else.
    Ok(unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) })
}

impl Screen {
    /// Starts `command` on a terminal of `cols` x `rows` (TERM=xterm-256color).
    pub fn spawn(mut command: Command, cols: u16, rows: u16) -> Result<Screen> {
        let (master, slave) = openpty(cols, rows)?;
        command
            .env("TERM", "xterm-256color")
            .stdin(Stdio::from(slave.try_clone()?))
            .stdout(Stdio::from(slave.try_clone()?))
            .stderr(Stdio::from(slave));
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            command.pre_exec(|| {
                // A session of its own with the pty as its controlling terminal.
                if libc::setsid() < 0 || libc::ioctl(0, libc::TIOCSCTTY, 0) < 0 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command.spawn().context("starting the program in a pty")?;
        let nonzero =
            |n: u16| std::num::NonZeroU16::new(n).context("a terminal needs rows and columns");
        let parser = vt100::Parser::new(nonzero(rows)?, nonzero(cols)?, 0);
        let parser = Arc::new(Mutex::new(parser));
        let written = Arc::new(AtomicU64::new(0));
        let input = File::from(master.try_clone()?);
        let mut answer = File::from(master.try_clone()?);
        let mut output = File::from(master);
        let (p, w) = (parser.clone(), written.clone());
        std::thread::spawn(move || {
            let mut buf = vec![0u8; 64 * 1024];
            // Ends with EIO once the program and its children are gone.
            while let Ok(n) = output.read(&mut buf) {
                if n == 0 {
                    break;
                }
                let chunk = &buf[..n];
                w.fetch_add(n as u64, Ordering::Relaxed);
                if chunk.windows(CURSOR_QUERY.len()).any(|x| x == CURSOR_QUERY) {
                    let _ = answer.write_all(b"\x1b[1;1R");
                }
                p.lock().unwrap().process(chunk);
            }
        });
        Ok(Screen {
            child,
            parser,
            written,
            input,
        })
    }

    /// The screen's text now, rows joined by newlines.
    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// Bytes the program has written to the terminal so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Types `keys` as a person would.
    pub fn send(&mut self, keys: &[u8]) -> Result<()> {
        self.input.write_all(keys)?;
        Ok(())
    }

    /// Polls the screen every 5 ms until `done` holds; when it first did.
    pub fn until(&mut self, limit: Duration, done: impl Fn(&str) -> bool) -> Result<Instant> {
        let deadline = Instant::now() + limit;
        loop {
            if done(&self.text()) {
                return Ok(Instant::now());
            }
            if let Some(status) = self.child.try_wait()? {
                bail!(
                    "the program exited ({status}); its screen:\n{}",
                    self.text()
                );
            }
            if Instant::now() > deadline {
                bail!(
                    "not on screen within {limit:?}; the screen:\n{}",
                    self.text()
                );
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_screen_shows_what_the_program_drew_at_the_size_given() {
        let mut cmd = Command::new("sh");
        // Clear, move to row 3 col 5, print; then report the size stty sees.
        cmd.args([
            "-c",
            "printf '\\033[2J\\033[3;5Hhello\\n'; stty size; sleep 5",
        ]);
        let mut screen = Screen::spawn(cmd, 40, 10).unwrap();
        screen
            .until(Duration::from_secs(5), |t| t.contains("10 40"))
            .unwrap();
        let text = screen.text();
        let row: Vec<&str> = text.lines().collect();
        assert_eq!(row[2], "    hello", "{text}");
        assert!(screen.written() > 0);
    }
}
