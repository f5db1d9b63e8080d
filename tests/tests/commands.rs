#![allow(unreachable_pub)]
//! The command core through the public API: arguments, injection, results,
//! errors, panics, registries, concurrency.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use portcullis::test::{MockApp, Output};
use portcullis::{Bytes, CommandArg, ErrorCode, Invoke, InvokeError, State, command, commands};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, portcullis::Type)]
#[serde(rename_all = "camelCase")]
struct Todo {
    id: u64,
    title: String,
    due_date: Option<u64>,
    done: bool,
}

#[derive(Debug, Serialize, portcullis::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum TodoError {
    EmptyTitle,
    TooLong { max: usize },
}

#[derive(Default)]
struct Todos {
    next: AtomicU64,
    list: Mutex<Vec<Todo>>,
}

/// Greets someone by name.
#[command]
fn greet(name: String) -> String {
    format!("Hello, {name}!")
}

#[command]
async fn add_todo(
    todos: State<'_, Todos>,
    title: String,
    due_date: Option<u64>,
) -> Result<Todo, TodoError> {
    if title.is_empty() {
        return Err(TodoError::EmptyTitle);
    }
    if title.len() > 20 {
        return Err(TodoError::TooLong { max: 20 });
    }
    let todo = Todo {
        id: todos.next.fetch_add(1, Ordering::SeqCst),
        title,
        due_date,
        done: false,
    };
    todos.list.lock().unwrap().push(todo.clone());
    Ok(todo)
}

#[command]
fn list_todos(todos: State<'_, Todos>) -> Vec<Todo> {
    todos.list.lock().unwrap().clone()
}

mod admin {
    use super::Todos;
    use portcullis::State;

    #[portcullis::command]
    pub fn reset(todos: State<'_, Todos>) {
        todos.list.lock().unwrap().clear();
    }

    pub fn commands() -> portcullis::Commands {
        portcullis::commands![reset]
    }
}

fn todo_app() -> MockApp {
    let api = commands![greet, add_todo, list_todos, admin::reset];
    MockApp::new(api).manage(Todos::default())
}

#[tokio::test]
async fn sync_command_with_a_string_argument() {
    let app = todo_app();
    assert_eq!(
        app.invoke("greet", json!({ "name": "Ada" })).await,
        Ok(json!("Hello, Ada!"))
    );
}

#[tokio::test]
async fn async_command_with_state_and_camel_case_keys() {
    let app = todo_app();
    let todo: Todo = app
        .invoke_as("add_todo", json!({ "title": "milk", "dueDate": 7 }))
        .await
        .unwrap();
    assert_eq!(todo.title, "milk");
    assert_eq!(todo.due_date, Some(7));
    let list: Vec<Todo> = app.invoke_as("list_todos", json!({})).await.unwrap();
    assert_eq!(list, vec![todo]);
    assert_eq!(app.invoke("reset", json!({})).await, Ok(Value::Null));
    assert_eq!(app.invoke("list_todos", json!({})).await, Ok(json!([])));
}

#[tokio::test]
async fn option_arguments_may_be_absent_or_null() {
    let app = todo_app();
    let absent: Todo = app
        .invoke_as("add_todo", json!({ "title": "a" }))
        .await
        .unwrap();
    assert_eq!(absent.due_date, None);
    let null: Todo = app
        .invoke_as("add_todo", json!({ "title": "b", "dueDate": null }))
        .await
        .unwrap();
    assert_eq!(null.due_date, None);
}

#[tokio::test]
async fn snake_case_key_is_not_read_by_default() {
    let app = todo_app();
    // `due_date` is an unknown key (ignored); the argument is read from `dueDate`.
    let todo: Todo = app
        .invoke_as("add_todo", json!({ "title": "a", "due_date": 3 }))
        .await
        .unwrap();
    assert_eq!(todo.due_date, None);
}

#[tokio::test]
async fn command_error_carries_typed_data() {
    let app = todo_app();
    let err = app
        .invoke(
            "add_todo",
            json!({ "title": "far too long for a todo title" }),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommandError);
    assert_eq!(err.command(), Some("add_todo"));
    assert_eq!(err.data(), Some(&json!({ "kind": "too_long", "max": 20 })));
    assert!(err.message().contains("add_todo"), "{}", err.message());

    let err = app
        .invoke("add_todo", json!({ "title": "" }))
        .await
        .unwrap_err();
    assert_eq!(err.data(), Some(&json!({ "kind": "empty_title" })));
}

