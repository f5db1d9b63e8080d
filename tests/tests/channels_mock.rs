//! Channels through `MockApp`: a command streams to the page, with
//! backpressure, closing from both sides and no leaks. (The page's side in a
//! real web view is the `channels` end-to-end binary.)

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis::test::{MockApp, Output};
use portcullis::{Bytes, Channel, ChannelError, Limits, State, command, commands};
use serde_json::json;

#[derive(Default)]
struct Seen {
    sent: AtomicU64,
    last_error: std::sync::Mutex<Option<ChannelError>>,
    runs: AtomicU64,
}

type Obs<'a> = State<'a, Arc<Seen>>;

#[command]
async fn count(seen: Obs<'_>, to: u64, out: Channel<u64>) -> Result<u64, String> {
    seen.runs.fetch_add(1, Ordering::SeqCst);
    for n in 1..=to {
        if let Err(err) = out.send(n).await {
            *seen.last_error.lock().unwrap() = Some(err);
            return Err(err.to_string());
        }
        seen.sent.fetch_add(1, Ordering::SeqCst);
    }
    Ok(to)
}

#[command]
fn try_fill(out: Channel<u64>, n: u64) -> Vec<String> {
    (0..n)
        .map(|i| match out.try_send(i) {
            Ok(()) => "ok".to_owned(),
            Err(err) => format!("{err:?}"),
        })
        .collect()
}

