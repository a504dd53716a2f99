//! Integration tests for the generated `athena` crate (Amazon Athena `GetSession`,
//! awsJson1_1), exercised over JSON bodies shaped like the ones the service sends.

use std::collections::HashMap;
use std::error::Error as _;

use athena::operation::get_session::{
    GetSession, GetSessionError, GetSessionInput, GetSessionOutput,
};
use athena::types::error::{
    InternalServerException, InvalidRequestException, ResourceNotFoundException,
};
use athena::types::{
    Classification, CloudWatchLoggingConfiguration, EncryptionConfiguration, EncryptionOption,
    EngineConfiguration, ManagedLoggingConfiguration, MonitoringConfiguration,
    S3LoggingConfiguration, SessionConfiguration, SessionState, SessionStatistics, SessionStatus,
};
use serde_json::{Value, json};
use smithy_runtime::error::{ErrorMetadata, Unhandled};
use smithy_runtime::{BuildError, DateTime};

use integration_tests::wire;

/// A `GetSession` response body as Athena sends it: PascalCase member names,
/// timestamps as epoch seconds (one of them fractional).
const GET_SESSION_RESPONSE: &str = r#"{
    "SessionId": "a1b2c3d4-5678-90ab-cdef-EXAMPLE11111",
    "Description": "Exploratory notebook session",
    "WorkGroup": "spark-wg",
    "EngineVersion": "PySpark engine version 3",
    "EngineConfiguration": {
        "CoordinatorDpuSize": 1,
        "MaxConcurrentDpus": 60,
        "DefaultExecutorDpuSize": 1,
        "AdditionalConfigs": {
            "NotebookId": "nb-0123456789",
            "NotebookIframeParentUrl": "https://console.aws.amazon.com"
        },
        "SparkProperties": {
            "spark.sql.shuffle.partitions": "200",
            "spark.executor.memory": "4g"
        },
        "Classifications": [
            {
                "Name": "spark-defaults",
                "Properties": { "spark.dynamicAllocation.enabled": "true" }
            }
        ]
    },
    "NotebookVersion": "Athena notebook version 1",
    "MonitoringConfiguration": {
        "CloudWatchLoggingConfiguration": {
            "Enabled": true,
            "LogGroup": "/aws/athena/spark",
            "LogStreamNamePrefix": "session-",
            "LogTypes": { "SPARK_DRIVER": ["STDOUT", "STDERR"], "SPARK_EXECUTOR": ["STDERR"] }
        },
        "ManagedLoggingConfiguration": {
            "Enabled": false
        },
        "S3LoggingConfiguration": {
            "Enabled": true,
            "KmsKey": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "LogLocation": "s3://my-athena-logs/spark/"
        }
    },
    "SessionConfiguration": {
        "ExecutionRole": "arn:aws:iam::111122223333:role/AthenaSparkRole",
        "WorkingDirectory": "s3://my-athena-results/sessions/",
        "IdleTimeoutSeconds": 1200,
        "SessionIdleTimeoutInMinutes": 20,
        "EncryptionConfiguration": {
            "EncryptionOption": "SSE_KMS",
            "KmsKey": "alias/athena-results"
        }
    },
    "Status": {
        "StartDateTime": 1700000000.123,
        "LastModifiedDateTime": 1700000100,
        "EndDateTime": 1700003600.5,
        "IdleSinceDateTime": 1700000200,
        "State": "IDLE",
        "StateChangeReason": "Session is ready"
    },
    "Statistics": {
        "DpuExecutionInMillis": 3600000
    }
}"#;

fn parse_output(body: &str) -> GetSessionOutput {
    wire::from_str(body).expect("GetSession response body should deserialize")
}

fn status_with(body: Value) -> Result<SessionStatus, smithy_runtime::wire::WireError> {
    wire::from_value(body)
}

