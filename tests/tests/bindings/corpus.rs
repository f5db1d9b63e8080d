//! The serde-fidelity corpus: one type per shape the bindings must get right.
//! Every attribute `#[derive(Type)]` understands appears alone and combined,
//! with generics, nesting, all four enum representations, options, skips,
//! defaults, maps and bytes. `cases()` pairs each with values (serialized by
//! serde_json, must type-check as the result type), inputs (must deserialize
//! in Rust and type-check as the argument type) and wrong values (rejected by
//! serde, and by tsc under `@ts-expect-error`).

#![allow(dead_code, clippy::enum_variant_names)]

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::marker::PhantomData;
use std::rc::Rc;
use std::sync::Arc;

use portcullis::{Bytes, Type};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::Case;

#[derive(Serialize, Deserialize, Type)]
struct Plain {
    a: u32,
    b: String,
    c: bool,
}

#[derive(Serialize, Deserialize, Type)]
struct UnitStruct;

#[derive(Serialize, Deserialize, Type)]
struct Meters(f64);

#[derive(Serialize, Deserialize, Type)]
struct Pair(u8, String);

#[derive(Serialize, Deserialize, Type)]
struct EmptyTuple();

#[derive(Serialize, Deserialize, Type)]
struct TupleSkip(u8, #[serde(skip)] u8, String);

#[derive(Serialize, Deserialize, Type)]
struct EmptyBraces {}

#[derive(Serialize, Deserialize, Type)]
struct RenameField {
    #[serde(rename = "ID")]
    id: u32,
    #[serde(rename = "content-type")]
    content_type: String,
    r#type: u8,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
struct CamelFields {
    first_name: String,
    last_name_2: String,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "kebab-case")]
struct KebabFields {
    first_name: String,
    is_admin: bool,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
struct ScreamingFields {
    max_items: u32,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "PascalCase")]
struct PascalFields {
    user_id: u32,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "UPPERCASE")]
struct UpperFields {
    user_id: u32,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
struct RenameWinsOverRule {
    #[serde(rename = "explicit_name")]
    some_field: u32,
    other_field: u32,
}

#[derive(Serialize, Deserialize, Type)]
struct RenamePerDirection {
    #[serde(rename(serialize = "outName", deserialize = "in_name"))]
    name: String,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
struct RuleperDirection {
    user_name: String,
}

#[derive(Serialize, Deserialize, Type)]
struct Skipped {
    #[serde(skip)]
    cache: u32,
    keep: u32,
}

#[derive(Serialize, Deserialize, Type)]
struct SkipSerializing {
    #[serde(skip_serializing)]
    password: String,
    user: String,
}

#[derive(Serialize, Deserialize, Type)]
struct SkipDeserializing {
    #[serde(skip_deserializing)]
    computed: u32,
    input: u32,
}

#[derive(Serialize, Deserialize, Type)]
struct SkipIfWithDefault {
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    tags: Vec<String>,
}

#[derive(Serialize, Deserialize, Type)]
struct SkipIfOption {
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize, Deserialize, Type)]
struct SkipIfNoDefault {
    #[serde(skip_serializing_if = "String::is_empty")]
    label: String,
}

fn forty_two() -> u32 {
    42
}

#[derive(Serialize, Deserialize, Type)]
struct FieldDefaults {
    #[serde(default)]
    count: u32,
    #[serde(default = "forty_two")]
    answer: u32,
    name: String,
}

#[derive(Default, Serialize, Deserialize, Type)]
#[serde(default)]
struct ContainerDefault {
    width: u32,
    title: String,
}

#[derive(Serialize, Deserialize, Type)]
struct OptionFields {
    maybe: Option<u32>,
    nested: Option<Option<String>>,
    list: Option<Vec<u8>>,
}

#[derive(Serialize, Deserialize, Type)]
struct Meta {
    created: u64,
    author: String,
}

#[derive(Serialize, Deserialize, Type)]
struct FlattenStruct {
    id: u32,
    #[serde(flatten)]
    meta: Meta,
}

#[derive(Serialize, Deserialize, Type)]
struct FlattenMap {
    name: String,
    #[serde(flatten)]
    extra: BTreeMap<String, Value>,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(transparent)]
struct TransparentList {
    inner: Vec<u32>,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(transparent)]
struct TransparentSkip<T> {
    value: String,
    #[serde(skip)]
    marker: PhantomData<T>,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "type")]
