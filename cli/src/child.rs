//! Child processes: shell commands from the app's config, each in its own
//! process group on Unix so that stopping it stops everything it started
//! (`npm run dev` is npm, a shell and node), never leaving an orphan.

use std::path::Path;
use std::process::{Child, Command, ExitStatus};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crate::{Result, step};

/// A running process and everything it started.
#[derive(Debug)]
pub(crate) struct Group {
    what: String,
    child: Child,
}

impl Group {
    pub(crate) fn spawn(what: impl Into<String>, mut command: Command) -> Result<Group> {
        let what = what.into();
        #[cfg(unix)]
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .map_err(|err| format!("cannot start {what}: {err}"))?;
        Ok(Group { what, child })
    }

    /// The first process's id.
    pub(crate) fn id(&self) -> u32 {
        self.child.id()
    }

    /// Its exit status, if it has exited.
    pub(crate) fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// Stops the group: politely (SIGTERM), then for sure after a grace period.
    pub(crate) fn stop(mut self) {
        if self.exited().is_some() {
            #[cfg(unix)]
            signal_group(&self.child, nix::sys::signal::Signal::SIGKILL);
            return;
        }
        #[cfg(unix)]
        {
            signal_group(&self.child, nix::sys::signal::Signal::SIGTERM);
            let deadline = Instant::now() + Duration::from_secs(3);
            while Instant::now() < deadline {
                if self.exited().is_some() {
                    // The leader is gone; anything it left behind is not.
                    signal_group(&self.child, nix::sys::signal::Signal::SIGKILL);
                    return;
                }
                std::thread::sleep(Duration::from_millis(25));
            }
            signal_group(&self.child, nix::sys::signal::Signal::SIGKILL);
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        step("Stopped", &self.what);
    }
}

#[cfg(unix)]
fn signal_group(child: &Child, signal: nix::sys::signal::Signal) {
    let Ok(pid) = i32::try_from(child.id()) else {
        return;
    };
    // The group may already be empty: nothing to report then.
    let _ = nix::sys::signal::killpg(nix::unistd::Pid::from_raw(pid), signal);
}

/// `line` run by the platform's shell in `dir`.
pub(crate) fn shell(line: &str, dir: &Path) -> Command {
    #[cfg(unix)]
    let mut command = {
        let mut command = Command::new("sh");
        command.args(["-c", line]);
        command
    };
    #[cfg(windows)]
    let mut command = {
        let mut command = Command::new("cmd");
        command.args(["/C", line]);
        command
    };
    command.current_dir(dir);
    command
}

/// Runs `command` to the end; an error names it when it fails.
pub(crate) fn run(what: &str, mut command: Command) -> Result<()> {
    let status = command
        .status()
        .map_err(|err| format!("cannot run {what}: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{what} failed ({status})"))
    }
}

/// Installs the front end's npm dependencies if it has a `package.json` and
/// no `node_modules`, saying so.
pub(crate) fn install_if_missing(frontend: &Path) -> Result<()> {
    if frontend.join("package.json").is_file() && !frontend.join("node_modules").is_dir() {
        step("Installing", "front-end dependencies (npm install)");
        run("npm install", shell("npm install", frontend))?;
    }
    Ok(())
}

/// Set once Ctrl-C (or SIGTERM) arrives.
pub(crate) fn interrupted() -> Result<Arc<AtomicBool>> {
    let flag = Arc::new(AtomicBool::new(false));
    let set = Arc::clone(&flag);
    ctrlc::set_handler(move || set.store(true, Ordering::SeqCst))
        .map_err(|err| format!("cannot catch Ctrl-C: {err}"))?;
    Ok(flag)
}

/// Waits until something accepts connections at `url`'s host and port, while
/// `server` runs; gives up after `limit`.
pub(crate) fn wait_for(
    url: &str,
    server: &mut Group,
    stop: &AtomicBool,
    limit: Duration,
) -> Result<()> {
    let parsed = url::Url::parse(url).map_err(|err| format!("dev-url `{url}`: {err}"))?;
    let addresses = parsed
        .socket_addrs(|| None)
        .map_err(|err| format!("dev-url `{url}`: {err}"))?;
    let deadline = Instant::now() + limit;
    loop {
        if addresses
            .iter()
            .any(|a| std::net::TcpStream::connect_timeout(a, Duration::from_millis(200)).is_ok())
        {
            return Ok(());
        }
        if let Some(status) = server.exited() {
            return Err(format!(
                "{} exited ({status}) before answering at {url}",
                server.what
            ));
        }
        if stop.load(Ordering::SeqCst) {
            return Err("interrupted".into());
        }
        if Instant::now() > deadline {
            return Err(format!(
                "nothing answered at {url} within {}s",
                limit.as_secs()
            ));
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
