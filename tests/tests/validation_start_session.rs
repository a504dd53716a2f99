//! Constraint validation of EMR Serverless `StartSession` input through the
//! generated crate: what the server does with a request's body
//! (`validation::from_body`) or its JSON form (`validation::from_json`),
//! `StartSessionInput::validate` and its `SCHEMA`, with every constraint of `model/emr-serverless.json` checked at
//! its boundaries, with Smithy's exact messages and paths.
//!
//! Where several entries of one map break constraints, the keys are written in
//! sorted order: `serde_json::Map` iterates sorted keys, or document order when
//! a workspace member turns `preserve_order` on, and these tests must hold in
//! both builds.

use std::collections::HashMap;

use emr_serverless::operation::start_session::StartSessionInput;
use emr_serverless::types::{Configuration, SessionConfigurationOverrides};
use serde_json::{Map, Value, json};
use smithy_runtime::validation::{InputError, ValidationError, Violation};

/// What the server does with the JSON form of a request's input.
fn from_json(input: &Value) -> Result<StartSessionInput, InputError> {
    smithy_runtime::validation::from_json(input)
}

/// What the server does with a request body: its JSON text read strictly into the typed
/// input, which is then checked.
fn from_body(input: &Value) -> Result<(), InputError> {
    let body = serde_json::to_vec(input).expect("JSON");
    smithy_runtime::validation::from_body::<StartSessionInput>(&body).map(drop)
}

const APPLICATION_ID: &str = "00f1abcdefgh0123";
const CLIENT_TOKEN: &str = "d6a1f0c2-9b7e-4f3a-8c21-0e5b7a9c4d10";
const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/EMRServerlessSessionRole";

const APPLICATION_ID_PATTERN: &str = "^[0-9a-z]+$";
const CLIENT_TOKEN_PATTERN: &str = "^[A-Za-z0-9._-]+$";
const ROLE_ARN_PATTERN: &str = r"^arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$";
const NON_BLANK_PATTERN: &str = r".*\S.*";
const PROPERTY_PATTERN: &str = r"^.*\S.*$";
const TAG_KEY_PATTERN: &str = "^[A-Za-z0-9 /_.:=+@-]+$";
const TAG_VALUE_PATTERN: &str = "^[A-Za-z0-9 /_.:=+@-]*$";

const RUNTIME: &str = "/configurationOverrides/runtimeConfiguration";

// ---------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------

/// The three required members, valid.
fn minimal() -> Value {
    json!({
        "applicationId": APPLICATION_ID,
        "clientToken": CLIENT_TOKEN,
        "executionRoleArn": ROLE_ARN,
    })
}

/// A realistic request using every member.
fn realistic() -> Value {
    json!({
        "applicationId": APPLICATION_ID,
        "clientToken": CLIENT_TOKEN,
        "executionRoleArn": "arn:aws:iam::111122223333:role/service-role/EMRServerless_Session-Role+1@team=a,b.c",
        "configurationOverrides": {
            "runtimeConfiguration": [
                {
                    "classification": "spark-defaults",
                    "properties": {
                        "spark.driver.memory": "4g",
                        "spark.executor.cores": "4",
                        "spark.hadoop.fs.s3a.secret.key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                    },
                    "configurations": [
                        {
                            "classification": "spark-env",
                            "configurations": [
                                {
                                    "classification": "export",
                                    "properties": {"JAVA_HOME": "/usr/lib/jvm/java-17-amazon-corretto.x86_64"},
                                }
                            ],
                        }
                    ],
                },
                {"classification": "spark-log4j2", "properties": {"rootLogger.level": "warn"}},
            ]
        },
        "tags": {
            "aws:cloudformation:stack-name": "analytics-prod",
            "cost-center": "4711",
            "owner": "data.platform@example.com",
            "team/area": "",
        },
        "idleTimeoutMinutes": 60,
        "name": "Nightly notebook: revenue (EU)",
    })
}

/// `minimal()` with the members of `patch` set (a null sets null).
fn with(patch: Value) -> Value {
    let mut input = minimal();
    let object = input.as_object_mut().unwrap();
    for (key, value) in patch.as_object().unwrap() {
        object.insert(key.clone(), value.clone());
    }
    input
}

/// `minimal()` with `configurationOverrides.runtimeConfiguration` set.
fn with_runtime(configurations: Value) -> Value {
    with(json!({"configurationOverrides": {"runtimeConfiguration": configurations}}))
}

fn without(key: &str) -> Value {
    let mut input = minimal();
    input.as_object_mut().unwrap().remove(key);
    input
}

fn text(n: usize) -> String {
    "a".repeat(n)
}

/// An IAM role ARN of exactly `len` characters, matching the pattern.
fn role_arn_of_length(len: usize) -> String {
    let prefix = "arn:aws:iam::111122223333:role/";
    assert!(len > prefix.len());
    format!("{prefix}{}", "r".repeat(len - prefix.len()))
}

/// `n` map entries `k000: value`, keys in sorted order.
fn entries(n: usize, value: &str) -> Value {
    Value::Object(
        (0..n)
            .map(|i| (format!("k{i:03}"), Value::String(value.to_string())))
            .collect::<Map<String, Value>>(),
    )
}

fn configurations(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"classification": format!("classification-{i}")}))
            .collect(),
    )
}

