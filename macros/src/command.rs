//! `#[command]`: keeps the user's fn exactly as written and adds, next to it, a
//! hidden marker type (same name, type namespace only) that implements
//! `portcullis::__private::Command`. `commands![...]` names that marker.
//!
//! The generated handler decodes every argument in one pass over the JSON args
//! (`__private::decode`), calls the fn and encodes its result. Sync commands get a
//! `fn(&Invoke) -> Response` the runtime runs on a blocking pool; async ones get a
//! `fn(Call) -> BoxFuture` whose `async move` block owns the call, so borrowed
//! extractors (`State<'_, T>`, `&str`) live as long as the future without any rule
//! about return types.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, format_ident, quote, quote_spanned};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;
use syn::{FnArg, GenericParam, ItemFn, Lifetime, Pat, ReturnType, Type};

use crate::attr::{CommandAttrs, doc_comment};
use crate::ctxt::Ctxt;

/// The most arguments a command can have (`__private::ArgTuple` is implemented
/// for tuples up to this size).
const MAX_ARGS: usize = 16;

/// One argument of the command, as the macro sees it.
struct Arg<'a> {
    /// The parameter name, which names the argument in metadata and errors.
    name: String,
    /// The JSON key it is read from (after `rename_all`).
    key: String,
    ty: &'a Type,
}

/// What the fn returns, and where an error about it should point.
enum Output<'a> {
    Unit,
    /// Any `T: Serialize`.
    Value(&'a Type),
    /// A type written as `...Result<T, E>`: `Ok` is the reply, `Err` the command's
    /// error. `ok`/`err` are the tokens that trait errors point at.
    Result {
        ok: TokenStream,
        err: TokenStream,
    },
}

pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let func: ItemFn = match syn::parse2(item.clone()) {
        Ok(func) => func,
        Err(_) => {
            let err = syn::Error::new(
                Span::call_site(),
                "#[portcullis::command] goes on a fn (sync or async)",
            );
            let err = err.to_compile_error();
            return quote!(#err #item);
        }
    };
    let cx = Ctxt::new();
    let attrs = CommandAttrs::parse(&cx, attr);
    let args = check_signature(&cx, &func, &attrs);
    match cx.check() {
        Ok(()) => generate(&func, &attrs, &args),
        Err(err) => fallback(&func, err),
    }
}

/// The user's fn plus the errors, and a stub marker so that `commands![f]`
/// does not add a second, unrelated error.
fn fallback(func: &ItemFn, err: syn::Error) -> TokenStream {
    let err = err.to_compile_error();
    let in_impl = func.sig.receiver().is_some();
    if in_impl {
        return quote!(#err #func);
    }
    let marker = marker(func);
    let ident = &func.sig.ident;
    quote! {
        #err
        #func
        #marker
        const _: () = {
            impl ::portcullis::__private::Command for #ident {
                const ENTRY: ::portcullis::__private::CommandEntry =
                    ::portcullis::__private::CommandEntry::INVALID;
            }
        };
    }
}

fn marker(func: &ItemFn) -> TokenStream {
    let vis = &func.vis;
    let ident = &func.sig.ident;
    quote! {
        #[doc(hidden)]
        #[allow(non_camel_case_types, dead_code, unreachable_pub)]
        #vis struct #ident {}
    }
}

