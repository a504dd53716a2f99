//! `enum` and `intEnum` shapes: one variant per value plus `Unknown`, so a value added to the
//! service later never breaks a client.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::rust::ident;
use crate::model::{Member, Shape};
use crate::plan::ServicePlan;

struct Variant<'a> {
    ident: proc_macro2::Ident,
    value: Value,
    member: &'a Member,
}

fn variants<'a>(plan: &'a ServicePlan<'_>, shape: &Shape) -> Vec<Variant<'a>> {
    plan.variants(&shape.id)
        .iter()
        .map(|v| Variant {
            ident: ident(&v.name),
            value: v.value.clone().unwrap_or_default(),
            member: v.member,
        })
        .collect()
}

/// A string enum.
pub fn emit_string_enum(ctx: &super::Context<'_, '_>, shape: &Shape, name: &str) -> TokenStream {
    let plan = ctx.plan;
    let type_ident = ident(name);
    let variants = variants(plan, shape);
    let docs = ctx.docs.attrs(shape.traits.documentation());
    let variant_defs = variants.iter().map(|v| {
        let docs = ctx.docs.attrs(v.member.traits.documentation());
        let ident = &v.ident;
        let deprecated = v
            .member
            .traits
            .is_deprecated()
            .then(|| quote!(#[deprecated]));
        quote!(#docs #deprecated #ident,)
    });
    let values: Vec<&str> = variants
        .iter()
        .map(|v| v.value.as_str().unwrap_or_default())
        .collect();
    let to_str = variants.iter().zip(&values).map(|(v, value)| {
        let ident = &v.ident;
        quote!(Self::#ident => #value,)
    });
    let from_str = variants.iter().zip(&values).map(|(v, value)| {
        let ident = &v.ident;
        quote!(#value => Self::#ident,)
    });
    let debug = debug_derive(shape);
    let redacted = shape
        .traits
        .is_sensitive()
        .then(|| emit_redacted_debug(&type_ident));
    let allow_deprecated = variants
        .iter()
        .any(|v| v.member.traits.is_deprecated())
        .then(|| quote!(#[allow(deprecated)]));
    quote! {
        #docs
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #debug)]
        #[non_exhaustive]
        pub enum #type_ident {
            #(#variant_defs)*
            /// A value this version of the crate does not know.
            Unknown(String),
        }

        #allow_deprecated
        impl #type_ident {
            /// The value as it is sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(#to_str)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Every value the model defines.
            pub const fn values() -> &'static [&'static str] {
                &[#(#values),*]
            }
        }

        #allow_deprecated
        impl From<&str> for #type_ident {
            fn from(value: &str) -> Self {
                match value {
                    #(#from_str)*
                    other => Self::Unknown(other.to_owned()),
                }
            }
        }

        /// An empty unknown value: what a client fills in for a required enum the service
        /// left out.
        impl Default for #type_ident {
            fn default() -> Self {
                Self::Unknown(String::new())
            }
        }

        impl ::std::str::FromStr for #type_ident {
            type Err = ::std::convert::Infallible;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl wire::WriteShape for #type_ident {
            fn write(&self, _: &'static validation::Schema, w: &mut dyn wire::Writer) {
                w.string(self.as_str());
            }
        }

        impl wire::Shape for #type_ident {
            fn read(schema: &'static validation::Schema, r: &mut dyn wire::Reader) -> Result<Option<Self>, wire::WireError> {
                let value = <String as wire::Shape>::read(schema, r)?;
                Ok(value.map(|value| Self::from(value.as_str())))
            }
        }

        impl wire::MapKey for #type_ident {
            fn from_key(key: &str) -> Self {
                Self::from(key)
            }

            fn key(&self) -> &str {
                self.as_str()
            }
        }

        /// With the crate's `serde` feature: the value as its string.
        #[cfg(feature = "serde")]
        impl ::smithy_runtime::serde::Serialize for #type_ident {
            fn serialize<S: ::smithy_runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::smithy_runtime::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::smithy_runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <String as ::smithy_runtime::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value.as_str()))
            }
        }

        #redacted
    }
}

