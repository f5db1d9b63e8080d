//! The one door: every message a page sends, by either transport and of
//! every kind, passes [`Gate::admit`], and what it returns ([`Admitted`]) is
//! the only thing the core acts on.
//!
//! In order, for every message: it comes from a page the app served (the main
//! frame's URL, or the request's host and `Origin`), it carries this run's key,
//! then, with isolation on, it is an envelope that opens under the window's
//! session for this transport (see [`isolation`]), whose plaintext is one
//! frame (see [`frame`]); with isolation off, the plain forms. Last, the name
//! it carries is a valid name. Later checks (capabilities) go in
//! [`Gate::check`], so they cover every kind by construction.
//!
//! The gate knows nothing of the web view: the host hands it what arrived
//! (pure data), which is also how it is unit-tested and fuzzed.

// Without the web view only `check` has a caller (MockApp); the transports'
// parts still build, so unit tests and fuzzing reach them without GTK.
#![cfg_attr(not(feature = "webview"), allow(dead_code))]

pub(crate) mod frame;
pub(crate) mod isolation;

use std::sync::Arc;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use crate::capability::Permissions;
use crate::dispatch::Message;
use crate::wire::{Kind, Transport, is_valid_name};
use crate::{ErrorCode, InvokeError};

pub(crate) use isolation::{SessionKey, Sessions};

/// A message that passed every check: the only value the core accepts.
#[derive(Debug)]
pub(crate) struct Admitted {
    pub(crate) kind: Kind,
    /// The origin of the page that sent it when it is not the app's own (a
    /// remote origin some capability names); `None` for the app's pages.
    pub(crate) origin: Option<Arc<str>>,
    /// The call id the reply goes to (0 on the plain fetch transport, whose
    /// reply is the HTTP response).
    pub(crate) id: u64,
    pub(crate) message: Message,
}

/// A message the gate refused. Nothing ran.
#[derive(Debug)]
pub(crate) struct Refused {
    /// The call to settle with the error: only when the sender proved it holds
    /// the key (our own script), so a refusal is never an oracle for others.
    pub(crate) id: Option<u64>,
    pub(crate) error: InvokeError,
}

/// What arrived, as the host received it.
#[derive(Debug)]
pub(crate) enum Arrival<'a> {
    /// Message transport: the main frame's URL (whatever frame posted) and
    /// the posted text.
    Posted { page: &'a str, text: &'a str },
    /// Fetch transport.
    Fetched(Fetched),
}

/// A fetch-transport request: the parts the gate reads.
#[derive(Debug, Default)]
pub(crate) struct Fetched {
    /// The request URL's host.
    pub(crate) host: Option<String>,
    /// The `Origin` header, if any.
    pub(crate) origin: Option<Vec<u8>>,
    pub(crate) key: Option<Vec<u8>>,
    /// The call id header of a plain call (isolation off).
    pub(crate) id: Option<Vec<u8>>,
    pub(crate) envelope: Option<Vec<u8>>,
    pub(crate) call: Option<Vec<u8>>,
    pub(crate) body: Vec<u8>,
}

/// The checks, and what they need to know.
#[derive(Debug)]
pub(crate) struct Gate {
    /// This run's IPC key: only the injected script holds it.
    key: Box<str>,
    /// The app's origin (`app://localhost`) and its host.
    origin: Box<str>,
    host: Box<str>,
    /// Largest accepted arguments (`Limits::max_args_bytes`): envelopes are
    /// refused by size before anything is decoded.
    max_args_bytes: usize,
    /// Some when isolation is on.
    pub(crate) isolation: Option<Sessions>,
    /// The app's capabilities: who may send what.
    pub(crate) permissions: Permissions,
}

fn forbidden(why: &str) -> InvokeError {
    InvokeError::new(ErrorCode::Forbidden, format!("IPC refused: {why}"))
}

fn refused(id: Option<u64>) -> impl FnOnce(InvokeError) -> Refused {
    move |error| Refused { id, error }
}

/// Opens an envelope that arrived on `window` by `transport` and parses its
/// plaintext: the one frame, whichever transport carried it.
fn open(
    sessions: &Sessions,
    window: &Arc<str>,
    transport: Transport,
    envelope: isolation::Envelope,
) -> Result<(u64, frame::Parsed), Refused> {
    let id = envelope.id;
    let plaintext = sessions
        .open(window, transport, envelope)
        .map_err(refused(Some(id)))?;
    let parsed = frame::parse_frame(plaintext, window).map_err(refused(Some(id)))?;
    Ok((id, parsed))
}

impl Gate {
    pub(crate) fn new(
        key: String,
        origin: &str,
        host: &str,
        max_args_bytes: usize,
        isolation: bool,
    ) -> Self {
        Gate {
            key: key.into(),
            origin: origin.into(),
            host: host.into(),
            max_args_bytes,
            isolation: isolation.then(Sessions::default),
            permissions: Permissions::default(),
        }
    }

    /// The run's key, for the injected script's configuration.
    pub(crate) fn key(&self) -> &str {
        &self.key
    }

