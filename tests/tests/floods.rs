//! End-to-end: floods from a page, in real WebKitGTK (under Xvfb in CI).
//!
//! `fl-flood` sends 100,000 invokes with 10,000 in flight and then hostile
//! payloads; `fl-steady` measures its own calls' latency before and during
//! the flood. The core counts what ran and samples its RSS. Numbers are
//! printed for FUZZING.md/BENCHMARKS.md; the checks are on correctness
//! (every call answered exactly once, clear errors, the app up, the other
//! window served), and generous bounds on latency and memory.
//! `harness = false`: GTK must own the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis::{App, AppHandle, Assets, State, WindowConfig, command, commands};
use portcullis_tests::{Check, start_e2e_within, verdict, window_checks};

const WINDOWS: [&str; 2] = ["fl-flood", "fl-steady"];

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    ticks: AtomicU64,
    flags: Mutex<BTreeMap<String, bool>>,
    rss: Mutex<Vec<(String, f64)>>,
}

type Obs<'a> = State<'a, &'static Observed>;

fn core_rss_mib() -> f64 {
    memory_stats::memory_stats().map_or(f64::NAN, |m| m.physical_mem as f64 / (1024.0 * 1024.0))
}

#[command]
fn tick(observed: Obs<'_>) -> u64 {
    observed.ticks.fetch_add(1, Ordering::Relaxed) + 1
}

#[command]
fn ticks(observed: Obs<'_>) -> u64 {
    observed.ticks.load(Ordering::SeqCst)
}

#[command]
fn ping() {}

#[command]
fn echo(value: serde_json::Value) -> usize {
    value.to_string().len()
}

#[command]
fn set_flag(observed: Obs<'_>, name: String) {
    observed.flags.lock().unwrap().insert(name, true);
}

#[command]
fn has_flag(observed: Obs<'_>, name: String) -> bool {
    observed.flags.lock().unwrap().contains_key(&name)
}

/// Samples the core's RSS under `label`; returns it in MiB.
#[command]
fn sample_rss(observed: Obs<'_>, label: String) -> f64 {
    let rss = core_rss_mib();
    eprintln!("floods e2e: {label}: {rss:.0} MiB");
    observed.rss.lock().unwrap().push((label, rss));
    rss
}

/// Opens `n` windows on `floods-child.html`, each of which closes itself.
#[command]
fn open_many(app: AppHandle, n: usize, round: usize) -> Result<(), String> {
    eprintln!("floods e2e: round {round}: opening {n} windows");
    for i in 0..n {
        app.create_window(
            WindowConfig::new(format!("child-{round}-{i}"))
                .url("floods-child.html")
                .size(200.0, 100.0),
        )
        .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[command]
fn close_me(window: portcullis::Window) -> Result<(), String> {
    window.close().map_err(|e| e.to_string())
}

#[command]
fn open_windows(app: AppHandle) -> usize {
    app.window_labels().len()
}

#[command]
fn report(app: AppHandle, observed: Obs<'_>, window: String, results: Vec<Check>) {
    let mut reports = observed.reports.lock().unwrap();
    reports.insert(window, results);
    if WINDOWS.iter().all(|w| reports.contains_key(*w)) {
        app.exit().unwrap();
    }
}

fn main() -> ExitCode {
    // The flood and a hundred web views take about two minutes under CI load.
    start_e2e_within("floods e2e", Duration::from_secs(300));
    let observed: &'static Observed = Box::leak(Box::default());
    let result = App::builder()
        .manage(observed)
        .commands(commands![
            tick,
            ticks,
            ping,
            echo,
            set_flag,
            has_flag,
            sample_rss,
            open_many,
            close_me,
            open_windows,
            report
        ])
        .window(WindowConfig::new("fl-flood").url("floods.html"))
        .window(WindowConfig::new("fl-steady").url("floods-steady.html"))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/e2e/dist"
        )))
        .__expose_ipc_key_for_tests()
        .run();
    if let Err(err) = result {
        eprintln!("floods e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }
    let mut checks = window_checks(&observed.reports.lock().unwrap(), &WINDOWS);
    let samples = observed.rss.lock().unwrap().clone();
    for (label, rss) in &samples {
        println!("core RSS {label}: {rss:.0} MiB");
    }
    let at = |label: &str| {
        samples
            .iter()
            .find(|(l, _)| l == label)
            .map(|(_, rss)| *rss)
    };
    // Memory comes back (`runtime/src/memory.rs`): each sample within its
    // bound of the one it is compared with. Without the trim, the core
    // stayed ~150 MiB higher after the hostile payloads (310 against 157
    // MiB). After the million keys one 64 MiB glibc arena is sometimes
    // still resident (in use when the trims run: none frees it) until a
    // later trim, at the next large message or window close; hence 96
    // there (FUZZING.md).
    for (what, from, to, bound) in [
        ("the flood", "before the flood", "2 s after the flood", 64.0),
        (
            "a million keys",
            "before the flood",
            "1 s after a million keys",
            96.0,
        ),
        (
            "the hostile payloads",
            "before the flood",
            "1 s after a refused 200 MiB argument",
            96.0,
        ),
        (
            "100 windows",
            "before 100 windows",
            "1 s after 100 windows closed",
            64.0,
        ),
    ] {
        let (before, after) = (at(from), at(to));
        checks.push(Check::new(
            format!("core: RSS after {what} is within {bound} MiB of where it was"),
            matches!((before, after), (Some(b), Some(a)) if a - b < bound),
            format!("{from}: {before:?} MiB, {to}: {after:?} MiB"),
        ));
    }
    verdict(&checks)
}