/// An integer enum.
pub fn emit_int_enum(ctx: &super::Context<'_, '_>, shape: &Shape, name: &str) -> TokenStream {
    let plan = ctx.plan;
    let type_ident = ident(name);
    let variants = variants(plan, shape);
    let docs = ctx.docs.attrs(shape.traits.documentation());
    let variant_defs = variants.iter().map(|v| {
        let docs = ctx.docs.attrs(v.member.traits.documentation());
        let ident = &v.ident;
        quote!(#docs #ident,)
    });
    let values: Vec<i32> = variants
        .iter()
        .map(|v| v.value.as_i64().unwrap_or_default() as i32)
        .collect();
    let to_int = variants.iter().zip(&values).map(|(v, value)| {
        let ident = &v.ident;
        quote!(Self::#ident => #value,)
    });
    let from_int = variants.iter().zip(&values).map(|(v, value)| {
        let ident = &v.ident;
        quote!(#value => Self::#ident,)
    });
    let debug = debug_derive(shape);
    let redacted = shape
        .traits
        .is_sensitive()
        .then(|| emit_redacted_debug(&type_ident));
    quote! {
        #docs
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, #debug)]
        #[non_exhaustive]
        pub enum #type_ident {
            #(#variant_defs)*
            /// A value this version of the crate does not know.
            Unknown(i32),
        }

        impl #type_ident {
            /// The value as it is sent on the wire.
            pub fn as_i32(&self) -> i32 {
                match self {
                    #(#to_int)*
                    Self::Unknown(value) => *value,
                }
            }

            /// Every value the model defines.
            pub const fn values() -> &'static [i32] {
                &[#(#values),*]
            }
        }

        impl From<i32> for #type_ident {
            fn from(value: i32) -> Self {
                match value {
                    #(#from_int)*
                    other => Self::Unknown(other),
                }
            }
        }

        /// Zero as an unknown value: what a client fills in for a required value the
        /// service left out.
        impl Default for #type_ident {
            fn default() -> Self {
                Self::Unknown(0)
            }
        }

        impl wire::WriteShape for #type_ident {
            fn write(&self, _: &'static validation::Schema, w: &mut dyn wire::Writer) {
                w.integer(i64::from(self.as_i32()));
            }
        }

        impl wire::Shape for #type_ident {
            fn read(schema: &'static validation::Schema, r: &mut dyn wire::Reader) -> Result<Option<Self>, wire::WireError> {
                let value = <i32 as wire::Shape>::read(schema, r)?;
                Ok(value.map(Self::from))
            }
        }

        /// With the crate's `serde` feature: the value as its integer.
        #[cfg(feature = "serde")]
        impl ::smithy_runtime::serde::Serialize for #type_ident {
            fn serialize<S: ::smithy_runtime::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i32(self.as_i32())
            }
        }

        #[cfg(feature = "serde")]
        impl<'de> ::smithy_runtime::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::smithy_runtime::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <i32 as ::smithy_runtime::serde::Deserialize>::deserialize(deserializer)?;
                Ok(Self::from(value))
            }
        }

        #redacted
    }
}

/// `Debug` is derived unless the shape is sensitive; then a redacting impl follows the type.
fn debug_derive(shape: &Shape) -> TokenStream {
    if shape.traits.is_sensitive() {
        TokenStream::new()
    } else {
        quote!(Debug)
    }
}

/// The redacting `Debug` impl for a sensitive enum or union.
pub fn emit_redacted_debug(type_ident: &proc_macro2::Ident) -> TokenStream {
    quote! {
        impl ::std::fmt::Debug for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(::smithy_runtime::REDACTED)
            }
        }
    }
}
