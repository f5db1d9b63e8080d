//! The event loop's windows: opening one (its web view, its handlers, the
//! injected script), the registry of open ones, and the [`Host`] the core
//! sends its requests through.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::Arc;

use tao::dpi::LogicalSize;
use tao::event_loop::{EventLoopProxy, EventLoopWindowTarget};
use tao::window::WindowId;
use wry::{NewWindowResponse, PageLoadEvent, WebView, WebViewBuilder};

use super::events::Outbox;
use super::platform::{self, LoopEvent, MainThread};
use super::{ISOLATION_SCHEME, SCHEME, Shared, protocol, wait};
use crate::host::{Host, HostRequest};
use crate::{Error, Result, WindowConfig, wire};

/// The script injected into the main frame of every page, before its own.
const INTERNALS_JS: &str = include_str!("../../js/internals.js");
/// The wire helpers both injected scripts share, spliced in at this marker.
pub(super) const WIRE_MARKER: &str = "/*__PORTCULLIS_WIRE__*/";
pub(super) const WIRE_JS: &str = include_str!("../../js/wire.js");

thread_local! {
    /// The web views of the open windows, by label: main thread only, where
    /// scripts are evaluated.
    static WEBVIEWS: RefCell<HashMap<Arc<str>, Weak<WebView>>> = RefCell::default();
}

/// The running app's [`Host`]: scripts go to the page the quickest way to
/// the main thread (see [`deliver`]), everything else through tao's event
/// loop proxy.
pub(super) struct EventLoopHost {
    proxy: EventLoopProxy<LoopEvent>,
    main_thread: MainThread,
    outbox: Arc<Outbox>,
}

impl EventLoopHost {
    pub(super) fn new(
        proxy: EventLoopProxy<LoopEvent>,
        main_thread: MainThread,
        outbox: Arc<Outbox>,
    ) -> Self {
        EventLoopHost {
            proxy,
            main_thread,
            outbox,
        }
    }
}

impl std::fmt::Debug for EventLoopHost {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("EventLoopHost")
    }
}

impl Host for EventLoopHost {
    #[cfg(feature = "test-hooks")]
    fn event_counts(&self, window: &str) -> (usize, usize) {
        self.outbox.counts(window)
    }

    fn send(&self, request: HostRequest) -> Result<()> {
        match request {
            HostRequest::Eval { window, script } => {
                deliver(&self.main_thread, window, script, |_| true);
                Ok(())
            }
            HostRequest::Emit { window, event } => {
                self.outbox.emit(window, event);
                Ok(())
            }
            HostRequest::Channel { window, id, item } => {
                self.outbox.channel(window, id, item);
                Ok(())
            }
            request => {
                let sent = self
                    .proxy
                    .send_event(LoopEvent::Host(request))
                    .map_err(|_| Error::msg("the app has stopped"));
                wait::posted_to_loop();
                sent
            }
        }
    }
}

/// Runs `script` in the page of window `label`, from any thread, on the main
/// thread (see `platform::MainThread`), if `still_wanted` (asked on the main
/// thread, right before) says so.
pub(super) fn deliver(
    main_thread: &MainThread,
    label: Arc<str>,
    script: String,
    still_wanted: impl FnOnce(&str) -> bool + Send + 'static,
) {
    main_thread.run(move || {
        // A closed window's replies have nobody to go to.
        if let Some(webview) = open_webview(&label)
            && still_wanted(&label)
        {
            evaluate(&webview, &label, &script);
        }
    });
    wait::posted_to_loop();
}

/// Runs `script` in `webview`'s page (main thread); a failure is logged.
fn evaluate(webview: &WebView, label: &str, script: &str) {
    if let Err(err) = webview.evaluate_script(script) {
        tracing::warn!(window = %label, %err, "could not run a script in the page");
    }
}

