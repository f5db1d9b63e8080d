//! `#[derive(Event)]`: a type that travels as a typed event. The name is the
//! type's name in kebab-case unless `#[event(name = "...")]` gives one; it is
//! checked against the name rule here, so a bad one is a compile error at the
//! attribute.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{DeriveInput, LitStr};

use crate::attr::doc_comment;
use crate::case::RenameRule;
use crate::ctxt::Ctxt;

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let cx = Ctxt::new();
    if !input.generics.params.is_empty() {
        cx.error_spanned_by(
            &input.generics,
            "an event type cannot be generic: each event has one name and one payload type",
        );
    }
    let ident = &input.ident;
    let mut name = RenameRule::Kebab.apply_to_variant(&ident.to_string());
    for attr in input.attrs.iter().filter(|a| a.path().is_ident("event")) {
        let parsed = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("name") {
                let lit: LitStr = meta.value()?.parse()?;
                if !is_valid_name(&lit.value()) {
                    return Err(meta.error(format!(
                        "{:?} is not a valid event name: use 1 to 128 ASCII letters, digits \
                         and `_ . : -`, starting with a letter or `_`",
                        lit.value()
                    )));
                }
                name = lit.value();
                Ok(())
            } else {
                Err(meta.error("unknown event attribute; expected `name = \"...\"`"))
            }
        });
        if let Err(err) = parsed {
            cx.syn_error(err);
        }
    }
    if !is_valid_name(&name) {
        cx.error_spanned_by(
            ident,
            format!("{name:?} is not a valid event name; give one with #[event(name = \"...\")]"),
        );
    }
    if let Err(err) = cx.check() {
        return err.to_compile_error();
    }
    let docs = doc_comment(&input.attrs);
    quote! {
        impl ::portcullis::AppEvent for #ident {
            const NAME: &'static str = #name;
            const DOCS: &'static str = #docs;
        }
    }
}

/// The runtime's name rule (`portcullis::wire::is_valid_name`), for a compile
/// error at the attribute rather than in const evaluation.
fn is_valid_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 128
        && (bytes[0].is_ascii_alphabetic() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b':' | b'-'))
}
