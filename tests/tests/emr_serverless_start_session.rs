//! Integration tests for the generated `emr_serverless` crate (EMR Serverless
//! `StartSession`, restJson1), exercised over JSON as the service exchanges it.

use std::collections::HashMap;
use std::error::Error as _;

use emr_serverless::operation::start_session::{
    StartSession, StartSessionError, StartSessionInput, StartSessionOutput,
};
use emr_serverless::types::error::{
    ConflictException, InternalServerException, ResourceNotFoundException,
    ServiceQuotaExceededException, ValidationException,
};
use emr_serverless::types::{Configuration, SessionConfigurationOverrides};
use serde_json::{Value, json};
use smithy_runtime::REDACTED;
use smithy_runtime::error::{ErrorMetadata, Unhandled};
use smithy_runtime::validation::InputError;

use integration_tests::wire;

const APPLICATION_ID: &str = "00f1abcdefgh0123";
const ROLE_ARN: &str = "arn:aws:iam::111122223333:role/EMRServerlessSessionRole";
const SESSION_ARN: &str = "arn:aws:emr-serverless:us-east-1:111122223333:/applications/00f1abcdefgh0123/sessions/00f1session0001";

// Sensitive property keys and values: none of these may show up in Debug output.
const SECRET_KEY_1: &str = "spark.hadoop.fs.s3a.secret.key";
const SECRET_VALUE_1: &str = "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY";
const SECRET_KEY_2: &str = "spark.executorEnv.DB_PASSWORD";
const SECRET_VALUE_2: &str = "hunter2-correct-horse";
const SECRET_KEY_3: &str = "javax.jdo.option.ConnectionPassword";
const SECRET_VALUE_3: &str = "deepest-level-secret-42";

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// A three-level `Configuration`: spark-defaults > spark-env > export.
fn nested_configuration() -> Configuration {
    let level3 = Configuration::builder()
        .classification("export")
        .properties(map(&[(SECRET_KEY_3, SECRET_VALUE_3)]))
        .build()
        .unwrap();
    let level2 = Configuration::builder()
        .classification("spark-env")
        .properties(map(&[(SECRET_KEY_2, SECRET_VALUE_2)]))
        .configurations(vec![level3])
        .build()
        .unwrap();
    Configuration::builder()
        .classification("spark-defaults")
        .properties(map(&[
            (SECRET_KEY_1, SECRET_VALUE_1),
            ("spark.executor.cores", "4"),
        ]))
        .configurations(vec![level2])
        .build()
        .unwrap()
}

fn full_input() -> StartSessionInput {
    StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("token-0123456789")
        .execution_role_arn(ROLE_ARN)
        .configuration_overrides(
            SessionConfigurationOverrides::builder()
                .runtime_configuration(vec![
                    nested_configuration(),
                    Configuration::builder()
                        .classification("hive-site")
                        .build()
                        .unwrap(),
                ])
                .build(),
        )
        .tags(map(&[("team", "analytics"), ("env", "prod")]))
        .idle_timeout_minutes(30)
        .name("notebook-session")
        .build()
        .unwrap()
}

fn assert_no_secrets(debug: &str) {
    for secret in [
        SECRET_KEY_1,
        SECRET_VALUE_1,
        SECRET_KEY_2,
        SECRET_VALUE_2,
        SECRET_KEY_3,
        SECRET_VALUE_3,
        "spark.executor.cores",
    ] {
        assert!(
            !debug.contains(secret),
            "Debug output leaks `{secret}`: {debug}"
        );
    }
}

// ---------------------------------------------------------------------------
// StartSessionInput serialization (camelCase wire names)
// ---------------------------------------------------------------------------

