//! The web-view transport against bare wry, in one process and one web view.
//!
//! `xvfb-run -a cargo bench -p portcullis --bench ipc` (a display is needed;
//! Xvfb is fine). The page in `benches/ipc-page/` does the timing. The binary
//! runs itself twice, as child processes (one event loop per process): without
//! isolation, then with isolation (a pass-through hook). It prints each run
//! against raw wry, then isolation against no isolation.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use portcullis::{
    App, AppHandle, Assets, Bytes, Isolation, State, WindowConfig, command, commands,
};
use serde::Deserialize;

#[derive(Deserialize, serde::Serialize, portcullis::Type)]
struct Row {
    name: String,
    sides: Vec<Side>,
}

#[derive(Deserialize, serde::Serialize, portcullis::Type)]
struct Side {
    label: String,
    us: f64,
}

struct Started(Instant);
#[derive(Default)]
struct FirstReply(Mutex<Option<Duration>>);

#[command]
fn echo(text: String) -> String {
    text
}

#[command]
async fn echo_async(text: String) -> String {
    text
}

#[command]
fn bytes_len(data: &[u8]) -> usize {
    data.len()
}

#[command]
fn bytes_make(len: usize) -> Bytes {
    vec![7u8; len].into()
}

#[command]
fn first_reply(started: State<'_, Started>, first: State<'_, &'static FirstReply>) {
    first.0.lock().unwrap().get_or_insert(started.0.elapsed());
}

#[command]
fn report(app: AppHandle, first: State<'_, &'static FirstReply>, rows: Vec<Row>) {
    let first_ms = first.0.lock().unwrap().map(|d| d.as_secs_f64() * 1000.0);
    // The parent process reads this line.
    println!(
        "ROWS {}",
        serde_json::json!({ "rows": rows, "firstReplyMs": first_ms })
    );
    app.exit().unwrap();
}

fn print_against_raw(title: &str, rows: &[Row]) {
    println!("\n{title}\n");
    println!("| case | baseline | portcullis | ratio |");
    println!("|---|---|---|---|");
    for row in rows {
        let base = &row.sides[0];
        for ours in &row.sides[1..] {
            println!(
                "| {} | {}: {} | {}: {} | {:.2}x |",
                row.name,
                base.label,
                format_us(base.us),
                ours.label,
                format_us(ours.us),
                ours.us / base.us
            );
        }
    }
}

fn format_us(us: f64) -> String {
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else {
        format!("{us:.0} µs")
    }
}

fn main() -> portcullis::Result<()> {
    match std::env::var("PORTCULLIS_BENCH_MODE").as_deref() {
        Ok("plain") => run_app(false),
        Ok("isolation") => run_app(true),
        _ => compare_modes(),
    }
}

/// Runs this binary once per mode and prints the tables.
fn compare_modes() -> portcullis::Result<()> {
    let mut runs = Vec::new();
    for mode in ["plain", "isolation"] {
        let output = std::process::Command::new(std::env::current_exe()?)
            .env("PORTCULLIS_BENCH_MODE", mode)
            .output()?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|l| l.strip_prefix("ROWS "))
            .ok_or_else(|| portcullis::Error::msg(format!("the {mode} run reported nothing")))?;
        let value: serde_json::Value = serde_json::from_str(line)?;
        let rows: Vec<Row> = serde_json::from_value(value["rows"].clone())?;
        println!(
            "\n{mode}: run() to the first reply: {:.0} ms",
            value["firstReplyMs"].as_f64().unwrap_or(f64::NAN)
        );
        runs.push(rows);
    }
    print_against_raw("Without isolation, against raw wry:", &runs[0]);
    print_against_raw("With isolation, against raw wry:", &runs[1]);
    println!("\nIsolation against no isolation (same cases, same machine, one after the other):\n");
    println!("| case | side | without isolation | with isolation | ratio |");
    println!("|---|---|---|---|---|");
    for (plain, isolated) in runs[0].iter().zip(&runs[1]) {
        for (p, i) in plain.sides[1..].iter().zip(&isolated.sides[1..]) {
            println!(
                "| {} | {} | {} | {} | {:.2}x |",
                plain.name,
                p.label,
                format_us(p.us),
                format_us(i.us),
                i.us / p.us
            );
        }
    }
    Ok(())
}

fn run_app(isolation: bool) -> portcullis::Result<()> {
    let first: &'static FirstReply = Box::leak(Box::default());
    let started = Instant::now();
    let mut app = App::builder()
        .manage(Started(started))
        .manage(first)
        .commands(commands![
            echo,
            echo_async,
            bytes_len,
            bytes_make,
            first_reply,
            report
        ])
        .window(WindowConfig::new("bench").size(400.0, 300.0))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/ipc-page"
        )))
        .__raw_echo_for_benchmarks();
    if isolation {
        app = app.isolation(Isolation::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/ipc-isolation"
        ))?);
    }
    app.run()
}
