//! Procedural macros for [Portcullis](https://docs.rs/portcullis). Use them
//! through the `portcullis` crate, which re-exports them and provides the
//! runtime items the generated code names (`::portcullis::__private`).

mod assets;
mod attr;
mod case;
mod command;
mod commands;
mod ctxt;
mod event;
mod ty;

use proc_macro::TokenStream;

/// Turns a fn into an IPC command. See `portcullis::command`.
#[proc_macro_attribute]
pub fn command(attr: TokenStream, item: TokenStream) -> TokenStream {
    command::expand(attr.into(), item.into()).into()
}

/// Builds a `portcullis::Commands` registry. See `portcullis::commands`.
#[proc_macro]
pub fn commands(input: TokenStream) -> TokenStream {
    commands::expand(input.into()).into()
}

/// Embeds a directory of front-end files. See `portcullis::assets`.
#[proc_macro]
pub fn assets(input: TokenStream) -> TokenStream {
    assets::expand(input.into()).into()
}

/// Builds an isolation application at compile time. See `portcullis::isolation`.
#[proc_macro]
pub fn isolation(input: TokenStream) -> TokenStream {
    assets::expand_isolation(input.into()).into()
}

/// Describes a type's JSON shape for the generated bindings. See `portcullis::Type`.
#[proc_macro_derive(Type, attributes(portcullis, serde))]
pub fn derive_type(input: TokenStream) -> TokenStream {
    ty::expand(input.into()).into()
}

/// Makes a type a typed event (`portcullis::AppEvent`). See `portcullis::Event`.
#[proc_macro_derive(Event, attributes(event))]
pub fn derive_event(input: TokenStream) -> TokenStream {
    event::expand(input.into()).into()
}
