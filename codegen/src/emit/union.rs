//! Union shapes: an enum with one variant per member plus `Unknown`, encoded as a JSON
//! object with exactly one member set.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::enums::emit_redacted_debug;
use super::rust::ident;
use crate::model::Shape;

pub fn emit_union(ctx: &super::Context<'_, '_>, shape: &Shape, name: &str) -> TokenStream {
    let plan = ctx.plan;
    let type_ident = ident(name);
    let variants = plan.variants(&shape.id);
    let docs = ctx.docs.attrs(shape.traits.documentation());

    let mut variant_defs = Vec::new();
    let mut accessors = Vec::new();
    let mut ser_arms = Vec::new();
    let mut de_arms = Vec::new();
    let mut debug_arms = Vec::new();
    for v in variants {
        let variant = &v.name;
        let variant_ident = ident(variant);
        let member_docs = ctx.docs.attrs(v.doc);
        let wire = &v.wire_name;
        let is_fn = format_ident!("is_{}", v.snake);
        let is_doc = format!(" True when this is [`{variant}`](Self::{variant}).");
        let variant_name = variant.as_str();
        if v.ty.is_none() {
            debug_arms.push(quote!(Self::#variant_ident => f.write_str(#variant_name),));
        } else if v.sensitive {
            debug_arms.push(quote!(Self::#variant_ident(_) => f.debug_tuple(#variant_name).field(&::smithy_runtime::REDACTED).finish(),));
        } else {
            debug_arms.push(quote!(Self::#variant_ident(value) => f.debug_tuple(#variant_name).field(value).finish(),));
        }
        if let Some(ty) = &v.ty {
            variant_defs.push(quote!(#member_docs #variant_ident(#ty),));
            let as_fn = format_ident!("as_{}", v.snake);
            let as_doc = format!(
                " The value when this is [`{variant}`](Self::{variant}), else `Err(self)`."
            );
            accessors.push(quote! {
                #[doc = #as_doc]
                pub fn #as_fn(&self) -> ::std::result::Result<&#ty, &Self> {
                    if let Self::#variant_ident(value) = self { ::std::result::Result::Ok(value) } else { ::std::result::Result::Err(self) }
                }
            });
            match &v.adapter {
                None => {
                    ser_arms.push(
                        quote!(Self::#variant_ident(value) => map.serialize_entry(#wire, value)?,),
                    );
                    de_arms.push(quote!(#wire => ::smithy_runtime::union::value(value).map(Self::#variant_ident),));
                }
                Some(adapter) => {
                    ser_arms.push(quote!(Self::#variant_ident(value) => map.serialize_entry(#wire, &::smithy_runtime::serde_as::SerializeAsWrap::<_, #adapter>::new(value))?,));
                    de_arms.push(quote!(#wire => ::smithy_runtime::union::value_as::<_, #adapter, _>(value).map(Self::#variant_ident),));
                }
            }
        } else {
            variant_defs.push(quote!(#member_docs #variant_ident,));
            ser_arms.push(quote!(Self::#variant_ident => map.serialize_entry(#wire, &::smithy_runtime::union::UnitValue)?,));
            de_arms.push(quote!(#wire => ::std::result::Result::Ok(Self::#variant_ident),));
        }
        accessors.push(quote! {
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                ::std::matches!(self, Self::#variant_ident { .. })
            }
        });
    }
    // With only unit members the value is never read.
    let value_binding = if variants.iter().all(|v| v.ty.is_none()) {
        quote!(_value)
    } else {
        quote!(value)
    };
    let any_sensitive = variants.iter().any(|v| v.sensitive);
    let debug =
        (!shape.traits.is_sensitive() && !any_sensitive).then(|| quote!(::std::fmt::Debug,));
    let redacted = if shape.traits.is_sensitive() {
        Some(emit_redacted_debug(&type_ident))
    } else if any_sensitive {
        // Variants holding sensitive values print as redacted; the others as usual.
        Some(quote! {
            impl ::std::fmt::Debug for #type_ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    match self {
                        #(#debug_arms)*
                        Self::Unknown => f.write_str("Unknown"),
                    }
                }
            }
        })
    } else {
        None
    };
    let unknown_error = format!("cannot serialize {name}::Unknown: it holds no value");
    quote! {
        #docs
        #[derive(::std::clone::Clone, ::std::cmp::PartialEq, #debug)]
        #[non_exhaustive]
        pub enum #type_ident {
            #(#variant_defs)*
            /// A member this version of the crate does not know. It cannot be sent.
            Unknown,
        }

        impl #type_ident {
            #(#accessors)*

            /// True when the service sent a member this version of the crate does not know.
            pub fn is_unknown(&self) -> bool {
                ::std::matches!(self, Self::Unknown)
            }
        }

        /// `Unknown`: what a client fills in for a required union the service left out.
        impl ::std::default::Default for #type_ident {
            fn default() -> Self {
                Self::Unknown
            }
        }

        impl ::smithy_runtime::serde::Serialize for #type_ident {
            fn serialize<S: ::smithy_runtime::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                use ::smithy_runtime::serde::ser::{Error as _, SerializeMap as _};
                let mut map = serializer.serialize_map(::std::option::Option::Some(1))?;
                match self {
                    #(#ser_arms)*
                    Self::Unknown => return ::std::result::Result::Err(S::Error::custom(#unknown_error)),
                }
                map.end()
            }
        }

        impl<'de> ::smithy_runtime::serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: ::smithy_runtime::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                let (key, #value_binding) = ::smithy_runtime::union::entry(deserializer)?;
                match key.as_str() {
                    #(#de_arms)*
                    _ => ::std::result::Result::Ok(Self::Unknown),
                }
            }
        }

        #redacted
    }
}