struct TaggedStruct {
    x: u32,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "kind", rename = "point")]
struct TaggedRenamed {
    x: i32,
    y: i32,
}

/// A page of results.
#[derive(Serialize, Deserialize, Type)]
struct Page<T> {
    /// The items on this page.
    items: Vec<T>,
    total: u32,
}

#[derive(Serialize, Deserialize, Type)]
struct Both<A, B> {
    first: A,
    second: B,
}

#[derive(Serialize, Deserialize, Type)]
struct Wrapped<T>(T);

#[derive(Serialize, Deserialize, Type)]
struct Tree {
    value: u32,
    children: Vec<Tree>,
}

#[derive(Serialize, Deserialize, Type)]
struct Node {
    value: u32,
    next: Option<Box<Node>>,
}

#[derive(Serialize, Deserialize, Type)]
struct Collections {
    list: Vec<u32>,
    set: BTreeSet<String>,
    deque: VecDeque<u8>,
    array: [u8; 3],
    tuple: (u32, String, bool),
    unit: (),
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Type)]
enum Color {
    Red,
    Green,
    Blue,
}

#[derive(Serialize, Deserialize, Type)]
struct Maps {
    by_name: BTreeMap<String, u32>,
    by_id: BTreeMap<u32, String>,
    by_color: BTreeMap<Color, u32>,
    by_flag: BTreeMap<bool, u8>,
    hashed: HashMap<String, Vec<Option<u32>>>,
}

#[derive(Serialize, Deserialize, Type)]
struct Pointers {
    boxed: Box<u32>,
    shared: Arc<String>,
    counted: Rc<Vec<u8>>,
    cow: Cow<'static, str>,
}

#[derive(Serialize, Deserialize, Type)]
struct Scalars {
    c: char,
    small: i8,
    big: i64,
    unsigned: u64,
    huge: u128,
    float: f32,
    double: f64,
}

#[derive(Serialize, Deserialize, Type)]
struct AnyJson {
    any: Value,
    object: serde_json::Map<String, Value>,
}

#[derive(Serialize, Deserialize, Type)]
struct NestedBytes {
    data: Bytes,
    raw: Vec<u8>,
}

mod as_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(value: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&value.to_string())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize, Deserialize, Type)]
struct FieldOverride {
    #[serde(with = "as_string")]
    #[portcullis(type = "string")]
    id: u64,
}

#[derive(Clone, Serialize, Deserialize, Type)]
#[serde(into = "String", try_from = "String")]
#[portcullis(type = "`${number}.${number}`")]
struct Version {
    major: u32,
    minor: u32,
}

impl From<Version> for String {
    fn from(v: Version) -> String {
        format!("{}.{}", v.major, v.minor)
    }
}

impl TryFrom<String> for Version {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        let (major, minor) = s.split_once('.').ok_or("no dot")?;
        Ok(Version {
            major: major.parse().map_err(|_| "bad major")?,
            minor: minor.parse().map_err(|_| "bad minor")?,
        })
    }
}

#[derive(Serialize, Deserialize, Type)]
struct Pos {
    x: i32,
    y: i32,
}

/// A shape to draw.
#[derive(Serialize, Deserialize, Type)]
enum Shape {
    /// A circle of this radius.
    Circle(f64),
    Rect {
        w: f64,
        h: f64,
    },
    Point,
    Line(Pos, Pos),
}

#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
enum SnakeVariants {
    FirstOne,
    SecondOne(u8),
    #[serde(rename = "third")]
    ThirdOne {
        value_here: u8,
    },
}

