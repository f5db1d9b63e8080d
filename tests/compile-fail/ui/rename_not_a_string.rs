#[portcullis::command(rename = hello)]
fn greet(name: String) -> String {
    name
}

fn main() {}
