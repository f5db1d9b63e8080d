//! Windows: their configuration, and the handles commands use to act on them.

use std::collections::HashSet;
use std::fmt;
use std::sync::{Arc, Mutex};

use tao::event_loop::EventLoopProxy;

use crate::dispatch::Core;
use crate::{CommandArg, Error, Invoke, InvokeError, Result};

/// How a window looks and what it loads.
#[derive(Clone, Debug)]
pub struct WindowConfig {
    pub(crate) label: String,
    pub(crate) title: String,
    pub(crate) url: String,
    pub(crate) size: (f64, f64),
    pub(crate) visible: bool,
    pub(crate) scripts: Vec<String>,
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

    /// Whether the window is shown (default true).
    pub fn visible(mut self, visible: bool) -> Self {
        self.visible = visible;
        self
    }
}

/// Requests from any thread to the event loop, which owns the windows.
#[derive(Debug)]
pub(crate) enum UserEvent {
    SetTitle { label: Arc<str>, title: String },
    Close { label: Arc<str> },
    Open(WindowConfig),
    Exit,
}

/// The running app's side of the core: how to reach the event loop.
#[derive(Debug)]
pub(crate) struct Host {
    pub(crate) proxy: EventLoopProxy<UserEvent>,
    /// Labels of open (or opening) windows.
    pub(crate) labels: Mutex<HashSet<Arc<str>>>,
}

impl Host {
    pub(crate) fn send(&self, event: UserEvent) -> Result<()> {
        super::wait::posting_to_loop();
        self.proxy
            .send_event(event)
            .map_err(|_| Error::msg("the app has stopped"))
    }
}

/// A handle to the running app, usable from any thread: open windows, find
/// them, stop the app.
#[derive(Clone)]
pub struct AppHandle {
    pub(crate) core: Arc<Core>,
}

impl AppHandle {
    fn host(&self) -> Result<&Host> {
        self.core
            .host
            .as_ref()
            .ok_or_else(|| Error::msg("no event loop: the app is not running (e.g. in MockApp)"))
    }

    /// Opens a new window. Fails at once if the label is taken.
    pub fn create_window(&self, config: WindowConfig) -> Result<()> {
        let host = self.host()?;
        let label: Arc<str> = config.label.as_str().into();
        if !host.labels.lock().expect("labels lock").insert(label) {
            return Err(Error::msg(format!(
                "a window labelled `{}` is already open",
                config.label
            )));
        }
        host.send(UserEvent::Open(config))
    }

    /// The open window with this label.
    pub fn window(&self, label: &str) -> Option<Window> {
        let host = self.host().ok()?;
        let label = host
            .labels
            .lock()
            .expect("labels lock")
            .get(label)
            .cloned()?;
        Some(Window {
            label,
            app: self.clone(),
        })
    }

    /// Labels of the open windows, sorted.
    pub fn window_labels(&self) -> Vec<String> {
        let Ok(host) = self.host() else {
            return Vec::new();
        };
        let mut labels: Vec<String> = host
            .labels
            .lock()
            .expect("labels lock")
            .iter()
            .map(|l| l.to_string())
            .collect();
        labels.sort();
        labels
    }

    /// Closes every window and makes `run()` return.
    pub fn exit(&self) -> Result<()> {
        self.host()?.send(UserEvent::Exit)
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
        self.app.host()?.send(UserEvent::SetTitle {
            label: self.label.clone(),
            title: title.into(),
        })
    }

    /// Closes the window. Closing the last window ends `run()`.
    pub fn close(&self) -> Result<()> {
        self.app.host()?.send(UserEvent::Close {
            label: self.label.clone(),
        })
    }

    /// Runs JavaScript in the window's page (its result is discarded).
    pub fn eval(&self, script: impl Into<String>) -> Result<()> {
        self.app.host()?;
        super::deliver(self.label.clone(), script.into());
        Ok(())
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
