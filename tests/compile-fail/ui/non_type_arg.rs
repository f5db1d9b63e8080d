/// Deserialize alone is not enough: the bindings need the type's shape.
#[derive(serde::Deserialize)]
struct Point {
    x: i32,
}

#[portcullis::command]
fn norm(point: Point) -> i32 {
    point.x
}

fn main() {
    let _ = portcullis::commands![norm];
}
