struct Todos;

impl Todos {
    #[portcullis::command]
    fn count(&self) -> usize {
        0
    }
}

fn main() {}