// ---------------------------------------------------------------------------
// Messages
// ---------------------------------------------------------------------------

fn length(len: usize, path: &str, rule: &str) -> String {
    format!(
        "Value with length {len} at '{path}' failed to satisfy constraint: Member must have length {rule}"
    )
}

fn range(path: &str, rule: &str) -> String {
    format!("Value at '{path}' failed to satisfy constraint: Member must be {rule}")
}

fn pattern(path: &str, pattern: &str) -> String {
    format!(
        "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
    )
}

fn not_null(path: &str) -> String {
    format!("Value at '{path}' failed to satisfy constraint: Member must not be null")
}

// ---------------------------------------------------------------------------
// Assertions
// ---------------------------------------------------------------------------

#[track_caller]
fn assert_valid(input: Value) {
    assert_eq!(from_body(&input), Ok(()), "input: {input}");
    let parsed = match from_json(&input) {
        Ok(parsed) => parsed,
        Err(error) => panic!("from_json refused a valid input: {error}"),
    };
    assert_eq!(parsed.validate(), Ok(()));
    // What the typed value serializes to reads back the same.
    let round_trip = smithy_runtime::wire::to_value(&parsed).unwrap();
    assert_eq!(from_json(&round_trip), Ok(parsed));
}

#[track_caller]
fn violations_of(input: &Value) -> ValidationError {
    let from_json = from_json(input);
    let error = match from_json {
        Err(InputError::Invalid(error)) => error,
        other => panic!("expected violations for {input}, got {other:?}"),
    };
    assert_eq!(from_body(input), Err(InputError::Invalid(error.clone())));
    error
}

/// Asserts the violations of `input`, in order, and the summary message;
/// checks that the typed path (`validate()` on the value read without
/// validation) finds the same ones, when the input can be read at all.
#[track_caller]
fn assert_violations(input: Value, expected: &[(&str, &str)]) {
    let error = violations_of(&input);
    let expected: Vec<Violation> = expected
        .iter()
        .map(|(path, message)| Violation {
            path: path.to_string(),
            message: message.to_string(),
        })
        .collect();
    assert_eq!(error.violations(), expected, "input: {input}");
    assert_eq!(error.total(), expected.len());
    let messages: Vec<&str> = expected.iter().map(|v| v.message.as_str()).collect();
    let summary = match expected.len() {
        1 => format!("1 validation error detected. {}", messages[0]),
        n => format!("{n} validation errors detected. {}", messages.join("; ")),
    };
    assert_eq!(error.message(), summary);

    // The client-side check of a typed value agrees, in the same order (map entries
    // are reported in key order, whatever order the typed map iterates in). A typed
    // value cannot miss a required member (reading fills in zero values, Smithy's client
    // error correction), so inputs with a "must not be null" violation have no typed
    // counterpart.
    let misses_required = expected
        .iter()
        .any(|v| v.message.ends_with("Member must not be null"));
    if misses_required {
        return;
    }
    if let Ok(typed) = smithy_runtime::wire::from_value::<StartSessionInput>(&input) {
        match typed.validate() {
            Err(InputError::Invalid(typed_error)) => {
                assert_eq!(typed_error, error, "typed validate() of {input}");
            }
            other => panic!("typed validate() of {input}: {other:?}"),
        }
    }
}

#[track_caller]
fn assert_violation(input: Value, path: &str, message: &str) {
    assert_violations(input, &[(path, message)]);
}

#[track_caller]
fn assert_malformed(input: Value, path: &str) {
    match from_json(&input) {
        Err(InputError::Malformed(error)) => {
            assert_eq!(error.path, path, "input: {input}: {error}");
        }
        other => panic!("expected a malformed input for {input}, got {other:?}"),
    }
    assert!(matches!(from_body(&input), Err(InputError::Malformed(_))));
}

// ---------------------------------------------------------------------------
// Valid inputs
// ---------------------------------------------------------------------------

#[test]
fn realistic_input_is_accepted() {
    assert_valid(realistic());
    let input = from_json(&realistic()).unwrap();
    assert_eq!(input.application_id(), APPLICATION_ID);
    assert_eq!(input.client_token(), CLIENT_TOKEN);
    assert_eq!(input.idle_timeout_minutes(), Some(60));
    assert_eq!(input.name(), Some("Nightly notebook: revenue (EU)"));
    assert_eq!(input.tags().unwrap().len(), 4);
    let runtime = input
        .configuration_overrides()
        .unwrap()
        .runtime_configuration();
    assert_eq!(runtime.len(), 2);
    assert_eq!(
        runtime[0].configurations()[0].configurations()[0].classification(),
        "export"
    );
}

#[test]
fn minimal_input_and_lower_bounds_are_accepted() {
    assert_valid(minimal());
    assert_valid(with(json!({
        "applicationId": "a",
        "clientToken": "-",
        "name": "x",
        "idleTimeoutMinutes": 0,
        "tags": {},
        "configurationOverrides": {"runtimeConfiguration": []},
    })));
    assert_valid(with(json!({"tags": {"k": ""}})));
    assert_valid(with_runtime(
        json!([{"classification": "c", "properties": {}, "configurations": []}]),
    ));
    assert_valid(with(json!({"configurationOverrides": {}})));
    // Optional members may be null.
    assert_valid(with(json!({
        "name": null,
        "idleTimeoutMinutes": null,
        "tags": null,
        "configurationOverrides": null,
    })));
}

