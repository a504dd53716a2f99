//! SigV4 signing checked against an independent implementation: botocore's `SigV4Auth`.
//!
//! Each request is signed twice, at the same fixed time with the same fixed keys: here
//! with `smithy_runtime::client::sign_request` (the runtime's canonical request, the
//! aws-sigv4 crate's key and signature), and by
//! `tests/python/botocore_sign.py` with botocore (its clock patched). The `Authorization`
//! headers (signed header list and signature included), `X-Amz-Date` and
//! `X-Amz-Security-Token` must be identical. Both sides get the same headers, `host`
//! included, except where a test is about the `host` botocore and aws-sigv4 derive from
//! the URL.
//!
//! The last tests sign end to end: the generated clients send real requests to a
//! capturing server on 127.0.0.1, and botocore re-signs what arrived (minus the
//! `Authorization` header and the `content-length` hyper adds after signing) at the
//! `X-Amz-Date` the request carries.
//!
//! Python comes from the venv `cargo xtask test` makes (`SMITHY_VENV`, else
//! `target/venv`); without it every test here says it is skipped and passes, except
//! under `CI=true`, where a missing venv is a failure.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

use bytes::Bytes;
use integration_tests::python::{python, run_python};
use serde_json::{Value, json};
use smithy_runtime::client::{Credentials, RetryConfig, sign_request};

const ACCESS_KEY: &str = "AKIDEXAMPLE";
const SECRET_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const SESSION_TOKEN: &str = "IQoJb3JpZ2luX2VjEHwaCXVzLWVhc3QtMSJHMEUCIQD6+/token/with+slashes==";
/// 2024-01-15T12:34:56Z.
const SIGNING_SECS: u64 = 1_705_322_096;
const SIGNING_STAMP: &str = "20240115T123456Z";
const USER_AGENT: &str = "smithy-codegen-rust/0.1.0 api/athena/2017-05-18";
const APP: &str = "00fabcdefghij012";
const SESSION: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";

fn base64(bytes: &[u8]) -> String {
    smithy_runtime::base64::encode(bytes)
}

/// A request to sign, with everything both signers need.
struct Case {
    name: &'static str,
    method: String,
    url: String,
    /// The URL botocore signs, when it is not `url` (see
    /// `non_canonical_query_escapes_are_signed_in_their_canonical_form`).
    botocore_url: Option<String>,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    session_token: Option<&'static str>,
    region: &'static str,
    service: &'static str,
    time: SystemTime,
}

impl Case {
    fn new(name: &'static str, method: &str, url: impl Into<String>) -> Case {
        Case {
            name,
            method: method.to_string(),
            url: url.into(),
            botocore_url: None,
            headers: Vec::new(),
            body: Vec::new(),
            session_token: None,
            region: "us-east-1",
            service: "athena",
            time: SystemTime::UNIX_EPOCH + Duration::from_secs(SIGNING_SECS),
        }
    }

    fn header(mut self, name: &str, value: impl Into<String>) -> Case {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    fn body(mut self, body: impl Into<Vec<u8>>) -> Case {
        self.body = body.into();
        self
    }

    fn scope(mut self, region: &'static str, service: &'static str) -> Case {
        self.region = region;
        self.service = service;
        self
    }

    fn token(mut self, token: &'static str) -> Case {
        self.session_token = Some(token);
        self
    }

    fn botocore_url(mut self, url: impl Into<String>) -> Case {
        self.botocore_url = Some(url.into());
        self
    }

    fn at(mut self, secs: u64) -> Case {
        self.time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
        self
    }

    fn stamp(&self) -> String {
        let secs = self
            .time
            .duration_since(SystemTime::UNIX_EPOCH)
            .expect("after 1970")
            .as_secs();
        smithy_runtime::DateTime::from_secs(secs as i64)
            .fmt(smithy_runtime::TimestampFormat::DateTime)
            .replace(['-', ':'], "")
    }

    fn spec(&self) -> Value {
        json!({
            "name": self.name,
            "method": self.method,
            "url": self.botocore_url.as_ref().unwrap_or(&self.url),
            "headers": self.headers.iter().map(|(n, v)| json!([n, v])).collect::<Vec<_>>(),
            "body_b64": base64(&self.body),
            "access_key": ACCESS_KEY,
            "secret_key": SECRET_KEY,
            "session_token": self.session_token,
            "region": self.region,
            "service": self.service,
            "time": self.stamp(),
        })
    }
}

/// What a signer added to the request.
#[derive(Debug, PartialEq)]
struct Signed {
    authorization: Option<String>,
    x_amz_date: Option<String>,
    x_amz_security_token: Option<String>,
}

/// Signs `case` with `sign_request`.
fn sign_ours(case: &Case) -> Signed {
    let mut builder = http::Request::builder()
        .method(case.method.as_str())
        .uri(case.url.as_str());
    for (name, value) in &case.headers {
        builder = builder.header(name.as_str(), value.as_str());
    }
    let mut request = builder
        .body(Bytes::from(case.body.clone()))
        .unwrap_or_else(|e| panic!("{}: not a valid request: {e}", case.name));
    let credentials = Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        case.session_token.map(str::to_string),
        None,
    );
    sign_request(
        &mut request,
        &credentials,
        case.region,
        case.service,
        case.time,
    )
    .unwrap_or_else(|e| panic!("{}: sign_request failed: {e}", case.name));
    let header = |name: &str| {
        let values: Vec<&str> = request
            .headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("ASCII"))
            .collect();
        assert!(values.len() <= 1, "{}: {name} set twice", case.name);
        values.first().map(|v| v.to_string())
    };
    Signed {
        authorization: header("authorization"),
        x_amz_date: header("x-amz-date"),
        x_amz_security_token: header("x-amz-security-token"),
    }
}

