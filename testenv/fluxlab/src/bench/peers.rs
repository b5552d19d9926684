//! `fluxlab bench-peers` (`make bench-peers`): fluxdeck and flux9s measured
//! the same way, from outside, on the same lab: each runs in a pseudo
//! terminal at 120x32 whose screen is read through a terminal emulator, and
//! its CPU and memory come from /proc. Runs alternate so neither gets a
//! warmer server. Writes its table into the Peers section of the report.

use super::floor;
use super::session::{cpu, rss_kib};
use crate::pty::Screen;
use anyhow::{Context, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A program measured, and how to read its object count off its screen.
pub struct Tool {
    pub name: String,
    pub program: PathBuf,
    pub args: Vec<String>,
    /// The number of Flux objects the screen says it holds.
    pub count: fn(&str) -> Option<usize>,
    /// Keys that bring the list every object is in to the front.
    pub list_keys: &'static [u8],
}

/// fluxdeck's header sums the objects per state: `✗6 ◐3 ‖2 ✓42`.
pub fn fluxdeck_count(screen: &str) -> Option<usize> {
    let header = screen.lines().next()?;
    let mut total = None;
    for word in header.split_whitespace() {
        let digits = word.trim_start_matches(['✗', '◐', '‖', '✓']);
        if digits.len() < word.len() {
            if let Ok(n) = digits.parse::<usize>() {
                *total.get_or_insert(0) += n;
            }
        }
    }
    total
}

/// flux9s prints `Total Resources: N` in its header box.
pub fn flux9s_count(screen: &str) -> Option<usize> {
    let at = screen.find("Total Resources:")? + "Total Resources:".len();
    let digits: String = screen[at..]
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

pub struct Options {
    pub kubeconfig: PathBuf,
    pub tools: Vec<Tool>,
    /// The generated objects in the lab: a start counts once the screen
    /// shows at least these many and its count has settled.
    pub scale: usize,
    pub runs: usize,
    pub idle: Duration,
    pub rate: u32,
    pub load: Duration,
    pub out: PathBuf,
}

#[derive(Default, Clone)]
pub struct Measured {
    pub starts: Vec<Duration>,
    pub count: usize,
    pub rss_kib: u64,
    pub idle_cpu: Duration,
    pub idle_bytes: u64,
    pub load_cpu: Duration,
    pub filter: Option<Duration>,
}

fn launch(tool: &Tool, kubeconfig: &Path, home: &Path) -> Result<Screen> {
    let mut cmd = Command::new(&tool.program);
    cmd.args(&tool.args)
        .arg("--kubeconfig")
        .arg(kubeconfig)
        // Neither reads a config or a history the other (or a person) left.
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_STATE_HOME", home.join(".state"))
        .env_remove("KUBECONFIG");
    Screen::spawn(cmd, 120, 32)
}

/// From spawn to the first frame showing the count the screen settles on
/// (unchanged for 3 s), which must cover the generated objects.
fn start(screen: &mut Screen, tool: &Tool, scale: usize) -> Result<(Duration, usize)> {
    let spawned = Instant::now();
    let (mut count, mut since) = (0, spawned);
    let deadline = spawned + Duration::from_secs(300);
    loop {
        let now = Instant::now();
        let seen = (tool.count)(&screen.text()).unwrap_or(0);
        if seen != count {
            (count, since) = (seen, now);
        } else if count >= scale && now - since >= Duration::from_secs(3) {
            return Ok((since - spawned, count));
        }
        anyhow::ensure!(
            now < deadline,
            "{} showed {count} objects after 300 s; the screen:\n{}",
            tool.name,
            screen.text()
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// From typing a filter to the screen showing only rows of the one object.
fn filter(screen: &mut Screen, tool: &Tool, scale: usize) -> Result<Duration> {
    screen.send(tool.list_keys)?;
    screen.send(b"/")?;
    std::thread::sleep(Duration::from_millis(500));
    // A name no other generated one contains at this scale.
    let name = format!("scale-{}", scale.saturating_sub(1).max(1));
    let typed = Instant::now();
    screen.send(name.as_bytes())?;
    let only = |t: &str| {
        let rows: Vec<&str> = t.lines().filter(|l| l.contains("scale-")).collect();
        // The name itself, not a longer one it begins.
        let wanted = |l: &&str| {
            l.match_indices(&name)
                .any(|(at, _)| !l[at + name.len()..].starts_with(|c: char| c.is_ascii_digit()))
        };
        // The prompt line shows what was typed; the rows must all be that object.
        rows.iter().filter(|l| wanted(l)).count() >= 2 && rows.iter().all(wanted)
    };
    let seen = screen.until(Duration::from_secs(30), only)?;
    Ok(seen - typed)
}

fn measure_one(opts: &Options, tool: &Tool, home: &Path, got: &mut Measured) -> Result<()> {
    let mut screen = launch(tool, &opts.kubeconfig, home)?;
    let (_, count) = start(&mut screen, tool, opts.scale)?;
    got.count = count;
    // Past the start: Events and the last pages settle before memory and idle.
    std::thread::sleep(Duration::from_secs(10));
    let pid = screen.pid();
    got.rss_kib = rss_kib(pid)?;
    let (cpu0, bytes0) = (cpu(pid)?, screen.written());
    std::thread::sleep(opts.idle);
    got.idle_cpu = cpu(pid)?.saturating_sub(cpu0);
    got.idle_bytes = screen.written() - bytes0;
    let client =
        tokio::runtime::Handle::current().block_on(crate::client_from(&opts.kubeconfig))?;
    let cpu0 = cpu(pid)?;
    let load = super::load::run(client, opts.scale, opts.rate, opts.load);
    tokio::runtime::Handle::current().block_on(load)?;
    got.load_cpu = cpu(pid)?.saturating_sub(cpu0);
    got.filter = match filter(&mut screen, tool, opts.scale) {
        Ok(took) => Some(took),
        Err(e) => {
            eprintln!("bench-peers: {}: filter not measured: {e:#}", tool.name);
            None
        }
    };
    Ok(())
}

/// Runs every measurement; blocking (call it from `spawn_blocking`).
pub fn run(opts: &Options) -> Result<Vec<Measured>> {
    let home = std::env::temp_dir().join(format!("fluxdeck-peers-{}", std::process::id()));
    let mut results = vec![Measured::default(); opts.tools.len()];
    for run in 1..=opts.runs {
        for (tool, got) in opts.tools.iter().zip(&mut results) {
            let _ = std::fs::remove_dir_all(&home);
            std::fs::create_dir_all(&home)?;
            let mut screen = launch(tool, &opts.kubeconfig, &home)?;
            let (took, count) = start(&mut screen, tool, opts.scale)
                .with_context(|| format!("{} run {run}", tool.name))?;
            eprintln!(
                "bench-peers: run {run}: {} showed {count} objects after {took:?}",
                tool.name
            );
            got.starts.push(took);
        }
    }
    for (tool, got) in opts.tools.iter().zip(&mut results) {
        eprintln!("bench-peers: {}: memory, idle, load and filter", tool.name);
        measure_one(opts, tool, &home, got)?;
    }
    let _ = std::fs::remove_dir_all(&home);
    Ok(results)
}

fn median(values: &[Duration]) -> Duration {
    let mut v = values.to_vec();
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

/// The Peers section: one column per tool, the ratio to fluxdeck last.
pub fn markdown(opts: &Options, results: &[Measured], floor: Option<Duration>) -> String {
    let mut md = String::new();
    let date = chrono::Utc::now().format("%Y-%m-%d %H:%M UTC");
    let _ = writeln!(md, "{BEGIN}\n## Peers\n");
    let _ = writeln!(
        md,
        "Written by `make bench-peers` on {date}: each program in a pseudo terminal at 120x32, its \
         screen read through a terminal emulator (vt100) every 5 ms, CPU and memory from /proc; \
         {} alternating starts each, the rest from one session each. The lab holds {} generated \
         objects.\n",
        opts.runs, opts.scale
    );
    let names: Vec<&str> = opts.tools.iter().map(|t| t.name.as_str()).collect();
    let _ = writeln!(md, "| What | {} | ratio |", names.join(" | "));
    let _ = writeln!(md, "|---|{}---|", "---|".repeat(names.len()));
    let idle = opts.idle.as_secs_f64();
    let load = opts.load.as_secs_f64();
    let rows: Vec<(String, Value, &str)> = vec![
        (
            "Every object counted on screen (median start)".into(),
            Box::new(|m| Some(median(&m.starts).as_secs_f64())),
            "s",
        ),
        (
            "Objects it counts".into(),
            Box::new(|m| Some(m.count as f64)),
            "",
        ),
        (
            "RSS 10 s after the start".into(),
            Box::new(|m| Some(m.rss_kib as f64 / 1024.0)),
            "MiB",
        ),
        (
            format!("Idle {idle:.0} s: CPU"),
            Box::new(move |m| Some(m.idle_cpu.as_secs_f64() / idle * 100.0)),
            "% of a core",
        ),
        (
            format!("Idle {idle:.0} s: bytes written to the terminal"),
            Box::new(|m| Some(m.idle_bytes as f64)),
            "B",
        ),
        (
            format!("{} status changes/s for {load:.0} s: CPU", opts.rate),
            Box::new(move |m| Some(m.load_cpu.as_secs_f64() / load)),
            "of a core",
        ),
        (
            "Filter typed to the screen showing only that object".into(),
            Box::new(|m| m.filter.map(|d| d.as_secs_f64() * 1000.0)),
            "ms",
        ),
    ];
    for (what, value, unit) in rows {
        let values: Vec<Option<f64>> = results.iter().map(&value).collect();
        let cells: Vec<String> = (values.iter())
            .map(|v| v.map_or("not measured".into(), |v| format!("{} {unit}", fmt(v))))
            .collect();
        let ratio = match (
            values.first().copied().flatten(),
            values.get(1).copied().flatten(),
        ) {
            (Some(a), Some(b)) if a > 0.0 => format!("{:.1}×", b / a),
            _ => "–".into(),
        };
        let _ = writeln!(md, "| {what} | {} | {ratio} |", cells.join(" | "));
    }
    if let Some(floor) = floor {
        let _ = writeln!(
            md,
            "\nThe floor: curl fetches every Flux object list in {:.2} s (best of 3); fluxdeck's \
             median start is {:.1}× that.",
            floor.as_secs_f64(),
            median(&results[0].starts).as_secs_f64() / floor.as_secs_f64().max(1e-9)
        );
    }
    let _ = writeln!(
        md,
        "\nThe ratio is the second program's value over fluxdeck's. What differs between them: \
         flux9s starts in the `flux-system` namespace (it is run with `-c \"ns all\"` to show every \
         namespace, as fluxdeck does by default), lists no Events at start (fluxdeck lists them \
         after the objects, so its start includes more work) and starts read-only; fluxdeck's \
         count is the sum of its header's states, flux9s's its `Total Resources`.\n{END}"
    );
    md
}

/// One row's value of a program's measurements, when it was measured.
type Value = Box<dyn Fn(&Measured) -> Option<f64>>;

fn fmt(v: f64) -> String {
    if v >= 100.0 || v == v.trunc() {
        format!("{v:.0}")
    } else {
        format!("{v:.2}")
    }
}

const BEGIN: &str = "<!-- peers: written by make bench-peers -->";
const END: &str = "<!-- /peers -->";

/// `report` with its Peers section replaced by `section` (or added).
pub fn with_section(report: &str, section: &str) -> String {
    let (before, after) = match (report.find(BEGIN), report.find(END)) {
        (Some(b), Some(e)) if e > b => (&report[..b], &report[e + END.len()..]),
        _ => (report, ""),
    };
    format!(
        "{}\n{section}{}",
        before.trim_end(),
        after.trim_end_matches('\n')
    ) + "\n"
}

/// The Peers section of `report`, if it has one (`make bench` keeps it).
pub fn section_of(report: &str) -> Option<&str> {
    let b = report.find(BEGIN)?;
    let e = report.find(END)? + END.len();
    (e > b).then(|| &report[b..e])
}

/// The curl floor of the object lists alone (no Events).
pub async fn object_floor(kubeconfig: &Path) -> Result<Duration> {
    let client = crate::client_from(kubeconfig).await?;
    let paths: Vec<String> = (floor::paths(&client).await?.into_iter())
        .filter(|p| p.starts_with("/apis/") && !p.contains("/deployments"))
        .collect();
    let kubeconfig = kubeconfig.to_path_buf();
    let f = tokio::task::spawn_blocking(move || floor::measure(&kubeconfig, &paths)).await??;
    Ok(f.curl)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_read_off_each_screen() {
        let fluxdeck =
            " fluxdeck lab │ Flux v2.8.0 7/7 ctrl │ ns:all │ ✗6 ◐3 ‖2 ✓42 │ lab\n 1 Sources ✗2";
        assert_eq!(fluxdeck_count(fluxdeck), Some(53));
        assert_eq!(fluxdeck_count(" fluxdeck lab │ connecting…"), None);
        let flux9s = "│Context: lab  Namespace: all\n│Total Resources: 10052      │";
        assert_eq!(flux9s_count(flux9s), Some(10052));
        assert_eq!(flux9s_count("│Context: lab"), None);
    }

    #[test]
    fn the_peers_section_is_replaced_in_place_and_kept() {
        let report = "# Benchmarks\n\ntable\n";
        let one = with_section(report, &format!("{BEGIN}\nfirst\n{END}"));
        assert!(one.contains("table") && one.contains("first"), "{one}");
        let two = with_section(&one, &format!("{BEGIN}\nsecond\n{END}"));
        assert!(!two.contains("first") && two.contains("second"), "{two}");
        assert_eq!(two.matches(BEGIN).count(), 1);
        assert_eq!(
            section_of(&two),
            Some(format!("{BEGIN}\nsecond\n{END}").as_str())
        );
    }
}
