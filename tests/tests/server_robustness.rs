//! Malformed requests over real HTTP against the emulator (both generated routers behind
//! one port): every answer must be a well-formed protocol error (status 4xx/5xx,
//! `x-amzn-errortype`, a JSON object body, `__type` for awsJson) or, for the valid
//! requests, a success; no request may hang; the server still answers at the end.
//!
//! The requests come from a deterministic PRNG (xorshift), so a failure reproduces. The
//! HTTP/1.1 client is a plain `TcpStream` so that anything, broken framing included, can
//! be sent.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use emulator::{Config, Emulator, EmulatorHandle};
use serde_json::{Map, Value, json};
use smithy_runtime::server::ServerConfig;

const SESSION: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APP: &str = "00fabcdefghij012";
const ROLE: &str = "arn:aws:iam::123456789012:role/EMRRole";
const ATHENA_JSON: &str = "application/x-amz-json-1.1";
const BODY_LIMIT: usize = 64 * 1024;
/// No single request may take longer than this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// xorshift64*: deterministic, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }

    fn token(&mut self, len: usize) -> String {
        const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";
        (0..len).map(|_| *self.pick(CHARS) as char).collect()
    }
}

/// What a request may be answered with.
#[derive(Clone, Debug)]
enum Expect {
    /// 200 and a JSON object.
    Success,
    /// A protocol error of one of these types with this status (`None`: any 4xx/5xx).
    Error(&'static [&'static str], Option<u16>),
    /// A protocol error or a success (e.g. `null` where an optional member goes).
    SuccessOrError(&'static [&'static str]),
    /// Not valid HTTP: hyper may answer 400 by itself or close; only a hang is wrong.
    Anything,
}

const MALFORMED: &[&str] = &["SerializationException"];
const MALFORMED_OR_INVALID: &[&str] = &["SerializationException", "ValidationException"];
const INVALID: &[&str] = &["ValidationException"];

struct Request {
    what: String,
    bytes: Vec<u8>,
    expect: Expect,
    /// awsJson answers carry `__type` in the body.
    aws_json: bool,
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

fn http(method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    for (name, value) in headers {
        out.push_str(&format!("{name}: {value}\r\n"));
    }
    out.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let mut bytes = out.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

fn athena(body: &[u8], what: impl Into<String>, expect: Expect) -> Request {
    Request {
        what: what.into(),
        bytes: http(
            "POST",
            "/",
            &[
                ("X-Amz-Target", "AmazonAthena.GetSession"),
                ("Content-Type", ATHENA_JSON),
            ],
            body,
        ),
        expect,
        aws_json: true,
    }
}

fn emr(body: &[u8], what: impl Into<String>, expect: Expect) -> Request {
    Request {
        what: what.into(),
        bytes: http(
            "POST",
            &format!("/applications/{APP}/sessions"),
            &[("Content-Type", "application/json")],
            body,
        ),
        expect,
        aws_json: false,
    }
}

fn valid_start_session(token: &str) -> Value {
    json!({
        "clientToken": token,
        "executionRoleArn": ROLE,
        "name": "robustness",
        "idleTimeoutMinutes": 30,
        "tags": {"team": "data", "env": "test"},
        "configurationOverrides": {"runtimeConfiguration": [{
            "classification": "spark-defaults",
            "properties": {"spark.executor.memory": "4g"},
            "configurations": [{"classification": "spark-env", "properties": {"A": "b"}}],
        }]},
    })
}

/// Reads one response; `None` when the server closed without one.
fn read_response(stream: &mut TcpStream) -> std::io::Result<Option<Response>> {
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    if raw.is_empty() {
        return Ok(None);
    }
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no end of headers"))?;
    let head = String::from_utf8_lossy(&raw[..end]).to_string();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("bad status line {status_line:?}")))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if let Some(len) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
    {
        body.truncate(len);
    }
    Ok(Some(Response {
        status,
        headers,
        body,
    }))
}

/// Sends `bytes` on a new connection (`Connection: close`) and reads the answer.
/// `half_close` shuts our sending side after the bytes: for requests that are not
/// complete HTTP, so the server sees the end instead of waiting for more (hyper then
/// closes the connection).
fn send(addr: SocketAddr, bytes: &[u8], half_close: bool) -> std::io::Result<Option<Response>> {
    let mut stream = TcpStream::connect_timeout(&addr, REQUEST_TIMEOUT)?;
    stream.set_read_timeout(Some(REQUEST_TIMEOUT))?;
    stream.set_write_timeout(Some(REQUEST_TIMEOUT))?;
    // The server may answer (413, 415...) and close before it read everything: a failed
    // write is fine as long as an answer can be read.
    let _ = stream.write_all(bytes);
    if half_close {
        let _ = stream.shutdown(std::net::Shutdown::Write);
    }
    read_response(&mut stream)
}

