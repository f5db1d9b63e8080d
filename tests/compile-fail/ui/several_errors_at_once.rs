#[portcullis::command(rename_all = "Title Case", colour = "red")]
unsafe fn broken((a, b): (u8, u8), c: impl Clone) -> u8 {
    let _ = c;
    a + b
}

fn main() {}
