//! `cargo portcullis new`: writes the template kept in `cli/template`,
//! embedded in the tool at compile time, with the app's name and where
//! Portcullis is filled in.
//!
//! Until Portcullis is published, a new app depends on a checkout by path:
//! by default the one this tool was built from (`cargo install --path cli`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::{Result, step};

/// Every file of the template: where it goes, and its text.
const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("../template/Cargo.toml.in")),
    ("README.md", include_str!("../template/README.md")),
    (".gitignore", include_str!("../template/gitignore")),
    ("src/main.rs", include_str!("../template/src/main.rs")),
    (
        "isolation/index.html",
        include_str!("../template/isolation/index.html"),
    ),
    (
        "isolation/hook.js",
        include_str!("../template/isolation/hook.js"),
    ),
    (
        "web/package.json",
        include_str!("../template/web/package.json"),
    ),
    ("web/.npmrc", include_str!("../template/web/.npmrc")),
    (
        "web/vite.config.ts",
        include_str!("../template/web/vite.config.ts"),
    ),
    (
        "web/tsconfig.json",
        include_str!("../template/web/tsconfig.json"),
    ),
    ("web/index.html", include_str!("../template/web/index.html")),
    (
        "web/src/main.ts",
        include_str!("../template/web/src/main.ts"),
    ),
    (
        "web/src/style.css",
        include_str!("../template/web/src/style.css"),
    ),
    (
        "web/src/bindings.ts",
        include_str!("../template/web/src/bindings.ts"),
    ),
];

pub(crate) fn new(dir: &Path, portcullis: Option<PathBuf>) -> Result<ExitCode> {
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| format!("`{}` does not end in a name", dir.display()))?;
    check_name(name)?;
    if dir
        .read_dir()
        .is_ok_and(|mut entries| entries.next().is_some())
    {
        return Err(format!("{} exists and is not empty", dir.display()));
    }
    let checkout = portcullis.unwrap_or_else(|| {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("cli/ is in the checkout")
            .to_owned()
    });
    let checkout = checkout.canonicalize().map_err(|err| {
        format!(
            "the Portcullis checkout {} is not there ({err}); pass --portcullis-path",
            checkout.display()
        )
    })?;
    let runtime = checkout.join("runtime");
    let api = checkout.join("js-api");
    if !runtime.join("Cargo.toml").is_file() || !api.join("package.json").is_file() {
        return Err(format!(
            "{} is not a Portcullis checkout (no runtime/ and js-api/)",
            checkout.display()
        ));
    }
    for (path, text) in FILES {
        let text = fill(text, name, &runtime, &api);
        let path = dir.join(path);
        std::fs::create_dir_all(path.parent().expect("template files are in dir"))
            .and_then(|()| std::fs::write(&path, text))
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    // The dependency versions Portcullis was tested with (cargo drops what
    // the app does not use).
    if let Ok(lock) = std::fs::read(checkout.join("Cargo.lock")) {
        let path = dir.join("Cargo.lock");
        std::fs::write(&path, lock)
            .map_err(|err| format!("cannot write {}: {err}", path.display()))?;
    }
    step("Created", format!("{name} in {}", dir.display()));
    eprintln!("\n    cd {} && cargo portcullis dev\n", dir.display());
    Ok(ExitCode::SUCCESS)
}

/// A name cargo and npm both accept.
fn check_name(name: &str) -> Result<()> {
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{name}` cannot name an app: use lowercase letters, digits, `-` and `_`, \
             starting with a letter"
        ))
    }
}

fn fill(text: &str, name: &str, runtime: &Path, api: &Path) -> String {
    // Paths go into TOML and JSON strings: forward slashes need no escaping.
    let slashes = |p: &Path| p.to_string_lossy().replace('\\', "/");
    text.replace("{{name}}", name)
        .replace("{{portcullis}}", &slashes(runtime))
        .replace("{{portcullis_api}}", &slashes(api))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_file_is_embedded() {
        fn walk(dir: &Path, root: &Path, out: &mut Vec<String>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                if name == "node_modules" || name == "dist" || name == "package-lock.json" {
                    continue;
                }
                if path.is_dir() {
                    walk(&path, root, out);
                } else {
                    out.push(
                        path.strip_prefix(root)
                            .unwrap()
                            .to_string_lossy()
                            .into_owned(),
                    );
                }
            }
        }
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("template");
        let mut on_disk = Vec::new();
        walk(&root, &root, &mut on_disk);
        let renamed = |p: &str| match p {
            "Cargo.toml" => "Cargo.toml.in".to_owned(),
            ".gitignore" => "gitignore".to_owned(),
            p => p.to_owned(),
        };
        let mut embedded: Vec<String> = FILES.iter().map(|(p, _)| renamed(p)).collect();
        on_disk.sort();
        embedded.sort();
        assert_eq!(on_disk, embedded);
    }

    #[test]
    fn names_are_checked_and_placeholders_filled() {
        assert!(check_name("hello-app_2").is_ok());
        for bad in ["Hello", "2app", "my app", "", "a/b", "é"] {
            assert!(check_name(bad).is_err(), "{bad}");
        }
        let filled = fill(
            "{{name}} {{portcullis}} {{portcullis_api}}",
            "x",
            Path::new("/p/runtime"),
            Path::new("/p/js-api"),
        );
        assert_eq!(filled, "x /p/runtime /p/js-api");
        for (path, text) in FILES {
            let filled = fill(text, "x", Path::new("/r"), Path::new("/a"));
            assert!(!filled.contains("{{"), "{path} has a placeholder left");
        }
    }

    #[test]
    fn new_refuses_a_directory_in_use_and_writes_the_template() {
        let base = std::env::temp_dir().join(format!("portcullis-new-{}", std::process::id()));
        let dir = base.join("fresh-app");
        std::fs::create_dir_all(base.join("used")).unwrap();
        std::fs::write(base.join("used/file"), "x").unwrap();
        let err = new(&base.join("used"), None).unwrap_err();
        assert!(err.contains("not empty"), "{err}");
        new(&dir, None).unwrap();
        let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        assert!(manifest.contains("name = \"fresh-app\""), "{manifest}");
        assert!(manifest.contains("/runtime\" }"), "{manifest}");
        assert!(dir.join("web/src/bindings.ts").is_file());
        assert!(dir.join(".gitignore").is_file());
        assert!(dir.join("Cargo.lock").is_file());
        std::fs::remove_dir_all(&base).unwrap();
    }
}
