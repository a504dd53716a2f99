//! What the generated Smithy protocol compliance tests (`smithy.test#httpRequestTests`,
//! `httpResponseTests`, `httpMalformedRequestTests`) run on: a client transport that records
//! requests and replays a canned response, a way to send one request to a router, the
//! assertions the specification defines on requests and responses, and a recorder for what a
//! handler received.
//!
//! Behind the `protocol-test` feature; generated crates use it only in their tests.

use std::any::Any;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::HeaderMap;
use serde_json::Value;

pub use crate::client::test_util::{CannedResponse, CaptureClient, block_on, test_credentials};

/// What the specification lets a request case assert.
#[derive(Debug, Default)]
pub struct ExpectedRequest {
    /// The HTTP method.
    pub method: &'static str,
    /// The path, without the query string.
    pub uri: &'static str,
    /// `key=value` pairs, as serialized, that the query string must contain.
    pub query_params: &'static [&'static str],
    /// Keys the query string must not contain.
    pub forbid_query_params: &'static [&'static str],
    /// Keys the query string must contain.
    pub require_query_params: &'static [&'static str],
    /// Headers and their values.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// Headers that must be present.
    pub require_headers: &'static [&'static str],
    /// The body, when the case gives one.
    pub body: Option<&'static str>,
    /// The body's media type, which says how bodies compare.
    pub body_media_type: Option<&'static str>,
    /// The host the request must go to (`resolvedHost`, else `host`).
    pub host: Option<&'static str>,
}

/// Asserts everything `expected` says about `request`.
pub fn assert_request(request: &http::Request<Bytes>, expected: &ExpectedRequest) {
    assert_eq!(
        request.method().as_str(),
        expected.method,
        "the request's method"
    );
    assert_eq!(request.uri().path(), expected.uri, "the request's path");
    let query = request.uri().query().unwrap_or("");
    let pairs: Vec<&str> = query.split('&').filter(|p| !p.is_empty()).collect();
    let keys: Vec<String> = pairs
        .iter()
        .map(|pair| decode(pair.split('=').next().unwrap_or("")))
        .collect();
    for param in expected.query_params {
        assert!(
            pairs.contains(param),
            "the query string `{query}` lacks `{param}`"
        );
    }
    for key in expected.forbid_query_params {
        assert!(
            !keys.iter().any(|k| k == key),
            "the query string `{query}` has the forbidden key `{key}`"
        );
    }
    for key in expected.require_query_params {
        assert!(
            keys.iter().any(|k| k == key),
            "the query string `{query}` lacks the key `{key}`"
        );
    }
    assert_headers(
        request.headers(),
        expected.headers,
        expected.forbid_headers,
        expected.require_headers,
    );
    if let Some(host) = expected.host {
        let actual = request
            .headers()
            .get(http::header::HOST)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
            .or_else(|| request.uri().authority().map(|a| a.to_string()))
            .unwrap_or_default();
        assert_eq!(actual, host, "the request's host");
    }
    if let Some(body) = expected.body {
        assert_body(request.body(), body, expected.body_media_type);
    }
}

/// Asserts header values (repeated headers joined with `, `), and absent and present headers.
pub fn assert_headers(
    actual: &HeaderMap,
    headers: &[(&str, &str)],
    forbid: &[&str],
    require: &[&str],
) {
    for (name, value) in headers {
        let values: Vec<&str> = actual
            .get_all(*name)
            .iter()
            .map(|v| v.to_str().unwrap_or("<not text>"))
            .collect();
        assert!(
            !values.is_empty(),
            "the header `{name}` is missing; headers: {actual:?}"
        );
        assert_eq!(values.join(", "), *value, "the header `{name}`");
    }
    for name in forbid {
        assert!(
            !actual.contains_key(*name),
            "the header `{name}` must be absent; headers: {actual:?}"
        );
    }
    for name in require {
        assert!(
            actual.contains_key(*name),
            "the header `{name}` is missing; headers: {actual:?}"
        );
    }
}

