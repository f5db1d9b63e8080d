#[derive(serde::Serialize, portcullis::Type)]
enum Value {
    Named(String),
    #[serde(untagged)]
    Other(u32),
}

fn main() {}
