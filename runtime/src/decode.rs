//! Decoding a call's arguments: one pass over the JSON args object, each known
//! key deserialized straight into its argument's type (no intermediate
//! `serde_json::Value`), unknown keys skipped, absent keys handed to the
//! argument's type (`Option` becomes `None`), extractors built from the call.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, Visitor};

use crate::bytes::RawBytes;
use crate::{CommandArg, ErrorCode, Invoke, InvokeError};

/// A tuple of command arguments. Implemented for tuples of up to 16
/// [`CommandArg`]s; the `#[command]` macro names it.
#[doc(hidden)]
pub trait ArgTuple<'a>: Sized {
    fn decode(invoke: &Invoke<'a>, keys: &'static [&'static str]) -> Result<Self, InvokeError>;
}

/// The partly filled arguments while the JSON object is read.
trait Slots<'a> {
    /// Reads the value of key number `index` from `map` into its slot.
    fn fill<M: MapAccess<'a>>(&mut self, index: usize, map: &mut M) -> Result<(), M::Error>;

    /// Puts a raw binary argument into slot number `index`.
    fn fill_binary(&mut self, index: usize, bytes: &'a [u8]) -> Result<(), serde_json::Error>;
}

/// Decodes the arguments of one call. Called by `#[command]` handlers.
#[doc(hidden)]
pub fn decode<'a, T: ArgTuple<'a>>(
    invoke: &Invoke<'a>,
    keys: &'static [&'static str],
) -> Result<T, InvokeError> {
    match T::decode(invoke, keys) {
        Ok(args) => Ok(args),
        Err(err) => Err(fill_command(err, invoke)),
    }
}

// The generic functions below are instantiated once per command: they hold
// only what depends on the argument types. Errors are built by the plain
// functions after them (no closures here: a closure in a generic fn is one
// more instantiation per command).

fn read_args<'a, S: Slots<'a>>(
    invoke: &Invoke<'a>,
    keys: &'static [&'static str],
    slots: &mut S,
) -> Result<(), InvokeError> {
    // No args at all means an empty object: `invoke("ping")` passes nothing.
    if !invoke.args.is_empty() {
        let mut current = None;
        let mut de = serde_json::Deserializer::from_slice(invoke.args);
        let visitor = ArgsVisitor {
            keys,
            slots: &mut *slots,
            current: &mut current,
        };
        let result = match de::Deserializer::deserialize_map(&mut de, visitor) {
            Ok(()) => de.end(),
            Err(err) => Err(err),
        };
        if let Err(err) = result {
            return Err(json_error(invoke, keys, current, err));
        }
    }
    for part in invoke.parts {
        let Some(index) = key_index(keys, &part.key) else {
            continue;
        };
        if let Err(err) = slots.fill_binary(index, &invoke.body[part.range.clone()]) {
            return Err(binary_error(invoke, keys[index], err));
        }
    }
    Ok(())
}

fn key_index(keys: &[&str], key: &str) -> Option<usize> {
    keys.iter().position(|k| *k == key)
}

fn json_error(
    invoke: &Invoke<'_>,
    keys: &'static [&'static str],
    current: Option<usize>,
    err: serde_json::Error,
) -> InvokeError {
    match current {
        Some(index) => {
            let key = keys[index];
            InvokeError::new(
                ErrorCode::InvalidArgs,
                format!(
                    "command `{}`: invalid value for argument \"{key}\": {err}",
                    invoke.command
                ),
            )
            .with_arg(key)
        }
        None => {
            let example: Vec<String> = keys.iter().map(|k| format!("\"{k}\": ...")).collect();
            InvokeError::new(
                ErrorCode::InvalidArgs,
                format!(
                    "command `{}` takes its arguments as a JSON object ({{{}}}): {err}",
                    invoke.command,
                    example.join(", ")
                ),
            )
        }
    }
}

fn binary_error(invoke: &Invoke<'_>, key: &'static str, err: serde_json::Error) -> InvokeError {
    InvokeError::new(
        ErrorCode::InvalidArgs,
        format!(
            "command `{}`: invalid binary argument \"{key}\": {err}",
            invoke.command
        ),
    )
    .with_arg(key)
}

struct ArgsVisitor<'s, S> {
    keys: &'static [&'static str],
    slots: &'s mut S,
    /// The key being read, so that an error can name it.
    current: &'s mut Option<usize>,
}

