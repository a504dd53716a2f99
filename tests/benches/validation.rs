//! How long constraint validation of a large `StartSession` request takes.
//!
//! `cargo bench -p integration-tests --bench validation -- --warm-up-time 1 --measurement-time 3`
//!
//! Two inputs of the same shape and size, at the model's limits: 200 tags and
//! 100 runtime configurations, each with 20 properties and 3 nested
//! configurations (10 properties and one more nested configuration of 5
//! properties each): 700 configurations and 6,500 properties in all. One is
//! valid; in the other almost every string breaks a constraint (7,800
//! violations, of which `MAX_VIOLATIONS` are kept).
//!
//! Measured: `validation::validate_typed` on the typed value (the check alone),
//! `validation::from_json` (reading the typed value strictly, as the server reads a
//! request, then the check), and `wire::from_value` reading the typed value without
//! any check (the floor).

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use emr_serverless::operation::start_session::StartSessionInput;
use serde_json::{Map, Value, json};
use smithy_runtime::validation::{InputError, MAX_VIOLATIONS, from_json, validate_typed};

const TAGS: usize = 200;
const CONFIGURATIONS: usize = 100;
const PROPERTIES: usize = 20;
const NESTED: usize = 3;
const NESTED_PROPERTIES: usize = 10;
const DEEPEST_PROPERTIES: usize = 5;

/// The strings the input is made of, valid or not.
struct Texts {
    tag_key: fn(usize) -> String,
    tag_value: fn(usize) -> String,
    classification: fn(usize) -> String,
    property_value: fn(usize) -> String,
}

const VALID: Texts = Texts {
    tag_key: |i| format!("team:analytics/tag-{i:03}"),
    tag_value: |i| format!("value {i} for cost allocation"),
    classification: |i| format!("spark-defaults-{i}"),
    property_value: |i| format!("{}g", i % 64 + 1),
};

const INVALID: Texts = Texts {
    // Bad key pattern (`!`), and a value breaking length and pattern.
    tag_key: |i| format!("team!analytics/tag-{i:03}"),
    tag_value: |i| format!("value {i} for cost allocation?{}", "x".repeat(256)),
    // Blank: breaks `.*\S.*`.
    classification: |_| "   ".to_string(),
    // Empty: breaks `^.*\S.*$`.
    property_value: |_| String::new(),
};

fn properties(texts: &Texts, prefix: &str, n: usize) -> Value {
    Value::Object(
        (0..n)
            .map(|i| {
                (
                    format!("spark.{prefix}.property{i:02}"),
                    Value::String((texts.property_value)(i)),
                )
            })
            .collect::<Map<String, Value>>(),
    )
}

fn configuration(texts: &Texts, i: usize) -> Value {
    let nested: Vec<Value> = (0..NESTED)
        .map(|j| {
            json!({
                "classification": (texts.classification)(i * 10 + j),
                "properties": properties(texts, "nested", NESTED_PROPERTIES),
                "configurations": [{
                    "classification": (texts.classification)(i * 100 + j),
                    "properties": properties(texts, "deepest", DEEPEST_PROPERTIES),
                }],
            })
        })
        .collect();
    json!({
        "classification": (texts.classification)(i),
        "properties": properties(texts, "executor", PROPERTIES),
        "configurations": nested,
    })
}

fn start_session(texts: &Texts) -> Value {
    let tags: Map<String, Value> = (0..TAGS)
        .map(|i| ((texts.tag_key)(i), Value::String((texts.tag_value)(i))))
        .collect();
    let configurations: Vec<Value> = (0..CONFIGURATIONS)
        .map(|i| configuration(texts, i))
        .collect();
    json!({
        "applicationId": "00f1abcdefgh0123",
        "clientToken": "d6a1f0c2-9b7e-4f3a-8c21-0e5b7a9c4d10",
        "executionRoleArn": "arn:aws:iam::111122223333:role/EMRServerlessSessionRole",
        "configurationOverrides": {"runtimeConfiguration": configurations},
        "tags": tags,
        "idleTimeoutMinutes": 60,
        "name": "benchmark session",
    })
}

fn bench_validation(c: &mut Criterion) {
    let valid = start_session(&VALID);
    let invalid = start_session(&INVALID);
    let typed = |value: &Value| -> StartSessionInput {
        smithy_runtime::wire::from_value(value).expect("the input reads")
    };
    let (valid_typed, invalid_typed) = (typed(&valid), typed(&invalid));

    // The inputs are what they claim to be.
    assert_eq!(validate_typed(&valid_typed), Ok(()));
    assert!(from_json::<StartSessionInput>(&valid).is_ok());
    let Err(InputError::Invalid(error)) = validate_typed(&invalid_typed) else {
        panic!("the invalid input was not refused with violations");
    };
    let expected = TAGS * 3
        + CONFIGURATIONS
            * (1 + PROPERTIES + NESTED * (1 + NESTED_PROPERTIES + 1 + DEEPEST_PROPERTIES));
    assert_eq!(error.total(), expected);
    assert_eq!(error.violations().len(), MAX_VIOLATIONS);
    assert_eq!(
        from_json::<StartSessionInput>(&invalid),
        Err(InputError::Invalid(error))
    );

    let mut group = c.benchmark_group("start_session");
    for (name, input, typed) in [
        ("valid", &valid, &valid_typed),
        ("invalid", &invalid, &invalid_typed),
    ] {
        group.bench_function(format!("validate/{name}"), |b| {
            b.iter(|| validate_typed(black_box(typed)))
        });
        group.bench_function(format!("from_json/{name}"), |b| {
            b.iter(|| from_json::<StartSessionInput>(black_box(input)))
        });
        // The floor: reading the same value into the typed input, unchecked.
        group.bench_function(format!("deserialize/{name}"), |b| {
            b.iter(|| smithy_runtime::wire::from_value::<StartSessionInput>(black_box(input)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench_validation);
criterion_main!(benches);
