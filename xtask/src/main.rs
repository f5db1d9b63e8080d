//! Project tasks, run as `cargo xtask <task>`:
//!
//! - `test`: installs the system packages the tests need (if missing), then
//!   runs every check CI runs: formatting, clippy with warnings denied, the
//!   js-api checks (tsc --strict, node --test), and the whole Rust test suite,
//!   the real-WebKit end-to-end tests included (under Xvfb when there is no
//!   display). `.ci/run` calls exactly this.
//!
//! - `bindings`: regenerates the checked-in generated files: the todo
//!   demo's bindings (`examples/todo/dist/bindings.js` + `.d.ts`), the
//!   binding test snapshots (`tests/bindings/*.ts`), and the runtime's copy
//!   of the npm API (`runtime/js/api.js`). `test` fails while they are stale.
//!
//! - `package`: the publishability check `test` runs (see `package.rs`).
//!
//! - `cross`: the Windows and macOS type-check and lint `test` runs (see
//!   `cross.rs`).
//!
//! - `fuzz`: every fuzz target for a short fixed time from its corpus, as
//!   `test` runs it (see `fuzz.rs`, FUZZING.md).
//!
//! - `template`: a new app from `cargo portcullis new`, built, its dev loop
//!   run and released, as `test` runs it (see `template.rs`).
//!
//! - `bench-build`: the build-cost benchmark of `#[derive(Type)]` and
//!   `#[command]` (see BENCHMARKS.md).
//!
//! - `bench-vs-tauri`: Portcullis and Tauri side by side on one page, in
//!   release builds, alternating (see `vs_tauri.rs`, BENCHMARKS.md).
//!
//! - `demo`: installs the system packages the runtime needs (if missing),
//!   then builds and launches the todo demo (under Xvfb when there is no
//!   display, so it also runs on a headless machine). With
//!   `PORTCULLIS_DEMO_SMOKE=1` (CI), it checks the launched demo served its
//!   page and answered a call, then stops it (see `demo.rs`).
//!
//! No dependencies, so it builds in a second on a fresh machine.

// Shared with `cargo portcullis` (see the file).
#[path = "../../cli/src/apt.rs"]
mod apt;
mod bench_build;
mod cross;
mod demo;
mod fuzz;
mod package;
mod template;
mod vs_tauri;

use std::env;
use std::process::{Command, ExitCode};

/// Debian/Ubuntu packages the runtime needs to build and run (WebKitGTK, GTK),
/// and to run it without a display (Xvfb).
pub(crate) const SYSTEM_PACKAGES: &[&str] =
    &["libwebkit2gtk-4.1-dev", "libgtk-3-dev", "xvfb", "xauth"];

