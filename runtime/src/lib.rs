//! Portcullis: desktop apps whose UI is a web view, with typed IPC commands.
//!
//! A command is an ordinary Rust fn, sync or async:
//!
//! ```
//! use portcullis::{command, commands, State};
//! use std::sync::Mutex;
//!
//! #[derive(Default)]
//! struct Todos(Mutex<Vec<String>>);
//!
//! /// Greets someone.
//! #[command]
//! fn greet(name: String) -> String {
//!     format!("Hello, {name}!")
//! }
//!
//! #[command]
//! async fn add_todo(todos: State<'_, Todos>, title: String) -> Result<usize, String> {
//!     if title.is_empty() {
//!         return Err("a todo needs a title".into());
//!     }
//!     let mut list = todos.0.lock().unwrap();
//!     list.push(title);
//!     Ok(list.len())
//! }
//!
//! let api = commands![greet, add_todo];
//! assert!(api.contains("add_todo"));
//! ```
//!
//! See the crate README for the guide: argument keys, injected arguments,
//! errors and their codes, and testing with [`test::MockApp`].

#![warn(missing_docs)]

// The derives name `::portcullis::...`; the crate uses them on its own types.
extern crate self as portcullis;

mod arg;
// The fuzz targets reach asset path normalization without the web view.
#[cfg(any(feature = "webview", feature = "test-hooks"))]
#[cfg_attr(not(feature = "webview"), allow(dead_code, unreachable_pub))]
mod assets;
pub mod bindings;
mod bytes;
mod cancel;
pub mod capability;
mod channel;
mod decode;
mod dispatch;
mod error;
mod events;
#[cfg(feature = "test-hooks")]
#[doc(hidden)]
pub mod fuzz;
mod gate;
mod host;
// Built without a web view, so the macro's compile errors are testable
// in a GTK-free build (tests/compile-fail).
mod isolation_app;
mod memory;
#[cfg(feature = "test-hooks")]
mod probe;
mod registry;
pub mod schema;
pub mod scope;
mod state;
pub mod test;
pub mod types;
mod warm;
#[cfg(feature = "webview")]
mod webview;
mod window;
mod wire;

pub use arg::{CommandArg, Invoke};
#[cfg(feature = "webview")]
pub use assets::Assets;
pub use bytes::Bytes;
pub use cancel::Cancellation;
pub use capability::Capability;
pub use channel::{Channel, ChannelError};
pub use dispatch::Limits;
pub use error::{Error, ErrorCode, InvokeError, Result};
pub use events::{AppEvent, DuplicateEvent, Event, Events};
pub use registry::{Commands, DuplicateCommand};
pub use scope::{Scope, ScopeError};
pub use state::State;
pub use types::Type;

pub use isolation_app::Isolation;
/// Derives [`Type`](trait@Type): the type's JSON shape, read from the same
/// `#[serde(...)]` attributes serde's derives use. See the [`types`] module.
pub use portcullis_macros::Type;
#[cfg(feature = "webview")]
pub use webview::{App, AppBuilder, DEFAULT_CSP};
pub use window::{AppHandle, Window, WindowConfig};

/// Derives [`AppEvent`]: the type travels as a typed event, named after the
/// type in kebab-case (`TodoAdded` is `"todo-added"`) unless
/// `#[event(name = "...")]` names it. See the README's Events section.
pub use portcullis_macros::Event;

/// Builds an [`Events`] registry from event types: `events![TodoAdded, Progress]`.
///
/// Two types with the same event name (or one listed twice) are a compile
/// error. Registries combine with [`Events::merge`].
#[macro_export]
macro_rules! events {
    ($($event:ty),* $(,)?) => {{
        const __ENTRIES: &[$crate::__private::EventEntry] =
            &[$(<$event as $crate::AppEvent>::ENTRY),*];
        const _: () = $crate::__private::assert_unique_events(__ENTRIES);
        $crate::Events::__from_entries(__ENTRIES)
    }};
}

