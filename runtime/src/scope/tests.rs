use std::path::PathBuf;

use super::*;

/// `root/allowed` (with files, a denied `private/`), an `outside/` next to it
/// and symlinks out of the allowed root.
struct Tree {
    base: PathBuf,
    allowed: PathBuf,
}

impl Tree {
    fn new(name: &str) -> Tree {
        let base =
            std::env::temp_dir().join(format!("portcullis-scope-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let allowed = base.join("allowed");
        std::fs::create_dir_all(allowed.join("docs/deep")).unwrap();
        std::fs::create_dir_all(allowed.join("private")).unwrap();
        std::fs::create_dir_all(base.join("outside")).unwrap();
        std::fs::create_dir_all(base.join("allowed-other")).unwrap();
        std::fs::write(allowed.join("docs/a.txt"), "a").unwrap();
        std::fs::write(allowed.join("private/key"), "k").unwrap();
        std::fs::write(base.join("outside/secret"), "s").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(base.join("outside"), allowed.join("link-out")).unwrap();
            symlink(base.join("outside/secret"), allowed.join("file-link-out")).unwrap();
            symlink(allowed.join("private"), allowed.join("docs/to-private")).unwrap();
            symlink(allowed.join("docs/a.txt"), allowed.join("inside-link")).unwrap();
        }
        Tree { base, allowed }
    }

    fn scope(&self) -> Scope {
        Scope::new()
            .allow(&self.allowed)
            .unwrap()
            .deny(self.allowed.join("private"))
            .unwrap()
    }
}

impl Drop for Tree {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.base);
    }
}

#[test]
fn hostile_paths_are_refused() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;

    let tree = Tree::new("hostile");
    let scope = tree.scope();
    let a = &tree.allowed;
    let s = |p: &str| a.join(p).into_os_string();
    let hostile: Vec<(OsString, ScopeErrorKind)> = vec![
        // Traversal, every way it can be written.
        (s("../outside/secret"), ScopeErrorKind::Invalid),
        (s("docs/../../outside/secret"), ScopeErrorKind::Invalid),
        (s("docs/deep/../../../outside"), ScopeErrorKind::Invalid),
        (s(".."), ScopeErrorKind::Invalid),
        (s("docs/./a.txt"), ScopeErrorKind::Invalid),
        (s("./docs"), ScopeErrorKind::Invalid),
        // Percent-encoding is not decoding: a literal name that does not
        // exist under a parent that does not exist.
        (s("%2e%2e/outside/secret"), ScopeErrorKind::Unresolvable),
        // Relative and empty.
        ("../outside/secret".into(), ScopeErrorKind::Invalid),
        ("docs/a.txt".into(), ScopeErrorKind::Invalid),
        ("".into(), ScopeErrorKind::Invalid),
        ("~/secret".into(), ScopeErrorKind::Invalid),
        // Absolute elsewhere.
        ("/etc/passwd".into(), ScopeErrorKind::Outside),
        ("/".into(), ScopeErrorKind::Outside),
        (
            tree.base.join("outside/secret").into_os_string(),
            ScopeErrorKind::Outside,
        ),
        (
            tree.base.join("outside/new-file").into_os_string(),
            ScopeErrorKind::Outside,
        ),
        // A sibling whose name starts with the root's.
        (
            tree.base.join("allowed-other/x").into_os_string(),
            ScopeErrorKind::Outside,
        ),
        (
            tree.base.join("allowed-other").into_os_string(),
            ScopeErrorKind::Outside,
        ),
        // Symlinks out of the root, to a dir and to a file, and a new file
        // through a symlinked dir.
        (s("link-out/secret"), ScopeErrorKind::Outside),
        (s("file-link-out"), ScopeErrorKind::Outside),
        (s("link-out/new-file"), ScopeErrorKind::Outside),
        // Denied, directly, through a symlink, and a new file in it.
        (s("private/key"), ScopeErrorKind::Denied),
        (s("private"), ScopeErrorKind::Denied),
        (s("docs/to-private/key"), ScopeErrorKind::Denied),
        (s("private/new-file"), ScopeErrorKind::Denied),
        // NUL, anywhere.
        (
            OsString::from_vec(b"/etc/passwd\0.txt".to_vec()),
            ScopeErrorKind::Invalid,
        ),
        (
            {
                let mut p = s("docs/a.txt").into_vec();
                p.push(0);
                OsString::from_vec(p)
            },
            ScopeErrorKind::Invalid,
        ),
        // Very long.
        (s(&"a/".repeat(3000)), ScopeErrorKind::Invalid),
        // A file written as a directory.
        (s("docs/a.txt/"), ScopeErrorKind::Unresolvable),
        // A parent that does not exist.
        (s("no-such-dir/file"), ScopeErrorKind::Unresolvable),
        // Unicode look-alikes of `..` and `/` are names, not traversal:
        // here they name nothing that exists (so nothing to resolve).
        (
            s("\u{2024}\u{2024}/outside/secret"),
            ScopeErrorKind::Unresolvable,
        ),
        (
            s("docs\u{2215}..\u{2215}..\u{2215}outside/x"),
            ScopeErrorKind::Unresolvable,
        ),
        (
            s("\u{FF0E}\u{FF0E}/outside/secret"),
            ScopeErrorKind::Unresolvable,
        ),
        // More ways out: a doubled slash, a trailing `..`, the root's parent,
        // /proc's view of the file system root.
        ("//etc/passwd".into(), ScopeErrorKind::Outside),
        (s("docs/.."), ScopeErrorKind::Invalid),
        (tree.base.clone().into_os_string(), ScopeErrorKind::Outside),
        ("/proc/self/root/etc/passwd".into(), ScopeErrorKind::Outside),
    ];
    assert!(hostile.len() >= 25);
    for (path, kind) in &hostile {
        let err = scope
            .check(path)
            .expect_err(&format!("{path:?} must be refused"));
        assert_eq!(err.kind, *kind, "{path:?}: {err}");
    }
}

