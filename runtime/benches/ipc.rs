//! The web-view transport against bare wry, in one process and one web view.
//!
//! `xvfb-run -a cargo bench -p portcullis --features "webview test-hooks"
//! --bench ipc` (a display is needed; Xvfb is fine). The page in
//! `benches/ipc-page/` does the timing. The binary runs itself as child
//! processes (one event loop per process), alternately
//! without isolation and with isolation (a pass-through hook), for
//! `PORTCULLIS_BENCH_ROUNDS` rounds (default 3; the two modes swap order each
//! round). It prints both modes against raw wry, then isolation against no
//! isolation: medians over rounds, and the median of the rounds' ratios (each
//! compares two runs made minutes apart at most, where this VM's speed drifts).

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

/// Bytes up and the same bytes back: the round trip the isolation target names.
#[command]
fn bytes_echo(data: Bytes) -> Bytes {
    data
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

fn print_against_raw(title: &str, rounds: &[Vec<Row>]) {
    println!("\n{title}\n");
    println!("| case | baseline | portcullis | ratio (median of rounds) |");
    println!("|---|---|---|---|");
    for (r, row) in rounds[0].iter().enumerate() {
        for s in 1..row.sides.len() {
            let base = median(rounds.iter().map(|run| run[r].sides[0].us));
            let ours = median(rounds.iter().map(|run| run[r].sides[s].us));
            let ratio = median(
                rounds
                    .iter()
                    .map(|run| run[r].sides[s].us / run[r].sides[0].us),
            );
            println!(
                "| {} | {}: {} | {}: {} | {ratio:.2}x |",
                row.name,
                row.sides[0].label,
                format_us(base),
                row.sides[s].label,
                format_us(ours),
            );
        }
    }
}

fn median(values: impl Iterator<Item = f64>) -> f64 {
    let mut values: Vec<f64> = values.collect();
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

fn main() -> portcullis::Result<()> {
    match std::env::var("PORTCULLIS_BENCH_MODE").as_deref() {
        Ok("plain") => run_app(false),
        Ok("isolation") => run_app(true),
        _ => compare_modes(),
    }
}

/// Runs this binary once per mode and round, and prints the tables.
fn compare_modes() -> portcullis::Result<()> {
    let rounds: usize = std::env::var("PORTCULLIS_BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(3);
    // [plain, isolation] x rounds.
    let mut runs: [Vec<Vec<Row>>; 2] = [Vec::new(), Vec::new()];
    for round in 0..rounds {
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let mode = ["plain", "isolation"][i];
            let output = std::process::Command::new(std::env::current_exe()?)
                .env("PORTCULLIS_BENCH_MODE", mode)
                .output()?;
            let stdout = String::from_utf8_lossy(&output.stdout);
            let line = stdout
                .lines()
                .find_map(|l| l.strip_prefix("ROWS "))
                .ok_or_else(|| {
                    portcullis::Error::msg(format!("the {mode} run reported nothing"))
                })?;
            let value: serde_json::Value = serde_json::from_str(line)?;
            println!(
                "round {}, {mode}: run() to the first reply: {:.0} ms",
                round + 1,
                value["firstReplyMs"].as_f64().unwrap_or(f64::NAN)
            );
            runs[i].push(serde_json::from_value(value["rows"].clone())?);
        }
    }
    print_against_raw("Without isolation, against raw wry:", &runs[0]);
    print_against_raw("With isolation, against raw wry:", &runs[1]);
    println!("\nIsolation against no isolation ({rounds} rounds, modes alternating):\n");
    println!("| case | side | without isolation | with isolation | ratio (median of rounds) |");
    println!("|---|---|---|---|---|");
    for (r, row) in runs[0][0].iter().enumerate() {
        for s in 1..row.sides.len() {
            let us = |mode: usize| median(runs[mode].iter().map(|run| run[r].sides[s].us));
            let ratio = median(
                runs[0]
                    .iter()
                    .zip(&runs[1])
                    .map(|(p, i)| i[r].sides[s].us / p[r].sides[s].us),
            );
            println!(
                "| {} | {} | {} | {} | {ratio:.2}x |",
                row.name,
                row.sides[s].label,
                format_us(us(0)),
                format_us(us(1)),
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
            bytes_echo,
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
    // `PORTCULLIS_BENCH_REPLY_WAIT_US` overrides the app's reply wait (0 turns
    // it off): how BENCHMARKS.md measures what the wait costs and saves.
    if let Ok(us) = std::env::var("PORTCULLIS_BENCH_REPLY_WAIT_US") {
        app = app.reply_wait(Duration::from_micros(
            us.parse().expect("a number of microseconds"),
        ));
    }
    if isolation {
        app = app.isolation(Isolation::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/ipc-isolation"
        ))?);
    }
    app.run()
}