/// Checks one answer against what the request allowed; `Err` describes the problem.
fn check(request: &Request, response: Option<Response>) -> Result<(), String> {
    let Some(response) = response else {
        return match request.expect {
            Expect::Anything => Ok(()),
            _ => Err("the server closed the connection without an answer".into()),
        };
    };
    if matches!(request.expect, Expect::Anything) && response.header("x-amzn-errortype").is_none() {
        // hyper's own answer to broken HTTP.
        return if (400..500).contains(&response.status) {
            Ok(())
        } else {
            Err(format!("status {} for broken HTTP", response.status))
        };
    }
    if response
        .header("x-amzn-requestid")
        .is_none_or(|id| id.len() != 36)
    {
        return Err("no x-amzn-requestid".into());
    }
    let body: Value = serde_json::from_slice(&response.body).map_err(|e| {
        format!(
            "status {}: body is not JSON ({e}): {:?}",
            response.status,
            String::from_utf8_lossy(&response.body)
        )
    })?;
    let Value::Object(body) = body else {
        return Err(format!("body is not a JSON object: {body}"));
    };
    let error_type = response.header("x-amzn-errortype");
    let ok = response.status == 200 && error_type.is_none();
    let allowed: &[&str] = match (&request.expect, ok) {
        (Expect::Success | Expect::SuccessOrError(_), true) => return Ok(()),
        (Expect::Success, false) => {
            return Err(format!(
                "expected success, got {} {error_type:?} {body:?}",
                response.status
            ));
        }
        (Expect::Error(..), true) => return Err(format!("expected an error, got 200 {body:?}")),
        (Expect::Error(types, _) | Expect::SuccessOrError(types), false) => types,
        (Expect::Anything, _) => &[],
    };
    if !(400..600).contains(&response.status) {
        return Err(format!("error with status {}", response.status));
    }
    let Some(error_type) = error_type else {
        return Err(format!(
            "status {} without x-amzn-errortype",
            response.status
        ));
    };
    if !allowed.is_empty() && !allowed.contains(&error_type) {
        return Err(format!(
            "error type {error_type} (status {}), expected one of {allowed:?}: {body:?}",
            response.status
        ));
    }
    if let Expect::Error(_, Some(status)) = request.expect {
        if response.status != status {
            return Err(format!("status {}, expected {status}", response.status));
        }
    }
    let message = body
        .get("message")
        .or_else(|| body.get("Message"))
        .and_then(Value::as_str);
    if message.is_none_or(str::is_empty) {
        return Err(format!("error without a message: {body:?}"));
    }
    if request.aws_json && body.get("__type").and_then(Value::as_str) != Some(error_type) {
        return Err(format!("awsJson error without a matching __type: {body:?}"));
    }
    Ok(())
}

/// Every position of `value` (JSON Pointer), the root included.
fn positions(value: &Value, path: String, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                positions(v, format!("{path}/{k}"), out);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                positions(v, format!("{path}/{i}"), out);
            }
        }
        _ => {}
    }
    out.push(path);
}

/// `value` with what is at `path` replaced.
fn replace(value: &Value, path: &str, with: Value) -> Value {
    let mut copy = value.clone();
    if path.is_empty() {
        return with;
    }
    *copy.pointer_mut(path).expect("a position of the value") = with;
    copy
}

fn same_kind(a: &Value, b: &Value) -> bool {
    std::mem::discriminant(a) == std::mem::discriminant(b)
        && !(a.is_number() && (a.is_f64() != b.is_f64()))
}

/// The replacements tried at every position.
fn wrong_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1.5),
        json!("text"),
        json!([]),
        json!(["x"]),
        json!({}),
        json!({"k": "v"}),
    ]
}

/// Positions of [`valid_start_session`] holding optional members.
const NULL_IS_ABSENT: &[&str] = &[
    "/name",
    "/idleTimeoutMinutes",
    "/tags",
    "/configurationOverrides",
    "/configurationOverrides/runtimeConfiguration",
    "/configurationOverrides/runtimeConfiguration/0/properties",
    "/configurationOverrides/runtimeConfiguration/0/configurations",
    "/configurationOverrides/runtimeConfiguration/0/configurations/0/properties",
];

