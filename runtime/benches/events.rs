//! Events against bare wry, in one web view: `xvfb-run -a cargo bench -p
//! portcullis --bench events --features test-hooks`.
//!
//! Throughput (one child process, the page in `benches/events-page/` times
//! it): 1 KB events to one window against bare `evaluate_script` of the same
//! payload, one at a time and 1,000 at once; a page's emit against an invoke
//! of the same size. Memory (one child process per route): a flood of 1 MB
//! events to one window (`PORTCULLIS_BENCH_FLOOD_SECS`, default 60, at 100
//! events/s), with the web process's and the core's RSS before and after,
//! once through Portcullis's route for large payloads (fetched) and once
//! evaluated as script text (the route it avoids).
//!
//! `PORTCULLIS_BENCH_QUICK=1` runs a few batches only (CI runs it that way,
//! with a 2 s flood, through `cargo test --bench events`: proof it works).

use std::time::{Duration, Instant};

use portcullis::{
    App, AppHandle, Assets, Event, State, Window, WindowConfig, command, commands, events,
};
use serde::{Deserialize, Serialize};

/// Core to page: any text.
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Blob {
    text: String,
}

/// Page to core (no page listens to it).
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Note {
    text: String,
}

#[derive(Deserialize, Serialize, portcullis::Type)]
struct Row {
    name: String,
    sides: Vec<Side>,
}

#[derive(Deserialize, Serialize, portcullis::Type)]
struct Side {
    label: String,
    us: f64,
}

/// RSS in MiB: (web process, core) at the flood's start and end.
#[derive(Clone, Copy, Default, Deserialize, Serialize, portcullis::Type)]
struct Rss {
    web_start: f64,
    web_end: f64,
    core_start: f64,
    core_end: f64,
    seconds: f64,
    emitted: u64,
}

struct Mode(&'static str);

/// The page's mode, and whether to run a few batches only
/// (`PORTCULLIS_BENCH_QUICK`: CI proves the bench runs, nothing more).
#[command]
fn mode(mode: State<'_, Mode>) -> (&'static str, bool) {
    (mode.0, std::env::var_os("PORTCULLIS_BENCH_QUICK").is_some())
}

#[command]
fn echo(text: String) -> String {
    text
}

#[command]
fn emit_n(window: Window, n: usize, size: usize) -> Result<(), String> {
    let blob = Blob {
        text: "x".repeat(size.saturating_sub(r#"{"text":""}"#.len())),
    };
    for _ in 0..n {
        window.emit(&blob).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// 100 events/s of 1 MB to the calling window for the configured time.
#[command]
fn flood(window: Window) -> Result<Rss, String> {
    let secs: f64 = std::env::var("PORTCULLIS_BENCH_FLOOD_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(60.0);
    let blob = Blob {
        text: "x".repeat((1 << 20) - r#"{"text":""}"#.len()),
    };
    let web = portcullis::__private::web_process_rss_mib;
    let core = || rss_kib(std::process::id()).unwrap_or(0) as f64 / 1024.0;
    let mut rss = Rss {
        web_start: web(),
        core_start: core(),
        ..Rss::default()
    };
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < secs {
        window.emit(&blob).map_err(|e| e.to_string())?;
        rss.emitted += 1;
        let next = Duration::from_millis(10 * rss.emitted);
        if let Some(wait) = next.checked_sub(start.elapsed()) {
            std::thread::sleep(wait);
        }
    }
    rss.seconds = start.elapsed().as_secs_f64();
    std::thread::sleep(Duration::from_secs(1));
    rss.web_end = web();
    rss.core_end = core();
    Ok(rss)
}

#[command]
fn report(app: AppHandle, rows: Vec<Row>, received: u64, rss: Option<Rss>) {
    println!(
        "ROWS {}",
        serde_json::json!({ "rows": rows, "received": received, "rss": rss })
    );
    app.exit().unwrap();
}

/// VmRSS of a process, in KiB (Linux).
fn rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> portcullis::Result<()> {
    match std::env::var("PORTCULLIS_BENCH_MODE").as_deref() {
        Ok("throughput") => run_app("throughput", None),
        Ok("large-fetched") => run_app("large", Some(64 << 10)),
        Ok("large-script") => run_app("large", Some(usize::MAX)),
        Ok("memory-fetched") => run_app("memory", None),
        Ok("memory-script") => run_app("memory", Some(usize::MAX)),
        _ => parent(),
    }
}

fn child(mode: &str) -> portcullis::Result<serde_json::Value> {
    let output = std::process::Command::new(std::env::current_exe()?)
        .env("PORTCULLIS_BENCH_MODE", mode)
        .output()?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("ROWS "))
        .ok_or_else(|| portcullis::Error::msg(format!("the {mode} run reported nothing")))?;
    Ok(serde_json::from_str(line)?)
}

fn parent() -> portcullis::Result<()> {
    let value = child("throughput")?;
    let rows: Vec<Row> = serde_json::from_value(value["rows"].clone())?;
    println!("| case | baseline | portcullis | ratio (time) | rate ratio |");
    println!("|---|---|---|---|---|");
    for row in &rows {
        let (base, ours) = (&row.sides[0], &row.sides[1]);
        println!(
            "| {} | {}: {:.1} µs | {}: {:.1} µs | {:.2}x | {:.2}x |",
            row.name,
            base.label,
            base.us,
            ours.label,
            ours.us,
            ours.us / base.us,
            base.us / ours.us,
        );
    }
    let fetched: Vec<Row> = serde_json::from_value(child("large-fetched")?["rows"].clone())?;
    let script: Vec<Row> = serde_json::from_value(child("large-script")?["rows"].clone())?;
    println!(
        "\n| large events | evaluated as script text | fetched by the page | fetched / script |"
    );
    println!("|---|---|---|---|");
    for (f, s) in fetched.iter().zip(&script) {
        println!(
            "| {} | {:.0} µs | {:.0} µs | {:.2}x |",
            f.name,
            s.sides[0].us,
            f.sides[0].us,
            f.sides[0].us / s.sides[0].us
        );
    }
    println!(
        "\n| 1 MB events to one window, 100/s | seconds | emitted | received | web process RSS start → end | core RSS start → end |"
    );
    println!("|---|---|---|---|---|---|");
    for (mode, label) in [
        ("memory-fetched", "portcullis (fetched above 64 KiB)"),
        ("memory-script", "evaluated as script text"),
    ] {
        let value = child(mode)?;
        let rss: Rss = serde_json::from_value(value["rss"].clone())?;
        println!(
            "| {label} | {:.0} | {} | {} | {:.0} → {:.0} MiB (+{:.0}) | {:.0} → {:.0} MiB (+{:.0}) |",
            rss.seconds,
            rss.emitted,
            value["received"],
            rss.web_start,
            rss.web_end,
            rss.web_end - rss.web_start,
            rss.core_start,
            rss.core_end,
            rss.core_end - rss.core_start,
        );
    }
    Ok(())
}

fn run_app(mode: &'static str, script_max: Option<usize>) -> portcullis::Result<()> {
    let mut app = App::builder()
        .manage(Mode(mode))
        .commands(commands![mode, echo, emit_n, flood, report])
        .events(events![Blob])
        .on_event(|_: Event<Note>| {})
        .window(WindowConfig::new("bench").size(400.0, 300.0))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/events-page"
        )))
        .__raw_echo_for_benchmarks();
    if let Some(bytes) = script_max {
        app = app.__event_script_max_for_benchmarks(bytes);
    }
    app.run()
}
