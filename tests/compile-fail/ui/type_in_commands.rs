struct NotACommand {}

fn main() {
    let _ = portcullis::commands![NotACommand];
}
