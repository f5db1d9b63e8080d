//! `cargo run -p todo` (or `cargo xtask demo`, which also works without a display).

fn main() -> portcullis::Result<()> {
    let todos = todo::Todos::load(todo::data_file())?;
    todo::app(todos).window(todo::main_window()).run()
}
