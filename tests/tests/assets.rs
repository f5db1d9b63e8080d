//! `assets!` through the public API: in a debug build (the test profile) it
//! serves the directory it was compiled from, live, with the embedded files
//! as the fallback (runtime/src/assets.rs tests what each source serves).

#[test]
#[cfg(debug_assertions)]
fn a_debug_build_serves_the_compiled_directory_live() {
    let assets = portcullis::assets!("tests/e2e/dist");
    let shown = format!("{assets:?}");
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("e2e/dist")
        .canonicalize()
        .unwrap();
    let files = std::fs::read_dir(&root).unwrap().count();
    assert_eq!(
        shown,
        format!("Assets(live {}, {files} files embedded)", root.display())
    );
}
