//! What both sides of the wire must agree on, written once.
//!
//! The injected scripts never retype any of it: they receive [`js_config`]
//! in their configuration (`config.wire`). Bump [`SCHEMA`] with any change to
//! a format.

// Without the web view nothing serves these; the gate still parses them.
#![cfg_attr(not(feature = "webview"), allow(dead_code))]

use serde_json::json;

use crate::ErrorCode;

/// The wire schema, bumped with any change to a format. The injected scripts
/// are embedded in this crate, so they always match it; it is in their
/// configuration for tools that read the wire from outside.
pub(crate) const SCHEMA: u32 = 2;

/// The fetch transport's endpoint.
pub(crate) const IPC_PATH: &str = "/__portcullis__/ipc";
/// A parked binary result: `REPLY_PATH` + call id.
pub(crate) const REPLY_PATH: &str = "/__portcullis__/reply/";
/// `import { invoke } from "/__portcullis__/api.js"` works with no build step.
pub(crate) const API_PATH: &str = "/__portcullis__/api.js";
/// The app's generated bindings: `import { addTodo } from "/__portcullis__/bindings.js"`.
pub(crate) const BINDINGS_PATH: &str = "/__portcullis__/bindings.js";

/// This run's IPC key, on fetch requests.
pub(crate) const KEY_HEADER: &str = "x-portcullis-key";
/// The call id of a plain fetch call (so the page can cancel it).
pub(crate) const ID_HEADER: &str = "x-portcullis-id";
/// An isolation envelope's `ID SEQ IV-base64`, on fetch requests.
pub(crate) const ENVELOPE_HEADER: &str = "x-portcullis-envelope";
/// A plain fetch call whose body is its one binary argument:
/// percent-encoded JSON `{"kind", "cmd", "args", "bin"}`.
pub(crate) const CALL_HEADER: &str = "x-portcullis-call";

/// Domain separation of the isolation envelope's associated data. v2 binds
/// the transport (v1 did not: a ciphertext could be resent on the other one).
pub(crate) const AAD_PREFIX: &str = "portcullis-isolation-v2";

/// JSON args longer than this (in UTF-16 units) use the fetch transport.
pub(crate) const MAX_POST_MESSAGE: usize = 1 << 20;

/// Event payloads longer than this (bytes of JSON) do not go to a page in
/// script text: the page fetches them (`REPLY_PATH` + ticket). Chosen by the
/// events benchmark (BENCHMARKS.md): under a flood of 1 MB events the web
/// process grew steadily on the fetched route and erratically (up to +115
/// MiB in 20 s) when they were evaluated, at about 3x the time per large
/// event for the fetch.
pub(crate) const MAX_EVENT_SCRIPT: usize = 64 << 10;
/// Event tickets are above every call id (call ids stay below 2^53), so
/// parked events and parked results share one store without clashing.
pub(crate) const FIRST_EVENT_TICKET: u64 = 1 << 60;

/// What a message from a page asks for. Every kind has the same envelope and
/// passes the same gate; new kinds (cancel, emit, channel messages) are new
/// variants here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Call a command.
    Invoke,
    /// Cancel the call with this message's id (same window, same page).
    Cancel,
    /// An event from the page: the name is the event's, the args are
    /// `{"payload": ..., "to"?: "label"}`.
    Emit,
    /// The page has a listener for this event name now: deliver it (and any
    /// held for this window).
    Listen,
    /// The page's last listener for this event name is gone.
    Unlisten,
    /// The page took a channel's messages so far: args `{"id", "messages",
    /// "bytes"}` (cumulative). The name is `channel`.
    ChannelAck,
    /// The page closed a channel: args `{"id"}`. The name is `channel`.
    ChannelClose,
}

