//! Argument decoding and dispatch through a registry of commands with varied
//! signatures: the path `MockApp::invoke_raw` takes (the same as the web
//! view's after the gate), with any JSON bytes and raw binary parts.
#![no_main]

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use portcullis::test::MockApp;
use portcullis::{Bytes, Invoke, command, commands};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, portcullis::Type)]
#[serde(rename_all = "camelCase")]
struct Todo {
    id: u64,
    title: String,
    due_date: Option<i64>,
    tags: Vec<String>,
}

#[derive(Serialize, Deserialize, portcullis::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Shape {
    Circle { r: f64 },
    Rect { w: f32, h: f32 },
    Unit,
}

#[command]
fn unit() {}

#[command]
fn greet(name: String) -> String {
    name
}

#[command]
fn borrowed(name: &str, n: Option<u8>) -> usize {
    name.len() + n.unwrap_or(0) as usize
}

#[command]
fn todo(todo: Todo, shape: Shape) -> Todo {
    let _ = shape;
    todo
}

#[command]
fn maps(map: HashMap<String, Vec<Option<i32>>>, cow: Cow<'_, str>) -> usize {
    map.len() + cow.len()
}

#[command]
fn numbers(a: i128, b: u16, c: f64, d: bool, e: char) -> String {
    format!("{a}{b}{c}{d}{e}")
}

#[command]
fn bytes(data: Bytes, more: Option<Bytes>, raw: &[u8]) -> Bytes {
    let _ = (more, raw);
    data
}

#[command]
fn list(items: Vec<u8>, nested: Vec<Vec<serde_json::Value>>) -> usize {
    items.len() + nested.len()
}

#[command]
async fn async_value(value: serde_json::Value, invoke: Invoke<'_>) -> serde_json::Value {
    let _ = invoke.raw_args();
    value
}

const NAMES: [&str; 10] = [
    "unit", "greet", "borrowed", "todo", "maps", "numbers", "bytes", "list", "async_value",
    "nope",
];

#[derive(Debug, Arbitrary)]
struct Call<'a> {
    command: u8,
    args: &'a [u8],
    binary: Vec<(String, Vec<u8>)>,
}

fn runtime() -> &'static tokio::runtime::Runtime {
    static RUNTIME: OnceLock<tokio::runtime::Runtime> = OnceLock::new();
    RUNTIME.get_or_init(|| {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .build()
            .expect("a runtime")
    })
}

fuzz_target!(|call: Call<'_>| {
    let runtime = runtime();
    let _guard = runtime.enter();
    static APP: OnceLock<MockApp> = OnceLock::new();
    let app = APP.get_or_init(|| {
        MockApp::new(commands![
            unit, greet, borrowed, todo, maps, numbers, bytes, list, async_value
        ])
    });
    let name = NAMES[call.command as usize % NAMES.len()];
    let _ = runtime.block_on(app.invoke_raw("main", name, call.args.to_vec(), call.binary));
});
