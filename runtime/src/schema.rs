//! Metadata each `#[command]` records about itself: the input of binding
//! generation and of tooling. One schema, versioned by [`SCHEMA_VERSION`]; the
//! macro constructs these types with struct literals, so any change to a field
//! bumps the version.

use serde::Serialize;

use crate::types::{Ty, TypeGraph};

/// Describes a type into a [`TypeGraph`]: `<T as portcullis::Type>::describe`.
pub type Describe = fn(&mut TypeGraph) -> Ty;

/// Version of the metadata layout below.
pub const SCHEMA_VERSION: u32 = 2;

/// What a command looks like from outside.
#[derive(Debug, Serialize)]
pub struct CommandInfo {
    /// The IPC name the front end calls (the fn name, or `#[command(rename)]`).
    pub name: &'static str,
    /// The Rust path of the fn (`my_app::todos::add_todo`), for error messages.
    pub rust_path: &'static str,
    /// The arguments in the fn's order, injected ones included.
    pub args: &'static [ArgInfo],
    /// Whether the fn is `async` (runs on tokio) or sync (runs on the blocking pool).
    pub is_async: bool,
    /// The fn's doc comment.
    pub docs: &'static str,
    /// The return type as written in the source.
    pub result_type: &'static str,
    /// The type of a successful result (`T` of `Result<T, E>`).
    #[serde(skip)]
    pub ok: Describe,
    /// The command's error type (`E` of `Result<T, E>`), if it returns a `Result`.
    #[serde(skip)]
    pub err: Option<Describe>,
}

/// One argument of a command.
#[derive(Debug, Serialize)]
pub struct ArgInfo {
    /// The parameter name in Rust.
    pub name: &'static str,
    /// The JSON key it is read from (camelCase of the name by default).
    pub key: &'static str,
    /// True for extractors (`State`, `Invoke`, ...): not part of the JS signature.
    pub injected: bool,
    /// The type as written in the source.
    pub rust_type: &'static str,
    /// Describes the argument's type; `None` for injected arguments.
    #[serde(skip)]
    pub ty: fn(&mut TypeGraph) -> Option<Ty>,
}
