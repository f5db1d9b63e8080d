//! Which events each window's page listens to, and what waits for it: pure
//! bookkeeping, used by the web view's event delivery and unit-tested here.
//!
//! - An event emitted to a window whose page listens to its name is *ready*:
//!   it goes to the page with the next delivery, in emit order.
//! - Otherwise it is *held* for the window (at most `Limits::max_held_events`
//!   events and `max_held_event_bytes` bytes; beyond, the oldest are dropped
//!   with a warning) until the page's first listener for that name registers:
//!   then the held events of that name become ready, in order, before any
//!   later one. So an event emitted before the page has loaded, or before its
//!   script got to `listen`, is not lost.
//! - An event a page emitted, relayed to the pages, is not held: it goes to
//!   the pages that listen to it when it arrives.
//! - A new page load (reload, navigation) starts fresh: it has no listeners,
//!   and nothing ready for the old page goes to it. Events held for a page
//!   that listened to something are dropped with it; a page that never
//!   listened (the window's first page still loading, a page without events)
//!   hands its held events on to the next page.

#![cfg_attr(not(feature = "webview"), allow(dead_code))]

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::Arc;

use super::Emitted;
use crate::channel::ChannelItem;

/// Something ready for a window's page, in the order it was sent.
#[derive(Debug)]
pub(crate) enum Delivery {
    Event(Emitted),
    /// Data for (or the end of) one of the page's channels: never held.
    Channel {
        id: u64,
        item: ChannelItem,
    },
}

/// Every window's subscriptions.
#[derive(Debug)]
pub(crate) struct Subscriptions {
    windows: HashMap<Arc<str>, Window>,
    max_held: usize,
    max_held_bytes: usize,
}

#[derive(Debug, Default)]
struct Window {
    listening: HashSet<&'static str>,
    held: VecDeque<Emitted>,
    held_bytes: usize,
    ready: Vec<Delivery>,
    /// A delivery of `ready` is on its way to the main thread.
    scheduled: bool,
    /// The current page has listened to something.
    page_listened: bool,
}

impl Window {
    /// Makes `delivery` ready; true when a delivery must be scheduled.
    fn ready(&mut self, delivery: Delivery) -> bool {
        self.ready.push(delivery);
        !std::mem::replace(&mut self.scheduled, true)
    }
}

impl Subscriptions {
    pub(crate) fn new(max_held: usize, max_held_bytes: usize) -> Self {
        Subscriptions {
            windows: HashMap::new(),
            max_held,
            max_held_bytes,
        }
    }

    fn window(&mut self, label: &Arc<str>) -> &mut Window {
        self.windows.entry(label.clone()).or_default()
    }

    /// An event for `label`'s page. True when the caller must schedule a
    /// delivery ([`take_ready`](Self::take_ready) on the main thread).
    pub(crate) fn emit(&mut self, label: &Arc<str>, event: Emitted) -> bool {
        let (max_held, max_bytes) = (self.max_held, self.max_held_bytes);
        let window = self.window(label);
        if window.listening.contains(event.name) {
            return window.ready(Delivery::Event(event));
        }
        // A page's event relayed to the pages goes to those listening now:
        // holding a copy for every window that never listens would cost
        // each a share of the bound for nothing.
        if event.source.is_some() {
            return false;
        }
        window.held_bytes += event.payload.len();
        window.held.push_back(event);
        let mut dropped = 0;
        while window.held.len() > max_held || window.held_bytes > max_bytes {
            let Some(oldest) = window.held.pop_front() else {
                break;
            };
            window.held_bytes -= oldest.payload.len();
            dropped += 1;
        }
        if dropped > 0 {
            tracing::warn!(
                window = %label,
                dropped,
                "events dropped: the page did not listen to them and more than \
                 Limits::max_held_events (or max_held_event_bytes) were waiting"
            );
        }
        false
    }

    /// The page of `label` listens to `name` now: its held events of that
    /// name become ready. True when a delivery must be scheduled.
    pub(crate) fn listen(&mut self, label: &Arc<str>, name: &'static str) -> bool {
        let window = self.window(label);
        window.page_listened = true;
        if !window.listening.insert(name) {
            return false;
        }
        let mut schedule = false;
        let held = std::mem::take(&mut window.held);
        for event in held {
            if event.name == name {
                window.held_bytes -= event.payload.len();
                schedule |= window.ready(Delivery::Event(event));
            } else {
                window.held.push_back(event);
            }
        }
        schedule
    }

    /// Channel data (or its end) for `label`'s page: ready at once. True
    /// when a delivery must be scheduled.
    pub(crate) fn channel(&mut self, label: &Arc<str>, id: u64, item: ChannelItem) -> bool {
        self.window(label).ready(Delivery::Channel { id, item })
    }

    /// The page of `label` no longer listens to `name`.
    pub(crate) fn unlisten(&mut self, label: &Arc<str>, name: &str) {
        if let Some(window) = self.windows.get_mut(label) {
            window.listening.remove(name);
        }
    }

    /// What is ready for `label`'s page, in emit order; the next event
    /// schedules a new delivery.
    pub(crate) fn take_ready(&mut self, label: &str) -> Vec<Delivery> {
        match self.windows.get_mut(label) {
            Some(window) => {
                window.scheduled = false;
                std::mem::take(&mut window.ready)
            }
            None => Vec::new(),
        }
    }

