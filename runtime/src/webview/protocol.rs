//! The `app://` scheme: the app's assets, the fetch transport of the IPC,
//! parked binary replies, and the ESM API for pages without a build step.
//!
//! Called by WebKit on the main thread; nothing here blocks on a command:
//! calls are started on the runtime, which answers the responder itself.

use std::borrow::Cow;
use std::sync::Arc;

use wry::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use wry::{RequestAsyncResponder, WebViewId};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

use super::{ORIGIN, Shared, ipc, isolation};
use crate::assets::AssetError;
use crate::bytes::Reply;
use crate::dispatch::Response as CallResponse;
use crate::{ErrorCode, InvokeError};

pub(crate) const IPC_PATH: &str = "/__portcullis__/ipc";
pub(crate) const REPLY_PATH: &str = "/__portcullis__/reply/";
/// `import { invoke } from "/__portcullis__/api.js"` works with no build step.
pub(crate) const API_PATH: &str = "/__portcullis__/api.js";
/// The app's generated bindings: `import { addTodo } from "/__portcullis__/bindings.js"`.
pub(crate) const BINDINGS_PATH: &str = "/__portcullis__/bindings.js";
/// JSON args longer than this (in UTF-16 units) use the fetch transport.
pub(crate) const MAX_POST_MESSAGE: usize = 1 << 20;
const KEY_HEADER: &str = "x-portcullis-key";
const ENVELOPE_HEADER: &str = "x-portcullis-envelope";
const ISOLATION_JS: &str = include_str!("../../../js-api/src/isolation.js");
/// The isolation frame can run its own (inlined) scripts and nothing else: no
/// network, no other frames, no plugins.
const ISOLATION_CSP: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";
const CALL_HEADER: &str = "x-portcullis-call";
const API_JS: &str = include_str!("../../../js-api/index.js");

type Body = Cow<'static, [u8]>;