fn main() -> ExitCode {
    let task = env::args().nth(1).unwrap_or_default();
    let result = match task.as_str() {
        "test" => test(),
        "demo" => demo(),
        "bindings" => bindings(),
        "bench-build" => bench_build::run(),
        "package" => package::check(),
        "cross" => cross::check(),
        "fuzz" => fuzz::run_all(),
        "template" => template::check(true),
        "bench-vs-tauri" => vs_tauri::run(&env::args().skip(2).collect::<Vec<_>>()),
        _ => {
            eprintln!(
                "usage: cargo xtask test | demo | bindings | package | cross | fuzz | template | bench-build | bench-vs-tauri [--rounds N] [--no-memory] [--startup-only]"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask {task}: {err}");
            ExitCode::FAILURE
        }
    }
}

fn test() -> Result<(), String> {
    let mut packages = SYSTEM_PACKAGES.to_vec();
    if !on_path("node") {
        packages.extend(["nodejs", "npm"]);
    }
    ensure_packages(&packages)?;
    cargo(&["fmt", "--all", "--check"])?;
    cargo(&[
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ])?;
    // The public API's docs build with no broken links.
    run(Command::new(cargo_program())
        .args(["doc", "--package", "portcullis", "--no-deps", "--quiet"])
        .env("RUSTDOCFLAGS", "-D warnings"))?;
    js_api()?;
    front_ends()?;
    with_display(&["test", "--workspace"])?;
    // The web-view benchmarks of events and channels run end to end (a few
    // batches, a 2 s flood, 64 MiB): proof they work, not a measurement
    // (BENCHMARKS.md has those).
    for bench in ["events", "channels"] {
        run(cargo_with_display(&[
            "test",
            "-p",
            "portcullis",
            "--features",
            "test-hooks",
            "--bench",
            bench,
        ])
        .env("PORTCULLIS_BENCH_QUICK", "1")
        .env("PORTCULLIS_BENCH_FLOOD_SECS", "2"))?;
    }
    // The core must build and pass without the web view (no GTK at all).
    cargo(&["test", "-p", "portcullis", "--no-default-features"])?;
    // Hooks for tests are not reachable from a default build (doctests of
    // the crate alone, where the feature is off).
    cargo(&["test", "-p", "portcullis", "--doc"])?;
    // The crates package on their own and build an app from their `.crate`s.
    package::check()?;
    // Windows and macOS: the workspace type-checks and lints clean.
    cross::check()?;
    // Every decoder a page reaches, fuzzed briefly from its corpus.
    fuzz::run_all()?;
    // A new app from the template: built, its dev loop run (its release
    // build is `cargo xtask template`'s, not CI's: time).
    template::check(false)?;
    // The demo's checked-in bindings match its commands (a diff if not).
    cargo(&[
        "run",
        "--quiet",
        "-p",
        "todo",
        "--bin",
        "todo-bindings",
        "--",
        "--check",
    ])?;
    // So are the workbench's (its debug build checks them and exits).
    run(Command::new(cargo_program())
        .args(["run", "--quiet", "-p", "workbench"])
        .env("PORTCULLIS_BINDINGS", "check"))?;
    Ok(())
}

/// The examples' Vite + TypeScript front ends: installed from their lock
/// files, type-checked (`tsc --noEmit`) and built, before the tests that
/// serve them.
fn front_ends() -> Result<(), String> {
    let dir = workspace_root().join("examples/workbench/web");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir))?;
    run(Command::new("npm").args(["run", "build"]).current_dir(&dir))
}

fn bindings() -> Result<(), String> {
    api_copy_is_current(true)?;
    cargo(&["run", "--quiet", "-p", "todo", "--bin", "todo-bindings"])?;
    run(Command::new(cargo_program())
        .args(["run", "--quiet", "-p", "workbench"])
        .env("PORTCULLIS_BINDINGS", "write"))?;
    run(Command::new(cargo_program())
        .args([
            "test",
            "--quiet",
            "-p",
            "portcullis-tests",
            "--test",
            "bindings",
        ])
        .env("PORTCULLIS_BLESS", "1"))
}

fn demo() -> Result<(), String> {
    ensure_packages(SYSTEM_PACKAGES)?;
    if env::var_os("PORTCULLIS_DEMO_SMOKE").is_some() {
        return demo::smoke();
    }
    eprintln!(
        "xtask: launching the todo demo; it saves to $TODO_DATA_DIR/todos.json, \
         or portcullis-todo/todos.json in your data directory"
    );
    with_display(&["run", "--package", "todo"])
}

/// The npm package's `index.js`, which the runtime serves as
/// `/__portcullis__/api.js`, is copied into the runtime crate (a crate
/// embeds only its own files): the copy must be current.
const API_COPY: (&str, &str) = ("js-api/index.js", "runtime/js/api.js");

