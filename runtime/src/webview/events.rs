//! Events in the web view: delivery to pages (the [`Outbox`]) and the
//! event messages pages send (`emit`, `listen`, `unlisten`), which reach
//! here only through the gate, by either door.
//!
//! Delivery. Which events a page gets and when is `events::subscriptions`.
//! Ready events of a window go to its page as one script per delivery, on
//! the main thread. The delivery is posted while the subscriptions are
//! locked, so per window, deliveries reach the main thread in the order the
//! events were emitted, from however many threads, and before anything
//! posted after the emit returned (the reply of the command that emitted,
//! say). The script runs only in a page of the app's origin and carries the
//! reply token, as reply scripts do. A payload over
//! [`MAX_EVENT_SCRIPT`](crate::wire::MAX_EVENT_SCRIPT) bytes is parked and
//! fetched by the page instead of being evaluated as script text: WebKit
//! keeps memory for the text of large evaluated scripts.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::platform::{self, MainThread};
use super::reply::Pages;
use super::{Shared, wait, windows};
use crate::Limits;
use crate::bytes::Reply;
use crate::channel::{ChannelItem, ChannelPayload};
use crate::dispatch::{Message, Response};
use crate::events::Emitted;
use crate::events::subscriptions::{Delivery, Subscriptions};
use crate::wire::{FIRST_EVENT_TICKET, Kind, MAX_EVENT_SCRIPT};

/// Events on their way to the pages.
pub(super) struct Outbox {
    subscriptions: Mutex<Subscriptions>,
    main_thread: MainThread,
    pages: Arc<Pages>,
    origin: String,
    token: String,
    next_ticket: AtomicU64,
    max_parked_bytes: usize,
    /// Payloads above this many bytes are fetched ([`MAX_EVENT_SCRIPT`]).
    pub(super) script_max: usize,
}

impl std::fmt::Debug for Outbox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Outbox").finish_non_exhaustive()
    }
}

impl Outbox {
    pub(super) fn new(
        main_thread: MainThread,
        pages: Arc<Pages>,
        origin: String,
        token: String,
        limits: &Limits,
    ) -> Self {
        Outbox {
            subscriptions: Mutex::new(Subscriptions::new(
                limits.max_held_events,
                limits.max_held_event_bytes,
            )),
            main_thread,
            pages,
            origin,
            token,
            next_ticket: AtomicU64::new(FIRST_EVENT_TICKET),
            max_parked_bytes: limits.max_parked_bytes,
            script_max: MAX_EVENT_SCRIPT,
        }
    }

