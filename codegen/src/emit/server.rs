//! `src/server.rs` (behind the crate's `server` feature): a trait with one async method per
//! operation for the user to implement, the static protocol description of each
//! operation, and a function that turns an implementation into an `axum::Router`.

use heck::ToUpperCamelCase;
use proc_macro2::{Ident, TokenStream};
use quote::{format_ident, quote};

use super::protocol::spec_ident;
use super::rust::ident;
use crate::plan::{OperationPlan, ServicePlan};
use crate::traits::ErrorKind;

/// The trait users implement: named after the service's SDK id (`Athena`, `EmrServerless`).
pub fn trait_name(plan: &ServicePlan<'_>) -> String {
    plan.sdk_id.to_upper_camel_case()
}

pub fn emit_server_module(ctx: &super::Context<'_, '_>) -> TokenStream {
    let plan = ctx.plan;
    let trait_ident = format_ident!("{}", trait_name(plan));
    let partial_ident = format_ident!("{}Partial", trait_name(plan));
    let stub_ident = format_ident!("{}Stub", trait_name(plan));
    let methods = plan
        .operations
        .iter()
        .map(|op| emit_trait_method(ctx, op, None));
    let partial_methods = plan
        .operations
        .iter()
        .map(|op| emit_trait_method(ctx, op, Some(&stub_ident)));
    let forwards = plan
        .operations
        .iter()
        .map(|op| emit_forward(op, &partial_ident));
    let stub_methods = plan.operations.iter().map(|op| emit_stub_method(plan, op));
    let partial_doc = format!(
        " [`{trait_ident}`] for a server that implements some operations: every method has a \
         default, so implement the ones you serve. The others answer as \
         [`{partial_ident}::unimplemented`] says: from [`{stub_ident}`] (with the crate's \
         `stub` feature) or with a `NotImplemented` error (HTTP 501). Whatever implements \
         this trait implements [`{trait_ident}`]."
    );
    let stub_doc = format!(
        " Answers every operation of `{}` from the model (feature `stub`): the input is \
         validated as for any implementation, then the answer is the output of a matching \
         `@examples` entry, or else an output made from the output shape that satisfies its \
         constraints. A request naming one of the operation's errors in the \
         `x-smithy-stub-error` header gets that error instead.",
        plan.service_id.name
    );
    let routes = plan.operations.iter().map(emit_route);
    let handlers = plan
        .operations
        .iter()
        .map(|op| emit_handler(plan, op, &trait_ident));
    let outcome_fns = plan.operations.iter().map(|op| emit_outcome_fn(plan, op));
    let error_fns = plan.operations.iter().map(|op| emit_error_fn(plan, op));
    let trait_doc = format!(
        " The `{}` service: implement one method per operation, then serve it with [`router`].",
        plan.service_id.name
    );
    let partial_note =
        format!(" To implement some operations only, implement [`{partial_ident}`] instead.");
    // Each operation's input, output and error by name: the names are the operation's
    // with a suffix, so they do not collide.
    let imports = plan.operations.iter().map(|op| {
        let module = ident(&op.module);
        let (input, output, error) = op_types(op);
        quote!(use crate::operation::#module::{#error, #input, #output};)
    });
    quote! {
        #![doc = " The server side: implement the service trait and turn it into an `axum::Router`."]

        use ::std::future::Future;
        use ::std::sync::Arc;

        use ::smithy_runtime::server as rt;
        #[cfg(feature = "stub")]
        use ::smithy_runtime::stub;

        #(#imports)*

        pub use ::smithy_runtime::server::{RequestContext, ServerConfig};

        #[doc = #trait_doc]
        #[doc = ""]
        #[doc = " Every operation must be implemented: a forgotten one is a compile error."]
        #[doc = #partial_note]
        pub trait #trait_ident: Send + Sync + 'static {
            #(#methods)*
        }

        #[doc = #partial_doc]
        pub trait #partial_ident: Send + Sync + 'static {
            /// How the operations this type does not implement answer: from the stub
            /// (the default; without the `stub` feature, as `NotImplemented`).
            fn unimplemented(&self) -> rt::Unimplemented {
                rt::Unimplemented::Stub
            }

            #(#partial_methods)*
        }

        impl<T: #partial_ident> #trait_ident for T {
            #(#forwards)*
        }

        #[doc = #stub_doc]
        #[cfg(feature = "stub")]
        #[derive(Clone, Copy, Debug, Default)]
        pub struct #stub_ident;

        #[cfg(feature = "stub")]
        impl #trait_ident for #stub_ident {
            #(#stub_methods)*
        }


        /// An `axum::Router` serving every operation of `service`, with default settings.
        pub fn router<S: #trait_ident>(service: S) -> rt::axum::Router {
            router_with_config(service, ServerConfig::default())
        }

        /// An `axum::Router` serving every operation of `service`.
        pub fn router_with_config<S: #trait_ident>(service: S, config: ServerConfig) -> rt::axum::Router {
            let service = Arc::new(service);
            rt::ServiceRouter::new(&crate::protocol::SERVICE, config)
                #(#routes)*
                .into_router()
        }

        #(#handlers)*

        /// Serves `service` on `addr` until `shutdown` completes; in-flight requests finish.
        pub async fn serve<S: #trait_ident>(
            service: S,
            addr: ::std::net::SocketAddr,
            shutdown: impl Future<Output = ()> + Send + 'static,
        ) -> ::std::io::Result<()> {
            rt::serve(router(service), addr, shutdown).await
        }

        #(#outcome_fns)*

        #(#error_fns)*
    }
}

