//! Cancellation: a call the page aborted (or whose page went away) drops its
//! async command's future at the next await and signals sync commands, which
//! see it through the [`Cancellation`] extractor.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use tokio_util::sync::CancellationToken;

use crate::{CommandArg, ErrorCode, Invoke, InvokeError};

/// Whether the call running this command was cancelled: by the page
/// (`invoke(cmd, args, { signal })` and `abort()`), or because its page
/// reloaded, navigated or its window closed. An extractor: take it as an
/// argument.
///
/// Async commands need not take it: a cancelled call's future is dropped at
/// its next `.await` that has to wait (its `Drop` runs; nothing after that
/// await does); one that takes it can `select!` on
/// [`cancelled`](Self::cancelled) to clean up first. Either way the call
/// settles with `ErrorCode::Cancelled`. Sync
/// commands cannot be stopped from outside: poll
/// [`is_cancelled`](Self::is_cancelled) in long loops; a sync command that
/// ignores it runs to the end and its reply is discarded.
///
/// ```
/// use portcullis::{command, Cancellation};
///
/// #[command]
/// fn export(cancel: Cancellation, rows: Vec<String>) -> Result<usize, String> {
///     for (done, _row) in rows.iter().enumerate() {
///         if cancel.is_cancelled() {
///             return Err(format!("cancelled after {done} rows"));
///         }
///         // ... write the row ...
///     }
///     Ok(rows.len())
/// }
/// ```
#[derive(Clone, Default)]
pub struct Cancellation(CancellationToken);

impl Cancellation {
    /// Whether the call was cancelled.
    pub fn is_cancelled(&self) -> bool {
        self.0.is_cancelled()
    }

    /// Completes when the call is cancelled (for `tokio::select!` in async
    /// commands that want to clean up before they are dropped).
    pub async fn cancelled(&self) {
        self.0.cancelled().await
    }

    pub(crate) fn cancel(&self) {
        self.0.cancel()
    }

    pub(crate) fn token(&self) -> &CancellationToken {
        &self.0
    }
}

impl fmt::Debug for Cancellation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cancellation")
            .field(&self.is_cancelled())
            .finish()
    }
}

impl<'a> CommandArg<'a> for Cancellation {
    fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        // A call that cannot be cancelled (MockApp::invoke) gets a token that
        // never fires.
        Ok(invoke.cancel.cloned().unwrap_or_default())
    }
}

/// The error a cancelled call settles with.
pub(crate) fn cancelled(command: &str) -> InvokeError {
    InvokeError::new(ErrorCode::Cancelled, format!("`{command}` was cancelled"))
        .with_command(command)
}

/// The cancellable calls in flight, by window and call id: what a `cancel`
/// message, a new page load and a closed window reach.
#[derive(Debug, Default)]
pub(crate) struct Calls(Mutex<HashMap<Arc<str>, HashMap<u64, Cancellation>>>);

impl Calls {
    /// Registers call `id` of `window`; the returned guard unregisters it
    /// when the call ends (dropped with the call's work).
    pub(crate) fn register(
        self: &Arc<Self>,
        window: &Arc<str>,
        id: u64,
    ) -> (Cancellation, Registered) {
        let cancel = Cancellation::default();
        self.0
            .lock()
            .expect("calls lock")
            .entry(window.clone())
            .or_default()
            .insert(id, cancel.clone());
        let registered = Registered {
            calls: Arc::clone(self),
            window: window.clone(),
            id,
        };
        (cancel, registered)
    }

    /// Cancels call `id` of `window`, if it is still running. A window can
    /// only reach its own calls. (Used by the web view's message kinds.)
    #[cfg_attr(not(feature = "webview"), allow(dead_code))]
    pub(crate) fn cancel(&self, window: &str, id: u64) -> bool {
        let calls = self.0.lock().expect("calls lock");
        match calls.get(window).and_then(|calls| calls.get(&id)) {
            Some(cancel) => {
                cancel.cancel();
                true
            }
            None => false,
        }
    }

    /// Cancels every call of `window` (its page went away, or it closed).
    #[cfg_attr(not(feature = "webview"), allow(dead_code))]
    pub(crate) fn cancel_window(&self, window: &str) -> usize {
        let calls = self.0.lock().expect("calls lock");
        let Some(calls) = calls.get(window) else {
            return 0;
        };
        for cancel in calls.values() {
            cancel.cancel();
        }
        calls.len()
    }

    /// Calls registered now, in every window.
    pub(crate) fn len(&self) -> usize {
        self.0
            .lock()
            .expect("calls lock")
            .values()
            .map(HashMap::len)
            .sum()
    }
}

/// Unregisters a call when dropped.
#[derive(Debug)]
pub(crate) struct Registered {
    calls: Arc<Calls>,
    window: Arc<str>,
    id: u64,
}

impl Drop for Registered {
    fn drop(&mut self) {
        let mut calls = self.calls.0.lock().expect("calls lock");
        if let Some(window) = calls.get_mut(&self.window) {
            window.remove(&self.id);
            if window.is_empty() {
                calls.remove(&self.window);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_are_reached_by_window_and_id_and_unregister_themselves() {
        let calls = Arc::new(Calls::default());
        let (main, other): (Arc<str>, Arc<str>) = ("main".into(), "other".into());
        let (a, a_guard) = calls.register(&main, 1);
        let (b, _b_guard) = calls.register(&main, 2);
        let (c, _c_guard) = calls.register(&other, 1);
        assert_eq!(calls.len(), 3);
        assert!(!calls.cancel("other", 2), "no such call");
        assert!(calls.cancel("main", 1));
        assert!(a.is_cancelled() && !b.is_cancelled() && !c.is_cancelled());
        drop(a_guard);
        assert!(!calls.cancel("main", 1), "gone once it ended");
        assert_eq!(calls.cancel_window("main"), 1);
        assert!(
            b.is_cancelled() && !c.is_cancelled(),
            "another window's calls are untouched"
        );
        assert_eq!(calls.len(), 2);
    }
}
