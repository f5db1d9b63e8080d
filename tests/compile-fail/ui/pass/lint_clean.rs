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

/// A page of anything, described for the bindings.
#[derive(serde::Serialize, serde::Deserialize, portcullis::Type)]
#[serde(rename_all = "camelCase")]
pub struct Page<'a, T> {
    /// The items.
    pub items: Vec<T>,
    /// The cursor of the next page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<std::borrow::Cow<'a, str>>,
}

/// What can go wrong.
#[derive(serde::Serialize, portcullis::Type)]
#[serde(tag = "kind", content = "detail")]
pub enum Failure {
    /// Nothing there.
    Missing,
    /// Refused, with a reason.
    Refused(String),
}

/// Takes and returns derived types.
#[command]
pub fn page(page: Page<'_, u32>) -> Result<Page<'static, u32>, Failure> {
    Ok(Page { items: page.items, next_cursor: None })
}

fn main() {
    let api = commands![add, maybe, page];
    assert_eq!(api.len(), 3);
    assert!(api.bindings().typescript().is_ok());
}
