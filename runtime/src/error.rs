//! The one error shape every failed call has, on both sides of the IPC.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable, machine-readable reason for a failed call.
///
/// Serialized as a snake_case string (`"invalid_args"`); the JS side sees the
/// same string in `IpcError.code`. New codes may be added in minor releases.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ErrorCode {
    /// No command is registered under the name that was called.
    UnknownCommand,
    /// No event is registered under the name a page emitted or listened to
    /// (`AppBuilder::events`).
    UnknownEvent,
    /// The arguments are not a JSON object, an argument is missing, or a value
    /// does not deserialize into the argument's type. `arg` names the JSON key.
    InvalidArgs,
    /// The command takes `State<'_, T>` but no `T` was given to `.manage(...)`.
    MissingState,
    /// The command returned `Err(e)`; `data` holds `e` serialized.
    CommandError,
    /// The command panicked. The app and all other calls go on.
    Panic,
    /// An extractor refused the call (returned by user-written extractors).
    Rejected,
    /// The command's result could not be serialized (e.g. a map with non-string keys).
    InvalidResult,
    /// The message is larger than the configured limit.
    PayloadTooLarge,
    /// More calls are in flight than the configured limit allows.
    TooManyCalls,
    /// Refused before any command ran: not from a page the app served, not
    /// from the top frame, or without this run's key.
    Forbidden,
    /// Isolation is on and the message did not come through the isolation
    /// frame (plaintext, or not an envelope). No command ran.
    IsolationRequired,
    /// Isolation is on and the envelope failed: it does not decrypt and
    /// authenticate for this window, or it is a replay. No command ran.
    IsolationInvalid,
    /// The isolation hook rejected the call (set by the front end).
    IsolationRejected,
    /// The isolation hook did not settle in time (set by the front end).
    IsolationTimeout,
    /// The call was cancelled: the page aborted it (`{ signal }`), or its
    /// page reloaded or navigated, or its window closed.
    Cancelled,
    /// A bug in Portcullis; please report it.
    Internal,
}

impl ErrorCode {
    /// Every code, in declaration order.
    pub const ALL: [ErrorCode; 17] = [
        ErrorCode::UnknownCommand,
        ErrorCode::UnknownEvent,
        ErrorCode::InvalidArgs,
        ErrorCode::MissingState,
        ErrorCode::CommandError,
        ErrorCode::Panic,
        ErrorCode::Rejected,
        ErrorCode::InvalidResult,
        ErrorCode::PayloadTooLarge,
        ErrorCode::TooManyCalls,
        ErrorCode::Forbidden,
        ErrorCode::IsolationRequired,
        ErrorCode::IsolationInvalid,
        ErrorCode::IsolationRejected,
        ErrorCode::IsolationTimeout,
        ErrorCode::Cancelled,
        ErrorCode::Internal,
    ];

    /// The code as it appears on the wire.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorCode::UnknownCommand => "unknown_command",
            ErrorCode::UnknownEvent => "unknown_event",
            ErrorCode::InvalidArgs => "invalid_args",
            ErrorCode::MissingState => "missing_state",
            ErrorCode::CommandError => "command_error",
            ErrorCode::Panic => "panic",
            ErrorCode::Rejected => "rejected",
            ErrorCode::InvalidResult => "invalid_result",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::TooManyCalls => "too_many_calls",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::IsolationRequired => "isolation_required",
            ErrorCode::IsolationInvalid => "isolation_invalid",
            ErrorCode::IsolationRejected => "isolation_rejected",
            ErrorCode::IsolationTimeout => "isolation_timeout",
            ErrorCode::Cancelled => "cancelled",
            ErrorCode::Internal => "internal",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a call failed: what the JS `invoke` rejects with and what
/// [`MockApp::invoke`](crate::test::MockApp::invoke) returns as `Err`.
///
/// On the wire: `{"code": "...", "message": "...", "command": "..." | null,
/// "arg": "..." | null, "data": <any JSON> | null}`.
#[derive(Clone, PartialEq, Serialize, Deserialize, thiserror::Error)]
#[error("{}", .0.message)]
#[serde(transparent)]
pub struct InvokeError(Box<Inner>);

/// Boxed so that `Result<T, InvokeError>` stays small on the success path.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Inner {
    code: ErrorCode,
    message: String,
    command: Option<String>,
    #[serde(default)]
    arg: Option<String>,
    #[serde(default)]
    data: Option<serde_json::Value>,
}

impl fmt::Debug for InvokeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl InvokeError {
    /// An error with a code and a human-readable message. The runtime fills in
    /// the command name when the error comes from an extractor.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        InvokeError(Box::new(Inner {
            code,
            message: message.into(),
            command: None,
            arg: None,
            data: None,
        }))
    }

    /// Sets the name of the command the error belongs to.
    pub fn with_command(mut self, command: impl Into<String>) -> Self {
        self.0.command = Some(command.into());
        self
    }

    /// Sets the JSON key of the argument the error is about.
    pub fn with_arg(mut self, arg: impl Into<String>) -> Self {
        self.0.arg = Some(arg.into());
        self
    }

    /// Attaches structured data (for `command_error`, the command's own error value).
    pub fn with_data(mut self, data: serde_json::Value) -> Self {
        self.0.data = Some(data);
        self
    }

    /// The stable reason code.
    pub fn code(&self) -> ErrorCode {
        self.0.code
    }

    /// A human-readable description naming the command and, for arguments, the key.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// The IPC name of the command called, if the message got that far.
    pub fn command(&self) -> Option<&str> {
        self.0.command.as_deref()
    }

    /// The JSON key of the offending argument, for `invalid_args`.
    pub fn arg(&self) -> Option<&str> {
        self.0.arg.as_deref()
    }

    /// Structured data: for `command_error`, the command's error value as JSON.
    pub fn data(&self) -> Option<&serde_json::Value> {
        self.0.data.as_ref()
    }

    /// Deserializes [`data`](Self::data) into the command's error type.
    pub fn data_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        self.data().and_then(|d| T::deserialize(d).ok())
    }
}

/// An error from building or running an app: anything that went wrong, with
/// its message. Like `anyhow::Error`, any error converts into it with `?`, so
/// `fn main() -> portcullis::Result<()>` can use `?` on your own errors too.
pub struct Error(Box<dyn std::error::Error + Send + Sync + 'static>);

/// `Result<T, portcullis::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error with just a message.
    pub fn msg(message: impl Into<String>) -> Self {
        Error(message.into().into())
    }

    /// The underlying error, if it is a `T`.
    pub fn downcast_ref<T: std::error::Error + 'static>(&self) -> Option<&T> {
        self.0.downcast_ref()
    }
}

impl<E: std::error::Error + Send + Sync + 'static> From<E> for Error {
    fn from(err: E) -> Self {
        Error(Box::new(err))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(f, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // `main` returning `Err` prints Debug: show the readable message.
        fmt::Display::fmt(self, f)
    }
}

/// A framework error as a command's error: `fn rename(window: Window, title:
/// String) -> portcullis::Result<()>` works, and the front end gets a
/// `command_error` whose `data` (and message) is the error's text.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl crate::Type for Error {
    fn describe(_: &mut crate::types::TypeGraph) -> crate::types::Ty {
        crate::types::Ty::String
    }

    const __MAYBE_BYTES: bool = false;
}
