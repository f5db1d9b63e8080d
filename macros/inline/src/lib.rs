//! Builds an isolation application: its `index.html` with every relative
//! `<script src>` inlined (sandboxed frames cannot load them everywhere, and
//! one self-contained document is what gets served). Shared verbatim by the
//! `isolation!` macro (compile time) and `portcullis::Isolation::dir` (run
//! time), so both accept and refuse exactly the same apps. Not for direct
//! use: its API follows those two crates.

use std::path::{Component, Path};

/// The global the isolation app must define.
pub const HOOK: &str = "__PORTCULLIS_ISOLATION_HOOK__";

/// Reads `dir/index.html` and inlines its relative scripts: the document, and
/// every file it was built from. Errors say what to change.
pub fn build(dir: &Path) -> Result<(String, Vec<std::path::PathBuf>), String> {
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index)
        .map_err(|err| format!("cannot read {}: {err}", index.display()))?;
    let mut out = String::with_capacity(html.len());
    let mut rest = html.as_str();
    let mut scripts = String::new();
    let mut files = vec![index.clone()];
    while let Some(start) = find_ci(rest, "<script") {
        out.push_str(&rest[..start]);
        let tag_end = rest[start..]
            .find('>')
            .map(|i| start + i + 1)
            .ok_or("an unterminated <script> tag")?;
        let tag = &rest[start..tag_end];
        let close = find_ci(&rest[tag_end..], "</script>")
            .map(|i| tag_end + i)
            .ok_or("a <script> without </script>")?;
        let body = &rest[tag_end..close];
        if let Some(kind) = attribute(tag, "type")
            && kind.eq_ignore_ascii_case("module")
        {
            return Err(
                "ES modules are not supported in the isolation app: use classic scripts".into(),
            );
        }
        let code = match attribute(tag, "src") {
            Some(src) => {
                let (code, file) = read_script(dir, &src)?;
                files.push(file);
                code
            }
            None => body.to_owned(),
        };
        scripts.push_str(&code);
        out.push_str("<script>");
        // A literal `</script` inside the code would end the element early.
        out.push_str(&code.replace("</script", "<\\/script"));
        out.push_str("</script>");
        rest = &rest[close + "</script>".len()..];
    }
    out.push_str(rest);
    if !scripts.contains(HOOK) {
        return Err(format!(
            "the isolation app never defines window.{HOOK}: without it every call would be rejected"
        ));
    }
    Ok((out, files))
}

fn read_script(dir: &Path, src: &str) -> Result<(String, std::path::PathBuf), String> {
    let relative = Path::new(src);
    let inside = !src.contains(':')
        && !src.starts_with('/')
        && !src.starts_with('\\')
        && relative
            .components()
            .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if !inside {
        return Err(format!(
            "<script src=\"{src}\"> is outside the isolation app's directory: only relative paths inside it are inlined"
        ));
    }
    let file = dir.join(relative);
    let code =
        std::fs::read_to_string(&file).map_err(|err| format!("cannot read script {src}: {err}"))?;
    Ok((code, file))
}

/// Case-insensitive `str::find` for ASCII needles.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    haystack
        .as_bytes()
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The value of `name="..."` (or `'...'`) in a tag.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before_ok = lower[..at].ends_with(|c: char| c.is_ascii_whitespace());
        let after = lower[from..].trim_start();
        if before_ok && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            let offset = tag.len() - value.len();
            let quote = value.chars().next()?;
            let original = &tag[offset..];
            return if quote == '"' || quote == '\'' {
                original[1..].split(quote).next().map(str::to_owned)
            } else {
                original
                    .split(|c: char| c.is_ascii_whitespace() || c == '>')
                    .next()
                    .map(str::to_owned)
            };
        }
    }
    None
}
