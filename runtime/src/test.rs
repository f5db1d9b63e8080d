//! Testing commands without a web view.
//!
//! [`MockApp`] runs calls through exactly the path the real runtime uses
//! (route, decode, run on tokio or the blocking pool, encode), minus the web
//! view: what passes here passes there.
//!
//! ```
//! use portcullis::{command, commands, test::MockApp};
//! use serde_json::json;
//!
//! #[command]
//! fn greet(name: String) -> String {
//!     format!("Hello, {name}!")
//! }
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let app = MockApp::new(commands![greet]);
//! let reply = app.invoke("greet", json!({ "name": "Ada" })).await;
//! assert_eq!(reply, Ok(json!("Hello, Ada!")));
//! # });
//! ```

use std::sync::{Arc, Mutex};

use serde::de::DeserializeOwned;

use crate::bytes::Reply;
use crate::channel::{ChannelItem, ChannelPayload};
use crate::dispatch::{Core, Limits, Message, Part};
use crate::gate::{Admitted, Gate};
use crate::host::{Host, HostRequest};
use crate::state::StateMap;
use crate::wire::Kind;
use crate::{Commands, ErrorCode, InvokeError};

/// The window label calls come from unless [`MockApp::invoke_from`] names another.
pub const DEFAULT_WINDOW: &str = "main";

/// An app without a web view, for testing commands. Needs a tokio runtime
/// (e.g. `#[tokio::test]`); clone it freely to share it between tasks.
///
/// It has one open window, [`DEFAULT_WINDOW`]; what commands ask of windows
/// (`Window::eval`, `set_title`, `close`, `AppHandle::create_window`, `exit`)
/// is recorded, in order, and read with [`sent`](Self::sent).
#[derive(Clone, Debug)]
pub struct MockApp {
    core: Arc<Core>,
    host: Arc<Recorder>,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

/// A call started with [`MockApp::start`]. Await it for the result (as
/// [`MockApp::invoke`] returns it), or cancel it.
#[derive(Debug)]
pub struct PendingCall {
    command: String,
    cancel: crate::Cancellation,
    reply: tokio::sync::oneshot::Receiver<crate::dispatch::Response>,
}

impl PendingCall {
    /// Cancels the call, as the page's `AbortController.abort()` does. The
    /// call then settles with `ErrorCode::Cancelled` (unless it had already
    /// finished); cancelling twice, or after the reply, does nothing.
    pub fn cancel(&self) {
        self.cancel.cancel();
    }
}

impl std::future::Future for PendingCall {
    type Output = Result<serde_json::Value, InvokeError>;

    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Self::Output> {
        let reply = std::task::ready!(std::pin::Pin::new(&mut self.reply).poll(cx));
        let response = reply.unwrap_or_else(|_| {
            Err(InvokeError::new(
                ErrorCode::Internal,
                "the runtime shut down before the call finished",
            ))
        });
        std::task::Poll::Ready(response.and_then(|reply| {
            let output = match reply {
                Reply::Json(json) => Output::Json(json),
                Reply::Binary(bytes) => Output::Binary(bytes),
            };
            json_value(&self.command, output)
        }))
    }
}

/// A result as the JS side sees it: JSON, or bytes (as an array of numbers).
fn json_value(command: &str, output: Output) -> Result<serde_json::Value, InvokeError> {
    match output {
        Output::Json(json) => serde_json::from_slice(&json).map_err(|err| {
            InvokeError::new(
                ErrorCode::Internal,
                format!("reply of `{command}` is not JSON: {err}"),
            )
        }),
        Output::Binary(bytes) => Ok(bytes.into()),
    }
}

/// What the core asked of the windows during a test, as [`MockApp::sent`]
/// returns it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Sent {
    /// A script run in the window's page (`Window::eval`).
    Eval {
        /// The window's label.
        window: String,
        /// The script.
        script: String,
    },
    /// `Window::set_title`.
    SetTitle {
        /// The window's label.
        window: String,
        /// The new title.
        title: String,
    },
    /// `Window::close`.
    Close {
        /// The window's label.
        window: String,
    },
    /// `AppHandle::create_window`.
    Open {
        /// The new window's label.
        window: String,
    },
    /// `AppHandle::exit`.
    Exit,
    /// An event sent to the window's page (`AppHandle::emit`, `emit_to`,
    /// `Window::emit`, or a page's event relayed).
    Emit {
        /// The window's label.
        window: String,
        /// The event's name.
        event: String,
        /// Its payload, as the page receives it.
        payload: serde_json::Value,
    },
}

