//! The desktop runtime: an event loop (tao) owning every window, a web view
//! (wry: WebKitGTK on Linux) in each, the app's custom scheme serving assets
//! and IPC, and the message channel.
//!
//! Threads: the event loop and all windows live on the main thread, which
//! never runs a command. Commands run on a tokio runtime (async) or its
//! blocking pool (sync); replies come back to the main thread as a closure on
//! the glib main context (message transport, see [`deliver`]) or go straight
//! to WebKit's responder (fetch transport). Window operations from commands
//! reach the event loop through its proxy.

mod ipc;
mod isolation;
mod isolation_app;
mod protocol;
mod recover;
mod wait;
mod window;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::{Rc, Weak};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tao::dpi::LogicalSize;
use tao::event::{Event, WindowEvent};
use tao::event_loop::{ControlFlow, EventLoopBuilder, EventLoopWindowTarget};
use tao::platform::run_return::EventLoopExtRunReturn;
use tao::platform::unix::WindowExtUnix;
use tao::window::WindowId;
use wry::{NewWindowResponse, WebView, WebViewBuilder, WebViewBuilderExtUnix};

pub use isolation_app::Isolation;
pub use window::{AppHandle, Window, WindowConfig};
pub(crate) use window::{Host, UserEvent};

use crate::dispatch::{Core, Limits, Message};
use crate::registry::Commands;
use crate::state::StateMap;
use crate::{Assets, Error, Result};

/// The custom scheme pages and IPC are served on.
const SCHEME: &str = "app";
/// The origin of every page the app serves.
const ORIGIN: &str = "app://localhost";
const INTERNALS_JS: &str = include_str!("../../../js-api/src/internals.js");
/// The wire format helpers both injected scripts share, spliced in at this marker.
pub(crate) const WIRE_MARKER: &str = "/*__PORTCULLIS_WIRE__*/";
pub(crate) const WIRE_JS: &str = include_str!("../../../js-api/src/wire.js");
/// The scheme the isolation frame is served from: its own origin.
const ISOLATION_SCHEME: &str = "portcullis-isolation";
const ISOLATION_URL: &str = "portcullis-isolation://localhost/";

/// The `Content-Security-Policy` of served HTML unless
/// [`AppBuilder::csp`] sets another: only the app's own scripts, styles
/// (inline allowed), images and connections.
pub const DEFAULT_CSP: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; \
    connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'";

/// A desktop app: build it with [`App::builder`].
#[derive(Debug)]
pub struct App;

impl App {
    /// Starts building an app.
    pub fn builder() -> AppBuilder {
        AppBuilder {
            commands: Ok(Commands::new()),
            state: StateMap::default(),
            windows: Vec::new(),
            assets: None,
            csp: Some(DEFAULT_CSP.to_owned()),
            limits: Limits::default(),
            navigation: Vec::new(),
            raw_echo: false,
            reply_wait: wait::DEFAULT_BUDGET,
            isolation: None,
            isolation_timeout: Duration::from_secs(10),
            expose_key: false,
        }
    }
}

/// Configures and runs an app.
///
/// ```no_run
/// use portcullis::{command, commands, App, Assets, WindowConfig};
///
/// #[command]
/// fn greet(name: String) -> String {
///     format!("Hello, {name}!")
/// }
///
/// fn main() -> portcullis::Result<()> {
///     App::builder()
///         .commands(commands![greet])
///         .window(WindowConfig::new("main").title("Hello"))
///         .assets(Assets::dir("dist"))
///         .run()
/// }
/// ```
#[derive(Debug)]
pub struct AppBuilder {
    commands: std::result::Result<Commands, crate::DuplicateCommand>,
    state: StateMap,
    windows: Vec<WindowConfig>,
    assets: Option<Assets>,
    csp: Option<String>,
    limits: Limits,
    navigation: Vec<String>,
    raw_echo: bool,
    isolation: Option<Isolation>,
    isolation_timeout: Duration,
    reply_wait: Duration,
    expose_key: bool,
}

