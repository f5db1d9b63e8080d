//! How a message-transport reply reaches the page that made the call, and
//! only that page.
//!
//! - Each window counts its page loads (a reload, a navigation, a web-process
//!   restart each commit a new one). A call remembers the load it came from;
//!   its reply is dropped if the window has moved on, checked when the reply
//!   is settled and again on the main thread right before the script runs.
//! - The script runs the reply only in a page of the app's origin (an
//!   unforgeable `location` check, so another origin's page never sees the
//!   payload) and proves itself to the page with a reply token that no page
//!   ever posts (not the IPC key). The payload is the JSON itself, evaluated
//!   as a JS literal (one parse: measured 1.10x of raw wry at 64 KB, against
//!   1.30x for a JSON string handed to `JSON.parse`), except when the text
//!   holds `"__proto__"`: an object literal would turn such a key into the
//!   prototype, so that payload goes as a string for `JSON.parse`.
//! - Binary results are parked until the page fetches them: bounded in bytes
//!   (`Limits::max_parked_bytes`) and dropped with the page load.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::bytes::Reply;
use crate::dispatch::Response;
use crate::wire::ReplyKind;
use crate::{ErrorCode, InvokeError};

/// A page load of a window: the count of loads the window committed.
pub(crate) type Load = u64;

/// The page loads of the open windows and their parked binary results.
#[derive(Debug, Default)]
pub(crate) struct Pages(Mutex<HashMap<Arc<str>, Page>>);

#[derive(Debug, Default)]
struct Page {
    load: Load,
    /// The page's origin when it is not the app's (a remote page some
    /// capability names): where its replies and events may run.
    remote: Option<Arc<str>>,
    parked: HashMap<u64, Vec<u8>>,
    parked_bytes: usize,
}

impl Pages {
    /// The window's current page load.
    pub(crate) fn current(&self, window: &str) -> Load {
        self.0
            .lock()
            .expect("pages lock")
            .get(window)
            .map_or(0, |page| page.load)
    }

    /// Whether `load` is still the window's page load.
    pub(crate) fn is_current(&self, window: &str, load: Load) -> bool {
        self.current(window) == load
    }

    /// A new page committed in `window` (`remote`: its origin, when it is
    /// not the app's): replies and parked results of the previous one are
    /// dropped from now on.
    pub(crate) fn committed(&self, window: &Arc<str>, remote: Option<Arc<str>>) {
        let mut pages = self.0.lock().expect("pages lock");
        let page = pages.entry(window.clone()).or_default();
        page.load += 1;
        page.remote = remote;
        page.parked.clear();
        page.parked_bytes = 0;
    }

    /// The origin of `window`'s page when it is not the app's.
    pub(crate) fn remote_origin(&self, window: &str) -> Option<Arc<str>> {
        self.0
            .lock()
            .expect("pages lock")
            .get(window)
            .and_then(|page| page.remote.clone())
    }

    pub(crate) fn closed(&self, window: &str) {
        self.0.lock().expect("pages lock").remove(window);
    }

    /// Parks a binary result for call `id` of page load `load`, within
    /// `max_bytes` for the page. `Ok(false)`: the page has gone; nothing is
    /// kept.
    pub(crate) fn park(
        &self,
        window: &str,
        load: Load,
        id: u64,
        bytes: Vec<u8>,
        max_bytes: usize,
    ) -> Result<bool, InvokeError> {
        let mut pages = self.0.lock().expect("pages lock");
        let Some(page) = pages.get_mut(window).filter(|page| page.load == load) else {
            return Ok(false);
        };
        if page.parked_bytes + bytes.len() > max_bytes {
            return Err(InvokeError::new(
                ErrorCode::PayloadTooLarge,
                format!(
                    "a binary result of {} bytes would leave more than {max_bytes} bytes of \
                     results unfetched by the page (Limits::max_parked_bytes)",
                    bytes.len()
                ),
            ));
        }
        page.parked_bytes += bytes.len();
        page.parked.insert(id, bytes);
        Ok(true)
    }

    /// Takes the parked result of call `id`, once.
    pub(crate) fn take_parked(&self, window: &str, id: u64) -> Option<Vec<u8>> {
        let mut pages = self.0.lock().expect("pages lock");
        let page = pages.get_mut(window)?;
        let bytes = page.parked.remove(&id)?;
        page.parked_bytes -= bytes.len();
        Some(bytes)
    }

