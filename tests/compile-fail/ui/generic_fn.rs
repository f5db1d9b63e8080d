#[portcullis::command]
fn echo<T: serde::Serialize>(value: T) -> T {
    value
}

fn main() {
    let _ = portcullis::commands![echo];
}
