//! `cargo xtask bench-vs-tauri [--rounds N] [--no-memory] [--startup-only]`:
//! Portcullis and Tauri side by side on one page (`benches/vs-tauri/`).
//!
//! Builds both twins in release (the Tauri one in its own workspace and
//! target dir, `target/vs-tauri`), then runs them alternating: each round
//! runs both frameworks without isolation and with it, the order of the
//! frameworks swapping every round. Each run is a fresh process; the page
//! times every row in the fresh page, makes 10,000 small calls, and times
//! them again. Spawn → first reply is timed here, from `spawn` to the line
//! the page's second call prints. With memory on (the default), each
//! framework then makes 100,000 sequential small calls and both of its
//! processes' RSS is read here every 10,000.
//!
//! The table: per row, the median over rounds of each side's per-round
//! median, their ratio (Portcullis / Tauri, lower is better) and the range
//! of the per-round ratios.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{SYSTEM_PACKAGES, cargo, ensure_packages, program_with_display, workspace_root};

/// Set on the re-run of this task under Xvfb, so that it does not recurse.
const UNDER_XVFB: &str = "PORTCULLIS_VS_TAURI_XVFB";
/// How long one run may take before it is killed and reported.
const RUN_TIMEOUT: Duration = Duration::from_secs(600);

/// Targets from the issue (Portcullis / Tauri).
const BROWNFIELD_TARGET: f64 = 0.8;
const ISOLATION_TARGET: f64 = 0.5;
const STARTUP_TARGET: f64 = 0.8;

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Framework {
    Portcullis,
    Tauri,
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Mode {
    Brownfield,
    Isolation,
}

/// What one run of one twin reported.
struct Run {
    startup_ms: f64,
    /// Where spawn → first reply went, in ms, from the page's stamps.
    startup_parts: Vec<(&'static str, f64)>,
    /// (phase, row, µs per call), in the page's order.
    rows: Vec<(String, String, f64)>,
    /// (calls so far, core MiB, web MiB), memory runs only.
    memory: Vec<(u64, f64, f64)>,
}

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut rounds = 5usize;
    let mut memory = true;
    let mut task = "rows";
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--rounds" => {
                rounds = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .ok_or("--rounds needs a positive number")?;
            }
            "--no-memory" => memory = false,
            "--startup-only" => {
                task = "startup";
                memory = false;
            }
            other => return Err(format!("unknown argument `{other}`")),
        }
    }
    if std::env::var_os(UNDER_XVFB).is_none() {
        ensure_packages(SYSTEM_PACKAGES)?;
        build()?;
        if std::env::var_os("DISPLAY").is_none_or(|d| d.is_empty()) {
            // One X server for every run: the twins are spawned directly by
            // this process, so spawn → first reply times only the app.
            let me = std::env::current_exe().map_err(|e| e.to_string())?;
            let mut args: Vec<String> = vec!["bench-vs-tauri".into(), "--rounds".into()];
            args.push(rounds.to_string());
            if !memory {
                args.push("--no-memory".into());
            }
            if task == "startup" {
                args.push("--startup-only".into());
            }
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            let mut command = program_with_display(&me.to_string_lossy(), &args);
            command.env(UNDER_XVFB, "1");
            return crate::run(&mut command);
        }
    }
    measure(rounds, memory, task)
}

fn build() -> Result<(), String> {
    let root = workspace_root();
    cargo(&["build", "--release", "-p", "vs-tauri-portcullis"])?;
    let manifest = root.join("benches/vs-tauri/tauri/Cargo.toml");
    let target = root.join("target/vs-tauri");
    // One cargo run per app: built together, cargo would give both the
    // features of either (see benches/vs-tauri/tauri/Cargo.toml).
    for app in ["tauri-brownfield", "tauri-isolation"] {
        cargo(&[
            "build",
            "--release",
            "--locked",
            "--manifest-path",
            &manifest.to_string_lossy(),
            "--target-dir",
            &target.to_string_lossy(),
            "-p",
            app,
        ])?;
    }
    Ok(())
}

fn binary(framework: Framework, mode: Mode) -> (PathBuf, Option<&'static str>) {
    let root = workspace_root();
    match (framework, mode) {
        (Framework::Portcullis, Mode::Brownfield) => {
            (root.join("target/release/vs-tauri-portcullis"), None)
        }
        (Framework::Portcullis, Mode::Isolation) => (
            root.join("target/release/vs-tauri-portcullis"),
            Some("VS_TAURI_ISOLATION"),
        ),
        (Framework::Tauri, Mode::Brownfield) => {
            (root.join("target/vs-tauri/release/tauri-brownfield"), None)
        }
        (Framework::Tauri, Mode::Isolation) => {
            (root.join("target/vs-tauri/release/tauri-isolation"), None)
        }
    }
}