#[test]
fn upper_bounds_are_accepted() {
    let tags: Map<String, Value> = (0..200)
        .map(|i| {
            (
                format!("{i:03}{}", "k".repeat(125)),
                Value::String("v".repeat(256)),
            )
        })
        .collect();
    let properties: Map<String, Value> = (0..100)
        .map(|i| {
            (
                format!("{i:03}{}", "p".repeat(1021)),
                Value::String("v".repeat(1024)),
            )
        })
        .collect();
    let deepest = json!({"classification": text(1024), "properties": {"k": text(1024)}});
    let configuration = json!({
        "classification": text(1024),
        "properties": properties,
        "configurations": vec![deepest; 100],
    });
    assert_valid(with(json!({
        "applicationId": "z".repeat(64),
        "clientToken": "Z".repeat(64),
        "executionRoleArn": role_arn_of_length(2048),
        "name": "n".repeat(256),
        "idleTimeoutMinutes": 1_000_000,
        "tags": tags,
        "configurationOverrides": {"runtimeConfiguration": vec![configuration; 2]},
    })));
    assert_valid(with_runtime(configurations(100)));
}

// ---------------------------------------------------------------------------
// Top-level members
// ---------------------------------------------------------------------------

#[test]
fn application_id_length_and_pattern() {
    let rule = "between 1 and 64, inclusive";
    assert_violations(
        with(json!({"applicationId": ""})),
        &[
            (
                "/applicationId",
                "Value with length 0 at '/applicationId' failed to satisfy constraint: Member must have length between 1 and 64, inclusive",
            ),
            (
                "/applicationId",
                "Value at '/applicationId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-z]+$",
            ),
        ],
    );
    assert_valid(with(json!({"applicationId": "0"})));
    assert_valid(with(json!({"applicationId": "a".repeat(64)})));
    assert_violation(
        with(json!({"applicationId": "a".repeat(65)})),
        "/applicationId",
        &length(65, "/applicationId", rule),
    );
    for bad in ["00F1ABCDEFGH0123", "00f1-abc", "app id", "é", "abc\n"] {
        assert_violation(
            with(json!({"applicationId": bad})),
            "/applicationId",
            &pattern("/applicationId", APPLICATION_ID_PATTERN),
        );
    }
    // Both at once: too long and not matching.
    assert_violations(
        with(json!({"applicationId": "A".repeat(65)})),
        &[
            ("/applicationId", &length(65, "/applicationId", rule)),
            (
                "/applicationId",
                &pattern("/applicationId", APPLICATION_ID_PATTERN),
            ),
        ],
    );
}

#[test]
fn client_token_length_and_pattern() {
    let rule = "between 1 and 64, inclusive";
    assert_violations(
        with(json!({"clientToken": ""})),
        &[
            ("/clientToken", &length(0, "/clientToken", rule)),
            (
                "/clientToken",
                &pattern("/clientToken", CLIENT_TOKEN_PATTERN),
            ),
        ],
    );
    assert_valid(with(json!({"clientToken": "x"})));
    assert_valid(with(json!({"clientToken": "A.b_c-9"})));
    assert_valid(with(json!({"clientToken": "t".repeat(64)})));
    assert_violation(
        with(json!({"clientToken": "t".repeat(65)})),
        "/clientToken",
        "Value with length 65 at '/clientToken' failed to satisfy constraint: Member must have length between 1 and 64, inclusive",
    );
    for bad in ["tok en", "tok/en", "tok:en", "ü"] {
        assert_violation(
            with(json!({"clientToken": bad})),
            "/clientToken",
            "Value at '/clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9._-]+$",
        );
    }
}

#[test]
fn execution_role_arn_length_and_pattern() {
    let rule = "between 20 and 2048, inclusive";
    // 19 characters: too short, and no valid ARN is that short.
    let short = "arn:aws:iam::123456";
    assert_eq!(short.len(), 19);
    assert_violations(
        with(json!({"executionRoleArn": short})),
        &[
            (
                "/executionRoleArn",
                "Value with length 19 at '/executionRoleArn' failed to satisfy constraint: Member must have length between 20 and 2048, inclusive",
            ),
            (
                "/executionRoleArn",
                &pattern("/executionRoleArn", ROLE_ARN_PATTERN),
            ),
        ],
    );
    // 20 characters: long enough, only the pattern fails.
    assert_violation(
        with(json!({"executionRoleArn": "arn:aws:iam::1234567"})),
        "/executionRoleArn",
        &pattern("/executionRoleArn", ROLE_ARN_PATTERN),
    );
    assert_valid(with(json!({"executionRoleArn": role_arn_of_length(32)})));
    assert_valid(with(json!({"executionRoleArn": role_arn_of_length(2048)})));
    assert_violation(
        with(json!({"executionRoleArn": role_arn_of_length(2049)})),
        "/executionRoleArn",
        &length(2049, "/executionRoleArn", rule),
    );
    for good in [
        "arn:aws:iam::111122223333:role/a",
        "arn:aws-cn:iam::111122223333:role/a",
        "arn:aws-us-gov:iam::111122223333:role/path/to/Role_1",
        "arn:aws:iam::111122223333:role/+=,.@-",
    ] {
        assert_valid(with(json!({"executionRoleArn": good})));
    }
    for bad in [
        "arn:aws:iam::11112222333:role/short-account",
        "arn:aws:iam::111122223333:user/NotARole",
        "arn:aws:iam::111122223333:role/",
        "arn:aws:iam::111122223333:role//double",
        "arn:aws:iam::111122223333:role/has space",
        "arn:azure:iam::111122223333:role/Other",
        " arn:aws:iam::111122223333:role/Leading",
        "arn:aws:iam::111122223333:role/Trailing\n",
    ] {
        assert_violation(
            with(json!({"executionRoleArn": bad})),
            "/executionRoleArn",
            &pattern("/executionRoleArn", ROLE_ARN_PATTERN),
        );
    }
}

