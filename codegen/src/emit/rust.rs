//! The plan's Rust names and types as tokens: the one place plan data becomes syntax.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use crate::naming;
use crate::plan::{Module, PayloadKind, RustType, Symbol};
use crate::traits::TimestampFormat;

/// `::smithy_runtime::TimestampFormat::<format>`.
pub fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(::smithy_runtime::TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(::smithy_runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_runtime::TimestampFormat::HttpDate),
    }
}

/// A string literal of `text`. Plain text (printable ASCII without `"` or `\\`) is read
/// as it is written: `Literal::string`, which `quote` uses for a `#text`, escapes it
/// character by character through a formatter, at about twice the cost (callgrind).
pub fn string_literal(text: &str) -> proc_macro2::Literal {
    let plain = text
        .bytes()
        .all(|b| (b' '..=b'~').contains(&b) && b != b'"' && b != b'\\');
    if plain {
        if let Ok(literal) = format!("\"{text}\"").parse() {
            return literal;
        }
    }
    proc_macro2::Literal::string(text)
}

/// An identifier; Rust keywords (with or without `r#` already) become raw identifiers.
pub fn ident(name: &str) -> proc_macro2::Ident {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    if name.starts_with("r#") || naming::is_keyword(bare) {
        proc_macro2::Ident::new_raw(bare, proc_macro2::Span::call_site())
    } else {
        format_ident!("{}", name)
    }
}

/// `::smithy_runtime::protocol::PayloadKind::<kind>`: the runtime's variants have the plan's
/// names.
impl ToTokens for PayloadKind {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let variant = format_ident!("{self:?}");
        tokens.extend(quote!(::smithy_runtime::protocol::PayloadKind::#variant));
    }
}

impl ToTokens for Module {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Module::Types => quote!(crate::types),
            Module::Errors => quote!(crate::types::error),
            Module::Operation(name) => {
                let name = ident(name);
                quote!(crate::operation::#name)
            }
            Module::Builders(module) => quote!(#module::builders),
        });
    }
}

impl ToTokens for Symbol {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        let module = &self.module;
        let name = ident(&self.name);
        tokens.extend(quote!(#module::#name));
    }
}

impl ToTokens for RustType {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            RustType::Bool => quote!(bool),
            RustType::I8 => quote!(i8),
            RustType::I16 => quote!(i16),
            RustType::I32 => quote!(i32),
            RustType::I64 => quote!(i64),
            RustType::F32 => quote!(f32),
            RustType::F64 => quote!(f64),
            RustType::String => quote!(String),
            RustType::Runtime(name) => {
                let name = format_ident!("{}", name);
                quote!(::smithy_runtime::#name)
            }
            RustType::Vec(inner) => quote!(Vec<#inner>),
            RustType::HashMap(key, value) => quote!(::std::collections::HashMap<#key, #value>),
            RustType::Option(inner) => quote!(Option<#inner>),
            RustType::Box(inner) => quote!(Box<#inner>),
            RustType::Named(symbol) => quote!(#symbol),
        });
    }
}

/// The opt-in `serde` feature of a generated crate: serde's traits derived on a public
/// type, for users who store or log values (the wire does not use them).
pub fn serde_derives() -> TokenStream {
    quote! {
        #[cfg_attr(feature = "serde", derive(::smithy_runtime::serde::Serialize, ::smithy_runtime::serde::Deserialize), serde(crate = "::smithy_runtime::serde"))]
    }
}