impl<'a, S: Slots<'a>> Visitor<'a> for ArgsVisitor<'_, S> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object of arguments")
    }

    fn visit_map<M: MapAccess<'a>>(self, mut map: M) -> Result<(), M::Error> {
        while let Some(index) = map.next_key_seed(KeySeed(self.keys))? {
            match index {
                Some(index) => {
                    if let Err(err) = self.slots.fill(index, &mut map) {
                        *self.current = Some(index);
                        return Err(err);
                    }
                }
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Maps a key to the index of the argument that reads it, without allocating.
struct KeySeed(&'static [&'static str]);

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Option<usize>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an argument name")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, key: &str) -> Result<Self::Value, E> {
        Ok(self.0.iter().position(|k| *k == key))
    }
}

/// Deserializes one argument through its `CommandArg` impl.
struct ArgSeed<T>(PhantomData<T>);

impl<'a, T: CommandArg<'a>> DeserializeSeed<'a> for ArgSeed<T> {
    type Value = T;

    fn deserialize<D: de::Deserializer<'a>>(self, deserializer: D) -> Result<T, D::Error> {
        T::__from_json(deserializer)
    }
}

fn fill_binary_slot<'a, T: CommandArg<'a>>(
    slot: &mut Option<T>,
    bytes: &'a [u8],
) -> Result<(), serde_json::Error> {
    if !T::__FROM_ARGS {
        Ok(())
    } else if !T::__BINARY {
        // Known at compile time: the type never reads bytes, so its
        // deserializer is not instantiated over `RawBytes` at all.
        Err(not_binary(std::any::type_name::<T>()))
    } else if slot.is_some() {
        Err(de::Error::custom("the key appears twice"))
    } else {
        *slot = Some(T::__from_json(RawBytes(bytes))?);
        Ok(())
    }
}

fn not_binary(expected: &str) -> serde_json::Error {
    de::Error::custom(format_args!(
        "got raw binary data (a Uint8Array or ArrayBuffer), expected {expected}"
    ))
}

fn fill_slot<'a, T: CommandArg<'a>, M: MapAccess<'a>>(
    slot: &mut Option<T>,
    map: &mut M,
) -> Result<(), M::Error> {
    if !T::__FROM_ARGS {
        // An extractor's name is not a JSON key; whatever is sent there is ignored.
        map.next_value::<IgnoredAny>()?;
    } else if slot.is_some() {
        return Err(de::Error::custom("the key appears twice"));
    } else {
        *slot = Some(map.next_value_seed(ArgSeed(PhantomData))?);
    }
    Ok(())
}

macro_rules! arg_tuples {
    ($($A:ident $i:tt),*) => {
        impl<'a, $($A: CommandArg<'a>),*> Slots<'a> for ($(Option<$A>,)*) {
            #[allow(unused_variables)]
            fn fill<M: MapAccess<'a>>(&mut self, index: usize, map: &mut M) -> Result<(), M::Error> {
                match index {
                    $($i => fill_slot(&mut self.$i, map),)*
                    _ => map.next_value::<IgnoredAny>().map(drop),
                }
            }

            #[allow(unused_variables)]
            fn fill_binary(&mut self, index: usize, bytes: &'a [u8]) -> Result<(), serde_json::Error> {
                match index {
                    $($i => fill_binary_slot(&mut self.$i, bytes),)*
                    _ => Ok(()),
                }
            }
        }

        impl<'a, $($A: CommandArg<'a>),*> ArgTuple<'a> for ($($A,)*) {
            #[allow(unused_variables, unused_mut)]
            fn decode(invoke: &Invoke<'a>, keys: &'static [&'static str]) -> Result<Self, InvokeError> {
                let mut slots: ($(Option<$A>,)*) = ($(None::<$A>,)*);
                // Also validates that a command without arguments got an object.
                read_args(invoke, keys, &mut slots)?;
                Ok(($(
                    match slots.$i.take() {
                        Some(value) => value.__bind(invoke)?,
                        None => $A::__absent(invoke, keys[$i])?,
                    },
                )*))
            }
        }
    };
}

/// Extractors may leave the command out of their errors; the runtime knows it.
fn fill_command(err: InvokeError, invoke: &Invoke<'_>) -> InvokeError {
    if err.command().is_some() {
        err
    } else {
        err.with_command(invoke.command)
    }
}

arg_tuples!();
arg_tuples!(A0 0);
arg_tuples!(A0 0, A1 1);
arg_tuples!(A0 0, A1 1, A2 2);
arg_tuples!(A0 0, A1 1, A2 2, A3 3);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14);
arg_tuples!(A0 0, A1 1, A2 2, A3 3, A4 4, A5 5, A6 6, A7 7, A8 8, A9 9, A10 10, A11 11, A12 12, A13 13, A14 14, A15 15);
