//! The front end's dev server ([`AppBuilder::dev_url`](super::AppBuilder::dev_url)):
//! in a debug build the app's scheme serves pages from a dev server (Vite or
//! any other) instead of the app's assets.
//!
//! The core fetches each path from the dev server and answers it on the
//! app's own origin. Pages therefore keep that origin, and with it the IPC
//! key, the gate's origin check, isolation, capabilities and the CSP,
//! exactly as in the built app: nothing about the dev server's own origin is
//! trusted, and a page loaded from it directly gets no IPC. The one addition
//! is in the CSP: pages may open the dev server's websocket (hot reload), and
//! nothing else of it.
//!
//! Decision (issue #16): a proxy rather than loading the dev server's URL in
//! the window. Loading it directly would make a second trusted origin, need
//! CORS on every custom-scheme fetch (binary calls, channels, large replies)
//! and leave the page without our CSP; the proxy needs none of that.

use std::borrow::Cow;
use std::sync::Arc;
use std::time::Duration;

use wry::RequestAsyncResponder;
use wry::http::{HeaderValue, Request, Response, StatusCode, header};

use super::Shared;
use crate::{Error, Result};

/// The environment variable `cargo portcullis dev` sets; in a debug build it
/// overrides the builder's URL.
pub(super) const ENV: &str = "PORTCULLIS_DEV_URL";
/// The largest response taken from the dev server (a source map of a big
/// bundle is tens of MiB; anything larger is not a dev page).
const BODY_LIMIT: u64 = 512 << 20;
/// Response headers passed through to the page (the policy headers are ours).
const PASSED: [header::HeaderName; 4] = [
    header::CONTENT_TYPE,
    header::CACHE_CONTROL,
    header::ETAG,
    header::LOCATION,
];

/// A dev server the app's pages are served from.
pub(super) struct DevServer {
    /// The URL without a trailing `/`: request paths are appended.
    base: String,
    /// The websocket origin the CSP allows (`ws://localhost:5173`).
    pub(super) socket: String,
    agent: ureq::Agent,
}

impl std::fmt::Debug for DevServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DevServer")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

/// How the builder asked for a dev server.
#[derive(Clone, Debug)]
pub(super) struct Requested {
    pub(super) url: String,
    /// `force_dev_url`: honoured in release builds too.
    pub(super) forced: bool,
}

/// The dev server this run uses, if any: in a debug build the environment's
/// [`ENV`] or else the builder's URL; in a release build only a forced one.
pub(super) fn resolve(requested: Option<Requested>) -> Result<Option<DevServer>> {
    let env = std::env::var(ENV).ok().filter(|url| !url.trim().is_empty());
    let url = match (cfg!(debug_assertions), env, requested) {
        (true, Some(url), _) => url,
        (_, _, Some(Requested { url, forced: true })) => url,
        (true, None, Some(Requested { url, .. })) => url,
        (false, env, requested) => {
            if requested.is_some() || env.is_some() {
                tracing::info!(
                    "dev server ignored in a release build (use .force_dev_url to insist)"
                );
            }
            return Ok(None);
        }
        (true, None, None) => return Ok(None),
    };
    DevServer::new(&url).map(Some)
}

impl DevServer {
    fn new(url: &str) -> Result<Self> {
        let bad = |why: &str| Error::msg(format!("dev server URL `{url}`: {why}"));
        let parsed = url::Url::parse(url).map_err(|err| bad(&err.to_string()))?;
        let socket_scheme = match parsed.scheme() {
            "http" => "ws",
            "https" => "wss",
            _ => return Err(bad("not http or https")),
        };
        let host = parsed.host_str().ok_or_else(|| bad("no host"))?;
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(bad("a query or fragment has no place in it"));
        }
        let socket = match parsed.port() {
            Some(port) => format!("{socket_scheme}://{host}:{port}"),
            None => format!("{socket_scheme}://{host}"),
        };
        let agent = ureq::Agent::config_builder()
            // The dev server's 404 is the page's 404, not a proxy failure.
            .http_status_as_error(false)
            // A redirect goes to the page, which follows it on our origin.
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(60)))
            .build()
            .into();
        Ok(DevServer {
            base: parsed.as_str().trim_end_matches('/').to_owned(),
            socket,
            agent,
        })
    }

    /// The dev server's URL for a request to the app's scheme.
    fn url_for(&self, request: &Request<Vec<u8>>) -> String {
        let uri = request.uri();
        let path = uri.path_and_query().map_or("/", |p| p.as_str());
        format!("{}{path}", self.base)
    }
}