impl AppBuilder {
    /// Makes a value available to commands as `State<'_, T>`.
    ///
    /// # Panics
    /// If a value of the same type is already managed.
    pub fn manage<T: Send + Sync + 'static>(mut self, value: T) -> Self {
        self.state.insert(value);
        self
    }

    /// Adds commands. May be called several times; a command name defined
    /// twice makes [`run`](Self::run) fail with an error naming both.
    pub fn commands(mut self, commands: Commands) -> Self {
        self.commands = self.commands.and_then(|all| all.merge(commands));
        self
    }

    /// Opens this window when the app starts. Add several for several windows.
    pub fn window(mut self, config: WindowConfig) -> Self {
        self.windows.push(config);
        self
    }

    /// The front end's files: [`assets!`](crate::assets) (embedded) or
    /// [`Assets::dir`] (read from disk).
    pub fn assets(mut self, assets: Assets) -> Self {
        self.assets = Some(assets);
        self
    }

    /// Replaces the `Content-Security-Policy` of served HTML ([`DEFAULT_CSP`]);
    /// `None` sends none.
    pub fn csp(mut self, csp: Option<String>) -> Self {
        self.csp = csp;
        self
    }

    /// Replaces the default [`Limits`].
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Turns on the isolation pattern: every message from every window's page
    /// goes through `isolation`'s hook, in a sandboxed frame, and reaches the
    /// core only encrypted under that window's key; anything else is refused.
    /// See SECURITY.md.
    pub fn isolation(mut self, isolation: Isolation) -> Self {
        self.isolation = Some(isolation);
        self
    }

    /// How long the isolation hook may take before the call fails with
    /// `isolation_timeout` (default 10 s).
    pub fn isolation_timeout(mut self, timeout: Duration) -> Self {
        self.isolation_timeout = timeout;
        self
    }

    /// How long the main thread may wait for the reply of a fast call
    /// (default 100 µs) before going back to the event loop.
    ///
    /// Commands never run on the main thread. But a reply that comes back
    /// through the event loop has to wake it, which costs about a tenth of a
    /// small call. So when a call is the only one in flight, and its command
    /// answered within this budget last time, the main thread waits for the
    /// reply (awake, yielding its CPU, for at most this long) and runs it at
    /// once. Slower commands, and calls that arrive while others are in
    /// flight or in a burst of messages, are never waited for. A waited-for
    /// reply never overtakes what its command posted to the main thread: if
    /// the command evaluated a script (or set a title, opened a window), the
    /// reply goes through the loop behind it, so a page `await`ing the call
    /// sees the script's effects. `Duration::ZERO` turns this off.
    pub fn reply_wait(mut self, budget: Duration) -> Self {
        self.reply_wait = budget;
        self
    }

    /// Lets windows navigate to pages of `origin` (`"https://docs.example.com"`).
    /// Pages there get no IPC: only the app's own pages can call commands.
    /// Every other navigation away from the app is blocked.
    pub fn allow_navigation(mut self, origin: impl Into<String>) -> Self {
        self.navigation.push(origin.into());
        self
    }

    /// Benchmarks only, never in an app: adds bare wry round trips to every
    /// window, with no checks at all, as the baseline Portcullis is measured
    /// against in the same web view: a posted `RAW\nID\nJSON` is answered by
    /// `window.__rawReply(ID, JSON)` straight from the IPC handler, `POST
    /// /__raw__/echo` answers its body and `GET /__raw__/bytes/N` N bytes.
    #[doc(hidden)]
    pub fn __raw_echo_for_benchmarks(mut self) -> Self {
        self.raw_echo = true;
        self
    }

    /// Tests only, never in an app: gives pages this run's IPC key and a log
    /// of the messages they posted (`window.__PORTCULLIS_TEST__`), so tests can
    /// attack the isolation envelope as if the outer key had leaked.
    #[doc(hidden)]
    pub fn __expose_ipc_key_for_tests(mut self) -> Self {
        self.expose_key = true;
        self
    }

    /// Opens the windows and runs the event loop on this thread (the main
    /// thread) until the last window closes or [`AppHandle::exit`] is called.
    pub fn run(self) -> Result<()> {
        let commands = self.commands?;
        let assets = self
            .assets
            .ok_or_else(|| Error::msg("no assets: call .assets(portcullis::assets!(\"dist\"))"))?;
        if self.windows.is_empty() {
            return Err(Error::msg(
                "no windows: add one with .window(WindowConfig::new(\"main\"))",
            ));
        }
        let navigation = self
            .navigation
            .iter()
            .map(|o| origin_of(o).ok_or_else(|| Error::msg(format!("`{o}` is not an origin"))))
            .collect::<Result<Vec<_>>>()?;

        let mut event_loop = EventLoopBuilder::<UserEvent>::with_user_event().build();
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("portcullis-command")
            .build()?;
        let mut core = Core::new(commands, self.state, self.limits);
        core.host = Some(Host {
            proxy: event_loop.create_proxy(),
            labels: Mutex::new(Default::default()),
        });
        let shared = Arc::new(Shared {
            core: Arc::new(core),
            runtime: runtime.handle().clone(),
            key: new_key()?,
            assets,
            navigation,
            parked: Mutex::new(HashMap::new()),
            raw_echo: self.raw_echo,
            csp: match (&self.isolation, self.csp) {
                // The page must be allowed to frame the isolation app.
                (Some(_), Some(csp)) if !csp.contains("frame-src") => {
                    Some(format!("{csp}; frame-src 'self' {ISOLATION_URL}"))
                }
                (_, csp) => csp,
            },
            isolation: self.isolation,
            isolation_timeout: self.isolation_timeout,
            reply_wait: wait::ReplyWait::new(self.reply_wait),
            expose_key: self.expose_key,
            sessions: Mutex::new(HashMap::new()),
            bindings_js: std::sync::OnceLock::new(),
        });

        let mut windows = Windows::default();
        for config in self.windows {
            if !shared
                .host()
                .labels
                .lock()
                .expect("labels lock")
                .insert(config.label.as_str().into())
            {
                return Err(Error::msg(format!(
                    "two windows are labelled `{}`",
                    config.label
                )));
            }
            windows.insert(open_window(&event_loop, &shared, config)?);
        }

        event_loop.run_return(|event, target, control_flow| {
            *control_flow = ControlFlow::Wait;
            match event {
                Event::WindowEvent {
                    window_id,
                    event: WindowEvent::CloseRequested,
                    ..
                } => {
                    if let Some(label) = windows.by_id.get(&window_id).cloned() {
                        windows.remove(&shared, &label);
                    }
                }
                Event::UserEvent(event) => windows.handle(&shared, target, event),
                _ => {}
            }
            if windows.by_label.is_empty() {
                *control_flow = ControlFlow::Exit;
            }
        });
        windows.clear(&shared);
        // Commands still running get a moment; none can block the exit.
        runtime.shutdown_timeout(Duration::from_secs(1));
        Ok(())
    }
}

