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
/// Rounds of (edit, rebuild) per crate; `BENCH_BUILD_ROUNDS` overrides. Each
/// round builds both crates back to back, so a round's ratio compares two
/// builds made under the same machine load.
const ROUNDS: usize = 9;

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

    let rounds = std::env::var("BENCH_BUILD_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(ROUNDS);
    // [typed, plain] x [wall, cpu] seconds per round.
    let mut wall: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    let mut cpu: [Vec<f64>; 2] = [Vec::new(), Vec::new()];
    for round in 1..=rounds {
        // Alternate the order, so neither variant always runs second.
        let order = if round % 2 == 0 { [0, 1] } else { [1, 0] };
        for i in order {
            let variant = ["typed", "plain"][i];
            write(
                &dir.join(variant).join("src/commands.rs"),
                &commands(variant == "typed", round),
            )?;
            let (w, c) = build(&dir, variant)?;
            wall[i].push(w);
            cpu[i].push(c);
        }
    }
    println!(
        "Incremental dev build after editing one file ({TYPES} types, {TYPES} commands, {rounds} rounds):"
    );
    println!(
        "| measure | plain (serde + hand dispatch) | typed (Portcullis) | ratio of medians | median of rounds' ratios |"
    );
    println!("|---|---|---|---|---|");
    for (measure, times) in [("wall time", &wall), ("CPU time (user+sys)", &cpu)] {
        let paired: Vec<f64> = times[0].iter().zip(&times[1]).map(|(t, p)| t / p).collect();
        let (typed, plain) = (median(&times[0]), median(&times[1]));
        println!(
            "| {measure} | {plain:.2} s | {typed:.2} s | {:.2}x | {:.2}x |",
            typed / plain,
            median(&paired)
        );
    }
    println!("target: typed <= 1.3x plain");
    for (name, i) in [("plain", 1), ("typed", 0)] {
        let runs: Vec<String> = wall[i]
            .iter()
            .zip(&cpu[i])
            .map(|(w, c)| format!("{w:.2}/{c:.2}"))
            .collect();
        println!("{name} runs (wall/cpu s): {}", runs.join(", "));
    }
    Ok(())
}

/// Builds `package`; returns its wall time and the CPU time (user + system)
/// of cargo and everything it ran. On a shared VM the wall time also holds
/// time the host gave to others; CPU time does not, so it is the steadier
/// measure of the work the build does.
fn build(dir: &Path, package: &str) -> Result<(f64, f64), String> {
    let cpu_before = children_cpu();
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
    let wall = start.elapsed().as_secs_f64();
    Ok((wall, children_cpu() - cpu_before))
}

/// CPU seconds used by this process's waited-for children (`cutime` +
/// `cstime` in /proc/self/stat); 0 where there is no /proc.
fn children_cpu() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the `(comm)`, which may itself hold spaces.
    let Some(rest) = stat.rsplit_once(')').map(|(_, rest)| rest) else {
        return 0.0;
    };
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // cutime and cstime are fields 16 and 17 of the file; `rest` starts at 3.
    let ticks: f64 = [13, 14]
        .iter()
        .filter_map(|&i| fields.get(i)?.parse::<f64>().ok())
        .sum();
    // USER_HZ is 100 on Linux.
    ticks / 100.0
}

fn median(times: &[f64]) -> f64 {
    let mut sorted = times.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
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
