//! `cargo xtask test`'s publishability check: the three crates users get
//! (`portcullis-inline`, `portcullis-macros`, `portcullis`) are packaged as
//! they would be published (cargo verifies each `.crate` builds on its own),
//! then a tiny app that depends on the unpacked `.crate` contents, and on
//! nothing in this repository, is built and run: a command, `commands!`,
//! `assets!`, `isolation!`, and a call through `MockApp`. A file the crate
//! reads from outside its own folder breaks this check.

use std::path::Path;
use std::process::Command;

use crate::{cargo_program, run, workspace_root};

const CRATES: [&str; 3] = ["portcullis-inline", "portcullis-macros", "portcullis"];

pub(crate) fn check() -> Result<(), String> {
    let root = workspace_root();
    let mut package = Command::new(cargo_program());
    package
        .current_dir(&root)
        .args(["package", "--quiet", "--allow-dirty"]);
    for name in CRATES {
        package.args(["-p", name]);
    }
    run(&mut package)?;

    let app = root.join("target/package-app");
    let _ = std::fs::remove_dir_all(&app);
    let version = env!("CARGO_PKG_VERSION");
    let patches: String = CRATES
        .iter()
        .map(|name| {
            let dir = root.join(format!("target/package/{name}-{version}"));
            format!("{name} = {{ path = {:?} }}\n", dir.display().to_string())
        })
        .collect();
    write(
        &app.join("Cargo.toml"),
        &format!(
            "[package]\nname = \"package-app\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
             [dependencies]\nportcullis = \"={version}\"\nserde = \"1\"\nserde_json = \"1\"\n\
             tokio = {{ version = \"1\", features = [\"rt\", \"macros\"] }}\n\n\
             [patch.crates-io]\n{patches}\n[workspace]\n"
        ),
    )?;
    write(&app.join("dist/index.html"), "<!doctype html><p>hi</p>\n")?;
    write(
        &app.join("isolation/index.html"),
        "<!doctype html><head><script src=\"hook.js\"></script></head>\n",
    )?;
    write(
        &app.join("isolation/hook.js"),
        "window.__PORTCULLIS_ISOLATION_HOOK__ = (m) => m;\n",
    )?;
    write(
        &app.join("src/main.rs"),
        r#"use portcullis::{command, commands, test::MockApp};

#[command]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let _assets: portcullis::Assets = portcullis::assets!("dist");
    let isolation = portcullis::isolation!("isolation");
    assert!(isolation.html().contains("__PORTCULLIS_ISOLATION_HOOK__"));
    let app = MockApp::new(commands![greet]);
    let reply = app.invoke("greet", serde_json::json!({ "name": "crate" })).await;
    assert_eq!(reply, Ok(serde_json::json!("Hello, crate!")));
    println!("package-app: built from the packaged crates, and it works");
}
"#,
    )?;
    // The workspace's lock file pins the same dependency versions, and its
    // target directory has them built already.
    std::fs::copy(root.join("Cargo.lock"), app.join("Cargo.lock"))
        .map_err(|err| format!("cannot copy Cargo.lock: {err}"))?;
    run(Command::new(cargo_program())
        .current_dir(&app)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .args(["run", "--quiet"]))
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::create_dir_all(path.parent().expect("a file in a folder"))
        .and_then(|()| std::fs::write(path, text))
        .map_err(|err| format!("cannot write {}: {err}", path.display()))
}
