//! The constraints on one value, each with Smithy's message: what the typed check applies
//! to every value it meets.

use std::cmp::Ordering;
use std::fmt::Write as _;

use super::{EnumValues, Length, Range, Schema, compare_numbers};

/// A constraint a value breaks; [`Broken::message`] says so for the value's path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Broken {
    /// `Value`, or `Value with length N`.
    subject: String,
    /// What the member must do: `Member must have length between 1 and 64, inclusive`.
    rule: String,
}

impl Broken {
    fn new(subject: impl Into<String>, rule: String) -> Broken {
        Broken {
            subject: subject.into(),
            rule,
        }
    }

    /// Smithy's message for the value at `path` (a JSON Pointer).
    pub(crate) fn message(&self, path: &str) -> String {
        format!(
            "{} at '{path}' failed to satisfy constraint: {}",
            self.subject, self.rule
        )
    }
}

/// `between 1 and 64, inclusive`, `greater than or equal to 1`, `less than or equal to 64`.
fn bounds<T: std::fmt::Display>(min: Option<T>, max: Option<T>) -> Option<String> {
    Some(match (min, max) {
        (Some(min), Some(max)) => format!("between {min} and {max}, inclusive"),
        (Some(min), None) => format!("greater than or equal to {min}"),
        (None, Some(max)) => format!("less than or equal to {max}"),
        (None, None) => return None,
    })
}

/// `@length`: `len` characters, bytes or entries.
pub(crate) fn length(schema: &Schema, len: u64) -> Option<Broken> {
    let Length { min, max } = schema.length?;
    if min.is_some_and(|min| len < min) || max.is_some_and(|max| len > max) {
        let rule = bounds(min, max)?;
        Some(Broken::new(
            format!("Value with length {len}"),
            format!("Member must have length {rule}"),
        ))
    } else {
        None
    }
}

/// `@range`: a number given as its decimal text (or `NaN`, `Infinity`, `-Infinity`).
pub(crate) fn range(schema: &Schema, number: &str) -> Option<Broken> {
    let Range { min, max } = schema.range?;
    let below = min.is_some_and(|min| {
        !matches!(
            compare_numbers(number, min),
            Some(Ordering::Greater | Ordering::Equal)
        )
    });
    let above = max.is_some_and(|max| {
        !matches!(
            compare_numbers(number, max),
            Some(Ordering::Less | Ordering::Equal)
        )
    });
    if below || above {
        let rule = bounds(min, max)?;
        Some(Broken::new("Value", format!("Member must be {rule}")))
    } else {
        None
    }
}

/// A string's constraints, in Smithy's order: `@length`, `@pattern`, then the enum's values.
pub(crate) fn string(schema: &Schema, text: &str) -> Vec<Broken> {
    let mut broken = Vec::new();
    if schema.length.is_some() {
        broken.extend(length(schema, text.chars().count() as u64));
    }
    if let Some(pattern) = schema.pattern {
        // A pattern that cannot run (it was checked at generation) counts as a failed match.
        if !pattern.is_match(text).unwrap_or(false) {
            let rule = format!(
                "Member must satisfy regular expression pattern: {}",
                pattern.source()
            );
            broken.push(Broken::new("Value", rule));
        }
    }
    if let Some(EnumValues::Strings { all, shown }) = schema.enum_values {
        if !all.contains(&text) {
            broken.push(enum_broken(shown.iter()));
        }
    }
    broken
}

/// An int enum's values.
pub(crate) fn int_enum(schema: &Schema, n: i64) -> Option<Broken> {
    match schema.enum_values {
        Some(EnumValues::Ints { all, shown }) if !all.contains(&n) => {
            Some(enum_broken(shown.iter()))
        }
        _ => None,
    }
}

fn enum_broken<T: std::fmt::Display>(shown: impl Iterator<Item = T>) -> Broken {
    let mut list = String::new();
    for (i, item) in shown.enumerate() {
        if i > 0 {
            list.push_str(", ");
        }
        let _ = write!(list, "{item}");
    }
    Broken::new(
        "Value",
        format!("Member must satisfy enum value set: [{list}]"),
    )
}
