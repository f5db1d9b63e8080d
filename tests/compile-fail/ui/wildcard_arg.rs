#[portcullis::command]
fn ignore(_: String) {}

fn main() {}
