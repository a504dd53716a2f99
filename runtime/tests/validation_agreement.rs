//! Every way a value reaches validation finds the same: thousands of generated inputs
//! over every constraint kind, nesting, maps with several violating keys, unique lists of
//! every item kind, `null`s, wrong types and the violation limit; each is checked
//!
//! - as a server reads it: JSON text read strictly into a typed value, then validated
//!   (what the others must agree with);
//! - from its `serde_json::Value` (`from_json`'s way);
//! - as a generated type holds it: required members absent on the wire filled with a
//!   default, and validated with their paths as absent;
//! - as a client checks a typed value: the value read, validated without absent paths,
//!   against the server's check of its JSON form.
//!
//! What the messages say and in which order they come is pinned case by case in
//! `validation.rs` (and by the protocol compliance suite); this test holds the ways to it.

mod support;

use std::collections::HashMap;

use serde_json::{Map, Value, json};
use smithy_runtime::pattern::Pattern;
use smithy_runtime::validation::{
    InputError, Kind, MAX_VIOLATIONS, MalformedError, Member, Schema, Violation, validate_read,
    validate_shape,
};
use smithy_runtime::wire::value::{ValueReader, write_value};
use smithy_runtime::wire::{ReadState, Shape};
use smithy_runtime::{BigDecimal, BigInteger, Blob, DateTime, TimestampFormat};
use support::Dyn;

// ---------------------------------------------------------------------------
// Schemas: every constraint kind, reached through every kind of nesting
// ---------------------------------------------------------------------------

static LETTERS: Pattern = Pattern::new("^[a-m]+$", "^[a-m]+$");

static STRING: Schema = Schema::of(Kind::String);
static NAME: Schema = Schema::of(Kind::String)
    .length(Some(2), Some(4))
    .pattern(&LETTERS);
static ENUM: Schema = Schema::of(Kind::String).string_enum(&["abc", "def", "ghi"], &["abc", "def"]);
static BOOLEAN: Schema = Schema::of(Kind::Boolean);
static BYTE: Schema = Schema::of(Kind::Byte).range(None, Some("8"));
static SHORT: Schema = Schema::of(Kind::Short);
static INTEGER: Schema = Schema::of(Kind::Integer).range(Some("2"), Some("8"));
static INT_ENUM: Schema = Schema::of(Kind::Integer).int_enum(&[1, 2, 3], &[1, 3]);
static LONG: Schema = Schema::of(Kind::Long).range(Some("-9223372036854775807"), None);
static FLOAT: Schema = Schema::of(Kind::Float).range(Some("-2.5"), Some("2.5"));
static DOUBLE: Schema = Schema::of(Kind::Double).range(Some("0"), None);
static BIG_INTEGER: Schema = Schema::of(Kind::BigInteger).range(Some("-5"), Some("5"));
static BIG_DECIMAL: Schema = Schema::of(Kind::BigDecimal).range(None, Some("2.25"));
static BLOB: Schema = Schema::of(Kind::Blob).length(Some(1), Some(3));
static EPOCH: Schema = Schema::of(Kind::Timestamp(TimestampFormat::EpochSeconds));
static DATE_TIME: Schema = Schema::of(Kind::Timestamp(TimestampFormat::DateTime));
static HTTP_DATE: Schema = Schema::of(Kind::Timestamp(TimestampFormat::HttpDate));
static DOCUMENT: Schema = Schema::of(Kind::Document);
static UNIT: Schema = Schema::structure(&[]);

static NAMES: Schema = Schema::list(&NAME, false).length(Some(1), Some(3));
static SPARSE_NAMES: Schema = Schema::list(&NAME, true);
static ENUMS: Schema = Schema::list(&ENUM, false);
static UNIQUE_STRINGS: Schema = Schema::list(&STRING, false)
    .unique_items()
    .length(None, Some(4));
