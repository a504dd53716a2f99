//! `smithy_runtime::validation` exercised directly, on hand-written static
//! schemas: every constraint trait at its boundaries, with Smithy's exact
//! message texts and JSON Pointer paths, malformed input, limits (violation
//! count, nesting depth) and hostile patterns.
//!
//! Map entries are written with their keys in sorted order wherever several of
//! them produce violations: `serde_json::Map` iterates sorted keys, or
//! insertion order when a workspace member turns on `preserve_order`, and this
//! file must hold in both builds.

use std::time::{Duration, Instant};

use serde_json::{Value, json};
use smithy_runtime::TimestampFormat;
use smithy_runtime::base64;
use smithy_runtime::pattern::Pattern;
use smithy_runtime::validation::{
    InputError, Kind, MAX_DEPTH, MAX_VIOLATIONS, MalformedError, Member, Schema, ValidationError,
    Violation, compare_numbers, from_json, validate_typed,
};

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

// The model's pattern, then the translation the generator writes beside it (codegen's
// pattern tests check those translations).
static A_TO_M: Pattern = Pattern::new("^[a-m]+$", "^[a-m]+$");
static A_TO_M_SEARCHED: Pattern = Pattern::new("[a-m]", "[a-m]");
static EVIL: Pattern = Pattern::new("^([0-9]+)+$", "^([0-9]+)+$");
static EVIL_LOOKAHEAD: Pattern =
    Pattern::backtracking("^(?=[0-9])([0-9]+)+$", "^(?=[0-9])([0-9]+)+$");
static EMOTICONS: Pattern = Pattern::new(
    r"^[\uD83D\uDE00-\uD83D\uDE4F]+$",
    r"^[\x{1F600}-\x{1F64F}]+$",
);

static STRING: Schema = Schema::of(Kind::String);
static INTEGER: Schema = Schema::of(Kind::Integer);
static BOOLEAN: Schema = Schema::of(Kind::Boolean);
static DOUBLE: Schema = Schema::of(Kind::Double);
static SHORT: Schema = Schema::of(Kind::Short);
static LONG: Schema = Schema::of(Kind::Long);
static FLOAT: Schema = Schema::of(Kind::Float);
static BLOB: Schema = Schema::of(Kind::Blob);
static DOCUMENT: Schema = Schema::of(Kind::Document);
static EPOCH_SECONDS: Schema = Schema::of(Kind::Timestamp(TimestampFormat::EpochSeconds));
static DATE_TIME: Schema = Schema::of(Kind::Timestamp(TimestampFormat::DateTime));
static HTTP_DATE: Schema = Schema::of(Kind::Timestamp(TimestampFormat::HttpDate));

// @length
static STRING_2_8: Schema = Schema::of(Kind::String).length(Some(2), Some(8));
static STRING_MIN_2: Schema = Schema::of(Kind::String).length(Some(2), None);
static STRING_MAX_8: Schema = Schema::of(Kind::String).length(None, Some(8));
static STRING_MAX_1: Schema = Schema::of(Kind::String).length(None, Some(1));
static BLOB_2_8: Schema = Schema::of(Kind::Blob).length(Some(2), Some(8));
static LIST_2_8: Schema = Schema::list(&STRING, false).length(Some(2), Some(8));
static MAP_2_8: Schema = Schema::map(&STRING, &STRING, false).length(Some(2), Some(8));
static MAP_MIN_2: Schema = Schema::map(&STRING, &STRING, false).length(Some(2), None);
static LIST_MAX_2: Schema = Schema::list(&STRING, false).length(None, Some(2));
static BLOB_MIN_2: Schema = Schema::of(Kind::Blob).length(Some(2), None);

// Constraints reached through lists, maps and unions.
static STRING_2_8_LIST: Schema = Schema::list(&STRING_2_8, false);
static STRING_2_8_MAP: Schema = Schema::map(&STRING_2_8, &STRING_2_8, false);
static STRING_2_8_VALUES: Schema = Schema::map(&STRING, &STRING_2_8, false);
static SPARSE_LIST: Schema = Schema::list(&STRING_2_8, true);
static SPARSE_MAP: Schema = Schema::map(&STRING, &STRING_2_8, true);

// @range
static BYTE_2_8: Schema = Schema::of(Kind::Byte).range(Some("2"), Some("8"));
static BYTE_MIN_2: Schema = Schema::of(Kind::Byte).range(Some("2"), None);
static BYTE_MAX_8: Schema = Schema::of(Kind::Byte).range(None, Some("8"));
static SHORT_2_8: Schema = Schema::of(Kind::Short).range(Some("2"), Some("8"));
static INTEGER_2_8: Schema = Schema::of(Kind::Integer).range(Some("2"), Some("8"));
static LONG_2_8: Schema = Schema::of(Kind::Long).range(Some("2"), Some("8"));
static FLOAT_2_2_8_8: Schema = Schema::of(Kind::Float).range(Some("2.2"), Some("8.8"));
static FLOAT_MIN_2_2: Schema = Schema::of(Kind::Float).range(Some("2.2"), None);
static FLOAT_MAX_8_8: Schema = Schema::of(Kind::Float).range(None, Some("8.8"));
static DOUBLE_2_2_8_8: Schema = Schema::of(Kind::Double).range(Some("2.2"), Some("8.8"));
static BIG_INTEGER_2_8: Schema = Schema::of(Kind::BigInteger).range(Some("2"), Some("8"));
static BIG_DECIMAL_2_2_8_8: Schema = Schema::of(Kind::BigDecimal).range(Some("2.2"), Some("8.8"));
static LONG_NEAR_LIMITS: Schema =
    Schema::of(Kind::Long).range(Some("-9223372036854775807"), Some("9223372036854775806"));
static BIG_INTEGER_NEAR_I64_MAX: Schema =
    Schema::of(Kind::BigInteger).range(None, Some("9223372036854775806"));
static BIG_INTEGER_HUGE: Schema = Schema::of(Kind::BigInteger).range(
    Some("-100000000000000000000"),
    Some("100000000000000000000"),
);
static BIG_DECIMAL_MAX_0_3: Schema = Schema::of(Kind::BigDecimal).range(None, Some("0.3"));

// enum / intEnum, with one @internal value each ("ghi", 2).
static ENUM: Schema =
    Schema::of(Kind::String).string_enum(&["abc", "def", "ghi", "jkl"], &["abc", "def", "jkl"]);
static INT_ENUM: Schema = Schema::of(Kind::Integer).int_enum(&[1, 2, 3], &[1, 3]);
static ENUM_LIST: Schema = Schema::list(&ENUM, false);
static ENUM_MAP: Schema = Schema::map(&ENUM, &ENUM, false);

// @pattern
static PATTERN_STRING: Schema = Schema::of(Kind::String).pattern(&A_TO_M);
static SEARCHED_STRING: Schema = Schema::of(Kind::String).pattern(&A_TO_M_SEARCHED);
static EVIL_STRING: Schema = Schema::of(Kind::String).pattern(&EVIL);
static EVIL_LOOKAHEAD_STRING: Schema = Schema::of(Kind::String).pattern(&EVIL_LOOKAHEAD);
static EMOTICON_STRING: Schema = Schema::of(Kind::String).pattern(&EMOTICONS);
static PATTERN_MAP: Schema = Schema::map(&PATTERN_STRING, &PATTERN_STRING, false);
/// Stands for a `@sensitive` string: length, pattern and enum all at once.
static SECRET: Schema = Schema::of(Kind::String)
    .length(Some(1), Some(8))
    .pattern(&A_TO_M)
    .string_enum(&["abc"], &["abc"]);
