struct Report;

#[portcullis::command]
fn report() -> Report {
    Report
}

fn main() {}
