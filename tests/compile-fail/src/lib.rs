//! Nothing here: the cases are in `ui/`, run by `tests/compile_fail.rs`.
