//! A rule set read from JSON, and checked: every function known and called with the
//! right number of arguments, every reference to a parameter or an earlier assignment.

use std::fmt;

use serde_json::Value as Json;

use crate::Value;

/// A parameter of a rule set.
#[derive(Clone, Debug, PartialEq)]
pub struct Parameter {
    pub name: String,
    pub ty: ParameterType,
    /// `AWS::Region`, `SDK::Endpoint`...: the value comes from the client's config.
    pub built_in: Option<String>,
    pub default: Option<Value>,
    pub required: bool,
    pub documentation: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ParameterType {
    String,
    Boolean,
    StringArray,
}

/// A rule set: its parameters and its rules.
#[derive(Debug)]
pub struct RuleSet {
    pub parameters: Vec<Parameter>,
    pub(crate) rules: Vec<Rule>,
}

/// Why a rule set cannot be read: where (a path into its JSON) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    pub at: String,
    pub message: String,
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.at.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "at {}: {}", self.at, self.message)
        }
    }
}

impl std::error::Error for RuleError {}

#[derive(Debug)]
pub(crate) struct Rule {
    pub conditions: Vec<Condition>,
    pub kind: RuleKind,
}

#[derive(Debug)]
pub(crate) enum RuleKind {
    Endpoint(EndpointRule),
    Error(Expr),
    Tree(Vec<Rule>),
}

#[derive(Debug)]
pub(crate) struct EndpointRule {
    pub url: Expr,
    pub headers: Vec<(String, Vec<Expr>)>,
    pub properties: Vec<(String, Expr)>,
}

#[derive(Debug)]
pub(crate) struct Condition {
    pub call: Call,
    pub assign: Option<String>,
}

#[derive(Debug)]
pub(crate) struct Call {
    pub function: Function,
    pub args: Vec<Expr>,
}

/// The functions of the standard library and the AWS ones.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Function {
    IsSet,
    Not,
    /// The path is a literal, read once.
    GetAttr(Vec<PathPart>),
    StringEquals,
    BooleanEquals,
    Substring,
    UriEncode,
    ParseUrl,
    IsValidHostLabel,
    Coalesce,
    Ite,
    Split,
    Partition,
    ParseArn,
    IsVirtualHostableS3Bucket,
}

impl Function {
    /// The function of `name` and the numbers of arguments it takes.
    fn named(name: &str) -> Option<(Function, std::ops::RangeInclusive<usize>)> {
        Some(match name {
            "isSet" => (Function::IsSet, 1..=1),
            "not" => (Function::Not, 1..=1),
            "getAttr" => (Function::GetAttr(Vec::new()), 2..=2),
            "stringEquals" => (Function::StringEquals, 2..=2),
            "booleanEquals" => (Function::BooleanEquals, 2..=2),
            "substring" => (Function::Substring, 4..=4),
            "uriEncode" => (Function::UriEncode, 1..=1),
            "parseURL" => (Function::ParseUrl, 1..=1),
            "isValidHostLabel" => (Function::IsValidHostLabel, 2..=2),
            "coalesce" => (Function::Coalesce, 2..=usize::MAX),
            "ite" => (Function::Ite, 3..=3),
            "split" => (Function::Split, 3..=3),
            "aws.partition" => (Function::Partition, 1..=1),
            "aws.parseArn" => (Function::ParseArn, 1..=1),
            "aws.isVirtualHostableS3Bucket" => (Function::IsVirtualHostableS3Bucket, 2..=2),
            _ => return None,
        })
    }
}

/// One step of a `getAttr` path: `name` or `[index]`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum PathPart {
    Key(String),
    Index(usize),
}

#[derive(Debug)]
pub(crate) enum Expr {
    /// A string, with `{name}` and `{name#path}` filled in.
    Template(Vec<TemplatePart>),
    Bool(bool),
    Int(i64),
    Array(Vec<Expr>),
    Object(Vec<(String, Expr)>),
    Ref(String),
    Call(Box<Call>),
}

#[derive(Debug)]
pub(crate) enum TemplatePart {
    Text(String),
    Ref(String, Vec<PathPart>),
}

impl RuleSet {
    /// Reads the JSON value of a `smithy.rules#endpointRuleSet` trait.
    pub fn parse(json: &Json) -> Result<RuleSet, RuleError> {
        let mut reader = Reader {
            path: Vec::new(),
            scope: Vec::new(),
        };
        reader.rule_set(json)
    }

