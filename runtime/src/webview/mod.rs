//! The desktop runtime: an event loop (tao) owning every window, a web view
//! (wry: WebKitGTK on Linux) in each, the app's custom scheme serving assets
//! and IPC. The core it runs knows it only as a [`Host`](crate::host::Host).
//!
//! Threads: the event loop and all windows live on the main thread, which
//! never runs a command. Every message a page sends goes through the core's
//! gate ([`crate::gate`]) and then to a command on the tokio runtime (async)
//! or its blocking pool (sync). Replies come back to the main thread as a
//! closure on the glib main context (message transport, see [`reply`]) or go
//! straight to WebKit's responder (fetch transport).
//!
//! Files by role: `windows` (the event loop's windows, the host, the
//! injected script), `inbound` (a posted message through the gate to its
//! command, the reply back), `protocol` (the `app://` and isolation schemes),
//! `reply` (reply scripts, page loads, parked results), `wait` (the short
//! reply wait), `recover` (web-process crashes, Linux), `platform`
//! (everything that differs between Linux, macOS and Windows). The app
//! author's isolation app is built in the core (`crate::isolation_app`).

mod dev;
mod events;
mod inbound;
mod platform;
mod protocol;
#[cfg(target_os = "linux")]
mod recover;
mod reply;
mod wait;
mod windows;

use std::sync::Arc;
use std::time::Duration;

use tao::event::{Event, WindowEvent};
use tao::event_loop::{ControlFlow, EventLoopBuilder};
use tao::platform::run_return::EventLoopExtRunReturn;

use crate::Isolation;
use crate::capability::Permissions;
use crate::dispatch::{Core, Limits};
use crate::events::Hub;
use crate::gate::Gate;
use crate::registry::Commands;
use crate::state::StateMap;
use crate::{AppEvent, Assets, Capability, Error, Events, Result, WindowConfig};
use platform::LoopEvent;
use windows::Windows;

/// The custom scheme pages and IPC are served on. Pages see it as the
/// origin `platform::page_origin(SCHEME)` (`app://localhost`, or
/// `http://app.localhost` on Windows).
const SCHEME: &str = "app";
/// The scheme the isolation frame is served from: its own origin.
const ISOLATION_SCHEME: &str = "portcullis-isolation";

/// The `Content-Security-Policy` of everything the app's scheme serves
/// unless [`AppBuilder::csp`] sets another: only the app's own scripts, styles
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
            events: Hub::default(),
            capabilities: Vec::new(),
            state: StateMap::default(),
            windows: Vec::new(),
            assets: None,
            csp: Some(DEFAULT_CSP.to_owned()),
            limits: Limits::default(),
            navigation: Vec::new(),
            reply_wait: wait::DEFAULT_BUDGET,
            warm_spell: crate::warm::DEFAULT_SPELL,
            isolation: None,
            isolation_timeout: Duration::from_secs(10),
            dev: None,
            bindings_file: None,
            #[cfg(feature = "test-hooks")]
            hooks: TestHooks::default(),
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
    events: Hub,
    capabilities: Vec<Capability>,
    state: StateMap,
    windows: Vec<WindowConfig>,
    assets: Option<Assets>,
    csp: Option<String>,
    limits: Limits,
    navigation: Vec<String>,
    isolation: Option<Isolation>,
    isolation_timeout: Duration,
    reply_wait: Duration,
    warm_spell: Duration,
    dev: Option<dev::Requested>,
    bindings_file: Option<std::path::PathBuf>,
    #[cfg(feature = "test-hooks")]
    hooks: TestHooks,
}

