//! Type reflection for binding generation: what a Rust type looks like as
//! JSON, as data.
//!
//! [`Type`] is implemented by `#[derive(portcullis::Type)]` and, here, for the
//! built-in types serde knows. Describing a type yields a [`Ty`]: built-in
//! shapes inline, and user types as references ([`Ty::Named`]) into a
//! [`TypeGraph`] that holds one [`TypeDef`] per named type. The graph is plain
//! data (and `Serialize`), the input of the binding generator in
//! [`bindings`](crate::bindings) and of any other tool.
//!
//! Every definition records the serialized shape (what `serde_json` produces,
//! the *result* shape) and the deserialized one (what it accepts, the *argument*
//! shape) where serde's attributes make them differ: `default`,
//! `skip_serializing_if`, `skip_serializing`, `skip_deserializing`, and
//! `rename(serialize = .., deserialize = ..)`.

mod impls;

use std::collections::BTreeMap;

use serde::Serialize;

/// A type whose JSON form can be described for binding generation.
///
/// Derive it with `#[derive(portcullis::Type)]` next to serde's derives; the
/// derive reads the same `#[serde(...)]` attributes and refuses the ones whose
/// JSON shape it cannot know (`with`, `into`, `from`, ...) unless the field or
/// type says its TypeScript type with `#[portcullis(type = "...")]`.
///
/// Command arguments and results must implement it, so the generated bindings
/// can never silently fall back to `any`.
#[diagnostic::on_unimplemented(
    message = "`{Self}` has no TypeScript description",
    label = "this type does not implement `portcullis::Type`",
    note = "add `#[derive(portcullis::Type)]` next to its serde derives, or, for a type from \
            another crate, wrap it in a newtype that derives it (or use `#[portcullis(type = \"...\")]`)"
)]
pub trait Type {
    /// Describes the type: built-in shapes inline, named types as references
    /// into `graph` (defined there on first use).
    fn describe(graph: &mut TypeGraph) -> Ty;

    /// Whether a top-level argument or result of this type may travel as raw
    /// bytes. `true` keeps the runtime's raw paths: a result is sent raw when
    /// it serializes with `serialize_bytes`, a raw argument is deserialized
    /// from the bytes. `false` sends JSON always, refuses raw arguments, and
    /// keeps those paths out of the code generated per command. Derived types
    /// and built-ins other than `Bytes`, `[u8]`, lists and wrappers of them
    /// are `false`, which is what their TypeScript types say; a hand-written
    /// impl keeps the default.
    #[doc(hidden)]
    const __MAYBE_BYTES: bool = true;

    /// Whether the type describes itself as [`Ty::Bytes`], so the bindings type
    /// a top-level result of it `Uint8Array`: the runtime then sends it raw
    /// even when it serializes as a sequence of `u8` (as serde writes `[u8]`,
    /// `Box<[u8]>`, `Cow<[u8]>`). `Bytes`, `[u8]` and wrappers of them; a type
    /// that sets it keeps `__MAYBE_BYTES` true.
    #[doc(hidden)]
    const __BYTES: bool = false;
}

/// The JSON shape of a type, as seen from TypeScript.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Ty {
    /// `null`: `()`, unit structs, `PhantomData`.
    Null,
    /// `boolean`.
    Bool,
    /// `number`: every integer and float type. 64- and 128-bit integers travel
    /// as exact JSON numbers, but a JavaScript `number` holds integers exactly
    /// only up to 2^53; see the bindings guide.
    Number,
    /// `string`: `String`, `str`, `char`, paths, addresses, ids, dates.
    String,
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// [`Bytes`](crate::Bytes): raw bytes (`Uint8Array`) as a top-level argument
    /// or result, an array of numbers when nested in JSON.
    Bytes,
    /// A [`Channel<T>`](crate::Channel) argument: the page passes a
    /// `Channel<T>` object (portcullis-api) and receives `T`s through it.
    Channel(Box<Ty>),
    /// `T | null`. A struct field or argument of this type may also be absent
    /// in what the front end sends.
    Option(Box<Ty>),
    /// `T[]`: `Vec`, slices, sets, `VecDeque`.
    List(Box<Ty>),
    /// `[A, B]`: tuples and fixed-size arrays.
    Tuple(Vec<Ty>),
    /// A JSON object with keys of type `key`: `HashMap`, `BTreeMap`.
    Map {
        /// The key type (strings, numbers as strings, or unit-only enums).
        key: Box<Ty>,
        /// The value type.
        value: Box<Ty>,
    },
    /// A reference to the named type with this id in the [`TypeGraph`], with
    /// its generic arguments.
    Named {
        /// The id: the Rust path of the type.
        id: &'static str,
        /// One per generic parameter of the definition.
        args: Vec<Ty>,
    },
    /// The definition's generic parameter with this index.
    Param(usize),
    /// TypeScript text given by the user (`#[portcullis(type = "...")]`).
    Custom(&'static str),
}