#[test]
fn name_length_and_pattern() {
    let rule = "between 1 and 256, inclusive";
    assert_violations(
        with(json!({"name": ""})),
        &[
            (
                "/name",
                "Value with length 0 at '/name' failed to satisfy constraint: Member must have length between 1 and 256, inclusive",
            ),
            (
                "/name",
                r"Value at '/name' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\S.*",
            ),
        ],
    );
    assert_valid(with(json!({"name": "x"})));
    assert_valid(with(json!({"name": "  padded  "})));
    assert_valid(with(json!({"name": "line one\nline two"})));
    assert_valid(with(json!({"name": "n".repeat(256)})));
    assert_valid(with(json!({"name": "😀".repeat(256)})));
    assert_violation(
        with(json!({"name": "n".repeat(257)})),
        "/name",
        &length(257, "/name", rule),
    );
    assert_violation(
        with(json!({"name": "😀".repeat(257)})),
        "/name",
        &length(257, "/name", rule),
    );
    for blank in [" ", "   ", "\t", "\n \n", "\u{a0}"] {
        assert_violation(
            with(json!({"name": blank})),
            "/name",
            &pattern("/name", NON_BLANK_PATTERN),
        );
    }
}

#[test]
fn idle_timeout_minutes_range() {
    let message = "Value at '/idleTimeoutMinutes' failed to satisfy constraint: Member must be between 0 and 1000000, inclusive";
    assert_violation(
        with(json!({"idleTimeoutMinutes": -1})),
        "/idleTimeoutMinutes",
        message,
    );
    assert_valid(with(json!({"idleTimeoutMinutes": 0})));
    assert_valid(with(json!({"idleTimeoutMinutes": 1_000_000})));
    assert_violation(
        with(json!({"idleTimeoutMinutes": 1_000_001})),
        "/idleTimeoutMinutes",
        message,
    );
    assert_violation(
        with(json!({"idleTimeoutMinutes": i64::MAX})),
        "/idleTimeoutMinutes",
        message,
    );
    assert_violation(
        with(json!({"idleTimeoutMinutes": i64::MIN})),
        "/idleTimeoutMinutes",
        message,
    );
    assert_eq!(
        message,
        range("/idleTimeoutMinutes", "between 0 and 1000000, inclusive")
    );
}

// ---------------------------------------------------------------------------
// tags
// ---------------------------------------------------------------------------

#[test]
fn tags_map_length() {
    assert_valid(with(json!({"tags": entries(200, "v")})));
    assert_violation(
        with(json!({"tags": entries(201, "v")})),
        "/tags",
        "Value with length 201 at '/tags' failed to satisfy constraint: Member must have length between 0 and 200, inclusive",
    );
}

#[test]
fn tag_keys_are_reported_at_the_map() {
    let rule = "between 1 and 128, inclusive";
    assert_violations(
        with(json!({"tags": {"": "v"}})),
        &[
            (
                "/tags",
                "Value with length 0 at '/tags' failed to satisfy constraint: Member must have length between 1 and 128, inclusive",
            ),
            (
                "/tags",
                "Value at '/tags' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9 /_.:=+@-]+$",
            ),
        ],
    );
    assert_valid(with(json!({"tags": {"k": "v"}})));
    assert_valid(with(json!({"tags": {"k".repeat(128): "v"}})));
    assert_violation(
        with(json!({"tags": {"k".repeat(129): "v"}})),
        "/tags",
        &length(129, "/tags", rule),
    );
    for bad in ["bad!key", "tag\tkey", "ключ", "a~b"] {
        assert_violation(
            with(json!({"tags": {bad: "v"}})),
            "/tags",
            &pattern("/tags", TAG_KEY_PATTERN),
        );
    }
    assert_valid(with(json!({"tags": {"aws:team/a_b.c=d+e@f-g 1": "v"}})));
}

