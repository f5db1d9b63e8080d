//! The workbench: a small app with a Vite + TypeScript front end (`web/`)
//! that uses what Portcullis offers. Typed commands and errors (`greet`), a
//! long job with a progress bar and a Cancel button (`count_primes`, a
//! [`Channel`] and the page's `AbortSignal`), an event pushed from the core
//! ([`JobFinished`]), binary data both ways (`invert`), and an isolation app
//! whose hook validates every call (`isolation/hook.js`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use portcullis::{
    AppBuilder, AppHandle, Bytes, Channel, Commands, Event, Events, State, Type, WindowConfig,
    command, commands, events,
};
use serde::{Deserialize, Serialize};

/// Why `greet` refused.
#[derive(Debug, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum GreetError {
    EmptyName,
}

/// Says hello to `name`.
#[command]
fn greet(name: String) -> Result<String, GreetError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(GreetError::EmptyName);
    }
    Ok(format!("Hello, {name}!"))
}

/// The largest `count_primes` limit.
pub const MAX_LIMIT: u64 = 2_000_000_000;
/// Numbers sieved between two progress reports (and two chances to cancel).
const SLICE: u64 = 1 << 18;

/// How far a job is.
#[derive(Clone, Debug, Serialize, Type)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
}

/// A finished count.
#[derive(Debug, Serialize, Type)]
#[serde(rename_all = "camelCase")]
pub struct PrimeCount {
    pub limit: u64,
    pub primes: u64,
    pub millis: u64,
}

/// Why a job did not start.
#[derive(Debug, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum JobError {
    TooLarge { max: u64 },
}

/// Pushed to every window when a job finishes.
#[derive(Clone, Debug, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
pub struct JobFinished {
    pub limit: u64,
    pub primes: u64,
    /// Jobs finished since the app started.
    pub jobs_done: u64,
}

/// What the core remembers across page loads (and hot reloads).
#[derive(Debug, Default)]
pub struct Stats {
    jobs_done: AtomicU64,
}

/// Counts the primes below `limit`, a slice at a time, reporting progress.
/// The page's Cancel aborts the call: the future is dropped at its next
/// pause, between slices.
#[command]
async fn count_primes(
    app: AppHandle,
    stats: State<'_, Stats>,
    limit: u64,
    progress: Channel<Progress>,
) -> Result<PrimeCount, JobError> {
    if limit > MAX_LIMIT {
        return Err(JobError::TooLarge { max: MAX_LIMIT });
    }
    let started = Instant::now();
    let base = small_primes(limit.isqrt() + 1);
    let mut primes = 0;
    let mut low = 0;
    while low < limit {
        let high = (low + SLICE).min(limit);
        primes += count_in(low, high, &base);
        low = high;
        // A closed page stops caring; the job still finishes for the others.
        let _ = progress
            .send(Progress {
                done: low,
                total: limit,
            })
            .await;
        tokio::task::yield_now().await;
    }
    let jobs_done = stats.jobs_done.fetch_add(1, Ordering::Relaxed) + 1;
    let _ = app.emit(&JobFinished {
        limit,
        primes,
        jobs_done,
    });
    Ok(PrimeCount {
        limit,
        primes,
        millis: started.elapsed().as_millis() as u64,
    })
}

/// The primes below `n` (a plain sieve; `n` is at most ~45,000 here).
fn small_primes(n: u64) -> Vec<u64> {
    let mut composite = vec![false; n as usize];
    let mut primes = Vec::new();
    for i in 2..n {
        if !composite[i as usize] {
            primes.push(i);
            let mut j = i * i;
            while j < n {
                composite[j as usize] = true;
                j += i;
            }
        }
    }
    primes
}

/// The primes in `low..high`, sieved by `base` (every prime up to
/// `sqrt(high)`).
fn count_in(low: u64, high: u64, base: &[u64]) -> u64 {
    let mut composite = vec![false; (high - low) as usize];
    for &p in base {
        if p * p >= high {
            break;
        }
        let mut j = (low.div_ceil(p) * p).max(p * p);
        while j < high {
            composite[(j - low) as usize] = true;
            j += p;
        }
    }
    (low..high)
        .filter(|&n| n >= 2 && !composite[(n - low) as usize])
        .count() as u64
}

/// Why `invert` refused.
#[derive(Debug, Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ImageError {
    NotRgba { len: u64 },
}

/// Inverts RGBA pixels (alpha kept): raw bytes both ways, no JSON.
#[command]
fn invert(pixels: Bytes) -> Result<Bytes, ImageError> {
    let mut pixels = pixels.into_vec();
    if !pixels.len().is_multiple_of(4) {
        return Err(ImageError::NotRgba {
            len: pixels.len() as u64,
        });
    }
    for pixel in pixels.chunks_exact_mut(4) {
        for channel in &mut pixel[..3] {
            *channel = 255 - *channel;
        }
    }
    Ok(Bytes::from(pixels))
}

/// Jobs finished since the app started.
#[command]
fn jobs_done(stats: State<'_, Stats>) -> u64 {
    stats.jobs_done.load(Ordering::Relaxed)
}

/// The app's commands.
pub fn commands() -> Commands {
    commands![greet, count_primes, invert, jobs_done]
}

/// The app's events.
pub fn events() -> Events {
    events![JobFinished]
}

/// Where the generated bindings live (each debug start rewrites them).
pub const BINDINGS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/web/src/bindings.ts");

/// The app, without its windows (and without `export_bindings`: see
/// `main.rs`).
pub fn app() -> AppBuilder {
    portcullis::App::builder()
        .manage(Stats::default())
        .commands(commands())
        .events(events())
        .assets(portcullis::assets!("web/dist"))
        .isolation(portcullis::isolation!("isolation"))
}

/// The main window.
pub fn main_window() -> WindowConfig {
    WindowConfig::new("main")
        .title("Workbench")
        .size(720.0, 640.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sieve_counts_primes() {
        let base = small_primes(1_001);
        let count = |limit: u64| {
            (0..limit)
                .step_by(SLICE as usize)
                .map(|low| count_in(low, (low + SLICE).min(limit), &base))
                .sum::<u64>()
        };
        assert_eq!(count(10), 4);
        assert_eq!(count(1_000_000), 78_498);
        assert_eq!(count(2), 0);
    }
}
