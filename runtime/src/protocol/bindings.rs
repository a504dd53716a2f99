//! restJson1 HTTP bindings: moving members between the HTTP message (labels, query,
//! headers, payload, status code) and the JSON form of the structure.

use http::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Map, Number, Value};

use super::spec::{Binding, Location, PayloadKind, Scalar};
use crate::{DateTime, TimestampFormat};

/// Converts HTTP text to the member's JSON form.
pub fn text_to_json(text: &str, scalar: &Scalar) -> Result<Value, String> {
    Ok(match scalar {
        Scalar::String | Scalar::Blob => Value::String(text.to_string()),
        Scalar::EncodedString => {
            let bytes =
                crate::base64::decode(text).map_err(|_| format!("`{text}` is not base64"))?;
            Value::String(
                String::from_utf8(bytes).map_err(|_| format!("`{text}` is not base64 of UTF-8"))?,
            )
        }
        Scalar::Boolean => match text {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            _ => return Err(format!("`{text}` is not a boolean")),
        },
        Scalar::Integer => Value::Number(
            text.parse::<i64>()
                .map_err(|_| format!("`{text}` is not an integer"))?
                .into(),
        ),
        Scalar::Float => match text {
            "NaN" | "Infinity" | "-Infinity" => Value::String(text.to_string()),
            _ => {
                let n: f64 = text
                    .parse()
                    .map_err(|_| format!("`{text}` is not a number"))?;
                Value::Number(
                    Number::from_f64(n)
                        .ok_or_else(|| format!("`{text}` is not a finite number"))?,
                )
            }
        },
        Scalar::Timestamp { wire, json } => {
            // A date-time in the HTTP message is in UTC (RestJsonPathTimestampDefaultRejectsUTCOffsets).
            if *wire == TimestampFormat::DateTime && !text.ends_with(['Z', 'z']) {
                return Err(format!("`{text}` is not a UTC date-time"));
            }
            let time = DateTime::parse(*wire, text).map_err(|e| e.to_string())?;
            timestamp_to_json(time, *json)
        }
        Scalar::List(inner) => Value::Array(
            split_header_list(text, inner)
                .iter()
                .map(|item| text_to_json(item, inner))
                .collect::<Result<_, _>>()?,
        ),
    })
}

/// A timestamp in the JSON form a member with `format` uses.
pub fn timestamp_to_json(time: DateTime, format: TimestampFormat) -> Value {
    match format {
        TimestampFormat::EpochSeconds if time.subsec_nanos() == 0 => {
            Value::Number(time.secs().into())
        }
        TimestampFormat::EpochSeconds => {
            Number::from_f64(time.as_secs_f64()).map_or(Value::Null, Value::Number)
        }
        other => Value::String(time.fmt(other)),
    }
}

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

/// What a request carries outside its JSON body.
pub struct HttpParts<'a> {
    /// URI labels, decoded.
    pub labels: &'a [(String, String)],
    /// Query pairs, decoded, in order.
    pub query: &'a [(String, String)],
    /// Request headers.
    pub headers: &'a HeaderMap,
}

/// Adds the HTTP-bound members of a request to the JSON object of its input.
pub fn insert_input(
    object: &mut Map<String, Value>,
    bindings: &[Binding],
    parts: &HttpParts<'_>,
) -> Result<(), String> {
    for binding in bindings {
        let value = match &binding.location {
            Location::Label => match parts.labels.iter().find(|(name, _)| name == binding.member) {
                Some((_, text)) => Some(text_to_json(text, &binding.value)?),
                None => None,
            },
            Location::Query(name) => {
                let values: Vec<&str> = parts
                    .query
                    .iter()
                    .filter(|(k, _)| k == name)
                    .map(|(_, v)| v.as_str())
                    .collect();
                match (&binding.value, values.as_slice()) {
                    (_, []) => None,
                    (Scalar::List(inner), values) => Some(Value::Array(
                        values
                            .iter()
                            .map(|v| text_to_json(v, inner))
                            .collect::<Result<_, _>>()?,
                    )),
                    (scalar, [first, ..]) => Some(text_to_json(first, scalar)?),
                }
            }
            Location::QueryParams => {
                // Every pair, those an `@httpQuery` member also takes included (a server
                // puts all query parameters in the map).
                let mut map = Map::new();
                for (key, value) in parts.query {
                    match &binding.value {
                        Scalar::List(inner) => {
                            let entry = map
                                .entry(key.clone())
                                .or_insert_with(|| Value::Array(Vec::new()));
                            if let Value::Array(items) = entry {
                                items.push(text_to_json(value, inner)?);
                            }
                        }
                        scalar => {
                            map.entry(key.clone())
                                .or_insert(text_to_json(value, scalar)?);
                        }
                    }
                }
                (!map.is_empty()).then_some(Value::Object(map))
            }
            Location::Header(name) => match parts.headers.get(*name) {
                Some(value) => {
                    let text = value
                        .to_str()
                        .map_err(|_| format!("header `{name}` is not text"))?;
                    Some(text_to_json(text, &binding.value)?)
                }
                None => None,
            },
            Location::PrefixHeaders(prefix) => {
                let mut map = Map::new();
                for (name, value) in parts.headers {
                    if let Some(suffix) = name.as_str().strip_prefix(&prefix.to_ascii_lowercase()) {
                        let text = value
                            .to_str()
                            .map_err(|_| format!("header `{name}` is not text"))?;
                        map.insert(suffix.to_string(), text_to_json(text, &binding.value)?);
                    }
                }
                (!map.is_empty() || !prefix.is_empty())
                    .then_some(Value::Object(map))
                    .filter(|v| v.as_object().is_some_and(|m| !m.is_empty()))
            }
            Location::ResponseCode | Location::Payload(_) => None,
        };
        if let Some(value) = value {
            object.insert(binding.member.to_string(), value);
        }
    }
    Ok(())
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

/// Adds a response's HTTP-bound members (headers, prefix headers, status code) to the
/// JSON object of its output.
pub fn insert_response(
    object: &mut Map<String, Value>,
    bindings: &[Binding],
    status: u16,
    headers: &HeaderMap,
) -> Result<(), String> {
    let parts = HttpParts {
        labels: &[],
        query: &[],
        headers,
    };
    insert_input(object, bindings, &parts)?;
    for binding in bindings {
        if matches!(binding.location, Location::ResponseCode) {
            object.insert(binding.member.to_string(), Value::Number(status.into()));
        }
    }
    Ok(())
}