/// `MockApp`'s host: records every request, and hands channel data to the
/// test's [`MockChannel`]s.
#[derive(Debug, Default)]
struct Recorder(
    Mutex<Vec<Sent>>,
    Mutex<std::collections::HashMap<u64, tokio::sync::mpsc::UnboundedSender<ChannelItem>>>,
);

impl Host for Recorder {
    fn send(&self, request: HostRequest) -> crate::Result<()> {
        if let HostRequest::Channel { id, item, .. } = request {
            if let Some(tx) = self.1.lock().expect("recorder lock").get(&id) {
                let _ = tx.send(item);
            }
            return Ok(());
        }
        let sent = match request {
            HostRequest::Eval { window, script } => Sent::Eval {
                window: window.to_string(),
                script,
            },
            HostRequest::SetTitle { window, title } => Sent::SetTitle {
                window: window.to_string(),
                title,
            },
            HostRequest::Close { window } => Sent::Close {
                window: window.to_string(),
            },
            HostRequest::Open(config) => Sent::Open {
                window: config.label,
            },
            HostRequest::Exit => Sent::Exit,
            HostRequest::Channel { .. } => unreachable!("handled above"),
            HostRequest::Emit { window, event } => Sent::Emit {
                window: window.to_string(),
                event: event.name.to_owned(),
                payload: serde_json::from_str(&event.payload).expect("an emitted payload is JSON"),
            },
        };
        self.0.lock().expect("recorder lock").push(sent);
        Ok(())
    }
}

/// What a call returned, as the front end receives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// JSON text (a JS value).
    Json(Vec<u8>),
    /// Raw bytes (a `Uint8Array`): the command returned [`Bytes`](crate::Bytes).
    Binary(Vec<u8>),
}

impl MockApp {
    /// An app serving these commands, with no state and default [`Limits`].
    pub fn new(commands: Commands) -> Self {
        // No page, no key: calls are handed to the gate's last checks as
        // already admitted messages.
        let gate = Gate::new(String::new(), "", "", 0, false);
        let core = Arc::new(Core::new(
            commands,
            crate::events::Hub::default(),
            StateMap::default(),
            Limits::default(),
            gate,
        ));
        let host = Arc::new(Recorder::default());
        core.host
            .set(host.clone())
            .expect("a new core has no host yet");
        core.windows
            .lock()
            .expect("windows lock")
            .insert(DEFAULT_WINDOW.into());
        MockApp {
            core,
            host,
            next_id: Arc::new(std::sync::atomic::AtomicU64::new(1)),
        }
    }

    /// Everything commands asked of the windows so far, oldest first, and
    /// forgets it.
    pub fn sent(&self) -> Vec<Sent> {
        std::mem::take(&mut *self.host.0.lock().expect("recorder lock"))
    }

    fn core_mut(&mut self) -> &mut Core {
        Arc::get_mut(&mut self.core)
            .expect("configure a MockApp (manage, limits) before cloning it or calling invoke")
    }

