//! What both end-to-end tests share: the page reports what it saw (a map of
//! observations) through a test-only command, and the Rust side checks it.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use portcullis::{State, Window, command};

/// What the driver saw, by name.
pub(crate) type Seen = BTreeMap<String, String>;

#[derive(Default)]
pub(crate) struct Reported(pub(crate) Mutex<Option<Seen>>);

/// The driver's last call: what it saw; the window then closes, which ends
/// `run()`.
#[command]
pub(crate) fn ui_report(window: Window, reported: State<'_, &'static Reported>, seen: Seen) {
    *reported.0.lock().unwrap() = Some(seen);
    window.close().unwrap();
}

/// Fails the process if the page has not reported after `limit`.
pub(crate) fn watchdog(what: &'static str, limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("{what}: timed out waiting for the page to report");
        std::process::exit(1);
    });
}

/// Checks each `(name, key, expected)`: the page saw `expected` under `key`
/// (a `~` prefix: contains it). Prints every check and the verdict.
pub(crate) fn verdict(seen: Option<&Seen>, expected: &[(&str, &str, &str)]) -> ExitCode {
    let Some(seen) = seen else {
        println!("FAIL the page reported nothing");
        return ExitCode::FAILURE;
    };
    let mut failed = 0;
    for (name, key, want) in expected {
        let got = seen.get(*key).map(String::as_str).unwrap_or("<missing>");
        let ok = match want.strip_prefix('~') {
            Some(part) => got.contains(part),
            None => got == *want,
        };
        if ok {
            println!("ok   {name}");
        } else {
            failed += 1;
            println!("FAIL {name}: {key} = {got:?}, expected {want:?}");
        }
    }
    if let Some(problems) = seen.get("problems").filter(|p| !p.is_empty()) {
        failed += 1;
        println!("FAIL the driver hit problems: {problems}");
    }
    println!(
        "{} passed, {failed} failed",
        expected.len() - failed.min(expected.len())
    );
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
