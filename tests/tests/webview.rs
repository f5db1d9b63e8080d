//! End-to-end: the real runtime, in real WebKitGTK (under Xvfb in CI).
//!
//! Nine windows run the checks in `e2e/dist/*.js` through the served,
//! no-build `portcullis-api` module and report through the `report` command.
//! This binary asserts every reported check, and then what only the core can
//! see: that no refused attack ran a command, that state was shared, that the
//! child window closed. `harness = false`: GTK must own the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;

use portcullis::{
    App, AppHandle, Assets, Bytes, Cancellation, DEFAULT_CSP, State, Window, WindowConfig, command,
    commands,
};
use portcullis_tests::{Check, start_e2e, thread_name, verdict, window_checks};
use serde::Serialize;

const WINDOWS: [&str; 8] = [
    "main",
    "second",
    "evil",
    "child",
    "reload",
    "leak",
    "cancel",
    "cancel-reload",
];

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    records: AtomicU64,
    bumps: AtomicU64,
    note: Mutex<Option<String>>,
    child_closed: AtomicBool,
    cancel_closed: AtomicBool,
    cancels: Cancels,
}

/// What the cancellation checks count, per tag of `slow_dropped`.
#[derive(Default)]
struct Cancels {
    started: Mutex<BTreeMap<String, u64>>,
    drops: Mutex<BTreeMap<String, u64>>,
    after_await: Mutex<BTreeMap<String, u64>>,
    polling: AtomicU64,
    stopped: AtomicU64,
    finished: AtomicU64,
    never: AtomicU64,
}

fn count(map: &Mutex<BTreeMap<String, u64>>, tag: &str) {
    *map.lock().unwrap().entry(tag.to_owned()).or_default() += 1;
}

/// Counts the drop of a command's future (it lives in it).
struct DropGuard(&'static Observed, String);

impl Drop for DropGuard {
    fn drop(&mut self) {
        count(&self.0.cancels.drops, &self.1);
    }
}

#[derive(Serialize, portcullis::Type)]
#[serde(rename_all = "camelCase")]
struct Todo {
    title: String,
    due_date: Option<u64>,
    done: bool,
}

#[derive(Serialize, portcullis::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum TodoError {
    TooLong { max: usize },
    Other,
}

#[command]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

#[command]
fn make_todo(title: String, due_date: Option<u64>) -> Todo {
    Todo {
        title,
        due_date,
        done: false,
    }
}

#[command]
fn echo(value: serde_json::Value) -> serde_json::Value {
    value
}

#[command]
fn fail(kind: String) -> Result<(), TodoError> {
    Err(if kind == "too_long" {
        TodoError::TooLong { max: 20 }
    } else {
        TodoError::Other
    })
}

#[command]
fn boom() -> u32 {
    panic!("kaboom")
}

#[command]
fn bytes_echo(data: Bytes) -> Bytes {
    data
}

#[command]
fn bytes_make(len: usize) -> Bytes {
    (0..len)
        .map(|i| (i % 251) as u8)
        .collect::<Vec<u8>>()
        .into()
}

#[command]
async fn sleep_then(ms: u64, tag: String) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    tag
}

#[command]
async fn slow_fail(ms: u64) -> Result<(), String> {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    Err("a secret error".into())
}

#[command]
async fn slow_dropped(observed: State<'_, ObservedRef>, tag: String, ms: u64) -> String {
    let observed: &'static Observed = observed.0;
    count(&observed.cancels.started, &tag);
    let _guard = DropGuard(observed, tag.clone());
    tokio::time::sleep(Duration::from_millis(ms)).await;
    count(&observed.cancels.after_await, &tag);
    tag
}

#[command]
async fn slow_bytes(observed: State<'_, ObservedRef>, data: Bytes, ms: u64) -> usize {
    let observed: &'static Observed = observed.0;
    count(&observed.cancels.started, "bytes");
    let _guard = DropGuard(observed, "bytes".into());
    tokio::time::sleep(Duration::from_millis(ms)).await;
    count(&observed.cancels.after_await, "bytes");
    data.len()
}

