// A command name must be usable on the wire: ASCII letters, digits, `_ . : -`.
use portcullis::command;

#[command(rename = "rm -rf")]
fn nuke() {}

fn main() {}