fn check_signature<'a>(cx: &Ctxt, func: &'a ItemFn, attrs: &CommandAttrs) -> Vec<Arg<'a>> {
    let sig = &func.sig;
    if let Some(constness) = &sig.constness {
        cx.error_spanned_by(constness, "a command cannot be a `const fn`");
    }
    if let Some(unsafety) = &sig.unsafety {
        cx.error_spanned_by(
            unsafety,
            "a command cannot be `unsafe`: the front end could call it with any arguments",
        );
    }
    if let Some(abi) = &sig.abi {
        cx.error_spanned_by(abi, "a command cannot be `extern`; remove the ABI");
    }
    if let Some(variadic) = &sig.variadic {
        cx.error_spanned_by(variadic, "a command cannot be variadic");
    }
    for param in &sig.generics.params {
        match param {
            GenericParam::Lifetime(_) => {}
            GenericParam::Type(_) | GenericParam::Const(_) => cx.error_spanned_by(
                param,
                "a command cannot be generic: the front end calls one concrete fn; \
                 write a non-generic wrapper that calls the generic one",
            ),
        }
    }
    if let Some(where_clause) = &sig.generics.where_clause
        && !where_clause.predicates.is_empty()
    {
        cx.error_spanned_by(where_clause, "a command cannot have a `where` clause");
    }

    if let ReturnType::Type(_, ty) = &sig.output
        && let Type::ImplTrait(impl_trait) = &**ty
    {
        cx.error_spanned_by(
            impl_trait,
            "a command cannot return `impl Trait`: the generated bindings describe the \
             concrete type; name it",
        );
    }

    let mut args: Vec<Arg<'a>> = Vec::new();
    for input in &sig.inputs {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                cx.error_spanned_by(
                    receiver,
                    "a command cannot take `self`: make it a free fn and inject what it needs \
                     (e.g. `State<'_, T>` for values given to `.manage(...)`)",
                );
                continue;
            }
            FnArg::Typed(typed) => typed,
        };
        let Pat::Ident(pat) = &*typed.pat else {
            cx.error_spanned_by(
                &typed.pat,
                "command arguments must be plain names (`title: String`): the name is the \
                 JSON key the front end passes; destructure inside the fn body",
            );
            continue;
        };
        if let Some((_, sub)) = &pat.subpat {
            cx.error_spanned_by(sub, "command arguments must be plain names");
            continue;
        }
        if pat.by_ref.is_some() {
            cx.error_spanned_by(pat.by_ref, "command arguments cannot be bound by `ref`");
            continue;
        }
        if let Type::ImplTrait(impl_trait) = &*typed.ty {
            cx.error_spanned_by(
                impl_trait,
                "a command argument cannot be `impl Trait`: name a concrete type that \
                 implements `serde::Deserialize` or `portcullis::CommandArg`",
            );
            continue;
        }
        let name = pat.ident.to_string();
        let name = name.strip_prefix("r#").unwrap_or(&name).to_owned();
        let key = attrs.rename_all.apply_to_field(&name);
        if let Some(previous) = args.iter().find(|a| a.key == key) {
            cx.error_spanned_by(
                &pat.ident,
                format!(
                    "arguments `{}` and `{name}` both read the JSON key \"{key}\"",
                    previous.name
                ),
            );
            continue;
        }
        args.push(Arg {
            name,
            key,
            ty: &typed.ty,
        });
    }
    if let Some(extra) = sig.inputs.iter().nth(MAX_ARGS) {
        cx.error_spanned_by(
            extra,
            format!("a command takes at most {MAX_ARGS} arguments; group some into a struct"),
        );
    }
    args
}

fn output(ret: &ReturnType) -> Output<'_> {
    let ty = match ret {
        ReturnType::Default => return Output::Unit,
        ReturnType::Type(_, ty) => &**ty,
    };
    if let Type::Path(path) = ty
        && let Some(last) = path.path.segments.last()
        && last.ident == "Result"
    {
        let generic: Vec<&syn::GenericArgument> = match &last.arguments {
            syn::PathArguments::AngleBracketed(a) => a.args.iter().collect(),
            _ => Vec::new(),
        };
        // `Result<T, E>` points errors at T and E; an alias such as
        // `io::Result<T>` points the error half at the whole type.
        let ok = generic
            .first()
            .map_or_else(|| ty.to_token_stream(), |t| t.to_token_stream());
        let err = generic
            .get(1)
            .map_or_else(|| ty.to_token_stream(), |t| t.to_token_stream());
        return Output::Result { ok, err };
    }
    if let Type::Tuple(tuple) = ty
        && tuple.elems.is_empty()
    {
        return Output::Unit;
    }
    Output::Value(ty)
}