#[command]
fn polls(observed: State<'_, ObservedRef>, cancel: Cancellation) -> Result<(), String> {
    observed.cancels.polling.fetch_add(1, Ordering::SeqCst);
    for _ in 0..10_000 {
        if cancel.is_cancelled() {
            observed.cancels.stopped.fetch_add(1, Ordering::SeqCst);
            return Err("stopped".into());
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}

#[command]
fn ignores(observed: State<'_, ObservedRef>) -> &'static str {
    std::thread::sleep(Duration::from_millis(300));
    observed.cancels.finished.fetch_add(1, Ordering::SeqCst);
    "finished"
}

#[command]
fn never_called(observed: State<'_, ObservedRef>) {
    observed.cancels.never.fetch_add(1, Ordering::SeqCst);
}

#[command]
fn cancel_stats(app: AppHandle, observed: State<'_, ObservedRef>) -> serde_json::Value {
    let c = &observed.cancels;
    serde_json::json!({
        "started": *c.started.lock().unwrap(),
        "drops": *c.drops.lock().unwrap(),
        "afterAwait": *c.after_await.lock().unwrap(),
        "polling": c.polling.load(Ordering::SeqCst),
        "stopped": c.stopped.load(Ordering::SeqCst),
        "finished": c.finished.load(Ordering::SeqCst),
        "never": c.never.load(Ordering::SeqCst),
        "inFlight": app.__cancellable_calls(),
    })
}

#[command]
fn close_cancel_window(window: Window, observed: State<'_, ObservedRef>) -> Result<(), String> {
    window.close().map_err(|e| e.to_string())?;
    observed.cancel_closed.store(true, Ordering::SeqCst);
    exit_when_done(window.app(), &observed);
    Ok(())
}

#[command]
fn record(observed: State<'_, ObservedRef>) -> u64 {
    observed.records.fetch_add(1, Ordering::SeqCst) + 1
}

#[command]
fn bump(observed: State<'_, ObservedRef>) -> u64 {
    observed.bumps.fetch_add(1, Ordering::SeqCst) + 1
}

#[command]
fn set_note(observed: State<'_, ObservedRef>, note: String) {
    *observed.note.lock().unwrap() = Some(note);
}

#[command]
fn get_note(observed: State<'_, ObservedRef>) -> Option<String> {
    observed.note.lock().unwrap().clone()
}

#[command]
async fn async_thread_name() -> String {
    thread_name()
}

/// Where an async command's first poll ran, and where it went on after a
/// real wait.
#[command]
async fn async_threads_across_a_wait() -> Vec<String> {
    let first = thread_name();
    tokio::time::sleep(Duration::from_millis(2)).await;
    vec![first, thread_name()]
}

#[command]
fn whoami(window: Window) -> String {
    window.label().to_owned()
}

#[command]
fn retitle(window: Window, title: String) -> Result<(), String> {
    window.set_title(title).map_err(|e| e.to_string())
}

#[command]
fn eval_here(window: Window, script: String) -> Result<(), String> {
    window.eval(script).map_err(|e| e.to_string())
}

#[command]
fn open_child(app: AppHandle) -> Result<&'static str, String> {
    app.create_window(
        WindowConfig::new("child")
            .url("child.html")
            .size(400.0, 300.0),
    )
    .map_err(|e| e.to_string())?;
    Ok("child")
}

#[command]
fn close_me(window: Window, observed: State<'_, ObservedRef>) -> Result<(), String> {
    window.close().map_err(|e| e.to_string())?;
    observed.child_closed.store(true, Ordering::SeqCst);
    exit_when_done(window.app(), &observed);
    Ok(())
}

#[command]
fn report(app: AppHandle, observed: State<'_, ObservedRef>, window: String, results: Vec<Check>) {
    observed.reports.lock().unwrap().insert(window, results);
    exit_when_done(&app, &observed);
}

/// Stops the app once every window reported and the child closed itself.
fn exit_when_done(app: &AppHandle, observed: &Observed) {
    let reports = observed.reports.lock().unwrap();
    if WINDOWS.iter().all(|w| reports.contains_key(*w))
        && observed.child_closed.load(Ordering::SeqCst)
        && observed.cancel_closed.load(Ordering::SeqCst)
    {
        app.exit().unwrap();
    }
}

fn main() -> ExitCode {
    start_e2e("webview e2e");
    let observed: &'static Observed = Box::leak(Box::default());
    let result = App::builder()
        .manage(ObservedRef(observed))
        .commands(commands![
            greet,
            make_todo,
            echo,
            fail,
            boom,
            bytes_echo,
            bytes_make,
            sleep_then,
            slow_fail,
            slow_dropped,
            slow_bytes,
            polls,
            ignores,
            never_called,
            cancel_stats,
            close_cancel_window,
            record,
            bump,
            set_note,
            get_note,
            thread_name,
            async_thread_name,
            async_threads_across_a_wait,
            whoami,
            retitle,
            eval_here,
            open_child,
            close_me,
            report,
        ])
        .window(WindowConfig::new("main").title("e2e main"))
        .window(WindowConfig::new("second").url("second.html"))
        .window(WindowConfig::new("evil").url("app://evil/evil.html"))
        .window(WindowConfig::new("reload").url("reload.html"))
        .window(WindowConfig::new("leak").url("leak.html"))
        .window(WindowConfig::new("cancel").url("cancel.html"))
        .window(WindowConfig::new("cancel-reload").url("cancel-reload.html"))
        .window(WindowConfig::new("cancel-close").url("cancel-close.html"))
        .allow_navigation("app://evil")
        // The default CSP's 'self' matches nothing in an opaque-origin
        // (sandboxed) frame, which would stop the sandboxed-frame attack before
        // it reaches the core. Name the origin so the core's own check is tested.
        .csp(Some(
            DEFAULT_CSP.replace("'self'", "'self' app://localhost"),
        ))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/e2e/dist"
        )))
        .run();
    if let Err(err) = result {
        eprintln!("webview e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }
    verify(observed)
}

/// `State<'_, ObservedRef>` resolves through this wrapper, so the test keeps its
/// own reference after `run()` returns.
struct ObservedRef(&'static Observed);

impl std::ops::Deref for ObservedRef {
    type Target = Observed;
    fn deref(&self) -> &Observed {
        self.0
    }
}

fn verify(observed: &Observed) -> ExitCode {
    let mut checks = window_checks(&observed.reports.lock().unwrap(), &WINDOWS);
    let records = observed.records.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: refused attacks ran no command (record called once, by the main page)",
        records == 1,
        format!("record ran {records} times"),
    ));
    let bumps = observed.bumps.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: both windows changed the same state",
        bumps == 20,
        format!("counter is {bumps}"),
    ));
    checks.push(Check::new(
        "core: the child window closed itself through its Window",
        observed.child_closed.load(Ordering::SeqCst),
        "",
    ));
    verdict(&checks)
}