    /// Manages a value, as `App::builder().manage(value)` does.
    ///
    /// # Panics
    /// If a value of the same type is already managed, or the app was already
    /// cloned or used.
    pub fn manage<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.core_mut().state.insert(value);
        self
    }

    /// Registers events, as `App::builder().events(...)` does.
    ///
    /// # Panics
    /// If two events have the same name, or the app was already cloned or used.
    pub fn events(mut self, events: crate::Events) -> Self {
        let hub = &mut self.core_mut().events;
        hub.add_events(events);
        if let Err(err) = hub.check() {
            panic!("{err}");
        }
        self
    }

    /// Adds a listener for events of type `T` from pages, as
    /// `App::builder().on_event(...)` does (and registers `T`).
    ///
    /// # Panics
    /// As [`events`](Self::events).
    pub fn on_event<T: crate::AppEvent>(
        mut self,
        listener: impl Fn(crate::Event<T>) + Send + Sync + 'static,
    ) -> Self {
        let hub = &mut self.core_mut().events;
        hub.add_listener(listener);
        if let Err(err) = hub.check() {
            panic!("{err}");
        }
        self
    }

    /// A handle to the app, as commands get it: `handle().emit(&event)`
    /// sends an event to the pages ([`sent`](Self::sent) shows it).
    pub fn handle(&self) -> crate::AppHandle {
        crate::AppHandle {
            core: Arc::clone(&self.core),
        }
    }

    /// The page of the `"main"` window emits an event, as the front end's
    /// `emit(name, payload)` does: checked by the gate, decoded like a
    /// command's arguments, handed to the `on_event` listeners (this returns
    /// once they have run) and relayed to every window's page.
    pub async fn emit(&self, event: &str, payload: serde_json::Value) -> Result<(), InvokeError> {
        self.emit_from(DEFAULT_WINDOW, event, None, payload).await
    }

    /// Like [`emit`](Self::emit), from the page of `window`, relayed to the
    /// page of `to` only when it is `Some` (the front end's `emitTo`).
    pub async fn emit_from(
        &self,
        window: &str,
        event: &str,
        to: Option<&str>,
        payload: serde_json::Value,
    ) -> Result<(), InvokeError> {
        let mut args = serde_json::json!({ "payload": payload });
        if let Some(to) = to {
            args["to"] = to.into();
        }
        let args = serde_json::to_vec(&args).expect("a serde_json::Value always serializes");
        self.emit_raw(window, event, args).await
    }

    /// A page event with its args exactly as bytes (`{"payload": ..., "to"?:
    /// "label"}` when well formed): for testing how bad input is handled.
    pub async fn emit_raw(
        &self,
        window: &str,
        event: &str,
        args: impl Into<Vec<u8>>,
    ) -> Result<(), InvokeError> {
        let message = Message::json(event, args.into(), window.into());
        let message = self.admit(Kind::Emit, message)?;
        let (done, ran) = tokio::sync::oneshot::channel();
        self.core
            .page_event(&message.window, &message.command, &message.args, Some(done))?;
        // No listener: nothing to wait for (the sender is dropped).
        let _ = ran.await;
        Ok(())
    }

    /// Declares a capability, as `App::builder().capability(...)` does:
    /// [`invoke_from`](Self::invoke_from) and [`emit_from`](Self::emit_from)
    /// then pass the same check a page's message does (`forbidden` when no
    /// capability grants it).
    ///
    /// # Panics
    /// If the capability names a command or event that is not registered
    /// (register events first), or the app was already cloned or used.
    pub fn capability(mut self, capability: crate::Capability) -> Self {
        let core = self.core_mut();
        let mut all: Vec<crate::Capability> = core.gate.permissions.capabilities().to_vec();
        all.push(capability);
        let permissions = crate::capability::Permissions::new(all);
        if let Err(err) = permissions.validate(&core.commands, core.events.registry(), None) {
            panic!("{err}");
        }
        core.gate.permissions = permissions;
        self
    }

    /// A channel the page of the `"main"` window would make: pass
    /// [`MockChannel::arg`] as the command's argument, then read what the
    /// command sends.
    ///
    /// ```
    /// use portcullis::{Channel, command, commands, test::{MockApp, Output}};
    ///
    /// #[command]
    /// async fn count(to: u32, out: Channel<u32>) -> Result<(), String> {
    ///     for n in 1..=to {
    ///         out.send(n).await.map_err(|e| e.to_string())?;
    ///     }
    ///     Ok(())
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let app = MockApp::new(commands![count]);
    /// let out = app.channel();
    /// app.invoke("count", serde_json::json!({ "to": 2, "out": out.arg() })).await.unwrap();
    /// assert_eq!(out.recv().await, Some(Output::Json(b"1".to_vec())));
    /// assert_eq!(out.recv().await, Some(Output::Json(b"2".to_vec())));
    /// assert_eq!(out.recv().await, None, "the command returned: the channel ended");
    /// # });
    /// ```
    pub fn channel(&self) -> MockChannel {
        self.channel_from(DEFAULT_WINDOW)
    }

    /// Like [`channel`](Self::channel), made by the page of `window`.
    pub fn channel_from(&self, window: &str) -> MockChannel {
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        self.host.1.lock().expect("recorder lock").insert(id, tx);
        MockChannel {
            id,
            window: window.into(),
            app: self.clone(),
            rx: tokio::sync::Mutex::new(rx),
            taken: Mutex::new((0, 0)),
        }
    }

    /// Channels open in the core (bound to a call, not yet dropped or closed).
    pub fn channels_open(&self) -> usize {
        self.core.channels.len()
    }

    /// Replaces the default limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.core_mut().limits = limits;
        self
    }

    /// Calls a command from the `"main"` window with JSON args, as the front
    /// end's `invoke(command, args)` does. A binary result comes back as a JSON
    /// array of numbers; use [`invoke_bytes`](Self::invoke_bytes) for it.
    pub async fn invoke(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, InvokeError> {
        self.invoke_from(DEFAULT_WINDOW, command, args).await
    }

    /// Like [`invoke`](Self::invoke), from the window with this label.
    pub async fn invoke_from(
        &self,
        window: &str,
        command: &str,
        args: serde_json::Value,
    ) -> Result<serde_json::Value, InvokeError> {
        let args = serde_json::to_vec(&args).expect("a serde_json::Value always serializes");
        let output = self.invoke_raw(window, command, args, Vec::new()).await?;
        json_value(command, output)
    }

    /// Starts a call from the `"main"` window that can be cancelled, as the
    /// front end's `invoke(command, args, { signal })` does: await the
    /// returned [`PendingCall`] for the result, or [`cancel`](PendingCall::cancel)
    /// it first (an async command's future is then dropped; a sync command
    /// sees its [`Cancellation`](crate::Cancellation)). The call is on its way
    /// when this returns.
    ///
    /// ```
    /// use portcullis::{command, commands, test::MockApp, ErrorCode};
    ///
    /// #[command]
    /// async fn search(query: String) -> Vec<String> {
    ///     std::future::pending::<()>().await; // a search that never ends
    ///     vec![query]
    /// }
    ///
    /// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
    /// let app = MockApp::new(commands![search]);
    /// let call = app.start("search", serde_json::json!({ "query": "x" }));
    /// call.cancel();
    /// assert_eq!(call.await.unwrap_err().code(), ErrorCode::Cancelled);
    /// # });
    /// ```
    pub fn start(&self, command: &str, args: serde_json::Value) -> PendingCall {
        let (tx, rx) = tokio::sync::oneshot::channel();
        let args = serde_json::to_vec(&args).expect("a serde_json::Value always serializes");
        let mut message = Message::json(command, args, DEFAULT_WINDOW.into());
        let id = self
            .next_id
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let cancel = self.core.cancellable(&mut message, id);
        let runtime = tokio::runtime::Handle::try_current()
            .expect("MockApp::start must run inside a tokio runtime (e.g. #[tokio::test])");
        match self.admit(Kind::Invoke, message) {
            Ok(message) => self.core.spawn(&runtime, message, move |response| {
                let _ = tx.send(response);
            }),
            Err(err) => {
                let _ = tx.send(Err(err));
            }
        }
        PendingCall {
            command: command.to_owned(),
            cancel,
            reply: rx,
        }
    }

    /// Cancellable calls still running (started with [`start`](Self::start)
    /// and not finished or dropped yet).
    pub fn calls_in_flight(&self) -> usize {
        self.core.calls.len()
    }

    /// The gate's checks on what a message asks for, as for a page's.
    fn admit(&self, kind: Kind, message: Message) -> Result<Message, InvokeError> {
        self.core
            .gate
            .check(Admitted {
                kind,
                origin: None,
                id: 0,
                message,
            })
            .map(|admitted| admitted.message)
            .map_err(|refused| refused.error)
    }

    /// Calls a command and deserializes its result into `T`.
    pub async fn invoke_as<T: DeserializeOwned>(
        &self,
        command: &str,
        args: serde_json::Value,
    ) -> Result<T, InvokeError> {
        let value = self.invoke(command, args).await?;
        T::deserialize(&value).map_err(|err| {
            InvokeError::new(
                ErrorCode::Internal,
                format!(
                    "reply of `{command}` is not a {}: {err}",
                    std::any::type_name::<T>()
                ),
            )
            .with_command(command)
        })
    }

    /// Calls a command with JSON args plus top-level binary arguments (what a
    /// `Uint8Array` argument becomes), and returns a binary result's bytes.
    pub async fn invoke_bytes(
        &self,
        command: &str,
        args: serde_json::Value,
        binary: Vec<(&str, Vec<u8>)>,
    ) -> Result<Vec<u8>, InvokeError> {
        let args = serde_json::to_vec(&args).expect("a serde_json::Value always serializes");
        let binary = binary.into_iter().map(|(k, v)| (k.to_owned(), v)).collect();
        match self
            .invoke_raw(DEFAULT_WINDOW, command, args, binary)
            .await?
        {
            Output::Binary(bytes) => Ok(bytes),
            Output::Json(json) => Err(InvokeError::new(
                ErrorCode::Internal,
                format!(
                    "`{command}` returned JSON, not bytes: {}",
                    String::from_utf8_lossy(&json)
                ),
            )),
        }
    }

    /// Calls a command with the JSON args exactly as bytes (which need not be
    /// valid JSON) and raw binary arguments: for testing how bad input is handled.
    pub async fn invoke_raw(
        &self,
        window: &str,
        command: &str,
        args: impl Into<Vec<u8>>,
        binary: Vec<(String, Vec<u8>)>,
    ) -> Result<Output, InvokeError> {
        let mut message = Message::json(command, args.into(), window.into());
        for (key, bytes) in binary {
            let start = message.binary.len();
            message.binary.extend_from_slice(&bytes);
            message.parts.push(Part {
                key: key.into(),
                range: start..message.binary.len(),
            });
        }
        let runtime = tokio::runtime::Handle::try_current()
            .expect("MockApp::invoke must run inside a tokio runtime (e.g. #[tokio::test])");
        let message = self.admit(Kind::Invoke, message)?;
        match self.core.dispatch(&runtime, message).await? {
            Reply::Json(json) => Ok(Output::Json(json)),
            Reply::Binary(bytes) => Ok(Output::Binary(bytes)),
        }
    }

    /// Runs a sync command on this thread, skipping the blocking pool: only the
    /// framework's decode, route, call and encode. For benchmarks; `None` for
    /// async commands.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    #[inline]
    pub fn __call_inline(&self, command: &str, args: &[u8]) -> Option<Result<Reply, InvokeError>> {
        self.core.call_inline(command, args, DEFAULT_WINDOW)
    }
}

