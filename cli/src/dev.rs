//! `cargo portcullis dev`: the front end's dev server and the app together.
//!
//! The dev server starts first (its dependencies installed if missing) and
//! must answer at `dev-url`; the app then runs with `PORTCULLIS_DEV_URL` set,
//! so its debug build serves pages from the dev server (hot reload is the dev
//! server's own). A change to the Rust side (anything in the package outside
//! the front end and `target/`) rebuilds and restarts the app; a build error
//! waits for the next change. Closing the app ends the session, as Ctrl-C
//! does: both stop the dev server's whole process group.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::child::{self, Group};
use crate::project::Project;
use crate::{Result, build, step};

/// How often sources and processes are looked at.
const POLL: Duration = Duration::from_millis(250);
/// How long the dev server may take to answer (a first `npm install` is done
/// before the clock starts).
const SERVER_START: Duration = Duration::from_secs(120);

pub(crate) fn run(project: &Project) -> Result<ExitCode> {
    let stop = child::interrupted()?;
    let frontend = project.frontend();
    child::install_if_missing(&frontend)?;
    step(
        "Starting",
        format!("{} (in {})", project.config.dev_command, frontend.display()),
    );
    let mut server = Group::spawn(
        "the dev server",
        child::shell(&project.config.dev_command, &frontend),
    )?;
    if let Err(err) = child::wait_for(&project.config.dev_url, &mut server, &stop, SERVER_START) {
        server.stop();
        return Err(err);
    }
    step("Serving", &project.config.dev_url);
    let outcome = app_loop(project, &mut server, &stop);
    server.stop();
    outcome
}

fn app_loop(project: &Project, server: &mut Group, stop: &AtomicBool) -> Result<ExitCode> {
    loop {
        let stamp = sources_stamp(project);
        let mut app = match build::cargo_build(project, false) {
            Ok(exe) => {
                let mut command = Command::new(&exe);
                command
                    .current_dir(&project.root)
                    .env("PORTCULLIS_DEV_URL", &project.config.dev_url);
                let app = Group::spawn("the app", command)?;
                step("Running", format!("{} (pid {})", exe.display(), app.id()));
                Some(app)
            }
            Err(err) => {
                eprintln!("cargo portcullis: {err}; waiting for a change");
                None
            }
        };
        loop {
            std::thread::sleep(POLL);
            if stop.load(Ordering::SeqCst) {
                if let Some(app) = app {
                    app.stop();
                }
                return Ok(ExitCode::from(130));
            }
            if let Some(status) = server.exited() {
                if let Some(app) = app {
                    app.stop();
                }
                return Err(format!("the dev server exited ({status})"));
            }
            if let Some(status) = app.as_mut().and_then(Group::exited) {
                step("Finished", format!("the app exited ({status})"));
                let code = status
                    .code()
                    .and_then(|c| u8::try_from(c).ok())
                    .unwrap_or(1);
                return Ok(ExitCode::from(code));
            }
            if sources_stamp(project) != stamp {
                step("Rebuilding", "a Rust-side source changed");
                if let Some(app) = app {
                    app.stop();
                }
                break;
            }
        }
    }
}

/// A fingerprint of the Rust side's files: names, sizes and times.
fn sources_stamp(project: &Project) -> u64 {
    fn walk(project: &Project, dir: &Path, hasher: &mut DefaultHasher) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if !project.is_core_source(&path) {
                continue;
            }
            if path.is_dir() {
                walk(project, &path, hasher);
            } else if let Ok(meta) = path.metadata() {
                path.hash(hasher);
                meta.len().hash(hasher);
                meta.modified().ok().hash(hasher);
            }
        }
    }
    let mut hasher = DefaultHasher::new();
    walk(project, &project.root, &mut hasher);
    hasher.finish()
}
