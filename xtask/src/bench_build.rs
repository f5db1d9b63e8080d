//! `cargo xtask bench-build`: what `#[derive(Type)]` and `#[command]` cost at
//! build time.
//!
//! Generates two crates in `target/bench-build/` with the same 200 types and
//! 200 commands: `typed` uses Portcullis (`#[derive(Serialize, Deserialize,
//! Type)]`, `#[command]`, `commands!`); `plain` uses serde derives and plain
//! fns behind a hand-written dispatcher, the shape of what Tauri's
//! `generate_handler!` expands to. Both are built once (dependencies warm),
//! then, alternately, one file is edited and the crate rebuilt (incremental,
//! dev profile). Prints the medians and the ratio.

use std::fmt::Write as _;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::{cargo_program, workspace_root};

const TYPES: usize = 200;
const ROUNDS: usize = 5;

pub(crate) fn run() -> Result<(), String> {
    let root = workspace_root();
    let dir = root.join("target/bench-build");
    let runtime = root.join("runtime");
    write(
        &dir.join("Cargo.toml"),
        "[workspace]\nresolver = \"3\"\nmembers = [\"typed\", \"plain\"]\n",
    )?;
    for variant in ["typed", "plain"] {
        let deps = if variant == "typed" {
            format!(
                "portcullis = {{ path = {:?}, default-features = false }}\n",
                runtime.display().to_string()
            )
        } else {
            String::new()
        };
        write(
            &dir.join(variant).join("Cargo.toml"),
            &format!(
                "[package]\nname = \"{variant}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
                 [dependencies]\n{deps}serde = {{ version = \"1\", features = [\"derive\"] }}\nserde_json = \"1\"\n"
            ),
        )?;
        write(
            &dir.join(variant).join("src/lib.rs"),
            "#![allow(dead_code)]\nmod commands;\nmod types;\npub use commands::*;\n",
        )?;
        write(
            &dir.join(variant).join("src/types.rs"),
            &types(variant == "typed"),
        )?;
        write(
            &dir.join(variant).join("src/commands.rs"),
            &commands(variant == "typed", 0),
        )?;
    }
    eprintln!("bench-build: first build of both crates (dependencies)...");
    build(&dir, "typed")?;
    build(&dir, "plain")?;

    let mut times: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 1..=ROUNDS {
        // Alternate the order, so neither variant always runs second.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let variant = ["typed", "plain"][i];
            write(
                &dir.join(variant).join("src/commands.rs"),
                &commands(variant == "typed", round),
            )?;
            times[i].push(build(&dir, variant)?);
        }
    }
    let typed = median(&mut times[0]);
    let plain = median(&mut times[1]);
    println!(
        "Incremental dev build after editing one file ({TYPES} types, {TYPES} commands, median of {ROUNDS}):"
    );
    println!("| crate | median | runs |");
    println!("|---|---|---|");
    for (name, median, runs) in [
        ("plain (serde + hand dispatch)", plain, &times[1]),
        ("typed (Portcullis)", typed, &times[0]),
    ] {
        let runs: Vec<String> = runs.iter().map(|t| format!("{t:.2}")).collect();
        println!("| {name} | {median:.2} s | {} |", runs.join(", "));
    }
    println!(
        "ratio typed / plain: {:.2}x (target <= 1.3x)",
        typed / plain
    );
    Ok(())
}

fn build(dir: &Path, package: &str) -> Result<f64, String> {
    let start = Instant::now();
    let status = Command::new(cargo_program())
        .args(["build", "--quiet", "-p", package])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", dir.join("target"))
        .status()
        .map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!("building {package} failed"));
    }
    Ok(start.elapsed().as_secs_f64())
}

fn median(times: &mut [f64]) -> f64 {
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn write(path: &Path, content: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| e.to_string())?;
    }
    if std::fs::read_to_string(path).ok().as_deref() == Some(content) {
        return Ok(());
    }
    std::fs::write(path, content).map_err(|e| format!("{}: {e}", path.display()))
}

/// 200 types: structs with options, lists, renames, defaults and a nested
/// type, and every fourth one an internally tagged enum.
fn types(typed: bool) -> String {
    let derive = if typed {
        "#[derive(serde::Serialize, serde::Deserialize, portcullis::Type)]"
    } else {
        "#[derive(serde::Serialize, serde::Deserialize)]"
    };
    let mut out = String::new();
    for i in 0..TYPES {
        if i % 4 == 3 {
            let _ = writeln!(
                out,
                "/// Enum {i}.\n{derive}\n#[serde(tag = \"kind\", rename_all = \"snake_case\")]\npub enum T{i} {{\n    \
                 Empty,\n    Named {{ name: String, count: u32 }},\n    Wrapped(T{prev}),\n}}\n",
                prev = i - 1
            );
        } else {
            // Chains of at most 8 types, so no type nests too deeply.
            let nested = if i % 8 == 0 {
                String::new()
            } else {
                format!("    pub previous: Option<Box<T{}>>,\n", i - 1)
            };
            let _ = writeln!(
                out,
                "/// Struct {i}.\n{derive}\n#[serde(rename_all = \"camelCase\")]\npub struct T{i} {{\n    \
                 pub item_id: u64,\n    pub display_name: String,\n    #[serde(default)]\n    pub tags: Vec<String>,\n    \
                 #[serde(skip_serializing_if = \"Option::is_none\")]\n    pub score: Option<f64>,\n{nested}}}\n"
            );
        }
    }
    out
}

/// 200 commands, one per type; `edit` changes one body.
fn commands(typed: bool, edit: usize) -> String {
    let mut out = String::from("use crate::types::*;\n\n");
    let _ = writeln!(out, "pub const EDIT: usize = {edit};\n");
    for i in 0..TYPES {
        let attr = if typed {
            "#[portcullis::command]\n"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "/// Command {i}.\n{attr}pub fn cmd_{i}(input: T{i}, limit: Option<u32>, label: String) -> Result<T{i}, String> {{\n    \
             if label.is_empty() || limit == Some(0) {{ return Err(label); }}\n    Ok(input)\n}}\n"
        );
    }
    if typed {
        out += "pub fn commands() -> portcullis::Commands {\n    portcullis::commands![";
        for i in 0..TYPES {
            let _ = write!(out, "cmd_{i}, ");
        }
        out += "]\n}\n";
    } else {
        // What a Tauri-style `generate_handler!` expands to: one match arm per
        // command that reads each argument by key and serializes the result.
        out += "pub fn dispatch(name: &str, args: &serde_json::Value) -> Result<serde_json::Value, String> {\n    \
                fn arg<T: serde::de::DeserializeOwned>(args: &serde_json::Value, key: &str) -> Result<T, String> {\n        \
                serde_json::from_value(args.get(key).cloned().unwrap_or(serde_json::Value::Null)).map_err(|e| e.to_string())\n    }\n    \
                match name {\n";
        for i in 0..TYPES {
            let _ = writeln!(
                out,
                "        \"cmd_{i}\" => serde_json::to_value(cmd_{i}(arg(args, \"input\")?, arg(args, \"limit\")?, arg(args, \"label\")?)?).map_err(|e| e.to_string()),"
            );
        }
        out += "        _ => Err(format!(\"unknown command {name}\")),\n    }\n}\n";
    }
    out
}