/// Turns a fn into an IPC command the front end can call.
///
/// - Works on sync and `async` fns. Sync commands run on a blocking thread
///   pool, never on the UI thread; async ones run on tokio.
/// - Arguments are read by name from the call's JSON args object. Keys are the
///   parameter names in camelCase (`due_date` is read from `dueDate`);
///   `#[command(rename_all = "snake_case")]` keeps them as written (any serde
///   rule works). `Option<T>` arguments may be absent; unknown keys are ignored.
/// - Arguments that implement [`CommandArg`] but not `Deserialize` are injected:
///   [`State<'_, T>`](State), [`Invoke<'_>`](Invoke), or your own extractors.
/// - The result is any `T: Serialize`, `()`, or `Result<T, E>` with
///   `E: Serialize` (an `Err` reaches the front end as a `command_error` whose
///   `data` is `E`). Write `Result` in the signature: a type alias with another
///   name is serialized as a plain value.
/// - `#[command(rename = "name")]` sets the IPC name (the fn name by default).
/// - A panic in a command becomes an error reply with code `panic`.
///
/// Generic fns, methods (`self`), `const`/`unsafe`/`extern` fns and patterns
/// in argument position are compile errors that say why.
pub use portcullis_macros::command;

/// Builds a [`Commands`] registry from `#[command]` fns: `commands![greet, admin::reset]`.
///
/// Listing a fn twice, or two fns with the same IPC name, is a compile error.
/// Registries from different modules combine with [`Commands::merge`].
pub use portcullis_macros::commands;

/// Embeds a directory of front-end files in the binary, at compile time:
/// `.assets(portcullis::assets!("dist"))`.
///
/// The path is relative to the crate being compiled; if no such directory is
/// there, the crate's parent directories are tried (so workspace-relative
/// paths work). Files are served under `app://localhost/<path>`; `/` and
/// directories serve their `index.html`.
///
/// A debug build serves that directory live while it exists (and the
/// embedded copy where it does not), so files built after the core, added or
/// removed, are seen without recompiling: stable Rust cannot make cargo
/// rebuild when a file is added to a directory. A release build embeds what
/// was there at compile time and refuses to compile an empty directory (it
/// would serve a blank window). [`Assets::dir`] always reads from disk.
#[cfg(feature = "webview")]
pub use portcullis_macros::assets;

/// Builds an isolation application at compile time: the directory's
/// `index.html` with its relative `<script src>` files inlined. A script path
/// outside the directory, an ES module, or an app that never defines
/// `window.__PORTCULLIS_ISOLATION_HOOK__` is a compile error. Path resolution
/// is the same as [`assets!`]. The run-time equivalent is [`Isolation::dir`].
pub use portcullis_macros::isolation;

/// Internals the macros expand to. Not public API: no stability guarantees.
#[doc(hidden)]
pub mod __private {
    pub use crate::bytes::Reply;
    pub use crate::decode::{ArgTuple, decode};
    pub use crate::dispatch::{BoxFuture, Call, Handler, Response, err, ok};
    pub use crate::events::{EventEntry, assert_unique_events};
    pub use crate::registry::{CommandEntry, assert_unique_names};
    pub use crate::schema::{ArgInfo, CommandInfo};
    pub use crate::types::TypeParam;

    /// What `#[derive(Type)]` expands to: the type graph's items, plus one
    /// constructor call per field and per variant, so that the compiler has
    /// one path to resolve for each rather than a struct literal with five.
    pub mod derive {
        pub use crate::types::*;

        /// A field. `serialize`/`deserialize`: 0 required, 1 optional, 2 absent.
        pub fn field(
            serialize_name: &'static str,
            deserialize_name: &'static str,
            docs: &'static str,
            ty: Ty,
            serialize: u8,
            deserialize: u8,
            flatten: bool,
        ) -> Field {
            Field {
                name: Names {
                    serialize: serialize_name,
                    deserialize: deserialize_name,
                },
                docs,
                ty,
                serialize: presence(serialize),
                deserialize: presence(deserialize),
                flatten,
            }
        }

        fn presence(code: u8) -> Presence {
            match code {
                0 => Presence::Required,
                1 => Presence::Optional,
                _ => Presence::Absent,
            }
        }

