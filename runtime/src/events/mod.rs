//! Events: typed messages either way between the core and the pages, with no
//! call to answer.
//!
//! - Core to page: [`AppHandle::emit`](crate::AppHandle::emit) (every
//!   window), [`emit_to`](crate::AppHandle::emit_to) and
//!   [`Window::emit`](crate::Window::emit) (one window). The payload is
//!   serialized once and handed to the host for each window; what happens
//!   there (held until the page listens, delivered in order) is the host's
//!   part (see `subscriptions`).
//! - Page to core: a message of kind `emit` through the gate like any other.
//!   Only registered events are accepted; the payload is decoded into the
//!   event's type (the same checked decoding as arguments: a wrong field is
//!   `invalid_args` naming it) and then handed to the app's listeners
//!   ([`AppBuilder::on_event`](crate::AppBuilder::on_event)) on the events
//!   thread, one event at a time in the order they were admitted, and relayed
//!   to the pages (every window, or the one `emitTo` names).

pub(crate) mod subscriptions;

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Arc, Mutex, OnceLock, mpsc};

use rustc_hash::FxHashMap;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::schema::Describe;
use crate::{Error, ErrorCode, InvokeError, Type};

/// A type that travels as an event: `#[derive(portcullis::Event)]` implements
/// it. The payload is the type's JSON (serde); the name is the type's name in
/// kebab-case (`TodoAdded` is `"todo-added"`) unless `#[event(name = "...")]`
/// says otherwise. Names follow the command name rule (1 to 128 ASCII
/// letters, digits and `_ . : -`, starting with a letter or `_`), checked at
/// compile time.
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not an event",
    label = "not a #[derive(portcullis::Event)] type",
    note = "events are types with #[derive(Serialize, Deserialize, Clone, portcullis::Type, portcullis::Event)]"
)]
pub trait AppEvent: Serialize + DeserializeOwned + Clone + Type + Send + Sync + 'static {
    /// The event's name on the wire.
    const NAME: &'static str;

    /// The type's doc comment, for the bindings.
    #[doc(hidden)]
    const DOCS: &'static str = "";

    /// What the registry stores of this event.
    #[doc(hidden)]
    const ENTRY: EventEntry = EventEntry::of::<Self>();
}

/// An event a page emitted, as an [`on_event`](crate::AppBuilder::on_event)
/// listener receives it.
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub struct Event<T> {
    /// The payload, decoded and checked like a command's argument.
    pub payload: T,
    /// The label of the window whose page emitted it.
    pub window: String,
}

impl<T> Event<T> {
    /// The payload.
    pub fn payload(&self) -> &T {
        &self.payload
    }

    /// The label of the window whose page emitted it.
    pub fn window(&self) -> &str {
        &self.window
    }

    /// Takes the payload.
    pub fn into_payload(self) -> T {
        self.payload
    }
}

/// One registered event: its name, docs, type and decoder.
#[doc(hidden)]
#[derive(Clone, Copy)]
pub struct EventEntry {
    pub(crate) name: &'static str,
    pub(crate) docs: &'static str,
    pub(crate) describe: Describe,
    type_id: fn() -> TypeId,
    type_name: fn() -> &'static str,
    decode: fn(&[u8]) -> Result<Incoming, InvokeError>,
}

impl fmt::Debug for EventEntry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("EventEntry").field(&self.name).finish()
    }
}

impl EventEntry {
    /// The entry of `T`. Fails const evaluation when `T::NAME` is not a valid name.
    pub const fn of<T: AppEvent>() -> EventEntry {
        crate::__private::assert_event_name(T::NAME);
        EventEntry {
            name: T::NAME,
            docs: T::DOCS,
            describe: T::describe,
            type_id: TypeId::of::<T>,
            type_name: std::any::type_name::<T>,
            decode: decode::<T>,
        }
    }
}

/// What a page's `emit` carries: the payload, and the window it is for
/// (`emitTo`), if any.
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct EmitArgs<T> {
    payload: T,
    #[serde(default)]
    to: Option<String>,
}

/// A page's event, decoded: the payload as its type (for the listeners) and
/// as JSON again (for the pages it is relayed to: only what the type keeps).
pub(crate) struct Incoming {
    payload: Box<dyn Any + Send>,
    json: Arc<str>,
    to: Option<String>,
}

