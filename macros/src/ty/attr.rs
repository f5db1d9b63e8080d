//! The `#[serde(...)]` and `#[portcullis(...)]` attributes `#[derive(Type)]`
//! reads, on the type, its variants and its fields.
//!
//! Serde's attributes are read, never validated: serde's own derive reports
//! misuse. What matters here is that every attribute that changes the JSON
//! shape is either understood or refused: the keys in [`UNSUPPORTED`] make the
//! JSON depend on code the derive cannot see, so they are errors unless the
//! item states its TypeScript type with `#[portcullis(type = "...")]`.

use syn::meta::ParseNestedMeta;
use syn::{Attribute, LitStr, Token};

use crate::attr::doc_comment;
use crate::case::{RULE_NAMES, RenameRule};
use crate::ctxt::Ctxt;

/// Serde keys whose JSON shape depends on user code.
const UNSUPPORTED: &[&str] = &[
    "with",
    "serialize_with",
    "deserialize_with",
    "into",
    "from",
    "try_from",
    "remote",
    "getter",
    "field_identifier",
    "variant_identifier",
];

/// A value given once for both directions or per direction
/// (`rename(serialize = "a", deserialize = "b")`).
#[derive(Clone)]
pub(crate) struct PerDirection<T> {
    pub(crate) serialize: Option<T>,
    pub(crate) deserialize: Option<T>,
}

impl<T> Default for PerDirection<T> {
    fn default() -> Self {
        PerDirection {
            serialize: None,
            deserialize: None,
        }
    }
}

/// Everything the derive reads from one item's attributes.
#[derive(Default)]
pub(crate) struct Attrs {
    pub(crate) rename: PerDirection<String>,
    pub(crate) rename_all: PerDirection<RenameRule>,
    pub(crate) rename_all_fields: PerDirection<RenameRule>,
    pub(crate) tag: Option<String>,
    pub(crate) content: Option<String>,
    pub(crate) untagged: bool,
    pub(crate) transparent: bool,
    pub(crate) flatten: bool,
    pub(crate) default: bool,
    pub(crate) skip_serializing: bool,
    pub(crate) skip_deserializing: bool,
    pub(crate) skip_serializing_if: bool,
    /// `#[portcullis(type = "...")]`.
    pub(crate) ts_type: Option<LitStr>,
    /// The doc comment.
    pub(crate) docs: String,
}

impl Attrs {
    /// Reads `attrs`. `level` ("type", "variant", "field") is for messages.
    pub(crate) fn parse(cx: &Ctxt, attrs: &[Attribute], level: &str) -> Attrs {
        let mut out = Attrs::default();
        let mut unsupported: Vec<(syn::Path, String)> = Vec::new();
        for attr in attrs {
            if attr.path().is_ident("serde") {
                let result =
                    attr.parse_nested_meta(|meta| out.serde_key(&meta, level, &mut unsupported));
                if let Err(err) = result {
                    cx.syn_error(err);
                }
            } else if attr.path().is_ident("portcullis") {
                let result = attr.parse_nested_meta(|meta| {
                    if meta.path.is_ident("type") {
                        let lit: LitStr = meta.value()?.parse()?;
                        if lit.value().trim().is_empty() {
                            cx.error_spanned_by(&lit, "the TypeScript type cannot be empty");
                        }
                        out.ts_type = Some(lit);
                        Ok(())
                    } else {
                        Err(meta.error("unknown #[portcullis] option; expected `type = \"...\"`"))
                    }
                });
                if let Err(err) = result {
                    cx.syn_error(err);
                }
            }
        }
        if out.ts_type.is_none() {
            for (path, key) in unsupported {
                if key == "untagged" {
                    cx.error_spanned_by(
                        path,
                        "#[derive(portcullis::Type)] does not support `#[serde(untagged)]` on a \
                         single variant; put it on the enum, or state the variant's TypeScript \
                         type with #[portcullis(type = \"...\")]",
                    );
                    continue;
                }
                cx.error_spanned_by(
                    path,
                    format!(
                        "#[derive(portcullis::Type)] cannot know the JSON shape of `#[serde({key} ...)]`: \
                         it depends on code the derive cannot see; state the TypeScript type of this \
                         {level} with #[portcullis(type = \"...\")]"
                    ),
                );
            }
        }
        out.docs = doc_comment(attrs);
        out
    }

