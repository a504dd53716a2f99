//! restJson1 HTTP bindings: the members bound to the HTTP message (labels, query,
//! headers, payload, status code) read into a typed value ([`read_bound`],
//! [`read_payload`]) through a reader of the message's text, and written out of the JSON
//! form of a structure ([`take_output`]).

use std::borrow::Cow;

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Value};

use super::spec::{Binding, Location, PayloadKind, Scalar};
use crate::validation::Schema;
use crate::wire::{self, Entries, Items, Members, ReadState, Reader, Segment, Visit, WireError};
use crate::{DateTime, TimestampFormat};

fn json_to_timestamp(value: &Value, format: TimestampFormat) -> Option<DateTime> {
    match value {
        Value::Number(n) => n
            .as_i64()
            .map(DateTime::from_secs)
            .or_else(|| n.as_f64().map(DateTime::from_fractional_secs)),
        Value::String(s) => DateTime::parse(format, s).ok(),
        _ => None,
    }
}

/// Converts a member's JSON form to HTTP text (for headers).
pub fn json_to_text(value: &Value, scalar: &Scalar) -> Option<String> {
    Some(match (scalar, value) {
        (Scalar::Timestamp { wire, json }, value) => json_to_timestamp(value, *json)?.fmt(*wire),
        (Scalar::List(inner), Value::Array(items)) => {
            let parts: Option<Vec<String>> = items
                .iter()
                .map(|item| {
                    let text = json_to_text(item, inner)?;
                    // Items holding the separator are quoted (timestamps' commas are expected).
                    let quote = matches!(inner, Scalar::String)
                        && (text.contains(',') || text.contains('"'));
                    Some(if quote {
                        format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
                    } else {
                        text
                    })
                })
                .collect();
            parts?.join(", ")
        }
        (Scalar::EncodedString, Value::String(s)) => crate::base64::encode(s.as_bytes()),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Bool(b)) => b.to_string(),
        (_, Value::Number(n)) => n.to_string(),
        _ => return None,
    })
}

/// Splits a header's comma-separated list, honouring double quotes; http-date items keep
/// their own comma.
fn split_header_list(text: &str, inner: &Scalar) -> Vec<String> {
    if let Scalar::Timestamp {
        wire: TimestampFormat::HttpDate,
        ..
    } = inner
    {
        let pieces: Vec<&str> = text.split(',').map(str::trim).collect();
        return pieces.chunks(2).map(|pair| pair.join(", ")).collect();
    }
    let mut items = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => quoted = !quoted,
            '\\' if quoted => current.extend(chars.next()),
            ',' if !quoted => items.push(std::mem::take(&mut current).trim().to_string()),
            c => current.push(c),
        }
    }
    items.push(current.trim().to_string());
    items
}

/// True when a member is bound to the header `name` by `@httpHeader`.
pub fn binds_header(bindings: &[Binding], name: &str) -> bool {
    bindings
        .iter()
        .any(|b| matches!(b.location, Location::Header(h) if h.eq_ignore_ascii_case(name)))
}

/// The payload binding of an operation's input or output, if it has one.
pub fn payload(bindings: &[Binding]) -> Option<(&'static str, PayloadKind)> {
    bindings.iter().find_map(|b| match b.location {
        Location::Payload(kind) => Some((b.member, kind)),
        _ => None,
    })
}

/// Takes the HTTP-bound members out of an output's JSON object: the status code (if
/// bound) and the headers to send.
pub fn take_output(
    object: &mut Map<String, Value>,
    bindings: &[Binding],
) -> (Option<u16>, Vec<(HeaderName, HeaderValue)>) {
    let mut status = None;
    let mut headers = Vec::new();
    for binding in bindings {
        if matches!(binding.location, Location::Payload(_)) {
            continue;
        }
        let Some(value) = object.remove(binding.member) else {
            continue;
        };
        match &binding.location {
            Location::ResponseCode => status = value.as_u64().and_then(|c| u16::try_from(c).ok()),
            Location::Header(name) => {
                if let (Some(text), Ok(name)) = (
                    json_to_text(&value, &binding.value),
                    HeaderName::try_from(*name),
                ) {
                    if let Ok(value) = HeaderValue::try_from(text) {
                        headers.push((name, value));
                    }
                }
            }
            Location::PrefixHeaders(prefix) => {
                for (suffix, item) in value.as_object().into_iter().flatten() {
                    if binds_header(bindings, &format!("{prefix}{suffix}")) {
                        continue; // a member bound to that header by name wins
                    }
                    let name = HeaderName::try_from(format!("{prefix}{suffix}"));
                    let text = json_to_text(item, &binding.value);
                    if let (Ok(name), Some(Ok(value))) = (name, text.map(HeaderValue::try_from)) {
                        headers.push((name, value));
                    }
                }
            }
            _ => {}
        }
    }
    (status, headers)
}

