//! The seam between the core and what runs it: the web-view runtime (an
//! event loop owning real windows) or `MockApp` (which records what it was
//! asked). The core sends requests through [`Host`] and never imports the
//! web view.

use std::fmt;
use std::sync::Arc;

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
}
