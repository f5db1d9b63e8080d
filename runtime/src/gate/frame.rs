//! The message formats after the key, as the gate parses them. Pure
//! functions, unit-tested and fuzzed without a web view.
//!
//! - The frame: `u32-LE meta length | meta JSON | args JSON | raw binary
//!   args...`, where meta is `{"kind", "cmd", "json": <args length>, "bins":
//!   [[key, length], ...]}`. The one plaintext of every isolation envelope,
//!   whichever transport carries it, and the body of a plain fetch call. The
//!   name is a JSON string inside a length-prefixed header: nothing a name
//!   contains can be read as framing.
//! - Plain posted (isolation off, message transport):
//!   `ID \n KIND \n NAME \n ARGS-JSON` (names never contain `\n`: see
//!   [`is_valid_name`](crate::wire::is_valid_name)).
//! - Plain header call (isolation off, fetch transport, one large binary
//!   argument): the body is that argument's bytes as they came, and the
//!   `X-Portcullis-Call` header holds `{"kind", "cmd", "args", "bin"}`
//!   (percent-encoded JSON).

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::dispatch::{Message, Part};
use crate::wire::Kind;
use crate::{ErrorCode, InvokeError};

/// Most binary arguments one message may carry.
const MAX_BINARY_ARGS: usize = 64;

/// A parsed message: what it asks for and the message itself.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub(crate) kind: Kind,
    pub(crate) message: Message,
}

fn malformed(why: &str) -> InvokeError {
    InvokeError::new(
        ErrorCode::InvalidArgs,
        format!("malformed IPC message: {why}"),
    )
}

fn kind(text: &str) -> Result<Kind, InvokeError> {
    Kind::parse(text).ok_or_else(|| malformed(&format!("unknown message kind {text:?}")))
}

/// Parses the plain posted form after the key: `ID \n KIND \n NAME \n ARGS`.
/// The id comes back even when the rest is malformed, so the call can be
/// settled with the error.
pub(crate) fn parse_plain(
    rest: &str,
    window: &Arc<str>,
) -> Result<(u64, Parsed), (Option<u64>, InvokeError)> {
    let mut fields = rest.splitn(4, '\n');
    let id = fields
        .next()
        .and_then(|id| id.parse().ok())
        .ok_or((None, malformed("no call id")))?;
    let (Some(kind_text), Some(name), Some(args)) = (fields.next(), fields.next(), fields.next())
    else {
        return Err((Some(id), malformed("missing fields")));
    };
    let kind = kind(kind_text).map_err(|err| (Some(id), err))?;
    Ok((
        id,
        Parsed {
            kind,
            message: Message::json(name, args.as_bytes().to_vec(), window.clone()),
        },
    ))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta<'a> {
    kind: &'a str,
    cmd: String,
    json: usize,
    bins: Vec<(String, usize)>,
}

