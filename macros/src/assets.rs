//! `assets!("dir")`: embeds every file under a directory, at compile time,
//! with `include_bytes!` (so cargo rebuilds when a file changes).
//!
//! The path is relative to the crate being compiled (`CARGO_MANIFEST_DIR`).
//! If it does not exist there, the crate's ancestor directories are tried in
//! turn, so a workspace-relative path such as `"examples/todo/dist"` works from
//! a member crate too.
//!
//! Stable Rust cannot track a directory, so a file added after the build is
//! not embedded until the crate recompiles. A debug build therefore serves
//! the directory it was compiled from, live, while it exists (the embedded
//! copy otherwise): `vite build` after `cargo build` is seen without a
//! rebuild. For the same reason a debug build compiles when the directory
//! does not exist yet (it is served from next to the crate once it does). A
//! release build of a missing or empty directory is a compile error, since it
//! would serve nothing (the blank-window trap of building the core before
//! the front end).

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use quote::quote;
use syn::LitStr;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    match expand_inner(input) {
        Ok(tokens) => tokens,
        Err(err) => err.to_compile_error(),
    }
}

fn expand_inner(input: TokenStream) -> syn::Result<TokenStream> {
    let lit: LitStr = syn::parse2(input)?;
    let root = match resolve(&lit) {
        Ok(root) => root,
        // A front end not built yet: a debug build serves the directory
        // once it appears; a release build cannot.
        Err(err) if !Path::new(&lit.value()).is_absolute() => {
            let message = err.to_string();
            // Where it will appear: next to its parent directory, if that
            // exists (a workspace-relative path), else in the crate.
            let relative = PathBuf::from(lit.value());
            let root = manifest_dir()
                .ancestors()
                .map(|dir| dir.join(&relative))
                .find(|candidate| candidate.parent().is_some_and(Path::is_dir))
                .unwrap_or_else(|| manifest_dir().join(&relative));
            let root = root.to_string_lossy();
            return Ok(quote! {{
                #[cfg(not(debug_assertions))]
                ::core::compile_error!(#message);
                ::portcullis::Assets::__live(#root, &[])
            }});
        }
        Err(err) => return Err(err),
    };
    let mut files = Vec::new();
    collect(&root, &root, &mut files).map_err(|err| {
        syn::Error::new(lit.span(), format!("cannot read {}: {err}", root.display()))
    })?;
    files.sort();
    let entries = files.iter().map(|(rel, abs)| {
        let abs = abs.to_string_lossy();
        quote!((#rel, ::core::include_bytes!(#abs)))
    });
    let root_str = root
        .canonicalize()
        .unwrap_or_else(|_| root.clone())
        .to_string_lossy()
        .into_owned();
    let empty = files.is_empty().then(|| {
        let message = format!(
            "assets!: `{}` has no files; build the front end first (e.g. `npm run build`), \
             or use a debug build, which serves the directory live",
            root.display()
        );
        quote!(#[cfg(not(debug_assertions))] ::core::compile_error!(#message);)
    });
    Ok(quote! {{
        #empty
        const FILES: &[(&str, &[u8])] = &[#(#entries),*];
        if ::core::cfg!(debug_assertions) {
            ::portcullis::Assets::__live(#root_str, FILES)
        } else {
            ::portcullis::Assets::__embedded(FILES)
        }
    }})
}

fn manifest_dir() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_default()
}

/// Finds the directory relative to the crate, or to one of its ancestors.
pub(crate) fn resolve(lit: &LitStr) -> syn::Result<PathBuf> {
    let manifest_dir = manifest_dir();
    let relative = PathBuf::from(lit.value());
    if relative.is_absolute() {
        return Err(syn::Error::new(
            lit.span(),
            "use a path relative to the crate (or workspace), not an absolute path",
        ));
    }
    manifest_dir
        .ancestors()
        .map(|dir| dir.join(&relative))
        .find(|candidate| candidate.is_dir())
        .ok_or_else(|| {
            syn::Error::new(
                lit.span(),
                format!(
                    "no directory `{}` in {} or any directory above it",
                    relative.display(),
                    manifest_dir.display()
                ),
            )
        })
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<(String, PathBuf)>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let relative = path
                .strip_prefix(root)
                .expect("walked from root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy())
                .collect::<Vec<_>>()
                .join("/");
            out.push((relative, path.canonicalize()?));
        }
    }
    Ok(())
}

/// `isolation!("dir")`: the isolation app, built (scripts inlined, checked) at
/// compile time. Every file it was built from is tracked with `include_bytes!`.
pub(crate) fn expand_isolation(input: TokenStream) -> TokenStream {
    let result = (|| {
        let lit: LitStr = syn::parse2(input)?;
        let dir = resolve(&lit)?;
        let (html, files) = portcullis_inline::build(&dir)
            .map_err(|err| syn::Error::new(lit.span(), format!("isolation app: {err}")))?;
        let tracked = files.iter().map(|f| {
            let path = f.to_string_lossy();
            quote!(
                const _: &[u8] = ::core::include_bytes!(#path);
            )
        });
        Ok::<_, syn::Error>(quote! {{
            #(#tracked)*
            ::portcullis::Isolation::__embedded(#html)
        }})
    })();
    result.unwrap_or_else(|err| err.to_compile_error())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_directory_is_a_compile_error_in_release_builds_only() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target-empty-assets-test");
        std::fs::create_dir_all(&dir).unwrap();
        let empty = expand(quote!("target-empty-assets-test")).to_string();
        std::fs::write(dir.join("index.html"), "x").unwrap();
        let full = expand(quote!("target-empty-assets-test")).to_string();
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(empty.contains("cfg (not (debug_assertions))"), "{empty}");
        assert!(empty.contains("compile_error ! (\"assets!: `"), "{empty}");
        assert!(!full.contains("compile_error"), "{full}");
        assert!(full.contains("__live"), "{full}");
        assert!(full.contains("include_bytes"), "{full}");
    }

    #[test]
    fn a_missing_directory_is_served_live_in_debug_builds_and_refused_in_release() {
        let missing = expand(quote!("no-such-front-end/dist")).to_string();
        assert!(
            missing.contains("cfg (not (debug_assertions))"),
            "{missing}"
        );
        assert!(
            missing.contains("no directory `no-such-front-end/dist`"),
            "{missing}"
        );
        assert!(missing.contains("__live"), "{missing}");
        assert!(
            missing.contains("no-such-front-end/dist\" , & [])"),
            "{missing}"
        );
        let absolute = expand(quote!("/no/such/dir")).to_string();
        assert!(absolute.contains("not an absolute path"), "{absolute}");
        assert!(!absolute.contains("__live"), "{absolute}");
    }
}
