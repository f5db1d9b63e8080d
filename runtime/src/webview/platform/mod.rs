//! Everything that differs between the desktop platforms, in one place:
//! how a closure reaches the main thread, how a web view is put in a window,
//! what a crashed web process does, and the origin pages are served from.
//!
//! | | Linux (WebKitGTK) | macOS (WKWebView) | Windows (WebView2) |
//! |---|---|---|---|
//! | page origin of scheme `app` | `app://localhost` | `app://localhost` | `http://app.localhost` |
//! | scheme requests reach the handler as | `app://localhost/...` | the same | the same (wry maps them back) |
//! | a closure to the main thread | glib main-context `invoke` (one wake-up) | tao's event loop proxy | tao's event loop proxy |
//! | web view in the window | `build_gtk` into the window's GTK box | `build(&window)` | `build(&window)` |
//! | web process crash | reload, bounded (`recover`) | not detected: wry 0.57 exposes no content-process event | not detected: wry 0.57 exposes no process-failed event |
//! | wry features | `linux-body` (POST bodies) | none | none |
//!
//! The tests run on Linux; CI type-checks (and lints) the workspace for
//! Windows and macOS.

#[cfg(target_os = "linux")]
mod linux;
#[cfg(target_os = "linux")]
pub(super) use linux::{MainThread, build, watch_web_process};

#[cfg(not(target_os = "linux"))]
mod other;
#[cfg(not(target_os = "linux"))]
pub(super) use other::{MainThread, build, watch_web_process};

use std::sync::OnceLock;
use std::thread::ThreadId;

use crate::host::HostRequest;

/// The thread the event loop runs on, set when the app starts.
static MAIN_THREAD: OnceLock<ThreadId> = OnceLock::new();

/// Records this thread as the main thread (the first app's; a process runs
/// its event loop on one thread).
pub(crate) fn set_main_thread() {
    let _ = MAIN_THREAD.set(std::thread::current().id());
}

/// Whether this is the event loop's thread.
pub(crate) fn on_main_thread() -> bool {
    MAIN_THREAD.get() == Some(&std::thread::current().id())
}

/// The event loop's user events.
pub(crate) enum LoopEvent {
    /// A request of the core (open a window, set a title, ...).
    Host(HostRequest),
    /// A closure to run on the main thread (where glib cannot carry it).
    #[cfg(not(target_os = "linux"))]
    Run(Box<dyn FnOnce() + Send>),
}

impl std::fmt::Debug for LoopEvent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            LoopEvent::Host(request) => request.fmt(f),
            #[cfg(not(target_os = "linux"))]
            LoopEvent::Run(_) => f.write_str("Run(..)"),
        }
    }
}

/// The desktop platforms, for the origin rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Platform {
    Linux,
    MacOs,
    Windows,
}

/// The platform this build runs on.
pub(crate) const CURRENT: Platform = if cfg!(target_os = "windows") {
    Platform::Windows
} else if cfg!(target_os = "macos") {
    Platform::MacOs
} else {
    Platform::Linux
};

/// The origin pages see for a custom scheme of ours: `scheme://localhost`,
/// except on Windows, where WebView2 serves custom schemes as
/// `http://scheme.localhost` (wry's workaround; wry's `with_https_scheme`
/// is left off).
pub(crate) fn page_origin_for(platform: Platform, scheme: &str) -> String {
    match platform {
        Platform::Windows => format!("http://{scheme}.localhost"),
        Platform::Linux | Platform::MacOs => format!("{scheme}://localhost"),
    }
}

/// [`page_origin_for`] on this platform.
pub(crate) fn page_origin(scheme: &str) -> String {
    page_origin_for(CURRENT, scheme)
}

/// The host scheme requests reach the handler with, on every platform (wry
/// hands Windows' `http://scheme.localhost/...` requests over as
/// `scheme://localhost/...`).
pub(crate) const REQUEST_HOST: &str = "localhost";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_platform_has_its_origin_form_and_it_parses_as_an_origin() {
        let cases = [
            (Platform::Linux, "app://localhost"),
            (Platform::MacOs, "app://localhost"),
            (Platform::Windows, "http://app.localhost"),
        ];
        for (platform, expected) in cases {
            let origin = page_origin_for(platform, "app");
            assert_eq!(origin, expected, "{platform:?}");
            // A URL parser reads back exactly this origin (what the
            // navigation check and the gate compare against).
            let url = url::Url::parse(&format!("{origin}/index.html")).unwrap();
            let reparsed = match url.port() {
                Some(port) => format!("{}://{}:{port}", url.scheme(), url.host_str().unwrap()),
                None => format!("{}://{}", url.scheme(), url.host_str().unwrap()),
            };
            assert_eq!(reparsed, origin, "{platform:?}");
        }
        assert_eq!(
            page_origin_for(Platform::Windows, "portcullis-isolation"),
            "http://portcullis-isolation.localhost"
        );
        assert_eq!(page_origin("app"), page_origin_for(CURRENT, "app"));
    }
}