static SECRET_MAP: Schema = Schema::map(&SECRET, &SECRET, false);

// @uniqueItems
static STRING_SET: Schema = Schema::list(&STRING, false).unique_items();
static INTEGER_SET: Schema = Schema::list(&INTEGER, false).unique_items();
static DOUBLE_SET: Schema = Schema::list(&DOUBLE, false).unique_items();
static BOOLEAN_SET: Schema = Schema::list(&BOOLEAN, false).unique_items();
static BLOB_SET: Schema = Schema::list(&BLOB, false).unique_items();
static DATE_TIME_SET: Schema = Schema::list(&DATE_TIME, false).unique_items();
static STRING_LIST: Schema = Schema::list(&STRING, false);
static LIST_SET: Schema = Schema::list(&STRING_LIST, false).unique_items();
static PAIR_MEMBERS: [Member; 2] = [
    Member::optional("hi", &STRING),
    Member::optional("n", &INTEGER),
];
static PAIR: Schema = Schema::structure(&PAIR_MEMBERS);
static STRUCTURE_SET: Schema = Schema::list(&PAIR, false).unique_items();
static UNION_SET: Schema = Schema::list(&UNION, false).unique_items();
static STRING_2_8_SET: Schema = Schema::list(&STRING_2_8, false).unique_items();

// @required
static REQUIRED_MEMBERS: [Member; 3] = [
    Member::required("string", &STRING),
    Member::required("integer", &INTEGER),
    Member::optional("other", &STRING),
];
static REQUIRED: Schema = Schema::structure(&REQUIRED_MEMBERS);

// A union.
static UNION_MEMBERS: [Member; 2] = [
    Member::optional("first", &PATTERN_STRING),
    Member::optional("second", &INTEGER_2_8),
];
static UNION: Schema = Schema::union(&UNION_MEMBERS);

// A recursive structure: a node holds a list of nodes and a node.
static NODE_MEMBERS: [Member; 3] = [
    Member::optional("a", &NODE_LIST),
    Member::optional("b", &NODE),
    Member::optional("c", &STRING_2_8),
];
static NODE: Schema = Schema::structure(&NODE_MEMBERS);
static NODE_LIST: Schema = Schema::list(&NODE, false);

// Lists of lists, without end.
static DEEP_LIST: Schema = Schema::list(&DEEP_LIST, false);
static DEEP_UNIQUE_LIST: Schema = Schema::list(&DEEP_UNIQUE_LIST, false).unique_items();

static ROOT_MEMBERS: [Member; 67] = [
    // @length
    Member::optional("string", &STRING_2_8),
    Member::optional("minString", &STRING_MIN_2),
    Member::optional("maxString", &STRING_MAX_8),
    Member::optional("maxOne", &STRING_MAX_1),
    Member::optional("blob", &BLOB_2_8),
    Member::optional("minBlob", &BLOB_MIN_2),
    Member::optional("list", &LIST_2_8),
    Member::optional("maxList", &LIST_MAX_2),
    Member::optional("map", &MAP_2_8),
    Member::optional("minMap", &MAP_MIN_2),
    Member::optional("stringList", &STRING_2_8_LIST),
    Member::optional("constrainedMap", &STRING_2_8_MAP),
    Member::optional("pointerMap", &STRING_2_8_VALUES),
    Member::optional("sparseList", &SPARSE_LIST),
    Member::optional("sparseMap", &SPARSE_MAP),
    // @range
    Member::optional("byte", &BYTE_2_8),
    Member::optional("minByte", &BYTE_MIN_2),
    Member::optional("maxByte", &BYTE_MAX_8),
    Member::optional("short", &SHORT_2_8),
    Member::optional("integer", &INTEGER_2_8),
    Member::optional("long", &LONG_2_8),
    Member::optional("float", &FLOAT_2_2_8_8),
    Member::optional("minFloat", &FLOAT_MIN_2_2),
    Member::optional("maxFloat", &FLOAT_MAX_8_8),
    Member::optional("double", &DOUBLE_2_2_8_8),
    Member::optional("bigInteger", &BIG_INTEGER_2_8),
    Member::optional("bigDecimal", &BIG_DECIMAL_2_2_8_8),
    Member::optional("longNearLimits", &LONG_NEAR_LIMITS),
    Member::optional("bigIntegerNearI64Max", &BIG_INTEGER_NEAR_I64_MAX),
    Member::optional("hugeBigInteger", &BIG_INTEGER_HUGE),
    Member::optional("preciseBigDecimal", &BIG_DECIMAL_MAX_0_3),
    // enum
    Member::optional("enum", &ENUM),
    Member::optional("intEnum", &INT_ENUM),
    Member::optional("enumList", &ENUM_LIST),
    Member::optional("enumMap", &ENUM_MAP),
    // @pattern
    Member::optional("pattern", &PATTERN_STRING),
    Member::optional("searched", &SEARCHED_STRING),
    Member::optional("evil", &EVIL_STRING),
    Member::optional("evilLookahead", &EVIL_LOOKAHEAD_STRING),
    Member::optional("emoticons", &EMOTICON_STRING),
    Member::optional("patternMap", &PATTERN_MAP),
    Member::optional("secret", &SECRET),
    Member::optional("secretMap", &SECRET_MAP),
    // @uniqueItems
    Member::optional("stringSet", &STRING_SET),
    Member::optional("integerSet", &INTEGER_SET),
    Member::optional("doubleSet", &DOUBLE_SET),
    Member::optional("booleanSet", &BOOLEAN_SET),
    Member::optional("blobSet", &BLOB_SET),
    Member::optional("dateTimeSet", &DATE_TIME_SET),
    Member::optional("listSet", &LIST_SET),
    Member::optional("structureSet", &STRUCTURE_SET),
    Member::optional("unionSet", &UNION_SET),
    Member::optional("constrainedSet", &STRING_2_8_SET),
    // @required, unions, recursion
    Member::optional("required", &REQUIRED),
    Member::optional("union", &UNION),
    Member::optional("node", &NODE),
    // No constraints: only the JSON form is checked.
    Member::optional("plainString", &STRING),
    Member::optional("plainInteger", &INTEGER),
    Member::optional("plainShort", &SHORT),
    Member::optional("plainLong", &LONG),
    Member::optional("plainFloat", &FLOAT),
    Member::optional("boolean", &BOOLEAN),
    Member::optional("plainBlob", &BLOB),
    Member::optional("epochSeconds", &EPOCH_SECONDS),
    Member::optional("dateTime", &DATE_TIME),
    Member::optional("httpDate", &HTTP_DATE),
    Member::optional("document", &DOCUMENT),
];
static ROOT: Schema = Schema::structure(&ROOT_MEMBERS);

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

mod support;

/// Checks `value` as a server checks a request: its JSON text read strictly into a typed
/// value (`support::Dyn`), which is then validated.
fn validate(value: &Value, schema: &'static Schema) -> Result<(), InputError> {
    support::check_json(value, schema).map(drop)
}

