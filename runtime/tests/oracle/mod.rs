//! The validator that walked a `serde_json::Value`, as it was before validation checked
//! typed values: kept unchanged as the oracle the typed validator is compared with
//! (`validation_oracle.rs`).

#![allow(dead_code)]

use std::cmp::Ordering;
use std::collections::HashSet;
use std::fmt::{self, Write as _};

use serde_json::Value;
use smithy_runtime::TimestampFormat;
use smithy_runtime::validation::{
    EnumValues, InputError, Kind, Length, MAX_DEPTH, MAX_VIOLATIONS, MalformedError, Member, Range,
    Schema, Violation, compare_numbers,
};

/// What the walk found: malformed input, or violations (the first ones and how many).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Malformed(MalformedError),
    Invalid(Vec<Violation>, usize),
}

impl Found {
    /// The same finding from the runtime's error.
    pub fn of(error: InputError) -> Found {
        match error {
            InputError::Malformed(e) => Found::Malformed(e),
            InputError::Invalid(e) => Found::Invalid(e.violations().to_vec(), e.total()),
        }
    }
}

/// Checks `value` against `schema`: its JSON form first (any mismatch is
/// [`InputError::Malformed`]), then every constraint.
pub fn validate(value: &Value, schema: &Schema) -> Result<(), Found> {
    let mut walk = Walk {
        path: String::new(),
        violations: Vec::new(),
        total: 0,
    };
    walk.value(value, schema, 0).map_err(Found::Malformed)?;
    if walk.total == 0 {
        Ok(())
    } else {
        Err(Found::Invalid(walk.violations, walk.total))
    }
}

struct Walk {
    /// JSON Pointer of the value being checked; segments are pushed and popped.
    path: String,
    violations: Vec<Violation>,
    total: usize,
}

type Step = Result<(), MalformedError>;

impl Walk {
    fn malformed(&self, reason: impl Into<String>) -> MalformedError {
        MalformedError {
            path: self.path.clone(),
            reason: reason.into(),
        }
    }

    fn violation(&mut self, message: impl FnOnce(&str) -> String) {
        self.total += 1;
        if self.violations.len() < MAX_VIOLATIONS {
            let message = message(&self.path);
            self.violations.push(Violation {
                path: self.path.clone(),
                message,
            });
        }
    }

    /// Runs `f` with `segment` appended to the path (escaped as JSON Pointer requires).
    fn at<T>(&mut self, segment: &str, f: impl FnOnce(&mut Self) -> T) -> T {
        let len = self.path.len();
        self.path.push('/');
        for c in segment.chars() {
            match c {
                '~' => self.path.push_str("~0"),
                '/' => self.path.push_str("~1"),
                c => self.path.push(c),
            }
        }
        let out = f(self);
        self.path.truncate(len);
        out
    }

