//! A web process that dies (a crash, the OS's out-of-memory killer, a `kill`)
//! takes only its page with it. The core keeps running with its state and its
//! other windows, and the window reloads its page in a new web process. A page
//! whose process keeps dying is not reloaded forever.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use glib::prelude::ObjectExt;
use wry::{WebView, WebViewExtUnix};

/// Reloads allowed per window within [`PERIOD`].
const MAX_RELOADS: usize = 3;
const PERIOD: Duration = Duration::from_secs(60);

/// When `webview`'s web process ends, reloads its page (main thread only).
pub(crate) fn reload_when_the_web_process_dies(webview: &WebView, label: Arc<str>) {
    let reloads = RefCell::new(Reloads::default());
    webview
        .webview()
        .connect_local("web-process-terminated", false, move |values| {
            // The signal's argument: crashed, exceeded the memory limit, or
            // terminated by the app.
            let reason = values.get(1).map(|v| format!("{v:?}")).unwrap_or_default();
            if !reloads.borrow_mut().allow(Instant::now()) {
                tracing::error!(
                    window = %label,
                    reason,
                    "the page's web process ended again; not reloading it \
                     ({MAX_RELOADS} reloads within {PERIOD:?} already)"
                );
                return None;
            }
            tracing::error!(
                window = %label,
                reason,
                "the page's web process ended; reloading the page (the app's state is kept)"
            );
            let label = label.clone();
            // Not from inside the signal: WebKit is still tearing the process down.
            glib::idle_add_local_once(move || {
                if let Some(webview) = super::windows::open_webview(&label)
                    && let Err(err) = webview.reload()
                {
                    tracing::error!(window = %label, %err, "could not reload the page");
                }
            });
            None
        });
}

/// The reloads of one window in the last [`PERIOD`].
#[derive(Debug, Default)]
struct Reloads {
    recent: VecDeque<Instant>,
}

impl Reloads {
    /// Whether a reload at `now` is allowed; counts it if so.
    fn allow(&mut self, now: Instant) -> bool {
        while self
            .recent
            .front()
            .is_some_and(|&at| now.saturating_duration_since(at) >= PERIOD)
        {
            self.recent.pop_front();
        }
        if self.recent.len() >= MAX_RELOADS {
            return false;
        }
        self.recent.push_back(now);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_that_keeps_dying_is_reloaded_a_bounded_number_of_times() {
        let mut reloads = Reloads::default();
        let t0 = Instant::now();
        let at = |s: u64| t0 + Duration::from_secs(s);
        assert!(reloads.allow(at(0)));
        assert!(reloads.allow(at(10)));
        assert!(reloads.allow(at(20)));
        assert!(!reloads.allow(at(30)), "a fourth death within a minute");
        assert!(!reloads.allow(at(59)), "still within a minute of the first");
        assert!(reloads.allow(at(60)), "the first reload is a minute old");
        assert!(!reloads.allow(at(61)));
        assert!(reloads.allow(at(200)), "quiet for a while: reloads again");
    }
}
