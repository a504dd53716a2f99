//! Answers for any operation, made from the model alone (feature `stub`).
//!
//! A generated crate's stub server answers each operation with the output of a matching
//! `@examples` entry, or else with a value made from the output's schema that satisfies
//! every constraint on it: required members set, lengths and ranges within bounds, enum
//! values from their set, strings matching their `@pattern`, recursion bounded. A request
//! can ask for one of the operation's modeled errors instead by naming it in the
//! [`ERROR_HEADER`] header.
//!
//! Values are made as JSON and read into the typed value through its schema, as a
//! response would be read, so the stub needs no code per shape.

use serde_json::{Map, Number};

/// The JSON values examples and made-up members are given as.
pub use serde_json::Value;

use crate::error::{ErrorMetadata, Unhandled};
use crate::validation::{EnumValues, Kind, Schema};
use crate::wire::{self, ErrorSource, HasSchema, OperationError};

/// The request header that asks the stub for a modeled error of the operation, by the
/// error's shape name (`ResourceNotFoundException`) or shape ID.
pub const ERROR_HEADER: &str = "x-smithy-stub-error";

/// The instant every made-up timestamp holds: 2024-01-01T00:00:00Z.
const INSTANT: i64 = 1_704_067_200;

/// How deep made-up values go: below this, optional members, list items and map entries
/// are left out unless a constraint requires them (which also ends recursion).
const MAX_DEPTH: usize = 4;

/// An `@examples` entry of an operation, as the model wrote its values (JSON text).
#[derive(Debug)]
pub struct Example {
    /// The example's title in the model.
    pub title: &'static str,
    /// The input members the example gives (a JSON object).
    pub input: Option<&'static str>,
    /// The output it answers with (a JSON object).
    pub output: Option<&'static str>,
    /// The error's shape ID and its members.
    pub error: Option<(&'static str, &'static str)>,
}

/// A streamed input payload read whole, so that it can be matched against the examples'
/// inputs; a body that breaks off gives the error a handler returns for it
/// ([`crate::server::body_error`]).
pub async fn read_stream(
    stream: crate::ByteStream,
) -> Result<crate::ByteStream, crate::error::Unhandled> {
    match stream.collect().await {
        Ok(bytes) => Ok(crate::ByteStream::from(bytes.into_bytes())),
        Err(error) => Err(crate::server::body_error(&error)),
    }
}

/// The answer to one call: an example's output or error when one matches `input`, the
/// error [`ERROR_HEADER`] names, or else an output made from the output's schema.
///
/// A name the operation does not declare is answered as an `Unhandled` error (a 400
/// naming the error).
pub fn answer<I, O, E>(
    operation: &str,
    input: &I,
    headers: &http::HeaderMap,
    examples: &[Example],
) -> Result<O, E>
where
    I: HasSchema,
    O: HasSchema + Default,
    E: OperationError,
{
    if let Some(name) = headers.get(ERROR_HEADER).and_then(|v| v.to_str().ok()) {
        let short = name.rsplit_once('#').map_or(name, |(_, short)| short);
        return Err(E::modeled(short, ExampleMembers(None)).unwrap_or_else(|| {
            E::from(Unhandled::new(
                ErrorMetadata::builder()
                    .code(STUB_ERROR_UNKNOWN)
                    .message(format!("`{operation}` has no error named `{name}`"))
                    .build(),
            ))
        }));
    }
    if let Some(example) = matching_example(examples, input) {
        if let Some((id, members)) = example.error {
            let short = id.rsplit_once('#').map_or(id, |(_, short)| short);
            let members: Value = serde_json::from_str(members).unwrap_or_default();
            if let Some(error) = E::modeled(short, ExampleMembers(Some(&members))) {
                return Err(error);
            }
        }
        let output = example
            .output
            .and_then(|text| example_value(O::SCHEMA, text));
        if let Some(output) = output.and_then(|value| crate::wire::from_value::<O>(&value).ok()) {
            return Ok(output);
        }
    }
    Ok(value())
}

/// A value of `T` made from its schema (see the module's documentation).
pub fn value<T: HasSchema + Default>() -> T {
    crate::wire::from_value(&json(T::SCHEMA)).unwrap_or_default()
}

