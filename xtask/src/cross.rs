//! `cargo xtask cross` (and part of `test`): the workspace type-checks and
//! lints clean for Windows and macOS, and the runtime pulls no GTK crate in
//! there. The tests themselves run on Linux only (see README, "Platforms").
//!
//! Windows is checked as `x86_64-pc-windows-gnu` (no MSVC here; the Rust
//! code is the same), macOS as `x86_64-apple-darwin`. A few build scripts
//! compile one C file for the target (objc2's exception helper on macOS,
//! criterion's `alloca` on Windows): Debian's `clang` does both, with the
//! MinGW headers for Windows; both are installed if missing. `alloca` needs
//! a C library's headers, which there are none of here for macOS (Apple's
//! SDK), so on macOS the runtime crate's own tests and benches (criterion is
//! its dev-dependency) are left out: its library, and every other crate's
//! targets, are checked.

use std::process::Command;

use crate::{cargo_program, ensure_packages, run};

const TARGETS: [&str; 2] = ["x86_64-pc-windows-gnu", "x86_64-apple-darwin"];

/// Crates of the GTK stack: none may be in the runtime's tree off Linux.
const LINUX_ONLY: [&str; 8] = [
    "glib",
    "gio",
    "gtk",
    "gdk",
    "webkit2gtk",
    "soup3",
    "javascriptcore-rs",
    "cairo-rs",
];

pub(crate) fn check() -> Result<(), String> {
    ensure_packages(&["clang", "mingw-w64-x86-64-dev"])?;
    let mut add = Command::new("rustup");
    add.args(["target", "add"]).args(TARGETS);
    run(&mut add)?;
    for target in TARGETS {
        let passes: &[&[&str]] = if target.contains("apple") {
            &[
                &["--workspace", "--all-targets", "--exclude", "portcullis"],
                &["-p", "portcullis", "--lib", "--features", "test-hooks"],
            ]
        } else {
            &[&["--workspace", "--all-targets"]]
        };
        for pass in passes {
            run(Command::new(cargo_program())
                .args(["clippy", "--quiet", "--target", target])
                .args(*pass)
                .args(["--", "-D", "warnings"])
                .env("CC_x86_64_apple_darwin", "clang")
                .env("CC_x86_64_pc_windows_gnu", "clang"))?;
        }
        let tree = Command::new(cargo_program())
            .args([
                "tree",
                "-p",
                "portcullis",
                "-e",
                "normal",
                "--prefix",
                "none",
            ])
            .args(["--target", target])
            .output()
            .map_err(|err| format!("cargo tree: {err}"))?;
        let tree = String::from_utf8_lossy(&tree.stdout);
        let pulled: Vec<&str> = tree
            .lines()
            .filter_map(|line| line.split(' ').next())
            .filter(|name| LINUX_ONLY.contains(name))
            .collect();
        if !pulled.is_empty() {
            return Err(format!(
                "the runtime pulls Linux-only crates in for {target}: {pulled:?}"
            ));
        }
        eprintln!("xtask cross: {target}: clippy clean, no GTK crate in the runtime's tree");
    }
    Ok(())
}
