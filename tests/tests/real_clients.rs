//! Real AWS clients against the emulator (`examples/emulator`), started in-process on a
//! free port: the AWS CLI v1 and boto3, run as subprocesses from the Python virtual
//! environment `cargo xtask test` makes (`SMITHY_VENV`, else `target/venv`).
//!
//! Without that venv every test here says it is skipped and passes, except under
//! `CI=true`, where a missing venv is a failure.
//!
//! The boto3 side is `tests/python/boto3_calls.py`: it runs the calls it is given and
//! prints what came back as JSON (datetimes checked with `isinstance` and written as
//! `{"$datetime": isoformat}`, exceptions with their class name), which is asserted here.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use emulator::{Config, Emulator, EmulatorHandle};
use serde_json::{Map, Value, json};
use smithy_runtime::{DateTime, TimestampFormat};

/// The fully populated Athena session of the default seed.
const SESSION: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
/// The second, sparser one.
const IDLE_SESSION: &str = "0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
/// An EMR Serverless application of the default seed.
const APP: &str = "00fabcdefghij012";
/// A seeded application that may hold 2 sessions.
const QUOTA_APP: &str = "00fquotalimited1";
const ROLE: &str = "arn:aws:iam::123456789012:role/EMRRole";
const TIMESTAMPS: [&str; 4] = [
    "StartDateTime",
    "LastModifiedDateTime",
    "EndDateTime",
    "IdleSinceDateTime",
];
const CLIENT_TIMEOUT: Duration = Duration::from_secs(120);

/// The venv holding boto3 and the AWS CLI; `None` when it is missing (the test is then
/// skipped, except under `CI=true`, where that fails).
fn venv(test: &str) -> Option<PathBuf> {
    integration_tests::python::venv(test, &["python", "aws"], "boto3 and awscli")
}

struct Server {
    addr: SocketAddr,
    _handle: EmulatorHandle,
}

impl Server {
    fn start(config: Config) -> Server {
        let (addr, handle) =
            Emulator::start(Config { port: 0, ..config }).expect("the emulator starts");
        Server {
            addr,
            _handle: handle,
        }
    }

    fn default() -> Server {
        Server::start(Config::default())
    }

    fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }
}

struct Run {
    status: ExitStatus,
    stdout: String,
    stderr: String,
}

/// Runs `command`, feeding it `stdin`; kills it (and fails) after [`CLIENT_TIMEOUT`].
fn run(mut command: Command, stdin: &str) -> Run {
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {command:?}: {e}"));
    let mut input = child.stdin.take().expect("piped");
    let stdin = stdin.to_string();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let mut out = child.stdout.take().expect("piped");
    let mut err = child.stderr.take().expect("piped");
    let stdout = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = out.read_to_string(&mut text);
        text
    });
    let stderr = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = err.read_to_string(&mut text);
        text
    });
    let deadline = Instant::now() + CLIENT_TIMEOUT;
    let status = loop {
        if let Some(status) = child.try_wait().expect("waitable") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{command:?} took longer than {CLIENT_TIMEOUT:?}; stderr:\n{}",
                stderr.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let _ = writer.join();
    Run {
        status,
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
    }
}

/// Fake credentials, no config or credentials files, no instance metadata, no retries.
fn client_env(command: &mut Command, config_file: &Path) {
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("AWS_") {
            command.env_remove(name);
        }
    }
    command
        .env("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
        .env(
            "AWS_SECRET_ACCESS_KEY",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        )
        .env("AWS_DEFAULT_REGION", "us-east-1")
        .env("AWS_CONFIG_FILE", config_file)
        .env("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .env("AWS_MAX_ATTEMPTS", "1")
        .env("AWS_RETRY_MODE", "standard")
        .env("PYTHONDONTWRITEBYTECODE", "1");
}

/// A config file asking the AWS CLI for ISO 8601 timestamps (v1 prints them as received
/// otherwise, i.e. epoch seconds for Athena).
fn iso8601_config_file() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!(
        "aws-config-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&path, "[default]\ncli_timestamp_format = iso8601\n").expect("writable");
    path
}

/// `aws <args> --endpoint-url ...`; `config_file` is `/dev/null` or a temp file.
fn aws(venv: &Path, server: &Server, config_file: &Path, args: &[&str]) -> Run {
    let mut command = Command::new(venv.join("bin/aws"));
    command.args(args).args([
        "--endpoint-url",
        &server.endpoint(),
        "--output",
        "json",
        "--cli-connect-timeout",
        "5",
        "--cli-read-timeout",
        "30",
    ]);
    client_env(&mut command, config_file);
    run(command, "")
}

/// Runs `calls` through `tests/python/boto3_calls.py`; one result per call.
fn boto3(venv: &Path, server: &Server, calls: Vec<Value>) -> Vec<Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/boto3_calls.py");
    let mut command = Command::new(venv.join("bin/python"));
    command.arg(script);
    client_env(&mut command, Path::new("/dev/null"));
    let count = calls.len();
    let input = json!({"endpoint": server.endpoint(), "calls": calls}).to_string();
    let out = run(command, &input);
    assert!(
        out.status.success(),
        "boto3_calls.py failed ({}):\n{}",
        out.status,
        out.stderr
    );
    let parsed: Value = serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("boto3_calls.py printed no JSON ({e}):\n{}", out.stdout));
    let results = parsed["results"].as_array().expect("results").clone();
    assert_eq!(results.len(), count);
    results
}

