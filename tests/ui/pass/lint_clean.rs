//! Generated code compiles under strict lints.
#![deny(warnings, missing_docs, unreachable_pub, unused_qualifications, clippy::all, clippy::pedantic)]
#![forbid(unsafe_code)]

use portcullis::{command, commands, State};

/// Shared counter.
pub struct Counter(std::sync::atomic::AtomicU64);

/// Adds to the counter.
#[command]
pub fn add(counter: State<'_, Counter>, amount: u64) -> u64 {
    counter.0.fetch_add(amount, std::sync::atomic::Ordering::Relaxed) + amount
}

/// Async, with an optional argument.
#[command]
pub async fn maybe(value: Option<String>) -> Result<String, String> {
    value.ok_or_else(|| "nothing".to_owned())
}

fn main() {
    let api = commands![add, maybe];
    assert_eq!(api.len(), 2);
}
