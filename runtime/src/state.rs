//! Values given to `.manage(...)`, looked up by type when a command takes
//! `State<'_, T>`.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::{CommandArg, ErrorCode, Invoke, InvokeError};

/// Managed state, one value per type.
#[derive(Default, Clone)]
pub(crate) struct StateMap {
    values: HashMap<TypeId, (Arc<dyn Any + Send + Sync>, &'static str)>,
}

impl StateMap {
    /// Adds a value.
    ///
    /// # Panics
    /// When a value of the same type is already managed: two values of one type
    /// would make `State<'_, T>` ambiguous, and silently keeping either one hides
    /// a bug. Wrap one of them in a newtype.
    pub(crate) fn insert<T: Send + Sync + 'static>(&mut self, value: T) {
        let name = std::any::type_name::<T>();
        let previous = self
            .values
            .insert(TypeId::of::<T>(), (Arc::new(value), name));
        assert!(
            previous.is_none(),
            "state of type `{name}` is already managed; wrap one of the values in a newtype"
        );
    }

    pub(crate) fn get<T: Send + Sync + 'static>(&self) -> Option<&T> {
        self.values
            .get(&TypeId::of::<T>())
            .and_then(|(value, _)| value.downcast_ref())
    }
}

impl fmt::Debug for StateMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.values.values().map(|(_, name)| name))
            .finish()
    }
}

/// A value given to `.manage(value)`, injected into a command.
///
/// ```
/// # use portcullis::{command, State};
/// # use std::sync::Mutex;
/// struct Counter(Mutex<u64>);
///
/// #[command]
/// fn bump(counter: State<'_, Counter>) -> u64 {
///     let mut n = counter.0.lock().unwrap();
///     *n += 1;
///     *n
/// }
/// ```
///
/// If no value of type `T` is managed, the call fails with
/// [`ErrorCode::MissingState`]; nothing panics.
pub struct State<'a, T: Send + Sync + 'static>(&'a T);

impl<'a, T: Send + Sync + 'static> State<'a, T> {
    /// The managed value, with the lifetime of the call.
    pub fn inner(&self) -> &'a T {
        self.0
    }
}

impl<T: Send + Sync + 'static> Deref for State<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.0
    }
}

impl<T: Send + Sync + 'static> Clone for State<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for State<'_, T> {}

impl<T: Send + Sync + fmt::Debug + 'static> fmt::Debug for State<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("State").field(self.0).finish()
    }
}

impl<'a, T: Send + Sync + 'static> CommandArg<'a> for State<'a, T> {
    fn from_invoke(invoke: &Invoke<'a>) -> Result<Self, InvokeError> {
        invoke.state::<T>().map(State).ok_or_else(|| {
            let ty = std::any::type_name::<T>();
            InvokeError::new(
                ErrorCode::MissingState,
                format!(
                    "command `{}` takes `State<{ty}>`, but no `{ty}` is managed; \
                     give one to `.manage(...)` when building the app",
                    invoke.command()
                ),
            )
        })
    }
}
