//! [`Type`] for the standard types serde serializes, and for feature-gated
//! common crates. Each matches `serde_json`'s own output for the type.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap, HashMap, HashSet, LinkedList, VecDeque};
use std::marker::PhantomData;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::num::{
    NonZeroI32, NonZeroI64, NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroUsize,
};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::{Arc, Mutex, RwLock};

use super::{Ty, Type, TypeGraph};
use crate::Bytes;

macro_rules! leaf {
    ($ty:expr => $($t:ty),* $(,)?) => {
        $(impl Type for $t {
            fn describe(_: &mut TypeGraph) -> Ty {
                $ty
            }

            const __MAYBE_BYTES: bool = matches!($ty, Ty::Bytes);
            const __BYTES: bool = matches!($ty, Ty::Bytes);
        })*
    };
}

leaf!(Ty::Number =>
    u8, u16, u32, u64, u128, usize, i8, i16, i32, i64, i128, isize, f32, f64,
    NonZeroU8, NonZeroU16, NonZeroU32, NonZeroU64, NonZeroUsize, NonZeroI32, NonZeroI64,
    serde_json::Number,
);
leaf!(Ty::Bool => bool);
// Paths serialize as strings (non-UTF-8 ones fail to serialize); addresses use
// their human-readable form in JSON.
leaf!(Ty::String =>
    char, str, String, Path, PathBuf,
    IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6,
);
leaf!(Ty::Null => ());
leaf!(Ty::Json => serde_json::Value);
leaf!(Ty::Bytes => Bytes);

impl<T: ?Sized> Type for PhantomData<T> {
    fn describe(_: &mut TypeGraph) -> Ty {
        Ty::Null
    }

    const __MAYBE_BYTES: bool = false;
}

/// Wrappers that serialize as what they hold.
macro_rules! transparent {
    ($($wrapper:ident),*) => {
        $(impl<T: Type + ?Sized> Type for $wrapper<T> {
            fn describe(graph: &mut TypeGraph) -> Ty {
                T::describe(graph)
            }

            const __MAYBE_BYTES: bool = T::__MAYBE_BYTES;
            const __BYTES: bool = T::__BYTES;
        })*
    };
}

transparent!(Box, Rc, Arc, Mutex, RwLock, RefCell);

impl<T: Type + ?Sized> Type for &T {
    fn describe(graph: &mut TypeGraph) -> Ty {
        T::describe(graph)
    }

    const __MAYBE_BYTES: bool = T::__MAYBE_BYTES;
    const __BYTES: bool = T::__BYTES;
}

impl<T: Type + ?Sized> Type for &mut T {
    fn describe(graph: &mut TypeGraph) -> Ty {
        T::describe(graph)
    }

    const __MAYBE_BYTES: bool = T::__MAYBE_BYTES;
    const __BYTES: bool = T::__BYTES;
}

impl<T: Type + ToOwned + ?Sized> Type for Cow<'_, T> {
    fn describe(graph: &mut TypeGraph) -> Ty {
        T::describe(graph)
    }

    const __MAYBE_BYTES: bool = T::__MAYBE_BYTES;
    const __BYTES: bool = T::__BYTES;
}

impl<T: Type> Type for Option<T> {
    fn describe(graph: &mut TypeGraph) -> Ty {
        Ty::Option(Box::new(T::describe(graph)))
    }

    // `Option<Bytes>` takes a raw `Uint8Array` as `Some`.
    const __MAYBE_BYTES: bool = T::__MAYBE_BYTES;
}

macro_rules! list {
    ($($list:ident),*) => {
        $(impl<T: Type> Type for $list<T> {
            fn describe(graph: &mut TypeGraph) -> Ty {
                Ty::List(Box::new(T::describe(graph)))
            }
        })*
    };
}

// Lists keep `__MAYBE_BYTES = true`: a raw `Uint8Array` argument fills a
// `Vec<u8>` (or any list of numbers) byte by byte.
list!(Vec, VecDeque, LinkedList, BTreeSet, BinaryHeap);

impl<T: Type, S> Type for HashSet<T, S> {
    fn describe(graph: &mut TypeGraph) -> Ty {
        Ty::List(Box::new(T::describe(graph)))
    }
}

// `&[u8]` is a byte string to serde, and a command argument of that type
// borrows the raw bytes the front end sent: it is `Bytes`, not a list. So
// there is no blanket impl for `[T]` (it would describe `[u8]` as a list);
// use `Vec<T>` for other slices.
impl Type for [u8] {
    fn describe(_: &mut TypeGraph) -> Ty {
        Ty::Bytes
    }

    const __BYTES: bool = true;
}

/// serde writes a fixed-size array as a tuple of exactly `N` elements.
impl<T: Type, const N: usize> Type for [T; N] {
    fn describe(graph: &mut TypeGraph) -> Ty {
        let elem = T::describe(graph);
        Ty::Tuple(vec![elem; N])
    }

    const __MAYBE_BYTES: bool = false;
}

impl<K: Type, V: Type, S> Type for HashMap<K, V, S> {
    fn describe(graph: &mut TypeGraph) -> Ty {
        map::<K, V>(graph)
    }

    const __MAYBE_BYTES: bool = false;
}

impl<K: Type, V: Type> Type for BTreeMap<K, V> {
    fn describe(graph: &mut TypeGraph) -> Ty {
        map::<K, V>(graph)
    }

    const __MAYBE_BYTES: bool = false;
}

impl Type for serde_json::Map<String, serde_json::Value> {
    fn describe(graph: &mut TypeGraph) -> Ty {
        map::<String, serde_json::Value>(graph)
    }

    const __MAYBE_BYTES: bool = false;
}

fn map<K: Type, V: Type>(graph: &mut TypeGraph) -> Ty {
    Ty::Map {
        key: Box::new(K::describe(graph)),
        value: Box::new(V::describe(graph)),
    }
}

macro_rules! tuple {
    ($($name:ident)+) => {
        impl<$($name: Type),+> Type for ($($name,)+) {
            fn describe(graph: &mut TypeGraph) -> Ty {
                Ty::Tuple(vec![$($name::describe(graph)),+])
            }

            const __MAYBE_BYTES: bool = false;
        }
    };
}

tuple!(A);
tuple!(A B);
tuple!(A B C);
tuple!(A B C D);
tuple!(A B C D E);
tuple!(A B C D E F);
tuple!(A B C D E F G);
tuple!(A B C D E F G H);
tuple!(A B C D E F G H I);
tuple!(A B C D E F G H I J);
tuple!(A B C D E F G H I J K);
tuple!(A B C D E F G H I J K L);

// A UUID serializes as its hyphenated string in JSON.
#[cfg(feature = "uuid")]
leaf!(Ty::String => uuid::Uuid);

// chrono's date and time types serialize as RFC 3339 / ISO 8601 strings.
#[cfg(feature = "chrono")]
leaf!(Ty::String => chrono::NaiveDate, chrono::NaiveTime, chrono::NaiveDateTime);

#[cfg(feature = "chrono")]
impl<Tz: chrono::TimeZone> Type for chrono::DateTime<Tz> {
    fn describe(_: &mut TypeGraph) -> Ty {
        Ty::String
    }

    const __MAYBE_BYTES: bool = false;
}
