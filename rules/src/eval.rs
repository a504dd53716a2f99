//! Evaluating a rule set: rules in order, the first whose conditions all hold decides; a
//! tree whose conditions hold is final, whether or not one of its rules matches.

use crate::ruleset::{Call, Condition, EndpointRule, Expr, PathPart, Rule, RuleKind, TemplatePart};
use crate::{Endpoint, RuleSet, Value};

/// Names bound so far: parameters, then each assignment of the conditions that held.
/// Rules undo what they bound by truncating, so nothing is cloned per rule.
pub(crate) struct Scope<'a> {
    bound: Vec<(&'a str, Value)>,
}

impl<'a> Scope<'a> {
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.bound
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v)
    }
}

impl RuleSet {
    /// The endpoint for `params` (by parameter name; a parameter left out takes its
    /// default), or the rule set's error message.
    pub fn evaluate(&self, params: &[(&str, Value)]) -> Result<Endpoint, String> {
        let mut scope = Scope {
            bound: Vec::with_capacity(self.parameters.len() + 8),
        };
        for parameter in &self.parameters {
            let given = params
                .iter()
                .find(|(name, _)| *name == parameter.name)
                .map(|(_, v)| v.clone());
            match given.or_else(|| parameter.default.clone()) {
                Some(value) => scope.bound.push((&parameter.name, value)),
                None if parameter.required => {
                    return Err(format!("the parameter `{}` is required", parameter.name));
                }
                None => {}
            }
        }
        evaluate_rules(&self.rules, &mut scope)
            .unwrap_or_else(|| Err("No endpoint rule matched the parameters".to_owned()))
    }
}

fn evaluate_rules<'a>(
    rules: &'a [Rule],
    scope: &mut Scope<'a>,
) -> Option<Result<Endpoint, String>> {
    for rule in rules {
        let mark = scope.bound.len();
        let holds = rule.conditions.iter().all(|c| condition(c, scope));
        let outcome = holds.then(|| match &rule.kind {
            RuleKind::Endpoint(endpoint) => build(endpoint, scope),
            RuleKind::Error(message) => Err(string(message, scope).unwrap_or_default()),
            RuleKind::Tree(rules) => evaluate_rules(rules, scope).unwrap_or_else(|| {
                Err("No endpoint rule matched the parameters in a tree rule".to_owned())
            }),
        });
        scope.bound.truncate(mark);
        if outcome.is_some() {
            return outcome;
        }
    }
    None
}

/// Holds unless the function gives nothing or `false`; binds its value if it assigns.
fn condition<'a>(condition: &'a Condition, scope: &mut Scope<'a>) -> bool {
    match call(&condition.call, scope) {
        None | Some(Value::Bool(false)) => false,
        Some(value) => {
            if let Some(name) = &condition.assign {
                scope.bound.push((name, value));
            }
            true
        }
    }
}

fn build(endpoint: &EndpointRule, scope: &Scope<'_>) -> Result<Endpoint, String> {
    let url = string(&endpoint.url, scope).ok_or("the endpoint's url is not a string")?;
    let headers = endpoint
        .headers
        .iter()
        .map(|(name, values)| {
            let values = values
                .iter()
                .map(|v| {
                    string(v, scope)
                        .ok_or(format!("a value of the header `{name}` is not a string"))
                })
                .collect::<Result<_, _>>()?;
            Ok((name.clone(), values))
        })
        .collect::<Result<_, String>>()?;
    let properties = endpoint
        .properties
        .iter()
        .map(|(name, value)| {
            let value = expr(value, scope).ok_or(format!("the property `{name}` has no value"))?;
            Ok((name.clone(), value.to_json()))
        })
        .collect::<Result<_, String>>()?;
    Ok(Endpoint {
        url,
        headers,
        properties,
    })
}

fn string(e: &Expr, scope: &Scope<'_>) -> Option<String> {
    match expr(e, scope)? {
        Value::String(s) => Some(s),
        _ => None,
    }
}

pub(crate) fn expr(e: &Expr, scope: &Scope<'_>) -> Option<Value> {
    Some(match e {
        Expr::Template(parts) => {
            let mut out = String::new();
            for part in parts {
                match part {
                    TemplatePart::Text(text) => out.push_str(text),
                    TemplatePart::Ref(name, path) => match walk(scope.get(name)?, path)? {
                        Value::String(s) => out.push_str(s),
                        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
                        Value::Int(n) => out.push_str(&n.to_string()),
                        Value::Array(_) | Value::Object(_) => return None,
                    },
                }
            }
            Value::String(out)
        }
        Expr::Bool(b) => Value::Bool(*b),
        Expr::Int(n) => Value::Int(*n),
        Expr::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| expr(i, scope))
                .collect::<Option<_>>()?,
        ),
        Expr::Object(fields) => Value::Object(
            fields
                .iter()
                .map(|(k, v)| Some((k.clone(), expr(v, scope)?)))
                .collect::<Option<_>>()?,
        ),
        Expr::Ref(name) => scope.get(name)?.clone(),
        Expr::Call(c) => call(c, scope)?,
    })
}

/// `getAttr`'s walk: keys into objects, indices into arrays.
pub(crate) fn walk<'v>(mut value: &'v Value, path: &[PathPart]) -> Option<&'v Value> {
    for part in path {
        value = match (part, value) {
            (PathPart::Key(key), Value::Object(fields)) => fields.get(key)?,
            (PathPart::Index(i), Value::Array(items)) => items.get(*i)?,
            _ => return None,
        };
    }
    Some(value)
}

fn call(c: &Call, scope: &Scope<'_>) -> Option<Value> {
    crate::functions::apply(&c.function, &c.args, scope)
}
