//! Constraint validation of Athena `GetSession` input through the generated
//! crate. The model gives `SessionId` `@required` and `@length(min: 1, max:
//! 256)`, and no pattern.

use athena::operation::get_session::GetSessionInput;
use serde_json::{Value, json};
use smithy_runtime::validation::{InputError, Violation};

const LENGTH_RULE: &str = "between 1 and 256, inclusive";

fn length(len: usize) -> String {
    format!(
        "Value with length {len} at '/SessionId' failed to satisfy constraint: Member must have length {LENGTH_RULE}"
    )
}

/// What the server does with a request body: its JSON text read strictly into the typed
/// input, which is then checked.
fn from_body(input: &Value) -> Result<(), InputError> {
    let body = serde_json::to_vec(input).expect("JSON");
    smithy_runtime::validation::from_body::<GetSessionInput>(&body).map(drop)
}

#[track_caller]
fn assert_valid(input: Value) {
    assert_eq!(from_body(&input), Ok(()));
    let parsed = smithy_runtime::validation::from_json::<GetSessionInput>(&input)
        .unwrap_or_else(|error| panic!("{input} refused: {error}"));
    assert_eq!(Some(parsed.session_id()), input["SessionId"].as_str());
    assert_eq!(parsed.validate(), Ok(()));
}

#[track_caller]
fn assert_violation(input: Value, message: &str) {
    let expected = Violation {
        path: "/SessionId".into(),
        message: message.into(),
    };
    match smithy_runtime::validation::from_json::<GetSessionInput>(&input) {
        Err(InputError::Invalid(error)) => {
            assert_eq!(error.violations(), [expected]);
            assert_eq!(error.total(), 1);
            assert_eq!(
                error.message(),
                format!("1 validation error detected. {message}")
            );
        }
        other => panic!("expected a violation for {input}, got {other:?}"),
    }
}

#[track_caller]
fn assert_malformed(input: Value, path: &str) {
    match smithy_runtime::validation::from_json::<GetSessionInput>(&input) {
        Err(InputError::Malformed(error)) => assert_eq!(error.path, path, "{input}"),
        other => panic!("expected a malformed input for {input}, got {other:?}"),
    }
}

#[test]
fn session_id_length_boundaries() {
    assert_violation(
        json!({"SessionId": ""}),
        "Value with length 0 at '/SessionId' failed to satisfy constraint: Member must have length between 1 and 256, inclusive",
    );
    assert_valid(json!({"SessionId": "s"}));
    assert_valid(json!({"SessionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}));
    assert_valid(json!({"SessionId": "s".repeat(256)}));
    assert_violation(
        json!({"SessionId": "s".repeat(257)}),
        "Value with length 257 at '/SessionId' failed to satisfy constraint: Member must have length between 1 and 256, inclusive",
    );
    assert_violation(json!({"SessionId": "s".repeat(10_000)}), &length(10_000));
}

#[test]
fn session_id_length_counts_code_points() {
    // 256 four-byte characters: 1024 bytes, 512 UTF-16 units, 256 code points.
    assert_valid(json!({"SessionId": "👍".repeat(256)}));
    assert_violation(json!({"SessionId": "👍".repeat(257)}), &length(257));
    assert_valid(json!({"SessionId": "e\u{301}".repeat(128)}));
    assert_violation(json!({"SessionId": "e\u{301}".repeat(129)}), &length(258));
}

#[test]
fn session_id_has_no_pattern() {
    // Anything of the right length goes, blank or not.
    for id in [
        " ",
        "\n",
        "with space/and:colons",
        "ünïcödé",
        "'; DROP TABLE sessions; --",
    ] {
        assert_valid(json!({"SessionId": id}));
    }
}

#[test]
fn session_id_is_required() {
    let message = "Value at '/SessionId' failed to satisfy constraint: Member must not be null";
    assert_violation(json!({}), message);
    assert_violation(json!({"SessionId": null}), message);
    // Member names are case-sensitive.
    assert_violation(json!({"sessionId": "s"}), message);
    assert_valid(json!({"SessionId": "s", "Unknown": 1}));
}

#[test]
fn wrong_json_types_are_malformed() {
    assert_malformed(json!({"SessionId": 5}), "/SessionId");
    assert_malformed(json!({"SessionId": ["s"]}), "/SessionId");
    assert_malformed(json!({"SessionId": {"id": "s"}}), "/SessionId");
    assert_malformed(json!({"SessionId": true}), "/SessionId");
    assert_malformed(json!(["SessionId"]), "");
    assert_malformed(json!("s"), "");
    assert_malformed(json!(null), "");
}

#[test]
fn typed_validate() {
    let good = GetSessionInput::builder().session_id("s").build().unwrap();
    assert_eq!(good.validate(), Ok(()));
    let empty = GetSessionInput::builder().session_id("").build().unwrap();
    match empty.validate() {
        Err(InputError::Invalid(error)) => {
            assert_eq!(
                error.message(),
                format!("1 validation error detected. {}", length(0))
            );
        }
        other => panic!("{other:?}"),
    }
    let long = GetSessionInput::builder()
        .session_id("x".repeat(300))
        .build()
        .unwrap();
    match long.validate() {
        Err(InputError::Invalid(error)) => {
            assert_eq!(error.violations()[0].message, length(300));
        }
        other => panic!("{other:?}"),
    }
}