/// Compares a body with the expected one: as JSON values when the media type is JSON, as
/// bytes otherwise. An empty expected body means no body.
pub fn assert_body(actual: &[u8], expected: &str, media_type: Option<&str>) {
    let is_json = media_type.is_some_and(|m| m == "application/json" || m.ends_with("+json"));
    if is_json && !expected.is_empty() {
        let expected_value: Value = serde_json::from_str(expected)
            .unwrap_or_else(|e| panic!("the case's body is not JSON ({e}): {expected}"));
        let actual_value: Value = serde_json::from_slice(actual).unwrap_or_else(|e| {
            panic!(
                "the body is not JSON ({e}): {}",
                String::from_utf8_lossy(actual)
            )
        });
        assert!(
            json_equal(&actual_value, &expected_value),
            "the body differs\n  actual: {actual_value}\nexpected: {expected_value}"
        );
    } else {
        assert_eq!(
            String::from_utf8_lossy(actual),
            expected,
            "the body differs"
        );
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            x == y || (x.as_f64().is_some() && x.as_f64() == y.as_f64())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| json_equal(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => a == b,
    }
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[i + 1..i + 3], 16) {
                out.push(byte);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A request for a router, from a case.
#[derive(Debug, Default)]
pub struct TestRequest {
    /// The HTTP method.
    pub method: &'static str,
    /// The path (and any query string of its own).
    pub uri: &'static str,
    /// Query parameters, as serialized, appended to the URI.
    pub query_params: &'static [&'static str],
    /// Headers.
    pub headers: &'static [(&'static str, &'static str)],
    /// The body.
    pub body: &'static str,
    /// The host, when the case gives one.
    pub host: Option<&'static str>,
}

/// A response as the router wrote it.
#[derive(Debug)]
pub struct TestResponse {
    /// The status code.
    pub code: u16,
    /// The headers.
    pub headers: HeaderMap,
    /// The body.
    pub body: Bytes,
}

/// Sends `request` to `router` and reads the whole response.
pub async fn call_router(router: axum::Router, request: &TestRequest) -> TestResponse {
    use tower::ServiceExt as _;
    let mut uri = request.uri.to_string();
    for (i, param) in request.query_params.iter().enumerate() {
        let separator = if i == 0 && !uri.contains('?') {
            '?'
        } else {
            '&'
        };
        uri.push(separator);
        uri.push_str(param);
    }
    let mut builder = http::Request::builder().method(request.method).uri(&uri);
    if let Some(host) = request.host {
        builder = builder.header(http::header::HOST, host);
    }
    for (name, value) in request.headers {
        builder = builder.header(*name, *value);
    }
    let request = builder
        .body(axum::body::Body::from(request.body))
        .unwrap_or_else(|e| panic!("the case's request cannot be built: {e}"));
    let response = router.oneshot(request).await.expect("routers do not fail");
    into_test_response(response).await
}

/// Reads a response the server wrote, with the `Content-Length` hyper would send for it.
pub async fn into_test_response(response: axum::response::Response) -> TestResponse {
    let (mut parts, body) = response.into_parts();
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .expect("a response body");
    if !parts.headers.contains_key(http::header::CONTENT_LENGTH)
        && !parts.headers.contains_key(http::header::TRANSFER_ENCODING)
    {
        parts.headers.insert(
            http::header::CONTENT_LENGTH,
            http::HeaderValue::from(body.len()),
        );
    }
    TestResponse {
        code: parts.status.as_u16(),
        headers: parts.headers,
        body,
    }
}

/// What the specification lets a response case assert.
#[derive(Debug, Default)]
pub struct ExpectedResponse {
    /// The status code.
    pub code: u16,
    /// Headers and their values.
    pub headers: &'static [(&'static str, &'static str)],
    /// Headers that must be absent.
    pub forbid_headers: &'static [&'static str],
    /// Headers that must be present.
    pub require_headers: &'static [&'static str],
    /// The body, when the case gives one.
    pub body: Option<&'static str>,
    /// The body's media type.
    pub body_media_type: Option<&'static str>,
}

