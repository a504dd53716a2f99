//! `src/server.rs` (behind the crate's `server` feature): a trait with one async method per
//! operation for the user to implement, the static protocol description of each
//! operation, and a function that turns an implementation into an `axum::Router`.

use heck::{ToShoutySnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use crate::ShapeId;
use crate::model::{Member, ShapeKind, SimpleType};
use crate::plan::{OperationPlan, ServicePlan, ident, is_http_bound};
use crate::traits::{ErrorKind, Protocol, TimestampFormat};

/// The trait users implement: named after the service's SDK id (`Athena`, `EmrServerless`).
pub fn trait_name(plan: &ServicePlan<'_>) -> String {
    plan.sdk_id.to_upper_camel_case()
}

pub fn emit_server_module(plan: &ServicePlan<'_>) -> TokenStream {
    let trait_ident = format_ident!("{}", trait_name(plan));
    let service_name = &plan.service_id.name;
    let protocol = match plan.protocol {
        Protocol::RestJson1 => quote!(RestJson1),
        Protocol::AwsJson1_0 => quote!(AwsJson1_0),
        Protocol::AwsJson1_1 => quote!(AwsJson1_1),
    };
    let methods = plan.operations.iter().map(|op| emit_trait_method(plan, op));
    let specs = plan
        .operations
        .iter()
        .map(|op| emit_operation_spec(plan, op));
    let routes = plan.operations.iter().map(emit_route);
    let error_fns = plan.operations.iter().map(|op| emit_error_fn(plan, op));
    let trait_doc = format!(
        " The `{}` service: implement one method per operation, then serve it with [`router`].",
        plan.service_id.name
    );
    quote! {
        #![doc = " The server side: implement the service trait and turn it into an `axum::Router`."]

        use ::smithy_runtime::server as rt;

        pub use ::smithy_runtime::server::{RequestContext, ServerConfig};

        #[doc = #trait_doc]
        #[doc = ""]
        #[doc = " Every operation must be implemented: a forgotten one is a compile error."]
        pub trait #trait_ident: ::std::marker::Send + ::std::marker::Sync + 'static {
            #(#methods)*
        }

        static SERVICE: rt::ServiceSpec = rt::ServiceSpec {
            protocol: rt::Protocol::#protocol,
            service_name: #service_name,
        };

        #(#specs)*

        /// An `axum::Router` serving every operation of `service`, with default settings.
        pub fn router<S: #trait_ident>(service: S) -> rt::axum::Router {
            router_with_config(service, ServerConfig::default())
        }

        /// An `axum::Router` serving every operation of `service`.
        pub fn router_with_config<S: #trait_ident>(service: S, config: ServerConfig) -> rt::axum::Router {
            let service = ::std::sync::Arc::new(service);
            rt::ServiceRouter::new(&SERVICE, config)
                #(#routes)*
                .into_router()
        }

        /// Serves `service` on `addr` until `shutdown` completes; in-flight requests finish.
        pub async fn serve<S: #trait_ident>(
            service: S,
            addr: ::std::net::SocketAddr,
            shutdown: impl ::std::future::Future<Output = ()> + ::std::marker::Send + 'static,
        ) -> ::std::io::Result<()> {
            rt::serve(router(service), addr, shutdown).await
        }

        #(#error_fns)*
    }
}

fn emit_trait_method(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let method = ident(&op.module);
    let docs = doc_attrs(plan.shape(&op.id).traits.documentation());
    let module = ident(&op.module);
    let input = ident(&op.input_name());
    let output = ident(&op.output_name());
    let error = ident(&op.error_name());
    quote! {
        #docs
        fn #method(
            &self,
            input: crate::operation::#module::#input,
            context: RequestContext,
        ) -> impl ::std::future::Future<Output = ::std::result::Result<crate::operation::#module::#output, crate::operation::#module::#error>> + ::std::marker::Send;
    }
}

fn spec_ident(op: &OperationPlan) -> proc_macro2::Ident {
    format_ident!("{}", op.name.to_shouty_snake_case())
}