/// What a message carries outside its body.
pub struct HttpParts<'a> {
    /// URI labels, decoded.
    pub labels: &'a [(String, String)],
    /// Query pairs, decoded, in order.
    pub query: &'a [(String, String)],
    /// The message's headers.
    pub headers: &'a HeaderMap,
    /// A response's status code.
    pub status: Option<u16>,
}

/// Reads the members `bindings` place in the HTTP message (labels, query, headers,
/// prefix headers, the status code) into `out`, a structure with `schema`; each one read
/// is flagged in `set`. With a `state` the read is strict and errors say which member.
pub fn read_bound(
    schema: &'static Schema,
    bindings: &[Binding],
    parts: &HttpParts<'_>,
    out: &mut dyn Members,
    mut state: Option<&mut ReadState>,
    mut set: Option<&mut [bool]>,
) -> Result<(), WireError> {
    let members = wire::members_of(schema);
    for binding in bindings {
        let Some(index) = wire::bound_member(members, binding.member) else {
            continue;
        };
        let value = match bound_value(binding, parts) {
            Ok(Some(value)) => value,
            Ok(None) => continue,
            Err(error) => {
                if let Some(state) = state.as_deref_mut() {
                    let len = state.push(binding.member);
                    state.note(&error);
                    state.pop(len);
                }
                return Err(error);
            }
        };
        let mut reader = HttpReader {
            value: Some(value),
            scalar: &binding.value,
            state: state.as_deref_mut(),
        };
        wire::at(&mut reader, Segment::Key(binding.member), |r| {
            out.read_member(index, members[index].schema, r)
        })?;
        if let Some(set) = set.as_deref_mut() {
            set[index] = true;
        }
    }
    Ok(())
}

/// The value `binding` finds in the message, if any.
fn bound_value<'a>(
    binding: &Binding,
    parts: &HttpParts<'a>,
) -> Result<Option<Bound<'a>>, WireError> {
    let header_text = |name: &str, value: &'a HeaderValue| {
        value
            .to_str()
            .map_err(|_| WireError(format!("header `{name}` is not text")))
    };
    Ok(match &binding.location {
        Location::Label => parts
            .labels
            .iter()
            .find(|(name, _)| name == binding.member)
            .map(|(_, text)| Bound::Text(Cow::Borrowed(text))),
        Location::Query(name) => {
            let mut values = parts
                .query
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| Cow::Borrowed(v.as_str()));
            match &binding.value {
                Scalar::List(_) => {
                    let values: Vec<_> = values.collect();
                    (!values.is_empty()).then_some(Bound::Items(values))
                }
                _ => values.next().map(Bound::Text),
            }
        }
        Location::QueryParams => {
            // Every pair, those an `@httpQuery` member also takes included (a server puts
            // all query parameters in the map); a key's first value, or all of them for a
            // map of lists.
            let mut map: Vec<(Cow<'a, str>, Bound<'a>)> = Vec::new();
            for (key, value) in parts.query {
                let value = Cow::Borrowed(value.as_str());
                match map.iter_mut().find(|(k, _)| k == key) {
                    Some((_, Bound::Items(items))) => items.push(value),
                    Some(_) => {}
                    None => {
                        let bound = match &binding.value {
                            Scalar::List(_) => Bound::Items(vec![value]),
                            _ => Bound::Text(value),
                        };
                        map.push((Cow::Borrowed(key.as_str()), bound));
                    }
                }
            }
            (!map.is_empty()).then_some(Bound::Map(map))
        }
        Location::Header(name) => match parts.headers.get(*name) {
            Some(value) => Some(Bound::Text(Cow::Borrowed(header_text(name, value)?))),
            None => None,
        },
        Location::PrefixHeaders(prefix) => {
            let prefix = prefix.to_ascii_lowercase();
            let mut map = Vec::new();
            for (name, value) in parts.headers {
                if let Some(suffix) = name.as_str().strip_prefix(&prefix) {
                    let text = header_text(name.as_str(), value)?;
                    map.push((Cow::Borrowed(suffix), Bound::Text(Cow::Borrowed(text))));
                }
            }
            (!map.is_empty()).then_some(Bound::Map(map))
        }
        Location::ResponseCode => parts.status.map(Bound::Status),
        Location::Payload(_) => None,
    })
}