        /// A variant; `serialize`/`deserialize` are false when skipped.
        pub fn variant(
            serialize_name: &'static str,
            deserialize_name: &'static str,
            docs: &'static str,
            kind: VariantKind,
            serialize: bool,
            deserialize: bool,
        ) -> Variant {
            Variant {
                name: Names {
                    serialize: serialize_name,
                    deserialize: deserialize_name,
                },
                docs,
                kind,
                serialize,
                deserialize,
            }
        }
    }

    /// The parts of a command's `Result` return type, also through aliases
    /// (`type Result<T> = std::result::Result<T, MyError>`).
    pub trait ResultParts {
        type Ok;
        type Err;
    }

    impl<T, E> ResultParts for ::core::result::Result<T, E> {
        type Ok = T;
        type Err = E;
    }

    /// Benchmarks only (`test-hooks`): seals `args` as the isolation frame
    /// would and returns a closure that runs the gate's real admission of it
    /// (key, decrypt, authenticate, parse), returning the args' length.
    #[cfg(feature = "test-hooks")]
    pub fn isolation_admit_for_bench(args: &[u8]) -> impl FnMut() -> usize + use<> {
        crate::gate::admit_for_bench(args)
    }

    /// Benchmarks only (`test-hooks`): the gate's last check (the name rule
    /// and the capabilities) of an invoke of `name` from window `window`,
    /// with these capabilities declared; true when admitted.
    #[cfg(feature = "test-hooks")]
    pub fn gate_check_for_bench(
        capabilities: Vec<crate::Capability>,
    ) -> impl FnMut(&str, &str) -> bool + use<> {
        crate::gate::check_for_bench(capabilities)
    }

    /// Benchmarks and tests only (`test-hooks`): the RSS of this process's
    /// WebKit web processes in MiB (Linux: its descendants named
    /// `WebKitWebProces`; 0 elsewhere or when unreadable).
    #[cfg(feature = "test-hooks")]
    pub fn web_process_rss_mib() -> f64 {
        crate::probe::web_process_rss_mib()
    }

    /// Fails the build when a `#[command(rename = "...")]` (or fn) name is not
    /// a valid command name (see the README's rule).
    pub const fn assert_command_name(name: &str) {
        if !crate::wire::is_valid_name(name) {
            panic!(
                "not a valid command name: use 1 to 128 ASCII letters, digits and `_ . : -`, \
                 starting with a letter or `_`"
            );
        }
    }

    /// Fails the build when an event's name is not a valid name.
    pub const fn assert_event_name(name: &str) {
        if !crate::wire::is_valid_name(name) {
            panic!(
                "not a valid event name: use 1 to 128 ASCII letters, digits and `_ . : -`, \
                 starting with a letter or `_`"
            );
        }
    }

    /// Implemented by the marker type `#[command]` puts next to each fn.
    #[diagnostic::on_unimplemented(
        message = "`{Self}` is not a command",
        label = "not a #[portcullis::command] fn",
        note = "only fns marked with #[portcullis::command] can be listed in commands![...]"
    )]
    pub trait Command {
        const ENTRY: CommandEntry;
    }
}

/// The project's own test and benchmark hooks are not part of a default
/// build: each line below fails to compile without the `test-hooks` feature
/// (`cargo xtask test` runs these doctests with the default features, so a
/// hook made reachable from an app fails the build).
///
/// ```compile_fail,E0599
/// portcullis::App::builder().__raw_echo_for_benchmarks();
/// ```
///
/// ```compile_fail,E0599
/// portcullis::App::builder().__expose_ipc_key_for_tests();
/// ```
///
/// ```compile_fail,E0599
/// portcullis::App::builder().__event_script_max_for_benchmarks(1);
/// ```
///
/// ```compile_fail,E0599
/// portcullis::test::MockApp::new(portcullis::Commands::new()).__call_inline("x", b"{}");
/// ```
///
/// ```compile_fail,E0425
/// portcullis::__private::isolation_admit_for_bench(b"{}");
/// ```
///
/// ```compile_fail,E0425
/// portcullis::__private::gate_check_for_bench(Vec::new());
/// ```
///
/// ```compile_fail,E0425
/// portcullis::__private::web_process_rss_mib();
/// ```
///
/// The error codes pin the reason: E0599 "no method", E0425 "no function".
#[cfg(all(doctest, feature = "webview", not(feature = "test-hooks")))]
pub struct ReleaseSurface;
