//! `commands![a, b, module::c]`: a `portcullis::Commands` registry built from
//! `#[command]` fns. The same path twice is a compile error at the second one;
//! two different fns with the same IPC name are caught in const evaluation.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::parse::Parser;
use syn::punctuated::Punctuated;
use syn::{Path, Token};

use crate::ctxt::Ctxt;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let paths = match Punctuated::<Path, Token![,]>::parse_terminated.parse2(input) {
        Ok(paths) => paths,
        Err(err) => return err.to_compile_error(),
    };
    let cx = Ctxt::new();
    let mut seen: Vec<String> = Vec::new();
    for path in &paths {
        let text = path.to_token_stream().to_string();
        if seen.contains(&text) {
            cx.error_spanned_by(path, format!("`{text}` is listed twice in commands![...]"));
        }
        seen.push(text);
    }
    if let Err(err) = cx.check() {
        return err.to_compile_error();
    }
    let p = quote!(::portcullis::__private);
    let entries = paths
        .iter()
        .map(|path| quote!(<#path as #p::Command>::ENTRY));
    quote! {{
        const __ENTRIES: &[#p::CommandEntry] = &[#(#entries),*];
        const _: () = #p::assert_unique_names(__ENTRIES);
        ::portcullis::Commands::__from_entries(__ENTRIES)
    }}
}
