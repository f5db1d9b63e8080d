//! The per-call cost of the command layer, against a hand-written baseline in
//! the same run.
//!
//! `cargo bench -p portcullis --bench dispatch` prints criterion's report and
//! then a ratio table (read from criterion's own estimates).
//!
//! - baseline: `serde_json::from_slice` of a derived args struct, the call, and
//!   `serde_json::to_vec` of the result: the least any IPC layer must do.
//! - sync, inline: the framework's route + decode + call + encode, on this
//!   thread (what runs on the blocking pool for each sync call).
//! - sync / async via MockApp: the whole dispatch path, including the hop to
//!   tokio's blocking pool or a task and back.
//! - 10k concurrent: 10,000 invokes in flight at once through MockApp.

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use portcullis::test::MockApp;
use portcullis::{command, commands};
use serde::Deserialize;

#[command]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

#[command]
async fn greet_async(name: String) -> String {
    format!("Hello, {name}!")
}

#[derive(Deserialize, portcullis::Type)]
struct GreetArgs {
    name: String,
}

const ARGS: &[u8] = br#"{"name":"world"}"#;
const CONCURRENT: usize = 10_000;

fn output_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/criterion")
}

fn benches(c: &mut Criterion) {
    let app = MockApp::new(commands![greet, greet_async]);
    let mut group = c.benchmark_group("dispatch");
    group.bench_function("baseline_serde", |b| {
        b.iter(|| {
            let args: GreetArgs = serde_json::from_slice(black_box(ARGS)).unwrap();
            serde_json::to_vec(&greet(args.name)).unwrap()
        })
    });
    group.bench_function("sync_inline", |b| {
        b.iter(|| {
            app.__call_inline(black_box("greet"), black_box(ARGS))
                .unwrap()
                .unwrap()
        })
    });
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let args = serde_json::json!({ "name": "world" });
    for name in ["greet", "greet_async"] {
        group.bench_function(BenchmarkId::new("mockapp", name), |b| {
            b.iter(|| rt.block_on(app.invoke(name, args.clone())).unwrap())
        });
    }
    group.finish();

    // The gate's admission of an isolated 64 KiB message: key check, AES-256-GCM
    // open + authenticate, frame parse, including copying the ciphertext in
    // as the runtime receives it.
    let mut group_crypto = c.benchmark_group("isolation");
    group_crypto.throughput(Throughput::Bytes(64 * 1024));
    let mut open = portcullis::__private::isolation_admit_for_bench(&vec![b'7'; 64 * 1024]);
    group_crypto.bench_function("open_64KiB", |b| b.iter(&mut open));
    group_crypto.finish();

    let mut group = c.benchmark_group("concurrent");
    group.throughput(Throughput::Elements(CONCURRENT as u64));
    group.sample_size(20);
    for name in ["greet", "greet_async"] {
        group.bench_function(BenchmarkId::new("mockapp_10k", name), |b| {
            b.iter(|| {
                rt.block_on(async {
                    let mut set = tokio::task::JoinSet::new();
                    for _ in 0..CONCURRENT {
                        let app = app.clone();
                        let args = args.clone();
                        set.spawn(async move { app.invoke(name, args).await });
                    }
                    while let Some(reply) = set.join_next().await {
                        reply.unwrap().unwrap();
                    }
                })
            })
        });
    }
    group.finish();
}

/// Median time in ns of one benchmark, from criterion's estimates.
fn median_ns(id: &str) -> Option<f64> {
    let path = output_dir().join(id).join("new/estimates.json");
    let json: serde_json::Value = serde_json::from_slice(&std::fs::read(path).ok()?).ok()?;
    json["median"]["point_estimate"].as_f64()
}

/// The ratio framework/baseline measured robustly on a noisy machine: short
/// batches of each, alternating, and the median of the per-round ratios, so
/// that drift (frequency, neighbours) hits both sides alike.
fn interleaved_ratio(app: &MockApp) -> (f64, f64, f64) {
    const ROUNDS: usize = 301;
    const BATCH: u32 = 20_000;
    let baseline = || {
        let start = std::time::Instant::now();
        for _ in 0..BATCH {
            let args: GreetArgs = serde_json::from_slice(black_box(ARGS)).unwrap();
            black_box(serde_json::to_vec(&greet(args.name)).unwrap());
        }
        start.elapsed().as_nanos() as f64 / f64::from(BATCH)
    };
    let framework = || {
        let start = std::time::Instant::now();
        for _ in 0..BATCH {
            black_box(
                app.__call_inline(black_box("greet"), black_box(ARGS))
                    .unwrap()
                    .unwrap(),
            );
        }
        start.elapsed().as_nanos() as f64 / f64::from(BATCH)
    };
    let (mut ratios, mut base, mut ours) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        // Alternate which side goes first.
        let (b, f) = if round % 2 == 0 {
            let b = baseline();
            (b, framework())
        } else {
            let f = framework();
            (baseline(), f)
        };
        ratios.push(f / b);
        base.push(b);
        ours.push(f);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut base), median(&mut ours), median(&mut ratios))
}

