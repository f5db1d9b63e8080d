#[portcullis::command]
struct Greeting;

fn main() {}