/// [`validate`] reading the `serde_json::Value` itself (what `from_json` does), for
/// values too deep to write as text without recursion.
fn validate_value(value: &Value, schema: &'static Schema) -> Result<(), InputError> {
    support::check_value(value, schema).map(drop)
}

#[track_caller]
fn assert_valid(value: Value) {
    assert_eq!(validate(&value, &ROOT), Ok(()), "input: {value}");
}

#[track_caller]
fn invalid(value: &Value) -> ValidationError {
    match validate(value, &ROOT) {
        Err(InputError::Invalid(error)) => error,
        other => panic!("expected violations for {value}, got {other:?}"),
    }
}

#[track_caller]
fn malformed(value: &Value) -> MalformedError {
    match validate(value, &ROOT) {
        Err(InputError::Malformed(error)) => error,
        other => panic!("expected a malformed input for {value}, got {other:?}"),
    }
}

/// Asserts that `value` breaks exactly the `expected` violations, in this order, and that
/// the summary message is Smithy's.
#[track_caller]
fn assert_violations(value: Value, expected: &[Violation]) {
    let error = invalid(&value);
    assert_eq!(error.violations(), expected, "input: {value}");
    assert_eq!(error.total(), expected.len());
    let messages: Vec<&str> = expected.iter().map(|v| v.message.as_str()).collect();
    let summary = if expected.len() == 1 {
        format!("1 validation error detected. {}", messages[0])
    } else {
        format!(
            "{} validation errors detected. {}",
            expected.len(),
            messages.join("; ")
        )
    };
    assert_eq!(error.message(), summary);
    assert_eq!(error.to_string(), summary);
    assert_eq!(InputError::Invalid(error).to_string(), summary);
}

#[track_caller]
fn assert_violation(value: Value, expected: &Violation) {
    assert_violations(value, std::slice::from_ref(expected));
}

/// A violation at `path`, its message as written. The helpers below write Smithy's
/// messages from the path, which each then names once.
fn violation(path: &str, message: &str) -> Violation {
    Violation {
        path: path.to_string(),
        message: message.to_string(),
    }
}

/// A violation whose message is Smithy's `text` in full, at the path the message names.
fn message(text: &str) -> Violation {
    let path = text
        .split('\'')
        .nth(1)
        .expect("Smithy's messages name the path");
    violation(path, text)
}

fn length(len: usize, path: &str, rule: &str) -> Violation {
    violation(
        path,
        &format!(
            "Value with length {len} at '{path}' failed to satisfy constraint: Member must have length {rule}"
        ),
    )
}

fn range(path: &str, rule: &str) -> Violation {
    violation(
        path,
        &format!("Value at '{path}' failed to satisfy constraint: Member must be {rule}"),
    )
}

fn pattern(path: &str, pattern: &str) -> Violation {
    violation(
        path,
        &format!(
            "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
        ),
    )
}

fn enum_set(path: &str, values: &str) -> Violation {
    violation(
        path,
        &format!(
            "Value at '{path}' failed to satisfy constraint: Member must satisfy enum value set: [{values}]"
        ),
    )
}

fn not_null(path: &str) -> Violation {
    violation(
        path,
        &format!("Value at '{path}' failed to satisfy constraint: Member must not be null"),
    )
}

fn unique(path: &str) -> Violation {
    violation(
        path,
        &format!("Value at '{path}' failed to satisfy constraint: Member must have unique values"),
    )
}

/// Asserts that each of `inputs` is valid.
#[track_caller]
fn assert_all_valid(inputs: impl IntoIterator<Item = Value>) {
    for input in inputs {
        assert_valid(input);
    }
}

/// Asserts that each input breaks exactly its one violation.
#[track_caller]
fn assert_each_violates(cases: impl IntoIterator<Item = (Value, Violation)>) {
    for (input, expected) in cases {
        assert_violation(input, &expected);
    }
}

/// The bounds of `@length(min: 2, max: 8)` and `@range(min: 2, max: 8)`, as messages say them.
const BETWEEN_2_AND_8: &str = "between 2 and 8, inclusive";

/// A JSON object of `n` entries `k000: "v"`, keys in sorted order.
fn object_of(n: usize) -> Value {
    Value::Object((0..n).map(|i| (format!("k{i:03}"), json!("v"))).collect())
}

fn list_of(n: usize) -> Value {
    Value::Array(vec![json!("x"); n])
}

fn blob_of(n: usize) -> Value {
    Value::String(base64::encode(&vec![0xAB; n]))
}

/// `n` lists nested in one another: `nested_lists(1)` is `[]`, its innermost
/// list sits `n - 1` levels below the top.
fn nested_lists(n: usize) -> Value {
    let mut value = json!([]);
    for _ in 1..n {
        value = Value::Array(vec![value]);
    }
    value
}

/// Drops a deeply nested value without recursion (the derived drop recurses
/// once per level and would overflow the stack).
fn drop_deep(mut value: Value) {
    loop {
        value = match value {
            Value::Array(mut items) => match items.pop() {
                Some(inner) => inner,
                None => return,
            },
            Value::Object(mut map) => match map.keys().next().cloned() {
                Some(key) => map.remove(&key).unwrap_or(Value::Null),
                None => return,
            },
            _ => return,
        };
    }
}

// ---------------------------------------------------------------------------
// @length
// ---------------------------------------------------------------------------