/// Positions of [`valid_start_session`] holding required members.
const NULL_IS_MISSING: &[&str] = &[
    "/clientToken",
    "/executionRoleArn",
    "/configurationOverrides/runtimeConfiguration/0/classification",
    "/configurationOverrides/runtimeConfiguration/0/configurations/0/classification",
];

/// Both services' bodies with a wrong type at each position.
fn wrong_types(rng: &mut Rng) -> Vec<Request> {
    let mut requests = Vec::new();
    let athena_body = json!({"SessionId": SESSION});
    let mut paths = Vec::new();
    positions(&athena_body, String::new(), &mut paths);
    for path in &paths {
        for wrong in wrong_values() {
            if same_kind(athena_body.pointer(path).expect("position"), &wrong) {
                continue;
            }
            let body = replace(&athena_body, path, wrong.clone());
            let expect = if wrong.is_null() && path == "/SessionId" {
                Expect::Error(INVALID, Some(400))
            } else {
                Expect::Error(MALFORMED, Some(400))
            };
            requests.push(athena(
                body.to_string().as_bytes(),
                format!("athena: {wrong} at '{path}'"),
                expect,
            ));
        }
    }
    let template = valid_start_session("TOKEN");
    let mut paths = Vec::new();
    positions(&template, String::new(), &mut paths);
    for path in &paths {
        for wrong in wrong_values() {
            if same_kind(template.pointer(path).expect("position"), &wrong) {
                continue;
            }
            let token = format!("wt-{}", rng.token(20));
            let body = if path == "/clientToken" {
                replace(&template, path, wrong.clone())
            } else {
                replace(&valid_start_session(&token), path, wrong.clone())
            };
            let expect = if !wrong.is_null() {
                Expect::Error(MALFORMED, Some(400))
            } else if NULL_IS_ABSENT.contains(&path.as_str()) {
                // `null` where an optional member goes is the member left out.
                Expect::Success
            } else if NULL_IS_MISSING.contains(&path.as_str()) {
                Expect::Error(INVALID, Some(400))
            } else {
                // `null` as a list item, a map value or the whole body.
                Expect::Error(MALFORMED, Some(400))
            };
            requests.push(emr(
                body.to_string().as_bytes(),
                format!("emr: {wrong} at '{path}'"),
                expect,
            ));
        }
    }
    requests
}

fn deep(open: &str, close: &str, depth: usize) -> String {
    format!("{}{}", open.repeat(depth), close.repeat(depth))
}

