//! Windows (WebView2) and macOS (WKWebView): the web view is a child of the
//! tao window; closures reach the main thread through tao's event loop.

use std::sync::{Arc, Mutex};

use tao::event_loop::EventLoopProxy;
use wry::{WebView, WebViewBuilder};

use super::LoopEvent;
use crate::Result;

/// Runs closures on the main thread, through the event loop proxy.
#[derive(Clone)]
pub(crate) struct MainThread(Arc<Mutex<EventLoopProxy<LoopEvent>>>);

impl MainThread {
    pub(crate) fn new(proxy: EventLoopProxy<LoopEvent>) -> Self {
        MainThread(Arc::new(Mutex::new(proxy)))
    }

    pub(crate) fn run(&self, f: impl FnOnce() + Send + 'static) {
        // Fails only once the loop has stopped: then nobody wants it.
        let _ = self
            .0
            .lock()
            .expect("proxy lock")
            .send_event(LoopEvent::Run(Box::new(f)));
    }
}

pub(crate) fn build(builder: WebViewBuilder<'_>, window: &tao::window::Window) -> Result<WebView> {
    Ok(builder.build(window)?)
}

/// wry 0.57 exposes neither WebView2's process-failed event nor
/// WKWebView's content-process termination, so a crashed page is not
/// reloaded on these platforms (the window shows the engine's error page;
/// the core and its state are unaffected).
pub(crate) fn watch_web_process(_webview: &WebView, _label: Arc<str>) {}
