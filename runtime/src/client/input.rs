//! An operation's input made ready for the wire in one pass over the typed value: the
//! members that go in the JSON body are written straight into it, and only the members
//! the HTTP bindings place elsewhere (labels, query, headers, payload) are kept as JSON
//! values for the request builder. Going through a whole `serde_json::Value` first cost
//! about 4x as much (the client phases table of `cargo xtask bench`).

use serde_json::{Map, Value};

use crate::protocol::{Location, OperationSpec, Protocol};
use crate::wire::json::JsonWriter;
use crate::wire::value::ValueWriter;
use crate::wire::{HasSchema, WireError, WriteShape, Writer};

/// An input, serialized for its protocol.
#[derive(Debug)]
pub struct SerializedInput {
    /// The JSON object of the body members; empty when no member went to the body.
    pub(crate) body: Vec<u8>,
    /// The members bound to the URI, headers or payload (restJson1), by JSON name.
    pub(crate) bound: Map<String, Value>,
}

/// Serializes `input` (an operation's input structure) for `op` under `protocol`.
pub fn serialize_input<T: HasSchema>(
    input: &T,
    op: &OperationSpec,
    protocol: Protocol,
) -> Result<SerializedInput, WireError> {
    serialize_input_without(input, op, protocol, &[])
}

/// Like [`serialize_input`], leaving out the members named in `omit` (by JSON name): the
/// top-level members with a model default that the caller did not set, which a client
/// does not send (the service applies the same default).
pub fn serialize_input_without<T: HasSchema>(
    input: &T,
    op: &OperationSpec,
    protocol: Protocol,
    omit: &[&str],
) -> Result<SerializedInput, WireError> {
    let mut split = Split {
        op,
        omit,
        // awsJson binds nothing: every member is in the body.
        http_bindings: protocol == Protocol::RestJson1,
        body: JsonWriter::new(Vec::with_capacity(128)),
        body_started: false,
        bound: Map::new(),
        depth: 0,
        to: To::Body,
        error: None,
    };
    write_split(T::SCHEMA, input, &mut split);
    if let Some(error) = split.error {
        return Err(error);
    }
    if split.body_started {
        split.body.end_object();
    }
    Ok(SerializedInput {
        body: split.body.finish()?,
        bound: split.bound,
    })
}

/// The one copy of the writing, whatever the input's type.
fn write_split(
    schema: &'static crate::validation::Schema,
    input: &dyn WriteShape,
    split: &mut Split<'_>,
) {
    input.write(schema, split);
}

/// Where the value of the top-level member being written goes.
enum To {
    Body,
    Bound(String, ValueWriter),
    Nowhere,
}

/// Writes the input's top-level object member by member: each member's value goes to
/// the body, to the bound members (by name), or nowhere (an omitted default).
struct Split<'a> {
    op: &'a OperationSpec,
    omit: &'a [&'a str],
    http_bindings: bool,
    body: JsonWriter,
    body_started: bool,
    bound: Map<String, Value>,
    /// Objects and arrays open, the input's own object included.
    depth: usize,
    to: To,
    error: Option<WireError>,
}

impl Split<'_> {
    fn is_bound(&self, member: &str) -> bool {
        self.http_bindings
            && self
                .op
                .input_bindings
                .iter()
                .any(|b| b.member == member && !matches!(b.location, Location::ResponseCode))
    }

    /// The writer of the current member's value; `None` outside a member.
    fn target(&mut self) -> Option<&mut dyn Writer> {
        if self.depth == 0 {
            self.error.get_or_insert(WireError::new(
                "an operation input must serialize as a structure",
            ));
            return None;
        }
        match &mut self.to {
            To::Body => Some(&mut self.body),
            To::Bound(_, w) => Some(w),
            To::Nowhere => None,
        }
    }

    /// After a value: when it was a whole top-level member, a bound one is kept.
    fn value_done(&mut self) {
        if self.depth == 1 {
            if let To::Bound(name, w) = std::mem::replace(&mut self.to, To::Body) {
                match w.finish() {
                    Ok(value) => {
                        self.bound.insert(name, value);
                    }
                    Err(error) => {
                        self.error.get_or_insert(error);
                    }
                }
            }
            self.to = To::Body;
        }
    }

    fn scalar(&mut self, write: impl FnOnce(&mut dyn Writer)) {
        if let Some(w) = self.target() {
            write(w);
        }
        self.value_done();
    }
}

