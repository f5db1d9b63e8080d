#[portcullis::command]
extern "C" fn ffi() -> u32 {
    42
}

fn main() {}
