#[portcullis::command(rename = "a", rename = "b")]
fn greet(name: String) -> String {
    name
}

fn main() {}
