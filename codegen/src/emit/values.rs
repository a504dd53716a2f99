//! Rust expressions for Smithy `default` values.

use proc_macro2::{Literal, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::model::{Member, ShapeKind, SimpleType};
use crate::plan::{ServicePlan, ident};
use crate::validate::enum_value;

/// The expression for `value` as the default of `member`, or `None` when it equals the
/// Rust type's own `Default` (so `unwrap_or_default` and `#[serde(default)]` suffice).
pub fn default_expr(plan: &ServicePlan<'_>, member: &Member, value: &Value) -> Option<TokenStream> {
    let target = plan.shape(&member.target);
    match &target.kind {
        ShapeKind::Simple(simple) => simple_default(*simple, value),
        ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => {
            let path = plan.symbol(&member.target).path();
            // The variant names the enum itself was given (de-duplicated the same way).
            let names = plan.variant_names(&members.iter().collect::<Vec<_>>());
            match members.iter().position(|m| enum_value(m) == *value) {
                Some(index) => {
                    let variant = ident(&names[index]);
                    Some(quote!(#path::#variant))
                }
                // Validation guarantees a match; this keeps generation total.
                None => match value {
                    Value::Number(n) => {
                        let n = n.as_i64().unwrap_or_default() as i32;
                        Some(quote!(#path::from(#n)))
                    }
                    other => {
                        let text = other.as_str().unwrap_or_default();
                        Some(quote!(#path::from(#text)))
                    }
                },
            }
        }
        // Only empty lists and maps are valid defaults.
        _ => None,
    }
}

fn simple_default(simple: SimpleType, value: &Value) -> Option<TokenStream> {
    match simple {
        SimpleType::Boolean => (value.as_bool() == Some(true)).then(|| quote!(true)),
        SimpleType::String => value
            .as_str()
            .filter(|s| !s.is_empty())
            .map(|s| quote!(::std::string::String::from(#s))),
        SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long => {
            let n = value.as_i64().filter(|n| *n != 0)?;
            Some(match simple {
                SimpleType::Byte => Literal::i8_suffixed(n as i8),
                SimpleType::Short => Literal::i16_suffixed(n as i16),
                SimpleType::Integer => Literal::i32_suffixed(n as i32),
                _ => Literal::i64_suffixed(n),
            })
            .map(|lit| quote!(#lit))
        }
        SimpleType::Float | SimpleType::Double => {
            let n = value.as_f64().filter(|n| *n != 0.0)?;
            let lit = if simple == SimpleType::Float {
                Literal::f32_suffixed(n as f32)
            } else {
                Literal::f64_suffixed(n)
            };
            Some(quote!(#lit))
        }
        SimpleType::BigInteger | SimpleType::BigDecimal => {
            let text = value.to_string();
            let ty = if simple == SimpleType::BigInteger {
                quote!(::smithy_runtime::BigInteger)
            } else {
                quote!(::smithy_runtime::BigDecimal)
            };
            Some(quote!(<#ty as ::std::str::FromStr>::from_str(#text).expect("the model's default is a valid number")))
        }
        SimpleType::Timestamp => Some(match value {
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
        SimpleType::Blob => value.as_str().filter(|s| !s.is_empty()).map(|s| {
            quote!(::smithy_runtime::Blob::new(::smithy_runtime::base64::decode(#s).unwrap_or_default()))
        }),
        SimpleType::Document => (!value.is_null()).then(|| {
            let text = value.to_string();
            quote!(::smithy_runtime::serde_json::from_str(#text).unwrap_or_default())
        }),
    }
}
