//! `cargo portcullis`: the front-end developer's loop for a Portcullis app.
//!
//! - `new <dir>`: a new app from the template kept in `cli/template`.
//! - `dev`: the front end's dev server and the app together; Rust changes
//!   rebuild and restart the app, front-end changes are the dev server's hot
//!   reload; Ctrl-C stops both.
//! - `build`: bindings, then the front end, then a release build embedding it.
//! - `bindings [--check]`: writes the generated bindings, or checks them.
//!
//! Files by role: `project` (the app's crate and its
//! `[package.metadata.portcullis]`), `template` (`new`), `child` (processes
//! and process groups), `system` (WebKitGTK's packages on Linux, installed
//! before the first build when missing), `dev`, `build` (`build` and
//! `bindings`).

mod apt;
mod build;
mod child;
mod dev;
mod project;
mod system;
mod template;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// `cargo portcullis ...` (cargo passes `portcullis` as the first argument).
#[derive(Parser, Debug)]
#[command(name = "cargo", bin_name = "cargo")]
enum Cargo {
    #[command(version, about)]
    Portcullis(Cli),
}

#[derive(clap::Args, Debug)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Creates a new app in DIR: a Rust core, a Vite + TypeScript front end,
    /// an isolation app and a README.
    New {
        /// The directory to create; its last component names the crate.
        dir: PathBuf,
        /// The Portcullis checkout the app depends on (default: the one this
        /// tool was built from).
        #[arg(long, value_name = "DIR")]
        portcullis_path: Option<PathBuf>,
    },
    /// Runs the front end's dev server and the app against it.
    Dev,
    /// Builds the bindings, the front end, then the app in release mode.
    Build,
    /// Writes the app's generated bindings (or, with --check, fails when they
    /// are not current).
    Bindings {
        /// Change nothing; fail with a diff if the file on disk is stale.
        #[arg(long)]
        check: bool,
    },
}

/// What went wrong, said once, on stderr.
type Result<T, E = String> = std::result::Result<T, E>;

fn main() -> ExitCode {
    // `cargo portcullis x` runs `cargo-portcullis portcullis x`; the binary
    // run by its own name gets the same treatment.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if args.get(1).is_none_or(|arg| arg != "portcullis") {
        args.insert(1.min(args.len()), "portcullis".into());
    }
    let Cargo::Portcullis(cli) = Cargo::parse_from(args);
    let result = match cli.command {
        Command::New {
            dir,
            portcullis_path,
        } => template::new(&dir, portcullis_path),
        Command::Dev => project::Project::find().and_then(|p| dev::run(&p)),
        Command::Build => project::Project::find().and_then(|p| build::release(&p)),
        Command::Bindings { check } => {
            project::Project::find().and_then(|p| build::bindings(&p, check))
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("cargo portcullis: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a step the tool takes, the way cargo prints its own.
fn step(what: &str, detail: impl std::fmt::Display) {
    eprintln!("{what:>12} {detail}");
}
