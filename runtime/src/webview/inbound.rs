//! A message posted by a page (`window.ipc.postMessage`), from the gate to
//! its command, and the reply back to the page load that made the call.
//! (The fetch transport's door is in `protocol`; both end in the same gate.)

use std::sync::Arc;
use std::time::Instant;

use super::reply::{Load, reply_script};
use super::{Shared, windows};
use crate::dispatch::Response;
use crate::gate::{Admitted, Arrival, Refused};
use crate::wire::Kind;

impl Shared {
    /// Handles a message posted by the page in window `label` (`page`: the
    /// main frame's URL, whatever frame posted). Main thread: admits, starts
    /// the call, returns.
    pub(super) fn on_message(self: &Arc<Self>, label: &Arc<str>, page: &str, body: &str) {
        let load = self.pages.current(label);
        match self
            .core
            .gate
            .admit(label, Arrival::Posted { page, text: body })
        {
            Ok(admitted) => {
                tracing::debug!(
                    window = %label,
                    id = admitted.id,
                    kind = admitted.kind.as_str(),
                    command = %admitted.message.command,
                    "message admitted"
                );
                self.run(label, load, admitted)
            }
            Err(Refused { id, error }) => {
                tracing::warn!(window = %label, code = %error.code(), %error, "IPC message refused");
                // Only a sender that proved the key learns why.
                if let Some(id) = id {
                    self.settle(label.clone(), load, id, Err(error));
                }
            }
        }
    }

    fn run(self: &Arc<Self>, label: &Arc<str>, load: Load, admitted: Admitted) {
        match admitted.kind {
            Kind::Invoke => self.start(label, load, admitted),
            Kind::Cancel => {
                let found = self.core.calls.cancel(label, admitted.id);
                tracing::debug!(window = %label, id = admitted.id, found, "call cancelled by its page");
            }
            kind @ (Kind::ChannelAck | Kind::ChannelClose) => {
                let response = self
                    .core
                    .channel_message(label, kind, &admitted.message.args)
                    .map(|()| crate::bytes::Reply::Json(b"null".to_vec()));
                self.settle(label.clone(), load, admitted.id, response);
            }
            kind @ (Kind::Emit | Kind::Listen | Kind::Unlisten) => {
                let response = self.event_message(label, kind, admitted.message);
                if let Err(err) = &response {
                    tracing::warn!(window = %label, kind = kind.as_str(), code = %err.code(), %err, "event message refused");
                }
                self.settle(label.clone(), load, admitted.id, response);
            }
        }
    }

    /// Runs a message-transport call and delivers its reply to call `id`:
    /// at once when it comes within the reply wait, else through the loop.
    fn start(self: &Arc<Self>, label: &Arc<str>, load: Load, admitted: Admitted) {
        let Admitted {
            id, mut message, ..
        } = admitted;
        self.core.cancellable(&mut message, id);
        let started = Instant::now();
        let slot = self
            .reply_wait
            .slot(&message.command, self.core.idle(), started);
        let shared = Arc::clone(self);
        let to = label.clone();
        let offered = slot.clone();
        let command = message.command.clone();
        self.core.spawn(&self.runtime, message, move |response| {
            shared.reply_wait.finished(&command, started.elapsed());
            tracing::debug!(window = %to, id, %command, ok = response.is_ok(), "call answered");
            let response = match offered {
                Some(slot) => match slot.offer(response) {
                    Ok(()) => return,
                    Err(response) => response,
                },
                None => response,
            };
            shared.settle(to, load, id, response)
        });
        if let Some(slot) = slot
            && let Some(response) = self.reply_wait.wait(&slot)
        {
            self.settle(label.clone(), load, id, response);
        }
    }

    /// Settles call `id` of page load `load` in window `label`, if that page
    /// is still there (checked now, and on the main thread before the script
    /// runs).
    pub(super) fn settle(
        self: &Arc<Self>,
        label: Arc<str>,
        load: Load,
        id: u64,
        response: Response,
    ) {
        if !self.pages.is_current(&label, load) {
            tracing::debug!(window = %label, id, "reply dropped: its page has gone");
            return;
        }
        let remote = self.pages.remote_origin(&label);
        let origin = remote.as_deref().unwrap_or(&self.origin);
        let (script, parked) = reply_script(origin, &self.reply_token, id, response);
        let script = match parked {
            None => script,
            Some(bytes) => {
                match self
                    .pages
                    .park(&label, load, id, bytes, self.core.limits.max_parked_bytes)
                {
                    Ok(true) => script,
                    Ok(false) => return,
                    Err(err) => reply_script(origin, &self.reply_token, id, Err(err)).0,
                }
            }
        };
        let shared = Arc::clone(self);
        windows::deliver_reply(&self.main_thread, label, script, move |label| {
            shared.pages.is_current(label, load)
        });
    }
}
