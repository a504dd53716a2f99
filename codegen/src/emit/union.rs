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
    let mut write_arms = Vec::new();
    let mut read_arms = Vec::new();
    let mut debug_arms = Vec::new();
    for (index, v) in variants.iter().enumerate() {
        let index = proc_macro2::Literal::usize_unsuffixed(index);
        let variant = &v.name;
        let variant_ident = ident(variant);
        let member_docs = ctx.docs.attrs(v.doc);
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
                pub fn #as_fn(&self) -> Result<&#ty, &Self> {
                    if let Self::#variant_ident(value) = self { Ok(value) } else { Err(self) }
                }
            });
            write_arms.push(quote!(Self::#variant_ident(value) => wire::write_union_member(schema, w, #index, Some(value)),));
            read_arms
                .push(quote!(#index => wire::read_value(schema, r)?.map(Self::#variant_ident),));
        } else {
            variant_defs.push(quote!(#member_docs #variant_ident,));
            write_arms
                .push(quote!(Self::#variant_ident => wire::write_unit_member(schema, w, #index),));
            read_arms.push(quote!(#index => wire::read_unit(r)?.map(|()| Self::#variant_ident),));
        }
        accessors.push(quote! {
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                ::std::matches!(self, Self::#variant_ident { .. })
            }
        });
    }
    let any_sensitive = variants.iter().any(|v| v.sensitive);
    let debug = (!shape.traits.is_sensitive() && !any_sensitive).then(|| quote!(Debug,));
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
    let serde_feature = super::rust::serde_derives();
    let schema = ctx.schemas.path(&shape.id);
    // A union of unit members only never reads a member's schema.
    let member_schema = if variants.iter().all(|v| v.ty.is_none()) {
        quote!(_)
    } else {
        quote!(schema)
    };
    let unknown_error = format!("cannot serialize {name}::Unknown: it holds no value");
    quote! {
        #docs
        #[derive(Clone, PartialEq, #debug)]
        #serde_feature
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
        impl Default for #type_ident {
            fn default() -> Self {
                Self::Unknown
            }
        }

        impl wire::HasSchema for #type_ident {
            const SCHEMA: &'static validation::Schema = &#schema;
        }

        impl wire::WriteShape for #type_ident {
            fn write(&self, schema: &'static validation::Schema, w: &mut dyn wire::Writer) {
                match self {
                    #(#write_arms)*
                    Self::Unknown => w.fail(wire::WireError::new(#unknown_error)),
                }
            }
        }

        impl wire::Shape for #type_ident {
            fn read(schema: &'static validation::Schema, r: &mut dyn wire::Reader) -> Result<Option<Self>, wire::WireError> {
                wire::read_union(schema, r, || Self::Unknown, &mut |index, #member_schema, r| {
                    Ok(match index {
                        #(#read_arms)*
                        _ => None,
                    })
                })
            }
        }

        #redacted
    }
}
