//! How a command's arguments are obtained: deserialized from the call's JSON
//! args by key (any `serde::Deserialize` type), or injected by an extractor.

use std::fmt;
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, Visitor};

use crate::dispatch::{Core, Part};
use crate::types::{Ty, Type, TypeGraph};
use crate::{ErrorCode, InvokeError};

/// The call being handled: what an extractor can look at.
///
/// `Invoke` is itself an extractor, so a command can take it as an argument to
/// learn which window called it.
#[derive(Clone, Copy)]
pub struct Invoke<'a> {
    pub(crate) command: &'a str,
    /// The JSON args object.
    pub(crate) args: &'a [u8],
    /// The buffer the binary parts point into.
    pub(crate) body: &'a [u8],
    /// Top-level arguments that arrived as raw bytes.
    pub(crate) parts: &'a [Part],
    pub(crate) window: &'a str,
    pub(crate) core: &'a Arc<Core>,
    /// Set when the call can be cancelled.
    pub(crate) cancel: Option<&'a crate::Cancellation>,
}

impl<'a> Invoke<'a> {
    /// The IPC name of the command being called.
    pub fn command(&self) -> &'a str {
        self.command
    }

    /// The label of the window the call came from (`"main"` in `MockApp` unless
    /// set with [`MockApp::invoke_from`](crate::test::MockApp::invoke_from)).
    pub fn window_label(&self) -> &'a str {
        self.window
    }

    /// A value given to `.manage(...)`, if one of type `T` exists.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&'a T> {
        self.core.state.get::<T>()
    }

    /// The call's arguments as the raw JSON bytes the front end sent
    /// (binary arguments are not part of it: see [`binary_arg`](Self::binary_arg)).
    pub fn raw_args(&self) -> &'a [u8] {
        self.args
    }

    /// A top-level argument that arrived as raw bytes, by its JSON key.
    pub fn binary_arg(&self, key: &str) -> Option<&'a [u8]> {
        self.parts
            .iter()
            .find(|part| &*part.key == key)
            .map(|part| &self.body[part.range.clone()])
    }
}

impl fmt::Debug for Invoke<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Invoke")
            .field("command", &self.command)
            .field("window", &self.window)
            .field("args_len", &self.args.len())
            .field("binary_args", &self.parts.len())
            .finish_non_exhaustive()
    }
}

/// A type a command can take as an argument.
///
/// Every `serde::Deserialize` type that implements [`Type`] is one: it is read
/// from the JSON args under its key (and `Type` gives it its TypeScript type).
/// Other types are *extractors*: they are built from the [`Invoke`]
/// (`State<'_, T>`, `Invoke` itself, or your own):
///
/// ```
/// use portcullis::{CommandArg, ErrorCode, Invoke, InvokeError};
///
/// /// Only calls from the "admin" window get one.
/// struct AdminWindow;
///
/// impl<'a> CommandArg<'a> for AdminWindow {
///     fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
///         if invoke.window_label() == "admin" {
///             Ok(AdminWindow)
///         } else {
///             Err(InvokeError::new(ErrorCode::Rejected, "admin window only"))
///         }
///     }
/// }
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a command argument",
    label = "neither `serde::Deserialize` + `portcullis::Type` nor an extractor",
    note = "a command argument is either read from the call's JSON args (derive `serde::Deserialize` and \
            `portcullis::Type` for it) or injected (`State<'_, T>`, `Invoke<'_>`, or a type implementing \
            `portcullis::CommandArg`)"
)]
pub trait CommandArg<'a>: Sized {
    /// Builds the argument for this call. An error rejects the call, and the
    /// front end receives it (the command name is filled in for you).
    fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError>;

    /// Whether the value is read from the JSON args. Implementation detail of
    /// the blanket impl for `Deserialize` types; do not override.
    #[doc(hidden)]
    const __FROM_ARGS: bool = false;

    /// Whether a raw binary value can be read into it (see
    /// `Type::__MAYBE_BYTES`). Implementation detail; do not override.
    #[doc(hidden)]
    const __BINARY: bool = false;

    #[doc(hidden)]
    fn __from_json<D: Deserializer<'a>>(deserializer: D) -> Result<Self, D::Error> {
        let _ = deserializer;
        Err(de::Error::custom("this argument is not read from JSON"))
    }

    /// Called when the key is absent from the JSON args (or, for extractors,
    /// always: their key is never read).
    #[doc(hidden)]
    fn __absent(invoke: &Invoke<'a>, key: &'static str) -> Result<Self, InvokeError> {
        let _ = key;
        Self::from_invoke(invoke)
    }

    /// Called with the value read from the JSON args, before the command
    /// runs: a channel binds itself to the call here. Implementation
    /// detail; do not override.
    #[doc(hidden)]
    fn __bind(self, invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        let _ = invoke;
        Ok(self)
    }

    /// The type of a value read from the JSON args; `None` for extractors.
    #[doc(hidden)]
    fn __describe(graph: &mut TypeGraph) -> Option<Ty> {
        let _ = graph;
        None
    }
}

#[diagnostic::do_not_recommend]
impl<'a, T: Deserialize<'a> + Type> CommandArg<'a> for T {
    fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        Self::__absent(invoke, "")
    }

    const __FROM_ARGS: bool = true;

    const __BINARY: bool = T::__MAYBE_BYTES;

    fn __describe(graph: &mut TypeGraph) -> Option<Ty> {
        Some(T::describe(graph))
    }

    fn __from_json<D: Deserializer<'a>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer)
    }

    fn __absent(invoke: &Invoke<'a>, key: &'static str) -> Result<Self, InvokeError> {
        // `Option<T>` deserializes from an absent value as `None`, as serde does
        // for a missing struct field; everything else is a missing argument.
        match T::deserialize(Absent) {
            Ok(value) => Ok(value),
            Err(_) => Err(missing(invoke, key, std::any::type_name::<T>())),
        }
    }
}

fn missing(invoke: &Invoke<'_>, key: &'static str, expected: &str) -> InvokeError {
    InvokeError::new(
        ErrorCode::InvalidArgs,
        format!(
            "command `{}` is missing argument \"{key}\" (expected {expected})",
            invoke.command(),
        ),
    )
    .with_arg(key)
}

/// A deserializer for a value that is not there: `None` for options, an error
/// for everything else.
struct Absent;

// `serde_json::Error`, so that its instantiations are shared with the JSON
// path's (see `RawBytes`).
impl<'de> Deserializer<'de> for Absent {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Self::Error> {
        Err(de::Error::custom("missing"))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

impl<'a> CommandArg<'a> for Invoke<'a> {
    fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        Ok(*invoke)
    }
}
