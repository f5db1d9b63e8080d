//! Channels: a command streams values to the page that called it.
//!
//! The page makes a `Channel` (portcullis-api) and passes it as an argument;
//! the command gets a [`Channel<T>`] bound to that page's window and call.
//! What the command sends goes to the page in order (per channel), as JSON,
//! or for `Channel<Bytes>` as raw bytes the page fetches (never JSON arrays,
//! base64 or script text). The page acknowledges what its callback has
//! taken; at most [`Limits::channel_messages`](crate::Limits) messages and
//! [`Limits::channel_bytes`](crate::Limits) bytes may be unacknowledged, and
//! beyond that [`send`](Channel::send) waits (backpressure) and
//! [`try_send`](Channel::try_send) says [`ChannelError::Full`].
//!
//! A channel closes when the page closes it, its page reloads or navigates,
//! its window closes, or its call is cancelled: then `send` fails with
//! [`ChannelError::Closed`] (at once for a waiting `send`). Dropping the
//! Rust side closes it for the page (its `onclose` runs, after the data).
//!
//! Page-to-core channel messages (acknowledgements, close) pass the gate
//! like every message (isolation included); they reach only the channels of
//! the window that sends them, and acknowledgements are cumulative counts,
//! so a repeated one changes nothing. Data from the core to the page needs
//! no encryption: the isolation pattern guards what a page may ask of the
//! core, and the core already writes into that page (as replies and events
//! do, with a script only that page's origin runs, carrying a token no page
//! sends).

use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, Weak};

use serde::Serialize;
use serde::de::{self, Deserializer};
use tokio::sync::Notify;

use crate::bytes::as_raw_bytes;
use crate::dispatch::Core;
use crate::host::HostRequest;
use crate::types::{Ty, Type, TypeGraph};
use crate::{Cancellation, CommandArg, ErrorCode, Invoke, InvokeError};

/// Why a value was not sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// The page closed the channel, its page reloaded or navigated, its
    /// window closed, or the call was cancelled. Nothing more can be sent.
    #[error("the channel is closed (the page closed it or went away, or the call was cancelled)")]
    Closed,
    /// [`try_send`](Channel::try_send) only: the page has not acknowledged
    /// enough yet; `send` would wait.
    #[error("the channel is full: the page has not taken what was sent yet")]
    Full,
    /// The value does not serialize as JSON.
    #[error("the value does not serialize")]
    Serialize,
}

/// One message on its way to the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChannelPayload {
    /// JSON text.
    Json(Arc<str>),
    /// Raw bytes (`Channel<Bytes>`): fetched by the page.
    Bytes(Arc<[u8]>),
}

impl ChannelPayload {
    fn len(&self) -> usize {
        match self {
            ChannelPayload::Json(text) => text.len(),
            ChannelPayload::Bytes(bytes) => bytes.len(),
        }
    }
}

/// A value a command streams to the page that called it. See the module docs.
///
/// ```
/// use portcullis::{Channel, command};
///
/// #[derive(Clone, serde::Serialize, portcullis::Type)]
/// struct Progress { done: u64, total: u64 }
///
/// #[command]
/// async fn work(progress: Channel<Progress>) -> Result<(), String> {
///     for done in 1..=10 {
///         progress.send(Progress { done, total: 10 }).await.map_err(|e| e.to_string())?;
///     }
///     Ok(())
/// }
/// ```
pub struct Channel<T> {
    id: u64,
    state: Option<Arc<State>>,
    _values: PhantomData<fn(T)>,
}

impl<T> fmt::Debug for Channel<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Channel")
            .field("id", &self.id)
            .field("closed", &self.is_closed())
            .finish()
    }
}

/// A channel's shared state: what the core and the page's messages reach.
pub(crate) struct State {
    id: u64,
    window: Arc<str>,
    core: Weak<Core>,
    flow: Mutex<Flow>,
    changed: Notify,
    cancel: Option<Cancellation>,
    max_messages: u64,
    max_bytes: u64,
}

#[derive(Default)]
struct Flow {
    seq: u64,
    sent_messages: u64,
    sent_bytes: u64,
    acked_messages: u64,
    acked_bytes: u64,
    closed: bool,
}

impl Flow {
    fn unacked(&self) -> (u64, u64) {
        (
            self.sent_messages - self.acked_messages,
            self.sent_bytes - self.acked_bytes,
        )
    }
}

impl State {
    fn is_closed(&self) -> bool {
        self.flow.lock().expect("channel lock").closed
            || self.cancel.as_ref().is_some_and(Cancellation::is_cancelled)
    }

    /// Closes it from the core's side of things (page closed, reload,
    /// window gone); waiting senders fail at once.
    pub(crate) fn close(&self) {
        self.flow.lock().expect("channel lock").closed = true;
        self.changed.notify_waiters();
    }