/// `csp` with the dev server's websocket added to what pages may connect to.
pub(super) fn csp_with_socket(csp: &str, socket: &str) -> String {
    let directives: Vec<&str> = csp
        .split(';')
        .map(str::trim)
        .filter(|d| !d.is_empty())
        .collect();
    let named = |name: &str| {
        directives
            .iter()
            .position(|d| d.split_whitespace().next() == Some(name))
    };
    let mut out: Vec<String> = directives.iter().map(|d| (*d).to_owned()).collect();
    match (named("connect-src"), named("default-src")) {
        (Some(i), _) => out[i] = format!("{} {socket}", out[i]),
        // `connect-src` falls back to `default-src`: keep what it allowed.
        (None, Some(i)) => {
            let sources = out[i].trim_start_matches("default-src").trim().to_owned();
            out.push(format!("connect-src {sources} {socket}"));
        }
        // No policy on connections at all: nothing to widen.
        (None, None) => {}
    }
    out.join("; ")
}

/// Answers a page request from the dev server, on the blocking pool.
pub(super) fn serve(
    shared: &Arc<Shared>,
    window: &str,
    request: Request<Vec<u8>>,
    responder: RequestAsyncResponder,
) {
    let shared = Arc::clone(shared);
    let window = window.to_owned();
    let runtime = shared.runtime.clone();
    runtime.spawn_blocking(move || {
        let Some(dev) = &shared.dev else {
            // Only called with a dev server; answered all the same, so the
            // page's request never hangs.
            let mut response = Response::new(Cow::Borrowed(&b"no dev server"[..]));
            *response.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
            return super::protocol::respond(responder, shared.csp.as_deref(), response);
        };
        let url = dev.url_for(&request);
        let mut call = dev.agent.get(&url);
        if let Some(accept) = request.headers().get(header::ACCEPT) {
            call = call.header(header::ACCEPT, accept);
        }
        let response = match call.call() {
            Ok(mut answer) => {
                let mut response = Response::builder().status(answer.status());
                for name in PASSED {
                    if let Some(value) = answer.headers().get(&name) {
                        response = response.header(name, value);
                    }
                }
                match answer
                    .body_mut()
                    .with_config()
                    .limit(BODY_LIMIT)
                    .read_to_vec()
                {
                    Ok(body) => {
                        tracing::debug!(window, url, status = %answer.status(), "served from the dev server");
                        response
                            .body(Cow::Owned(body))
                            .expect("headers from a valid response")
                    }
                    Err(err) => unreachable_server(&url, &err),
                }
            }
            Err(err) => unreachable_server(&url, &err),
        };
        super::protocol::respond(responder, shared.csp.as_deref(), response);
    });
}

/// A 502 that says what failed, and the same on stderr.
fn unreachable_server(url: &str, err: &ureq::Error) -> Response<Cow<'static, [u8]>> {
    tracing::warn!(url, %err, "the dev server did not answer");
    let text = format!(
        "Portcullis: the dev server did not answer {url}: {err}.\n\
         Is it running? (`cargo portcullis dev` starts it.)\n"
    );
    let mut response = Response::new(Cow::Owned(text.into_bytes()));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_socket_joins_connect_src_and_nothing_else() {
        let csp = csp_with_socket(super::super::DEFAULT_CSP, "ws://localhost:5173");
        assert!(
            csp.contains("connect-src 'self' ws://localhost:5173;"),
            "{csp}"
        );
        assert_eq!(csp.matches("ws://localhost:5173").count(), 1, "{csp}");
        assert!(csp.contains("script-src 'self';"), "{csp}");
    }

    #[test]
    fn without_connect_src_the_default_sources_are_kept() {
        let csp = csp_with_socket("default-src 'self' data:", "wss://dev.test");
        assert_eq!(
            csp,
            "default-src 'self' data:; connect-src 'self' data: wss://dev.test"
        );
        assert_eq!(csp_with_socket("img-src *", "ws://x"), "img-src *");
    }

    #[test]
    fn dev_urls_are_checked() {
        let dev = DevServer::new("http://localhost:5173/").unwrap();
        assert_eq!(dev.socket, "ws://localhost:5173");
        assert_eq!(dev.base, "http://localhost:5173");
        let request = Request::get("app://localhost/src/main.ts?t=1")
            .body(Vec::new())
            .unwrap();
        assert_eq!(
            dev.url_for(&request),
            "http://localhost:5173/src/main.ts?t=1"
        );
        let dev = DevServer::new("https://127.0.0.1/app").unwrap();
        assert_eq!(dev.socket, "wss://127.0.0.1");
        assert_eq!(dev.base, "https://127.0.0.1/app");
        for bad in ["file:///tmp/x", "localhost:5173", "http://h/?q=1", "ws://h"] {
            assert!(DevServer::new(bad).is_err(), "{bad}");
        }
    }
}