fn decode<T: AppEvent>(args: &[u8]) -> Result<Incoming, InvokeError> {
    let invalid = |path: &str, err: &dyn fmt::Display| {
        let error = InvokeError::new(
            ErrorCode::InvalidArgs,
            format!("event `{}`: invalid payload at `{path}`: {err}", T::NAME),
        );
        if path == "." {
            error
        } else {
            error.with_arg(path)
        }
    };
    let mut de = serde_json::Deserializer::from_slice(args);
    let decoded: EmitArgs<T> = serde_path_to_error::deserialize(&mut de)
        .map_err(|err| invalid(&err.path().to_string(), err.inner()))?;
    de.end().map_err(|err| invalid(".", &err))?;
    let json = serde_json::to_string(&decoded.payload).map_err(|err| {
        InvokeError::new(
            ErrorCode::InvalidArgs,
            format!("event `{}`: the payload does not serialize: {err}", T::NAME),
        )
    })?;
    Ok(Incoming {
        payload: Box::new(decoded.payload),
        json: json.into(),
        to: decoded.to,
    })
}

/// A set of events, built with [`events!`](crate::events) and combined with
/// [`merge`](Events::merge).
///
/// ```
/// use portcullis::{Event, Type, events};
/// use serde::{Deserialize, Serialize};
///
/// /// A todo was added.
/// #[derive(Clone, Serialize, Deserialize, Type, Event)]
/// struct TodoAdded { id: u64, title: String }
///
/// #[derive(Clone, Serialize, Deserialize, Type, Event)]
/// #[event(name = "progress")]
/// struct Progress { done: u32, total: u32 }
///
/// let all = events![TodoAdded, Progress];
/// assert!(all.contains("todo-added") && all.contains("progress"));
/// ```
#[derive(Clone, Default)]
pub struct Events {
    map: FxHashMap<&'static str, EventEntry>,
}

impl Events {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    #[doc(hidden)]
    pub fn __from_entries(entries: &'static [EventEntry]) -> Self {
        let mut events = Events::new();
        for entry in entries {
            events.map.insert(entry.name, *entry);
        }
        events
    }

    /// The registry with `T` in it (no change if it already is).
    pub fn with<T: AppEvent>(self) -> Result<Events, DuplicateEvent> {
        let mut one = Events::new();
        one.map.insert(T::NAME, T::ENTRY);
        self.merge(one)
    }

    /// Combines two registries. The same type in both is fine; two types
    /// with one event name are an error naming both.
    pub fn merge(mut self, other: Events) -> Result<Events, DuplicateEvent> {
        for (name, entry) in other.map {
            if let Some(existing) = self.map.get(name) {
                if (existing.type_id)() == (entry.type_id)() {
                    continue;
                }
                return Err(DuplicateEvent {
                    name,
                    first: (existing.type_name)(),
                    second: (entry.type_name)(),
                });
            }
            self.map.insert(name, entry);
        }
        Ok(self)
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Whether an event with this name is registered.
    pub fn contains(&self, name: &str) -> bool {
        self.map.contains_key(name)
    }

    /// The registered event names, sorted.
    pub fn names(&self) -> Vec<&'static str> {
        let mut names: Vec<&'static str> = self.map.keys().copied().collect();
        names.sort_unstable();
        names
    }

    /// The entries, sorted by name (for the bindings).
    pub(crate) fn entries(&self) -> Vec<EventEntry> {
        let mut entries: Vec<EventEntry> = self.map.values().copied().collect();
        entries.sort_by_key(|entry| entry.name);
        entries
    }

    fn get(&self, name: &str) -> Option<&EventEntry> {
        self.map.get(name)
    }
}

impl fmt::Debug for Events {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.names()).finish()
    }
}

/// Two registries define an event with the same name.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "event `{name}` is defined twice: by `{first}` and by `{second}`; \
     give one of them #[event(name = \"...\")]"
)]
pub struct DuplicateEvent {
    name: &'static str,
    first: &'static str,
    second: &'static str,
}

impl DuplicateEvent {
    /// The event name both types have.
    pub fn name(&self) -> &'static str {
        self.name
    }
}