/// A script to run in a window's page if its check, asked on the main
/// thread right before, still says so.
type Queued = (String, Box<dyn FnOnce(&str) -> bool + Send>);

/// Reply scripts posted to the main thread and not run yet, by window: one
/// post each, so that the replies that become ready while it waits (100
/// calls in flight) run in one `evaluate_script` instead of one each.
#[derive(Default)]
struct Batches {
    next: u64,
    by_window: HashMap<Arc<str>, Vec<Batch>>,
}

struct Batch {
    id: u64,
    /// [`wait::loop_posts`] once this batch was counted, before it was
    /// posted: a reply may join only while it is unchanged, so no reply
    /// overtakes anything posted after the batch (a `Window::eval`, an
    /// event, another batch).
    posts: u64,
    scripts: Vec<Queued>,
}

static BATCHES: std::sync::LazyLock<std::sync::Mutex<Batches>> =
    std::sync::LazyLock::new(Default::default);

/// Like [`deliver`], for reply scripts: a reply joins the window's batch
/// still waiting for the main thread when nothing else was posted since.
pub(super) fn deliver_reply(
    main_thread: &MainThread,
    label: Arc<str>,
    script: String,
    still_wanted: impl FnOnce(&str) -> bool + Send + 'static,
) {
    let id = {
        let mut batches = BATCHES.lock().expect("batches lock");
        let batches = &mut *batches;
        if let Some(last) = batches.by_window.get_mut(&label).and_then(|b| b.last_mut())
            && last.posts == wait::loop_posts()
        {
            last.scripts.push((script, Box::new(still_wanted)));
            return;
        }
        batches.next += 1;
        let id = batches.next;
        // Counted before it is posted, unlike other posts: then no reply
        // joins a batch that anything posted after it could precede.
        wait::posted_to_loop();
        batches
            .by_window
            .entry(label.clone())
            .or_default()
            .push(Batch {
                id,
                posts: wait::loop_posts(),
                scripts: vec![(script, Box::new(still_wanted))],
            });
        id
    };
    // Not under the lock: on the main thread this runs at once.
    main_thread.run(move || {
        let scripts = {
            let mut batches = BATCHES.lock().expect("batches lock");
            let Some(queue) = batches.by_window.get_mut(&label) else {
                return;
            };
            let Some(at) = queue.iter().position(|b| b.id == id) else {
                return;
            };
            let batch = queue.remove(at);
            if queue.is_empty() {
                batches.by_window.remove(&label);
            }
            batch.scripts
        };
        let Some(webview) = open_webview(&label) else {
            return;
        };
        let mut wanted = scripts
            .into_iter()
            .filter_map(|(script, still_wanted)| still_wanted(&label).then_some(script));
        // Each script is a whole statement: the rest are appended to the first.
        let Some(mut script) = wanted.next() else {
            return;
        };
        wanted.for_each(|more| script.push_str(&more));
        evaluate(&webview, &label, &script);
    });
}

/// The web view of the open window `label`; main thread only.
pub(super) fn open_webview(label: &str) -> Option<Rc<WebView>> {
    WEBVIEWS.with(|views| views.borrow().get(label).and_then(Weak::upgrade))
}

/// The open windows; main thread only.
#[derive(Default)]
pub(super) struct Windows {
    by_label: HashMap<Arc<str>, OpenWindow>,
    by_id: HashMap<WindowId, Arc<str>>,
}

pub(super) struct OpenWindow {
    // Dropped in this order: the web view before its window.
    webview: Rc<WebView>,
    window: tao::window::Window,
}

impl Windows {
    pub(super) fn insert(&mut self, (label, open): (Arc<str>, OpenWindow)) {
        WEBVIEWS.with(|views| {
            views
                .borrow_mut()
                .insert(label.clone(), Rc::downgrade(&open.webview))
        });
        self.by_id.insert(open.window.id(), label.clone());
        self.by_label.insert(label, open);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.by_label.is_empty()
    }

