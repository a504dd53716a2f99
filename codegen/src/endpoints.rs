//! A service's endpoint rules as the plan holds them: the rule set (the model's, or for
//! an `aws.api#service` without one, the standard AWS regional rules), checked at
//! generation time; its parameters as Rust fields; what each operation sets; and the
//! model's `endpointTests`.

use heck::ToSnakeCase;
use serde_json::{Value, json};
use smithy_rules::{ParameterType, RuleSet};

use crate::model::{Model, Shape};
use crate::traits::Trait;
use crate::{Diagnostic, ShapeId};

/// The built-in parameters the runtime fills from the client's config.
pub const SUPPORTED_BUILT_INS: &[&str] = &[
    "AWS::Region",
    "AWS::UseFIPS",
    "AWS::UseDualStack",
    "SDK::Endpoint",
    "AWS::Auth::AccountId",
    "AWS::Auth::AccountIdEndpointMode",
];

/// A service's endpoint rules.
#[derive(Debug)]
pub struct EndpointRules {
    /// The rule set's JSON text, compact, as the generated crate embeds it.
    pub text: String,
    pub parameters: Vec<EndpointParameter>,
    /// `smithy.rules#endpointTests` cases.
    pub tests: Vec<Value>,
    /// True when the model had no rule set and the standard regional one was made.
    pub synthesized: bool,
}

/// A rule set parameter, as a field of the generated `endpoint::Params`.
#[derive(Debug)]
pub struct EndpointParameter {
    pub name: String,
    /// `region`, `use_fips`...
    pub field: String,
    pub ty: ParameterType,
    pub built_in: Option<String>,
    pub default: Option<Value>,
    pub doc: Option<String>,
}

/// Where an operation's value for a parameter comes from.
#[derive(Clone, Debug, PartialEq)]
pub enum OperationParam {
    /// `@staticContextParams`
    Static(Value),
    /// `@contextParam`: the input member with this wire name.
    Member(String),
    /// `@operationContextParams`: a JMESPath expression over the input.
    Path(String),
}

/// The value of a trait the model reader keeps as JSON.
fn trait_value<'a>(traits: &'a crate::traits::Traits, id: &str) -> Option<&'a Value> {
    match traits.get(&ShapeId::parse(id).ok()?)? {
        Trait::Other(value) => Some(value),
        _ => None,
    }
}

