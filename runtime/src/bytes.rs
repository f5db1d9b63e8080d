//! Binary data that crosses the IPC as raw bytes.

use std::fmt;
use std::ops::{Deref, DerefMut};

use serde::de::{self, Deserialize, Deserializer, SeqAccess, Visitor};
use serde::ser::{self, Impossible, Serialize, SerializeSeq, Serializer};

/// Bytes that travel raw between Rust and the web view: a `Uint8Array` in
/// JavaScript, never a JSON array of numbers or base64.
///
/// As a command argument, pass a `Uint8Array` or `ArrayBuffer` under the
/// argument's key: `invoke("upload", { name, data: file })`. As a result, the
/// front end receives a `Uint8Array`. `&[u8]` and `Option<Bytes>` arguments
/// get the same raw treatment (`&[u8]` borrows without a copy).
///
/// Raw transfer applies to top-level arguments and results whose type is
/// `Bytes` itself (or `[u8]` boxed, borrowed or in a `Cow`), exactly where
/// the generated TypeScript says `Uint8Array`.
/// `Bytes` inside your own types (a struct field, a newtype, a transparent
/// wrapper, an enum variant) is serialized by `serde_json` as an array of
/// numbers, and the bindings say `number[]` there. `Vec<u8>` keeps serde's
/// usual meaning (an array of numbers); it accepts a raw `Uint8Array`
/// argument too, byte by byte, so prefer `Bytes` for size. Any other argument
/// refuses raw bytes with an `invalid_args` error naming it.
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Bytes(Vec<u8>);

impl Bytes {
    /// Empty bytes.
    pub fn new() -> Self {
        Bytes(Vec::new())
    }

    /// The bytes as a `Vec`.
    pub fn into_vec(self) -> Vec<u8> {
        self.0
    }
}

impl From<Vec<u8>> for Bytes {
    fn from(bytes: Vec<u8>) -> Self {
        Bytes(bytes)
    }
}

impl From<&[u8]> for Bytes {
    fn from(bytes: &[u8]) -> Self {
        Bytes(bytes.to_vec())
    }
}

impl From<Bytes> for Vec<u8> {
    fn from(bytes: Bytes) -> Self {
        bytes.0
    }
}

impl Deref for Bytes {
    type Target = Vec<u8>;
    fn deref(&self) -> &Vec<u8> {
        &self.0
    }
}

impl DerefMut for Bytes {
    fn deref_mut(&mut self) -> &mut Vec<u8> {
        &mut self.0
    }
}

impl AsRef<[u8]> for Bytes {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Bytes({} bytes)", self.0.len())
    }
}

impl Serialize for Bytes {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_bytes(&self.0)
    }
}

impl<'de> Deserialize<'de> for Bytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

struct BytesVisitor;

impl<'de> Visitor<'de> for BytesVisitor {
    type Value = Bytes;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("bytes (a Uint8Array or ArrayBuffer, or an array of numbers 0-255)")
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Bytes, E> {
        Ok(Bytes(v.to_vec()))
    }

    fn visit_byte_buf<E: de::Error>(self, v: Vec<u8>) -> Result<Bytes, E> {
        Ok(Bytes(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bytes, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 20));
        while let Some(byte) = seq.next_element::<u8>()? {
            out.push(byte);
        }
        Ok(Bytes(out))
    }
}

/// What a command's result encodes to.
#[doc(hidden)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reply {
    /// JSON text.
    Json(Vec<u8>),
    /// Raw bytes (the result serialized with `serialize_bytes` at the top level).
    Binary(Vec<u8>),
}

/// Returns the bytes if `value` serializes as bytes at the top level (`Bytes`,
/// `&[u8]` via serde_bytes), without serializing anything else. With
/// `byte_seq`, a sequence of `u8` counts too: that is how serde writes `[u8]`,
/// `Box<[u8]>` and `Cow<[u8]>`, which the bindings type as `Uint8Array`.
pub(crate) fn as_raw_bytes<T: ?Sized + Serialize>(value: &T, byte_seq: bool) -> Option<Vec<u8>> {
    match value.serialize(BytesProbe::TopLevel { byte_seq }) {
        Ok(Probed::Bytes(bytes)) => Some(bytes),
        Ok(Probed::Byte(_)) | Err(NotBytes) => None,
    }
}