    pub(super) fn close_by_id(&mut self, shared: &Shared, id: WindowId) {
        if let Some(label) = self.by_id.get(&id).cloned() {
            self.remove(shared, &label);
        }
    }

    fn remove(&mut self, shared: &Shared, label: &str) {
        WEBVIEWS.with(|views| views.borrow_mut().remove(label));
        if let Some(open) = self.by_label.remove(label) {
            self.by_id.remove(&open.window.id());
        }
        shared
            .core
            .windows
            .lock()
            .expect("windows lock")
            .remove(label);
        shared.pages.closed(label);
        shared.outbox.closed(label);
        shared.core.gate.window_closed(label);
        shared.core.calls.cancel_window(label);
        shared.core.channels.close_window(label);
        crate::memory::soon();
    }

    pub(super) fn clear(&mut self, shared: &Shared) {
        let labels: Vec<Arc<str>> = self.by_label.keys().cloned().collect();
        for label in labels {
            self.remove(shared, &label);
        }
    }

    pub(super) fn handle(
        &mut self,
        shared: &Arc<Shared>,
        target: &EventLoopWindowTarget<LoopEvent>,
        request: HostRequest,
    ) {
        match request {
            HostRequest::SetTitle { window, title } => {
                if let Some(open) = self.by_label.get(&window) {
                    open.window.set_title(&title);
                }
            }
            HostRequest::Close { window } => self.remove(shared, &window),
            HostRequest::Open(config) => {
                let label = config.label.clone();
                match open(target, shared, config) {
                    Ok(open) => self.insert(open),
                    Err(err) => {
                        tracing::error!(window = %label, %err, "could not open window");
                        shared
                            .core
                            .windows
                            .lock()
                            .expect("windows lock")
                            .remove(label.as_str());
                    }
                }
            }
            HostRequest::Exit => self.clear(shared),
            // Sent straight to the page (or outbox) by `EventLoopHost`.
            HostRequest::Eval { window, script } => {
                deliver(&shared.main_thread, window, script, |_| true)
            }
            HostRequest::Emit { window, event } => shared.outbox.emit(window, event),
            HostRequest::Channel { window, id, item } => shared.outbox.channel(window, id, item),
        }
    }
}

/// The injected script for window `label`, with this run's configuration.
fn internals(shared: &Shared, label: &str) -> String {
    #[cfg(feature = "test-hooks")]
    let expose_key = shared.hooks.expose_key;
    #[cfg(not(feature = "test-hooks"))]
    let expose_key = false;
    let config = serde_json::json!({
        "key": shared.core.gate.key(),
        "replyToken": shared.reply_token,
        "label": label,
        "origin": shared.origin,
        // Pages of these origins get IPC too (a capability names them).
        "remoteOrigins": if shared.isolation.is_some() {
            Vec::new()
        } else {
            shared.core.gate.permissions.remote_origins().collect::<Vec<_>>()
        },
        "wire": wire::js_config(),
        "isolation": shared.isolation.as_ref().map(|_| serde_json::json!({
            "url": shared.isolation_url,
            "timeoutMs": shared.isolation_timeout.as_millis() as u64,
        })),
        "exposeKeyForTests": expose_key,
    });
    INTERNALS_JS.replacen(WIRE_MARKER, WIRE_JS, 1).replacen(
        "__PORTCULLIS_CONFIG__",
        &config.to_string(),
        1,
    )
}

