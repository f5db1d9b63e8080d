//! `cargo portcullis dev` (from this directory) runs it against Vite with hot
//! reload; `cargo portcullis build` builds the release app.

fn main() -> portcullis::Result<()> {
    // Here and not in `app()`: the tests add commands of their own to
    // `app()`, and must not write them into the app's bindings.
    workbench::app()
        .export_bindings(workbench::BINDINGS)
        .window(workbench::main_window())
        .run()
}
