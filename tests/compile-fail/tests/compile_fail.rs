//! Compile-fail and compile-pass cases for the macros (`#[command]`,
//! `commands!`, `#[derive(Type)]`, `events!`, `isolation!`): one file per
//! failure mode, each `.stderr` reviewed. Regenerate with
//! `TRYBUILD=overwrite cargo test -p portcullis-compile-fail`.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("ui/*.rs");
    cases.pass("ui/pass/*.rs");
}