pub(super) fn open(
    target: &EventLoopWindowTarget<LoopEvent>,
    shared: &Arc<Shared>,
    config: WindowConfig,
) -> Result<(Arc<str>, OpenWindow)> {
    let window = tao::window::WindowBuilder::new()
        .with_title(&config.title)
        .with_inner_size(LogicalSize::new(config.size.0, config.size.1))
        .with_visible(config.visible)
        .build(target)?;
    let label: Arc<str> = config.label.as_str().into();
    let url = if config.url.contains("://") {
        config.url.clone()
    } else {
        // wry maps this to the platform's form (see `platform`).
        format!(
            "{SCHEME}://localhost/{}",
            config.url.trim_start_matches('/')
        )
    };
    let mut builder = WebViewBuilder::new()
        .with_id(&label)
        .with_asynchronous_custom_protocol(SCHEME.into(), {
            let shared = Arc::clone(shared);
            move |id, request, responder| protocol::handle(&shared, id, request, responder)
        })
        .with_ipc_handler({
            let shared = Arc::clone(shared);
            let label = label.clone();
            move |request| {
                #[cfg(feature = "test-hooks")]
                if shared.hooks.raw_echo && raw_echo(&label, request.body()) {
                    return;
                }
                shared.on_message(&label, &request.uri().to_string(), request.body())
            }
        })
        // Each committed page load (reload, navigation, web-process restart)
        // starts fresh: replies and parked results of the last one are dropped.
        .with_on_page_load_handler({
            let shared = Arc::clone(shared);
            let label = label.clone();
            move |event, url| {
                if let PageLoadEvent::Started = event {
                    let remote = crate::capability::page_origin(&url)
                        .filter(|origin| *origin != shared.origin)
                        .map(Arc::from);
                    shared.pages.committed(&label, remote);
                    shared.outbox.page_loaded(&label);
                    // The page that made them is gone: so are its calls.
                    shared.core.channels.close_window(&label);
                    let cancelled = shared.core.calls.cancel_window(&label);
                    if cancelled > 0 {
                        tracing::debug!(window = %label, cancelled, "calls of the previous page cancelled");
                    }
                }
            }
        })
        // Main frame only: sub-frames never see the key.
        .with_initialization_script_for_main_only(internals(shared, &label), true)
        .with_navigation_handler({
            let shared = Arc::clone(shared);
            move |url| shared.may_navigate(&url)
        })
        .with_new_window_req_handler(|url, _features| {
            tracing::warn!(url, "window.open blocked: open windows from Rust");
            NewWindowResponse::Deny
        })
        .with_devtools(config.devtools)
        .with_url(url);
    if shared.isolation.is_some() {
        builder = builder.with_asynchronous_custom_protocol(ISOLATION_SCHEME.into(), {
            let shared = Arc::clone(shared);
            move |id, request, responder| protocol::isolation_page(&shared, id, request, responder)
        });
    }
    for script in config.scripts {
        builder = builder.with_initialization_script_for_main_only(script, true);
    }
    let webview = Rc::new(platform::build(builder, &window)?);
    platform::watch_web_process(&webview, label.clone());
    Ok((label, OpenWindow { webview, window }))
}

/// The benchmark baseline (`test-hooks`): answers `RAW\nID\nJSON` from the
/// IPC handler itself, as a bare wry app would; `RAWEV\nN\nJSON` evaluates
/// `window.__rawEvent(JSON)` N times, as a bare wry app pushing N events
/// from its main thread would. Returns whether the message was one.
#[cfg(feature = "test-hooks")]
fn raw_echo(label: &str, body: &str) -> bool {
    if let Some(rest) = body.strip_prefix("RAWEV\n") {
        let Some((n, json)) = rest.split_once('\n') else {
            return false;
        };
        let n: usize = n.parse().unwrap_or(0);
        let script = format!("window.__rawEvent({json})");
        if let Some(webview) = open_webview(label) {
            for _ in 0..n {
                let _ = webview.evaluate_script(&script);
            }
        }
        return true;
    }
    let Some(rest) = body.strip_prefix("RAW\n") else {
        return false;
    };
    let Some((id, json)) = rest.split_once('\n') else {
        return false;
    };
    if let Some(webview) = open_webview(label) {
        let _ = webview.evaluate_script(&format!("window.__rawReply({id},{json})"));
    }
    true
}
