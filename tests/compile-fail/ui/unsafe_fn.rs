#[portcullis::command]
unsafe fn danger() -> u32 {
    42
}

fn main() {}