#[test]
fn start_session_input_uses_camel_case_wire_names() {
    let body = wire::to_value(&full_input()).unwrap();

    assert_eq!(body["clientToken"], json!("token-0123456789"));
    assert_eq!(body["executionRoleArn"], json!(ROLE_ARN));
    assert_eq!(body["name"], json!("notebook-session"));
    assert_eq!(body["idleTimeoutMinutes"], json!(30));
    assert_eq!(body["tags"], json!({"team": "analytics", "env": "prod"}));
    assert_eq!(
        body["configurationOverrides"],
        json!({
            "runtimeConfiguration": [
                {
                    "classification": "spark-defaults",
                    "properties": { SECRET_KEY_1: SECRET_VALUE_1, "spark.executor.cores": "4" },
                    "configurations": [
                        {
                            "classification": "spark-env",
                            "properties": { SECRET_KEY_2: SECRET_VALUE_2 },
                            "configurations": [
                                {
                                    "classification": "export",
                                    "properties": { SECRET_KEY_3: SECRET_VALUE_3 }
                                }
                            ]
                        }
                    ]
                },
                { "classification": "hive-site" }
            ]
        })
    );

    // No snake_case or PascalCase spellings leak through.
    let text = serde_json::to_string(&body).unwrap();
    for wrong in [
        "client_token",
        "execution_role_arn",
        "configuration_overrides",
        "runtime_configuration",
        "idle_timeout_minutes",
        "ClientToken",
        "Classification",
    ] {
        assert!(!text.contains(wrong), "unexpected `{wrong}` in {text}");
    }
}

#[test]
fn start_session_input_omits_unset_optional_members() {
    let input = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("t")
        .execution_role_arn(ROLE_ARN)
        .build()
        .unwrap();
    let body = wire::to_value(&input).unwrap();
    let object = body.as_object().unwrap();
    for absent in [
        "configurationOverrides",
        "tags",
        "idleTimeoutMinutes",
        "name",
    ] {
        assert!(
            !object.contains_key(absent),
            "`{absent}` should be omitted: {body}"
        );
    }
    assert!(object.values().all(|value| !value.is_null()), "{body}");
    assert_eq!(body["clientToken"], json!("t"));
    assert_eq!(body["executionRoleArn"], json!(ROLE_ARN));

    // An empty overrides structure serializes as `{}`, not with a null list.
    let input = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("t")
        .execution_role_arn(ROLE_ARN)
        .configuration_overrides(SessionConfigurationOverrides::builder().build())
        .build()
        .unwrap();
    assert_eq!(
        wire::to_value(&input).unwrap()["configurationOverrides"],
        json!({})
    );
}

#[test]
fn start_session_input_round_trips() {
    let input = full_input();
    let text = wire::to_string(&input).unwrap();
    let back: StartSessionInput = wire::from_str(&text).unwrap();
    assert_eq!(back, input);
    assert_eq!(
        wire::to_value(&back).unwrap(),
        serde_json::from_str::<Value>(&text).unwrap()
    );
}

// ---------------------------------------------------------------------------
// idleTimeoutMinutes: `Duration` has `@default(0)`, the member overrides it with null
// ---------------------------------------------------------------------------

#[test]
fn idle_timeout_minutes_is_optional_without_default() {
    let input = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("t")
        .execution_role_arn(ROLE_ARN)
        .build()
        .unwrap();
    let idle: Option<i64> = input.idle_timeout_minutes();
    assert_eq!(idle, None, "the shape's default 0 must not be applied");

    let parsed: StartSessionInput = wire::from_value(json!({
        "applicationId": APPLICATION_ID,
        "clientToken": "t",
        "executionRoleArn": ROLE_ARN
    }))
    .unwrap();
    assert_eq!(parsed.idle_timeout_minutes(), None);
    assert_eq!(parsed, input);

    let with_zero = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("t")
        .execution_role_arn(ROLE_ARN)
        .idle_timeout_minutes(0)
        .build()
        .unwrap();
    assert_eq!(with_zero.idle_timeout_minutes(), Some(0));
    // An explicit zero is sent (it differs from "unset").
    assert_eq!(
        wire::to_value(&with_zero).unwrap()["idleTimeoutMinutes"],
        json!(0)
    );
    assert_ne!(with_zero, input);

    // Longs beyond i32 fit.
    let big = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("t")
        .execution_role_arn(ROLE_ARN)
        .idle_timeout_minutes(10_000_000_000_i64)
        .build()
        .unwrap();
    let back: StartSessionInput = wire::from_value(wire::to_value(&big).unwrap()).unwrap();
    assert_eq!(back.idle_timeout_minutes(), Some(10_000_000_000));
}

