#[portcullis::command(renam = "hello")]
fn greet(name: String) -> String {
    name
}

fn main() {
    let _ = portcullis::commands![greet];
}
