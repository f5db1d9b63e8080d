//! The app's core: the one process with access to the OS. The front end
//! (web/) calls the commands below through typed bindings generated from them
//! (web/src/bindings.ts); every call first passes the isolation app
//! (isolation/), which may check or refuse it.

use std::sync::atomic::{AtomicU64, Ordering};

use portcullis::{App, State, Type, WindowConfig, command, commands};
use serde::Serialize;

/// Why `greet` refused: the front end gets it typed (`isGreetError`).
#[derive(Serialize, Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum GreetError {
    EmptyName,
}

/// Says hello to `name`.
#[command]
fn greet(name: String) -> Result<String, GreetError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(GreetError::EmptyName);
    }
    Ok(format!("Hello, {name}! (from Rust)"))
}

/// A count kept in the core: it survives reloads of the page.
#[derive(Default)]
struct Clicks(AtomicU64);

/// Adds one click and returns the total.
#[command]
fn click(clicks: State<'_, Clicks>) -> u64 {
    clicks.0.fetch_add(1, Ordering::Relaxed) + 1
}

fn main() -> portcullis::Result<()> {
    App::builder()
        .manage(Clicks::default())
        .commands(commands![greet, click])
        // Debug builds keep the front end's bindings current on each start.
        .export_bindings(concat!(env!("CARGO_MANIFEST_DIR"), "/web/src/bindings.ts"))
        // What `npm run build` produced; in `cargo portcullis dev`, pages
        // come from Vite instead.
        .assets(portcullis::assets!("web/dist"))
        .isolation(portcullis::isolation!("isolation"))
        .window(WindowConfig::new("main").title("{{name}}").size(640.0, 480.0))
        .run()
}