#[test]
fn tag_values_are_reported_below_their_key() {
    let rule = "between 0 and 256, inclusive";
    assert_valid(with(json!({"tags": {"team": ""}})));
    assert_valid(with(json!({"tags": {"team": "v".repeat(256)}})));
    assert_violation(
        with(json!({"tags": {"team": "v".repeat(257)}})),
        "/tags/team",
        "Value with length 257 at '/tags/team' failed to satisfy constraint: Member must have length between 0 and 256, inclusive",
    );
    assert_violation(
        with(json!({"tags": {"team": "bad!value"}})),
        "/tags/team",
        "Value at '/tags/team' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9 /_.:=+@-]*$",
    );
    // Keys are escaped as JSON Pointer requires.
    assert_violation(
        with(json!({"tags": {"team/area": "v".repeat(257)}})),
        "/tags/team~1area",
        &length(257, "/tags/team~1area", rule),
    );
    // A bad key and its bad value: the key at the map, the value below it.
    assert_violations(
        with(json!({"tags": {"a~b": "bad!"}})),
        &[
            ("/tags", &pattern("/tags", TAG_KEY_PATTERN)),
            ("/tags/a~0b", &pattern("/tags/a~0b", TAG_VALUE_PATTERN)),
        ],
    );
    // Several entries, each reported.
    assert_violations(
        with(json!({"tags": {"a": "ok", "b": "bad!", "c": "v".repeat(300), "d": "bad?"}})),
        &[
            ("/tags/b", &pattern("/tags/b", TAG_VALUE_PATTERN)),
            ("/tags/c", &length(300, "/tags/c", rule)),
            ("/tags/d", &pattern("/tags/d", TAG_VALUE_PATTERN)),
        ],
    );
}

// ---------------------------------------------------------------------------
// configurationOverrides
// ---------------------------------------------------------------------------

#[test]
fn runtime_configuration_list_length() {
    assert_valid(with_runtime(json!([])));
    assert_valid(with_runtime(configurations(100)));
    assert_violation(
        with_runtime(configurations(101)),
        RUNTIME,
        "Value with length 101 at '/configurationOverrides/runtimeConfiguration' failed to satisfy constraint: Member must have length between 0 and 100, inclusive",
    );
}

#[test]
fn classification_is_required() {
    let path = "/configurationOverrides/runtimeConfiguration/0/classification";
    let message = "Value at '/configurationOverrides/runtimeConfiguration/0/classification' failed to satisfy constraint: Member must not be null";
    assert_violation(with_runtime(json!([{}])), path, message);
    assert_violation(
        with_runtime(json!([{"classification": null}])),
        path,
        message,
    );
    assert_violation(
        with_runtime(json!([{"properties": {"k": "v"}}])),
        path,
        message,
    );
    assert_violation(
        with_runtime(json!([{"classification": "a"}, {"classification": "b"}, {}])),
        &format!("{RUNTIME}/2/classification"),
        &not_null(&format!("{RUNTIME}/2/classification")),
    );
}

#[test]
fn classification_length_and_pattern() {
    let path = "/configurationOverrides/runtimeConfiguration/0/classification";
    let rule = "between 1 and 1024, inclusive";
    assert_violations(
        with_runtime(json!([{"classification": ""}])),
        &[
            (
                path,
                "Value with length 0 at '/configurationOverrides/runtimeConfiguration/0/classification' failed to satisfy constraint: Member must have length between 1 and 1024, inclusive",
            ),
            (
                path,
                r"Value at '/configurationOverrides/runtimeConfiguration/0/classification' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\S.*",
            ),
        ],
    );
    assert_violation(
        with_runtime(json!([{"classification": "   "}])),
        path,
        &pattern(path, NON_BLANK_PATTERN),
    );
    assert_valid(with_runtime(json!([{"classification": "c"}])));
    assert_valid(with_runtime(json!([{"classification": text(1024)}])));
    assert_violation(
        with_runtime(json!([{"classification": text(1025)}])),
        path,
        &length(1025, path, rule),
    );
}

#[test]
fn nested_configurations() {
    let nested = "/configurationOverrides/runtimeConfiguration/0/configurations/0/classification";
    assert_violation(
        with_runtime(json!([{"classification": "spark-defaults", "configurations": [{}]}])),
        nested,
        "Value at '/configurationOverrides/runtimeConfiguration/0/configurations/0/classification' failed to satisfy constraint: Member must not be null",
    );
    assert_violations(
        with_runtime(
            json!([{"classification": "spark-defaults", "configurations": [{"classification": ""}]}]),
        ),
        &[
            (nested, &length(0, nested, "between 1 and 1024, inclusive")),
            (nested, &pattern(nested, NON_BLANK_PATTERN)),
        ],
    );
    // Three levels down.
    let deepest = format!("{RUNTIME}/1/configurations/0/configurations/2/classification");
    assert_violation(
        with_runtime(json!([
            {"classification": "a"},
            {"classification": "b", "configurations": [
                {"classification": "c", "configurations": [
                    {"classification": "d"}, {"classification": "e"}, {"classification": text(1025)}
                ]}
            ]}
        ])),
        &deepest,
        &length(1025, &deepest, "between 1 and 1024, inclusive"),
    );
    // The nested list has the same length limit.
    assert_valid(with_runtime(
        json!([{"classification": "a", "configurations": configurations(100)}]),
    ));
    assert_violation(
        with_runtime(json!([{"classification": "a", "configurations": configurations(101)}])),
        &format!("{RUNTIME}/0/configurations"),
        &length(
            101,
            &format!("{RUNTIME}/0/configurations"),
            "between 0 and 100, inclusive",
        ),
    );
}

