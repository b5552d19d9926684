//! The benchmark report: the targets of issue #6 with what was measured,
//! the floor, and the criterion benches, as Markdown.

use super::floor::Floor;
use std::fmt::Write;
use std::path::Path;
use std::time::Duration;

#[derive(Default)]
pub struct Results {
    pub objects: u64,
    pub events: u64,
    pub start: Duration,
    /// Steps of the start, ms after the process was spawned.
    pub steps: Vec<(String, f64)>,
    /// Time the UI loop itself spent (applying changes, drawing) until synced.
    pub loop_work_ms: u64,
    pub floor: Option<Floor>,
    pub rss_synced_kib: u64,
    pub rss_idle_kib: u64,
    pub rss_load_kib: u64,
    pub idle: Duration,
    pub idle_cpu: Duration,
    pub idle_frames: u64,
    /// Of those, the frames that left the screen as it was.
    pub idle_frames_unchanged: u64,
    pub rate: u32,
    pub sent: u64,
    pub failed: u64,
    /// Nanoseconds, one per marked update a frame showed.
    pub write_to_frame: Vec<u64>,
    pub event_to_frame: Vec<u64>,
    /// (bench, objects, mean ns).
    pub criterion: Vec<(String, u64, f64)>,
    /// The start with several contexts on the same lab.
    pub fleet: Vec<super::fleet::Run>,
}

/// The `p`th percentile (0–100) of `ns`, in milliseconds.
pub fn percentile_ms(ns: &[u64], p: f64) -> Option<f64> {
    let mut sorted = ns.to_vec();
    sorted.sort_unstable();
    let last = sorted.len().checked_sub(1)?;
    let at = ((p / 100.0) * last as f64).round() as usize;
    Some(sorted[at.min(last)] as f64 / 1e6)
}

