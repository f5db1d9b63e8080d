//! `#[derive(Type)]`: a `portcullis::Type` impl that describes the type's JSON
//! shape exactly as serde's derive produces and accepts it.
//!
//! The impl registers a `TypeDef` under the type's Rust path the first time it
//! is described and returns a reference to it. Generic parameters are described
//! through `__private::TypeParam<I>` placeholders, so one definition serves
//! every instantiation (`Page<T>` in TypeScript, not `Page_string`).

mod attr;

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{Data, DeriveInput, Fields, GenericParam};

use crate::case::RenameRule;
use crate::ctxt::Ctxt;
use attr::{Attrs, PerDirection};

pub(crate) fn expand(input: TokenStream) -> TokenStream {
    let input: DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(err) => return err.to_compile_error(),
    };
    let cx = Ctxt::new();
    let (body, never_bytes) = describe(&cx, &input);
    match cx.check() {
        Ok(()) => implement(&input, body, never_bytes),
        // Still implement the trait, so that each use of the type does not add
        // an error of its own.
        Err(err) => {
            let err = err.to_compile_error();
            let stub = implement(&input, quote!(::portcullis::types::Ty::Null), false);
            quote!(#err #stub)
        }
    }
}

fn implement(input: &DeriveInput, body: TokenStream, never_bytes: bool) -> TokenStream {
    let ident = &input.ident;
    let mut generics = input.generics.clone();
    let params: Vec<syn::Ident> = input
        .generics
        .type_params()
        .map(|p| p.ident.clone())
        .collect();
    {
        let where_clause = generics.make_where_clause();
        for param in &params {
            where_clause
                .predicates
                .push(syn::parse_quote!(#param: ::portcullis::Type));
        }
    }
    let (impl_generics, ty_generics, where_clause) = generics.split_for_impl();
    let maybe_bytes = never_bytes.then(|| {
        quote!(
            const __MAYBE_BYTES: bool = false;
        )
    });
    quote! {
        #[automatically_derived]
        impl #impl_generics ::portcullis::Type for #ident #ty_generics #where_clause {
            fn describe(__g: &mut ::portcullis::types::TypeGraph) -> ::portcullis::types::Ty {
                #body
            }
            #maybe_bytes
        }
    }
}

/// The body of `describe`, and whether the type never travels as raw bytes
/// (see `Type::__MAYBE_BYTES`). A derived type is a named type in the
/// bindings, where bytes are `number[]`; raw `Uint8Array` is for `Bytes`
/// itself. So even a transparent wrapper or an untagged enum around `Bytes`
/// goes out as JSON, as its TypeScript type says. Only a stated TypeScript
/// type (`#[portcullis(type = "...")]`) keeps the default.
fn describe(cx: &Ctxt, input: &DeriveInput) -> (TokenStream, bool) {
    let attrs = Attrs::parse(cx, &input.attrs, "type");
    for param in &input.generics.params {
        if let GenericParam::Const(c) = param {
            cx.error_spanned_by(
                c,
                "#[derive(portcullis::Type)] does not support const generic parameters",
            );
        }
    }
    let never_bytes = attrs.ts_type.is_none();
    let rust_name = unraw(&input.ident);
    let name = attrs
        .rename
        .serialize
        .clone()
        .unwrap_or_else(|| rust_name.clone());
    let cx = &Cx {
        cx,
        params: input
            .generics
            .type_params()
            .map(|p| p.ident.clone())
            .collect(),
    };
    let shape = match &input.data {
        // `#[portcullis(type = "...")]` on the type: a named alias of that text.
        _ if attrs.ts_type.is_some() => {
            let ts = &attrs.ts_type;
            quote!(__d::Shape::Alias { ty: __d::Ty::Custom(#ts) })
        }
        Data::Struct(data) => struct_shape(cx, &attrs, &rust_name, &data.fields),
        Data::Enum(data) => enum_shape(cx, &attrs, data),
        Data::Union(u) => {
            cx.cx.error_spanned_by(
                u.union_token,
                "#[derive(portcullis::Type)] does not support unions (neither does serde)",
            );
            quote!(__d::Shape::Alias { ty: __d::Ty::Null })
        }
    };
    let docs = &attrs.docs;
    let generic_names = cx.params.iter().map(unraw);
    let args = cx
        .params
        .iter()
        .map(|p| quote!(<#p as ::portcullis::Type>::describe(__g)));
    let body = quote! {
        use ::portcullis::__private::derive as __d;
        const __ID: &str = ::core::concat!(::core::module_path!(), "::", #rust_name);
        let __args: ::std::vec::Vec<__d::Ty> = ::std::vec::Vec::from([#(#args),*]);
        __g.named(__ID, __args, |__g| __d::TypeDef {
            name: #name,
            rust_path: __ID,
            docs: #docs,
            generics: &[#(#generic_names),*],
            shape: #shape,
        })
    };
    (body, never_bytes)
}

/// What describing a field needs besides its attributes.
struct Cx<'a> {
    cx: &'a Ctxt,
    /// The type's generic parameters, replaced by placeholders in field types.
    params: Vec<syn::Ident>,
}

impl Cx<'_> {
    /// `Ty` of a field: its `#[portcullis(type)]`, or its type's description.
    fn field_ty(&self, field: &syn::Field, attrs: &Attrs) -> TokenStream {
        if let Some(ts) = &attrs.ts_type {
            return quote!(__d::Ty::Custom(#ts));
        }
        let mut ty = field.ty.clone();
        ReplaceParams(&self.params).visit_type_mut(&mut ty);
        quote_spanned!(field.ty.span()=> <#ty as ::portcullis::Type>::describe(__g))
    }

    /// The fields of a struct or struct variant.
    fn named_fields(
        &self,
        fields: &syn::FieldsNamed,
        rule: &PerDirection<RenameRule>,
        container_default: bool,
    ) -> TokenStream {
        let fields = fields.named.iter().map(|field| {
            let attrs = Attrs::parse(self.cx, &field.attrs, "field");
            let ident = unraw(field.ident.as_ref().expect("named field"));
            let ser = name(&attrs.rename.serialize, rule.serialize, &ident, false);
            let de = name(&attrs.rename.deserialize, rule.deserialize, &ident, false);
            let ty = self.field_ty(field, &attrs);
            // Presence codes of `__private::derive::field`: 0 required,
            // 1 optional, 2 absent.
            let serialize: u8 = if attrs.skip_serializing {
                2
            } else if attrs.skip_serializing_if {
                1
            } else {
                0
            };
            let deserialize: u8 = if attrs.skip_deserializing {
                2
            } else if attrs.default || container_default {
                1
            } else {
                0
            };
            let flatten = attrs.flatten;
            let docs = &attrs.docs;
            quote!(__d::field(#ser, #de, #docs, #ty, #serialize, #deserialize, #flatten))
        });
        quote!(::std::vec::Vec::from([#(#fields),*]))
    }

    /// The element types of a tuple struct or tuple variant (`skip`ped ones
    /// are not in the JSON array).
    fn unnamed_fields(&self, fields: &syn::FieldsUnnamed) -> Vec<TokenStream> {
        let mut out = Vec::new();
        for field in &fields.unnamed {
            let attrs = Attrs::parse(self.cx, &field.attrs, "field");
            if attrs.skip_serializing != attrs.skip_deserializing {
                self.cx.error_spanned_by(
                    field,
                    "#[derive(portcullis::Type)]: a tuple field skipped in one direction only \
                     changes the array's length between directions; use `skip`",
                );
            }
            if !attrs.skip_serializing {
                out.push(self.field_ty(field, &attrs));
            }
        }
        out
    }
}

fn struct_shape(cx: &Cx<'_>, attrs: &Attrs, rust_name: &str, fields: &Fields) -> TokenStream {
    if attrs.transparent {
        // Each field's attributes are read once, so each of their errors is
        // reported once.
        let kept: Vec<(&syn::Field, Attrs)> = fields
            .iter()
            .map(|f| (f, Attrs::parse(cx.cx, &f.attrs, "field")))
            .filter(|(_, a)| !a.skip_serializing)
            .collect();
        let [(field, field_attrs)] = &kept[..] else {
            // serde's derive reports this.
            return quote!(__d::Shape::Alias { ty: __d::Ty::Null });
        };
        let ty = cx.field_ty(field, field_attrs);
        return quote!(__d::Shape::Alias { ty: #ty });
    }
    match fields {
        Fields::Named(named) => {
            let tag = match &attrs.tag {
                Some(key) => {
                    let ser = attrs.rename.serialize.as_deref().unwrap_or(rust_name);
                    let de = attrs.rename.deserialize.as_deref().unwrap_or(rust_name);
                    quote! {
                        ::core::option::Option::Some(__d::Tag {
                            key: #key,
                            value: __d::Names { serialize: #ser, deserialize: #de },
                        })
                    }
                }
                None => quote!(::core::option::Option::None),
            };
            let fields = cx.named_fields(named, &attrs.rename_all, attrs.default);
            quote!(__d::Shape::Struct { tag: #tag, fields: #fields })
        }
        Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
            let field = &unnamed.unnamed[0];
            let ty = cx.field_ty(field, &Attrs::parse(cx.cx, &field.attrs, "field"));
            quote!(__d::Shape::Alias { ty: #ty })
        }
        Fields::Unnamed(unnamed) => {
            let elems = cx.unnamed_fields(unnamed);
            quote!(__d::Shape::Alias { ty: __d::Ty::Tuple(::std::vec::Vec::from([#(#elems),*])) })
        }
        Fields::Unit => quote!(__d::Shape::Alias { ty: __d::Ty::Null }),
    }
}

fn enum_shape(cx: &Cx<'_>, attrs: &Attrs, data: &syn::DataEnum) -> TokenStream {
    let repr = match (&attrs.tag, &attrs.content, attrs.untagged) {
        (_, _, true) => quote!(__d::Repr::Untagged),
        (Some(tag), Some(content), false) => {
            quote!(__d::Repr::Adjacent { tag: #tag, content: #content })
        }
        (Some(tag), None, false) => quote!(__d::Repr::Internal { tag: #tag }),
        (None, _, false) => quote!(__d::Repr::External),
    };
    let variants = data.variants.iter().map(|variant| {
        let vattrs = Attrs::parse(cx.cx, &variant.attrs, "variant");
        let ident = unraw(&variant.ident);
        let ser = name(
            &vattrs.rename.serialize,
            attrs.rename_all.serialize,
            &ident,
            true,
        );
        let de = name(
            &vattrs.rename.deserialize,
            attrs.rename_all.deserialize,
            &ident,
            true,
        );
        let kind = if let Some(ts) = &vattrs.ts_type {
            quote!(__d::VariantKind::Newtype(__d::Ty::Custom(#ts)))
        } else {
            match &variant.fields {
                Fields::Unit => quote!(__d::VariantKind::Unit),
                Fields::Unnamed(unnamed) if unnamed.unnamed.len() == 1 => {
                    let field = &unnamed.unnamed[0];
                    let ty = cx.field_ty(field, &Attrs::parse(cx.cx, &field.attrs, "field"));
                    quote!(__d::VariantKind::Newtype(#ty))
                }
                Fields::Unnamed(unnamed) => {
                    let elems = cx.unnamed_fields(unnamed);
                    quote!(__d::VariantKind::Tuple(::std::vec::Vec::from([#(#elems),*])))
                }
                Fields::Named(named) => {
                    // The variant's own `rename_all` wins over the enum's
                    // `rename_all_fields`.
                    let rule = PerDirection {
                        serialize: vattrs
                            .rename_all
                            .serialize
                            .or(attrs.rename_all_fields.serialize),
                        deserialize: vattrs
                            .rename_all
                            .deserialize
                            .or(attrs.rename_all_fields.deserialize),
                    };
                    let fields = cx.named_fields(named, &rule, false);
                    quote!(__d::VariantKind::Struct(#fields))
                }
            }
        };
        let docs = &vattrs.docs;
        let serialize = !vattrs.skip_serializing;
        let deserialize = !vattrs.skip_deserializing;
        quote!(__d::variant(#ser, #de, #docs, #kind, #serialize, #deserialize))
    });
    quote!(__d::Shape::Enum { repr: #repr, variants: ::std::vec::Vec::from([#(#variants),*]) })
}

/// A field's or variant's JSON name: its `rename`, else the rule applied to
/// its Rust name.
fn name(rename: &Option<String>, rule: Option<RenameRule>, ident: &str, variant: bool) -> String {
    match (rename, rule) {
        (Some(name), _) => name.clone(),
        (None, Some(rule)) if variant => rule.apply_to_variant(ident),
        (None, Some(rule)) => rule.apply_to_field(ident),
        (None, None) => ident.to_owned(),
    }
}

fn unraw(ident: &syn::Ident) -> String {
    let s = ident.to_string();
    s.strip_prefix("r#").map(str::to_owned).unwrap_or(s)
}

/// Replaces the type's own generic parameters with `TypeParam<I>`.
struct ReplaceParams<'a>(&'a [syn::Ident]);

impl VisitMut for ReplaceParams<'_> {
    fn visit_type_mut(&mut self, ty: &mut syn::Type) {
        if let syn::Type::Path(path) = ty
            && path.qself.is_none()
            && let Some(ident) = path.path.get_ident()
            && let Some(index) = self.0.iter().position(|p| p == ident)
        {
            let span = ident.span();
            let index = syn::LitInt::new(&index.to_string(), Span::call_site());
            *ty = syn::parse_quote_spanned!(span=> ::portcullis::__private::TypeParam<#index>);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}
