//! `cargo portcullis build` and `bindings`.
//!
//! `build` runs the steps in the one order that works: the bindings first
//! (the front end's type check imports them; a debug build of the app writes
//! them with `PORTCULLIS_BINDINGS=write`, which needs no built front end),
//! then the front end (`build-command`), then the release build, which
//! embeds what the front end just built.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};

use serde::Deserialize;

use crate::project::{Project, cargo};
use crate::{Result, child, step};

pub(crate) fn release(project: &Project) -> Result<ExitCode> {
    bindings(project, false)?;
    let frontend = project.frontend();
    child::install_if_missing(&frontend)?;
    step(
        "Building",
        format!("the front end: {}", project.config.build_command),
    );
    child::run(
        &project.config.build_command,
        child::shell(&project.config.build_command, &frontend),
    )?;
    let exe = cargo_build(project, true)?;
    step("Finished", format!("the app: {}", exe.display()));
    Ok(ExitCode::SUCCESS)
}

/// Writes the bindings (or checks them) by running the app's debug build
/// with `PORTCULLIS_BINDINGS` set: it does that and exits, opening nothing.
pub(crate) fn bindings(project: &Project, check: bool) -> Result<ExitCode> {
    let exe = cargo_build(project, false)?;
    let mode = if check { "check" } else { "write" };
    step(if check { "Checking" } else { "Writing" }, "the bindings");
    let mut command = Command::new(exe);
    command
        .current_dir(&project.root)
        .env("PORTCULLIS_BINDINGS", mode)
        .env_remove("PORTCULLIS_DEV_URL");
    child::run(&format!("the app with PORTCULLIS_BINDINGS={mode}"), command)?;
    Ok(ExitCode::SUCCESS)
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    target: Option<Target>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

/// Builds the app's binary and returns its path (cargo's diagnostics go to
/// the terminal as usual).
pub(crate) fn cargo_build(project: &Project, release: bool) -> Result<PathBuf> {
    crate::system::ensure()?;
    let mut command = Command::new(cargo());
    command
        .args(["build", "--message-format=json-render-diagnostics", "--bin"])
        .arg(&project.bin)
        .current_dir(&project.root)
        .stdout(Stdio::piped());
    if release {
        command.arg("--release");
    }
    let mut child = command
        .spawn()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut exe = None;
    for line in std::io::BufReader::new(stdout).lines() {
        let Ok(line) = line else { break };
        let Ok(message) = serde_json::from_str::<Message>(&line) else {
            continue;
        };
        if message.reason == "compiler-artifact"
            && message
                .target
                .as_ref()
                .is_some_and(|t| t.name == project.bin && t.kind.iter().any(|k| k == "bin"))
        {
            exe = message.executable;
        }
    }
    let status = child.wait().map_err(|err| format!("cargo build: {err}"))?;
    match exe {
        Some(exe) if status.success() => Ok(exe),
        _ if !status.success() => Err(format!("cargo build failed ({status})")),
        _ => Err(format!("cargo built no binary `{}`", project.bin)),
    }
}
