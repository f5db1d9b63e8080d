mod as_string {
    pub fn serialize<S: serde::Serializer>(v: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(v)
    }
}

fn custom<S: serde::Serializer>(v: &u32, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(v)
}

#[derive(serde::Serialize, portcullis::Type)]
struct Row {
    #[serde(with = "as_string")]
    id: u64,
    #[serde(serialize_with = "custom")]
    count: u32,
    // Stating the TypeScript type makes it fine.
    #[serde(with = "as_string")]
    #[portcullis(type = "string")]
    other: u64,
}

fn main() {}
