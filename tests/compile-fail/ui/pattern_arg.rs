#[portcullis::command]
fn add((a, b): (i32, i32)) -> i32 {
    a + b
}

fn main() {
    let _ = portcullis::commands![add];
}