fn map(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

// ---------------------------------------------------------------------------
// Deserializing a realistic response
// ---------------------------------------------------------------------------

#[test]
fn get_session_output_top_level_members() {
    let output = parse_output(GET_SESSION_RESPONSE);
    assert_eq!(
        output.session_id(),
        Some("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
    );
    assert_eq!(output.description(), Some("Exploratory notebook session"));
    assert_eq!(output.work_group(), Some("spark-wg"));
    assert_eq!(output.engine_version(), Some("PySpark engine version 3"));
    assert_eq!(output.notebook_version(), Some("Athena notebook version 1"));
    assert_eq!(
        output
            .statistics()
            .and_then(SessionStatistics::dpu_execution_in_millis),
        Some(3_600_000)
    );
}

#[test]
fn get_session_output_status_and_timestamps() {
    let output = parse_output(GET_SESSION_RESPONSE);
    let status = output.status().expect("Status is present");

    assert_eq!(status.state(), Some(&SessionState::Idle));
    assert_eq!(status.state_change_reason(), Some("Session is ready"));

    // Fractional epoch seconds keep their milliseconds.
    let start = status.start_date_time().expect("StartDateTime");
    assert_eq!(start.secs(), 1_700_000_000);
    assert_eq!(start.subsec_nanos(), 123_000_000);
    assert_eq!(start.to_millis(), 1_700_000_000_123);
    assert_eq!(start, DateTime::from_millis(1_700_000_000_123));
    assert_eq!(start.to_string(), "2023-11-14T22:13:20.123Z");

    let modified = status
        .last_modified_date_time()
        .expect("LastModifiedDateTime");
    assert_eq!(modified, DateTime::from_secs(1_700_000_100));
    assert_eq!(modified.subsec_nanos(), 0);

    let end = status.end_date_time().expect("EndDateTime");
    assert_eq!(end.secs(), 1_700_003_600);
    assert_eq!(end.subsec_nanos(), 500_000_000);

    assert_eq!(
        status.idle_since_date_time(),
        Some(DateTime::from_secs(1_700_000_200))
    );
    assert!(start < modified && modified < end);
}

#[test]
fn get_session_output_engine_configuration() {
    let output = parse_output(GET_SESSION_RESPONSE);
    let engine = output.engine_configuration().expect("EngineConfiguration");

    assert_eq!(engine.coordinator_dpu_size(), Some(1));
    assert_eq!(engine.max_concurrent_dpus(), 60);
    assert_eq!(engine.default_executor_dpu_size(), Some(1));

    let additional = engine.additional_configs().expect("AdditionalConfigs");
    assert_eq!(
        additional,
        &map(&[
            ("NotebookId", "nb-0123456789"),
            ("NotebookIframeParentUrl", "https://console.aws.amazon.com"),
        ])
    );

    let spark = engine.spark_properties().expect("SparkProperties");
    assert_eq!(spark.len(), 2);
    assert_eq!(
        spark
            .get("spark.sql.shuffle.partitions")
            .map(String::as_str),
        Some("200")
    );
    assert_eq!(
        spark.get("spark.executor.memory").map(String::as_str),
        Some("4g")
    );

    let classifications = engine.classifications();
    assert_eq!(classifications.len(), 1);
    assert_eq!(classifications[0].name(), Some("spark-defaults"));
    assert_eq!(
        classifications[0].properties(),
        Some(&map(&[("spark.dynamicAllocation.enabled", "true")]))
    );
}

#[test]
fn get_session_output_monitoring_configuration() {
    let output = parse_output(GET_SESSION_RESPONSE);
    let monitoring = output
        .monitoring_configuration()
        .expect("MonitoringConfiguration");

    let cloud_watch = monitoring
        .cloud_watch_logging_configuration()
        .expect("CloudWatch");
    assert!(cloud_watch.enabled());
    assert_eq!(cloud_watch.log_group(), Some("/aws/athena/spark"));
    assert_eq!(cloud_watch.log_stream_name_prefix(), Some("session-"));
    let log_types = cloud_watch.log_types().expect("LogTypes");
    assert_eq!(log_types.len(), 2);
    assert_eq!(
        log_types["SPARK_DRIVER"],
        vec!["STDOUT".to_string(), "STDERR".to_string()]
    );
    assert_eq!(log_types["SPARK_EXECUTOR"], vec!["STDERR".to_string()]);

    let managed = monitoring.managed_logging_configuration().expect("Managed");
    assert!(!managed.enabled());
    assert_eq!(managed.kms_key(), None);

    let s3 = monitoring.s3_logging_configuration().expect("S3");
    assert!(s3.enabled());
    assert_eq!(
        s3.kms_key(),
        Some("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
    );
    assert_eq!(s3.log_location(), Some("s3://my-athena-logs/spark/"));
}

#[test]
fn get_session_output_session_configuration() {
    let output = parse_output(GET_SESSION_RESPONSE);
    let config = output
        .session_configuration()
        .expect("SessionConfiguration");

    assert_eq!(
        config.execution_role(),
        Some("arn:aws:iam::111122223333:role/AthenaSparkRole")
    );
    assert_eq!(
        config.working_directory(),
        Some("s3://my-athena-results/sessions/")
    );
    assert_eq!(config.idle_timeout_seconds(), Some(1200));
    assert_eq!(config.session_idle_timeout_in_minutes(), Some(20));

    let encryption = config
        .encryption_configuration()
        .expect("EncryptionConfiguration");
    assert_eq!(encryption.encryption_option(), &EncryptionOption::SseKms);
    assert_eq!(encryption.kms_key(), Some("alias/athena-results"));
}

#[test]
fn empty_response_body_gives_all_members_unset() {
    // Every GetSessionResponse member is optional, so `{}` is a valid response.
    let output = parse_output("{}");
    assert_eq!(output, GetSessionOutput::builder().build());
    assert_eq!(output.session_id(), None);
    assert_eq!(output.description(), None);
    assert_eq!(output.work_group(), None);
    assert_eq!(output.engine_version(), None);
    assert!(output.engine_configuration().is_none());
    assert_eq!(output.notebook_version(), None);
    assert!(output.monitoring_configuration().is_none());
    assert!(output.session_configuration().is_none());
    assert!(output.status().is_none());
    assert!(output.statistics().is_none());
}

#[test]
fn explicit_null_optional_members_are_treated_as_absent() {
    // awsJson1_1 protocol test AwsJson11StructuresDontDeserializeNullValues.
    let output = parse_output(
        r#"{"SessionId": "s-1", "Description": null, "Status": {"State": null, "EndDateTime": null}}"#,
    );
    assert_eq!(output.session_id(), Some("s-1"));
    assert_eq!(output.description(), None);
    let status = output.status().unwrap();
    assert_eq!(status.state(), None);
    assert_eq!(status.end_date_time(), None);
}

#[test]
fn explicit_null_for_member_with_default_takes_the_default() {
    // Null structure values are dropped (AwsJson11StructuresDontDeserializeNullValues),
    // so a null member with a `@default` behaves like an absent one.
    let engine: EngineConfiguration = wire::from_value(json!({"MaxConcurrentDpus": null}))
        .expect("null should be treated as absent");
    assert_eq!(engine.max_concurrent_dpus(), 20);
}

// ---------------------------------------------------------------------------
// Unknown members
// ---------------------------------------------------------------------------

#[test]
fn unknown_members_are_ignored_at_every_level() {
    let mut body: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
    let expected = parse_output(GET_SESSION_RESPONSE);

    body["__type"] = json!("com.amazonaws.athena#GetSessionResponse");
    body["SomeFutureMember"] = json!({"Nested": [1, 2, {"x": null}]});
    body["Status"]["FutureTimestamp"] = json!(1700000000.5);
    body["EngineConfiguration"]["FutureFlag"] = json!(true);
    body["SessionConfiguration"]["EncryptionConfiguration"]["Algorithm"] = json!("AES256");
    body["MonitoringConfiguration"]["S3LoggingConfiguration"]["Extra"] = json!(null);

    let output: GetSessionOutput = wire::from_value(body).expect("unknown members are ignored");
    assert_eq!(output, expected);
}

#[test]
fn unknown_members_are_ignored_in_error_bodies() {
    // awsJson1_1 error bodies carry `__type`, which is not a modeled member.
    let error: ResourceNotFoundException = wire::from_str(
        r#"{"__type": "com.amazonaws.athena#ResourceNotFoundException",
            "Message": "Session a1b2 was not found",
            "ResourceName": "a1b2"}"#,
    )
    .unwrap();
    assert_eq!(error.message(), Some("Session a1b2 was not found"));
    assert_eq!(error.resource_name(), Some("a1b2"));

    let error: InvalidRequestException = wire::from_str(
        r#"{"__type": "InvalidRequestException", "AthenaErrorCode": "INVALID_INPUT",
            "Message": "SessionId is malformed"}"#,
    )
    .unwrap();
    assert_eq!(error.athena_error_code(), Some("INVALID_INPUT"));
    assert_eq!(error.message(), Some("SessionId is malformed"));
}

// ---------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------

#[test]
fn unknown_session_state_is_preserved_and_serialized_back_unchanged() {
    let status = status_with(json!({"State": "HIBERNATING"})).unwrap();
    assert_eq!(
        status.state(),
        Some(&SessionState::Unknown("HIBERNATING".into()))
    );
    assert_eq!(status.state().unwrap().as_str(), "HIBERNATING");
    assert_eq!(
        wire::to_value(&status).unwrap(),
        json!({"State": "HIBERNATING"})
    );

    // Same through the full output.
    let mut body: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
    body["Status"]["State"] = json!("HIBERNATING");
    let output: GetSessionOutput = wire::from_value(body).unwrap();
    assert_eq!(
        output.status().unwrap().state(),
        Some(&SessionState::Unknown("HIBERNATING".to_string()))
    );
    let reserialized = wire::to_value(&output).unwrap();
    assert_eq!(reserialized["Status"]["State"], json!("HIBERNATING"));
}

#[test]
fn enum_values_are_case_sensitive() {
    assert_eq!(
        SessionState::from("idle"),
        SessionState::Unknown("idle".into())
    );
    assert_eq!(
        EncryptionOption::from("sse_kms"),
        EncryptionOption::Unknown("sse_kms".into())
    );
}

#[test]
fn every_known_session_state_round_trips() {
    let expected = [
        ("CREATING", SessionState::Creating),
        ("CREATED", SessionState::Created),
        ("IDLE", SessionState::Idle),
        ("BUSY", SessionState::Busy),
        ("TERMINATING", SessionState::Terminating),
        ("TERMINATED", SessionState::Terminated),
        ("DEGRADED", SessionState::Degraded),
        ("FAILED", SessionState::Failed),
    ];
    // `values()` lists exactly the model's values, in model order.
    assert_eq!(
        SessionState::values(),
        expected
            .iter()
            .map(|(wire, _)| *wire)
            .collect::<Vec<_>>()
            .as_slice()
    );
    for (wire, variant) in expected {
        assert_eq!(SessionState::from(wire), variant, "From<&str> for {wire}");
        assert_eq!(
            wire.parse::<SessionState>().unwrap(),
            variant,
            "FromStr for {wire}"
        );
        assert_eq!(variant.as_str(), wire);
        assert_eq!(variant.to_string(), wire, "Display for {wire}");
        assert!(!matches!(variant, SessionState::Unknown(_)));

        let status = status_with(json!({ "State": wire })).unwrap();
        assert_eq!(status.state(), Some(&variant));
        assert_eq!(wire::to_value(&status).unwrap(), json!({ "State": wire }));
    }
}

#[test]
fn every_known_encryption_option_round_trips() {
    let expected = [
        ("SSE_S3", EncryptionOption::SseS3),
        ("SSE_KMS", EncryptionOption::SseKms),
        ("CSE_KMS", EncryptionOption::CseKms),
    ];
    assert_eq!(
        EncryptionOption::values(),
        &["SSE_S3", "SSE_KMS", "CSE_KMS"]
    );
    for (wire, variant) in expected {
        assert_eq!(EncryptionOption::from(wire), variant);
        assert_eq!(variant.as_str(), wire);
        let config: EncryptionConfiguration =
            wire::from_value(json!({ "EncryptionOption": wire })).unwrap();
        assert_eq!(config.encryption_option(), &variant);
        assert_eq!(
            wire::to_value(&config).unwrap(),
            json!({ "EncryptionOption": wire })
        );
    }
    let config: EncryptionConfiguration =
        wire::from_value(json!({"EncryptionOption": "DSSE_KMS"})).unwrap();
    assert_eq!(
        config.encryption_option(),
        &EncryptionOption::Unknown("DSSE_KMS".into())
    );
    assert_eq!(
        wire::to_value(&config).unwrap(),
        json!({"EncryptionOption": "DSSE_KMS"})
    );
}

#[test]
fn enum_rejects_non_string_json() {
    assert!(status_with(json!({"State": 3})).is_err());
    assert!(status_with(json!({"State": ["IDLE"]})).is_err());
}

// ---------------------------------------------------------------------------
// Round trips and serialized shape
// ---------------------------------------------------------------------------

#[test]
fn round_trip_is_lossless_and_reproduces_the_wire_body() {
    let original: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
    let output = parse_output(GET_SESSION_RESPONSE);

    let serialized = wire::to_value(&output).unwrap();
    // Same member names (PascalCase), same values, nothing added.
    assert_eq!(serialized, original);

    let again: GetSessionOutput = wire::from_value(serialized).unwrap();
    assert_eq!(again, output);

    let text = wire::to_string(&output).unwrap();
    assert!(text.contains(r#""StartDateTime":1700000000.123"#), "{text}");
    assert!(
        text.contains(r#""LastModifiedDateTime":1700000100,"#)
            || text.contains(r#""LastModifiedDateTime":1700000100}"#),
        "{text}"
    );
    assert!(!text.contains("null"), "{text}");
}

#[test]
fn unset_optional_members_are_omitted_not_null() {
    let output = GetSessionOutput::builder()
        .session_id("s-1")
        .status(SessionStatus::builder().state(SessionState::Busy).build())
        .build();
    assert_eq!(
        wire::to_value(&output).unwrap(),
        json!({"SessionId": "s-1", "Status": {"State": "BUSY"}})
    );

    let nested = GetSessionOutput::builder()
        .session_configuration(
            SessionConfiguration::builder()
                .encryption_configuration(
                    EncryptionConfiguration::builder()
                        .encryption_option(EncryptionOption::SseS3)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .monitoring_configuration(
            MonitoringConfiguration::builder()
                .managed_logging_configuration(
                    ManagedLoggingConfiguration::builder()
                        .enabled(true)
                        .build()
                        .unwrap(),
                )
                .build(),
        )
        .build();
    assert_eq!(
        wire::to_value(&nested).unwrap(),
        json!({
            "SessionConfiguration": {"EncryptionConfiguration": {"EncryptionOption": "SSE_S3"}},
            "MonitoringConfiguration": {"ManagedLoggingConfiguration": {"Enabled": true}}
        })
    );
    assert_eq!(
        wire::to_value(&GetSessionOutput::builder().build()).unwrap(),
        json!({})
    );
}

#[test]
fn get_session_input_serializes_as_awsjson_request_body() {
    let input = GetSessionInput::builder()
        .session_id("a1b2c3d4-5678-90ab-cdef-EXAMPLE11111")
        .build()
        .unwrap();
    assert_eq!(
        wire::to_string(&input).unwrap(),
        r#"{"SessionId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}"#
    );
    let back: GetSessionInput =
        wire::from_str(r#"{"SessionId":"a1b2c3d4-5678-90ab-cdef-EXAMPLE11111"}"#).unwrap();
    assert_eq!(back, input);
}

// ---------------------------------------------------------------------------
// Required members
// ---------------------------------------------------------------------------

#[test]
fn missing_required_members_are_error_corrected_when_read() {
    // A client reading a response fills in what the service left out with zero values
    // (Smithy's client error correction) rather than failing the call.
    let input: GetSessionInput = wire::from_str("{}").unwrap();
    assert_eq!(input.session_id(), "");
    // Wire names are case-sensitive: `sessionId` is not `SessionId`.
    let input: GetSessionInput = wire::from_str(r#"{"sessionId":"s-1"}"#).unwrap();
    assert_eq!(input.session_id(), "");

    // Required members nested inside the (optional) output members.
    let mut body: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
    body["SessionConfiguration"]["EncryptionConfiguration"]
        .as_object_mut()
        .unwrap()
        .remove("EncryptionOption");
    let output: GetSessionOutput = wire::from_value(body).unwrap();
    let encryption = output
        .session_configuration()
        .unwrap()
        .encryption_configuration()
        .unwrap();
    assert_eq!(encryption.encryption_option().as_str(), "");

    for logging in [
        "CloudWatchLoggingConfiguration",
        "ManagedLoggingConfiguration",
        "S3LoggingConfiguration",
    ] {
        let mut body: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
        body["MonitoringConfiguration"][logging]
            .as_object_mut()
            .unwrap()
            .remove("Enabled");
        let output: GetSessionOutput = wire::from_value(body).unwrap();
        let value = wire::to_value(output.monitoring_configuration().unwrap()).unwrap();
        assert_eq!(value[logging]["Enabled"], false, "{logging}");
    }
}

#[test]
fn a_server_refuses_a_request_missing_a_required_member() {
    let error = smithy_runtime::validation::from_json::<GetSessionInput>(&json!({})).unwrap_err();
    assert_eq!(
        error.to_string(),
        "1 validation error detected. Value at '/SessionId' failed to satisfy constraint: Member must not be null"
    );
}

#[test]
fn wrong_json_types_are_rejected() {
    assert!(wire::from_value::<GetSessionOutput>(json!({"SessionId": 42})).is_err());
    assert!(wire::from_value::<SessionStatistics>(json!({"DpuExecutionInMillis": "100"})).is_err());
    assert!(wire::from_value::<SessionStatistics>(json!({"DpuExecutionInMillis": 1.5})).is_err());
    assert!(wire::from_value::<ManagedLoggingConfiguration>(json!({"Enabled": "true"})).is_err());
    // SessionIdleTimeoutInMinutes is an Integer: out of i32 range is rejected.
    assert!(
        wire::from_value::<SessionConfiguration>(
            json!({"SessionIdleTimeoutInMinutes": 4_294_967_296_i64})
        )
        .is_err()
    );
    // IdleTimeoutSeconds is a Long.
    let config: SessionConfiguration =
        wire::from_value(json!({"IdleTimeoutSeconds": 4_294_967_296_i64})).unwrap();
    assert_eq!(config.idle_timeout_seconds(), Some(4_294_967_296));
}

// ---------------------------------------------------------------------------
// Builders
// ---------------------------------------------------------------------------

#[test]
fn builder_with_required_member_set() {
    let input = GetSessionInput::builder()
        .session_id("s-1")
        .build()
        .unwrap();
    assert_eq!(input.session_id(), "s-1");

    let builder = GetSessionInput::builder().session_id("s-1");
    assert_eq!(builder.get_session_id().as_deref(), Some("s-1"));
    let builder = builder.set_session_id(Some("s-2".to_string()));
    assert_eq!(builder.build().unwrap().session_id(), "s-2");
}

#[test]
fn builder_with_required_member_unset_fails_naming_it() {
    let error: BuildError = GetSessionInput::builder().build().unwrap_err();
    assert_eq!(error.field(), "session_id");
    assert_eq!(
        error.to_string(),
        "`session_id` is required but was not set"
    );

    // Setting then clearing is the same as never setting.
    let error = GetSessionInput::builder()
        .session_id("s-1")
        .set_session_id(None)
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "session_id");

    let error = EncryptionConfiguration::builder()
        .kms_key("alias/k")
        .build()
        .unwrap_err();
    assert_eq!(error.field(), "encryption_option");
    assert_eq!(
        CloudWatchLoggingConfiguration::builder()
            .build()
            .unwrap_err()
            .field(),
        "enabled"
    );
    assert_eq!(
        ManagedLoggingConfiguration::builder()
            .build()
            .unwrap_err()
            .field(),
        "enabled"
    );
    assert_eq!(
        S3LoggingConfiguration::builder()
            .log_location("s3://b/")
            .build()
            .unwrap_err()
            .field(),
        "enabled"
    );

    let error: Box<dyn std::error::Error + Send + Sync> = Box::new(error);
    assert!(error.to_string().contains("encryption_option"), "{error}");
}

#[test]
fn optional_only_structures_build_infallibly() {
    // These `build()`s return the value directly, not a Result.
    let output: GetSessionOutput = GetSessionOutput::builder().work_group("wg").build();
    assert_eq!(output.work_group(), Some("wg"));
    let status: SessionStatus = SessionStatus::builder()
        .state(SessionState::Terminated)
        .end_date_time(DateTime::from_secs(1_700_000_000))
        .state_change_reason("cancelled")
        .build();
    assert_eq!(status.state(), Some(&SessionState::Terminated));
    assert_eq!(
        status.end_date_time(),
        Some(DateTime::from_secs(1_700_000_000))
    );
    assert_eq!(status.state_change_reason(), Some("cancelled"));
    let statistics: SessionStatistics = SessionStatistics::builder()
        .dpu_execution_in_millis(5)
        .build();
    assert_eq!(statistics.dpu_execution_in_millis(), Some(5));
    let classification: Classification = Classification::builder().name("spark-defaults").build();
    assert_eq!(classification.properties(), None);
    let monitoring: MonitoringConfiguration = MonitoringConfiguration::builder().build();
    assert!(monitoring.s3_logging_configuration().is_none());
    let session: SessionConfiguration = SessionConfiguration::builder()
        .idle_timeout_seconds(60)
        .build();
    assert_eq!(session.idle_timeout_seconds(), Some(60));
}

#[test]
fn builder_and_deserialization_produce_equal_values() {
    let built = GetSessionOutput::builder()
        .session_id("s-1")
        .engine_configuration(
            EngineConfiguration::builder()
                .max_concurrent_dpus(4)
                .spark_properties(map(&[("spark.executor.cores", "2")]))
                .build(),
        )
        .status(
            SessionStatus::builder()
                .state(SessionState::Creating)
                .start_date_time(DateTime::from_millis(1_700_000_000_250))
                .build(),
        )
        .statistics(
            SessionStatistics::builder()
                .dpu_execution_in_millis(0)
                .build(),
        )
        .build();
    let parsed: GetSessionOutput = wire::from_value(json!({
        "SessionId": "s-1",
        "EngineConfiguration": {
            "MaxConcurrentDpus": 4,
            "SparkProperties": {"spark.executor.cores": "2"}
        },
        "Status": {"State": "CREATING", "StartDateTime": 1700000000.25},
        "Statistics": {"DpuExecutionInMillis": 0}
    }))
    .unwrap();
    assert_eq!(built, parsed);
}

// ---------------------------------------------------------------------------
// Default values (`MaxConcurrentDpus` has `@default(20)` in the model)
// ---------------------------------------------------------------------------

#[test]
fn default_value_applied_by_builder() {
    let engine = EngineConfiguration::builder().build();
    assert_eq!(engine.max_concurrent_dpus(), 20);
    assert_eq!(engine.coordinator_dpu_size(), None);
    assert_eq!(engine.default_executor_dpu_size(), None);
    assert!(engine.classifications().is_empty());

    let engine = EngineConfiguration::builder()
        .max_concurrent_dpus(100)
        .build();
    assert_eq!(engine.max_concurrent_dpus(), 100);
    assert_eq!(
        EngineConfiguration::builder()
            .max_concurrent_dpus(100)
            .get_max_concurrent_dpus(),
        &Some(100)
    );
    assert_eq!(
        EngineConfiguration::builder().get_max_concurrent_dpus(),
        &None
    );
}

#[test]
fn default_value_applied_by_deserialization_when_absent() {
    let engine: EngineConfiguration = wire::from_value(json!({})).unwrap();
    assert_eq!(engine.max_concurrent_dpus(), 20);
    assert_eq!(engine, EngineConfiguration::builder().build());

    let engine: EngineConfiguration =
        wire::from_value(json!({"CoordinatorDpuSize": 1, "SparkProperties": {}})).unwrap();
    assert_eq!(engine.max_concurrent_dpus(), 20);
    assert_eq!(engine.spark_properties(), Some(&HashMap::new()));

    // A value on the wire wins over the default, including one equal to zero.
    let engine: EngineConfiguration = wire::from_value(json!({"MaxConcurrentDpus": 5000})).unwrap();
    assert_eq!(engine.max_concurrent_dpus(), 5000);
    let engine: EngineConfiguration = wire::from_value(json!({"MaxConcurrentDpus": 0})).unwrap();
    assert_eq!(engine.max_concurrent_dpus(), 0);

    // Through the whole output.
    let mut body: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
    body["EngineConfiguration"]
        .as_object_mut()
        .unwrap()
        .remove("MaxConcurrentDpus");
    let output: GetSessionOutput = wire::from_value(body).unwrap();
    assert_eq!(
        output.engine_configuration().unwrap().max_concurrent_dpus(),
        20
    );
}

#[test]
fn defaulted_value_survives_a_round_trip() {
    let engine = EngineConfiguration::builder().build();
    let json = wire::to_value(&engine).unwrap();
    assert!(json.get("CoordinatorDpuSize").is_none(), "{json}");
    let back: EngineConfiguration = wire::from_value(json).unwrap();
    assert_eq!(back, engine);
    assert_eq!(back.max_concurrent_dpus(), 20);
}

// ---------------------------------------------------------------------------
// Timestamps (epoch-seconds numbers in awsJson1_1)
// ---------------------------------------------------------------------------

#[test]
fn epoch_seconds_in_the_forms_services_send() {
    let cases: &[(Value, i64, u32)] = &[
        (json!(1700000000), 1_700_000_000, 0),
        (json!(1700000000.0), 1_700_000_000, 0),
        (json!(1700000000.123), 1_700_000_000, 123_000_000),
        (json!(1700000000.001), 1_700_000_000, 1_000_000),
        (json!(1700000000.999), 1_700_000_000, 999_000_000),
        (json!(0), 0, 0),
        (json!(-1.5), -2, 500_000_000),
    ];
    for (wire, secs, nanos) in cases {
        let status = status_with(json!({ "StartDateTime": wire })).unwrap();
        let time = status.start_date_time().unwrap();
        assert_eq!(
            (time.secs(), time.subsec_nanos()),
            (*secs, *nanos),
            "for {wire}"
        );
    }

    // Java-based services write doubles in scientific notation.
    let status: SessionStatus = wire::from_str(r#"{"StartDateTime": 1.700000000123E9}"#).unwrap();
    assert_eq!(
        status.start_date_time(),
        Some(DateTime::from_millis(1_700_000_000_123))
    );
    let status: SessionStatus = wire::from_str(r#"{"StartDateTime": 1.7e9}"#).unwrap();
    assert_eq!(
        status.start_date_time(),
        Some(DateTime::from_secs(1_700_000_000))
    );
}

#[test]
fn timestamps_serialize_as_epoch_seconds_numbers() {
    let status = SessionStatus::builder()
        .start_date_time(DateTime::from_millis(1_700_000_000_123))
        .last_modified_date_time(DateTime::from_secs(1_700_000_100))
        .build();
    let json = wire::to_value(&status).unwrap();
    assert_eq!(json["StartDateTime"].as_f64(), Some(1_700_000_000.123));
    assert!(
        json["LastModifiedDateTime"].is_i64(),
        "whole seconds are written as an integer: {json}"
    );
    assert_eq!(json["LastModifiedDateTime"].as_i64(), Some(1_700_000_100));

    let text = wire::to_string(&status).unwrap();
    assert_eq!(
        text,
        r#"{"StartDateTime":1700000000.123,"LastModifiedDateTime":1700000100}"#
    );

    // Millisecond values survive serialize -> deserialize.
    for millis in [
        1_700_000_000_001_i64,
        1_700_000_000_010,
        1_700_000_000_500,
        1_700_000_000_999,
        -1_500,
    ] {
        let status = SessionStatus::builder()
            .idle_since_date_time(DateTime::from_millis(millis))
            .build();
        let back: SessionStatus = wire::from_str(&wire::to_string(&status).unwrap()).unwrap();
        assert_eq!(back.idle_since_date_time().unwrap().to_millis(), millis);
        assert_eq!(back, status);
    }
}

#[test]
fn rfc3339_string_in_epoch_seconds_field_is_rejected() {
    let error = status_with(json!({"StartDateTime": "2023-11-14T22:13:20.123Z"})).unwrap_err();
    assert!(error.to_string().contains("epoch"), "{error}");
    // A numeric string is not a number either.
    assert!(status_with(json!({"StartDateTime": "1700000000"})).is_err());
    assert!(status_with(json!({"StartDateTime": true})).is_err());

    let mut body: Value = serde_json::from_str(GET_SESSION_RESPONSE).unwrap();
    body["Status"]["EndDateTime"] = json!("Tue, 14 Nov 2023 22:13:20 GMT");
    assert!(wire::from_value::<GetSessionOutput>(body).is_err());
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

#[test]
fn error_structures_display_and_error() {
    let not_found = ResourceNotFoundException::builder()
        .message("Session a1b2 was not found")
        .resource_name("a1b2")
        .build();
    assert_eq!(
        not_found.to_string(),
        "ResourceNotFoundException: Session a1b2 was not found"
    );
    assert_eq!(not_found.resource_name(), Some("a1b2"));
    assert!(not_found.source().is_none());

    let invalid = InvalidRequestException::builder()
        .athena_error_code("INVALID_INPUT")
        .message("bad id")
        .build();
    assert_eq!(invalid.to_string(), "InvalidRequestException: bad id");

    let internal = InternalServerException::builder()
        .message("try again")
        .build();
    assert_eq!(internal.to_string(), "InternalServerException: try again");

    // Without a message the error still displays its name.
    assert_eq!(
        InternalServerException::builder().build().to_string(),
        "InternalServerException"
    );

    let boxed: Box<dyn std::error::Error + Send + Sync + 'static> = Box::new(not_found);
    assert_eq!(
        boxed.to_string(),
        "ResourceNotFoundException: Session a1b2 was not found"
    );
}

#[test]
fn get_session_error_has_one_variant_per_modeled_error() {
    let errors: Vec<GetSessionError> = vec![
        InternalServerException::builder()
            .message("m1")
            .build()
            .into(),
        InvalidRequestException::builder()
            .message("m2")
            .build()
            .into(),
        ResourceNotFoundException::builder()
            .message("m3")
            .build()
            .into(),
    ];
    let codes: Vec<_> = errors.iter().map(GetSessionError::code).collect();
    assert_eq!(
        codes,
        vec![
            Some("InternalServerException"),
            Some("InvalidRequestException"),
            Some("ResourceNotFoundException")
        ]
    );

    for (index, error) in errors.iter().enumerate() {
        let predicates = [
            error.is_internal_server_exception(),
            error.is_invalid_request_exception(),
            error.is_resource_not_found_exception(),
        ];
        // Exactly the predicate matching the variant is true.
        for (other, flag) in predicates.iter().enumerate() {
            assert_eq!(*flag, index == other, "{error:?}");
        }
        // Display delegates to the inner error (includes the message).
        assert!(
            error.to_string().contains(&format!("m{}", index + 1)),
            "{error}"
        );
        assert!(
            error.to_string().starts_with(codes[index].unwrap()),
            "{error}"
        );
        assert!(error.source().is_none());
    }

    match &errors[2] {
        GetSessionError::ResourceNotFoundException(inner) => {
            assert_eq!(inner.message(), Some("m3"))
        }
        other => panic!("unexpected variant {other:?}"),
    }
    match &errors[1] {
        GetSessionError::InvalidRequestException(inner) => assert_eq!(inner.message(), Some("m2")),
        other => panic!("unexpected variant {other:?}"),
    }
    match &errors[0] {
        GetSessionError::InternalServerException(inner) => assert_eq!(inner.message(), Some("m1")),
        other => panic!("unexpected variant {other:?}"),
    }
}

#[test]
fn get_session_error_unhandled() {
    let meta = ErrorMetadata::builder()
        .code("ThrottlingException")
        .message("Rate exceeded")
        .request_id("req-1")
        .status(400)
        .build();
    let error = GetSessionError::Unhandled(Unhandled::new(meta).with_source("raw body"));
    assert_eq!(error.code(), Some("ThrottlingException"));
    assert!(!error.is_internal_server_exception());
    assert!(!error.is_invalid_request_exception());
    assert!(!error.is_resource_not_found_exception());
    assert_eq!(
        error.to_string(),
        "unhandled error (ThrottlingException): Rate exceeded"
    );
    assert_eq!(
        error.source().map(ToString::to_string).as_deref(),
        Some("raw body")
    );

    let no_code = GetSessionError::Unhandled(Unhandled::new(ErrorMetadata::default()));
    assert_eq!(no_code.code(), None);
}

#[test]
fn get_session_error_works_with_question_mark() {
    fn lookup() -> Result<(), GetSessionError> {
        Err(ResourceNotFoundException::builder().message("gone").build())?
    }
    fn caller() -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        lookup()?;
        Ok(())
    }
    let error = caller().unwrap_err();
    let error = error
        .downcast::<GetSessionError>()
        .expect("boxed GetSessionError");
    assert!(error.is_resource_not_found_exception());
}

#[test]
fn error_structures_round_trip_with_pascal_case_names() {
    let error = InvalidRequestException::builder()
        .athena_error_code("INVALID_INPUT")
        .message("bad")
        .build();
    let json = wire::to_value(&error).unwrap();
    assert_eq!(
        json,
        json!({"AthenaErrorCode": "INVALID_INPUT", "Message": "bad"})
    );
    assert_eq!(
        wire::from_value::<InvalidRequestException>(json).unwrap(),
        error
    );
    assert_eq!(
        wire::to_value(&InternalServerException::builder().build()).unwrap(),
        json!({})
    );
}

// ---------------------------------------------------------------------------
// Crate metadata and trait bounds
// ---------------------------------------------------------------------------

#[test]
fn crate_metadata_constants() {
    assert_eq!(athena::SERVICE_NAME, "AmazonAthena");
    assert_eq!(athena::SDK_ID, "Athena");
    assert_eq!(athena::API_VERSION, "2017-05-18");
    assert_eq!(athena::SIGNING_NAME, Some("athena"));
    assert_eq!(athena::ENDPOINT_PREFIX, Some("athena"));
    assert_eq!(athena::PROTOCOL, "aws.protocols#awsJson1_1");
    assert_eq!(GetSession::NAME, "GetSession");
    // The awsJson1_1 X-Amz-Target header is "<service name>.<operation name>".
    assert_eq!(
        format!("{}.{}", athena::SERVICE_NAME, GetSession::NAME),
        "AmazonAthena.GetSession"
    );
}

#[test]
fn generated_types_are_send_sync_and_static() {
    fn check<T: Send + Sync + 'static>() {}
    check::<GetSessionInput>();
    check::<GetSessionOutput>();
    check::<GetSessionError>();
    check::<SessionState>();
    check::<ResourceNotFoundException>();
    check::<athena::operation::get_session::builders::GetSessionInputBuilder>();
}

#[test]
fn primitives_reexport_runtime_types() {
    let time: athena::primitives::DateTime = DateTime::from_secs(1);
    assert_eq!(time.secs(), 1);
}
