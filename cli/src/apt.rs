//! Debian's package tools, as `cargo portcullis` and `cargo xtask` both use
//! them to install the libraries the runtime links. `cargo xtask` includes
//! this file by its path: it installs those libraries before anything of the
//! workspace can be built, so it cannot depend on a crate of it. Std only.

use std::process::Command;

/// The packages dpkg does not have installed, or `None` when this is not a
/// dpkg system (nothing here can tell what is missing then).
pub(crate) fn missing(packages: &[&str]) -> Option<Vec<String>> {
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

/// The two `apt-get` runs that install `packages`, to run in order: fresh
/// package lists, then the install. As root directly, else through `sudo`;
/// never asking.
pub(crate) fn install_commands(packages: &[String]) -> [Command; 2] {
    let root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.trim_ascii() == b"0");
    let apt_get = |args: &[&str]| {
        let mut command = if root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.arg("apt-get");
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        command
    };
    let mut install = apt_get(&["install", "-y", "-q", "--no-install-recommends"]);
    install.args(packages);
    [apt_get(&["update", "-q"]), install]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_package_that_does_not_exist_is_missing_and_an_installed_one_is_not() {
        // Only meaningful where dpkg is (Debian CI); elsewhere `None` is the
        // answer and is checked as such.
        let Some(missing) = missing(&["dpkg", "portcullis-no-such-package"]) else {
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

    #[test]
    fn the_install_refreshes_the_lists_first_and_never_asks() {
        let [update, install] = install_commands(&["libfoo-dev".into()]);
        let args = |c: &Command| {
            c.get_args()
                .map(|a| a.to_string_lossy().into_owned())
                .collect::<Vec<_>>()
        };
        assert!(args(&update).ends_with(&["update".into(), "-q".into()]));
        assert!(args(&install).ends_with(&[
            "-y".into(),
            "-q".into(),
            "--no-install-recommends".into(),
            "libfoo-dev".into()
        ]));
        for command in [&update, &install] {
            assert!(
                command.get_envs().any(
                    |(k, v)| k == "DEBIAN_FRONTEND" && v.is_some_and(|v| v == "noninteractive")
                )
            );
        }
    }
}
