#[derive(serde::Serialize)]
struct Point {
    x: i32,
}

#[derive(serde::Serialize, portcullis::Type)]
struct Line {
    from: Point,
    to: Point,
}

fn main() {}