// ---------------------------------------------------------------------------
// Recursive Configuration
// ---------------------------------------------------------------------------

#[test]
fn recursive_configuration_three_levels_from_json() {
    let body = json!({
        "applicationId": APPLICATION_ID,
        "clientToken": "abc",
        "executionRoleArn": ROLE_ARN,
        "configurationOverrides": {
            "runtimeConfiguration": [{
                "classification": "spark-defaults",
                "properties": {"spark.driver.memory": "8g"},
                "configurations": [{
                    "classification": "spark-env",
                    "configurations": [{
                        "classification": "export",
                        "properties": {"JAVA_HOME": "/usr/lib/jvm/java-17"}
                    }]
                }]
            }]
        }
    });
    let input: StartSessionInput = wire::from_value(body.clone()).unwrap();

    let overrides = input
        .configuration_overrides()
        .expect("configurationOverrides");
    let runtime = overrides.runtime_configuration();
    assert_eq!(runtime.len(), 1);
    let level1 = &runtime[0];
    assert_eq!(level1.classification(), "spark-defaults");
    assert_eq!(
        level1.properties(),
        Some(&map(&[("spark.driver.memory", "8g")]))
    );
    let level2 = &level1.configurations()[0];
    assert_eq!(level2.classification(), "spark-env");
    assert_eq!(level2.properties(), None);
    let level3 = &level2.configurations()[0];
    assert_eq!(level3.classification(), "export");
    assert_eq!(
        level3.properties(),
        Some(&map(&[("JAVA_HOME", "/usr/lib/jvm/java-17")]))
    );
    assert!(level3.configurations().is_empty());
    assert_eq!(level3.configurations, None);

    // And back to exactly the same JSON.
    assert_eq!(wire::to_value(&input).unwrap(), body);
}

#[test]
fn recursive_configuration_round_trips() {
    let configuration = nested_configuration();
    let json = wire::to_value(&configuration).unwrap();
    assert_eq!(
        json["configurations"][0]["configurations"][0]["classification"],
        json!("export")
    );
    assert_eq!(
        json["configurations"][0]["configurations"][0]["properties"][SECRET_KEY_3],
        json!(SECRET_VALUE_3)
    );
    let back: Configuration = wire::from_value(json).unwrap();
    assert_eq!(back, configuration);
    assert_eq!(
        back.configurations()[0].configurations()[0].classification(),
        "export"
    );

    // Deeper than three levels is fine too.
    let mut deep = Configuration::builder()
        .classification("level-0")
        .build()
        .unwrap();
    for level in 1..=20 {
        deep = Configuration::builder()
            .classification(format!("level-{level}"))
            .configurations(vec![deep])
            .build()
            .unwrap();
    }
    let back: Configuration = wire::from_str(&wire::to_string(&deep).unwrap()).unwrap();
    assert_eq!(back, deep);
}

#[test]
fn configuration_requires_classification_at_every_level() {
    // A server refuses a missing `classification` at any depth, naming the path.
    let missing = json!({"classification": "spark-defaults",
        "configurations": [{"classification": "spark-env", "configurations": [{"properties": {}}]}]});
    let input = json!({"applicationId": APPLICATION_ID, "clientToken": "t", "executionRoleArn": ROLE_ARN,
        "configurationOverrides": {"runtimeConfiguration": [missing]}});
    let Err(InputError::Invalid(error)) =
        smithy_runtime::validation::from_json::<StartSessionInput>(&input)
    else {
        panic!("not refused")
    };
    assert_eq!(
        error.violations()[0].path,
        "/configurationOverrides/runtimeConfiguration/0/configurations/0/configurations/0/classification"
    );
    assert!(
        error.violations()[0]
            .message
            .ends_with("Member must not be null")
    );

    // A client reading a response fills it in with "" (client error correction).
    let read: Configuration = wire::from_value(json!({"properties": {"a": "b"}})).unwrap();
    assert_eq!(read.classification(), "");

    let error = Configuration::builder()
        .properties(map(&[("k", "v")]))
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "classification");
}

