//! The plan's Rust names and types as tokens: the one place plan data becomes syntax.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use crate::naming;
use crate::plan::{Adapter, Module, RustType, Symbol};
use crate::traits::TimestampFormat;

/// `::smithy_runtime::TimestampFormat::<format>`.
pub fn timestamp_format(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(::smithy_runtime::TimestampFormat::EpochSeconds),
        TimestampFormat::DateTime => quote!(::smithy_runtime::TimestampFormat::DateTime),
        TimestampFormat::HttpDate => quote!(::smithy_runtime::TimestampFormat::HttpDate),
    }
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
            RustType::String => quote!(::std::string::String),
            RustType::Runtime(name) => {
                let name = format_ident!("{}", name);
                quote!(::smithy_runtime::#name)
            }
            RustType::Vec(inner) => quote!(::std::vec::Vec<#inner>),
            RustType::HashMap(key, value) => quote!(::std::collections::HashMap<#key, #value>),
            RustType::Option(inner) => quote!(::std::option::Option<#inner>),
            RustType::Box(inner) => quote!(::std::boxed::Box<#inner>),
            RustType::Named(symbol) => quote!(#symbol),
        });
    }
}

impl ToTokens for Adapter {
    fn to_tokens(&self, tokens: &mut TokenStream) {
        tokens.extend(match self {
            Adapter::Same => quote!(::smithy_runtime::serde_as::Same),
            Adapter::EpochSeconds => quote!(::smithy_runtime::serde_as::EpochSeconds),
            Adapter::DateTime => quote!(::smithy_runtime::serde_as::DateTimeFormat),
            Adapter::HttpDate => quote!(::smithy_runtime::serde_as::HttpDate),
            Adapter::Float => quote!(::smithy_runtime::serde_as::Float),
            Adapter::DenseVec(inner) => quote!(::smithy_runtime::serde_as::DenseVec<#inner>),
            Adapter::SparseVec(inner) => quote!(::std::vec::Vec<::std::option::Option<#inner>>),
            Adapter::DenseMap(key, inner) => {
                quote!(::smithy_runtime::serde_as::DenseMap<#key, #inner>)
            }
            Adapter::SparseMap(key, inner) => {
                quote!(::std::collections::HashMap<#key, ::std::option::Option<#inner>>)
            }
        });
    }
}

/// A type as the text of a path inside a serde attribute's string (`with = "..."`),
/// written directly rather than by printing tokens.
pub trait PathText {
    fn path_text(&self, out: &mut String);
}

impl PathText for RustType {
    fn path_text(&self, out: &mut String) {
        let mut generic = |name: &str, args: &[&RustType]| {
            out.push_str(name);
            out.push('<');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                arg.path_text(out);
            }
            out.push('>');
        };
        match self {
            RustType::Vec(inner) => generic("::std::vec::Vec", &[inner]),
            RustType::HashMap(key, value) => generic("::std::collections::HashMap", &[key, value]),
            RustType::Option(inner) => generic("::std::option::Option", &[inner]),
            RustType::Box(inner) => generic("::std::boxed::Box", &[inner]),
            RustType::String => out.push_str("::std::string::String"),
            RustType::Runtime(name) => {
                out.push_str("::smithy_runtime::");
                out.push_str(name);
            }
            RustType::Named(symbol) => out.push_str(&symbol.to_string()),
            other => out.push_str(&other.to_string()),
        }
    }
}

impl PathText for Adapter {
    fn path_text(&self, out: &mut String) {
        const AS: &str = "::smithy_runtime::serde_as::";
        match self {
            Adapter::Same => out.extend([AS, "Same"]),
            Adapter::EpochSeconds => out.extend([AS, "EpochSeconds"]),
            Adapter::DateTime => out.extend([AS, "DateTimeFormat"]),
            Adapter::HttpDate => out.extend([AS, "HttpDate"]),
            Adapter::Float => out.extend([AS, "Float"]),
            Adapter::DenseVec(inner) => {
                out.extend([AS, "DenseVec<"]);
                inner.path_text(out);
                out.push('>');
            }
            Adapter::SparseVec(inner) => {
                out.push_str("::std::vec::Vec<::std::option::Option<");
                inner.path_text(out);
                out.push_str(">>");
            }
            Adapter::DenseMap(key, inner) => {
                out.extend([AS, "DenseMap<"]);
                key.path_text(out);
                out.push(',');
                inner.path_text(out);
                out.push('>');
            }
            Adapter::SparseMap(key, inner) => {
                out.push_str("::std::collections::HashMap<");
                key.path_text(out);
                out.push_str(",::std::option::Option<");
                inner.path_text(out);
                out.push_str(">>");
            }
        }
    }
}

/// `::smithy_runtime::serde_as::As::<ADAPTER>` as text, `wrap` around the adapter
/// (`Option<...>`, `DefaultOnNull<...>`) when given.
pub fn as_path(adapter: &Adapter, wrap: Option<&str>) -> String {
    let mut out = String::from("::smithy_runtime::serde_as::As::<");
    if let Some(wrap) = wrap {
        out.push_str(wrap);
        out.push('<');
    }
    adapter.path_text(&mut out);
    if wrap.is_some() {
        out.push('>');
    }
    out.push('>');
    out
}
