//! Linux: WebKitGTK in a GTK window.

use std::sync::Arc;

use tao::event_loop::EventLoopProxy;
use tao::platform::unix::WindowExtUnix;
use wry::{WebView, WebViewBuilder, WebViewBuilderExtUnix};

use super::LoopEvent;
use crate::{Error, Result};

/// Runs closures on the main thread: a glib main-context closure, dispatched
/// within GTK's current or next iteration (one wake-up; tao's user events
/// take several), at once when called on the main thread.
#[derive(Clone)]
pub(crate) struct MainThread;

impl MainThread {
    pub(crate) fn new(_proxy: EventLoopProxy<LoopEvent>) -> Self {
        MainThread
    }

    pub(crate) fn run(&self, f: impl FnOnce() + Send + 'static) {
        glib::MainContext::default().invoke(f);
    }
}

/// Puts the web view in the window's GTK box.
pub(crate) fn build(builder: WebViewBuilder<'_>, window: &tao::window::Window) -> Result<WebView> {
    let container = window
        .default_vbox()
        .ok_or_else(|| Error::msg("the window has no GTK container"))?;
    Ok(builder.build_gtk(container)?)
}

/// Reloads the page when its web process dies (see `recover`).
pub(crate) fn watch_web_process(webview: &WebView, label: Arc<str>) {
    crate::webview::recover::reload_when_the_web_process_dies(webview, label);
}