#[derive(Serialize, Deserialize, Type)]
enum VariantSkips {
    Shown,
    #[serde(skip)]
    Hidden,
    #[serde(skip_serializing)]
    InputOnly,
    #[serde(skip_deserializing)]
    OutputOnly,
}

#[derive(Serialize, Deserialize, Type)]
struct Inner {
    payload: String,
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "type")]
enum Internal {
    Ping,
    Text { body: String },
    Wrapped(Inner),
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "op", rename_all = "lowercase", rename_all_fields = "camelCase")]
enum InternalRenamed {
    Insert { row_id: u32, new_value: String },
    Delete { row_id: u32 },
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "t", content = "c")]
enum Adjacent {
    Started,
    Progress(u8),
    Moved(i32, i32),
    Done { code: i32 },
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "event", content = "data", rename_all = "kebab-case")]
enum AdjacentRenamed {
    UserJoined { name: String },
    UserLeft(String),
}

#[derive(Serialize, Deserialize, Type)]
#[serde(untagged)]
enum Untagged {
    Number(f64),
    Text(String),
    List(Vec<u32>),
    Object { x: u32 },
    Nothing,
}

#[derive(Serialize, Deserialize, Type)]
enum VariantRenameAll {
    #[serde(rename_all = "camelCase")]
    Config { max_size: u32, min_size: u32 },
}

#[derive(Serialize, Deserialize, Type)]
enum Either<L, R> {
    Left(L),
    Right(R),
}

#[derive(Serialize, Deserialize, Type)]
#[serde(tag = "kind")]
enum OptionalInVariant {
    Search {
        query: String,
        limit: Option<u32>,
        #[serde(default)]
        offset: u32,
    },
}

#[derive(Serialize, Deserialize, Type)]
struct Request {
    id: u32,
    #[serde(flatten)]
    message: Internal,
}

/// A setting file.
#[derive(Serialize, Deserialize, Type)]
#[serde(rename_all = "camelCase")]
struct Config {
    /// Shown in the title bar.
    app_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    theme: Option<Color>,
    #[serde(default)]
    recent_files: Vec<String>,
    #[serde(flatten)]
    window: Pos,
}

#[derive(Serialize, Deserialize, Type)]
struct TupleOptions {
    pair: (Option<u32>, Vec<Option<String>>),
}

#[derive(Serialize, Deserialize, Type)]
struct External {
    id: uuid::Uuid,
    at: chrono::DateTime<chrono::Utc>,
    day: chrono::NaiveDate,
}

#[derive(Serialize, Deserialize, Type)]
enum GenericInVariant {
    Colors(Page<Color>),
    Nothing,
}

#[derive(Serialize, Deserialize, Type)]
struct NeedsInput {
    #[serde(default)]
    count: u32,
}

#[derive(Serialize, Deserialize, Type)]
struct UsesInput {
    inner: NeedsInput,
    list: Vec<NeedsInput>,
}

#[derive(Serialize, Deserialize, Type)]
struct Borrowing<'a> {
    name: Cow<'a, str>,
}

#[derive(Serialize, Deserialize, Type)]
struct Empty;

#[derive(Serialize, Deserialize, Type)]
enum NoVariants {}

#[derive(Serialize, Deserialize, Type)]
#[serde(deny_unknown_fields)]
struct DenyUnknown {
    #[serde(alias = "nm")]
    name: String,
}

