//! A paginated operation's `into_paginator()` and `<Op>Paginator` (feature `client`):
//! pages as a stream, the items of each page, and the page size.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};

use super::rust::ident;
use crate::ShapeId;
use crate::plan::{Field, OperationPlan, RustType, ServicePlan};

/// The fields a member path goes through, from structure `root`.
fn fields_of<'p>(plan: &'p ServicePlan<'_>, root: &ShapeId, path: &[String]) -> Vec<&'p Field<'p>> {
    let mut shape = root.clone();
    let mut out = Vec::new();
    for part in path {
        let Some(field) = plan.fields(&shape).iter().find(|f| f.member.name == *part) else {
            break;
        };
        shape = field.member.target.clone();
        out.push(field);
    }
    out
}

/// `value` followed down `fields`, as an `Option<&T>` of the last one's value
/// (`output.next_token.as_ref()`, `output.page.as_ref().and_then(|v| v.next.as_ref())`).
fn follow(value: TokenStream, fields: &[&Field<'_>]) -> TokenStream {
    let Some((first, rest)) = fields.split_first() else {
        return quote!(Some(#value));
    };
    let field = ident(&first.name);
    let mut expr = match (first.optional, first.boxed) {
        (true, true) => quote!(#value.#field.as_deref()),
        (true, false) => quote!(#value.#field.as_ref()),
        (false, true) => quote!(Some(&*#value.#field)),
        (false, false) => quote!(Some(&#value.#field)),
    };
    for f in rest {
        let field = ident(&f.name);
        expr = match (f.optional, f.boxed) {
            (true, true) => quote!(#expr.and_then(|v| v.#field.as_deref())),
            (true, false) => quote!(#expr.and_then(|v| v.#field.as_ref())),
            (false, true) => quote!(#expr.map(|v| &*v.#field)),
            (false, false) => quote!(#expr.map(|v| &v.#field)),
        };
    }
    expr
}

fn has_is_empty(ty: &RustType) -> bool {
    matches!(
        ty,
        RustType::String | RustType::Vec(_) | RustType::HashMap(..)
    )
}

pub fn emit_paginator(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let Some(pagination) = &op.pagination else {
        return quote!();
    };
    let fluent = ident(&op.fluent_builder_name());
    let paginator = format_ident!("{}Paginator", op.name);
    let output = ident(&op.output_name());
    let error = ident(&op.error_name());
    let input_fields = plan.fields(&op.input);
    let Some(input_token) = input_fields
        .iter()
        .find(|f| f.member.name == pagination.input_token)
    else {
        return quote!();
    };
    let get_input_token = format_ident!("get_{}", input_token.plain);
    let set_input_token = format_ident!("set_{}", input_token.plain);
    let token_fields = fields_of(plan, &op.output, &pagination.output_token);
    let Some(last) = token_fields.last() else {
        return quote!();
    };
    let token = follow(quote!(output), &token_fields);
    let not_empty =
        has_is_empty(&last.value_ty).then(|| quote!(.filter(|token| !token.is_empty())));
    let page_size = pagination.page_size.as_ref().and_then(|name| {
        let f = input_fields.iter().find(|f| f.member.name == *name)?;
        let setter = ident(&f.name);
        let ty = f.value_ty.to_token_stream();
        let doc = format!(" Asks for at most `page_size` items a page (`{name}`).");
        Some(quote! {
            #[doc = #doc]
            pub fn page_size(self, page_size: #ty) -> Self {
                Self(self.0.#setter(page_size))
            }
        })
    });
    let items = pagination.items.as_ref().and_then(|path| {
        let fields = fields_of(plan, &op.output, path);
        let last = fields.last()?;
        let (item, collect) = match &last.value_ty {
            RustType::Vec(item) => (item.to_token_stream(), quote!(.cloned())),
            RustType::HashMap(key, value) => (
                quote!((#key, #value)),
                quote!(.map(|map| map.clone().into_iter().collect())),
            ),
            _ => return None,
        };
        let chain = follow(quote!(output), &fields);
        let doc = format!(
            " The items of every page (`{}`), in order, as a stream: call [`send`]({}PaginatorItems::send).",
            path.join("."),
            op.name
        );
        let items_ident = format_ident!("{}PaginatorItems", op.name);
        let send_doc = format!(" The items of every page (`{}`), in order; an error ends them.", path.join("."));
        Some((
            quote! {
                #[doc = #doc]
                pub fn items(self) -> #items_ident {
                    #items_ident(self)
                }
            },
            quote! {
                #[doc = #doc]
                #[cfg(feature = "client")]
                #[derive(Clone, Debug)]
                pub struct #items_ident(#paginator);

                #[cfg(feature = "client")]
                impl #items_ident {
                    #[doc = #send_doc]
                    #[inline]
                    pub fn send(self) -> ::smithy_runtime::client::paginate::PaginationStream<Result<#item, ::smithy_runtime::client::SdkError<super::#error>>> {
                        ::smithy_runtime::client::paginate::items(self.0.send(), |output: super::#output| {
                            #chain #collect .unwrap_or_default()
                        })
                    }
                }
            },
        ))
    });
    let (items, items_struct) = match items {
        Some((method, item_struct)) => (Some(method), Some(item_struct)),
        None => (None, None),
    };
    let doc = format!(
        " The pages of `{}`: each request carries the `{}` of the page before, until a page has none.",
        op.name,
        pagination.output_token.join(".")
    );
    let into_doc = format!(
        " The pages of `{}`, as a stream: see [`{paginator}`].",
        op.name
    );
    quote! {
        #[cfg(feature = "client")]
        impl #fluent {
            #[doc = #into_doc]
            pub fn into_paginator(self) -> #paginator {
                #paginator(self)
            }
        }

        #[doc = #doc]
        #[cfg(feature = "client")]
        #[derive(Clone, Debug)]
        pub struct #paginator(#fluent);

        #[cfg(feature = "client")]
        impl #paginator {
            #page_size

            /// Sends the first request when the stream is first polled, and each next one
            /// when the page before has been taken. A page without a token, with an empty
            /// one, or with the token just sent is the last.
            // Inline, so the operation's call is compiled where a paginator is used, as a
            // plain `send()` is: a crate pays for the calls it makes.
            #[inline]
            pub fn send(self) -> ::smithy_runtime::client::paginate::PaginationStream<Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>>> {
                ::smithy_runtime::client::paginate::pages(self.0, ::smithy_runtime::client::paginate::Pages {
                    send: |builder: #fluent| -> ::smithy_runtime::client::paginate::BoxFuture<Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>>> {
                        Box::pin(builder.send())
                    },
                    input_token: |builder: &#fluent| builder.#get_input_token().clone(),
                    set_token: |builder: #fluent, token| builder.#set_input_token(Some(token)),
                    output_token: |output: &super::#output| #token.cloned() #not_empty,
                })
            }

            #items
        }

        #items_struct
    }
}
