#[portcullis::command]
fn read(path: String) -> std::io::Result<String> {
    std::fs::read_to_string(path)
}

fn main() {}