static UNIQUE_NAMES: Schema = Schema::list(&NAME, false).unique_items();
static UNIQUE_INTEGERS: Schema = Schema::list(&INTEGER, false).unique_items();
static UNIQUE_DOUBLES: Schema = Schema::list(&DOUBLE, false).unique_items();
static UNIQUE_BIG: Schema = Schema::list(&BIG_DECIMAL, false).unique_items();
static UNIQUE_BLOBS: Schema = Schema::list(&BLOB, false).unique_items();
static UNIQUE_TIMES: Schema = Schema::list(&DATE_TIME, false).unique_items();
static UNIQUE_EPOCHS: Schema = Schema::list(&EPOCH, false).unique_items();
static UNIQUE_PAIRS: Schema = Schema::list(&PAIR, false).unique_items();
static UNIQUE_UNIONS: Schema = Schema::list(&UNION, false).unique_items();
static UNIQUE_LISTS: Schema = Schema::list(&UNIQUE_INTEGERS, false).unique_items();
static UNIQUE_MAPS: Schema = Schema::list(&SPARSE_MAP, false).unique_items();
static UNIQUE_DOCUMENTS: Schema = Schema::list(&DOCUMENT, false).unique_items();
static UNIQUE_BOOLEANS: Schema = Schema::list(&BOOLEAN, false).unique_items();

static MAP: Schema = Schema::map(&NAME, &INTEGER, false).length(Some(1), Some(3));
static SPARSE_MAP: Schema = Schema::map(&STRING, &NAME, true);
static ENUM_MAP: Schema = Schema::map(&ENUM, &ENUM, false);
static MAP_OF_MAPS: Schema = Schema::map(&NAME, &MAP, false);
static MAP_OF_PAIRS: Schema = Schema::map(&STRING, &PAIR, false);
static MAP_OF_LISTS: Schema = Schema::map(&NAME, &UNIQUE_NAMES, false);
static MAP_OF_UNIONS: Schema = Schema::map(&STRING, &UNION, false);

static PAIR_MEMBERS: [Member; 3] = [
    Member::required("a", &NAME),
    Member::optional("b", &INTEGER),
    Member::required("c", &BOOLEAN),
];
static PAIR: Schema = Schema::structure(&PAIR_MEMBERS);

static UNION_MEMBERS: [Member; 4] = [
    Member::optional("s", &NAME),
    Member::optional("i", &INTEGER),
    Member::optional("p", &PAIR),
    Member::optional("u", &UNIT),
];
static UNION: Schema = Schema::union(&UNION_MEMBERS);

static NODE_MEMBERS: [Member; 4] = [
    Member::required("name", &NAME),
    Member::optional("next", &NODE),
    Member::optional("children", &NODES),
    Member::optional("tags", &MAP),
];
static NODE: Schema = Schema::structure(&NODE_MEMBERS);
static NODES: Schema = Schema::list(&NODE, false).length(None, Some(2));

static ROOT_MEMBERS: [Member; 52] = [
    Member::required("name", &NAME),
    Member::optional("string", &STRING),
    Member::optional("enum", &ENUM),
    Member::optional("boolean", &BOOLEAN),
    Member::required("byte", &BYTE),
    Member::optional("short", &SHORT),
    Member::optional("integer", &INTEGER),
    Member::optional("intEnum", &INT_ENUM),
    Member::optional("long", &LONG),
    Member::optional("float", &FLOAT),
    Member::optional("double", &DOUBLE),
    Member::optional("bigInteger", &BIG_INTEGER),
    Member::optional("bigDecimal", &BIG_DECIMAL),
    Member::optional("blob", &BLOB),
    Member::optional("epoch", &EPOCH),
    Member::optional("dateTime", &DATE_TIME),
    Member::optional("httpDate", &HTTP_DATE),
    Member::optional("document", &DOCUMENT),
    Member::optional("names", &NAMES),
    Member::optional("sparseNames", &SPARSE_NAMES),
    Member::optional("enums", &ENUMS),
    Member::optional("uniqueStrings", &UNIQUE_STRINGS),
    Member::optional("uniqueNames", &UNIQUE_NAMES),
    Member::optional("uniqueIntegers", &UNIQUE_INTEGERS),
    Member::optional("uniqueDoubles", &UNIQUE_DOUBLES),
    Member::optional("uniqueBig", &UNIQUE_BIG),
    Member::optional("uniqueBlobs", &UNIQUE_BLOBS),
    Member::optional("uniqueTimes", &UNIQUE_TIMES),
    Member::optional("uniqueEpochs", &UNIQUE_EPOCHS),
    Member::optional("uniquePairs", &UNIQUE_PAIRS),
    Member::optional("uniqueUnions", &UNIQUE_UNIONS),
    Member::optional("uniqueLists", &UNIQUE_LISTS),
    Member::optional("uniqueMaps", &UNIQUE_MAPS),
    Member::optional("uniqueDocuments", &UNIQUE_DOCUMENTS),
    Member::optional("uniqueBooleans", &UNIQUE_BOOLEANS),
    Member::required("map", &MAP),
    Member::optional("sparseMap", &SPARSE_MAP),
    Member::optional("enumMap", &ENUM_MAP),
    Member::optional("mapOfMaps", &MAP_OF_MAPS),
    Member::optional("mapOfPairs", &MAP_OF_PAIRS),
    Member::optional("mapOfLists", &MAP_OF_LISTS),
    Member::optional("mapOfUnions", &MAP_OF_UNIONS),
    Member::required("pair", &PAIR),
    Member::optional("otherPair", &PAIR),
    Member::optional("union", &UNION),
    Member::required("requiredUnion", &UNION),
    Member::optional("node", &NODE),
    Member::required("flag", &BOOLEAN),
    Member::required("count", &INTEGER),
    Member::required("blobs", &UNIQUE_BLOBS),
    Member::required("when", &DATE_TIME),
    Member::optional("last", &NAME),
];
static ROOT: Schema = Schema::structure(&ROOT_MEMBERS);

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// Seeded, so a failure names the seed that reproduces it.
struct Rng(fastrand::Rng);