fn call(service: &str, method: &str, params: Value) -> Value {
    json!({"service": service, "method": method, "params": params})
}

/// A call with botocore's own parameter validation switched off, so invalid input
/// reaches the server.
fn unchecked(service: &str, method: &str, params: Value) -> Value {
    json!({"service": service, "method": method, "params": params, "parameter_validation": false})
}

#[track_caller]
fn ok(result: &Value) -> &Value {
    assert_eq!(result["status"], 200, "expected success, got {result}");
    let request_id = result["request_id"].as_str().unwrap_or_default();
    assert_eq!(
        request_id.len(),
        36,
        "x-amzn-requestid reaches boto3: {result}"
    );
    result
        .get("ok")
        .unwrap_or_else(|| panic!("expected success, got {result}"))
}

#[track_caller]
fn error(result: &Value) -> &Value {
    let error = result
        .get("error")
        .unwrap_or_else(|| panic!("expected an error, got {result}"));
    assert_eq!(error["is_client_error"], true, "{error}");
    assert_eq!(
        error["request_id"].as_str().map(str::len),
        Some(36),
        "x-amzn-requestid reaches boto3: {error}"
    );
    error
}

/// Asserts boto3 raised the service's own exception class `code` (`client.exceptions.X`).
#[track_caller]
fn assert_modeled(result: &Value, code: &str, status: u16) -> Value {
    let error = error(result);
    assert_eq!(error["class"], code, "{error}");
    assert_eq!(error["code"], code, "{error}");
    assert_eq!(error["modeled"], true, "{error}");
    assert_eq!(error["status"], status, "{error}");
    error.clone()
}

/// The default seed file, as JSON.
fn seed_file() -> Value {
    let text = std::fs::read_to_string(emulator::Seed::default_path()).expect("seed.json");
    serde_json::from_str(&text).expect("seed.json is JSON")
}