    /// Reads a rule set from its JSON text.
    pub fn from_text(text: &str) -> Result<RuleSet, RuleError> {
        let json: Json = serde_json::from_str(text).map_err(|e| RuleError {
            at: String::new(),
            message: format!("not JSON: {e}"),
        })?;
        RuleSet::parse(&json)
    }
}

/// Reads a rule set, keeping the path to what it reads (for errors) and the names in
/// scope (parameters, then assignments of the conditions above).
struct Reader {
    path: Vec<String>,
    scope: Vec<String>,
}

type Read<T> = Result<T, RuleError>;

impl Reader {
    fn error<T>(&self, message: impl Into<String>) -> Read<T> {
        Err(RuleError {
            at: self.path.concat(),
            message: message.into(),
        })
    }

    fn within<T>(&mut self, step: String, read: impl FnOnce(&mut Self) -> Read<T>) -> Read<T> {
        self.path.push(step);
        let result = read(self);
        self.path.pop();
        result
    }

    fn rule_set(&mut self, json: &Json) -> Read<RuleSet> {
        let Some(object) = json.as_object() else {
            return self.error("a rule set is an object");
        };
        let parameters = match object.get("parameters") {
            Some(Json::Object(parameters)) => parameters
                .iter()
                .map(|(name, p)| {
                    self.within(format!("parameters.{name}"), |r| r.parameter(name, p))
                })
                .collect::<Read<Vec<_>>>()?,
            None => Vec::new(),
            Some(_) => return self.error("`parameters` is an object"),
        };
        self.scope = parameters.iter().map(|p| p.name.clone()).collect();
        let rules = self.within("rules".into(), |r| r.rules(object.get("rules")))?;
        Ok(RuleSet { parameters, rules })
    }

    fn parameter(&mut self, name: &str, json: &Json) -> Read<Parameter> {
        let field = |key: &str| json.get(key);
        let ty = match field("type").and_then(Json::as_str) {
            Some(t) if t.eq_ignore_ascii_case("string") => ParameterType::String,
            Some(t) if t.eq_ignore_ascii_case("boolean") => ParameterType::Boolean,
            Some(t) if t.eq_ignore_ascii_case("stringArray") => ParameterType::StringArray,
            other => return self.error(format!("unknown parameter type {other:?}")),
        };
        let default = field("default").and_then(Value::from_json);
        Ok(Parameter {
            name: name.to_owned(),
            ty,
            built_in: field("builtIn").and_then(Json::as_str).map(str::to_owned),
            default,
            required: field("required").and_then(Json::as_bool) == Some(true),
            documentation: field("documentation")
                .and_then(Json::as_str)
                .map(str::to_owned),
        })
    }

    fn rules(&mut self, json: Option<&Json>) -> Read<Vec<Rule>> {
        let Some(Json::Array(rules)) = json else {
            return self.error("`rules` is an array");
        };
        rules
            .iter()
            .enumerate()
            .map(|(i, rule)| self.within(format!("[{i}]"), |r| r.rule(rule)))
            .collect()
    }

    fn rule(&mut self, json: &Json) -> Read<Rule> {
        let scope = self.scope.len();
        let conditions = match json.get("conditions") {
            Some(Json::Array(conditions)) => conditions
                .iter()
                .enumerate()
                .map(|(i, c)| self.within(format!(".conditions[{i}]"), |r| r.condition(c)))
                .collect::<Read<Vec<_>>>()?,
            None => Vec::new(),
            Some(_) => return self.error("`conditions` is an array"),
        };
        let kind = match json.get("type").and_then(Json::as_str) {
            Some("endpoint") => RuleKind::Endpoint(
                self.within(".endpoint".into(), |r| r.endpoint(json.get("endpoint")))?,
            ),
            Some("error") => {
                let Some(error) = json.get("error") else {
                    return self.error("an error rule has an `error`");
                };
                RuleKind::Error(self.within(".error".into(), |r| r.expr(error))?)
            }
            Some("tree") => {
                RuleKind::Tree(self.within(".rules".into(), |r| r.rules(json.get("rules")))?)
            }
            other => return self.error(format!("unknown rule type {other:?}")),
        };
        // What the conditions assigned is in scope for this rule only.
        self.scope.truncate(scope);
        Ok(Rule { conditions, kind })
    }

    fn condition(&mut self, json: &Json) -> Read<Condition> {
        let call = self.call(json)?;
        let assign = match json.get("assign") {
            Some(Json::String(name)) => {
                if self.scope.contains(name) {
                    return self.error(format!("`{name}` is assigned twice"));
                }
                self.scope.push(name.clone());
                Some(name.clone())
            }
            None => None,
            Some(_) => return self.error("`assign` is a name"),
        };
        Ok(Condition { call, assign })
    }