impl Writer for Split<'_> {
    fn null(&mut self) {
        self.scalar(|w| w.null());
    }
    fn boolean(&mut self, value: bool) {
        self.scalar(|w| w.boolean(value));
    }
    fn integer(&mut self, value: i64) {
        self.scalar(|w| w.integer(value));
    }
    fn float(&mut self, value: f64) {
        self.scalar(|w| w.float(value));
    }
    fn string(&mut self, value: &str) {
        self.scalar(|w| w.string(value));
    }
    fn number_text(&mut self, text: &str) {
        self.scalar(|w| w.number_text(text));
    }
    fn document(&mut self, value: &Value) {
        self.scalar(|w| w.document(value));
    }
    fn begin_object(&mut self) {
        if self.depth > 0 {
            if let Some(w) = self.target() {
                w.begin_object();
            }
        }
        self.depth += 1;
    }
    fn key(&mut self, key: &str) {
        if self.depth != 1 {
            if let Some(w) = self.target() {
                w.key(key);
            }
            return;
        }
        self.to = if self.omit.contains(&key) {
            To::Nowhere
        } else if self.is_bound(key) {
            To::Bound(key.to_owned(), ValueWriter::default())
        } else {
            if !self.body_started {
                self.body.begin_object();
                self.body_started = true;
            }
            self.body.key(key);
            To::Body
        };
    }
    fn end_object(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if self.depth > 0 {
            if let Some(w) = self.target() {
                w.end_object();
            }
            self.value_done();
        }
    }
    fn begin_array(&mut self) {
        if let Some(w) = self.target() {
            w.begin_array();
        }
        self.depth += 1;
    }
    fn end_array(&mut self) {
        self.depth = self.depth.saturating_sub(1);
        if let Some(w) = self.target() {
            w.end_array();
        }
        self.value_done();
    }
    fn fail(&mut self, error: WireError) {
        self.error.get_or_insert(error);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::json;

    use super::*;
    use crate::protocol::{Binding, HttpTrait, Scalar, ValidationStyle};
    use crate::validation::{Kind, Schema};

    static STRING: Schema = Schema::of(Kind::String);
    static INTEGER: Schema = Schema::of(Kind::Integer);
    static TAGS: Schema = Schema::map(&STRING, &STRING, false);
    test_structure!(Input: INPUT, {
        0 => application_id: String = required("applicationId", &STRING),
        1 => client_token: String = required("clientToken", &STRING),
        2 => max_results: Option<i32> = optional("maxResults", &INTEGER),
        3 => tags: HashMap<String, String> = optional("tags", &TAGS),
        4 => name: Option<String> = optional("name", &STRING),
    });

    const BINDINGS: &[Binding] = &[
        Binding {
            member: "applicationId",
            location: Location::Label,
            value: Scalar::String,
        },
        Binding {
            member: "maxResults",
            location: Location::Query("max"),
            value: Scalar::Integer,
        },
    ];

    static OP: OperationSpec = OperationSpec {
        name: "StartThing",
        http: Some(HttpTrait {
            method: "POST",
            uri: "/applications/{applicationId}/things",
            code: 200,
        }),
        input_bindings: BINDINGS,
        output_bindings: &[],
        validation: ValidationStyle::Framework,
        input_body: crate::protocol::InputBody::Json,
        input_media_type: None,
        output_media_type: None,
        checksum_required: false,
        request_compression: &[],
        host_prefix: None,
        unsupported: None,
    };

    fn input() -> Input {
        Input {
            application_id: "app \"1\"".into(),
            client_token: "t".into(),
            max_results: Some(5),
            tags: HashMap::from([("k".to_string(), "v\n".to_string())]),
            name: None,
        }
    }

    #[test]
    fn rest_json_splits_bound_members_from_the_body() {
        let split = serialize_input(&input(), &OP, Protocol::RestJson1).unwrap();
        let body: Value = serde_json::from_slice(&split.body).unwrap();
        assert_eq!(body, json!({"clientToken": "t", "tags": {"k": "v\n"}}));
        assert_eq!(
            Value::Object(split.bound),
            json!({"applicationId": "app \"1\"", "maxResults": 5})
        );
    }

    #[test]
    fn aws_json_writes_every_member_to_the_body() {
        let split = serialize_input(&input(), &OP, Protocol::AwsJson1_1).unwrap();
        let body: Value = serde_json::from_slice(&split.body).unwrap();
        assert_eq!(
            body,
            json!({"applicationId": "app \"1\"", "clientToken": "t", "maxResults": 5, "tags": {"k": "v\n"}})
        );
        assert!(split.bound.is_empty());
    }

    #[test]
    fn omitted_members_go_nowhere() {
        let split = serialize_input_without(
            &input(),
            &OP,
            Protocol::AwsJson1_1,
            &["tags", "clientToken"],
        )
        .unwrap();
        let body: Value = serde_json::from_slice(&split.body).unwrap();
        assert_eq!(body, json!({"applicationId": "app \"1\"", "maxResults": 5}));
    }

    #[test]
    fn a_structure_with_only_bound_members_has_no_body() {
        let only = Input {
            max_results: Some(1),
            ..Input::default()
        };
        let split =
            serialize_input_without(&only, &OP, Protocol::RestJson1, &["clientToken", "tags"])
                .unwrap();
        assert!(split.body.is_empty());
        assert_eq!(
            Value::Object(split.bound),
            json!({"applicationId": "", "maxResults": 1})
        );
    }
}
