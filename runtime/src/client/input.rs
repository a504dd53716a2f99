//! An operation's input made ready for the wire in one pass over the typed value: the
//! members that go in the JSON body are written straight into it, and only the members
//! the HTTP bindings place elsewhere (labels, query, headers, payload) are kept as JSON
//! values for the request builder. Going through a whole `serde_json::Value` first cost
//! about 4x as much (the client phases table of `cargo xtask bench`).

use serde_json::{Map, Value};

use crate::protocol::{OperationSpec, Protocol, split};
use crate::wire::{HasSchema, WireError};

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
    // awsJson binds nothing: every member is in the body.
    let bindings = if protocol == Protocol::RestJson1 {
        op.input_bindings
    } else {
        &[]
    };
    let message = split::split_message(T::SCHEMA, input, bindings, false, omit)?;
    Ok(SerializedInput {
        body: message.body,
        bound: message.bound,
    })
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::json;

    use super::*;
    use crate::protocol::{Binding, HttpTrait, Location, Scalar};
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

    static OP: OperationSpec = OperationSpec::for_test(
        "StartThing",
        Some(HttpTrait {
            method: "POST",
            uri: "/applications/{applicationId}/things",
            code: 200,
        }),
        BINDINGS,
        &[],
    );

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
