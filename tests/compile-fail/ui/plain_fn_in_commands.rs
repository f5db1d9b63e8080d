#[portcullis::command]
fn greet() -> &'static str {
    "hi"
}

fn helper() -> u32 {
    1
}

fn main() {
    let _ = portcullis::commands![greet, helper];
}