// ---------------------------------------------------------------------------
// @sensitive: Configuration.properties targets a sensitive map
// ---------------------------------------------------------------------------

#[test]
fn sensitive_properties_are_redacted_in_debug() {
    let configuration = nested_configuration();
    let debug = format!("{configuration:?}");
    assert_no_secrets(&debug);
    assert!(debug.contains(REDACTED), "{debug}");
    assert_eq!(REDACTED, "*** Sensitive Data Redacted ***");
    // Non-sensitive members are still shown, at every level.
    assert!(debug.contains("spark-defaults"), "{debug}");
    assert!(debug.contains("spark-env"), "{debug}");
    assert!(debug.contains("export"), "{debug}");
    // One redaction per level.
    assert_eq!(debug.matches(REDACTED).count(), 3, "{debug}");

    let pretty = format!("{configuration:#?}");
    assert_no_secrets(&pretty);
    assert!(pretty.contains(REDACTED));
}

#[test]
fn sensitive_properties_are_redacted_in_builder_debug() {
    let builder = Configuration::builder()
        .classification("spark-defaults")
        .properties(map(&[(SECRET_KEY_1, SECRET_VALUE_1)]))
        .configurations(vec![nested_configuration()]);
    let debug = format!("{builder:?}");
    assert_no_secrets(&debug);
    assert!(debug.contains("*** Sensitive Data Redacted ***"), "{debug}");
    assert!(debug.contains("spark-defaults"), "{debug}");
}

#[test]
fn sensitive_properties_are_redacted_in_containing_structures() {
    let input = full_input();
    for debug in [
        format!("{input:?}"),
        format!("{:?}", input.configuration_overrides().unwrap()),
        format!(
            "{:?}",
            StartSessionInput::builder()
                .configuration_overrides(input.configuration_overrides().unwrap().clone())
        ),
        format!(
            "{:?}",
            SessionConfigurationOverrides::builder()
                .runtime_configuration(vec![nested_configuration()])
        ),
    ] {
        assert_no_secrets(&debug);
        assert!(debug.contains(REDACTED), "{debug}");
    }
    // Non-sensitive members of the input are still visible.
    let debug = format!("{input:?}");
    assert!(debug.contains("token-0123456789"), "{debug}");
    assert!(debug.contains("analytics"), "{debug}");
}

#[test]
fn sensitive_properties_are_still_accessible_and_serialized() {
    // Redaction is only for Debug; the value is intact and goes over the wire.
    let configuration = nested_configuration();
    assert_eq!(
        configuration
            .properties()
            .unwrap()
            .get(SECRET_KEY_1)
            .map(String::as_str),
        Some(SECRET_VALUE_1)
    );
    let text = wire::to_string(&configuration).unwrap();
    assert!(
        text.contains(SECRET_VALUE_1) && text.contains(SECRET_VALUE_3),
        "{text}"
    );
}

// ---------------------------------------------------------------------------
// StartSessionOutput
// ---------------------------------------------------------------------------

#[test]
fn start_session_output_from_response_body() {
    let output: StartSessionOutput = wire::from_str(&format!(
        r#"{{"applicationId": "{APPLICATION_ID}", "sessionId": "00f1session0001", "arn": "{SESSION_ARN}"}}"#
    ))
    .unwrap();
    assert_eq!(output.application_id(), APPLICATION_ID);
    assert_eq!(output.session_id(), "00f1session0001");
    assert_eq!(output.arn(), SESSION_ARN);

    // Unknown members (e.g. fields a newer service version adds) are ignored.
    let with_extra: StartSessionOutput = wire::from_value(json!({
        "applicationId": APPLICATION_ID,
        "sessionId": "00f1session0001",
        "arn": SESSION_ARN,
        "state": "SUBMITTED",
        "createdAt": 1700000000.5,
        "nested": {"a": [null]}
    }))
    .unwrap();
    assert_eq!(with_extra, output);

    assert_eq!(
        wire::to_value(&output).unwrap(),
        json!({"applicationId": APPLICATION_ID, "sessionId": "00f1session0001", "arn": SESSION_ARN})
    );
}

