//! One module per operation: its input, its output and its error enum.

use proc_macro2::TokenStream;
use quote::quote;

use super::rust::ident;
use super::structure::{emit_structure_builder, emit_structure_item};
use crate::plan::OperationPlan;

/// The contents of `src/operation/<name>.rs`.
pub fn emit_operation_module(ctx: &super::Context<'_, '_>, op: &OperationPlan) -> TokenStream {
    let plan = ctx.plan;
    let op_shape = plan.shape(&op.id);
    let module_doc = format!(" Types of the `{}` operation.", op.name);
    let op_docs = ctx.docs.attrs(op_shape.traits.documentation());
    let doc_gap = (!op_docs.is_empty()).then(|| quote!(#[doc = ""]));
    let marker = ident(&op.name);

    let mut items = Vec::new();
    let mut own_structures = Vec::new();
    let mut builders = Vec::new();
    let mut fallible = false;
    for (shape_id, name) in [(&op.input, op.input_name()), (&op.output, op.output_name())] {
        let own = plan.symbols.get(shape_id).is_some_and(|s| s.name == name);
        if own || *shape_id == crate::ShapeId::prelude("Unit") {
            let shape = plan.shape(shape_id);
            let sensitive = shape.traits.is_sensitive();
            let doc = shape.traits.documentation();
            items.push(emit_structure_item(
                ctx, shape_id, &name, doc, false, sensitive,
            ));
            builders.push(emit_structure_builder(ctx, shape_id, &name, sensitive));
            own_structures.push(shape_id);
            fallible |= plan.builder_is_fallible(shape_id);
        } else {
            // Shared with other operations or members: an alias keeps the SDK's names.
            let alias = ident(&name);
            let path = plan.symbol(shape_id);
            let doc = format!(" `{name}` is the shared type [`{}`]({path}).", path.name,);
            items.push(quote!(#[doc = #doc] pub type #alias = #path;));
            // The builder keeps the SDK's name too (`<Op>InputBuilder`), for the fluent builder.
            let builder_name = crate::plan::builder_name(&name);
            let builder_alias = ident(&builder_name);
            let builder_path = path.builder();
            let builder_doc = format!(
                " `{builder_name}` builds the shared type [`{}`]({path}).",
                path.name,
            );
            builders.push(quote!(#[doc = #builder_doc] pub type #builder_alias = #builder_path;));
        }
    }
    let builder_imports = fallible.then(super::structure::fallible_builder_imports);
    let error_enum = emit_error_enum(ctx, op);
    let fluent = super::client::emit_fluent_builder(ctx, op);
    let input_name = op.input_name();
    let output_name = op.output_name();
    let marker_doc = format!(
        " The `{}` operation: takes [`{input_name}`], returns [`{output_name}`] or fails with [`{}`].",
        op.name,
        op.error_name()
    );
    let wire_name = &op.id.name;
    // The error enum reads through `wire`; the input and output structures written here
    // are read, written and checked through their schemas (aliases of shared types are not).
    let imports = if own_structures.is_empty() {
        quote!(
            use ::smithy_runtime::wire;
        )
    } else {
        quote!(
            use ::smithy_runtime::{validation, wire};
        )
    };
    quote! {
        #![doc = #module_doc]

        #imports

        #op_docs
        #doc_gap
        #[doc = #marker_doc]
        #[derive(Clone, Copy, Debug, Default)]
        #[non_exhaustive]
        pub struct #marker;

        impl #marker {
            /// The operation's name in the model.
            pub const NAME: &'static str = #wire_name;
        }

        #(#items)*

        #error_enum

        /// Builders for this operation's input and output, and its fluent call builder.
        pub mod builders {
            #builder_imports

            #(#builders)*

            #fluent
        }
    }
}

fn emit_error_enum(ctx: &super::Context<'_, '_>, op: &OperationPlan) -> TokenStream {
    let plan = ctx.plan;
    let enum_ident = ident(&op.error_name());
    let doc = format!(" An error `{}` can return.", op.name);
    let mut variants = Vec::new();
    let mut display_arms = Vec::new();
    let mut code_arms = Vec::new();
    let mut predicates = Vec::new();
    let mut from_impls = Vec::new();
    let mut modeled_arms = Vec::new();
    for error_id in &op.errors {
        let symbol = plan.symbol(error_id);
        let variant = ident(&symbol.name);
        let path = symbol;
        let docs = ctx.docs.attrs(plan.shape(error_id).traits.documentation());
        let code = &error_id.name;
        variants.push(quote!(#docs #variant(#path),));
        display_arms.push(quote!(Self::#variant(inner) => ::std::fmt::Display::fmt(inner, f),));
        code_arms.push(quote!(Self::#variant(_) => Some(#code),));
        let bindings = match super::protocol::error_bindings_ident(plan, error_id) {
            Some(bindings) => quote!(crate::protocol::#bindings),
            None => quote!(&[]),
        };
        modeled_arms.push(quote!(#code => source.read(#bindings).map(Self::#variant),));
        let is_fn = ident(&crate::plan::predicate_name(&symbol.name));
        let is_doc = format!(" True when this is a `{}`.", symbol.name);
        predicates.push(quote! {
            #[doc = #is_doc]
            pub fn #is_fn(&self) -> bool {
                ::std::matches!(self, Self::#variant(_))
            }
        });
        from_impls.push(quote! {
            impl From<#path> for #enum_ident {
                fn from(error: #path) -> Self {
                    Self::#variant(error)
                }
            }
        });
    }
    // With no modeled errors a catch-all arm would be unreachable.
    let other_errors = (!op.errors.is_empty()).then(|| quote!(_ => None,));
    let modeled = if op.errors.is_empty() {
        quote! {
            impl wire::OperationError for #enum_ident {
                fn modeled(_: &str, _: impl wire::ErrorSource) -> Option<Self> {
                    None
                }
            }
        }
    } else {
        quote! {
            impl wire::OperationError for #enum_ident {
                fn modeled(code: &str, source: impl wire::ErrorSource) -> Option<Self> {
                    match code {
                        #(#modeled_arms)*
                        _ => None,
                    }
                }
            }
        }
    };
    quote! {
        #[doc = #doc]
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum #enum_ident {
            #(#variants)*
            /// An error the model does not describe (or that could not be parsed).
            Unhandled(::smithy_runtime::error::Unhandled),
        }

        impl #enum_ident {
            /// The error code: the modeled error's shape name, or what the service sent.
            pub fn code(&self) -> Option<&str> {
                match self {
                    #(#code_arms)*
                    Self::Unhandled(inner) => inner.meta().code(),
                }
            }

            #(#predicates)*
        }

        impl ::std::fmt::Display for #enum_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    #(#display_arms)*
                    Self::Unhandled(inner) => ::std::fmt::Display::fmt(inner, f),
                }
            }
        }

        impl ::std::error::Error for #enum_ident {
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Unhandled(inner) => ::std::error::Error::source(inner),
                    #other_errors
                }
            }
        }

        impl From<::smithy_runtime::error::Unhandled> for #enum_ident {
            fn from(error: ::smithy_runtime::error::Unhandled) -> Self {
                Self::Unhandled(error)
            }
        }

        #(#from_impls)*

        #modeled
    }
}
