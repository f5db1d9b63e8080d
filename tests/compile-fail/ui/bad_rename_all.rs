#[portcullis::command(rename_all = "camel")]
fn greet(first_name: String) -> String {
    first_name
}

fn main() {}