/// Fails const evaluation when two entries share a name; called by `events!`.
#[doc(hidden)]
pub const fn assert_unique_events(entries: &[EventEntry]) {
    let mut i = 0;
    while i < entries.len() {
        let mut j = i + 1;
        while j < entries.len() {
            if crate::registry::str_eq(entries[i].name, entries[j].name) {
                panic!(
                    "two events in events![...] have the same name (or one is listed twice); \
                     give one of them #[event(name = \"...\")]"
                );
            }
            j += 1;
        }
        i += 1;
    }
}

/// An event on its way to a page: serialized once, shared by every window
/// it goes to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Emitted {
    pub(crate) name: &'static str,
    /// The payload's JSON text.
    pub(crate) payload: Arc<str>,
    /// The window whose page emitted it; `None` for the core.
    pub(crate) source: Option<Arc<str>>,
}

type Listener = Arc<dyn Fn(&(dyn Any + Send), &str) + Send + Sync>;

impl fmt::Debug for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Job")
            .field("name", &self.name)
            .field("window", &self.window)
            .finish_non_exhaustive()
    }
}

/// A page's event on its way to the listeners.
struct Job {
    name: &'static str,
    payload: Box<dyn Any + Send>,
    window: Arc<str>,
    /// Told when every listener has run (`MockApp` waits for it).
    done: Option<tokio::sync::oneshot::Sender<()>>,
}