pub(crate) fn handle(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let path = request.uri().path();
    if shared.raw_echo && path.starts_with("/__raw__/") {
        let path = path.to_owned();
        return raw(&path, request, responder);
    }
    if path == IPC_PATH {
        call(shared, window, request, responder);
    } else if let Some(id) = path.strip_prefix(REPLY_PATH) {
        let id = id.parse().ok();
        parked_reply(shared, window, &request, id, responder);
    } else if request.method() != Method::GET && request.method() != Method::HEAD {
        responder.respond(plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed"));
    } else if path == API_PATH {
        responder.respond(file(
            Cow::Borrowed(API_JS.as_bytes()),
            "text/javascript; charset=utf-8",
            None,
        ));
    } else if path == BINDINGS_PATH {
        let js = shared
            .bindings_js
            .get_or_init(|| bindings_js(&shared.core.commands));
        responder.respond(file(
            Cow::Owned(js.clone().into_bytes()),
            "text/javascript; charset=utf-8",
            None,
        ));
    } else {
        responder.respond(match shared.assets.get(path) {
            Ok(asset) => file(asset.bytes, &asset.mime, shared.csp.as_deref()),
            Err(AssetError::NotFound) => plain(StatusCode::NOT_FOUND, "not found"),
            Err(AssetError::Forbidden) => {
                tracing::warn!(path, "asset request refused: path leaves the asset root");
                plain(StatusCode::FORBIDDEN, "forbidden")
            }
        });
    }
}

/// The bindings module, generated on first request. If generation fails (two
/// types with one name), the module throws that error where it is imported.
fn bindings_js(commands: &crate::Commands) -> String {
    match commands.bindings().javascript() {
        Ok(js) => js,
        Err(err) => {
            tracing::error!(%err, "cannot generate {BINDINGS_PATH}");
            let message = serde_json::to_string(&err.to_string()).expect("a string serializes");
            format!("throw new Error({message});\n")
        }
    }
}

/// The fetch transport: a call with raw binary arguments (or large JSON).
fn call(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    if request.method() != Method::POST {
        return responder.respond(plain(StatusCode::METHOD_NOT_ALLOWED, "POST only"));
    }
    if let Err(refusal) = authorize(shared, &request) {
        tracing::warn!(window, refusal, "IPC request refused");
        return responder.respond(error(&forbidden(refusal)));
    }
    if shared.isolation.is_some() {
        return isolated_call(shared, window, request, responder);
    }
    let header = request
        .headers()
        .get(CALL_HEADER)
        .map(|h| h.as_bytes().to_vec());
    let parsed = match header {
        Some(header) => ipc::parse_header_call(&header, request.into_body(), window.into()),
        None => ipc::parse_frame(request.into_body(), window.into()),
    };
    match parsed {
        Ok(message) => shared
            .core
            .spawn(&shared.runtime, message, move |response| {
                responder.respond(reply(response))
            }),
        Err(err) => responder.respond(error(&err)),
    }
}

/// The fetch transport with isolation on: the body is ciphertext whose
/// plaintext is the frame; anything else is refused. Decrypted on the blocking
/// pool, never on the main thread.
fn isolated_call(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let Some(header) = request
        .headers()
        .get(ENVELOPE_HEADER)
        .map(|h| h.as_bytes().to_vec())
    else {
        tracing::warn!(window, "IPC refused by isolation: not an envelope");
        return responder.respond(error(&isolation::required("no envelope")));
    };
    let body = request.into_body();
    // The frame adds a few bytes of header and GCM a 16-byte tag.
    if body.len() > shared.core.limits.max_args_bytes + 4096 {
        return responder.respond(error(&shared.too_large(body.len())));
    }
    let shared = Arc::clone(shared);
    let label: Arc<str> = window.into();
    shared.runtime.clone().spawn_blocking(move || {
        let message = isolation::parse_header(&header, body)
            .and_then(|envelope| shared.open(&label, envelope))
            .and_then(|plaintext| ipc::parse_frame(plaintext, label.clone()));
        match message {
            Ok(message) => shared
                .core
                .spawn(&shared.runtime, message, move |response| {
                    responder.respond(reply(response))
                }),
            Err(err) => {
                tracing::warn!(window = %label, %err, "IPC refused by isolation");
                responder.respond(error(&err));
            }
        }
    });
}

/// The isolation frame's document, for the window that asks: the bootstrap
/// (a fresh session key, imported non-extractable and then removed from the
/// page) followed by the app author's isolation app. Each load starts a new
/// session for the window: new key, new sequence numbers.
pub(crate) fn isolation_page(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let path = request.uri().path();
    let Some(app) = shared.isolation.as_ref() else {
        return responder.respond(plain(StatusCode::NOT_FOUND, "not found"));
    };
    if request.method() != Method::GET || (path != "/" && path != "/index.html") {
        return responder.respond(plain(StatusCode::NOT_FOUND, "not found"));
    }
    let (session, key) = match isolation::Session::new() {
        Ok(pair) => pair,
        Err(err) => return responder.respond(error(&err)),
    };
    shared
        .sessions
        .lock()
        .expect("sessions lock")
        .insert(window.into(), session);
    tracing::info!(window, "isolation: new session (frame loaded)");
    let bootstrap = ISOLATION_JS
        .replacen(super::WIRE_MARKER, super::WIRE_JS, 1)
        .replacen(
            "__PORTCULLIS_ISOLATION_CONFIG__",
            &serde_json::json!({
                "key": BASE64.encode(key.0),
                "label": window,
                "maxPostMessage": MAX_POST_MESSAGE,
            })
            .to_string(),
            1,
        );
    let html = app.html();
    let script = format!("<script>{bootstrap}</script>");
    let page = match find_head(html) {
        Some(at) => format!("{}{script}{}", &html[..at], &html[at..]),
        None => format!("{script}{html}"),
    };
    let mut response = file(
        Cow::Owned(page.into_bytes()),
        "text/html; charset=utf-8",
        Some(ISOLATION_CSP),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    responder.respond(response);
}

/// Just after `<head ...>`, where the bootstrap goes so it runs first.
fn find_head(html: &str) -> Option<usize> {
    let lower = html.to_ascii_lowercase();
    let start = lower.find("<head")?;
    lower[start..].find('>').map(|end| start + end + 1)
}

/// A binary result of a message-transport call, fetched once by its page.
fn parked_reply(
    shared: &Shared,
    window: WebViewId<'_>,
    request: &Request<Vec<u8>>,
    id: Option<u64>,
    responder: RequestAsyncResponder,
) {
    if let Err(refusal) = authorize(shared, request) {
        tracing::warn!(window, refusal, "reply request refused");
        return responder.respond(error(&forbidden(refusal)));
    }
    let bytes = id.and_then(|id| {
        shared
            .parked
            .lock()
            .expect("parked lock")
            .remove(&(Arc::from(window), id))
    });
    responder.respond(match bytes {
        Some(bytes) => reply(Ok(Reply::Binary(bytes))),
        None => error(&InvokeError::new(ErrorCode::Internal, "no such reply")),
    })
}

/// Only the app's own pages, through the injected script, reach the IPC:
/// the request must be for the app's host, come from the app's origin, and
/// carry this run's key.
fn authorize(shared: &Shared, request: &Request<Vec<u8>>) -> Result<(), &'static str> {
    if request.uri().host() != Some("localhost") {
        return Err("request for another host");
    }
    if let Some(origin) = request.headers().get(header::ORIGIN)
        && origin.as_bytes() != ORIGIN.as_bytes()
    {
        return Err("request from another origin");
    }
    match request.headers().get(KEY_HEADER) {
        Some(key) if key.as_bytes() == shared.key.as_bytes() => Ok(()),
        _ => Err("missing or wrong key"),
    }
}

fn forbidden(why: &str) -> InvokeError {
    InvokeError::new(ErrorCode::Forbidden, format!("IPC refused: {why}"))
}

fn reply(response: CallResponse) -> Response<Body> {
    match response {
        Ok(Reply::Json(json)) => bytes(StatusCode::OK, "application/json", json),
        Ok(Reply::Binary(data)) => bytes(StatusCode::OK, "application/octet-stream", data),
        Err(err) => error(&err),
    }
}

fn error(err: &InvokeError) -> Response<Body> {
    let status = StatusCode::from_u16(ipc::status_for(err.code()))
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    bytes(
        status,
        "application/json",
        serde_json::to_vec(err).expect("InvokeError serializes"),
    )
}

fn bytes(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Response<Body> {
    let mut response = Response::new(Cow::Owned(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

fn plain(status: StatusCode, text: &'static str) -> Response<Body> {
    let mut response = Response::new(Cow::Borrowed(text.as_bytes()));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

fn file(body: Body, mime: &str, csp: Option<&str>) -> Response<Body> {
    let mut response = Response::new(body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(mime) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if mime.starts_with("text/html")
        && let Some(value) = csp.and_then(|csp| HeaderValue::from_str(csp).ok())
    {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The benchmark baseline on the custom scheme (see
/// `AppBuilder::__raw_echo_for_benchmarks`): no checks, no framing.
fn raw(path: &str, request: Request<Vec<u8>>, responder: RequestAsyncResponder) {
    let body = match path.strip_prefix("/__raw__/bytes/") {
        Some(n) => vec![7u8; n.parse().unwrap_or(0)],
        None => request.into_body(),
    };
    responder.respond(bytes(StatusCode::OK, "application/octet-stream", body));
}