/// What the handlers of every window share.
struct Shared {
    core: Arc<Core>,
    runtime: tokio::runtime::Handle,
    /// This run's IPC key: only the injected script knows it.
    key: String,
    assets: Assets,
    csp: Option<String>,
    /// Origins windows may navigate to besides the app's own.
    navigation: Vec<String>,
    /// Binary results of message-transport calls, until the page fetches them.
    parked: Mutex<HashMap<ParkedId, Vec<u8>>>,
    /// See [`AppBuilder::__raw_echo_for_benchmarks`].
    raw_echo: bool,
    isolation: Option<Isolation>,
    isolation_timeout: Duration,
    /// See [`AppBuilder::reply_wait`].
    reply_wait: wait::ReplyWait,
    /// See [`AppBuilder::__expose_ipc_key_for_tests`].
    expose_key: bool,
    /// Isolation sessions (key, replay window) by window label.
    sessions: Mutex<HashMap<Arc<str>, isolation::Session>>,
    /// `/__portcullis__/bindings.js`, generated when first requested.
    bindings_js: std::sync::OnceLock<String>,
}

/// A parked binary reply: the window and the call id.
type ParkedId = (Arc<str>, u64);

impl Shared {
    fn host(&self) -> &Host {
        self.core.host.as_ref().expect("a running app has a host")
    }

