//! Constraint validation: a typed value checked against a schema the generator emits as
//! `static` data, while the value writes itself (`check.rs`); no JSON form of it is built.
//! The checks are fixed logic; only the schemas are model-specific.
//!
//! Every violation is reported (up to [`MAX_VIOLATIONS`]), each with a JSON Pointer to
//! the value and Smithy's message text. A value of the wrong JSON type is not a violation
//! but a malformed request ([`InputError::Malformed`]), as the protocols require.

// The schema types mirror Smithy's shape types and constraint traits one for one; their
// variants and fields are named after them and need no further words.
#![allow(missing_docs)]

mod check;
mod rules;

use std::cmp::Ordering;
use std::fmt::{self, Write as _};

use serde_json::Value;

use crate::TimestampFormat;
use crate::pattern::Pattern;
use crate::wire::value::ValueReader;
use crate::wire::{HasSchema, ReadState, Reader, Shape, WriteShape};

/// At most this many violations are kept; counting goes on, bounded by the input's size.
pub const MAX_VIOLATIONS: usize = 100;

/// Values nested deeper than this are rejected as malformed.
pub const MAX_DEPTH: usize = 100;

/// What a shape is, for the walk.
#[derive(Debug)]
pub enum Kind {
    Structure(&'static [Member]),
    Union(&'static [Member]),
    List {
        member: &'static Schema,
        sparse: bool,
    },
    Map {
        key: &'static Schema,
        value: &'static Schema,
        sparse: bool,
    },
    String,
    Boolean,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Blob,
    Timestamp(TimestampFormat),
    Document,
}

pub use smithy_vocab::Length;

/// `@range`, bounds as the model wrote them (compared exactly, printed as written).
pub type Range = smithy_vocab::Range<&'static str>;

/// The values of an `enum` / `intEnum` (or legacy `@enum`): all of them are accepted,
/// `shown` (all but `@internal` ones) appear in messages.
#[derive(Clone, Copy, Debug)]
pub enum EnumValues {
    Strings {
        all: &'static [&'static str],
        shown: &'static [&'static str],
    },
    Ints {
        all: &'static [i64],
        shown: &'static [i64],
    },
}

/// A shape and its constraints.
#[derive(Debug)]
pub struct Schema {
    pub kind: Kind,
    pub length: Option<Length>,
    pub range: Option<Range>,
    pub pattern: Option<&'static Pattern>,
    pub enum_values: Option<EnumValues>,
    pub unique_items: bool,
}

/// A member of a structure or union.
#[derive(Debug)]
pub struct Member {
    /// The member's name in the JSON object.
    pub name: &'static str,
    pub schema: &'static Schema,
    pub required: bool,
    /// restJson1 carries it outside the body (label, query, header, status, payload)
    /// when its structure is an operation's input or output.
    pub bound: bool,
}

impl Member {
    pub const fn required(name: &'static str, schema: &'static Schema) -> Member {
        Member {
            name,
            schema,
            required: true,
            bound: false,
        }
    }

    pub const fn optional(name: &'static str, schema: &'static Schema) -> Member {
        Member {
            name,
            schema,
            required: false,
            bound: false,
        }
    }

    /// The member, HTTP-bound (see [`Member::bound`]).
    pub const fn http(mut self) -> Member {
        self.bound = true;
        self
    }
}

impl Schema {
    /// A shape of `kind` with no constraints; add them with the `const` methods below.
    pub const fn of(kind: Kind) -> Schema {
        Schema {
            kind,
            length: None,
            range: None,
            pattern: None,
            enum_values: None,
            unique_items: false,
        }
    }

    pub const fn structure(members: &'static [Member]) -> Schema {
        Schema::of(Kind::Structure(members))
    }

    pub const fn union(members: &'static [Member]) -> Schema {
        Schema::of(Kind::Union(members))
    }

    pub const fn list(member: &'static Schema, sparse: bool) -> Schema {
        Schema::of(Kind::List { member, sparse })
    }

