//! Channels against the bare web view, in one web view:
//! `xvfb-run -a cargo bench -p portcullis --bench channels --features test-hooks`.
//! The page in `benches/channels-page/` times it: 1 KB JSON messages
//! against bare `evaluate_script` from wry's main thread, 1 MiB `Bytes`
//! chunks against bare custom-scheme GETs; then 1 GiB through one channel
//! (web-process RSS before and after) and the latency from `send` to the
//! page's callback and its acknowledgement back (the core times it).
//! `PORTCULLIS_BENCH_QUICK=1`: a few batches, 64 MiB (proof it runs).

use std::time::{Duration, Instant};

use portcullis::{App, AppHandle, Assets, Bytes, Channel, WindowConfig, command, commands};

#[command]
fn quick() -> bool {
    std::env::var_os("PORTCULLIS_BENCH_QUICK").is_some()
}

#[command]
async fn json_messages(n: usize, out: Channel<String>) -> Result<(), String> {
    let text = "x".repeat(1022);
    for _ in 0..n {
        out.send(text.clone()).await.map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[command]
async fn byte_chunks(count: usize, size: usize, out: Channel<Bytes>) -> Result<(), String> {
    let chunk = vec![7u8; size];
    for _ in 0..count {
        out.send(chunk.clone().into())
            .await
            .map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// `n` messages one at a time: each timed from `send` until the page's
/// acknowledgement of it arrives. Returns [median, p99] in µs.
#[command]
async fn latency(n: usize, out: Channel<u64>) -> Result<[f64; 2], String> {
    let mut times = Vec::with_capacity(n);
    for i in 0..n as u64 {
        let start = Instant::now();
        out.send(i).await.map_err(|e| e.to_string())?;
        while out.unacknowledged().0 > 0 {
            tokio::task::yield_now().await;
        }
        times.push(start.elapsed().as_secs_f64() * 1e6);
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    times.sort_by(f64::total_cmp);
    Ok([times[times.len() / 2], times[times.len() * 99 / 100]])
}

#[command]
fn web_rss() -> f64 {
    portcullis::__private::web_process_rss_mib()
}

#[command]
fn report(app: AppHandle, rows: serde_json::Value, stream: serde_json::Value, latency: [f64; 2]) {
    println!("| case | baseline | portcullis | time ratio | rate ratio |");
    println!("|---|---|---|---|---|");
    for row in rows.as_array().into_iter().flatten() {
        let side = |i: usize| {
            (
                row["sides"][i]["label"].as_str().unwrap_or("").to_owned(),
                row["sides"][i]["us"].as_f64().unwrap_or(f64::NAN),
            )
        };
        let ((base_label, base), (ours_label, ours)) = (side(0), side(1));
        println!(
            "| {} | {base_label}: {base:.1} µs | {ours_label}: {ours:.1} µs | {:.2}x | {:.2}x |",
            row["name"].as_str().unwrap_or(""),
            ours / base,
            base / ours
        );
    }
    let mib = stream["mib"].as_f64().unwrap_or(0.0);
    let seconds = stream["seconds"].as_f64().unwrap_or(f64::NAN);
    println!(
        "\n{mib} MiB through one Channel<Bytes> in 1 MiB chunks: {seconds:.1} s ({:.0} MiB/s); \
         web process RSS {:.0} → {:.0} MiB",
        mib / seconds,
        stream["rssBefore"].as_f64().unwrap_or(f64::NAN),
        stream["rssAfter"].as_f64().unwrap_or(f64::NAN),
    );
    println!(
        "send → the page's callback → its acknowledgement back: median {:.0} µs, p99 {:.0} µs",
        latency[0], latency[1]
    );
    app.exit().unwrap();
}

fn main() -> portcullis::Result<()> {
    App::builder()
        .commands(commands![
            quick,
            json_messages,
            byte_chunks,
            latency,
            web_rss,
            report
        ])
        .window(WindowConfig::new("bench").size(400.0, 300.0))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/channels-page"
        )))
        .__raw_echo_for_benchmarks()
        .run()
}
