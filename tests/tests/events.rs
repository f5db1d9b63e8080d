//! End-to-end: events both ways, in real WebKitGTK (under Xvfb in CI).
//!
//! Windows `ev-main`, `ev-second`, `ev-reload` and `ev-late` run the checks
//! in `e2e/dist/events*.js` and report through `report`; this binary then
//! asserts them, and what only the core sees: which page events its
//! listener got, and that no registration outlived its page.
//! `harness = false`: GTK must own the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;

use portcullis::{
    App, AppHandle, Assets, Event, State, Window, WindowConfig, command, commands, events,
};
use portcullis_tests::{Check, start_e2e, verdict, window_checks};
use serde::{Deserialize, Serialize};

const WINDOWS: [&str; 4] = ["ev-main", "ev-second", "ev-reload", "ev-late"];

/// A todo was added (page to core, relayed to pages).
#[derive(Clone, Debug, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
#[serde(rename_all = "camelCase")]
struct TodoAdded {
    id: u64,
    title: String,
}

/// Progress of some work (core to page).
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Progress {
    done: u32,
    total: u32,
}

/// One of many events emitted from several threads at once.
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
#[event(name = "seq")]
struct Seq {
    thread: u32,
    n: u32,
}

/// A payload of any size and shape.
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Blob {
    value: serde_json::Value,
}

/// Sent to `ev-late` before its page exists.
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Hello {
    text: String,
}

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    /// What the core's `todo-added` listener received: (window, id, title).
    received: Mutex<Vec<(String, u64, String)>>,
    /// Registrations and waiting events per window, read when each reported.
    leftovers: Mutex<BTreeMap<String, (usize, usize)>>,
}

struct ObservedRef(&'static Observed);

impl std::ops::Deref for ObservedRef {
    type Target = Observed;
    fn deref(&self) -> &Observed {
        self.0
    }
}

#[command]
fn emit_progress(app: AppHandle, total: u32) -> Result<(), String> {
    for done in 1..=total {
        app.emit(&Progress { done, total })
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[command]
fn emit_progress_to(app: AppHandle, window: String, total: u32) -> Result<(), String> {
    app.emit_to(&window, &Progress { done: total, total })
        .map_err(|e| e.to_string())
}

/// `threads` threads emit `per_thread` events each to the calling window,
/// all at once; returns after the last one was emitted.
#[command]
fn emit_burst(window: Window, threads: u32, per_thread: u32) -> Result<u32, String> {
    let barrier = std::sync::Barrier::new(threads as usize);
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|thread| {
                let (window, barrier) = (&window, &barrier);
                scope.spawn(move || {
                    barrier.wait();
                    for n in 0..per_thread {
                        window.emit(&Seq { thread, n })?;
                    }
                    Ok::<(), portcullis::Error>(())
                })
            })
            .collect();
        for handle in handles {
            handle
                .join()
                .expect("emitter thread")
                .map_err(|e| e.to_string())?;
        }
        Ok(threads * per_thread)
    })
}

#[command]
fn emit_blob(window: Window, value: serde_json::Value) -> Result<(), String> {
    window.emit(&Blob { value }).map_err(|e| e.to_string())
}

/// A big blob made here (so the page's argument stays small): `len` bytes of text.
#[command]
fn emit_big_blob(window: Window, len: usize) -> Result<(), String> {
    let text: String = (0..len)
        .map(|i| char::from(b'a' + (i % 26) as u8))
        .collect();
    window
        .emit(&Blob { value: text.into() })
        .map_err(|e| e.to_string())
}

/// Opens `ev-late` and emits to it at once, before its page can listen.
#[command]
fn open_late(app: AppHandle) -> Result<(), String> {
    app.create_window(WindowConfig::new("ev-late").url("events-late.html"))
        .map_err(|e| e.to_string())?;
    app.emit_to(
        "ev-late",
        &Hello {
            text: "before you listened".into(),
        },
    )
    .map_err(|e| e.to_string())
}

#[command]
fn core_received(observed: State<'_, ObservedRef>) -> Vec<(String, u64, String)> {
    observed.received.lock().unwrap().clone()
}

/// Event names the page of `window` listens to in the core, and events waiting for it.
#[command]
fn subscriptions(app: AppHandle, window: String) -> (usize, usize) {
    app.__event_subscriptions(&window)
}

#[command]
fn report(
    app: AppHandle,
    observed: State<'_, ObservedRef>,
    window: String,
    results: Vec<portcullis_tests::Check>,
) {
    let counts = app.__event_subscriptions(&window);
    observed
        .leftovers
        .lock()
        .unwrap()
        .insert(window.clone(), counts);
    let mut reports = observed.reports.lock().unwrap();
    reports.insert(window, results);
    if WINDOWS.iter().all(|w| reports.contains_key(*w)) {
        app.exit().unwrap();
    }
}

fn main() -> ExitCode {
    start_e2e("events e2e");
    let observed: &'static Observed = Box::leak(Box::default());
    let result = App::builder()
        .manage(ObservedRef(observed))
        .commands(commands![
            emit_progress,
            emit_progress_to,
            emit_burst,
            emit_blob,
            emit_big_blob,
            open_late,
            core_received,
            subscriptions,
            report,
        ])
        .events(events![Progress, Seq, Blob, Hello])
        .on_event(move |event: Event<TodoAdded>| {
            observed.received.lock().unwrap().push((
                event.window.clone(),
                event.payload.id,
                event.payload.title.clone(),
            ));
        })
        .window(WindowConfig::new("ev-main").url("events.html"))
        .window(WindowConfig::new("ev-second").url("events-second.html"))
        .window(WindowConfig::new("ev-reload").url("events-reload.html"))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/e2e/dist"
        )))
        .run();
    if let Err(err) = result {
        eprintln!("events e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }
    let mut checks = window_checks(&observed.reports.lock().unwrap(), &WINDOWS);
    let received = observed.received.lock().unwrap().clone();
    let from_main: Vec<_> = received.iter().filter(|r| r.0 == "ev-main").collect();
    checks.push(Check::new(
        "core: the todo-added listener got the page's two valid events, typed, and nothing refused",
        from_main.len() == 2
            && from_main[0].1 == 1
            && from_main[0].2 == "first"
            && from_main[1].1 == 2,
        format!("{received:?}"),
    ));
    let leftovers = observed.leftovers.lock().unwrap().clone();
    checks.push(Check::new(
        "core: after 1,000 listen/unlisten cycles and a reload, ev-reload has no registration left",
        leftovers.get("ev-reload") == Some(&(1, 0)),
        format!("(names listened to, events waiting) per window: {leftovers:?}"),
    ));
    verdict(&checks)
}
