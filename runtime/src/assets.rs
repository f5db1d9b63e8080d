//! The front end's files: embedded at compile time with
//! [`assets!`](crate::assets) or read from a directory during development, and
//! resolved from request paths without ever leaving their root.

use std::borrow::Cow;
use std::fmt;
use std::path::{Path, PathBuf};

use percent_encoding::percent_decode_str;

/// The files an app serves to its windows.
///
/// ```
/// let dev = portcullis::Assets::dir("examples/todo/dist");
/// # let _ = dev;
/// ```
#[derive(Clone)]
pub struct Assets(Source);

#[derive(Clone)]
enum Source {
    /// Sorted by path, for binary search.
    Embedded(&'static [(&'static str, &'static [u8])]),
    Dir(PathBuf),
    /// `assets!` in a debug build: the directory it was compiled from while
    /// that directory exists, so a front-end rebuild (new, changed or removed
    /// files) is served without recompiling the core; the embedded copy when
    /// the binary runs where the directory is gone.
    Live {
        root: &'static str,
        embedded: &'static [(&'static str, &'static [u8])],
    },
}

/// A file found for a request.
#[derive(Debug)]
pub(crate) struct Asset {
    pub(crate) bytes: Cow<'static, [u8]>,
    pub(crate) mime: String,
}

/// Why a request path gets no file.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum AssetError {
    /// No such file (404).
    NotFound,
    /// The path tries to leave the root or is malformed (403).
    Forbidden,
}

impl Assets {
    /// Serves the files of a directory, read at each request: for development,
    /// so that edits show up on reload. Relative paths are relative to the
    /// current directory.
    pub fn dir(path: impl Into<PathBuf>) -> Self {
        Assets(Source::Dir(path.into()))
    }

    /// Files embedded by `assets!`, sorted by path.
    #[doc(hidden)]
    pub const fn __embedded(files: &'static [(&'static str, &'static [u8])]) -> Self {
        Assets(Source::Embedded(files))
    }

    /// What `assets!` expands to in a debug build: see [`Source::Live`].
    #[doc(hidden)]
    pub const fn __live(
        root: &'static str,
        embedded: &'static [(&'static str, &'static [u8])],
    ) -> Self {
        Assets(Source::Live { root, embedded })
    }

    /// A debug build's live directory that does not exist, with nothing
    /// embedded to fall back on: the front end is not built yet.
    pub(crate) fn unbuilt(&self) -> Option<&'static str> {
        match self.0 {
            Source::Live { root, embedded } if embedded.is_empty() && !Path::new(root).is_dir() => {
                Some(root)
            }
            _ => None,
        }
    }

    /// Finds the file for a request path (as it appears in the URL,
    /// percent-encoded). `/` and paths ending in `/` mean `index.html`.
    pub(crate) fn get(&self, request_path: &str) -> Result<Asset, AssetError> {
        let path = normalize(request_path)?;
        let bytes = match &self.0 {
            Source::Embedded(files) => embedded(files, &path)?,
            Source::Dir(root) => Cow::Owned(read_within(root, &path)?),
            Source::Live { root, .. } if Path::new(root).is_dir() => {
                Cow::Owned(read_within(Path::new(root), &path)?)
            }
            Source::Live {
                embedded: files, ..
            } => embedded(files, &path)?,
        };
        Ok(Asset {
            bytes,
            mime: mime_for(&path),
        })
    }
}

impl fmt::Debug for Assets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Embedded(files) => write!(f, "Assets(embedded, {} files)", files.len()),
            Source::Dir(root) => write!(f, "Assets(dir {})", root.display()),
            Source::Live { root, embedded } => {
                write!(f, "Assets(live {root}, {} files embedded)", embedded.len())
            }
        }
    }
}

/// Turns a URL path into a relative path of plain segments, refusing anything
/// that could name a file outside the root: `..` and `.` segments (also
/// percent-encoded), backslashes, NUL, and empty segments (`//etc`).
pub(crate) fn normalize(request_path: &str) -> Result<String, AssetError> {
    let path = request_path.split(['?', '#']).next().unwrap_or("");
    let decoded = percent_decode_str(path)
        .decode_utf8()
        .map_err(|_| AssetError::Forbidden)?;
    let relative = decoded.strip_prefix('/').unwrap_or(&decoded);
    let mut out = String::with_capacity(relative.len() + 10);
    let segments: Vec<&str> = relative.split('/').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        if segment.is_empty() && last {
            break; // trailing slash: a directory, served by its index.html
        }
        if segment.is_empty()
            || *segment == "."
            || *segment == ".."
            || segment.contains(['\\', '\0', ':'])
        {
            return Err(AssetError::Forbidden);
        }
        out.push_str(segment);
        if !last {
            out.push('/');
        }
    }
    if out.is_empty() || out.ends_with('/') {
        out.push_str("index.html");
    }
    Ok(out)
}

/// Reads `root/relative`, refusing files that resolve (through symlinks)
/// outside `root`.
fn embedded(
    files: &'static [(&'static str, &'static [u8])],
    path: &str,
) -> Result<Cow<'static, [u8]>, AssetError> {
    files
        .binary_search_by(|(p, _)| (*p).cmp(path))
        .map(|i| Cow::Borrowed(files[i].1))
        .map_err(|_| AssetError::NotFound)
}

