//! Structures: the type, its accessors, its builder, and (for errors) `Display` and `Error`.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};

use super::rust::{ident, string_literal};
use super::values::default_expr;
use crate::model::{Member, ShapeKind, SimpleType};
use crate::plan::ServicePlan;

/// One planned field with the tokens its pieces render it with.
struct Field<'a> {
    member: &'a Member,
    ident: proc_macro2::Ident,
    /// The field name without `r#`, for `set_`/`get_` names and Debug output.
    plain: &'a str,
    ty: TokenStream,
    /// The value type without `Option`/`Box`.
    value_ty: TokenStream,
    optional: bool,
    boxed: bool,
    /// How an absent value is filled: `None` no default; `Some(None)` the type's `Default`;
    /// `Some(Some(expr))` a model-specific value.
    default: Option<Option<TokenStream>>,
    sensitive: bool,
    doc: Option<&'a str>,
    /// A `ByteStream`: read once, so neither cloned nor compared, nor serialized by serde.
    streams: bool,
}

fn fields<'a>(plan: &'a ServicePlan<'_>, shape_id: &crate::ShapeId) -> Vec<Field<'a>> {
    plan.fields(shape_id)
        .iter()
        .map(|f| Field {
            member: f.member,
            ident: ident(&f.name),
            plain: &f.plain,
            ty: f.ty.to_token_stream(),
            value_ty: f.value_ty.to_token_stream(),
            optional: f.optional,
            boxed: f.boxed,
            default: f.default.as_ref().map(|d| default_expr(d, &f.value_ty)),
            sensitive: f.sensitive,
            doc: f.doc,
            streams: f.streaming.is_some(),
        })
        .collect()
}

/// `Clone, PartialEq,` for a structure or builder, unless it holds a stream.
fn value_derives(fields: &[Field<'_>]) -> Option<TokenStream> {
    (!fields.iter().any(|f| f.streams)).then(|| quote!(Clone, PartialEq,))
}

/// The structure's type and impls, without its builder.
pub fn emit_structure_item(
    ctx: &super::Context<'_, '_>,
    shape_id: &crate::ShapeId,
    name: &str,
    doc: Option<&str>,
    is_error: bool,
    shape_sensitive: bool,
) -> TokenStream {
    let plan = ctx.plan;
    let type_ident = ident(name);
    let builder_ident = ident(&crate::plan::builder_name(name));
    let validation = plan.input_closure.contains(shape_id).then(emit_validation);
    let fields = fields(plan, shape_id);

    let docs = ctx.docs.attrs(doc);
    let field_defs = fields.iter().map(|f| emit_field(ctx, f));
    let shape_impl = emit_shape_impl(ctx, &type_ident, shape_id, &fields);
    let serde_feature = super::rust::serde_derives();
    let default_fns = emit_default_fns(&fields);
    // `Default` is derived unless a member has a model default of its own.
    let model_defaults = fields
        .iter()
        .any(|f| !f.optional && matches!(f.default, Some(Some(_))));
    let default_impl = model_defaults.then(|| emit_default_impl(&type_ident, &fields));
    let default_derive = (!model_defaults).then(|| quote!(Default,));
    let (debug_derive, debug_impl) =
        emit_debug_parts(&type_ident, name, &fields, shape_sensitive, false);
    let accessors = fields.iter().map(|f| emit_accessor(ctx, f));
    let error_impls = is_error.then(|| emit_error_impls(&type_ident, name, &fields));
    let value_derives = value_derives(&fields);

    quote! {
        #docs
        #[derive(#value_derives #default_derive #debug_derive)]
        #serde_feature
        #[non_exhaustive]
        pub struct #type_ident {
            #(#field_defs)*
        }

        impl #type_ident {
            #(#accessors)*

            #default_fns

            /// A builder for this type.
            pub fn builder() -> builders::#builder_ident {
                Default::default()
            }

            #validation
        }

        #default_impl
        #debug_impl
        #error_impls
        #shape_impl
    }
}

/// What a `builders` module imports when one of its builders can fail
/// ([`ServicePlan::builder_is_fallible`]): `build` calls `required` for each required
/// member and returns `BuildError`.
pub fn fallible_builder_imports() -> TokenStream {
    quote!(
        use ::smithy_runtime::{BuildError, required};
    )
}

/// The structure's builder (it goes into the module's `builders`).
pub fn emit_structure_builder(
    ctx: &super::Context<'_, '_>,
    shape_id: &crate::ShapeId,
    name: &str,
    shape_sensitive: bool,
) -> TokenStream {
    let fields = fields(ctx.plan, shape_id);
    emit_builder(
        ctx,
        &ident(name),
        &ident(&crate::plan::builder_name(name)),
        name,
        &fields,
        shape_sensitive,
        ctx.plan.builder_is_fallible(shape_id),
    )
}

