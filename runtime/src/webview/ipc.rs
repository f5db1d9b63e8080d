//! The two wire formats between the injected script and the core, and how a
//! reply goes back. Pure functions: everything here is unit-tested without a
//! web view.
//!
//! - message transport (small JSON calls): the string
//!   `KEY \n ID \n COMMAND \n ARGS-JSON` through `window.ipc.postMessage`
//!   (with isolation on, `KEY \n` and an envelope: see `isolation`); the reply
//!   is `window.__PORTCULLIS_INTERNALS__.reply(KEY, ID, KIND, PAYLOAD)`
//!   evaluated in the page.
//! - fetch transport (binary or large calls): `POST /__portcullis__/ipc` with
//!   the key in `X-Portcullis-Key` and the body
//!   `u32-LE meta length | meta JSON | args JSON | raw binary args...`, where
//!   meta is `{"cmd": ..., "json": <args length>, "bins": [[key, length], ...]}`;
//!   the reply is the HTTP response. A call whose only binary argument is
//!   large skips the framing: the body is that argument's bytes, and
//!   `X-Portcullis-Call` carries `{"cmd", "args", "bin"}` (percent-encoded).

use std::ops::Range;
use std::sync::Arc;

use serde::Deserialize;

use crate::bytes::Reply;
use crate::dispatch::{Message, Part, Response};
use crate::{ErrorCode, InvokeError};

/// Most binary arguments one call may carry.
const MAX_BINARY_ARGS: usize = 64;

/// A call from the message transport, borrowed from the posted string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct PostedCall<'a> {
    pub(crate) id: u64,
    pub(crate) command: &'a str,
    pub(crate) args: &'a str,
}

/// Why a posted message is dropped without running anything.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// The key is missing or wrong: not from our injected script.
    BadKey,
    /// The key is right but the framing is not.
    Malformed,
}

/// Strips this run's key from a posted message: `KEY \n REST`.
pub(crate) fn strip_key<'a>(body: &'a str, key: &str) -> Result<&'a str, Refusal> {
    body.strip_prefix(key)
        .and_then(|rest| rest.strip_prefix('\n'))
        .ok_or(Refusal::BadKey)
}

/// Parses the plain (isolation off) form after the key: `ID \n COMMAND \n ARGS`.
pub(crate) fn parse_plain(rest: &str) -> Result<PostedCall<'_>, Refusal> {
    let mut fields = rest.splitn(3, '\n');
    let id = fields
        .next()
        .and_then(|id| id.parse().ok())
        .ok_or(Refusal::Malformed)?;
    let command = fields.next().ok_or(Refusal::Malformed)?;
    let args = fields.next().ok_or(Refusal::Malformed)?;
    Ok(PostedCall { id, command, args })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Meta {
    cmd: String,
    json: usize,
    bins: Vec<(String, usize)>,
}