/// A value of `T`: `members` (an example's) read into it when given, else made from its
/// schema.
pub fn value_from<T: HasSchema + Default>(members: Option<&Value>) -> T {
    let Some(members) = members else {
        return value();
    };
    let mut members = members.clone();
    to_wire_form(T::SCHEMA, &mut members);
    crate::wire::from_value(&members).unwrap_or_else(|_| value())
}

/// An error's members as the stub has them: an example's, or made up when `None`.
struct ExampleMembers<'a>(Option<&'a Value>);

impl ErrorSource for ExampleMembers<'_> {
    fn read<T: HasSchema + wire::Members + Default>(
        self,
        _bindings: &'static [crate::protocol::Binding],
    ) -> Option<T> {
        Some(value_from(self.0))
    }
}

/// The `main` of a stub server: serves `services` on `127.0.0.1` at `--port P` (0, the
/// default, picks a free port), prints `listening on http://127.0.0.1:PORT` as its first
/// line on stdout, and serves until Ctrl-C.
pub fn main(services: crate::server::Services) -> std::process::ExitCode {
    use std::io::Write as _;
    const USAGE: &str = "usage: [--port PORT]   (0, the default, picks a free port)";
    let mut port = 0u16;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match (arg.as_str(), args.next().map(|p| p.parse::<u16>())) {
            ("--port", Some(Ok(p))) => port = p,
            _ => {
                eprintln!("{USAGE}");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the tokio runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
        let mut stdout = std::io::stdout().lock();
        writeln!(stdout, "listening on http://{}", listener.local_addr()?)?;
        stdout.flush()?;
        drop(stdout);
        crate::server::serve_listener(
            services.into_router(),
            listener,
            crate::server::shutdown_signal(),
        )
        .await
    });
    match served {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stub server: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// The code of the error [`answer`] gives for an error name the operation does not have.
pub const STUB_ERROR_UNKNOWN: &str = "StubErrorUnknown";

/// The first example whose input members all equal the request's.
fn matching_example<'e, I: HasSchema>(examples: &'e [Example], input: &I) -> Option<&'e Example> {
    let input = crate::wire::to_value(input).ok()?;
    examples.iter().find(|example| {
        let Some(wanted) = example_value(I::SCHEMA, example.input.unwrap_or("{}")) else {
            return false;
        };
        match (wanted, &input) {
            // An example without input answers a request without input.
            (Value::Object(wanted), Value::Object(given)) if wanted.is_empty() => given.is_empty(),
            (Value::Object(wanted), _) => wanted.iter().all(|(k, v)| input.get(k) == Some(v)),
            _ => false,
        }
    })
}

/// An example's value (JSON text) of `schema`, in the wire's JSON form. Trait values
/// write timestamps as a date-time string or epoch seconds whatever the member's
/// format, and blobs as base64, though AWS's examples often give the text itself
/// (`"<binary data>"`): a string that is not base64 stands for its own bytes.
fn example_value(schema: &'static Schema, text: &str) -> Option<Value> {
    let mut value = serde_json::from_str(text).ok()?;
    to_wire_form(schema, &mut value);
    Some(value)
}

fn to_wire_form(schema: &'static Schema, value: &mut Value) {
    match (&schema.kind, value) {
        (Kind::Blob, Value::String(text)) => {
            // Written again canonically (padded), as the wire writes blobs.
            *text = match crate::base64::decode(text) {
                Ok(bytes) => crate::base64::encode(&bytes),
                Err(_) => crate::base64::encode(text.as_bytes()),
            };
        }
        (Kind::Timestamp(format), value) => {
            let instant = match &*value {
                Value::String(text) => {
                    crate::DateTime::parse(crate::TimestampFormat::DateTime, text).ok()
                }
                Value::Number(n) => n.as_f64().map(crate::DateTime::from_fractional_secs),
                _ => None,
            };
            if let Some(instant) = instant {
                *value = match format {
                    crate::TimestampFormat::EpochSeconds => {
                        Number::from_f64(instant.as_secs_f64()).map_or(Value::Null, Value::Number)
                    }
                    _ => Value::String(instant.fmt(*format)),
                };
            }
        }
        (Kind::Structure(members) | Kind::Union(members), Value::Object(object)) => {
            for member in *members {
                if let Some(value) = object.get_mut(member.name) {
                    to_wire_form(member.schema, value);
                }
            }
        }
        (Kind::List { member, .. }, Value::Array(items)) => {
            for item in items {
                to_wire_form(member, item);
            }
        }
        (Kind::Map { value: schema, .. }, Value::Object(entries)) => {
            for value in entries.values_mut() {
                to_wire_form(schema, value);
            }
        }
        _ => {}
    }
}

