#[portcullis::command]
fn greet() -> &'static str {
    "hi"
}

fn main() {
    let _ = portcullis::commands![greet, greet];
}