/// A channel as a page holds it, for tests: see [`MockApp::channel`].
#[derive(Debug)]
pub struct MockChannel {
    id: u64,
    window: Arc<str>,
    app: MockApp,
    rx: tokio::sync::Mutex<tokio::sync::mpsc::UnboundedReceiver<ChannelItem>>,
    /// Messages and bytes received so far (what `ack` reports).
    taken: Mutex<(u64, u64)>,
}

impl MockChannel {
    /// What to pass as the command's channel argument (what the page's
    /// `Channel` serializes to).
    pub fn arg(&self) -> serde_json::Value {
        serde_json::json!({ "__portcullisChannel": self.id })
    }

    /// The next message the command sent, in order; `None` once the Rust
    /// side dropped the channel and everything sent before was read. It is
    /// not acknowledged: call [`ack`](Self::ack), as the page does after its
    /// callback, or the command's `send` waits once the limits are reached.
    pub async fn recv(&self) -> Option<Output> {
        let item = self.rx.lock().await.recv().await?;
        match item {
            ChannelItem::Data { payload, .. } => {
                let mut taken = self.taken.lock().expect("channel lock");
                taken.0 += 1;
                Some(match payload {
                    ChannelPayload::Json(text) => {
                        taken.1 += text.len() as u64;
                        Output::Json(text.as_bytes().to_vec())
                    }
                    ChannelPayload::Bytes(bytes) => {
                        taken.1 += bytes.len() as u64;
                        Output::Binary(bytes.to_vec())
                    }
                })
            }
            ChannelItem::Closed => None,
        }
    }

