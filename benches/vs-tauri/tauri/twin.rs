//! The Tauri twin of `benches/vs-tauri/portcullis`: the same commands, written
//! as a Tauri user writes them, serving the same page (`../page`). Included by both apps.

use tauri::ipc::{InvokeBody, Request, Response};
use tauri::{AppHandle, Manager};

struct Isolation(bool);

#[tauri::command]
fn echo(text: String) -> String {
    text
}

/// Bytes up and the same bytes back. Tauri hands a command the raw body by
/// reference only, so answering with it costs a copy.
#[tauri::command]
fn bytes_echo(request: Request<'_>) -> Response {
    match request.body() {
        InvokeBody::Raw(bytes) => Response::new(bytes.clone()),
        InvokeBody::Json(_) => Response::new(Vec::new()),
    }
}

#[tauri::command]
fn mode(isolation: tauri::State<'_, Isolation>) -> serde_json::Value {
    let task = std::env::var("VS_TAURI_TASK").unwrap_or_default();
    serde_json::json!({ "framework": "tauri", "isolation": isolation.0, "task": task })
}

/// What the harness reads on stdout: start-up done, memory checkpoints.
#[tauri::command]
fn mark(what: String) {
    println!("MARK {what}");
}

#[tauri::command]
fn report(app: AppHandle, rows: Vec<String>) {
    for row in rows {
        println!("ROW {row}");
    }
    app.exit(0);
}

pub(crate) fn run(context: tauri::Context<tauri::Wry>, isolation: bool) {
    tauri::Builder::default()
        .setup(move |app| {
            app.manage(Isolation(isolation));
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![echo, bytes_echo, mode, mark, report])
        .run(context)
        .expect("the Tauri twin runs");
}