/// Rewrites every lifetime in a type to one lifetime (`'static` for metadata
/// consts, `'_` inside the handler), so that types naming the fn's own lifetime
/// parameters (`State<'r, T>`) are valid outside the fn.
struct ReplaceLifetimes(&'static str);

impl VisitMut for ReplaceLifetimes {
    fn visit_lifetime_mut(&mut self, lifetime: &mut Lifetime) {
        *lifetime = Lifetime::new(self.0, lifetime.span());
    }
    fn visit_type_reference_mut(&mut self, reference: &mut syn::TypeReference) {
        if reference.lifetime.is_none() {
            reference.lifetime = Some(Lifetime::new(self.0, reference.and_token.span));
        }
        syn::visit_mut::visit_type_reference_mut(self, reference);
    }
}

fn with_lifetimes(ty: &Type, lifetime: &'static str) -> Type {
    let mut ty = ty.clone();
    ReplaceLifetimes(lifetime).visit_type_mut(&mut ty);
    ty
}

fn generate(func: &ItemFn, attrs: &CommandAttrs, args: &[Arg<'_>]) -> TokenStream {
    let p = quote!(::portcullis::__private);
    let ident = &func.sig.ident;
    let fn_name = ident.to_string();
    let fn_name = fn_name.strip_prefix("r#").unwrap_or(&fn_name).to_owned();
    let ipc_name = attrs.rename.clone().unwrap_or_else(|| fn_name.clone());
    let is_async = func.sig.asyncness.is_some();
    let doc = doc_comment(&func.attrs);
    let marker = marker(func);

    let keys = args.iter().map(|a| &a.key);
    let locals: Vec<_> = (0..args.len())
        .map(|i| format_ident!("__arg{}", i, span = Span::mixed_site()))
        .collect();
    let handler_types: Vec<Type> = args.iter().map(|a| with_lifetimes(a.ty, "'_")).collect();
    let arg_infos = args.iter().map(|a| {
        let name = &a.name;
        let key = &a.key;
        let static_ty = with_lifetimes(a.ty, "'static");
        let rust_type = a.ty.to_token_stream().to_string();
        // This is also the check, spanned at the type, that the type can be an
        // argument at all; the handler's own use is spanned at the argument list.
        let injected = quote_spanned!(a.ty.span()=>
            !<#static_ty as ::portcullis::CommandArg<'static>>::__FROM_ARGS
        );
        quote! {
            #p::ArgInfo {
                name: #name,
                key: #key,
                injected: #injected,
                rust_type: #rust_type,
                ty: <#static_ty as ::portcullis::CommandArg<'static>>::__describe,
            }
        }
    });
    let invoke = quote!(__invoke);
    let output = output(&func.sig.output);
    let result_type = match &func.sig.output {
        ReturnType::Default => "()".to_owned(),
        ReturnType::Type(_, ty) => ty.to_token_stream().to_string(),
    };
    // The type the reply encodes (`'static` in place of elided lifetimes) and
    // the span its errors point at. Describing it is also the check that it
    // implements `Type`; its `__MAYBE_BYTES` and `__BYTES`, read with the
    // same span, then add no second error.
    let (ok_type, ok_span, err_ty) = match &output {
        Output::Unit => (
            quote!(()),
            Span::call_site(),
            quote!(::core::option::Option::None),
        ),
        Output::Value(ty) => {
            let span = ty.span();
            let ty = with_lifetimes(ty, "'static");
            (quote!(#ty), span, quote!(::core::option::Option::None))
        }
        Output::Result { ok, err } => {
            let ReturnType::Type(_, ret) = &func.sig.output else {
                unreachable!("a Result output has a type")
            };
            let ret = with_lifetimes(ret, "'static");
            (
                quote!(<#ret as ::portcullis::__private::ResultParts>::Ok),
                ok.span(),
                quote_spanned!(err.span()=>
                    ::core::option::Option::Some(
                        <<#ret as ::portcullis::__private::ResultParts>::Err as ::portcullis::Type>::describe
                    )
                ),
            )
        }
    };
    let ok_ty = quote_spanned!(ok_span=> <#ok_type as ::portcullis::Type>::describe);
    // Encoding the reply carries the span of the type too, so a type that is
    // not `Serialize` is reported there.
    let encode_ok = |value: TokenStream| {
        quote_spanned!(ok_span=>
            ::portcullis::__private::ok::<
                { <#ok_type as ::portcullis::Type>::__MAYBE_BYTES },
                { <#ok_type as ::portcullis::Type>::__BYTES },
                _,
            >(&#invoke, &#value)
        )
    };
    let call = if is_async {
        quote!(#ident(#(#locals),*).await)
    } else {
        quote!(#ident(#(#locals),*))
    };
    let reply = match &output {
        Output::Unit => {
            let ok = encode_ok(quote!(()));
            quote! { #call; #ok }
        }
        Output::Value(_) => {
            let ok = encode_ok(quote!(__ret));
            quote! { let __ret = #call; #ok }
        }
        Output::Result { err, .. } => {
            let ok = encode_ok(quote!(__ok));
            // Likewise, the error's encoding carries the span of E.
            let err = quote_spanned!(err.span()=> ::portcullis::__private::err(&#invoke, &__err));
            quote! {
                match #call {
                    ::core::result::Result::Ok(__ok) => #ok,
                    ::core::result::Result::Err(__err) => #err,
                }
            }
        }
    };
    let decode_call = quote_spanned!(func.sig.paren_token.span.join()=>
        ::portcullis::__private::decode(&#invoke, __KEYS)
    );
    let decode = quote! {
        let (#(#locals,)*): (#(#handler_types,)*) = #decode_call?;
    };
    let (handler_kind, handler_fn) = if is_async {
        (
            quote!(Async),
            quote! {
                fn __handler(__call: #p::Call) -> #p::BoxFuture<#p::Response> {
                    ::std::boxed::Box::pin(async move {
                        let __call = __call;
                        let #invoke = __call.invoke();
                        #decode
                        #reply
                    })
                }
            },
        )
    } else {
        (
            quote!(Sync),
            quote! {
                fn __handler(#invoke: &::portcullis::Invoke<'_>) -> #p::Response {
                    let #invoke = *#invoke;
                    #decode
                    #reply
                }
            },
        )
    };

    quote! {
        #func
        #marker
        const _: () = {
            const __KEYS: &[&str] = &[#(#keys),*];
            const _: () = #p::assert_command_name(#ipc_name);
            #[allow(clippy::unused_unit, clippy::let_unit_value, unused_parens)]
            #handler_fn
            impl #p::Command for #ident {
                const ENTRY: #p::CommandEntry = #p::CommandEntry {
                    info: &#p::CommandInfo {
                        name: #ipc_name,
                        rust_path: ::core::concat!(::core::module_path!(), "::", #fn_name),
                        args: &[#(#arg_infos),*],
                        is_async: #is_async,
                        docs: #doc,
                        result_type: #result_type,
                        ok: #ok_ty,
                        err: #err_ty,
                    },
                    handler: #p::Handler::#handler_kind(__handler),
                };
            }
        };
    }
}
