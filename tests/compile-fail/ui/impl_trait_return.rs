#[portcullis::command]
fn numbers() -> impl serde::Serialize {
    [1, 2, 3]
}

fn main() {
    let _ = portcullis::commands![numbers];
}