fn text(value: &Value) -> Option<String> {
    value.as_str().map(str::to_string)
}

/// Signs every case on both sides; panics listing every difference.
fn assert_signatures_match(test: &str, cases: &[Case]) -> Vec<Signed> {
    let Some(python) = python(test) else {
        return Vec::new();
    };
    let input = json!({"requests": cases.iter().map(Case::spec).collect::<Vec<_>>()});
    let output = run_python(&python, "botocore_sign.py", &input);
    let results = output["results"].as_array().expect("results");
    assert_eq!(results.len(), cases.len());
    let mut mismatches = Vec::new();
    let mut signed = Vec::new();
    for (case, theirs) in cases.iter().zip(results) {
        let botocore = Signed {
            authorization: text(&theirs["authorization"]),
            x_amz_date: text(&theirs["x_amz_date"]),
            x_amz_security_token: text(&theirs["x_amz_security_token"]),
        };
        let ours = sign_ours(case);
        // Both really signed at the fixed time.
        assert_eq!(
            ours.x_amz_date.as_deref(),
            Some(case.stamp().as_str()),
            "{}",
            case.name
        );
        if ours != botocore {
            mismatches.push(format!(
                "{}:\n  ours:     {ours:?}\n  botocore: {botocore:?}\n  botocore's canonical \
                 request:\n{}\n  botocore's string to sign:\n{}",
                case.name,
                theirs["canonical_request"].as_str().unwrap_or_default(),
                theirs["string_to_sign"].as_str().unwrap_or_default(),
            ));
        }
        signed.push(ours);
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} requests signed differently from botocore {}:\n{}",
        mismatches.len(),
        cases.len(),
        output["botocore"],
        mismatches.join("\n\n")
    );
    signed
}

/// The `SignedHeaders=` list of an `Authorization` header.
fn signed_headers(authorization: &str) -> Vec<&str> {
    authorization
        .split(", ")
        .find_map(|part| part.strip_prefix("SignedHeaders="))
        .expect("SignedHeaders")
        .split(';')
        .collect()
}