impl Rng {
    fn seeded(seed: u64) -> Rng {
        Rng(fastrand::Rng::with_seed(seed))
    }
    fn below(&mut self, n: usize) -> usize {
        self.0.usize(..n)
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.0.u64(..100) < percent
    }
    fn per_mille(&mut self, n: u64) -> bool {
        self.0.u64(..1000) < n
    }
    fn pick<T: Clone>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())].clone()
    }
}

/// How often generated inputs break their JSON form.
#[derive(Clone, Copy)]
struct Odds {
    /// Values in a thousand that are `null`.
    null: u64,
    /// Values in a thousand of the wrong JSON type (or an invalid one of the right type).
    wrong: u64,
    /// Percent of structure members left out.
    absent: u64,
    /// Percent of required structure members left out.
    absent_required: u64,
}

const STRINGS: &[&str] = &[
    "", "a", "ab", "abc", "abcd", "abcde", "zz", "mn", "def", "ghi", "x/y", "é", "ABC", "m~",
];
const KEYS: &[&str] = &[
    "ab", "abc", "a", "zz", "mm", "a/b", "x~y", "abcd", "abcde", "", "m", "def", "ghi", "k",
];

fn wrong_value(rng: &mut Rng, schema: &Schema) -> Value {
    match &schema.kind {
        Kind::String => rng.pick(&[json!(5), json!(true), json!(["ab"])]),
        Kind::Integer | Kind::Byte | Kind::Short | Kind::Long => rng.pick(&[
            json!("5"),
            json!(5.5),
            json!(2.0),
            json!(2_147_483_648_i64),
            json!(u64::MAX),
            json!(-129),
        ]),
        Kind::Boolean => rng.pick(&[json!("true"), json!(1)]),
        Kind::Float | Kind::Double => rng.pick(&[json!("nan"), json!(true), json!("8")]),
        Kind::BigInteger => rng.pick(&[json!("5"), json!(5.5)]),
        Kind::BigDecimal => rng.pick(&[json!("5.5"), json!([])]),
        Kind::Blob => rng.pick(&[json!("not base64!"), json!(5), json!("YWJ")]),
        Kind::Timestamp(TimestampFormat::EpochSeconds) => json!("2020-01-01T00:00:00Z"),
        Kind::Timestamp(TimestampFormat::DateTime) => rng.pick(&[
            json!(0),
            json!("yesterday"),
            json!("1985-04-12T23:20:50+01:00"),
        ]),
        Kind::Timestamp(_) => json!("2020-01-01T00:00:00Z"),
        Kind::Document => Value::Null,
        Kind::Structure(_) => rng.pick(&[json!("x"), json!([1])]),
        Kind::Union(_) => rng.pick(&[
            json!("x"),
            json!({}),
            json!({"s": null}),
            json!({"s": "abc", "i": 3}),
            json!({"zzz": 1}),
        ]),
        Kind::List { .. } => rng.pick(&[json!({"a": "b"}), json!("ab")]),
        Kind::Map { .. } => rng.pick(&[json!(["a"]), json!(3)]),
    }
}