    /// Whether `key` is this run's key.
    pub(crate) fn is_key(&self, key: &[u8]) -> bool {
        key == self.key.as_bytes()
    }

    /// Whether `url` is a page of the app's origin. Web views report
    /// normalized URLs, so the origin followed by `/` is an exact check.
    pub(crate) fn is_app_page(&self, url: &str) -> bool {
        url.strip_prefix(&*self.origin)
            .is_some_and(|rest| rest.starts_with('/'))
    }

    /// The one door. Runs every check in order; see the module docs.
    pub(crate) fn admit(
        &self,
        window: &Arc<str>,
        arrival: Arrival<'_>,
    ) -> Result<Admitted, Refused> {
        let size = match &arrival {
            Arrival::Posted { text, .. } => text.len(),
            Arrival::Fetched(fetched) => fetched.body.len(),
        };
        let admitted = match arrival {
            Arrival::Posted { page, text } => self.posted(window, page, text),
            Arrival::Fetched(fetched) => self.fetched(window, fetched),
        };
        // A large message's buffers are freed soon after this (a refused
        // one at once): give the memory back then (`memory.rs`).
        crate::memory::after_large(size);
        self.check(admitted?)
    }

    /// The origin of `page` when a remote capability names it (`Some`), the
    /// app's own (`None`), or neither (refused).
    fn page_origin(&self, page: &str) -> Result<Option<Arc<str>>, Refused> {
        if self.is_app_page(page) {
            return Ok(None);
        }
        if let Some(origin) = crate::capability::page_origin(page)
            && self.permissions.remote_origins().any(|o| o == origin)
            && self.isolation.is_none()
        {
            return Ok(Some(origin.into()));
        }
        Err(refused(None)(forbidden(
            "the page was not served by the app, and no capability names its origin",
        )))
    }

    fn posted(&self, window: &Arc<str>, page: &str, text: &str) -> Result<Admitted, Refused> {
        let origin = self.page_origin(page)?;
        let rest = text
            .strip_prefix(&*self.key)
            .and_then(|rest| rest.strip_prefix('\n'))
            .ok_or_else(|| {
                refused(None)(forbidden(
                    "no valid key (a sub-frame, or a script that is not ours)",
                ))
            })?;
        let (id, parsed) = match &self.isolation {
            Some(sessions) => {
                let id = rest.split('\n').next().and_then(|id| id.parse().ok());
                // Base64 is 4/3 of the bytes, plus the tag and the small fields.
                if rest.len()
                    > (self.max_args_bytes / 3)
                        .saturating_mul(4)
                        .saturating_add(256)
                {
                    return Err(refused(id)(self.too_large(rest.len())));
                }
                let envelope = isolation::parse_posted(rest).map_err(refused(id))?;
                open(sessions, window, Transport::Message, envelope)?
            }
            None => {
                frame::parse_plain(rest, window).map_err(|(id, error)| Refused { id, error })?
            }
        };
        Ok(Admitted {
            kind: parsed.kind,
            origin,
            id,
            message: parsed.message,
        })
    }

    /// The fetch transport's first checks, also asked by the other requests
    /// only our script makes (a parked result): for the app's host, from the
    /// app's origin (when the web view says), with this run's key.
    pub(crate) fn check_request(
        &self,
        host: Option<&str>,
        origin: Option<&[u8]>,
        key: Option<&[u8]>,
    ) -> Result<(), InvokeError> {
        if host != Some(&*self.host) {
            return Err(forbidden("request for another host"));
        }
        if origin.is_some_and(|origin| origin != self.origin.as_bytes()) {
            return Err(forbidden("request from another origin"));
        }
        if !key.is_some_and(|key| self.is_key(key)) {
            return Err(forbidden("missing or wrong key"));
        }
        Ok(())
    }

    fn fetched(&self, window: &Arc<str>, fetched: Fetched) -> Result<Admitted, Refused> {
        self.check_request(
            fetched.host.as_deref(),
            fetched.origin.as_deref(),
            fetched.key.as_deref(),
        )
        .map_err(refused(None))?;
        let (id, parsed) = match &self.isolation {
            Some(sessions) => {
                let header = fetched
                    .envelope
                    .ok_or_else(|| refused(None)(isolation::required("no envelope")))?;
                // The frame adds a small header, and GCM a 16-byte tag.
                if fetched.body.len() > self.max_args_bytes.saturating_add(4096) {
                    return Err(refused(None)(self.too_large(fetched.body.len())));
                }
                let envelope =
                    isolation::parse_header(&header, fetched.body).map_err(refused(None))?;
                open(sessions, window, Transport::Fetch, envelope)?
            }
            None => {
                // No id: a call that cannot be cancelled.
                let id = match fetched.id {
                    None => 0,
                    Some(id) => std::str::from_utf8(&id)
                        .ok()
                        .and_then(|id| id.parse().ok())
                        .ok_or_else(|| {
                            refused(Some(0))(InvokeError::new(
                                ErrorCode::InvalidArgs,
                                "malformed IPC message: bad call id",
                            ))
                        })?,
                };
                let parsed = match fetched.call {
                    Some(header) => frame::parse_header_call(&header, fetched.body, window),
                    None => frame::parse_frame(fetched.body, window),
                };
                (id, parsed.map_err(refused(Some(id)))?)
            }
        };
        Ok(Admitted {
            kind: parsed.kind,
            origin: None,
            id,
            message: parsed.message,
        })
    }