/// Asserts everything `expected` says about `response`.
pub fn assert_response(response: &TestResponse, expected: &ExpectedResponse) {
    assert_eq!(
        response.code,
        expected.code,
        "the status code; body: {}",
        String::from_utf8_lossy(&response.body)
    );
    assert_headers(
        &response.headers,
        expected.headers,
        expected.forbid_headers,
        expected.require_headers,
    );
    if let Some(body) = expected.body {
        assert_body(&response.body, body, expected.body_media_type);
    }
}

/// How a malformed request's response body is checked.
#[derive(Debug)]
pub enum BodyAssertion {
    /// The body is exactly this (compared as JSON for a JSON media type).
    Contents(&'static str),
    /// The body's `message` (or `Message`) matches this regular expression.
    MessageRegex(&'static str),
}

/// Asserts a malformed request's response: status, headers and body.
pub fn assert_malformed_response(
    response: &TestResponse,
    code: u16,
    headers: &[(&str, &str)],
    body: Option<(&str, BodyAssertion)>,
) {
    assert_eq!(
        response.code,
        code,
        "the status code; body: {}",
        String::from_utf8_lossy(&response.body)
    );
    assert_headers(&response.headers, headers, &[], &[]);
    match body {
        None => {}
        Some((media_type, BodyAssertion::Contents(contents))) => {
            assert_body(&response.body, contents, Some(media_type));
        }
        Some((_, BodyAssertion::MessageRegex(pattern))) => {
            let value: Value = serde_json::from_slice(&response.body).unwrap_or_else(|e| {
                panic!(
                    "the body is not JSON ({e}): {}",
                    String::from_utf8_lossy(&response.body)
                )
            });
            let message = value
                .get("message")
                .or_else(|| value.get("Message"))
                .and_then(Value::as_str)
                .unwrap_or_else(|| panic!("the body has no message: {value}"));
            let regex = regex::Regex::new(&format!("^(?:{pattern})$"))
                .unwrap_or_else(|e| panic!("the case's messageRegex is not valid ({e})"));
            assert!(
                regex.is_match(message),
                "the message `{message}` does not match `{pattern}`"
            );
        }
    }
}

/// A value's JSON form, to compare values that hold NaN (which `==` never equals).
pub fn json_form<T: crate::wire::HasSchema>(value: &T) -> Value {
    crate::wire::to_value(value).expect("generated types serialize")
}

/// What a test handler received: the input of the one call it got.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    received: Arc<Mutex<Option<Box<dyn Any + Send>>>>,
}

impl Recorder {
    /// A recorder that has seen nothing.
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// Keeps `input`, the handler's argument.
    pub fn record<T: Any + Send>(&self, input: T) {
        *self.received.lock().unwrap() = Some(Box::new(input));
    }

    /// The input the handler received; panics when it was not called (or with another type).
    pub fn take<T: Any>(&self) -> T {
        let received = self
            .received
            .lock()
            .unwrap()
            .take()
            .expect("the handler was not called");
        *received
            .downcast::<T>()
            .unwrap_or_else(|_| panic!("the handler of another operation was called"))
    }

    /// True when no handler was called.
    pub fn is_empty(&self) -> bool {
        self.received.lock().unwrap().is_none()
    }
}

#[cfg(test)]
mod tests {
    use std::panic::AssertUnwindSafe;

    use super::*;

    fn request(uri: &str, headers: &[(&str, &str)], body: &'static str) -> http::Request<Bytes> {
        let mut builder = http::Request::builder().method("POST").uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder.body(Bytes::from_static(body.as_bytes())).unwrap()
    }

