//! The app's schemes: `app://` (assets, the fetch transport's door into the
//! gate, parked binary results, the API and bindings modules) and, with
//! isolation on, the isolation frame's own scheme.
//!
//! Called by WebKit on the main thread; nothing here blocks on a command:
//! calls are started on the runtime, which answers the responder itself.
//! Every response carries the scheme's `Content-Security-Policy` and
//! `nosniff`, whatever its type or status, so no document of ours (a text
//! file, a 404 page) is a realm without the policy.

use std::borrow::Cow;
use std::sync::Arc;

use wry::http::{HeaderValue, Method, Request, Response, StatusCode, header};
use wry::{RequestAsyncResponder, WebViewId};

use super::{Shared, windows};
use crate::assets::AssetError;
use crate::bytes::Reply;
use crate::dispatch::Response as CallResponse;
use crate::gate::{Arrival, Fetched, Refused};
use crate::wire::{self, Kind};
use crate::{ErrorCode, InvokeError};

const ISOLATION_JS: &str = include_str!("../../js/isolation.js");
/// The npm package's `index.js`, copied here so the crate is self-contained
/// (`cargo xtask test` checks the copy is current).
const API_JS: &str = include_str!("../../js/api.js");
/// The isolation frame can run its own (inlined) scripts and nothing else: no
/// network, no other frames, no plugins.
const ISOLATION_CSP: &str =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";

type Body = Cow<'static, [u8]>;

/// Answers with `response`, stamped with the scheme's policy.
pub(super) fn respond(
    responder: RequestAsyncResponder,
    csp: Option<&str>,
    mut response: Response<Body>,
) {
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    if let Some(value) = csp.and_then(|csp| HeaderValue::from_str(csp).ok()) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    responder.respond(response);
}