fn athena_get_session() -> Case {
    Case::new(
        "awsJson1_1 GetSession",
        "POST",
        "https://athena.us-east-1.amazonaws.com/",
    )
    .header("host", "athena.us-east-1.amazonaws.com")
    .header("user-agent", USER_AGENT)
    .header("x-amz-user-agent", USER_AGENT)
    .header("x-amz-target", "AmazonAthena.GetSession")
    .header("content-type", "application/x-amz-json-1.1")
    .body(format!(r#"{{"SessionId":"{SESSION}"}}"#))
}

fn emr_start_session() -> Case {
    Case::new(
        "restJson1 StartSession",
        "POST",
        format!("https://emr-serverless.us-west-2.amazonaws.com/applications/{APP}/sessions"),
    )
    .scope("us-west-2", "emr-serverless")
    .header("host", "emr-serverless.us-west-2.amazonaws.com")
    .header(
        "user-agent",
        "smithy-codegen-rust/0.1.0 api/emr-serverless/2021-07-13",
    )
    .header(
        "x-amz-user-agent",
        "smithy-codegen-rust/0.1.0 api/emr-serverless/2021-07-13",
    )
    .header("content-type", "application/json")
    .body(
        json!({
            "clientToken": "5b3d1c9e-7f0a-4b2c-8d1e-2f3a4b5c6d7e",
            "executionRoleArn": "arn:aws:iam::123456789012:role/EMRRole",
            "name": "nightly ✓ run",
            "idleTimeoutMinutes": 30,
            "tags": {"team": "data", "cost center": "42"},
            "configurationOverrides": {"runtimeConfiguration": [
                {"classification": "spark-defaults",
                 "properties": {"spark.executor.memory": "4g"}}
            ]}
        })
        .to_string(),
    )
}

#[test]
fn aws_json_get_session_is_signed_as_botocore_signs_it() {
    let signed = assert_signatures_match(
        "aws_json_get_session_is_signed_as_botocore_signs_it",
        &[athena_get_session()],
    );
    if let Some(signed) = signed.first() {
        let authorization = signed.authorization.as_deref().expect("signed");
        assert!(authorization.starts_with(&format!(
            "AWS4-HMAC-SHA256 Credential={ACCESS_KEY}/20240115/us-east-1/athena/aws4_request, "
        )));
        // The user agent is left out on both sides; the rest is signed.
        assert_eq!(
            signed_headers(authorization),
            [
                "content-type",
                "host",
                "x-amz-date",
                "x-amz-target",
                "x-amz-user-agent"
            ]
        );
        assert_eq!(signed.x_amz_date.as_deref(), Some(SIGNING_STAMP));
        assert_eq!(signed.x_amz_security_token, None);
    }
}

#[test]
fn rest_json_start_session_is_signed_as_botocore_signs_it() {
    assert_signatures_match(
        "rest_json_start_session_is_signed_as_botocore_signs_it",
        &[emr_start_session()],
    );
}

#[test]
fn query_strings_needing_encoding_are_signed_as_botocore_signs_them() {
    let host = "emr-serverless.eu-west-1.amazonaws.com";
    let get = |name, target: &str| {
        Case::new(name, "GET", format!("https://{host}{target}"))
            .scope("eu-west-1", "emr-serverless")
            .header("host", host)
    };
    assert_signatures_match(
        "query_strings_needing_encoding_are_signed_as_botocore_signs_them",
        &[
            // Out of order, repeated keys (sorted by value), reserved characters,
            // UTF-8, an empty value, `~` left as it is.
            get(
                "GET with an encoded query",
                &format!(
                    "/applications/{APP}/sessions?states=STARTED&maxResults=10\
                     &nextToken=a%2Bb%2Fc%3D%3D&states=IDLE&name=caf%C3%A9%20bar%21\
                     &tag%3Akey=~~value&empty="
                ),
            ),
            // A key with no `=` at all.
            get(
                "GET with a bare query key",
                &format!("/applications/{APP}/sessions?zeta=1&alpha"),
            ),
            // A label holding characters that need encoding (the path is encoded again
            // for the canonical request, by both).
            get(
                "GET with an encoded path",
                "/applications/app%20id%3A1%2Fx/sessions/s%2Bt?next=%2A%27%28%29",
            ),
        ],
    );
}

/// botocore puts the query string into the canonical request as the URL has it;
/// aws-sigv4 decodes each name and value and encodes it again (the SigV4 rule: encode
/// everything but `A-Za-z0-9-._~`, hex in upper case). The two agree on every query our
/// requests carry (they are encoded that way already, see the test above), and on a URL
/// escaped otherwise ours signs what botocore signs for the canonical spelling.
#[test]
fn non_canonical_query_escapes_are_signed_in_their_canonical_form() {
    let host = "emr-serverless.eu-west-1.amazonaws.com";
    let get = |name, query: &str, canonical: &str| {
        Case::new(name, "GET", format!("https://{host}/applications?{query}"))
            .botocore_url(format!("https://{host}/applications?{canonical}"))
            .scope("eu-west-1", "emr-serverless")
            .header("host", host)
    };
    assert_signatures_match(
        "non_canonical_query_escapes_are_signed_in_their_canonical_form",
        &[
            get(
                "an escaped unreserved character",
                "tag=%7Evalue",
                "tag=~value",
            ),
            get("lower-case hex", "next=a%2bb%2f", "next=a%2Bb%2F"),
            get(
                "reserved characters left as they are",
                "next=a:b@c!*'()",
                "next=a%3Ab%40c%21%2A%27%28%29",
            ),
        ],
    );
}

#[test]
fn session_tokens_are_signed_as_botocore_signs_them() {
    let signed = assert_signatures_match(
        "session_tokens_are_signed_as_botocore_signs_them",
        &[
            athena_get_session().token(SESSION_TOKEN),
            emr_start_session().token(SESSION_TOKEN),
        ],
    );
    for signed in signed {
        assert_eq!(signed.x_amz_security_token.as_deref(), Some(SESSION_TOKEN));
        let authorization = signed.authorization.expect("signed");
        assert!(
            signed_headers(&authorization).contains(&"x-amz-security-token"),
            "the token is signed: {authorization}"
        );
    }
}

#[test]
fn empty_bodies_are_signed_as_botocore_signs_them() {
    let host = "emr-serverless.us-east-1.amazonaws.com";
    assert_signatures_match(
        "empty_bodies_are_signed_as_botocore_signs_them",
        &[
            Case::new(
                "GET with no body",
                "GET",
                format!("https://{host}/applications/{APP}/sessions/sess-1"),
            )
            .scope("us-east-1", "emr-serverless")
            .header("host", host),
            Case::new(
                "POST with no body",
                "POST",
                format!("https://{host}/applications/{APP}/sessions/sess-1/cancel"),
            )
            .scope("us-east-1", "emr-serverless")
            .header("host", host)
            .header("content-type", "application/json"),
            athena_get_session().body("{}"),
        ],
    );
}

#[test]
fn other_times_regions_and_headers_are_signed_as_botocore_signs_them() {
    assert_signatures_match(
        "other_times_regions_and_headers_are_signed_as_botocore_signs_them",
        &[
            // A second before a new day (and year): the scope's date.
            athena_get_session().at(1_704_067_199),
            // Another partition.
            Case::new(
                "GetSession in cn-north-1",
                "POST",
                "https://athena.cn-north-1.amazonaws.com.cn/",
            )
            .scope("cn-north-1", "athena")
            .header("host", "athena.cn-north-1.amazonaws.com.cn")
            .header("x-amz-target", "AmazonAthena.GetSession")
            .header("content-type", "application/x-amz-json-1.1")
            .body("{\"SessionId\":\"x\"}"),
            // Values with runs of spaces, repeated headers (joined with `,` in order).
            emr_start_session()
                .header("x-amz-meta-note", "  two   spaces  inside ")
                .header("x-amz-meta-list", "b")
                .header("x-amz-meta-list", "a")
                .header("x-amz-client-context", "e30="),
            // Tabs count as whitespace, as botocore and the Java SDK trim them.
            emr_start_session().header("x-amz-meta-tabbed", "\ta\t\tb \t c\t"),
        ],
    );
}

#[test]
fn the_host_derived_from_the_url_is_the_one_botocore_derives() {
    // No `host` header: both take it from the URL, dropping only a default port.
    let body = "{\"SessionId\":\"x\"}";
    let case = |name, url: &str| {
        Case::new(name, "POST", url)
            .header("x-amz-target", "AmazonAthena.GetSession")
            .header("content-type", "application/x-amz-json-1.1")
            .body(body)
    };
    assert_signatures_match(
        "the_host_derived_from_the_url_is_the_one_botocore_derives",
        &[
            case("a non-default port", "http://127.0.0.1:8080/"),
            case(
                "https on 443",
                "https://athena.us-east-1.amazonaws.com:443/",
            ),
            case("http on 80", "http://localhost:80/"),
            case("https on 8443", "https://localhost:8443/"),
        ],
    );
}

// ---------------------------------------------------------------------------
// End to end: what the generated clients put on the wire
// ---------------------------------------------------------------------------

/// A request as it arrived.
#[derive(Debug)]
struct Captured {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Captured {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 that captures one request and answers `response` (raw bytes).
fn capture_one(response: Vec<u8>) -> (String, mpsc::Receiver<Captured>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a free port");
    let addr = listener.local_addr().expect("bound");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let Ok((stream, _)) = listener.accept() else {
            return;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() {
            return;
        }
        let mut parts = line.split_whitespace();
        let method = parts.next().unwrap_or_default().to_string();
        let target = parts.next().unwrap_or_default().to_string();
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).is_err() {
                return;
            }
            let line = line.trim_end_matches(['\r', '\n']);
            if line.is_empty() {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
            }
        }
        let length = headers
            .iter()
            .find(|(n, _)| n == "content-length")
            .and_then(|(_, v)| v.parse().ok())
            .unwrap_or(0);
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let mut stream = reader.into_inner();
        let _ = stream.write_all(&response);
        let _ = stream.flush();
        let _ = tx.send(Captured {
            method,
            target,
            headers,
            body,
        });
    });
    (format!("http://{addr}"), rx)
}

fn json_response(body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         x-amzn-requestid: 00000000-0000-4000-8000-000000000000\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
}

fn credentials() -> Credentials {
    Credentials::new(
        ACCESS_KEY,
        SECRET_KEY,
        Some(SESSION_TOKEN.to_string()),
        None,
    )
}

/// botocore's signature over what arrived, at the time the request says it was signed.
fn resign_captured(
    name: &'static str,
    captured: &Captured,
    endpoint: &str,
    region: &'static str,
    service: &'static str,
) -> Case {
    let stamp = captured.header("x-amz-date").expect("x-amz-date was sent");
    let time = smithy_runtime::DateTime::parse(
        smithy_runtime::TimestampFormat::DateTime,
        &format!(
            "{}-{}-{}T{}:{}:{}Z",
            &stamp[0..4],
            &stamp[4..6],
            &stamp[6..8],
            &stamp[9..11],
            &stamp[11..13],
            &stamp[13..15]
        ),
    )
    .expect("x-amz-date is a timestamp");
    let mut case = Case::new(
        name,
        &captured.method,
        format!("{endpoint}{}", captured.target),
    )
    .scope(region, service)
    .token(SESSION_TOKEN)
    .at(time.secs() as u64)
    .body(captured.body.clone());
    for (header, value) in &captured.headers {
        // The signature itself, and the length hyper adds after signing.
        if header != "authorization" && header != "content-length" {
            case = case.header(header, value.clone());
        }
    }
    case
}

/// Checks `captured`'s `Authorization` against botocore's over the same request.
fn assert_captured_signature(test: &str, case: &Case, captured: &Captured) {
    let Some(python) = python(test) else {
        return;
    };
    let output = run_python(
        &python,
        "botocore_sign.py",
        &json!({"requests": [case.spec()]}),
    );
    let theirs = &output["results"][0];
    assert_eq!(
        captured.header("authorization"),
        theirs["authorization"].as_str(),
        "{}: the client's signature differs from botocore's over the same request \
         {captured:?}\nbotocore's canonical request:\n{}",
        case.name,
        theirs["canonical_request"].as_str().unwrap_or_default()
    );
    assert_eq!(
        captured.header("x-amz-security-token"),
        theirs["x_amz_security_token"].as_str()
    );
}

#[test]
fn athena_client_requests_carry_botocore_signatures() {
    let test = "athena_client_requests_carry_botocore_signatures";
    if python(test).is_none() {
        return;
    }
    let (endpoint, requests) = capture_one(json_response("{}"));
    runtime().block_on(async {
        let client = athena::Client::from_conf(
            athena::Config::builder()
                .region("us-east-1")
                .endpoint_url(&endpoint)
                .credentials_provider(credentials())
                .retry_config(RetryConfig::disabled())
                .build(),
        );
        client
            .get_session()
            .session_id(SESSION)
            .send()
            .await
            .expect("the canned response is a GetSession output");
    });
    let captured = requests
        .recv_timeout(Duration::from_secs(10))
        .expect("a request");
    assert_eq!(captured.method, "POST");
    assert_eq!(
        captured.header("x-amz-target"),
        Some("AmazonAthena.GetSession")
    );
    let case = resign_captured(test, &captured, &endpoint, "us-east-1", "athena");
    assert_captured_signature(test, &case, &captured);
}

#[test]
fn emr_serverless_client_requests_carry_botocore_signatures() {
    let test = "emr_serverless_client_requests_carry_botocore_signatures";
    if python(test).is_none() {
        return;
    }
    let output = json!({
        "applicationId": APP, "sessionId": "sess-1",
        "arn": format!("arn:aws:emr-serverless:eu-central-1:123456789012:/applications/{APP}/sessions/sess-1")
    })
    .to_string();
    // A plain label, then one that needs encoding (validation is off by default).
    for (name, application) in [
        ("StartSession", APP),
        ("StartSession with an encoded label", "app id/1:é"),
    ] {
        let (endpoint, requests) = capture_one(json_response(&output));
        runtime().block_on(async {
            let client = emr_serverless::Client::from_conf(
                emr_serverless::Config::builder()
                    .region("eu-central-1")
                    .endpoint_url(&endpoint)
                    .credentials_provider(credentials())
                    .retry_config(RetryConfig::disabled())
                    .build(),
            );
            client
                .start_session()
                .application_id(application)
                .client_token("5b3d1c9e-7f0a-4b2c-8d1e-2f3a4b5c6d7e")
                .execution_role_arn("arn:aws:iam::123456789012:role/EMRRole")
                .name("nightly run")
                .send()
                .await
                .expect("the canned response is a StartSession output");
        });
        let captured = requests
            .recv_timeout(Duration::from_secs(10))
            .expect("a request");
        assert_eq!(captured.method, "POST");
        let case = resign_captured(name, &captured, &endpoint, "eu-central-1", "emr-serverless");
        assert_captured_signature(test, &case, &captured);
    }
}
