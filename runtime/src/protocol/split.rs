//! A message's members split by their HTTP bindings in one pass over the typed value:
//! the members that go in the JSON body are written straight into it, and only the
//! members the bindings place elsewhere (labels, query, headers, status, payload) are kept
//! as JSON values. The client writes requests this way, the server responses. Going
//! through a whole `serde_json::Value` first cost about 4x as much (the client phases
//! table of `cargo xtask bench`).

use serde_json::{Map, Value};

use crate::protocol::{Binding, Location};
use crate::validation::{Member, Schema};
use crate::wire::json::JsonWriter;
use crate::wire::value::ValueWriter;
use crate::wire::{WireError, WriteShape, Writer};

/// A message split by its bindings.
#[derive(Debug)]
pub struct SplitMessage {
    /// The JSON object of the body members; empty when no member went to the body.
    pub body: Vec<u8>,
    /// The members bound to the URI, headers, status or payload, by member name.
    pub bound: Map<String, Value>,
}

/// Splits `value` (an operation's input or output structure, of `schema`) by `bindings`
/// (none for the awsJson protocols), leaving out the members named in `omit`. An input's
/// `@httpResponseCode` member means nothing: it stays in the body.
pub fn split_message(
    schema: &'static Schema,
    value: &dyn WriteShape,
    bindings: &[Binding],
    output: bool,
    omit: &[&str],
) -> Result<SplitMessage, WireError> {
    let mut split = Split {
        bindings,
        members: crate::wire::members_of(schema),
        output,
        omit,
        body: JsonWriter::new(Vec::with_capacity(128)),
        body_started: false,
        bound: Map::new(),
        depth: 0,
        to: To::Body,
        error: None,
    };
    value.write(schema, &mut split);
    if let Some(error) = split.error {
        return Err(error);
    }
    if split.body_started {
        split.body.end_object();
    }
    Ok(SplitMessage {
        body: split.body.finish()?,
        bound: split.bound,
    })
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
    bindings: &'a [Binding],
    /// The top-level structure's members.
    members: &'static [Member],
    output: bool,
    omit: &'a [&'a str],
    body: JsonWriter,
    body_started: bool,
    bound: Map<String, Value>,
    /// Objects and arrays open, the input's own object included.
    depth: usize,
    to: To,
    error: Option<WireError>,
}

impl Split<'_> {
    /// Whether the top-level member named `member` goes outside the body.
    fn is_bound(&self, member: &str) -> bool {
        self.bindings.iter().any(|b| {
            b.member == member && (self.output || !matches!(b.location, Location::ResponseCode))
        })
    }

    /// Where the top-level member `key` goes; `bound` is false for a member the schema
    /// tells from a bound member of the same name.
    fn route(&mut self, key: &str, bound: bool) {
        self.to = if self.omit.contains(&key) {
            To::Nowhere
        } else if bound && self.is_bound(key) {
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
        self.route(key, true);
    }
    /// A top-level member says whether it is HTTP-bound: a body member whose wire name
    /// is a bound member's name (`@jsonName("httpMethod")` beside an `httpMethod` label)
    /// stays in the body.
    fn member(&mut self, member: &'static Member) {
        if self.depth != 1 {
            if let Some(w) = self.target() {
                w.member(member);
            }
            return;
        }
        // Bound, unless another member of that name is the bound one.
        let shadowed = !member.bound
            && self
                .members
                .iter()
                .any(|m| m.bound && m.name == member.name && !std::ptr::eq(m, member));
        self.route(member.name, !shadowed);
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
    use super::*;
    use crate::protocol::Scalar;
    use crate::validation::Kind;

    static STRING: Schema = Schema::of(Kind::String);
    test_structure!(Integration: INTEGRATION, {
        0 => http_method: String = required("httpMethod", &STRING).http(),
        1 => integration_http_method: Option<String> = optional("httpMethod", &STRING),
    });

    #[test]
    fn a_body_member_named_like_a_bound_one_stays_in_the_body() {
        let bindings = [Binding {
            member: "httpMethod",
            location: Location::Label,
            value: Scalar::String,
        }];
        let integration = Integration {
            http_method: "GET".into(),
            integration_http_method: Some("POST".into()),
        };
        let message = split_message(&INTEGRATION, &integration, &bindings, false, &[]).unwrap();
        assert_eq!(message.bound["httpMethod"], "GET");
        let body: Value = serde_json::from_slice(&message.body).unwrap();
        assert_eq!(body, serde_json::json!({"httpMethod": "POST"}));
    }
}
