//! Rust expressions for Smithy `default` values.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use super::rust::ident;
use crate::plan::{DefaultValue, RustType};

/// The expression for a member's default, or `None` when the Rust type's own `Default`
/// gives it (so `unwrap_or_default` and `#[serde(default)]` suffice). `ty` is the
/// member's value type.
pub fn default_expr(default: &DefaultValue, ty: &RustType) -> Option<TokenStream> {
    match default {
        DefaultValue::TypeDefault => None,
        DefaultValue::Variant(symbol, variant) => {
            let variant = ident(variant);
            Some(quote!(#symbol::#variant))
        }
        // An enum value no variant has: validation rules it out; this keeps generation total.
        DefaultValue::Value(value) if matches!(ty, RustType::Named(_)) => Some(match value {
            Value::Number(n) => {
                let n = n.as_i64().unwrap_or_default() as i32;
                quote!(#ty::from(#n))
            }
            other => {
                let text = other.as_str().unwrap_or_default();
                quote!(#ty::from(#text))
            }
        }),
        DefaultValue::Value(value) => simple_default(ty, value),
    }
}

fn simple_default(ty: &RustType, value: &Value) -> Option<TokenStream> {
    match ty {
        RustType::Bool => (value.as_bool() == Some(true)).then(|| quote!(true)),
        RustType::String => value
            .as_str()
            .filter(|s| !s.is_empty())
            .map(|s| quote!(String::from(#s))),
        RustType::I8 | RustType::I16 | RustType::I32 | RustType::I64 => {
            let n = value.as_i64().filter(|n| *n != 0)?;
            Some(match ty {
                RustType::I8 => Literal::i8_suffixed(n as i8),
                RustType::I16 => Literal::i16_suffixed(n as i16),
                RustType::I32 => Literal::i32_suffixed(n as i32),
                _ => Literal::i64_suffixed(n),
            })
            .map(|lit| quote!(#lit))
        }
        RustType::F32 | RustType::F64 => {
            let n = value.as_f64().filter(|n| *n != 0.0)?;
            let lit = if *ty == RustType::F32 {
                Literal::f32_suffixed(n as f32)
            } else {
                Literal::f64_suffixed(n)
            };
            Some(quote!(#lit))
        }
        RustType::Runtime("BigInteger" | "BigDecimal") => {
            let text = value.to_string();
            Some(quote!(<#ty as ::std::str::FromStr>::from_str(#text).expect("the model's default is a valid number")))
        }
        RustType::Runtime("DateTime") => Some(match value {
            Value::Number(n) if n.is_i64() => {
                let secs = n.as_i64().unwrap_or_default();
                quote!(::smithy_runtime::DateTime::from_secs(#secs))
            }
            Value::Number(n) => {
                let secs = n.as_f64().unwrap_or_default();
                quote!(::smithy_runtime::DateTime::from_fractional_secs(#secs))
            }
            other => {
                let text = other.as_str().unwrap_or_default();
                quote!(::smithy_runtime::DateTime::parse(::smithy_runtime::TimestampFormat::DateTime, #text).expect("the model's default is a valid date-time"))
            }
        }),
        RustType::Runtime("Blob") => value.as_str().filter(|s| !s.is_empty()).map(|s| {
            quote!(::smithy_runtime::Blob::new(::smithy_runtime::base64::decode(#s).unwrap_or_default()))
        }),
        RustType::Runtime("Document") => (!value.is_null()).then(|| {
            let text = value.to_string();
            quote!(::smithy_runtime::serde_json::from_str(#text).unwrap_or_default())
        }),
        // Lists and maps default to empty only, which the plan calls `TypeDefault`.
        _ => None,
    }
}
