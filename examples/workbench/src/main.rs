//! `cargo portcullis dev` (from this directory) runs it against Vite with hot
//! reload; `cargo portcullis build` builds the release app.

fn main() -> portcullis::Result<()> {
    workbench::app().window(workbench::main_window()).run()
}