    fn call(&mut self, json: &Json) -> Read<Call> {
        let Some(name) = json.get("fn").and_then(Json::as_str) else {
            return self.error("a function call has `fn`");
        };
        let Some((mut function, arity)) = Function::named(name) else {
            return self.error(format!("the function `{name}` is not supported"));
        };
        let Some(Json::Array(argv)) = json.get("argv") else {
            return self.error(format!("`{name}` has no `argv`"));
        };
        if !arity.contains(&argv.len()) {
            return self.error(format!(
                "`{name}` takes {arity:?} arguments, not {}",
                argv.len()
            ));
        }
        let args = argv
            .iter()
            .enumerate()
            .map(|(i, a)| self.within(format!(".argv[{i}]"), |r| r.expr(a)))
            .collect::<Read<Vec<_>>>()?;
        if let Function::GetAttr(path) = &mut function {
            let Some(Json::String(text)) = argv.get(1) else {
                return self.error("`getAttr`'s path is a string");
            };
            *path = self.path_parts(text)?;
        }
        Ok(Call { function, args })
    }

    fn endpoint(&mut self, json: Option<&Json>) -> Read<EndpointRule> {
        let Some(json) = json else {
            return self.error("an endpoint rule has an `endpoint`");
        };
        let Some(url) = json.get("url") else {
            return self.error("an endpoint has a `url`");
        };
        let url = self.within(".url".into(), |r| r.expr(url))?;
        let mut headers = Vec::new();
        if let Some(map) = json.get("headers") {
            let Some(map) = map.as_object() else {
                return self.error("`headers` is an object");
            };
            for (name, values) in map {
                let Some(values) = values.as_array() else {
                    return self.error(format!("the header `{name}` has an array of values"));
                };
                let values = values
                    .iter()
                    .map(|v| self.within(format!(".headers.{name}"), |r| r.expr(v)))
                    .collect::<Read<Vec<_>>>()?;
                headers.push((name.clone(), values));
            }
        }
        let mut properties = Vec::new();
        if let Some(map) = json.get("properties") {
            let Some(map) = map.as_object() else {
                return self.error("`properties` is an object");
            };
            for (name, value) in map {
                let value = self.within(format!(".properties.{name}"), |r| r.expr(value))?;
                properties.push((name.clone(), value));
            }
        }
        Ok(EndpointRule {
            url,
            headers,
            properties,
        })
    }

