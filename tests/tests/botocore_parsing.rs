//! Response parsing checked against botocore: the same raw responses (status, headers,
//! body) read by botocore's parsers and by the generated clients must give the same
//! values.
//!
//! botocore's side is `tests/python/botocore_parse.py` (`create_parser('json')` for
//! Athena, `'rest-json'` for EMR Serverless, with the operation models of botocore's own
//! service definitions). Ours: each canned response is served byte for byte from a tiny
//! HTTP server on 127.0.0.1, the generated client (static fake credentials, no retries)
//! calls the operation against it, and
//!
//! - a success is compared as `wire::to_value(&output)` against botocore's parsed
//!   dict: same members, same values, numbers compared as numbers, timestamps as instants
//!   (to the microsecond botocore keeps);
//! - an error is compared as `SdkError::{code, message, status, request_id}` against
//!   botocore's `Error.Code`, `Error.Message`, `ResponseMetadata.HTTPStatusCode` and
//!   `.RequestId`; a modeled error (botocore raises the service's own exception class)
//!   must be the `as_service_error()` variant of that name, with the members botocore
//!   parsed into the response; anything else must be `Unhandled`.
//!
//! Python comes from the venv `cargo xtask test` makes (`SMITHY_VENV`, else
//! `target/venv`); without it every test here says it is skipped and passes, except
//! under `CI=true`, where a missing venv is a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use athena::operation::get_session::GetSessionError;
use emr_serverless::operation::start_session::StartSessionError;
use integration_tests::python::{python, run_python};
use serde_json::{Value, json};
use smithy_runtime::client::{Credentials, RetryConfig, SdkError};

use integration_tests::wire;

const REQUEST_ID: &str = "8f2c7a3e-1b4d-4e6f-9a0b-1c2d3e4f5a6b";
const SESSION: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APP: &str = "00fabcdefghij012";

#[derive(Clone, Copy, Debug, PartialEq)]
enum Service {
    /// awsJson1_1, GetSession.
    Athena,
    /// restJson1, StartSession.
    EmrServerless,
}

/// A raw response, served as it is to our client and handed as it is to botocore.
struct Canned {
    name: &'static str,
    service: Service,
    status: u16,
    headers: Vec<(String, String)>,
    body: String,
}

impl Canned {
    /// A response with `x-amzn-requestid`, the protocol's content type and the length.
    fn new(name: &'static str, service: Service, status: u16, body: impl Into<String>) -> Self {
        let content_type = match service {
            Service::Athena => "application/x-amz-json-1.1",
            Service::EmrServerless => "application/json",
        };
        Canned {
            name,
            service,
            status,
            headers: vec![
                ("x-amzn-requestid".into(), REQUEST_ID.into()),
                ("content-type".into(), content_type.into()),
            ],
            body: body.into(),
        }
    }

    fn athena(name: &'static str, status: u16, body: Value) -> Self {
        Canned::new(name, Service::Athena, status, body.to_string())
    }

    fn emr(name: &'static str, status: u16, body: Value) -> Self {
        Canned::new(name, Service::EmrServerless, status, body.to_string())
    }

    fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// All headers, `content-length` and `connection` included.
    fn all_headers(&self) -> Vec<(String, String)> {
        let mut headers = self.headers.clone();
        headers.push(("content-length".into(), self.body.len().to_string()));
        headers.push(("connection".into(), "close".into()));
        headers
    }

    fn raw(&self) -> Vec<u8> {
        let mut raw = format!("HTTP/1.1 {} Canned\r\n", self.status);
        for (name, value) in self.all_headers() {
            raw.push_str(&format!("{name}: {value}\r\n"));
        }
        raw.push_str("\r\n");
        raw.push_str(&self.body);
        raw.into_bytes()
    }

    fn spec(&self) -> Value {
        let (service, operation, protocol) = match self.service {
            Service::Athena => ("athena", "GetSession", "json"),
            Service::EmrServerless => ("emr-serverless", "StartSession", "rest-json"),
        };
        json!({
            "name": self.name,
            "service": service,
            "operation": operation,
            "protocol": protocol,
            "status": self.status,
            "headers": self.all_headers().iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            "body": self.body,
        })
    }
}

