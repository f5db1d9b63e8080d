//! Capabilities: which windows, showing which pages, may send which
//! messages. Checked in the gate (`Gate::check`), so every
//! kind of message (invoke, emit, listen, and later channel messages) from
//! every door passes the same rule.
//!
//! - No capability declared: every command and event is open to the app's
//!   own pages (small apps stay one line); nothing is open to other origins.
//! - One or more declared: what no capability grants is refused
//!   (`forbidden`), for every window and origin.
//! - [`Capability::new`] grants to the app's own pages in the windows it
//!   names; [`Capability::remote`] grants to pages of exactly that origin
//!   (an allowed navigation), in the windows it names (default: any).
//! - A cancel is always let through: it reaches only its own window's calls,
//!   each of which was allowed when it started.

use std::collections::BTreeSet;
use std::fmt;

use crate::wire::Kind;
use crate::{Commands, Events};

/// A named set of permissions for some windows: the commands they may call
/// and the events they may listen to and emit.
///
/// ```
/// use portcullis::{Capability, command, commands};
///
/// #[command] fn list_todos() {}
/// #[command] fn add_todo() {}
///
/// let main = Capability::new("main-window")
///     .windows(["main"])
///     .commands(commands![list_todos, add_todo]);
/// let admin = Capability::new("admin").windows(["admin", "tools-*"]).allow_all();
/// # let _ = (main, admin);
/// ```
#[derive(Clone)]
pub struct Capability {
    pub(crate) name: String,
    /// Window label patterns: exact, or a prefix ending in `*`.
    pub(crate) windows: Vec<String>,
    /// `Some(origin)` for a remote capability (normalized `scheme://host[:port]`),
    /// or the text that failed to parse.
    pub(crate) remote: Option<Result<String, String>>,
    pub(crate) commands: BTreeSet<&'static str>,
    pub(crate) events: BTreeSet<&'static str>,
    pub(crate) all: bool,
}

impl fmt::Debug for Capability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Capability")
            .field("name", &self.name)
            .field("windows", &self.windows)
            .field("remote", &self.remote)
            .field("commands", &self.commands)
            .field("events", &self.events)
            .field("all", &self.all)
            .finish()
    }
}

impl Capability {
    /// A capability for the app's own pages in the windows named with
    /// [`windows`](Self::windows). It grants nothing until told what.
    pub fn new(name: impl Into<String>) -> Self {
        Capability {
            name: name.into(),
            windows: Vec::new(),
            remote: None,
            commands: BTreeSet::new(),
            events: BTreeSet::new(),
            all: false,
        }
    }

    /// A capability for pages of exactly `origin` (`"https://docs.example.com"`,
    /// parsed with a URL parser; scheme, host and port must all match), in
    /// any window unless [`windows`](Self::windows) narrows it. The origin
    /// must also be allowed for navigation
    /// ([`AppBuilder::allow_navigation`](crate::AppBuilder::allow_navigation)).
    /// Such pages use the message transport only: no binary arguments or
    /// results, no JSON over 1 MiB, no isolation.
    pub fn remote(origin: impl Into<String>) -> Self {
        let text = origin.into();
        let mut capability = Capability::new(text.clone());
        capability.windows = vec!["*".to_owned()];
        capability.remote = Some(normalize_origin(&text).ok_or(text));
        capability
    }

    /// The windows it applies to: labels, or prefixes ending in `*`
    /// (`"tools-*"`; `"*"` is every window). Replaces earlier calls.
    pub fn windows<I, S>(mut self, labels: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.windows = labels.into_iter().map(Into::into).collect();
        self
    }

    /// Grants these commands (adds to earlier grants).
    pub fn commands(mut self, commands: Commands) -> Self {
        self.commands.extend(commands.iter().map(|info| info.name));
        self
    }

    /// Grants these events: listening to them and emitting them (adds to
    /// earlier grants).
    pub fn events(mut self, events: Events) -> Self {
        self.events.extend(events.names());
        self
    }

    /// Grants every command and event of the app.
    pub fn allow_all(mut self) -> Self {
        self.all = true;
        self
    }

