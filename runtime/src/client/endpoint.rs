//! Where requests go: the service's endpoint rule set (`smithy.rules#endpointRuleSet`),
//! evaluated with the client's config for the built-in parameters and each operation's
//! context parameters. A service without a rule set needs `endpoint_url`.

use std::sync::OnceLock;

pub use smithy_rules::{Endpoint, RuleSet, Value};

use super::Config;
use crate::protocol::{EndpointParam, EndpointParamValue};

/// A service's rule set as generated code embeds it: its JSON text, read on first use.
pub struct Rules {
    text: &'static str,
    parsed: OnceLock<Result<RuleSet, String>>,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rules").finish_non_exhaustive()
    }
}

/// Why no endpoint could be resolved: the rule set's error message (`Invalid
/// Configuration: Missing Region`...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResolveError(String);

impl ResolveError {
    /// The message.
    pub fn message(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for ResolveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for ResolveError {}

impl Rules {
    /// The rule set of `text` (checked by the generator, so it reads).
    pub const fn new(text: &'static str) -> Rules {
        Rules {
            text,
            parsed: OnceLock::new(),
        }
    }

    /// The parsed rule set.
    pub fn rule_set(&self) -> Result<&RuleSet, ResolveError> {
        self.parsed
            .get_or_init(|| RuleSet::from_text(self.text).map_err(|e| e.to_string()))
            .as_ref()
            .map_err(|e| ResolveError(format!("the endpoint rule set does not read: {e}")))
    }

    /// The endpoint for `params`, by parameter name (those left out take their defaults).
    pub fn resolve(&self, params: &[(&str, Value)]) -> Result<Endpoint, ResolveError> {
        self.rule_set()?.evaluate(params).map_err(ResolveError)
    }
}

/// Checks a resolved endpoint against an `endpointTests` case (for the tests generated
/// from a model): the URL, and the properties and headers as the case's JSON.
pub fn assert_endpoint(endpoint: &Endpoint, url: &str, properties: &str, headers: &str) {
    assert_eq!(endpoint.url, url, "the endpoint's url");
    let want: serde_json::Value = serde_json::from_str(properties).expect("properties JSON");
    let got = serde_json::Value::Object(endpoint.properties.clone());
    assert_eq!(got, want, "the endpoint's properties");
    let want: serde_json::Value = serde_json::from_str(headers).expect("headers JSON");
    let got: serde_json::Map<String, serde_json::Value> = endpoint
        .headers
        .iter()
        .map(|(name, values)| (name.clone(), values.clone().into()))
        .collect();
    assert_eq!(
        serde_json::Value::Object(got),
        want,
        "the endpoint's headers"
    );
}

/// Checks that a request went to `url` (its scheme, host and the start of its path) with
/// the endpoint's `headers` (the case's JSON), for the tests generated from a model.
pub fn assert_request_endpoint(request: &http::Request<bytes::Bytes>, url: &str, headers: &str) {
    let sent = request.uri().to_string();
    let base = url.trim_end_matches('/');
    assert!(
        sent == base
            || sent.starts_with(&format!("{base}/"))
            || sent.starts_with(&format!("{base}?")),
        "the request went to {sent}, not {url}"
    );
    let want: serde_json::Value = serde_json::from_str(headers).expect("headers JSON");
    for (name, values) in want.as_object().into_iter().flatten() {
        let sent: Vec<&str> = request
            .headers()
            .get_all(name.as_str())
            .iter()
            .filter_map(|v| v.to_str().ok())
            .collect();
        let values: Vec<&str> = values
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str())
            .collect();
        assert_eq!(sent, values, "the request's `{name}` header");
    }
}

/// Checks that a call failed before sending, with the endpoint rules' `message`.
pub fn assert_call_error<O: std::fmt::Debug, E: std::fmt::Debug>(
    result: &Result<O, super::SdkError<E>>,
    sent: bool,
    message: &str,
) {
    assert!(!sent, "the call sent a request: {result:?}");
    match result {
        Err(super::SdkError::ConstructionFailure(error)) => {
            assert_eq!(error.to_string(), message, "the call's error")
        }
        other => panic!("expected the error {message:?}, got {other:?}"),
    }
}

/// The value of a built-in parameter from the client's config; `None` when unset.
fn built_in(config: &Config, name: &str) -> Option<Value> {
    match name {
        "AWS::Region" => config.region.as_ref().map(|r| Value::from(r.as_str())),
        "AWS::UseFIPS" => Some(Value::Bool(config.use_fips)),
        "AWS::UseDualStack" => Some(Value::Bool(config.use_dual_stack)),
        "SDK::Endpoint" => config.endpoint_url.as_deref().map(Value::from),
        "AWS::Auth::AccountId" => config.account_id.as_deref().map(Value::from),
        "AWS::Auth::AccountIdEndpointMode" => {
            config.account_id_endpoint_mode.as_deref().map(Value::from)
        }
        _ => None,
    }
}

/// The parameters a call resolves with: the built-ins from `config`, then the
/// operation's own (`@staticContextParams`, `@contextParam`, `@operationContextParams`),
/// read from `input`, the JSON form of the input (only made when the operation has
/// parameters that need it).
pub(crate) fn params<'r>(
    rules: &'r RuleSet,
    config: &Config,
    op_params: &'static [EndpointParam],
    input: Option<&serde_json::Value>,
) -> Vec<(&'r str, Value)> {
    let mut params: Vec<(&str, Value)> = rules
        .parameters
        .iter()
        .filter_map(|p| {
            let value = match p.built_in.as_deref() {
                Some(name) => built_in(config, name)?,
                None => config
                    .client_context_params
                    .iter()
                    .find(|(name, _)| *name == p.name)?
                    .1
                    .clone(),
            };
            Some((p.name.as_str(), value))
        })
        .collect();
    for param in op_params {
        let value = match (&param.value, input) {
            (EndpointParamValue::Bool(b), _) => Some(Value::Bool(*b)),
            (EndpointParamValue::String(s), _) => Some(Value::from(*s)),
            (EndpointParamValue::Member(member), Some(input)) => {
                input.get(member).and_then(Value::from_json)
            }
            (EndpointParamValue::Path(path), Some(input)) => {
                crate::client::path::evaluate(path, input).and_then(|v| Value::from_json(&v))
            }
            _ => None,
        };
        let Some(value) = value else { continue };
        // An operation's value wins over a built-in of the same name.
        match rules.parameters.iter().find(|p| p.name == param.name) {
            Some(p) => {
                params.retain(|(name, _)| *name != p.name);
                params.push((p.name.as_str(), value));
            }
            None => continue,
        }
    }
    params
}