    /// Handles a `window.ipc.postMessage` from the page in window `label`.
    /// Runs on the main thread: parses, starts the call, returns.
    fn on_message(self: &Arc<Self>, label: &Arc<str>, page: &str, body: &str) {
        // The handler sees the main frame's URL, whatever frame posted.
        if !is_app_page(page) {
            tracing::warn!(window = %label, page, "IPC refused: the page was not served by the app");
            return;
        }
        let Ok(rest) = ipc::strip_key(body, &self.key) else {
            tracing::warn!(window = %label, "IPC refused: no valid key (a sub-frame or a script that is not ours)");
            return;
        };
        if self.isolation.is_some() {
            match self.open_posted(label, rest) {
                Ok((id, message)) => self.start(label, id, message),
                Err((id, err)) => {
                    tracing::warn!(window = %label, %err, "IPC refused by isolation");
                    // From our own script (it had the key): settle its call.
                    if let Some(id) = id {
                        self.settle(label.clone(), id, Err(err));
                    }
                }
            }
            return;
        }
        match ipc::parse_plain(rest) {
            Ok(call) => {
                let message =
                    Message::json(call.command, call.args.as_bytes().to_vec(), label.clone());
                self.start(label, call.id, message);
            }
            Err(refusal) => {
                tracing::warn!(window = %label, ?refusal, "IPC refused: malformed message")
            }
        }
    }

    /// Runs a message-transport call and delivers its reply to call `id`:
    /// at once when it comes within the reply wait, else through the loop.
    fn start(self: &Arc<Self>, label: &Arc<str>, id: u64, message: Message) {
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
            let response = match offered {
                Some(slot) => match slot.offer(response) {
                    Ok(()) => return,
                    Err(response) => response,
                },
                None => response,
            };
            shared.settle(to, id, response)
        });
        if let Some(slot) = slot
            && let Some(response) = self.reply_wait.wait(&slot)
        {
            self.settle(label.clone(), id, response);
        }
    }

    /// Settles call `id` in window `label`'s page.
    fn settle(&self, label: Arc<str>, id: u64, response: crate::dispatch::Response) {
        let (script, parked) = ipc::reply_script(&self.key, id, response);
        if let Some(bytes) = parked {
            self.parked
                .lock()
                .expect("parked lock")
                .insert((label.clone(), id), bytes);
        }
        deliver(label, script);
    }

    /// Opens an isolation envelope from the message transport: the call id
    /// (when readable, so a refusal can settle the call) and the message.
    fn open_posted(
        &self,
        label: &Arc<str>,
        rest: &str,
    ) -> std::result::Result<(u64, Message), (Option<u64>, crate::InvokeError)> {
        let id_hint = rest.split('\n').next().and_then(|id| id.parse().ok());
        // Refuse oversized envelopes before decoding anything: base64 is 4/3
        // of the bytes, plus the tag and the small fields.
        if rest.len() > self.core.limits.max_args_bytes / 3 * 4 + 256 {
            return Err((id_hint, self.too_large(rest.len())));
        }
        let envelope = isolation::parse_posted(rest).map_err(|err| (id_hint, err))?;
        let id = envelope.id;
        let plaintext = self.open(label, envelope).map_err(|err| (Some(id), err))?;
        let text = String::from_utf8(plaintext)
            .map_err(|_| (Some(id), isolation::invalid("the plaintext is not UTF-8")))?;
        let (command, args) = text
            .split_once('\n')
            .ok_or_else(|| (Some(id), isolation::invalid("malformed plaintext")))?;
        Ok((
            id,
            Message::json(command, args.as_bytes().to_vec(), label.clone()),
        ))
    }

    fn too_large(&self, len: usize) -> crate::InvokeError {
        crate::InvokeError::new(
            crate::ErrorCode::PayloadTooLarge,
            format!(
                "the message is {len} bytes; the limit is {} (Limits::max_args_bytes)",
                self.core.limits.max_args_bytes
            ),
        )
    }

    /// Decrypts and authenticates an envelope for window `label`, once.
    fn open(
        &self,
        label: &str,
        envelope: isolation::Envelope,
    ) -> std::result::Result<Vec<u8>, crate::InvokeError> {
        let cipher = self
            .sessions
            .lock()
            .expect("sessions lock")
            .get(label)
            .map(isolation::Session::cipher)
            .ok_or_else(|| isolation::invalid("no isolation session for this window yet"))?;
        // Decrypt outside the lock: large messages take milliseconds.
        let (seq, plaintext) = isolation::open(&cipher, label, envelope)?;
        self.sessions
            .lock()
            .expect("sessions lock")
            .get_mut(label)
            .ok_or_else(|| isolation::invalid("the isolation session ended"))?
            .accept(seq)?;
        Ok(plaintext)
    }

    /// Whether a window may navigate to `url`.
    fn may_navigate(&self, url: &str) -> bool {
        if url.starts_with("about:") || (self.isolation.is_some() && url.starts_with(ISOLATION_URL))
        {
            return true;
        }
        let allowed = origin_of(url).is_some_and(|o| o == ORIGIN || self.navigation.contains(&o));
        if !allowed {
            tracing::warn!(
                url,
                "navigation blocked: not the app's origin nor an allowed one"
            );
        }
        allowed
    }
}