    fn value(&mut self, value: &Value, schema: &Schema, depth: usize) -> Step {
        if depth > MAX_DEPTH {
            return Err(self.malformed("input is nested too deeply"));
        }
        match &schema.kind {
            Kind::Structure(members) => self.structure(value, members, depth),
            Kind::Union(members) => self.union(value, members, depth),
            Kind::List { member, sparse } => {
                let Value::Array(items) = value else {
                    return Err(self.malformed("expected a list"));
                };
                self.check_length(schema, items.len() as u64);
                if schema.unique_items && !all_unique(items, member) {
                    self.violation(|p| format!("Value at '{p}' failed to satisfy constraint: Member must have unique values"));
                }
                for (i, item) in items.iter().enumerate() {
                    self.at(&i.to_string(), |w| {
                        if item.is_null() {
                            return if *sparse {
                                Ok(())
                            } else {
                                Err(w.malformed("null is not allowed in this list"))
                            };
                        }
                        w.value(item, member, depth + 1)
                    })?;
                }
                Ok(())
            }
            Kind::Map {
                key,
                value: value_schema,
                sparse,
            } => {
                let Value::Object(entries) = value else {
                    return Err(self.malformed("expected a map (JSON object)"));
                };
                self.check_length(schema, entries.len() as u64);
                // Sorted, so messages do not depend on the map's order (typed maps hash).
                let mut sorted: Vec<(&String, &Value)> = entries.iter().collect();
                sorted.sort_unstable_by(|a, b| a.0.cmp(b.0));
                for (k, v) in sorted {
                    // Key constraints are reported at the map's own path.
                    self.string_constraints(key, k);
                    self.at(k, |w| {
                        if v.is_null() {
                            return if *sparse {
                                Ok(())
                            } else {
                                Err(w.malformed("null is not allowed in this map"))
                            };
                        }
                        w.value(v, value_schema, depth + 1)
                    })?;
                }
                Ok(())
            }
            Kind::String => {
                let Value::String(text) = value else {
                    return Err(self.malformed("expected a string"));
                };
                self.string_constraints(schema, text);
                Ok(())
            }
            Kind::Boolean => match value {
                Value::Bool(_) => Ok(()),
                _ => Err(self.malformed("expected a boolean")),
            },
            Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => {
                let (low, high) = match schema.kind {
                    Kind::Byte => (i8::MIN as i64, i8::MAX as i64),
                    Kind::Short => (i16::MIN as i64, i16::MAX as i64),
                    Kind::Integer => (i32::MIN as i64, i32::MAX as i64),
                    _ => (i64::MIN, i64::MAX),
                };
                let n = value.as_i64().filter(|n| (low..=high).contains(n));
                let Some(n) = n else {
                    return Err(self.malformed("expected an integer in range for its type"));
                };
                self.check_range(schema, &n.to_string());
                if let Some(EnumValues::Ints { all, shown }) = schema.enum_values {
                    if !all.contains(&n) {
                        let list = join(shown.iter());
                        self.violation(|p| format!("Value at '{p}' failed to satisfy constraint: Member must satisfy enum value set: [{list}]"));
                    }
                }
                Ok(())
            }
            Kind::Float | Kind::Double => {
                let text = match value {
                    Value::Number(n) => n.to_string(),
                    Value::String(s) if s == "NaN" || s == "Infinity" || s == "-Infinity" => {
                        s.clone()
                    }
                    _ => return Err(self.malformed("expected a number")),
                };
                self.check_range(schema, &text);
                Ok(())
            }
            Kind::BigInteger | Kind::BigDecimal => {
                let Value::Number(n) = value else {
                    return Err(self.malformed("expected a number"));
                };
                // Beyond 64 bits serde_json holds integers as f64: integral is what can be checked.
                let integral =
                    n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0);
                if matches!(schema.kind, Kind::BigInteger) && !integral {
                    return Err(self.malformed("expected an integer"));
                }
                self.check_range(schema, &n.to_string());
                Ok(())
            }
            Kind::Blob => {
                let Value::String(text) = value else {
                    return Err(self.malformed("expected a base64 string"));
                };
                let bytes = smithy_runtime::base64::decode(text)
                    .map_err(|e| self.malformed(format!("invalid base64: {e}")))?;
                self.check_length(schema, bytes.len() as u64);
                Ok(())
            }
            Kind::Timestamp(format) => {
                let ok = match (format, value) {
                    (TimestampFormat::EpochSeconds, Value::Number(_)) => true,
                    // Inputs give date-times in UTC: an offset is refused (clients still read
                    // one in a response).
                    (TimestampFormat::DateTime, Value::String(text)) => {
                        text.ends_with(['Z', 'z'])
                            && smithy_runtime::DateTime::parse(*format, text).is_ok()
                    }
                    (TimestampFormat::HttpDate, Value::String(text)) => {
                        smithy_runtime::DateTime::parse(*format, text).is_ok()
                    }
                    _ => false,
                };
                if ok {
                    Ok(())
                } else {
                    Err(self.malformed(format!("expected a timestamp in {format} format")))
                }
            }
            Kind::Document => Ok(()),
        }
    }

    fn structure(&mut self, value: &Value, members: &[Member], depth: usize) -> Step {
        let Value::Object(object) = value else {
            return Err(self.malformed("expected a structure (JSON object)"));
        };
        for member in members {
            match object.get(member.name) {
                None | Some(Value::Null) => {
                    if member.required {
                        self.at(member.name, |w| {
                            w.violation(|p| format!("Value at '{p}' failed to satisfy constraint: Member must not be null"))
                        });
                    }
                }
                Some(child) => {
                    self.at(member.name, |w| w.value(child, member.schema, depth + 1))?
                }
            }
        }
        Ok(())
    }

    fn union(&mut self, value: &Value, members: &[Member], depth: usize) -> Step {
        let Value::Object(object) = value else {
            return Err(self.malformed("expected a union (JSON object)"));
        };
        let mut set = object
            .iter()
            .filter(|(k, v)| !v.is_null() && k.as_str() != "__type");
        let (Some((name, child)), None) = (set.next(), set.next()) else {
            return Err(self.malformed("a union must have exactly one member set"));
        };
        let Some(member) = members.iter().find(|m| m.name == name) else {
            return Err(self.malformed(format!("unknown union member `{name}`")));
        };
        self.at(name, |w| w.value(child, member.schema, depth + 1))
    }

    fn string_constraints(&mut self, schema: &Schema, text: &str) {
        self.check_length(schema, text.chars().count() as u64);
        if let Some(pattern) = schema.pattern {
            // A pattern that cannot run (it was checked at generation) counts as a failed match.
            if !pattern.is_match(text).unwrap_or(false) {
                let source = pattern.source();
                self.violation(|p| format!("Value at '{p}' failed to satisfy constraint: Member must satisfy regular expression pattern: {source}"));
            }
        }
        if let Some(EnumValues::Strings { all, shown }) = schema.enum_values {
            if !all.contains(&text) {
                let list = join(shown.iter());
                self.violation(|p| format!("Value at '{p}' failed to satisfy constraint: Member must satisfy enum value set: [{list}]"));
            }
        }
    }

    fn check_length(&mut self, schema: &Schema, len: u64) {
        let Some(Length { min, max }) = schema.length else {
            return;
        };
        if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
            let rule = match (min, max) {
                (Some(min), Some(max)) => format!("between {min} and {max}, inclusive"),
                (Some(min), None) => format!("greater than or equal to {min}"),
                (None, Some(max)) => format!("less than or equal to {max}"),
                (None, None) => return,
            };
            self.violation(|p| format!("Value with length {len} at '{p}' failed to satisfy constraint: Member must have length {rule}"));
        }
    }

    fn check_range(&mut self, schema: &Schema, number: &str) {
        let Some(Range { min, max }) = schema.range else {
            return;
        };
        let below = min.is_some_and(|min| {
            compare_numbers(number, min) != Some(Ordering::Greater)
                && compare_numbers(number, min) != Some(Ordering::Equal)
        });
        let above = max.is_some_and(|max| {
            compare_numbers(number, max) != Some(Ordering::Less)
                && compare_numbers(number, max) != Some(Ordering::Equal)
        });
        if below || above {
            let rule = match (min, max) {
                (Some(min), Some(max)) => format!("between {min} and {max}, inclusive"),
                (Some(min), None) => format!("greater than or equal to {min}"),
                (None, Some(max)) => format!("less than or equal to {max}"),
                (None, None) => return,
            };
            self.violation(|p| {
                format!("Value at '{p}' failed to satisfy constraint: Member must be {rule}")
            });
        }
    }
}

