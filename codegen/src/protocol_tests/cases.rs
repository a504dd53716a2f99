//! Reading the test cases of one service out of the model's `smithy.test` traits.

use serde_json::Value;

use std::collections::BTreeSet;

use super::TestRecord;
use crate::model::{Service, Shape, ShapeKind};
use crate::plan::ServicePlan;
use crate::traits::{Protocol, Trait, Traits};
use crate::{Model, ShapeId};

/// Which trait a case comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CaseKind {
    /// `httpRequestTests`
    Request,
    /// `httpResponseTests`
    Response,
    /// `httpMalformedRequestTests` (server only)
    MalformedRequest,
}

impl CaseKind {
    /// The trait's name.
    pub fn trait_name(self) -> &'static str {
        match self {
            CaseKind::Request => "httpRequestTests",
            CaseKind::Response => "httpResponseTests",
            CaseKind::MalformedRequest => "httpMalformedRequestTests",
        }
    }

    /// The word in test names: `request`, `response`, `malformed`.
    pub fn word(self) -> &'static str {
        match self {
            CaseKind::Request => "request",
            CaseKind::Response => "response",
            CaseKind::MalformedRequest => "malformed",
        }
    }
}

/// The generated client or the generated server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Side {
    Client,
    Server,
}

impl Side {
    pub fn word(self) -> &'static str {
        match self {
            Side::Client => "client",
            Side::Server => "server",
        }
    }
}

/// One case, on the sides it applies to.
#[derive(Clone, Debug)]
pub struct Case {
    pub id: String,
    pub kind: CaseKind,
    pub sides: Vec<Side>,
    /// Index into the plan's operations: the operation the case is on, or (for a case on
    /// an error structure) the first operation that can return that error.
    pub operation: usize,
    /// The error structure a response case is on.
    pub error: Option<ShapeId>,
    /// The case as written, `testParameters` substituted.
    pub data: Value,
    /// For a malformed-request case expanded from `testParameters`: which set of values.
    pub expansion: Option<usize>,
}

impl Case {
    /// The test function's name for `side`.
    pub fn test_name(&self, side: Side) -> String {
        let mut name = format!("{}_{}_{}", self.id, side.word(), self.kind.word());
        if let Some(n) = self.expansion {
            name.push_str(&format!("_{n}"));
        }
        name
    }
}

fn test_trait(kind: CaseKind) -> ShapeId {
    ShapeId::parse(&format!("smithy.test#{}", kind.trait_name())).expect("a valid shape id")
}

/// The cases of `plan`'s protocol on its operations and error structures, in the order
/// of the operations.
pub fn service_cases(plan: &ServicePlan<'_>) -> Vec<Case> {
    let protocol = plan.protocol.trait_id();
    let mut out = Vec::new();
    let mut push = |kind: CaseKind, operation: usize, error: Option<&ShapeId>, list: &Value| {
        let Value::Array(list) = list else { return };
        for case in list {
            if case["protocol"].as_str() != Some(protocol) {
                continue;
            }
            let id = case["id"].as_str().unwrap_or("UnnamedCase").to_string();
            let sides = match (kind, case["appliesTo"].as_str()) {
                (CaseKind::MalformedRequest, _) => vec![Side::Server],
                (_, Some("client")) => vec![Side::Client],
                (_, Some("server")) => vec![Side::Server],
                _ => vec![Side::Client, Side::Server],
            };
            let expansions = expand_parameters(case, kind);
            let expanded = expansions.len() > 1 || case.get("testParameters").is_some();
            for (n, data) in expansions.into_iter().enumerate() {
                out.push(Case {
                    id: id.clone(),
                    kind,
                    sides: sides.clone(),
                    operation,
                    error: error.cloned(),
                    data,
                    expansion: expanded.then_some(n),
                });
            }
        }
    };
    for (index, op) in plan.operations.iter().enumerate() {
        let traits = &plan.shape(&op.id).traits;
        for kind in [
            CaseKind::Request,
            CaseKind::Response,
            CaseKind::MalformedRequest,
        ] {
            if let Some(Trait::Other(list)) = traits.get(&test_trait(kind)) {
                push(kind, index, None, list);
            }
        }
    }
    // Response cases on error structures run with the first operation that returns them.
    let response = test_trait(CaseKind::Response);
    for id in &plan.closure {
        let shape = plan.shape(id);
        if shape.traits.error().is_none() {
            continue;
        }
        let Some(Trait::Other(list)) = shape.traits.get(&response) else {
            continue;
        };
        if let Some(index) = plan.operations.iter().position(|op| op.errors.contains(id)) {
            push(CaseKind::Response, index, Some(id), list);
        }
    }
    out
}

/// A malformed-request case once per set of `testParameters` values (the n-th value of
/// each parameter), its strings formatted as Smithy's code writer does: `$name:L` is the
/// value, `$name:S` the value as a quoted string, `$$` a `$`. Any other case as it is.
fn expand_parameters(case: &Value, kind: CaseKind) -> Vec<Value> {
    if kind != CaseKind::MalformedRequest {
        return vec![case.clone()];
    }
    let Some(Value::Object(parameters)) = case.get("testParameters") else {
        return vec![substitute(case, &[])];
    };
    let count = parameters
        .values()
        .filter_map(Value::as_array)
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    (0..count)
        .map(|n| {
            let values: Vec<(String, String)> = parameters
                .iter()
                .filter_map(|(name, values)| {
                    let value = values.get(n)?.as_str()?.to_string();
                    Some((name.clone(), value))
                })
                .collect();
            substitute(case, &values)
        })
        .collect()
}