fn api_copy_is_current(update: bool) -> Result<(), String> {
    let root = workspace_root();
    let read = |path: &str| {
        std::fs::read_to_string(root.join(path)).map_err(|err| format!("cannot read {path}: {err}"))
    };
    let source = read(API_COPY.0)?;
    if update {
        return std::fs::write(root.join(API_COPY.1), &source)
            .map_err(|err| format!("cannot write {}: {err}", API_COPY.1));
    }
    if read(API_COPY.1)? != source {
        return Err(format!(
            "{} is not a copy of {}: run `cargo xtask bindings`",
            API_COPY.1, API_COPY.0
        ));
    }
    Ok(())
}

/// Type-checks the npm package (`tsc --strict`) and runs its unit tests.
fn js_api() -> Result<(), String> {
    api_copy_is_current(false)?;
    let dir = workspace_root().join("js-api");
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&dir))?;
    run(Command::new("npx")
        .args(["tsc", "-p", "tsconfig.json"])
        .current_dir(&dir))?;
    // The generated bindings: the serde-fidelity corpus, command signatures
    // and the demo's declarations, with their usage files.
    run(Command::new("npx")
        .args(["tsc", "-p", "../tests/bindings/tsconfig.json"])
        .current_dir(&dir))?;
    run(Command::new("node")
        .args(["--test", "test/"])
        .current_dir(&dir))
}

/// Runs cargo with these args where windows can open: directly when there is
/// a display, otherwise under a virtual X server (`xvfb-run -a`).
fn with_display(args: &[&str]) -> Result<(), String> {
    run(&mut cargo_with_display(args))
}

/// The command `with_display` runs.
pub(crate) fn cargo_with_display(args: &[&str]) -> Command {
    program_with_display(&cargo_program(), args)
}

/// `program args`, under Xvfb when there is no display.
pub(crate) fn program_with_display(program: &str, args: &[&str]) -> Command {
    if env::var_os("DISPLAY").is_some_and(|d| !d.is_empty()) {
        let mut command = Command::new(program);
        command.args(args);
        return command;
    }
    eprintln!("xtask: no $DISPLAY, running under Xvfb");
    let mut command = Command::new("xvfb-run");
    command
        .args(["-a", "-s", "-screen 0 1280x1024x24", program])
        .args(args);
    command
}

/// The lines `child` writes to its piped stderr, each also echoed to ours
/// after `prefix`, read on a thread of their own.
pub(crate) fn stderr_lines(
    child: &mut std::process::Child,
    prefix: &'static str,
) -> std::sync::mpsc::Receiver<String> {
    use std::io::{BufRead, BufReader};
    let stderr = child.stderr.take().expect("stderr is piped");
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{prefix}| {line}");
            if send.send(line).is_err() {
                break;
            }
        }
    });
    receive
}

pub(crate) fn workspace_root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in the workspace")
        .to_path_buf()
}

pub(crate) fn on_path(program: &str) -> bool {
    Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// The cargo that runs this xtask.
pub(crate) fn cargo_program() -> String {
    env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned())
}

pub(crate) fn cargo(args: &[&str]) -> Result<(), String> {
    run(Command::new(cargo_program()).args(args))
}

pub(crate) fn run(command: &mut Command) -> Result<(), String> {
    eprintln!("$ {}", describe(command));
    let status = command
        .status()
        .map_err(|err| format!("could not start `{}`: {err}", describe(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", describe(command)))
    }
}

fn describe(command: &Command) -> String {
    let mut words = vec![command.get_program().to_string_lossy().into_owned()];
    words.extend(command.get_args().map(|a| a.to_string_lossy().into_owned()));
    words.join(" ")
}

/// Installs the Debian packages that are not installed yet, saying so first.
/// Uses `sudo` when not root. Does nothing when everything is present, or
/// when this is not a Debian system (a build then says what is missing).
pub(crate) fn ensure_packages(packages: &[&str]) -> Result<(), String> {
    let Some(missing) = apt::missing(packages) else {
        return Ok(());
    };
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!(
        "xtask: installing missing system packages with apt-get: {}",
        missing.join(" ")
    );
    for mut command in apt::install_commands(&missing) {
        run(&mut command)?;
    }
    Ok(())
}
