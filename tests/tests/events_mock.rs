//! Events through `MockApp`: the core's side of what the web view does (the
//! pages' side is the `events` end-to-end binary).

use std::sync::{Arc, Mutex};

use portcullis::test::{MockApp, Sent};
use portcullis::{AppHandle, ErrorCode, Event, Window, WindowConfig, command, commands, events};
use serde::{Deserialize, Serialize};
use serde_json::json;

/// A todo was added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
#[serde(rename_all = "camelCase")]
struct TodoAdded {
    id: u64,
    title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Progress {
    done: u32,
    total: u32,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
#[event(name = "never-registered")]
struct Stray;

#[command]
fn add(app: AppHandle, id: u64, title: String) -> Result<(), String> {
    app.emit(&TodoAdded { id, title })
        .map_err(|e| e.to_string())
}

#[command]
fn progress_here(window: Window, done: u32) -> Result<(), String> {
    window
        .emit(&Progress { done, total: 10 })
        .map_err(|e| e.to_string())
}

#[command]
fn stray(app: AppHandle) -> Result<(), String> {
    app.emit(&Stray).map_err(|e| e.to_string())
}

fn emitted(sent: Vec<Sent>) -> Vec<(String, String, serde_json::Value)> {
    sent.into_iter()
        .filter_map(|s| match s {
            Sent::Emit {
                window,
                event,
                payload,
            } => Some((window, event, payload)),
            _ => None,
        })
        .collect()
}

fn app() -> MockApp {
    let app =
        MockApp::new(commands![add, progress_here, stray]).events(events![TodoAdded, Progress]);
    app.handle()
        .create_window(WindowConfig::new("second"))
        .unwrap();
    app.sent();
    app
}

#[tokio::test]
async fn the_core_emits_to_every_window_or_to_one() {
    let app = app();
    app.invoke("add", json!({ "id": 1, "title": "milk" }))
        .await
        .unwrap();
    let mut all = emitted(app.sent());
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let payload = json!({ "id": 1, "title": "milk" });
    assert_eq!(
        all,
        [
            ("main".into(), "todo-added".into(), payload.clone()),
            ("second".into(), "todo-added".into(), payload),
        ]
    );
    app.invoke_from("second", "progress_here", json!({ "done": 3 }))
        .await
        .unwrap();
    assert_eq!(
        emitted(app.sent()),
        [(
            "second".into(),
            "progress".into(),
            json!({ "done": 3, "total": 10 })
        )]
    );
    app.handle()
        .emit_to("main", &Progress { done: 1, total: 2 })
        .unwrap();
    assert_eq!(emitted(app.sent()).len(), 1);
    let err = app
        .handle()
        .emit_to("nowhere", &Progress { done: 1, total: 2 })
        .unwrap_err();
    assert!(err.to_string().contains("nowhere"), "{err}");
}

#[tokio::test]
async fn an_unregistered_event_cannot_be_emitted() {
    let app = app();
    let err = app.invoke("stray", json!({})).await.unwrap_err();
    assert!(
        err.message().contains("never-registered") && err.message().contains("not registered"),
        "{err}"
    );
    assert!(app.sent().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_events_reach_the_listeners_typed_off_the_calling_thread_and_are_relayed() {
    type Seen = Arc<Mutex<Vec<(Event<TodoAdded>, String)>>>;
    let seen: Seen = Arc::default();
    let app = {
        let seen = seen.clone();
        MockApp::new(commands![]).on_event(move |event: Event<TodoAdded>| {
            let thread = std::thread::current().name().unwrap_or("").to_owned();
            seen.lock().unwrap().push((event, thread));
        })
    };
    app.emit(
        "todo-added",
        json!({ "id": 7, "title": "bread", "ignored": 1 }),
    )
    .await
    .unwrap();
    {
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 1);
        assert_eq!(
            seen[0].0.payload,
            TodoAdded {
                id: 7,
                title: "bread".into()
            }
        );
        assert_eq!(seen[0].0.window(), "main");
        assert_eq!(seen[0].1, "portcullis-events");
    }
    // Relayed to the pages as the type keeps it.
    assert_eq!(
        emitted(app.sent()),
        [(
            "main".into(),
            "todo-added".into(),
            json!({ "id": 7, "title": "bread" })
        )]
    );
}

#[tokio::test]
async fn bad_page_events_are_refused_and_run_nothing() {
    let runs = Arc::new(Mutex::new(0));
    let app = {
        let runs = runs.clone();
        MockApp::new(commands![]).on_event(move |_: Event<TodoAdded>| *runs.lock().unwrap() += 1)
    };
    let err = app.emit("no-such-event", json!(1)).await.unwrap_err();
    assert_eq!(
        (err.code(), err.command()),
        (ErrorCode::UnknownEvent, Some("no-such-event"))
    );
    let err = app
        .emit("todo-added", json!({ "id": "7", "title": "x" }))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.arg()),
        (ErrorCode::InvalidArgs, Some("payload.id"))
    );
    assert!(err.message().contains("payload.id"), "{err}");
    let err = app.emit("bad name", json!(1)).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownEvent);
    let err = app
        .emit_from(
            "main",
            "todo-added",
            Some("nowhere"),
            json!({ "id": 1, "title": "x" }),
        )
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.arg()),
        (ErrorCode::InvalidArgs, Some("to"))
    );
    for raw in [
        &b"not json"[..],
        b"{\"payload\":{\"id\":1,\"title\":\"x\"},\"extra\":1}",
        b"[]",
        b"\xff\xfe",
    ] {
        let err = app.emit_raw("main", "todo-added", raw).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgs, "{err}");
    }
    assert_eq!(*runs.lock().unwrap(), 0, "no listener ran");
    assert!(app.sent().is_empty(), "nothing relayed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_listener_does_not_stop_the_next_event() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let app = {
        let seen = seen.clone();
        MockApp::new(commands![]).on_event(move |event: Event<Progress>| {
            if event.payload.done == 1 {
                panic!("listener bug");
            }
            seen.lock().unwrap().push(event.payload.done);
        })
    };
    app.emit("progress", json!({ "done": 1, "total": 2 }))
        .await
        .unwrap();
    app.emit("progress", json!({ "done": 2, "total": 2 }))
        .await
        .unwrap();
    assert_eq!(*seen.lock().unwrap(), [2]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn emits_from_four_threads_keep_each_threads_order() {
    let app = app();
    let handle = app.handle();
    std::thread::scope(|scope| {
        for thread in 0..4u32 {
            let handle = handle.clone();
            scope.spawn(move || {
                for done in 0..2_500u32 {
                    handle
                        .emit_to(
                            "main",
                            &Progress {
                                done,
                                total: thread,
                            },
                        )
                        .unwrap();
                }
            });
        }
    });
    let sent = emitted(app.sent());
    assert_eq!(sent.len(), 10_000);
    let mut next = [0u64; 4];
    for (window, _, payload) in sent {
        assert_eq!(window, "main");
        let thread = payload["total"].as_u64().unwrap() as usize;
        assert_eq!(payload["done"].as_u64().unwrap(), next[thread]);
        next[thread] += 1;
    }
}
