//! One fluxdeck session for the benchmark: the real binary in a pseudo
//! terminal (util-linux `script`) at 120x32, with FLUXDECK_PROBE set; its
//! probe lines are read back as they come.

use anyhow::{bail, Context, Result};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub struct Session {
    child: Child,
    probe: PathBuf,
    /// When the process was spawned, unix ns.
    pub spawned_ns: u128,
    pid: Option<u32>,
}

pub fn unix_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// A number the probe wrote (large ones are strings, JSON numbers are f64).
pub fn num(v: &Value) -> Option<u128> {
    v.as_str()
        .and_then(|s| s.parse().ok())
        .or_else(|| v.as_u64().map(u128::from))
}

impl Session {
    /// fluxdeck on `kubeconfig` with `args` besides (plain flags, no quoting).
    pub fn start(fluxdeck: &Path, kubeconfig: &Path, args: &[&str], dir: &Path) -> Result<Session> {
        let probe = dir.join("probe.jsonl");
        let _ = std::fs::remove_file(&probe);
        let inner = format!(
            "stty cols 120 rows 32; exec '{}' --kubeconfig '{}' {}",
            fluxdeck.display(),
            kubeconfig.display(),
            args.join(" ")
        );
        let spawned_ns = unix_ns();
        let child = Command::new("script")
            .args(["-qfec", &inner, "/dev/null"])
            .env("FLUXDECK_PROBE", &probe)
            .env("TERM", "xterm-256color")
            // Kept open and never written: the session sees no keys.
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .context("starting fluxdeck under util-linux `script`")?;
        Ok(Session {
            child,
            probe,
            spawned_ns,
            pid: None,
        })
    }

    /// Every probe line so far.
    pub fn lines(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.probe)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    }

    /// Waits for the first probe line that has `field`.
    pub fn wait_for(&mut self, field: &str, limit: Duration) -> Result<Value> {
        let deadline = Instant::now() + limit;
        loop {
            let lines = self.lines();
            if self.pid.is_none() {
                self.pid = lines
                    .iter()
                    .find_map(|l| l["pid"].as_u64())
                    .map(|p| p as u32);
            }
            if let Some(found) = lines.into_iter().find(|l| !l[field].is_null()) {
                return Ok(found);
            }
            if let Some(status) = self.child.try_wait()? {
                bail!("fluxdeck exited ({status}) before reporting {field}");
            }
            if Instant::now() > deadline {
                bail!("fluxdeck did not report {field} within {limit:?}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// CPU time used by fluxdeck so far (user + system), from /proc.
    pub fn cpu(&self) -> Result<Duration> {
        cpu(self.pid.context("fluxdeck's pid is not known yet")?)
    }

    /// Resident memory of fluxdeck now, in KiB.
    pub fn rss_kib(&self) -> Result<u64> {
        rss_kib(self.pid.context("fluxdeck's pid is not known yet")?)
    }
}

/// CPU time a process used so far (user + system), from /proc.
pub fn cpu(pid: u32) -> Result<Duration> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name, which is in parentheses.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks: u64 = fields[11].parse::<u64>()? + fields[12].parse::<u64>()?;
    // USER_HZ is 100 on Linux.
    Ok(Duration::from_millis(ticks * 10))
}

/// Resident memory of a process now, in KiB.
pub fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .context("no VmRSS")
}

impl Drop for Session {
    fn drop(&mut self) {
        if let Some(pid) = self.pid {
            let _ = Command::new("kill").arg(pid.to_string()).status();
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