    /// The checks on what a message asks for, whatever carried it.
    pub(crate) fn check(&self, admitted: Admitted) -> Result<Admitted, Refused> {
        let name = &*admitted.message.command;
        if !is_valid_name(name) {
            let shown: String = name.chars().take(64).collect();
            let (what, code) = if admitted.kind.names_an_event() {
                ("event", ErrorCode::UnknownEvent)
            } else {
                ("command", ErrorCode::UnknownCommand)
            };
            return Err(Refused {
                id: Some(admitted.id),
                error: InvokeError::new(
                    code,
                    format!(
                        "{shown:?} is not a valid {what} name (1 to 128 ASCII letters, digits, \
                         `_ . : -`, starting with a letter or `_`)"
                    ),
                ),
            });
        }
        let window = &admitted.message.window;
        if self
            .permissions
            .allows(window, admitted.origin.as_deref(), admitted.kind, name)
            .is_err()
        {
            let what = match admitted.kind {
                Kind::Emit => format!("emit event `{name}`"),
                Kind::Listen | Kind::Unlisten => format!("listen to event `{name}`"),
                Kind::Invoke | Kind::Cancel | Kind::ChannelAck | Kind::ChannelClose => {
                    format!("call command `{name}`")
                }
            };
            let page = match &admitted.origin {
                Some(origin) => format!(" (a page of {origin})"),
                None => String::new(),
            };
            return Err(Refused {
                id: Some(admitted.id),
                error: InvokeError::new(
                    ErrorCode::Forbidden,
                    format!("window `{window}`{page} may not {what}: no capability grants it"),
                )
                .with_command(name),
            });
        }
        Ok(admitted)
    }

    /// Starts `window`'s isolation session for a frame that presented `key`,
    /// and returns the session key (base64) for that frame.
    pub(crate) fn begin_session(
        &self,
        window: &Arc<str>,
        key: &[u8],
    ) -> Result<String, InvokeError> {
        let sessions = self
            .isolation
            .as_ref()
            .ok_or_else(|| forbidden("isolation is off"))?;
        if !self.is_key(key) {
            return Err(forbidden(
                "the isolation frame was not requested by the app's own script",
            ));
        }
        let SessionKey(key) = sessions.begin(window)?;
        Ok(BASE64.encode(key))
    }

    /// Forgets what the gate holds for a window that closed.
    pub(crate) fn window_closed(&self, window: &str) {
        if let Some(sessions) = &self.isolation {
            sessions.end(window);
        }
    }

    fn too_large(&self, len: usize) -> InvokeError {
        InvokeError::new(
            ErrorCode::PayloadTooLarge,
            format!(
                "the message is {len} bytes; the limit is {} (Limits::max_args_bytes)",
                self.max_args_bytes
            ),
        )
    }
}

#[cfg(test)]
mod tests;

/// See `__private::isolation_admit_for_bench`.
#[cfg(feature = "test-hooks")]
pub(crate) fn admit_for_bench(args: &[u8]) -> impl FnMut() -> usize + use<> {
    const KEY: [u8; 32] = [9; 32];
    let gate = Gate::new("k".into(), "app://localhost", "localhost", usize::MAX, true);
    let window: Arc<str> = "main".into();
    let plaintext = frame::build_frame(Kind::Invoke, "greet", args, &[]);
    let sealed = isolation::seal(&KEY, "main", Transport::Fetch, 1, 1, &plaintext);
    let header = format!("1 1 {}", BASE64.encode(sealed.iv)).into_bytes();
    move || {
        // A fresh session each time, so the one envelope is never a replay
        // (setting up the cipher is well under a microsecond).
        if let Some(sessions) = &gate.isolation {
            sessions.insert_for_tests(&window, &KEY);
        }
        let request = Fetched {
            host: Some("localhost".into()),
            key: Some(b"k".to_vec()),
            envelope: Some(header.clone()),
            body: sealed.ciphertext.clone(),
            ..Fetched::default()
        };
        gate.admit(&window, Arrival::Fetched(request))
            .expect("admitted")
            .message
            .args
            .len()
    }
}

/// See `__private::gate_check_for_bench`.
#[cfg(feature = "test-hooks")]
pub(crate) fn check_for_bench(
    capabilities: Vec<crate::Capability>,
) -> impl FnMut(&str, &str) -> bool + use<> {
    let mut gate = Gate::new(
        "k".into(),
        "app://localhost",
        "localhost",
        usize::MAX,
        false,
    );
    gate.permissions = Permissions::new(capabilities);
    move |window, name| {
        let admitted = Admitted {
            kind: Kind::Invoke,
            origin: None,
            id: 1,
            message: Message::json(name, Vec::new(), window.into()),
        };
        gate.check(admitted).is_ok()
    }
}