fn emit_field(ctx: &super::Context<'_, '_>, f: &Field<'_>) -> TokenStream {
    let docs = ctx.docs.attrs(f.doc);
    let ident = &f.ident;
    let ty = &f.ty;
    let serde_skip = f
        .streams
        .then(|| quote!(#[cfg_attr(feature = "serde", serde(skip))]));
    quote! {
        #docs
        #serde_skip
        pub #ident: #ty,
    }
}

fn default_fn_name(f: &Field<'_>) -> String {
    format!("__default_{}", f.plain)
}

/// `Default`: unset optional members, model defaults, zero values for required members.
fn emit_default_impl(type_ident: &proc_macro2::Ident, fields: &[Field<'_>]) -> TokenStream {
    let values = fields.iter().map(|f| {
        let ident = &f.ident;
        match &f.default {
            Some(Some(_)) if !f.optional => {
                let default_fn = ident_of(&default_fn_name(f));
                let value = quote!(Self::#default_fn());
                if f.boxed {
                    quote!(#ident: Box::new(#value),)
                } else {
                    quote!(#ident: #value,)
                }
            }
            _ => quote!(#ident: Default::default(),),
        }
    });
    quote! {
        impl Default for #type_ident {
            fn default() -> Self {
                Self { #(#values)* }
            }
        }
    }
}

/// Private functions giving model-specific defaults, shared by `Default` and the builder.
fn emit_default_fns(fields: &[Field<'_>]) -> TokenStream {
    let fns = fields.iter().filter_map(|f| {
        let expr = f.default.as_ref()?.as_ref()?;
        let name = ident_of(&default_fn_name(f));
        let ty = &f.value_ty;
        Some(quote! {
            fn #name() -> #ty {
                #expr
            }
        })
    });
    quote!(#(#fns)*)
}

/// `Shape`: the structure written and read as its schema says, one line per member.
fn emit_shape_impl(
    ctx: &super::Context<'_, '_>,
    type_ident: &proc_macro2::Ident,
    shape_id: &crate::ShapeId,
    fields: &[Field<'_>],
) -> TokenStream {
    let schema = if ctx.schemas.has(shape_id) {
        ctx.schemas.path(shape_id)
    } else {
        quote!(wire::EMPTY_STRUCTURE)
    };
    // The wire traits come from the runtime's macro, which takes the fields in the
    // schema's member order.
    let idents = fields.iter().map(|f| &f.ident);
    quote! {
        impl wire::HasSchema for #type_ident {
            const SCHEMA: &'static validation::Schema = &#schema;
        }

        wire::structure!(#type_ident #(, #idents)*);
    }
}

fn emit_accessor(ctx: &super::Context<'_, '_>, f: &Field<'_>) -> TokenStream {
    let plan = ctx.plan;
    let ident = &f.ident;
    let docs = ctx.docs.attrs(f.doc);
    let value_ty = &f.value_ty;
    let target = plan.shape(&f.member.target);
    let is_string = matches!(target.kind, ShapeKind::Simple(SimpleType::String));
    let list_item = match &target.kind {
        ShapeKind::List(inner) => {
            let inner_ty = plan.rust_type(&inner.target).to_token_stream();
            Some(if target.traits.is_sparse() {
                quote!(Option<#inner_ty>)
            } else {
                inner_ty
            })
        }
        _ => None,
    };
    let copy = plan.is_copy(&f.member.target);
    let (ret, body) = match (f.optional, f.boxed) {
        (true, true) => (quote!(Option<&#value_ty>), quote!(self.#ident.as_deref())),
        (false, true) => (quote!(&#value_ty), quote!(&self.#ident)),
        (true, false) if is_string => (quote!(Option<&str>), quote!(self.#ident.as_deref())),
        (true, false) if list_item.is_some() => {
            let item = list_item.unwrap();
            (
                quote!(&[#item]),
                quote!(self.#ident.as_deref().unwrap_or_default()),
            )
        }
        (true, false) if copy => (quote!(Option<#value_ty>), quote!(self.#ident)),
        (true, false) => (quote!(Option<&#value_ty>), quote!(self.#ident.as_ref())),
        (false, false) if is_string => (quote!(&str), quote!(&self.#ident)),
        (false, false) if list_item.is_some() => {
            let item = list_item.unwrap();
            (quote!(&[#item]), quote!(&self.#ident))
        }
        (false, false) if copy => (value_ty.clone(), quote!(self.#ident)),
        (false, false) => (quote!(&#value_ty), quote!(&self.#ident)),
    };
    quote! {
        #docs
        pub fn #ident(&self) -> #ret {
            #body
        }
    }
}

/// `Debug` for a structure or its builder: derived, unless something in it is sensitive;
/// then an impl that redacts it. Gives the derive's entry and the impl (one is `None`).
fn emit_debug_parts(
    type_ident: &proc_macro2::Ident,
    name: &str,
    fields: &[Field<'_>],
    shape_sensitive: bool,
    builder: bool,
) -> (Option<TokenStream>, Option<TokenStream>) {
    if shape_sensitive || fields.iter().any(|f| f.sensitive) {
        let debug = emit_debug(type_ident, name, fields, shape_sensitive, builder);
        (None, Some(debug))
    } else {
        (Some(quote!(Debug,)), None)
    }
}

/// A `Debug` that prints sensitive members (or the whole value) as redacted.
fn emit_debug(
    type_ident: &proc_macro2::Ident,
    name: &str,
    fields: &[Field<'_>],
    shape_sensitive: bool,
    builder: bool,
) -> TokenStream {
    let label = if builder {
        crate::plan::builder_name(name)
    } else {
        name.to_string()
    };
    let body = if shape_sensitive {
        quote!(f.write_str(::smithy_runtime::REDACTED))
    } else {
        let entries = fields.iter().map(|f| {
            let ident = &f.ident;
            let plain = &f.plain;
            if f.sensitive {
                quote!(.field(#plain, &::smithy_runtime::REDACTED))
            } else {
                quote!(.field(#plain, &self.#ident))
            }
        });
        quote!(f.debug_struct(#label) #(#entries)* .finish())
    };
    quote! {
        impl ::std::fmt::Debug for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                #body
            }
        }
    }
}

fn emit_error_impls(
    type_ident: &proc_macro2::Ident,
    name: &str,
    fields: &[Field<'_>],
) -> TokenStream {
    let message = fields.iter().find(|f| {
        f.member.name.eq_ignore_ascii_case("message")
            && !f.sensitive
            && f.value_ty.to_string().contains("String")
    });
    let write_message = message.map(|f| {
        let ident = &f.ident;
        if f.optional {
            quote! {
                if let Some(message) = &self.#ident {
                    write!(f, ": {message}")?;
                }
            }
        } else {
            quote!(write!(f, ": {}", self.#ident)?;)
        }
    });
    quote! {
        impl ::std::fmt::Display for #type_ident {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(#name)?;
                #write_message
                Ok(())
            }
        }

        impl ::std::error::Error for #type_ident {}
    }
}

fn emit_builder(
    ctx: &super::Context<'_, '_>,
    type_ident: &proc_macro2::Ident,
    builder_ident: &proc_macro2::Ident,
    name: &str,
    fields: &[Field<'_>],
    shape_sensitive: bool,
    fallible: bool,
) -> TokenStream {
    let builder_fields = fields.iter().map(|f| {
        let ident = &f.ident;
        let value_ty = &f.value_ty;
        quote!(pub(crate) #ident: Option<#value_ty>,)
    });
    let methods = fields.iter().map(|f| {
        let ident = &f.ident;
        let value_ty = &f.value_ty;
        let set = ident_of(&format!("set_{}", f.plain));
        let get = ident_of(&format!("get_{}", f.plain));
        let docs = ctx.docs.attrs(f.doc);
        quote! {
            #docs
            pub fn #ident(mut self, input: impl Into<#value_ty>) -> Self {
                self.#ident = Some(input.into());
                self
            }
            #docs
            pub fn #set(mut self, input: Option<#value_ty>) -> Self {
                self.#ident = input;
                self
            }
            #docs
            pub fn #get(&self) -> &Option<#value_ty> {
                &self.#ident
            }
        }
    });
    let assignments = fields.iter().map(|f| {
        let ident = &f.ident;
        let plain = &f.plain;
        let mut value = if f.optional {
            quote!(self.#ident)
        } else if let Some(default) = &f.default {
            match default {
                None => quote!(self.#ident.unwrap_or_default()),
                Some(_) => {
                    let default_fn = ident_of(&default_fn_name(f));
                    quote!(self.#ident.unwrap_or_else(super::#type_ident::#default_fn))
                }
            }
        } else {
            quote!(required(self.#ident, #plain)?)
        };
        if f.boxed {
            value = if f.optional {
                quote!(#value.map(Box::new))
            } else {
                quote!(Box::new(#value))
            };
        }
        quote!(#ident: #value,)
    });
    let literal = quote!(super::#type_ident { #(#assignments)* });
    let (ret, body) = if fallible {
        (
            quote!(Result<super::#type_ident, BuildError>),
            quote!(Ok(#literal)),
        )
    } else {
        (quote!(super::#type_ident), literal)
    };
    let build_doc = string_literal(&if fallible {
        format!(" Builds the [`{name}`](super::{name}); fails if a required member is unset.")
    } else {
        format!(" Builds the [`{name}`](super::{name}).")
    });
    let (debug_derive, debug_impl) =
        emit_debug_parts(builder_ident, name, fields, shape_sensitive, true);
    let builder_doc = string_literal(&format!(" A builder for [`{name}`](super::{name})."));
    let value_derives = value_derives(fields);
    quote! {
        #[doc = #builder_doc]
        #[derive(#value_derives Default, #debug_derive)]
        #[non_exhaustive]
        pub struct #builder_ident {
            #(#builder_fields)*
        }

        impl #builder_ident {
            #(#methods)*

            #[doc = #build_doc]
            pub fn build(self) -> #ret {
                #body
            }
        }

        #debug_impl
    }
}

fn ident_of(name: &str) -> proc_macro2::Ident {
    quote::format_ident!("{}", name)
}

/// `validate` for a structure an operation input reaches.
fn emit_validation() -> TokenStream {
    quote! {
        /// Checks every constraint of the model on this value, reporting every violation.
        pub fn validate(&self) -> Result<(), validation::InputError> {
            validation::validate_typed(self)
        }
    }
}