    fn lock(&self) -> MutexGuard<'_, Subscriptions> {
        self.subscriptions.lock().expect("subscriptions lock")
    }

    /// An event for `window`'s page, from any thread.
    pub(super) fn emit(self: &Arc<Self>, window: Arc<str>, event: Emitted) {
        let mut subscriptions = self.lock();
        if subscriptions.emit(&window, event) {
            self.schedule(subscriptions, window);
        }
    }

    /// The page of `window` listens to `name` now.
    pub(super) fn listen(self: &Arc<Self>, window: &Arc<str>, name: &'static str) {
        let mut subscriptions = self.lock();
        if subscriptions.listen(window, name) {
            self.schedule(subscriptions, window.clone());
        }
    }

    /// Channel data (or its end) for `window`'s page, from any thread.
    pub(super) fn channel(self: &Arc<Self>, window: Arc<str>, id: u64, item: ChannelItem) {
        let mut subscriptions = self.lock();
        if subscriptions.channel(&window, id, item) {
            self.schedule(subscriptions, window);
        }
    }

    pub(super) fn unlisten(&self, window: &Arc<str>, name: &str) {
        self.lock().unlisten(window, name);
    }

    /// A page load committed in `window`; main thread.
    pub(super) fn page_loaded(&self, window: &Arc<str>) {
        self.lock().page_loaded(window);
    }

    pub(super) fn closed(&self, window: &str) {
        self.lock().closed(window);
    }

    /// Names `window`'s page listens to, and events waiting for it (tests).
    #[cfg(feature = "test-hooks")]
    pub(super) fn counts(&self, window: &str) -> (usize, usize) {
        self.lock().counts(window)
    }

    /// Posts a delivery for `window` while `locked` is held (so that
    /// deliveries keep the emit order); on the main thread, where posting
    /// would run it at once, it runs after the lock is released instead.
    fn schedule(self: &Arc<Self>, locked: MutexGuard<'_, Subscriptions>, window: Arc<str>) {
        if platform::on_main_thread() {
            drop(locked);
            self.deliver(&window);
        } else {
            let outbox = Arc::clone(self);
            self.main_thread.run(move || outbox.deliver(&window));
            wait::posted_to_loop();
            drop(locked);
        }
    }

    /// Runs what is ready for `window` in its page; main thread.
    fn deliver(&self, window: &Arc<str>) {
        let ready = self.lock().take_ready(window);
        if ready.is_empty() {
            return;
        }
        let Some(webview) = windows::open_webview(window) else {
            return;
        };
        let script = self.script(window, ready);
        if let Err(err) = webview.evaluate_script(&script) {
            tracing::warn!(window = %window, %err, "could not deliver events to the page");
        }
    }

    /// The script for what is ready, in order: runs of events become
    /// `events(TOKEN, [[NAME, PAYLOAD, SOURCE, MODE], ...])`, runs of channel
    /// items `channels(TOKEN, [[ID, SEQ, PAYLOAD, MODE, BYTES], ...])`. MODE
    /// 0: the payload is a JSON literal; 1: a string for `JSON.parse` (it
    /// holds a `"__proto__"` key, which a literal would turn into the
    /// prototype); 2: a ticket to fetch JSON by; 3: dropped (its page is
    /// gone, or it would leave too much unfetched); 4: a ticket to fetch raw
    /// bytes by; 5: the channel ended. BYTES is what the core counts against
    /// the channel's bound (the page acknowledges it).
    fn script(&self, window: &str, ready: Vec<Delivery>) -> String {
        let size: usize = ready
            .iter()
            .map(|d| match d {
                Delivery::Event(e) => e.payload.len().min(self.script_max) + e.name.len() + 32,
                Delivery::Channel { .. } => 64 + self.script_max.min(1024),
            })
            .sum();
        let remote = self.pages.remote_origin(window);
        let origin = remote.as_deref().unwrap_or(&self.origin);
        let mut script = String::with_capacity(size + origin.len() + 128);
        script.push_str("if(location.protocol+\"//\"+location.host===\"");
        script.push_str(origin);
        script.push_str("\"){const I=window.__PORTCULLIS_INTERNALS__;");
        let load = self.pages.current(window);
        // Which run is open: 0 none, 1 events, 2 channels.
        let mut run = 0;
        for delivery in ready {
            let kind = match delivery {
                Delivery::Event(_) => 1,
                Delivery::Channel { .. } => 2,
            };
            if kind != run {
                if run != 0 {
                    script.push_str("]);");
                }
                script.push_str(if kind == 1 {
                    "I.events(\""
                } else {
                    "I.channels(\""
                });
                script.push_str(&self.token);
                script.push_str("\",[");
                run = kind;
            } else {
                script.push(',');
            }
            match delivery {
                Delivery::Event(event) => {
                    script.push_str("[\"");
                    script.push_str(event.name);
                    script.push_str("\",");
                    let mode = self.payload(&mut script, window, load, &event.payload, false);
                    if mode == 3 {
                        tracing::warn!(window, event = event.name, "event dropped");
                    }
                    script.push(',');
                    match &event.source {
                        Some(source) => script.push_str(
                            &serde_json::to_string(&**source).expect("a string serializes"),
                        ),
                        None => script.push_str("null"),
                    }
                    let _ = write!(script, ",{mode}]");
                }
                Delivery::Channel { id, item } => {
                    let _ = write!(script, "[{id},");
                    match item {
                        ChannelItem::Data { seq, payload } => {
                            let _ = write!(script, "{seq},");
                            let (mode, len) = match &payload {
                                ChannelPayload::Json(text) => (
                                    self.payload(&mut script, window, load, text, false),
                                    text.len(),
                                ),
                                ChannelPayload::Bytes(bytes) => (
                                    self.park(&mut script, window, load, bytes, true),
                                    bytes.len(),
                                ),
                            };
                            let _ = write!(script, ",{mode},{len}]");
                        }
                        ChannelItem::Closed => script.push_str("0,null,5,0]"),
                    }
                }
            }
        }
        if run != 0 {
            script.push_str("]);");
        }
        script.push('}');
        script
    }

    /// Writes a JSON payload: as a literal, as text, or parked. Returns the mode.
    fn payload(&self, script: &mut String, window: &str, load: u64, text: &str, _: bool) -> u8 {
        if text.len() > self.script_max {
            self.park(script, window, load, text.as_bytes(), false)
        } else if text.contains("\"__proto__\"") {
            script.push_str(&serde_json::to_string(text).expect("a string serializes"));
            1
        } else {
            script.push_str(text);
            0
        }
    }

    /// Parks `bytes` for the page to fetch and writes the ticket (a string:
    /// tickets are above 2^53); mode 2 (JSON) or 4 (`raw`), or 3 and `null`
    /// when it could not be parked.
    fn park(&self, script: &mut String, window: &str, load: u64, bytes: &[u8], raw: bool) -> u8 {
        let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
        match self
            .pages
            .park(window, load, ticket, bytes.to_vec(), self.max_parked_bytes)
        {
            Ok(true) => {
                let _ = write!(script, "\"{ticket}\"");
                if raw { 4 } else { 2 }
            }
            // The page has gone (the script will not run), or its unfetched
            // results are over the limit.
            outcome => {
                if let Err(err) = outcome {
                    tracing::warn!(window, %err, "a payload for the page was dropped");
                }
                script.push_str("null");
                3
            }
        }
    }
}

impl Shared {
    /// An admitted event message (`emit`, `listen`, `unlisten`) from the page
    /// of `window`, by either door. The reply settles the page's promise.
    pub(super) fn event_message(
        &self,
        window: &Arc<str>,
        kind: Kind,
        message: Message,
    ) -> Response {
        let null = || Ok(Reply::Json(b"null".to_vec()));
        let events = &self.core.events;
        match kind {
            Kind::Emit => {
                self.core
                    .page_event(window, &message.command, &message.args, None)?;
                null()
            }
            Kind::Listen => {
                let name = events.known(&message.command)?;
                self.outbox.listen(window, name);
                null()
            }
            Kind::Unlisten => {
                let name = events.known(&message.command)?;
                self.outbox.unlisten(window, name);
                null()
            }
            Kind::Invoke | Kind::Cancel | Kind::ChannelAck | Kind::ChannelClose => {
                unreachable!("not an event message")
            }
        }
    }
}
