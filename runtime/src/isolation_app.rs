//! The isolation application an app author writes: a directory whose
//! `index.html` defines `window.__PORTCULLIS_ISOLATION_HOOK__`.

use std::borrow::Cow;
use std::fmt;
use std::path::Path;

use crate::{Error, Result};

/// An isolation application, built: one self-contained HTML document.
#[derive(Clone)]
pub struct Isolation {
    html: Cow<'static, str>,
}

impl Isolation {
    /// Builds the isolation app in `dir` at run time (for development), exactly
    /// as [`isolation!`](crate::isolation) does at compile time.
    pub fn dir(dir: impl AsRef<Path>) -> Result<Self> {
        let (html, _files) = portcullis_inline::build(dir.as_ref()).map_err(|err| {
            Error::msg(format!("isolation app {}: {err}", dir.as_ref().display()))
        })?;
        Ok(Isolation {
            html: Cow::Owned(html),
        })
    }

    #[doc(hidden)]
    pub const fn __embedded(html: &'static str) -> Self {
        Isolation {
            html: Cow::Borrowed(html),
        }
    }

    /// The built document.
    pub fn html(&self) -> &str {
        &self.html
    }
}

impl fmt::Debug for Isolation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Isolation({} bytes)", self.html.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn app(files: &[(&str, &str)]) -> std::path::PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "portcullis-iso-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        for (name, text) in files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    const HOOK: &str = "window.__PORTCULLIS_ISOLATION_HOOK__ = (m) => m;";

    #[test]
    fn scripts_are_inlined() {
        let dir = app(&[
            (
                "index.html",
                "<html><head><SCRIPT src=\"hook.js\"></SCRIPT><script src='lib/util.js' defer></script><script>var inline = 1;</script></head></html>",
            ),
            ("hook.js", HOOK),
            ("lib/util.js", "var s = '</script>';"),
        ]);
        let html = Isolation::dir(&dir).unwrap().html().to_owned();
        assert!(html.contains(&format!("<script>{HOOK}</script>")), "{html}");
        assert!(
            html.contains("<script>var s = '<\\/script>';</script>"),
            "{html}"
        );
        assert!(html.contains("<script>var inline = 1;</script>"), "{html}");
        assert!(!html.contains("src="), "{html}");
    }

    #[test]
    fn unsafe_or_incomplete_apps_are_refused() {
        let cases: [(&[(&str, &str)], &str); 6] = [
            (
                &[("index.html", "<script>var x;</script>")],
                "never defines",
            ),
            (
                &[
                    (
                        "index.html",
                        "<script type=\"module\" src=\"a.js\"></script>",
                    ),
                    ("a.js", HOOK),
                ],
                "ES modules",
            ),
            (
                &[("index.html", "<script src=\"../a.js\"></script>")],
                "outside",
            ),
            (
                &[("index.html", "<script src=\"/etc/passwd\"></script>")],
                "outside",
            ),
            (
                &[(
                    "index.html",
                    "<script src=\"https://cdn.example/a.js\"></script>",
                )],
                "outside",
            ),
            (
                &[("index.html", "<script src=\"missing.js\"></script>")],
                "cannot read script",
            ),
        ];
        for (files, expected) in cases {
            let err = Isolation::dir(app(files)).unwrap_err().to_string();
            assert!(err.contains(expected), "{err} should mention {expected}");
        }
        let err = Isolation::dir(app(&[])).unwrap_err().to_string();
        assert!(err.contains("cannot read"), "{err}");
    }
}