/// Parses a frame, without copying the binary parts.
pub(crate) fn parse_frame(body: Vec<u8>, window: &Arc<str>) -> Result<Parsed, InvokeError> {
    let meta_len = body
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        .ok_or_else(|| malformed("shorter than its header"))?;
    let meta_end = 4usize
        .checked_add(meta_len)
        .filter(|end| *end <= body.len())
        .ok_or_else(|| malformed("header longer than the body"))?;
    let meta: Meta<'_> = serde_json::from_slice(&body[4..meta_end])
        .map_err(|err| malformed(&format!("bad header: {err}")))?;
    let kind = kind(meta.kind)?;
    if meta.bins.len() > MAX_BINARY_ARGS {
        return Err(malformed("too many binary arguments"));
    }
    let mut offset = meta_end;
    let mut take = |len: usize| -> Option<Range<usize>> {
        let end = offset.checked_add(len)?;
        let range = offset..end;
        offset = end;
        Some(range)
    };
    let json = take(meta.json).ok_or_else(|| malformed("lengths overflow"))?;
    let mut parts = Vec::with_capacity(meta.bins.len());
    for (key, len) in meta.bins {
        let range = take(len).ok_or_else(|| malformed("lengths overflow"))?;
        parts.push(Part {
            key: key.into(),
            range,
        });
    }
    if offset != body.len() {
        return Err(malformed("lengths do not add up to the body").with_command(meta.cmd));
    }
    let args = body[json].to_vec();
    Ok(Parsed {
        kind,
        message: Message {
            command: meta.cmd.into(),
            args,
            binary: if parts.is_empty() { Vec::new() } else { body },
            parts,
            window: window.clone(),
            cancel: None,
        },
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallHeader {
    kind: String,
    cmd: String,
    args: String,
    bin: String,
}

/// Parses a plain fetch call whose only binary argument is the whole body:
/// the bytes are taken as they arrived, with no framing copy on either side.
pub(crate) fn parse_header_call(
    header: &[u8],
    body: Vec<u8>,
    window: &Arc<str>,
) -> Result<Parsed, InvokeError> {
    let decoded: Vec<u8> = percent_encoding::percent_decode(header).collect();
    let call: CallHeader = serde_json::from_slice(&decoded)
        .map_err(|err| malformed(&format!("bad call header: {err}")))?;
    Ok(Parsed {
        kind: kind(&call.kind)?,
        message: Message {
            command: call.cmd.into(),
            args: call.args.into_bytes(),
            parts: vec![Part {
                key: call.bin.into(),
                range: 0..body.len(),
            }],
            binary: body,
            window: window.clone(),
            cancel: None,
        },
    })
}

/// Builds a frame: what the isolation frame and the page's fetch transport
/// send. For tests, benchmarks and fuzz seeds; the JS side has its own.
#[cfg(any(test, feature = "test-hooks"))]
pub(crate) fn build_frame(kind: Kind, cmd: &str, args: &[u8], bins: &[(&str, &[u8])]) -> Vec<u8> {
    let meta = serde_json::json!({
        "kind": kind.as_str(),
        "cmd": cmd,
        "json": args.len(),
        "bins": bins.iter().map(|(k, b)| (k, b.len())).collect::<Vec<_>>(),
    })
    .to_string();
    let mut body = (meta.len() as u32).to_le_bytes().to_vec();
    body.extend_from_slice(meta.as_bytes());
    body.extend_from_slice(args);
    for (_, bytes) in bins {
        body.extend_from_slice(bytes);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w() -> Arc<str> {
        "w".into()
    }

    #[test]
    fn plain_posted_messages() {
        let (id, parsed) = parse_plain("7\ninvoke\ngreet\n{\"name\":\"a\\nb\"}", &w()).unwrap();
        assert_eq!(id, 7);
        assert_eq!(parsed.kind, Kind::Invoke);
        assert_eq!(&*parsed.message.command, "greet");
        assert_eq!(parsed.message.args, b"{\"name\":\"a\\nb\"}");
        let (_, parsed) = parse_plain("1\ninvoke\nping\n", &w()).unwrap();
        assert_eq!(parsed.message.args, b"");
        for (bad, id) in [
            ("", None),
            ("nope\ninvoke\nping\n", None),
            ("-1\ninvoke\nping\n", None),
            ("1", Some(1)),
            ("1\ninvoke\nping", Some(1)),
            ("1\nexplode\nping\n", Some(1)),
        ] {
            let (got, err) = parse_plain(bad, &w()).unwrap_err();
            assert_eq!(got, id, "{bad:?}");
            assert_eq!(err.code(), ErrorCode::InvalidArgs, "{bad:?}");
        }
    }

    #[test]
    fn frames_split_without_copying_the_binary() {
        let body = build_frame(Kind::Invoke, "up", b"{}", &[("a", b"abc"), ("b", b"d")]);
        let parsed = parse_frame(body, &w()).unwrap();
        let message = parsed.message;
        assert_eq!(&*message.command, "up");
        assert_eq!(message.args, b"{}");
        assert_eq!(message.parts.len(), 2);
        assert_eq!(&message.binary[message.parts[0].range.clone()], b"abc");
        assert_eq!(&*message.parts[1].key, "b");
        assert_eq!(&message.binary[message.parts[1].range.clone()], b"d");
    }

    #[test]
    fn a_name_that_is_itself_a_frame_is_just_a_name() {
        // The transport-switch attack of wave 1: a command name holding a
        // whole frame is data inside the JSON header, never framing.
        let inner = build_frame(Kind::Invoke, "counted", b"{}", &[]);
        let name = String::from_utf8_lossy(&inner).into_owned();
        let parsed = parse_frame(build_frame(Kind::Invoke, &name, b"{}", &[]), &w()).unwrap();
        assert_eq!(&*parsed.message.command, name);
    }

    #[test]
    fn header_calls_take_the_body_as_it_is() {
        let header = percent_encoding::utf8_percent_encode(
            r#"{"kind":"invoke","cmd":"up","args":"{}","bin":"data"}"#,
            percent_encoding::NON_ALPHANUMERIC,
        )
        .to_string();
        let parsed = parse_header_call(header.as_bytes(), vec![1, 2, 3], &w()).unwrap();
        let message = parsed.message;
        assert_eq!(&*message.command, "up");
        assert_eq!(message.args, b"{}");
        assert_eq!(&*message.parts[0].key, "data");
        assert_eq!(&message.binary[message.parts[0].range.clone()], [1, 2, 3]);
        for bad in [
            &b"%7B"[..],
            b"{}",
            b"%7B%22cmd%22%3A1%7D",
            b"\xff",
            br#"{"kind":"nope","cmd":"up","args":"{}","bin":"d"}"#,
        ] {
            let err = parse_header_call(bad, vec![], &w()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgs);
        }
    }

    #[test]
    fn at_most_64_binary_arguments() {
        let bins: Vec<(String, Vec<u8>)> = (0..=MAX_BINARY_ARGS)
            .map(|i| (format!("b{i}"), vec![1]))
            .collect();
        let as_refs = |n: usize| -> Vec<(&str, &[u8])> {
            bins[..n]
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_slice()))
                .collect()
        };
        let ok = build_frame(Kind::Invoke, "up", b"{}", &as_refs(MAX_BINARY_ARGS));
        assert_eq!(
            parse_frame(ok, &w()).unwrap().message.parts.len(),
            MAX_BINARY_ARGS
        );
        let over = build_frame(Kind::Invoke, "up", b"{}", &as_refs(MAX_BINARY_ARGS + 1));
        let err = parse_frame(over, &w()).unwrap_err();
        assert!(
            err.message().contains("too many binary arguments"),
            "{}",
            err.message()
        );
    }

    fn raw_frame(meta: &str, rest: &[u8]) -> Vec<u8> {
        let mut body = (meta.len() as u32).to_le_bytes().to_vec();
        body.extend_from_slice(meta.as_bytes());
        body.extend_from_slice(rest);
        body
    }

    #[test]
    fn bad_frames_are_invalid_args() {
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![1, 0],
            vec![255, 255, 255, 255, b'{'],
            raw_frame("not json", b""),
            raw_frame(r#"{"kind":"invoke","cmd":"x","json":5,"bins":[]}"#, b"{}"),
            raw_frame(r#"{"kind":"invoke","cmd":"x","json":1,"bins":[]}"#, b"{}"),
            raw_frame(
                r#"{"kind":"invoke","cmd":"x","json":0,"bins":[["a",18446744073709551615]]}"#,
                b"",
            ),
            raw_frame(
                r#"{"kind":"invoke","cmd":"x","json":0,"bins":[],"extra":1}"#,
                b"",
            ),
            raw_frame(r#"{"cmd":"x","json":0,"bins":[]}"#, b""),
            raw_frame(r#"{"kind":"emit!","cmd":"x","json":0,"bins":[]}"#, b""),
        ];
        for body in cases {
            let err = parse_frame(body.clone(), &w()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgs, "{body:?}");
            assert!(
                err.message().starts_with("malformed IPC message"),
                "{}",
                err.message()
            );
        }
    }
}
