#[portcullis::command]
fn pair(due_date: u32, dueDate: u32) -> u32 {
    due_date + dueDate
}

fn main() {}