    /// Acknowledges everything received so far, through the gate as the
    /// page's acknowledgement goes.
    pub fn ack(&self) -> Result<(), InvokeError> {
        let (messages, bytes) = *self.taken.lock().expect("channel lock");
        self.page_message(
            Kind::ChannelAck,
            serde_json::json!({ "id": self.id, "messages": messages, "bytes": bytes }),
        )
    }

    /// Closes it from the page's side: the command's next `send` fails.
    pub fn close(&self) -> Result<(), InvokeError> {
        self.page_message(Kind::ChannelClose, serde_json::json!({ "id": self.id }))
    }

    fn page_message(&self, kind: Kind, args: serde_json::Value) -> Result<(), InvokeError> {
        let args = serde_json::to_vec(&args).expect("a serde_json::Value always serializes");
        let message = self
            .app
            .admit(kind, Message::json("channel", args, self.window.clone()))?;
        self.app
            .core
            .channel_message(&message.window, kind, &message.args)
    }
}

impl Drop for MockChannel {
    fn drop(&mut self) {
        self.app
            .host
            .1
            .lock()
            .expect("recorder lock")
            .remove(&self.id);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::{Channel, command, commands};

    #[command]
    async fn forever(out: Channel<u32>) -> Result<(), String> {
        let mut n = 0;
        while out.send(n).await.is_ok() {
            n += 1;
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        Err("closed".into())
    }

    /// A page can only close (or acknowledge) its own window's channels: the
    /// same id sent from another window reaches nothing.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn another_windows_close_reaches_nothing() {
        let app = MockApp::new(commands![forever]);
        app.handle()
            .create_window(crate::WindowConfig::new("second"))
            .unwrap();
        let theirs = app.channel_from("second");
        let call = {
            let app = app.clone();
            let arg = theirs.arg();
            tokio::spawn(async move { app.invoke_from("second", "forever", json(arg)).await })
        };
        assert!(theirs.recv().await.is_some());
        // The same id, from "main": a close and a huge acknowledgement.
        let forged = MockChannel {
            id: theirs.id,
            window: "main".into(),
            app: app.clone(),
            rx: tokio::sync::Mutex::new(tokio::sync::mpsc::unbounded_channel().1),
            taken: Mutex::new((u64::MAX / 2, u64::MAX / 2)),
        };
        forged.ack().unwrap();
        forged.close().unwrap();
        std::mem::forget(forged);
        tokio::time::sleep(Duration::from_millis(30)).await;
        assert_eq!(app.channels_open(), 1, "still open");
        assert!(!call.is_finished());
        theirs.close().unwrap();
        let err = call.await.unwrap().unwrap_err();
        assert_eq!(err.message(), "closed");
    }

    fn json(arg: serde_json::Value) -> serde_json::Value {
        serde_json::json!({ "out": arg })
    }
}
