//! `cargo run -p todo` (or `cargo xtask demo`, which also works without a display).

fn main() -> portcullis::Result<()> {
    // Warnings and errors by default; `PORTCULLIS_LOG=debug` (or info, trace)
    // shows every page served and every call admitted and answered.
    let level = std::env::var("PORTCULLIS_LOG")
        .ok()
        .and_then(|level| level.parse().ok())
        .unwrap_or(tracing_subscriber::filter::LevelFilter::WARN);
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(level)
        .init();
    let todos = todo::Todos::load(todo::data_file())?;
    todo::app(todos).window(todo::main_window()).run()
}
