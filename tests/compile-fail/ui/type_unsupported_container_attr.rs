#[derive(Clone, serde::Serialize, serde::Deserialize, portcullis::Type)]
#[serde(into = "String", try_from = "String")]
struct Version {
    major: u32,
}

impl From<Version> for String {
    fn from(v: Version) -> String {
        v.major.to_string()
    }
}

impl TryFrom<String> for Version {
    type Error = std::num::ParseIntError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Ok(Version { major: s.parse()? })
    }
}

fn main() {}