#[test]
fn start_session_output_missing_required_member_is_error_corrected() {
    // A client fills in what a service left out (or sent as null) with zero values,
    // as Smithy's client error correction says, instead of failing the whole call.
    let full = json!({"applicationId": APPLICATION_ID, "sessionId": "s", "arn": SESSION_ARN});
    for member in ["applicationId", "sessionId", "arn"] {
        let mut body = full.clone();
        body.as_object_mut().unwrap().remove(member);
        let output: StartSessionOutput = wire::from_value(body).unwrap();
        let value = wire::to_value(&output).unwrap();
        assert_eq!(value[member], "", "{member}");
    }
    let mut body = full.clone();
    body["arn"] = Value::Null;
    let output: StartSessionOutput = wire::from_value(body).unwrap();
    assert_eq!(output.arn(), "");
    assert_eq!(output.session_id(), "s");
}

#[test]
fn start_session_output_builder() {
    let output = StartSessionOutput::builder()
        .application_id(APPLICATION_ID)
        .session_id("s")
        .arn(SESSION_ARN)
        .build()
        .unwrap();
    assert_eq!(output.session_id(), "s");

    let error = StartSessionOutput::builder()
        .application_id(APPLICATION_ID)
        .arn(SESSION_ARN)
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "session_id");
    let error = StartSessionOutput::builder()
        .application_id(APPLICATION_ID)
        .session_id("s")
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "arn");
}

// ---------------------------------------------------------------------------
// StartSessionInput builder
// ---------------------------------------------------------------------------

#[test]
fn start_session_input_builder_required_members() {
    assert_eq!(
        StartSessionInput::builder().build().unwrap_err().field(),
        "application_id"
    );

    let complete = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("t")
        .execution_role_arn(ROLE_ARN);
    assert!(complete.clone().build().is_ok());

    let error = complete.clone().set_client_token(None).build().unwrap_err();
    assert_eq!(error.field(), "client_token");
    assert!(error.to_string().contains("client_token"), "{error}");

    let error = complete
        .clone()
        .set_execution_role_arn(None)
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "execution_role_arn");

    // Optional members are not required.
    let input = complete.build().unwrap();
    assert_eq!(input.application_id(), APPLICATION_ID);
    assert_eq!(input.client_token(), "t");
    assert_eq!(input.execution_role_arn(), ROLE_ARN);
    assert!(input.configuration_overrides().is_none());
    assert!(input.tags().is_none());
    assert_eq!(input.name(), None);
}

#[test]
fn start_session_input_accessors() {
    let input = full_input();
    assert_eq!(input.name(), Some("notebook-session"));
    assert_eq!(input.idle_timeout_minutes(), Some(30));
    assert_eq!(
        input.tags(),
        Some(&map(&[("team", "analytics"), ("env", "prod")]))
    );
    let runtime = input
        .configuration_overrides()
        .unwrap()
        .runtime_configuration();
    assert_eq!(runtime.len(), 2);
    assert_eq!(runtime[1].classification(), "hive-site");
    assert!(runtime[1].configurations().is_empty());
    assert_eq!(runtime[1].properties(), None);
    // An absent list reads as an empty slice.
    assert!(
        SessionConfigurationOverrides::builder()
            .build()
            .runtime_configuration()
            .is_empty()
    );
}

