//! The Portcullis twin of `benches/vs-tauri/tauri`: the same commands, written
//! as a Portcullis user writes them, serving the same page (`../page`).
//! `VS_TAURI_ISOLATION=1` turns on the isolation pattern (a pass-through
//! hook, `../isolation`); `VS_TAURI_TASK` is handed to the page.

use portcullis::{App, AppHandle, Bytes, State, WindowConfig, command, commands};

struct Mode {
    isolation: bool,
    task: String,
}

#[command]
fn echo(text: String) -> String {
    text
}

/// Bytes up and the same bytes back.
#[command]
fn bytes_echo(data: Bytes) -> Bytes {
    data
}

#[command]
fn mode(mode: State<'_, Mode>) -> serde_json::Value {
    serde_json::json!({ "framework": "portcullis", "isolation": mode.isolation, "task": mode.task })
}

/// The page's `crossover` task only (Portcullis's own transport choice, so
/// not in the Tauri twin): a large request with a small reply, and the
/// other way round.
#[command]
fn take(text: String) -> usize {
    text.len()
}

#[command]
fn give(len: usize) -> String {
    "x".repeat(len)
}

/// What the harness reads on stdout: start-up done, memory checkpoints.
#[command]
fn mark(what: String) {
    println!("MARK {what}");
}

#[command]
fn report(app: AppHandle, rows: Vec<String>) -> portcullis::Result<()> {
    for row in rows {
        println!("ROW {row}");
    }
    app.exit()
}

fn main() -> portcullis::Result<()> {
    let isolation = std::env::var_os("VS_TAURI_ISOLATION").is_some_and(|v| v == "1");
    let task = std::env::var("VS_TAURI_TASK").unwrap_or_default();
    let mut app = App::builder()
        .manage(Mode { isolation, task })
        .commands(commands![echo, bytes_echo, mode, mark, report, take, give])
        .window(WindowConfig::new("bench").title("bench").size(400.0, 300.0))
        .assets(portcullis::assets!("benches/vs-tauri/page"));
    // `VS_TAURI_REPLY_WAIT_US` and `VS_TAURI_WARM_US`: the reply wait and
    // the warm thread's spell in µs (0: off), for looking into the
    // sequential rows; unset, the app defaults.
    if let Some(budget) = micros("VS_TAURI_REPLY_WAIT_US") {
        app = app.reply_wait(budget);
    }
    if let Some(spell) = micros("VS_TAURI_WARM_US") {
        app = app.warm_spell(spell);
    }
    if isolation {
        app = app.isolation(portcullis::isolation!("benches/vs-tauri/isolation"));
    }
    app.run()
}

fn micros(var: &str) -> Option<std::time::Duration> {
    let us = std::env::var(var).ok()?.parse().ok()?;
    Some(std::time::Duration::from_micros(us))
}