/// What criterion measured: `<dir>/model/<bench>/<n>/new/estimates.json`.
pub fn criterion(dir: &Path) -> Vec<(String, u64, f64)> {
    let mut out = Vec::new();
    let Ok(benches) = std::fs::read_dir(dir.join("model")) else {
        return out;
    };
    for bench in benches.flatten() {
        let name = bench.file_name().to_string_lossy().to_string();
        let Ok(sizes) = std::fs::read_dir(bench.path()) else {
            continue;
        };
        for size in sizes.flatten() {
            let Ok(n) = size.file_name().to_string_lossy().parse::<u64>() else {
                continue;
            };
            let file = size.path().join("new/estimates.json");
            let mean = std::fs::read_to_string(file)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .and_then(|v| v["mean"]["point_estimate"].as_f64());
            if let Some(ns) = mean {
                out.push((name.clone(), n, ns));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
    out
}

/// The machine, from /proc.
pub fn machine() -> String {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpu = read("/proc/cpuinfo")
        .lines()
        .find_map(|l| {
            l.strip_prefix("model name")
                .map(|r| r.trim_start_matches([' ', '\t', ':']).to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let mem_gib = read("/proc/meminfo")
        .lines()
        .find_map(|l| l.strip_prefix("MemTotal:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    let kernel = read("/proc/sys/kernel/osrelease");
    format!(
        "{cpu}, {cores} cores, {mem_gib:.0} GiB, Linux {}",
        kernel.trim()
    )
}

fn verdict(met: bool) -> &'static str {
    if met {
        "met"
    } else {
        "**missed**"
    }
}

fn mean_ms(r: &Results, bench: &str, n: u64) -> Option<f64> {
    r.criterion
        .iter()
        .find(|(b, size, _)| b == bench && *size == n)
        .map(|(_, _, ns)| ns / 1e6)
}

pub fn markdown(r: &Results, machine: &str) -> String {
    let mut md = String::new();
    let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    let floor = r.floor.as_ref().map_or(Duration::ZERO, |f| f.curl);
    let _ = writeln!(md, "# Benchmarks\n");
    let _ = writeln!(
        md,
        "Written by `fluxlab bench`, the last step of `make bench`, on {date}. Machine: {machine}."
    );
    let _ = writeln!(
        md,
        "The lab: kube-apiserver and etcd from `testenv/`, the Flux CRDs, {} Flux objects \
         and {} events in the model when synced. fluxdeck is the release build, run in a \
         pseudo terminal at 120x32.\n",
        r.objects, r.events
    );
    let _ = writeln!(md, "| What | Target | Measured | |\n|---|---|---|---|");
    let ratio = r.start.as_secs_f64() / floor.as_secs_f64().max(1e-9);
    let _ = writeln!(
        md,
        "| Start to a synced model (Events too), drawn | ≤ 1.3× the floor | {:.2} s = {ratio:.2}× curl ({:.2} s) | {} |",
        r.start.as_secs_f64(),
        floor.as_secs_f64(),
        verdict(ratio <= 1.3)
    );
    let mib = |kib: u64| kib as f64 / 1024.0;
    let _ = writeln!(
        md,
        "| RSS when synced | ≤ 48 MiB | {:.1} MiB (after idle {:.1}, after load {:.1}) | {} |",
        mib(r.rss_synced_kib),
        mib(r.rss_idle_kib),
        mib(r.rss_load_kib),
        verdict(mib(r.rss_synced_kib) <= 48.0)
    );
    let idle_share = 100.0 * r.idle_cpu.as_secs_f64() / r.idle.as_secs_f64().max(1e-9);
    let _ = writeln!(
        md,
        "| Idle {} s: frames drawn | 0 unless visible text changes | {} ({} that changed nothing on screen) | {} |",
        r.idle.as_secs(),
        r.idle_frames,
        r.idle_frames_unchanged,
        verdict(r.idle_frames_unchanged == 0)
    );
    let _ = writeln!(
        md,
        "| Idle {} s: CPU | < 0.1% of a core | {idle_share:.2}% ({} ms) | {} |",
        r.idle.as_secs(),
        r.idle_cpu.as_millis(),
        verdict(idle_share < 0.1)
    );
    changes(&mut md, r);
    let frames: Vec<Option<f64>> = [1_000, 10_000, 50_000]
        .iter()
        .map(|&n| mean_ms(r, "frame", n))
        .collect();
    if let [Some(f1), Some(f10), Some(f50)] = frames[..] {
        let _ = writeln!(
            md,
            "| A frame at 50k objects | ≤ 2 ms, flat from 1k | {f50:.3} ms (1k {f1:.3}, 10k {f10:.3}) | {} |",
            verdict(f50 <= 2.0 && f50 <= f1 * 1.5)
        );
    }
    for (bench, what) in [
        ("filter_2_keystrokes_all", "the All table"),
        ("filter_2_keystrokes_tree", "the Kustomizations tree"),
    ] {
        if let Some(two) = mean_ms(r, bench, 50_000) {
            let one = two / 2.0;
            let _ = writeln!(
                md,
                "| A filter keystroke at 50k objects, {what} | ≤ 5 ms | {one:.2} ms | {} |",
                verdict(one <= 5.0)
            );
        }
    }
    if let (Some(p50), Some(p99)) = (
        percentile_ms(&r.event_to_frame, 50.0),
        percentile_ms(&r.event_to_frame, 99.0),
    ) {
        let _ = writeln!(
            md,
            "| Watch event to frame under {}/s | p99 ≤ 50 ms | p50 {p50:.1} ms, p99 {p99:.1} ms | {} |",
            r.rate,
            verdict(p99 <= 50.0)
        );
    }
    let _ = writeln!(md);
    if let (Some(p50), Some(p99)) = (
        percentile_ms(&r.write_to_frame, 50.0),
        percentile_ms(&r.write_to_frame, 99.0),
    ) {
        let _ = writeln!(
            md,
            "Under load, {} marked status updates were sent ({} failed) and {} were seen drawn. \
             From the PATCH leaving the load generator to the frame that showed it (API server \
             and watch included): p50 {p50:.1} ms, p99 {p99:.1} ms. \"Watch event to frame\" \
             counts from the moment fluxdeck took the event from its watch channel.\n",
            r.sent,
            r.failed,
            r.write_to_frame.len()
        );
    }
    if !r.steps.is_empty() {
        let steps: Vec<String> = r
            .steps
            .iter()
            .map(|(s, ms)| format!("{s} {:.0} ms", ms))
            .collect();
        let _ = writeln!(
            md,
            "The start, from spawning the process: {}; synced and drawn at {:.0} ms. The UI \
             loop's own work (applying changes, drawing) until then: {} ms.\n",
            steps.join(", "),
            r.start.as_secs_f64() * 1e3,
            r.loop_work_ms
        );
    }
    if let Some(f) = &r.floor {
        let unselected = f.unselected_events.map_or(String::new(), |all| {
            format!(
                " For comparison, one unselected list of every Event in the cluster takes \
                 {:.2} s: the server scans its whole Event cache once per selected kind.",
                all.as_secs_f64()
            )
        });
        let _ = writeln!(
            md,
            "The floor: the {} lists fluxdeck makes at start (every served Flux kind, each \
             kind's Events selected by the server, the controller Deployments), all at once, \
             best of 3: curl {:.2} s, `kubectl get --raw` {:.2} s, {:.1} MB.{unselected}\n",
            f.lists,
            f.curl.as_secs_f64(),
            f.kubectl.as_secs_f64(),
            f.bytes as f64 / 1e6
        );
    }
    md.push_str(&super::fleet::markdown(&r.fleet));
    let _ = writeln!(
        md,
        "## Criterion (`cargo bench --bench model`), mean per iteration\n"
    );
    let _ = writeln!(
        md,
        "| Bench | 1k | 10k | 50k | 100k |\n|---|---|---|---|---|"
    );
    let mut names: Vec<&String> = r.criterion.iter().map(|(b, _, _)| b).collect();
    names.dedup();
    for name in names {
        let cell = |n| mean_ms(r, name, n).map_or("–".to_string(), |ms| format!("{ms:.3} ms"));
        let _ = writeln!(
            md,
            "| {name} | {} | {} | {} | {} |",
            cell(1_000),
            cell(10_000),
            cell(50_000),
            cell(100_000)
        );
    }
    md
}

/// Rows for the per-change targets, from the criterion benches at 50k and
/// 100k objects (each iteration applies one change and derives the rows).
fn changes(md: &mut String, r: &Results) {
    let worst = |benches: &[&str], n: u64| -> Option<(f64, String)> {
        let each = benches
            .iter()
            .map(|b| mean_ms(r, b, n).map(|ms| (ms, b.to_string())));
        each.collect::<Option<Vec<_>>>()?
            .into_iter()
            .max_by(|a, b| a.0.total_cmp(&b.0))
    };
    let structural = ["watch_event_new_object", "watch_event_reference_change"];
    if let (Some((w50, _)), Some((w100, which))) =
        (worst(&structural, 50_000), worst(&structural, 100_000))
    {
        let _ = writeln!(
            md,
            "| A new or deleted object, a changed reference, at 50k and 100k | ≤ 1 ms each | \
             worst {w50:.3} ms at 50k, {w100:.3} ms at 100k ({which}) | {} |",
            verdict(w50.max(w100) <= 1.0)
        );
    }
    let status = [
        "watch_event_to_rows",
        "watch_event_to_rows_tree_filtered",
        "watch_event_to_rows_all",
        "watch_event_to_rows_all_filtered",
    ];
    if let (Some((w1, _)), Some((w100, which))) = (worst(&status, 1_000), worst(&status, 100_000)) {
        let _ = writeln!(
            md,
            "| A status update at 100k, trees and All, filtered or not (Events: not benched) | \
             ≤ 0.5 ms, flat from 1k | worst {w100:.3} ms ({which}; 1k {w1:.3}) | {} |",
            verdict(w100 <= 0.5)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_from_the_sorted_samples() {
        let ns: Vec<u64> = (1..=100).rev().map(|i| i * 1_000_000).collect();
        assert_eq!(percentile_ms(&ns, 50.0), Some(51.0));
        assert_eq!(percentile_ms(&ns, 99.0), Some(99.0));
        assert_eq!(percentile_ms(&[], 99.0), None);
    }

    #[test]
    fn a_missed_target_is_marked() {
        let r = Results {
            start: Duration::from_secs(3),
            floor: Some(Floor {
                curl: Duration::from_secs(1),
                ..Floor::default()
            }),
            rss_synced_kib: 32 * 1024,
            idle: Duration::from_secs(60),
            ..Results::default()
        };
        let md = markdown(&r, "test machine");
        assert!(md.contains("3.00× curl"), "{md}");
        assert!(md.contains("| **missed** |"));
        assert!(md.contains("32.0 MiB"));
    }

    #[test]
    fn idle_frames_miss_only_when_one_changed_nothing() {
        let idle = |frames, unchanged| {
            let r = Results {
                idle: Duration::from_secs(60),
                idle_frames: frames,
                idle_frames_unchanged: unchanged,
                ..Results::default()
            };
            let md = markdown(&r, "test machine");
            let line = md
                .lines()
                .find(|l| l.contains("frames drawn"))
                .map(str::to_string);
            line.unwrap_or_default()
        };
        assert!(idle(1, 0).ends_with("| met |"), "{}", idle(1, 0));
        assert!(idle(2, 1).ends_with("| **missed** |"), "{}", idle(2, 1));
    }
}
