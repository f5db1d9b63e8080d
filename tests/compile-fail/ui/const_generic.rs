#[portcullis::command]
fn repeat<const N: usize>(word: String) -> String {
    word.repeat(N)
}

fn main() {}
