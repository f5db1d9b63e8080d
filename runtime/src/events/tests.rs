use serde::{Deserialize, Serialize};
use serde_json::json;

use super::*;
use crate::{Event, Type};

/// A todo was added.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type, Event)]
#[serde(rename_all = "camelCase")]
struct TodoAdded {
    id: u64,
    title: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Type, Event)]
#[event(name = "todo-added")]
struct Impostor {
    id: u64,
}

#[test]
fn derived_names_and_docs() {
    assert_eq!(TodoAdded::NAME, "todo-added");
    assert_eq!(TodoAdded::DOCS, "A todo was added.");
}

#[test]
fn the_same_type_twice_is_fine_two_types_with_one_name_are_not() {
    let events = Events::new().with::<TodoAdded>().unwrap();
    let events = events.with::<TodoAdded>().unwrap();
    assert_eq!(events.len(), 1);
    let err = events.with::<Impostor>().unwrap_err();
    assert_eq!(err.name(), "todo-added");
    assert!(err.to_string().contains("Impostor"), "{err}");
}

#[test]
fn page_events_are_decoded_and_checked_like_arguments() {
    let mut hub = Hub::default();
    hub.add_events(Events::new().with::<TodoAdded>().unwrap());
    let window: Arc<str> = "main".into();
    let args = json!({ "payload": { "id": 1, "title": "x", "extra": true }, "to": "second" });
    let (emitted, to, _) = hub
        .incoming(&window, "todo-added", args.to_string().as_bytes(), None)
        .unwrap();
    assert_eq!(to.as_deref(), Some("second"));
    // Relayed as the type keeps it: the unknown field is gone.
    assert_eq!(&*emitted.payload, r#"{"id":1,"title":"x"}"#);
    assert_eq!(emitted.source.as_deref(), Some("main"));

    let bad = json!({ "payload": { "id": "one", "title": "x" } }).to_string();
    let err = hub
        .incoming(&window, "todo-added", bad.as_bytes(), None)
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert_eq!(err.arg(), Some("payload.id"), "{err}");
    assert_eq!(err.command(), Some("todo-added"));

    for bad in [
        &b"{}"[..],
        b"[]",
        b"{\"payload\":{\"id\":1,\"title\":\"x\"},\"sneaky\":1}",
        b"{\"payload\":{\"id\":1,\"title\":\"x\"}} trailing",
        b"\xff",
    ] {
        let err = hub.incoming(&window, "todo-added", bad, None).unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgs, "{err}");
    }
    let err = hub.incoming(&window, "nope", b"{}", None).unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownEvent);
}

#[test]
fn the_core_emits_only_registered_events() {
    let hub = Hub::default();
    let err = hub
        .outgoing(&TodoAdded {
            id: 1,
            title: "x".into(),
        })
        .unwrap_err();
    assert!(err.to_string().contains("not registered"), "{err}");
}
