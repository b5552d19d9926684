//! Measurements for the end-to-end benchmark (`make bench`, `fluxlab
//! bench`), written only when FLUXDECK_PROBE names a file: one JSON line at
//! start, one per frame, one when every cluster's model is first synced and
//! drawn, and one per marked status update once a frame shows it. A status
//! update is marked when its Ready message reads `probe <seq> <sent unix ns>`.

use crate::app::App;
use crate::kube::live::LiveOptions;
use crate::model::store::Change;
use serde_json::json;
use std::io::Write;
use std::time::{SystemTime, UNIX_EPOCH};

pub struct Probe {
    out: std::io::BufWriter<std::fs::File>,
    frames: u64,
    synced: bool,
    /// Marked updates applied but not yet drawn: (seq, sent, received).
    pending: Vec<(u64, u128, u128)>,
    /// Time the loop spent applying changes and drawing, until synced.
    work: std::time::Duration,
    batches: u64,
    /// Feeds already reported as synced.
    synced_feeds: std::collections::BTreeSet<crate::model::store::Feed>,
    /// A hash of the last frame's screen: a frame that leaves it as it was
    /// is one the idle target forbids.
    last_screen: Option<u64>,
}

/// A hash of what a frame put on the screen (text and styles).
pub fn screen_hash(buffer: &ratatui::buffer::Buffer) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    buffer.hash(&mut h);
    h.finish()
}

fn unix_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// Resident memory of this process in KiB, from /proc (Linux; 0 elsewhere).
pub fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// The mark in a status message, if any: (seq, sent unix ns).
pub fn parse_mark(message: &str) -> Option<(u64, u128)> {
    let mut words = message.strip_prefix("probe ")?.split(' ');
    let seq = words.next()?.parse().ok()?;
    let sent = words.next()?.parse().ok()?;
    Some((seq, sent))
}

impl Probe {
    /// Only with the `test-hooks` feature (the lab's bench builds with it).
    pub fn from_env() -> Option<Probe> {
        if !cfg!(feature = "test-hooks") {
            return None;
        }
        let path = std::env::var_os("FLUXDECK_PROBE")?;
        let file = std::fs::File::create(path).ok()?;
        let mut probe = Probe {
            out: std::io::BufWriter::new(file),
            frames: 0,
            synced: false,
            pending: Vec::new(),
            work: std::time::Duration::ZERO,
            batches: 0,
            synced_feeds: Default::default(),
            last_screen: None,
        };
        probe.line(json!({"start_ns": unix_ns().to_string(), "pid": std::process::id()}));
        Some(probe)
    }

    fn line(&mut self, value: serde_json::Value) {
        let _ = writeln!(self.out, "{value}");
        let _ = self.out.flush();
    }

    /// A batch of changes arrived from the watches.
    pub fn received<'a>(&mut self, changes: impl Iterator<Item = &'a Change>) {
        let now = unix_ns();
        for change in changes {
            if let Change::Upsert(o) = change {
                let mark = o.condition("Ready").and_then(|c| parse_mark(&c.message));
                if let Some((seq, sent)) = mark {
                    self.pending.push((seq, sent, now));
                }
            }
        }
    }

    /// A step of the start (connected, watches started), with its time.
    pub fn step(&mut self, name: &str) {
        self.line(json!({"step": name, "at_ns": unix_ns().to_string()}));
    }

    /// Reports each feed the first time it is settled, for the timeline.
    pub fn feeds(&mut self, app: &App) {
        let now = unix_ns();
        let settled: Vec<_> = app
            .model()
            .feeds()
            .filter(|(f, s)| s.settled() && !self.synced_feeds.contains(f))
            .map(|(f, _)| *f)
            .collect();
        for feed in settled {
            self.synced_feeds.insert(feed);
            self.line(json!({"step": format!("{feed:?} listed"), "at_ns": now.to_string()}));
        }
    }

    /// The loop spent `took` on a batch of changes or a frame.
    pub fn worked(&mut self, took: std::time::Duration, batch: bool) {
        if !self.synced {
            self.work += took;
            self.batches += u64::from(batch);
        }
    }

    /// A frame was drawn (and flushed to the terminal); `screen` is its
    /// [`screen_hash`].
    pub fn drawn(&mut self, app: &App, screen: u64) {
        let now = unix_ns();
        self.frames += 1;
        let changed = self.last_screen != Some(screen);
        self.last_screen = Some(screen);
        self.line(json!({"frame": self.frames, "changed": changed, "at_ns": now.to_string()}));
        // Synced once every cluster watched is (one context: the focused one).
        let wanted = LiveOptions::default().feeds();
        if !self.synced && app.clusters.iter().all(|c| c.model.complete(&wanted)) {
            self.synced = true;
            let models = || app.clusters.iter().map(|c| &c.model);
            self.line(json!({
                "synced_ns": now.to_string(),
                "rss_kib": rss_kib(),
                "clusters": app.clusters.len(),
                "objects": models().map(|m| m.len()).sum::<usize>(),
                "events": models().map(|m| m.events.len()).sum::<usize>(),
                "loop_work_ms": self.work.as_millis() as u64,
                "batches": self.batches,
                "frames": self.frames,
            }));
        }
        for (seq, sent, received) in std::mem::take(&mut self.pending) {
            self.line(json!({
                "seq": seq,
                "sent_ns": sent.to_string(),
                "received_ns": received.to_string(),
                "drawn_ns": now.to_string(),
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{parse_mark, screen_hash};
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn a_screen_hash_changes_with_the_text_only() {
        let area = Rect::new(0, 0, 10, 1);
        let text = |t: &str| {
            let mut b = Buffer::empty(area);
            b.set_string(0, 0, t, ratatui::style::Style::default());
            screen_hash(&b)
        };
        assert_eq!(text("4m ago"), text("4m ago"));
        assert_ne!(text("4m ago"), text("5m ago"));
    }

    #[test]
    fn marks_are_read_from_messages_and_nothing_else() {
        assert_eq!(
            parse_mark("probe 7 1700000000000000000"),
            Some((7, 1_700_000_000_000_000_000))
        );
        assert_eq!(parse_mark("applied revision main@sha1:1"), None);
        assert_eq!(parse_mark("probe x 1"), None);
        assert_eq!(parse_mark("probe 1"), None);
    }
}