#[test]
fn string_length_boundaries() {
    assert_valid(json!({"string": "ab"}));
    assert_valid(json!({"string": "abcdefgh"}));
    assert_violation(
        json!({"string": "a"}),
        &message(
            "Value with length 1 at '/string' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
    );
    assert_violation(
        json!({"string": "abcdefghi"}),
        &message(
            "Value with length 9 at '/string' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
    );
}

#[test]
fn one_sided_length_messages() {
    assert_all_valid([
        json!({"minString": "ab"}),
        json!({"minString": "a".repeat(10_000)}),
        json!({"maxString": ""}),
        json!({"maxString": "abcdefgh"}),
        json!({"maxList": []}),
    ]);
    assert_violation(
        json!({"minString": "a"}),
        &message(
            "Value with length 1 at '/minString' failed to satisfy constraint: Member must have length greater than or equal to 2",
        ),
    );
    assert_violation(
        json!({"maxString": "abcdefghijklmnopqrstuvwxyz"}),
        &message(
            "Value with length 26 at '/maxString' failed to satisfy constraint: Member must have length less than or equal to 8",
        ),
    );
    let at_least_2 = "greater than or equal to 2";
    assert_each_violates([
        (
            json!({"minBlob": blob_of(1)}),
            length(1, "/minBlob", at_least_2),
        ),
        (
            json!({"maxList": list_of(3)}),
            length(3, "/maxList", "less than or equal to 2"),
        ),
        (
            json!({"minMap": {"a": "b"}}),
            length(1, "/minMap", at_least_2),
        ),
    ]);
}

#[test]
fn empty_values_have_length_zero() {
    assert_violation(
        json!({"string": ""}),
        &message(
            "Value with length 0 at '/string' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
    );
    for (member, empty) in [("list", json!([])), ("map", json!({})), ("blob", json!(""))] {
        let path = format!("/{member}");
        assert_violation(json!({member: empty}), &length(0, &path, BETWEEN_2_AND_8));
    }
}

#[test]
fn string_length_counts_code_points() {
    // One code point, though four UTF-8 bytes and two UTF-16 code units.
    assert_valid(json!({"maxOne": "👍"}));
    // é composed (U+00E9) is one code point; decomposed (e + U+0301) is two.
    assert_valid(json!({"maxOne": "\u{e9}"}));
    for two in ["e\u{301}", "👍👍"] {
        assert_violation(
            json!({"maxOne": two}),
            &length(2, "/maxOne", "less than or equal to 1"),
        );
    }
    // Eight emoji fit 2..8 (32 bytes); nine do not, and are counted as nine.
    assert_valid(json!({"string": "😀".repeat(8)}));
    assert_violation(
        json!({"string": "😀".repeat(9)}),
        &length(9, "/string", BETWEEN_2_AND_8),
    );
}

/// `member`, under `@length(min: 2, max: 8)`, holding `of(n)` (a value of length `n`):
/// lengths 2 and 8 are valid, 1 and 9 break the bounds.
#[track_caller]
fn assert_length_2_to_8(member: &str, of: fn(usize) -> Value) {
    let path = format!("/{member}");
    for n in [2, 8] {
        assert_valid(json!({member: of(n)}));
    }
    for n in [1, 9] {
        assert_violation(json!({member: of(n)}), &length(n, &path, BETWEEN_2_AND_8));
    }
}

#[test]
fn blob_length_counts_decoded_bytes() {
    assert_length_2_to_8("blob", blob_of);
    // 8 bytes are 12 base64 characters: the limit applies to the bytes.
    assert_eq!(blob_of(8).as_str().unwrap().len(), 12);
    assert_valid(json!({"blob": "YWJj"})); // "abc"
}

#[test]
fn list_length_counts_entries() {
    assert_length_2_to_8("list", list_of);
}

#[test]
fn map_length_counts_entries() {
    assert_length_2_to_8("map", object_of);
}

// ---------------------------------------------------------------------------
// @range
// ---------------------------------------------------------------------------

#[test]
fn integer_ranges_at_their_boundaries() {
    for member in ["byte", "short", "integer", "long", "bigInteger"] {
        let expected = message(&format!(
            "Value at '/{member}' failed to satisfy constraint: Member must be between 2 and 8, inclusive"
        ));
        assert_all_valid([json!({member: 2}), json!({member: 8})]);
        for outside in [1, 9, -100] {
            assert_violation(json!({member: outside}), &expected);
        }
    }
}

#[test]
fn one_sided_range_messages() {
    assert_all_valid([
        json!({"minByte": 2}),
        json!({"minByte": 127}),
        json!({"maxByte": -128}),
        json!({"maxByte": 8}),
        json!({"minFloat": 2.2}),
        json!({"maxFloat": 8.8}),
    ]);
    assert_each_violates([
        (
            json!({"minByte": 1}),
            message(
                "Value at '/minByte' failed to satisfy constraint: Member must be greater than or equal to 2",
            ),
        ),
        (
            json!({"maxByte": 9}),
            message(
                "Value at '/maxByte' failed to satisfy constraint: Member must be less than or equal to 8",
            ),
        ),
        (
            json!({"minFloat": 2.1}),
            message(
                "Value at '/minFloat' failed to satisfy constraint: Member must be greater than or equal to 2.2",
            ),
        ),
        (
            json!({"maxFloat": 8.9}),
            message(
                "Value at '/maxFloat' failed to satisfy constraint: Member must be less than or equal to 8.8",
            ),
        ),
    ]);
}

#[test]
fn decimal_bounds_on_floats_doubles_and_big_decimals() {
    let rule = "between 2.2 and 8.8, inclusive";
    for member in ["float", "double", "bigDecimal"] {
        let expected = range(&format!("/{member}"), rule);
        assert_all_valid([2.2, 2.200001, 8.8].map(|n| json!({member: n})));
        assert_valid(json!({member: 5}));
        for outside in [2.1, 2.199999, 8.800001, 8.9, 1e300, -8.8] {
            assert_violation(json!({member: outside}), &expected);
        }
    }
    // Integers written in JSON compare against decimal bounds too.
    for outside in [2, 9] {
        assert_violation(json!({"double": outside}), &range("/double", rule));
    }
}

#[test]
fn infinities_are_out_of_a_bounded_range() {
    for member in ["float", "double"] {
        let expected = range(&format!("/{member}"), "between 2.2 and 8.8, inclusive");
        for infinity in ["Infinity", "-Infinity"] {
            assert_violation(json!({member: infinity}), &expected);
        }
    }
    assert_all_valid(["Infinity", "-Infinity", "NaN"].map(|n| json!({"plainFloat": n})));
}

#[test]
fn big_values_are_compared_exactly() {
    let max = range(
        "/longNearLimits",
        "between -9223372036854775807 and 9223372036854775806, inclusive",
    );
    // i64::MAX is one above the bound: an f64 comparison would call them equal.
    assert_violation(json!({"longNearLimits": i64::MAX}), &max);
    assert_valid(json!({"longNearLimits": 9_223_372_036_854_775_806_i64}));
    assert_violation(json!({"longNearLimits": i64::MIN}), &max);
    assert_valid(json!({"longNearLimits": -9_223_372_036_854_775_807_i64}));

    let near_max = range(
        "/bigIntegerNearI64Max",
        "less than or equal to 9223372036854775806",
    );
    assert_violation(json!({"bigIntegerNearI64Max": i64::MAX}), &near_max);
    assert_violation(json!({"bigIntegerNearI64Max": u64::MAX}), &near_max);
    assert_valid(json!({"bigIntegerNearI64Max": 9_223_372_036_854_775_806_i64}));
    assert_valid(json!({"bigIntegerNearI64Max": i64::MIN}));

    // Parsed from text, as a server reads them.
    let from_text: Value =
        serde_json::from_str(r#"{"longNearLimits": 9223372036854775807}"#).unwrap();
    assert_violation(from_text, &max);
}

/// The violations found in the JSON text `body` (read as a server reads it).
#[track_caller]
fn text_violations(body: &[u8]) -> Vec<Violation> {
    match support::check_text(body, &ROOT) {
        Err(InputError::Invalid(error)) => error.violations().to_vec(),
        other => panic!("{other:?}"),
    }
}

/// Big numbers are read from the request's text as written, so a bigInteger beyond u64
/// is compared exactly: 10^20 + 1 breaks `@range(max: 10^20)` (it once reached the
/// validator as an f64, rounded to 10^20).
#[test]
fn big_integers_beyond_64_bits_are_range_checked_exactly() {
    assert_eq!(
        text_violations(br#"{"hugeBigInteger": 100000000000000000001}"#),
        [range(
            "/hugeBigInteger",
            "between -100000000000000000000 and 100000000000000000000, inclusive",
        )]
    );
    assert!(support::check_text(br#"{"hugeBigInteger": 100000000000000000000}"#, &ROOT).is_ok());
}

/// Likewise a bigDecimal: 0.30000000000000000001 breaks `@range(max: 0.3)` (as an f64 it
/// was 0.3).
#[test]
fn big_decimals_are_range_checked_exactly() {
    assert_eq!(
        text_violations(br#"{"preciseBigDecimal": 0.30000000000000000001}"#),
        [range("/preciseBigDecimal", "less than or equal to 0.3")]
    );
    assert!(support::check_text(br#"{"preciseBigDecimal": 0.3}"#, &ROOT).is_ok());
}

#[test]
fn compare_numbers_is_exact() {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let cases = [
        ("9223372036854775807", "9223372036854775806", Some(Greater)),
        ("9223372036854775806", "9223372036854775807", Some(Less)),
        (
            "18446744073709551616",
            "18446744073709551615",
            Some(Greater),
        ),
        ("100000000000000000000000000001", "1e29", Some(Greater)),
        ("2.2", "2.2", Some(Equal)),
        ("2.20", "2.2", Some(Equal)),
        ("88e-1", "8.8", Some(Equal)),
        ("0.88E1", "8.8", Some(Equal)),
        ("1e2", "100", Some(Equal)),
        ("0.1", "1e-1", Some(Equal)),
        ("0.30000000000000000001", "0.3", Some(Greater)),
        ("-0", "0", Some(Equal)),
        ("-0.0", "0", Some(Equal)),
        ("-5", "-10", Some(Greater)),
        ("-10", "-5", Some(Less)),
        ("-1", "1", Some(Less)),
        ("0", "0.000001", Some(Less)),
        ("007", "7", Some(Equal)),
        ("Infinity", "1e308", Some(Greater)),
        ("-Infinity", "-1e308", Some(Less)),
        ("Infinity", "Infinity", Some(Equal)),
        ("NaN", "1", None),
        ("1", "NaN", None),
        ("abc", "1", None),
        ("", "1", None),
    ];
    for (a, b, expected) in cases {
        assert_eq!(compare_numbers(a, b), expected, "{a} vs {b}");
    }
}

// ---------------------------------------------------------------------------
// enum / intEnum
// ---------------------------------------------------------------------------

#[test]
fn enum_values_with_an_internal_one() {
    // "ghi" is @internal: accepted, but not listed in messages.
    assert_all_valid(["abc", "jkl", "ghi"].map(|v| json!({"enum": v})));
    let expected = message(
        "Value at '/enum' failed to satisfy constraint: Member must satisfy enum value set: [abc, def, jkl]",
    );
    for value in ["xyz", "ABC", "", "abc "] {
        assert_violation(json!({"enum": value}), &expected);
    }
}

#[test]
fn int_enum_values_with_an_internal_one() {
    // 2 is @internal.
    assert_all_valid([1, 3, 2].map(|v| json!({"intEnum": v})));
    let expected = message(
        "Value at '/intEnum' failed to satisfy constraint: Member must satisfy enum value set: [1, 3]",
    );
    for value in [4, 0, -1] {
        assert_violation(json!({"intEnum": value}), &expected);
    }
    // Not an integer at all: malformed, not a violation.
    assert!(matches!(
        validate(&json!({"intEnum": "1"}), &ROOT),
        Err(InputError::Malformed(_))
    ));
}

#[test]
fn enums_in_lists_and_maps() {
    let values = "abc, def, jkl";
    assert_each_violates([
        (
            json!({"enumList": ["abc", "xyz"]}),
            enum_set("/enumList/1", values),
        ),
        // A map key is reported at the map's path, a value below it.
        (
            json!({"enumMap": {"xyz": "abc"}}),
            enum_set("/enumMap", values),
        ),
        (
            json!({"enumMap": {"abc": "xyz"}}),
            enum_set("/enumMap/abc", values),
        ),
    ]);
    assert_valid(json!({"enumMap": {"abc": "ghi", "ghi": "def"}}));
}

// ---------------------------------------------------------------------------
// @pattern
// ---------------------------------------------------------------------------

#[test]
fn pattern_messages_carry_the_pattern_as_written() {
    assert_valid(json!({"pattern": "abc"}));
    assert_violation(
        json!({"pattern": "xyz"}),
        &message(
            "Value at '/pattern' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$",
        ),
    );
    for value in ["", "abcn"] {
        assert_violation(json!({"pattern": value}), &pattern("/pattern", "^[a-m]+$"));
    }
}

#[test]
fn patterns_are_searched_not_anchored() {
    assert_all_valid([json!({"searched": "zzaz"}), json!({"searched": "m"})]);
    for value in ["xyz", ""] {
        assert_violation(json!({"searched": value}), &pattern("/searched", "[a-m]"));
    }
}

/// The violations of a hostile input for `member`'s pattern, failing if the check took
/// anything like the time catastrophic backtracking would.
#[track_caller]
fn hostile_pattern_violations(member: &str) -> Vec<Violation> {
    let input = json!({member: "1".repeat(100_000) + "a"});
    let started = Instant::now();
    let result = validate(&input, &ROOT);
    let elapsed = started.elapsed();
    // A watchdog, not a speed check: catastrophic backtracking would never finish.
    assert!(elapsed < Duration::from_secs(60), "took {elapsed:?}");
    let Err(InputError::Invalid(error)) = result else {
        panic!("expected a violation, got {result:?}")
    };
    error.violations().to_vec()
}

#[test]
fn nested_quantifier_redos_pattern_finishes_quickly() {
    assert_eq!(
        hostile_pattern_violations("evil"),
        [message(
            "Value at '/evil' failed to satisfy constraint: Member must satisfy regular expression pattern: ^([0-9]+)+$"
        )]
    );
    assert_valid(json!({"evil": "1".repeat(100_000)}));
}

#[test]
fn backtracking_pattern_is_bounded_and_refuses() {
    // A lookahead needs the backtracking engine; its limit turns into a
    // refusal, quickly.
    assert_eq!(
        hostile_pattern_violations("evilLookahead")[0].message,
        pattern("/evilLookahead", "^(?=[0-9])([0-9]+)+$").message
    );
    assert_valid(json!({"evilLookahead": "0123456789"}));
}

#[test]
fn surrogate_pair_patterns_match_code_points() {
    assert_valid(json!({"emoticons": "😀"}));
    assert_valid(json!({"emoticons": "😀🙏"})); // U+1F600 and U+1F64F, both ends
    let expected = pattern("/emoticons", r"^[\uD83D\uDE00-\uD83D\uDE4F]+$");
    // "🚀" is U+1F680.
    for value in ["a", "🚀", "😀a"] {
        assert_violation(json!({"emoticons": value}), &expected);
    }
}

#[test]
fn patterns_on_map_keys_and_values() {
    assert_each_violates([
        (
            json!({"patternMap": {"xyz": "abc"}}),
            pattern("/patternMap", "^[a-m]+$"),
        ),
        (
            json!({"patternMap": {"abc": "xyz"}}),
            pattern("/patternMap/abc", "^[a-m]+$"),
        ),
    ]);
}

#[test]
fn sensitive_values_never_appear_in_messages() {
    const SECRET_VALUE: &str = "HUNTER2zzSECRET";
    let input = json!({
        "secret": SECRET_VALUE,
        "secretMap": {"abc": SECRET_VALUE},
        "enum": SECRET_VALUE,
    });
    let error = invalid(&input);
    assert_eq!(
        error.violations(),
        [
            enum_set("/enum", "abc, def, jkl"),
            length(15, "/secret", "between 1 and 8, inclusive"),
            pattern("/secret", "^[a-m]+$"),
            enum_set("/secret", "abc"),
            length(15, "/secretMap/abc", "between 1 and 8, inclusive"),
            pattern("/secretMap/abc", "^[a-m]+$"),
            enum_set("/secretMap/abc", "abc"),
        ]
    );
    let everything = format!(
        "{} {:?} {}",
        error.message(),
        error,
        InputError::Invalid(error.clone())
    );
    assert!(!everything.contains(SECRET_VALUE), "{everything}");
    assert!(!everything.contains("HUNTER"), "{everything}");

    // Malformed values are not echoed either.
    for input in [
        json!({"blob": "HUNTER2 is not base64!"}),
        json!({"dateTime": "HUNTER2-not-a-date"}),
        json!({"integer": "HUNTER2"}),
    ] {
        let error = malformed(&input);
        let text = format!("{error} {error:?}");
        assert!(!text.contains("HUNTER2"), "{text}");
    }
}

// ---------------------------------------------------------------------------
// @uniqueItems
// ---------------------------------------------------------------------------

/// Asserts that each list of `duplicated` breaks `member`'s `@uniqueItems`.
#[track_caller]
fn assert_not_unique(member: &str, duplicated: impl IntoIterator<Item = Value>) {
    let expected = unique(&format!("/{member}"));
    for list in duplicated {
        assert_violation(json!({member: list}), &expected);
    }
}

#[test]
fn unique_strings() {
    assert_all_valid([
        json!({"stringSet": []}),
        json!({"stringSet": ["a", "b", "c"]}),
        // Different code points, even if they render alike.
        json!({"stringSet": ["\u{e9}", "e\u{301}"]}),
    ]);
    assert_violation(
        json!({"stringSet": ["a", "b", "a"]}),
        &message(
            "Value at '/stringSet' failed to satisfy constraint: Member must have unique values",
        ),
    );
    assert_not_unique("stringSet", [json!(["", ""])]);
}

#[test]
fn unique_numbers_booleans_blobs() {
    assert_all_valid([
        json!({"integerSet": [1, 2, 3]}),
        json!({"doubleSet": [1.5, 2.5]}),
        json!({"booleanSet": [true, false]}),
        json!({"blobSet": ["YWJj", "YWJk"]}),
    ]);
    assert_not_unique("integerSet", [json!([1, 2, 1])]);
    assert_not_unique("doubleSet", [json!([1.5, 2.5, 1.5])]);
    assert_not_unique("booleanSet", [json!([true, true]), json!([false, false])]);
    assert_not_unique("blobSet", [json!(["YWJj", "YWJj"])]);
}

#[test]
fn unique_doubles_compare_by_value() {
    assert_not_unique("doubleSet", [json!([1, 1.0])]);
}

#[test]
fn unique_blobs_compare_by_value() {
    assert_not_unique("blobSet", [json!(["YQ==", "YQ"])]);
}

#[test]
fn unique_timestamps_compare_by_value() {
    let same = json!(["1985-04-12T23:20:50.52Z", "1985-04-12T23:20:50.520Z"]);
    assert_not_unique("dateTimeSet", [same]);
}

#[test]
fn unique_structures_ignore_null_members() {
    assert_not_unique(
        "structureSet",
        [json!([{"hi": "a"}, {"hi": "a", "n": null}])],
    );
}

#[test]
fn unique_structures_regardless_of_key_order() {
    assert_valid(json!({"structureSet": [{"hi": "a", "n": 1}, {"hi": "a", "n": 2}]}));
    assert_valid(json!({"structureSet": [{"hi": "a"}, {"n": 1}]}));
    // Parsed from text so that the two objects really are written in a
    // different order.
    let input: Value =
        serde_json::from_str(r#"{"structureSet": [{"hi": "a", "n": 1}, {"n": 1, "hi": "a"}]}"#)
            .unwrap();
    assert_violation(input, &unique("/structureSet"));
}

#[test]
fn unique_nested_lists_and_unions() {
    assert_all_valid([
        json!({"listSet": [["a", "b"], ["b", "a"]]}),
        json!({"listSet": [[], ["a"]]}),
        json!({"unionSet": [{"first": "abc"}, {"second": 3}]}),
    ]);
    assert_not_unique(
        "listSet",
        [json!([["a", "b"], ["a", "b"]]), json!([[], []])],
    );
    assert_not_unique(
        "unionSet",
        [
            json!([{"first": "abc"}, {"first": "abc"}]),
            json!([{"second": 3}, {"second": 3}]),
        ],
    );
}

#[test]
fn uniqueness_and_member_violations_are_all_reported() {
    assert_violations(
        json!({"constrainedSet": ["a", "ab", "a"]}),
        &[
            unique("/constrainedSet"),
            length(1, "/constrainedSet/0", BETWEEN_2_AND_8),
            length(1, "/constrainedSet/2", BETWEEN_2_AND_8),
        ],
    );
}

// ---------------------------------------------------------------------------
// @required
// ---------------------------------------------------------------------------

#[test]
fn required_members_missing_or_null() {
    let both = [
        message(
            "Value at '/required/string' failed to satisfy constraint: Member must not be null",
        ),
        message(
            "Value at '/required/integer' failed to satisfy constraint: Member must not be null",
        ),
    ];
    assert_violations(json!({"required": {}}), &both);
    assert_violations(
        json!({"required": {"string": null, "integer": null}}),
        &both,
    );
    assert_each_violates([
        (
            json!({"required": {"integer": 1}}),
            not_null("/required/string"),
        ),
        (
            json!({"required": {"string": "", "integer": null}}),
            not_null("/required/integer"),
        ),
    ]);
    // An optional member may be null.
    assert_valid(json!({"required": {"string": "", "integer": 0, "other": null}}));
    // So may an optional member of the root.
    assert_valid(json!({"string": null, "required": null}));
}

// ---------------------------------------------------------------------------
// Through lists, maps, unions, recursion
// ---------------------------------------------------------------------------

#[test]
fn constraints_on_list_members() {
    assert_violations(
        json!({"stringList": ["ab", "a", "abcdefghi", "abcdefgh"]}),
        &[
            length(1, "/stringList/1", BETWEEN_2_AND_8),
            length(9, "/stringList/2", BETWEEN_2_AND_8),
        ],
    );
}

#[test]
fn map_keys_are_reported_at_the_map_and_values_below_it() {
    assert_violation(
        json!({"constrainedMap": {"a": "ab"}}),
        &message(
            "Value with length 1 at '/constrainedMap' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
    );
    assert_violation(
        json!({"constrainedMap": {"ab": "a"}}),
        &message(
            "Value with length 1 at '/constrainedMap/ab' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
    );
    // Key and value both bad: the key first, then its value.
    assert_violations(
        json!({"constrainedMap": {"a": "b", "cd": "efghijklm"}}),
        &[
            length(1, "/constrainedMap", BETWEEN_2_AND_8),
            length(1, "/constrainedMap/a", BETWEEN_2_AND_8),
            length(9, "/constrainedMap/cd", BETWEEN_2_AND_8),
        ],
    );
}

#[test]
/// Map entries are checked in key order, whatever the JSON order or the map type, so the
/// message never depends on hashing or on serde_json's features.
fn map_entry_violations_are_in_key_order() {
    let input: Value =
        serde_json::from_str(r#"{"constrainedMap": {"zz": "x", "aa": "x"}}"#).unwrap();
    assert_violations(
        input,
        &[
            length(1, "/constrainedMap/aa", BETWEEN_2_AND_8),
            length(1, "/constrainedMap/zz", BETWEEN_2_AND_8),
        ],
    );
}

#[test]
fn map_keys_are_escaped_as_json_pointer() {
    assert_violations(
        json!({"pointerMap": {"a/b": "x", "c~d": "x", "~1": "x"}}),
        &[
            length(1, "/pointerMap/a~1b", BETWEEN_2_AND_8),
            length(1, "/pointerMap/c~0d", BETWEEN_2_AND_8),
            length(1, "/pointerMap/~01", BETWEEN_2_AND_8),
        ],
    );
    // Keys are not decoded either: "~1" stays "~1" and becomes "~01".
    assert_violation(
        json!({"pointerMap": {"": "x"}}),
        &length(1, "/pointerMap/", BETWEEN_2_AND_8),
    );
}

#[test]
fn constraints_inside_unions() {
    assert_valid(json!({"union": {"first": "abc"}}));
    assert_valid(json!({"union": {"second": 5}}));
    assert_violation(
        json!({"union": {"first": "xyz"}}),
        &message(
            "Value at '/union/first' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$",
        ),
    );
    assert_violation(
        json!({"union": {"second": 9}}),
        &range("/union/second", BETWEEN_2_AND_8),
    );
    // Null members do not count as set.
    assert_violation(
        json!({"union": {"first": null, "second": 1}}),
        &range("/union/second", BETWEEN_2_AND_8),
    );
}

#[test]
fn recursive_structure_three_levels_deep() {
    let node = json!({"a": [{"b": {"c": "x"}}]});
    let text = "Value with length 1 at '/a/0/b/c' failed to satisfy constraint: Member must have length between 2 and 8, inclusive";
    match validate(&node, &NODE) {
        Err(InputError::Invalid(error)) => {
            assert_eq!(error.violations(), [message(text)]);
            assert_eq!(
                error.message(),
                format!("1 validation error detected. {text}")
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(validate(&json!({"a": [{"b": {"c": "xy"}}]}), &NODE), Ok(()));
    // The same below a member of the root.
    assert_violation(
        json!({"node": {"b": {"a": [{"c": "ok"}, {"b": {"b": {"c": "abcdefghij"}}}]}}}),
        &length(10, "/node/b/a/1/b/b/c", BETWEEN_2_AND_8),
    );
}

// ---------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------

#[test]
fn wrong_json_types_are_malformed_not_invalid() {
    let cases = [
        (json!({"string": 5}), "/string"),
        (json!({"string": ["ab"]}), "/string"),
        (json!({"plainString": true}), "/plainString"),
        (json!({"list": {"a": "b"}}), "/list"),
        (json!({"list": "ab"}), "/list"),
        (json!({"map": ["a", "b"]}), "/map"),
        (json!({"required": "x"}), "/required"),
        (json!({"required": ["x"]}), "/required"),
        (json!({"integer": "5"}), "/integer"),
        (json!({"integer": 5.5}), "/integer"),
        (json!({"integer": 2_147_483_648_i64}), "/integer"),
        (json!({"plainInteger": -2_147_483_649_i64}), "/plainInteger"),
        (json!({"byte": 128}), "/byte"),
        (json!({"byte": -129}), "/byte"),
        (json!({"plainShort": 32_768}), "/plainShort"),
        (
            json!({"plainLong": 9_223_372_036_854_775_808_u64}),
            "/plainLong",
        ),
        (json!({"boolean": "true"}), "/boolean"),
        (json!({"boolean": 1}), "/boolean"),
        (json!({"float": "nan"}), "/float"),
        (json!({"double": true}), "/double"),
        (json!({"double": "8"}), "/double"),
        (json!({"bigInteger": "5"}), "/bigInteger"),
        (json!({"bigInteger": 5.5}), "/bigInteger"),
        (json!({"bigDecimal": "5.5"}), "/bigDecimal"),
        (json!({"blob": 5}), "/blob"),
        (json!({"blob": "not base64!"}), "/blob"),
        (json!({"plainBlob": "YWJ"}), "/plainBlob"),
        (
            json!({"epochSeconds": "2020-01-01T00:00:00Z"}),
            "/epochSeconds",
        ),
        (json!({"dateTime": 0}), "/dateTime"),
        (json!({"dateTime": "yesterday"}), "/dateTime"),
        (json!({"httpDate": "2020-01-01T00:00:00Z"}), "/httpDate"),
        (json!({"enum": 1}), "/enum"),
        (json!({"stringList": ["ab", 5]}), "/stringList/1"),
        (json!({"stringList": ["ab", null]}), "/stringList/1"),
        (
            json!({"constrainedMap": {"ab": null}}),
            "/constrainedMap/ab",
        ),
        (json!({"constrainedMap": {"ab": 1}}), "/constrainedMap/ab"),
        (json!({"union": "abc"}), "/union"),
        (json!({"union": {}}), "/union"),
        (json!({"union": {"first": null}}), "/union"),
        (json!({"union": {"first": "abc", "second": 3}}), "/union"),
        (json!({"union": {"third": 3}}), "/union"),
        (json!({"union": {"first": 3}}), "/union/first"),
        (json!({"node": {"a": [{"b": {"c": 5}}]}}), "/node/a/0/b/c"),
        (json!({"node": {"a": {}}}), "/node/a"),
        (json!({"pointerMap": {"a/b": 5}}), "/pointerMap/a~1b"),
        (json!([]), ""),
        (json!("string"), ""),
        (json!(null), ""),
    ];
    for (input, path) in cases {
        let error = malformed(&input);
        assert_eq!(error.path, path, "input: {input}, error: {error}");
        assert!(!error.reason.is_empty());
    }
}

#[test]
fn malformed_wins_over_violations() {
    // Violations before and after the malformed value do not matter: the
    // request is not of the right form, which is reported first.
    let input = json!({"string": "a", "integer": "5", "enum": "xyz"});
    assert_eq!(malformed(&input).path, "/integer");
}

#[test]
fn forms_that_are_accepted() {
    assert_valid(json!({}));
    assert_valid(json!({"unknownMember": [1, 2, {"x": null}]}));
    assert_valid(json!({"sparseList": ["ab", null, "cd"]}));
    assert_valid(json!({"sparseMap": {"a": null, "b": "cd"}}));
    assert_violation(
        json!({"sparseList": [null, "x"]}),
        &length(1, "/sparseList/1", BETWEEN_2_AND_8),
    );
    assert_valid(json!({"document": {"anything": [1, null, "x", {"deep": true}]}}));
    assert_valid(json!({"document": null}));
    assert_valid(json!({"epochSeconds": 1_676_660_607}));
    assert_valid(json!({"epochSeconds": 1_676_660_607.5}));
    assert_valid(json!({"dateTime": "1985-04-12T23:20:50.52Z"}));
    assert_valid(json!({"httpDate": "Tue, 29 Apr 2014 18:30:38 GMT"}));
    assert_valid(json!({"plainFloat": 1.5, "plainLong": i64::MIN, "boolean": false}));
    assert_valid(json!({"union": {"first": "abc", "__type": "ignored"}}));
}

// ---------------------------------------------------------------------------
// Several violations, limits
// ---------------------------------------------------------------------------

#[test]
fn every_violation_is_reported_in_order() {
    let input = json!({
        "string": "a",
        "minString": "b",
        "list": ["x"],
        "integer": 1,
        "enum": "xyz",
        "pattern": "zzz",
        "stringSet": ["a", "a"],
        "required": {},
    });
    let expected = [
        message(
            "Value with length 1 at '/string' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
        message(
            "Value with length 1 at '/minString' failed to satisfy constraint: Member must have length greater than or equal to 2",
        ),
        message(
            "Value with length 1 at '/list' failed to satisfy constraint: Member must have length between 2 and 8, inclusive",
        ),
        message(
            "Value at '/integer' failed to satisfy constraint: Member must be between 2 and 8, inclusive",
        ),
        message(
            "Value at '/enum' failed to satisfy constraint: Member must satisfy enum value set: [abc, def, jkl]",
        ),
        message(
            "Value at '/pattern' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$",
        ),
        message(
            "Value at '/stringSet' failed to satisfy constraint: Member must have unique values",
        ),
        message(
            "Value at '/required/string' failed to satisfy constraint: Member must not be null",
        ),
        message(
            "Value at '/required/integer' failed to satisfy constraint: Member must not be null",
        ),
    ];
    assert_violations(input.clone(), &expected);
    assert_eq!(
        invalid(&input).message(),
        "9 validation errors detected. \
         Value with length 1 at '/string' failed to satisfy constraint: Member must have length between 2 and 8, inclusive; \
         Value with length 1 at '/minString' failed to satisfy constraint: Member must have length greater than or equal to 2; \
         Value with length 1 at '/list' failed to satisfy constraint: Member must have length between 2 and 8, inclusive; \
         Value at '/integer' failed to satisfy constraint: Member must be between 2 and 8, inclusive; \
         Value at '/enum' failed to satisfy constraint: Member must satisfy enum value set: [abc, def, jkl]; \
         Value at '/pattern' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-m]+$; \
         Value at '/stringSet' failed to satisfy constraint: Member must have unique values; \
         Value at '/required/string' failed to satisfy constraint: Member must not be null; \
         Value at '/required/integer' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn one_value_can_break_several_constraints() {
    assert_violations(
        json!({"secret": ""}),
        &[
            length(0, "/secret", "between 1 and 8, inclusive"),
            pattern("/secret", "^[a-m]+$"),
            enum_set("/secret", "abc"),
        ],
    );
}

#[test]
fn violations_beyond_the_limit_are_counted_not_kept() {
    // Exactly the limit: all kept.
    let error = invalid(&json!({"stringList": vec!["a"; MAX_VIOLATIONS]}));
    assert_eq!(error.total(), MAX_VIOLATIONS);
    assert_eq!(error.violations().len(), MAX_VIOLATIONS);

    let count = MAX_VIOLATIONS * 2 + 50;
    let error = invalid(&json!({"stringList": vec!["a"; count]}));
    assert_eq!(error.total(), count);
    assert_eq!(error.violations().len(), MAX_VIOLATIONS);
    // The first ones, in order.
    for (i, found) in error.violations().iter().enumerate() {
        assert_eq!(
            *found,
            length(1, &format!("/stringList/{i}"), BETWEEN_2_AND_8)
        );
    }
    let message = error.message();
    let prefix = format!("{count} validation errors detected. ");
    assert!(message.starts_with(&prefix), "{message}");
    let parts: Vec<&str> = message[prefix.len()..].split("; ").collect();
    assert_eq!(parts.len(), MAX_VIOLATIONS);
    let last = length(
        1,
        &format!("/stringList/{}", MAX_VIOLATIONS - 1),
        BETWEEN_2_AND_8,
    );
    assert_eq!(parts[MAX_VIOLATIONS - 1], last.message);
}

#[test]
fn nesting_depth_is_bounded() {
    // The top value is at depth 0; a value below MAX_DEPTH enclosing values
    // is still accepted, one more level is not.
    assert_eq!(validate(&nested_lists(MAX_DEPTH), &DEEP_LIST), Ok(()));
    assert_eq!(validate(&nested_lists(MAX_DEPTH + 1), &DEEP_LIST), Ok(()));
    match validate(&nested_lists(MAX_DEPTH + 2), &DEEP_LIST) {
        Err(InputError::Malformed(error)) => {
            assert_eq!(error.path, "/0".repeat(MAX_DEPTH + 1));
        }
        other => panic!("{other:?}"),
    }
}

/// Asserts that `value`, nested too deep to write as text, is malformed for `schema`; then
/// drops it without recursion.
#[track_caller]
fn assert_too_deep(value: Value, schema: &'static Schema) {
    assert!(matches!(
        validate_value(&value, schema),
        Err(InputError::Malformed(_))
    ));
    drop_deep(value);
}

#[test]
fn very_deep_input_is_malformed_without_overflowing_the_stack() {
    assert_too_deep(nested_lists(200_000), &DEEP_LIST);

    // A recursive structure, through structure members.
    let mut node = json!({"c": "x"});
    for _ in 0..200_000 {
        // Not `json!`, which would serialize `node` again (recursively).
        let mut object = serde_json::Map::new();
        object.insert("b".into(), node);
        node = Value::Object(object);
    }
    assert_too_deep(node, &NODE);
}

#[test]
fn very_deep_input_in_a_unique_list_is_malformed() {
    assert_too_deep(nested_lists(200_000), &DEEP_UNIQUE_LIST);
}

// ---------------------------------------------------------------------------
// validate_typed, from_json
// ---------------------------------------------------------------------------

// A structure as generated code writes it: `string` is required.
include!("../src/test_structure.rs");

test_structure!(Typed: TYPED, {
    0 => string: String = required("string", &STRING_2_8),
    1 => integer: Option<i32> = optional("integer", &INTEGER_2_8),
});

#[test]
fn typed_values_and_from_json() {
    let good = Typed {
        string: "abc".into(),
        integer: Some(5),
    };
    assert_eq!(validate_typed(&good), Ok(()));
    let bad = Typed {
        string: "a".into(),
        integer: Some(9),
    };
    match validate_typed(&bad) {
        Err(InputError::Invalid(error)) => assert_eq!(
            error.violations(),
            [
                length(1, "/string", BETWEEN_2_AND_8),
                range("/integer", BETWEEN_2_AND_8),
            ]
        ),
        other => panic!("{other:?}"),
    }

    assert_eq!(
        from_json::<Typed>(&json!({"string": "abc", "integer": 5})),
        Ok(good)
    );
    assert!(matches!(
        from_json::<Typed>(&json!({"string": "a"})),
        Err(InputError::Invalid(_))
    ));
    assert!(matches!(
        from_json::<Typed>(&json!({"string": 1})),
        Err(InputError::Invalid(_) | InputError::Malformed(_))
    ));
    // A required member left out is a violation, found before the value is read.
    match from_json::<Typed>(&json!({})) {
        Err(InputError::Invalid(error)) => assert_eq!(error.violations()[0].path, "/string"),
        other => panic!("{other:?}"),
    }
    // `null` reads as absent.
    assert_eq!(
        from_json::<Typed>(&json!({"string": "abc", "integer": null})),
        Ok(Typed {
            string: "abc".into(),
            integer: None
        })
    );
}
