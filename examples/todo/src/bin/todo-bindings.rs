//! Writes the todo app's bindings (`dist/bindings.js` and `dist/bindings.d.ts`)
//! from its commands; with `--check`, changes nothing and fails with a diff
//! when they are stale (CI runs that).

use std::process::ExitCode;

fn main() -> ExitCode {
    let check = std::env::args().skip(1).any(|arg| arg == "--check");
    match todo::commands()
        .bindings()
        .events(todo::events())
        .export_or_check(todo::BINDINGS, check)
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("todo-bindings: {err}");
            ExitCode::FAILURE
        }
    }
}