    /// Its name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether it grants calling command `name`.
    pub fn grants_command(&self, name: &str) -> bool {
        self.all || self.commands.contains(name)
    }

    /// Whether it grants listening to and emitting event `name`.
    pub fn grants_event(&self, name: &str) -> bool {
        self.all || self.events.contains(name)
    }

    /// Whether it applies to window `label` showing a page of `origin`
    /// (`None`: the app's own origin).
    fn applies(&self, label: &str, origin: Option<&str>) -> bool {
        let origin_matches = match (&self.remote, origin) {
            (None, None) => true,
            (Some(Ok(mine)), Some(theirs)) => mine == theirs,
            _ => false,
        };
        origin_matches && self.windows.iter().any(|p| label_matches(p, label))
    }
}

fn label_matches(pattern: &str, label: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => label.starts_with(prefix),
        None => pattern == label,
    }
}

/// `scheme://host[:port]` of `text`, parsed by a WHATWG URL parser; `None`
/// unless `text` is exactly an origin (no path beyond `/`, no query,
/// fragment or credentials).
pub(crate) fn normalize_origin(text: &str) -> Option<String> {
    let url = url::Url::parse(text).ok()?;
    let host = url.host_str()?;
    if !url.username().is_empty()
        || url.password().is_some()
        || url.query().is_some()
        || url.fragment().is_some()
        || !matches!(url.path(), "" | "/")
    {
        return None;
    }
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// The origin of a page URL (`scheme://host[:port]`), as
/// [`normalize_origin`] writes origins.
pub(crate) fn page_origin(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    let host = url.host_str()?;
    Some(match url.port() {
        Some(port) => format!("{}://{host}:{port}", url.scheme()),
        None => format!("{}://{host}", url.scheme()),
    })
}

/// The capabilities of a running app, as the gate asks them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Permissions {
    capabilities: Vec<Capability>,
}

/// Why a message was refused, for the error.
pub(crate) struct Denied;

impl Permissions {
    pub(crate) fn new(capabilities: Vec<Capability>) -> Self {
        Permissions { capabilities }
    }

    pub(crate) fn capabilities(&self) -> &[Capability] {
        &self.capabilities
    }

    /// Whether any capability is declared (else the app's pages get all).
    #[cfg_attr(not(feature = "webview"), allow(dead_code))]
    pub(crate) fn enforced(&self) -> bool {
        !self.capabilities.is_empty()
    }

    /// The remote origins some capability names.
    pub(crate) fn remote_origins(&self) -> impl Iterator<Item = &str> {
        self.capabilities
            .iter()
            .filter_map(|c| c.remote.as_ref()?.as_deref().ok())
    }

    /// Whether window `label` showing a page of `origin` (`None`: the app's)
    /// may send a message of `kind` naming `name`.
    #[inline]
    pub(crate) fn allows(
        &self,
        label: &str,
        origin: Option<&str>,
        kind: Kind,
        name: &str,
    ) -> Result<(), Denied> {
        if self.capabilities.is_empty() {
            return if origin.is_none() {
                Ok(())
            } else {
                Err(Denied)
            };
        }
        if kind.own_only() {
            return Ok(());
        }
        let event = kind.names_an_event();
        let granted = self.capabilities.iter().any(|c| {
            c.applies(label, origin)
                && if event {
                    c.grants_event(name)
                } else {
                    c.grants_command(name)
                }
        });
        if granted { Ok(()) } else { Err(Denied) }
    }

    /// The names of the capabilities that apply to window `label` showing
    /// the app's own pages (for the isolation hook).
    #[cfg_attr(not(feature = "webview"), allow(dead_code))]
    pub(crate) fn names_for(&self, label: &str) -> Vec<String> {
        self.capabilities
            .iter()
            .filter(|c| c.applies(label, None))
            .map(|c| c.name.clone())
            .collect()
    }

