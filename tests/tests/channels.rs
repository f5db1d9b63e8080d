//! End-to-end: channels in real WebKitGTK (under Xvfb in CI).
//!
//! `ch-main` streams and checks (order, sizes, backpressure, closing, no
//! leaks); `ch-reload` reloads mid-stream and `ch-close` closes its window
//! mid-stream, and the core checks those streams stopped. Reports go
//! through `report`. `harness = false`: GTK must own the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis::{
    App, AppHandle, Assets, Bytes, Channel, ChannelError, Limits, State, Window, WindowConfig,
    command, commands,
};
use portcullis_tests::{Check, start_e2e, verdict, window_checks};

const REPORTING: [&str; 2] = ["ch-main", "ch-reload"];

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    /// Per tag of `stream_forever`: runs started, runs that ended (returned
    /// after a failed send, or dropped with their cancelled call), and runs
    /// whose send failed `Closed`.
    started: Mutex<BTreeMap<String, u64>>,
    ended: Mutex<BTreeMap<String, u64>>,
    stopped: Mutex<BTreeMap<String, u64>>,
    /// The largest unacknowledged count `stream_watched` saw.
    max_unacked: AtomicU64,
    /// Bytes sent by `chunks` and their checksum.
    chunk_sum: AtomicU64,
}

type Obs<'a> = State<'a, &'static Observed>;

fn checksum(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0u64, |sum, b| {
        sum.wrapping_mul(31).wrapping_add(u64::from(*b))
    })
}

/// `n` numbers, 1 to n; returns their sum.
#[command]
async fn stream_numbers(n: u64, out: Channel<u64>) -> Result<u64, String> {
    for i in 1..=n {
        out.send(i).await.map_err(|e| e.to_string())?;
    }
    Ok(n * (n + 1) / 2)
}

/// Raw chunks of these sizes (byte j of chunk i is (i + j) % 251); returns
/// the checksum of everything sent.
#[command]
async fn chunks(
    observed: Obs<'_>,
    sizes: Vec<usize>,
    out: Channel<Bytes>,
) -> Result<String, String> {
    let mut sum = 0u64;
    for (i, size) in sizes.into_iter().enumerate() {
        let chunk: Vec<u8> = (0..size).map(|j| ((i + j) % 251) as u8).collect();
        sum = sum.wrapping_add(checksum(&chunk));
        out.send(chunk.into()).await.map_err(|e| e.to_string())?;
    }
    observed.chunk_sum.store(sum, Ordering::SeqCst);
    Ok(sum.to_string())
}

