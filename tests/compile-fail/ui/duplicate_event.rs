// Two event types with one name in `events![...]` fail const evaluation; so
// does a type that is not an event.
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
struct Saved {
    id: u64,
}

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
#[event(name = "saved")]
struct AlsoSaved {
    id: u64,
}

#[derive(Clone, Serialize, Deserialize)]
struct NotAnEvent;

fn main() {
    let _ = portcullis::events![Saved, AlsoSaved];
    let _ = portcullis::events![NotAnEvent];
}