/// A serializer that only accepts bytes (at the top level) or one `u8` (as an
/// element of a byte sequence); everything else fails at once, so probing a
/// value that is not bytes costs one call.
#[derive(Clone, Copy)]
enum BytesProbe {
    TopLevel { byte_seq: bool },
    Element,
}

enum Probed {
    Bytes(Vec<u8>),
    Byte(u8),
}

#[derive(Debug)]
struct NotBytes;

impl fmt::Display for NotBytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not bytes")
    }
}

impl std::error::Error for NotBytes {}

impl ser::Error for NotBytes {
    fn custom<T: fmt::Display>(_msg: T) -> Self {
        NotBytes
    }
}

/// A top-level sequence being collected as bytes.
struct ByteSeq(Vec<u8>);

impl SerializeSeq for ByteSeq {
    type Ok = Probed;
    type Error = NotBytes;

    fn serialize_element<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), NotBytes> {
        match value.serialize(BytesProbe::Element)? {
            Probed::Byte(byte) => {
                self.0.push(byte);
                Ok(())
            }
            Probed::Bytes(_) => Err(NotBytes),
        }
    }

    fn end(self) -> Result<Probed, NotBytes> {
        Ok(Probed::Bytes(self.0))
    }
}

macro_rules! not_bytes {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<Self::Ok, NotBytes> { Err(NotBytes) })*
    };
}

impl Serializer for BytesProbe {
    type Ok = Probed;
    type Error = NotBytes;
    type SerializeSeq = ByteSeq;
    type SerializeTuple = Impossible<Probed, NotBytes>;
    type SerializeTupleStruct = Impossible<Probed, NotBytes>;
    type SerializeTupleVariant = Impossible<Probed, NotBytes>;
    type SerializeMap = Impossible<Probed, NotBytes>;
    type SerializeStruct = Impossible<Probed, NotBytes>;
    type SerializeStructVariant = Impossible<Probed, NotBytes>;

    fn serialize_bytes(self, v: &[u8]) -> Result<Probed, NotBytes> {
        match self {
            BytesProbe::TopLevel { .. } => Ok(Probed::Bytes(v.to_vec())),
            BytesProbe::Element => Err(NotBytes),
        }
    }

    fn serialize_u8(self, v: u8) -> Result<Probed, NotBytes> {
        match self {
            BytesProbe::Element => Ok(Probed::Byte(v)),
            BytesProbe::TopLevel { .. } => Err(NotBytes),
        }
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<ByteSeq, NotBytes> {
        match self {
            BytesProbe::TopLevel { byte_seq: true } => {
                Ok(ByteSeq(Vec::with_capacity(len.unwrap_or(0))))
            }
            _ => Err(NotBytes),
        }
    }

    not_bytes! {
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
        serialize_i64(i64); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_char(char);
        serialize_str(&str); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: ?Sized + Serialize>(self, _: &T) -> Result<Probed, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<Probed, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Probed, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, NotBytes> {
        Err(NotBytes)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, NotBytes> {
        Err(NotBytes)
    }
}

/// A deserializer over a raw binary argument: bytes for `Bytes`, `&[u8]` and
/// `serde_bytes`; a sequence of `u8` for `Vec<u8>` and friends.
pub(crate) struct RawBytes<'a>(pub(crate) &'a [u8]);

// The error type is `serde_json::Error`, like the JSON path's: every generic
// instantiation keyed on the error type (serde's buffered `Content` machinery
// for tagged enums, above all) is then shared between the two, which keeps
// the code generated per command small.
impl<'de> Deserializer<'de> for RawBytes<'de> {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_borrowed_bytes(self.0)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        let mut seq = de::value::SeqDeserializer::new(self.0.iter().copied());
        let value = visitor.visit_seq(&mut seq)?;
        seq.end()?;
        Ok(value)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Self::Error> {
        visitor.visit_newtype_struct(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct tuple
        tuple_struct map struct enum identifier ignored_any
    }
}