    fn expr(&mut self, json: &Json) -> Read<Expr> {
        Ok(match json {
            Json::String(text) => Expr::Template(self.template(text)?),
            Json::Bool(b) => Expr::Bool(*b),
            Json::Number(n) => match n.as_i64() {
                Some(n) => Expr::Int(n),
                None => return self.error(format!("{n} is not an integer")),
            },
            Json::Array(items) => Expr::Array(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| self.within(format!("[{i}]"), |r| r.expr(item)))
                    .collect::<Read<_>>()?,
            ),
            Json::Object(map) if map.contains_key("ref") => {
                let Some(name) = map["ref"].as_str() else {
                    return self.error("`ref` names a parameter or an assignment");
                };
                self.check_ref(name)?;
                Expr::Ref(name.to_owned())
            }
            Json::Object(map) if map.contains_key("fn") => Expr::Call(Box::new(self.call(json)?)),
            Json::Object(map) => Expr::Object(
                map.iter()
                    .map(|(k, v)| Ok((k.clone(), self.within(format!(".{k}"), |r| r.expr(v))?)))
                    .collect::<Read<_>>()?,
            ),
            Json::Null => return self.error("null is not a value of the rules language"),
        })
    }

    fn check_ref(&self, name: &str) -> Read<()> {
        if self.scope.iter().any(|n| n == name) {
            Ok(())
        } else {
            self.error(format!(
                "`{name}` is neither a parameter nor assigned above"
            ))
        }
    }

    /// `text` with `{name}` / `{name#path}` in it; `{{` and `}}` are braces.
    fn template(&self, text: &str) -> Read<Vec<TemplatePart>> {
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut chars = text.char_indices().peekable();
        while let Some((at, c)) = chars.next() {
            match c {
                '{' if chars.peek().map(|(_, c)| *c) == Some('{') => {
                    chars.next();
                    literal.push('{');
                }
                '}' if chars.peek().map(|(_, c)| *c) == Some('}') => {
                    chars.next();
                    literal.push('}');
                }
                '{' => {
                    let Some(end) = text[at..].find('}') else {
                        return self.error(format!("an unclosed `{{` in {text:?}"));
                    };
                    let inner = &text[at + 1..at + end];
                    let (name, path) = match inner.split_once('#') {
                        Some((name, path)) => (name, self.path_parts(path)?),
                        None => (inner, Vec::new()),
                    };
                    self.check_ref(name)?;
                    if !literal.is_empty() {
                        parts.push(TemplatePart::Text(std::mem::take(&mut literal)));
                    }
                    parts.push(TemplatePart::Ref(name.to_owned(), path));
                    while chars.peek().is_some_and(|(i, _)| *i <= at + end) {
                        chars.next();
                    }
                }
                '}' => return self.error(format!("a lone `}}` in {text:?}")),
                c => literal.push(c),
            }
        }
        if !literal.is_empty() || parts.is_empty() {
            parts.push(TemplatePart::Text(literal));
        }
        Ok(parts)
    }

    /// `a.b[2].c`
    fn path_parts(&self, text: &str) -> Read<Vec<PathPart>> {
        let mut parts = Vec::new();
        for segment in text.split('.') {
            let (name, mut rest) = match segment.find('[') {
                Some(i) => (&segment[..i], &segment[i..]),
                None => (segment, ""),
            };
            if !name.is_empty() {
                parts.push(PathPart::Key(name.to_owned()));
            }
            while let Some(after) = rest.strip_prefix('[') {
                let Some((index, next)) = after.split_once(']') else {
                    return self.error(format!("a bad path {text:?}"));
                };
                let Ok(index) = index.parse() else {
                    return self.error(format!("a bad index in the path {text:?}"));
                };
                parts.push(PathPart::Index(index));
                rest = next;
            }
            if !rest.is_empty() || (name.is_empty() && parts.is_empty()) {
                return self.error(format!("a bad path {text:?}"));
            }
        }
        Ok(parts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(json: serde_json::Value) -> String {
        RuleSet::parse(&json).unwrap_err().to_string()
    }

    #[test]
    fn what_cannot_be_carried_is_named_with_where_it_is() {
        let unknown_fn = serde_json::json!({
            "parameters": {"Region": {"type": "string"}},
            "rules": [{"type": "error", "conditions": [{"fn": "aws.fancy", "argv": []}], "error": "x"}]
        });
        assert_eq!(
            error_of(unknown_fn),
            "at rules[0].conditions[0]: the function `aws.fancy` is not supported"
        );
        let unknown_ref = serde_json::json!({
            "parameters": {},
            "rules": [{"type": "endpoint", "conditions": [], "endpoint": {"url": "https://{Region}.example.com"}}]
        });
        assert_eq!(
            error_of(unknown_ref),
            "at rules[0].endpoint.url: `Region` is neither a parameter nor assigned above"
        );
        let arity = serde_json::json!({
            "parameters": {"A": {"type": "boolean"}},
            "rules": [{"type": "error", "conditions": [{"fn": "not", "argv": [{"ref": "A"}, true]}], "error": "x"}]
        });
        assert!(error_of(arity).contains("`not` takes 1..=1 arguments, not 2"));
        // An assignment is in scope below its condition only.
        let out_of_scope = serde_json::json!({
            "parameters": {"Region": {"type": "string"}},
            "rules": [
                {"type": "tree", "conditions": [{"fn": "aws.partition", "argv": [{"ref": "Region"}], "assign": "P"}],
                 "rules": [{"type": "error", "conditions": [], "error": "{P#name}"}]},
                {"type": "error", "conditions": [], "error": "{P#name}"}
            ]
        });
        assert_eq!(
            error_of(out_of_scope),
            "at rules[1].error: `P` is neither a parameter nor assigned above"
        );
    }

    #[test]
    fn templates_and_paths() {
        let reader = Reader {
            path: Vec::new(),
            scope: vec!["Region".into(), "P".into()],
        };
        let parts = reader
            .template("https://{Region}.{P#dnsSuffix}{{x}}")
            .unwrap();
        assert_eq!(parts.len(), 5);
        assert!(matches!(&parts[4], TemplatePart::Text(t) if t == "{x}"));
        assert_eq!(
            reader.path_parts("resourceId[1].a").unwrap(),
            [
                PathPart::Key("resourceId".into()),
                PathPart::Index(1),
                PathPart::Key("a".into())
            ]
        );
        assert_eq!(reader.path_parts("[0]").unwrap(), [PathPart::Index(0)]);
        assert!(reader.path_parts("a[x]").is_err());
        assert!(reader.template("{Region").is_err());
    }
}