fn join<T: fmt::Display>(items: impl Iterator<Item = T>) -> String {
    let mut out = String::new();
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "{item}");
    }
    out
}

/// True when no two items are equal as values of their shape (object member order, `null`
/// members, number spelling, base64 padding and timestamp spelling ignored), in linear
/// time: each item is reduced to a canonical text and hashed.
fn all_unique(items: &[Value], schema: &Schema) -> bool {
    let mut seen = HashSet::with_capacity(items.len());
    items.iter().all(|item| {
        let mut text = String::new();
        canonical(item, Some(schema), &mut text, 0);
        seen.insert(text)
    })
}

fn canonical(value: &Value, schema: Option<&Schema>, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        // The walk rejects such input as malformed; stop here rather than recurse on.
        out.push('…');
        return;
    }
    let kind = schema.map(|s| &s.kind);
    match (value, kind) {
        (Value::String(text), Some(Kind::Blob)) => match smithy_runtime::base64::decode(text) {
            Ok(bytes) => out.extend(bytes.iter().map(|b| format!("{b:02x}"))),
            Err(_) => out.push_str(text),
        },
        (Value::String(text), Some(Kind::Timestamp(format))) => {
            match smithy_runtime::DateTime::parse(*format, text) {
                Ok(time) => {
                    let _ = write!(out, "t{}.{:09}", time.secs(), time.subsec_nanos());
                }
                Err(_) => out.push_str(text),
            }
        }
        (Value::Number(n), Some(Kind::Timestamp(_))) => {
            let time = n
                .as_i64()
                .map(smithy_runtime::DateTime::from_secs)
                .or_else(|| {
                    n.as_f64()
                        .map(smithy_runtime::DateTime::from_fractional_secs)
                });
            if let Some(time) = time {
                let _ = write!(out, "t{}.{:09}", time.secs(), time.subsec_nanos());
            }
        }
        (Value::Number(n), _) => canonical_number(&n.to_string(), out),
        (Value::Object(map), _) => {
            let members = match kind {
                Some(Kind::Structure(members) | Kind::Union(members)) => Some(*members),
                _ => None,
            };
            let mut keys: Vec<&String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect();
            keys.sort();
            out.push('{');
            for key in keys {
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push(':');
                let child = match (members, kind) {
                    (Some(members), _) => members
                        .iter()
                        .find(|m| m.name == key.as_str())
                        .map(|m| m.schema),
                    (None, Some(Kind::Map { value, .. })) => Some(*value),
                    _ => None,
                };
                canonical(&map[key.as_str()], child, out, depth + 1);
                out.push(',');
            }
            out.push('}');
        }
        (Value::Array(items), _) => {
            let child = match kind {
                Some(Kind::List { member, .. }) => Some(*member),
                _ => None,
            };
            out.push('[');
            for item in items {
                canonical(item, child, out, depth + 1);
                out.push(',');
            }
            out.push(']');
        }
        (other, _) => out.push_str(&other.to_string()),
    }
}