fn emit_operation_spec(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let ident = spec_ident(op);
    let name = &op.id.name;
    let op_shape = plan.shape(&op.id);
    let http = match (plan.protocol, op_shape.traits.http()) {
        (Protocol::RestJson1, Some(http)) => {
            let (method, uri, code) = (&http.method, &http.uri, http.code);
            quote!(::std::option::Option::Some(rt::HttpTrait { method: #method, uri: #uri, code: #code }))
        }
        _ => quote!(::std::option::Option::None),
    };
    let (input_bindings, output_bindings) = if plan.protocol == Protocol::RestJson1 {
        (
            bindings(plan, &op.input, false),
            bindings(plan, &op.output, true),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let framework = ShapeId::parse("smithy.framework#ValidationException").ok();
    let modeled = op
        .errors
        .iter()
        .any(|e| e.name == "ValidationException" && Some(e) != framework.as_ref());
    let validation = if modeled {
        quote!(Modeled)
    } else {
        quote!(Framework)
    };
    quote! {
        static #ident: rt::OperationSpec = rt::OperationSpec {
            name: #name,
            http: #http,
            input_bindings: &[#(#input_bindings),*],
            output_bindings: &[#(#output_bindings),*],
            validation: rt::ValidationStyle::#validation,
        };
    }
}

/// The HTTP bindings of a structure's members (restJson1).
fn bindings(plan: &ServicePlan<'_>, shape: &ShapeId, output: bool) -> Vec<TokenStream> {
    let ShapeKind::Structure(members) = &plan.shape(shape).kind else {
        return Vec::new();
    };
    members
        .iter()
        .filter_map(|member| {
            let t = &member.traits;
            let name = plan.json_name(member);
            let (location, default_format) = if t.is_http_label() && !output {
                (quote!(rt::Location::Label), TimestampFormat::DateTime)
            } else if let Some(query) = t.http_query().filter(|_| !output) {
                (
                    quote!(rt::Location::Query(#query)),
                    TimestampFormat::DateTime,
                )
            } else if t.is_http_query_params() && !output {
                (quote!(rt::Location::QueryParams), TimestampFormat::DateTime)
            } else if let Some(header) = t.http_header() {
                (
                    quote!(rt::Location::Header(#header)),
                    TimestampFormat::HttpDate,
                )
            } else if let Some(prefix) = t.http_prefix_headers() {
                (
                    quote!(rt::Location::PrefixHeaders(#prefix)),
                    TimestampFormat::HttpDate,
                )
            } else if t.is_http_response_code() && output {
                (
                    quote!(rt::Location::ResponseCode),
                    TimestampFormat::HttpDate,
                )
            } else if t.is_http_payload() {
                let kind = match &plan.shape(&member.target).kind {
                    ShapeKind::Simple(SimpleType::String) | ShapeKind::Enum(_) => quote!(Text),
                    ShapeKind::Simple(SimpleType::Blob) => quote!(Blob),
                    _ => quote!(Json),
                };
                (
                    quote!(rt::Location::Payload(rt::PayloadKind::#kind)),
                    TimestampFormat::HttpDate,
                )
            } else {
                debug_assert!(!is_http_bound(member) || output || t.is_http_response_code());
                return None;
            };
            // Maps (prefix headers, query params) convert their values.
            let value_member = match &plan.shape(&member.target).kind {
                ShapeKind::Map { value, .. } => value,
                _ => member,
            };
            let scalar = scalar(plan, value_member, member, default_format);
            Some(quote!(rt::Binding { member: #name, location: #location, value: #scalar }))
        })
        .collect()
}

/// How a bound value converts between HTTP text and JSON.
fn scalar(
    plan: &ServicePlan<'_>,
    value: &Member,
    bound: &Member,
    default_format: TimestampFormat,
) -> TokenStream {
    let target = plan.shape(&value.target);
    match &target.kind {
        ShapeKind::Simple(SimpleType::Boolean) => quote!(rt::Scalar::Boolean),
        ShapeKind::Simple(
            SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long,
        )
        | ShapeKind::IntEnum(_) => quote!(rt::Scalar::Integer),
        ShapeKind::Simple(
            SimpleType::Float
            | SimpleType::Double
            | SimpleType::BigDecimal
            | SimpleType::BigInteger,
        ) => {
            quote!(rt::Scalar::Float)
        }
        ShapeKind::Simple(SimpleType::Blob) => quote!(rt::Scalar::Blob),
        ShapeKind::Simple(SimpleType::Timestamp) => {
            let explicit = bound
                .traits
                .timestamp_format()
                .or_else(|| value.traits.timestamp_format())
                .or_else(|| target.traits.timestamp_format());
            let wire = format_tokens(explicit.unwrap_or(default_format));
            let json = format_tokens(plan.body_timestamp_format(value));
            quote!(rt::Scalar::Timestamp { wire: ::smithy_runtime::TimestampFormat::#wire, json: ::smithy_runtime::TimestampFormat::#json })
        }
        ShapeKind::List(inner) => {
            let inner = scalar(plan, inner, bound, default_format);
            quote!(rt::Scalar::List(&#inner))
        }
        _ => quote!(rt::Scalar::String),
    }
}

fn format_tokens(format: TimestampFormat) -> TokenStream {
    match format {
        TimestampFormat::EpochSeconds => quote!(EpochSeconds),
        TimestampFormat::DateTime => quote!(DateTime),
        TimestampFormat::HttpDate => quote!(HttpDate),
    }
}

fn emit_route(op: &OperationPlan) -> TokenStream {
    let spec = spec_ident(op);
    let method = ident(&op.module);
    let module = ident(&op.module);
    let input = ident(&op.input_name());
    let error_fn = format_ident!("{}_error", crate::naming::unraw(&op.module));
    quote! {
        .route(&#spec, {
            let service = ::std::sync::Arc::clone(&service);
            move |input, context| {
                let service = ::std::sync::Arc::clone(&service);
                async move {
                    let input = match crate::operation::#module::#input::from_json(input) {
                        ::std::result::Result::Ok(input) => input,
                        ::std::result::Result::Err(error) => return rt::Outcome::InvalidInput(error),
                    };
                    match service.#method(input, context).await {
                        ::std::result::Result::Ok(output) => rt::Outcome::output(&output),
                        ::std::result::Result::Err(error) => rt::Outcome::Error(#error_fn(error)),
                    }
                }
            }
        })
    }
}

/// Maps an operation's error enum to the response the protocol sends.
fn emit_error_fn(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let fn_ident = format_ident!("{}_error", crate::naming::unraw(&op.module));
    let module = ident(&op.module);
    let error = ident(&op.error_name());
    let arms = op.errors.iter().map(|error_id| {
        let shape = plan.shape(error_id);
        let variant = ident(&plan.symbol(error_id).name);
        let status = shape.traits.http_error().unwrap_or(match shape.traits.error() {
            Some(ErrorKind::Server) => 500,
            _ => 400,
        });
        let type_name = &error_id.name;
        quote!(crate::operation::#module::#error::#variant(error) => rt::ErrorResponse::modeled(#type_name, #status, &error),)
    });
    quote! {
        fn #fn_ident(error: crate::operation::#module::#error) -> rt::ErrorResponse {
            match error {
                #(#arms)*
                crate::operation::#module::#error::Unhandled(_) => rt::ErrorResponse::internal(),
            }
        }
    }
}
