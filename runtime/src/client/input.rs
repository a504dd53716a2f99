//! An operation's input made ready for the wire in one pass over the typed value: the
//! members that go in the JSON body are written straight into it, and only the members
//! the HTTP bindings place elsewhere (labels, query, headers, payload) are kept as JSON
//! values for the request builder. Going through a whole `serde_json::Value` first cost
//! about 4x as much (the client phases table of `cargo xtask bench`).

use serde::Serialize;
use serde::ser::{self, Error as _, Impossible, SerializeStruct};
use serde_json::{Map, Value};

use crate::protocol::{Location, OperationSpec, Protocol};

/// An input, serialized for its protocol.
#[derive(Debug)]
pub struct SerializedInput {
    /// The JSON object of the body members; empty when no member went to the body.
    pub(crate) body: Vec<u8>,
    /// The members bound to the URI, headers or payload (restJson1), by JSON name.
    pub(crate) bound: Map<String, Value>,
}

/// Serializes `input` (an operation's input structure) for `op` under `protocol`.
pub fn serialize_input<T: Serialize + ?Sized>(
    input: &T,
    op: &OperationSpec,
    protocol: Protocol,
) -> Result<SerializedInput, serde_json::Error> {
    serialize_input_without(input, op, protocol, &[])
}

/// Like [`serialize_input`], leaving out the members named in `omit` (by JSON name): the
/// top-level members with a model default that the caller did not set, which a client
/// does not send (the service applies the same default).
pub fn serialize_input_without<T: Serialize + ?Sized>(
    input: &T,
    op: &OperationSpec,
    protocol: Protocol,
    omit: &[&str],
) -> Result<SerializedInput, serde_json::Error> {
    let mut split = Split {
        op,
        omit,
        // awsJson binds nothing: every member is in the body.
        http_bindings: protocol == Protocol::RestJson1,
        body: Vec::with_capacity(128),
        bound: Map::new(),
    };
    input.serialize(&mut split)?;
    Ok(SerializedInput {
        body: split.body,
        bound: split.bound,
    })
}

struct Split<'a> {
    op: &'a OperationSpec,
    omit: &'a [&'a str],
    http_bindings: bool,
    body: Vec<u8>,
    bound: Map<String, Value>,
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
}

fn not_a_structure() -> serde_json::Error {
    serde_json::Error::custom("an operation input must serialize as a structure")
}

macro_rules! refuse {
    ($($method:ident($($arg:ty),*);)*) => {
        $(fn $method(self, $(_: $arg),*) -> Result<(), serde_json::Error> {
            Err(not_a_structure())
        })*
    };
}

impl<'a, 'b> ser::Serializer for &'a mut Split<'b> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Impossible<(), serde_json::Error>;
    type SerializeTuple = Impossible<(), serde_json::Error>;
    type SerializeTupleStruct = Impossible<(), serde_json::Error>;
    type SerializeTupleVariant = Impossible<(), serde_json::Error>;
    type SerializeMap = Impossible<(), serde_json::Error>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), serde_json::Error>;

    refuse! {
        serialize_bool(bool);
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_f32(f32);
        serialize_f64(f64);
        serialize_char(char);
        serialize_str(&str);
        serialize_bytes(&[u8]);
        serialize_none();
        serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: &T,
    ) -> Result<(), serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, serde_json::Error> {
        Err(not_a_structure())
    }

    fn serialize_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStruct, serde_json::Error> {
        Ok(self)
    }

    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, serde_json::Error> {
        Err(not_a_structure())
    }
}

impl SerializeStruct for &mut Split<'_> {
    type Ok = ();
    type Error = serde_json::Error;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        if self.omit.contains(&key) {
            return Ok(());
        }
        if self.is_bound(key) {
            self.bound
                .insert(key.to_string(), serde_json::to_value(value)?);
            return Ok(());
        }
        self.body
            .push(if self.body.is_empty() { b'{' } else { b',' });
        serde_json::to_writer(&mut self.body, key)?;
        self.body.push(b':');
        serde_json::to_writer(&mut self.body, value)
    }

    fn end(self) -> Result<(), serde_json::Error> {
        if !self.body.is_empty() {
            self.body.push(b'}');
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde_json::json;

    use super::*;
    use crate::protocol::{Binding, HttpTrait, Scalar, ValidationStyle};

    #[derive(Serialize)]
    struct Input {
        #[serde(rename = "applicationId")]
        application_id: String,
        #[serde(rename = "clientToken")]
        client_token: String,
        #[serde(rename = "maxResults", skip_serializing_if = "Option::is_none")]
        max_results: Option<i32>,
        #[serde(rename = "tags")]
        tags: HashMap<String, String>,
        #[serde(rename = "name", skip_serializing_if = "Option::is_none")]
        name: Option<String>,
    }

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
        assert_eq!(body, serde_json::to_value(input()).unwrap());
        assert!(split.bound.is_empty());
    }

    #[test]
    fn a_structure_with_only_bound_members_has_no_body() {
        #[derive(Serialize)]
        struct OnlyLabel {
            #[serde(rename = "applicationId")]
            application_id: String,
        }
        let only = OnlyLabel {
            application_id: "a".into(),
        };
        let split = serialize_input(&only, &OP, Protocol::RestJson1).unwrap();
        assert!(split.body.is_empty());
        let split = serialize_input(&only, &OP, Protocol::AwsJson1_0).unwrap();
        assert_eq!(split.body, br#"{"applicationId":"a"}"#);
    }

    #[test]
    fn anything_but_a_structure_is_refused() {
        assert!(serialize_input(&5, &OP, Protocol::AwsJson1_1).is_err());
        assert!(
            serialize_input(&HashMap::<String, String>::new(), &OP, Protocol::RestJson1).is_err()
        );
    }
}
