//! End-to-end: the isolation pattern in real WebKitGTK, attacked.
//!
//! Two windows with isolation on. Their pages (`e2e/isolation/`) use the app
//! normally and also attack the channel: forged replies, synthetic frame
//! messages, reading the frame, and, with the outer IPC key handed to them by
//! a test-only hook, plaintext, replayed, altered and cross-window envelopes.
//! Every attack targets a command that counts its calls; this binary checks
//! the counts: no refused message ran anything. `harness = false`: GTK needs
//! the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis::{
    App, AppHandle, Bytes, Capability, Isolation, State, WindowConfig, command, commands,
};
use portcullis_tests::{Check, start_e2e, thread_name, verdict, window_checks};

const WINDOWS: [&str; 3] = ["main", "second", "limited"];

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    counted: AtomicU64,
    probes: AtomicU64,
    stash: Mutex<Option<String>>,
    rejected_ran: AtomicU64,
    switched: AtomicU64,
    guarded: AtomicU64,
    flags: Mutex<std::collections::BTreeSet<String>>,
    stashed_id: Mutex<Option<u64>>,
    started: Mutex<BTreeMap<String, u64>>,
    drops: Mutex<BTreeMap<String, u64>>,
    after_await: Mutex<BTreeMap<String, u64>>,
    probe: Mutex<Option<serde_json::Value>>,
    /// What the core's `note` listener received.
    notes: Mutex<Vec<String>>,
    /// Messages `iso_stream` sent.
    streamed: AtomicU64,
}

/// A note from a page (page to core, through the hook).
#[derive(Clone, serde::Serialize, serde::Deserialize, portcullis::Type, portcullis::Event)]
struct Note {
    text: String,
}

type Obs<'a> = State<'a, &'static Observed>;

/// Streams until the channel closes; returns how many went out.
#[command]
async fn iso_stream(observed: Obs<'_>, out: portcullis::Channel<u64>) -> u64 {
    let mut sent = 0;
    while out.send(sent).await.is_ok() {
        sent += 1;
        observed.streamed.fetch_add(1, Ordering::SeqCst);
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
    }
    sent
}

#[command]
fn streamed(observed: Obs<'_>) -> u64 {
    observed.streamed.load(Ordering::SeqCst)
}

#[command]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

#[command]
fn shout(text: String) -> String {
    text
}

#[command]
fn reject_me(observed: Obs<'_>) {
    observed.rejected_ran.fetch_add(1, Ordering::SeqCst);
}

#[command]
fn hang(observed: Obs<'_>) {
    observed.rejected_ran.fetch_add(1, Ordering::SeqCst);
}

#[command]
fn odd_names(
    payload: String,
    nonce: String,
    cmd: String,
    content_type: String,
    iv: String,
) -> String {
    format!("{payload} {nonce} {cmd} {content_type} {iv}")
}

#[command]
fn only_payload(payload: String) -> String {
    payload
}

#[command]
fn echo(value: serde_json::Value) -> serde_json::Value {
    value
}

#[command]
fn bytes_echo(data: Bytes) -> Bytes {
    data
}

#[command]
async fn sleep_then(ms: u64, tag: String) -> String {
    tokio::time::sleep(Duration::from_millis(ms)).await;
    tag
}

#[command]
fn counted(observed: Obs<'_>) -> u64 {
    observed.counted.fetch_add(1, Ordering::SeqCst) + 1
}

fn count(map: &Mutex<BTreeMap<String, u64>>, tag: &str) {
    *map.lock().unwrap().entry(tag.to_owned()).or_default() += 1;
}