/// A named type: a struct or enum that derives [`Type`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TypeDef {
    /// The name in TypeScript: serde's `rename` of the type, or its Rust name.
    pub name: &'static str,
    /// The Rust path (`my_app::todos::Todo`): the id in the graph.
    pub rust_path: &'static str,
    /// The doc comment.
    pub docs: &'static str,
    /// Names of the generic type parameters, in order.
    pub generics: &'static [&'static str],
    /// The shape.
    pub shape: Shape,
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Shape {
    /// The same JSON as another type: newtype, tuple and unit structs,
    /// `#[serde(transparent)]`.
    Alias {
        /// The type it stands for.
        ty: Ty,
    },
    /// A struct with named fields: a JSON object.
    Struct {
        /// `#[serde(tag = "...")]` on a struct: a field holding the type's name.
        tag: Option<Tag>,
        /// The fields in declaration order.
        fields: Vec<Field>,
    },
    /// An enum.
    Enum {
        /// How variants are represented.
        repr: Repr,
        /// The variants in declaration order.
        variants: Vec<Variant>,
    },
}

/// The extra field of a tagged struct.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Tag {
    /// The field's key.
    pub key: &'static str,
    /// Its constant value.
    pub value: Names,
}

/// A name (key, variant name) as serialized and as deserialized.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Names {
    /// The name `serde_json` writes.
    pub serialize: &'static str,
    /// The name it reads.
    pub deserialize: &'static str,
}

impl Names {
    /// The same name both ways.
    pub const fn same(name: &'static str) -> Self {
        Names {
            serialize: name,
            deserialize: name,
        }
    }
}

/// Whether a field appears in the JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    /// Always there.
    Required,
    /// May be absent (`default`, `skip_serializing_if`).
    Optional,
    /// Never there (`skip_serializing`, `skip_deserializing`).
    Absent,
}

/// A field of a struct or struct variant.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Field {
    /// The JSON key.
    pub name: Names,
    /// The doc comment.
    pub docs: &'static str,
    /// The value's type.
    pub ty: Ty,
    /// In what `serde_json` produces.
    pub serialize: Presence,
    /// In what it accepts. A field of type [`Ty::Option`] that is `Required`
    /// here may still be absent (serde reads a missing option as `None`).
    pub deserialize: Presence,
    /// `#[serde(flatten)]`: the value's own keys are merged into this object.
    pub flatten: bool,
}

/// How an enum's variants appear in JSON (serde's four representations).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Repr {
    /// `{"Variant": content}`, or `"Variant"` for a unit variant (the default).
    External,
    /// `#[serde(tag = "t")]`: `{"t": "Variant", ...fields}`.
    Internal {
        /// The tag key.
        tag: &'static str,
    },
    /// `#[serde(tag = "t", content = "c")]`: `{"t": "Variant", "c": content}`.
    Adjacent {
        /// The tag key.
        tag: &'static str,
        /// The content key.
        content: &'static str,
    },
    /// `#[serde(untagged)]`: the content alone.
    Untagged,
}

/// One variant of an enum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Variant {
    /// The variant's name in JSON.
    pub name: Names,
    /// The doc comment.
    pub docs: &'static str,
    /// What it holds.
    pub kind: VariantKind,
    /// False when `#[serde(skip_serializing)]`: never produced.
    pub serialize: bool,
    /// False when `#[serde(skip_deserializing)]`: never accepted.
    pub deserialize: bool,
}

/// What a variant holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "of", rename_all = "snake_case")]
pub enum VariantKind {
    /// Nothing.
    Unit,
    /// One unnamed value.
    Newtype(Ty),
    /// Several unnamed values.
    Tuple(Vec<Ty>),
    /// Named fields.
    Struct(Vec<Field>),
}

/// Every named type reachable from the described types, by id.
#[derive(Clone, Debug, Default, Serialize)]
pub struct TypeGraph {
    defs: BTreeMap<&'static str, Option<TypeDef>>,
}

impl TypeGraph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// A reference to the named type `id`, defining it with `define` the first
    /// time. Recursive types work: the id is reserved before `define` runs.
    ///
    /// `define` is a fn pointer, not a generic closure, so this code exists
    /// once in a build rather than once per derived type.
    pub fn named(
        &mut self,
        id: &'static str,
        args: Vec<Ty>,
        define: fn(&mut TypeGraph) -> TypeDef,
    ) -> Ty {
        if !self.defs.contains_key(id) {
            self.defs.insert(id, None);
            let def = define(self);
            self.defs.insert(id, Some(def));
        }
        Ty::Named { id, args }
    }

    /// The definition with this id.
    pub fn get(&self, id: &str) -> Option<&TypeDef> {
        self.defs.get(id).and_then(Option::as_ref)
    }

    /// All definitions, ordered by id.
    pub fn iter(&self) -> impl Iterator<Item = &TypeDef> {
        self.defs.values().filter_map(Option::as_ref)
    }
}

/// Stands for a definition's generic parameter number `I` while the derive
/// describes its fields. It implements the common traits so that field types
/// whose own definitions bound their parameters still accept it.
#[doc(hidden)]
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
pub struct TypeParam<const I: usize>;

impl<const I: usize> Type for TypeParam<I> {
    fn describe(_: &mut TypeGraph) -> Ty {
        Ty::Param(I)
    }
}