/// Reads the payload member `name` of a structure with `schema` from `body` into `out`:
/// JSON for a structure, union or document, text for a string, the bytes themselves for
/// a blob. True when the member is set (the body is not JSON `null`).
pub fn read_payload(
    schema: &'static Schema,
    name: &str,
    kind: PayloadKind,
    body: &[u8],
    out: &mut dyn Members,
    state: Option<&mut ReadState>,
) -> Result<bool, WireError> {
    let members = wire::members_of(schema);
    let Some(index) = wire::bound_member(members, name) else {
        return Ok(false);
    };
    let member = members[index].schema;
    let value = match kind {
        PayloadKind::Json | PayloadKind::Structure => {
            return wire::json::read_text(body, state, |r| {
                let mut spy = wire::NullSpy::new(r);
                wire::at(&mut spy, Segment::Key(name), |r| {
                    out.read_member(index, member, r)
                })?;
                Ok(!spy.null)
            });
        }
        PayloadKind::Text => match std::str::from_utf8(body) {
            Ok(text) => Bound::Text(Cow::Borrowed(text)),
            Err(_) => return Err(WireError::new("The body is not UTF-8.")),
        },
        PayloadKind::Blob => Bound::Bytes(body),
    };
    let mut reader = HttpReader {
        value: Some(value),
        scalar: &Scalar::String,
        state,
    };
    wire::at(&mut reader, Segment::Key(name), |r| {
        out.read_member(index, member, r)
    })?;
    Ok(true)
}

/// A value bound to the HTTP message, before it is read.
enum Bound<'a> {
    /// One text: a label, a query value, a header (a list's items, comma-separated).
    Text(Cow<'a, str>),
    /// A list's items: a query parameter's values.
    Items(Vec<Cow<'a, str>>),
    /// A map: prefix headers, query parameters.
    Map(Vec<(Cow<'a, str>, Bound<'a>)>),
    /// The status code.
    Status(u16),
    /// A payload's bytes.
    Bytes(&'a [u8]),
}

/// Reads a value bound to the HTTP message as if it were its member's JSON form:
/// `scalar` says how its text converts (a timestamp in the location's format reads in the
/// member's; a base64 header of a `@mediaType` string reads as the string).
struct HttpReader<'a, 's> {
    value: Option<Bound<'a>>,
    scalar: &'a Scalar,
    state: Option<&'s mut ReadState>,
}

impl<'a> HttpReader<'a, '_> {
    fn take(&mut self) -> Result<Bound<'a>, WireError> {
        self.value
            .take()
            .ok_or_else(|| WireError::new("a value was read twice"))
    }
}

/// The items of a list in a header (`a, "b,c"`): http-date items keep their own comma.
fn split_list<'a>(text: &str, inner: &Scalar) -> Vec<Cow<'a, str>> {
    split_header_list(text, inner)
        .into_iter()
        .map(Cow::Owned)
        .collect()
}

/// Hands HTTP text to `visit` as the JSON form of a value `scalar` describes.
fn visit_text(text: &str, scalar: &Scalar, visit: &mut dyn Visit) -> Result<(), WireError> {
    match scalar {
        Scalar::String | Scalar::Blob => visit.string(text),
        Scalar::EncodedString => {
            let bytes = crate::base64::decode(text)
                .map_err(|_| WireError(format!("`{text}` is not base64")))?;
            let text = String::from_utf8(bytes)
                .map_err(|_| WireError(format!("`{text}` is not base64 of UTF-8")))?;
            visit.string(&text)
        }
        Scalar::Boolean => match text {
            "true" => visit.boolean(true),
            "false" => visit.boolean(false),
            _ => Err(WireError(format!("`{text}` is not a boolean"))),
        },
        Scalar::Integer => match text.parse::<i64>() {
            Ok(n) => visit.integer(n),
            Err(_) => Err(WireError(format!("`{text}` is not an integer"))),
        },
        Scalar::Float => match text {
            "NaN" | "Infinity" | "-Infinity" => visit.string(text),
            _ => visit.float(parse_finite(text)?),
        },
        Scalar::Timestamp { wire, json } => {
            // A date-time in the HTTP message is in UTC (RestJsonPathTimestampDefaultRejectsUTCOffsets).
            if *wire == TimestampFormat::DateTime && !text.ends_with(['Z', 'z']) {
                return Err(WireError(format!("`{text}` is not a UTC date-time")));
            }
            let time = DateTime::parse(*wire, text).map_err(|e| WireError(e.to_string()))?;
            match json {
                TimestampFormat::EpochSeconds if time.subsec_nanos() == 0 => {
                    visit.integer(time.secs())
                }
                TimestampFormat::EpochSeconds => visit.float(time.as_secs_f64()),
                other => visit.string(&time.fmt(*other)),
            }
        }
        Scalar::List(inner) => visit.array(&mut TextItems {
            items: split_list(text, inner),
            scalar: inner,
            state: None,
        }),
    }
}