    /// Checks every capability against what the app has: each command,
    /// event and exact window label it names must exist, origins must parse,
    /// names must be unique. The error names the capability and the culprit.
    /// `windows`: the labels the app opens at start (`None`: not checked).
    pub(crate) fn validate(
        &self,
        commands: &Commands,
        events: &Events,
        windows: Option<&[&str]>,
    ) -> Result<(), String> {
        let mut names = BTreeSet::new();
        for c in &self.capabilities {
            let who = format!("capability `{}`", c.name);
            if !names.insert(c.name.as_str()) {
                return Err(format!("{who} is declared twice"));
            }
            if let Some(Err(text)) = &c.remote {
                return Err(format!(
                    "{who}: {text:?} is not an origin (scheme://host[:port], nothing after)"
                ));
            }
            if c.windows.is_empty() {
                return Err(format!("{who} names no window: call .windows([...])"));
            }
            for pattern in windows.map_or(&[][..], |_| &c.windows[..]) {
                if !pattern.ends_with('*')
                    && !windows.is_some_and(|w| w.contains(&pattern.as_str()))
                {
                    return Err(format!(
                        "{who} names window `{pattern}`, which the app does not open \
                         (windows opened later: name them with a `prefix*` pattern)"
                    ));
                }
            }
            if let Some(name) = c.commands.iter().find(|n| !commands.contains(n)) {
                return Err(format!(
                    "{who} grants command `{name}`, which is not registered"
                ));
            }
            if let Some(name) = c.events.iter().find(|n| !events.contains(n)) {
                return Err(format!(
                    "{who} grants event `{name}`, which is not registered"
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_are_parsed_and_compared_exactly() {
        for (text, origin) in [
            ("https://docs.example.com", Some("https://docs.example.com")),
            (
                "https://docs.example.com/",
                Some("https://docs.example.com"),
            ),
            ("HTTPS://Docs.Example.COM", Some("https://docs.example.com")),
            (
                "https://docs.example.com:443",
                Some("https://docs.example.com"),
            ),
            (
                "https://docs.example.com:8443",
                Some("https://docs.example.com:8443"),
            ),
            ("app://evil", Some("app://evil")),
            ("https://docs.example.com/path", None),
            ("https://docs.example.com?q", None),
            ("https://user@docs.example.com", None),
            ("docs.example.com", None),
            ("", None),
        ] {
            assert_eq!(normalize_origin(text).as_deref(), origin, "{text:?}");
        }
        // GHSA-7gmj-67g7-phm9 compared the first label only.
        let cap = Capability::remote("https://docs.example.com").allow_all();
        let perms = Permissions::new(vec![cap]);
        for other in [
            "https://docs.example.com.evil.com",
            "https://docs.evil.com",
            "http://docs.example.com",
            "https://docs.example.com:8443",
            "https://evil.docs.example.com",
        ] {
            assert!(
                perms
                    .allows("main", Some(other), Kind::Invoke, "x")
                    .is_err(),
                "{other}"
            );
        }
        assert!(
            perms
                .allows("main", Some("https://docs.example.com"), Kind::Invoke, "x")
                .is_ok()
        );
        // A remote capability gives the app's own pages nothing.
        assert!(perms.allows("main", None, Kind::Invoke, "x").is_err());
    }

    #[test]
    fn windows_match_exactly_or_by_prefix() {
        let perms = Permissions::new(vec![
            Capability::new("a")
                .windows(["main", "tools-*"])
                .allow_all(),
        ]);
        for (label, ok) in [
            ("main", true),
            ("tools-1", true),
            ("tools-", true),
            ("main2", false),
            ("Main", false),
            ("tools", false),
            ("xtools-1", false),
        ] {
            assert_eq!(
                perms.allows(label, None, Kind::Invoke, "x").is_ok(),
                ok,
                "{label}"
            );
        }
    }

    #[test]
    fn no_capability_opens_the_app_pages_only() {
        let perms = Permissions::default();
        assert!(perms.allows("any", None, Kind::Invoke, "x").is_ok());
        assert!(
            perms
                .allows("any", Some("https://x.com"), Kind::Invoke, "x")
                .is_err()
        );
    }
}