impl Kind {
    pub(crate) const ALL: [Kind; 7] = [
        Kind::Invoke,
        Kind::Cancel,
        Kind::Emit,
        Kind::Listen,
        Kind::Unlisten,
        Kind::ChannelAck,
        Kind::ChannelClose,
    ];

    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Kind::Invoke => "invoke",
            Kind::Cancel => "cancel",
            Kind::Emit => "emit",
            Kind::Listen => "listen",
            Kind::Unlisten => "unlisten",
            Kind::ChannelAck => "channel-ack",
            Kind::ChannelClose => "channel-close",
        }
    }

    /// Whether it reaches only what the window's own calls already hold (a
    /// call to cancel, a channel): no capability is needed for it.
    pub(crate) const fn own_only(self) -> bool {
        matches!(self, Kind::Cancel | Kind::ChannelAck | Kind::ChannelClose)
    }

    /// Whether the name the message carries is an event's (else a command's).
    pub(crate) const fn names_an_event(self) -> bool {
        matches!(self, Kind::Emit | Kind::Listen | Kind::Unlisten)
    }

    pub(crate) fn parse(text: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// How a message reached the core.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    /// `window.ipc.postMessage`, answered by a script evaluated in the page.
    Message,
    /// A `fetch` POST to the app's scheme, answered in the HTTP response.
    Fetch,
}

impl Transport {
    pub(crate) const fn as_str(self) -> &'static str {
        match self {
            Transport::Message => "message",
            Transport::Fetch => "fetch",
        }
    }
}

/// How a reply script settles a call: `reply(TOKEN, ID, KIND, PAYLOAD)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReplyKind {
    /// The payload is the result's JSON text.
    Ok = 0,
    /// The payload is an `InvokeError`'s JSON text.
    Err = 1,
    /// The result is raw bytes, parked at `REPLY_PATH` + id.
    Binary = 2,
}

/// The rule for command and event names, as a regular expression
/// for the JS side; [`is_valid_name`] is the same rule.
pub(crate) const NAME_PATTERN: &str = "^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$";

/// Whether `name` may name a command or an event: 1 to 128 ASCII letters, digits and
/// `_ . : -`, not starting with a digit or punctuation other than `_`. No
/// delimiter of any wire format can appear in one.
pub(crate) const fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    if bytes.is_empty() || bytes.len() > 128 {
        return false;
    }
    if !(bytes[0].is_ascii_alphabetic() || bytes[0] == b'_') {
        return false;
    }
    let mut i = 1;
    while i < bytes.len() {
        let b = bytes[i];
        if !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-')) {
            return false;
        }
        i += 1;
    }
    true
}

/// Everything above, for the injected scripts' configuration.
pub(crate) fn js_config() -> serde_json::Value {
    json!({
        "schema": SCHEMA,
        "ipcPath": IPC_PATH,
        "replyPath": REPLY_PATH,
        "keyHeader": KEY_HEADER,
        "envelopeHeader": ENVELOPE_HEADER,
        "idHeader": ID_HEADER,
        "callHeader": CALL_HEADER,
        "aadPrefix": AAD_PREFIX,
        "maxPostMessage": MAX_POST_MESSAGE,
        "namePattern": NAME_PATTERN,
        "kinds": Kind::ALL.map(Kind::as_str),
        "transports": [Transport::Message.as_str(), Transport::Fetch.as_str()],
        "reply": { "ok": ReplyKind::Ok as u8, "err": ReplyKind::Err as u8, "binary": ReplyKind::Binary as u8 },
        "codes": ErrorCode::ALL.map(ErrorCode::as_str),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for good in [
            "greet",
            "_x",
            "admin::reset",
            "a.b-c",
            "X9",
            &"a".repeat(128),
        ] {
            assert!(is_valid_name(good), "{good:?}");
        }
        for bad in [
            "",
            "9a",
            "-a",
            ":a",
            "a b",
            "a\nb",
            "a\0",
            "é",
            "a/b",
            "a\"b",
            &"a".repeat(129),
        ] {
            assert!(!is_valid_name(bad), "{bad:?}");
        }
    }

    #[test]
    fn every_error_code_reaches_the_js_side() {
        let config = js_config();
        let codes: Vec<&str> = config["codes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c.as_str().unwrap())
            .collect();
        assert_eq!(codes.len(), ErrorCode::ALL.len());
        assert!(codes.contains(&"isolation_invalid"));
    }

    /// `js/wire.json` is what the JS unit tests load as the core's constants:
    /// it must be current (`PORTCULLIS_BLESS=1` rewrites it).
    #[test]
    fn the_js_tests_copy_is_current() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/js/wire.json");
        let expected = serde_json::to_string_pretty(&js_config()).unwrap() + "\n";
        if std::env::var_os("PORTCULLIS_BLESS").is_some() {
            std::fs::write(path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            actual == expected,
            "{path} is stale: run `PORTCULLIS_BLESS=1 cargo test -p portcullis --lib wire`"
        );
    }
}
