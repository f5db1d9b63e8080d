//! End-to-end: a web process that dies takes only its page with it.
//!
//! One window; its first page load stores a value in the app's state and
//! asks the core to SIGKILL the app's WebKit web processes (a real crash, as
//! the OS's out-of-memory killer would do it). The window must reload the page
//! in a new web process, the core must still hold the value, and calls must
//! work again, through isolation (a new frame, a new key). `harness = false`:
//! GTK must own the main thread.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use portcullis::{App, AppHandle, Assets, Isolation, State, WindowConfig, command, commands};
use portcullis_tests::{Check, start_e2e, verdict, window_checks};

#[derive(Default)]
struct Observed {
    reports: Mutex<BTreeMap<String, Vec<Check>>>,
    loads: AtomicU64,
    killed: AtomicU64,
    value: Mutex<Option<u64>>,
}

type Obs<'a> = State<'a, &'static Observed>;

#[command]
fn page_started(observed: Obs<'_>) -> u64 {
    observed.loads.fetch_add(1, Ordering::SeqCst) + 1
}

#[command]
fn remember(observed: Obs<'_>, value: u64) {
    *observed.value.lock().unwrap() = Some(value);
}

#[command]
fn recall(observed: Obs<'_>) -> Option<u64> {
    *observed.value.lock().unwrap()
}

#[command]
fn double(n: u64) -> u64 {
    2 * n
}

/// SIGKILLs this app's WebKit web processes.
#[command]
fn kill_web_processes(observed: Obs<'_>) -> Result<u64, String> {
    let mut killed = 0;
    for pid in web_processes().map_err(|e| e.to_string())? {
        let status = std::process::Command::new("kill")
            .args(["-KILL", &pid.to_string()])
            .status()
            .map_err(|e| e.to_string())?;
        if status.success() {
            killed += 1;
        }
    }
    observed.killed.fetch_add(killed, Ordering::SeqCst);
    Ok(killed)
}

/// The pids of this process's descendants named `WebKitWebProcess` (the
/// kernel keeps 15 characters of a process name). Descendants, not children:
/// with WebKit's bubblewrap sandbox on, a web process is a grandchild.
fn web_processes() -> std::io::Result<Vec<u32>> {
    // (pid, parent, name) of every process.
    let mut all = Vec::new();
    for entry in std::fs::read_dir("/proc")? {
        let Ok(pid) = entry?.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        // `pid (name) state ppid ...`; the name may hold spaces and parens.
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let parent = stat[close + 1..].split_whitespace().nth(1);
        if let Some(Ok(parent)) = parent.map(str::parse::<u32>) {
            all.push((pid, parent, stat[open + 1..close].to_owned()));
        }
    }
    let mut ours = vec![std::process::id()];
    let mut found = Vec::new();
    while let Some(parent) = ours.pop() {
        for (pid, _, name) in all.iter().filter(|(_, p, _)| *p == parent) {
            ours.push(*pid);
            if name.starts_with("WebKitWebProces") {
                found.push(*pid);
            }
        }
    }
    Ok(found)
}

#[command]
fn report(app: AppHandle, observed: Obs<'_>, window: String, results: Vec<Check>) {
    observed.reports.lock().unwrap().insert(window, results);
    app.exit().unwrap();
}

fn main() -> ExitCode {
    // Marked Linux-only: elsewhere wry exposes no web-process crash event, so
    // nothing reloads the page (runtime/src/webview/platform). CI is Linux.
    if !cfg!(target_os = "linux") {
        println!("crash e2e: Linux only");
        return ExitCode::SUCCESS;
    }
    start_e2e("crash e2e");
    let observed: &'static Observed = Box::leak(Box::default());
    let result = App::builder()
        .manage(observed)
        .commands(commands![
            page_started,
            remember,
            recall,
            double,
            kill_web_processes,
            report
        ])
        .window(WindowConfig::new("crash").url("crash.html"))
        // With isolation on: the reloaded page's calls go through a new
        // isolation frame with a new key, and must work.
        .isolation(
            Isolation::dir(concat!(env!("CARGO_MANIFEST_DIR"), "/e2e/isolation-app"))
                .expect("the isolation app builds"),
        )
        .assets(Assets::dir(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/e2e/dist"
        )))
        .run();
    if let Err(err) = result {
        eprintln!("crash e2e: the app failed: {err}");
        return ExitCode::FAILURE;
    }
    let mut checks = window_checks(&observed.reports.lock().unwrap(), &["crash"]);
    let killed = observed.killed.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: a web process of the app was killed",
        killed >= 1,
        format!("killed {killed}"),
    ));
    let loads = observed.loads.load(Ordering::SeqCst);
    checks.push(Check::new(
        "core: the page was loaded exactly twice",
        loads == 2,
        format!("loaded {loads} times"),
    ));
    verdict(&checks)
}
