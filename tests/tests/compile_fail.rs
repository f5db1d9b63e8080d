//! Compile-fail and compile-pass cases for `#[command]` and `commands!`:
//! one file per failure mode, each `.stderr` reviewed. Regenerate with
//! `TRYBUILD=overwrite cargo test -p portcullis-tests --test compile_fail`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    cases.pass("ui/pass/*.rs");
}
