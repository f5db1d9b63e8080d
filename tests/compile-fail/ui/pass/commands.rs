//! The shapes a command can take, all in one crate that must compile.
use portcullis::{command, commands, Invoke, State};
use std::sync::Mutex;

struct Db(Mutex<Vec<String>>);

#[command]
fn unit() {}

#[command]
fn unit_tuple() -> () {}

#[command]
fn borrowed<'a>(text: &'a str, db: State<'a, Db>) -> &'a str {
    let _ = db;
    text
}

#[command]
async fn async_borrowed(text: &str, db: State<'_, Db>, invoke: Invoke<'_>) -> usize {
    std::future::ready(()).await;
    text.len() + db.0.lock().unwrap().len() + invoke.command().len()
}

#[command]
async fn aliased_result(path: String) -> app::Result<String> {
    Ok(path)
}

mod app {
    pub type Result<T> = std::result::Result<T, String>;
}

#[command]
fn mutable(mut items: Vec<u32>) -> Vec<u32> {
    items.sort();
    items
}

#[command]
fn r#type(r#in: String) -> String {
    r#in
}

#[command]
pub fn public(value: serde_json::Value) -> serde_json::Value {
    value
}

#[command]
fn boxed() -> Box<dyn erased::Nothing> {
    Box::new(())
}

mod erased {
    pub trait Nothing {}
    impl Nothing for () {}
    impl serde::Serialize for dyn Nothing {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.serialize_unit()
        }
    }
    // A hand-written description, for a type the derive cannot see.
    impl portcullis::Type for dyn Nothing {
        fn describe(_: &mut portcullis::types::TypeGraph) -> portcullis::types::Ty {
            portcullis::types::Ty::Null
        }
    }
}

fn main() {
    let api = commands![
        unit,
        unit_tuple,
        borrowed,
        async_borrowed,
        aliased_result,
        mutable,
        r#type,
        public,
        boxed,
    ];
    assert_eq!(api.len(), 9);
    assert!(api.contains("type"));
    // Every command above has bindings; `type` is a reserved word in neither
    // JavaScript nor TypeScript function names, `r#in` becomes `in_`.
    let ts = api.bindings().typescript().unwrap();
    assert!(ts.contains("export function type(in_: string"), "{ts}");
}
