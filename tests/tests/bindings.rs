//! Binding generation through the public API: the serde-fidelity corpus
//! (snapshot + values that must type-check under `tsc --strict`, checked by
//! `cargo xtask test`), command signatures, and the export/check cycle.

#[path = "bindings/corpus.rs"]
mod corpus;

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use portcullis::bindings::{Bindings, BindingsError};
use portcullis::{Commands, commands};

/// One corpus entry; see `corpus.rs`.
pub(crate) struct Case {
    /// The type in TypeScript (result form).
    ts: String,
    add: fn(Bindings) -> Bindings,
    /// serde_json's output for sample values.
    values: Vec<String>,
    /// JSON the Rust type accepts, written as a front end would send it.
    inputs: Vec<String>,
    /// JSON the Rust type rejects.
    wrong: Vec<String>,
    parse: fn(&str) -> Result<(), String>,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("bindings")
}

/// Compares `content` with the checked-in file; `PORTCULLIS_BLESS=1` rewrites it.
fn snapshot(name: &str, content: &str) {
    let path = dir().join(name);
    if std::env::var_os("PORTCULLIS_BLESS").is_some() {
        std::fs::write(&path, content).unwrap();
        return;
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if current != content {
        let new = path.with_extension("ts.new");
        std::fs::write(&new, content).unwrap();
        let line = current
            .lines()
            .zip(content.lines())
            .position(|(a, b)| a != b)
            .map_or(current.lines().count().min(content.lines().count()), |i| i)
            + 1;
        panic!(
            "{} is stale (first difference at line {line}); the generated text is in {}. \
             Review it and rerun with PORTCULLIS_BLESS=1 to accept.",
            path.display(),
            new.display()
        );
    }
}

/// The argument form of a type expression: `Page<number>` becomes
/// `PageInput<number>` when the bindings define `PageInput`.
fn input_form(types: &str, ts: &str) -> String {
    let base_len = ts.find('<').unwrap_or(ts.len());
    let base = &ts[..base_len];
    if types.contains(&format!("export type {base}Input")) {
        format!("{base}Input{}", &ts[base_len..])
    } else {
        ts.to_owned()
    }
}

#[test]
fn corpus_matches_serde_json() {
    let cases = corpus::cases();
    assert!(cases.len() >= 60, "the corpus has {} shapes", cases.len());
    let bindings = cases
        .iter()
        .fold(Commands::new().bindings(), |b, case| (case.add)(b));
    let types = bindings.typescript().unwrap();

    let mut samples = String::from(
        "\n// ---- Fidelity samples (tests/tests/bindings.rs): values serialized by serde_json\n\
         // must have the result type; inputs serde accepts must have the argument type;\n\
         // values serde rejects must not.\n",
    );
    for (n, case) in cases.iter().enumerate() {
        let input = input_form(&types, &case.ts);
        for json in &case.inputs {
            if let Err(err) = (case.parse)(json) {
                panic!(
                    "corpus input for {} is not accepted by serde: {json}: {err}",
                    case.ts
                );
            }
        }
        for json in &case.wrong {
            assert!(
                (case.parse)(json).is_err(),
                "corpus wrong value for {} is accepted by serde: {json}",
                case.ts
            );
        }
        for (i, json) in case.values.iter().enumerate() {
            writeln!(samples, "export const value{n}_{i}: {} = {json};", case.ts).unwrap();
        }
        for (i, json) in case.inputs.iter().enumerate() {
            writeln!(samples, "export const input{n}_{i}: {input} = {json};").unwrap();
        }
        for (i, json) in case.wrong.iter().enumerate() {
            writeln!(
                samples,
                "// @ts-expect-error serde rejects it\nexport const wrong{n}_{i}: {input} = {json};"
            )
            .unwrap();
        }
    }
    snapshot("corpus.ts", &(types + &samples));
}

mod app {
    //! Commands whose signatures exercise the generator: bytes both ways,
    //! trailing optional arguments, reserved words, typed errors, injected
    //! arguments, argument forms that differ from result forms.

    use portcullis::{Bytes, State, Type, command};
    use serde::{Deserialize, Serialize};

    /// A todo.
    #[derive(Serialize, Deserialize, Type)]
    #[serde(rename_all = "camelCase")]
    pub(super) struct Todo {
        pub(super) title: String,
        #[serde(default)]
        pub(super) done: bool,
        pub(super) due_date: Option<u64>,
    }

    #[derive(Serialize, Type)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    #[allow(dead_code)]
    pub(super) enum SaveError {
        Full { max: u32 },
        Io { message: String },
    }

    pub(super) struct Store;

    /// Greets someone.
    #[command]
    pub(super) fn greet(name: String) -> String {
        format!("Hello, {name}!")
    }

    /// Saves a todo; there may be no room.
    #[command]
    pub(super) async fn save(_store: State<'_, Store>, todo: Todo) -> Result<Todo, SaveError> {
        Ok(todo)
    }

    #[command]
    pub(super) fn upload(name: String, data: Bytes) -> Result<u64, String> {
        Ok(name.len() as u64 + data.len() as u64)
    }

    #[command]
    pub(super) fn download(len: u32) -> Bytes {
        vec![0; len as usize].into()
    }

    #[command]
    pub(super) fn search(query: String, limit: Option<u32>, cursor: Option<String>) -> Vec<Todo> {
        let _ = (query, limit, cursor);
        Vec::new()
    }

    #[command]
    pub(super) fn optional_first(first: Option<u32>, second: u32) -> u32 {
        first.unwrap_or(second)
    }

    #[command(rename = "delete")]
    pub(super) fn remove(id: u32, r#default: bool, options: String) {
        let _ = (id, r#default, options);
    }

    #[command]
    pub(super) fn echo(value: serde_json::Value) -> serde_json::Value {
        value
    }

    #[command]
    pub(super) fn nothing() {}
}

fn app_commands() -> Commands {
    commands![
        app::greet,
        app::save,
        app::upload,
        app::download,
        app::search,
        app::optional_first,
        app::remove,
        app::echo,
        app::nothing,
    ]
}

#[test]
fn command_bindings() {
    let _ = app::Store;
    let bindings = app_commands().bindings();
    let ts = bindings.typescript().unwrap();
    for expected in [
        "export function greet(name: string, options?: InvokeOptions): Promise<string> {\n  return invoke<string>(\"greet\", { name }, options);\n}",
        "export function save(todo: TodoInput, options?: InvokeOptions): Promise<Todo>",
        "export type SaveError =",
        "export function isSaveError(error: unknown): error is IpcError<SaveError>",
        "export function upload(name: string, data: Uint8Array | ArrayBuffer, options?: InvokeOptions): Promise<number>",
        "export function download(len: number, options?: InvokeOptions): Promise<Uint8Array>",
        "export function search(query: string, limit?: number | null, cursor?: string | null, options?: InvokeOptions): Promise<Todo[]>",
        "export function optionalFirst(first: number | null, second: number, options?: InvokeOptions): Promise<number>",
        "export function delete_(id: number, default_: boolean, options_: string, options?: InvokeOptions): Promise<null> {\n  return invoke<null>(\"delete\", { id, default: default_, options: options_ }, options);",
        "export function echo(value: JsonValue, options?: InvokeOptions): Promise<JsonValue>",
        "export function nothing(options?: InvokeOptions): Promise<null>",
        " * Saves a todo; there may be no room.\n *\n * Rejects with `IpcError`.",
    ] {
        assert!(ts.contains(expected), "missing:\n{expected}\nin:\n{ts}");
    }
    // The injected `State` is not a parameter.
    assert!(!ts.contains("_store"), "{ts}");
    // The command's error type is a type named after it: no alias.
    assert_eq!(ts.matches("export type SaveError").count(), 1, "{ts}");
    snapshot("commands.ts", &ts);

    let js = bindings.javascript().unwrap();
    assert!(js.contains("import { invoke, IpcError } from \"/__portcullis__/api.js\";"));
    assert!(js.contains("export function search(query, limit, cursor, options) {"));
    assert!(
        !js.contains(": string"),
        "JavaScript has no type annotations:\n{js}"
    );
    let dts = bindings.declarations().unwrap();
    assert!(dts.contains(
        "export declare function upload(name: string, data: Uint8Array | ArrayBuffer, options?: InvokeOptions): Promise<number>;"
    ));
    assert!(dts.contains("export type UploadError = string;"));
}

#[test]
fn output_is_deterministic() {
    let a = app_commands().bindings().typescript().unwrap();
    let b = app_commands().bindings().typescript().unwrap();
    assert_eq!(a, b);
}

#[test]
fn export_then_check_detects_staleness() {
    let dir = std::env::temp_dir().join(format!("portcullis-bindings-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let js = dir.join("web/bindings.js");
    let commands = app_commands();

    // Missing files are stale.
    let err = commands.bindings().check(&js).unwrap_err();
    assert!(matches!(err, BindingsError::Stale { .. }), "{err}");

    commands.export_bindings(&js).unwrap();
    commands.bindings().check(&js).unwrap();
    let dts = std::fs::read_to_string(dir.join("web/bindings.d.ts")).unwrap();
    assert!(dts.contains("export declare function greet("));

    // A hand edit is reported with a diff that shows it.
    let edited = std::fs::read_to_string(&js)
        .unwrap()
        .replace("return invoke(\"greet\"", "return invoke(\"greet_v2\"");
    std::fs::write(&js, edited).unwrap();
    let err = commands.bindings().check(&js).unwrap_err();
    let BindingsError::Stale { diff, .. } = &err else {
        panic!("expected stale, got {err}");
    };
    assert!(diff.contains("-  return invoke(\"greet_v2\""), "{diff}");
    assert!(diff.contains("+  return invoke(\"greet\""), "{diff}");
    assert!(err.to_string().contains("stale"), "{err}");

    // Fewer commands: the file is stale again.
    commands.export_bindings(&js).unwrap();
    let fewer = commands![app::greet];
    assert!(fewer.bindings().check(&js).is_err());

    let ts = dir.join("bindings.ts");
    commands.export_bindings(&ts).unwrap();
    commands.bindings().check(&ts).unwrap();
    assert!(matches!(
        commands.export_bindings(dir.join("bindings.txt")),
        Err(BindingsError::Extension { .. })
    ));
    std::fs::remove_dir_all(&dir).unwrap();
}

mod clash {
    pub(super) mod a {
        #[derive(serde::Serialize, portcullis::Type)]
        pub(crate) struct Item {
            pub(crate) x: u32,
        }
    }
    pub(super) mod b {
        #[derive(serde::Serialize, portcullis::Type)]
        pub(crate) struct Item {
            pub(crate) y: u32,
        }
    }
}

#[test]
fn two_types_with_one_name_are_an_error() {
    let err = Commands::new()
        .bindings()
        .with_type::<clash::a::Item>()
        .with_type::<clash::b::Item>()
        .typescript()
        .unwrap_err();
    let BindingsError::NameClash {
        name,
        first,
        second,
    } = &err
    else {
        panic!("expected a clash, got {err}");
    };
    assert_eq!(name, "Item");
    assert!(
        first.contains("clash::a::Item") && second.contains("clash::b::Item"),
        "{err}"
    );
}

#[test]
fn a_map_key_json_cannot_carry_is_an_error() {
    #[derive(serde::Serialize, portcullis::Type)]
    struct Key {
        a: u32,
    }
    #[derive(serde::Serialize, portcullis::Type)]
    struct Holder {
        by_key: std::collections::BTreeMap<Key, u32>,
    }
    for bindings in [
        Commands::new().bindings().with_type::<Holder>(),
        Commands::new()
            .bindings()
            .with_type::<std::collections::HashMap<Key, u32>>(),
    ] {
        let err = bindings.typescript().unwrap_err();
        assert!(matches!(err, BindingsError::Unsupported { .. }), "{err}");
        assert!(err.to_string().contains("map key"), "{err}");
    }
}

#[test]
fn the_schema_is_data() {
    let schema = app_commands().bindings().schema();
    let json = serde_json::to_value(&schema).unwrap();
    assert_eq!(json["version"], portcullis::schema::SCHEMA_VERSION);
    let save = json["commands"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "save")
        .unwrap();
    assert_eq!(
        save["args"].as_array().unwrap().len(),
        1,
        "State is not an argument"
    );
    assert_eq!(save["args"][0]["key"], "todo");
    assert!(
        json["types"]["defs"]
            .as_object()
            .unwrap()
            .keys()
            .any(|k| k.ends_with("app::Todo"))
    );
}

mod app_events {
    use serde::{Deserialize, Serialize};

    /// A todo was added.
    #[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
    #[serde(rename_all = "camelCase")]
    pub(crate) struct TodoAdded {
        pub(crate) id: u64,
        pub(crate) title: String,
        /// Pages may leave it out.
        #[serde(default)]
        pub(crate) due_date: Option<u64>,
    }

    #[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
    #[event(name = "sync:progress")]
    pub(crate) struct Progress {
        pub(crate) done: u32,
        pub(crate) total: u32,
    }

    #[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
    pub(crate) struct Ping;
}

#[test]
fn event_bindings() {
    let events = portcullis::events![
        app_events::TodoAdded,
        app_events::Progress,
        app_events::Ping
    ];
    let bindings = commands![app::greet].bindings().events(events.clone());
    let ts = bindings.typescript().unwrap();
    for expected in [
        "import { listen as __listen, once as __once, emit as __emit, emitTo as __emitTo } from \"portcullis-api\";",
        "import type { Event, UnlistenFn } from \"portcullis-api\";",
        "export const events = {",
        "  /** A todo was added. */\n  todoAdded: {",
        "    listen: (handler: (event: Event<TodoAdded>) => void): Promise<UnlistenFn> => __listen<TodoAdded>(\"todo-added\", handler),",
        "    emit: (payload: TodoAddedInput): Promise<void> => __emit(\"todo-added\", payload),",
        "  syncProgress: {",
        "    emitTo: (window: string, payload: Progress): Promise<void> => __emitTo(window, \"sync:progress\", payload),",
        "    once: (handler: (event: Event<Ping>) => void): Promise<UnlistenFn> => __once<Ping>(\"ping\", handler),",
        "} as const;",
    ] {
        assert!(ts.contains(expected), "missing:\n{expected}\nin:\n{ts}");
    }
    snapshot("events.ts", &ts);
    let js = bindings.javascript().unwrap();
    assert!(
        js.contains("    emit: (payload) => __emit(\"todo-added\", payload),"),
        "{js}"
    );
    assert!(!js.contains("Event<"), "{js}");
    let dts = bindings.declarations().unwrap();
    assert!(dts.contains("export declare const events: {\n"), "{dts}");
    assert!(
        dts.contains("    emit(payload: TodoAddedInput): Promise<void>;"),
        "{dts}"
    );

    // No events, no `events` export; a command named `events` clashes with it.
    assert!(
        !commands![app::greet]
            .bindings()
            .typescript()
            .unwrap()
            .contains("events")
    );
    mod named {
        #[portcullis::command]
        pub(super) fn events() {}
    }
    let err = commands![named::events]
        .bindings()
        .events(events)
        .typescript()
        .unwrap_err();
    assert!(matches!(err, BindingsError::NameClash { .. }), "{err}");
}

mod streaming {
    use portcullis::{Bytes, Channel, command};

    #[derive(Clone, serde::Serialize, portcullis::Type)]
    pub(crate) struct Progress {
        pub(crate) done: u64,
    }

    #[command]
    pub(crate) async fn download(
        url: String,
        progress: Channel<Progress>,
        out: Channel<Bytes>,
    ) -> u64 {
        let _ = (url, progress, out);
        0
    }
}

#[test]
fn channel_arguments_are_typed() {
    let bindings = commands![streaming::download].bindings();
    let ts = bindings.typescript().unwrap();
    assert!(
        ts.contains("import type { Channel } from \"portcullis-api\";"),
        "{ts}"
    );
    assert!(
        ts.contains("export function download(url: string, progress: Channel<Progress>, out: Channel<Uint8Array>, options?: InvokeOptions): Promise<number> {\n  return invoke<number>(\"download\", { url, progress, out }, options);"),
        "{ts}"
    );
    snapshot("channels.ts", &ts);
    let dts = bindings.declarations().unwrap();
    assert!(dts.contains("import type { Channel } from"), "{dts}");
    let js = bindings.javascript().unwrap();
    assert!(!js.contains("Channel"), "{js}");
}
