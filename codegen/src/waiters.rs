//! `smithy.waiters#waitable` as the plan holds it: each waiter of an operation with its
//! delays and acceptors, checked at generation time.

use heck::ToSnakeCase;
use serde_json::Value;

use crate::model::Model;
use crate::traits::Trait;
use crate::{Diagnostic, ShapeId};

/// One waiter.
#[derive(Clone, Debug, PartialEq)]
pub struct Waiter {
    /// `TableExists`
    pub name: String,
    /// `table_exists`: the client's method is `wait_until_table_exists`.
    pub snake: String,
    pub documentation: Option<String>,
    /// Seconds.
    pub min_delay: u64,
    pub max_delay: u64,
    pub acceptors: Vec<Acceptor>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Acceptor {
    /// `success`, `failure` or `retry`.
    pub state: String,
    pub matcher: Matcher,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Matcher {
    /// A JMESPath over the output (`input_output`: over `{input, output}`), compared.
    Path {
        input_output: bool,
        path: String,
        expected: String,
        comparator: String,
    },
    /// The call succeeded (`true`) or failed (`false`).
    Success(bool),
    /// The call failed with this error (a shape name or ID).
    ErrorType(String),
}

const COMPARATORS: &[&str] = &[
    "stringEquals",
    "booleanEquals",
    "allStringEquals",
    "anyStringEquals",
];

/// The operation's waiters, in the trait's order (by name).
pub fn plan(model: &Model, operation_id: &ShapeId) -> Result<Vec<Waiter>, Diagnostic> {
    let operation = &model.shapes[operation_id];
    let Some(Trait::Other(Value::Object(waiters))) = ShapeId::parse("smithy.waiters#waitable")
        .ok()
        .and_then(|id| operation.traits.get(&id))
    else {
        return Ok(Vec::new());
    };
    let fail = |message: String| {
        let mut diagnostic = Diagnostic::new(message).at_shape(operation_id);
        diagnostic.file = operation.file.clone();
        diagnostic
    };
    let mut out = Vec::new();
    for (name, waiter) in waiters {
        let delay = |key: &str, default: u64| match waiter.get(key) {
            None => Ok(default),
            Some(v) => v.as_u64().filter(|n| *n >= 1).ok_or_else(|| {
                fail(format!(
                    "the waiter `{name}`'s `{key}` is not a whole number of seconds of at least 1"
                ))
            }),
        };
        let (min_delay, max_delay) = (delay("minDelay", 2)?, delay("maxDelay", 120)?);
        if max_delay < min_delay {
            return Err(fail(format!(
                "the waiter `{name}`'s maxDelay is below its minDelay"
            )));
        }
        let mut acceptors = Vec::new();
        for (i, acceptor) in waiter["acceptors"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            let state = acceptor["state"].as_str().unwrap_or_default().to_owned();
            if !matches!(state.as_str(), "success" | "failure" | "retry") {
                return Err(fail(format!(
                    "the waiter `{name}`'s acceptor {i} has the state `{state}`"
                )));
            }
            let matcher = &acceptor["matcher"];
            let path = |key: &str, input_output: bool| -> Option<Result<Matcher, Diagnostic>> {
                let m = matcher.get(key)?;
                let comparator = m["comparator"].as_str().unwrap_or_default();
                if !COMPARATORS.contains(&comparator) {
                    return Some(Err(fail(format!(
                        "the waiter `{name}`'s acceptor {i} compares with `{comparator}`"
                    ))));
                }
                Some(Ok(Matcher::Path {
                    input_output,
                    path: m["path"].as_str().unwrap_or_default().to_owned(),
                    expected: m["expected"].as_str().unwrap_or_default().to_owned(),
                    comparator: comparator.to_owned(),
                }))
            };
            let matcher = match (matcher.get("success"), matcher.get("errorType")) {
                (Some(Value::Bool(b)), _) => Matcher::Success(*b),
                (_, Some(Value::String(error))) => Matcher::ErrorType(error.clone()),
                _ => match path("output", false).or_else(|| path("inputOutput", true)) {
                    Some(matcher) => matcher?,
                    None => {
                        return Err(fail(format!(
                            "the waiter `{name}`'s acceptor {i} has no matcher this generator knows"
                        )));
                    }
                },
            };
            acceptors.push(Acceptor { state, matcher });
        }
        if acceptors.is_empty() {
            return Err(fail(format!("the waiter `{name}` has no acceptors")));
        }
        out.push(Waiter {
            name: name.clone(),
            snake: name.to_snake_case(),
            documentation: waiter["documentation"].as_str().map(str::to_owned),
            min_delay,
            max_delay,
            acceptors,
        });
    }
    Ok(out)
}