#[test]
fn properties_map_length() {
    let path = "/configurationOverrides/runtimeConfiguration/0/properties";
    assert_valid(with_runtime(
        json!([{"classification": "c", "properties": entries(100, "v")}]),
    ));
    assert_violation(
        with_runtime(json!([{"classification": "c", "properties": entries(101, "v")}])),
        path,
        "Value with length 101 at '/configurationOverrides/runtimeConfiguration/0/properties' failed to satisfy constraint: Member must have length between 0 and 100, inclusive",
    );
}

#[test]
fn property_keys_are_reported_at_the_map() {
    let path = "/configurationOverrides/runtimeConfiguration/0/properties";
    let rule = "between 1 and 1024, inclusive";
    assert_violations(
        with_runtime(json!([{"classification": "c", "properties": {"": "v"}}])),
        &[
            (
                path,
                "Value with length 0 at '/configurationOverrides/runtimeConfiguration/0/properties' failed to satisfy constraint: Member must have length between 1 and 1024, inclusive",
            ),
            (
                path,
                r"Value at '/configurationOverrides/runtimeConfiguration/0/properties' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.*\S.*$",
            ),
        ],
    );
    assert_violation(
        with_runtime(json!([{"classification": "c", "properties": {" ": "v"}}])),
        path,
        &pattern(path, PROPERTY_PATTERN),
    );
    assert_valid(with_runtime(
        json!([{"classification": "c", "properties": {text(1024): "v"}}]),
    ));
    assert_violation(
        with_runtime(json!([{"classification": "c", "properties": {text(1025): "v"}}])),
        path,
        &length(1025, path, rule),
    );
}

#[test]
fn property_values_are_reported_below_their_key() {
    let path = "/configurationOverrides/runtimeConfiguration/0/properties/spark.executor.cores";
    // Length 0 is allowed, but the pattern wants a non-blank character.
    assert_violation(
        with_runtime(json!([{"classification": "c", "properties": {"spark.executor.cores": ""}}])),
        path,
        r"Value at '/configurationOverrides/runtimeConfiguration/0/properties/spark.executor.cores' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.*\S.*$",
    );
    assert_violation(
        with_runtime(
            json!([{"classification": "c", "properties": {"spark.executor.cores": " \t "}}]),
        ),
        path,
        &pattern(path, PROPERTY_PATTERN),
    );
    assert_valid(with_runtime(
        json!([{"classification": "c", "properties": {"k": text(1024)}}]),
    ));
    assert_violation(
        with_runtime(
            json!([{"classification": "c", "properties": {"spark.executor.cores": text(1025)}}]),
        ),
        path,
        "Value with length 1025 at '/configurationOverrides/runtimeConfiguration/0/properties/spark.executor.cores' failed to satisfy constraint: Member must have length between 0 and 1024, inclusive",
    );
    // In a nested configuration, with a key that needs escaping.
    let nested = format!("{RUNTIME}/0/configurations/1/properties/fs~1s3a~0key");
    assert_violation(
        with_runtime(json!([{"classification": "c", "configurations": [
            {"classification": "d"},
            {"classification": "e", "properties": {"fs/s3a~key": ""}},
        ]}])),
        &nested,
        &pattern(&nested, PROPERTY_PATTERN),
    );
}

#[test]
fn sensitive_property_values_are_not_echoed() {
    const SECRET: &str = "hunter2-correct-horse-battery-staple";
    let input = with_runtime(json!([{"classification": "c", "properties": {
        "spark.executorEnv.DB_PASSWORD": format!("{SECRET}{}", "x".repeat(1024)),
    }}]));
    let error = violations_of(&input);
    let text = format!("{} {:?}", error.message(), error.violations());
    assert!(!text.contains(SECRET), "{text}");
    assert_eq!(
        error.violations()[0].message,
        length(
            SECRET.len() + 1024,
            &format!("{RUNTIME}/0/properties/spark.executorEnv.DB_PASSWORD"),
            "between 0 and 1024, inclusive"
        )
    );
}

// ---------------------------------------------------------------------------
// @required
// ---------------------------------------------------------------------------

#[test]
fn required_members_missing() {
    assert_violations(
        json!({}),
        &[
            (
                "/applicationId",
                "Value at '/applicationId' failed to satisfy constraint: Member must not be null",
            ),
            (
                "/clientToken",
                "Value at '/clientToken' failed to satisfy constraint: Member must not be null",
            ),
            (
                "/executionRoleArn",
                "Value at '/executionRoleArn' failed to satisfy constraint: Member must not be null",
            ),
        ],
    );
    assert_eq!(
        violations_of(&json!({})).message(),
        "3 validation errors detected. \
         Value at '/applicationId' failed to satisfy constraint: Member must not be null; \
         Value at '/clientToken' failed to satisfy constraint: Member must not be null; \
         Value at '/executionRoleArn' failed to satisfy constraint: Member must not be null"
    );
    for member in ["applicationId", "clientToken", "executionRoleArn"] {
        let path = format!("/{member}");
        assert_violation(without(member), &path, &not_null(&path));
    }
    // Names are case-sensitive.
    let mut input = without("applicationId");
    input["ApplicationId"] = json!(APPLICATION_ID);
    assert_violation(input, "/applicationId", &not_null("/applicationId"));
}