    /// Bytes parked for `window` (for tests).
    #[cfg(test)]
    fn parked_bytes(&self, window: &str) -> usize {
        self.0
            .lock()
            .expect("pages lock")
            .get(window)
            .map_or(0, |page| page.parked_bytes)
    }
}

/// The script that settles call `id` in a page of `origin`, and the bytes to
/// park when the result is binary (fetched by the page from
/// `REPLY_PATH` + id).
pub(crate) fn reply_script(
    origin: &str,
    token: &str,
    id: u64,
    response: Response,
) -> (String, Option<Vec<u8>>) {
    let (kind, payload, parked) = match response {
        Ok(Reply::Json(json)) => (ReplyKind::Ok, json, None),
        Ok(Reply::Binary(bytes)) => (ReplyKind::Binary, b"null".to_vec(), Some(bytes)),
        Err(err) => (
            ReplyKind::Err,
            serde_json::to_vec(&err).expect("InvokeError serializes"),
            None,
        ),
    };
    let text = std::str::from_utf8(&payload).expect("serde_json writes UTF-8");
    let mut script = String::with_capacity(text.len() + origin.len() + token.len() + 128);
    script.push_str("if(location.protocol+\"//\"+location.host===\"");
    script.push_str(origin);
    script.push_str("\")window.__PORTCULLIS_INTERNALS__.reply(\"");
    script.push_str(token);
    script.push_str("\",");
    script.push_str(&id.to_string());
    script.push(',');
    script.push(char::from(b'0' + kind as u8));
    script.push(',');
    if text.contains("\"__proto__\"") {
        // A JSON string is a valid JS string literal; the page parses it.
        script.push_str(&serde_json::to_string(text).expect("a string serializes"));
        script.push_str(",1);");
    } else {
        // JSON text is a valid JS expression (ES2019 and later).
        script.push_str(text);
        script.push_str(",0);");
    }
    (script, parked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reply_scripts_guard_the_origin_and_keep_proto_keys() {
        let json = |text: &str| Ok(Reply::Json(text.as_bytes().to_vec()));
        let (script, parked) = reply_script("app://localhost", "t", 3, json(r#"{"a":[1]}"#));
        assert_eq!(
            script,
            "if(location.protocol+\"//\"+location.host===\"app://localhost\")\
             window.__PORTCULLIS_INTERNALS__.reply(\"t\",3,0,{\"a\":[1]},0);"
        );
        assert_eq!(parked, None);
        // A "__proto__" anywhere in the text: a string for JSON.parse.
        let (script, _) = reply_script("app://localhost", "t", 3, json(r#"{"__proto__":1}"#));
        assert!(
            script.ends_with(r#".reply("t",3,0,"{\"__proto__\":1}",1);"#),
            "{script}"
        );
        let (script, parked) =
            reply_script("app://localhost", "t", 4, Ok(Reply::Binary(vec![1, 2])));
        assert!(script.ends_with(".reply(\"t\",4,2,null,0);"), "{script}");
        assert_eq!(parked, Some(vec![1, 2]));
        let (script, _) = reply_script(
            "app://localhost",
            "t",
            5,
            Err(InvokeError::new(ErrorCode::Panic, "boom </script>").with_command("x")),
        );
        assert!(
            script.contains(r#".reply("t",5,1,{"code":"panic""#),
            "{script}"
        );
    }

    #[test]
    fn replies_and_parked_results_belong_to_one_page_load() {
        let pages = Pages::default();
        let main: Arc<str> = "main".into();
        pages.committed(&main, None);
        let load = pages.current("main");
        assert!(pages.park("main", load, 1, vec![0; 10], 15).unwrap());
        let err = pages.park("main", load, 2, vec![0; 10], 15).unwrap_err();
        assert_eq!(err.code(), ErrorCode::PayloadTooLarge);
        assert_eq!(pages.take_parked("main", 1), Some(vec![0; 10]));
        assert_eq!(pages.take_parked("main", 1), None, "once");
        assert!(pages.park("main", load, 3, vec![0; 10], 15).unwrap());
        pages.committed(&main, None);
        assert!(!pages.is_current("main", load));
        assert_eq!(pages.parked_bytes("main"), 0, "freed with the page load");
        assert_eq!(pages.take_parked("main", 3), None);
        assert!(
            !pages.park("main", load, 4, vec![1], 15).unwrap(),
            "the old load's reply is dropped"
        );
        assert_eq!(pages.parked_bytes("main"), 0);
        pages.closed("main");
        assert_eq!(pages.current("main"), 0);
    }
}
