//! The Smithy rules language (`smithy.rules#endpointRuleSet`): a rule set read from its
//! JSON form and checked, then evaluated against parameters to an endpoint or an error.
//!
//! The code generator reads a model's rule set with [`RuleSet::parse`] so that a rule set
//! it cannot carry is a diagnostic at generation time; generated crates embed the rule
//! set's JSON text and the runtime evaluates it ([`RuleSet::evaluate`]). An interpreter
//! rather than generated Rust: a rule set costs a string constant to compile, and the
//! runtime caches what it resolves.
//!
//! Functions: the standard library (`isSet`, `not`, `getAttr`, `stringEquals`,
//! `booleanEquals`, `substring`, `uriEncode`, `parseURL`, `isValidHostLabel`, `coalesce`,
//! `ite`, `split`) and the AWS ones (`aws.partition`, `aws.parseArn`,
//! `aws.isVirtualHostableS3Bucket`).

mod eval;
mod functions;
pub mod partitions;
mod ruleset;

use std::collections::BTreeMap;

pub use ruleset::{Parameter, ParameterType, RuleError, RuleSet};

/// A value in the rules language.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    String(String),
    Bool(bool),
    Int(i64),
    Array(Vec<Value>),
    Object(BTreeMap<String, Value>),
}

impl Value {
    /// The value as JSON (an endpoint's properties are JSON).
    pub fn to_json(&self) -> serde_json::Value {
        match self {
            Value::String(s) => serde_json::Value::String(s.clone()),
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(n) => serde_json::Value::from(*n),
            Value::Array(items) => items.iter().map(Value::to_json).collect(),
            Value::Object(fields) => fields
                .iter()
                .map(|(k, v)| (k.clone(), v.to_json()))
                .collect::<serde_json::Map<_, _>>()
                .into(),
        }
    }

    /// A parameter's value from JSON: a string, a boolean, or an array of strings.
    pub fn from_json(value: &serde_json::Value) -> Option<Value> {
        Some(match value {
            serde_json::Value::String(s) => Value::String(s.clone()),
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Int(n.as_i64()?),
            serde_json::Value::Array(items) => {
                Value::Array(items.iter().map(Value::from_json).collect::<Option<_>>()?)
            }
            serde_json::Value::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| Some((k.clone(), Value::from_json(v)?)))
                    .collect::<Option<_>>()?,
            ),
            serde_json::Value::Null => return None,
        })
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(s.to_owned())
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<Vec<String>> for Value {
    fn from(items: Vec<String>) -> Value {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

/// What a rule set resolves to.
#[derive(Clone, Debug, PartialEq)]
pub struct Endpoint {
    pub url: String,
    /// Headers to send, each with its values in order.
    pub headers: Vec<(String, Vec<String>)>,
    /// `authSchemes` and anything else the rule set attaches.
    pub properties: serde_json::Map<String, serde_json::Value>,
}