/// Large JSON messages (fetched by the page), between small ones.
#[command]
async fn big_texts(sizes: Vec<usize>, out: Channel<String>) -> Result<(), String> {
    for (i, size) in sizes.into_iter().enumerate() {
        let text: String = std::iter::repeat_n(char::from(b'a' + (i % 26) as u8), size).collect();
        out.send(text).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// `n` messages, recording the most unacknowledged after each send.
#[command]
async fn stream_watched(observed: Obs<'_>, n: u64, out: Channel<u64>) -> Result<u64, String> {
    for i in 0..n {
        out.send(i).await.map_err(|e| e.to_string())?;
        let (messages, _) = out.unacknowledged();
        observed.max_unacked.fetch_max(messages, Ordering::SeqCst);
    }
    Ok(observed.max_unacked.load(Ordering::SeqCst))
}

/// `try_send` until it reports full (at most `n`).
#[command]
fn try_burst(n: u64, out: Channel<u64>) -> Vec<String> {
    (0..n)
        .map(|i| match out.try_send(i) {
            Ok(()) => "ok".to_owned(),
            Err(err) => format!("{err:?}"),
        })
        .collect()
}

/// Counts the end of a `stream_forever` run, however it ends.
struct Ended(&'static Observed, String);

impl Drop for Ended {
    fn drop(&mut self) {
        *self
            .0
            .ended
            .lock()
            .unwrap()
            .entry(self.1.clone())
            .or_default() += 1;
    }
}

/// Sends until the channel closes; records how it ended under `tag`. (A
/// reload or a closed window also cancels the call: then its future is
/// dropped at the send it waits in, which counts as ended.)
#[command]
async fn stream_forever(observed: Obs<'_>, tag: String, out: Channel<u64>) -> Result<(), String> {
    let observed: &'static Observed = *observed;
    *observed
        .started
        .lock()
        .unwrap()
        .entry(tag.clone())
        .or_default() += 1;
    let _ended = Ended(observed, tag.clone());
    let mut i = 0;
    loop {
        match out.send(i).await {
            Ok(()) => i += 1,
            Err(ChannelError::Closed) => {
                *observed.stopped.lock().unwrap().entry(tag).or_default() += 1;
                return Err("the channel closed".into());
            }
            Err(err) => return Err(err.to_string()),
        }
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
}

/// One message, then the channel is dropped (its page sees the end).
#[command]
async fn one(out: Channel<u64>) -> Result<(), String> {
    out.send(1).await.map_err(|e| e.to_string())
}

#[command]
fn stream_stats(app: AppHandle, observed: Obs<'_>) -> serde_json::Value {
    serde_json::json!({
        "started": *observed.started.lock().unwrap(),
        "ended": *observed.ended.lock().unwrap(),
        "stopped": *observed.stopped.lock().unwrap(),
        "open": app.__open_channels(),
        "webRssMiB": portcullis::__private::web_process_rss_mib(),
    })
}

#[command]
fn open_closer(app: AppHandle) -> Result<(), String> {
    app.create_window(WindowConfig::new("ch-close").url("channels-close.html"))
        .map_err(|e| e.to_string())
}

#[command]
fn close_me(window: Window) -> Result<(), String> {
    window.close().map_err(|e| e.to_string())
}

#[command]
fn report(app: AppHandle, observed: Obs<'_>, window: String, results: Vec<Check>) {
    let mut reports = observed.reports.lock().unwrap();
    reports.insert(window, results);
    if REPORTING.iter().all(|w| reports.contains_key(*w)) {
        app.exit().unwrap();
    }
}

fn main() -> ExitCode {
    start_e2e("channels e2e");
    let observed: &'static Observed = Box::leak(Box::default());
    let result = App::builder()
        .manage(observed)
        .limits(Limits::default().channel_messages(16))
        .commands(commands![
            stream_numbers,
            chunks,
            big_texts,
            stream_watched,
            try_burst,
            stream_forever,
            one,
            stream_stats,
            open_closer,
            close_me,
            report,
        ])
        .window(WindowConfig::new("ch-main").url("channels.html"))
        .window(WindowConfig::new("ch-reload").url("channels-reload.html"))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/e2e/dist"
        )))
        .run();
    if let Err(err) = result {
        eprintln!("channels e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }
    let mut checks = window_checks(&observed.reports.lock().unwrap(), &REPORTING);
    let max = observed.max_unacked.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: a slow page never had more than the bound (16) unacknowledged",
        (1..=16).contains(&max),
        format!("most unacknowledged: {max}"),
    ));
    let started = observed.started.lock().unwrap().clone();
    let ended = observed.ended.lock().unwrap().clone();
    let stopped = observed.stopped.lock().unwrap().clone();
    for tag in ["page-close", "reload", "window-close"] {
        checks.push(Check::new(
            format!("core: the `{tag}` stream ran once and ended"),
            started.get(tag) == Some(&1) && ended.get(tag) == Some(&1),
            format!("started {started:?}, ended {ended:?}"),
        ));
    }
    checks.push(Check::new(
        "core: the stream the page closed saw its send fail `Closed`",
        stopped.get("page-close") == Some(&1),
        format!("stopped {stopped:?}"),
    ));
    verdict(&checks)
}
