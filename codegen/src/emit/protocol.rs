//! `src/protocol.rs`: the static description of the service and of each operation (name,
//! HTTP bindings, how validation errors are reported) that both the client and the server
//! read. Always compiled: it is plain data.

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ShapeId;
use crate::model::{Member, ShapeKind, SimpleType};
use crate::plan::{HttpBinding, OperationPlan, ServicePlan};
use crate::traits::{Protocol, TimestampFormat};

pub fn emit_protocol_module(plan: &ServicePlan<'_>) -> TokenStream {
    let service_name = &plan.service_id.name;
    let protocol = match plan.protocol {
        Protocol::RestJson1 => quote!(RestJson1),
        Protocol::AwsJson1_0 => quote!(AwsJson1_0),
        Protocol::AwsJson1_1 => quote!(AwsJson1_1),
    };
    let specs = plan
        .operations
        .iter()
        .map(|op| emit_operation_spec(plan, op));
    let option = |value: Option<&str>| match value {
        Some(v) => quote!(Some(#v)),
        None => quote!(None),
    };
    let signing_name = option(plan.service_shape.traits.sigv4_name());
    let endpoint_rules = match plan.endpoint_rules {
        Some(_) => quote!(Some(&crate::endpoint::RULES)),
        None => quote!(None),
    };
    let auth = auth_schemes(plan);
    let sdk_id = &plan.sdk_id;
    let version = &plan.service.version;
    let errors: std::collections::BTreeSet<&ShapeId> =
        plan.operations.iter().flat_map(|op| &op.errors).collect();
    let error_bindings = errors.into_iter().filter_map(|error| {
        let ident = error_bindings_ident(plan, error)?;
        let list = bindings(plan, error, true);
        let doc = format!(" The header bindings of `{}`.", error.name);
        Some(quote! {
            #[doc = #doc]
            pub static #ident: &[::smithy_runtime::protocol::Binding] = &[#(#list),*];
        })
    });
    // Services the AWS SDKs customize, by SDK id.
    let customization = match plan.sdk_id.as_str() {
        "API Gateway" => quote!(ApiGateway),
        "Glacier" => quote!(Glacier),
        "Machine Learning" => quote!(MachineLearning),
        _ => quote!(None),
    };
    let query_compatible = plan
        .service_shape
        .traits
        .has("aws.protocols#awsQueryCompatible");
    quote! {
        #![doc = " How the service's operations travel over HTTP, for the client and the server."]

        /// The protocol the service speaks.
        pub const PROTOCOL: ::smithy_runtime::protocol::Protocol = ::smithy_runtime::protocol::Protocol::#protocol;

        /// The service, as the server sees it.
        pub static SERVICE: ::smithy_runtime::protocol::ServiceSpec = ::smithy_runtime::protocol::ServiceSpec {
            protocol: PROTOCOL,
            service_name: #service_name,
            signing_name: #signing_name,
        };

        /// The service, as the client sees it.
        #[cfg(feature = "client")]
        pub static CLIENT_SERVICE: ::smithy_runtime::client::ServiceInfo = ::smithy_runtime::client::ServiceInfo {
            protocol: PROTOCOL,
            service_name: #service_name,
            signing_name: #signing_name,
            endpoint_rules: #endpoint_rules,
            auth: &[#(#auth),*],
            sdk_id: #sdk_id,
            api_version: #version,
            query_compatible: #query_compatible,
            customization: ::smithy_runtime::client::Customization::#customization,
        };

        #(#specs)*

        #(#error_bindings)*
    }
}

/// The service's auth schemes the client applies, in the `@auth` trait's order, else by
/// shape ID (as Smithy orders them).
fn auth_schemes(plan: &ServicePlan<'_>) -> Vec<TokenStream> {
    let traits = &plan.service_shape.traits;
    let value = |id: &str| match ShapeId::parse(id)
        .ok()
        .and_then(|id| traits.get(&id).cloned())
    {
        Some(crate::traits::Trait::Other(value)) => Some(value),
        Some(_) => Some(serde_json::Value::Null),
        None => None,
    };
    let mut schemes: Vec<(String, TokenStream)> = Vec::new();
    if traits.sigv4_name().is_some() {
        schemes.push((
            "aws.auth#sigv4".into(),
            quote!(::smithy_runtime::client::AuthScheme::SigV4),
        ));
    }
    if value("smithy.api#httpBearerAuth").is_some() {
        schemes.push((
            "smithy.api#httpBearerAuth".into(),
            quote!(::smithy_runtime::client::AuthScheme::Bearer),
        ));
    }
    if let Some(api_key) = value("smithy.api#httpApiKeyAuth") {
        let name = api_key["name"].as_str().unwrap_or("x-api-key").to_string();
        let in_query = api_key["in"].as_str() == Some("query");
        let scheme = match api_key["scheme"].as_str() {
            Some(s) => quote!(Some(#s)),
            None => quote!(None),
        };
        schemes.push((
            "smithy.api#httpApiKeyAuth".into(),
            quote!(::smithy_runtime::client::AuthScheme::ApiKey { name: #name, in_query: #in_query, scheme: #scheme }),
        ));
    }
    match value("smithy.api#auth") {
        Some(serde_json::Value::Array(order)) => order
            .iter()
            .filter_map(|id| {
                let id = id.as_str()?;
                schemes
                    .iter()
                    .find(|(s, _)| s == id)
                    .map(|(_, t)| t.clone())
            })
            .collect(),
        _ => {
            schemes.sort_by(|a, b| a.0.cmp(&b.0));
            schemes.into_iter().map(|(_, t)| t).collect()
        }
    }
}

/// `ERROR_<NAME>`: the header bindings of a restJson1 error structure that has some.
pub fn error_bindings_ident(plan: &ServicePlan<'_>, error: &ShapeId) -> Option<proc_macro2::Ident> {
    if plan.protocol != Protocol::RestJson1 {
        return None;
    }
    plan.fields(error)
        .iter()
        .any(|f| {
            matches!(
                f.binding,
                Some(HttpBinding::Header(_) | HttpBinding::PrefixHeaders(_))
            )
        })
        .then(|| format_ident!("ERROR_{}", plan.symbol(error).name.to_shouty_snake_case()))
}

pub fn spec_ident(op: &OperationPlan) -> proc_macro2::Ident {
    format_ident!("{}", op.spec_name())
}

fn emit_operation_spec(plan: &ServicePlan<'_>, op: &OperationPlan) -> TokenStream {
    let ident = spec_ident(op);
    let name = &op.id.name;
    let op_shape = plan.shape(&op.id);
    let http = match (plan.protocol, op_shape.traits.http()) {
        (Protocol::RestJson1, Some(http)) => {
            let (method, uri, code) = (&http.method, &http.uri, http.code);
            quote!(Some(::smithy_runtime::protocol::HttpTrait { method: #method, uri: #uri, code: #code }))
        }
        _ => quote!(None),
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
    let input_body = input_body(plan, &op.input);
    let input_media_type = option_tokens(payload_media_type(plan, &op.input));
    let output_media_type = option_tokens(payload_media_type(plan, &op.output));
    let host_prefix = option_tokens(op_shape.traits.host_prefix());
    let unsupported = option_tokens(op.unsupported().as_deref());
    let streaming = |shape: &ShapeId| match plan.stream_field(shape).and_then(|f| f.streaming) {
        Some(s) => {
            let requires_length = s.requires_length;
            quote!(Some(::smithy_runtime::protocol::Streaming { requires_length: #requires_length }))
        }
        None => quote!(None),
    };
    let endpoint_params = super::endpoint::operation_params(op);
    let input_streaming = streaming(&op.input);
    let output_streaming = streaming(&op.output);
    let compression = op_shape.traits.request_compression();
    let checksum_required = op_shape.traits.has("smithy.api#httpChecksumRequired");
    let doc = format!(" The `{name}` operation.");
    quote! {
        #[doc = #doc]
        pub static #ident: ::smithy_runtime::protocol::OperationSpec = ::smithy_runtime::protocol::OperationSpec {
            name: #name,
            http: #http,
            input_bindings: &[#(#input_bindings),*],
            output_bindings: &[#(#output_bindings),*],
            validation: ::smithy_runtime::protocol::ValidationStyle::#validation,
            input_body: ::smithy_runtime::protocol::InputBody::#input_body,
            input_media_type: #input_media_type,
            output_media_type: #output_media_type,
            checksum_required: #checksum_required,
            request_compression: &[#(#compression),*],
            host_prefix: #host_prefix,
            unsupported: #unsupported,
            input_streaming: #input_streaming,
            output_streaming: #output_streaming,
            endpoint_params: #endpoint_params,
        };
    }
}

/// What of an input restJson1 puts in the request body (`InputBody`'s variant).
fn input_body(plan: &ServicePlan<'_>, shape: &ShapeId) -> TokenStream {
    if *shape == ShapeId::prelude("Unit") {
        return quote!(None);
    }
    let fields = plan.fields(shape);
    if fields.is_empty() {
        quote!(Empty)
    } else if fields.iter().any(|f| f.binding.is_none()) {
        quote!(Json)
    } else {
        quote!(Bound)
    }
}

/// The `@mediaType` of a structure's payload member's target, if it has one.
fn payload_media_type<'m>(plan: &ServicePlan<'m>, shape: &ShapeId) -> Option<&'m str> {
    let payload = plan
        .fields(shape)
        .iter()
        .find(|f| matches!(f.binding, Some(HttpBinding::Payload(_))))?;
    plan.shape(&payload.member.target).traits.media_type()
}

fn option_tokens(text: Option<&str>) -> TokenStream {
    match text {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}

/// The HTTP bindings of a structure's members (restJson1), as the plan decided them.
fn bindings(plan: &ServicePlan<'_>, shape: &ShapeId, output: bool) -> Vec<TokenStream> {
    plan.fields(shape)
        .iter()
        .filter_map(|field| {
            let binding = field.binding.as_ref().filter(|b| b.applies(output))?;
            let (location, default_format) = match binding {
                HttpBinding::Label => (quote!(Label), TimestampFormat::DateTime),
                HttpBinding::Query(name) => (quote!(Query(#name)), TimestampFormat::DateTime),
                HttpBinding::QueryParams => (quote!(QueryParams), TimestampFormat::DateTime),
                HttpBinding::Header(name) => (quote!(Header(#name)), TimestampFormat::HttpDate),
                HttpBinding::PrefixHeaders(prefix) => {
                    (quote!(PrefixHeaders(#prefix)), TimestampFormat::HttpDate)
                }
                HttpBinding::ResponseCode => (quote!(ResponseCode), TimestampFormat::HttpDate),
                HttpBinding::Payload(kind) => (quote!(Payload(#kind)), TimestampFormat::HttpDate),
            };
            let member = field.member;
            // Maps (prefix headers, query params) convert their values.
            let value_member = match &plan.shape(&member.target).kind {
                ShapeKind::Map { value, .. } => value,
                _ => member,
            };
            let scalar = scalar(plan, value_member, member, default_format);
            let name = &field.wire_name;
            Some(quote!(::smithy_runtime::protocol::Binding { member: #name, location: ::smithy_runtime::protocol::Location::#location, value: #scalar }))
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
        ShapeKind::Simple(SimpleType::Boolean) => {
            quote!(::smithy_runtime::protocol::Scalar::Boolean)
        }
        ShapeKind::Simple(
            SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long,
        )
        | ShapeKind::IntEnum(_) => quote!(::smithy_runtime::protocol::Scalar::Integer),
        ShapeKind::Simple(
            SimpleType::Float
            | SimpleType::Double
            | SimpleType::BigDecimal
            | SimpleType::BigInteger,
        ) => {
            quote!(::smithy_runtime::protocol::Scalar::Float)
        }
        ShapeKind::Simple(SimpleType::Blob) => quote!(::smithy_runtime::protocol::Scalar::Blob),
        ShapeKind::Simple(SimpleType::String) if target.traits.media_type().is_some() => {
            quote!(::smithy_runtime::protocol::Scalar::EncodedString)
        }
        ShapeKind::Simple(SimpleType::Timestamp) => {
            let explicit = plan.explicit_timestamp_format([bound, value], &value.target);
            let wire = super::rust::timestamp_format(explicit.unwrap_or(default_format));
            let json = super::rust::timestamp_format(plan.body_timestamp_format(value));
            quote!(::smithy_runtime::protocol::Scalar::Timestamp { wire: #wire, json: #json })
        }
        ShapeKind::List(inner) => {
            let inner = scalar(plan, inner, bound, default_format);
            quote!(::smithy_runtime::protocol::Scalar::List(&#inner))
        }
        _ => quote!(::smithy_runtime::protocol::Scalar::String),
    }
}
