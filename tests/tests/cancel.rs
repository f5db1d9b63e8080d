//! Cancellation through `MockApp`: the same core path the web view takes when
//! a page aborts a call (`invoke(cmd, args, { signal })`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis::test::MockApp;
use portcullis::{Cancellation, ErrorCode, State, command, commands};
use serde_json::json;

#[derive(Default)]
struct Counters {
    dropped: AtomicU64,
    after_await: AtomicU64,
    stopped: AtomicU64,
    finished: AtomicU64,
    cleaned_up: AtomicU64,
}

type Seen<'a> = State<'a, &'static Counters>;

/// Counts its drop: lives in the command's future.
struct DropGuard(&'static Counters);

impl Drop for DropGuard {
    fn drop(&mut self) {
        self.0.dropped.fetch_add(1, Ordering::SeqCst);
    }
}

#[command]
async fn slow(seen: Seen<'_>, ms: u64) -> u64 {
    let counters: &'static Counters = *seen;
    let _guard = DropGuard(counters);
    tokio::time::sleep(Duration::from_millis(ms)).await;
    counters.after_await.fetch_add(1, Ordering::SeqCst);
    ms
}

#[command]
async fn cleans_up(seen: Seen<'_>, cancel: Cancellation) -> Result<(), String> {
    let counters: &'static Counters = *seen;
    tokio::select! {
        _ = cancel.cancelled() => {
            counters.cleaned_up.fetch_add(1, Ordering::SeqCst);
            Err("cancelled".into())
        }
        _ = tokio::time::sleep(Duration::from_secs(30)) => Ok(()),
    }
}

#[command]
fn polls(seen: Seen<'_>, cancel: Cancellation) -> Result<u32, String> {
    for step in 0..5_000 {
        if cancel.is_cancelled() {
            seen.stopped.fetch_add(1, Ordering::SeqCst);
            return Err(format!("stopped at step {step}"));
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(5_000)
}

#[command]
fn ignores(seen: Seen<'_>) -> &'static str {
    std::thread::sleep(Duration::from_millis(100));
    seen.finished.fetch_add(1, Ordering::SeqCst);
    "done"
}

fn app() -> (MockApp, &'static Counters) {
    let counters: &'static Counters = Box::leak(Box::default());
    let app = MockApp::new(commands![slow, cleans_up, polls, ignores]).manage(counters);
    (app, counters)
}

async fn settle() {
    tokio::time::sleep(Duration::from_millis(50)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_aborted_async_call_drops_its_future_at_the_next_await() {
    let (app, counters) = app();
    let call = app.start("slow", json!({ "ms": 10_000 }));
    settle().await;
    assert_eq!(app.calls_in_flight(), 1);
    call.cancel();
    let err = tokio::time::timeout(Duration::from_secs(2), call)
        .await
        .expect("settles at once, not after the command's 10 s")
        .unwrap_err();
    assert_eq!(
        (err.code(), err.command()),
        (ErrorCode::Cancelled, Some("slow"))
    );
    assert_eq!(counters.dropped.load(Ordering::SeqCst), 1, "its Drop ran");
    settle().await;
    assert_eq!(
        counters.after_await.load(Ordering::SeqCst),
        0,
        "nothing after the await ran"
    );
    assert_eq!(app.calls_in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_aborted_together_are_all_dropped() {
    let (app, counters) = app();
    let calls: Vec<_> = (0..1_000)
        .map(|_| app.start("slow", json!({ "ms": 10_000 })))
        .collect();
    settle().await;
    assert_eq!(app.calls_in_flight(), 1_000);
    for call in &calls {
        call.cancel();
    }
    for call in calls {
        assert_eq!(call.await.unwrap_err().code(), ErrorCode::Cancelled);
    }
    assert_eq!(counters.dropped.load(Ordering::SeqCst), 1_000);
    assert_eq!(counters.after_await.load(Ordering::SeqCst), 0);
    assert_eq!(app.calls_in_flight(), 0, "the in-flight table is empty");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_command_can_clean_up_when_cancelled() {
    let (app, counters) = app();
    let call = app.start("cleans_up", json!({}));
    settle().await;
    call.cancel();
    assert_eq!(call.await.unwrap_err().code(), ErrorCode::Cancelled);
    // The future is polled once more when cancelled: its select! sees the
    // cancellation first and cleans up; the result is `cancelled` anyway.
    assert_eq!(counters.cleaned_up.load(Ordering::SeqCst), 1);
    assert_eq!(app.calls_in_flight(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_command_polling_its_cancellation_stops() {
    let (app, counters) = app();
    let call = app.start("polls", json!({}));
    settle().await;
    call.cancel();
    let err = tokio::time::timeout(Duration::from_secs(2), call)
        .await
        .expect("the command stopped early")
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Cancelled);
    assert_eq!(counters.stopped.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sync_command_that_ignores_it_finishes_and_its_reply_is_discarded() {
    let (app, counters) = app();
    let call = app.start("ignores", json!({}));
    settle().await;
    call.cancel();
    assert_eq!(call.await.unwrap_err().code(), ErrorCode::Cancelled);
    assert_eq!(
        counters.finished.load(Ordering::SeqCst),
        1,
        "it ran to the end"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_after_the_reply_does_nothing() {
    let (app, counters) = app();
    let call = app.start("slow", json!({ "ms": 1 }));
    tokio::time::sleep(Duration::from_millis(100)).await;
    call.cancel();
    assert_eq!(call.await, Ok(json!(1)));
    assert_eq!(counters.after_await.load(Ordering::SeqCst), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn calls_that_cannot_be_cancelled_are_not_tracked() {
    let (app, _) = app();
    let call = app.invoke("ignores", json!({}));
    let (result, in_flight) = tokio::join!(call, async {
        settle().await;
        app.calls_in_flight()
    });
    assert_eq!(result, Ok(json!("done")));
    assert_eq!(in_flight, 0);
}