#[test]
fn allowed_paths_are_accepted_resolved() {
    let tree = Tree::new("allowed");
    let scope = tree.scope();
    let canonical = std::fs::canonicalize(&tree.allowed).unwrap();
    for (path, resolved) in [
        ("docs/a.txt", "docs/a.txt"),
        ("docs", "docs"),
        ("docs/deep", "docs/deep"),
        ("docs/new-file.txt", "docs/new-file.txt"),
        ("new-file", "new-file"),
        ("inside-link", "docs/a.txt"),
        ("docs//a.txt", "docs/a.txt"),
        ("\u{2024}\u{2024}", "\u{2024}\u{2024}"),
        // Percent-encoding is a name, not traversal: a file of that name here.
        ("..%2f..%2foutside", "..%2f..%2foutside"),
        // Backslashes are names on Unix, not separators.
        ("..\\..\\outside", "..\\..\\outside"),
    ] {
        let got = scope
            .check(tree.allowed.join(path))
            .unwrap_or_else(|err| panic!("{path:?}: {err}"));
        assert_eq!(got, canonical.join(resolved), "{path:?}");
    }
    assert!(scope.check(&tree.allowed).is_ok(), "the root itself");
    // Nothing allowed: everything is outside.
    assert_eq!(
        Scope::new()
            .check(tree.allowed.join("docs/a.txt"))
            .unwrap_err()
            .kind,
        ScopeErrorKind::Outside
    );
    // Roots and denied paths must exist.
    assert!(Scope::new().allow(tree.base.join("nope")).is_err());
}

#[test]
fn errors_serialize_for_the_front_end() {
    let err = Scope::new().check("relative").unwrap_err();
    let json = serde_json::to_value(&err).unwrap();
    assert_eq!(json["kind"], "invalid");
    assert!(json["message"].as_str().unwrap().contains("not absolute"));
    let io = ScopeError::io(&std::io::Error::from(std::io::ErrorKind::PermissionDenied));
    assert_eq!(io.kind, ScopeErrorKind::Unresolvable);
}
