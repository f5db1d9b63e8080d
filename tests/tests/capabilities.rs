//! Capabilities through `MockApp` (the gate's check, as a page's message
//! meets it) and `App::run` (the start-time checks, which fail before any
//! window opens, so no display is needed). The web-view attacks are in the
//! `permissions` end-to-end binary.

use std::sync::atomic::{AtomicU64, Ordering};

use portcullis::test::MockApp;
use portcullis::{
    App, Assets, Capability, ErrorCode, State, WindowConfig, command, commands, events,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Default)]
struct Ran(AtomicU64);

#[command]
fn list_todos(ran: State<'_, &'static Ran>) -> u64 {
    ran.0.fetch_add(1, Ordering::SeqCst) + 1
}

#[command]
fn add_todo(ran: State<'_, &'static Ran>) {
    ran.0.fetch_add(1, Ordering::SeqCst);
}

mod admin {
    use super::*;

    #[command]
    pub(super) fn reset(ran: State<'_, &'static Ran>) {
        ran.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct TodoAdded {
    id: u64,
}

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Wipe;

fn app(capabilities: Vec<Capability>) -> (MockApp, &'static Ran) {
    let ran: &'static Ran = Box::leak(Box::default());
    let mut app = MockApp::new(commands![list_todos, add_todo, admin::reset])
        .manage(ran)
        .events(events![TodoAdded, Wipe]);
    for capability in capabilities {
        app = app.capability(capability);
    }
    (app, ran)
}

fn two_windows() -> (MockApp, &'static Ran) {
    app(vec![
        Capability::new("main-window")
            .windows(["main"])
            .commands(commands![list_todos, add_todo])
            .events(events![TodoAdded]),
        Capability::new("admin")
            .windows(["admin", "tools-*"])
            .allow_all(),
    ])
}

#[tokio::test]
async fn no_capability_means_every_command_for_the_app_pages() {
    let (app, ran) = app(Vec::new());
    app.invoke_from("anything", "reset", json!({}))
        .await
        .unwrap();
    app.emit_from("anything", "wipe", None, json!(null))
        .await
        .unwrap();
    assert_eq!(ran.0.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn each_window_gets_what_its_capability_grants_and_nothing_else() {
    let (app, ran) = two_windows();
    assert_eq!(
        app.invoke_from("main", "list_todos", json!({}))
            .await
            .unwrap(),
        json!(1)
    );
    for (window, command) in [
        ("main", "reset"),
        ("other", "list_todos"),
        ("Main", "list_todos"),
        ("tools", "reset"),
    ] {
        let err = app
            .invoke_from(window, command, json!({}))
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::Forbidden,
            "{window} {command}: {err}"
        );
        assert_eq!(err.command(), Some(command));
        assert!(
            err.message().contains(window) && err.message().contains(command),
            "{err}"
        );
    }
    // The admin capability: every command, by exact label and by prefix.
    app.invoke_from("admin", "reset", json!({})).await.unwrap();
    app.invoke_from("tools-7", "reset", json!({}))
        .await
        .unwrap();
    assert_eq!(
        ran.0.load(Ordering::SeqCst),
        3,
        "only the granted calls ran"
    );
    // An unknown command is still forbidden first (no oracle of names).
    let err = app
        .invoke_from("main", "no_such", json!({}))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

#[tokio::test]
async fn events_are_granted_per_capability_too() {
    let (app, _) = two_windows();
    app.emit_from("main", "todo-added", None, json!({ "id": 1 }))
        .await
        .unwrap();
    let err = app
        .emit_from("main", "wipe", None, json!(null))
        .await
        .unwrap_err();
    assert_eq!(
        (err.code(), err.command()),
        (ErrorCode::Forbidden, Some("wipe"))
    );
    assert!(err.message().contains("emit event `wipe`"), "{err}");
    app.emit_from("admin", "wipe", None, json!(null))
        .await
        .unwrap();
    let err = app
        .emit_from("stranger", "todo-added", None, json!({ "id": 1 }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Forbidden);
}

#[test]
#[should_panic(expected = "grants command `list_todo`, which is not registered")]
fn a_typo_in_a_capability_is_caught() {
    mod typo {
        #[portcullis::command]
        pub(super) fn list_todo() {}
    }
    let _ = app(vec![
        Capability::new("x")
            .windows(["main"])
            .commands(commands![typo::list_todo]),
    ]);
}

/// `run()` refuses a bad capability before it opens anything.
fn run_error(capability: Capability) -> String {
    App::builder()
        .commands(commands![list_todos])
        .events(events![TodoAdded])
        .window(WindowConfig::new("main"))
        .assets(Assets::dir(std::env::temp_dir()))
        .capability(capability)
        .run()
        .expect_err("a bad capability must fail at run()")
        .to_string()
}

#[test]
fn run_checks_every_name_a_capability_uses() {
    mod other {
        #[portcullis::command]
        pub(super) fn not_registered() {}
    }
    let err = run_error(
        Capability::new("c")
            .windows(["main"])
            .commands(commands![other::not_registered]),
    );
    assert!(
        err.contains("capability `c` grants command `not_registered`, which is not registered"),
        "{err}"
    );
    let err = run_error(Capability::new("c").windows(["main"]).events(events![Wipe]));
    assert!(err.contains("grants event `wipe`"), "{err}");
    let err = run_error(Capability::new("c").windows(["mian"]).allow_all());
    assert!(err.contains("names window `mian`"), "{err}");
    let err = run_error(Capability::new("c").allow_all());
    assert!(err.contains("names no window"), "{err}");
    let err = run_error(Capability::remote("https://docs.example.com/path").allow_all());
    assert!(err.contains("is not an origin"), "{err}");
    let err = run_error(Capability::remote("https://docs.example.com").allow_all());
    assert!(err.contains("allow_navigation"), "{err}");
}

#[test]
fn bindings_for_a_capability_show_only_what_it_grants() {
    let all = commands![list_todos, add_todo, admin::reset];
    let main = Capability::new("main-window")
        .windows(["main"])
        .commands(commands![list_todos])
        .events(events![TodoAdded]);
    let ts = all
        .bindings()
        .events(events![TodoAdded, Wipe])
        .for_capability(&main)
        .typescript()
        .unwrap();
    assert!(ts.contains("export function listTodos("), "{ts}");
    assert!(ts.contains("todoAdded: {"), "{ts}");
    for hidden in ["addTodo", "reset", "wipe"] {
        assert!(!ts.contains(hidden), "{hidden} in:\n{ts}");
    }
}

#[portcullis::command]
fn read_note(
    scope: State<'_, portcullis::Scope>,
    path: String,
) -> Result<String, portcullis::ScopeError> {
    let path = scope.check(&path)?;
    std::fs::read_to_string(path).map_err(|err| portcullis::ScopeError::io(&err))
}

#[tokio::test]
async fn a_command_checks_its_path_argument_with_a_scope() {
    let dir = std::env::temp_dir().join(format!("portcullis-scope-cmd-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("notes")).unwrap();
    std::fs::write(dir.join("notes/a.txt"), "hello").unwrap();
    std::fs::write(dir.join("secret.txt"), "no").unwrap();
    let scope = portcullis::Scope::new().allow(dir.join("notes")).unwrap();
    let app = MockApp::new(commands![read_note]).manage(scope);
    let path = |p: &str| dir.join(p).to_string_lossy().into_owned();
    assert_eq!(
        app.invoke("read_note", json!({ "path": path("notes/a.txt") }))
            .await
            .unwrap(),
        json!("hello")
    );
    for (bad, kind) in [
        (path("notes/../secret.txt"), "invalid"),
        (path("secret.txt"), "outside"),
        ("notes/a.txt".to_owned(), "invalid"),
        (path("notes/missing/x"), "unresolvable"),
    ] {
        let err = app
            .invoke("read_note", json!({ "path": bad }))
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::CommandError, "{bad}");
        assert_eq!(err.data().unwrap()["kind"], kind, "{bad}: {err}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