/// Parses a fetch-transport body into a message, without copying the payload.
pub(crate) fn parse_frame(body: Vec<u8>, window: Arc<str>) -> Result<Message, InvokeError> {
    let malformed = |why: &str| {
        InvokeError::new(
            ErrorCode::InvalidArgs,
            format!("malformed IPC request: {why}"),
        )
    };
    let meta_len = body
        .get(..4)
        .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")) as usize)
        .ok_or_else(|| malformed("shorter than its header"))?;
    let meta_end = 4usize
        .checked_add(meta_len)
        .filter(|end| *end <= body.len())
        .ok_or_else(|| malformed("header longer than the body"))?;
    let meta: Meta = serde_json::from_slice(&body[4..meta_end])
        .map_err(|err| malformed(&format!("bad header: {err}")))?;
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
    Ok(Message {
        command: meta.cmd.into(),
        args: body[json].to_vec(),
        binary: body,
        parts,
        window,
    })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CallHeader {
    cmd: String,
    args: String,
    bin: String,
}

/// Parses a fetch-transport call whose only binary argument is the whole body
/// and whose command and JSON args are in the `X-Portcullis-Call` header
/// (percent-encoded JSON `{"cmd", "args", "bin"}`): the bytes are taken as
/// they arrived, with no framing copy on either side.
pub(crate) fn parse_header_call(
    header: &[u8],
    body: Vec<u8>,
    window: Arc<str>,
) -> Result<Message, InvokeError> {
    let decoded: Vec<u8> = percent_encoding::percent_decode(header).collect();
    let call: CallHeader = serde_json::from_slice(&decoded).map_err(|err| {
        InvokeError::new(
            ErrorCode::InvalidArgs,
            format!("malformed IPC request: bad call header: {err}"),
        )
    })?;
    Ok(Message {
        command: call.cmd.into(),
        args: call.args.into_bytes(),
        parts: vec![Part {
            key: call.bin.into(),
            range: 0..body.len(),
        }],
        binary: body,
        window,
    })
}

/// The script that settles call `id` in the page, and the bytes to park when
/// the result is binary (fetched by the page from `/__portcullis__/reply/ID`).
///
/// `token` (this run's key) proves the call comes from the core: the page's
/// `reply` ignores any other caller, so page scripts cannot forge replies.
pub(crate) fn reply_script(token: &str, id: u64, response: Response) -> (String, Option<Vec<u8>>) {
    const PREFIX: &str = "window.__PORTCULLIS_INTERNALS__.reply(\"";
    let (kind, payload, parked) = match response {
        Ok(Reply::Json(json)) => (0, json, None),
        Ok(Reply::Binary(bytes)) => (2, b"null".to_vec(), Some(bytes)),
        Err(err) => (
            1,
            serde_json::to_vec(&err).expect("InvokeError serializes"),
            None,
        ),
    };
    let mut script = String::with_capacity(PREFIX.len() + payload.len() + 32);
    script.push_str(PREFIX);
    script.push_str(token);
    script.push_str("\",");
    script.push_str(&id.to_string());
    script.push(',');
    script.push_str(if kind == 0 {
        "0"
    } else if kind == 1 {
        "1"
    } else {
        "2"
    });
    script.push(',');
    // JSON text is a valid JavaScript expression (ES2019 and later).
    script.push_str(std::str::from_utf8(&payload).expect("serde_json writes UTF-8"));
    script.push_str(");");
    (script, parked)
}

/// The HTTP status a failed call gets on the fetch transport.
pub(crate) fn status_for(code: ErrorCode) -> u16 {
    match code {
        ErrorCode::UnknownCommand => 404,
        ErrorCode::InvalidArgs => 400,
        ErrorCode::PayloadTooLarge => 413,
        ErrorCode::TooManyCalls => 429,
        ErrorCode::Forbidden | ErrorCode::IsolationRequired | ErrorCode::IsolationInvalid => 403,
        ErrorCode::CommandError | ErrorCode::Rejected => 422,
        _ => 500,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn posted_messages() {
        let parse = |body| strip_key(body, "k").and_then(parse_plain);
        assert_eq!(
            parse("k\n7\ngreet\n{\"name\":\"a\\nb\"}"),
            Ok(PostedCall {
                id: 7,
                command: "greet",
                args: "{\"name\":\"a\\nb\"}"
            })
        );
        assert_eq!(parse("k\n1\nping\n").map(|c| c.args), Ok(""));
        assert_eq!(parse("x\n1\nping\n"), Err(Refusal::BadKey));
        assert_eq!(parse("kk\n1\nping\n"), Err(Refusal::BadKey));
        assert_eq!(parse(""), Err(Refusal::BadKey));
        assert_eq!(parse("k"), Err(Refusal::BadKey));
        assert_eq!(parse("k\n"), Err(Refusal::Malformed));
        assert_eq!(parse("k\nnope\nping\n"), Err(Refusal::Malformed));
        assert_eq!(parse("k\n1\nping"), Err(Refusal::Malformed));
        assert_eq!(parse("k\n-1\nping\n"), Err(Refusal::Malformed));
    }

    fn frame(meta: &str, rest: &[u8]) -> Vec<u8> {
        let mut body = (meta.len() as u32).to_le_bytes().to_vec();
        body.extend_from_slice(meta.as_bytes());
        body.extend_from_slice(rest);
        body
    }

    #[test]
    fn frames_split_without_copying() {
        let body = frame(
            r#"{"cmd":"up","json":2,"bins":[["a",3],["b",1]]}"#,
            b"{}abcd",
        );
        let message = parse_frame(body, "w".into()).unwrap();
        assert_eq!(&*message.command, "up");
        assert_eq!(message.args, b"{}");
        assert_eq!(message.parts.len(), 2);
        assert_eq!(&message.binary[message.parts[0].range.clone()], b"abc");
        assert_eq!(&*message.parts[1].key, "b");
        assert_eq!(&message.binary[message.parts[1].range.clone()], b"d");
    }

    #[test]
    fn header_calls_take_the_body_as_it_is() {
        let header =
            b"%7B%22cmd%22%3A%22up%22%2C%22args%22%3A%22%7B%7D%22%2C%22bin%22%3A%22data%22%7D";
        let message = parse_header_call(header, vec![1, 2, 3], "w".into()).unwrap();
        assert_eq!(&*message.command, "up");
        assert_eq!(message.args, b"{}");
        assert_eq!(&*message.parts[0].key, "data");
        assert_eq!(&message.binary[message.parts[0].range.clone()], [1, 2, 3]);
        for bad in [&b"%7B"[..], b"{}", b"%7B%22cmd%22%3A1%7D", b"\xff"] {
            let err = parse_header_call(bad, vec![], "w".into()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgs);
        }
    }

    #[test]
    fn bad_frames_are_invalid_args() {
        let cases: Vec<Vec<u8>> = vec![
            vec![],
            vec![1, 0],
            vec![255, 255, 255, 255, b'{'],
            frame("not json", b""),
            frame(r#"{"cmd":"x","json":5,"bins":[]}"#, b"{}"),
            frame(r#"{"cmd":"x","json":1,"bins":[]}"#, b"{}"),
            frame(
                r#"{"cmd":"x","json":0,"bins":[["a",18446744073709551615]]}"#,
                b"",
            ),
            frame(r#"{"cmd":"x","json":0,"bins":[],"extra":1}"#, b""),
        ];
        for body in cases {
            let err = parse_frame(body.clone(), "w".into()).unwrap_err();
            assert_eq!(err.code(), ErrorCode::InvalidArgs, "{body:?}");
            assert!(
                err.message().starts_with("malformed IPC request"),
                "{}",
                err.message()
            );
        }
    }

    #[test]
    fn reply_scripts() {
        let (script, parked) = reply_script("t", 3, Ok(Reply::Json(b"{\"a\":1}".to_vec())));
        assert_eq!(
            script,
            "window.__PORTCULLIS_INTERNALS__.reply(\"t\",3,0,{\"a\":1});"
        );
        assert_eq!(parked, None);
        let (script, parked) = reply_script("t", 4, Ok(Reply::Binary(vec![1, 2])));
        assert_eq!(
            script,
            "window.__PORTCULLIS_INTERNALS__.reply(\"t\",4,2,null);"
        );
        assert_eq!(parked, Some(vec![1, 2]));
        let (script, _) = reply_script(
            "t",
            5,
            Err(InvokeError::new(ErrorCode::Panic, "boom </script>").with_command("x")),
        );
        assert!(
            script
                .starts_with("window.__PORTCULLIS_INTERNALS__.reply(\"t\",5,1,{\"code\":\"panic\""),
            "{script}"
        );
    }
}
