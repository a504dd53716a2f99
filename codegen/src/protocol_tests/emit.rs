//! `tests/protocol_tests.rs`: one test per case and side, over the crate's public API and
//! `smithy_runtime::protocol_test`.
//!
//! - request, client: the fluent builder sends `params` through a transport that records
//!   the request; the request is checked against the case.
//! - request, server: the case's request goes to the router; the handler must receive
//!   `params`.
//! - response, client: the transport answers with the case's response; the output (or
//!   error) must equal `params`.
//! - response, server: `params` (or the error) is what the handler returns; the response
//!   the router writes is checked against the case.
//! - malformed request: the case's request goes to the router; the response is checked and
//!   the handler must not have been called.

use proc_macro2::TokenStream;
use quote::{ToTokens, format_ident, quote};
use serde_json::Value;

use super::TestRecord;
use super::cases::{Case, CaseKind, Side};
use super::values::ValueWriter;

use crate::emit::rust::ident;
use crate::plan::{OperationPlan, ServicePlan};

const RT: &str = "::smithy_runtime::protocol_test";

/// The test file and the tests in it.
pub fn emit_tests(plan: &ServicePlan<'_>, cases: &[Case]) -> (String, Vec<TestRecord>) {
    let mut tests = Vec::new();
    let mut records = Vec::new();
    for case in cases {
        for &side in &case.sides {
            let name = case.test_name(side);
            let body = match test_body(plan, case, side) {
                Ok(body) => body,
                Err(reason) => {
                    let message = format!("the harness cannot interpret this case: {reason}");
                    quote!(panic!(#message);)
                }
            };
            let fn_ident = format_ident!("{}", name);
            let doc = case.data["documentation"]
                .as_str()
                .map(|d| format!(" {}", d.trim()))
                .unwrap_or_default();
            tests.push(quote! {
                #[doc = #doc]
                #[test]
                fn #fn_ident() {
                    #body
                }
            });
            records.push(TestRecord {
                crate_name: plan.crate_name.clone(),
                test_name: name,
                id: case.id.clone(),
                protocol: plan.protocol.trait_id().to_string(),
                kind: case.kind,
                side,
            });
        }
    }
    let handlers = emit_handlers(plan);
    let doc = format!(
        " The Smithy protocol compliance cases of `{}` ({}), one test per case and side.",
        plan.service_id,
        plan.protocol.trait_id()
    );
    let file = quote! {
        #![doc = #doc]
        #![allow(non_snake_case, clippy::all)]

        #handlers

        #(#tests)*
    };
    let text = match crate::format::format_file(file.clone(), &[]) {
        Ok(text) => text,
        // Never expected; the unformatted file still compiles, or names the problem.
        Err(_) => file.to_string(),
    };
    (text, records)
}

fn rt() -> TokenStream {
    RT.parse().expect("a path")
}

/// A service implementation whose every handler records its input and returns the
/// default output.
fn emit_handlers(plan: &ServicePlan<'_>) -> TokenStream {
    let lib = format_ident!("{}", plan.lib_name());
    let trait_ident = format_ident!("{}", crate::emit::server::trait_name(plan));
    let rt = rt();
    let (root, context) = (quote!(::#lib), quote!(::#lib::server::RequestContext));
    let methods = plan.operations.iter().map(|op| {
        let signature = crate::emit::server::method_signature(op, &root, &context);
        // A streamed input is read whole first, for the test to compare.
        let Some(f) = plan.stream_field(&op.input) else {
            return quote! {
                #signature {
                    let _ = context;
                    self.0.record(input);
                    ::std::future::ready(::std::result::Result::Ok(::std::default::Default::default()))
                }
            };
        };
        let field = ident(&f.name);
        quote! {
            #signature {
                let _ = context;
                async move {
                    let mut input = input;
                    let body = ::std::mem::take(&mut input.#field).collect().await.expect("the body reads");
                    input.#field = ::smithy_runtime::ByteStream::from(body.into_bytes());
                    self.0.record(input);
                    ::std::result::Result::Ok(::std::default::Default::default())
                }
            }
        }
    });
    quote! {
        /// Records what each handler receives.
        #[derive(Clone, Default)]
        struct Handlers(#rt::Recorder);

        impl ::#lib::server::#trait_ident for Handlers {
            #(#methods)*
        }
    }
}

fn test_body(plan: &ServicePlan<'_>, case: &Case, side: Side) -> Result<TokenStream, String> {
    let op = &plan.operations[case.operation];
    let inner = match (case.kind, side) {
        (CaseKind::Request, Side::Client) => client_request(plan, op, &case.data)?,
        (CaseKind::Request, Side::Server) => server_request(plan, op, &case.data)?,
        (CaseKind::Response, Side::Client) => client_response(plan, op, case)?,
        (CaseKind::Response, Side::Server) => server_response(plan, op, case)?,
        (CaseKind::MalformedRequest, _) => malformed_request(plan, &case.data)?,
    };
    let rt = rt();
    Ok(quote!(#rt::block_on(async { #inner });))
}

fn str_list(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

fn header_pairs(value: &Value) -> TokenStream {
    let pairs = value
        .as_object()
        .map(|headers| {
            headers
                .iter()
                .map(|(k, v)| {
                    let v = v.as_str().unwrap_or_default();
                    quote!((#k, #v))
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    quote!(&[#(#pairs),*])
}

fn list_tokens(value: &Value) -> TokenStream {
    let items = str_list(value);
    quote!(&[#(#items),*])
}

fn option_str(value: &Value) -> TokenStream {
    match value.as_str() {
        Some(text) => quote!(::std::option::Option::Some(#text)),
        None => quote!(::std::option::Option::None),
    }
}

/// A client of the crate whose requests go to `transport`, with the case's host.
fn client(plan: &ServicePlan<'_>, transport: TokenStream, host: Option<&str>) -> TokenStream {
    let lib = format_ident!("{}", plan.lib_name());
    let rt = rt();
    let endpoint = format!("https://{}", host.unwrap_or("example.com"));
    quote! {
        let config = ::#lib::Config::builder()
            .region("us-east-1")
            .endpoint_url(#endpoint)
            .credentials_provider(#rt::test_credentials())
            .retry_config(::#lib::client::RetryConfig::disabled())
            // The token the specification's cases expect an SDK's tests to use.
            .idempotency_token_provider(|| ::std::string::String::from("00000000-0000-4000-8000-000000000000"))
            .http_client(#transport)
            .build();
        let client = ::#lib::Client::from_conf(config);
    }
}

fn op_builder(plan: &ServicePlan<'_>, op: &OperationPlan, which: &str) -> TokenStream {
    let lib = format_ident!("{}", plan.lib_name());
    let module = ident(&op.module);
    let builder = ident(&crate::plan::builder_name(&format!("{}{}", op.name, which)));
    quote!(::#lib::operation::#module::builders::#builder)
}

fn assert_equal(by_json: bool) -> TokenStream {
    if by_json {
        // NaN equals nothing, itself included, and a stream is not comparable: compare the
        // JSON forms instead (where NaN is the string "NaN", maps are ordered by key, and
        // a stream read into memory is its bytes).
        quote! {
            assert_eq!(
                ::smithy_runtime::protocol_test::json_form(&actual),
                ::smithy_runtime::protocol_test::json_form(&expected),
                "{actual:?} != {expected:?}"
            );
        }
    } else {
        quote!(assert_eq!(actual, expected);)
    }
}

fn client_request(
    plan: &ServicePlan<'_>,
    op: &OperationPlan,
    data: &Value,
) -> Result<TokenStream, String> {
    let rt = rt();
    let mut values = ValueWriter::new(plan);
    let setters = values.setters(&op.input, &data["params"])?;
    let method = ident(&op.module);
    let host = data["host"].as_str();
    let client = client(plan, quote!(transport.clone()), host);
    let expected_host = data["resolvedHost"]
        .as_str()
        .map(str::to_string)
        .or_else(|| host.map(|h| h.split('/').next().unwrap_or(h).to_string()));
    let expected_host = option_str(&expected_host.map(Value::String).unwrap_or(Value::Null));
    let uri = data["uri"].as_str().ok_or("the case has no uri")?;
    let method_name = data["method"].as_str().ok_or("the case has no method")?;
    let query = list_tokens(&data["queryParams"]);
    let forbid_query = list_tokens(&data["forbidQueryParams"]);
    let require_query = list_tokens(&data["requireQueryParams"]);
    let headers = header_pairs(&data["headers"]);
    let forbid_headers = list_tokens(&data["forbidHeaders"]);
    let require_headers = list_tokens(&data["requireHeaders"]);
    let body = option_str(&data["body"]);
    let media = option_str(&data["bodyMediaType"]);
    Ok(quote! {
        let transport = #rt::CaptureClient::ok();
        #client
        let result = client.#method() #setters .send().await;
        let request = transport
            .request()
            .unwrap_or_else(|| panic!("the client sent no request: {result:?}"));
        #rt::assert_request(&request, &#rt::ExpectedRequest {
            method: #method_name,
            uri: #uri,
            query_params: #query,
            forbid_query_params: #forbid_query,
            require_query_params: #require_query,
            headers: #headers,
            forbid_headers: #forbid_headers,
            require_headers: #require_headers,
            body: #body,
            body_media_type: #media,
            host: #expected_host,
        });
    })
}

/// The case's request for the router. A request case (not a malformed one) that leaves
/// out what any client sends gets it: an awsJson case without `X-Amz-Target` the one of
/// the operation it is on (the protocol routes by it), a case with a body but no
/// `Content-Type` the protocol's (awsJson) or its `bodyMediaType` (restJson1).
fn test_request(
    plan: &ServicePlan<'_>,
    op: Option<&OperationPlan>,
    data: &Value,
) -> Result<TokenStream, String> {
    let rt = rt();
    let uri = data["uri"].as_str().ok_or("the case has no uri")?;
    let method = data["method"].as_str().ok_or("the case has no method")?;
    let query = list_tokens(&data["queryParams"]);
    let mut header_values = data["headers"].clone();
    let has_header = |headers: &Value, name: &str| {
        headers
            .as_object()
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case(name)))
    };
    let media = match plan.protocol {
        crate::traits::Protocol::RestJson1 => data["bodyMediaType"].as_str(),
        aws_json => Some(aws_json.content_type()),
    };
    let has_body = data["body"].as_str().is_some_and(|b| !b.is_empty());
    if let (Some(_), Some(media), true) = (op, media, has_body) {
        if !has_header(&header_values, "content-type") {
            if !header_values.is_object() {
                header_values = Value::Object(Default::default());
            }
            header_values["Content-Type"] = Value::String(media.to_string());
        }
    }
    if let (Some(op), true) = (op, plan.protocol != crate::traits::Protocol::RestJson1) {
        let has_target = header_values
            .as_object()
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("x-amz-target")));
        if !has_target {
            let target = format!("{}.{}", plan.service_id.name, op.id.name);
            if !header_values.is_object() {
                header_values = Value::Object(Default::default());
            }
            header_values["X-Amz-Target"] = Value::String(target);
        }
    }
    let headers = header_pairs(&header_values);
    let body = data["body"].as_str().unwrap_or("");
    let host = option_str(&data["host"]);
    Ok(quote! {
        #rt::TestRequest {
            method: #method,
            uri: #uri,
            query_params: #query,
            headers: #headers,
            body: #body,
            host: #host,
        }
    })
}

fn server_request(
    plan: &ServicePlan<'_>,
    op: &OperationPlan,
    data: &Value,
) -> Result<TokenStream, String> {
    let rt = rt();
    let lib = format_ident!("{}", plan.lib_name());
    let mut values = ValueWriter::new(plan);
    let expected = values.built(op_builder(plan, op, "Input"), &op.input, &data["params"])?;
    let request = test_request(plan, Some(op), data)?;
    let module = ident(&op.module);
    let input = ident(&op.input_name());
    let compare = assert_equal(values.saw_nan || plan.stream_field(&op.input).is_some());
    Ok(quote! {
        let handlers = Handlers::default();
        let router = ::#lib::server::router(handlers.clone());
        let response = #rt::call_router(router, &#request).await;
        assert!(
            !handlers.0.is_empty(),
            "the handler was not called; the router answered {} {}",
            response.code,
            String::from_utf8_lossy(&response.body)
        );
        let actual: ::#lib::operation::#module::#input = handlers.0.take();
        let expected = #expected;
        #compare
    })
}

/// The response a case gives, as a canned response for the client.
fn canned_response(data: &Value) -> Result<TokenStream, String> {
    let rt = rt();
    let code = data["code"].as_u64().ok_or("the case has no code")? as u16;
    let headers = header_pairs(&data["headers"]);
    let body = proc_macro2::Literal::byte_string(data["body"].as_str().unwrap_or("").as_bytes());
    Ok(quote! {
        #rt::CannedResponse { code: #code, headers: ::std::vec::Vec::from(#headers as &[(&str, &str)]), body: #body }
    })
}

fn client_response(
    plan: &ServicePlan<'_>,
    op: &OperationPlan,
    case: &Case,
) -> Result<TokenStream, String> {
    let rt = rt();
    let lib = format_ident!("{}", plan.lib_name());
    let data = &case.data;
    let mut values = ValueWriter::new(plan);
    let placeholders = values.placeholder_setters(&op.input);
    let canned = canned_response(data)?;
    let client = client(plan, quote!(transport), None);
    let method = ident(&op.module);
    let check = match &case.error {
        None => {
            let expected =
                values.built(op_builder(plan, op, "Output"), &op.output, &data["params"])?;
            let compare = assert_equal(values.saw_nan || plan.stream_field(&op.output).is_some());
            quote! {
                let actual = result.expect("the response parses as the output");
                let expected = #expected;
                #compare
            }
        }
        Some(error_id) => {
            let symbol = plan.symbol(error_id);
            let builder = values.external(symbol.builder().to_token_stream());
            let expected = values.built(builder, error_id, &data["params"])?;
            let module = ident(&op.module);
            let error = ident(&op.error_name());
            let variant = ident(&symbol.name);
            let compare = assert_equal(values.saw_nan);
            quote! {
                let error = match result {
                    ::std::result::Result::Ok(output) => panic!("expected an error, got {output:?}"),
                    ::std::result::Result::Err(error) => error,
                };
                let actual = match error.into_service_error() {
                    ::#lib::operation::#module::#error::#variant(actual) => actual,
                    other => panic!("expected the modeled error, got {other:?}"),
                };
                let expected = #expected;
                #compare
            }
        }
    };
    Ok(quote! {
        let transport = #rt::CaptureClient::new(#canned);
        #client
        let result = client.#method() #placeholders .send().await;
        #check
    })
}

fn expected_response(data: &Value) -> Result<TokenStream, String> {
    let rt = rt();
    let code = data["code"].as_u64().ok_or("the case has no code")? as u16;
    let headers = header_pairs(&data["headers"]);
    let forbid_headers = list_tokens(&data["forbidHeaders"]);
    let require_headers = list_tokens(&data["requireHeaders"]);
    let body = option_str(&data["body"]);
    let media = option_str(&data["bodyMediaType"]);
    Ok(quote! {
        #rt::ExpectedResponse {
            code: #code,
            headers: #headers,
            forbid_headers: #forbid_headers,
            require_headers: #require_headers,
            body: #body,
            body_media_type: #media,
        }
    })
}

fn server_response(
    plan: &ServicePlan<'_>,
    op: &OperationPlan,
    case: &Case,
) -> Result<TokenStream, String> {
    let rt = rt();
    let lib = format_ident!("{}", plan.lib_name());
    let data = &case.data;
    let mut values = ValueWriter::new(plan);
    let module = ident(&op.module);
    let error = ident(&op.error_name());
    let result = match &case.error {
        None => {
            let output =
                values.built(op_builder(plan, op, "Output"), &op.output, &data["params"])?;
            quote!(::std::result::Result::Ok(#output))
        }
        Some(error_id) => {
            let symbol = plan.symbol(error_id);
            let builder = values.external(symbol.builder().to_token_stream());
            let value = values.built(builder, error_id, &data["params"])?;
            let variant = ident(&symbol.name);
            quote!(::std::result::Result::Err(::#lib::operation::#module::#error::#variant(#value)))
        }
    };
    let spec = crate::emit::protocol::spec_ident(op);
    let outcome_fn = ident(&op.outcome_fn_name());
    let expected = expected_response(data)?;
    Ok(quote! {
        let outcome = ::#lib::server::#outcome_fn(#result);
        let response = ::smithy_runtime::server::outcome_response(
            &::#lib::protocol::SERVICE,
            &::#lib::protocol::#spec,
            outcome,
        );
        let response = #rt::into_test_response(response).await;
        #rt::assert_response(&response, &#expected);
    })
}

fn malformed_request(plan: &ServicePlan<'_>, data: &Value) -> Result<TokenStream, String> {
    let rt = rt();
    let lib = format_ident!("{}", plan.lib_name());
    let request = test_request(plan, None, &data["request"])?;
    let response = &data["response"];
    let code = response["code"]
        .as_u64()
        .ok_or("the case has no response code")? as u16;
    let headers = header_pairs(&response["headers"]);
    let body = match response.get("body") {
        None => quote!(::std::option::Option::None),
        Some(body) => {
            let media = body["mediaType"].as_str().unwrap_or("application/json");
            let assertion = &body["assertion"];
            let check = if let Some(contents) = assertion["contents"].as_str() {
                quote!(#rt::BodyAssertion::Contents(#contents))
            } else if let Some(regex) = assertion["messageRegex"].as_str() {
                quote!(#rt::BodyAssertion::MessageRegex(#regex))
            } else {
                return Err("the body assertion is neither contents nor messageRegex".into());
            };
            quote!(::std::option::Option::Some((#media, #check)))
        }
    };
    Ok(quote! {
        let handlers = Handlers::default();
        let router = ::#lib::server::router(handlers.clone());
        let response = #rt::call_router(router, &#request).await;
        #rt::assert_malformed_response(&response, #code, #headers, #body);
        assert!(handlers.0.is_empty(), "the handler was called for a malformed request");
    })
}