thread_local! {
    /// The web views of the open windows, by label: main thread only, where
    /// replies are delivered.
    static WEBVIEWS: RefCell<HashMap<Arc<str>, Weak<WebView>>> = RefCell::default();
}

/// Runs `script` in the page of window `label`, from any thread: a closure on
/// the main context, dispatched within GTK's current or next iteration.
pub(crate) fn deliver(label: Arc<str>, script: String) {
    wait::posting_to_loop();
    glib::MainContext::default().invoke(move || {
        // A closed window's replies have nobody to go to.
        if let Some(webview) = open_webview(&label)
            && let Err(err) = webview.evaluate_script(&script)
        {
            tracing::warn!(window = %label, %err, "could not run a script in the page");
        }
    });
}

/// The web view of the open window `label`; main thread only.
fn open_webview(label: &str) -> Option<Rc<WebView>> {
    WEBVIEWS.with(|views| views.borrow().get(label).and_then(Weak::upgrade))
}

/// See `__private::isolation_open_for_bench`.
pub(crate) fn isolation_open_for_bench(plaintext: &[u8]) -> impl FnMut() -> usize + use<> {
    use aes_gcm::aead::{AeadInPlace, KeyInit};
    let key = [9u8; 32];
    let iv = [1u8; 12];
    let mut sealed = plaintext.to_vec();
    aes_gcm::Aes256Gcm::new((&key).into())
        .encrypt_in_place(
            aes_gcm::Nonce::from_slice(&iv),
            isolation::aad("main", 1, 1).as_bytes(),
            &mut sealed,
        )
        .expect("encrypts");
    let cipher = isolation::Session::with_key(&key).cipher();
    move || {
        let envelope = isolation::Envelope {
            id: 1,
            seq: 1,
            iv,
            ciphertext: sealed.clone(),
        };
        isolation::open(&cipher, "main", envelope)
            .expect("authenticates")
            .1
            .len()
    }
}

/// Whether `url` is a page of the app's origin. WebKit reports normalized
/// URLs, so the origin followed by `/` is an exact check.
fn is_app_page(url: &str) -> bool {
    url.strip_prefix(ORIGIN)
        .is_some_and(|rest| rest.starts_with('/'))
}