/// `1`, `1.0` and `1e0` all become the same text.
///
/// Changed from the walk as it was: zero is one value however it is spelled (`0`, `0.0`,
/// `-0.0` were three), as in the runtime's canonical form and in typed values.
fn canonical_number(text: &str, out: &mut String) {
    if parse_decimal(text).is_some_and(|d| d.digits.is_empty()) {
        out.push_str("n0");
        return;
    }
    match parse_decimal(text) {
        Some(d) => {
            let _ = write!(
                out,
                "n{}{:?}e{}",
                if d.negative { "-" } else { "" },
                d.digits,
                d.exponent
            );
        }
        None => out.push_str(text),
    }
}

/// A decimal number split for exact comparison: sign, significant digits, and the power of
/// ten of the first digit.
struct Decimal {
    negative: bool,
    digits: Vec<u8>,
    exponent: i64,
}

fn parse_decimal(text: &str) -> Option<Decimal> {
    let (negative, rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (mantissa, exp) = match rest.find(['e', 'E']) {
        Some(i) => (&rest[..i], rest[i + 1..].parse::<i64>().ok()?),
        None => (rest, 0),
    };
    let (int_part, frac_part) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if int_part.is_empty() && frac_part.is_empty() {
        return None;
    }
    if !int_part
        .bytes()
        .chain(frac_part.bytes())
        .all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let all: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes())
        .map(|b| b - b'0')
        .collect();
    let leading = all.iter().take_while(|d| **d == 0).count();
    let mut digits = all[leading..].to_vec();
    while digits.last() == Some(&0) {
        digits.pop();
    }
    let exponent = exp
        .checked_add(int_part.len() as i64)?
        .checked_sub(leading as i64 + 1)?;
    Some(Decimal {
        negative: negative && !digits.is_empty(),
        digits,
        exponent,
    })
}