pub(super) fn handle(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let path = request.uri().path();
    #[cfg(feature = "test-hooks")]
    if shared.hooks.raw_echo && path.starts_with("/__raw__/") {
        let path = path.to_owned();
        return raw(&path, request, responder);
    }
    let csp = shared.csp.as_deref();
    if path == wire::IPC_PATH {
        return call(shared, window, request, responder);
    }
    let response = if let Some(id) = path.strip_prefix(wire::REPLY_PATH) {
        parked_reply(shared, window, &request, id.parse().ok())
    } else if request.method() != Method::GET && request.method() != Method::HEAD {
        plain(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
    } else if path == wire::API_PATH {
        file(
            Cow::Borrowed(API_JS.as_bytes()),
            "text/javascript; charset=utf-8",
        )
    } else if path == wire::BINDINGS_PATH {
        let js = shared
            .bindings_js
            .get_or_init(|| bindings_js(&shared.core.commands, shared.core.events.registry()));
        file(
            Cow::Owned(js.clone().into_bytes()),
            "text/javascript; charset=utf-8",
        )
    } else if shared.dev.is_some() {
        return super::dev::serve(shared, window, request, responder);
    } else {
        match shared.assets.get(path) {
            Ok(asset) => {
                tracing::debug!(window, path, "served");
                file(asset.bytes, &asset.mime)
            }
            Err(AssetError::NotFound) => {
                tracing::warn!(window, path, "asset not found");
                plain(StatusCode::NOT_FOUND, "not found")
            }
            Err(AssetError::Forbidden) => {
                tracing::warn!(path, "asset request refused: path leaves the asset root");
                plain(StatusCode::FORBIDDEN, "forbidden")
            }
        }
    };
    respond(responder, csp, response);
}

/// The bindings module, generated on first request. If generation fails (two
/// types with one name), the module throws that error where it is imported.
fn bindings_js(commands: &crate::Commands, events: &crate::Events) -> String {
    match commands.bindings().events(events.clone()).javascript() {
        Ok(js) => js,
        Err(err) => {
            tracing::error!(%err, "cannot generate {}", wire::BINDINGS_PATH);
            let message = serde_json::to_string(&err.to_string()).expect("a string serializes");
            format!("throw new Error({message});\n")
        }
    }
}

fn header_bytes(request: &Request<Vec<u8>>, name: &str) -> Option<Vec<u8>> {
    request.headers().get(name).map(|h| h.as_bytes().to_vec())
}

/// The fetch transport's door: what arrived goes to the gate (on the
/// blocking pool when isolation is on: decrypting a large body takes
/// milliseconds), and what it admits to its command.
fn call(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let csp = shared.csp.clone();
    if request.method() != Method::POST {
        return respond(
            responder,
            csp.as_deref(),
            plain(StatusCode::METHOD_NOT_ALLOWED, "POST only"),
        );
    }
    let fetched = Fetched {
        host: request.uri().host().map(str::to_owned),
        origin: header_bytes(&request, header::ORIGIN.as_str()),
        key: header_bytes(&request, wire::KEY_HEADER),
        id: header_bytes(&request, wire::ID_HEADER),
        envelope: header_bytes(&request, wire::ENVELOPE_HEADER),
        call: header_bytes(&request, wire::CALL_HEADER),
        body: request.into_body(),
    };
    let label: Arc<str> = window.into();
    let isolated = shared.isolation.is_some();
    let runtime = shared.runtime.clone();
    let shared = Arc::clone(shared);
    let admit = move || match shared.core.gate.admit(&label, Arrival::Fetched(fetched)) {
        Ok(admitted) => {
            tracing::debug!(
                window = %label,
                command = %admitted.message.command,
                "message admitted (fetch)"
            );
            match admitted.kind {
                Kind::Invoke => {
                    let mut message = admitted.message;
                    if admitted.id != 0 {
                        shared.core.cancellable(&mut message, admitted.id);
                    }
                    shared
                        .core
                        .spawn(&shared.runtime, message, move |response| {
                            respond(responder, csp.as_deref(), reply(response))
                        })
                }
                Kind::Cancel => {
                    shared.core.calls.cancel(&label, admitted.id);
                    respond(
                        responder,
                        csp.as_deref(),
                        reply(Ok(Reply::Json(b"null".to_vec()))),
                    );
                }
                kind @ (Kind::ChannelAck | Kind::ChannelClose) => {
                    let response = shared
                        .core
                        .channel_message(&label, kind, &admitted.message.args)
                        .map(|()| Reply::Json(b"null".to_vec()));
                    respond(responder, csp.as_deref(), reply(response));
                }
                kind @ (Kind::Emit | Kind::Listen | Kind::Unlisten) => {
                    let response = shared.event_message(&label, kind, admitted.message);
                    respond(responder, csp.as_deref(), reply(response));
                }
            }
        }
        Err(Refused { error, .. }) => {
            tracing::warn!(window = %label, code = %error.code(), %error, "IPC request refused");
            respond(responder, csp.as_deref(), error_response(&error));
        }
    };
    if isolated {
        runtime.spawn_blocking(admit);
    } else {
        admit();
    }
}

/// The isolation frame's document, for the window whose own script asks
/// (`?key=` this run's key; anything else is refused and leaves the live
/// session alone): the bootstrap (a fresh session key, imported
/// non-extractable and then removed from the page) followed by the app
/// author's isolation app. Each load starts a new session for the window.
pub(super) fn isolation_page(
    shared: &Arc<Shared>,
    window: WebViewId<'_>,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let response = isolation_document(shared, window, &request);
    let mut response = response.unwrap_or_else(|err| {
        tracing::warn!(window, %err, "isolation frame refused");
        error_response(&err)
    });
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    respond(responder, Some(ISOLATION_CSP), response);
}

fn isolation_document(
    shared: &Shared,
    window: WebViewId<'_>,
    request: &Request<Vec<u8>>,
) -> Result<Response<Body>, InvokeError> {
    let not_found = || InvokeError::new(ErrorCode::Forbidden, "not found");
    let app = shared.isolation.as_ref().ok_or_else(not_found)?;
    let path = request.uri().path();
    if request.method() != Method::GET || (path != "/" && path != "/index.html") {
        return Err(not_found());
    }
    let key = request
        .uri()
        .query()
        .and_then(|query| query.strip_prefix("key="))
        .unwrap_or_default();
    let label: Arc<str> = window.into();
    let session_key = shared.core.gate.begin_session(&label, key.as_bytes())?;
    tracing::info!(window, "isolation: new session (frame loaded)");
    let bootstrap = ISOLATION_JS
        .replacen(windows::WIRE_MARKER, windows::WIRE_JS, 1)
        .replacen(
            "__PORTCULLIS_ISOLATION_CONFIG__",
            &serde_json::json!({
                "key": session_key,
                "label": window,
                "capabilities": shared.core.gate.permissions.names_for(window),
                "wire": wire::js_config(),
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
    Ok(file(
        Cow::Owned(page.into_bytes()),
        "text/html; charset=utf-8",
    ))
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
) -> Response<Body> {
    if let Err(err) = shared.core.gate.check_request(
        request.uri().host(),
        request.headers().get(header::ORIGIN).map(|h| h.as_bytes()),
        request
            .headers()
            .get(wire::KEY_HEADER)
            .map(|h| h.as_bytes()),
    ) {
        tracing::warn!(window, %err, "reply request refused");
        return error_response(&err);
    }
    match id.and_then(|id| shared.pages.take_parked(window, id)) {
        Some(bytes) => reply(Ok(Reply::Binary(bytes))),
        None => error_response(&InvokeError::new(ErrorCode::Internal, "no such reply")),
    }
}

fn reply(response: CallResponse) -> Response<Body> {
    match response {
        Ok(Reply::Json(json)) => bytes(StatusCode::OK, "application/json", json),
        Ok(Reply::Binary(data)) => bytes(StatusCode::OK, "application/octet-stream", data),
        Err(err) => error_response(&err),
    }
}

/// The HTTP status a failed call gets on the fetch transport.
fn status_for(code: ErrorCode) -> StatusCode {
    match code {
        ErrorCode::UnknownCommand | ErrorCode::UnknownEvent => StatusCode::NOT_FOUND,
        ErrorCode::InvalidArgs => StatusCode::BAD_REQUEST,
        ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorCode::TooManyCalls => StatusCode::TOO_MANY_REQUESTS,
        ErrorCode::Forbidden | ErrorCode::IsolationRequired | ErrorCode::IsolationInvalid => {
            StatusCode::FORBIDDEN
        }
        ErrorCode::CommandError | ErrorCode::Rejected => StatusCode::UNPROCESSABLE_ENTITY,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn error_response(err: &InvokeError) -> Response<Body> {
    bytes(
        status_for(err.code()),
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

fn file(body: Body, mime: &str) -> Response<Body> {
    let mut response = Response::new(body);
    if let Ok(value) = HeaderValue::from_str(mime) {
        response.headers_mut().insert(header::CONTENT_TYPE, value);
    }
    response
}

/// The benchmark baseline on the custom scheme (see
/// `AppBuilder::__raw_echo_for_benchmarks`): no checks, no framing.
#[cfg(feature = "test-hooks")]
fn raw(path: &str, request: Request<Vec<u8>>, responder: RequestAsyncResponder) {
    let body = match path.strip_prefix("/__raw__/bytes/") {
        Some(n) => vec![7u8; n.parse().unwrap_or(0)],
        None => request.into_body(),
    };
    responder.respond(bytes(StatusCode::OK, "application/octet-stream", body));
}