/// The capability check (issue #15): the gate's last check of an invoke with
/// no capability declared against the same with three declared (the main
/// window granted 12 commands, an admin capability by label prefix, a
/// remote one), the call granted by the last command of the first list.
/// Interleaved like the ratio above; returns (without, with, median of the
/// per-round differences) in ns.
fn capability_check_cost() -> (f64, f64, f64) {
    use portcullis::Capability;
    const ROUNDS: usize = 301;
    const BATCH: u32 = 20_000;
    mod granted {
        #[portcullis::command]
        pub(super) fn a1() {}
        #[portcullis::command]
        pub(super) fn a2() {}
        #[portcullis::command]
        pub(super) fn a3() {}
        #[portcullis::command]
        pub(super) fn a4() {}
        #[portcullis::command]
        pub(super) fn a5() {}
        #[portcullis::command]
        pub(super) fn a6() {}
        #[portcullis::command]
        pub(super) fn a7() {}
        #[portcullis::command]
        pub(super) fn a8() {}
        #[portcullis::command]
        pub(super) fn a9() {}
        #[portcullis::command]
        pub(super) fn a10() {}
        #[portcullis::command]
        pub(super) fn a11() {}
        #[portcullis::command]
        pub(super) fn list_todos() {}
    }
    use granted::*;
    let capabilities = vec![
        Capability::new("main-window")
            .windows(["main"])
            .commands(commands![
                a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, list_todos
            ]),
        Capability::new("admin")
            .windows(["admin", "tools-*"])
            .allow_all(),
        Capability::remote("https://docs.example.com").commands(commands![a1]),
    ];
    let mut without = portcullis::__private::gate_check_for_bench(Vec::new());
    let mut with = portcullis::__private::gate_check_for_bench(capabilities);
    let time = |check: &mut dyn FnMut(&str, &str) -> bool| {
        let start = std::time::Instant::now();
        for _ in 0..BATCH {
            assert!(check(black_box("main"), black_box("list_todos")));
        }
        start.elapsed().as_nanos() as f64 / f64::from(BATCH)
    };
    let (mut a, mut b, mut diff) = (Vec::new(), Vec::new(), Vec::new());
    for round in 0..ROUNDS {
        let (x, y) = if round % 2 == 0 {
            let x = time(&mut without);
            (x, time(&mut with))
        } else {
            let y = time(&mut with);
            (time(&mut without), y)
        };
        a.push(x);
        b.push(y);
        diff.push(y - x);
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    (median(&mut a), median(&mut b), median(&mut diff))
}

fn report(app: &MockApp) {
    let (without, with, added) = capability_check_cost();
    println!("\nThe gate's last check, interleaved (301 rounds x 20k checks each side):");
    println!("| benchmark | median |");
    println!("|---|---|");
    println!("| gate check, no capability declared | {without:.1} ns |");
    println!("| gate check, 3 capabilities declared (granted call) | {with:.1} ns |");
    println!("| added by the capabilities (median of per-round differences) | {added:.1} ns |");
    let (base_ns, ours_ns, ratio) = interleaved_ratio(app);
    println!("\nInterleaved (301 rounds x 20k calls each side, median of per-round ratios):");
    println!("| benchmark | median | ratio to baseline |");
    println!("|---|---|---|");
    println!("| baseline: from_slice + call + to_vec | {base_ns:.0} ns | 1.00x |");
    println!(
        "| portcullis sync, inline (route+decode+call+encode) | {ours_ns:.0} ns | {ratio:.2}x |"
    );

    let Some(base) = median_ns("dispatch/baseline_serde") else {
        return;
    };
    println!("\nCriterion (each benchmark on its own, medians):");
    println!("| benchmark | median | ratio to baseline |");
    println!("|---|---|---|");
    for (id, label) in [
        (
            "dispatch/baseline_serde",
            "baseline: from_slice + call + to_vec",
        ),
        (
            "dispatch/sync_inline",
            "portcullis sync, inline (route+decode+call+encode)",
        ),
        (
            "dispatch/mockapp/greet",
            "portcullis sync via MockApp (blocking pool)",
        ),
        (
            "dispatch/mockapp/greet_async",
            "portcullis async via MockApp (tokio task)",
        ),
    ] {
        if let Some(ns) = median_ns(id) {
            println!("| {label} | {ns:.0} ns | {:.2}x |", ns / base);
        }
    }
    if let Some(ns) = median_ns("isolation/open_64KiB") {
        #[cfg(target_arch = "x86_64")]
        let aes_ni = std::arch::is_x86_feature_detected!("aes")
            && std::arch::is_x86_feature_detected!("pclmulqdq");
        #[cfg(not(target_arch = "x86_64"))]
        let aes_ni = false;
        println!(
            "| isolation: core decrypt of a 64 KiB message (AES-NI + CLMUL available: {aes_ni}) | {:.1} µs, {:.2} GB/s | |",
            ns / 1000.0,
            65536.0 / ns
        );
    }
    for name in ["greet", "greet_async"] {
        if let Some(ns) = median_ns(&format!("concurrent/mockapp_10k/{name}")) {
            let per_call = ns / CONCURRENT as f64;
            println!(
                "| 10k concurrent `{name}` via MockApp | {:.1} ms per batch, {per_call:.0} ns per call, {:.0} calls/s | |",
                ns / 1e6,
                1e9 / per_call
            );
        }
    }
}

fn main() {
    let mut criterion = Criterion::default()
        .output_directory(&output_dir())
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
    report(&MockApp::new(commands![greet]));
}