    pub const fn map(key: &'static Schema, value: &'static Schema, sparse: bool) -> Schema {
        Schema::of(Kind::Map { key, value, sparse })
    }

    pub const fn length(mut self, min: Option<u64>, max: Option<u64>) -> Schema {
        self.length = Some(Length { min, max });
        self
    }

    pub const fn range(mut self, min: Option<&'static str>, max: Option<&'static str>) -> Schema {
        self.range = Some(Range { min, max });
        self
    }

    pub const fn pattern(mut self, pattern: &'static Pattern) -> Schema {
        self.pattern = Some(pattern);
        self
    }

    pub const fn string_enum(
        mut self,
        all: &'static [&'static str],
        shown: &'static [&'static str],
    ) -> Schema {
        self.enum_values = Some(EnumValues::Strings { all, shown });
        self
    }

    pub const fn int_enum(mut self, all: &'static [i64], shown: &'static [i64]) -> Schema {
        self.enum_values = Some(EnumValues::Ints { all, shown });
        self
    }

    pub const fn unique_items(mut self) -> Schema {
        self.unique_items = true;
        self
    }
}

/// One constraint violation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    /// JSON Pointer to the value (`/tags/myKey`).
    pub path: String,
    /// Smithy's message for it, naming the path.
    pub message: String,
}

/// Constraint violations found in an input (the `ValidationException` content).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidationError {
    violations: Vec<Violation>,
    total: usize,
}

impl ValidationError {
    /// The violations kept (at most [`MAX_VIOLATIONS`]), in document order.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// How many violations were found, including any not kept.
    pub fn total(&self) -> usize {
        self.total
    }

    /// `1 validation error detected. <m>` or `N validation errors detected. <m1>; <m2>`.
    pub fn message(&self) -> String {
        let noun = if self.total == 1 { "error" } else { "errors" };
        let mut out = format!("{} validation {noun} detected. ", self.total);
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                out.push_str("; ");
            }
            out.push_str(&violation.message);
        }
        out
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ValidationError {}

/// The input is not of the shape's JSON form (wrong type, bad timestamp, bad base64...).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MalformedError {
    pub path: String,
    pub reason: String,
}

impl fmt::Display for MalformedError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            write!(f, "{}", self.reason)
        } else {
            write!(f, "{} at '{}'", self.reason, self.path)
        }
    }
}

impl std::error::Error for MalformedError {}

/// Why an input was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// Not of the expected JSON form: the protocol's `SerializationException`.
    Malformed(MalformedError),
    /// Well-formed but breaking constraints: a `ValidationException`.
    Invalid(ValidationError),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Malformed(e) => e.fmt(f),
            InputError::Invalid(e) => e.fmt(f),
        }
    }
}

impl std::error::Error for InputError {}

