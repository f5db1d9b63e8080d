//! The new-app loop, as a user runs it (`cargo xtask template`, and part of
//! `test`): `cargo portcullis new` from the CLI built here, then in the new
//! app, without edits: `cargo build`; `npm install` and `npm run build` (its
//! checked-in bindings must type-check); `cargo portcullis bindings --check`;
//! `cargo portcullis dev` (Vite starts, the app's window loads its page from
//! Vite and runs its modules; a Rust change rebuilds and restarts the app;
//! Ctrl-C leaves neither Vite nor the app running); and `cargo portcullis
//! build` (a release binary embedding the built front end).
//!
//! The app builds into this workspace's `target/`, so the dependencies
//! already compiled for the tests are reused. The release build uses
//! `opt-level = 0`: what it proves is the release path (embedded assets, no
//! dev server), not the optimizer.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::{cargo, cargo_program, run, workspace_root};

/// The port the template's Vite config listens on.
const VITE_PORT: u16 = 5173;

/// `release`: also `cargo portcullis build` (a release build of the whole
/// stack: about 2.5 min cold, so `cargo xtask test` leaves it to
/// `cargo xtask template`, keeping CI within its 30 minutes).
pub(crate) fn check(release: bool) -> Result<(), String> {
    let root = workspace_root();
    cargo(&["build", "--quiet", "-p", "portcullis-cli"])?;
    let cli = root.join("target/debug/cargo-portcullis");
    let base = root.join("target/template-check");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).map_err(|err| format!("cannot create {base:?}: {err}"))?;
    let app = base.join("hello-app");
    run(Command::new(&cli).arg("new").arg(&app))?;
    let in_app = |program: &Path, args: &[&str]| {
        let mut command = Command::new(program);
        command
            .args(args)
            .current_dir(&app)
            .env("CARGO_TARGET_DIR", root.join("target"));
        command
    };
    let cargo_path = PathBuf::from(cargo_program());
    run(&mut in_app(&cargo_path, &["build"]))?;
    let web = app.join("web");
    run(Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&web))?;
    run(Command::new("npm").args(["run", "build"]).current_dir(&web))?;
    run(&mut in_app(&cli, &["bindings", "--check"]))?;
    dev_smoke(&cli, &app, &root)?;
    if !release {
        eprintln!("xtask template: new, build, bindings --check and dev work");
        let _ = std::fs::remove_dir_all(&base);
        return Ok(());
    }
    let mut release = in_app(&cli, &["build"]);
    release.env("CARGO_PROFILE_RELEASE_OPT_LEVEL", "0");
    run(&mut release)?;
    let exe = root.join("target/release/hello-app");
    if !exe.is_file() {
        return Err(format!(
            "`cargo portcullis build` left no {}",
            exe.display()
        ));
    }
    eprintln!("xtask template: new, build, bindings --check, dev and build all work");
    let _ = std::fs::remove_dir_all(&base);
    Ok(())
}

/// What `cargo portcullis dev` must be seen doing, in its output.
#[derive(Default, Debug)]
struct Seen {
    /// The app's window loaded `/src/main.ts` through the core from Vite.
    pages: usize,
    /// ...and ran it: its import of `portcullis-api` was requested too.
    modules: bool,
    /// A Rust change restarted the app.
    rebuilt: bool,
    /// Pids of the app processes started.
    apps: Vec<u32>,
}

fn dev_smoke(cli: &Path, app: &Path, root: &Path) -> Result<(), String> {
    if port_open(VITE_PORT) {
        return Err(format!(
            "port {VITE_PORT} is taken: the template's dev server needs it"
        ));
    }
    // The CLI runs in the background of a shell under Xvfb so that it alone
    // gets the Ctrl-C (SIGINT), as in a terminal; the shell says its pid.
    let script = format!(
        "{} dev & echo \"cli-pid $!\" >&2; wait",
        shell_quote(&cli.to_string_lossy())
    );
    let mut command = crate::program_with_display("sh", &["-c", &script]);
    command
        .current_dir(app)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .env("PORTCULLIS_LOG", "debug")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot start cargo portcullis dev: {err}"))?;
    let lines = crate::stderr_lines(&mut child, "dev");
    let outcome = watch_dev(&lines, app);
    // Whatever happened, nothing of it may keep running.
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{}", child.id())])
        .status();
    let _ = child.wait();
    outcome
}

fn watch_dev(lines: &mpsc::Receiver<String>, app: &Path) -> Result<(), String> {
    let mut seen = Seen::default();
    let mut cli_pid = None;
    let wait_until = |seen: &mut Seen,
                      cli_pid: &mut Option<u32>,
                      limit: Duration,
                      done: &dyn Fn(&Seen) -> bool|
     -> Result<(), String> {
        let deadline = Instant::now() + limit;
        while !done(seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            let line = lines
                .recv_timeout(left)
                .map_err(|_| format!("cargo portcullis dev: not seen in {limit:?}: {seen:?}"))?;
            if let Some(pid) = line.strip_prefix("cli-pid ") {
                *cli_pid = pid.trim().parse().ok();
            }
            if line.contains("served from the dev server") {
                seen.pages += usize::from(line.contains("/src/main.ts"));
                seen.modules |= line.contains("portcullis-api");
            }
            seen.rebuilt |= line.contains("Rebuilding");
            let pid = line
                .split("(pid ")
                .nth(1)
                .and_then(|rest| rest.split(')').next());
            if let Some(pid) = pid.and_then(|p| p.parse().ok()) {
                seen.apps.push(pid);
            }
        }
        Ok(())
    };
    // Vite starts (npm install was done), the app builds and loads its page.
    wait_until(&mut seen, &mut cli_pid, Duration::from_secs(240), &|s| {
        s.pages >= 1 && s.modules
    })?;
    // A Rust change: the app is rebuilt and started again, and loads again.
    let main = app.join("src/main.rs");
    let mut source =
        std::fs::read_to_string(&main).map_err(|err| format!("cannot read {main:?}: {err}"))?;
    source.push_str("\n// A change, as a developer makes one.\n");
    std::fs::write(&main, source).map_err(|err| format!("cannot write {main:?}: {err}"))?;
    wait_until(&mut seen, &mut cli_pid, Duration::from_secs(240), &|s| {
        s.rebuilt && s.pages >= 2 && s.apps.len() >= 2
    })?;
    // Ctrl-C: the CLI stops Vite and the app.
    let cli_pid = cli_pid.ok_or("the CLI's pid was not seen")?;
    run(Command::new("kill").args(["-INT", &cli_pid.to_string()]))?;
    let deadline = Instant::now() + Duration::from_secs(15);
    let app_pid = *seen.apps.last().expect("seen above");
    while Instant::now() < deadline {
        if !alive(cli_pid) && !alive(app_pid) && !port_open(VITE_PORT) {
            eprintln!(
                "xtask template: dev loaded the page from Vite, restarted on a Rust change, \
                 and Ctrl-C stopped the CLI, the app and Vite"
            );
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "after Ctrl-C: CLI running: {}, app running: {}, Vite listening: {}",
        alive(cli_pid),
        alive(app_pid),
        port_open(VITE_PORT)
    ))
}

/// The child's stderr, line by line.
fn port_open(port: u16) -> bool {
    std::net::TcpStream::connect(("localhost", port)).is_ok()
}

/// Whether a process exists and is not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|stat| {
        stat.rsplit(')')
            .next()
            .is_some_and(|s| !s.trim_start().starts_with('Z'))
    })
}

fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