/// The SigV4 signing name and region an endpoint's `authSchemes` ask for, if any.
pub(crate) fn signing_overrides(endpoint: &Endpoint) -> (Option<String>, Option<String>) {
    let scheme = endpoint
        .properties
        .get("authSchemes")
        .and_then(|s| s.as_array())
        .and_then(|schemes| {
            schemes
                .iter()
                .find(|s| s.get("name").and_then(|n| n.as_str()) == Some("sigv4"))
        });
    let field = |key: &str| {
        scheme
            .and_then(|s| s.get(key))
            .and_then(|v| v.as_str())
            .map(str::to_owned)
    };
    (field("signingName"), field("signingRegion"))
}

#[cfg(test)]
mod tests {
    use super::*;

    static RULES: Rules = Rules::new(
        r#"{
        "version": "1.0",
        "parameters": {
            "Region": {"type": "string", "builtIn": "AWS::Region"},
            "UseFIPS": {"type": "boolean", "builtIn": "AWS::UseFIPS", "required": true, "default": false},
            "Endpoint": {"type": "string", "builtIn": "SDK::Endpoint"},
            "Table": {"type": "string"}
        },
        "rules": [
            {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}],
             "endpoint": {"url": {"ref": "Endpoint"}}},
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
             "rules": [
                {"type": "endpoint", "conditions": [{"fn": "isSet", "argv": [{"ref": "Table"}]}],
                 "endpoint": {"url": "https://{Table}.db.{Region}.{P#dnsSuffix}",
                    "properties": {"authSchemes": [{"name": "sigv4", "signingName": "db", "signingRegion": "{Region}"}]},
                    "headers": {"x-table": ["{Table}"]}}},
                {"type": "endpoint", "conditions": [{"fn": "booleanEquals", "argv": [{"ref": "UseFIPS"}, true]}],
                 "endpoint": {"url": "https://db-fips.{Region}.{P#dnsSuffix}"}},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": "https://db.{Region}.{P#dnsSuffix}"}}
             ]},
            {"type": "error", "conditions": [], "error": "Invalid Configuration: Missing Region"}
        ]
    }"#,
    );

    fn resolve(
        config: &Config,
        op: &'static [EndpointParam],
        input: Option<serde_json::Value>,
    ) -> Result<String, String> {
        let rules = RULES.rule_set().unwrap();
        let params = params(rules, config, op, input.as_ref());
        rules.evaluate(&params).map(|e| e.url)
    }

    #[test]
    fn built_ins_come_from_the_config() {
        let config = Config::builder().region("cn-north-1").build();
        assert_eq!(
            resolve(&config, &[], None).unwrap(),
            "https://db.cn-north-1.amazonaws.com.cn"
        );
        let config = Config::builder().region("us-east-1").use_fips(true).build();
        assert_eq!(
            resolve(&config, &[], None).unwrap(),
            "https://db-fips.us-east-1.amazonaws.com"
        );
        let config = Config::builder().endpoint_url("http://127.0.0.1:1").build();
        assert_eq!(resolve(&config, &[], None).unwrap(), "http://127.0.0.1:1");
        // (Unless the environment names a region.)
        let config = Config::builder().build();
        if config.region().is_none() {
            assert_eq!(
                resolve(&config, &[], None).unwrap_err(),
                "Invalid Configuration: Missing Region"
            );
        }
    }

    #[test]
    fn operations_add_their_parameters() {
        static FROM_MEMBER: [EndpointParam; 1] = [EndpointParam {
            name: "Table",
            value: EndpointParamValue::Member("TableName"),
        }];
        static STATIC: [EndpointParam; 1] = [EndpointParam {
            name: "Table",
            value: EndpointParamValue::String("fixed"),
        }];
        static FROM_PATH: [EndpointParam; 1] = [EndpointParam {
            name: "Table",
            value: EndpointParamValue::Path("Create.Name"),
        }];
        let config = Config::builder().region("eu-west-1").build();
        let input = serde_json::json!({"TableName": "music", "Create": {"Name": "films"}});
        assert_eq!(
            resolve(&config, &FROM_MEMBER, Some(input.clone())).unwrap(),
            "https://music.db.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            resolve(&config, &STATIC, None).unwrap(),
            "https://fixed.db.eu-west-1.amazonaws.com"
        );
        #[cfg(feature = "jmespath")]
        assert_eq!(
            resolve(&config, &FROM_PATH, Some(input)).unwrap(),
            "https://films.db.eu-west-1.amazonaws.com"
        );
        #[cfg(not(feature = "jmespath"))]
        let _ = (&FROM_PATH, input);
        // An unset member leaves the parameter unset.
        assert_eq!(
            resolve(&config, &FROM_MEMBER, Some(serde_json::json!({}))).unwrap(),
            "https://db.eu-west-1.amazonaws.com"
        );
    }

    static STRING: crate::validation::Schema =
        crate::validation::Schema::of(crate::validation::Kind::String);
    test_structure!(Query: QUERY, {
        0 => table_name: Option<String> = optional("TableName", &STRING),
    });

    #[test]
    fn calls_go_where_the_rules_say_signed_as_their_auth_scheme_says() {
        static SERVICE: crate::client::ServiceInfo = crate::client::ServiceInfo {
            protocol: crate::protocol::Protocol::AwsJson1_0,
            service_name: "Db",
            signing_name: Some("dbservice"),
            endpoint_rules: Some(&RULES),
            auth: &[crate::client::AuthScheme::SigV4],
            sdk_id: "Db",
            api_version: "2026-11-30",
            query_compatible: false,
            customization: crate::client::Customization::None,
        };
        static PARAMS: [EndpointParam; 1] = [EndpointParam {
            name: "Table",
            value: EndpointParamValue::Member("TableName"),
        }];
        static QUERY_OP: crate::protocol::OperationSpec = crate::protocol::OperationSpec {
            endpoint_params: &PARAMS,
            ..crate::protocol::OperationSpec::for_test("Query", None, &[], &[])
        };
        static PLAIN_OP: crate::protocol::OperationSpec =
            crate::protocol::OperationSpec::for_test("ListTables", None, &[], &[]);
        let transport = crate::client::test_util::CaptureClient::ok();
        let config = Config::builder()
            .region("eu-central-1")
            .credentials_provider(crate::client::test_util::test_credentials())
            .http_client(transport.clone())
            .build();
        use crate::client::test_util::UnmodeledError;
        crate::client::test_util::block_on(async {
            let handle = crate::client::Handle::new(config, &SERVICE);
            let input = Query {
                table_name: Some("music".into()),
            };
            crate::client::send::<Query, Query, UnmodeledError>(&handle, &QUERY_OP, &input, &[])
                .await
                .unwrap();
            let request = transport.request().unwrap();
            assert_eq!(
                request.uri().to_string(),
                "https://music.db.eu-central-1.amazonaws.com/"
            );
            assert_eq!(request.headers()["x-table"], "music");
            let authorization = request.headers()["authorization"].to_str().unwrap();
            assert!(
                authorization.contains("/eu-central-1/db/aws4_request"),
                "signed as the auth scheme says: {authorization}"
            );

            crate::client::send::<Query, Query, UnmodeledError>(&handle, &PLAIN_OP, &input, &[])
                .await
                .unwrap();
            let request = transport.request().unwrap();
            assert_eq!(
                request.uri().to_string(),
                "https://db.eu-central-1.amazonaws.com/"
            );
            let authorization = request.headers()["authorization"].to_str().unwrap();
            assert!(
                authorization.contains("/eu-central-1/dbservice/aws4_request"),
                "{authorization}"
            );
        });
    }

    #[test]
    fn auth_schemes_override_signing() {
        let rules = RULES.rule_set().unwrap();
        let endpoint = rules
            .evaluate(&[
                ("Region", Value::from("us-west-2")),
                ("Table", Value::from("t")),
            ])
            .unwrap();
        assert_eq!(
            signing_overrides(&endpoint),
            (Some("db".to_owned()), Some("us-west-2".to_owned()))
        );
        assert_eq!(
            endpoint.headers,
            [("x-table".to_owned(), vec!["t".to_owned()])]
        );
    }
}