/// `<op>_outcome`: what the router sends for a handler's result.
fn outcome_fn_ident(op: &OperationPlan) -> proc_macro2::Ident {
    ident(&op.outcome_fn_name())
}

fn emit_outcome_fn(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let spec = spec_ident(op);
    // An operation without output (`smithy.api#Unit`) answers with an empty body; a
    // streamed payload is sent as it is read.
    let ok = if op.output == crate::ShapeId::prelude("Unit") {
        quote!(Ok(_) => rt::Outcome::Body(Vec::new()),)
    } else if let Some(f) = plan.stream_field(&op.output) {
        let field = ident(&f.name);
        quote! {
            Ok(mut output) => {
                let body = ::std::mem::take(&mut output.#field);
                rt::Outcome::streaming(&crate::protocol::#spec, &output, body)
            }
        }
    } else {
        quote!(Ok(output) => rt::Outcome::output(&crate::protocol::#spec, &output),)
    };
    let fn_ident = outcome_fn_ident(op);
    let error_fn = ident(&op.error_fn_name());
    let (_, output, error) = op_types(op);
    let doc = format!(
        " What the router sends for a result of `{}`: render it with [`rt::outcome_response`].",
        op.name
    );
    quote! {
        #[doc = #doc]
        pub fn #fn_ident(
            result: Result<#output, #error>,
        ) -> rt::Outcome {
            match result {
                #ok
                Err(error) => rt::Outcome::Error(#error_fn(error)),
            }
        }
    }
}

/// The operation's input, output and error types, as `server.rs` imports them.
fn op_types(op: &OperationPlan) -> (Ident, Ident, Ident) {
    (
        ident(&op.input_name()),
        ident(&op.output_name()),
        ident(&op.error_name()),
    )
}

/// `fn <op>(&self, input, context) -> impl Future<Output = Result<Output, Error>> + Send`,
/// the signature of an operation's method in every trait and impl of `server.rs`, which
/// imports the types, `Future` and `RequestContext`.
fn server_signature(op: &OperationPlan) -> TokenStream {
    let (input, output, error) = op_types(op);
    signature(
        op,
        [quote!(#input), quote!(#output), quote!(#error)],
        &quote!(RequestContext),
        &quote!(Future),
    )
}

/// The same signature from outside the crate: `root` is its path (`::athena`), `context`
/// the path of its `RequestContext`.
pub(crate) fn method_signature(
    op: &OperationPlan,
    root: &TokenStream,
    context: &TokenStream,
) -> TokenStream {
    let module = ident(&op.module);
    let (input, output, error) = op_types(op);
    signature(
        op,
        [input, output, error].map(|ty| quote!(#root::operation::#module::#ty)),
        context,
        &quote!(::std::future::Future),
    )
}

fn signature(
    op: &OperationPlan,
    [input, output, error]: [TokenStream; 3],
    context: &TokenStream,
    future: &TokenStream,
) -> TokenStream {
    let method = ident(&op.module);
    quote! {
        fn #method(
            &self,
            input: #input,
            context: #context,
        ) -> impl #future<Output = Result<#output, #error>> + Send
    }
}

/// A method of the service trait; with `stub`, of the partial trait, with its default
/// body (the stub's answer, or `NotImplemented`).
fn emit_trait_method(
    ctx: &super::Context<'_, '_>,
    op: &OperationPlan,
    stub: Option<&proc_macro2::Ident>,
) -> TokenStream {
    let plan = ctx.plan;
    let method = ident(&op.module);
    let docs = ctx.docs.attrs(plan.shape(&op.id).traits.documentation());
    let (_, _, error) = op_types(op);
    let signature = server_signature(op);
    let Some(stub) = stub else {
        return quote! {
            #docs
            #signature;
        };
    };
    let trait_ident = format_ident!("{}", trait_name(plan));
    let name = &op.name;
    quote! {
        #docs
        #signature {
            let answer = self.unimplemented();
            async move {
                #[cfg(feature = "stub")]
                if answer == rt::Unimplemented::Stub {
                    return <#stub as #trait_ident>::#method(&#stub, input, context).await;
                }
                let _ = (answer, input, context);
                Err(#error::Unhandled(rt::not_implemented(#name)))
            }
        }
    }
}

/// The service trait's method for an implementation of the partial trait.
fn emit_forward(op: &OperationPlan, partial: &proc_macro2::Ident) -> TokenStream {
    let method = ident(&op.module);
    let signature = server_signature(op);
    quote! {
        #signature {
            #partial::#method(self, input, context)
        }
    }
}

/// The stub's answer to one operation.
fn emit_stub_method(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let (_, _, error) = op_types(op);
    let signature = server_signature(op);
    let name = &op.name;
    let option = |text: &Option<String>| match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    };
    let examples = op.examples.iter().map(|example| {
        let title = &example.title;
        let input = option(&example.input);
        let output = option(&example.output);
        let error = match &example.error {
            Some((id, content)) => quote!(Some((#id, #content))),
            None => quote!(None),
        };
        quote!(stub::Example { title: #title, input: #input, output: #output, error: #error },)
    });
    let answer = quote! {
        stub::answer(
            #name,
            &input,
            context.headers(),
            &[#(#examples)*],
        )
    };
    // A streamed input is read whole first, to be matched against the examples.
    let Some(f) = plan.stream_field(&op.input) else {
        return quote! {
            #signature {
                ::std::future::ready(#answer)
            }
        };
    };
    let field = ident(&f.name);
    quote! {
        #signature {
            async move {
                let mut input = input;
                input.#field = stub::read_stream(::std::mem::take(&mut input.#field))
                    .await
                    .map_err(#error::Unhandled)?;
                #answer
            }
        }
    }
}

/// `.route_with(&crate::protocol::<OP>, &service, <op>_handler)`.
fn emit_route(op: &OperationPlan) -> TokenStream {
    let spec = spec_ident(op);
    let handler = ident(&op.handler_fn_name());
    quote!(.route_with(&crate::protocol::#spec, &service, #handler))
}

/// `<op>_handler`: reads the typed input from a checked request, calls the service and
/// turns its result into what the router sends.
fn emit_handler(
    plan: &ServicePlan<'_>,
    op: &OperationPlan,
    trait_ident: &proc_macro2::Ident,
) -> TokenStream {
    let method = ident(&op.module);
    let (input, _, _) = op_types(op);
    let outcome_fn = outcome_fn_ident(op);
    let handler = ident(&op.handler_fn_name());
    // A streamed payload is read by the handler, as it arrives.
    let (request, binding, stream) = match plan.stream_field(&op.input) {
        Some(f) => {
            let field = ident(&f.name);
            (
                quote!(mut request),
                quote!(mut input),
                quote!(input.#field = request.take_stream();),
            )
        }
        None => (quote!(request), quote!(input), quote!()),
    };
    let doc = format!(" Serves one `{}` request.", op.name);
    quote! {
        #[doc = #doc]
        async fn #handler<S: #trait_ident>(
            service: Arc<S>,
            #request: rt::Request,
            context: RequestContext,
        ) -> rt::Outcome {
            let #binding = match rt::read_input::<#input>(&request) {
                Ok(input) => input,
                Err(error) => return rt::Outcome::InvalidInput(error),
            };
            #stream
            #outcome_fn(service.#method(input, context).await)
        }
    }
}

/// Maps an operation's error enum to the response the protocol sends.
fn emit_error_fn(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let fn_ident = ident(&op.error_fn_name());
    let (_, _, error) = op_types(op);
    let arms = op.errors.iter().map(|error_id| {
        let shape = plan.shape(error_id);
        let variant = ident(&plan.symbol(error_id).name);
        let status = shape.traits.http_error().unwrap_or(match shape.traits.error() {
            Some(ErrorKind::Server) => 500,
            _ => 400,
        });
        // awsJson1_0 names the error by its full shape ID; the others by its name.
        let type_name = if plan.protocol == crate::traits::Protocol::AwsJson1_0 {
            error_id.to_string()
        } else {
            error_id.name.clone()
        };
        let response = match super::protocol::error_bindings_ident(plan, error_id) {
            Some(bindings) => quote!(rt::ErrorResponse::modeled_with_bindings(#type_name, #status, &error, crate::protocol::#bindings)),
            None => quote!(rt::ErrorResponse::modeled(#type_name, #status, &error)),
        };
        // `awsQueryError`: the awsQuery code and fault, for query-compatible clients.
        let response = match shape.traits.aws_query_error_code() {
            Some(code) => {
                let fault = if status >= 500 { "Receiver" } else { "Sender" };
                let header = format!("{code};{fault}");
                quote!(#response.with_header("x-amzn-query-error", #header))
            }
            None => response,
        };
        quote!(#error::#variant(error) => #response,)
    });
    quote! {
        fn #fn_ident(error: #error) -> rt::ErrorResponse {
            match error {
                #(#arms)*
                #error::Unhandled(error) => rt::ErrorResponse::unhandled(&error),
            }
        }
    }
}