#[test]
fn required_members_explicitly_null() {
    assert_violations(
        json!({"applicationId": null, "clientToken": null, "executionRoleArn": null}),
        &[
            ("/applicationId", &not_null("/applicationId")),
            ("/clientToken", &not_null("/clientToken")),
            ("/executionRoleArn", &not_null("/executionRoleArn")),
        ],
    );
    for member in ["applicationId", "clientToken", "executionRoleArn"] {
        let path = format!("/{member}");
        assert_violation(with(json!({member: null})), &path, &not_null(&path));
    }
}

// ---------------------------------------------------------------------------
// Everything at once
// ---------------------------------------------------------------------------

#[test]
fn many_violations_are_all_reported_in_order() {
    let input = json!({
        "applicationId": "APP!",
        "clientToken": "",
        "executionRoleArn": "arn:aws:iam::1:role/x",
        "configurationOverrides": {"runtimeConfiguration": [
            {
                "classification": " ",
                "properties": {"": "v", "k": ""},
                "configurations": [{"classification": null}],
            },
            {"properties": {}},
        ]},
        "tags": {"bad!": "ok", "good": "bad!"},
        "idleTimeoutMinutes": -5,
        "name": "",
    });
    let expected_summary = "15 validation errors detected. \
        Value at '/applicationId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-z]+$; \
        Value with length 0 at '/clientToken' failed to satisfy constraint: Member must have length between 1 and 64, inclusive; \
        Value at '/clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9._-]+$; \
        Value at '/executionRoleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ^arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):(role((\\u002F)|(\\u002F[\\u0021-\\u007F]+\\u002F))[\\w+=,.@-]+)$; \
        Value at '/configurationOverrides/runtimeConfiguration/0/classification' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*; \
        Value with length 0 at '/configurationOverrides/runtimeConfiguration/0/properties' failed to satisfy constraint: Member must have length between 1 and 1024, inclusive; \
        Value at '/configurationOverrides/runtimeConfiguration/0/properties' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.*\\S.*$; \
        Value at '/configurationOverrides/runtimeConfiguration/0/properties/k' failed to satisfy constraint: Member must satisfy regular expression pattern: ^.*\\S.*$; \
        Value at '/configurationOverrides/runtimeConfiguration/0/configurations/0/classification' failed to satisfy constraint: Member must not be null; \
        Value at '/configurationOverrides/runtimeConfiguration/1/classification' failed to satisfy constraint: Member must not be null; \
        Value at '/tags' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9 /_.:=+@-]+$; \
        Value at '/tags/good' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9 /_.:=+@-]*$; \
        Value at '/idleTimeoutMinutes' failed to satisfy constraint: Member must be between 0 and 1000000, inclusive; \
        Value with length 0 at '/name' failed to satisfy constraint: Member must have length between 1 and 256, inclusive; \
        Value at '/name' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*";
    let error = violations_of(&input);
    assert_eq!(error.total(), 15);
    assert_eq!(error.message(), expected_summary);
    assert_eq!(
        InputError::Invalid(error.clone()).to_string(),
        expected_summary
    );
    let paths: Vec<&str> = error.violations().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "/applicationId",
            "/clientToken",
            "/clientToken",
            "/executionRoleArn",
            "/configurationOverrides/runtimeConfiguration/0/classification",
            "/configurationOverrides/runtimeConfiguration/0/properties",
            "/configurationOverrides/runtimeConfiguration/0/properties",
            "/configurationOverrides/runtimeConfiguration/0/properties/k",
            "/configurationOverrides/runtimeConfiguration/0/configurations/0/classification",
            "/configurationOverrides/runtimeConfiguration/1/classification",
            "/tags",
            "/tags/good",
            "/idleTimeoutMinutes",
            "/name",
            "/name",
        ]
    );
}

#[test]
fn hundreds_of_violations_are_counted() {
    // 100 configurations × (classification + 100 property values) = 10,100.
    let properties = entries(100, " ");
    let configurations: Vec<Value> = (0..100)
        .map(|_| json!({"classification": " ", "properties": properties}))
        .collect();
    let error = violations_of(&with_runtime(Value::Array(configurations)));
    assert_eq!(error.total(), 100 * 101);
    assert_eq!(
        error.violations().len(),
        smithy_runtime::validation::MAX_VIOLATIONS
    );
    assert!(
        error
            .message()
            .starts_with("10100 validation errors detected. ")
    );
    assert_eq!(
        error.violations()[0].path,
        format!("{RUNTIME}/0/classification")
    );
    assert_eq!(
        error.violations()[1].path,
        format!("{RUNTIME}/0/properties/k000")
    );
}

// ---------------------------------------------------------------------------
// Malformed input
// ---------------------------------------------------------------------------

