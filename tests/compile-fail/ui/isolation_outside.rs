fn main() {
    let _ = portcullis::isolation!("tests/compile-fail/ui/isolation-apps/outside");
}
