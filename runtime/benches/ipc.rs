//! The web-view transport against bare wry, in one process and one web view.
//!
//! `xvfb-run -a cargo bench -p portcullis --bench ipc` (a display is needed;
//! Xvfb is fine). Prints a table of per-call medians and ratios; the page in
//! `benches/ipc-page/` does the timing.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use portcullis::{App, AppHandle, Assets, Bytes, State, WindowConfig, command, commands};
use serde::Deserialize;

#[derive(Deserialize)]
struct Row {
    name: String,
    sides: Vec<Side>,
}

#[derive(Deserialize)]
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
    if let Some(first) = *first.0.lock().unwrap() {
        println!(
            "\nrun() to the first reply (window, web process, page load, one invoke, plus one message to record it): {:.0} ms",
            first.as_secs_f64() * 1000.0
        );
    }
    app.exit().unwrap();
}

fn format_us(us: f64) -> String {
    if us >= 10_000.0 {
        format!("{:.1} ms", us / 1000.0)
    } else {
        format!("{us:.0} µs")
    }
}

fn main() -> portcullis::Result<()> {
    let first: &'static FirstReply = Box::leak(Box::default());
    let started = Instant::now();
    App::builder()
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
        .__raw_echo_for_benchmarks()
        .run()
}