/// Every case: the type, how to name it in TypeScript, and its samples.
pub(crate) fn cases() -> Vec<Case> {
    macro_rules! case {
        ($ty:ty $(as $ts:literal)? {
            values: [$($value:expr),* $(,)?],
            inputs: [$($input:expr),* $(,)?],
            wrong: [$($wrong:expr),* $(,)?] $(,)?
        }) => {{
            #[allow(unused_mut, unused_assignments)]
            let mut ts = stringify!($ty).replace(' ', "");
            $(ts = $ts.to_owned();)?
            Case {
                ts,
                add: |b| b.with_type::<$ty>(),
                values: vec![$(serde_json::to_string(&{ let v: $ty = $value; v }).unwrap()),*],
                inputs: vec![$($input.to_string()),*],
                wrong: vec![$($wrong.to_string()),*],
                parse: |json| serde_json::from_str::<$ty>(json).map(drop).map_err(|e| e.to_string()),
            }
        }};
    }
    let s = |s: &str| s.to_owned();
    let pos = |x, y| Pos { x, y };
    vec![
        case!(Plain {
            values: [Plain {
                a: 1,
                b: s("x"),
                c: true
            }],
            inputs: [json!({"a": 1, "b": "x", "c": false})],
            wrong: [
                json!({"a": "1", "b": "x", "c": true}),
                json!({"a": 1, "b": "x"})
            ],
        }),
        case!(UnitStruct {
            values: [UnitStruct],
            inputs: [json!(null)],
            wrong: [json!({})],
        }),
        case!(Meters {
            values: [Meters(1.5)],
            inputs: [json!(2)],
            wrong: [json!("2"), json!([2.0])],
        }),
        case!(Pair {
            values: [Pair(7, s("seven"))],
            inputs: [json!([1, "one"])],
            wrong: [json!([1]), json!(["one", 1])],
        }),
        case!(EmptyTuple {
            values: [EmptyTuple()],
            inputs: [json!([])],
            wrong: [json!([1])],
        }),
        case!(TupleSkip {
            values: [TupleSkip(1, 99, s("a"))],
            inputs: [json!([1, "a"])],
            wrong: [json!([1, 99, "a"])],
        }),
        case!(EmptyBraces {
            values: [EmptyBraces {}],
            inputs: [json!({})],
            wrong: [json!(null)],
        }),
        case!(RenameField {
            values: [RenameField {
                id: 1,
                content_type: s("text/plain"),
                r#type: 2
            }],
            inputs: [json!({"ID": 1, "content-type": "a", "type": 0})],
            wrong: [json!({"id": 1, "content-type": "a", "type": 0})],
        }),
        case!(CamelFields {
            values: [CamelFields {
                first_name: s("a"),
                last_name_2: s("b")
            }],
            inputs: [json!({"firstName": "a", "lastName2": "b"})],
            wrong: [json!({"first_name": "a", "lastName2": "b"})],
        }),
        case!(KebabFields {
            values: [KebabFields {
                first_name: s("a"),
                is_admin: true
            }],
            inputs: [json!({"first-name": "a", "is-admin": false})],
            wrong: [json!({"firstName": "a", "is-admin": false})],
        }),
        case!(ScreamingFields {
            values: [ScreamingFields { max_items: 3 }],
            inputs: [json!({"MAX_ITEMS": 3})],
            wrong: [json!({"max_items": 3})],
        }),
        case!(PascalFields {
            values: [PascalFields { user_id: 3 }],
            inputs: [json!({"UserId": 3})],
            wrong: [json!({"userId": 3})],
        }),
        case!(UpperFields {
            values: [UpperFields { user_id: 3 }],
            inputs: [json!({"USER_ID": 3})],
            wrong: [json!({"UserId": 3})],
        }),
        case!(RenameWinsOverRule {
            values: [RenameWinsOverRule {
                some_field: 1,
                other_field: 2
            }],
            inputs: [json!({"explicit_name": 1, "otherField": 2})],
            wrong: [json!({"someField": 1, "otherField": 2})],
        }),
        case!(RenamePerDirection {
            values: [RenamePerDirection { name: s("a") }],
            inputs: [json!({"in_name": "a"})],
            wrong: [json!({"outName": "a"})],
        }),
        case!(RuleperDirection {
            values: [RuleperDirection { user_name: s("a") }],
            inputs: [json!({"user_name": "a"})],
            wrong: [json!({"userName": "a"})],
        }),
        case!(Skipped {
            values: [Skipped { cache: 9, keep: 1 }],
            inputs: [json!({"keep": 1})],
            wrong: [json!({"cache": 9})],
        }),
        case!(SkipSerializing {
            values: [SkipSerializing {
                password: s("secret"),
                user: s("me")
            }],
            inputs: [json!({"password": "p", "user": "me"})],
            wrong: [json!({"user": "me"})],
        }),
        case!(SkipDeserializing {
            values: [SkipDeserializing {
                computed: 5,
                input: 1
            }],
            inputs: [json!({"input": 1})],
            wrong: [json!({"computed": 5})],
        }),
        case!(SkipIfWithDefault {
            values: [
                SkipIfWithDefault { tags: vec![] },
                SkipIfWithDefault { tags: vec![s("t")] }
            ],
            inputs: [json!({}), json!({"tags": ["a"]})],
            wrong: [json!({"tags": "a"})],
        }),
        case!(SkipIfOption {
            values: [
                SkipIfOption { note: None },
                SkipIfOption { note: Some(s("n")) }
            ],
            inputs: [json!({}), json!({"note": null}), json!({"note": "n"})],
            wrong: [json!({"note": 1})],
        }),
        case!(SkipIfNoDefault {
            values: [
                SkipIfNoDefault { label: s("") },
                SkipIfNoDefault { label: s("l") }
            ],
            inputs: [json!({"label": ""})],
            wrong: [json!({})],
        }),
        case!(FieldDefaults {
            values: [FieldDefaults {
                count: 0,
                answer: 42,
                name: s("n")
            }],
            inputs: [
                json!({"name": "n"}),
                json!({"count": 1, "answer": 2, "name": "n"})
            ],
            wrong: [json!({"count": 1})],
        }),
        case!(ContainerDefault {
            values: [ContainerDefault::default()],
            inputs: [json!({}), json!({"width": 3})],
            wrong: [json!({"width": "3"})],
        }),
        case!(OptionFields {
            values: [
                OptionFields {
                    maybe: None,
                    nested: None,
                    list: None
                },
                OptionFields {
                    maybe: Some(1),
                    nested: Some(Some(s("x"))),
                    list: Some(vec![1])
                },
            ],
            inputs: [
                json!({}),
                json!({"maybe": null, "nested": "x", "list": [1, 2]})
            ],
            wrong: [json!({"maybe": "1"})],
        }),
        case!(FlattenStruct {
            values: [FlattenStruct {
                id: 1,
                meta: Meta {
                    created: 2,
                    author: s("me")
                }
            }],
            inputs: [json!({"id": 1, "created": 2, "author": "me"})],
            wrong: [json!({"id": 1, "meta": {"created": 2, "author": "me"}})],
        }),
        case!(FlattenMap {
            values: [FlattenMap {
                name: s("n"),
                extra: BTreeMap::from([(s("k"), json!([1, "two"]))])
            }],
            inputs: [json!({"name": "n", "anything": {"goes": true}})],
            wrong: [json!({"extra": 1})],
        }),
        case!(TransparentList {
            values: [TransparentList { inner: vec![1, 2] }],
            inputs: [json!([3])],
            wrong: [json!({"inner": [3]})],
        }),
        case!(TransparentSkip<u8> as "TransparentSkip<number>" {
            values: [TransparentSkip { value: s("v"), marker: PhantomData }],
            inputs: [json!("v")],
            wrong: [json!({"value": "v"})],
        }),
        case!(TaggedStruct {
            values: [TaggedStruct { x: 1 }],
            inputs: [json!({"type": "TaggedStruct", "x": 1}), json!({"x": 1})],
            wrong: [json!({"type": "TaggedStruct"})],
        }),
        case!(TaggedRenamed as "point" {
            values: [TaggedRenamed { x: 1, y: 2 }],
            inputs: [json!({"kind": "point", "x": 1, "y": 2})],
            wrong: [json!({"kind": "point", "x": 1})],
        }),
        case!(Page<String> as "Page<string>" {
            values: [Page { items: vec![s("a")], total: 1 }],
            inputs: [json!({"items": [], "total": 0})],
            wrong: [json!({"items": [1], "total": 1})],
        }),
        case!(Page<Plain> as "Page<Plain>" {
            values: [Page { items: vec![Plain { a: 1, b: s("b"), c: false }], total: 1 }],
            inputs: [json!({"items": [{"a": 1, "b": "b", "c": true}], "total": 1})],
            wrong: [json!({"items": [{"a": 1}], "total": 1})],
        }),
        case!(Both<u8, Color> as "Both<number, Color>" {
            values: [Both { first: 1, second: Color::Red }],
            inputs: [json!({"first": 1, "second": "Blue"})],
            wrong: [json!({"first": 1, "second": "Purple"})],
        }),
        case!(Wrapped<Vec<bool>> as "Wrapped<boolean[]>" {
            values: [Wrapped(vec![true])],
            inputs: [json!([false])],
            wrong: [json!(true)],
        }),
        case!(Tree {
            values: [Tree {
                value: 1,
                children: vec![Tree {
                    value: 2,
                    children: vec![]
                }]
            }],
            inputs: [json!({"value": 1, "children": [{"value": 2, "children": []}]})],
            wrong: [json!({"value": 1, "children": [{"value": 2}]})],
        }),
        case!(Node {
            values: [Node {
                value: 1,
                next: Some(Box::new(Node {
                    value: 2,
                    next: None
                }))
            }],
            inputs: [json!({"value": 1, "next": {"value": 2}})],
            wrong: [json!({"value": 1, "next": 2})],
        }),
        case!(Collections {
            values: [Collections {
                list: vec![1],
                set: BTreeSet::from([s("a")]),
                deque: VecDeque::from([1, 2]),
                array: [1, 2, 3],
                tuple: (1, s("a"), true),
                unit: (),
            }],
            inputs: [
                json!({"list": [], "set": [], "deque": [], "array": [0, 0, 0], "tuple": [1, "", false], "unit": null})
            ],
            wrong: [
                json!({"list": [], "set": [], "deque": [], "array": [0, 0], "tuple": [1, "", false], "unit": null})
            ],
        }),
        case!(Color {
            values: [Color::Red, Color::Blue],
            inputs: [json!("Green")],
            wrong: [json!("red"), json!({"Red": 1})],
        }),
        case!(Maps {
            values: [Maps {
                by_name: BTreeMap::from([(s("a"), 1)]),
                by_id: BTreeMap::from([(7, s("seven"))]),
                by_color: BTreeMap::from([(Color::Green, 2)]),
                by_flag: BTreeMap::from([(true, 1)]),
                hashed: HashMap::from([(s("k"), vec![None, Some(1)])]),
            }],
            inputs: [
                json!({"by_name": {}, "by_id": {"1": "one"}, "by_color": {"Red": 1}, "by_flag": {"false": 0}, "hashed": {}})
            ],
            wrong: [
                json!({"by_name": {}, "by_id": {"one": "one"}, "by_color": {}, "by_flag": {}, "hashed": {}}),
                json!({"by_name": {}, "by_id": {}, "by_color": {"Purple": 1}, "by_flag": {}, "hashed": {}}),
            ],
        }),
        case!(Pointers {
            values: [Pointers {
                boxed: Box::new(1),
                shared: Arc::new(s("a")),
                counted: Rc::new(vec![1]),
                cow: Cow::Borrowed("c")
            }],
            inputs: [json!({"boxed": 1, "shared": "s", "counted": [], "cow": "c"})],
            wrong: [json!({"boxed": [1], "shared": "s", "counted": [], "cow": "c"})],
        }),
        case!(Scalars {
            values: [Scalars {
                c: 'x',
                small: -1,
                big: -(1 << 40),
                unsigned: 1 << 50,
                huge: 12,
                float: 0.5,
                double: -2.25
            }],
            inputs: [
                json!({"c": "y", "small": 1, "big": 2, "unsigned": 3, "huge": 4, "float": 5, "double": 6})
            ],
            wrong: [
                json!({"c": 1, "small": 1, "big": 2, "unsigned": 3, "huge": 4, "float": 5, "double": 6})
            ],
        }),
        case!(AnyJson {
            values: [AnyJson {
                any: json!({"a": [1, null, "x"]}),
                object: serde_json::Map::new()
            }],
            inputs: [json!({"any": 1, "object": {"k": [true]}})],
            wrong: [json!({"any": 1, "object": []})],
        }),
        case!(NestedBytes {
            values: [NestedBytes {
                data: Bytes::from(vec![1, 2]),
                raw: vec![3]
            }],
            inputs: [json!({"data": [1, 2], "raw": []})],
            wrong: [json!({"data": {}, "raw": []})],
        }),
        case!(FieldOverride {
            values: [FieldOverride { id: u64::MAX }],
            inputs: [json!({"id": "12"})],
            wrong: [json!({"id": 12})],
        }),
        case!(Version as "Version" {
            values: [Version { major: 1, minor: 2 }],
            inputs: [json!("3.4")],
            wrong: [json!({"major": 3, "minor": 4})],
        }),
        case!(Shape {
            values: [
                Shape::Circle(1.0),
                Shape::Rect { w: 1.0, h: 2.0 },
                Shape::Point,
                Shape::Line(pos(0, 0), pos(1, 1))
            ],
            inputs: [
                json!({"Circle": 2}),
                json!("Point"),
                json!({"Line": [{"x": 0, "y": 0}, {"x": 1, "y": 1}]})
            ],
            wrong: [
                json!({"Circle": "2"}),
                json!({"Rect": {"w": 1}}),
                json!("Square")
            ],
        }),
        case!(SnakeVariants {
            values: [
                SnakeVariants::FirstOne,
                SnakeVariants::SecondOne(2),
                SnakeVariants::ThirdOne { value_here: 3 }
            ],
            inputs: [json!("first_one"), json!({"third": {"value_here": 1}})],
            wrong: [json!("FirstOne"), json!({"third_one": {"value_here": 1}})],
        }),
        case!(VariantSkips {
            values: [VariantSkips::Shown, VariantSkips::OutputOnly],
            inputs: [json!("Shown"), json!("InputOnly")],
            wrong: [json!("Hidden"), json!("OutputOnly")],
        }),
        case!(Internal {
            values: [
                Internal::Ping,
                Internal::Text { body: s("b") },
                Internal::Wrapped(Inner { payload: s("p") })
            ],
            inputs: [
                json!({"type": "Ping"}),
                json!({"type": "Wrapped", "payload": "p"})
            ],
            wrong: [json!({"type": "Text"}), json!({"Text": {"body": "b"}})],
        }),
        case!(InternalRenamed {
            values: [
                InternalRenamed::Insert {
                    row_id: 1,
                    new_value: s("v")
                },
                InternalRenamed::Delete { row_id: 2 }
            ],
            inputs: [json!({"op": "delete", "rowId": 1})],
            wrong: [
                json!({"op": "Delete", "rowId": 1}),
                json!({"op": "delete", "row_id": 1})
            ],
        }),
        case!(Adjacent {
            values: [
                Adjacent::Started,
                Adjacent::Progress(50),
                Adjacent::Moved(1, -1),
                Adjacent::Done { code: 0 }
            ],
            inputs: [json!({"t": "Started"}), json!({"t": "Moved", "c": [1, 2]})],
            wrong: [
                json!({"t": "Progress", "c": "50"}),
                json!({"t": "Done", "code": 0})
            ],
        }),
        case!(AdjacentRenamed {
            values: [
                AdjacentRenamed::UserJoined { name: s("n") },
                AdjacentRenamed::UserLeft(s("n"))
            ],
            inputs: [json!({"event": "user-left", "data": "bye"})],
            wrong: [json!({"event": "UserLeft", "data": "bye"})],
        }),
        case!(Untagged {
            values: [
                Untagged::Number(1.0),
                Untagged::Text(s("t")),
                Untagged::List(vec![1]),
                Untagged::Object { x: 1 },
                Untagged::Nothing
            ],
            inputs: [
                json!(2),
                json!("s"),
                json!([1]),
                json!({"x": 1}),
                json!(null)
            ],
            wrong: [json!(true), json!({"y": 1})],
        }),
        case!(VariantRenameAll {
            values: [VariantRenameAll::Config {
                max_size: 1,
                min_size: 0
            }],
            inputs: [json!({"Config": {"maxSize": 1, "minSize": 0}})],
            wrong: [json!({"Config": {"max_size": 1, "min_size": 0}})],
        }),
        case!(Either<u32, String> as "Either<number, string>" {
            values: [Either::Left(1), Either::Right(s("r"))],
            inputs: [json!({"Left": 1})],
            wrong: [json!({"Left": "1"}), json!({"Up": 1})],
        }),
        case!(OptionalInVariant {
            values: [OptionalInVariant::Search {
                query: s("q"),
                limit: None,
                offset: 0
            }],
            inputs: [json!({"kind": "Search", "query": "q"})],
            wrong: [json!({"kind": "Search"})],
        }),
        case!(Request {
            values: [Request {
                id: 1,
                message: Internal::Text { body: s("b") }
            }],
            inputs: [json!({"id": 1, "type": "Ping"})],
            wrong: [json!({"id": 1, "type": "Pong"})],
        }),
        case!(Config {
            values: [Config {
                app_name: s("a"),
                theme: None,
                recent_files: vec![],
                window: pos(1, 2)
            }],
            inputs: [
                json!({"appName": "a", "x": 1, "y": 2}),
                json!({"appName": "a", "theme": "Red", "recentFiles": ["f"], "x": 1, "y": 2})
            ],
            wrong: [
                json!({"appName": "a", "theme": "Red", "x": 1}),
                json!({"app_name": "a", "x": 1, "y": 2})
            ],
        }),
        case!(TupleOptions {
            values: [TupleOptions {
                pair: (None, vec![Some(s("a")), None])
            }],
            inputs: [json!({"pair": [1, []]})],
            wrong: [json!({"pair": [1]})],
        }),
        case!(External {
            values: [External {
                id: uuid::Uuid::from_u128(0x1234),
                at: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                day: chrono::NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            }],
            inputs: [
                json!({"id": "67e55044-10b1-426f-9247-bb680e5fe0c8", "at": "2026-11-22T10:00:00Z", "day": "2026-11-22"})
            ],
            wrong: [json!({"id": 1, "at": "2026-11-22T10:00:00Z", "day": "2026-11-22"})],
        }),
        case!(GenericInVariant {
            values: [
                GenericInVariant::Colors(Page {
                    items: vec![Color::Red],
                    total: 1
                }),
                GenericInVariant::Nothing
            ],
            inputs: [json!({"Colors": {"items": ["Blue"], "total": 1}})],
            wrong: [json!({"Colors": {"items": ["Pink"], "total": 1}})],
        }),
        case!(NeedsInput {
            values: [NeedsInput { count: 1 }],
            inputs: [json!({})],
            wrong: [json!({"count": "1"})],
        }),
        case!(UsesInput {
            values: [UsesInput {
                inner: NeedsInput { count: 1 },
                list: vec![]
            }],
            inputs: [json!({"inner": {}, "list": [{}, {"count": 2}]})],
            wrong: [json!({"inner": 1, "list": []})],
        }),
        case!(Borrowing<'static> as "Borrowing" {
            values: [Borrowing { name: Cow::Borrowed("b") }],
            inputs: [json!({"name": "n"})],
            wrong: [json!({"name": 1})],
        }),
        case!(Empty {
            values: [Empty],
            inputs: [json!(null)],
            wrong: [json!(1)],
        }),
        case!(NoVariants {
            values: [],
            inputs: [],
            wrong: [json!("Anything")],
        }),
        case!(DenyUnknown {
            values: [DenyUnknown { name: s("n") }],
            inputs: [json!({"name": "n"})],
            wrong: [json!({})],
        }),
    ]
}
