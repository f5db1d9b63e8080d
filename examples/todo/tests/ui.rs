//! The demo, end to end: the real app and its real front end in WebKitGTK. An
//! initialization script drives the UI as a person would (types, submits,
//! clicks), then reports what the page shows; this test checks that and the
//! file on disk. `harness = false`: GTK must own the main thread.

use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use portcullis::{Capability, State, Window, WindowConfig, command, commands};
use serde::Deserialize;
use todo::{Todo, Todos};

const DRIVER: &str = include_str!("driver.js");
const WATCHER: &str = include_str!("watcher.js");
const ABOUT: &str = include_str!("about.js");

#[derive(Debug, Deserialize, PartialEq, portcullis::Type)]
struct Item {
    title: String,
    done: bool,
}

#[derive(Debug, Deserialize, portcullis::Type)]
#[serde(rename_all = "camelCase")]
struct UiReport {
    items: Vec<Item>,
    empty_error: String,
    hook_error: String,
    count: String,
    problems: Vec<String>,
}

#[derive(Default)]
struct Reported(
    Mutex<Option<UiReport>>,
    Mutex<Option<(Vec<Item>, Vec<String>)>>,
    Mutex<Option<(String, String)>>,
);

/// What the About window showed when its page tried to read the list.
#[command]
fn about_report(
    window: Window,
    reported: State<'_, &'static Reported>,
    code: String,
    text: String,
) {
    *reported.2.lock().unwrap() = Some((code, text));
    window.close().unwrap();
}

/// What the second window showed, from events alone; it then closes.
#[command]
fn watch_report(
    window: Window,
    reported: State<'_, &'static Reported>,
    items: Vec<Item>,
    problems: Vec<String>,
) {
    *reported.1.lock().unwrap() = Some((items, problems));
    window.close().unwrap();
}

#[command]
#[allow(clippy::too_many_arguments)]
fn ui_report(
    window: Window,
    reported: State<'_, &'static Reported>,
    items: Vec<Item>,
    empty_error: String,
    hook_error: String,
    count: String,
    problems: Vec<String>,
) {
    *reported.0.lock().unwrap() = Some(UiReport {
        items,
        empty_error,
        hook_error,
        count,
        problems,
    });
    // Closing the last window must end `run()` cleanly.
    window.close().unwrap();
}

/// What the list shows after the driver's flow, in every window.
fn expected_items() -> Vec<Item> {
    vec![
        Item {
            title: "milk".into(),
            done: true,
        },
        Item {
            title: "bread".into(),
            done: false,
        },
    ]
}

fn main() -> ExitCode {
    std::thread::spawn(|| {
        std::thread::sleep(Duration::from_secs(90));
        eprintln!("todo ui: timed out");
        std::process::exit(1);
    });
    let dir = std::env::temp_dir().join(format!("portcullis-todo-ui-{}", std::process::id()));
    let file = dir.join("todos.json");
    let reported: &'static Reported = Box::leak(Box::default());
    let result = todo::app(Todos::load(&file).unwrap())
        .manage(reported)
        .commands(commands![ui_report, watch_report, about_report])
        // The test's own reporting commands, for its windows only.
        .capability(
            Capability::new("ui-test")
                .windows(["main", "list-watcher", "about"])
                .commands(commands![ui_report, watch_report, about_report]),
        )
        .window(todo::main_window().initialization_script(DRIVER))
        .window(WindowConfig::new("list-watcher").initialization_script(WATCHER))
        .window(
            WindowConfig::new("about")
                .url("about.html")
                .initialization_script(ABOUT),
        )
        .run();
    let mut checks: Vec<(&str, bool, String)> = Vec::new();
    checks.push((
        "the app ran and stopped cleanly",
        result.is_ok(),
        format!("{result:?}"),
    ));
    let watched = reported.1.lock().unwrap().take();
    checks.push((
        "a second window showed the main window's changes, from events alone",
        watched
            .as_ref()
            .is_some_and(|(items, problems)| problems.is_empty() && *items == expected_items()),
        format!("{watched:?}"),
    ));
    let about = reported.2.lock().unwrap().take();
    checks.push((
        "the About window, which no capability of the app names, could call nothing",
        about
            .as_ref()
            .is_some_and(|(code, text)| code == "forbidden" && text.contains("may call nothing")),
        format!("{about:?}"),
    ));
    let report = reported.0.lock().unwrap().take();
    match &report {
        None => checks.push(("the page reported", false, "no report".into())),
        Some(report) => {
            checks.push((
                "the UI flow completed",
                report.problems.is_empty(),
                format!("{:?}", report.problems),
            ));
            checks.push((
                "the list shows what was done",
                report.items == expected_items(),
                format!("{:?}", report.items),
            ));
            checks.push((
                "an empty title shows the typed error",
                report.empty_error == "A todo needs a title.",
                report.empty_error.clone(),
            ));
            checks.push((
                "the isolation hook refuses an over-long title",
                report.hook_error.contains("title too long"),
                report.hook_error.clone(),
            ));
            checks.push((
                "the counter is right",
                report.count == "1 of 2 left",
                report.count.clone(),
            ));
        }
    }
    let saved: Option<Vec<Todo>> = std::fs::read(&file)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    let titles: Option<Vec<(String, bool)>> =
        saved.map(|list| list.into_iter().map(|t| (t.title, t.done)).collect());
    checks.push((
        "the list was saved to disk",
        titles == Some(vec![("milk".into(), true), ("bread".into(), false)]),
        format!("{titles:?}"),
    ));
    let reloaded = Todos::load(&file).map(|_| ()).is_ok();
    checks.push(("the saved file loads again", reloaded, String::new()));
    let _ = std::fs::remove_dir_all(&dir);

    let failed = checks.iter().filter(|(_, ok, _)| !ok).count();
    for (name, ok, detail) in &checks {
        if *ok {
            println!("ok   {name}")
        } else {
            println!("FAIL {name}: {detail}")
        }
    }
    println!("{} passed, {failed} failed", checks.len() - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
