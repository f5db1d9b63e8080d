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

use crate::apt;
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
    let Some(missing) = apt::missing(PACKAGES) else {
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
    for command in apt::install_commands(&missing) {
        run("apt-get", command)?;
    }
    Ok(())
}

fn pkg_config_has(library: &str) -> bool {
    Command::new("pkg-config")
        .args(["--exists", library])
        .status()
        .is_ok_and(|status| status.success())
}