#[command]
async fn chunks(sizes: Vec<usize>, out: Channel<Bytes>) -> Result<(), String> {
    for (i, size) in sizes.into_iter().enumerate() {
        let chunk: Vec<u8> = (0..size).map(|j| (i + j) as u8).collect();
        out.send(chunk.into()).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

fn app(limits: Limits) -> (MockApp, Arc<Seen>) {
    let seen = Arc::new(Seen::default());
    let app = MockApp::new(commands![count, try_fill, chunks])
        .manage(seen.clone())
        .limits(limits);
    (app, seen)
}

fn number(output: Option<Output>) -> u64 {
    match output {
        Some(Output::Json(json)) => serde_json::from_slice(&json).unwrap(),
        other => panic!("expected a number, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_thousand_messages_arrive_in_order_once() {
    let (app, _) = app(Limits::default());
    let out = app.channel();
    let call = {
        let app = app.clone();
        let arg = out.arg();
        tokio::spawn(async move {
            app.invoke("count", json!({ "to": 100_000, "out": arg }))
                .await
        })
    };
    let mut expected = 1;
    while let Some(message) = out.recv().await {
        assert_eq!(number(Some(message)), expected);
        expected += 1;
        if expected % 100 == 0 {
            out.ack().unwrap();
        }
    }
    assert_eq!(expected, 100_001);
    assert_eq!(call.await.unwrap().unwrap(), json!(100_000));
    assert_eq!(app.channels_open(), 0, "dropped with the call");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn send_waits_while_the_page_is_behind_and_the_bound_holds() {
    let (app, seen) = app(Limits::default().channel_messages(8).channel_bytes(1 << 20));
    let out = app.channel();
    let call = {
        let app = app.clone();
        let arg = out.arg();
        tokio::spawn(async move { app.invoke("count", json!({ "to": 50, "out": arg })).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(seen.sent.load(Ordering::SeqCst), 8, "stopped at the bound");
    // Read them all but acknowledge nothing: still stopped.
    for n in 1..=8 {
        assert_eq!(number(out.recv().await), n);
    }
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(seen.sent.load(Ordering::SeqCst), 8);
    out.ack().unwrap();
    // A repeated acknowledgement changes nothing.
    out.ack().unwrap();
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(
        seen.sent.load(Ordering::SeqCst),
        16,
        "one more window's worth"
    );
    let mut n = 9;
    while let Some(message) = out.recv().await {
        assert_eq!(number(Some(message)), n);
        n += 1;
        out.ack().unwrap();
    }
    assert_eq!(n, 51);
    call.await.unwrap().unwrap();
}

#[tokio::test]
async fn try_send_reports_full() {
    let (app, _) = app(Limits::default().channel_messages(3));
    let out = app.channel();
    let result = app
        .invoke("try_fill", json!({ "out": out.arg(), "n": 5 }))
        .await
        .unwrap();
    assert_eq!(result, json!(["ok", "ok", "ok", "Full", "Full"]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn closing_from_the_page_fails_the_next_send_even_a_waiting_one() {
    let (app, seen) = app(Limits::default().channel_messages(4));
    let out = app.channel();
    let call = {
        let app = app.clone();
        let arg = out.arg();
        tokio::spawn(async move { app.invoke("count", json!({ "to": 1000, "out": arg })).await })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(seen.sent.load(Ordering::SeqCst), 4, "waiting for the page");
    out.close().unwrap();
    let err = tokio::time::timeout(Duration::from_secs(2), call)
        .await
        .expect("the waiting send fails at once")
        .unwrap()
        .unwrap_err();
    assert!(err.message().contains("closed"), "{err}");
    assert_eq!(*seen.last_error.lock().unwrap(), Some(ChannelError::Closed));
    assert_eq!(seen.runs.load(Ordering::SeqCst), 1, "run once");
    assert_eq!(app.channels_open(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_call_closes_its_channel() {
    let (app, seen) = app(Limits::default().channel_messages(2));
    let out = app.channel();
    let call = app.start("count", json!({ "to": 1000, "out": out.arg() }));
    tokio::time::sleep(Duration::from_millis(50)).await;
    call.cancel();
    let err = call.await.unwrap_err();
    assert_eq!(err.code(), portcullis::ErrorCode::Cancelled);
    assert_eq!(seen.sent.load(Ordering::SeqCst), 2);
    // The page learns it ended: what was sent, then the end.
    assert_eq!(number(out.recv().await), 1);
    assert_eq!(number(out.recv().await), 2);
    assert_eq!(out.recv().await, None);
    assert_eq!(app.channels_open(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn byte_chunks_travel_raw_of_every_size() {
    let (app, _) = app(Limits::default());
    let out = app.channel();
    let sizes = vec![0, 1, 1000, 1 << 20, 4 << 20, 3];
    let call = {
        let app = app.clone();
        let arg = out.arg();
        let sizes = sizes.clone();
        tokio::spawn(async move {
            app.invoke("chunks", json!({ "sizes": sizes, "out": arg }))
                .await
        })
    };
    for (i, size) in sizes.into_iter().enumerate() {
        let Some(Output::Binary(chunk)) = out.recv().await else {
            panic!("chunk {i} is not raw bytes");
        };
        assert_eq!(chunk.len(), size);
        assert!(chunk.iter().enumerate().all(|(j, b)| *b == (i + j) as u8));
        out.ack().unwrap();
    }
    assert_eq!(out.recv().await, None);
    call.await.unwrap().unwrap();
}

#[tokio::test]
async fn ten_thousand_channels_leave_nothing_behind() {
    let (app, _) = app(Limits::default());
    for _ in 0..10_000 {
        let out = app.channel();
        app.invoke("count", json!({ "to": 1, "out": out.arg() }))
            .await
            .unwrap();
        assert_eq!(number(out.recv().await), 1);
        assert_eq!(out.recv().await, None);
    }
    assert_eq!(app.channels_open(), 0);
}

#[tokio::test]
async fn a_bad_channel_argument_is_a_clear_error() {
    let (app, _) = app(Limits::default());
    for (arg, expected) in [
        (json!(7), "expected a Channel"),
        (json!({ "id": 7 }), "expected a Channel"),
        (json!({ "__portcullisChannel": "x" }), "expected a Channel"),
    ] {
        let err = app
            .invoke("count", json!({ "to": 1, "out": arg }))
            .await
            .unwrap_err();
        assert_eq!(err.code(), portcullis::ErrorCode::InvalidArgs);
        assert!(err.message().contains(expected), "{err}");
        assert_eq!(err.arg(), Some("out"));
    }
    let err = app.invoke("count", json!({ "to": 1 })).await.unwrap_err();
    assert!(err.message().contains("missing argument \"out\""), "{err}");
    // Acknowledging or closing a channel that is not there does nothing.
    let stray = app.channel();
    stray.ack().unwrap();
    stray.close().unwrap();
}
