//! An isolation app embedded at compile time: scripts inlined.
fn main() {
    let isolation = portcullis::isolation!("tests/compile-fail/ui/isolation-apps/good");
    let html = isolation.html();
    assert!(html.contains("<script>window.__PORTCULLIS_ISOLATION_HOOK__"), "{html}");
    assert!(!html.contains("src="), "{html}");
}
