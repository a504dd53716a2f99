//! A case's `params` (a Smithy node value) as a Rust expression building the value of a
//! shape, through the generated builders, as a user of the crate would write it.

use proc_macro2::{Ident, TokenStream, TokenTree};
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;

use crate::ShapeId;
use crate::emit::rust::ident;
use crate::model::{ShapeKind, SimpleType};
use crate::plan::ServicePlan;

/// Builds expressions for one crate, seen from outside it (its tests).
pub struct ValueWriter<'p, 'm> {
    pub plan: &'p ServicePlan<'m>,
    /// `::rest_json`
    pub lib: Ident,
    /// Set when a value holds a NaN, which `==` never equals.
    pub saw_nan: bool,
}

impl<'p, 'm> ValueWriter<'p, 'm> {
    pub fn new(plan: &'p ServicePlan<'m>) -> Self {
        ValueWriter {
            plan,
            lib: format_ident!("{}", plan.lib_name()),
            saw_nan: false,
        }
    }

    /// A path or type the plan writes from inside the crate (`crate::types::X`), as seen
    /// from outside it: every `crate` becomes `::<lib>`.
    pub fn external(&self, tokens: TokenStream) -> TokenStream {
        let lib = &self.lib;
        tokens
            .into_iter()
            .flat_map(|token| -> Vec<TokenTree> {
                match token {
                    TokenTree::Ident(word) if word == "crate" => {
                        quote!(::#lib).into_iter().collect()
                    }
                    TokenTree::Group(group) => {
                        let mut inner = proc_macro2::Group::new(
                            group.delimiter(),
                            self.external(group.stream()),
                        );
                        inner.set_span(group.span());
                        vec![TokenTree::Group(inner)]
                    }
                    other => vec![other],
                }
            })
            .collect()
    }

    /// The setter calls that set each member of a structure named in `params`
    /// (`.set_name(Some(value))`), for a builder or a fluent builder.
    pub fn setters(&mut self, id: &ShapeId, params: &Value) -> Result<TokenStream, String> {
        let Value::Object(entries) = params else {
            if params.is_null() {
                return Ok(TokenStream::new());
            }
            return Err(format!("expected an object of members, found {params}"));
        };
        let plan = self.plan;
        let mut calls = Vec::new();
        for (key, value) in entries {
            let Some(field) = plan.fields(id).iter().find(|f| f.member.name == *key) else {
                return Err(format!("`{key}` is not a member"));
            };
            if value.is_null() {
                continue;
            }
            let setter = format_ident!("set_{}", field.plain);
            let value = self.value(&field.member.target, value)?;
            calls.push(quote!(.#setter(::std::option::Option::Some(#value))));
        }
        Ok(quote!(#(#calls)*))
    }

    /// An expression for a value of structure `id` through its builder.
    pub fn structure(&mut self, id: &ShapeId, params: &Value) -> Result<TokenStream, String> {
        let builder = self.external(self.plan.symbol(id).builder().to_token_stream());
        self.built(builder, id, params)
    }

    /// A value of structure `id`, built through `builder` from `params`.
    pub fn built(
        &mut self,
        builder: TokenStream,
        id: &ShapeId,
        params: &Value,
    ) -> Result<TokenStream, String> {
        let setters = self.setters(id, params)?;
        let fallible = self
            .plan
            .fields(id)
            .iter()
            .any(|f| !f.optional && f.default.is_none());
        let build = if fallible {
            quote!(.build().expect("the case's params set every required member"))
        } else {
            quote!(.build())
        };
        Ok(quote!(<#builder as ::std::default::Default>::default() #setters #build))
    }

    /// An expression for a value of shape `id`.
    pub fn value(&mut self, id: &ShapeId, value: &Value) -> Result<TokenStream, String> {
        let shape = self.plan.shape(id);
        match &shape.kind {
            ShapeKind::Structure(_) => self.structure(id, value),
            ShapeKind::Union(members) => {
                let Value::Object(entries) = value else {
                    return Err(format!("a union value must be an object, found {value}"));
                };
                let Some((key, inner)) = entries.iter().next() else {
                    return Err("a union value names no member".into());
                };
                let Some(index) = members.iter().position(|m| m.name == *key) else {
                    return Err(format!("`{key}` is not a member of the union"));
                };
                let path = self.external(self.plan.symbol(id).to_token_stream());
                let variant = ident(&self.plan.variants(id)[index].name);
                let member = &members[index];
                if member.target == ShapeId::prelude("Unit") {
                    return Ok(quote!(#path::#variant));
                }
                let mut inner = self.value(&member.target, inner)?;
                if self.plan.boxed.contains(&member.id) {
                    inner = quote!(::std::boxed::Box::new(#inner));
                }
                Ok(quote!(#path::#variant(#inner)))
            }
            ShapeKind::Enum(_) => {
                let text = value
                    .as_str()
                    .ok_or_else(|| format!("an enum value must be a string, found {value}"))?;
                let path = self.external(self.plan.symbol(id).to_token_stream());
                Ok(quote!(<#path as ::std::convert::From<&str>>::from(#text)))
            }
            ShapeKind::IntEnum(_) => {
                let number = value
                    .as_i64()
                    .ok_or_else(|| format!("an intEnum value must be an integer, found {value}"))?
                    as i32;
                let path = self.external(self.plan.symbol(id).to_token_stream());
                Ok(quote!(<#path as ::std::convert::From<i32>>::from(#number)))
            }
            ShapeKind::List(member) => {
                let Value::Array(items) = value else {
                    return Err(format!("a list value must be an array, found {value}"));
                };
                let sparse = shape.traits.is_sparse();
                let mut out = Vec::new();
                for item in items {
                    out.push(match (item.is_null(), sparse) {
                        (true, true) => quote!(::std::option::Option::None),
                        (true, false) => continue,
                        (false, true) => {
                            let v = self.value(&member.target, item)?;
                            quote!(::std::option::Option::Some(#v))
                        }
                        (false, false) => self.value(&member.target, item)?,
                    });
                }
                let ty = self.external(self.plan.rust_type(id).to_token_stream());
                Ok(quote!({ let list: #ty = ::std::vec![#(#out),*]; list }))
            }
            ShapeKind::Map { key, value: item } => {
                let Value::Object(entries) = value else {
                    return Err(format!("a map value must be an object, found {value}"));
                };
                let sparse = shape.traits.is_sparse();
                let mut out = Vec::new();
                for (k, v) in entries {
                    let k = self.value(&key.target, &Value::String(k.clone()))?;
                    let v = match (v.is_null(), sparse) {
                        (true, true) => quote!(::std::option::Option::None),
                        (true, false) => continue,
                        (false, true) => {
                            let v = self.value(&item.target, v)?;
                            quote!(::std::option::Option::Some(#v))
                        }
                        (false, false) => self.value(&item.target, v)?,
                    };
                    out.push(quote!((#k, #v)));
                }
                let ty = self.external(self.plan.rust_type(id).to_token_stream());
                Ok(
                    quote!({ let map: #ty = ::std::iter::IntoIterator::into_iter([#(#out),*]).collect(); map }),
                )
            }
            ShapeKind::Simple(SimpleType::Blob)
                if self.plan.rust_type(id) == crate::plan::RustType::Runtime("ByteStream") =>
            {
                let text = value.as_str().ok_or("expected a string of bytes")?;
                let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
                Ok(quote!(::smithy_runtime::ByteStream::from(#bytes.to_vec())))
            }
            ShapeKind::Simple(simple) => self.simple(*simple, value),
            _ => Err(format!("`{id}` cannot hold a value")),
        }
    }

    fn simple(&mut self, simple: SimpleType, value: &Value) -> Result<TokenStream, String> {
        let wrong = |what: &str| format!("expected {what}, found {value}");
        Ok(match simple {
            SimpleType::String => {
                let text = value.as_str().ok_or_else(|| wrong("a string"))?;
                quote!(::std::string::String::from(#text))
            }
            SimpleType::Boolean => {
                let b = value.as_bool().ok_or_else(|| wrong("a boolean"))?;
                quote!(#b)
            }
            SimpleType::Byte => {
                let n = value.as_i64().ok_or_else(|| wrong("an integer"))? as i8;
                quote!(#n)
            }
            SimpleType::Short => {
                let n = value.as_i64().ok_or_else(|| wrong("an integer"))? as i16;
                quote!(#n)
            }
            SimpleType::Integer => {
                let n = value.as_i64().ok_or_else(|| wrong("an integer"))? as i32;
                quote!(#n)
            }
            SimpleType::Long => {
                let n = value.as_i64().ok_or_else(|| wrong("an integer"))?;
                quote!(#n)
            }
            SimpleType::Float => match self.float(value)? {
                Special::Value(n) => {
                    let n = n as f32;
                    quote!(#n)
                }
                Special::NaN => quote!(f32::NAN),
                Special::Infinity => quote!(f32::INFINITY),
                Special::NegativeInfinity => quote!(f32::NEG_INFINITY),
            },
            SimpleType::Double => match self.float(value)? {
                Special::Value(n) => quote!(#n),
                Special::NaN => quote!(f64::NAN),
                Special::Infinity => quote!(f64::INFINITY),
                Special::NegativeInfinity => quote!(f64::NEG_INFINITY),
            },
            SimpleType::BigInteger | SimpleType::BigDecimal => {
                let text = match value {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) => s.clone(),
                    _ => return Err(wrong("a number")),
                };
                let ty = if simple == SimpleType::BigInteger {
                    quote!(::smithy_runtime::BigInteger)
                } else {
                    quote!(::smithy_runtime::BigDecimal)
                };
                quote!(<#ty as ::std::str::FromStr>::from_str(#text).expect("a number"))
            }
            SimpleType::Timestamp => {
                let secs = value.as_f64().ok_or_else(|| wrong("epoch seconds"))?;
                if let Some(whole) = value.as_i64() {
                    quote!(::smithy_runtime::DateTime::from_secs(#whole))
                } else {
                    quote!(::smithy_runtime::DateTime::from_fractional_secs(#secs))
                }
            }
            SimpleType::Blob => {
                let text = value.as_str().ok_or_else(|| wrong("a string of bytes"))?;
                let bytes = proc_macro2::Literal::byte_string(text.as_bytes());
                quote!(::smithy_runtime::Blob::new(#bytes.to_vec()))
            }
            SimpleType::Document => {
                let text = value.to_string();
                quote!(::smithy_runtime::serde_json::from_str::<::smithy_runtime::Document>(#text).expect("a document"))
            }
        })
    }

    fn float(&mut self, value: &Value) -> Result<Special, String> {
        match value {
            Value::Number(n) => n
                .as_f64()
                .map(Special::Value)
                .ok_or_else(|| format!("not a float: {n}")),
            Value::String(s) if s == "NaN" => {
                self.saw_nan = true;
                Ok(Special::NaN)
            }
            Value::String(s) if s == "Infinity" => Ok(Special::Infinity),
            Value::String(s) if s == "-Infinity" => Ok(Special::NegativeInfinity),
            _ => Err(format!("expected a float, found {value}")),
        }
    }

    /// Required members set to placeholder values, for an input the case does not give
    /// (a response case still needs a request that builds): strings `"placeholder"`, the
    /// first enum value, zero, empty collections.
    pub fn placeholder_setters(&mut self, id: &ShapeId) -> TokenStream {
        let plan = self.plan;
        let mut calls = Vec::new();
        for field in plan.fields(id) {
            if field.optional || field.default.is_some() {
                continue;
            }
            let target = &field.member.target;
            if let Ok(value) = self.value(target, &self.placeholder(target, 0)) {
                let setter = format_ident!("set_{}", field.plain);
                calls.push(quote!(.#setter(::std::option::Option::Some(#value))));
            }
        }
        quote!(#(#calls)*)
    }

    fn placeholder(&self, id: &ShapeId, depth: usize) -> Value {
        let shape = self.plan.shape(id);
        match &shape.kind {
            ShapeKind::Simple(SimpleType::String) => Value::String("placeholder".into()),
            ShapeKind::Simple(SimpleType::Blob) => Value::String(String::new()),
            ShapeKind::Simple(SimpleType::Boolean) => Value::Bool(false),
            ShapeKind::Simple(SimpleType::Document) => Value::Null,
            ShapeKind::Simple(_) => Value::from(0),
            ShapeKind::Enum(members) => members
                .first()
                .map(crate::model::Member::enum_value)
                .unwrap_or(Value::String(String::new())),
            ShapeKind::IntEnum(members) => members
                .first()
                .and_then(|m| m.traits.enum_value().cloned())
                .unwrap_or(Value::from(0)),
            ShapeKind::List(_) => Value::Array(Vec::new()),
            ShapeKind::Map { .. } => Value::Object(Default::default()),
            ShapeKind::Structure(members) if depth < 8 => Value::Object(
                members
                    .iter()
                    .filter(|m| {
                        let held = self.plan.member_shape(m);
                        !held.optional && held.default.is_none()
                    })
                    .map(|m| (m.name.clone(), self.placeholder(&m.target, depth + 1)))
                    .collect(),
            ),
            ShapeKind::Union(members) if depth < 8 => match members.first() {
                Some(m) => Value::Object(
                    [(m.name.clone(), self.placeholder(&m.target, depth + 1))]
                        .into_iter()
                        .collect(),
                ),
                None => Value::Null,
            },
            _ => Value::Null,
        }
    }
}

enum Special {
    Value(f64),
    NaN,
    Infinity,
    NegativeInfinity,
}
