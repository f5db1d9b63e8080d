#[portcullis::command]
fn hello() -> String
where
    String: Clone,
{
    "hi".into()
}

fn main() {}