/// What the `test-hooks` feature adds; all off unless a test asks.
#[cfg(feature = "test-hooks")]
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct TestHooks {
    pub(crate) raw_echo: bool,
    /// Overrides `wire::MAX_EVENT_SCRIPT` (the events benchmark measures both routes).
    pub(crate) event_script_max: Option<usize>,
    pub(crate) expose_key: bool,
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

    /// Registers events: the ones the core may emit and pages may listen
    /// to, emit and see in the bindings. May be called several times; two
    /// event types with one name make [`run`](Self::run) fail.
    pub fn events(mut self, events: Events) -> Self {
        self.events.add_events(events);
        self
    }

    /// Runs `listener` for each event of type `T` a page emits (and
    /// registers `T`). Listeners run on the app's events thread, never the
    /// UI thread, one event at a time in the order the events were admitted;
    /// hand long work to a thread or task of your own. A panic in a listener
    /// is logged and the app goes on.
    pub fn on_event<T: AppEvent>(
        mut self,
        listener: impl Fn(crate::Event<T>) + Send + Sync + 'static,
    ) -> Self {
        self.events.add_listener(listener);
        self
    }

    /// Declares a capability (see the README's Permissions section). With
    /// none, the app's own pages may call every command and use every event;
    /// with one or more, what no capability grants is refused with
    /// `forbidden`. [`run`](Self::run) fails if a capability names a
    /// command, event or window the app does not have.
    pub fn capability(mut self, capability: Capability) -> Self {
        self.capabilities.push(capability);
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

    /// Replaces the `Content-Security-Policy` sent with everything the app's
    /// scheme serves ([`DEFAULT_CSP`]); `None` sends none.
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

    /// How long the warm command thread stays awake after a call it ran
    /// (default 500 µs).
    ///
    /// Commands run off the main thread, on a blocking pool (sync) or tokio's
    /// workers (async), whose idle threads sleep; waking one on another CPU
    /// costs a good part of a small call. So one thread stays awake (yielding
    /// its CPU) for this long after each call it ran, and the next call that
    /// comes meanwhile starts on it without a wake-up: a page making calls
    /// one after another keeps it awake, an idle app costs nothing. A sync
    /// call runs there to the end; an async call gets its first poll there
    /// and, if it awaits something, goes on as a tokio task (before its
    /// first await it is not in a task: `tokio::task::try_id()` is `None`).
    /// A call that finds the thread busy goes to the pool or tokio.
    /// `Duration::ZERO` turns this off.
    pub fn warm_spell(mut self, spell: Duration) -> Self {
        self.warm_spell = spell;
        self
    }

    /// Lets windows navigate to pages of `origin` (`"https://docs.example.com"`).
    /// Pages there get no IPC: only the app's own pages can call commands.
    /// Every other navigation away from the app is blocked.
    pub fn allow_navigation(mut self, origin: impl Into<String>) -> Self {
        self.navigation.push(origin.into());
        self
    }

    /// `test-hooks` only, never in an app: adds bare wry round trips to every
    /// window, with no checks at all, as the baseline Portcullis is measured
    /// against in the same web view: a posted `RAW\nID\nJSON` is answered by
    /// `window.__rawReply(ID, JSON)` straight from the IPC handler, `POST
    /// /__raw__/echo` answers its body and `GET /__raw__/bytes/N` N bytes.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    pub fn __raw_echo_for_benchmarks(mut self) -> Self {
        self.hooks.raw_echo = true;
        self
    }

    /// `test-hooks` only, never in an app: event payloads above `bytes` are
    /// fetched by the page, at most `bytes` go as script text (default
    /// 64 KiB), so the events benchmark can measure both routes.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    pub fn __event_script_max_for_benchmarks(mut self, bytes: usize) -> Self {
        self.hooks.event_script_max = Some(bytes);
        self
    }

    /// `test-hooks` only, never in an app: gives pages this run's IPC key
    /// and a log of the messages they posted (`window.__PORTCULLIS_TEST__`),
    /// so tests can attack the isolation envelope as if the outer key had
    /// leaked.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    pub fn __expose_ipc_key_for_tests(mut self) -> Self {
        self.hooks.expose_key = true;
        self
    }

    /// Serves the app's pages from a front-end dev server (Vite's
    /// `http://localhost:5173`, for instance) instead of its assets, so the
    /// dev server's hot reload works in the app's windows.
    ///
    /// Honoured in debug builds only (a release build logs that it ignores
    /// it; see [`force_dev_url`](Self::force_dev_url)). In a debug build the
    /// environment variable `PORTCULLIS_DEV_URL`, which `cargo portcullis dev`
    /// sets, takes precedence.
    ///
    /// The core fetches every page path from the dev server and answers it
    /// on the app's own origin: pages keep the IPC, isolation, capabilities
    /// and `Content-Security-Policy` of the built app, and the dev server's
    /// own origin gets nothing. The policy adds one source, the dev server's
    /// websocket (`ws://localhost:5173`) to `connect-src`, for its hot-reload
    /// client. `/__portcullis__/` paths (the API and bindings modules) are
    /// still the core's. A URL that is not `http`/`https` is an error at
    /// [`run`](Self::run).
    pub fn dev_url(mut self, url: impl Into<String>) -> Self {
        self.dev = Some(dev::Requested {
            url: url.into(),
            forced: false,
        });
        self
    }

    /// [`dev_url`](Self::dev_url), honoured in release builds too (profiling
    /// a release core against a dev server). Never ship it.
    pub fn force_dev_url(mut self, url: impl Into<String>) -> Self {
        self.dev = Some(dev::Requested {
            url: url.into(),
            forced: true,
        });
        self
    }

    /// Keeps the app's generated bindings at `path` current: each start of a
    /// debug build writes them there when they changed (a TypeScript module
    /// for `.ts`, importing `portcullis-api`; an ES module and its `.d.ts` for
    /// `.js`). Use an absolute path, e.g.
    /// `concat!(env!("CARGO_MANIFEST_DIR"), "/web/src/bindings.ts")`.
    /// Set it in the app's `main`, not on a builder that tests share and add
    /// commands of their own to: their debug runs would write those in.
    ///
    /// With the environment variable `PORTCULLIS_BINDINGS` set to `write`,
    /// [`run`](Self::run) writes them and returns without opening a window;
    /// set to `check`, it fails with a diff when the file is not current
    /// (`cargo portcullis build` and `bindings --check` use these). Release
    /// builds do none of this.
    pub fn export_bindings(mut self, path: impl Into<std::path::PathBuf>) -> Self {
        self.bindings_file = Some(path.into());
        self
    }

    /// Opens the windows and runs the event loop on this thread (the main
    /// thread) until the last window closes or [`AppHandle::exit`](crate::AppHandle::exit)
    /// is called.
    pub fn run(self) -> Result<()> {
        // Without this, a blocked navigation or a missing asset in a debug
        // build is a blank window and silence.
        // `PORTCULLIS_LOG=debug` (or info, trace) shows more: every page
        // served and every call admitted.
        #[cfg(debug_assertions)]
        if !tracing::dispatcher::has_been_set() {
            let level = std::env::var("PORTCULLIS_LOG")
                .ok()
                .and_then(|level| level.parse().ok())
                .unwrap_or(tracing::Level::WARN);
            let _ = tracing_subscriber::fmt()
                .with_writer(std::io::stderr)
                .with_max_level(level)
                .try_init();
        }
        let commands = self.commands?;
        self.events.check()?;
        #[cfg(debug_assertions)]
        if bindings_at_start(&commands, &self.events, self.bindings_file.as_deref())? == Start::Stop
        {
            return Ok(());
        }
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
        let permissions = Permissions::new(self.capabilities);
        let labels: Vec<&str> = self.windows.iter().map(|w| w.label.as_str()).collect();
        permissions
            .validate(&commands, self.events.registry(), Some(&labels))
            .map_err(Error::msg)?;
        if let Some(origin) = permissions
            .remote_origins()
            .find(|origin| !navigation.iter().any(|n| n == origin))
        {
            return Err(Error::msg(format!(
                "a capability names {origin}, which windows may not navigate to: \
                 add .allow_navigation(\"{origin}\")"
            )));
        }
        if permissions.enforced() {
            tracing::info!("capabilities declared: what none grants is refused");
        } else {
            tracing::info!(
                "no capability declared: the app's own pages may call every command and use every event"
            );
        }

        let dev = dev::resolve(self.dev)?;
        match (&dev, assets.unbuilt()) {
            (Some(dev), _) => tracing::info!(?dev, "pages come from the dev server"),
            (None, Some(dir)) => tracing::warn!(
                dir,
                "the front end is not built: its directory does not exist (yet); \
                 pages will be served from it once it does"
            ),
            (None, None) => {}
        }
        let mut event_loop = EventLoopBuilder::<LoopEvent>::with_user_event().build();
        let origin = platform::page_origin(SCHEME);
        let isolation_url = format!("{}/", platform::page_origin(ISOLATION_SCHEME));
        let main_thread = platform::MainThread::new(event_loop.create_proxy());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .thread_name("portcullis-command")
            .build()?;
        let mut gate = Gate::new(
            random_hex()?,
            &origin,
            platform::REQUEST_HOST,
            self.limits.max_args_bytes,
            self.isolation.is_some(),
        );
        gate.permissions = permissions;
        platform::set_main_thread();
        let limits = self.limits;
        let mut core = Core::new(commands, self.events, self.state, limits, gate);
        core.warm = crate::warm::Warm::new(self.warm_spell);
        let core = Arc::new(core);
        let reply_token = random_hex()?;
        let pages = Arc::new(reply::Pages::default());
        #[cfg_attr(not(feature = "test-hooks"), allow(unused_mut))]
        let mut outbox = events::Outbox::new(
            main_thread.clone(),
            Arc::clone(&pages),
            origin.clone(),
            reply_token.clone(),
            &limits,
        );
        #[cfg(feature = "test-hooks")]
        if let Some(bytes) = self.hooks.event_script_max {
            outbox.script_max = bytes;
        }
        let outbox = Arc::new(outbox);
        core.host
            .set(Arc::new(windows::EventLoopHost::new(
                event_loop.create_proxy(),
                main_thread.clone(),
                Arc::clone(&outbox),
            )))
            .expect("a new core has no host yet");
        let shared = Arc::new(Shared {
            core,
            runtime: runtime.handle().clone(),
            reply_token,
            assets,
            navigation,
            pages,
            outbox,
            csp: match (&self.isolation, self.csp) {
                // The page must be allowed to frame the isolation app.
                (Some(_), Some(csp)) if !csp.contains("frame-src") => {
                    Some(format!("{csp}; frame-src 'self' {isolation_url}"))
                }
                (_, csp) => csp,
            }
            .map(|csp| match &dev {
                Some(dev) => dev::csp_with_socket(&csp, &dev.socket),
                None => csp,
            }),
            dev,
            origin,
            isolation_url,
            main_thread,
            isolation: self.isolation,
            isolation_timeout: self.isolation_timeout,
            reply_wait: wait::ReplyWait::new(self.reply_wait),
            #[cfg(feature = "test-hooks")]
            hooks: self.hooks,
            bindings_js: std::sync::OnceLock::new(),
        });

        let mut windows = Windows::default();
        for config in self.windows {
            if !shared.register(&config.label) {
                return Err(Error::msg(format!(
                    "two windows are labelled `{}`",
                    config.label
                )));
            }
            windows.insert(windows::open(&event_loop, &shared, config)?);
        }

        event_loop.run_return(|event, target, control_flow| {
            *control_flow = ControlFlow::Wait;
            match event {
                Event::WindowEvent {
                    window_id,
                    event: WindowEvent::CloseRequested,
                    ..
                } => windows.close_by_id(&shared, window_id),
                Event::UserEvent(LoopEvent::Host(request)) => {
                    windows.handle(&shared, target, request)
                }
                #[cfg(not(target_os = "linux"))]
                Event::UserEvent(LoopEvent::Run(f)) => f(),
                _ => {}
            }
            if windows.is_empty() {
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
    /// The origin the app's pages have (see `platform`).
    origin: String,
    /// The isolation frame's URL, as pages see it.
    isolation_url: String,
    /// How closures reach the main thread.
    main_thread: platform::MainThread,
    runtime: tokio::runtime::Handle,
    /// Proves a reply script comes from the core: only the injected script
    /// and reply scripts hold it, and no page ever posts it.
    reply_token: String,
    assets: Assets,
    csp: Option<String>,
    /// Origins windows may navigate to besides the app's own.
    navigation: Vec<String>,
    /// Page loads of the windows and their parked binary results.
    pages: Arc<reply::Pages>,
    /// Events on their way to the pages.
    outbox: Arc<events::Outbox>,
    isolation: Option<Isolation>,
    isolation_timeout: Duration,
    /// See [`AppBuilder::reply_wait`].
    reply_wait: wait::ReplyWait,
    #[cfg(feature = "test-hooks")]
    hooks: TestHooks,
    /// Where pages come from instead of `assets` (see [`AppBuilder::dev_url`]).
    dev: Option<dev::DevServer>,
    /// `/__portcullis__/bindings.js`, generated when first requested.
    bindings_js: std::sync::OnceLock<String>,
}

impl Shared {
    /// Records a window label as taken; false if it already was.
    fn register(&self, label: &str) -> bool {
        self.core
            .windows
            .lock()
            .expect("windows lock")
            .insert(label.into())
    }

    /// Whether a window may navigate to `url`.
    fn may_navigate(&self, url: &str) -> bool {
        if url.starts_with("about:")
            || (self.isolation.is_some() && url.starts_with(&self.isolation_url))
        {
            return true;
        }
        let allowed =
            origin_of(url).is_some_and(|o| o == self.origin || self.navigation.contains(&o));
        if !allowed {
            tracing::warn!(
                url,
                "navigation blocked: not the app's origin nor an allowed one"
            );
        }
        allowed
    }
}

/// Whether `run` goes on after the bindings step.
#[cfg(debug_assertions)]
#[derive(PartialEq)]
enum Start {
    Run,
    Stop,
}

/// A debug build's bindings step (see [`AppBuilder::export_bindings`]).
#[cfg(debug_assertions)]
fn bindings_at_start(
    commands: &Commands,
    events: &Hub,
    path: Option<&std::path::Path>,
) -> Result<Start> {
    const ENV: &str = "PORTCULLIS_BINDINGS";
    let mode = std::env::var(ENV).ok().filter(|m| !m.is_empty());
    let Some(path) = path else {
        return match mode {
            None => Ok(Start::Run),
            Some(_) => Err(Error::msg(format!(
                "{ENV} is set, but the app exports no bindings: add .export_bindings(path)"
            ))),
        };
    };
    let bindings = commands.bindings().events(events.registry().clone());
    match mode.as_deref() {
        None => {
            // A start must not fail because a file could not be written.
            if let Err(err) = bindings.export(path) {
                tracing::warn!(%err, "bindings not written");
            }
            Ok(Start::Run)
        }
        Some("write") => bindings
            .export(path)
            .map(|()| Start::Stop)
            .map_err(|err| Error::msg(err.to_string())),
        Some("check") => bindings
            .check(path)
            .map(|()| Start::Stop)
            .map_err(|err| Error::msg(err.to_string())),
        Some(other) => Err(Error::msg(format!(
            "{ENV}={other}: expected `write` or `check`"
        ))),
    }
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
fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| Error::msg(format!("no OS randomness: {err}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
