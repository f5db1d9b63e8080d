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
use crate::dispatch::{Message, Response};
use crate::events::Emitted;
use crate::events::subscriptions::Subscriptions;
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
            wait::posting_to_loop();
            let outbox = Arc::clone(self);
            self.main_thread.run(move || outbox.deliver(&window));
            drop(locked);
        }
    }

    /// Runs what is ready for `window` in its page; main thread.
    fn deliver(&self, window: &Arc<str>) {
        let events = self.lock().take_ready(window);
        if events.is_empty() {
            return;
        }
        let Some(webview) = windows::open_webview(window) else {
            return;
        };
        let script = self.script(window, events);
        if let Err(err) = webview.evaluate_script(&script) {
            tracing::warn!(window = %window, %err, "could not deliver events to the page");
        }
    }

    /// `events(TOKEN, [[NAME, PAYLOAD, SOURCE, MODE], ...])`: MODE 0, the
    /// payload is a JSON literal; 1, a string for `JSON.parse` (it holds a
    /// `"__proto__"` key, which a literal would turn into the prototype); 2,
    /// a ticket to fetch it by.
    fn script(&self, window: &str, events: Vec<Emitted>) -> String {
        let size: usize = events
            .iter()
            .map(|e| e.payload.len().min(self.script_max) + e.name.len() + 32)
            .sum();
        let remote = self.pages.remote_origin(window);
        let origin = remote.as_deref().unwrap_or(&self.origin);
        let mut script = String::with_capacity(size + origin.len() + 128);
        script.push_str("if(location.protocol+\"//\"+location.host===\"");
        script.push_str(origin);
        script.push_str("\")window.__PORTCULLIS_INTERNALS__.events(\"");
        script.push_str(&self.token);
        script.push_str("\",[");
        let load = self.pages.current(window);
        for (i, event) in events.into_iter().enumerate() {
            if i > 0 {
                script.push(',');
            }
            script.push_str("[\"");
            script.push_str(event.name);
            script.push_str("\",");
            let mode = if event.payload.len() > self.script_max {
                let ticket = self.next_ticket.fetch_add(1, Ordering::Relaxed);
                let bytes = event.payload.as_bytes().to_vec();
                match self
                    .pages
                    .park(window, load, ticket, bytes, self.max_parked_bytes)
                {
                    Ok(true) => {}
                    // The page has gone (the script will not run), or its
                    // unfetched results are over the limit: mode 3, dropped.
                    outcome => {
                        if let Err(err) = outcome {
                            tracing::warn!(window, event = event.name, %err, "event dropped");
                        }
                        script.push_str("null,null,3]");
                        continue;
                    }
                }
                let _ = write!(script, "\"{ticket}\"");
                2
            } else if event.payload.contains("\"__proto__\"") {
                script.push_str(
                    &serde_json::to_string(&*event.payload).expect("a string serializes"),
                );
                1
            } else {
                script.push_str(&event.payload);
                0
            };
            script.push(',');
            match &event.source {
                Some(source) => {
                    script.push_str(&serde_json::to_string(&**source).expect("a string serializes"))
                }
                None => script.push_str("null"),
            }
            let _ = write!(script, ",{mode}]");
        }
        script.push_str("]);");
        script
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
            Kind::Invoke | Kind::Cancel => unreachable!("not an event message"),
        }
    }
}