/// `text` with `$$` and `$name:L` / `$name:S` replaced.
fn format_text(text: &str, parameters: &[(String, String)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('$') {
        out.push_str(&rest[..at]);
        rest = &rest[at + 1..];
        if let Some(after) = rest.strip_prefix('$') {
            out.push('$');
            rest = after;
            continue;
        }
        let found = parameters.iter().find_map(|(name, value)| {
            let after = rest.strip_prefix(name.as_str())?;
            if let Some(after) = after.strip_prefix(":L") {
                Some((value.clone(), after))
            } else {
                let after = after.strip_prefix(":S")?;
                Some((serde_json::to_string(value).unwrap_or_default(), after))
            }
        });
        match found {
            Some((value, after)) => {
                out.push_str(&value);
                rest = after;
            }
            None => out.push('$'),
        }
    }
    out.push_str(rest);
    out
}

fn substitute(value: &Value, parameters: &[(String, String)]) -> Value {
    match value {
        Value::String(text) => Value::String(format_text(text, parameters)),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| substitute(item, parameters))
                .collect(),
        ),
        Value::Object(entries) => Value::Object(
            entries
                .iter()
                .map(|(key, item)| {
                    let key = match substitute(&Value::String(key.clone()), parameters) {
                        Value::String(key) => key,
                        _ => key.clone(),
                    };
                    (key, substitute(item, parameters))
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

/// Cases of the supported protocols anywhere in `model` that none of `tests` runs: on an
/// operation or error no service of that protocol reaches, say.
pub fn unclaimed_cases(model: &Model, tests: &[TestRecord]) -> Vec<(TestRecord, String)> {
    let protocols: Vec<&str> = [
        Protocol::RestJson1,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
    ]
    .iter()
    .map(|p| p.trait_id())
    .collect();
    let claimed: BTreeSet<(&str, CaseKind, &str)> = tests
        .iter()
        .map(|t| (t.protocol.as_str(), t.kind, t.id.as_str()))
        .collect();
    let mut out = Vec::new();
    for (shape_id, shape) in &model.shapes {
        for kind in [
            CaseKind::Request,
            CaseKind::Response,
            CaseKind::MalformedRequest,
        ] {
            let Some(Trait::Other(Value::Array(list))) = shape.traits.get(&test_trait(kind)) else {
                continue;
            };
            for case in list {
                let (Some(protocol), Some(id)) = (case["protocol"].as_str(), case["id"].as_str())
                else {
                    continue;
                };
                if !protocols.contains(&protocol) || claimed.contains(&(protocol, kind, id)) {
                    continue;
                }
                let side = match case["appliesTo"].as_str() {
                    Some("client") => Side::Client,
                    _ => Side::Server,
                };
                let record = TestRecord {
                    crate_name: String::new(),
                    test_name: format!("{id}_{}_{}", side.word(), kind.word()),
                    id: id.to_string(),
                    protocol: protocol.to_string(),
                    kind,
                    side,
                };
                let reason = format!(
                    "`{shape_id}` is in no generated service of {protocol}, so no test runs this case"
                );
                out.push((record, reason));
            }
        }
    }
    out
}

/// `model` with one more service per protocol holding the operations that have cases of
/// that protocol but belong to no service of it (the Smithy suite has a few), so that
/// their cases run too. The service is `smithy.protocoltests.orphans#<Protocol>Orphans`.
pub fn with_orphan_services(model: &Model) -> Model {
    let mut out = model.clone();
    for protocol in [
        Protocol::RestJson1,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
    ] {
        let served: BTreeSet<ShapeId> = model
            .services()
            .filter(|(_, _, shape)| shape.traits.protocol() == Some(protocol))
            .flat_map(|(_, service, _)| model.service_operations(service))
            .collect();
        let orphans: Vec<ShapeId> = model
            .shapes
            .iter()
            .filter(|(id, shape)| {
                matches!(shape.kind, ShapeKind::Operation(_))
                    && !served.contains(*id)
                    && has_cases_for(shape, protocol)
            })
            .map(|(id, _)| id.clone())
            .collect();
        if orphans.is_empty() {
            continue;
        }
        let name = match protocol {
            Protocol::RestJson1 => "RestJson1Orphans",
            Protocol::AwsJson1_0 => "AwsJson10Orphans",
            Protocol::AwsJson1_1 => "AwsJson11Orphans",
        };
        let id = ShapeId::parse(&format!("smithy.protocoltests.orphans#{name}"))
            .expect("a valid shape id");
        let mut traits = Traits::default();
        traits.insert(
            ShapeId::parse(protocol.trait_id()).expect("a valid shape id"),
            Trait::Protocol(protocol),
        );
        out.shapes.insert(
            id.clone(),
            Shape {
                id,
                kind: ShapeKind::Service(Service {
                    version: "2024-01-01".into(),
                    operations: orphans,
                    resources: Vec::new(),
                    errors: Vec::new(),
                    rename: Default::default(),
                }),
                traits,
                file: None,
            },
        );
    }
    out
}

fn has_cases_for(shape: &Shape, protocol: Protocol) -> bool {
    [
        CaseKind::Request,
        CaseKind::Response,
        CaseKind::MalformedRequest,
    ]
    .iter()
    .any(|kind| match shape.traits.get(&test_trait(*kind)) {
        Some(Trait::Other(Value::Array(list))) => list
            .iter()
            .any(|case| case["protocol"].as_str() == Some(protocol.trait_id())),
        _ => false,
    })
}