/// Counts the drop of a command's future.
struct DropGuard(&'static Observed, String);

impl Drop for DropGuard {
    fn drop(&mut self) {
        count(&self.0.drops, &self.1);
    }
}

async fn slow_tagged(observed: &'static Observed, tag: String, ms: u64) -> String {
    count(&observed.started, &tag);
    let _guard = DropGuard(observed, tag.clone());
    tokio::time::sleep(Duration::from_millis(ms)).await;
    count(&observed.after_await, &tag);
    tag
}

#[command]
async fn slow_iso(observed: Obs<'_>, tag: String, ms: u64) -> String {
    slow_tagged(*observed, tag, ms).await
}

#[command]
async fn slow_iso_bytes(observed: Obs<'_>, data: Bytes, ms: u64) -> usize {
    slow_tagged(*observed, "iso-bytes".into(), ms).await;
    data.len()
}

/// The hook refuses to let calls of this command be cancelled.
#[command]
async fn uncancellable(observed: Obs<'_>, ms: u64) -> String {
    slow_tagged(*observed, "uncancellable".into(), ms).await
}

#[command]
fn set_flag(observed: Obs<'_>, name: String) {
    observed.flags.lock().unwrap().insert(name);
}

#[command]
fn has_flag(observed: Obs<'_>, name: String) -> bool {
    observed.flags.lock().unwrap().contains(&name)
}

#[command]
fn stash_id(observed: Obs<'_>, id: u64) {
    *observed.stashed_id.lock().unwrap() = Some(id);
}

#[command]
fn unstash_id(observed: Obs<'_>) -> Option<u64> {
    *observed.stashed_id.lock().unwrap()
}

#[command]
fn cancel_stats(observed: Obs<'_>) -> serde_json::Value {
    serde_json::json!({
        "started": *observed.started.lock().unwrap(),
        "drops": *observed.drops.lock().unwrap(),
        "afterAwait": *observed.after_await.lock().unwrap(),
    })
}

/// Target of the transport-switch attack: must never run.
#[command]
fn counted_switch(observed: Obs<'_>) -> u64 {
    observed.switched.fetch_add(1, Ordering::SeqCst) + 1
}

/// Guarded by the hook: runs only with values the hook allowed.
#[command]
fn guarded(observed: Obs<'_>, what: Option<String>, confirm: Option<bool>) -> u64 {
    let _ = (what, confirm);
    observed.guarded.fetch_add(1, Ordering::SeqCst) + 1
}

#[command]
fn counted_probe(observed: Obs<'_>) -> u64 {
    observed.probes.fetch_add(1, Ordering::SeqCst) + 1
}

#[command]
fn probe_frame(
    observed: Obs<'_>,
    scripts: u64,
    key_text_in_dom: bool,
    crypto_key_globals: Vec<String>,
    window: String,
) -> serde_json::Value {
    let seen = serde_json::json!({
        "scripts": scripts,
        "keyTextInDom": key_text_in_dom,
        "cryptoKeyGlobals": crypto_key_globals,
        "window": window,
    });
    *observed.probe.lock().unwrap() = Some(seen.clone());
    seen
}

#[command]
fn stash(observed: Obs<'_>, envelope: String) {
    *observed.stash.lock().unwrap() = Some(envelope);
}

#[command]
fn unstash(observed: Obs<'_>) -> Option<String> {
    observed.stash.lock().unwrap().clone()
}

#[command]
fn report(app: AppHandle, observed: Obs<'_>, window: String, results: Vec<Check>) {
    let mut reports = observed.reports.lock().unwrap();
    reports.insert(window, results);
    if WINDOWS.iter().all(|w| reports.contains_key(*w)) {
        // Let refused messages still in flight arrive (and be refused) first.
        std::thread::sleep(Duration::from_millis(300));
        app.exit().unwrap();
    }
}

fn main() -> ExitCode {
    start_e2e("isolation e2e");
    let observed: &'static Observed = Box::leak(Box::default());
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/e2e");
    let isolation =
        Isolation::dir(format!("{dir}/isolation-app")).expect("the isolation app builds");
    let result = App::builder()
        .manage(observed)
        .commands(commands![
            greet,
            thread_name,
            iso_stream,
            streamed,
            shout,
            reject_me,
            hang,
            odd_names,
            only_payload,
            echo,
            bytes_echo,
            sleep_then,
            counted,
            counted_probe,
            counted_switch,
            guarded,
            slow_iso,
            slow_iso_bytes,
            uncancellable,
            cancel_stats,
            set_flag,
            has_flag,
            stash_id,
            unstash_id,
            probe_frame,
            stash,
            unstash,
            report,
        ])
        .on_event(move |event: portcullis::Event<Note>| {
            observed.notes.lock().unwrap().push(event.payload.text);
        })
        // Capabilities with isolation on: the hook lets a call through, the
        // gate still refuses what the window's capability does not grant.
        .capability(
            Capability::new("windows")
                .windows(["main", "second"])
                .allow_all(),
        )
        .capability(
            Capability::new("limited")
                .windows(["limited"])
                .commands(commands![greet, report]),
        )
        .window(WindowConfig::new("limited").url("isolation-limited.html"))
        .window(WindowConfig::new("main").url("isolation.html"))
        .window(WindowConfig::new("second").url("isolation-second.html"))
        .assets(portcullis::Assets::dir(format!("{dir}/dist")))
        .isolation(isolation)
        // Long enough for 1,000 concurrent calls through the frame on a slow
        // CI machine (their timers start together); short enough that the
        // never-settling hook's check stays quick.
        .isolation_timeout(Duration::from_secs(5))
        // The webview suite runs with the default reply wait and warm
        // thread; this one without, so both ways a reply reaches the page
        // and both ways a sync command starts are exercised.
        .reply_wait(Duration::ZERO)
        .warm_spell(Duration::ZERO)
        // Small enough for the huge-envelope attack to cross it.
        .limits(portcullis::Limits::default().max_args_bytes(4 << 20))
        .__expose_ipc_key_for_tests()
        .run();
    if let Err(err) = result {
        eprintln!("isolation e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }

    let mut checks = window_checks(&observed.reports.lock().unwrap(), &WINDOWS);
    let counted = observed.counted.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: plaintext with the stolen key ran nothing (counted: once per window)",
        counted == 2,
        format!("counted ran {counted} times"),
    ));
    let probes = observed.probes.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: replayed, altered and cross-window envelopes ran nothing (3 legitimate probes)",
        probes == 3,
        format!("counted_probe ran {probes} times"),
    ));
    let rejected = observed.rejected_ran.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: calls the hook rejected or never released did not run",
        rejected == 0,
        format!("ran {rejected} times"),
    ));
    let switched = observed.switched.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: the transport-switched envelope and the smuggled name ran nothing",
        switched == 0,
        format!("counted_switch ran {switched} times"),
    ));
    let guarded = observed.guarded.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: wrapper objects the hook refused ran nothing (guarded: once, allowed)",
        guarded == 1,
        format!("guarded ran {guarded} times"),
    ));
    let dropped_other = observed.drops.lock().unwrap().get("other-window").copied();
    let finished_other = observed
        .after_await
        .lock()
        .unwrap()
        .get("other-window")
        .copied();
    checks.push(Check::new(
        "core: the other window's call was not cancelled (it ran past its await)",
        finished_other == Some(1) && dropped_other == Some(1),
        format!("after await {finished_other:?}, dropped {dropped_other:?}"),
    ));
    let forged = observed
        .after_await
        .lock()
        .unwrap()
        .get("forged-cancel")
        .copied();
    checks.push(Check::new(
        "core: the call a plaintext cancel targeted ran to the end",
        forged == Some(1),
        format!("{forged:?}"),
    ));
    let notes = observed.notes.lock().unwrap().clone();
    checks.push(Check::new(
        "core: the note listener got exactly what the hook let through, once each (no refused, plaintext or replayed emit)",
        notes == ["HI", "ONCE"],
        format!("{notes:?}"),
    ));
    verdict(&checks)
}
