#[derive(Debug)]
struct DbError;

#[portcullis::command]
fn save(title: String) -> Result<u32, DbError> {
    let _ = title;
    Err(DbError)
}

fn main() {}