fn measure(rounds: usize, memory: bool, task: &str) -> Result<(), String> {
    let mut runs: BTreeMap<(Mode, Framework), Vec<Run>> = BTreeMap::new();
    for round in 0..rounds {
        for mode in [Mode::Brownfield, Mode::Isolation] {
            let order = if round % 2 == 0 {
                [Framework::Portcullis, Framework::Tauri]
            } else {
                [Framework::Tauri, Framework::Portcullis]
            };
            for framework in order {
                let run = run_once(framework, mode, task)?;
                eprintln!(
                    "round {}/{rounds}: {framework:?} {mode:?}: started in {:.0} ms",
                    round + 1,
                    run.startup_ms
                );
                runs.entry((mode, framework)).or_default().push(run);
            }
        }
    }
    println!(
        "\nPortcullis against Tauri, {rounds} rounds (ratio: Portcullis / Tauri of the medians over rounds, lower is better; range: the per-round ratios)"
    );
    for mode in [Mode::Brownfield, Mode::Isolation] {
        let ours = &runs[&(mode, Framework::Portcullis)];
        let theirs = &runs[&(mode, Framework::Tauri)];
        let target = match mode {
            Mode::Brownfield => BROWNFIELD_TARGET,
            Mode::Isolation => ISOLATION_TARGET,
        };
        println!("\n{mode:?}:\n");
        println!("| phase | row | Portcullis | Tauri | ratio | range | target ≤ {target}x |");
        println!("|---|---|---|---|---|---|---|");
        for (r, (phase, name, _)) in ours[0].rows.iter().enumerate() {
            let a: Vec<f64> = ours.iter().map(|run| run.rows[r].2).collect();
            let b: Vec<f64> = theirs.iter().map(|run| run.rows[r].2).collect();
            print_row(phase, name, &a, &b, target, format_us);
        }
        let a: Vec<f64> = ours.iter().map(|r| r.startup_ms).collect();
        let b: Vec<f64> = theirs.iter().map(|r| r.startup_ms).collect();
        print_row(
            "process",
            "spawn → first reply",
            &a,
            &b,
            STARTUP_TARGET,
            |ms| format!("{ms:.0} ms"),
        );
        println!(
            "\nWhere start-up goes ({mode:?}; medians over rounds, ms; from the page's performance stamps):\n"
        );
        println!("| step | Portcullis | Tauri |");
        println!("|---|---|---|");
        for (i, (step, _)) in ours[0].startup_parts.iter().enumerate() {
            let part = |runs: &[Run]| {
                median(
                    &runs
                        .iter()
                        .map(|r| r.startup_parts.get(i).map_or(f64::NAN, |p| p.1))
                        .collect::<Vec<_>>(),
                )
            };
            println!("| {step} | {:.0} | {:.0} |", part(ours), part(theirs));
        }
    }
    if memory {
        println!(
            "\nRSS over 100,000 sequential 16 B calls (MiB; core process / web process; each after 1.5 s idle):\n"
        );
        println!("| calls | Portcullis core | Portcullis web | Tauri core | Tauri web |");
        println!("|---|---|---|---|---|");
        let ours = run_once(Framework::Portcullis, Mode::Brownfield, "memory")?;
        let theirs = run_once(Framework::Tauri, Mode::Brownfield, "memory")?;
        for (a, b) in ours.memory.iter().zip(&theirs.memory) {
            println!(
                "| {} | {:.1} | {:.1} | {:.1} | {:.1} |",
                a.0, a.1, a.2, b.1, b.2
            );
        }
        for (name, samples) in [("Portcullis", &ours.memory), ("Tauri", &theirs.memory)] {
            // From the first 10,000 calls (page warm) to the last.
            if let (Some(first), Some(last)) = (samples.get(1), samples.last()) {
                println!(
                    "\n{name}: from {} to {} calls, core {:+.1} MiB, web {:+.1} MiB",
                    first.0,
                    last.0,
                    last.1 - first.1,
                    last.2 - first.2
                );
            }
        }
    }
    Ok(())
}

fn print_row(
    phase: &str,
    name: &str,
    ours: &[f64],
    theirs: &[f64],
    target: f64,
    unit: fn(f64) -> String,
) {
    let (a, b) = (median(ours), median(theirs));
    let ratios: Vec<f64> = ours.iter().zip(theirs).map(|(a, b)| a / b).collect();
    let low = ratios.iter().copied().fold(f64::INFINITY, f64::min);
    let high = ratios.iter().copied().fold(0.0, f64::max);
    let ratio = a / b;
    let mark = if ratio <= target { "✓" } else { "✗" };
    println!(
        "| {phase} | {name} | {} | {} | {ratio:.2}x | {low:.2}–{high:.2} | {mark} |",
        unit(a),
        unit(b)
    );
}