fn generate(rng: &mut Rng, schema: &Schema, odds: Odds, depth: usize) -> Value {
    if rng.per_mille(odds.null) {
        return Value::Null;
    }
    if rng.per_mille(odds.wrong) {
        return wrong_value(rng, schema);
    }
    match &schema.kind {
        Kind::String => {
            if let Some(smithy_runtime::validation::EnumValues::Strings { all, .. }) =
                schema.enum_values
            {
                if rng.chance(60) {
                    return json!(rng.pick(all));
                }
            }
            json!(rng.pick(STRINGS))
        }
        Kind::Boolean => json!(rng.chance(50)),
        Kind::Byte => json!(rng.pick(&[-128_i64, -1, 0, 2, 8, 9, 127])),
        Kind::Short => json!(rng.pick(&[-32768_i64, 0, 32767, 5])),
        Kind::Integer => json!(rng.pick(&[-1_i64, 0, 1, 2, 3, 5, 8, 9, 2_147_483_647])),
        Kind::Long => json!(rng.pick(&[i64::MIN, i64::MIN + 1, -1, 0, i64::MAX])),
        Kind::Float | Kind::Double => match rng.below(10) {
            0 => json!(rng.pick(&["NaN", "Infinity", "-Infinity"])),
            1 => json!(rng.pick(&[-3, 0, 2, 3])),
            _ => json!(rng.pick(&[-3.0, -2.5, -2.25, -0.0, 0.5, 2.5, 2.75, 1e10, 4.0])),
        },
        Kind::BigInteger => json!(rng.pick(&[-6_i64, -5, 0, 5, 6, 1_000_000])),
        Kind::BigDecimal => match rng.below(2) {
            0 => json!(rng.pick(&[-6_i64, 0, 2, 3])),
            _ => json!(rng.pick(&[2.25, 2.5, -1.75, 0.25])),
        },
        Kind::Blob => {
            let bytes: &[u8] =
                rng.pick(&[&[][..], &[1], &[1, 2], &[1, 2, 3], &[1, 2, 3, 4], &[255]]);
            json!(smithy_runtime::base64::encode(bytes))
        }
        Kind::Timestamp(TimestampFormat::EpochSeconds) => {
            rng.pick(&[json!(0), json!(1), json!(1_000_000_000), json!(1.5)])
        }
        Kind::Timestamp(TimestampFormat::DateTime) => json!(rng.pick(&[
            "1985-04-12T23:20:50Z",
            "1985-04-12T23:20:50.000Z",
            "1985-04-12T23:20:50.5Z",
            "1985-04-12T23:20:51z",
        ])),
        Kind::Timestamp(_) => json!(rng.pick(&[
            "Tue, 29 Apr 2014 18:30:38 GMT",
            "Wed, 30 Apr 2014 18:30:38 GMT",
        ])),
        Kind::Document => rng.pick(&[
            json!(1),
            json!("x"),
            json!([1, {"a": null}]),
            json!({"b": [2], "a": null}),
            json!({"a": null, "b": [2.0]}),
            json!(true),
        ]),
        Kind::Structure(members) => {
            let mut object = Map::new();
            for member in members.iter() {
                let recursive =
                    std::ptr::eq(member.schema, &NODE) || std::ptr::eq(member.schema, &NODES);
                let absent = if member.required {
                    odds.absent_required
                } else {
                    odds.absent
                };
                if rng.chance(absent) || (recursive && depth > 2) {
                    continue;
                }
                object.insert(
                    member.name.to_owned(),
                    generate(rng, member.schema, odds, depth + 1),
                );
            }
            if rng.chance(5) {
                object.insert("unknownMember".into(), json!([1, {"x": null}]));
            }
            Value::Object(object)
        }
        Kind::Union(members) => {
            let member = &members[rng.below(members.len())];
            let mut object = Map::new();
            object.insert(
                member.name.to_owned(),
                generate(rng, member.schema, Odds { null: 0, ..odds }, depth + 1),
            );
            if rng.chance(10) {
                object.insert("__type".into(), json!("ignored"));
            }
            Value::Object(object)
        }
        Kind::List { member, .. } => {
            let len = rng.below(6);
            Value::Array(
                (0..len)
                    .map(|_| generate(rng, member, odds, depth + 1))
                    .collect(),
            )
        }
        Kind::Map { value, .. } => {
            let len = rng.below(7);
            let mut object = Map::new();
            for _ in 0..len {
                object.insert(
                    rng.pick(KEYS).to_owned(),
                    generate(rng, value, odds, depth + 1),
                );
            }
            Value::Object(object)
        }
    }
}