/// Serves `raw` to the first connection on 127.0.0.1 (after reading its request), then
/// stops.
fn serve_once(raw: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("bound");
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut reader = BufReader::new(stream);
        let mut length = 0;
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let mut stream = reader.into_inner();
        let _ = stream.write_all(&raw);
        let _ = stream.flush();
    });
    format!("http://{addr}")
}

/// What our client made of a response, in the terms it is compared in.
#[derive(Debug)]
enum Outcome {
    Ok(Value),
    ServiceError {
        code: Option<String>,
        message: Option<String>,
        status: Option<u16>,
        request_id: Option<String>,
        /// The `as_service_error()` variant.
        variant: &'static str,
        /// The modeled error's members, as JSON.
        fields: Option<Value>,
    },
    /// Not a service error (the response could not be read, ...).
    Failure(String),
}

fn service_error<E>(error: &SdkError<E>, variant: &'static str, fields: Option<Value>) -> Outcome {
    Outcome::ServiceError {
        code: error.code().map(str::to_string),
        message: error.message().map(str::to_string),
        status: error.status(),
        request_id: error.request_id().map(str::to_string),
        variant,
        fields,
    }
}

fn fields<T: smithy_runtime::wire::HasSchema>(error: &T) -> Option<Value> {
    Some(wire::to_value(error).expect("error structures serialize"))
}

async fn call_athena(endpoint: &str) -> Outcome {
    let client = athena::Client::from_conf(
        athena::Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    match client.get_session().session_id(SESSION).send().await {
        Ok(output) => Outcome::Ok(wire::to_value(&output).expect("outputs serialize")),
        Err(error) => match error.as_service_error() {
            Some(GetSessionError::InternalServerException(e)) => {
                service_error(&error, "InternalServerException", fields(e))
            }
            Some(GetSessionError::InvalidRequestException(e)) => {
                service_error(&error, "InvalidRequestException", fields(e))
            }
            Some(GetSessionError::ResourceNotFoundException(e)) => {
                service_error(&error, "ResourceNotFoundException", fields(e))
            }
            Some(GetSessionError::Unhandled(_)) => service_error(&error, "Unhandled", None),
            Some(other) => panic!("a variant this test does not know: {other:?}"),
            None => Outcome::Failure(format!("{error:?}")),
        },
    }
}

async fn call_emr(endpoint: &str) -> Outcome {
    let client = emr_serverless::Client::from_conf(
        emr_serverless::Config::builder()
            .region("us-east-1")
            .endpoint_url(endpoint)
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
            .retry_config(RetryConfig::disabled())
            .build(),
    );
    let result = client
        .start_session()
        .application_id(APP)
        .client_token("5b3d1c9e-7f0a-4b2c-8d1e-2f3a4b5c6d7e")
        .execution_role_arn("arn:aws:iam::123456789012:role/EMRRole")
        .send()
        .await;
    match result {
        Ok(output) => Outcome::Ok(wire::to_value(&output).expect("outputs serialize")),
        Err(error) => match error.as_service_error() {
            Some(StartSessionError::ConflictException(e)) => {
                service_error(&error, "ConflictException", fields(e))
            }
            Some(StartSessionError::InternalServerException(e)) => {
                service_error(&error, "InternalServerException", fields(e))
            }
            Some(StartSessionError::ResourceNotFoundException(e)) => {
                service_error(&error, "ResourceNotFoundException", fields(e))
            }
            Some(StartSessionError::ServiceQuotaExceededException(e)) => {
                service_error(&error, "ServiceQuotaExceededException", fields(e))
            }
            Some(StartSessionError::ValidationException(e)) => {
                service_error(&error, "ValidationException", fields(e))
            }
            Some(StartSessionError::Unhandled(_)) => service_error(&error, "Unhandled", None),
            Some(other) => panic!("a variant this test does not know: {other:?}"),
            None => Outcome::Failure(format!("{error:?}")),
        },
    }
}

fn ours(canned: &Canned) -> Outcome {
    let endpoint = serve_once(canned.raw());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let call = async {
            match canned.service {
                Service::Athena => call_athena(&endpoint).await,
                Service::EmrServerless => call_emr(&endpoint).await,
            }
        };
        tokio::time::timeout(Duration::from_secs(30), call)
            .await
            .unwrap_or_else(|_| panic!("{}: the call took over 30 s", canned.name))
    })
}