/// The service's rules, or `None` for a service with neither a rule set nor an
/// `aws.api#service` endpoint prefix (its clients need `endpoint_url`).
pub fn plan(service_id: &ShapeId, service: &Shape) -> Result<Option<EndpointRules>, Diagnostic> {
    let located = |message: String| {
        let mut diagnostic = Diagnostic::new(message).at_shape(service_id);
        diagnostic.file = service.file.clone();
        diagnostic
    };
    let (json, synthesized) = match trait_value(&service.traits, "smithy.rules#endpointRuleSet") {
        Some(json) => (json.clone(), false),
        None => match service
            .traits
            .aws_service()
            .and_then(|s| s.endpoint_prefix.as_deref())
        {
            Some(prefix) => (standard_rule_set(prefix), true),
            None => return Ok(None),
        },
    };
    let rule_set = RuleSet::parse(&json)
        .map_err(|e| located(format!("the endpoint rule set cannot be used: {e}")))?;
    let mut parameters = Vec::new();
    for p in &rule_set.parameters {
        if let Some(built_in) = &p.built_in {
            if !SUPPORTED_BUILT_INS.contains(&built_in.as_str()) {
                return Err(located(format!(
                    "the endpoint rule set's parameter `{}` is the built-in `{built_in}`, \
                     which the client cannot set (it sets {})",
                    p.name,
                    SUPPORTED_BUILT_INS.join(", ")
                )));
            }
        }
        parameters.push(EndpointParameter {
            name: p.name.clone(),
            field: crate::naming::field_name(&p.name.to_snake_case()),
            ty: p.ty,
            built_in: p.built_in.clone(),
            default: json["parameters"][&p.name].get("default").cloned(),
            doc: p.documentation.clone(),
        });
    }
    let tests = trait_value(&service.traits, "smithy.rules#endpointTests")
        .and_then(|t| t.get("testCases"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    Ok(Some(EndpointRules {
        text: json.to_string(),
        parameters,
        tests,
        synthesized,
    }))
}

/// What `operation` sets of `rules`' parameters, in a stable order; a parameter the rule
/// set does not have is a diagnostic.
pub fn operation_params(
    model: &Model,
    rules: &EndpointRules,
    operation_id: &ShapeId,
    input_id: &ShapeId,
    wire_name: impl Fn(&crate::model::Member) -> String,
) -> Result<Vec<(String, OperationParam)>, Diagnostic> {
    let operation = &model.shapes[operation_id];
    let mut params = Vec::new();
    if let Some(Value::Object(map)) =
        trait_value(&operation.traits, "smithy.rules#staticContextParams")
    {
        for (name, entry) in map {
            params.push((name.clone(), OperationParam::Static(entry["value"].clone())));
        }
    }
    if let Some(input) = model.shapes.get(input_id) {
        for member in input.members() {
            let param = trait_value(&member.traits, "smithy.rules#contextParam")
                .and_then(|value| value.get("name"))
                .and_then(Value::as_str);
            if let Some(name) = param {
                params.push((name.to_owned(), OperationParam::Member(wire_name(member))));
            }
        }
    }
    if let Some(Value::Object(map)) =
        trait_value(&operation.traits, "smithy.rules#operationContextParams")
    {
        for (name, entry) in map {
            if let Some(path) = entry.get("path").and_then(Value::as_str) {
                params.push((name.clone(), OperationParam::Path(path.to_owned())));
            }
        }
    }
    for (name, _) in &params {
        if !rules.parameters.iter().any(|p| p.name == *name) {
            let mut diagnostic = Diagnostic::new(format!(
                "sets the endpoint parameter `{name}`, which the service's rule set does not have"
            ))
            .at_shape(operation_id);
            diagnostic.file = operation.file.clone();
            return Err(diagnostic);
        }
    }
    Ok(params)
}

/// The standard AWS regional rules: `https://{prefix}[-fips].{Region}.{dnsSuffix}` (the
/// dual-stack suffix with `UseDualStack`), by the region's partition, or `Endpoint` when
/// it is set (with neither FIPS nor dual-stack). The same rules the AWS models of simple
/// regional services carry.
fn standard_rule_set(prefix: &str) -> Value {
    let equals = |param: &str| json!({"fn": "booleanEquals", "argv": [{"ref": param}, true]});
    let supports = |attr: &str| json!({"fn": "booleanEquals", "argv": [true, {"fn": "getAttr", "argv": [{"ref": "PartitionResult"}, attr]}]});
    let endpoint = |url: String| json!({"type": "endpoint", "conditions": [], "endpoint": {"url": url, "properties": {}, "headers": {}}});
    let error = |message: &str| json!({"type": "error", "conditions": [], "error": message});
    json!({
        "version": "1.0",
        "parameters": {
            "Region": {"builtIn": "AWS::Region", "required": false, "type": "String",
                "documentation": "The AWS region used to dispatch the request."},
            "UseDualStack": {"builtIn": "AWS::UseDualStack", "required": true, "default": false, "type": "Boolean",
                "documentation": "When true, use the dual-stack endpoint."},
            "UseFIPS": {"builtIn": "AWS::UseFIPS", "required": true, "default": false, "type": "Boolean",
                "documentation": "When true, send this request to the FIPS-compliant regional endpoint."},
            "Endpoint": {"builtIn": "SDK::Endpoint", "required": false, "type": "String",
                "documentation": "Override the endpoint used to send this request."}
        },
        "rules": [
            {"type": "tree", "conditions": [{"fn": "isSet", "argv": [{"ref": "Endpoint"}]}], "rules": [
                {"type": "error", "conditions": [equals("UseFIPS")],
                    "error": "Invalid Configuration: FIPS and custom endpoint are not supported"},
                {"type": "error", "conditions": [equals("UseDualStack")],
                    "error": "Invalid Configuration: Dualstack and custom endpoint are not supported"},
                {"type": "endpoint", "conditions": [], "endpoint": {"url": {"ref": "Endpoint"}, "properties": {}, "headers": {}}}
            ]},
            {"type": "tree", "conditions": [
                {"fn": "isSet", "argv": [{"ref": "Region"}]},
                {"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "PartitionResult"}
            ], "rules": [
                {"type": "tree", "conditions": [equals("UseFIPS"), equals("UseDualStack")], "rules": [
                    {"type": "tree", "conditions": [supports("supportsFIPS"), supports("supportsDualStack")], "rules": [
                        endpoint(format!("https://{prefix}-fips.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}"))
                    ]},
                    error("FIPS and DualStack are enabled, but this partition does not support one or both")
                ]},
                {"type": "tree", "conditions": [equals("UseFIPS")], "rules": [
                    {"type": "tree", "conditions": [supports("supportsFIPS")], "rules": [
                        endpoint(format!("https://{prefix}-fips.{{Region}}.{{PartitionResult#dnsSuffix}}"))
                    ]},
                    error("FIPS is enabled but this partition does not support FIPS")
                ]},
                {"type": "tree", "conditions": [equals("UseDualStack")], "rules": [
                    {"type": "tree", "conditions": [supports("supportsDualStack")], "rules": [
                        endpoint(format!("https://{prefix}.{{Region}}.{{PartitionResult#dualStackDnsSuffix}}"))
                    ]},
                    error("DualStack is enabled but this partition does not support DualStack")
                ]},
                endpoint(format!("https://{prefix}.{{Region}}.{{PartitionResult#dnsSuffix}}"))
            ]},
            error("Invalid Configuration: Missing Region")
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_rules_follow_the_partition() {
        let rules = RuleSet::parse(&standard_rule_set("athena")).unwrap();
        let url = |region: &str, fips: bool, dual: bool| {
            rules
                .evaluate(&[
                    ("Region", region.into()),
                    ("UseFIPS", fips.into()),
                    ("UseDualStack", dual.into()),
                ])
                .map(|e| e.url)
        };
        assert_eq!(
            url("eu-west-1", false, false).unwrap(),
            "https://athena.eu-west-1.amazonaws.com"
        );
        assert_eq!(
            url("cn-north-1", false, false).unwrap(),
            "https://athena.cn-north-1.amazonaws.com.cn"
        );
        assert_eq!(
            url("us-east-1", true, true).unwrap(),
            "https://athena-fips.us-east-1.api.aws"
        );
        assert_eq!(
            url("us-isob-east-1", true, false).unwrap(),
            "https://athena-fips.us-isob-east-1.sc2s.sgov.gov"
        );
        assert_eq!(
            rules.evaluate(&[]).unwrap_err(),
            "Invalid Configuration: Missing Region"
        );
        let custom = rules
            .evaluate(&[
                ("Endpoint", "http://127.0.0.1:9".into()),
                ("UseFIPS", true.into()),
            ])
            .unwrap_err();
        assert_eq!(
            custom,
            "Invalid Configuration: FIPS and custom endpoint are not supported"
        );
    }
}
