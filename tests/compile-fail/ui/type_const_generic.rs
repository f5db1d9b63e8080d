#[derive(serde::Serialize, portcullis::Type)]
struct Grid<const N: usize> {
    cells: Vec<u8>,
}

fn main() {}