#[tokio::test]
async fn string_errors_are_their_own_message() {
    #[command]
    fn fails() -> Result<(), String> {
        Err("disk full".into())
    }
    let app = MockApp::new(commands![fails]);
    let err = app.invoke("fails", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::CommandError);
    assert_eq!(err.message(), "disk full");
    assert_eq!(err.data_as::<String>().as_deref(), Some("disk full"));
}

#[tokio::test]
async fn unknown_command() {
    let app = todo_app();
    let err = app.invoke("nope", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownCommand);
    assert_eq!(err.command(), Some("nope"));
    assert!(err.message().contains("`nope`"), "{}", err.message());
}

#[tokio::test]
async fn wrong_type_names_the_key_and_the_expected_type() {
    let app = todo_app();
    let err = app
        .invoke("greet", json!({ "name": 42 }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert_eq!(err.arg(), Some("name"));
    assert_eq!(err.command(), Some("greet"));
    assert!(err.message().contains("\"name\""), "{}", err.message());
    assert!(
        err.message().contains("expected a string"),
        "{}",
        err.message()
    );

    let err = app
        .invoke("add_todo", json!({ "title": "x", "dueDate": "tomorrow" }))
        .await
        .unwrap_err();
    assert_eq!(err.arg(), Some("dueDate"));
    assert!(err.message().contains("u64"), "{}", err.message());
}

#[tokio::test]
async fn missing_argument_names_the_key() {
    let app = todo_app();
    let err = app.invoke("greet", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert_eq!(err.arg(), Some("name"));
    assert!(
        err.message().contains("missing argument \"name\""),
        "{}",
        err.message()
    );
}

#[tokio::test]
async fn null_for_a_required_argument_is_invalid() {
    let app = todo_app();
    let err = app
        .invoke("greet", json!({ "name": null }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert_eq!(err.arg(), Some("name"));
}

#[tokio::test]
async fn args_that_are_not_an_object() {
    let app = todo_app();
    for args in [json!("Ada"), json!(["Ada"]), json!(1), json!(null)] {
        let err = app.invoke("greet", args.clone()).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgs, "{args}");
        assert_eq!(err.arg(), None);
        assert!(err.message().contains("JSON object"), "{}", err.message());
        assert!(err.message().contains("\"name\""), "{}", err.message());
    }
}

#[tokio::test]
async fn malformed_json_and_duplicate_keys() {
    let app = todo_app();
    for raw in [
        &b"{\"name\": "[..],
        b"{name: 1}",
        b"\xff\xfe",
        b"{\"name\":\"a\"} trailing",
    ] {
        let err = app
            .invoke_raw("main", "greet", raw, vec![])
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            ErrorCode::InvalidArgs,
            "{:?}",
            String::from_utf8_lossy(raw)
        );
    }
    let err = app
        .invoke_raw("main", "greet", &br#"{"name":"a","name":"b"}"#[..], vec![])
        .await
        .unwrap_err();
    assert_eq!(err.arg(), Some("name"));
    assert!(err.message().contains("twice"), "{}", err.message());
    // Empty args are an empty object.
    assert_eq!(
        app.invoke_raw("main", "list_todos", Vec::new(), vec![])
            .await,
        Ok(Output::Json(b"[]".to_vec()))
    );
}

#[tokio::test]
async fn deep_nesting_is_refused_not_a_stack_overflow() {
    #[command]
    fn echo(value: Value) -> Value {
        value
    }
    let app = MockApp::new(commands![echo]);
    let deep = format!(
        "{{\"value\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let err = app
        .invoke_raw("main", "echo", deep, vec![])
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert!(
        err.message().contains("recursion limit"),
        "{}",
        err.message()
    );
}

#[tokio::test]
async fn missing_state_is_an_error_reply() {
    let app = MockApp::new(commands![list_todos]);
    let err = app.invoke("list_todos", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::MissingState);
    assert_eq!(err.command(), Some("list_todos"));
    assert!(err.message().contains("Todos"), "{}", err.message());
}

#[tokio::test]
async fn panics_become_error_replies_and_the_app_goes_on() {
    #[command]
    fn boom(message: String) -> u32 {
        panic!("{message}")
    }
    #[command]
    async fn async_boom() -> u32 {
        tokio::task::yield_now().await;
        panic!("async kaboom")
    }
    let app = MockApp::new(commands![boom, async_boom, greet]);
    let err = app
        .invoke("boom", json!({ "message": "kaboom" }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Panic);
    assert!(err.message().contains("kaboom"), "{}", err.message());
    let err = app.invoke("async_boom", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Panic);
    assert!(err.message().contains("async kaboom"), "{}", err.message());
    assert_eq!(
        app.invoke("greet", json!({ "name": "still here" })).await,
        Ok(json!("Hello, still here!"))
    );
}

#[tokio::test]
async fn rename_and_rename_all() {
    #[command(rename = "sum", rename_all = "snake_case")]
    fn add_numbers(first_number: i64, second_number: i64) -> i64 {
        first_number + second_number
    }
    #[command(rename_all = "SCREAMING-KEBAB-CASE")]
    fn shout(some_word: String) -> String {
        some_word.to_uppercase()
    }
    let app = MockApp::new(commands![add_numbers, shout]);
    assert_eq!(
        app.invoke("sum", json!({ "first_number": 2, "second_number": 3 }))
            .await,
        Ok(json!(5))
    );
    assert_eq!(
        app.invoke("add_numbers", json!({}))
            .await
            .unwrap_err()
            .code(),
        ErrorCode::UnknownCommand
    );
    assert_eq!(
        app.invoke("shout", json!({ "SOME-WORD": "hey" })).await,
        Ok(json!("HEY"))
    );
}

#[tokio::test]
async fn borrowed_arguments_in_sync_and_async_commands() {
    // `&str` borrows from the message and `State` from the app, in an async fn
    // that returns a plain value (no `Result` needed).
    #[command]
    async fn count_chars(prefix: &str, todos: State<'_, Todos>) -> usize {
        tokio::task::yield_now().await;
        prefix.len() + todos.list.lock().unwrap().len()
    }
    #[command]
    fn first_word(text: &str) -> &str {
        text.split(' ').next().unwrap_or("")
    }
    let app = MockApp::new(commands![count_chars, first_word]).manage(Todos::default());
    assert_eq!(
        app.invoke("count_chars", json!({ "prefix": "abc" })).await,
        Ok(json!(3))
    );
    assert_eq!(
        app.invoke("first_word", json!({ "text": "hello world" }))
            .await,
        Ok(json!("hello"))
    );
    // An escaped string cannot be borrowed; that is a clear invalid_args.
    let err = app
        .invoke("first_word", json!({ "text": "quote\"d" }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert_eq!(err.arg(), Some("text"));
}

#[tokio::test]
async fn named_lifetimes_and_many_arguments() {
    #[allow(clippy::too_many_arguments)]
    #[command]
    fn many<'r>(
        a: u8,
        b: u16,
        c: u32,
        d: u64,
        e: i8,
        f: i16,
        g: i32,
        h: i64,
        i: f32,
        j: f64,
        k: bool,
        l: char,
        m: String,
        n: Vec<u8>,
        o: Option<String>,
        state: State<'r, Todos>,
    ) -> String {
        let _ = state;
        format!("{a}{b}{c}{d}{e}{f}{g}{h}{i}{j}{k}{l}{m}{n:?}{o:?}")
    }
    let app = MockApp::new(commands![many]).manage(Todos::default());
    let args = json!({
        "a": 1, "b": 2, "c": 3, "d": 4, "e": -1, "f": -2, "g": -3, "h": -4,
        "i": 0.5, "j": 1.5, "k": true, "l": "x", "m": "s", "n": [1, 2]
    });
    assert_eq!(
        app.invoke("many", args).await,
        Ok(json!("1234-1-2-3-40.51.5truexs[1, 2]None"))
    );
}

#[tokio::test]
async fn calling_context_and_custom_extractors() {
    struct Admin;
    impl<'a> CommandArg<'a> for Admin {
        fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
            if invoke.window_label() == "admin" {
                Ok(Admin)
            } else {
                Err(InvokeError::new(ErrorCode::Rejected, "admin window only"))
            }
        }
    }
    #[command]
    fn whoami(invoke: Invoke<'_>) -> String {
        format!("{} from {}", invoke.command(), invoke.window_label())
    }
    #[command]
    fn wipe(_admin: Admin, reason: String) -> String {
        format!("wiped: {reason}")
    }
    let app = MockApp::new(commands![whoami, wipe]);
    assert_eq!(
        app.invoke("whoami", json!({})).await,
        Ok(json!("whoami from main"))
    );
    assert_eq!(
        app.invoke_from("settings", "whoami", json!({})).await,
        Ok(json!("whoami from settings"))
    );
    let err = app
        .invoke("wipe", json!({ "reason": "x" }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Rejected);
    assert_eq!(
        err.command(),
        Some("wipe"),
        "the runtime fills in the command"
    );
    assert_eq!(
        app.invoke_from(
            "admin",
            "wipe",
            json!({ "reason": "x", "admin": "ignored" })
        )
        .await,
        Ok(json!("wiped: x"))
    );
}

#[tokio::test]
async fn registries_merge_and_duplicates_are_errors_naming_both() {
    let all = commands![greet, add_todo].merge(admin::commands()).unwrap();
    assert_eq!(
        all.iter().map(|c| c.name).collect::<Vec<_>>(),
        ["add_todo", "greet", "reset"]
    );

    mod other {
        #[portcullis::command]
        pub fn greet() -> &'static str {
            "hi"
        }
    }
    let err = commands![greet].merge(commands![other::greet]).unwrap_err();
    assert_eq!(err.name(), "greet");
    let (first, second) = err.paths();
    assert!(first.ends_with("commands::greet"), "{first}");
    assert!(second.ends_with("other::greet"), "{second}");
    assert!(err.to_string().contains(first) && err.to_string().contains(second));
}

#[tokio::test]
async fn metadata_records_names_keys_injection_and_docs() {
    let api = commands![greet, add_todo];
    let infos: Vec<_> = api.iter().collect();
    let add = infos.iter().find(|c| c.name == "add_todo").unwrap();
    assert!(add.is_async);
    let args: Vec<_> = add
        .args
        .iter()
        .map(|a| (a.name, a.key, a.injected))
        .collect();
    assert_eq!(
        args,
        [
            ("todos", "todos", true),
            ("title", "title", false),
            ("due_date", "dueDate", false)
        ]
    );
    assert_eq!(add.result_type, "Result < Todo, TodoError >");
    let greet = infos.iter().find(|c| c.name == "greet").unwrap();
    assert!(!greet.is_async);
    assert_eq!(greet.docs, "Greets someone by name.");
    assert_eq!(portcullis::schema::SCHEMA_VERSION, 2);

    // The types: injected arguments have none; the rest describe themselves.
    use portcullis::types::{Ty, TypeGraph};
    let mut graph = TypeGraph::new();
    let types: Vec<Option<Ty>> = add.args.iter().map(|a| (a.ty)(&mut graph)).collect();
    assert_eq!(
        types,
        [
            None,
            Some(Ty::String),
            Some(Ty::Option(Box::new(Ty::Number)))
        ]
    );
    let Ty::Named { id, .. } = (add.ok)(&mut graph) else {
        panic!("Todo is a named type");
    };
    assert_eq!(graph.get(id).unwrap().name, "Todo");
    let Ty::Named { id, .. } = (add.err.expect("a Result has an error type"))(&mut graph) else {
        panic!("TodoError is a named type");
    };
    assert_eq!(graph.get(id).unwrap().name, "TodoError");
    assert_eq!((greet.ok)(&mut graph), Ty::String);
    assert!(greet.err.is_none());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn many_invokes_in_flight_each_answered_once() {
    #[command]
    async fn delayed(n: u64) -> u64 {
        // Later calls finish first.
        tokio::time::sleep(Duration::from_millis(20 - n % 20)).await;
        n * 2
    }
    let app = MockApp::new(commands![delayed, greet]);
    let mut tasks = tokio::task::JoinSet::new();
    for n in 0..2000u64 {
        let app = app.clone();
        tasks.spawn(async move {
            let command = if n % 2 == 0 { "delayed" } else { "greet" };
            let args = if n % 2 == 0 {
                json!({ "n": n })
            } else {
                json!({ "name": n.to_string() })
            };
            (n, app.invoke(command, args).await)
        });
    }
    let mut seen = vec![false; 2000];
    while let Some(done) = tasks.join_next().await {
        let (n, reply) = done.unwrap();
        let expected = if n % 2 == 0 {
            json!(n * 2)
        } else {
            json!(format!("Hello, {n}!"))
        };
        assert_eq!(reply, Ok(expected));
        assert!(!std::mem::replace(&mut seen[n as usize], true));
    }
    assert!(seen.iter().all(|s| *s));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_explicit_errors() {
    #[command]
    async fn wait(ms: u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let limits = portcullis::Limits::default()
        .max_in_flight(2)
        .max_args_bytes(64);
    let app = MockApp::new(commands![wait, greet]).limits(limits);
    let slow = (app.clone(), app.clone());
    let a = tokio::spawn(async move { slow.0.invoke("wait", json!({ "ms": 300 })).await });
    let b = tokio::spawn(async move { slow.1.invoke("wait", json!({ "ms": 300 })).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = app
        .invoke("greet", json!({ "name": "x" }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooManyCalls);
    assert_eq!(a.await.unwrap(), Ok(Value::Null));
    assert_eq!(b.await.unwrap(), Ok(Value::Null));
    // Slots are given back.
    assert_eq!(
        app.invoke("greet", json!({ "name": "x" })).await,
        Ok(json!("Hello, x!"))
    );

    let err = app
        .invoke("greet", json!({ "name": "x".repeat(100) }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PayloadTooLarge);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_window_cannot_take_every_slot() {
    #[command]
    async fn wait(ms: u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }
    let limits = portcullis::Limits::default()
        .max_in_flight(5)
        .max_in_flight_per_window(3);
    let app = MockApp::new(commands![wait, greet]).limits(limits);
    // The flooding window fills its share with slow calls.
    let slow: Vec<_> = (0..3)
        .map(|_| {
            let app = app.clone();
            tokio::spawn(
                async move { app.invoke_from("flood", "wait", json!({ "ms": 400 })).await },
            )
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let err = app
        .invoke_from("flood", "greet", json!({ "name": "x" }))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::TooManyCalls);
    assert!(err.message().contains("max_in_flight_per_window"), "{err}");
    assert!(err.message().contains("`flood`"), "{err}");
    // Other windows still get slots while it is full.
    assert_eq!(
        app.invoke_from("other", "greet", json!({ "name": "x" }))
            .await,
        Ok(json!("Hello, x!"))
    );
    for reply in slow {
        assert_eq!(reply.await.unwrap(), Ok(Value::Null));
    }
    // The flooding window's slots are given back.
    assert_eq!(
        app.invoke_from("flood", "greet", json!({ "name": "y" }))
            .await,
        Ok(json!("Hello, y!"))
    );
}

#[tokio::test]
async fn errors_serialize_to_the_documented_shape() {
    let app = todo_app();
    let err = app.invoke("greet", json!({ "name": 1 })).await.unwrap_err();
    let wire = serde_json::to_value(&err).unwrap();
    assert_eq!(wire["code"], "invalid_args");
    assert_eq!(wire["command"], "greet");
    assert_eq!(wire["arg"], "name");
    assert_eq!(wire["data"], Value::Null);
    assert!(wire["message"].as_str().unwrap().contains("greet"));
    let back: InvokeError = serde_json::from_value(wire).unwrap();
    assert_eq!(back, err);
}

#[tokio::test]
async fn results_that_cannot_be_serialized() {
    #[command]
    fn bad_map() -> std::collections::HashMap<Vec<u8>, u8> {
        [(vec![1], 1)].into_iter().collect()
    }
    let app = MockApp::new(commands![bad_map]);
    let err = app.invoke("bad_map", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidResult);
}

#[tokio::test]
async fn binary_arguments_and_results_travel_raw() {
    #[command]
    fn reverse(data: Bytes, label: String) -> Bytes {
        let mut data = data.into_vec();
        data.reverse();
        data.extend_from_slice(label.as_bytes());
        data.into()
    }
    #[command]
    fn borrowed_len(data: &[u8]) -> usize {
        data.len()
    }
    #[command]
    fn vec_sum(data: Vec<u8>) -> u64 {
        data.iter().map(|b| u64::from(*b)).sum()
    }
    let app = MockApp::new(commands![reverse, borrowed_len, vec_sum]);
    let payload: Vec<u8> = (0..=255).collect();
    let mut expected: Vec<u8> = payload.iter().rev().copied().collect();
    expected.extend_from_slice(b"!");
    assert_eq!(
        app.invoke_bytes(
            "reverse",
            json!({ "label": "!" }),
            vec![("data", payload.clone())]
        )
        .await,
        Ok(expected.clone())
    );
    // Without the binary part, `Bytes` also accepts a JSON array of numbers.
    let reply = app
        .invoke("reverse", json!({ "data": [1, 2, 3], "label": "" }))
        .await;
    assert_eq!(reply, Ok(json!([3, 2, 1])));
    // `&[u8]` borrows the raw bytes; `Vec<u8>` takes them byte by byte.
    let len = app
        .invoke_raw(
            "main",
            "borrowed_len",
            "{}",
            vec![("data".into(), vec![7; 1000])],
        )
        .await;
    assert_eq!(len, Ok(Output::Json(b"1000".to_vec())));
    let sum = app
        .invoke_raw("main", "vec_sum", "{}", vec![("data".into(), vec![2; 10])])
        .await;
    assert_eq!(sum, Ok(Output::Json(b"20".to_vec())));
}

#[tokio::test]
async fn optional_bytes_take_raw_bytes_or_nothing() {
    #[command]
    fn maybe_len(data: Option<Bytes>) -> Option<usize> {
        data.map(|d| d.len())
    }
    let app = MockApp::new(commands![maybe_len]);
    let raw = app
        .invoke_raw("main", "maybe_len", "{}", vec![("data".into(), vec![1; 5])])
        .await;
    assert_eq!(raw, Ok(Output::Json(b"5".to_vec())));
    assert_eq!(app.invoke("maybe_len", json!({})).await, Ok(Value::Null));
}

/// `[u8]` is typed `Uint8Array` (it is what `&[u8]` arguments borrow), though
/// serde writes it as a sequence: as a result, boxed, borrowed or in a `Cow`,
/// it is sent raw, as typed. `Vec<u8>` is typed `number[]` and stays JSON.
#[tokio::test]
async fn byte_slice_results_are_raw_as_their_type_says() {
    #[command]
    fn boxed() -> Box<[u8]> {
        vec![1, 2, 3].into_boxed_slice()
    }
    #[command]
    fn borrowed() -> &'static [u8] {
        &[4, 5]
    }
    #[command]
    fn cow() -> std::borrow::Cow<'static, [u8]> {
        std::borrow::Cow::Owned(vec![6])
    }
    #[command]
    fn list() -> Vec<u8> {
        vec![7, 8]
    }
    let app = MockApp::new(commands![boxed, borrowed, cow, list]);
    for (command, expected) in [
        ("boxed", Output::Binary(vec![1, 2, 3])),
        ("borrowed", Output::Binary(vec![4, 5])),
        ("cow", Output::Binary(vec![6])),
        ("list", Output::Json(b"[7,8]".to_vec())),
    ] {
        let reply = app.invoke_raw("main", command, "{}", Vec::new()).await;
        assert_eq!(reply, Ok(expected), "{command}");
    }
    let ts = commands![boxed, borrowed, cow, list]
        .bindings()
        .typescript()
        .unwrap();
    for (function, result) in [
        ("boxed", "Uint8Array"),
        ("borrowed", "Uint8Array"),
        ("cow", "Uint8Array"),
        ("list", "number[]"),
    ] {
        let signature =
            format!("export function {function}(options?: InvokeOptions): Promise<{result}>");
        assert!(ts.contains(&signature), "{signature} in\n{ts}");
    }
}

/// Raw bytes go exactly where the bindings say `Uint8Array`: top-level `Bytes`.
/// Wrapped in the app's own types, bytes are JSON arrays both ways, because
/// that is what the generated TypeScript types (`number[]`) promise.
#[tokio::test]
async fn bytes_inside_derived_types_travel_as_json() {
    #[derive(Serialize, Deserialize, portcullis::Type)]
    #[serde(transparent)]
    struct Wrapped {
        data: Bytes,
    }
    #[derive(Serialize, Deserialize, portcullis::Type)]
    #[serde(untagged)]
    enum Either {
        Data(Bytes),
        Text(String),
    }
    #[derive(Serialize, Deserialize, portcullis::Type)]
    struct Newtype(Bytes);
    #[command]
    fn wrapped(input: Wrapped) -> Wrapped {
        input
    }
    #[command]
    fn either(input: Either) -> Either {
        input
    }
    #[command]
    fn newtype(input: Newtype) -> Newtype {
        input
    }
    let app = MockApp::new(commands![wrapped, either, newtype]);
    for command in ["wrapped", "either", "newtype"] {
        let reply = app
            .invoke_raw("main", command, r#"{"input":[1,2,3]}"#, Vec::new())
            .await;
        assert_eq!(
            reply,
            Ok(Output::Json(b"[1,2,3]".to_vec())),
            "{command} must answer JSON"
        );
        let err = app
            .invoke_raw("main", command, "{}", vec![("input".into(), vec![1, 2])])
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::InvalidArgs, "{command}");
        assert_eq!(err.arg(), Some("input"));
        assert!(err.message().contains("raw binary"), "{}", err.message());
    }
}

#[tokio::test]
async fn binary_argument_errors_name_the_key() {
    #[command]
    fn takes_string(text: String) -> String {
        text
    }
    #[command]
    fn takes_bytes(data: Bytes) -> usize {
        data.len()
    }
    let app = MockApp::new(commands![takes_string, takes_bytes]);
    let err = app
        .invoke_raw(
            "main",
            "takes_string",
            "{}",
            vec![("text".into(), vec![0xff, 0xfe])],
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::InvalidArgs);
    assert_eq!(err.arg(), Some("text"));
    assert!(err.message().contains("binary"), "{}", err.message());
    // Valid UTF-8 is refused too: a string argument is JSON, never bytes.
    let err = app
        .invoke_raw(
            "main",
            "takes_string",
            "{}",
            vec![("text".into(), b"hello".to_vec())],
        )
        .await
        .unwrap_err();
    assert_eq!(err.arg(), Some("text"));
    assert!(
        err.message().contains("expected alloc::string::String"),
        "{}",
        err.message()
    );
    // The same key as JSON and as bytes is a key given twice.
    let err = app
        .invoke_raw(
            "main",
            "takes_bytes",
            r#"{"data":[1]}"#,
            vec![("data".into(), vec![1])],
        )
        .await
        .unwrap_err();
    assert_eq!(err.arg(), Some("data"));
    assert!(err.message().contains("twice"), "{}", err.message());
}

#[command]
fn act_on_windows(
    window: portcullis::Window,
    app: portcullis::AppHandle,
) -> Result<Vec<String>, String> {
    window
        .eval("document.title = 'hi'")
        .map_err(|e| e.to_string())?;
    window.set_title("Hi").map_err(|e| e.to_string())?;
    app.create_window(portcullis::WindowConfig::new("second"))
        .map_err(|e| e.to_string())?;
    // A label is taken as soon as the window is asked for.
    let again = app.create_window(portcullis::WindowConfig::new("second"));
    assert!(again.is_err());
    Ok(app.window_labels())
}

#[tokio::test]
async fn mockapp_records_what_commands_ask_of_windows_in_order() {
    use portcullis::test::Sent;
    let app = MockApp::new(commands![act_on_windows]);
    let labels = app.invoke("act_on_windows", json!({})).await.unwrap();
    assert_eq!(labels, json!(["main", "second"]));
    assert_eq!(
        app.sent(),
        vec![
            Sent::Eval {
                window: "main".into(),
                script: "document.title = 'hi'".into()
            },
            Sent::SetTitle {
                window: "main".into(),
                title: "Hi".into()
            },
            Sent::Open {
                window: "second".into()
            },
        ]
    );
    assert_eq!(app.sent(), vec![], "read once");
}

#[tokio::test]
async fn mockapp_applies_the_gate_name_rule() {
    let app = MockApp::new(commands![act_on_windows]);
    let err = app.invoke("a\nb", json!({})).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::UnknownCommand);
    assert!(
        err.message().contains("not a valid command name"),
        "{}",
        err.message()
    );
}

mod framework_errors {
    use portcullis::test::MockApp;
    use portcullis::{ErrorCode, command, commands};

    #[command]
    fn fails(why: String) -> portcullis::Result<u32> {
        Err(portcullis::Error::msg(why))
    }

    /// `portcullis::Result` works as a command's result: its error reaches
    /// the front end as a `command_error` carrying the error's text.
    #[tokio::test]
    async fn a_framework_error_is_a_command_error() {
        let app = MockApp::new(commands![fails]);
        let err = app
            .invoke(
                "fails",
                serde_json::json!({ "why": "no window labelled `x`" }),
            )
            .await
            .unwrap_err();
        assert_eq!(err.code(), ErrorCode::CommandError);
        assert_eq!(err.message(), "no window labelled `x`");
        assert_eq!(
            err.data(),
            Some(&serde_json::json!("no window labelled `x`"))
        );
        let ts = commands![fails].bindings().typescript().unwrap();
        assert!(ts.contains("export type FailsError = string;"), "{ts}");
    }
}
