#[portcullis::command(rename = "")]
fn greet(name: String) -> String {
    name
}

fn main() {}