    fn serde_key(
        &mut self,
        meta: &ParseNestedMeta<'_>,
        level: &str,
        unsupported: &mut Vec<(syn::Path, String)>,
    ) -> syn::Result<()> {
        let key = meta
            .path
            .get_ident()
            .map(ToString::to_string)
            .unwrap_or_default();
        match key.as_str() {
            "rename" => self.rename = per_direction(meta, |lit| Ok(lit.value()))?,
            "rename_all" => self.rename_all = per_direction(meta, rule)?,
            "rename_all_fields" => {
                self.rename_all_fields = per_direction(meta, rule)?;
            }
            "tag" => self.tag = Some(meta.value()?.parse::<LitStr>()?.value()),
            "content" => self.content = Some(meta.value()?.parse::<LitStr>()?.value()),
            "untagged" if level == "variant" => unsupported.push((meta.path.clone(), key)),
            "untagged" => self.untagged = true,
            "transparent" => self.transparent = true,
            "flatten" => self.flatten = true,
            "skip" => {
                self.skip_serializing = true;
                self.skip_deserializing = true;
            }
            "skip_serializing" => self.skip_serializing = true,
            "skip_deserializing" => self.skip_deserializing = true,
            "skip_serializing_if" => {
                self.skip_serializing_if = true;
                skip_value(meta)?;
            }
            "default" => {
                self.default = true;
                skip_value(meta)?;
            }
            _ if UNSUPPORTED.contains(&key.as_str()) => {
                unsupported.push((meta.path.clone(), key));
                skip_value(meta)?;
            }
            // Keys that do not change the JSON shape (`bound`, `borrow`,
            // `crate`, `expecting`, `deny_unknown_fields`, `other`) or only widen
            // what is accepted (`alias`), and unknown ones, which serde's own
            // derive reports.
            _ => skip_value(meta)?,
        }
        Ok(())
    }
}

/// `key = "x"` or `key(serialize = "x", deserialize = "y")`.
fn per_direction<T: Clone>(
    meta: &ParseNestedMeta<'_>,
    mut parse: impl FnMut(&LitStr) -> syn::Result<T>,
) -> syn::Result<PerDirection<T>> {
    let mut out = PerDirection::default();
    if meta.input.peek(Token![=]) {
        let lit: LitStr = meta.value()?.parse()?;
        let value = parse(&lit)?;
        out.serialize = Some(value.clone());
        out.deserialize = Some(value);
    } else {
        meta.parse_nested_meta(|inner| {
            let lit: LitStr = inner.value()?.parse()?;
            if inner.path.is_ident("serialize") {
                out.serialize = Some(parse(&lit)?);
            } else if inner.path.is_ident("deserialize") {
                out.deserialize = Some(parse(&lit)?);
            }
            Ok(())
        })?;
    }
    Ok(out)
}

fn rule(lit: &LitStr) -> syn::Result<RenameRule> {
    RenameRule::from_str(&lit.value()).ok_or_else(|| {
        let expected: Vec<String> = RULE_NAMES.iter().map(|(n, _)| format!("\"{n}\"")).collect();
        syn::Error::new_spanned(
            lit,
            format!(
                "unknown rename rule `{}`; expected one of {}",
                lit.value(),
                expected.join(", ")
            ),
        )
    })
}

/// Consumes whatever value a key has: `= expr`, `(...)`, or nothing.
fn skip_value(meta: &ParseNestedMeta<'_>) -> syn::Result<()> {
    if meta.input.peek(Token![=]) {
        let _: syn::Expr = meta.value()?.parse()?;
    } else if meta.input.peek(syn::token::Paren) {
        meta.parse_nested_meta(|inner| skip_value(&inner))?;
    }
    Ok(())
}
