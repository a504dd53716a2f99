//! `src/endpoint.rs` (feature `client`): the service's endpoint rule set, its parameters
//! as a typed `Params`, and `resolve`; and `tests/endpoint_tests.rs`, one test per
//! `endpointTests` case of the model.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;
use smithy_rules::ParameterType;

use crate::endpoints::{EndpointParameter, EndpointRules, OperationParam};
use crate::plan::{OperationPlan, ServicePlan};

/// A parameter's field type: plain when it has a default, else `Option`.
fn field_type(p: &EndpointParameter) -> TokenStream {
    let ty = match p.ty {
        ParameterType::String => quote!(String),
        ParameterType::Boolean => quote!(bool),
        ParameterType::StringArray => quote!(Vec<String>),
    };
    match p.default {
        Some(_) => ty,
        None => quote!(Option<#ty>),
    }
}

/// A value of the parameter's type, as Rust: `"text".to_owned()`, `true`, `vec![...]`.
fn value_expr(p: &EndpointParameter, value: &Value) -> Option<TokenStream> {
    Some(match (p.ty, value) {
        (ParameterType::String, Value::String(s)) => quote!(#s.to_owned()),
        (ParameterType::Boolean, Value::Bool(b)) => quote!(#b),
        (ParameterType::StringArray, Value::Array(items)) => {
            let items = items
                .iter()
                .map(|i| i.as_str().map(|s| quote!(#s.to_owned())))
                .collect::<Option<Vec<_>>>()?;
            quote!(vec![#(#items),*])
        }
        _ => return None,
    })
}

fn setter_arg(p: &EndpointParameter) -> TokenStream {
    match p.ty {
        ParameterType::String => quote!(impl Into<String>),
        ParameterType::Boolean => quote!(bool),
        ParameterType::StringArray => quote!(Vec<String>),
    }
}

pub fn emit_endpoint_module(plan: &ServicePlan<'_>) -> TokenStream {
    let Some(rules) = &plan.endpoint_rules else {
        return quote!();
    };
    let fields = rules.parameters.iter().map(|p| {
        let field = format_ident!("{}", p.field);
        let ty = field_type(p);
        let doc = p.doc.as_deref().map(|d| {
            let d = format!(" {d}");
            quote!(#[doc = #d])
        });
        let built_in = p.built_in.as_ref().map(|b| {
            let text = format!(" The client sets it from its config (`{b}`).");
            quote!(#[doc = #text])
        });
        quote! {
            #doc
            #built_in
            pub #field: #ty,
        }
    });
    let defaults = rules.parameters.iter().map(|p| {
        let field = format_ident!("{}", p.field);
        let value = match &p.default {
            Some(default) => value_expr(p, default).unwrap_or_else(|| quote!(Default::default())),
            None => quote!(None),
        };
        quote!(#field: #value,)
    });
    let values = rules.parameters.iter().map(|p| {
        let field = format_ident!("{}", p.field);
        let name = &p.name;
        let value = match p.ty {
            ParameterType::Boolean => quote!(self.#field),
            _ => quote!(self.#field.clone()),
        };
        match p.default {
            Some(_) => quote!(values.push((#name, Value::from(#value)));),
            None => quote! {
                if let Some(value) = &self.#field {
                    values.push((#name, Value::from(value.clone())));
                }
            },
        }
    });
    let setters = rules.parameters.iter().map(|p| {
        let field = format_ident!("{}", p.field);
        let set = format_ident!("set_{}", p.field.trim_start_matches("r#"));
        let arg = setter_arg(p);
        let convert = match p.ty {
            ParameterType::String => quote!(value.into()),
            _ => quote!(value),
        };
        let ty = field_type(p);
        let (assign, set_body) = match p.default {
            Some(_) => (
                quote!(self.0.#field = #convert;),
                quote!(if let Some(value) = value { self.0.#field = value; }),
            ),
            None => (
                quote!(self.0.#field = Some(#convert);),
                quote!(self.0.#field = value;),
            ),
        };
        let set_ty = match p.default {
            Some(_) => quote!(Option<#ty>),
            None => ty,
        };
        let doc = format!(" Sets `{}`.", p.name);
        quote! {
            #[doc = #doc]
            pub fn #field(mut self, value: #arg) -> Self {
                #assign
                self
            }
            #[doc = #doc]
            pub fn #set(mut self, value: #set_ty) -> Self {
                #set_body
                self
            }
        }
    });
    // `Default` is derived when every default is the type's own.
    let type_defaults = rules.parameters.iter().all(|p| match &p.default {
        None => true,
        Some(Value::Bool(b)) => !b,
        Some(Value::String(s)) => s.is_empty(),
        Some(Value::Array(items)) => items.is_empty(),
        Some(_) => false,
    });
    let (default_derive, default_impl) = if type_defaults {
        (quote!(Default,), quote!())
    } else {
        let defaults = defaults.collect::<Vec<_>>();
        (
            quote!(),
            quote! {
                impl Default for Params {
                    fn default() -> Self {
                        Params { #(#defaults)* }
                    }
                }
            },
        )
    };
    let text = &rules.text;
    let origin = if rules.synthesized {
        " The model has no `smithy.rules#endpointRuleSet`: these are the standard AWS regional rules for its endpoint prefix (`https://{prefix}.{Region}.{dnsSuffix}`, with FIPS and dual-stack variants, by the region's partition)."
    } else {
        " The model's `smithy.rules#endpointRuleSet`, read on first use."
    };
    quote! {
        #![doc = " Where requests go: the service's endpoint rules, evaluated by the client with its config (region, FIPS, dual-stack, `endpoint_url`) and each operation's endpoint parameters."]

        use ::smithy_runtime::client::endpoint::{Rules, Value};

        pub use ::smithy_runtime::client::endpoint::{Endpoint, ResolveError};

        /// The parameters of the service's endpoint rules: what [`resolve`] takes.
        #[derive(Clone, Debug, #default_derive PartialEq)]
        #[non_exhaustive]
        pub struct Params {
            #(#fields)*
        }

        #default_impl

        impl Params {
            /// A builder, every parameter at its default.
            pub fn builder() -> ParamsBuilder {
                ParamsBuilder::default()
            }

            /// The parameters that are set, by their names in the rule set.
            pub fn values(&self) -> Vec<(&'static str, Value)> {
                let mut values = Vec::new();
                #(#values)*
                values
            }
        }

        /// A builder for [`Params`].
        #[derive(Clone, Debug, Default)]
        pub struct ParamsBuilder(Params);

        impl ParamsBuilder {
            #(#setters)*

            /// The parameters.
            pub fn build(self) -> Params {
                self.0
            }
        }

        #[doc = #origin]
        pub static RULES: Rules = Rules::new(#text);

        /// The endpoint for `params`, or the rule set's error (`Invalid Configuration:
        /// Missing Region`...).
        pub fn resolve(params: &Params) -> Result<Endpoint, ResolveError> {
            RULES.resolve(&params.values())
        }
    }
}

/// The `OperationSpec`'s `endpoint_params`.
pub fn operation_params(op: &OperationPlan) -> TokenStream {
    let params = op.endpoint_params.iter().map(|(name, source)| {
        let value = match source {
            OperationParam::Static(Value::Bool(b)) => quote!(Bool(#b)),
            OperationParam::Static(Value::String(s)) => quote!(String(#s)),
            // The rules language has no other static values.
            OperationParam::Static(other) => {
                let text = other.to_string();
                quote!(String(#text))
            }
            OperationParam::Member(member) => quote!(Member(#member)),
            OperationParam::Path(path) => quote!(Path(#path)),
        };
        quote!(::smithy_runtime::protocol::EndpointParam { name: #name, value: ::smithy_runtime::protocol::EndpointParamValue::#value })
    });
    quote!(&[#(#params),*])
}

/// `tests/endpoint_tests.rs`: each case's parameters through `Params`, and the URL,
/// headers and properties, or the error message, it expects.
pub fn emit_endpoint_tests(
    plan: &ServicePlan<'_>,
    rules: &EndpointRules,
) -> Result<TokenStream, String> {
    let lib = format_ident!("{}", plan.lib_name());
    let tests = rules.tests.iter().enumerate().map(|(i, case)| {
        let name = format_ident!("endpoint_test_{i}");
        let doc = case["documentation"].as_str().map(|d| {
            let d = format!(" {d}");
            quote!(#[doc = #d])
        });
        let setters = case["params"].as_object().into_iter().flatten().filter_map(|(key, value)| {
            let p = rules.parameters.iter().find(|p| p.name == *key)?;
            let field = format_ident!("{}", p.field);
            let value = match (p.ty, value) {
                (ParameterType::String, Value::String(s)) => quote!(#s),
                _ => value_expr(p, value)?,
            };
            Some(quote!(.#field(#value)))
        });
        let expect = &case["expect"];
        let check = match (expect.get("error"), expect.get("endpoint")) {
            (Some(Value::String(message)), _) => quote! {
                let error = result.expect_err("the case expects an error");
                assert_eq!(error.message(), #message);
            },
            (_, Some(endpoint)) => {
                let url = endpoint["url"].as_str().unwrap_or_default();
                let properties = endpoint.get("properties").cloned().unwrap_or(Value::Object(Default::default())).to_string();
                let headers = endpoint.get("headers").cloned().unwrap_or(Value::Object(Default::default())).to_string();
                quote! {
                    let endpoint = result.expect("the case expects an endpoint");
                    ::smithy_runtime::client::endpoint::assert_endpoint(&endpoint, #url, #properties, #headers);
                }
            }
            _ => quote!(let _ = result;),
        };
        quote! {
            #doc
            #[test]
            fn #name() {
                let params = ::#lib::endpoint::Params::builder() #(#setters)* .build();
                let result = ::#lib::endpoint::resolve(&params);
                #check
            }
        }
    });
    let mut calls = Vec::new();
    for (i, case) in rules.tests.iter().enumerate() {
        let inputs = case["operationInputs"].as_array().into_iter().flatten();
        for (j, input) in inputs.enumerate() {
            calls.push(operation_input_test(
                plan,
                &case["expect"],
                input,
                format_ident!("endpoint_test_{i}_call_{j}"),
            )?);
        }
    }
    let doc = format!(
        " The `smithy.rules#endpointTests` cases of `{}`, generated: each case's parameters resolved through `endpoint::Params`, and each of its `operationInputs` as a call of the client, whose request must go where the case expects (or fail with its error).",
        plan.service_id
    );
    Ok(quote! {
        #![doc = #doc]
        #![cfg(feature = "client")]

        #(#tests)*

        #(#calls)*
    })
}

/// One `operationInputs` entry as a test: a client configured with the entry's built-in
/// and client parameters calls the operation with its parameters through a transport
/// that records the request.
fn operation_input_test(
    plan: &ServicePlan<'_>,
    expect: &Value,
    input: &Value,
    name: proc_macro2::Ident,
) -> Result<TokenStream, String> {
    let lib = format_ident!("{}", plan.lib_name());
    let operation = input["operationName"].as_str().unwrap_or_default();
    let op = plan
        .operations
        .iter()
        .find(|op| op.id.name == operation)
        .ok_or_else(|| {
            format!("an endpoint test calls `{operation}`, which the service does not have")
        })?;
    let mut config = Vec::new();
    for (built_in, value) in input["builtInParams"].as_object().into_iter().flatten() {
        config.push(match (built_in.as_str(), value) {
            ("AWS::Region", Value::String(v)) => quote!(.region(#v)),
            ("AWS::UseFIPS", Value::Bool(b)) => quote!(.use_fips(#b)),
            ("AWS::UseDualStack", Value::Bool(b)) => quote!(.use_dual_stack(#b)),
            ("SDK::Endpoint", Value::String(v)) => quote!(.endpoint_url(#v)),
            ("AWS::Auth::AccountId", Value::String(v)) => quote!(.account_id(#v)),
            ("AWS::Auth::AccountIdEndpointMode", Value::String(v)) => {
                quote!(.account_id_endpoint_mode(#v))
            }
            (other, _) => {
                return Err(format!(
                    "an endpoint test sets the built-in `{other}`, which the client cannot"
                ));
            }
        });
    }
    for (param, value) in input["clientParams"].as_object().into_iter().flatten() {
        let value = match value {
            Value::String(s) => quote!(#s),
            Value::Bool(b) => quote!(#b),
            other => return Err(format!("an endpoint test sets `{param}` to {other}")),
        };
        config.push(quote!(.client_context_param(#param, #value)));
    }
    let mut values = crate::protocol_tests::values::ValueWriter::new(plan);
    let null = Value::Null;
    let params = input.get("operationParams").unwrap_or(&null);
    let setters = values.setters(&op.input, params)?;
    let method = format_ident!("{}", op.module);
    let check = match (expect.get("error"), expect.get("endpoint")) {
        (Some(Value::String(message)), _) => quote! {
            ::smithy_runtime::client::endpoint::assert_call_error(&result, transport.request().is_some(), #message);
        },
        (_, Some(endpoint)) => {
            let url = endpoint["url"].as_str().unwrap_or_default();
            let headers = endpoint
                .get("headers")
                .cloned()
                .unwrap_or(Value::Object(Default::default()))
                .to_string();
            quote! {
                let request = transport.request().unwrap_or_else(|| panic!("no request was sent: {result:?}"));
                ::smithy_runtime::client::endpoint::assert_request_endpoint(&request, #url, #headers);
            }
        }
        _ => quote!(let _ = result;),
    };
    Ok(quote! {
        #[test]
        fn #name() {
            ::smithy_runtime::client::test_util::block_on(async {
                let transport = ::smithy_runtime::client::test_util::CaptureClient::ok();
                let config = ::#lib::Config::builder()
                    .credentials_provider(::smithy_runtime::client::test_util::test_credentials())
                    .retry_config(::#lib::client::RetryConfig::disabled())
                    .http_client(transport.clone())
                    #(#config)*
                    .build();
                let client = ::#lib::Client::from_conf(config);
                let result = client.#method() #setters .send().await;
                #check
            })
        }
    })
}
