//! Parsing of `#[command(...)]` options. Every key is a constant here so that
//! the code and the error messages name it the same way.

use proc_macro2::TokenStream;
use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr};

use crate::case::{RULE_NAMES, RenameRule};
use crate::ctxt::Ctxt;

const RENAME: &str = "rename";
const RENAME_ALL: &str = "rename_all";
const KNOWN_KEYS: &str = "`rename = \"...\"` or `rename_all = \"...\"`";

/// One option value, remembered with the key's tokens so a duplicate can point
/// at the second occurrence.
struct Attr<T> {
    name: &'static str,
    value: Option<T>,
}

impl<T> Attr<T> {
    fn none(name: &'static str) -> Self {
        Attr { name, value: None }
    }

    fn set(&mut self, cx: &Ctxt, meta: &ParseNestedMeta<'_>, value: T) {
        if self.value.is_some() {
            cx.error_spanned_by(&meta.path, format!("duplicate `{}` option", self.name));
        } else {
            self.value = Some(value);
        }
    }
}

/// The options of one `#[command]`.
pub(crate) struct CommandAttrs {
    /// The IPC name, when it differs from the fn's name.
    pub(crate) rename: Option<String>,
    /// How argument names become JSON keys (camelCase when not given).
    pub(crate) rename_all: RenameRule,
}

impl CommandAttrs {
    pub(crate) fn parse(cx: &Ctxt, args: TokenStream) -> Self {
        let mut rename = Attr::none(RENAME);
        let mut rename_all = Attr::none(RENAME_ALL);
        if !args.is_empty() {
            let parser = syn::meta::parser(|meta| {
                if meta.path.is_ident(RENAME) {
                    let lit: LitStr = meta.value()?.parse()?;
                    let name = lit.value();
                    if name.is_empty() {
                        cx.error_spanned_by(&lit, "a command name cannot be empty");
                    }
                    rename.set(cx, &meta, name);
                } else if meta.path.is_ident(RENAME_ALL) {
                    let lit: LitStr = meta.value()?.parse()?;
                    match RenameRule::from_str(&lit.value()) {
                        Some(rule) => rename_all.set(cx, &meta, rule),
                        None => {
                            let expected: Vec<String> =
                                RULE_NAMES.iter().map(|(n, _)| format!("\"{n}\"")).collect();
                            cx.error_spanned_by(
                                &lit,
                                format!(
                                    "unknown rename rule `{}`; expected one of {}",
                                    lit.value(),
                                    expected.join(", ")
                                ),
                            );
                        }
                    }
                } else {
                    let key = meta
                        .path
                        .get_ident()
                        .map(ToString::to_string)
                        .unwrap_or_default();
                    cx.error_spanned_by(
                        &meta.path,
                        format!("unknown #[command] option `{key}`; expected {KNOWN_KEYS}"),
                    );
                    // Skip a value so that parsing the following options goes on.
                    if meta.input.peek(syn::Token![=]) {
                        let _: syn::Expr = meta.value()?.parse()?;
                    }
                }
                Ok(())
            });
            if let Err(err) = syn::parse::Parser::parse2(parser, args) {
                cx.syn_error(err);
            }
        }
        CommandAttrs {
            rename: rename.value,
            rename_all: rename_all.value.unwrap_or(RenameRule::Camel),
        }
    }
}

/// The doc comment in `attrs`: `///` lines joined, each without the one space
/// after `///`, trimmed. Commands and derived types record it for the bindings.
pub(crate) fn doc_comment(attrs: &[Attribute]) -> String {
    let lines: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect();
    let lines: Vec<&str> = lines
        .iter()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    lines.join("\n").trim().to_owned()
}
