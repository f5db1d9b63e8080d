//! Routing a message to its command and running it: the one path every call
//! takes, from `MockApp` and from the web view alike.

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::ops::Range;
use std::panic::{self, AssertUnwindSafe};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::task::{Context, Poll};

use serde::Serialize;

use crate::bytes::{Reply, as_raw_bytes};
use crate::cancel::{Calls, Registered, cancelled};
use crate::channel::Channels;
use crate::events::Hub;
use crate::gate::Gate;
use crate::host::Host;
use crate::registry::{CommandEntry, Commands};
use crate::state::StateMap;
use crate::{Cancellation, ErrorCode, Invoke, InvokeError};

/// The encoded outcome of a call: the result (JSON or raw bytes), or the error.
#[doc(hidden)]
pub type Response = Result<Reply, InvokeError>;

#[doc(hidden)]
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// How a command runs.
#[doc(hidden)]
#[derive(Clone, Copy, Debug)]
pub enum Handler {
    /// A sync fn: decode, call and encode, run on the blocking pool.
    Sync(fn(&Invoke<'_>) -> Response),
    /// An async fn: the future owns the call and runs on tokio.
    Async(fn(Call) -> BoxFuture<Response>),
    /// Placeholder for a `#[command]` that did not compile.
    Invalid,
}

/// Explicit limits on what the front end can make the core do.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct Limits {
    /// Largest accepted argument payload, in bytes (default 64 MiB).
    pub max_args_bytes: usize,
    /// Most calls running at once; more fail with `too_many_calls` (default 16384).
    pub max_in_flight: usize,
    /// Most calls one window may have running at once (default 8192, half
    /// of `max_in_flight`), so that one window's flood cannot take every slot
    /// and leave the others `too_many_calls`.
    pub max_in_flight_per_window: usize,
    /// Most bytes of binary results a page may leave unfetched (message
    /// transport: a binary result waits for the page's fetch); a result that
    /// would go beyond fails with `payload_too_large` (default 256 MiB).
    /// Parked results are freed when the page reloads or navigates.
    pub max_parked_bytes: usize,
    /// Most events held for a window whose page does not listen to them yet
    /// (default 1024); beyond, the oldest are dropped with a warning.
    pub max_held_events: usize,
    /// Most bytes of event payloads held for such a window (default 16 MiB).
    pub max_held_event_bytes: usize,
    /// Most messages a channel may have sent and the page not yet taken
    /// (default 1024); beyond, `Channel::send` waits.
    pub channel_messages: usize,
    /// Most bytes a channel may have sent and the page not yet taken
    /// (default 8 MiB; one larger message goes when nothing is pending).
    pub channel_bytes: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_args_bytes: 64 << 20,
            max_in_flight: 16_384,
            max_in_flight_per_window: 8_192,
            max_parked_bytes: 256 << 20,
            max_held_events: 1024,
            max_held_event_bytes: 16 << 20,
            channel_messages: 1024,
            channel_bytes: 8 << 20,
        }
    }
}

impl Limits {
    /// Sets the largest accepted argument payload in bytes.
    pub fn max_args_bytes(mut self, bytes: usize) -> Self {
        self.max_args_bytes = bytes;
        self
    }

    /// Sets how many calls may run at once.
    pub fn max_in_flight(mut self, calls: usize) -> Self {
        self.max_in_flight = calls;
        self
    }

    /// Sets how many calls one window may have running at once.
    pub fn max_in_flight_per_window(mut self, calls: usize) -> Self {
        self.max_in_flight_per_window = calls;
        self
    }

    /// Sets how many bytes of binary results may wait for their page.
    pub fn max_parked_bytes(mut self, bytes: usize) -> Self {
        self.max_parked_bytes = bytes;
        self
    }

    /// Sets how many events may wait for a window's page to listen.
    pub fn max_held_events(mut self, events: usize) -> Self {
        self.max_held_events = events;
        self
    }

    /// Sets how many messages a channel may have unacknowledged.
    pub fn channel_messages(mut self, messages: usize) -> Self {
        self.channel_messages = messages;
        self
    }

    /// Sets how many bytes a channel may have unacknowledged.
    pub fn channel_bytes(mut self, bytes: usize) -> Self {
        self.channel_bytes = bytes;
        self
    }

    /// Sets how many bytes of events may wait for a window's page to listen.
    pub fn max_held_event_bytes(mut self, bytes: usize) -> Self {
        self.max_held_event_bytes = bytes;
        self
    }
}