fn median(values: &[f64]) -> f64 {
    let mut values = values.to_vec();
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

fn format_us(us: f64) -> String {
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else {
        format!("{us:.0} µs")
    }
}

/// Runs one twin until its page reports, reading its stdout as it comes.
fn run_once(framework: Framework, mode: Mode, task: &str) -> Result<Run, String> {
    let (path, flag) = binary(framework, mode);
    let mut command = Command::new(&path);
    command
        .env("VS_TAURI_TASK", task)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(flag) = flag {
        command.env(flag, "1");
    }
    let started = Instant::now();
    let spawned_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(f64::NAN, |d| d.as_secs_f64() * 1000.0);
    let mut child = command
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", path.display()))?;
    let pid = child.id();
    let stdout = child.stdout.take().expect("piped");
    let (send, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if send.send((Instant::now(), line)).is_err() {
                break;
            }
        }
    });
    let stderr = child.stderr.take().expect("piped");
    let errors = std::thread::spawn(move || {
        let mut tail = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            tail.push(line);
            if tail.len() > 40 {
                tail.remove(0);
            }
        }
        tail
    });
    let mut run = Run {
        startup_ms: f64::NAN,
        startup_parts: Vec::new(),
        rows: Vec::new(),
        memory: Vec::new(),
    };
    let deadline = started + RUN_TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match lines.recv_timeout(left) {
            Ok((at, line)) => {
                if let Some(error) = line.strip_prefix("MARK error ") {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(format!("{framework:?} {mode:?}: the page failed: {error}"));
                } else if let Some(progress) = line.strip_prefix("MARK progress ") {
                    eprintln!("  {framework:?} {mode:?}: {progress}");
                } else if let Some(stamps) = line.strip_prefix("MARK startup ") {
                    run.startup_parts = startup_parts(stamps, spawned_at);
                } else if line == "MARK started" {
                    run.startup_ms = at.duration_since(started).as_secs_f64() * 1000.0;
                } else if let Some(calls) = line.strip_prefix("MARK calls ") {
                    let calls = calls.parse().map_err(|_| format!("bad mark `{line}`"))?;
                    run.memory.push((calls, rss_mib(pid), web_rss_mib(pid)));
                } else if let Some(row) = line.strip_prefix("ROW ") {
                    let mut parts = row.split('\t');
                    let (Some(phase), Some(name), Some(us)) =
                        (parts.next(), parts.next(), parts.next())
                    else {
                        return Err(format!("bad row `{row}`"));
                    };
                    let us = us.parse().map_err(|_| format!("bad time in `{row}`"))?;
                    run.rows.push((phase.to_owned(), name.to_owned(), us));
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let _ = child.kill();
                break;
            }
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    let tail = errors.join().unwrap_or_default();
    if !status.success() || run.startup_ms.is_nan() || (task == "rows" && run.rows.is_empty()) {
        return Err(format!(
            "{framework:?} {mode:?} ({task}) did not finish ({status}); its last stderr lines:\n{}",
            tail.join("\n")
        ));
    }
    Ok(run)
}

/// The start-up steps from the page's stamps (`MARK startup {json}`: epoch
/// ms of navigation start, then ms since it) and the spawn time (epoch ms).
fn startup_parts(stamps: &str, spawned_at: f64) -> Vec<(&'static str, f64)> {
    // A flat object of numbers: no JSON parser needed (xtask has no
    // dependencies).
    let number = |key: &str| -> f64 {
        let Some(at) = stamps.find(&format!("\"{key}\":")) else {
            return f64::NAN;
        };
        let rest = &stamps[at + key.len() + 3..];
        let end = rest.find([',', '}']).unwrap_or(rest.len());
        rest[..end].trim().parse().unwrap_or(f64::NAN)
    };
    let origin = number("timeOrigin");
    let (response, script, api, reply) = (
        number("responseEnd"),
        number("scriptStart"),
        number("apiReady"),
        number("firstReply"),
    );
    vec![
        (
            "spawn → navigation start (process, event loop, window, web view, web process)",
            origin - spawned_at,
        ),
        ("navigation start → page received", response),
        (
            "page received → page script runs (HTML, injected scripts)",
            script - response,
        ),
        ("page script → `invoke` ready (module import)", api - script),
        ("first invoke round trip", reply - api),
    ]
}

/// VmRSS of one process, in MiB.
fn rss_mib(pid: u32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

/// The summed RSS of the WebKit web processes that descend from `pid`.
fn web_rss_mib(pid: u32) -> f64 {
    let parent_of = |p: u32| -> Option<u32> {
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).ok()?;
        stat.rsplit_once(") ")?
            .1
            .split_whitespace()
            .nth(1)?
            .parse()
            .ok()
    };
    let name_of = |p: u32| std::fs::read_to_string(format!("/proc/{p}/comm")).unwrap_or_default();
    let descends = |mut p: u32| {
        for _ in 0..8 {
            match parent_of(p) {
                Some(parent) if parent == pid => return true,
                Some(parent) if parent > 1 => p = parent,
                _ => return false,
            }
        }
        false
    };
    std::fs::read_dir(Path::new("/proc"))
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
        .filter(|&p| name_of(p).starts_with("WebKitWebProces") && descends(p))
        .map(rss_mib)
        .sum()
}
