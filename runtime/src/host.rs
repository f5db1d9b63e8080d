//! The seam between the core and what runs it: the web-view runtime (an
//! event loop owning real windows) or `MockApp` (which records what it was
//! asked). The core sends requests through [`Host`] and never imports the
//! web view.

use std::fmt;
use std::sync::Arc;

use crate::events::Emitted;
use crate::{Result, WindowConfig};

/// Something the core asks of the windows. Requests from one thread reach
/// the host in the order they were sent.
#[derive(Debug)]
pub(crate) enum HostRequest {
    /// Run a script in the window's current page.
    Eval {
        window: Arc<str>,
        script: String,
    },
    /// Deliver an event to the window's page (when it listens; else hold it).
    Emit {
        window: Arc<str>,
        event: Emitted,
    },
    /// Data for (or the end of) channel `id` of the window's page.
    Channel {
        #[cfg_attr(not(feature = "webview"), allow(dead_code))]
        window: Arc<str>,
        id: u64,
        item: crate::channel::ChannelItem,
    },
    SetTitle {
        window: Arc<str>,
        title: String,
    },
    Close {
        window: Arc<str>,
    },
    Open(WindowConfig),
    Exit,
}

/// What runs the core. One method, like tower's `Service`: small enough for a
/// web view and a test double to implement alike.
pub(crate) trait Host: Send + Sync + fmt::Debug {
    /// Hands `request` to the windows; fails once the app has stopped.
    fn send(&self, request: HostRequest) -> Result<()>;

    /// `test-hooks` only: event names `window`'s page listens to, and
    /// events waiting for it.
    #[cfg(feature = "test-hooks")]
    fn event_counts(&self, window: &str) -> (usize, usize) {
        let _ = window;
        (0, 0)
    }
}