fn read_within(root: &Path, relative: &str) -> Result<Vec<u8>, AssetError> {
    let root = root.canonicalize().map_err(|_| AssetError::NotFound)?;
    let mut file = root.join(relative);
    if file.is_dir() {
        file.push("index.html");
    }
    let file = file.canonicalize().map_err(|_| AssetError::NotFound)?;
    if !file.starts_with(&root) {
        return Err(AssetError::Forbidden);
    }
    std::fs::read(file).map_err(|_| AssetError::NotFound)
}

fn mime_for(path: &str) -> String {
    let mime = mime_guess::from_path(path).first_or_octet_stream();
    if mime.type_() == mime_guess::mime::TEXT || mime.subtype() == mime_guess::mime::JAVASCRIPT {
        format!("{mime}; charset=utf-8")
    } else {
        mime.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILES: &[(&str, &[u8])] = &[
        ("app.js", b"js"),
        ("css/site.css", b"css"),
        ("index.html", b"<html>"),
        ("sub/index.html", b"sub"),
    ];

    #[test]
    fn embedded_lookup_index_and_mime() {
        let assets = Assets::__embedded(FILES);
        let index = assets.get("/").unwrap();
        assert_eq!(&*index.bytes, b"<html>");
        assert_eq!(index.mime, "text/html; charset=utf-8");
        assert_eq!(assets.get("/sub/").unwrap().bytes.as_ref(), b"sub");
        assert_eq!(
            assets.get("/app.js").unwrap().mime,
            "text/javascript; charset=utf-8"
        );
        assert_eq!(
            assets.get("/css/site.css").unwrap().mime,
            "text/css; charset=utf-8"
        );
        assert_eq!(
            assets.get("/css/site.css?v=2#x").unwrap().bytes.as_ref(),
            b"css"
        );
        assert_eq!(
            assets.get("/missing.png").unwrap_err(),
            AssetError::NotFound
        );
    }

    #[test]
    fn traversal_is_forbidden_in_every_spelling() {
        let assets = Assets::__embedded(FILES);
        for attack in [
            "/../secret",
            "/%2e%2e/secret",
            "/%2E%2E/secret",
            "/css/../../secret",
            "/css/%2e%2e%2f%2e%2e%2fsecret",
            "/./index.html",
            "//etc/passwd",
            "/..%5csecret",
            "/%5c..%5csecret",
            "/C:/Windows/win.ini",
            "/index.html%00.png",
            "/%ff%fe",
        ] {
            assert_eq!(
                assets.get(attack).unwrap_err(),
                AssetError::Forbidden,
                "{attack}"
            );
        }
    }

    #[test]
    fn directory_source_stays_inside_its_root() {
        let base = std::env::temp_dir().join(format!("portcullis-assets-{}", std::process::id()));
        let root = base.join("dist");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("index.html"), "root index").unwrap();
        std::fs::write(root.join("sub/index.html"), "sub index").unwrap();
        std::fs::write(base.join("secret.txt"), "top secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(base.join("secret.txt"), root.join("link.txt")).unwrap();

        let assets = Assets::dir(&root);
        assert_eq!(assets.get("/").unwrap().bytes.as_ref(), b"root index");
        assert_eq!(assets.get("/sub").unwrap().bytes.as_ref(), b"sub index");
        assert_eq!(
            assets.get("/../secret.txt").unwrap_err(),
            AssetError::Forbidden
        );
        assert_eq!(
            assets.get("/%2e%2e/secret.txt").unwrap_err(),
            AssetError::Forbidden
        );
        #[cfg(unix)]
        assert_eq!(assets.get("/link.txt").unwrap_err(), AssetError::Forbidden);
        assert_eq!(assets.get("/nope.txt").unwrap_err(), AssetError::NotFound);
        std::fs::remove_dir_all(base).unwrap();
    }

    #[test]
    fn live_source_serves_the_directory_while_it_exists_then_the_embedded_copy() {
        let root = std::env::temp_dir().join(format!("portcullis-live-{}", std::process::id()));
        std::fs::create_dir_all(&root).unwrap();
        // Compiled while the directory was empty: nothing embedded.
        let root_str: &'static str =
            Box::leak(root.to_string_lossy().into_owned().into_boxed_str());
        let assets = Assets::__live(root_str, FILES);
        assert_eq!(assets.get("/").unwrap_err(), AssetError::NotFound);
        // The front end is built after the core: seen without a rebuild.
        std::fs::write(root.join("index.html"), "built later").unwrap();
        std::fs::write(root.join("new.js"), "new").unwrap();
        assert_eq!(assets.get("/").unwrap().bytes.as_ref(), b"built later");
        assert_eq!(assets.get("/new.js").unwrap().bytes.as_ref(), b"new");
        // Removed files are gone, and the root still confines every path.
        std::fs::remove_file(root.join("new.js")).unwrap();
        assert_eq!(assets.get("/new.js").unwrap_err(), AssetError::NotFound);
        assert_eq!(assets.get("/app.js").unwrap_err(), AssetError::NotFound);
        assert_eq!(assets.get("/../x").unwrap_err(), AssetError::Forbidden);
        // The binary run where the directory is gone: the embedded copy.
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(assets.get("/").unwrap().bytes.as_ref(), b"<html>");
        assert_eq!(assets.get("/app.js").unwrap().bytes.as_ref(), b"js");
    }
}
