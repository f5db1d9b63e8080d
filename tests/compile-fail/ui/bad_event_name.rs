// An event name outside the name rule is a compile error at the attribute.
use serde::{Deserialize, Serialize};

#[derive(Clone, Serialize, Deserialize, portcullis::Type, portcullis::Event)]
#[event(name = "todo added")]
struct TodoAdded {
    id: u64,
}

fn main() {}