    /// The page took `messages` messages and `bytes` bytes so far
    /// (cumulative: repeating an acknowledgement changes nothing, and one
    /// beyond what was sent is capped).
    pub(crate) fn ack(&self, messages: u64, bytes: u64) {
        let mut flow = self.flow.lock().expect("channel lock");
        flow.acked_messages = flow.acked_messages.max(messages.min(flow.sent_messages));
        flow.acked_bytes = flow.acked_bytes.max(bytes.min(flow.sent_bytes));
        drop(flow);
        self.changed.notify_waiters();
    }

    /// Reserves room for a message of `len` bytes: `Ok(Some(seq))`, or
    /// `Ok(None)` when full. A message larger than the byte bound goes when
    /// nothing is unacknowledged, so it is never stuck.
    fn reserve(&self, len: u64) -> Result<Option<u64>, ChannelError> {
        let mut flow = self.flow.lock().expect("channel lock");
        if flow.closed || self.cancel.as_ref().is_some_and(Cancellation::is_cancelled) {
            return Err(ChannelError::Closed);
        }
        let (messages, bytes) = flow.unacked();
        let fits = messages == 0
            || (messages < self.max_messages && bytes.saturating_add(len) <= self.max_bytes);
        if !fits {
            return Ok(None);
        }
        flow.seq += 1;
        flow.sent_messages += 1;
        flow.sent_bytes += len;
        Ok(Some(flow.seq))
    }

    fn deliver(&self, seq: u64, payload: ChannelPayload) -> Result<(), ChannelError> {
        let core = self.core.upgrade().ok_or(ChannelError::Closed)?;
        let host = core.host.get().ok_or(ChannelError::Closed)?;
        host.send(HostRequest::Channel {
            window: self.window.clone(),
            id: self.id,
            item: ChannelItem::Data { seq, payload },
        })
        .map_err(|_| ChannelError::Closed)
    }

    /// Unacknowledged (messages, bytes), for tests and the benchmark.
    pub(crate) fn unacked(&self) -> (u64, u64) {
        self.flow.lock().expect("channel lock").unacked()
    }
}

/// What a window's page is told about one of its channels.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ChannelItem {
    /// Message number `seq` (from 1).
    Data { seq: u64, payload: ChannelPayload },
    /// The Rust side is done: no more data; the page's `onclose` runs.
    Closed,
}

impl<T> Channel<T> {
    /// The channel's id (the page chose it).
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Whether nothing more can be sent (see [`ChannelError::Closed`]).
    pub fn is_closed(&self) -> bool {
        self.state.as_ref().is_none_or(|s| s.is_closed())
    }

    /// Messages and bytes sent and not yet acknowledged by the page.
    pub fn unacknowledged(&self) -> (u64, u64) {
        self.state.as_ref().map_or((0, 0), |s| s.unacked())
    }

    fn state(&self) -> Result<&Arc<State>, ChannelError> {
        self.state.as_ref().ok_or(ChannelError::Closed)
    }
}

impl<T: Serialize> Channel<T> {
    fn encode(value: &T) -> Result<ChannelPayload, ChannelError> {
        if let Some(bytes) = as_raw_bytes(value, true) {
            return Ok(ChannelPayload::Bytes(bytes.into()));
        }
        serde_json::to_string(value)
            .map(|text| ChannelPayload::Json(text.into()))
            .map_err(|_| ChannelError::Serialize)
    }

    /// Sends `value` to the page, waiting while the page is behind (more
    /// than the limits unacknowledged). Fails once the channel is closed,
    /// also while waiting.
    pub async fn send(&self, value: T) -> Result<(), ChannelError> {
        let state = self.state()?;
        let payload = Self::encode(&value)?;
        let len = payload.len() as u64;
        loop {
            let changed = state.changed.notified();
            tokio::pin!(changed);
            // Registered before the check: a change between the two wakes us.
            changed.as_mut().enable();
            if let Some(seq) = state.reserve(len)? {
                return state.deliver(seq, payload);
            }
            match &state.cancel {
                Some(cancel) => {
                    if cancel.token().run_until_cancelled(changed).await.is_none() {
                        return Err(ChannelError::Closed);
                    }
                }
                None => changed.await,
            }
        }
    }

    /// Sends `value` now, or fails with [`ChannelError::Full`] when `send`
    /// would wait.
    pub fn try_send(&self, value: T) -> Result<(), ChannelError> {
        let state = self.state()?;
        let payload = Self::encode(&value)?;
        match state.reserve(payload.len() as u64)? {
            Some(seq) => state.deliver(seq, payload),
            None => Err(ChannelError::Full),
        }
    }
}

impl<T> Drop for Channel<T> {
    fn drop(&mut self) {
        let Some(state) = self.state.take() else {
            return;
        };
        let Some(core) = state.core.upgrade() else {
            return;
        };
        core.channels.remove(&state.window, state.id);
        let closed_by_page =
            std::mem::replace(&mut state.flow.lock().expect("channel lock").closed, true);
        if !closed_by_page && let Some(host) = core.host.get() {
            let _ = host.send(HostRequest::Channel {
                window: state.window.clone(),
                id: state.id,
                item: ChannelItem::Closed,
            });
        }
    }
}

