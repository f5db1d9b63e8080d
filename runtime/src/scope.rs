//! Path scopes: which files a command may touch, checked the way the OS will
//! resolve the path (not as the text reads).
//!
//! A [`Scope`] holds allowed roots and denied paths, both canonicalized when
//! added (so they must exist). [`Scope::check`] refuses, before touching the
//! disk: an empty path, a NUL, a relative path, any `..` or `.` component,
//! more than [`MAX_PATH_BYTES`]. Then it resolves the path as the OS would
//! (`canonicalize`: every symlink followed; for a path that does not exist
//! yet, its parent, which must exist, and the last component as written) and
//! accepts it only if it is not under a denied path (deny wins) and is under
//! an allowed root, compared component by component (`/data/app` does not
//! contain `/data/app-other`), ASCII case-insensitively on Windows and macOS
//! (whose file systems fold case by default).
//!
//! ```
//! # fn main() -> std::io::Result<()> {
//! let root = std::env::temp_dir().join(format!("scope-doc-{}", std::process::id()));
//! std::fs::create_dir_all(root.join("private"))?;
//! let scope = portcullis::Scope::new().allow(&root)?.deny(root.join("private"))?;
//! assert!(scope.check(root.join("notes.txt")).is_ok());
//! assert!(scope.check(root.join("private/key")).is_err());
//! assert!(scope.check(root.join("../etc/passwd")).is_err());
//! # std::fs::remove_dir_all(&root)?;
//! # Ok(()) }
//! ```

use std::fmt;
use std::io;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;

/// Longest path [`Scope::check`] accepts, in bytes.
pub const MAX_PATH_BYTES: usize = 4096;

/// Allowed roots and denied paths for the files commands touch. Hold one in
/// managed state (`.manage(scope)`, then `State<'_, Scope>` in a command).
#[derive(Clone, Debug, Default)]
pub struct Scope {
    allowed: Vec<PathBuf>,
    denied: Vec<PathBuf>,
}

/// Why a path was refused. Serializes as `{"kind": "...", "message": "..."}`,
/// so a command can return it as its error (`IpcError.data`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, crate::Type, thiserror::Error)]
#[error("{message}")]
pub struct ScopeError {
    /// What was wrong: `invalid` (the text itself), `outside` (not under an
    /// allowed root), `denied` (under a denied path), `unresolvable` (its
    /// parent does not exist or cannot be read).
    pub kind: ScopeErrorKind,
    /// A readable reason, naming the path as given.
    pub message: String,
}

/// See [`ScopeError::kind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, crate::Type)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ScopeErrorKind {
    /// Empty, NUL, relative, `..`/`.`, too long, no file name.
    Invalid,
    /// Not under any allowed root once resolved.
    Outside,
    /// Under a denied path once resolved.
    Denied,
    /// The path (or its parent) cannot be resolved.
    Unresolvable,
}

impl ScopeError {
    /// An I/O error on a checked path, as a `ScopeError` (kind
    /// `unresolvable`), for a command that returns `Result<T, ScopeError>`.
    pub fn io(err: &io::Error) -> Self {
        ScopeError {
            kind: ScopeErrorKind::Unresolvable,
            message: err.to_string(),
        }
    }
}

fn error(kind: ScopeErrorKind, path: &Path, why: impl fmt::Display) -> ScopeError {
    let shown: String = path.to_string_lossy().chars().take(200).collect();
    ScopeError {
        kind,
        message: format!("path {shown:?} refused: {why}"),
    }
}

impl Scope {
    /// A scope that allows nothing.
    pub fn new() -> Self {
        Scope::default()
    }

    /// Allows `root` and everything under it. `root` must exist (it is
    /// canonicalized now, symlinks resolved).
    pub fn allow(mut self, root: impl AsRef<Path>) -> io::Result<Self> {
        self.allowed.push(std::fs::canonicalize(root)?);
        Ok(self)
    }

    /// Denies `path` and everything under it, even inside an allowed root.
    /// It must exist (canonicalized now).
    pub fn deny(mut self, path: impl AsRef<Path>) -> io::Result<Self> {
        self.denied.push(std::fs::canonicalize(path)?);
        Ok(self)
    }

    /// The resolved path, if `path` may be used; see the module docs for
    /// the rules. The answer is for now: check right before use, and prefer
    /// opening what `check` returned.
    pub fn check(&self, path: impl AsRef<Path>) -> Result<PathBuf, ScopeError> {
        let path = path.as_ref();
        let resolved = resolve(path)?;
        if self.denied.iter().any(|d| is_within(&resolved, d)) {
            return Err(error(
                ScopeErrorKind::Denied,
                path,
                "it is in a denied location",
            ));
        }
        if !self.allowed.iter().any(|root| is_within(&resolved, root)) {
            return Err(error(
                ScopeErrorKind::Outside,
                path,
                "it is outside the allowed locations",
            ));
        }
        Ok(resolved)
    }
}

/// The text checks, then the OS's resolution.
fn resolve(path: &Path) -> Result<PathBuf, ScopeError> {
    let invalid = |why: &str| error(ScopeErrorKind::Invalid, path, why);
    let bytes = path.as_os_str().as_encoded_bytes();
    if bytes.is_empty() {
        return Err(invalid("it is empty"));
    }
    if bytes.len() > MAX_PATH_BYTES {
        return Err(invalid("it is too long"));
    }
    if bytes.contains(&0) {
        return Err(invalid("it contains a NUL byte"));
    }
    if !path.is_absolute() {
        return Err(invalid("it is not absolute"));
    }
    // The text's own segments: `components()` quietly drops an inner `.`.
    let separator = |b: &u8| *b == b'/' || (cfg!(windows) && *b == b'\\');
    for segment in bytes.split(separator) {
        match segment {
            b".." => return Err(invalid("it contains `..`")),
            b"." => return Err(invalid("it contains `.`")),
            _ => {}
        }
    }
    // Written `/a/b/./c` or `/a/b/` forms normalize in `components`; what
    // `canonicalize` sees is the path itself.
    match std::fs::canonicalize(path) {
        Ok(resolved) => Ok(resolved),
        Err(err) if err.kind() == io::ErrorKind::NotFound => {
            // Not there yet (a file to create): its parent must resolve, and
            // the name is taken as written.
            let name = path
                .file_name()
                .ok_or_else(|| invalid("it has no file name"))?;
            let parent = path.parent().ok_or_else(|| invalid("it has no parent"))?;
            let parent = std::fs::canonicalize(parent)
                .map_err(|err| error(ScopeErrorKind::Unresolvable, path, err))?;
            Ok(parent.join(name))
        }
        Err(err) => Err(error(ScopeErrorKind::Unresolvable, path, err)),
    }
}

/// Whether `path` is `root` or under it, component by component.
fn is_within(path: &Path, root: &Path) -> bool {
    let mut path = path.components();
    for want in root.components() {
        match path.next() {
            Some(got) if same_component(got, want) => {}
            _ => return false,
        }
    }
    true
}

fn same_component(a: Component<'_>, b: Component<'_>) -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        a.as_os_str().to_string_lossy().to_lowercase()
            == b.as_os_str().to_string_lossy().to_lowercase()
    } else {
        a == b
    }
}

// The hostile-path table uses Unix paths and symlinks.
#[cfg(all(test, unix))]
mod tests;