/// Whole microseconds since 1970 of an epoch-seconds JSON number.
fn epoch_micros(value: &Value) -> Option<i128> {
    if let Some(secs) = value.as_i64() {
        return Some(i128::from(secs) * 1_000_000);
    }
    value.as_f64().map(|secs| (secs * 1e6).round() as i128)
}

fn integer(value: &Value) -> Option<i128> {
    value
        .as_i64()
        .map(i128::from)
        .or_else(|| value.as_u64().map(i128::from))
}

/// How strictly our reading must match botocore's.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Mode {
    /// Same members, same values.
    Exact,
    /// Smithy's client error correction: a required member the response left out is
    /// ours with its zero value (`""`, `0`, `false`, `[]`, `{}`), botocore's absent.
    ErrorCorrection,
    /// Null entries of (dense) maps, which botocore keeps as `None`, are dropped by ours.
    NullMapEntriesDropped,
}

fn is_zero_value(value: &Value) -> bool {
    match value {
        Value::String(s) => s.is_empty(),
        Value::Number(n) => n.as_f64() == Some(0.0),
        Value::Bool(b) => !b,
        Value::Array(items) => items.is_empty(),
        Value::Object(map) => map.is_empty(),
        Value::Null => true,
    }
}

/// `value` without the null values of its objects.
fn without_nulls(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k.clone(), without_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Every difference between `ours` and botocore's `theirs`, with its path.
fn differences(ours: &Value, theirs: &Value, path: &str, mode: Mode, out: &mut Vec<String>) {
    match (ours, theirs) {
        (_, Value::Object(t)) if t.len() == 1 && t.contains_key("$epoch_micros") => {
            let want = t["$epoch_micros"].as_i64().map(i128::from);
            let got = if ours.is_number() {
                epoch_micros(ours)
            } else {
                None
            };
            if got.is_none() || got != want {
                out.push(format!(
                    "{path}: ours {ours} (micros {got:?}), botocore a datetime of {want:?} µs"
                ));
            }
        }
        (Value::Object(o), Value::Object(t)) => {
            for (key, theirs) in t {
                match o.get(key) {
                    Some(ours) => differences(ours, theirs, &format!("{path}/{key}"), mode, out),
                    None => out.push(format!("{path}/{key}: missing in ours (botocore {theirs})")),
                }
            }
            for (key, ours) in o {
                let corrected = mode == Mode::ErrorCorrection && is_zero_value(ours);
                if !t.contains_key(key) && !corrected {
                    out.push(format!("{path}/{key}: only in ours ({ours})"));
                }
            }
        }
        (Value::Array(o), Value::Array(t)) => {
            if o.len() != t.len() {
                out.push(format!(
                    "{path}: {} items in ours, {} in botocore's",
                    o.len(),
                    t.len()
                ));
            }
            for (i, (ours, theirs)) in o.iter().zip(t).enumerate() {
                differences(ours, theirs, &format!("{path}/{i}"), mode, out);
            }
        }
        (Value::Number(_), Value::Number(_)) => {
            let same = match (integer(ours), integer(theirs)) {
                (Some(a), Some(b)) => a == b,
                _ => ours.as_f64() == theirs.as_f64(),
            };
            if !same {
                out.push(format!("{path}: ours {ours}, botocore {theirs}"));
            }
        }
        _ => {
            if ours != theirs {
                out.push(format!("{path}: ours {ours}, botocore {theirs}"));
            }
        }
    }
}

/// How our outcome differs from botocore's `result` for the same response.
fn compare(outcome: &Outcome, theirs: &Value, mode: Mode) -> Vec<String> {
    let mut out = Vec::new();
    let parsed = &match mode {
        Mode::NullMapEntriesDropped => without_nulls(&theirs["parsed"]),
        _ => theirs["parsed"].clone(),
    };
    match (outcome, theirs["error"].is_null()) {
        (Outcome::Ok(value), true) => differences(value, parsed, "", mode, &mut out),
        (
            Outcome::ServiceError {
                code,
                message,
                status,
                request_id,
                variant,
                fields,
            },
            false,
        ) => {
            let error = &theirs["error"];
            if code.as_deref() != error["code"].as_str() {
                out.push(format!("code: ours {code:?}, botocore {}", error["code"]));
            }
            // botocore says "" when the body has no message.
            let their_message = error["message"].as_str().filter(|m| !m.is_empty());
            if message.as_deref() != their_message {
                out.push(format!(
                    "message: ours {message:?}, botocore {}",
                    error["message"]
                ));
            }
            if status.map(u64::from) != theirs["status"].as_u64() {
                out.push(format!(
                    "status: ours {status:?}, botocore {}",
                    theirs["status"]
                ));
            }
            if request_id.as_deref() != theirs["request_id"].as_str() {
                out.push(format!(
                    "request id: ours {request_id:?}, botocore {}",
                    theirs["request_id"]
                ));
            }
            let exception = theirs["exception"].as_str().expect("an exception class");
            let modeled = exception != "ClientError";
            let want = if modeled { exception } else { "Unhandled" };
            if *variant != want {
                out.push(format!(
                    "variant: ours {variant}, botocore raises {exception} (modeled errors \
                     of the operation: {})",
                    theirs["operation_errors"]
                ));
            } else if let Some(fields) = fields {
                // The modeled error's members, as botocore adds them to the response.
                differences(fields, parsed, "/<error>", mode, &mut out);
            }
        }
        (outcome, _) => {
            let ours = match outcome {
                Outcome::Ok(value) => format!("succeeded with {value}"),
                Outcome::ServiceError { code, variant, .. } => {
                    format!("failed with the service error {code:?} ({variant})")
                }
                Outcome::Failure(why) => format!("failed: {why}"),
            };
            let botocore = if theirs["error"].is_null() {
                format!("succeeded with {parsed}")
            } else {
                format!("failed with {}", theirs["error"])
            };
            out.push(format!("ours {ours}; botocore {botocore}"));
        }
    }
    out
}

/// Runs every response through botocore and our client; panics listing every
/// difference.
fn assert_parsed_alike(test: &str, cases: &[Canned]) {
    assert_parsed_alike_in(test, cases, Mode::Exact);
}

/// [`assert_parsed_alike`], as strict as `mode` says.
fn assert_parsed_alike_in(test: &str, cases: &[Canned], mode: Mode) {
    let Some(python) = python(test) else {
        return;
    };
    let input = json!({"responses": cases.iter().map(Canned::spec).collect::<Vec<_>>()});
    let output = run_python(&python, "botocore_parse.py", &input);
    let results = output["results"].as_array().expect("results");
    assert_eq!(results.len(), cases.len());
    let mut failures = Vec::new();
    for (canned, theirs) in cases.iter().zip(results) {
        let outcome = ours(canned);
        let diffs = compare(&outcome, theirs, mode);
        if !diffs.is_empty() {
            failures.push(format!(
                "{} ({} {}):\n  {}\n  ours:     {outcome:?}\n  botocore: {theirs}",
                canned.name,
                canned.status,
                canned.body,
                diffs.join("\n  ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} responses read differently from botocore {}:\n{}",
        failures.len(),
        cases.len(),
        output["botocore"],
        failures.join("\n\n")
    );
}

// ---------------------------------------------------------------------------
// Successful responses
// ---------------------------------------------------------------------------

fn full_session(status: Value) -> Value {
    json!({
        "SessionId": SESSION,
        "Description": "nightly ✓ \"quoted\" \\ back\nslash",
        "WorkGroup": "spark-wg",
        "EngineVersion": "PySpark engine version 3",
        "EngineConfiguration": {
            "CoordinatorDpuSize": 1,
            "MaxConcurrentDpus": 20,
            "DefaultExecutorDpuSize": 1,
            "AdditionalConfigs": {"NotebookId": "nb-1", "empty": ""},
            "SparkProperties": {"spark.executor.memory": "4g", "spark.sql.shuffle.partitions": "200"},
            "Classifications": [
                {"Name": "spark-defaults", "Properties": {"a": "1", "b": "2"}},
                {"Name": "spark-env"},
                {}
            ]
        },
        "NotebookVersion": "Athena notebook version 1",
        "MonitoringConfiguration": {
            "CloudWatchLoggingConfiguration": {
                "Enabled": true,
                "LogGroup": "/aws/athena",
                "LogStreamNamePrefix": "session/",
                "LogTypes": {"SPARK_DRIVER": ["STDOUT", "STDERR"], "SPARK_EXECUTOR": []}
            },
            "ManagedLoggingConfiguration": {"Enabled": false, "KmsKey": "arn:aws:kms:us-east-1:123456789012:key/1"},
            "S3LoggingConfiguration": {"Enabled": true, "LogLocation": "s3://bucket/logs/"}
        },
        "SessionConfiguration": {
            "ExecutionRole": "arn:aws:iam::123456789012:role/AthenaSpark",
            "WorkingDirectory": "s3://bucket/work/",
            "IdleTimeoutSeconds": 3600,
            "SessionIdleTimeoutInMinutes": 15,
            "EncryptionConfiguration": {"EncryptionOption": "SSE_KMS", "KmsKey": "alias/key"}
        },
        "Status": status,
        "Statistics": {"DpuExecutionInMillis": 123_456_789}
    })
}

#[test]
fn get_session_outputs_read_as_botocore_reads_them() {
    assert_parsed_alike(
        "get_session_outputs_read_as_botocore_reads_them",
        &[
            Canned::athena(
                "every field, whole-second timestamps",
                200,
                full_session(json!({
                    "StartDateTime": 1_700_000_000,
                    "LastModifiedDateTime": 1_700_000_100,
                    "EndDateTime": 1_700_003_600,
                    "IdleSinceDateTime": 1_700_000_050,
                    "State": "TERMINATED",
                    "StateChangeReason": "idle timeout"
                })),
            ),
            Canned::athena(
                "fractional timestamps",
                200,
                full_session(json!({
                    "StartDateTime": 1_700_000_000.123,
                    "LastModifiedDateTime": 1_700_000_000.5,
                    "EndDateTime": 1_718_000_000.125,
                    "IdleSinceDateTime": 1_700_000_000.000_001,
                    "State": "IDLE"
                })),
            ),
            Canned::athena(
                "unknown enum values",
                200,
                json!({
                    "SessionId": SESSION,
                    "Status": {"State": "HIBERNATING", "StartDateTime": 1_700_000_000},
                    "SessionConfiguration": {
                        "EncryptionConfiguration": {"EncryptionOption": "SSE_FUTURE"}
                    }
                }),
            ),
            Canned::athena(
                "big and small numbers",
                200,
                json!({
                    "SessionConfiguration": {"IdleTimeoutSeconds": 0, "SessionIdleTimeoutInMinutes": 2_147_483_647},
                    "Statistics": {"DpuExecutionInMillis": 9_007_199_254_740_993_i64},
                    "EngineConfiguration": {"MaxConcurrentDpus": 5000, "CoordinatorDpuSize": 0}
                }),
            ),
            Canned::athena("an empty object", 200, json!({})),
            Canned::athena(
                "nulls and members the model does not know",
                200,
                json!({
                    "SessionId": SESSION,
                    "Description": null,
                    "Status": null,
                    "NewTopLevelMember": {"nested": [1, 2, 3]},
                    "EngineConfiguration": {"MaxConcurrentDpus": 4, "FutureKnob": true}
                }),
            ),
            Canned::new(
                "text with escapes and non-BMP characters",
                Service::Athena,
                200,
                r#"{"SessionId":"s\u00e9\t1","Description":"\ud83d\ude00 \u2713 \/ \"x\"","WorkGroup":"wg😀"}"#,
            ),
        ],
    );
}

#[test]
fn start_session_outputs_read_as_botocore_reads_them() {
    let arn = format!(
        "arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/sessions/sess-1"
    );
    assert_parsed_alike(
        "start_session_outputs_read_as_botocore_reads_them",
        &[
            Canned::emr(
                "StartSession",
                200,
                json!({"applicationId": APP, "sessionId": "sess-1", "arn": arn}),
            ),
            Canned::emr(
                "StartSession with members the model does not know",
                200,
                json!({"applicationId": APP, "sessionId": "sess-1", "arn": arn,
                       "state": "SUBMITTED", "extra": {"a": [1]}}),
            ),
        ],
    );
}

// ---------------------------------------------------------------------------
// Modeled errors
// ---------------------------------------------------------------------------

#[test]
fn get_session_modeled_errors_read_as_botocore_reads_them() {
    assert_parsed_alike(
        "get_session_modeled_errors_read_as_botocore_reads_them",
        &[
            Canned::athena(
                "InternalServerException",
                500,
                json!({"__type": "InternalServerException", "Message": "Athena is having a bad day"}),
            ),
            Canned::athena(
                "InvalidRequestException",
                400,
                json!({"__type": "InvalidRequestException", "Message": "SessionId is malformed",
                       "AthenaErrorCode": "INVALID_INPUT"}),
            ),
            Canned::athena(
                "ResourceNotFoundException",
                400,
                json!({"__type": "ResourceNotFoundException", "Message": "no such session",
                       "ResourceName": SESSION}),
            ),
            Canned::athena(
                "a namespaced, suffixed __type",
                400,
                json!({"__type": "com.amazonaws.athena#ResourceNotFoundException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                       "Message": "no such session"}),
            ),
            Canned::athena(
                "the message in `message`",
                400,
                json!({"__type": "InvalidRequestException", "message": "lower-case key"}),
            ),
            Canned::athena(
                "no message",
                500,
                json!({"__type": "InternalServerException"}),
            ),
        ],
    );
}

#[test]
fn start_session_modeled_errors_read_as_botocore_reads_them() {
    let error = |name, status, code: &str, message: &str| {
        Canned::emr(name, status, json!({"message": message})).header("x-amzn-errortype", code)
    };
    assert_parsed_alike(
        "start_session_modeled_errors_read_as_botocore_reads_them",
        &[
            error(
                "ConflictException",
                409,
                "ConflictException",
                "a session with this token is starting",
            ),
            error(
                "InternalServerException",
                500,
                "InternalServerException",
                "something broke",
            ),
            error(
                "ResourceNotFoundException",
                404,
                "ResourceNotFoundException",
                "no application 00fabcdefghij012",
            ),
            error(
                "ServiceQuotaExceededException",
                402,
                "ServiceQuotaExceededException",
                "2 sessions at most",
            ),
            error(
                "ValidationException",
                400,
                "ValidationException",
                "executionRoleArn is not an IAM role",
            ),
            error(
                "a suffixed X-Amzn-Errortype",
                400,
                "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/",
                "suffix dropped",
            ),
            error(
                "a namespaced X-Amzn-Errortype",
                404,
                "com.amazonaws.emrserverless#ResourceNotFoundException",
                "namespace dropped",
            ),
            Canned::emr(
                "the code in the body's `code`",
                409,
                json!({"code": "ConflictException", "message": "from the body"}),
            ),
            Canned::emr(
                "the code in the body's `__type`",
                404,
                json!({"__type": "aws.prefix#ResourceNotFoundException:http://internal.amazon.com/",
                       "message": "from __type"}),
            ),
            Canned::emr(
                "the header wins over the body",
                400,
                json!({"code": "ConflictException", "message": "header wins"}),
            )
            .header("x-amzn-errortype", "ValidationException"),
        ],
    );
}

// ---------------------------------------------------------------------------
// Errors the model does not describe
// ---------------------------------------------------------------------------

#[test]
fn unmodeled_errors_read_as_botocore_reads_them() {
    assert_parsed_alike(
        "unmodeled_errors_read_as_botocore_reads_them",
        &[
            Canned::athena(
                "Athena ThrottlingException",
                400,
                json!({"__type": "ThrottlingException", "message": "Rate exceeded"}),
            ),
            Canned::athena(
                "Athena aws.prefix#Name:http://...",
                400,
                json!({"__type": "aws.prefix#ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/",
                       "message": "Rate exceeded"}),
            ),
            Canned::athena(
                "Athena AccessDeniedException",
                400,
                json!({"__type": "com.amazon.coral.service#AccessDeniedException",
                       "Message": "User: arn:aws:iam::123456789012:user/x is not authorized"}),
            ),
            Canned::emr(
                "EMR ThrottlingException",
                400,
                json!({"message": "Rate exceeded"}),
            )
            .header("x-amzn-errortype", "ThrottlingException"),
            Canned::emr(
                "EMR Name:http://...",
                400,
                json!({"message": "Rate exceeded"}),
            )
            .header(
                "X-Amzn-Errortype",
                "ThrottlingException:http://internal.amazon.com/coral/com.amazon.coral.availability/",
            ),
            Canned::emr(
                "EMR 429 TooManyRequestsException",
                429,
                json!({"message": "Too Many Requests"}),
            )
            .header("x-amzn-errortype", "TooManyRequestsException"),
            Canned::emr(
                "EMR 403 UnrecognizedClientException",
                403,
                json!({"message": "The security token included in the request is invalid."}),
            )
            .header("x-amzn-errortype", "UnrecognizedClientException:http://internal.amazon.com/coral/com.amazon.coral.service/"),
        ],
    );
}

// ---------------------------------------------------------------------------
// Known bugs: responses botocore reads and ours does not
// ---------------------------------------------------------------------------

#[test]
fn modeled_errors_missing_a_required_member_are_still_modeled() {
    assert_parsed_alike_in(
        "modeled_errors_missing_a_required_member_are_still_modeled",
        &[
            Canned::emr("ConflictException with `{}`", 409, json!({}))
                .header("x-amzn-errortype", "ConflictException"),
            Canned::new(
                "ConflictException with no body",
                Service::EmrServerless,
                409,
                "",
            )
            .header("x-amzn-errortype", "ConflictException"),
            Canned::emr(
                "ValidationException with only an unknown member",
                400,
                json!({"reason": "FIELD_VALIDATION_FAILED"}),
            )
            .header("x-amzn-errortype", "ValidationException"),
        ],
        Mode::ErrorCorrection,
    );
}

#[test]
fn outputs_missing_a_required_member_are_error_corrected() {
    assert_parsed_alike_in(
        "outputs_missing_a_required_member_are_error_corrected",
        &[
            Canned::emr(
                "StartSession without arn",
                200,
                json!({"applicationId": APP, "sessionId": "sess-1"}),
            ),
            Canned::emr("StartSession with `{}`", 200, json!({})),
        ],
        Mode::ErrorCorrection,
    );
}

#[test]
fn null_entries_of_dense_maps_are_dropped() {
    assert_parsed_alike_in(
        "null_entries_of_dense_maps_are_dropped",
        &[
            Canned::athena(
                "a null map value",
                200,
                // MaxConcurrentDpus is sent: left out, ours applies the model's default 20
                // where botocore leaves it out, a difference this test is not about.
                json!({"EngineConfiguration": {"MaxConcurrentDpus": 20, "SparkProperties": {"a": null, "b": "x"}}}),
            ),
            Canned::athena(
                "null values in nested maps",
                200,
                json!({"EngineConfiguration": {
                    "MaxConcurrentDpus": 20,
                    "AdditionalConfigs": {"NotebookId": "nb-1", "Unset": null},
                    "Classifications": [{"Name": "spark-env", "Properties": {"JAVA_HOME": null}}]
                }}),
            ),
        ],
        Mode::NullMapEntriesDropped,
    );
}