/// The open channels, by window and id: what a page's acknowledgements and
/// closes reach, and what a new page load or a closed window closes.
#[derive(Debug, Default)]
pub(crate) struct Channels(Mutex<HashMap<ChannelKey, Weak<State>>>);

/// A channel's window and id.
type ChannelKey = (Arc<str>, u64);

impl fmt::Debug for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("id", &self.id)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

impl Channels {
    fn insert(&self, state: &Arc<State>) -> bool {
        let mut map = self.0.lock().expect("channels lock");
        let key = (state.window.clone(), state.id);
        if map.get(&key).is_some_and(|s| s.strong_count() > 0) {
            return false;
        }
        map.insert(key, Arc::downgrade(state));
        true
    }

    fn remove(&self, window: &Arc<str>, id: u64) {
        self.0
            .lock()
            .expect("channels lock")
            .remove(&(window.clone(), id));
    }

    /// The open channel `id` of `window`.
    pub(crate) fn get(&self, window: &Arc<str>, id: u64) -> Option<Arc<State>> {
        self.0
            .lock()
            .expect("channels lock")
            .get(&(window.clone(), id))
            .and_then(Weak::upgrade)
    }

    /// Closes every channel of `window` (a new page load, a closed window).
    #[cfg_attr(not(feature = "webview"), allow(dead_code))]
    pub(crate) fn close_window(&self, window: &str) -> usize {
        let mut map = self.0.lock().expect("channels lock");
        let mut closed = Vec::new();
        map.retain(|(label, _), state| {
            if &**label == window {
                closed.extend(state.upgrade());
                false
            } else {
                true
            }
        });
        drop(map);
        for state in &closed {
            state.close();
        }
        closed.len()
    }

    /// Open channels, over every window.
    pub(crate) fn len(&self) -> usize {
        self.0
            .lock()
            .expect("channels lock")
            .values()
            .filter(|s| s.strong_count() > 0)
            .count()
    }
}

/// How a page passes a channel: `{"__portcullisChannel": id}` (what the JS
/// `Channel`'s `toJSON` writes).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Handle {
    #[serde(rename = "__portcullisChannel")]
    id: u64,
}

impl<'a, T: Serialize + Type> CommandArg<'a> for Channel<T> {
    fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        Err(InvokeError::new(
            ErrorCode::InvalidArgs,
            format!(
                "command `{}` takes a channel: pass a `new Channel(...)`",
                invoke.command()
            ),
        ))
    }

    const __FROM_ARGS: bool = true;

    fn __absent(invoke: &Invoke<'a>, key: &'static str) -> Result<Self, InvokeError> {
        Err(InvokeError::new(
            ErrorCode::InvalidArgs,
            format!(
                "command `{}` is missing argument \"{key}\" (expected a Channel: pass a `new Channel(...)`)",
                invoke.command()
            ),
        )
        .with_arg(key))
    }

    fn __from_json<D: Deserializer<'a>>(deserializer: D) -> Result<Self, D::Error> {
        let Handle { id } =
            serde::Deserialize::deserialize(deserializer).map_err(|err: D::Error| {
                de::Error::custom(format_args!("expected a Channel ({err})"))
            })?;
        Ok(Channel {
            id,
            state: None,
            _values: PhantomData,
        })
    }

    fn __bind(mut self, invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        let limits = invoke.core.limits;
        let state = Arc::new(State {
            id: self.id,
            window: invoke.window.into(),
            core: Arc::downgrade(invoke.core),
            flow: Mutex::default(),
            changed: Notify::new(),
            cancel: invoke.cancel.cloned(),
            max_messages: limits.channel_messages as u64,
            max_bytes: limits.channel_bytes as u64,
        });
        if !invoke.core.channels.insert(&state) {
            return Err(InvokeError::new(
                ErrorCode::InvalidArgs,
                format!("channel {} is already in use by another call", self.id),
            ));
        }
        self.state = Some(state);
        Ok(self)
    }

    fn __describe(graph: &mut TypeGraph) -> Option<Ty> {
        Some(Ty::Channel(Box::new(T::describe(graph))))
    }
}

/// What a page's channel message carries.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct PageMessage {
    id: u64,
    #[serde(default)]
    messages: u64,
    #[serde(default)]
    bytes: u64,
}

impl Core {
    /// A channel message (`channel-ack`, `channel-close`) from the page of
    /// `window`, admitted by the gate. It reaches only that window's
    /// channels; one for a channel that is gone does nothing.
    pub(crate) fn channel_message(
        &self,
        window: &Arc<str>,
        kind: crate::wire::Kind,
        args: &[u8],
    ) -> Result<(), InvokeError> {
        let message: PageMessage = serde_json::from_slice(args).map_err(|err| {
            InvokeError::new(
                ErrorCode::InvalidArgs,
                format!("malformed channel message: {err}"),
            )
        })?;
        let Some(state) = self.channels.get(window, message.id) else {
            return Ok(());
        };
        match kind {
            crate::wire::Kind::ChannelClose => {
                state.close();
                self.channels.remove(window, message.id);
            }
            _ => state.ack(message.messages, message.bytes),
        }
        Ok(())
    }
}
