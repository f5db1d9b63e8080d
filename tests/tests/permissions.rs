//! End-to-end: capabilities attacked in real WebKitGTK (under Xvfb in CI).
//!
//! Windows, each with what its capability grants:
//! - `perm-main` (app page): `mine_main`, `report`, event `main-event`;
//! - `perm-admin` (app page): `admin_only`, `report`, event `admin-event`;
//! - `perm-none` (app page): matched by no capability, so nothing; it tries
//!   everything and cannot even report (the counters below prove it);
//! - `perm-remote` (a page of `app://evil`, a remote origin a capability
//!   names): `remote_ok`, `report`;
//! - `perm-stranger` (a page of `app://other`, allowed for navigation, named
//!   by no capability): nothing at all.
//!
//! Each page tries the others' commands and events by invoke, by the fetch
//! transport, by emit and by listen. Every denial is proven by a counter
//! that did not move. `harness = false`: GTK must own the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use portcullis::{
    App, AppHandle, Assets, Capability, DEFAULT_CSP, Event, State, Window, WindowConfig, command,
    commands, events,
};
use portcullis_tests::{Check, start_e2e, verdict, window_checks};
use serde::{Deserialize, Serialize};

const REPORTING: [&str; 3] = ["perm-main", "perm-admin", "perm-remote"];

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct MainEvent {
    n: u32,
}

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct AdminEvent {
    n: u32,
}

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    /// (command or event, window) -> runs.
    ran: Mutex<BTreeMap<(String, String), u64>>,
}

type Obs<'a> = State<'a, &'static Observed>;

fn ran(observed: &Observed, what: &str, window: &str) {
    *observed
        .ran
        .lock()
        .unwrap()
        .entry((what.to_owned(), window.to_owned()))
        .or_default() += 1;
}

#[command]
fn mine_main(window: Window, observed: Obs<'_>) -> &'static str {
    ran(&observed, "mine_main", window.label());
    "main's"
}

#[command]
fn admin_only(window: Window, observed: Obs<'_>) -> &'static str {
    ran(&observed, "admin_only", window.label());
    "admin's"
}

#[command]
fn remote_ok(window: Window, observed: Obs<'_>) -> &'static str {
    ran(&observed, "remote_ok", window.label());
    "remote's"
}

#[command]
fn report(app: AppHandle, observed: Obs<'_>, window: String, results: Vec<Check>) {
    let mut reports = observed.reports.lock().unwrap();
    reports.insert(window, results);
    if REPORTING.iter().all(|w| reports.contains_key(*w)) {
        // perm-none and perm-stranger cannot report: give their attempts
        // time to arrive (and be refused) first.
        std::thread::sleep(Duration::from_millis(1500));
        app.exit().unwrap();
    }
}

fn main() -> ExitCode {
    start_e2e("permissions e2e");
    let observed: &'static Observed = Box::leak(Box::default());
    let result = App::builder()
        .manage(observed)
        .commands(commands![mine_main, admin_only, remote_ok, report])
        .events(events![MainEvent, AdminEvent])
        .on_event(move |event: Event<MainEvent>| ran(observed, "main-event", &event.window))
        .on_event(move |event: Event<AdminEvent>| ran(observed, "admin-event", &event.window))
        .capability(
            Capability::new("main-window")
                .windows(["perm-main"])
                .commands(commands![mine_main, report])
                .events(events![MainEvent]),
        )
        .capability(
            Capability::new("admin")
                .windows(["perm-admin"])
                .commands(commands![admin_only, report])
                .events(events![AdminEvent]),
        )
        .capability(
            Capability::remote("app://evil")
                .windows(["perm-remote"])
                .commands(commands![remote_ok, report]),
        )
        .window(WindowConfig::new("perm-main").url("permissions-main.html"))
        .window(WindowConfig::new("perm-admin").url("permissions-admin.html"))
        .window(WindowConfig::new("perm-none").url("permissions-none.html"))
        .window(WindowConfig::new("perm-remote").url("app://evil/permissions-remote.html"))
        .window(WindowConfig::new("perm-stranger").url("app://other/permissions-none.html"))
        .allow_navigation("app://evil")
        .allow_navigation("app://other")
        // Pages of app://evil load their scripts from it.
        .csp(Some(
            DEFAULT_CSP.replace("'self'", "'self' app://evil app://other"),
        ))
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/e2e/dist"
        )))
        .run();
    if let Err(err) = result {
        eprintln!("permissions e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }
    let mut checks = window_checks(&observed.reports.lock().unwrap(), &REPORTING);
    let ran = observed.ran.lock().unwrap().clone();
    let expected: BTreeMap<(String, String), u64> = [
        (("mine_main", "perm-main"), 2),
        (("admin_only", "perm-admin"), 2),
        (("remote_ok", "perm-remote"), 1),
        (("main-event", "perm-main"), 1),
        (("admin-event", "perm-admin"), 1),
    ]
    .into_iter()
    .map(|((what, window), n)| ((what.to_owned(), window.to_owned()), n))
    .collect();
    checks.push(Check::new(
        "core: only granted commands and events ran, each from its own window (every denial left its counter alone)",
        ran == expected,
        format!("ran {ran:?}"),
    ));
    verdict(&checks)
}