/// Appends the canonical text of a number (its decimal text): `1`, `1.0` and `1e0` become
/// the same text; so do `0`, `0.0` and `-0.0`. What `@uniqueItems` compares numbers by.
pub(crate) fn canonical_number(text: &str, out: &mut String) {
    match parse_decimal(text) {
        Some(d) if d.digits.is_empty() => out.push_str("n0"),
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

/// Compares two decimal texts exactly (also `NaN`, `Infinity`, `-Infinity`); `None` when
/// either is not a number or is NaN.
pub fn compare_numbers(a: &str, b: &str) -> Option<Ordering> {
    let special = |s: &str| match s {
        "Infinity" => Some(1),
        "-Infinity" => Some(-1),
        _ => None,
    };
    match (special(a), special(b)) {
        (Some(x), Some(y)) => return Some(x.cmp(&y)),
        (Some(x), None) => {
            return parse_decimal(b).map(|_| {
                if x > 0 {
                    Ordering::Greater
                } else {
                    Ordering::Less
                }
            });
        }
        (None, Some(y)) => {
            return parse_decimal(a).map(|_| {
                if y > 0 {
                    Ordering::Less
                } else {
                    Ordering::Greater
                }
            });
        }
        (None, None) => {}
    }
    let (x, y) = (parse_decimal(a)?, parse_decimal(b)?);
    let magnitude = |d: &Decimal, e: &Decimal| -> Ordering {
        match (d.digits.is_empty(), e.digits.is_empty()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            (false, false) => d
                .exponent
                .cmp(&e.exponent)
                .then_with(|| d.digits.cmp(&e.digits)),
        }
    };
    Some(match (x.negative, y.negative) {
        (false, false) => magnitude(&x, &y),
        (true, true) => magnitude(&y, &x),
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
    })
}

/// True when a decimal text has no fractional part (`5`, `5.0`, `5e2`).
fn is_integral(text: &str) -> bool {
    parse_decimal(text)
        .is_some_and(|d| d.digits.is_empty() || d.exponent >= d.digits.len() as i64 - 1)
}

/// Validates a typed value (a client's opt-in check before sending) against its schema.
pub fn validate_typed<T: HasSchema>(value: &T) -> Result<(), InputError> {
    validate_shape(T::SCHEMA, value)
}

/// [`validate_typed`] for any value with `schema` (compiled once, not per type).
pub fn validate_shape(schema: &'static Schema, value: &dyn WriteShape) -> Result<(), InputError> {
    validate_read(schema, value, &[])
}

/// Validates a value read from a request. `absent` holds the JSON Pointers of the
/// required members that were absent or `null` on the wire (a strict read notes them in
/// its [`ReadState`]): the typed value holds a default there, which is reported as
/// missing (`Member must not be null`) and not checked further.
pub fn validate_read(
    schema: &'static Schema,
    value: &dyn WriteShape,
    absent: &[String],
) -> Result<(), InputError> {
    let mut check = check::Check::new(schema, absent);
    value.write(schema, &mut check);
    check.finish()
}

/// Reads a value with `schema` from `r` strictly, as a server reads a request, then
/// validates it.
pub fn read_checked<T: Shape>(
    schema: &'static Schema,
    r: &mut dyn Reader,
) -> Result<T, InputError> {
    let value = match T::read(schema, r) {
        Ok(Some(value)) => value,
        Ok(None) => {
            return Err(InputError::Malformed(MalformedError {
                path: String::new(),
                reason: check::expected(&schema.kind).to_owned(),
            }));
        }
        Err(error) => {
            let state = r.state();
            return Err(InputError::Malformed(match state {
                Some(state) => state.malformed(error, "the input"),
                None => MalformedError {
                    path: String::new(),
                    reason: error.to_string(),
                },
            }));
        }
    };
    let absent = r
        .state()
        .map(|state| state.absent().to_vec())
        .unwrap_or_default();
    validate_read(schema, &value, &absent)?;
    Ok(value)
}

/// Reads JSON input as `T` strictly and validates it: what a server does with a request
/// (whose HTTP-bound members are already in the JSON form).
pub fn from_json<T: HasSchema>(value: &Value) -> Result<T, InputError> {
    let mut state = ReadState::new();
    read_checked(
        T::SCHEMA,
        &mut ValueReader::with_state(value, Some(&mut state)),
    )
}

/// Reads a JSON body as `T` strictly and validates it: what a server does with an
/// awsJson request's body. An empty body reads as `{}`.
pub fn from_body<T: HasSchema>(body: &[u8]) -> Result<T, InputError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}"
    } else {
        body
    };
    let mut state = ReadState::new();
    let mut checked = None;
    let read = crate::wire::json::read_text(body, Some(&mut state), |r| {
        checked = Some(read_checked::<T>(T::SCHEMA, r));
        Ok(())
    });
    match (checked, read) {
        // What the read found wins over the text it left unread.
        (Some(Err(error)), _) => Err(error),
        (_, Err(error)) => Err(InputError::Malformed(state.malformed(error, "The body"))),
        (Some(Ok(value)), Ok(())) => Ok(value),
        (None, Ok(())) => unreachable!("the read ran"),
    }
}
