//! `Commands`: a composable registry of `#[command]` fns.

use std::fmt;

use rustc_hash::FxHashMap;

use crate::dispatch::Handler;
use crate::schema::CommandInfo;

/// One registered command: its metadata and its handler.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub struct CommandEntry {
    pub info: &'static CommandInfo,
    pub handler: Handler,
}

impl CommandEntry {
    /// Stands in for a command whose `#[command]` had errors, so the compile
    /// reports those errors and nothing else. Never reaches a running program.
    pub const INVALID: CommandEntry = CommandEntry {
        info: &CommandInfo {
            name: "",
            rust_path: "",
            args: &[],
            is_async: false,
            docs: "",
            result_type: "",
            ok: <() as crate::Type>::describe,
            err: None,
        },
        handler: Handler::Invalid,
    };
}

/// A set of commands, built with [`commands!`](crate::commands) and combined
/// with [`merge`](Commands::merge).
///
/// ```
/// # use portcullis::{command, commands, Commands};
/// #[command] fn ping() -> &'static str { "pong" }
/// mod admin {
///     #[portcullis::command] pub fn reset() {}
///     pub fn commands() -> portcullis::Commands { portcullis::commands![reset] }
/// }
/// let all = commands![ping].merge(admin::commands()).unwrap();
/// assert_eq!(all.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct Commands {
    map: FxHashMap<&'static str, CommandEntry>,
}

impl Commands {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    #[doc(hidden)]
    pub fn __from_entries(entries: &'static [CommandEntry]) -> Self {
        let mut map = FxHashMap::default();
        map.reserve(entries.len());
        for entry in entries {
            // Names are unique: `commands!` checks it during const evaluation.
            map.insert(entry.info.name, *entry);
        }
        Commands { map }
    }

    /// Combines two registries. Two commands with the same IPC name are an
    /// error naming both, never a silent override.
    pub fn merge(mut self, other: Commands) -> Result<Commands, DuplicateCommand> {
        for (name, entry) in other.map {
            if let Some(existing) = self.map.get(name) {
                return Err(DuplicateCommand {
                    name,
                    first: existing.info.rust_path,
                    second: entry.info.rust_path,
                });
            }
            self.map.insert(name, entry);
        }
        Ok(self)
    }

    /// The number of commands.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are no commands.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Whether a command with this IPC name is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// Metadata of every command, sorted by IPC name.
    pub fn iter(&self) -> impl Iterator<Item = &'static CommandInfo> + '_ {
        let mut infos: Vec<&'static CommandInfo> = self.map.values().map(|e| e.info).collect();
        infos.sort_by_key(|info| info.name);
        infos.into_iter()
    }

    #[inline]
    pub(crate) fn get(&self, name: &str) -> Option<&CommandEntry> {
        self.map.get(name)
    }
}

impl fmt::Debug for Commands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(|i| i.name)).finish()
    }
}

/// Two registries define a command with the same IPC name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "command `{name}` is defined twice: by `{first}` and by `{second}`; \
     give one of them #[command(rename = \"...\")]"
)]
pub struct DuplicateCommand {
    name: &'static str,
    first: &'static str,
    second: &'static str,
}

impl DuplicateCommand {
    /// The IPC name both commands have.
    pub fn name(&self) -> &'static str {
        self.name
    }

    /// The Rust paths of the two fns.
    pub fn paths(&self) -> (&'static str, &'static str) {
        (self.first, self.second)
    }
}

/// Fails const evaluation when two entries share an IPC name; called by
/// `commands!` so that the mistake is a compile error.
#[doc(hidden)]
pub const fn assert_unique_names(entries: &[CommandEntry]) {
    let mut i = 0;
    while i < entries.len() {
        let mut j = i + 1;
        while j < entries.len() {
            let (a, b) = (entries[i].info.name, entries[j].info.name);
            if !a.is_empty() && a.len() == b.len() && str_eq(a, b) {
                panic!(
                    "two commands in commands![...] have the same IPC name; \
                     give one of them #[command(rename = \"...\")]"
                );
            }
            j += 1;
        }
        i += 1;
    }
}

/// `a == b` in const evaluation (also used by `events!`).
pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