/// A JSON value of `schema`'s shape that satisfies its constraints.
pub fn json(schema: &'static Schema) -> Value {
    Maker { stack: Vec::new() }.make(schema, "value", 0)
}

struct Maker {
    /// The structures being made, to leave out members that would recurse.
    stack: Vec<&'static Schema>,
}

impl Maker {
    /// A value of `schema`; `hint` names it (a member name) and `nth` tells apart the
    /// items of a collection (unique items, map keys).
    fn make(&mut self, schema: &'static Schema, hint: &str, nth: usize) -> Value {
        match &schema.kind {
            Kind::Structure(members) | Kind::Union(members) => {
                let union = matches!(schema.kind, Kind::Union(_));
                let deep = self.stack.len() >= MAX_DEPTH;
                self.stack.push(schema);
                let mut object = Map::new();
                for member in *members {
                    let recursive =
                        self.on_stack(member.schema) || self.reaches_stack(member.schema);
                    if !member.required && (deep || recursive) {
                        continue;
                    }
                    object.insert(
                        member.name.to_string(),
                        self.make(member.schema, member.name, 0),
                    );
                    if union {
                        break;
                    }
                }
                self.stack.pop();
                Value::Object(object)
            }
            Kind::List { member, .. } => {
                let count = self.count(schema);
                Value::Array(
                    (0..count)
                        .map(|i| self.make(member, hint, nth * 7 + i))
                        .collect(),
                )
            }
            Kind::Map { key, value, .. } => {
                let count = self.count(schema);
                let mut object = Map::new();
                for i in 0..count {
                    let k = match self.make(key, hint, nth * 7 + i) {
                        Value::String(k) => k,
                        other => other.to_string(),
                    };
                    object.insert(k, self.make(value, hint, i));
                }
                Value::Object(object)
            }
            Kind::String => Value::String(string(schema, hint, nth)),
            Kind::Boolean => Value::Bool(true),
            Kind::Byte | Kind::Short | Kind::Integer | Kind::Long | Kind::BigInteger => {
                if let Some(EnumValues::Ints { all, .. }) = schema.enum_values {
                    if let Some(value) = all.get(nth % all.len().max(1)) {
                        return Value::from(*value);
                    }
                }
                Value::from(integer(schema, nth))
            }
            Kind::Float | Kind::Double | Kind::BigDecimal => {
                Number::from_f64(float(schema, nth)).map_or(Value::Null, Value::Number)
            }
            Kind::Blob => {
                let len = length_within(schema, 4 + nth);
                let bytes: Vec<u8> = (0..len).map(|i| b'a' + (i % 26) as u8).collect();
                Value::String(crate::base64::encode(&bytes))
            }
            Kind::Timestamp(format) => {
                let instant = crate::DateTime::from_secs(INSTANT + nth as i64);
                match format {
                    crate::TimestampFormat::EpochSeconds => Value::from(INSTANT + nth as i64),
                    _ => Value::String(instant.fmt(*format)),
                }
            }
            Kind::Document => {
                let mut object = Map::new();
                object.insert("stub".into(), Value::Bool(true));
                Value::Object(object)
            }
        }
    }

    /// Whether `schema` (the same static) is a structure being made.
    fn on_stack(&self, schema: &'static Schema) -> bool {
        self.stack.iter().any(|s| std::ptr::eq(*s, schema))
    }

    /// Whether `schema` is a collection whose items are a structure being made.
    fn reaches_stack(&self, schema: &'static Schema) -> bool {
        match &schema.kind {
            Kind::List { member, .. } => self.on_stack(member) || self.reaches_stack(member),
            Kind::Map { value, .. } => self.on_stack(value) || self.reaches_stack(value),
            _ => false,
        }
    }

    /// How many items a list or map gets: one (none when deep), within its `@length`.
    fn count(&self, schema: &Schema) -> usize {
        let wanted = if self.stack.len() >= MAX_DEPTH { 0 } else { 1 };
        length_within(schema, wanted)
    }
}

