//! Abort to drop: how long after a call is cancelled its async command's
//! future is dropped (its `Drop` runs), through the core's real path
//! (`MockApp::start` + `PendingCall::cancel`: the registry, the token,
//! `run_until_cancelled`), against the same measurement of a bare tokio task
//! aborted with `JoinHandle::abort`, in the same run.
//!
//! `cargo bench -p portcullis --bench cancel --features test-hooks`: prints
//! the median and p99 over 1,000 sequential cancels of each, and the ratio.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use portcullis::test::MockApp;
use portcullis::{State, command, commands};

const CALLS: usize = 1_000;

/// Reports the instant it is dropped.
struct Dropped(mpsc::Sender<Instant>);

impl Drop for Dropped {
    fn drop(&mut self) {
        let _ = self.0.send(Instant::now());
    }
}

struct Probe(
    std::sync::Mutex<mpsc::Sender<Instant>>,
    std::sync::Mutex<mpsc::Sender<()>>,
);

#[command]
async fn wait_forever(probe: State<'_, Probe>) {
    let _dropped = Dropped(probe.0.lock().unwrap().clone());
    let _ = probe.1.lock().unwrap().send(());
    std::future::pending::<()>().await;
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    let median = percentile(&samples, 0.5);
    println!(
        "| {name} | {:.1} µs | {:.1} µs |",
        median.as_secs_f64() * 1e6,
        percentile(&samples, 0.99).as_secs_f64() * 1e6
    );
    median
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (dropped_tx, dropped_rx) = mpsc::channel();
    let (started_tx, started_rx) = mpsc::channel();
    let _guard = runtime.enter();
    let app = MockApp::new(commands![wait_forever]).manage(Probe(
        std::sync::Mutex::new(dropped_tx.clone()),
        std::sync::Mutex::new(started_tx.clone()),
    ));

    let mut portcullis = Vec::with_capacity(CALLS);
    let mut tokio = Vec::with_capacity(CALLS);
    for _ in 0..CALLS {
        // Portcullis: a started call, cancelled.
        let call = app.start("wait_forever", serde_json::json!({}));
        started_rx.recv().unwrap();
        let at = Instant::now();
        call.cancel();
        portcullis.push(dropped_rx.recv().unwrap() - at);
        runtime.block_on(async { assert!(call.await.is_err()) });

        // Baseline: the same future as a bare tokio task, aborted.
        let (dropped, started) = (dropped_tx.clone(), started_tx.clone());
        let task = runtime.spawn(async move {
            let _dropped = Dropped(dropped);
            let _ = started.send(());
            std::future::pending::<()>().await;
        });
        started_rx.recv().unwrap();
        let at = Instant::now();
        task.abort();
        tokio.push(dropped_rx.recv().unwrap() - at);
    }
    println!("| abort to drop ({CALLS} sequential) | median | p99 |");
    println!("|---|---|---|");
    let ours = report(
        "portcullis: PendingCall::cancel -> future dropped",
        portcullis,
    );
    let base = report("baseline: tokio JoinHandle::abort -> future dropped", tokio);
    println!(
        "\nratio of medians: {:.2}x",
        ours.as_secs_f64() / base.as_secs_f64()
    );
}
