fn main() {
    let _ = portcullis::isolation!("tests/ui/isolation-apps/does-not-exist");
}
