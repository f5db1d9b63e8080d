#[portcullis::command]
fn show(value: impl serde::Serialize) -> String {
    let _ = value;
    String::new()
}

fn main() {}
