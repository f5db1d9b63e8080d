//! `cargo xtask fuzz` (and part of `test`): every fuzz target in `fuzz/`
//! runs for a short fixed time from its checked-in corpus, so a new crash on
//! the corpus shows up in CI. New inputs go to a scratch directory, not into
//! the checked-in corpus. The long runs are in FUZZING.md.
//!
//! cargo-fuzz needs the nightly toolchain (on the project machines; installed
//! with rustup, minimal profile, when missing) and is installed from
//! crates.io when missing.

use std::process::Command;

use crate::{on_path, run, workspace_root};

pub(crate) const TARGETS: [&str; 5] = ["posted", "fetched", "envelope", "args", "asset_path"];
/// Seconds each target runs in CI.
const SECONDS: u32 = 10;

/// `cargo` through rustup, so `+nightly` selects the toolchain (the `CARGO`
/// this xtask runs under is the stable toolchain's own binary).
fn rustup_cargo() -> Command {
    let mut command = Command::new("cargo");
    command.env_remove("RUSTUP_TOOLCHAIN").env_remove("CARGO");
    command
}

pub(crate) fn run_all() -> Result<(), String> {
    let has_nightly = rustup_cargo()
        .args(["+nightly", "--version"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_nightly {
        let mut install = Command::new("rustup");
        install.args(["toolchain", "install", "nightly", "--profile", "minimal"]);
        run(&mut install)?;
    }
    if !on_path("cargo-fuzz") {
        run(rustup_cargo().args(["install", "cargo-fuzz", "--locked"]))?;
    }
    let dir = workspace_root().join("fuzz");
    let scratch = std::env::temp_dir().join(format!("portcullis-fuzz-{}", std::process::id()));
    for target in TARGETS {
        let new_inputs = scratch.join(target);
        std::fs::create_dir_all(&new_inputs)
            .map_err(|err| format!("cannot create {}: {err}", new_inputs.display()))?;
        run(rustup_cargo()
            .current_dir(&dir)
            .args(["+nightly", "fuzz", "run", "-O", target])
            .arg(&new_inputs)
            .arg(dir.join("corpus").join(target))
            .arg("--")
            .arg(format!("-max_total_time={SECONDS}"))
            .args(["-rss_limit_mb=2048", "-timeout=10", "-print_final_stats=1"]))?;
    }
    let _ = std::fs::remove_dir_all(&scratch);
    Ok(())
}