#[test]
fn start_session_input_missing_required_member_in_json_names_it() {
    // What a server does with a request: the missing member is a violation at its path.
    let Err(InputError::Invalid(error)) =
        smithy_runtime::validation::from_json::<StartSessionInput>(&json!({
            "applicationId": APPLICATION_ID,
            "executionRoleArn": ROLE_ARN
        }))
    else {
        panic!("a request without clientToken is refused")
    };
    assert_eq!(
        error.message(),
        "1 validation error detected. Value at '/clientToken' failed to satisfy constraint: Member must not be null"
    );
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn error_structures_display_and_error() {
    let cases: Vec<(Box<dyn std::error::Error + Send + Sync>, &str)> = vec![
        (
            Box::new(
                ConflictException::builder()
                    .message("session exists")
                    .build()
                    .unwrap(),
            ),
            "ConflictException",
        ),
        (
            Box::new(
                InternalServerException::builder()
                    .message("oops")
                    .build()
                    .unwrap(),
            ),
            "InternalServerException",
        ),
        (
            Box::new(
                ResourceNotFoundException::builder()
                    .message("Application 00f1 not found")
                    .build()
                    .unwrap(),
            ),
            "ResourceNotFoundException",
        ),
        (
            Box::new(
                ServiceQuotaExceededException::builder()
                    .message("too many sessions")
                    .build()
                    .unwrap(),
            ),
            "ServiceQuotaExceededException",
        ),
        (
            Box::new(
                ValidationException::builder()
                    .message("bad role")
                    .build()
                    .unwrap(),
            ),
            "ValidationException",
        ),
    ];
    let messages = [
        "session exists",
        "oops",
        "Application 00f1 not found",
        "too many sessions",
        "bad role",
    ];
    for ((error, name), message) in cases.iter().zip(messages) {
        let text = error.to_string();
        assert!(text.contains(message), "{text}");
        assert!(text.contains(name), "{text}");
        assert!(error.source().is_none());
    }
    assert_eq!(
        ResourceNotFoundException::builder()
            .message("Application 00f1 not found")
            .build()
            .unwrap()
            .to_string(),
        "ResourceNotFoundException: Application 00f1 not found"
    );
}

#[test]
fn error_structures_require_message() {
    // `message` is @required on every EMR Serverless error: builders insist on it...
    assert_eq!(
        ConflictException::builder().build().unwrap_err().field(),
        "message"
    );
    assert_eq!(
        ValidationException::builder().build().unwrap_err().field(),
        "message"
    );
    // ...while a client reading an error body without one still gets the modeled error.
    let error: ValidationException = wire::from_value(json!({})).unwrap();
    assert_eq!(error.message(), "");
}

#[test]
fn error_structures_from_rest_json_error_bodies() {
    // restJson1 error bodies; the code may also travel in a `__type`/`code` member.
    let error: ValidationException = wire::from_str(
        r#"{"message": "1 validation error detected: Value at 'executionRoleArn' failed to satisfy constraint"}"#,
    )
    .unwrap();
    assert!(error.message().starts_with("1 validation error detected"));

    let error: ServiceQuotaExceededException = wire::from_str(
        r#"{"__type": "ServiceQuotaExceededException", "code": "ServiceQuotaExceededException", "message": "Maximum sessions reached"}"#,
    )
    .unwrap();
    assert_eq!(error.message(), "Maximum sessions reached");
    assert_eq!(
        wire::to_value(&error).unwrap(),
        json!({"message": "Maximum sessions reached"})
    );
}

#[test]
fn start_session_error_has_one_variant_per_modeled_error() {
    let errors: Vec<StartSessionError> = vec![
        ConflictException::builder()
            .message("m0")
            .build()
            .unwrap()
            .into(),
        InternalServerException::builder()
            .message("m1")
            .build()
            .unwrap()
            .into(),
        ResourceNotFoundException::builder()
            .message("m2")
            .build()
            .unwrap()
            .into(),
        ServiceQuotaExceededException::builder()
            .message("m3")
            .build()
            .unwrap()
            .into(),
        ValidationException::builder()
            .message("m4")
            .build()
            .unwrap()
            .into(),
    ];
    let expected_codes = [
        "ConflictException",
        "InternalServerException",
        "ResourceNotFoundException",
        "ServiceQuotaExceededException",
        "ValidationException",
    ];
    for (index, error) in errors.iter().enumerate() {
        assert_eq!(error.code(), Some(expected_codes[index]));
        let predicates = [
            error.is_conflict_exception(),
            error.is_internal_server_exception(),
            error.is_resource_not_found_exception(),
            error.is_service_quota_exceeded_exception(),
            error.is_validation_exception(),
        ];
        for (other, flag) in predicates.iter().enumerate() {
            assert_eq!(*flag, index == other, "{error:?}");
        }
        let text = error.to_string();
        assert!(text.contains(&format!("m{index}")), "{text}");
        assert!(text.starts_with(expected_codes[index]), "{text}");
        assert!(error.source().is_none());
    }

    match &errors[0] {
        StartSessionError::ConflictException(inner) => assert_eq!(inner.message(), "m0"),
        other => panic!("unexpected {other:?}"),
    }
    match &errors[1] {
        StartSessionError::InternalServerException(inner) => assert_eq!(inner.message(), "m1"),
        other => panic!("unexpected {other:?}"),
    }
    match &errors[2] {
        StartSessionError::ResourceNotFoundException(inner) => assert_eq!(inner.message(), "m2"),
        other => panic!("unexpected {other:?}"),
    }
    match &errors[3] {
        StartSessionError::ServiceQuotaExceededException(inner) => {
            assert_eq!(inner.message(), "m3")
        }
        other => panic!("unexpected {other:?}"),
    }
    match &errors[4] {
        StartSessionError::ValidationException(inner) => assert_eq!(inner.message(), "m4"),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn start_session_error_unhandled() {
    let meta = ErrorMetadata::builder()
        .code("AccessDeniedException")
        .message("User is not authorized")
        .status(403)
        .build();
    let error = StartSessionError::Unhandled(Unhandled::new(meta));
    assert_eq!(error.code(), Some("AccessDeniedException"));
    assert!(!error.is_conflict_exception());
    assert!(!error.is_internal_server_exception());
    assert!(!error.is_resource_not_found_exception());
    assert!(!error.is_service_quota_exceeded_exception());
    assert!(!error.is_validation_exception());
    assert!(
        error.to_string().contains("User is not authorized"),
        "{error}"
    );
    assert!(error.source().is_none());

    let parse_failure = wire::from_str::<StartSessionOutput>("not json").unwrap_err();
    let error = StartSessionError::Unhandled(
        Unhandled::new(ErrorMetadata::default()).with_source(parse_failure),
    );
    assert_eq!(error.code(), None);
    assert!(
        error
            .source()
            .unwrap()
            .downcast_ref::<smithy_runtime::wire::WireError>()
            .is_some()
    );
}

#[test]
fn start_session_error_boxes_and_downcasts() {
    fn start() -> Result<StartSessionOutput, StartSessionError> {
        Err(ServiceQuotaExceededException::builder()
            .message("quota")
            .build()
            .unwrap())?
    }
    fn caller() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        start()?;
        Ok(())
    }
    let error = caller().unwrap_err();
    assert_eq!(error.to_string(), "ServiceQuotaExceededException: quota");
    let error = error.downcast::<StartSessionError>().unwrap();
    assert!(error.is_service_quota_exceeded_exception());
}

// ---------------------------------------------------------------------------
// Crate metadata
// ---------------------------------------------------------------------------

#[test]
fn crate_metadata_constants() {
    assert_eq!(emr_serverless::SDK_ID, "EMR Serverless");
    assert_eq!(emr_serverless::SERVICE_NAME, "AwsToledoWebService");
    assert_eq!(emr_serverless::API_VERSION, "2021-07-13");
    assert_eq!(emr_serverless::SIGNING_NAME, Some("emr-serverless"));
    assert_eq!(emr_serverless::ENDPOINT_PREFIX, Some("emr-serverless"));
    assert_eq!(emr_serverless::PROTOCOL, "aws.protocols#restJson1");
    assert_eq!(StartSession::NAME, "StartSession");
    assert_ne!(emr_serverless::PROTOCOL, athena::PROTOCOL);
}

#[test]
fn generated_types_are_send_sync_and_static() {
    fn check<T: Send + Sync + 'static>() {}
    check::<StartSessionInput>();
    check::<StartSessionOutput>();
    check::<StartSessionError>();
    check::<Configuration>();
    check::<emr_serverless::types::builders::ConfigurationBuilder>();
}