    fn expected() -> ExpectedRequest {
        ExpectedRequest {
            method: "POST",
            uri: "/path",
            query_params: &["a=1", "b=x%20y"],
            forbid_query_params: &["c"],
            require_query_params: &["a"],
            headers: &[("x-list", "1, 2")],
            forbid_headers: &["x-forbidden"],
            require_headers: &["content-length"],
            body: Some(r#"{"n": 1.0, "s": ["x"]}"#),
            body_media_type: Some("application/json"),
            host: Some("example.com"),
        }
    }

    fn matching() -> http::Request<Bytes> {
        request(
            "https://example.com/path?a=1&b=x%20y",
            &[
                ("host", "example.com"),
                ("x-list", "1"),
                ("x-list", "2"),
                ("content-length", "17"),
            ],
            r#"{"s":["x"],"n":1}"#,
        )
    }

    #[test]
    fn a_matching_request_passes() {
        assert_request(&matching(), &expected());
    }

    /// Each way a request can differ from the case fails the check.
    #[test]
    fn every_difference_fails() {
        let cases: Vec<(&str, http::Request<Bytes>)> = vec![
            (
                "path",
                request("https://example.com/other?a=1&b=x%20y", &[], ""),
            ),
            (
                "query pair",
                request("https://example.com/path?a=2&b=x%20y", &[], ""),
            ),
            (
                "query encoding",
                request("https://example.com/path?a=1&b=x+y", &[], ""),
            ),
            (
                "forbidden key",
                request("https://example.com/path?a=1&b=x%20y&c=3", &[], ""),
            ),
        ];
        for (what, request) in cases {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                assert_request(&request, &expected())
            }));
            assert!(outcome.is_err(), "a different {what} passed");
        }
        let mut headers = matching();
        headers.headers_mut().remove("x-list");
        headers
            .headers_mut()
            .insert("x-list", "2, 1".parse().unwrap());
        let mut forbidden = matching();
        forbidden
            .headers_mut()
            .insert("x-forbidden", "1".parse().unwrap());
        let mut missing = matching();
        missing.headers_mut().remove("content-length");
        let mut host = matching();
        host.headers_mut()
            .insert("host", "other.example.com".parse().unwrap());
        let mut body = matching();
        *body.body_mut() = Bytes::from_static(br#"{"s":["x"],"n":2}"#);
        for (what, request) in [
            ("header value", headers),
            ("forbidden header", forbidden),
            ("required header", missing),
            ("host", host),
            ("body", body),
        ] {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                assert_request(&request, &expected())
            }));
            assert!(outcome.is_err(), "a different {what} passed");
        }
    }

    #[test]
    fn json_bodies_compare_as_values() {
        assert!(json_equal(
            &serde_json::json!({"a": 1, "b": [1.5, "x"]}),
            &serde_json::json!({"b": [1.5, "x"], "a": 1.0})
        ));
        assert!(!json_equal(
            &serde_json::json!({"a": 1}),
            &serde_json::json!({"a": 1, "b": null})
        ));
        assert!(!json_equal(
            &serde_json::json!([1, 2]),
            &serde_json::json!([2, 1])
        ));
    }

    #[test]
    fn malformed_responses_check_status_headers_and_message() {
        let response = TestResponse {
            code: 400,
            headers: [(
                http::HeaderName::from_static("x-amzn-errortype"),
                http::HeaderValue::from_static("SerializationException"),
            )]
            .into_iter()
            .collect(),
            body: Bytes::from_static(br#"{"message":"bad value 7"}"#),
        };
        let headers = [("x-amzn-errortype", "SerializationException")];
        let regex = |pattern| Some(("application/json", BodyAssertion::MessageRegex(pattern)));
        assert_malformed_response(&response, 400, &headers, regex("bad value [0-9]"));
        for (code, pattern) in [(415, "bad value [0-9]"), (400, "bad value"), (400, "7")] {
            let outcome = std::panic::catch_unwind(AssertUnwindSafe(|| {
                assert_malformed_response(&response, code, &headers, regex(pattern))
            }));
            assert!(outcome.is_err(), "{code} {pattern} passed");
        }
    }
}