/// `wanted`, moved within the schema's `@length`.
fn length_within(schema: &Schema, wanted: usize) -> usize {
    let Some(length) = schema.length else {
        return wanted;
    };
    let min = length.min.map_or(0, |m| m as usize);
    let max = length.max.map_or(usize::MAX, |m| m as usize);
    wanted.clamp(min, max.max(min))
}

/// The schema's `@range` bounds, as numbers.
fn range(schema: &Schema) -> (Option<f64>, Option<f64>) {
    let bound = |b: Option<&str>| b.and_then(|b| b.parse::<f64>().ok());
    schema
        .range
        .map_or((None, None), |r| (bound(r.min), bound(r.max)))
}

fn integer(schema: &Schema, nth: usize) -> i64 {
    let (min, max) = range(schema);
    let base = min
        .map_or(1, |m| m.ceil() as i64)
        .saturating_add(nth as i64);
    match max.map(|m| m.floor() as i64) {
        Some(max) if base > max => max,
        _ => base,
    }
}

fn float(schema: &Schema, nth: usize) -> f64 {
    let (min, max) = range(schema);
    let base = min.unwrap_or(1.5) + nth as f64;
    match max {
        Some(max) if base > max => max,
        _ => base,
    }
}

/// A string within the schema's length, from its enum values, or matching its pattern.
fn string(schema: &Schema, hint: &str, nth: usize) -> String {
    if let Some(EnumValues::Strings { all, shown }) = schema.enum_values {
        let values = if shown.is_empty() { all } else { shown };
        if let Some(value) = values.get(nth % values.len().max(1)) {
            return value.to_string();
        }
    }
    let fits = |s: &str| {
        let chars = s.chars().count();
        let length_ok = schema.length.is_none_or(|l| {
            l.min.is_none_or(|m| chars as u64 >= m) && l.max.is_none_or(|m| chars as u64 <= m)
        });
        let pattern_ok = schema
            .pattern
            .is_none_or(|p| p.is_match(s).unwrap_or(false));
        length_ok && pattern_ok
    };
    let min = schema.length.and_then(|l| l.min).unwrap_or(0) as usize;
    let max = schema.length.and_then(|l| l.max).map(|m| m as usize);
    let plain = fit_length(&format!("{hint}{}", suffix(nth)), min, max);
    if fits(&plain) {
        return plain;
    }
    if let Some(pattern) = schema.pattern {
        for extra in [0, min, min + 1, min * 2 + 2, 16, 64] {
            if let Some(candidate) = regex_text::generate(pattern.regex(), extra, nth) {
                if fits(&candidate) {
                    return candidate;
                }
                let padded = fit_length(&candidate, min, max);
                if fits(&padded) {
                    return padded;
                }
            }
        }
    }
    plain
}

/// `-2`, `-3`, ... to tell items apart; nothing for the first.
fn suffix(nth: usize) -> String {
    if nth == 0 {
        String::new()
    } else {
        format!("-{}", nth + 1)
    }
}

/// `text` cut to `max` characters, or padded with `x` to `min`.
fn fit_length(text: &str, min: usize, max: Option<usize>) -> String {
    let mut out: String = match max {
        Some(max) => text.chars().take(max).collect(),
        None => text.to_string(),
    };
    let chars = out.chars().count();
    out.extend(std::iter::repeat_n('x', min.saturating_sub(chars)));
    out
}

/// Strings that a regular expression (the `regex` crate's syntax) matches.
mod regex_text {
    use regex_syntax::hir::{Class, Hir, HirKind};

    /// A string the expression matches: each repetition taken its least number of
    /// times plus up to `extra` more (in order), the first branch of each alternation,
    /// a letter or digit of each class where it has one (the `nth` one, to vary).
    pub fn generate(regex: &str, extra: usize, nth: usize) -> Option<String> {
        let hir = regex_syntax::parse(regex).ok()?;
        let mut out = String::new();
        let mut extra = extra;
        write(&hir, &mut out, &mut extra, nth);
        Some(out)
    }