fn seeded_session(id: &str) -> Value {
    seed_file()["athena"]["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .find(|s| s["SessionId"] == id)
        .unwrap_or_else(|| panic!("{id} is seeded"))
        .clone()
}

/// An instant as exact epoch-seconds text, to compare instants written differently.
fn instant(time: DateTime) -> Value {
    json!({ "$instant": time.fmt(TimestampFormat::EpochSeconds) })
}

fn instant_of_seconds(value: &Value) -> Value {
    instant(match value.as_i64() {
        Some(secs) => DateTime::from_secs(secs),
        None => DateTime::from_fractional_secs(value.as_f64().expect("epoch seconds")),
    })
}

fn instant_of_iso(text: &str) -> Value {
    instant(
        DateTime::parse(TimestampFormat::DateTime, text)
            .unwrap_or_else(|e| panic!("`{text}` is not ISO 8601: {e}")),
    )
}

/// The seeded session with its `Status` timestamps as instants.
fn expected_session(id: &str) -> Value {
    let mut session = seeded_session(id);
    for name in TIMESTAMPS {
        if let Some(value) = session["Status"].get_mut(name) {
            *value = instant_of_seconds(value);
        }
    }
    session
}

/// Replaces `{"$datetime": iso}` (boto3) or ISO strings at the `Status` timestamps (AWS
/// CLI) with instants.
fn with_instants(mut session: Value) -> Value {
    for name in TIMESTAMPS {
        if let Some(value) = session["Status"].get_mut(name) {
            let text = match value.get("$datetime") {
                Some(text) => text.as_str().expect("isoformat text").to_string(),
                None => value
                    .as_str()
                    .unwrap_or_else(|| panic!("{name} is not ISO text: {value}"))
                    .to_string(),
            };
            *value = instant_of_iso(&text);
        }
    }
    session
}

/// Every `{"$datetime": ...}` in `value`, with its path.
fn datetimes(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) if map.contains_key("$datetime") => out.push(path.to_string()),
        Value::Object(map) => {
            for (k, v) in map {
                datetimes(v, &format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                datetimes(v, &format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
}

// ---------------------------------------------------------------------------
// AWS CLI
// ---------------------------------------------------------------------------

#[test]
fn aws_cli_athena_get_session_prints_every_field() {
    let Some(venv) = venv("aws_cli_athena_get_session_prints_every_field") else {
        return;
    };
    let server = Server::default();

    // ISO 8601 timestamps (botocore's datetime, formatted by the CLI).
    let config = iso8601_config_file();
    let out = aws(
        &venv,
        &server,
        &config,
        &["athena", "get-session", "--session-id", SESSION],
    );
    assert!(out.status.success(), "{}\n{}", out.status, out.stderr);
    let printed: Value = serde_json::from_str(&out.stdout).expect("the CLI prints JSON");
    for name in TIMESTAMPS {
        let text = printed["Status"][name].as_str().expect("ISO text");
        assert!(text.ends_with("+00:00"), "{name}: {text}");
    }
    assert_eq!(
        printed["Status"]["StartDateTime"],
        "2024-06-10T06:13:20.125000+00:00"
    );
    assert_eq!(
        printed["Status"]["EndDateTime"],
        "2024-06-10T08:13:20+00:00"
    );
    assert_eq!(with_instants(printed), expected_session(SESSION));
    let _ = std::fs::remove_file(config);

    // The CLI's default (v1): timestamps printed as received, so the output is the seed.
    let out = aws(
        &venv,
        &server,
        Path::new("/dev/null"),
        &["athena", "get-session", "--session-id", SESSION],
    );
    assert!(out.status.success(), "{}\n{}", out.status, out.stderr);
    let printed: Value = serde_json::from_str(&out.stdout).expect("the CLI prints JSON");
    assert_eq!(printed, seeded_session(SESSION));

    // A modeled error: exit code 254/255 and the code on stderr.
    let out = aws(
        &venv,
        &server,
        Path::new("/dev/null"),
        &["athena", "get-session", "--session-id", "no-such-session"],
    );
    assert!(!out.status.success());
    assert!(
        out.stderr.contains("(ResourceNotFoundException)")
            && out
                .stderr
                .contains("Session no-such-session was not found."),
        "{}",
        out.stderr
    );
}

#[test]
fn aws_cli_emr_serverless_start_session() {
    let Some(venv) = venv("aws_cli_emr_serverless_start_session") else {
        return;
    };
    let server = Server::default();
    let args = [
        "emr-serverless",
        "start-session",
        "--application-id",
        APP,
        "--execution-role-arn",
        ROLE,
        "--client-token",
        "t1",
        "--name",
        "notebook session",
        "--idle-timeout-minutes",
        "60",
        "--tags",
        "team=data,env=dev",
        "--configuration-overrides",
        r#"{"runtimeConfiguration":[{"classification":"spark-defaults","properties":{"spark.executor.memory":"4g"},"configurations":[{"classification":"spark-env","properties":{"JAVA_HOME":"/usr/lib/jvm"}}]}]}"#,
    ];
    let out = aws(&venv, &server, Path::new("/dev/null"), &args);
    assert!(out.status.success(), "{}\n{}", out.status, out.stderr);
    let printed: Value = serde_json::from_str(&out.stdout).expect("the CLI prints JSON");
    let object = printed.as_object().expect("an object");
    assert_eq!(object.len(), 3, "{printed}");
    assert_eq!(printed["applicationId"], APP);
    let session_id = printed["sessionId"].as_str().expect("sessionId");
    assert_eq!(session_id.len(), 16, "{session_id}");
    assert!(
        session_id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase()),
        "{session_id}"
    );
    assert_eq!(
        printed["arn"],
        format!(
            "arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APP}/sessions/{session_id}"
        )
    );

    // The same token and request again: the same session.
    let again = aws(&venv, &server, Path::new("/dev/null"), &args);
    assert!(again.status.success(), "{}\n{}", again.status, again.stderr);
    let again: Value = serde_json::from_str(&again.stdout).expect("JSON");
    assert_eq!(again, printed);

    // The same token with another request: ConflictException.
    let mut other = args.to_vec();
    other[9] = "another name";
    let conflict = aws(&venv, &server, Path::new("/dev/null"), &other);
    assert!(!conflict.status.success());
    assert!(
        conflict.stderr.contains("(ConflictException)"),
        "{}",
        conflict.stderr
    );
}

// ---------------------------------------------------------------------------
// boto3: outputs
// ---------------------------------------------------------------------------

#[test]
fn boto3_get_session_returns_every_field_with_datetimes() {
    let Some(venv) = venv("boto3_get_session_returns_every_field_with_datetimes") else {
        return;
    };
    let server = Server::default();
    let results = boto3(
        &venv,
        &server,
        vec![
            call("athena", "get_session", json!({"SessionId": SESSION})),
            call("athena", "get_session", json!({"SessionId": IDLE_SESSION})),
        ],
    );
    let full = ok(&results[0]).clone();
    let mut paths = Vec::new();
    datetimes(&full, "", &mut paths);
    paths.sort();
    assert_eq!(
        paths,
        [
            "/Status/EndDateTime",
            "/Status/IdleSinceDateTime",
            "/Status/LastModifiedDateTime",
            "/Status/StartDateTime",
        ],
        "exactly the four timestamps are datetime objects"
    );
    assert_eq!(
        full["Status"]["IdleSinceDateTime"],
        json!({"$datetime": "2024-06-10T07:43:20.250000+00:00"})
    );
    // Every other value keeps its JSON type: booleans, integers, maps, lists, strings.
    assert_eq!(
        full["MonitoringConfiguration"]["S3LoggingConfiguration"]["Enabled"],
        false
    );
    assert_eq!(full["EngineConfiguration"]["MaxConcurrentDpus"], 20);
    assert_eq!(with_instants(full), expected_session(SESSION));

    let idle = ok(&results[1]).clone();
    assert!(idle["Status"].get("EndDateTime").is_none());
    assert_eq!(with_instants(idle), expected_session(IDLE_SESSION));
}

#[test]
fn boto3_start_session_is_idempotent_on_client_token() {
    let Some(venv) = venv("boto3_start_session_is_idempotent_on_client_token") else {
        return;
    };
    let server = Server::default();
    let request = json!({
        "applicationId": APP,
        "clientToken": "idem-1",
        "executionRoleArn": ROLE,
        "name": "exploration",
        "tags": {"team": "data"},
        "idleTimeoutMinutes": 30,
    });
    let mut changed = request.clone();
    changed["idleTimeoutMinutes"] = json!(31);
    let mut other_token = request.clone();
    other_token["clientToken"] = json!("idem-2");
    let results = boto3(
        &venv,
        &server,
        vec![
            call("emr-serverless", "start_session", request.clone()),
            call("emr-serverless", "start_session", request),
            call("emr-serverless", "start_session", changed),
            call("emr-serverless", "start_session", other_token),
            // No clientToken: botocore fills one in (idempotencyToken), so two sessions.
            call(
                "emr-serverless",
                "start_session",
                json!({"applicationId": APP, "executionRoleArn": ROLE}),
            ),
            call(
                "emr-serverless",
                "start_session",
                json!({"applicationId": APP, "executionRoleArn": ROLE}),
            ),
        ],
    );
    let first = ok(&results[0]);
    assert_eq!(ok(&results[1]), first, "same token, same request");
    let conflict = assert_modeled(&results[2], "ConflictException", 409);
    assert_eq!(
        conflict["message"],
        "clientToken idem-1 was already used with a different request"
    );
    let ids: Vec<&Value> = [first, ok(&results[3]), ok(&results[4]), ok(&results[5])]
        .iter()
        .map(|r| &r["sessionId"])
        .collect();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            assert_ne!(a, b, "different tokens start different sessions");
        }
    }
}

#[test]
fn boto3_sigv4_region_reaches_the_handler() {
    let Some(venv) = venv("boto3_sigv4_region_reaches_the_handler") else {
        return;
    };
    // The emulator's own region is not the client's: the ARN must follow the signature.
    let server = Server::start(Config {
        region: "ap-south-1".into(),
        account: "210987654321".into(),
        ..Config::default()
    });
    let start = |region: &str, token: &str| {
        json!({
            "service": "emr-serverless",
            "method": "start_session",
            "region": region,
            "params": {"applicationId": APP, "clientToken": token, "executionRoleArn": ROLE},
        })
    };
    let results = boto3(
        &venv,
        &server,
        vec![
            start("eu-west-1", "sig-1"),
            start("us-east-1", "sig-2"),
            json!({"service": "athena", "method": "get_session", "region": "eu-west-1",
                   "params": {"SessionId": SESSION}}),
        ],
    );
    for (result, region) in [(&results[0], "eu-west-1"), (&results[1], "us-east-1")] {
        let output = ok(result);
        let arn = output["arn"].as_str().expect("arn");
        assert_eq!(
            arn,
            format!(
                "arn:aws:emr-serverless:{region}:210987654321:/applications/{APP}/sessions/{}",
                output["sessionId"].as_str().expect("sessionId")
            )
        );
    }
    ok(&results[2]);
}

#[test]
fn boto3_and_the_aws_cli_pass_sigv4_verification_and_other_keys_do_not() {
    let Some(venv) = venv("boto3_and_the_aws_cli_pass_sigv4_verification_and_other_keys_do_not")
    else {
        return;
    };
    // `--verify-sigv4` with the seed's key (the one these clients sign with).
    let config = Config::from_args(["--verify-sigv4".to_string()])
        .expect("valid arguments")
        .expect("not --help");
    let server = Server::start(config);
    let start =
        |token: &str| json!({"applicationId": APP, "clientToken": token, "executionRoleArn": ROLE});
    let results = boto3(
        &venv,
        &server,
        vec![
            call("athena", "get_session", json!({"SessionId": SESSION})),
            call("emr-serverless", "start_session", start("verified-1")),
            json!({"service": "athena", "method": "get_session",
                   "params": {"SessionId": SESSION}, "secret_key": "not-the-secret"}),
            json!({"service": "emr-serverless", "method": "start_session",
                   "params": start("verified-2"), "access_key": "AKIDNOTKNOWN"}),
        ],
    );
    ok(&results[0]);
    ok(&results[1]);
    let wrong_secret = error(&results[2]);
    assert_eq!(
        (&wrong_secret["code"], &wrong_secret["status"]),
        (&json!("InvalidSignatureException"), &json!(400)),
        "{wrong_secret}"
    );
    let unknown_key = error(&results[3]);
    assert_eq!(
        (&unknown_key["code"], &unknown_key["status"]),
        (&json!("UnrecognizedClientException"), &json!(403)),
        "{unknown_key}"
    );

    let out = aws(
        &venv,
        &server,
        Path::new("/dev/null"),
        &["athena", "get-session", "--session-id", SESSION],
    );
    assert!(out.status.success(), "{}\n{}", out.status, out.stderr);
    let out = aws(
        &venv,
        &server,
        Path::new("/dev/null"),
        &[
            "emr-serverless",
            "start-session",
            "--application-id",
            APP,
            "--execution-role-arn",
            ROLE,
            "--client-token",
            "verified-cli",
        ],
    );
    assert!(out.status.success(), "{}\n{}", out.status, out.stderr);
}

// ---------------------------------------------------------------------------
// boto3: modeled errors, fault injection, panics
// ---------------------------------------------------------------------------

#[test]
fn boto3_athena_modeled_errors_arrive_as_their_classes() {
    let Some(venv) = venv("boto3_athena_modeled_errors_arrive_as_their_classes") else {
        return;
    };
    let server = Server::default();
    let get = |id: &str| call("athena", "get_session", json!({ "SessionId": id }));
    let results = boto3(
        &venv,
        &server,
        vec![
            get("no-such-session"),
            get("fault-invalid-1"),
            get("fault-internal-1"),
            get("fault-panic-1"),
            get(SESSION),
        ],
    );
    let not_found = assert_modeled(&results[0], "ResourceNotFoundException", 400);
    assert_eq!(
        not_found["message"],
        "Session no-such-session was not found."
    );
    assert_eq!(not_found["fields"]["ResourceName"], "no-such-session");
    let invalid = assert_modeled(&results[1], "InvalidRequestException", 400);
    assert_eq!(invalid["fields"]["AthenaErrorCode"], "INVALID_INPUT");
    assert_eq!(
        invalid["message"],
        "Injected fault: session fault-invalid-1 is not valid here"
    );
    let internal = assert_modeled(&results[2], "InternalServerException", 500);
    assert_eq!(
        internal["message"],
        "Injected fault: internal error while reading session fault-internal-1"
    );
    // The handler panicked: a 500 that says nothing, not a modeled error.
    let panic = error(&results[3]);
    assert_eq!(panic["class"], "ClientError", "{panic}");
    assert_eq!(panic["modeled"], false);
    assert_eq!(panic["code"], "InternalFailure");
    assert_eq!(panic["status"], 500);
    assert_eq!(panic["message"], "An internal error occurred.");
    // And the server keeps serving.
    ok(&results[4]);
}

#[test]
fn boto3_emr_serverless_modeled_errors_arrive_as_their_classes() {
    let Some(venv) = venv("boto3_emr_serverless_modeled_errors_arrive_as_their_classes") else {
        return;
    };
    let server = Server::default();
    let start = |app: &str, token: &str| {
        call(
            "emr-serverless",
            "start_session",
            json!({"applicationId": app, "clientToken": token, "executionRoleArn": ROLE}),
        )
    };
    let results = boto3(
        &venv,
        &server,
        vec![
            start("00fnosuchapp0000", "e-1"),
            start(QUOTA_APP, "q-1"),
            start(QUOTA_APP, "q-2"),
            start(QUOTA_APP, "q-3"),
            start(QUOTA_APP, "q-1"),
            start("faultinternal01", "e-2"),
            start("faultinvalid01", "e-3"),
            call(
                "emr-serverless",
                "start_session",
                json!({"applicationId": APP, "clientToken": "e-4", "executionRoleArn": ROLE,
                       "name": " "}),
            ),
            start(APP, "e-1"),
            start("faultpanic01", "e-5"),
            start(APP, "e-6"),
        ],
    );
    let not_found = assert_modeled(&results[0], "ResourceNotFoundException", 404);
    assert_eq!(
        not_found["message"],
        "Application 00fnosuchapp0000 does not exist"
    );
    ok(&results[1]);
    ok(&results[2]);
    let quota = assert_modeled(&results[3], "ServiceQuotaExceededException", 402);
    assert_eq!(
        quota["message"],
        format!("Application {QUOTA_APP} already has 2 sessions; the maximum is 2")
    );
    // A replay is not a new session: the quota does not apply.
    assert_eq!(ok(&results[4]), ok(&results[1]));
    let internal = assert_modeled(&results[5], "InternalServerException", 500);
    assert_eq!(
        internal["message"],
        "Injected fault: internal error on application faultinternal01"
    );
    let invalid = assert_modeled(&results[6], "ValidationException", 400);
    assert_eq!(
        invalid["message"],
        "Injected fault: application faultinvalid01 refuses the request"
    );
    // A constraint violation botocore let through (a blank name passes its min length).
    let validation = assert_modeled(&results[7], "ValidationException", 400);
    assert_eq!(
        validation["message"],
        "1 validation error detected. Value at '/name' failed to satisfy constraint: Member must satisfy regular expression pattern: .*\\S.*"
    );
    // e-1 failed (unknown application), so it was never used: it is free.
    ok(&results[8]);
    let panic = error(&results[9]);
    assert_eq!(panic["class"], "ClientError", "{panic}");
    assert_eq!(panic["modeled"], false);
    assert_eq!(panic["code"], "InternalFailure");
    assert_eq!(panic["status"], 500);
    assert_eq!(panic["message"], "An internal error occurred.");
    ok(&results[10]);
}

#[test]
fn max_sessions_per_application_comes_from_the_config() {
    let Some(venv) = venv("max_sessions_per_application_comes_from_the_config") else {
        return;
    };
    let server = Server::start(Config {
        max_sessions_per_application: 1,
        ..Config::default()
    });
    let start = |token: &str| {
        call(
            "emr-serverless",
            "start_session",
            json!({"applicationId": APP, "clientToken": token, "executionRoleArn": ROLE}),
        )
    };
    let results = boto3(&venv, &server, vec![start("m-1"), start("m-2")]);
    ok(&results[0]);
    assert_modeled(&results[1], "ServiceQuotaExceededException", 402);
}

// ---------------------------------------------------------------------------
// boto3 with parameter validation off: the server's ValidationException messages
// ---------------------------------------------------------------------------

const APP_PATTERN: &str = "^[0-9a-z]+$";
const TOKEN_PATTERN: &str = "^[A-Za-z0-9._-]+$";
const ROLE_PATTERN: &str = r"^arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$";
const NON_BLANK: &str = r".*\S.*";
const PROPERTY_PATTERN: &str = r"^.*\S.*$";
const TAG_KEY_PATTERN: &str = "^[A-Za-z0-9 /_.:=+@-]+$";
const TAG_VALUE_PATTERN: &str = "^[A-Za-z0-9 /_.:=+@-]*$";
const RC: &str = "/configurationOverrides/runtimeConfiguration";

fn length(len: usize, path: &str, rule: &str) -> String {
    format!(
        "Value with length {len} at '{path}' failed to satisfy constraint: Member must have length {rule}"
    )
}

fn pattern(path: &str, pattern: &str) -> String {
    format!(
        "Value at '{path}' failed to satisfy constraint: Member must satisfy regular expression pattern: {pattern}"
    )
}

fn not_null(path: &str) -> String {
    format!("Value at '{path}' failed to satisfy constraint: Member must not be null")
}

fn range(path: &str, rule: &str) -> String {
    format!("Value at '{path}' failed to satisfy constraint: Member must be {rule}")
}

/// Smithy's summary: `1 validation error detected. m` / `N validation errors detected. m1; m2`.
fn summary(messages: &[String]) -> String {
    match messages.len() {
        1 => format!("1 validation error detected. {}", messages[0]),
        n => format!("{n} validation errors detected. {}", messages.join("; ")),
    }
}

fn entries(count: usize, key: impl Fn(usize) -> String, value: &str) -> Value {
    Value::Object(
        (0..count)
            .map(|i| (key(i), Value::String(value.to_string())))
            .collect::<Map<String, Value>>(),
    )
}

fn runtime(configurations: Value) -> Value {
    json!({"configurationOverrides": {"runtimeConfiguration": configurations}})
}

#[test]
fn boto3_unvalidated_start_session_inputs_get_exact_validation_messages() {
    let Some(venv) = venv("boto3_unvalidated_start_session_inputs_get_exact_validation_messages")
    else {
        return;
    };
    let between = |min: usize, max: usize| format!("between {min} and {max}, inclusive");
    let props = |properties: Value| {
        runtime(json!([{"classification": "spark-defaults", "properties": properties}]))
    };
    let p0 = format!("{RC}/0/properties");
    let cases: Vec<(&str, Value, Vec<String>)> = vec![
        // applicationId travels in the URI: botocore percent-encodes it and the server
        // decodes the label before validating it.
        (
            "applicationId too long",
            json!({"applicationId": "a".repeat(65)}),
            vec![length(65, "/applicationId", &between(1, 64))],
        ),
        (
            "applicationId too long and upper case",
            json!({"applicationId": "A".repeat(65)}),
            vec![
                length(65, "/applicationId", &between(1, 64)),
                pattern("/applicationId", APP_PATTERN),
            ],
        ),
        (
            "applicationId with a space and a slash (sent as a%20b%2Fc)",
            json!({"applicationId": "a b/c"}),
            vec![pattern("/applicationId", APP_PATTERN)],
        ),
        (
            "applicationId holding a literal %2F (sent as %252F, decoded once)",
            json!({"applicationId": "app%2F1"}),
            vec![pattern("/applicationId", APP_PATTERN)],
        ),
        (
            "applicationId non-ASCII (sent as UTF-8 escapes)",
            json!({"applicationId": "café"}),
            vec![pattern("/applicationId", APP_PATTERN)],
        ),
        (
            "clientToken empty",
            json!({"clientToken": ""}),
            vec![
                length(0, "/clientToken", &between(1, 64)),
                pattern("/clientToken", TOKEN_PATTERN),
            ],
        ),
        (
            "clientToken too long",
            json!({"clientToken": "t".repeat(65)}),
            vec![length(65, "/clientToken", &between(1, 64))],
        ),
        (
            "clientToken with forbidden characters",
            json!({"clientToken": "not a token!"}),
            vec![pattern("/clientToken", TOKEN_PATTERN)],
        ),
        (
            "executionRoleArn missing",
            json!({"executionRoleArn": null}),
            vec![not_null("/executionRoleArn")],
        ),
        (
            "executionRoleArn too short",
            json!({"executionRoleArn": "arn:aws:iam::1:r"}),
            vec![
                length(16, "/executionRoleArn", &between(20, 2048)),
                pattern("/executionRoleArn", ROLE_PATTERN),
            ],
        ),
        (
            "executionRoleArn too long",
            json!({"executionRoleArn": format!("arn:aws:iam::123456789012:role/{}", "r".repeat(2018))}),
            vec![length(2049, "/executionRoleArn", &between(20, 2048))],
        ),
        (
            "executionRoleArn not an IAM role",
            json!({"executionRoleArn": "arn:aws:s3:::bucket-name/key"}),
            vec![pattern("/executionRoleArn", ROLE_PATTERN)],
        ),
        (
            "name empty",
            json!({"name": ""}),
            vec![
                length(0, "/name", &between(1, 256)),
                pattern("/name", NON_BLANK),
            ],
        ),
        (
            "name blank",
            json!({"name": " \t "}),
            vec![pattern("/name", NON_BLANK)],
        ),
        (
            "name too long",
            json!({"name": "n".repeat(257)}),
            vec![length(257, "/name", &between(1, 256))],
        ),
        (
            "idleTimeoutMinutes negative",
            json!({"idleTimeoutMinutes": -1}),
            vec![range("/idleTimeoutMinutes", &between(0, 1_000_000))],
        ),
        (
            "idleTimeoutMinutes too large",
            json!({"idleTimeoutMinutes": 1_000_001}),
            vec![range("/idleTimeoutMinutes", &between(0, 1_000_000))],
        ),
        (
            "201 tags",
            json!({"tags": entries(201, |i| format!("k{i}"), "v")}),
            vec![length(201, "/tags", &between(0, 200))],
        ),
        (
            "tag key empty (reported at the map)",
            json!({"tags": {"": "v"}}),
            vec![
                length(0, "/tags", &between(1, 128)),
                pattern("/tags", TAG_KEY_PATTERN),
            ],
        ),
        (
            "tag key too long",
            json!({"tags": {"k".repeat(129): "v"}}),
            vec![length(129, "/tags", &between(1, 128))],
        ),
        (
            "tag key with forbidden characters",
            json!({"tags": {"team!": "v"}}),
            vec![pattern("/tags", TAG_KEY_PATTERN)],
        ),
        (
            "tag value too long",
            json!({"tags": {"team": "v".repeat(257)}}),
            vec![length(257, "/tags/team", &between(0, 256))],
        ),
        (
            "tag value with forbidden characters",
            json!({"tags": {"team": "data#eng"}}),
            vec![pattern("/tags/team", TAG_VALUE_PATTERN)],
        ),
        (
            "classification missing",
            runtime(json!([{"properties": {"k": "v"}}])),
            vec![not_null(&format!("{RC}/0/classification"))],
        ),
        (
            "classification empty",
            runtime(json!([{"classification": ""}])),
            vec![
                length(0, &format!("{RC}/0/classification"), &between(1, 1024)),
                pattern(&format!("{RC}/0/classification"), NON_BLANK),
            ],
        ),
        (
            "classification too long",
            runtime(json!([{"classification": "c".repeat(1025)}])),
            vec![length(
                1025,
                &format!("{RC}/0/classification"),
                &between(1, 1024),
            )],
        ),
        (
            "classification blank, second item",
            runtime(json!([{"classification": "ok"}, {"classification": "   "}])),
            vec![pattern(&format!("{RC}/1/classification"), NON_BLANK)],
        ),
        (
            "101 configurations",
            runtime(Value::Array(vec![json!({"classification": "c"}); 101])),
            vec![length(101, RC, &between(0, 100))],
        ),
        (
            "nested configuration without classification",
            runtime(json!([{"classification": "spark-defaults",
                            "configurations": [{"properties": {"k": "v"}}]}])),
            vec![not_null(&format!("{RC}/0/configurations/0/classification"))],
        ),
        (
            "blank classification three levels down",
            runtime(json!([{"classification": "a", "configurations": [
                {"classification": "b", "configurations": [{"classification": "  "}]}]}])),
            vec![pattern(
                &format!("{RC}/0/configurations/0/configurations/0/classification"),
                NON_BLANK,
            )],
        ),
        (
            "101 nested configurations",
            runtime(json!([{"classification": "a",
                            "configurations": vec![json!({"classification": "c"}); 101]}])),
            vec![length(
                101,
                &format!("{RC}/0/configurations"),
                &between(0, 100),
            )],
        ),
        (
            "101 properties",
            props(entries(101, |i| format!("spark.p{i}"), "v")),
            vec![length(101, &p0, &between(0, 100))],
        ),
        (
            "property key empty (reported at the map)",
            props(json!({"": "v"})),
            vec![
                length(0, &p0, &between(1, 1024)),
                pattern(&p0, PROPERTY_PATTERN),
            ],
        ),
        (
            "property key too long",
            props(json!({"k".repeat(1025): "v"})),
            vec![length(1025, &p0, &between(1, 1024))],
        ),
        (
            "property value empty",
            props(json!({"spark.executor.memory": ""})),
            vec![pattern(
                &format!("{p0}/spark.executor.memory"),
                PROPERTY_PATTERN,
            )],
        ),
        (
            "property value too long",
            props(json!({"spark.executor.memory": "v".repeat(1025)})),
            vec![length(
                1025,
                &format!("{p0}/spark.executor.memory"),
                &between(0, 1024),
            )],
        ),
        (
            "nested property value blank",
            runtime(json!([{"classification": "a", "configurations": [
                {"classification": "b", "properties": {"JAVA_HOME": " "}}]}])),
            vec![pattern(
                &format!("{RC}/0/configurations/0/properties/JAVA_HOME"),
                PROPERTY_PATTERN,
            )],
        ),
        (
            "many at once, in model order",
            json!({"clientToken": "", "tags": {"ok": "bad#"}, "idleTimeoutMinutes": -5,
                   "name": "   ", "executionRoleArn": "arn:aws:iam::123456789012:user/bob"}),
            vec![
                length(0, "/clientToken", &between(1, 64)),
                pattern("/clientToken", TOKEN_PATTERN),
                pattern("/executionRoleArn", ROLE_PATTERN),
                pattern("/tags/ok", TAG_VALUE_PATTERN),
                range("/idleTimeoutMinutes", &between(0, 1_000_000)),
                pattern("/name", NON_BLANK),
            ],
        ),
    ];
    let calls = cases
        .iter()
        .enumerate()
        .map(|(i, (_, overrides, _))| {
            let mut params = json!({
                "applicationId": APP,
                "clientToken": format!("v-{i}"),
                "executionRoleArn": ROLE,
            });
            for (key, value) in overrides.as_object().expect("overrides") {
                if value.is_null() {
                    params.as_object_mut().expect("object").remove(key);
                } else {
                    params[key] = value.clone();
                }
            }
            unchecked("emr-serverless", "start_session", params)
        })
        .collect();
    let server = Server::default();
    let results = boto3(&venv, &server, calls);
    for ((name, _, messages), result) in cases.iter().zip(&results) {
        let error = result
            .get("error")
            .unwrap_or_else(|| panic!("{name}: expected a ValidationException, got {result}"));
        assert_eq!(error["code"], "ValidationException", "{name}: {error}");
        assert_eq!(error["class"], "ValidationException", "{name}: {error}");
        assert_eq!(error["modeled"], true, "{name}: {error}");
        assert_eq!(error["status"], 400, "{name}: {error}");
        assert_eq!(error["message"], summary(messages), "{name}");
    }
    // The brief's example, spelled out: an empty token breaks its length and its pattern.
    assert_eq!(
        results[5]["error"]["message"],
        "2 validation errors detected. \
         Value with length 0 at '/clientToken' failed to satisfy constraint: Member must have length between 1 and 64, inclusive; \
         Value at '/clientToken' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[A-Za-z0-9._-]+$"
    );
    assert_eq!(
        results[6]["error"]["message"],
        "1 validation error detected. Value with length 65 at '/clientToken' failed to satisfy constraint: Member must have length between 1 and 64, inclusive"
    );
}

#[test]
fn boto3_unvalidated_empty_application_id_matches_no_operation() {
    let Some(venv) = venv("boto3_unvalidated_empty_application_id_matches_no_operation") else {
        return;
    };
    // An empty label makes the path `/applications//sessions`, which no route matches
    // (labels are non-empty path segments): 404 UnknownOperationException, not a
    // ValidationException. The server is fine afterwards.
    let server = Server::default();
    let results = boto3(
        &venv,
        &server,
        vec![
            unchecked(
                "emr-serverless",
                "start_session",
                json!({"applicationId": "", "clientToken": "x", "executionRoleArn": ROLE}),
            ),
            call(
                "emr-serverless",
                "start_session",
                json!({"applicationId": APP, "clientToken": "x", "executionRoleArn": ROLE}),
            ),
        ],
    );
    let unknown = error(&results[0]);
    assert_eq!(unknown["code"], "UnknownOperationException", "{unknown}");
    assert_eq!(unknown["status"], 404);
    ok(&results[1]);
}

#[test]
fn boto3_unvalidated_athena_session_ids_get_exact_validation_messages() {
    let Some(venv) = venv("boto3_unvalidated_athena_session_ids_get_exact_validation_messages")
    else {
        return;
    };
    let server = Server::default();
    let results = boto3(
        &venv,
        &server,
        vec![
            unchecked("athena", "get_session", json!({"SessionId": ""})),
            unchecked(
                "athena",
                "get_session",
                json!({"SessionId": "s".repeat(257)}),
            ),
            unchecked("athena", "get_session", json!({})),
            // 256 characters is allowed: it is just not a known session.
            unchecked(
                "athena",
                "get_session",
                json!({"SessionId": "s".repeat(256)}),
            ),
        ],
    );
    // Athena models no ValidationException: boto3 raises a plain ClientError.
    let expected = [
        "1 validation error detected. Value with length 0 at '/SessionId' failed to satisfy constraint: Member must have length between 1 and 256, inclusive",
        "1 validation error detected. Value with length 257 at '/SessionId' failed to satisfy constraint: Member must have length between 1 and 256, inclusive",
        "1 validation error detected. Value at '/SessionId' failed to satisfy constraint: Member must not be null",
    ];
    for (result, message) in results.iter().zip(expected) {
        let error = error(result);
        assert_eq!(error["class"], "ClientError", "{error}");
        assert_eq!(error["code"], "ValidationException", "{error}");
        assert_eq!(error["status"], 400, "{error}");
        assert_eq!(error["message"], message);
    }
    assert_modeled(&results[3], "ResourceNotFoundException", 400);
}