/// The app's core: commands, managed state, limits. Shared by every call.
#[derive(Debug)]
pub(crate) struct Core {
    pub(crate) commands: Commands,
    pub(crate) state: StateMap,
    pub(crate) limits: Limits,
    /// The checks every message from a page passes.
    pub(crate) gate: Gate,
    in_flight: AtomicUsize,
    /// Calls running, by window (only windows with some).
    in_flight_by_window: Mutex<HashMap<Arc<str>, usize>>,
    /// What runs the core: the web view's event loop, or `MockApp`'s recorder.
    pub(crate) host: OnceLock<Arc<dyn Host>>,
    /// Labels of the open (or opening) windows.
    pub(crate) windows: Mutex<HashSet<Arc<str>>>,
    /// Cancellable calls in flight, by window and id.
    pub(crate) calls: Arc<Calls>,
    /// Registered events and the app's listeners.
    pub(crate) events: Hub,
    /// Open channels, by window and id.
    pub(crate) channels: Channels,
    /// Where sync commands run (the warm thread, or the blocking pool).
    pub(crate) warm: crate::warm::Warm,
}

/// A message from the front end, owned while its command runs.
#[derive(Debug)]
pub(crate) struct Message {
    pub(crate) command: Box<str>,
    /// The JSON args object.
    pub(crate) args: Vec<u8>,
    /// The buffer raw binary arguments are in (taken as received, no copy).
    pub(crate) binary: Vec<u8>,
    /// Top-level arguments sent as raw bytes: where each is in `binary`.
    pub(crate) parts: Vec<Part>,
    pub(crate) window: Arc<str>,
    /// Set for a call that can be cancelled; `Registered` keeps it reachable
    /// by its id until the call's work is dropped.
    pub(crate) cancel: Option<(Cancellation, Registered)>,
}

/// A top-level argument sent as raw bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) key: Box<str>,
    pub(crate) range: Range<usize>,
}

/// An owned call, handed to an async command's future.
#[doc(hidden)]
#[derive(Debug)]
pub struct Call {
    core: Arc<Core>,
    message: Message,
    _in_flight: InFlight,
}

impl Drop for Call {
    fn drop(&mut self) {
        // The call's arguments are freed now (and its result soon after).
        crate::memory::after_large(self.message.args.len() + self.message.binary.len());
    }
}

impl Call {
    /// The borrowed view extractors see.
    pub fn invoke(&self) -> Invoke<'_> {
        self.message.view(&self.core)
    }
}

impl Message {
    /// A message whose args are all JSON.
    pub(crate) fn json(command: &str, args: Vec<u8>, window: Arc<str>) -> Self {
        Message {
            command: command.into(),
            args,
            binary: Vec::new(),
            parts: Vec::new(),
            window,
            cancel: None,
        }
    }

    fn view<'a>(&'a self, core: &'a Arc<Core>) -> Invoke<'a> {
        Invoke {
            command: &self.command,
            args: &self.args,
            body: &self.binary,
            parts: &self.parts,
            window: &self.window,
            core,
            cancel: self.cancel.as_ref().map(|(cancel, _)| cancel),
        }
    }
}

/// A call's slot, counted as in flight until dropped: in `Core::in_flight`
/// and, when `window` is set, in `in_flight_by_window`.
#[derive(Debug)]
struct InFlight {
    core: Arc<Core>,
    window: Option<Arc<str>>,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.core.in_flight.fetch_sub(1, Ordering::Relaxed);
        if let Some(window) = &self.window {
            let mut counts = self
                .core
                .in_flight_by_window
                .lock()
                .expect("in-flight lock");
            if let Some(count) = counts.get_mut(window) {
                *count -= 1;
                if *count == 0 {
                    counts.remove(window);
                }
            }
        }
    }
}

impl Core {
    pub(crate) fn new(
        commands: Commands,
        events: Hub,
        state: StateMap,
        limits: Limits,
        gate: Gate,
    ) -> Self {
        Core {
            events,
            channels: Channels::default(),
            commands,
            state,
            limits,
            gate,
            in_flight: AtomicUsize::new(0),
            in_flight_by_window: Mutex::default(),
            host: OnceLock::new(),
            windows: Mutex::default(),
            calls: Arc::default(),
            warm: crate::warm::Warm::default(),
        }
    }

    /// Makes `message` cancellable as call `id` of its window (a `cancel`
    /// message with that id, its page going away, its window closing); the
    /// token is returned for callers that cancel it themselves.
    pub(crate) fn cancellable(&self, message: &mut Message, id: u64) -> Cancellation {
        let (cancel, registered) = self.calls.register(&message.window, id);
        message.cancel = Some((cancel.clone(), registered));
        cancel
    }

