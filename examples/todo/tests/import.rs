//! The demo's sample import, end to end in WebKitGTK: a progress bar fed by
//! a channel, and Cancel. The driver (`import.js`) starts the import, lets
//! it get to 3 of 10, cancels; this test checks the page and the file: some
//! samples were added, not all, and none after the cancel.
//! `harness = false`: GTK must own the main thread.

use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use portcullis::{Capability, State, Window, command, commands};
use todo::{IMPORT_STEP, SAMPLES, Todo, Todos};

const DRIVER: &str = include_str!("import.js");

/// What the page reported: progress at the cancel, todos shown, the error
/// line, problems.
type Report = (u32, usize, String, Vec<String>);

#[derive(Debug, Default)]
struct Reported(Mutex<Option<Report>>);

#[command]
fn import_report(
    window: Window,
    reported: State<'_, &'static Reported>,
    progress_at_cancel: u32,
    shown: usize,
    error: String,
    problems: Vec<String>,
) {
    *reported.0.lock().unwrap() = Some((progress_at_cancel, shown, error, problems));
    // Long enough for two more steps, had the import gone on.
    std::thread::sleep(IMPORT_STEP * 3);
    window.close().unwrap();
}

fn main() -> ExitCode {
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(90));
        eprintln!("todo import: timed out");
        std::process::exit(1);
    });
    let dir = std::env::temp_dir().join(format!("portcullis-todo-import-{}", std::process::id()));
    let file = dir.join("todos.json");
    let reported: &'static Reported = Box::leak(Box::default());
    let result = todo::app(Todos::load(&file).unwrap())
        .manage(reported)
        .commands(commands![import_report])
        .capability(
            Capability::new("import-test")
                .windows(["main"])
                .commands(commands![import_report]),
        )
        .window(todo::main_window().initialization_script(DRIVER))
        .run();
    let saved: Vec<Todo> = std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .unwrap_or_default();
    let _ = std::fs::remove_dir_all(&dir);
    let report = reported.0.lock().unwrap().take();
    let mut checks: Vec<(&str, bool, String)> = vec![(
        "the app ran and stopped cleanly",
        result.is_ok(),
        format!("{result:?}"),
    )];
    match report {
        None => checks.push(("the page reported", false, "no report".into())),
        Some((progress, shown, error, problems)) => {
            checks.push((
                "the flow completed",
                problems.is_empty(),
                format!("{problems:?}"),
            ));
            checks.push((
                "the progress bar (a channel) reached 3 before the cancel",
                progress >= 3,
                format!("progress at cancel: {progress}"),
            ));
            checks.push(("a cancel shows no error", error.is_empty(), error));
            checks.push((
                "the list showed what was imported before the cancel",
                (3..SAMPLES.len()).contains(&shown),
                format!("{shown} shown"),
            ));
            checks.push((
                "the file has the samples added before the cancel and none after",
                saved.len() == shown,
                format!("{} saved, {shown} shown", saved.len()),
            ));
        }
    }
    let failed = checks.iter().filter(|c| !c.1).count();
    for (name, ok, detail) in &checks {
        if *ok {
            println!("ok   {name}");
        } else {
            println!("FAIL {name}: {detail}");
        }
    }
    println!("{} passed, {failed} failed", checks.len() - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
