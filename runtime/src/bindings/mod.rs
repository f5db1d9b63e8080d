//! TypeScript and JavaScript bindings generated from the app's commands and
//! types.
//!
//! ```
//! use portcullis::{command, commands, Type};
//! use serde::{Deserialize, Serialize};
//!
//! /// One todo.
//! #[derive(Serialize, Deserialize, Type)]
//! struct Todo {
//!     title: String,
//!     done: bool,
//! }
//!
//! /// Adds a todo.
//! #[command]
//! fn add_todo(title: String) -> Todo {
//!     Todo { title, done: false }
//! }
//!
//! let ts = commands![add_todo].bindings().typescript().unwrap();
//! assert!(ts.contains("export type Todo = {"));
//! assert!(ts.contains("export function addTodo(title: string, options?: InvokeOptions): Promise<Todo>"));
//! ```
//!
//! Three outputs come from one generator: a TypeScript module
//! ([`Bindings::typescript`]), and for pages without a build step an ES module
//! ([`Bindings::javascript`]) with its declarations ([`Bindings::declarations`]).
//! [`Bindings::export`] writes them and [`Bindings::check`] fails with a diff
//! when the files on disk are stale (for CI). The runtime serves the
//! JavaScript module at `/__portcullis__/bindings.js`.
//!
//! Types come out as serde produces and accepts them. Where the two differ
//! (`default`, `skip_serializing_if`, ...), a type `T` describes what commands
//! return and `TInput` what they accept.

mod ts;

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::schema::{Describe, SCHEMA_VERSION};
use crate::types::{Ty, Type, TypeGraph};
use crate::{Commands, Events};

/// The module the generated code imports `invoke` from, by default, in
/// TypeScript (a bundler resolves the npm package).
pub const API_PACKAGE: &str = "portcullis-api";
/// The same, in the ES module for pages without a build step: the runtime
/// serves the API there.
pub const API_URL: &str = "/__portcullis__/api.js";

/// The binding generator for a set of commands (and any extra types).
#[derive(Clone, Debug)]
pub struct Bindings {
    commands: Commands,
    events: Events,
    capability: Option<crate::Capability>,
    extra: Vec<Describe>,
    api_module: Option<String>,
}

impl Commands {
    /// The binding generator for these commands.
    pub fn bindings(&self) -> Bindings {
        Bindings {
            commands: self.clone(),
            events: Events::new(),
            capability: None,
            extra: Vec::new(),
            api_module: None,
        }
    }

    /// Writes the bindings to `path`: a TypeScript module for `.ts`, an ES
    /// module plus its `.d.ts` next to it for `.js`. Same as
    /// `self.bindings().export(path)`.
    pub fn export_bindings(&self, path: impl AsRef<Path>) -> Result<(), BindingsError> {
        self.bindings().export(path)
    }
}

impl Bindings {
    /// Adds the app's events: the module then exports `events`, with
    /// `listen`, `once`, `emit` and `emitTo` typed for each one.
    pub fn events(mut self, events: Events) -> Self {
        self.events = events;
        self
    }

    /// Keeps only what `capability` grants: a front end built for the windows
    /// it applies to then cannot even type-check a call it may not make.
    pub fn for_capability(mut self, capability: &crate::Capability) -> Self {
        self.capability = Some(capability.clone());
        self
    }

    /// Also exports `T` (and the types it uses), whether or not a command uses it.
    pub fn with_type<T: Type + ?Sized>(mut self) -> Self {
        self.extra.push(T::describe);
        self
    }

    /// The module specifier the generated code imports `invoke` and
    /// `IpcError` from (default: [`API_PACKAGE`] for TypeScript, [`API_URL`]
    /// for JavaScript).
    pub fn api_module(mut self, specifier: impl Into<String>) -> Self {
        self.api_module = Some(specifier.into());
        self
    }

    /// The commands and every type they use, as data: what the generators
    /// render, and what other tools can read (it serializes to JSON).
    pub fn schema(&self) -> Schema {
        let mut types = TypeGraph::new();
        let granted_command = |name: &str| {
            self.capability
                .as_ref()
                .is_none_or(|c| c.grants_command(name))
        };
        let granted_event = |name: &str| {
            self.capability
                .as_ref()
                .is_none_or(|c| c.grants_event(name))
        };
        let commands = self
            .commands
            .iter()
            .filter(|info| granted_command(info.name))
            .map(|info| CommandSchema {
                name: info.name,
                docs: info.docs,
                is_async: info.is_async,
                args: info
                    .args
                    .iter()
                    .filter_map(|arg| {
                        let ty = (arg.ty)(&mut types)?;
                        Some(ArgSchema {
                            name: arg.name,
                            key: arg.key,
                            ty,
                        })
                    })
                    .collect(),
                result: (info.ok)(&mut types),
                error: info.err.map(|err| err(&mut types)),
            })
            .collect();
        let events = self
            .events
            .entries()
            .into_iter()
            .filter(|entry| granted_event(entry.name))
            .map(|entry| EventSchema {
                name: entry.name,
                docs: entry.docs,
                payload: (entry.describe)(&mut types),
            })
            .collect();
        let extra_types = self.extra.iter().map(|f| f(&mut types)).collect();
        Schema {
            version: SCHEMA_VERSION,
            commands,
            events,
            extra_types,
            types,
        }
    }

    /// The TypeScript module (`bindings.ts`).
    pub fn typescript(&self) -> Result<String, BindingsError> {
        ts::render(
            &self.schema(),
            ts::Flavor::TypeScript,
            self.module(API_PACKAGE),
        )
    }