    /// A new page committed in `label` (see the module docs).
    pub(crate) fn page_loaded(&mut self, label: &Arc<str>) {
        let window = self.window(label);
        window.listening.clear();
        window.ready.clear();
        if std::mem::take(&mut window.page_listened) {
            window.held.clear();
            window.held_bytes = 0;
        }
    }

    pub(crate) fn closed(&mut self, label: &str) {
        self.windows.remove(label);
    }

    /// Event names listened to, summed over the windows.
    #[cfg(test)]
    fn registrations(&self) -> usize {
        self.windows.values().map(|w| w.listening.len()).sum()
    }

    /// Events held (and ready, not yet delivered), summed over the windows.
    #[cfg(test)]
    fn waiting(&self) -> usize {
        self.windows
            .values()
            .map(|w| w.held.len() + w.ready.len())
            .sum()
    }

    /// Event names `label`'s page listens to, and events waiting for it.
    #[cfg(feature = "test-hooks")]
    pub(crate) fn counts(&self, label: &str) -> (usize, usize) {
        self.windows.get(label).map_or((0, 0), |w| {
            (w.listening.len(), w.held.len() + w.ready.len())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(name: &'static str, payload: &str) -> Emitted {
        Emitted {
            name,
            payload: payload.into(),
            source: None,
        }
    }

    fn payloads(ready: Vec<Delivery>) -> Vec<String> {
        ready
            .into_iter()
            .map(|d| match d {
                Delivery::Event(e) => e.payload.to_string(),
                Delivery::Channel { id, .. } => format!("channel {id}"),
            })
            .collect()
    }

    #[test]
    fn held_until_the_first_listener_then_in_order() {
        let main: Arc<str> = "main".into();
        let mut subs = Subscriptions::new(100, 1 << 20);
        assert!(!subs.emit(&main, event("a", "1")));
        assert!(!subs.emit(&main, event("b", "2")));
        assert!(!subs.emit(&main, event("a", "3")));
        assert_eq!(subs.waiting(), 3);
        // Listening to `a` readies both `a`s, in order; `b` stays held.
        assert!(subs.listen(&main, "a"));
        assert!(!subs.emit(&main, event("a", "4")), "already scheduled");
        assert_eq!(payloads(subs.take_ready("main")), ["1", "3", "4"]);
        assert!(subs.emit(&main, event("a", "5")), "a new delivery");
        assert_eq!(payloads(subs.take_ready("main")), ["5"]);
        // Listening twice readies nothing more.
        assert!(!subs.listen(&main, "a"));
        assert!(subs.listen(&main, "b"));
        assert_eq!(payloads(subs.take_ready("main")), ["2"]);
        assert_eq!(subs.registrations(), 2);
        subs.unlisten(&main, "a");
        assert!(!subs.emit(&main, event("a", "6")), "held again");
        assert_eq!(subs.registrations(), 1);
        // Relayed page events are not held.
        let waiting = subs.waiting();
        let relayed = Emitted {
            source: Some("second".into()),
            ..event("c", "7")
        };
        assert!(!subs.emit(&main, relayed));
        assert_eq!(subs.waiting(), waiting);
    }

    #[test]
    fn the_oldest_are_dropped_beyond_the_bounds() {
        let main: Arc<str> = "main".into();
        let mut subs = Subscriptions::new(3, 1 << 20);
        for i in 0..10 {
            subs.emit(&main, event("a", &i.to_string()));
        }
        subs.listen(&main, "a");
        assert_eq!(payloads(subs.take_ready("main")), ["7", "8", "9"]);
        // By bytes: 4 + 4 fits in 8, a third does not.
        let mut subs = Subscriptions::new(100, 8);
        for p in ["1111", "2222", "3333"] {
            subs.emit(&main, event("a", p));
        }
        subs.listen(&main, "a");
        assert_eq!(payloads(subs.take_ready("main")), ["2222", "3333"]);
    }

    #[test]
    fn a_new_page_starts_fresh() {
        let main: Arc<str> = "main".into();
        let mut subs = Subscriptions::new(100, 1 << 20);
        // The first page has not listened yet: what is held waits for the next.
        subs.emit(&main, event("a", "early"));
        subs.page_loaded(&main);
        subs.listen(&main, "a");
        assert_eq!(payloads(subs.take_ready("main")), ["early"]);
        // This page listened: on reload its listeners, what was ready for it
        // and what was held for it go.
        subs.emit(&main, event("a", "ready"));
        subs.emit(&main, event("b", "held"));
        subs.page_loaded(&main);
        assert_eq!(subs.registrations(), 0);
        assert_eq!(subs.waiting(), 0);
        assert!(subs.take_ready("main").is_empty());
        // 1,000 listen/unlisten cycles and reloads leave nothing behind.
        for _ in 0..1000 {
            subs.listen(&main, "a");
            subs.listen(&main, "b");
            subs.unlisten(&main, "a");
            subs.page_loaded(&main);
        }
        assert_eq!(subs.registrations(), 0);
        subs.closed("main");
        assert!(subs.windows.is_empty());
    }
}
