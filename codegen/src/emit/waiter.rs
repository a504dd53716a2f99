//! A waitable operation's waiters (feature `client`): `client.wait_until_<name>()`, a
//! builder with the operation's setters and `wait(max_wait)`.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::rust::ident;
use crate::plan::OperationPlan;
use crate::waiters::{Matcher, Waiter};

fn builder_ident(waiter: &Waiter) -> proc_macro2::Ident {
    format_ident!("WaitUntil{}", waiter.name)
}

/// The client's `wait_until_<name>()` methods for `op`.
pub fn client_methods(op: &OperationPlan) -> TokenStream {
    let module = ident(&op.module);
    let fluent = ident(&op.fluent_builder_name());
    let methods = op.waiters.iter().map(|waiter| {
        let method = format_ident!("wait_until_{}", waiter.snake);
        let builder = builder_ident(waiter);
        let doc = waiter
            .documentation
            .clone()
            .unwrap_or_else(|| format!("Waits until `{}` says `{}`.", op.name, waiter.name));
        let doc = format!(" {doc}");
        let how = format!(
            " Calls `{}` with the builder's input every {}–{} s (jittered, doubling) until an acceptor ends the wait; see [`{builder}::wait`](crate::operation::{}::builders::{builder}::wait).",
            op.name, waiter.min_delay, waiter.max_delay, op.module
        );
        quote! {
            #[doc = #doc]
            #[doc = ""]
            #[doc = #how]
            pub fn #method(&self) -> crate::operation::#module::builders::#builder {
                crate::operation::#module::builders::#builder::new(
                    crate::operation::#module::builders::#fluent::new(self.handle.clone()),
                )
            }
        }
    });
    quote!(#(#methods)*)
}

/// The waiters' builders and descriptions, for the operation's `builders` module; each has
/// the operation's `setters`.
pub fn emit_waiters(op: &OperationPlan, setters: &[TokenStream], fallible: bool) -> TokenStream {
    let fluent = ident(&op.fluent_builder_name());
    let output = ident(&op.output_name());
    let error = ident(&op.error_name());
    let waiters = op.waiters.iter().map(|waiter| {
        let builder = builder_ident(waiter);
        let spec = format_ident!("{}_WAITER", waiter.name.to_shouty_snake_case());
        let name = &waiter.name;
        let (min, max) = (waiter.min_delay, waiter.max_delay);
        let acceptors = waiter.acceptors.iter().map(|acceptor| {
            let state = match acceptor.state.as_str() {
                "success" => quote!(Success),
                "failure" => quote!(Failure),
                _ => quote!(Retry),
            };
            let matcher = match &acceptor.matcher {
                Matcher::Path { input_output, path, expected, comparator } => {
                    let comparator = format_ident!("{}", heck::ToUpperCamelCase::to_upper_camel_case(comparator.as_str()));
                    quote!(Path { input_output: #input_output, path: #path, expected: #expected, comparator: ::smithy_runtime::client::wait::Comparator::#comparator })
                }
                Matcher::Success(b) => quote!(Success(#b)),
                Matcher::ErrorType(e) => quote!(ErrorType(#e)),
            };
            quote! {
                ::smithy_runtime::client::wait::Acceptor {
                    state: ::smithy_runtime::client::wait::AcceptorState::#state,
                    matcher: ::smithy_runtime::client::wait::Matcher::#matcher,
                }
            }
        });
        // The input's JSON form only when an acceptor reads it.
        let reads_input = waiter
            .acceptors
            .iter()
            .any(|a| matches!(a.matcher, Matcher::Path { input_output: true, .. }));
        // An input that does not build is sent anyway, and fails as the call's error.
        let input = match (reads_input, fallible) {
            (true, true) => quote! {
                self.inner
                    .as_input()
                    .clone()
                    .build()
                    .ok()
                    .and_then(|input| ::smithy_runtime::wire::to_value(&input).ok())
                    .unwrap_or_default()
            },
            (true, false) => quote! {
                ::smithy_runtime::wire::to_value(&self.inner.as_input().clone().build())
                    .unwrap_or_default()
            },
            (false, _) => {
                quote!(::smithy_runtime::serde_json::Value::Null)
            }
        };
        let doc = format!(" Waits until `{}` says `{name}`: set the input, then [`wait`](Self::wait).", op.name);
        let spec_doc = format!(" The `{name}` waiter of `{}`.", op.name);
        quote! {
            #[doc = #spec_doc]
            #[cfg(feature = "client")]
            static #spec: ::smithy_runtime::client::wait::WaiterSpec = ::smithy_runtime::client::wait::WaiterSpec {
                name: #name,
                acceptors: &[#(#acceptors),*],
                min_delay: ::std::time::Duration::from_secs(#min),
                max_delay: ::std::time::Duration::from_secs(#max),
            };

            #[doc = #doc]
            #[cfg(feature = "client")]
            #[derive(Clone, Debug)]
            pub struct #builder {
                inner: #fluent,
            }

            #[cfg(feature = "client")]
            impl #builder {
                pub(crate) fn new(inner: #fluent) -> Self {
                    Self { inner }
                }

                #(#setters)*

                /// Calls the operation until an acceptor ends the wait, or `max_wait` goes
                /// by: the final call's output (or, for a waiter that succeeds on an
                /// error, that error), else which failure acceptor matched, the error no
                /// acceptor matched, or that time ran out.
                #[inline]
                pub async fn wait(
                    self,
                    max_wait: ::std::time::Duration,
                ) -> Result<
                    ::smithy_runtime::client::wait::FinalPoll<super::#output, ::smithy_runtime::client::SdkError<super::#error>>,
                    ::smithy_runtime::client::wait::WaiterError<super::#output, super::#error>,
                > {
                    let input = #input;
                    let config = self.inner.handle.config().clone();
                    let inner = self.inner;
                    let mut call = move || -> ::smithy_runtime::client::paginate::BoxFuture<Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>>> {
                        Box::pin(inner.clone().send())
                    };
                    ::smithy_runtime::client::wait::wait(&#spec, &config, input, max_wait, &mut call).await
                }
            }
        }
    });
    quote!(#(#waiters)*)
}
