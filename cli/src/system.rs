//! The system libraries an app links against, installed when missing.
//!
//! On Linux the runtime links WebKitGTK and GTK. On Debian and Ubuntu (where
//! `dpkg-query` answers) the tool installs their development packages with
//! `apt-get` before the first build, saying so: directly as root, through
//! `sudo` otherwise. Elsewhere it cannot know the package names, so a
//! missing `webkit2gtk-4.1` (asked of `pkg-config`) is reported with what to
//! install, and the build goes on to give cargo's own error. Windows and
//! macOS ship their web views; nothing is needed there.
//!
//! `PORTCULLIS_NO_INSTALL=1` turns the installing off (the check still says
//! what is missing).

use std::process::Command;
use std::sync::OnceLock;

use crate::child::run;
use crate::{Result, step};

/// The Debian packages the runtime's build needs on Linux.
pub(crate) const PACKAGES: &[&str] = &["libwebkit2gtk-4.1-dev", "libgtk-3-dev"];

/// Makes sure the libraries are there; done once per run of the tool.
pub(crate) fn ensure() -> Result<()> {
    static DONE: OnceLock<Result<()>> = OnceLock::new();
    DONE.get_or_init(|| {
        if cfg!(target_os = "linux") {
            ensure_linux()
        } else {
            Ok(())
        }
    })
    .clone()
}

fn ensure_linux() -> Result<()> {
    let Some(missing) = missing_debian(PACKAGES) else {
        if !pkg_config_has("webkit2gtk-4.1") {
            eprintln!(
                "cargo portcullis: pkg-config finds no webkit2gtk-4.1; install WebKitGTK 4.1 \
                 and GTK 3 development files with your system's package manager"
            );
        }
        return Ok(());
    };
    if missing.is_empty() {
        return Ok(());
    }
    let list = missing.join(" ");
    if std::env::var_os("PORTCULLIS_NO_INSTALL").is_some_and(|v| v != "0") {
        return Err(format!(
            "missing system packages: {list} (PORTCULLIS_NO_INSTALL is set; \
             install them with apt-get)"
        ));
    }
    step(
        "Installing",
        format!("system packages with apt-get: {list}"),
    );
    apt(&["update", "-q"])?;
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend(missing.iter().map(String::as_str));
    apt(&install)
}

/// The packages dpkg does not have installed, or `None` when this is not a
/// dpkg system.
pub(crate) fn missing_debian(packages: &[&str]) -> Option<Vec<String>> {
    Command::new("dpkg-query").arg("--version").output().ok()?;
    Some(
        packages
            .iter()
            .filter(|package| {
                !Command::new("dpkg-query")
                    .args(["-W", "-f=${Status}", package])
                    .output()
                    .is_ok_and(|o| {
                        String::from_utf8_lossy(&o.stdout).contains("install ok installed")
                    })
            })
            .map(|package| package.to_string())
            .collect(),
    )
}

fn pkg_config_has(library: &str) -> bool {
    Command::new("pkg-config")
        .args(["--exists", library])
        .status()
        .is_ok_and(|status| status.success())
}

fn apt(args: &[&str]) -> Result<()> {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let mut command = if root {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.arg("apt-get");
        sudo
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    run("apt-get", command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_that_does_not_exist_is_missing_and_an_installed_one_is_not() {
        // Only meaningful where dpkg is (Debian CI); elsewhere `None` is the
        // answer and is checked as such.
        let Some(missing) = missing_debian(&["dpkg", "portcullis-no-such-package"]) else {
            assert!(
                Command::new("dpkg-query")
                    .arg("--version")
                    .output()
                    .is_err()
            );
            return;
        };
        assert_eq!(missing, ["portcullis-no-such-package"]);
    }
}