// ---------------------------------------------------------------------------
// Typed values as generated types hold them
// ---------------------------------------------------------------------------

/// The value a generated type holds for a required member the input left out.
fn default_of(schema: &'static Schema) -> Dyn {
    match &schema.kind {
        Kind::Structure(members) => {
            let mut value = Dyn::Structure(vec![None; members.len()]);
            fill_defaults(&mut value, schema);
            value
        }
        // A union's `Default` is `Unknown`, which cannot be written.
        Kind::Union(_) => Dyn::UnknownUnion,
        Kind::List { .. } => Dyn::List(Vec::new()),
        Kind::Map { .. } => Dyn::Map(HashMap::new()),
        Kind::String => Dyn::String(String::new()),
        Kind::Boolean => Dyn::Boolean(false),
        Kind::Byte => Dyn::Byte(0),
        Kind::Short => Dyn::Short(0),
        Kind::Integer => Dyn::Integer(0),
        Kind::Long => Dyn::Long(0),
        Kind::Float => Dyn::Float(0.0),
        Kind::Double => Dyn::Double(0.0),
        Kind::BigInteger => Dyn::BigInteger(BigInteger::default()),
        Kind::BigDecimal => Dyn::BigDecimal(BigDecimal::default()),
        Kind::Blob => Dyn::Blob(Blob::new(Vec::new())),
        Kind::Timestamp(_) => Dyn::Timestamp(DateTime::from_secs(0)),
        Kind::Document => Dyn::Document(Value::Null),
    }
}

/// Gives every required member that is not set the default a generated type holds.
fn fill_defaults(value: &mut Dyn, schema: &'static Schema) {
    match (value, &schema.kind) {
        (Dyn::Structure(slots), Kind::Structure(members)) => {
            for (slot, member) in slots.iter_mut().zip(members.iter()) {
                match slot {
                    Some(value) => fill_defaults(value, member.schema),
                    None if member.required => *slot = Some(default_of(member.schema)),
                    None => {}
                }
            }
        }
        (Dyn::Union(index, value), Kind::Union(members)) => {
            fill_defaults(value, members[*index].schema)
        }
        (Dyn::List(items), Kind::List { member, .. }) => {
            for item in items.iter_mut().flatten() {
                fill_defaults(item, member);
            }
        }
        (Dyn::Map(map), Kind::Map { value, .. }) => {
            for item in map.values_mut().flatten() {
                fill_defaults(item, value);
            }
        }
        _ => {}
    }
}

/// Reads `value` strictly as the typed value, with the paths of the required members it
/// left out.
fn read_typed(value: &Value, schema: &'static Schema) -> Option<(Dyn, Vec<String>)> {
    let mut state = ReadState::new();
    let typed = Dyn::read(
        schema,
        &mut ValueReader::with_state(value, Some(&mut state)),
    );
    match typed {
        Ok(Some(typed)) => Some((typed, state.absent().to_vec())),
        _ => None,
    }
}

// ---------------------------------------------------------------------------
// The comparison
// ---------------------------------------------------------------------------

/// What a check found: malformed input, or violations (the first ones and how many).
#[derive(Clone, Debug, PartialEq, Eq)]
enum Found {
    Malformed(MalformedError),
    Invalid(Vec<Violation>, usize),
}

impl Found {
    fn of(error: InputError) -> Found {
        match error {
            InputError::Malformed(e) => Found::Malformed(e),
            InputError::Invalid(e) => Found::Invalid(e.violations().to_vec(), e.total()),
        }
    }
}

/// Asserts that two findings are the same, naming the first violation that differs.
#[track_caller]
fn assert_same(expected: &Result<(), Found>, found: &Result<(), Found>, context: &str) {
    if let (Err(Found::Invalid(a, n)), Err(Found::Invalid(b, m))) = (expected, found) {
        for (i, (x, y)) in a.iter().zip(b).enumerate() {
            assert_eq!(x, y, "violation {i} differs; {context}");
        }
        assert_eq!(a.len(), b.len(), "{context}");
        assert_eq!(n, m, "{context}");
    }
    assert_eq!(expected, found, "{context}");
}