fn parse_finite(text: &str) -> Result<f64, WireError> {
    let n: f64 = text
        .parse()
        .map_err(|_| WireError(format!("`{text}` is not a number")))?;
    if n.is_finite() {
        Ok(n)
    } else {
        Err(WireError(format!("`{text}` is not a finite number")))
    }
}

impl Reader for HttpReader<'_, '_> {
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError> {
        let scalar = self.scalar;
        match self.take()? {
            Bound::Text(text) => match scalar {
                Scalar::List(inner) => {
                    let items = split_list(&text, inner);
                    visit.array(&mut TextItems {
                        items,
                        scalar: inner,
                        state: self.state.as_deref_mut(),
                    })
                }
                scalar => visit_text(&text, scalar, visit),
            },
            Bound::Items(items) => {
                let inner = match scalar {
                    Scalar::List(inner) => inner,
                    other => other,
                };
                visit.array(&mut TextItems {
                    items,
                    scalar: inner,
                    state: self.state.as_deref_mut(),
                })
            }
            Bound::Map(entries) => visit.object(&mut BoundEntries {
                entries,
                scalar,
                state: self.state.as_deref_mut(),
            }),
            Bound::Status(code) => visit.integer(i64::from(code)),
            Bound::Bytes(bytes) => visit.string(&crate::base64::encode(bytes)),
        }
    }

    fn number_text(&mut self) -> Result<Option<String>, WireError> {
        let scalar = self.scalar;
        match self.take()? {
            // The text as it is, once it reads as the number it should be.
            Bound::Text(text) => match scalar {
                Scalar::Integer => match text.parse::<i64>() {
                    Ok(_) => Ok(Some(text.into_owned())),
                    Err(_) => Err(WireError(format!("`{text}` is not an integer"))),
                },
                Scalar::Float => parse_finite(&text).map(|_| Some(text.into_owned())),
                _ => Ok(Some(text.into_owned())),
            },
            Bound::Status(code) => Ok(Some(code.to_string())),
            _ => Err(WireError::new("expected a number")),
        }
    }

    fn document(&mut self) -> Result<Value, WireError> {
        match self.take()? {
            Bound::Text(text) => Ok(Value::String(text.into_owned())),
            _ => Err(WireError::new(
                "a document cannot be bound to the HTTP message",
            )),
        }
    }

    fn blob(&mut self) -> Result<Option<Vec<u8>>, WireError> {
        match self.take()? {
            Bound::Bytes(bytes) => Ok(Some(bytes.to_vec())),
            Bound::Text(text) => crate::base64::decode(&text)
                .map(Some)
                .map_err(|e| WireError(e.to_string())),
            _ => Err(WireError::new("expected a blob")),
        }
    }

    fn state(&mut self) -> Option<&mut ReadState> {
        self.state.as_deref_mut()
    }
}

/// A list's items from the HTTP message.
struct TextItems<'a, 's> {
    items: Vec<Cow<'a, str>>,
    scalar: &'a Scalar,
    state: Option<&'s mut ReadState>,
}

impl Items for TextItems<'_, '_> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        for (index, item) in std::mem::take(&mut self.items).into_iter().enumerate() {
            let mut reader = HttpReader {
                value: Some(Bound::Text(item)),
                scalar: self.scalar,
                state: self.state.as_deref_mut(),
            };
            wire::at(&mut reader, Segment::Index(index), &mut *each)?;
        }
        Ok(())
    }
}

/// A map's entries from the HTTP message.
struct BoundEntries<'a, 's> {
    entries: Vec<(Cow<'a, str>, Bound<'a>)>,
    scalar: &'a Scalar,
    state: Option<&'s mut ReadState>,
}

impl Entries for BoundEntries<'_, '_> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        for (key, value) in std::mem::take(&mut self.entries) {
            let mut reader = HttpReader {
                value: Some(value),
                scalar: self.scalar,
                state: self.state.as_deref_mut(),
            };
            wire::at(&mut reader, Segment::Key(&key), |r| each(&key, r))?;
        }
        Ok(())
    }
}
