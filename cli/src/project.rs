//! The app being worked on: the cargo package around the current directory
//! and its `[package.metadata.portcullis]` table.
//!
//! ```toml
//! [package.metadata.portcullis]
//! frontend = "web"                    # the front end's directory (package.json)
//! dev-command = "npm run dev"         # starts its dev server, run in `frontend`
//! dev-url = "http://localhost:5173"   # where the dev server answers
//! build-command = "npm run build"     # builds it into what `assets!` embeds
//! bin = "my-app"                      # only if the package has several binaries
//! ```
//! Every key has the default shown; a package without the table is a
//! Portcullis app with a `web/` Vite front end.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Deserialize;

use crate::Result;

#[derive(Debug)]
pub(crate) struct Project {
    /// The directory of the package's `Cargo.toml`.
    pub(crate) root: PathBuf,
    /// The binary that is the app.
    pub(crate) bin: String,
    pub(crate) config: Config,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "kebab-case", default, deny_unknown_fields)]
pub(crate) struct Config {
    pub(crate) frontend: PathBuf,
    pub(crate) dev_command: String,
    pub(crate) dev_url: String,
    pub(crate) build_command: String,
    pub(crate) bin: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            frontend: "web".into(),
            dev_command: "npm run dev".into(),
            dev_url: "http://localhost:5173".into(),
            build_command: "npm run build".into(),
            bin: None,
        }
    }
}

#[derive(Deserialize)]
struct Metadata {
    packages: Vec<Package>,
}

#[derive(Deserialize)]
struct Package {
    name: String,
    manifest_path: PathBuf,
    targets: Vec<Target>,
    #[serde(default)]
    default_run: Option<String>,
    #[serde(default)]
    metadata: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

impl Project {
    /// The package whose directory holds the current directory.
    pub(crate) fn find() -> Result<Project> {
        let cwd = std::env::current_dir().map_err(|err| format!("no current directory: {err}"))?;
        let output = Command::new(cargo())
            .args(["metadata", "--no-deps", "--format-version", "1"])
            .current_dir(&cwd)
            .output()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if !output.status.success() {
            return Err(format!(
                "not in a cargo package ({}): {}",
                cwd.display(),
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        let metadata: Metadata = serde_json::from_slice(&output.stdout)
            .map_err(|err| format!("cargo metadata: {err}"))?;
        let package = metadata
            .packages
            .into_iter()
            .filter(|p| {
                p.manifest_path
                    .parent()
                    .is_some_and(|dir| cwd.starts_with(dir))
            })
            .max_by_key(|p| p.manifest_path.components().count())
            .ok_or_else(|| {
                format!(
                    "{} is a workspace, not an app: run this in the app's directory",
                    cwd.display()
                )
            })?;
        Project::from_package(package)
    }

    fn from_package(package: Package) -> Result<Project> {
        let root = package
            .manifest_path
            .parent()
            .expect("a manifest is in a directory")
            .to_owned();
        let config: Config = match package.metadata.as_ref().and_then(|m| m.get("portcullis")) {
            Some(table) => Config::deserialize(table)
                .map_err(|err| format!("[package.metadata.portcullis]: {err}"))?,
            None => Config::default(),
        };
        let bins: Vec<String> = package
            .targets
            .iter()
            .filter(|t| t.kind.iter().any(|k| k == "bin"))
            .map(|t| t.name.clone())
            .collect();
        let bin = match (&config.bin, &package.default_run, bins.as_slice()) {
            (Some(bin), ..) | (None, Some(bin), _) => bin.clone(),
            (None, None, [only]) => only.clone(),
            (None, None, []) => return Err(format!("package `{}` has no binary", package.name)),
            (None, None, _) => {
                return Err(format!(
                    "package `{}` has several binaries ({}): name the app's with \
                     `bin` in [package.metadata.portcullis]",
                    package.name,
                    bins.join(", ")
                ));
            }
        };
        Ok(Project { root, bin, config })
    }

    /// The front end's directory.
    pub(crate) fn frontend(&self) -> PathBuf {
        self.root.join(&self.config.frontend)
    }

    /// Whether `path` is part of the Rust side (a change there rebuilds the
    /// app): anything in the package but the front end, `target/`, VCS data
    /// and dependencies.
    pub(crate) fn is_core_source(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.root) else {
            return false;
        };
        let first = relative.components().next().map(|c| c.as_os_str());
        path != self.frontend()
            && !path.starts_with(self.frontend())
            && !matches!(
                first.and_then(|f| f.to_str()),
                Some("target" | ".git" | "node_modules")
            )
    }
}

/// The cargo that runs us (`cargo portcullis` sets `$CARGO`), else `cargo`.
pub(crate) fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package(metadata: serde_json::Value, bins: &[&str]) -> Package {
        Package {
            name: "app".into(),
            manifest_path: "/work/app/Cargo.toml".into(),
            targets: bins
                .iter()
                .map(|name| Target {
                    name: (*name).into(),
                    kind: vec!["bin".into()],
                })
                .collect(),
            default_run: None,
            metadata: Some(metadata),
        }
    }

    #[test]
    fn the_table_is_optional_and_its_keys_have_defaults() {
        let project = Project::from_package(package(serde_json::json!({}), &["app"])).unwrap();
        assert_eq!(project.bin, "app");
        assert_eq!(project.config.dev_url, "http://localhost:5173");
        assert_eq!(project.frontend(), Path::new("/work/app/web"));
        let project = Project::from_package(package(
            serde_json::json!({"portcullis": {"frontend": "ui", "dev-url": "http://127.0.0.1:3000"}}),
            &["app"],
        ))
        .unwrap();
        assert_eq!(project.config.dev_url, "http://127.0.0.1:3000");
        assert!(project.is_core_source(Path::new("/work/app/src/main.rs")));
        assert!(project.is_core_source(Path::new("/work/app/isolation/hook.js")));
        assert!(!project.is_core_source(Path::new("/work/app/ui/src/main.ts")));
        assert!(!project.is_core_source(Path::new("/work/app/target/debug/app")));
    }

    #[test]
    fn mistakes_in_the_table_are_reported() {
        let err = Project::from_package(package(
            serde_json::json!({"portcullis": {"dev_url": "x"}}),
            &["app"],
        ))
        .unwrap_err();
        assert!(err.contains("unknown field `dev_url`"), "{err}");
        let err = Project::from_package(package(serde_json::json!({}), &["a", "b"])).unwrap_err();
        assert!(err.contains("several binaries (a, b)"), "{err}");
    }
}
