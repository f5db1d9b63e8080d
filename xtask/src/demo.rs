//! `PORTCULLIS_DEMO_SMOKE=1 cargo xtask demo`: what CI runs to prove the
//! README's first Quick start command. It launches the demo exactly as that
//! command does (same package, same default binary, under Xvfb when there is
//! no display), with a fresh data directory and the runtime's debug log, and
//! watches the log until the demo has served its page and answered a call
//! (`list_todos`, which the page makes as it loads, through isolation); then
//! it stops the demo. A demo that fails to build, to start, or to answer
//! within the time limit fails the task.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Build first, so the limit is about starting and answering.
const LIMIT: Duration = Duration::from_secs(90);

pub(crate) fn smoke() -> Result<(), String> {
    crate::cargo(&["build", "--package", "todo"])?;
    let data = std::env::temp_dir().join(format!("portcullis-demo-smoke-{}", std::process::id()));
    let mut command = crate::cargo_with_display(&["run", "--package", "todo"]);
    command
        .env("TODO_DATA_DIR", &data)
        .env("PORTCULLIS_LOG", "debug")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    // Its own process group, so stopping it stops Xvfb and the app too.
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .spawn()
        .map_err(|err| format!("could not start the demo: {err}"))?;
    let seen = crate::stderr_lines(&mut child, "demo");
    let started = Instant::now();
    let (mut served, mut answered) = (false, false);
    while !(served && answered) {
        let left = LIMIT.saturating_sub(started.elapsed());
        match seen.recv_timeout(left) {
            Ok(line) => {
                served |= line.contains("served") && line.contains("path=\"/index.html\"");
                answered |= line.contains("call answered")
                    && line.contains("command=list_todos")
                    && line.contains("ok=true");
            }
            Err(_) => break,
        }
    }
    if cfg!(unix) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", child.id())])
            .status();
    } else {
        let _ = child.kill();
    }
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data);
    if served && answered {
        eprintln!(
            "xtask demo: the demo served its page and answered list_todos in {:.1} s; stopped it",
            started.elapsed().as_secs_f64()
        );
        Ok(())
    } else {
        Err(format!(
            "the demo did not {} within {LIMIT:?}",
            if served {
                "answer list_todos"
            } else {
                "serve /index.html"
            }
        ))
    }
}