/// `value` as JSON text with each structure's members in schema order (as clients write
/// them) and map keys sorted: the order the walk took, so the first malformed value in
/// the text is the one the walk met first.
fn text_in_schema_order(value: &Value, schema: Option<&'static Schema>, out: &mut String) {
    let members = match schema.map(|s| &s.kind) {
        Some(Kind::Structure(members) | Kind::Union(members)) => Some(*members),
        _ => None,
    };
    match value {
        Value::Object(object) => {
            let mut keys: Vec<&String> = object.keys().collect();
            keys.sort_by_key(|key| {
                let index = members.and_then(|m| m.iter().position(|m| m.name == key.as_str()));
                (index.unwrap_or(usize::MAX), (*key).clone())
            });
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(key).unwrap());
                out.push(':');
                let child = match (members, schema.map(|s| &s.kind)) {
                    (Some(members), _) => members
                        .iter()
                        .find(|m| m.name == key.as_str())
                        .map(|m| m.schema),
                    (None, Some(Kind::Map { value, .. })) => Some(*value),
                    _ => None,
                };
                text_in_schema_order(&object[key.as_str()], child, out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            let child = match schema.map(|s| &s.kind) {
                Some(Kind::List { member, .. }) => Some(*member),
                _ => None,
            };
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                text_in_schema_order(item, child, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// Every way a value reaches the typed validator finds what a server finds reading its
/// text. Returns what the server found.
#[track_caller]
fn compare(value: &Value, schema: &'static Schema) -> Result<(), Found> {
    // A server: the request's text read strictly, then validated.
    let mut text = String::new();
    text_in_schema_order(value, Some(schema), &mut text);
    let expected = support::check_text(text.as_bytes(), schema)
        .map(drop)
        .map_err(Found::of);
    // The same from the `serde_json::Value` (`from_json`'s way), which reads members in
    // key order: where there are several malformed values, another may come first.
    let from_value = support::check_value(value, schema)
        .map(drop)
        .map_err(Found::of);
    match (&expected, &from_value) {
        (Err(Found::Malformed(_)), Err(Found::Malformed(_))) => {}
        _ => assert_same(&expected, &from_value, &format!("input: {value}")),
    }

    let Some((typed, absent)) = read_typed(value, schema) else {
        assert!(
            matches!(expected, Err(Found::Malformed(_))),
            "a well-formed input does not read: {value}"
        );
        return expected;
    };

    // A generated type: required members left out hold a default.
    let mut generated = typed.clone();
    fill_defaults(&mut generated, schema);
    let found = validate_read(schema, &generated, &absent).map_err(Found::of);
    assert_same(
        &expected,
        &found,
        &format!("typed with absent members {absent:?}: {value}"),
    );

    // A client: the typed value (members left out are not written) against a server's
    // check of its JSON form, reasons and all.
    let json = write_value(schema, &typed).expect("a value read writes");
    let mut written = String::new();
    text_in_schema_order(&json, Some(schema), &mut written);
    let served = support::check_text(written.as_bytes(), schema)
        .map(drop)
        .map_err(Found::of);
    let found = validate_shape(schema, &typed).map_err(Found::of);
    assert_same(&served, &found, &format!("typed value written as {json}"));
    expected
}

fn run(seed: u64, cases: usize, odds: Odds, schema: &'static Schema) -> [usize; 3] {
    let mut rng = Rng::seeded(seed);
    let mut seen = [0; 3];
    for case in 0..cases {
        let value = generate(&mut rng, schema, odds, 0);
        let found = std::panic::catch_unwind(|| compare(&value, schema));
        match found {
            Ok(Ok(())) => seen[0] += 1,
            Ok(Err(Found::Invalid(..))) => seen[1] += 1,
            Ok(Err(Found::Malformed(_))) => seen[2] += 1,
            Err(panic) => {
                eprintln!("seed {seed}, case {case}");
                std::panic::resume_unwind(panic)
            }
        }
    }
    seen
}

#[test]
fn well_formed_inputs_give_the_same_violations() {
    let odds = Odds {
        null: 0,
        wrong: 0,
        absent: 25,
        absent_required: 10,
    };
    let [valid, invalid, malformed] = run(0x5EED_0001, 2000, odds, &ROOT);
    assert_eq!(malformed, 0);
    assert!(invalid > 1900, "{valid} valid, {invalid} invalid");
}

#[test]
fn inputs_with_nulls_and_wrong_types_give_the_same_findings() {
    let odds = Odds {
        null: 10,
        wrong: 2,
        absent: 25,
        absent_required: 10,
    };
    let [valid, invalid, malformed] = run(0x5EED_0002, 2000, odds, &ROOT);
    assert!(
        malformed > 500 && invalid > 500,
        "{valid} {invalid} {malformed}"
    );
}

#[test]
fn mostly_valid_inputs_give_the_same_findings() {
    // Few optional members, so that many inputs break nothing.
    let odds = Odds {
        null: 0,
        wrong: 0,
        absent: 60,
        absent_required: 5,
    };
    for (seed, schema) in [
        (0x5EED_0003, &PAIR),
        (0x5EED_0005, &UNION),
        (0x5EED_0006, &NODE),
    ] {
        let [valid, invalid, _] = run(seed, 1000, odds, schema);
        assert!(
            valid > 50 && invalid > 100,
            "{valid} valid, {invalid} invalid"
        );
    }
}

#[test]
fn maps_with_many_violating_keys_are_reported_in_key_order() {
    let mut rng = Rng::seeded(0x5EED_0004);
    for _ in 0..200 {
        let mut map = Map::new();
        for i in 0..rng.below(40) {
            // Keys that break `NAME` (length, pattern) beside keys that do not.
            let key = format!("{}{}", rng.pick(KEYS), i);
            let value = generate(
                &mut rng,
                &MAP,
                Odds {
                    null: 0,
                    wrong: 0,
                    absent: 0,
                    absent_required: 0,
                },
                1,
            );
            map.insert(key, value);
        }
        let value = json!({"name": "ab", "byte": 1, "flag": true, "count": 3, "blobs": [],
            "when": "1985-04-12T23:20:50Z", "pair": {"a": "ab", "c": true},
            "requiredUnion": {"i": 3}, "map": {"ab": 3}, "mapOfMaps": map});
        let _ = compare(&value, &ROOT);
    }
}

#[test]
fn violations_beyond_the_limit_are_counted_the_same() {
    let many_names: Vec<Value> = (0..MAX_VIOLATIONS + 37).map(|_| json!("z")).collect();
    let mut big_map = Map::new();
    for i in 0..(MAX_VIOLATIONS * 2 + 11) {
        // Every key breaks the pattern, every value the range; the key order is not the
        // order the entries were added in.
        big_map.insert(format!("Z{:04}", (i * 7919) % 1000), json!(100));
    }
    let mut maps = Map::new();
    for i in 0..60 {
        let inner: Map<String, Value> = (0..5).map(|j| (format!("x{j}"), json!(0))).collect();
        maps.insert(format!("q{i:02}"), Value::Object(inner));
    }
    for value in [
        json!({"names": many_names}),
        json!({"map": big_map}),
        json!({"mapOfMaps": maps}),
        json!({"names": many_names, "map": big_map, "mapOfMaps": maps}),
        json!({"uniqueNames": many_names}),
    ] {
        match compare(&value, &ROOT) {
            Err(Found::Invalid(kept, total)) => {
                assert_eq!(kept.len(), MAX_VIOLATIONS);
                assert!(total > MAX_VIOLATIONS);
            }
            other => panic!("{other:?}"),
        }
    }
}

#[test]
fn deep_recursion_gives_the_same_findings() {
    let mut node = json!({"name": "ab"});
    for depth in 0..=(smithy_runtime::validation::MAX_DEPTH + 3) {
        node = if depth % 2 == 0 {
            json!({"name": "x", "next": node})
        } else {
            json!({"name": "abc", "children": [node, {"name": "q"}]})
        };
        // Depth bounds are compared from each side of the limit.
        let _ = compare(&json!({"node": node}), &ROOT);
    }
}

#[test]
fn typed_values_that_cannot_be_written_are_malformed() {
    let mut slots = vec![None; ROOT_MEMBERS.len()];
    slots[44] = Some(Dyn::UnknownUnion);
    match validate_shape(&ROOT, &Dyn::Structure(slots)) {
        Err(InputError::Malformed(error)) => {
            assert_eq!(error.path, "");
            assert!(error.reason.contains("unknown union member"), "{error}");
        }
        other => panic!("{other:?}"),
    }
}