    /// Starts one call on `runtime` and hands its encoded reply to `done`,
    /// exactly once. Sync commands run on the warm thread or the blocking
    /// pool, async ones as a task, whose first poll may run on the warm
    /// thread (see `warm`); a panic in either becomes an
    /// `ErrorCode::Panic` reply. Calls that fail before running (unknown
    /// command, limits) reply at once, on this thread. A cancelled call (see
    /// [`Core::cancellable`]) replies `cancelled` at once: an async
    /// command's future is dropped, a sync command is signalled and its
    /// result discarded.
    pub(crate) fn spawn(
        self: &Arc<Self>,
        runtime: &tokio::runtime::Handle,
        message: Message,
        done: impl FnOnce(Response) + Send + 'static,
    ) {
        let entry = match self.route(&message.command, message.args.len() + message.binary.len()) {
            Ok(entry) => *entry,
            Err(err) => return done(Err(err)),
        };
        let in_flight = match self.enter(&message.command, &message.window) {
            Ok(guard) => guard,
            Err(err) => return done(Err(err)),
        };
        let call = Call {
            core: Arc::clone(self),
            message,
            _in_flight: in_flight,
        };
        match entry.handler {
            Handler::Sync(handler) => {
                self.warm.run(runtime, move || {
                    // Read in place: cloning a token takes its lock.
                    let was_cancelled = || {
                        call.message
                            .cancel
                            .as_ref()
                            .is_some_and(|(cancel, _)| cancel.is_cancelled())
                    };
                    let response = if was_cancelled() {
                        // Cancelled while it waited for a thread: never run.
                        Err(cancelled(&call.message.command))
                    } else {
                        let response =
                            panic::catch_unwind(AssertUnwindSafe(|| handler(&call.invoke())))
                                .unwrap_or_else(|payload| {
                                    Err(panicked(&call.message.command, payload))
                                });
                        // A sync command that ignored its cancellation ran
                        // to the end: its result is not wanted.
                        if was_cancelled() {
                            Err(cancelled(&call.message.command))
                        } else {
                            response
                        }
                    };
                    drop(call);
                    done(response);
                });
            }
            Handler::Async(handler) => {
                let command = call.message.command.clone();
                let cancel = call.message.cancel.as_ref().map(|(c, _)| c.clone());
                let future = CatchPanic {
                    future: handler(call),
                    command,
                };
                match cancel {
                    None => {
                        self.warm.start(runtime, async move { done(future.await) });
                    }
                    Some(cancel) => {
                        self.warm.start(runtime, async move {
                            let command = future.command.clone();
                            // On cancellation the future (and the call it
                            // owns) is dropped here, at its next await that
                            // has to wait. A result it still produced (it
                            // was already finishing, or it ran its own
                            // cancellation branch) is not wanted either.
                            let response = cancel
                                .token()
                                .clone()
                                .run_until_cancelled_owned(future)
                                .await
                                .filter(|_| !cancel.is_cancelled());
                            done(response.unwrap_or_else(|| Err(cancelled(&command))))
                        });
                    }
                }
            }
            Handler::Invalid => unreachable!("a command that failed to compile was called"),
        }
    }

    /// Whether no call is in flight.
    #[cfg(feature = "webview")]
    pub(crate) fn idle(&self) -> bool {
        self.in_flight.load(Ordering::Relaxed) == 0
    }

    /// Runs one call to completion and returns its reply (for `MockApp`).
    pub(crate) fn dispatch(
        self: &Arc<Self>,
        runtime: &tokio::runtime::Handle,
        message: Message,
    ) -> impl Future<Output = Response> + Send + 'static {
        let (tx, rx) = tokio::sync::oneshot::channel();
        self.spawn(runtime, message, move |response| {
            // The caller may have stopped waiting; then nobody wants the reply.
            let _ = tx.send(response);
        });
        async move {
            rx.await.unwrap_or_else(|_| {
                Err(InvokeError::new(
                    ErrorCode::Internal,
                    "the runtime shut down before the call finished",
                ))
            })
        }
    }

    /// Runs a sync command on the current thread, without the blocking pool:
    /// the framework's per-call work alone, for benchmarks.
    #[cfg(feature = "test-hooks")]
    #[inline]
    pub(crate) fn call_inline(
        self: &Arc<Self>,
        command: &str,
        args: &[u8],
        window: &str,
    ) -> Option<Response> {
        let entry = match self.route(command, args.len()) {
            Ok(entry) => entry,
            Err(err) => return Some(Err(err)),
        };
        let invoke = Invoke {
            command,
            args,
            body: &[],
            parts: &[],
            window,
            core: self,
            cancel: None,
        };
        match entry.handler {
            Handler::Sync(handler) => Some(handler(&invoke)),
            Handler::Async(_) | Handler::Invalid => None,
        }
    }

    #[inline]
    fn route(&self, command: &str, args_len: usize) -> Result<&CommandEntry, InvokeError> {
        if args_len > self.limits.max_args_bytes {
            return Err(InvokeError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "the arguments of `{command}` are {args_len} bytes; the limit is {} \
                     (Limits::max_args_bytes)",
                    self.limits.max_args_bytes
                ),
            )
            .with_command(command));
        }
        self.commands.get(command).ok_or_else(|| {
            InvokeError::new(
                ErrorCode::UnknownCommand,
                format!("no command named `{command}` is registered"),
            )
            .with_command(command)
        })
    }

    fn enter(self: &Arc<Self>, command: &str, window: &Arc<str>) -> Result<InFlight, InvokeError> {
        let too_many = |limit: usize, scope: &str, field: &str| {
            InvokeError::new(
                ErrorCode::TooManyCalls,
                format!("`{command}` refused: {limit} calls are already running{scope} (Limits::{field})"),
            )
            .with_command(command)
        };
        let before = self.in_flight.fetch_add(1, Ordering::Relaxed);
        let mut guard = InFlight {
            core: Arc::clone(self),
            window: None,
        };
        if before >= self.limits.max_in_flight {
            return Err(too_many(self.limits.max_in_flight, "", "max_in_flight"));
        }
        let mut counts = self.in_flight_by_window.lock().expect("in-flight lock");
        if counts.get(window).copied().unwrap_or(0) >= self.limits.max_in_flight_per_window {
            return Err(too_many(
                self.limits.max_in_flight_per_window,
                &format!(" from window `{window}`"),
                "max_in_flight_per_window",
            ));
        }
        *counts.entry(Arc::clone(window)).or_insert(0) += 1;
        guard.window = Some(Arc::clone(window));
        Ok(guard)
    }
}