/// The app's events: the registry and the core's listeners.
#[derive(Default)]
pub(crate) struct Hub {
    registry: Events,
    listeners: HashMap<&'static str, Vec<Listener>>,
    /// The events thread, started with the first page event that has a
    /// listener; it ends when the core is dropped.
    thread: OnceLock<Mutex<mpsc::Sender<Job>>>,
    /// The first name clash while events were added.
    clash: Option<DuplicateEvent>,
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub")
            .field("registry", &self.registry)
            .field("listeners", &self.listeners.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Hub {
    /// Registers `events` (a name clash is reported by [`check`](Self::check)).
    pub(crate) fn add_events(&mut self, events: Events) {
        self.merge(|registry| registry.merge(events));
    }

    /// Adds a listener for page events of type `T` (registering `T`).
    pub(crate) fn add_listener<T: AppEvent>(
        &mut self,
        f: impl Fn(Event<T>) + Send + Sync + 'static,
    ) {
        self.merge(|registry| registry.with::<T>());
        let listener: Listener = Arc::new(move |payload, window| {
            let payload = payload
                .downcast_ref::<T>()
                .expect("a listener gets its own event's type")
                .clone();
            f(Event {
                payload,
                window: window.to_owned(),
            })
        });
        self.listeners.entry(T::NAME).or_default().push(listener);
    }

    fn merge(&mut self, f: impl FnOnce(Events) -> Result<Events, DuplicateEvent>) {
        let registry = std::mem::take(&mut self.registry);
        match f(registry.clone()) {
            Ok(merged) => self.registry = merged,
            Err(err) => {
                self.registry = registry;
                self.clash.get_or_insert(err);
            }
        }
    }

    /// The first name clash among the registered events, if any.
    pub(crate) fn check(&self) -> Result<(), DuplicateEvent> {
        match &self.clash {
            Some(err) => Err(err.clone()),
            None => Ok(()),
        }
    }
}

pub(crate) fn unknown_event(name: &str) -> InvokeError {
    InvokeError::new(
        ErrorCode::UnknownEvent,
        format!("no event named `{name}` is registered (AppBuilder::events)"),
    )
    .with_command(name)
}

// The web view is what asks for these (bindings it serves, listen messages).
#[cfg_attr(not(feature = "webview"), allow(dead_code))]
impl Hub {
    pub(crate) fn registry(&self) -> &Events {
        &self.registry
    }

    /// Checks that a page may name `name` (listen, unlisten, emit).
    pub(crate) fn known(&self, name: &str) -> Result<&'static str, InvokeError> {
        self.registry
            .get(name)
            .map(|entry| entry.name)
            .ok_or_else(|| unknown_event(name))
    }

    /// Serializes an event the core emits.
    pub(crate) fn outgoing<T: AppEvent>(&self, event: &T) -> crate::Result<Emitted> {
        if !self.registry.contains(T::NAME) {
            return Err(Error::msg(format!(
                "event `{}` ({}) is not registered: add it with .events(events![...])",
                T::NAME,
                std::any::type_name::<T>()
            )));
        }
        let payload = serde_json::to_string(event)
            .map_err(|err| Error::msg(format!("event `{}` does not serialize: {err}", T::NAME)))?;
        Ok(Emitted {
            name: T::NAME,
            payload: payload.into(),
            source: None,
        })
    }

    /// A page's event, admitted by the gate: decoded and checked (nothing
    /// runs yet). Returns the event to relay, the window it is for, and the
    /// job for the listeners (if any listen).
    fn incoming(
        &self,
        window: &Arc<str>,
        name: &str,
        args: &[u8],
        done: Option<tokio::sync::oneshot::Sender<()>>,
    ) -> Result<(Emitted, Option<String>, Option<Job>), InvokeError> {
        let entry = self.registry.get(name).ok_or_else(|| unknown_event(name))?;
        let args: &[u8] = if args.is_empty() { b"{}" } else { args };
        let incoming = (entry.decode)(args).map_err(|err| err.with_command(entry.name))?;
        let emitted = Emitted {
            name: entry.name,
            payload: incoming.json,
            source: Some(window.clone()),
        };
        let job = self.listeners.contains_key(entry.name).then(|| Job {
            name: entry.name,
            payload: incoming.payload,
            window: window.clone(),
            done,
        });
        Ok((emitted, incoming.to, job))
    }

    fn send(&self, job: Job) {
        let sender = self.thread.get_or_init(|| {
            let (tx, rx) = mpsc::channel::<Job>();
            let listeners = self.listeners.clone();
            std::thread::Builder::new()
                .name("portcullis-events".into())
                .spawn(move || run_listeners(&listeners, rx))
                .expect("the events thread starts");
            Mutex::new(tx)
        });
        // The thread only ends when this sender is dropped.
        let _ = sender.lock().expect("events sender lock").send(job);
    }
}

/// The events thread: each page event to its listeners, in order. A panic
/// in a listener is logged; the others, and later events, still run.
fn run_listeners(listeners: &HashMap<&'static str, Vec<Listener>>, jobs: mpsc::Receiver<Job>) {
    for job in jobs {
        for listener in listeners.get(job.name).into_iter().flatten() {
            let ran = panic::catch_unwind(AssertUnwindSafe(|| {
                listener(job.payload.as_ref(), &job.window)
            }));
            if ran.is_err() {
                tracing::error!(event = job.name, window = %job.window, "an event listener panicked");
            }
        }
        if let Some(done) = job.done {
            let _ = done.send(());
        }
    }
}

impl crate::dispatch::Core {
    /// An event the page of `window` emitted, admitted by the gate: decoded
    /// and checked, then (only if all is well) handed to the listeners and
    /// relayed to the pages: every window's, or `to`'s only. `done` is told
    /// when the listeners have run.
    pub(crate) fn page_event(
        &self,
        window: &Arc<str>,
        name: &str,
        args: &[u8],
        done: Option<tokio::sync::oneshot::Sender<()>>,
    ) -> Result<(), InvokeError> {
        let (event, to, job) = self.events.incoming(window, name, args, done)?;
        if let Some(to) = &to
            && !self
                .windows
                .lock()
                .expect("windows lock")
                .contains(to.as_str())
        {
            return Err(InvokeError::new(
                ErrorCode::InvalidArgs,
                format!("event `{name}`: no window labelled `{to}` is open"),
            )
            .with_command(event.name)
            .with_arg("to"));
        }
        if let Some(job) = job {
            self.events.send(job);
        }
        self.send_event(to.as_deref(), event).map_err(|err| {
            InvokeError::new(ErrorCode::Internal, err.to_string()).with_command(name)
        })
    }

    /// Sends `event` to window `to`'s page, or to every window's.
    pub(crate) fn send_event(&self, to: Option<&str>, event: Emitted) -> crate::Result<()> {
        let host = self
            .host
            .get()
            .ok_or_else(|| Error::msg("the app is not running"))?;
        let targets: Vec<Arc<str>> =
            {
                let windows = self.windows.lock().expect("windows lock");
                match to {
                    Some(label) => vec![windows.get(label).cloned().ok_or_else(|| {
                        Error::msg(format!("no window labelled `{label}` is open"))
                    })?],
                    None => windows.iter().cloned().collect(),
                }
            };
        for window in targets {
            host.send(crate::host::HostRequest::Emit {
                window,
                event: event.clone(),
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