    /// The ES module for pages without a build step (`bindings.js`).
    pub fn javascript(&self) -> Result<String, BindingsError> {
        ts::render(&self.schema(), ts::Flavor::JavaScript, self.module(API_URL))
    }

    /// The declarations of [`javascript`](Self::javascript) (`bindings.d.ts`).
    pub fn declarations(&self) -> Result<String, BindingsError> {
        ts::render(
            &self.schema(),
            ts::Flavor::Declarations,
            self.module(API_PACKAGE),
        )
    }

    fn module<'a>(&'a self, default: &'a str) -> &'a str {
        self.api_module.as_deref().unwrap_or(default)
    }

    /// The files for `path` and their contents: `.ts` gives one file, `.js`
    /// gives the module and its `.d.ts`.
    fn files(&self, path: &Path) -> Result<Vec<(PathBuf, String)>, BindingsError> {
        match path.extension().and_then(|e| e.to_str()) {
            Some("ts") => Ok(vec![(path.to_owned(), self.typescript()?)]),
            Some("js") => Ok(vec![
                (path.to_owned(), self.javascript()?),
                (path.with_extension("d.ts"), self.declarations()?),
            ]),
            _ => Err(BindingsError::Extension {
                path: path.to_owned(),
            }),
        }
    }

    /// Writes the bindings to `path` (see [`Commands::export_bindings`]).
    /// Files whose content is already current are not touched.
    pub fn export(&self, path: impl AsRef<Path>) -> Result<(), BindingsError> {
        for (path, content) in self.files(path.as_ref())? {
            if std::fs::read_to_string(&path).ok().as_deref() == Some(&content) {
                continue;
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| BindingsError::Io {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            std::fs::write(&path, content).map_err(|source| BindingsError::Io { path, source })?;
        }
        Ok(())
    }

    /// Fails with [`BindingsError::Stale`], carrying a unified diff, when the
    /// files at `path` are missing or differ from what [`export`](Self::export)
    /// would write. Changes nothing on disk.
    pub fn check(&self, path: impl AsRef<Path>) -> Result<(), BindingsError> {
        let mut diff = String::new();
        let files = self.files(path.as_ref())?;
        for (path, content) in &files {
            let current = std::fs::read_to_string(path).unwrap_or_default();
            if current != *content {
                let name = path.display().to_string();
                diff += &similar::TextDiff::from_lines(&current, content)
                    .unified_diff()
                    .header(&format!("{name} (on disk)"), &format!("{name} (generated)"))
                    .to_string();
            }
        }
        if diff.is_empty() {
            Ok(())
        } else {
            Err(BindingsError::Stale {
                path: path.as_ref().to_owned(),
                diff,
            })
        }
    }

    /// `check` when `check` is true, else `export`: the body of a small
    /// `--check`-style command line tool.
    pub fn export_or_check(
        &self,
        path: impl AsRef<Path>,
        check: bool,
    ) -> Result<(), BindingsError> {
        if check {
            self.check(path)
        } else {
            self.export(path)
        }
    }
}

/// Commands and types as data: the input of the generators.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct Schema {
    /// [`SCHEMA_VERSION`].
    pub version: u32,
    /// The commands, sorted by IPC name.
    pub commands: Vec<CommandSchema>,
    /// The events, sorted by name.
    pub events: Vec<EventSchema>,
    /// Types exported with [`Bindings::with_type`].
    pub extra_types: Vec<Ty>,
    /// Every named type the commands and extra types use.
    pub types: TypeGraph,
}

/// One command, as the front end sees it.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct CommandSchema {
    /// The IPC name.
    pub name: &'static str,
    /// The doc comment.
    pub docs: &'static str,
    /// Whether the fn is `async`.
    pub is_async: bool,
    /// The arguments the front end passes, in the fn's order (injected ones
    /// left out).
    pub args: Vec<ArgSchema>,
    /// The type of a successful result.
    pub result: Ty,
    /// The command's error type (`IpcError.data` of a `command_error`).
    pub error: Option<Ty>,
}

/// One event, as the front end sees it.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct EventSchema {
    /// The event's name.
    pub name: &'static str,
    /// The type's doc comment.
    pub docs: &'static str,
    /// The payload's type.
    pub payload: Ty,
}

/// One argument the front end passes.
#[derive(Clone, Debug, Serialize)]
#[non_exhaustive]
pub struct ArgSchema {
    /// The Rust parameter name.
    pub name: &'static str,
    /// The JSON key.
    pub key: &'static str,
    /// Its type.
    pub ty: Ty,
}

/// Why bindings could not be generated, written or checked.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BindingsError {
    /// Two items would get the same TypeScript name.
    #[error(
        "two items are both named `{name}` in the bindings: {first} and {second}; \
         give one of them #[serde(rename = \"...\")]"
    )]
    NameClash {
        /// The TypeScript name.
        name: String,
        /// What the first item is (a Rust path, or a command).
        first: String,
        /// What the second item is.
        second: String,
    },
    /// A type cannot be expressed in TypeScript as it travels in JSON.
    #[error("{what}")]
    Unsupported {
        /// What and where.
        what: String,
    },
    /// The path's extension is neither `.ts` nor `.js`.
    #[error("bindings go to a `.ts` or `.js` file, not {}", path.display())]
    Extension {
        /// The path given.
        path: PathBuf,
    },
    /// Reading or writing a file failed.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// The error.
        source: std::io::Error,
    },
    /// The files on disk are not what the generator produces now.
    #[error(
        "the bindings at {} are stale; regenerate them (export instead of check)\n{diff}",
        path.display()
    )]
    Stale {
        /// The path checked.
        path: PathBuf,
        /// A unified diff from the files on disk to the generated ones.
        diff: String,
    },
}