/// Polls a command's future, turning a panic into an error reply.
struct CatchPanic {
    future: BoxFuture<Response>,
    command: Box<str>,
}

impl Future for CatchPanic {
    type Output = Response;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Response> {
        let this = &mut *self;
        match panic::catch_unwind(AssertUnwindSafe(|| this.future.as_mut().poll(cx))) {
            Ok(poll) => poll,
            // Ready now, so the panicked future is never polled again.
            Err(payload) => Poll::Ready(Err(panicked(&this.command, payload))),
        }
    }
}

fn panicked(command: &str, payload: Box<dyn Any + Send>) -> InvokeError {
    let message = match payload.downcast::<String>() {
        Ok(s) => *s,
        Err(payload) => match payload.downcast::<&'static str>() {
            Ok(s) => (*s).to_owned(),
            Err(_) => "(a panic payload that is not a string)".to_owned(),
        },
    };
    InvokeError::new(
        ErrorCode::Panic,
        format!("command `{command}` panicked: {message}"),
    )
    .with_command(command)
}

/// Encodes a command's successful result. `MAYBE_BYTES` and `BYTES` are the
/// result type's `Type::__MAYBE_BYTES` and `Type::__BYTES` (the macro passes
/// them, so that a result type without `Type` is reported once, by the
/// macro's own check).
#[doc(hidden)]
pub fn ok<const MAYBE_BYTES: bool, const BYTES: bool, T: ?Sized + Serialize>(
    invoke: &Invoke<'_>,
    value: &T,
) -> Response {
    // A constant: for most types the probe is not even compiled. (`BYTES`
    // implies `MAYBE_BYTES`.)
    if MAYBE_BYTES && let Some(bytes) = as_raw_bytes(value, BYTES) {
        return Ok(Reply::Binary(bytes));
    }
    let mut json = Vec::with_capacity(128);
    match value.serialize(&mut serde_json::Serializer::new(&mut json)) {
        Ok(()) => Ok(Reply::Json(json)),
        Err(err) => Err(invalid_result(invoke, err)),
    }
}

/// Encodes a command's `Err(e)` as a `command_error` carrying `e` as data.
#[doc(hidden)]
pub fn err<E: ?Sized + Serialize>(invoke: &Invoke<'_>, error: &E) -> Response {
    let data = serde_json::to_value(error).map_err(|err| invalid_result(invoke, err))?;
    // A string error is its own message; a struct's `message` field is used
    // when it has one; otherwise the message says where to look.
    let message = match &data {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Object(map) => match map.get("message") {
            Some(serde_json::Value::String(s)) => s.clone(),
            _ => format!("command `{}` returned an error: {data}", invoke.command),
        },
        _ => format!("command `{}` returned an error: {data}", invoke.command),
    };
    Err(InvokeError::new(ErrorCode::CommandError, message)
        .with_command(invoke.command)
        .with_data(data))
}

fn invalid_result(invoke: &Invoke<'_>, err: serde_json::Error) -> InvokeError {
    InvokeError::new(
        ErrorCode::InvalidResult,
        format!(
            "command `{}`: its result could not be serialized: {err}",
            invoke.command
        ),
    )
    .with_command(invoke.command)
}