/// `scheme://host[:port]` of a URL, parsed by a real URL parser.
fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// 256 bits from the OS RNG, hex-encoded.
fn new_key() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| Error::msg(format!("no OS randomness: {err}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The open windows; main thread only.
#[derive(Default)]
struct Windows {
    by_label: HashMap<Arc<str>, OpenWindow>,
    by_id: HashMap<WindowId, Arc<str>>,
}

struct OpenWindow {
    // Dropped in this order: the web view before its window.
    webview: Rc<WebView>,
    window: tao::window::Window,
}

impl Windows {
    fn insert(&mut self, (label, open): (Arc<str>, OpenWindow)) {
        WEBVIEWS.with(|views| {
            views
                .borrow_mut()
                .insert(label.clone(), Rc::downgrade(&open.webview))
        });
        self.by_id.insert(open.window.id(), label.clone());
        self.by_label.insert(label, open);
    }

    fn remove(&mut self, shared: &Shared, label: &str) {
        WEBVIEWS.with(|views| views.borrow_mut().remove(label));
        if let Some(open) = self.by_label.remove(label) {
            self.by_id.remove(&open.window.id());
        }
        shared
            .host()
            .labels
            .lock()
            .expect("labels lock")
            .remove(label);
        shared
            .parked
            .lock()
            .expect("parked lock")
            .retain(|(window, _), _| &**window != label);
        shared.sessions.lock().expect("sessions lock").remove(label);
    }

    fn clear(&mut self, shared: &Shared) {
        let labels: Vec<Arc<str>> = self.by_label.keys().cloned().collect();
        for label in labels {
            self.remove(shared, &label);
        }
    }

    fn handle(
        &mut self,
        shared: &Arc<Shared>,
        target: &EventLoopWindowTarget<UserEvent>,
        event: UserEvent,
    ) {
        match event {
            UserEvent::SetTitle { label, title } => {
                if let Some(open) = self.by_label.get(&label) {
                    open.window.set_title(&title);
                }
            }
            UserEvent::Close { label } => self.remove(shared, &label),
            UserEvent::Open(config) => {
                let label = config.label.clone();
                match open_window(target, shared, config) {
                    Ok(open) => self.insert(open),
                    Err(err) => {
                        tracing::error!(window = %label, %err, "could not open window");
                        shared
                            .host()
                            .labels
                            .lock()
                            .expect("labels lock")
                            .remove(label.as_str());
                    }
                }
            }
            UserEvent::Exit => self.clear(shared),
        }
    }
}

fn open_window(
    target: &EventLoopWindowTarget<UserEvent>,
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
        format!("{ORIGIN}/{}", config.url.trim_start_matches('/'))
    };
    let init = INTERNALS_JS.replacen(WIRE_MARKER, WIRE_JS, 1).replacen(
        "__PORTCULLIS_CONFIG__",
        &serde_json::json!({
            "key": shared.key,
            "label": &*label,
            "origin": ORIGIN,
            "ipcUrl": format!("{ORIGIN}{}", protocol::IPC_PATH),
            "replyUrl": format!("{ORIGIN}{}", protocol::REPLY_PATH),
            "maxPostMessage": protocol::MAX_POST_MESSAGE,
            "isolation": shared.isolation.as_ref().map(|_| serde_json::json!({
                "url": ISOLATION_URL,
                "timeoutMs": shared.isolation_timeout.as_millis() as u64,
            })),
            "exposeKeyForTests": shared.expose_key,
        })
        .to_string(),
        1,
    );
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
                if shared.raw_echo && raw_echo(&label, request.body()) {
                    return;
                }
                shared.on_message(&label, &request.uri().to_string(), request.body())
            }
        })
        // Main frame only: sub-frames never see the key.
        .with_initialization_script_for_main_only(init, true)
        .with_navigation_handler({
            let shared = Arc::clone(shared);
            move |url| shared.may_navigate(&url)
        })
        .with_new_window_req_handler(|url, _features| {
            tracing::warn!(url, "window.open blocked: open windows from Rust");
            NewWindowResponse::Deny
        })
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
    let container = window
        .default_vbox()
        .ok_or_else(|| Error::msg("the window has no GTK container"))?;
    let webview = Rc::new(builder.build_gtk(container)?);
    recover::reload_when_the_web_process_dies(&webview, label.clone());
    Ok((label, OpenWindow { webview, window }))
}

/// The benchmark baseline: answers `RAW\nID\nJSON` from the IPC handler
/// itself, as a bare wry app would. Returns whether the message was one.
fn raw_echo(label: &str, body: &str) -> bool {
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
