#[portcullis::command(rename = "greet")]
fn hello() -> &'static str {
    "hello"
}

#[portcullis::command]
fn greet() -> &'static str {
    "hi"
}

fn main() {
    let _ = portcullis::commands![hello, greet];
}