/// Hand-written malformed requests: nesting, numbers, encodings, content types,
/// targets, paths, sizes.
fn fixed_cases() -> Vec<Request> {
    let mut r = Vec::new();
    // Deep nesting, alone and inside members.
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let nested = deep(open, close, 10_000);
        r.push(athena(
            nested.as_bytes(),
            format!("athena: 10k {open}"),
            Expect::Error(MALFORMED, Some(400)),
        ));
        r.push(emr(
            nested.as_bytes(),
            format!("emr: 10k {open}"),
            Expect::Error(MALFORMED, Some(400)),
        ));
        let inside = format!("{{\"SessionId\": {nested}}}");
        r.push(athena(
            inside.as_bytes(),
            format!("athena: 10k {open} in SessionId"),
            Expect::Error(MALFORMED, Some(400)),
        ));
        let inside =
            format!("{{\"clientToken\":\"d1\",\"executionRoleArn\":\"{ROLE}\",\"tags\":{nested}}}");
        r.push(emr(
            inside.as_bytes(),
            format!("emr: 10k {open} in tags"),
            Expect::Error(MALFORMED, Some(400)),
        ));
    }
    r.push(athena(
        b"[".repeat(10_000).as_slice(),
        "athena: 10k unclosed [",
        Expect::Error(MALFORMED, Some(400)),
    ));
    // Recursive configurations as deep as JSON parsing allows, then deeper.
    for depth in [30, 60, 200] {
        let mut configuration = json!({"classification": "leaf"});
        for _ in 0..depth {
            configuration = json!({"classification": "c", "configurations": [configuration]});
        }
        let body = json!({"clientToken": format!("deep-{depth}"), "executionRoleArn": ROLE,
                          "configurationOverrides": {"runtimeConfiguration": [configuration]}});
        let expect = if depth < 60 {
            Expect::Success
        } else {
            Expect::Error(MALFORMED, Some(400))
        };
        r.push(emr(
            body.to_string().as_bytes(),
            format!("emr: configurations {depth} deep"),
            expect,
        ));
    }
    // Huge and odd numbers.
    let big = "9".repeat(400);
    for number in [
        "1e999999",
        "-1e999999",
        big.as_str(),
        "1e400",
        "12345678901234567890",
        "1.5",
        "1e2",
        "-0.0",
    ] {
        let body = format!(
            "{{\"clientToken\":\"n-{}\",\"executionRoleArn\":\"{ROLE}\",\"idleTimeoutMinutes\":{number}}}",
            number.len()
        );
        r.push(emr(
            body.as_bytes(),
            format!("emr: idleTimeoutMinutes {number:.20}"),
            Expect::Error(MALFORMED, Some(400)),
        ));
        let body = format!("{{\"SessionId\":{number}}}");
        r.push(athena(
            body.as_bytes(),
            format!("athena: SessionId {number:.20}"),
            Expect::Error(MALFORMED, Some(400)),
        ));
    }
    // Invalid UTF-8 in bodies, headers and paths.
    let mut body = br#"{"SessionId":""#.to_vec();
    body.extend_from_slice(&[0xff, 0xfe, 0xc3, 0x28]);
    body.extend_from_slice(br#""}"#);
    r.push(athena(
        &body,
        "athena: invalid UTF-8 in a string",
        Expect::Error(MALFORMED, Some(400)),
    ));
    let mut body = br#"{"clientToken":"u1","executionRoleArn":""#.to_vec();
    body.extend_from_slice(&[0xed, 0xa0, 0x80]);
    body.extend_from_slice(br#""}"#);
    r.push(emr(
        &body,
        "emr: surrogate bytes in a string",
        Expect::Error(MALFORMED, Some(400)),
    ));
    r.push(athena(
        br#"{"SessionId":"\ud800"}"#,
        "athena: lone surrogate escape",
        Expect::Error(MALFORMED, Some(400)),
    ));
    let target = b"POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\
        Content-Type: application/x-amz-json-1.1\r\nX-Amz-Target: AmazonAthena.\xffGetSession\r\n\
        Content-Length: 2\r\n\r\n{}";
    r.push(Request {
        what: "athena: invalid UTF-8 in X-Amz-Target".into(),
        bytes: target.to_vec(),
        expect: Expect::Error(&["UnknownOperationException"], Some(400)),
        aws_json: true,
    });
    r.push(Request {
        what: "emr: %ff in the label".into(),
        bytes: http(
            "POST",
            "/applications/%ff%fe/sessions",
            &[("Content-Type", "application/json")],
            b"{}",
        ),
        expect: Expect::Error(&["UnknownOperationException"], Some(404)),
        aws_json: false,
    });
    r.push(Request {
        what: "emr: raw non-ASCII bytes in the path".into(),
        bytes: b"POST /applications/\xc3\xa9/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".to_vec(),
        expect: Expect::Anything,
        aws_json: false,
    });
    r.push(Request {
        what: "emr: broken percent-encoding in the query".into(),
        bytes: http(
            "POST",
            &format!("/applications/{APP}/sessions?a=%zz"),
            &[("Content-Type", "application/json")],
            b"{}",
        ),
        expect: Expect::Error(MALFORMED, Some(400)),
        aws_json: false,
    });
    // Content types.
    let get = json!({"SessionId": SESSION}).to_string();
    for content_type in [
        None,
        Some("application/json"),
        Some("text/plain"),
        Some("application/x-amz-json-1.0"),
        Some("application/x-amz-json-1.1x"),
        Some(""),
    ] {
        let mut headers = vec![("X-Amz-Target", "AmazonAthena.GetSession")];
        if let Some(ct) = content_type {
            headers.push(("Content-Type", ct));
        }
        r.push(Request {
            what: format!("athena: content type {content_type:?}"),
            bytes: http("POST", "/", &headers, get.as_bytes()),
            expect: Expect::Error(&["UnsupportedMediaTypeException"], Some(415)),
            aws_json: true,
        });
    }
    for content_type in [
        "application/x-amz-json-1.1; charset=utf-8",
        "APPLICATION/X-AMZ-JSON-1.1",
    ] {
        r.push(Request {
            what: format!("athena: content type {content_type:?}"),
            bytes: http(
                "POST",
                "/",
                &[
                    ("X-Amz-Target", "AmazonAthena.GetSession"),
                    ("Content-Type", content_type),
                ],
                get.as_bytes(),
            ),
            expect: Expect::Success,
            aws_json: true,
        });
    }
    let start = valid_start_session("ct-ok").to_string();
    for content_type in [
        None,
        Some("application/xml"),
        Some("text/json"),
        Some("application/x-amz-json-1.1"),
        Some("multipart/form-data; boundary=x"),
    ] {
        let mut headers = Vec::new();
        if let Some(ct) = content_type {
            headers.push(("Content-Type", ct));
        }
        r.push(Request {
            what: format!("emr: content type {content_type:?}"),
            bytes: http(
                "POST",
                &format!("/applications/{APP}/sessions"),
                &headers,
                start.as_bytes(),
            ),
            expect: Expect::Error(&["UnsupportedMediaTypeException"], Some(415)),
            aws_json: false,
        });
    }
    r.push(Request {
        what: "emr: application/json; charset=utf-8".into(),
        bytes: http(
            "POST",
            &format!("/applications/{APP}/sessions"),
            &[("Content-Type", "application/json; charset=UTF-8")],
            valid_start_session("ct-charset").to_string().as_bytes(),
        ),
        expect: Expect::Success,
        aws_json: false,
    });
    // X-Amz-Target.
    for target in [
        "AmazonAthena.Nope",
        "AmazonAthena.getSession",
        "Other.GetSession",
        "AmazonAthena",
        "AmazonAthena.",
        ".GetSession",
        "",
        "AmazonAthena.GetSession.x",
        " AmazonAthena.GetSession",
    ] {
        let expect = if target == " AmazonAthena.GetSession" {
            Expect::Success
        } else {
            Expect::Error(&["UnknownOperationException"], Some(400))
        };
        r.push(Request {
            what: format!("athena: X-Amz-Target {target:?}"),
            bytes: http(
                "POST",
                "/",
                &[("X-Amz-Target", target), ("Content-Type", ATHENA_JSON)],
                get.as_bytes(),
            ),
            expect,
            aws_json: true,
        });
    }
    for (method, path) in [("GET", "/"), ("POST", "/other"), ("PUT", "/")] {
        r.push(Request {
            what: format!("athena: {method} {path}"),
            bytes: http(
                method,
                path,
                &[
                    ("X-Amz-Target", "AmazonAthena.GetSession"),
                    ("Content-Type", ATHENA_JSON),
                ],
                get.as_bytes(),
            ),
            expect: Expect::Error(&["UnknownOperationException"], Some(400)),
            aws_json: true,
        });
    }
    // Unknown paths and methods (no X-Amz-Target: the EMR Serverless router).
    for path in [
        "/",
        "/applications",
        &format!("/applications/{APP}"),
        &format!("/applications/{APP}/sessions/x"),
        "/applications//sessions",
        &format!("/APPLICATIONS/{APP}/SESSIONS"),
        "/%2e%2e/etc/passwd",
        &format!("/applications/{APP}/sessions/../sessions/x"),
    ] {
        r.push(Request {
            what: format!("emr: POST {path}"),
            bytes: http(
                "POST",
                path,
                &[("Content-Type", "application/json")],
                start.as_bytes(),
            ),
            expect: Expect::Error(&["UnknownOperationException"], Some(404)),
            aws_json: false,
        });
    }
    for method in ["GET", "PUT", "DELETE", "PATCH"] {
        r.push(Request {
            what: format!("emr: {method}"),
            bytes: http(
                method,
                &format!("/applications/{APP}/sessions"),
                &[("Content-Type", "application/json")],
                start.as_bytes(),
            ),
            expect: Expect::Error(&["MethodNotAllowedException"], Some(405)),
            aws_json: false,
        });
    }
    // Bodies over the limit: announced, sent, chunked, and announced without the bytes.
    let over = vec![b' '; BODY_LIMIT + 1];
    r.push(athena(
        &over,
        "athena: body one byte over the limit",
        Expect::Error(&["RequestEntityTooLargeException"], Some(413)),
    ));
    r.push(emr(
        &over,
        "emr: body one byte over the limit",
        Expect::Error(&["RequestEntityTooLargeException"], Some(413)),
    ));
    let mut padded = format!("{{\"SessionId\":\"{SESSION}\"}}").into_bytes();
    padded.resize(BODY_LIMIT, b' ');
    r.push(athena(
        &padded,
        "athena: body exactly at the limit",
        Expect::Success,
    ));
    let mut chunked = format!("POST /applications/{APP}/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n").into_bytes();
    for _ in 0..(BODY_LIMIT / 4096 + 2) {
        chunked.extend_from_slice(b"1000\r\n");
        chunked.extend_from_slice(&[b' '; 4096]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    r.push(Request {
        what: "emr: chunked body over the limit".into(),
        bytes: chunked,
        expect: Expect::Error(&["RequestEntityTooLargeException"], Some(413)),
        aws_json: false,
    });
    r.push(Request {
        what: "athena: Content-Length of a terabyte, no body".into(),
        bytes: format!("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {ATHENA_JSON}\r\nX-Amz-Target: AmazonAthena.GetSession\r\nContent-Length: 1000000000000\r\n\r\n").into_bytes(),
        expect: Expect::Error(&["RequestEntityTooLargeException"], Some(413)),
        aws_json: true,
    });
    // A body that is cut short: the client half-closes after 10 of 100 announced bytes
    // (hyper drops such a connection; what matters is that nothing waits forever).
    r.push(Request {
        what: "athena: body shorter than its Content-Length".into(),
        bytes: format!("POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: {ATHENA_JSON}\r\nX-Amz-Target: AmazonAthena.GetSession\r\nContent-Length: 100\r\n\r\n{{\"Session").into_bytes(),
        expect: Expect::Anything,
        aws_json: true,
    });
    r.push(Request {
        what: "emr: broken chunked encoding".into(),
        bytes: format!("POST /applications/{APP}/sessions HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{{\"a\":\r\nzz\r\n").into_bytes(),
        expect: Expect::Error(MALFORMED, Some(400)),
        aws_json: false,
    });
    // Empty bodies: an empty awsJson body is `{}`; a restJson body may be absent.
    r.push(athena(
        b"",
        "athena: empty body",
        Expect::Error(INVALID, Some(400)),
    ));
    r.push(emr(
        b"",
        "emr: empty body",
        Expect::Error(INVALID, Some(400)),
    ));
    for body in [
        "null",
        "[]",
        "\"x\"",
        "1",
        "true",
        "{} {}",
        "{},",
        "{\"SessionId\":\"a\"}x",
    ] {
        r.push(athena(
            body.as_bytes(),
            format!("athena: body {body}"),
            Expect::Error(MALFORMED, Some(400)),
        ));
        r.push(emr(
            body.as_bytes(),
            format!("emr: body {body}"),
            Expect::Error(MALFORMED, Some(400)),
        ));
    }
    // Not HTTP at all.
    for garbage in [
        &b"\x00\x01\x02\x03"[..],
        b"GET\r\n\r\n",
        b"POST / HTTP/9.9\r\n\r\n",
        b"\r\n\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
        b"POST / HTTP/1.1\r\nBad Header\r\n\r\n",
    ] {
        r.push(Request {
            what: format!("not HTTP: {:?}", String::from_utf8_lossy(garbage)),
            bytes: garbage.to_vec(),
            expect: Expect::Anything,
            aws_json: false,
        });
    }
    r
}

/// Random requests: garbage bodies, truncated JSON, random headers on valid requests.
fn random_cases(rng: &mut Rng, count: usize) -> Vec<Request> {
    let mut r = Vec::with_capacity(count);
    for i in 0..count {
        let aws_json = rng.below(2) == 0;
        match rng.below(5) {
            0 => {
                let len = rng.below(300);
                let body = rng.bytes(len);
                let what = format!("random {len} bytes #{i}");
                // Random bytes can be empty (=> missing members) but never a valid body.
                r.push(if aws_json {
                    athena(&body, what, Expect::Error(MALFORMED_OR_INVALID, Some(400)))
                } else {
                    emr(&body, what, Expect::Error(MALFORMED_OR_INVALID, Some(400)))
                });
            }
            1 => {
                let body = if aws_json {
                    json!({"SessionId": SESSION}).to_string()
                } else {
                    valid_start_session(&format!("tr-{i}")).to_string()
                };
                let cut = rng.below(body.len());
                let what = format!("truncated at {cut} #{i}");
                r.push(if aws_json {
                    athena(
                        &body.as_bytes()[..cut],
                        what,
                        Expect::Error(MALFORMED_OR_INVALID, Some(400)),
                    )
                } else {
                    emr(
                        &body.as_bytes()[..cut],
                        what,
                        Expect::Error(MALFORMED_OR_INVALID, Some(400)),
                    )
                });
            }
            2 => {
                // A valid body with one byte changed somewhere.
                let body = if aws_json {
                    json!({"SessionId": SESSION}).to_string()
                } else {
                    valid_start_session(&format!("flip-{i}")).to_string()
                };
                let mut bytes = body.into_bytes();
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
                let what = format!("byte {at} changed #{i}");
                // Changing a byte inside a string value can leave a valid request.
                let expect = Expect::SuccessOrError(&[
                    "SerializationException",
                    "ValidationException",
                    "ConflictException",
                    "ResourceNotFoundException",
                ]);
                r.push(if aws_json {
                    athena(&bytes, what, expect)
                } else {
                    emr(&bytes, what, expect)
                });
            }
            3 => {
                // A valid request with random extra headers.
                let mut headers: Vec<(String, String)> = (0..rng.below(20))
                    .map(|_| {
                        let len = 1 + rng.below(30);
                        let vlen = rng.below(200);
                        (format!("X-{}", rng.token(len)), rng.token(vlen))
                    })
                    .collect();
                let (path, body) = if aws_json {
                    headers.push(("X-Amz-Target".into(), "AmazonAthena.GetSession".into()));
                    headers.push(("Content-Type".into(), ATHENA_JSON.into()));
                    ("/".to_string(), json!({"SessionId": SESSION}).to_string())
                } else {
                    headers.push(("Content-Type".into(), "application/json".into()));
                    (
                        format!("/applications/{APP}/sessions"),
                        valid_start_session(&format!("hdr-{i}")).to_string(),
                    )
                };
                let refs: Vec<(&str, &str)> = headers
                    .iter()
                    .map(|(n, v)| (n.as_str(), v.as_str()))
                    .collect();
                r.push(Request {
                    what: format!("random headers #{i}"),
                    bytes: http("POST", &path, &refs, body.as_bytes()),
                    expect: Expect::Success,
                    aws_json,
                });
            }
            _ => {
                // Random paths and targets.
                let len = 1 + rng.below(40);
                let segment = rng.token(len);
                if aws_json {
                    let target = format!("AmazonAthena.{segment}");
                    r.push(Request {
                        what: format!("target {target}"),
                        bytes: http(
                            "POST",
                            "/",
                            &[("X-Amz-Target", &target), ("Content-Type", ATHENA_JSON)],
                            b"{}",
                        ),
                        expect: Expect::Error(&["UnknownOperationException"], Some(400)),
                        aws_json,
                    });
                } else {
                    let path = format!("/{segment}/{}", rng.token(5));
                    r.push(Request {
                        what: format!("path {path}"),
                        bytes: http(
                            "POST",
                            &path,
                            &[("Content-Type", "application/json")],
                            b"{}",
                        ),
                        expect: Expect::Error(&["UnknownOperationException"], Some(404)),
                        aws_json,
                    });
                }
            }
        }
    }
    r
}

fn start() -> (SocketAddr, EmulatorHandle) {
    Emulator::start(Config {
        port: 0,
        // Thousands of successful StartSession calls must not hit the quota.
        max_sessions_per_application: usize::MAX,
        server: ServerConfig::default().with_body_limit(BODY_LIMIT),
        ..Config::default()
    })
    .expect("the emulator starts")
}

#[test]
fn malformed_requests_get_protocol_errors_and_never_hang() {
    let started = Instant::now();
    let (addr, handle) = start();
    let mut rng = Rng(0x5eed_cafe_f00d_d00d);
    let mut requests = fixed_cases();
    requests.extend(wrong_types(&mut rng));
    requests.extend(random_cases(&mut rng, 3000));
    let total = requests.len();
    let mut failures = Vec::new();
    for request in &requests {
        let sent = Instant::now();
        let outcome = send(
            addr,
            &request.bytes,
            matches!(request.expect, Expect::Anything),
        );
        let took = sent.elapsed();
        let verdict = match outcome {
            Err(e) => Err(format!("no answer after {took:?}: {e}")),
            Ok(response) => check(request, response),
        };
        if let Err(problem) = verdict {
            failures.push(format!("{}: {problem}", request.what));
        }
    }
    // Still serving: a valid request of each service.
    let athena_ok = send(
        addr,
        &athena(
            json!({"SessionId": SESSION}).to_string().as_bytes(),
            "",
            Expect::Success,
        )
        .bytes,
        false,
    );
    let emr_ok = send(
        addr,
        &emr(
            valid_start_session("final").to_string().as_bytes(),
            "",
            Expect::Success,
        )
        .bytes,
        false,
    );
    for (name, response) in [("athena", athena_ok), ("emr", emr_ok)] {
        match response {
            Ok(Some(response)) if response.status == 200 => {}
            Ok(Some(response)) => failures.push(format!(
                "{name} after the storm: {} {}",
                response.status,
                String::from_utf8_lossy(&response.body)
            )),
            other => failures.push(format!(
                "{name} after the storm: no answer ({:?})",
                other.err()
            )),
        }
    }
    handle.shutdown();
    assert!(
        failures.is_empty(),
        "{} of {total} requests were answered wrongly:\n{}",
        failures.len(),
        failures.join("\n")
    );
    // A request that hangs fails on its own (`send` gives up); the run's speed is for
    // benchmarks.
    eprintln!("{total} requests in {:?}", started.elapsed());
}

#[test]
fn keep_alive_connection_survives_errors() {
    // Several requests on one connection, errors in between: each gets its answer.
    let (addr, handle) = start();
    let mut stream = TcpStream::connect(addr).expect("connects");
    stream
        .set_read_timeout(Some(REQUEST_TIMEOUT))
        .expect("timeout");
    let mut pipeline = Vec::new();
    let requests = [
        athena(
            json!({"SessionId": SESSION}).to_string().as_bytes(),
            "",
            Expect::Success,
        ),
        athena(b"{", "", Expect::Success),
        athena(
            json!({"SessionId": "missing"}).to_string().as_bytes(),
            "",
            Expect::Success,
        ),
        emr(b"[]", "", Expect::Success),
        emr(
            valid_start_session("ka").to_string().as_bytes(),
            "",
            Expect::Success,
        ),
    ];
    for request in &requests {
        // Same requests, kept alive.
        let text = String::from_utf8(request.bytes.clone()).expect("text");
        pipeline.extend(text.replacen("Connection: close\r\n", "", 1).into_bytes());
    }
    pipeline.extend(http(
        "POST",
        "/",
        &[
            ("X-Amz-Target", "AmazonAthena.GetSession"),
            ("Content-Type", ATHENA_JSON),
        ],
        json!({"SessionId": SESSION}).to_string().as_bytes(),
    ));
    stream.write_all(&pipeline).expect("writes");
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw);
    let statuses: Vec<&str> = text
        .match_indices("HTTP/1.1 ")
        .map(|(i, _)| &text[i + 9..i + 12])
        .collect();
    assert_eq!(
        statuses,
        ["200", "400", "400", "400", "200", "200"],
        "{text}"
    );
    handle.shutdown();
}

#[test]
fn unsigned_requests_use_the_configured_region() {
    let (addr, handle) = Emulator::start(Config {
        port: 0,
        region: "ap-south-1".into(),
        ..Config::default()
    })
    .expect("starts");
    let response = send(
        addr,
        &emr(
            valid_start_session("unsigned").to_string().as_bytes(),
            "",
            Expect::Success,
        )
        .bytes,
        false,
    )
    .expect("answer")
    .expect("response");
    assert_eq!(response.status, 200);
    let body: Map<String, Value> = serde_json::from_slice(&response.body).expect("JSON");
    let arn = body["arn"].as_str().expect("arn");
    assert!(
        arn.starts_with("arn:aws:emr-serverless:ap-south-1:123456789012:/applications/"),
        "{arn}"
    );
    handle.shutdown();
}

#[test]
fn default_body_limit_is_four_mebibytes() {
    let (addr, handle) = Emulator::start(Config {
        port: 0,
        ..Config::default()
    })
    .expect("starts");
    let limit = ServerConfig::default().body_limit;
    assert_eq!(limit, 4 * 1024 * 1024);
    let mut at_limit = json!({"SessionId": SESSION}).to_string().into_bytes();
    at_limit.resize(limit, b' ');
    let response = send(addr, &athena(&at_limit, "", Expect::Success).bytes, false)
        .expect("answer")
        .expect("response");
    assert_eq!(response.status, 200);
    at_limit.push(b' ');
    let response = send(addr, &athena(&at_limit, "", Expect::Success).bytes, false)
        .expect("answer")
        .expect("response");
    assert_eq!(response.status, 413);
    assert_eq!(
        response.header("x-amzn-errortype"),
        Some("RequestEntityTooLargeException")
    );
    handle.shutdown();
}
