//! The dev loop, end to end: Vite serves the workbench's front end (a copy
//! of `web/`, so the test can edit it), the app runs with `dev_url` pointing
//! at it, and the UI is driven in WebKitGTK. Mid-way `title.ts` is edited on
//! disk: the heading must change through Vite's hot reload without a page
//! reload, with the page's state, the core (this process) and its state
//! intact; then the rest of the UI flow must still work. Needs
//! `npm ci` in `web/` (`cargo xtask test` runs it).

mod common;

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use common::Reported;
use portcullis::{State, command, commands};

/// The copy of `web/` Vite serves.
struct Copy(PathBuf);

/// Rewrites `title.ts` in the served copy, as a developer's editor would.
#[command]
fn edit_title(copy: State<'_, Copy>, text: String) -> Result<(), String> {
    let source = format!("export const title = {text:?};\n");
    std::fs::write(copy.0.join("src/title.ts"), source).map_err(|err| err.to_string())
}

fn main() -> ExitCode {
    common::watchdog("workbench hot reload", Duration::from_secs(150));
    let web = Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
    if !web.join("node_modules/vite").is_dir() {
        println!("FAIL no Vite in {}: run `npm ci` there", web.display());
        return ExitCode::FAILURE;
    }
    let copy = std::env::temp_dir().join(format!("workbench-hot-{}", std::process::id()));
    copy_front_end(&web, &copy).expect("copy web/");
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let mut vite = start_vite(&copy, port);
    let outcome = run_app(&copy, port);
    stop(&mut vite);
    let _ = std::fs::remove_dir_all(&copy);
    outcome
}

fn run_app(copy: &Path, port: u16) -> ExitCode {
    if let Err(err) = wait_for(port, Duration::from_secs(60)) {
        println!("FAIL Vite answered: {err}");
        return ExitCode::FAILURE;
    }
    let reported: &'static Reported = Box::leak(Box::default());
    let script = format!(
        "window.__workbenchDevPort = {port};\n{}\n{}",
        include_str!("hot.js"),
        include_str!("driver.js")
    );
    let result = workbench::app()
        .dev_url(format!("http://localhost:{port}"))
        .manage(reported)
        .manage(Copy(copy.to_owned()))
        .commands(commands![common::ui_report, edit_title])
        .window(workbench::main_window().initialization_script(script))
        .run();
    if let Err(err) = result {
        println!("FAIL the app ran: {err}");
        return ExitCode::FAILURE;
    }
    let seen = reported.0.lock().unwrap().take();
    let expected = [
        ("pages keep the app's origin", "origin", "app://localhost"),
        ("the heading comes from title.ts", "title", "Workbench"),
        (
            "greet answers through the dev server's page",
            "greet",
            "Hello, Ada!",
        ),
        (
            "the isolation hook still checks every call",
            "greet_long",
            "~refused by the isolation hook",
        ),
        ("the job-finished event arrives", "jobs_after_one", "1"),
        (
            "the page's CSP allows the dev server's socket",
            "csp_socket",
            "true",
        ),
        (
            "the page cannot fetch from the dev server's origin",
            "dev_origin_fetch",
            "blocked",
        ),
        (
            "the edit reached the page by hot reload",
            "hot_title",
            "Workbench, edited live",
        ),
        ("the page did not reload", "reloads", "0"),
        ("the page's state is intact", "name_kept", "kept"),
        ("the page's count is intact", "jobs_kept", "1"),
        ("the core's state is intact", "core_jobs", "1"),
        (
            "Cancel still stops a job after the edit",
            "cancelled",
            "Cancelled.",
        ),
        (
            "binary calls still work after the edit",
            "pixel_inverted",
            "true",
        ),
    ];
    common::verdict(seen.as_ref(), &expected)
}

/// Copies the front end's sources (not `dist/`); `node_modules` is linked.
fn copy_front_end(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let name = path.file_name().expect("an entry has a name");
        let target = to.join(name);
        if name == "node_modules" {
            #[cfg(unix)]
            std::os::unix::fs::symlink(&path, &target)?;
            #[cfg(windows)]
            std::os::windows::fs::symlink_dir(&path, &target)?;
        } else if name == "dist" {
            continue;
        } else if path.is_dir() {
            copy_front_end(&path, &target)?;
        } else {
            std::fs::copy(&path, &target)?;
        }
    }
    Ok(())
}

fn start_vite(dir: &Path, port: u16) -> Child {
    let mut command = Command::new("node");
    command
        .arg("node_modules/vite/bin/vite.js")
        .current_dir(dir)
        .env("VITE_PORT", port.to_string())
        .stdout(Stdio::null());
    // Its own process group, so `stop` reaches Vite's children too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    command.spawn().expect("node starts Vite")
}

fn wait_for(port: u16, limit: Duration) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if TcpStream::connect(("localhost", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!("nothing on port {port} after {}s", limit.as_secs()))
}

/// Stops Vite and anything it started.
fn stop(vite: &mut Child) {
    #[cfg(unix)]
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{}", vite.id())])
        .status();
    #[cfg(not(unix))]
    let _ = vite.kill();
    let _ = vite.wait();
}