#[test]
fn wrong_json_types_are_malformed() {
    let cases = [
        (with(json!({"applicationId": 5})), "/applicationId"),
        (with(json!({"clientToken": ["t"]})), "/clientToken"),
        (with(json!({"executionRoleArn": {}})), "/executionRoleArn"),
        (with(json!({"name": true})), "/name"),
        (
            with(json!({"idleTimeoutMinutes": "60"})),
            "/idleTimeoutMinutes",
        ),
        (
            with(json!({"idleTimeoutMinutes": 1.5})),
            "/idleTimeoutMinutes",
        ),
        (
            with(json!({"idleTimeoutMinutes": 9_223_372_036_854_775_808_u64})),
            "/idleTimeoutMinutes",
        ),
        (with(json!({"tags": []})), "/tags"),
        (with(json!({"tags": {"k": 1}})), "/tags/k"),
        (with(json!({"tags": {"k": null}})), "/tags/k"),
        (
            with(json!({"configurationOverrides": "x"})),
            "/configurationOverrides",
        ),
        (
            with(json!({"configurationOverrides": {"runtimeConfiguration": {}}})),
            RUNTIME,
        ),
        (
            with_runtime(json!([null])),
            "/configurationOverrides/runtimeConfiguration/0",
        ),
        (
            with_runtime(json!(["spark-defaults"])),
            "/configurationOverrides/runtimeConfiguration/0",
        ),
        (
            with_runtime(json!([{"classification": 5}])),
            "/configurationOverrides/runtimeConfiguration/0/classification",
        ),
        (
            with_runtime(json!([{"classification": "c", "properties": []}])),
            "/configurationOverrides/runtimeConfiguration/0/properties",
        ),
        (
            with_runtime(json!([{"classification": "c", "properties": {"k": 4}}])),
            "/configurationOverrides/runtimeConfiguration/0/properties/k",
        ),
        (
            with_runtime(
                json!([{"classification": "c", "configurations": [{"classification": []}]}]),
            ),
            "/configurationOverrides/runtimeConfiguration/0/configurations/0/classification",
        ),
        (json!([]), ""),
        (json!("StartSession"), ""),
        (json!(null), ""),
    ];
    for (input, path) in cases {
        assert_malformed(input, path);
    }
}

#[test]
fn malformed_is_reported_even_with_violations() {
    // Violations before it (applicationId) and after it (name) do not matter.
    assert_malformed(
        with(json!({"applicationId": "BAD", "idleTimeoutMinutes": "60", "name": ""})),
        "/idleTimeoutMinutes",
    );
}

#[test]
fn unknown_members_are_ignored() {
    assert_valid(with(
        json!({"unknown": {"nested": [1, 2, 3]}, "__type": "x"}),
    ));
}

// ---------------------------------------------------------------------------
// Typed values (client side)
// ---------------------------------------------------------------------------

#[test]
fn typed_validate_checks_built_values() {
    let good = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token(CLIENT_TOKEN)
        .execution_role_arn(ROLE_ARN)
        .tags(HashMap::from([("team".to_string(), "data".to_string())]))
        .idle_timeout_minutes(30)
        .configuration_overrides(
            SessionConfigurationOverrides::builder()
                .runtime_configuration(vec![
                    Configuration::builder()
                        .classification("spark-defaults")
                        .properties(HashMap::from([("k".to_string(), "v".to_string())]))
                        .build()
                        .unwrap(),
                ])
                .build(),
        )
        .build()
        .unwrap();
    assert_eq!(good.validate(), Ok(()));

    let bad = StartSessionInput::builder()
        .application_id("")
        .client_token(CLIENT_TOKEN)
        .execution_role_arn(ROLE_ARN)
        .idle_timeout_minutes(-1)
        .configuration_overrides(
            SessionConfigurationOverrides::builder()
                .runtime_configuration(vec![
                    Configuration::builder()
                        .classification(" ")
                        .build()
                        .unwrap(),
                ])
                .build(),
        )
        .build()
        .unwrap();
    match bad.validate() {
        Err(InputError::Invalid(error)) => assert_eq!(
            error.message(),
            format!(
                "4 validation errors detected. {}; {}; {}; {}",
                length(0, "/applicationId", "between 1 and 64, inclusive"),
                pattern("/applicationId", APPLICATION_ID_PATTERN),
                pattern(&format!("{RUNTIME}/0/classification"), NON_BLANK_PATTERN),
                range("/idleTimeoutMinutes", "between 0 and 1000000, inclusive"),
            )
        ),
        other => panic!("{other:?}"),
    }

    // Nested structures validate on their own too, with paths from themselves.
    let configuration = Configuration::builder().classification("").build().unwrap();
    match configuration.validate() {
        Err(InputError::Invalid(error)) => assert_eq!(
            error.violations(),
            [
                Violation {
                    path: "/classification".into(),
                    message: length(0, "/classification", "between 1 and 1024, inclusive")
                },
                Violation {
                    path: "/classification".into(),
                    message: pattern("/classification", NON_BLANK_PATTERN)
                },
            ]
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        smithy_runtime::validation::from_json::<Configuration>(
            &json!({"classification": "c", "properties": {"k": ""}})
        ),
        Err(InputError::Invalid(_))
    ));
}
