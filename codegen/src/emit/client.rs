//! The client (behind the crate's `client` feature): `Client::from_conf(config)` with one
//! method per operation returning a fluent builder whose `send()` makes the call, as in
//! the AWS SDK for Rust.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::protocol::spec_ident;
use super::rust::ident;
use crate::plan::OperationPlan;

/// `src/client.rs`.
pub fn emit_client_module(ctx: &super::Context<'_, '_>) -> TokenStream {
    let plan = ctx.plan;
    let methods = plan.operations.iter().map(|op| {
        let method = ident(&op.module);
        let module = ident(&op.module);
        let fluent = ident(&op.fluent_builder_name());
        let docs = ctx.docs.attrs(plan.shape(&op.id).traits.documentation());
        let waiters = super::waiter::client_methods(op);
        quote! {
            #docs
            pub fn #method(&self) -> crate::operation::#module::builders::#fluent {
                crate::operation::#module::builders::#fluent::new(self.handle.clone())
            }

            #waiters
        }
    });
    let title = plan.title();
    let client_doc = format!(
        " A client for {title}: one method per operation, each returning a builder whose `send()` calls it."
    );
    quote! {
        #![doc = " The client: build a [`Config`], make a [`Client`], call operations."]

        pub use ::smithy_runtime::client::{
            Config, ConfigBuilder, Credentials, ProvideCredentials, Region, RetryConfig, SdkError, TimeoutConfig,
        };

        #[doc = #client_doc]
        #[doc = ""]
        #[doc = " Cheap to clone: clones share the configuration and the connection pool."]
        #[derive(Clone, Debug)]
        pub struct Client {
            handle: ::smithy_runtime::client::Handle,
        }

        impl Client {
            /// A client with `config`. Must be called inside a Tokio runtime.
            pub fn from_conf(config: Config) -> Client {
                Client {
                    handle: ::smithy_runtime::client::Handle::new(config, &crate::protocol::CLIENT_SERVICE),
                }
            }

            /// A client with the settings of an `SdkConfig`, as the AWS SDK's
            /// `Client::new(&aws_config::load_defaults(..).await)`: region,
            /// credentials provider, endpoint URL, retry and timeout settings.
            #[cfg(feature = "aws-config")]
            pub fn new(sdk_config: &::smithy_runtime::client::SdkConfig) -> Client {
                Client::from_conf(Config::from(sdk_config))
            }

            /// The client's configuration.
            pub fn config(&self) -> &Config {
                self.handle.config()
            }

            #(#methods)*
        }
    }
}

/// The fluent builder of one operation, for the operation's `builders` module.
pub fn emit_fluent_builder(ctx: &super::Context<'_, '_>, op: &OperationPlan) -> TokenStream {
    let plan = ctx.plan;
    let fluent = ident(&op.fluent_builder_name());
    let input_builder = ident(&op.input_builder_name());
    let input = ident(&op.input_name());
    let output = ident(&op.output_name());
    let error = ident(&op.error_name());
    let spec = spec_ident(op);
    let fields = plan.fields(&op.input);
    let mut setters = Vec::new();
    let mut tokens = Vec::new();
    // Members with a model default that the caller left unset are not sent.
    let mut default_checks = Vec::new();
    for f in fields {
        let field = ident(&f.name);
        let set = format_ident!("set_{}", f.plain);
        let get = format_ident!("get_{}", f.plain);
        let ty = &f.value_ty;
        let docs = ctx.docs.attrs(f.doc);
        setters.push(quote! {
            #docs
            pub fn #field(mut self, input: impl Into<#ty>) -> Self {
                self.inner = self.inner.#field(input);
                self
            }
            #docs
            pub fn #set(mut self, input: Option<#ty>) -> Self {
                self.inner = self.inner.#set(input);
                self
            }
            #docs
            pub fn #get(&self) -> &Option<#ty> {
                self.inner.#get()
            }
        });
        if !f.optional && f.default.is_some() {
            let wire = &f.wire_name;
            default_checks.push(quote! {
                if inner.#get().is_none() {
                    unset_defaults.push(#wire);
                }
            });
        }
        if f.member.traits.is_idempotency_token() {
            tokens.push(quote! {
                if inner.#get().is_none() {
                    inner = inner.#set(Some(self.handle.config().idempotency_token()));
                }
            });
        }
    }
    let unset_defaults = (!default_checks.is_empty()).then(|| {
        quote! {
            let mut unset_defaults: Vec<&'static str> = Vec::new();
            #(#default_checks)*
        }
    });
    let omit = if default_checks.is_empty() {
        quote!(&[])
    } else {
        quote!(&unset_defaults)
    };
    // `build()` returns a `Result` only when a required member has no default.
    let fallible = fields.iter().any(|f| !f.optional && f.default.is_none());
    let build = if fallible {
        quote!(
            inner
                .build()
                .map_err(::smithy_runtime::client::SdkError::construction_failure)?
        )
    } else {
        quote!(inner.build())
    };
    // Only idempotency tokens change the builder before it is built.
    let inner_binding = if tokens.is_empty() {
        quote!(let inner = self.inner;)
    } else {
        quote!(let mut inner = self.inner;)
    };
    let doc = format!(
        " Calls `{}`: set the input's members, then [`send`](Self::send).",
        op.name
    );
    let paginator = super::paginator::emit_paginator(plan, op);
    let waiters = super::waiter::emit_waiters(op, &setters, fallible);
    let input_stream = plan.stream_field(&op.input);
    let output_stream = plan.stream_field(&op.output);
    // A stream is read once: a builder holding one is not `Clone`.
    let clone = input_stream.is_none().then(|| quote!(Clone,));
    let call = if input_stream.is_none() && output_stream.is_none() {
        quote! {
            let input: super::#input = #build;
            ::smithy_runtime::client::send(&self.handle, &crate::protocol::#spec, &input, #omit).await
        }
    } else {
        // The input's stream goes as the body; the response's body flows into the output.
        let (binding, body) = match input_stream {
            Some(f) => {
                let field = ident(&f.name);
                (
                    quote!(let mut input: super::#input = #build;),
                    quote!(::smithy_runtime::client::take_stream(&mut input.#field)),
                )
            }
            None => (quote!(let input: super::#input = #build;), quote!(None)),
        };
        let set_output = match output_stream {
            Some(f) => {
                let field = ident(&f.name);
                quote!(Some(|output: &mut super::#output, body| output.#field = body))
            }
            None => quote!(None),
        };
        quote! {
            #binding
            let body = #body;
            ::smithy_runtime::client::send_streaming(&self.handle, &crate::protocol::#spec, &input, #omit, body, #set_output).await
        }
    };
    quote! {
        #[doc = #doc]
        #[cfg(feature = "client")]
        #[derive(#clone Debug)]
        pub struct #fluent {
            handle: ::smithy_runtime::client::Handle,
            inner: #input_builder,
        }

        #[cfg(feature = "client")]
        impl #fluent {
            pub(crate) fn new(handle: ::smithy_runtime::client::Handle) -> Self {
                Self { handle, inner: Default::default() }
            }

            /// The input built so far.
            pub fn as_input(&self) -> &#input_builder {
                &self.inner
            }

            #(#setters)*

            /// Sends the request: fills unset idempotency tokens, checks the input's
            /// constraints when the config asks for it, signs, sends and retries.
            pub async fn send(self) -> Result<super::#output, ::smithy_runtime::client::SdkError<super::#error>> {
                #inner_binding
                #(#tokens)*
                #unset_defaults
                #call
            }
        }

        #paginator

        #waiters
    }
}
