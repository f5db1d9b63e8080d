//! What the end-to-end binaries share: the checks the pages report, a watchdog
//! so a stuck page fails the run instead of hanging CI, and the verdict.

use std::process::ExitCode;

/// Every ```rust block of the README compiles (`cargo test --doc` of this
/// crate): the guide cannot drift from the API.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeSnippets;
use std::time::Duration;

use serde::Deserialize;

/// One check, as a page reports it (or as the core adds it).
#[derive(Debug, Deserialize, portcullis::Type)]
pub struct Check {
    pub name: String,
    pub ok: bool,
    pub detail: String,
}

impl Check {
    /// A check the Rust side decides.
    pub fn new(name: impl Into<String>, ok: bool, detail: impl Into<String>) -> Self {
        Check {
            name: name.into(),
            ok,
            detail: detail.into(),
        }
    }
}

/// A sync command that answers with the name of the thread it ran on (the
/// suites check where sync commands run).
#[portcullis::command]
pub fn thread_name() -> String {
    std::thread::current()
        .name()
        .unwrap_or("unnamed")
        .to_owned()
}

/// What every end-to-end binary does first: the runtime's refusals and
/// warnings go to stderr, and a page that stops reporting fails the run after
/// two minutes instead of hanging CI.
pub fn start_e2e(what: &'static str) {
    start_e2e_within(what, Duration::from_secs(120));
}

/// [`start_e2e`] for a suite that needs longer than two minutes.
pub fn start_e2e_within(what: &'static str, limit: Duration) {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .without_time()
        .init();
    watchdog(what, limit);
}

/// Fails the process if the app has not finished after `limit`.
pub fn watchdog(what: &'static str, limit: Duration) {
    std::thread::spawn(move || {
        std::thread::sleep(limit);
        eprintln!("{what}: timed out waiting for the pages to report");
        std::process::exit(1);
    });
}

/// Prints every check and the closing `N passed, N failed` line.
pub fn verdict(checks: &[Check]) -> ExitCode {
    let failed = checks.iter().filter(|c| !c.ok).count();
    for check in checks {
        if check.ok && check.detail.is_empty() {
            println!("ok   {}", check.name);
        } else if check.ok {
            println!("ok   {} ({})", check.name, check.detail);
        } else {
            println!("FAIL {}: {}", check.name, check.detail);
        }
    }
    println!("{} passed, {failed} failed", checks.len() - failed);
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// The reports of `windows`, prefixed with the window; a missing report fails.
pub fn window_checks(
    reports: &std::collections::BTreeMap<String, Vec<Check>>,
    windows: &[&str],
) -> Vec<Check> {
    let mut checks = Vec::new();
    for window in windows {
        match reports.get(*window) {
            Some(results) => checks.extend(
                results
                    .iter()
                    .map(|c| Check::new(format!("{window}: {}", c.name), c.ok, c.detail.clone())),
            ),
            None => checks.push(Check::new(
                format!("{window}: reported"),
                false,
                "no report",
            )),
        }
    }
    checks
}
