//! Entry points for the fuzz targets in `fuzz/` (`test-hooks` only, never in
//! an app): every decoder a page's bytes reach, driven as the runtime drives
//! it, through the gate. Each returns whether the input was admitted; none
//! may panic, hang or allocate without bound on any input.

use std::sync::Arc;

use crate::gate::{Arrival, Fetched, Gate, frame, isolation};
use crate::wire::{Kind, Transport};

const KEY: &str = "fuzz-key";
const PAGE: &str = "app://localhost/index.html";
const SESSION: [u8; 32] = [7; 32];
/// Small, so size limits are reached by fuzzed inputs too.
const MAX_ARGS: usize = 1 << 16;

fn gate(isolation: bool) -> (Gate, Arc<str>) {
    let gate = Gate::new(
        KEY.into(),
        "app://localhost",
        "localhost",
        MAX_ARGS,
        isolation,
    );
    let window: Arc<str> = "main".into();
    if let Some(sessions) = &gate.isolation {
        sessions.insert_for_tests(&window, &SESSION);
    }
    (gate, window)
}

/// The message transport's text after the key (so the mutations reach past
/// the key check), as `KEY \n text`, through the plain gate and the
/// isolation one (as a page script that stole the key could post it).
pub fn posted(text: &str) -> [bool; 2] {
    [false, true].map(|isolation| {
        let (gate, window) = gate(isolation);
        let posted = format!("{KEY}\n{text}");
        gate.admit(
            &window,
            Arrival::Posted {
                page: PAGE,
                text: &posted,
            },
        )
        .is_ok()
    })
}

/// The fetch transport, isolation off: a body (a frame, or a header call's
/// raw bytes), the optional call header and id header, with the key.
pub fn fetched_plain(call: Option<&[u8]>, id: Option<&[u8]>, body: Vec<u8>) -> bool {
    let (gate, window) = gate(false);
    let request = Fetched {
        host: Some("localhost".into()),
        origin: Some(b"app://localhost".to_vec()),
        key: Some(KEY.as_bytes().to_vec()),
        id: id.map(<[u8]>::to_vec),
        call: call.map(<[u8]>::to_vec),
        body,
        ..Fetched::default()
    };
    gate.admit(&window, Arrival::Fetched(request)).is_ok()
}

/// What the isolation target builds an envelope from.
#[derive(Debug)]
pub struct Sealed<'a> {
    /// Fetch transport (else message).
    pub fetch: bool,
    /// Sealed for the other transport than the one it is sent by.
    pub switch_transport: bool,
    pub id: u64,
    pub seq: u64,
    /// The plaintext: a well-formed frame of these parts, or `raw` itself.
    pub kind: &'a str,
    pub cmd: &'a str,
    pub args: &'a [u8],
    pub bins: Vec<(&'a str, &'a [u8])>,
    pub raw: Option<&'a [u8]>,
    /// Bytes XORed into the ciphertext at these positions (mod its length).
    pub flips: Vec<(usize, u8)>,
}

/// An envelope sealed with the window's real session key (so mutations
/// reach past the tag check), then sent by either transport.
pub fn isolated(input: Sealed<'_>) -> bool {
    let (gate, window) = gate(true);
    let plaintext = match input.raw {
        Some(raw) => raw.to_vec(),
        None => frame_bytes(input.kind, input.cmd, input.args, &input.bins),
    };
    let sealed_for = match (input.fetch, input.switch_transport) {
        (true, false) | (false, true) => Transport::Fetch,
        _ => Transport::Message,
    };
    let mut envelope = isolation::seal(
        &SESSION, "main", sealed_for, input.id, input.seq, &plaintext,
    );
    if !envelope.ciphertext.is_empty() {
        for (at, bits) in input.flips {
            let len = envelope.ciphertext.len();
            envelope.ciphertext[at % len] ^= bits;
        }
    }
    let arrival_text;
    let arrival = if input.fetch {
        Arrival::Fetched(Fetched {
            host: Some("localhost".into()),
            key: Some(KEY.as_bytes().to_vec()),
            envelope: Some(envelope.header_form()),
            body: envelope.ciphertext,
            ..Fetched::default()
        })
    } else {
        arrival_text = format!("{KEY}\n{}", envelope.posted_form());
        Arrival::Posted {
            page: PAGE,
            text: &arrival_text,
        }
    };
    gate.admit(&window, arrival).is_ok()
}

/// A frame with any kind string (the parser must refuse unknown ones).
fn frame_bytes(kind: &str, cmd: &str, args: &[u8], bins: &[(&str, &[u8])]) -> Vec<u8> {
    match Kind::parse(kind) {
        Some(kind) => frame::build_frame(kind, cmd, args, bins),
        None => {
            let mut body = frame::build_frame(Kind::Invoke, cmd, args, bins);
            // Swap the kind in the meta JSON for the fuzzed one.
            let meta_len = u32::from_le_bytes(body[..4].try_into().expect("4 bytes")) as usize;
            let meta = String::from_utf8_lossy(&body[4..4 + meta_len]).replacen(
                "\"invoke\"",
                &serde_json::to_string(kind).expect("a string serializes"),
                1,
            );
            let mut out = (meta.len() as u32).to_le_bytes().to_vec();
            out.extend_from_slice(meta.as_bytes());
            out.extend_from_slice(&body.split_off(4 + meta_len));
            out
        }
    }
}

/// Asset path normalization: whatever a page requests, the result stays a
/// relative path of plain segments.
pub fn asset_path(request_path: &str) -> Option<String> {
    let path = crate::assets::normalize(request_path).ok()?;
    assert!(
        !path.starts_with('/')
            && !path
                .split('/')
                .any(|s| s.is_empty() || s == "." || s == "..")
            && !path.contains(['\\', '\0', ':']),
        "normalized {request_path:?} to {path:?}, which could leave the root"
    );
    Some(path)
}
