//! Windows: their configuration, and the handles commands use to act on them.
//! Both only ask the [`Host`](crate::host::Host): the same code runs in the
//! web view and in `MockApp`.

use std::fmt;
use std::sync::Arc;

use crate::dispatch::Core;
use crate::host::HostRequest;
use crate::{AppEvent, CommandArg, Error, Invoke, InvokeError, Result};

/// How a window looks and what it loads.
#[derive(Clone, Debug)]
pub struct WindowConfig {
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) size: (f64, f64),
    pub(crate) visible: bool,
    pub(crate) scripts: Vec<String>,
    pub(crate) devtools: bool,
}

impl WindowConfig {
    /// A window identified by `label` (unique in the app), loading `index.html`.
    pub fn new(label: impl Into<String>) -> Self {
        let label = label.into();
        WindowConfig {
            title: label.clone(),
            label,
            url: "index.html".to_owned(),
            size: (800.0, 600.0),
            visible: true,
            scripts: Vec::new(),
            devtools: cfg!(debug_assertions),
        }
    }

    /// The title bar text (default: the label).
    pub fn title(mut self, title: impl Into<String>) -> Self {
        self.title = title.into();
        self
    }

    /// The page to load: a path among the app's assets (`"index.html"`,
    /// `"settings/"`), or a full URL of an origin the app allows.
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// Inner size in logical pixels (default 800 x 600).
    pub fn size(mut self, width: f64, height: f64) -> Self {
        self.size = (width, height);
        self
    }

    /// JavaScript run in the main frame of every page the window loads, before
    /// the page's own scripts and after Portcullis's (so it can `invoke`).
    pub fn initialization_script(mut self, script: impl Into<String>) -> Self {
        self.scripts.push(script.into());
        self
    }

    /// Whether the web inspector is available (right click, Inspect
    /// Element). Default: on in debug builds, off in release builds (where
    /// turning it on needs wry's `devtools` feature on macOS).
    pub fn devtools(mut self, devtools: bool) -> Self {
        self.devtools = devtools;
        self
    }

    /// Whether the window is shown (default true).
    pub fn visible(mut self, visible: bool) -> Self {
        self.visible = visible;
        self
    }
}

/// A handle to the running app, usable from any thread: open windows, find
/// them, stop the app.
#[derive(Clone)]
pub struct AppHandle {
    pub(crate) core: Arc<Core>,
}

impl AppHandle {
    fn send(&self, request: HostRequest) -> Result<()> {
        self.core
            .host
            .get()
            .ok_or_else(|| Error::msg("the app is not running"))?
            .send(request)
    }

    /// Opens a new window. Fails at once if the label is taken.
    pub fn create_window(&self, config: WindowConfig) -> Result<()> {
        let label: Arc<str> = config.label.as_str().into();
        if !self
            .core
            .windows
            .lock()
            .expect("windows lock")
            .insert(label)
        {
            return Err(Error::msg(format!(
                "a window labelled `{}` is already open",
                config.label
            )));
        }
        self.send(HostRequest::Open(config))
    }

    /// The open window with this label.
    pub fn window(&self, label: &str) -> Option<Window> {
        let label = self
            .core
            .windows
            .lock()
            .expect("windows lock")
            .get(label)
            .cloned()?;
        Some(Window {
            label,
            app: self.clone(),
        })
    }

    /// Labels of the open windows, sorted.
    pub fn window_labels(&self) -> Vec<String> {
        let mut labels: Vec<String> = self
            .core
            .windows
            .lock()
            .expect("windows lock")
            .iter()
            .map(|l| l.to_string())
            .collect();
        labels.sort();
        labels
    }

    /// Sends `event` to the page of every open window. Per window, events
    /// arrive in the order they were emitted; a page that does not listen
    /// to the event yet gets it when it does (see the README's Events
    /// section). Fails if the event is not registered
    /// ([`AppBuilder::events`](crate::AppBuilder::events)) or the app has stopped.
    pub fn emit<E: AppEvent>(&self, event: &E) -> Result<()> {
        let event = self.core.events.outgoing(event)?;
        self.core.send_event(None, event)
    }

    /// Sends `event` to the page of the window labelled `window` only.
    /// Fails as [`emit`](Self::emit) does, or if no such window is open.
    pub fn emit_to<E: AppEvent>(&self, window: &str, event: &E) -> Result<()> {
        let event = self.core.events.outgoing(event)?;
        self.core.send_event(Some(window), event)
    }

    /// Closes every window and makes `run()` return.
    pub fn exit(&self) -> Result<()> {
        self.send(HostRequest::Exit)
    }

    /// `test-hooks` only: cancellable calls in flight, in every window.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    pub fn __cancellable_calls(&self) -> usize {
        self.core.calls.len()
    }

    /// `test-hooks` only: event names the page of `window` listens to, and
    /// events waiting for it.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    pub fn __event_subscriptions(&self, window: &str) -> (usize, usize) {
        self.core
            .host
            .get()
            .map_or((0, 0), |host| host.event_counts(window))
    }

    /// `test-hooks` only: channels open in the core, in every window.
    #[doc(hidden)]
    #[cfg(feature = "test-hooks")]
    pub fn __open_channels(&self) -> usize {
        self.core.channels.len()
    }

    /// A managed value.
    pub fn state<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.core.state.get::<T>()
    }
}

impl fmt::Debug for AppHandle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AppHandle").finish_non_exhaustive()
    }
}

/// The window a command was called from (an extractor), or any window found
/// through [`AppHandle::window`].
///
/// Its methods ask the event loop to act and return at once; they never block
/// the calling command on the UI thread.
#[derive(Clone)]
pub struct Window {
    label: Arc<str>,
    app: AppHandle,
}

impl Window {
    /// The window's label.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The app, e.g. to open another window.
    pub fn app(&self) -> &AppHandle {
        &self.app
    }

    /// Sets the title bar text.
    pub fn set_title(&self, title: impl Into<String>) -> Result<()> {
        self.app.send(HostRequest::SetTitle {
            window: self.label.clone(),
            title: title.into(),
        })
    }

    /// Closes the window. Closing the last window ends `run()`.
    pub fn close(&self) -> Result<()> {
        self.app.send(HostRequest::Close {
            window: self.label.clone(),
        })
    }

    /// Sends `event` to this window's page only (see [`AppHandle::emit`]).
    pub fn emit<E: AppEvent>(&self, event: &E) -> Result<()> {
        self.app.emit_to(&self.label, event)
    }

    /// Runs JavaScript in the window's page (its result is discarded).
    pub fn eval(&self, script: impl Into<String>) -> Result<()> {
        self.app.send(HostRequest::Eval {
            window: self.label.clone(),
            script: script.into(),
        })
    }
}

impl fmt::Debug for Window {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Window").field(&self.label).finish()
    }
}

impl<'a> CommandArg<'a> for Window {
    fn from_invoke(invoke: &Invoke<'a>) -> std::result::Result<Self, InvokeError> {
        Ok(Window {
            label: invoke.window.into(),
            app: AppHandle {
                core: Arc::clone(invoke.core),
            },
        })
    }
}

impl<'a> CommandArg<'a> for AppHandle {
    fn from_invoke(invoke: &Invoke<'a>) -> std::result::Result<Self, InvokeError> {
        Ok(AppHandle {
            core: Arc::clone(invoke.core),
        })
    }
}