    fn write(hir: &Hir, out: &mut String, extra: &mut usize, nth: usize) {
        match hir.kind() {
            HirKind::Empty | HirKind::Look(_) => {}
            HirKind::Literal(literal) => out.push_str(&String::from_utf8_lossy(&literal.0)),
            HirKind::Class(Class::Unicode(class)) => {
                let chars = class
                    .ranges()
                    .iter()
                    .flat_map(|r| (r.start()..=r.end()).take(64));
                let nice: Vec<char> = chars
                    .clone()
                    .filter(|c| c.is_ascii_alphanumeric())
                    .collect();
                let pick = if nice.is_empty() {
                    chars
                        .clone()
                        .find(|c| !c.is_control())
                        .or(chars.clone().next())
                } else {
                    Some(nice[nth % nice.len()])
                };
                out.extend(pick);
            }
            HirKind::Class(Class::Bytes(class)) => {
                if let Some(range) = class.ranges().first() {
                    out.push(range.start() as char);
                }
            }
            HirKind::Repetition(repetition) => {
                let min = repetition.min as usize;
                let max = repetition.max.map_or(usize::MAX, |m| m as usize);
                let more = (*extra).min(max.saturating_sub(min));
                *extra -= more;
                for _ in 0..min + more {
                    write(&repetition.sub, out, extra, nth);
                }
            }
            HirKind::Capture(capture) => write(&capture.sub, out, extra, nth),
            HirKind::Concat(items) => {
                for item in items {
                    write(item, out, extra, nth);
                }
            }
            HirKind::Alternation(branches) => {
                if let Some(first) = branches.first() {
                    write(first, out, extra, nth);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pattern::Pattern;

    static ID_PATTERN: Pattern = Pattern::new("^[0-9a-z]+$", "^[0-9a-z]+$");
    static ID: Schema = Schema::of(Kind::String)
        .length(Some(1), Some(64))
        .pattern(&ID_PATTERN);
    static ARN_PATTERN: Pattern = Pattern::new(
        r"^arn:(aws[a-zA-Z0-9-]*):emr-serverless:.+:(\d{12}):\/applications\/[0-9a-zA-Z]+$",
        r"^arn:(aws[a-zA-Z0-9-]*):emr-serverless:.+:([0-9]{12}):/applications/[0-9a-zA-Z]+$",
    );
    static ARN: Schema = Schema::of(Kind::String)
        .length(Some(60), Some(1024))
        .pattern(&ARN_PATTERN);
    static NAMES: Schema = Schema::list(&ID, false)
        .length(Some(2), Some(5))
        .unique_items();
    test_structure!(Node: NODE, {
        0 => id: String = required("id", &ID),
        1 => arn: Option<String> = optional("arn", &ARN),
        2 => children: Option<Vec<Node>> = optional("children", &CHILDREN),
    });
    static CHILDREN: Schema = Schema::list(&NODE, false);
    test_structure!(Top: TOP, {
        0 => node: Node = required("node", &NODE),
        1 => names: Vec<String> = required("names", &NAMES),
    });

    #[test]
    fn made_values_satisfy_their_constraints_and_recursion_ends() {
        let value = json(&TOP);
        let arn = value["node"]["arn"].as_str().unwrap();
        assert_eq!(ARN_PATTERN.is_match(arn), Ok(true), "{arn}");
        assert!(arn.chars().count() >= 60, "{arn}");
        let id = value["node"]["id"].as_str().unwrap();
        assert_eq!(ID_PATTERN.is_match(id), Ok(true), "{id}");
        let names = value["names"].as_array().unwrap();
        assert_eq!(names.len(), 2);
        assert_ne!(names[0], names[1]);
        for name in names {
            assert_eq!(
                ID_PATTERN.is_match(name.as_str().unwrap()),
                Ok(true),
                "{name}"
            );
        }
        // A node holds children that hold nodes: the recursive member is left out.
        assert!(value["node"].get("children").is_none(), "{value}");
        // And the value reads into the typed structure.
        let top: Top = super::value();
        assert_eq!(top.node.id, id);
        assert_eq!(top.names.len(), 2);
    }

    test_structure!(Lookup: LOOKUP, {
        0 => id: String = required("id", &ID),
        1 => verbose: Option<bool> = optional("verbose", &FLAG),
    });
    test_structure!(Found: FOUND, {
        0 => arn: Option<String> = optional("arn", &ARN),
        1 => names: Vec<String> = required("names", &NAMES),
    });
    test_structure!(Missing: MISSING, {
        0 => message: Option<String> = optional("message", &PLAIN),
    });
    static FLAG: Schema = Schema::of(Kind::Boolean);
    static PLAIN: Schema = Schema::of(Kind::String);

    #[derive(Debug, PartialEq)]
    enum LookupError {
        Missing(Missing),
        Unhandled(Option<String>),
    }

    fn ask(id: &str, headers: &[(&str, &str)]) -> Result<Found, LookupError> {
        const EXAMPLES: &[Example] = &[
            Example {
                title: "A known id",
                input: Some(r#"{"id":"known"}"#),
                output: Some(
                    r#"{"arn":"arn:aws:emr-serverless:us-east-1:123456789012:/applications/known","names":["a","b"]}"#,
                ),
                error: None,
            },
            Example {
                title: "A gone id",
                input: Some(r#"{"id":"gone"}"#),
                output: None,
                error: Some(("example#Missing", r#"{"message":"it is gone"}"#)),
            },
        ];
        let mut map = http::HeaderMap::new();
        for (name, value) in headers {
            map.insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let input = Lookup {
            id: id.into(),
            verbose: Some(true),
        };
        answer("Lookup", &input, &map, EXAMPLES)
    }

    impl From<Unhandled> for LookupError {
        fn from(unhandled: Unhandled) -> Self {
            LookupError::Unhandled(unhandled.meta().code().map(str::to_string))
        }
    }

    impl OperationError for LookupError {
        fn modeled(code: &str, source: impl ErrorSource) -> Option<Self> {
            match code {
                "Missing" => source.read(&[]).map(LookupError::Missing),
                _ => None,
            }
        }
    }

    #[test]
    fn an_example_whose_input_matches_answers() {
        let found = ask("known", &[]).unwrap();
        assert_eq!(found.names, ["a", "b"]);
        assert!(found.arn.unwrap().ends_with("/applications/known"));
        // An example can answer with an error, its members as the model gives them.
        assert_eq!(
            ask("gone", &[]),
            Err(LookupError::Missing(Missing {
                message: Some("it is gone".into())
            }))
        );
    }

    #[test]
    fn without_a_matching_example_the_output_is_made_from_its_schema() {
        let found = ask("other", &[]).unwrap();
        assert_eq!(found.names.len(), 2, "{found:?}");
        let arn = found.arn.unwrap();
        assert_eq!(ARN_PATTERN.is_match(&arn), Ok(true), "{arn}");
    }

    #[test]
    fn a_request_can_ask_for_a_modeled_error() {
        match ask("known", &[(ERROR_HEADER, "Missing")]) {
            Err(LookupError::Missing(missing)) => assert!(missing.message.is_some()),
            other => panic!("{other:?}"),
        }
        // By shape ID too; a name the operation does not have is refused by name.
        assert!(matches!(
            ask("known", &[(ERROR_HEADER, "example#Missing")]),
            Err(LookupError::Missing(_))
        ));
        assert_eq!(
            ask("known", &[(ERROR_HEADER, "Throttled")]),
            Err(LookupError::Unhandled(Some(STUB_ERROR_UNKNOWN.into())))
        );
    }

    static WHEN: Schema = Schema::of(Kind::Timestamp(crate::TimestampFormat::EpochSeconds));
    static DATA: Schema = Schema::of(Kind::Blob);
    test_structure!(Record: RECORD, {
        0 => when: Option<crate::DateTime> = optional("when", &WHEN),
        1 => data: Option<crate::Blob> = optional("data", &DATA),
    });

    #[test]
    fn example_values_are_read_as_trait_values_are_written() {
        // A date-time string for an epoch-seconds member, text for a blob (as AWS's
        // examples have them), and base64 without padding.
        let record: Record = value_from(Some(&serde_json::json!({
            "when": "2016-11-21T19:49:20.006Z",
            "data": "<binary data>",
        })));
        assert_eq!(
            record.when,
            Some(crate::DateTime::from_millis(1_479_757_760_006))
        );
        assert_eq!(record.data.unwrap().as_ref(), b"<binary data>");
        let record: Record = value_from(Some(&serde_json::json!({ "data": "aGk" })));
        assert_eq!(record.data.unwrap().as_ref(), b"hi");
    }
}
