//! A soak: ten minutes of steady mixed load on one web view, memory
//! sampled every 10 s: `xvfb-run -a cargo bench -p portcullis --bench soak
//! --features test-hooks` (issue #17).
//!
//! The page in `benches/soak-page/` loops: ten small JSON invokes, one
//! 64 KiB binary echo, a channel of 100 messages, and a page-to-core event;
//! the core emits a 1 KB event to it every 100 ms meanwhile. Every 10 s the
//! core samples its own RSS and the web process's, with the work done so
//! far. The table ends with the growth over the run after the first minute
//! (warm-up: caches, JIT, the allocator's pools) and a least-squares slope,
//! against the stated bound ([`BOUND_MIB`] per process).
//!
//! `PORTCULLIS_SOAK_SECS` shortens it (default 600; samples every tenth of
//! the run when that is under 10 s).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use portcullis::{App, AppHandle, Assets, Bytes, Channel, Event, WindowConfig, command, commands};
use serde::{Deserialize, Serialize};

/// The most either process may grow from the end of the first minute to
/// the end of the run.
const BOUND_MIB: f64 = 16.0;

/// Core to page, every 100 ms.
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Tick {
    n: u64,
    text: String,
}

/// Page to core, once a loop.
#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Lap {
    n: u64,
}

struct Work {
    invokes: AtomicU64,
    binary: AtomicU64,
    channel: AtomicU64,
    ticks: AtomicU64,
    laps: AtomicU64,
}

static WORK: Work = Work {
    invokes: AtomicU64::new(0),
    binary: AtomicU64::new(0),
    channel: AtomicU64::new(0),
    ticks: AtomicU64::new(0),
    laps: AtomicU64::new(0),
};
static STARTED: AtomicBool = AtomicBool::new(false);

#[command]
fn echo(text: String) -> String {
    WORK.invokes.fetch_add(1, Ordering::Relaxed);
    text
}

#[command]
fn bytes_echo(data: Bytes) -> Bytes {
    WORK.binary.fetch_add(1, Ordering::Relaxed);
    data
}

#[command]
async fn stream(n: u64, out: Channel<u64>) -> Result<(), String> {
    for i in 0..n {
        out.send(i).await.map_err(|e| e.to_string())?;
        WORK.channel.fetch_add(1, Ordering::Relaxed);
    }
    Ok(())
}

/// The page is listening: the core's ticks and the sampler start.
#[command]
fn start(app: AppHandle) {
    if STARTED.swap(true, Ordering::SeqCst) {
        return;
    }
    let ticker = app.clone();
    std::thread::spawn(move || {
        let text = "t".repeat(1000);
        for n in 0.. {
            let tick = Tick {
                n,
                text: text.clone(),
            };
            if ticker.emit(&tick).is_err() {
                return;
            }
            WORK.ticks.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    std::thread::spawn(move || sample(app));
}

fn core_rss_mib() -> f64 {
    memory_stats::memory_stats().map_or(f64::NAN, |m| m.physical_mem as f64 / (1024.0 * 1024.0))
}

struct Sample {
    at: f64,
    core: f64,
    web: f64,
    work: [u64; 5],
}

fn sample(app: AppHandle) {
    let secs: f64 = std::env::var("PORTCULLIS_SOAK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(600.0);
    let every = Duration::from_secs_f64((secs / 10.0).min(10.0));
    let start = Instant::now();
    let mut samples = Vec::new();
    loop {
        let work = [
            &WORK.invokes,
            &WORK.binary,
            &WORK.channel,
            &WORK.ticks,
            &WORK.laps,
        ]
        .map(|c| c.load(Ordering::Relaxed));
        let s = Sample {
            at: start.elapsed().as_secs_f64(),
            core: core_rss_mib(),
            web: portcullis::__private::web_process_rss_mib(),
            work,
        };
        eprintln!(
            "soak: {:>5.0} s core {:.0} MiB, web {:.0} MiB",
            s.at, s.core, s.web
        );
        samples.push(s);
        if start.elapsed().as_secs_f64() >= secs {
            break;
        }
        std::thread::sleep(every);
    }
    report(&samples, secs);
    let _ = app.exit();
}

fn report(samples: &[Sample], secs: f64) {
    println!(
        "| t (s) | core RSS (MiB) | web process RSS (MiB) | invokes | binary 64 KiB | channel msgs | core events | page events |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for s in samples {
        let [i, b, c, t, l] = s.work;
        println!(
            "| {:.0} | {:.1} | {:.1} | {i} | {b} | {c} | {t} | {l} |",
            s.at, s.core, s.web
        );
    }
    // After warm-up: the first minute, or the first tenth of a short run.
    let warm = (secs / 10.0).min(60.0);
    let steady: Vec<&Sample> = samples.iter().filter(|s| s.at >= warm - 0.5).collect();
    let (Some(first), Some(last)) = (steady.first(), steady.last()) else {
        println!("too few samples");
        return;
    };
    for (name, get) in [
        ("core", (|s: &Sample| s.core) as fn(&Sample) -> f64),
        ("web process", |s: &Sample| s.web),
    ] {
        let growth = get(last) - get(first);
        let slope = slope_per_minute(&steady, get);
        println!(
            "\n{name}: {:.1} → {:.1} MiB from {:.0} s to {:.0} s: {growth:+.1} MiB, trend {slope:+.2} MiB/min; \
             bound {BOUND_MIB} MiB: {}",
            get(first),
            get(last),
            first.at,
            last.at,
            if growth <= BOUND_MIB {
                "within"
            } else {
                "OVER"
            }
        );
    }
}

/// Least-squares slope of `get` over time, in MiB per minute.
fn slope_per_minute(samples: &[&Sample], get: fn(&Sample) -> f64) -> f64 {
    let n = samples.len() as f64;
    let mean_t = samples.iter().map(|s| s.at).sum::<f64>() / n;
    let mean_v = samples.iter().map(|s| get(s)).sum::<f64>() / n;
    let (mut num, mut den) = (0.0, 0.0);
    for s in samples {
        num += (s.at - mean_t) * (get(s) - mean_v);
        den += (s.at - mean_t) * (s.at - mean_t);
    }
    if den == 0.0 { 0.0 } else { num / den * 60.0 }
}

fn main() -> portcullis::Result<()> {
    App::builder()
        .commands(commands![echo, bytes_echo, stream, start])
        .events(portcullis::events![Tick])
        .on_event(|event: Event<Lap>| {
            WORK.laps.fetch_max(event.payload.n, Ordering::Relaxed);
        })
        .window(WindowConfig::new("soak").size(400.0, 300.0))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/benches/soak-page"
        )))
        .run()
}
