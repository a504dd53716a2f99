//! SigV4 request signing for the requests this client builds.
//!
//! The key derivation and the signature itself are the `aws-sigv4` crate's
//! (`generate_signing_key`, `calculate_signature`). The canonical request is written
//! here, in one buffer, because `aws-sigv4`'s `http_request::sign` spends most of its
//! time allocating (a header map copy, a `String` per part) and derives the signing key
//! again on every call; [`Signer`] keeps the key for the day it was derived for.
//! The canonical form follows the SigV4 rules as `aws-sigv4`'s default settings apply
//! them (double-encoded path with dot segments removed, query pairs decoded, re-encoded
//! and sorted, header values trimmed, `authorization`, `user-agent`, `x-amzn-trace-id`
//! and `transfer-encoding` left unsigned). The tests below hold the two implementations
//! to the same `Authorization` header, and `tests/tests/botocore_signing.rs` holds this
//! one to botocore's.

use std::sync::Mutex;
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderName, HeaderValue};
use sha2::{Digest as _, Sha256};

use super::uri::{host_of, push_encoded};
use super::{BoxError, Credentials};

pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The header that states the payload's hash; when a request has it, its value is what
/// the canonical request uses (a body streamed without being read ahead says
/// [`UNSIGNED_PAYLOAD`]).
pub const CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");
/// The payload hash of a body that is not signed.
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// Headers never signed (they change in transit or are the signature).
const UNSIGNED_HEADERS: [&str; 4] = [
    "authorization",
    "user-agent",
    "x-amzn-trace-id",
    "transfer-encoding",
];

/// Signs requests, keeping the derived signing key for reuse within its day.
#[derive(Debug, Default)]
pub struct Signer {
    key: Mutex<Option<CachedKey>>,
}

#[derive(Debug)]
struct CachedKey {
    secret: String,
    date: [u8; 8],
    region: String,
    service: String,
    key: [u8; 32],
}

impl Signer {
    /// A signer with no key yet.
    pub fn new() -> Signer {
        Signer::default()
    }

    /// Signs `request` at `time`: adds `x-amz-date`, `x-amz-security-token` (with a
    /// session token) and `authorization`.
    pub fn sign(
        &self,
        request: &mut http::Request<Bytes>,
        credentials: &Credentials,
        region: &str,
        service: &str,
        time: SystemTime,
    ) -> Result<(), BoxError> {
        let stamp = Stamp::new(time)?;
        let token = credentials.session_token();
        let canonical = canonical_request(request, &stamp, token)?;
        let scope = scope(stamp.date(), region, service);
        let key = self.key(
            credentials.secret_access_key(),
            &stamp,
            region,
            service,
            time,
        );
        let signature = signature(key, stamp.date_time(), &scope, &canonical.text);
        let mut authorization = String::with_capacity(256);
        for part in [
            ALGORITHM,
            " Credential=",
            credentials.access_key_id(),
            "/",
            &scope,
            ", SignedHeaders=",
            canonical.signed_headers(),
            ", Signature=",
            &signature,
        ] {
            authorization.push_str(part);
        }

        let headers = request.headers_mut();
        headers.insert(
            HeaderName::from_static("x-amz-date"),
            HeaderValue::from_str(stamp.date_time())?,
        );
        if let Some(token) = token {
            let mut value = HeaderValue::from_str(token)?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static("x-amz-security-token"), value);
        }
        let mut value = HeaderValue::try_from(authorization)?;
        value.set_sensitive(true);
        headers.insert(http::header::AUTHORIZATION, value);
        Ok(())
    }

    /// The signing key for this secret, day, region and service, derived once a day.
    fn key(
        &self,
        secret: &str,
        stamp: &Stamp,
        region: &str,
        service: &str,
        time: SystemTime,
    ) -> [u8; 32] {
        let mut cached = self.key.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(c) = cached.as_ref()
            && c.date == stamp.date
            && c.secret == secret
            && c.region == region
            && c.service == service
        {
            return c.key;
        }
        let key = signing_key(secret, time, region, service);
        *cached = Some(CachedKey {
            secret: secret.to_string(),
            date: stamp.date,
            region: region.to_string(),
            service: service.to_string(),
            key,
        });
        key
    }
}

/// `YYYYMMDD` and `YYYYMMDDTHHMMSSZ` for the signing time.
struct Stamp {
    date: [u8; 8],
    date_time: [u8; 16],
}

impl Stamp {
    fn new(time: SystemTime) -> Result<Stamp, BoxError> {
        let secs = time
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_err(|_| "the signing time is before 1970")?
            .as_secs();
        let (year, month, day) = crate::datetime::civil_from_days((secs / 86_400) as i64);
        if year > 9999 {
            return Err("the signing time is after 9999".into());
        }
        let second_of_day = secs % 86_400;
        let digits = |value: u64, out: &mut [u8]| {
            let mut value = value;
            for slot in out.iter_mut().rev() {
                *slot = b'0' + (value % 10) as u8;
                value /= 10;
            }
        };
        let mut date_time = *b"00000000T000000Z";
        digits(year as u64, &mut date_time[0..4]);
        digits(u64::from(month), &mut date_time[4..6]);
        digits(u64::from(day), &mut date_time[6..8]);
        digits(second_of_day / 3600, &mut date_time[9..11]);
        digits(second_of_day / 60 % 60, &mut date_time[11..13]);
        digits(second_of_day % 60, &mut date_time[13..15]);
        let mut date = [0u8; 8];
        date.copy_from_slice(&date_time[..8]);
        Ok(Stamp { date, date_time })
    }

    fn date(&self) -> &str {
        std::str::from_utf8(&self.date).unwrap_or_default()
    }

    fn date_time(&self) -> &str {
        std::str::from_utf8(&self.date_time).unwrap_or_default()
    }
}

/// The canonical request's bytes, and where its signed-headers line sits in them.
pub(crate) struct Canonical {
    pub(crate) text: Vec<u8>,
    signed: std::ops::Range<usize>,
}

impl Canonical {
    fn signed_headers(&self) -> &str {
        // Header names are ASCII.
        std::str::from_utf8(&self.text[self.signed.clone()]).unwrap_or_default()
    }
}

/// `<date>/<region>/<service>/aws4_request`.
pub(crate) fn scope(date: &str, region: &str, service: &str) -> String {
    let mut scope = String::with_capacity(64);
    for part in [date, "/", region, "/", service, "/aws4_request"] {
        scope.push_str(part);
    }
    scope
}

/// The hex signature of a canonical request, with the day's signing key.
pub(crate) fn signature(key: [u8; 32], date_time: &str, scope: &str, canonical: &[u8]) -> String {
    let mut string_to_sign = Vec::with_capacity(160);
    for part in [ALGORITHM, "\n", date_time, "\n", scope, "\n"] {
        string_to_sign.extend_from_slice(part.as_bytes());
    }
    push_hex(&mut string_to_sign, &Sha256::digest(canonical));
    aws_sigv4::sign::v4::calculate_signature(key, &string_to_sign)
}

/// The signing key of `secret` for a day (the time's UTC date), region and service.
pub(crate) fn signing_key(secret: &str, time: SystemTime, region: &str, service: &str) -> [u8; 32] {
    let derived = aws_sigv4::sign::v4::generate_signing_key(secret, time, region, service);
    let mut key = [0u8; 32];
    key.copy_from_slice(derived.as_ref());
    key
}

/// The canonical request of a request this client signs: every header but the unsigned
/// ones, with the headers signing adds.
fn canonical_request(
    request: &http::Request<Bytes>,
    stamp: &Stamp,
    token: Option<&str>,
) -> Result<Canonical, BoxError> {
    let uri = request.uri();
    // Names are lowercase already (`http` keeps them so); the headers signing adds
    // replace any the request carries.
    let host;
    let host = match request.headers().get(http::header::HOST) {
        Some(value) => value.as_bytes(),
        None => {
            host = host_of(uri)?;
            host.as_bytes()
        }
    };
    let mut headers: Vec<(&str, &[u8])> = Vec::with_capacity(request.headers().len() + 3);
    for (name, value) in request.headers() {
        let name = name.as_str();
        if !UNSIGNED_HEADERS.contains(&name)
            && !matches!(name, "host" | "x-amz-date" | "x-amz-security-token")
        {
            headers.push((name, value.as_bytes()));
        }
    }
    headers.push(("host", host));
    headers.push(("x-amz-date", &stamp.date_time));
    if let Some(token) = token {
        headers.push(("x-amz-security-token", token.as_bytes()));
    }
    let payload = match request.headers().get(&CONTENT_SHA256) {
        Some(stated) => Payload::Stated(stated.as_bytes()),
        None => Payload::Body(request.body()),
    };
    Ok(canonical(
        request.method().as_str(),
        uri.path(),
        uri.query().unwrap_or(""),
        headers,
        payload,
    ))
}

/// What a canonical request says of the payload.
pub(crate) enum Payload<'a> {
    /// A hash (or `UNSIGNED-PAYLOAD`) stated by the request.
    Stated(&'a [u8]),
    /// The body, to hash.
    Body(&'a [u8]),
}

/// The canonical request of a request's parts, as signer and verifier both write it:
/// `headers` are (lowercase name, value) pairs in any order, a name's values in theirs;
/// `path` and `query` as they are on the wire.
pub(crate) fn canonical(
    method: &str,
    path: &str,
    query: &str,
    mut headers: Vec<(&str, &[u8])>,
    payload: Payload<'_>,
) -> Canonical {
    let mut text = Vec::with_capacity(512);
    text.extend_from_slice(method.as_bytes());
    text.push(b'\n');
    push_canonical_path(&mut text, path);
    text.push(b'\n');
    push_canonical_query(&mut text, query);
    text.push(b'\n');
    // One entry per value, sorted by name (stably, so a name's values keep their order).
    headers.sort_by(|a, b| a.0.cmp(b.0));
    let mut previous: Option<&str> = None;
    for (name, value) in &headers {
        if previous == Some(*name) {
            text.push(b',');
        } else {
            if previous.is_some() {
                text.push(b'\n');
            }
            text.extend_from_slice(name.as_bytes());
            text.push(b':');
        }
        push_trimmed(&mut text, value);
        previous = Some(name);
    }
    text.push(b'\n');
    text.push(b'\n');
    let signed_start = text.len();
    let mut previous: Option<&str> = None;
    for (name, _) in &headers {
        if previous == Some(*name) {
            continue;
        }
        if previous.is_some() {
            text.push(b';');
        }
        text.extend_from_slice(name.as_bytes());
        previous = Some(name);
    }
    let signed = signed_start..text.len();
    text.push(b'\n');
    match payload {
        Payload::Stated(stated) => text.extend_from_slice(stated),
        Payload::Body(body) => push_hex(&mut text, &Sha256::digest(body)),
    }
    Canonical { text, signed }
}

pub(crate) fn push_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for &b in bytes {
        out.extend_from_slice(&[HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
    }
}

/// The path with dot segments (and empty segments) removed, encoded once more.
fn push_canonical_path(out: &mut Vec<u8>, path: &str) {
    if path.is_empty() {
        out.push(b'/');
        return;
    }
    if !path.contains('.') && !path.contains("//") {
        if !path.starts_with('/') {
            out.push(b'/');
        }
        push_encoded(out, path.as_bytes(), true);
        return;
    }
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = String::with_capacity(path.len() + 1);
    for segment in &segments {
        normalized.push('/');
        normalized.push_str(segment);
    }
    let ends_with_slash = ["/", "/.", "/./", "/..", "/../"]
        .iter()
        .any(|end| path.ends_with(end));
    if normalized.is_empty() || (ends_with_slash && !normalized.ends_with('/')) {
        normalized.push('/');
    }
    push_encoded(out, normalized.as_bytes(), true);
}

/// Query pairs decoded as a form (`+` is a space), encoded again, sorted.
fn push_canonical_query(out: &mut Vec<u8>, query: &str) {
    if query.is_empty() {
        return;
    }
    let mut pairs: Vec<(Vec<u8>, Vec<u8>)> = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (reencode(key), reencode(value))
        })
        .collect();
    pairs.sort_unstable();
    for (i, (key, value)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push(b'&');
        }
        out.extend_from_slice(key);
        out.push(b'=');
        out.extend_from_slice(value);
    }
}

/// A form-encoded query part, decoded and then encoded as SigV4 wants it.
fn reencode(part: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(part.len());
    if !part.bytes().any(|b| b == b'%' || b == b'+') {
        push_encoded(&mut out, part.as_bytes(), false);
        return out;
    }
    let bytes = part.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => decoded.push(b' '),
            b'%' => match (hex_value(bytes.get(i + 1)), hex_value(bytes.get(i + 2))) {
                (Some(high), Some(low)) => {
                    decoded.push(high << 4 | low);
                    i += 3;
                    continue;
                }
                _ => decoded.push(b'%'),
            },
            b => decoded.push(b),
        }
        i += 1;
    }
    let decoded = String::from_utf8_lossy(&decoded);
    push_encoded(&mut out, decoded.as_bytes(), false);
    out
}

fn hex_value(b: Option<&u8>) -> Option<u8> {
    match b? {
        b @ b'0'..=b'9' => Some(b - b'0'),
        b @ b'a'..=b'f' => Some(b - b'a' + 10),
        b @ b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// The value with leading and trailing whitespace removed and each run of whitespace
/// made one space. botocore and the AWS SDK for Java treat tabs so; `aws-sigv4` trims
/// spaces only, so for a value with a tab this signer agrees with botocore.
fn push_trimmed(out: &mut Vec<u8>, value: &[u8]) {
    let is_space = |b: &u8| matches!(b, b' ' | b'\t' | b'\x0b' | b'\x0c');
    let start = value
        .iter()
        .position(|b| !is_space(b))
        .unwrap_or(value.len());
    let end = value
        .iter()
        .rposition(|b| !is_space(b))
        .map_or(start, |i| i + 1);
    let value = &value[start..end];
    // Most values have nothing to collapse: single spaces only.
    let collapses = value
        .windows(2)
        .any(|pair| is_space(&pair[0]) && is_space(&pair[1]))
        || value.iter().any(|b| is_space(b) && *b != b' ');
    if !collapses {
        out.extend_from_slice(value);
        return;
    }
    let mut pending_space = false;
    for &b in value {
        if is_space(&b) {
            pending_space = true;
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
        }
        out.push(b);
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    /// The same request signed by `aws-sigv4`'s own `http_request::sign`.
    fn reference(
        request: &http::Request<Bytes>,
        credentials: &Credentials,
        region: &str,
        service: &str,
        time: SystemTime,
    ) -> http::Request<Bytes> {
        use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
        let identity = aws_credential_types::Credentials::new(
            credentials.access_key_id(),
            credentials.secret_access_key(),
            credentials.session_token().map(str::to_string),
            None,
            "test",
        )
        .into();
        let params = aws_sigv4::sign::v4::SigningParams::builder()
            .identity(&identity)
            .region(region)
            .name(service)
            .time(time)
            .settings(SigningSettings::default())
            .build()
            .expect("params")
            .into();
        let headers = request
            .headers()
            .iter()
            .map(|(n, v)| (n.as_str(), v.to_str().expect("visible ASCII")));
        let uri = request.uri().to_string();
        let signable = SignableRequest::new(
            request.method().as_str(),
            &uri,
            headers,
            SignableBody::Bytes(request.body()),
        )
        .expect("signable");
        let (instructions, _) = sign(signable, &params).expect("signs").into_parts();
        let mut signed = request.clone();
        instructions.apply_to_request_http1x(&mut signed);
        signed
    }

    fn request(
        method: &str,
        uri: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> http::Request<Bytes> {
        let mut builder = http::Request::builder().method(method).uri(uri);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        builder
            .body(Bytes::from(body.to_string()))
            .expect("a request")
    }

    fn header<'a>(request: &'a http::Request<Bytes>, name: &str) -> Option<&'a str> {
        request
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("ASCII"))
    }

    #[test]
    fn signs_as_aws_sigv4_does() {
        let time = SystemTime::UNIX_EPOCH + Duration::from_secs(1_705_322_096);
        let plain = Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            None,
            None,
        );
        let with_token = Credentials::new(
            "ASIAEXAMPLE",
            "secret/with+chars",
            Some("FwoGZXIvYXdzE//token+with/slashes==".into()),
            None,
        );
        let awsjson = [
            ("content-type", "application/x-amz-json-1.1"),
            ("x-amz-target", "AmazonAthena.GetSession"),
            (
                "user-agent",
                "smithy-codegen-rust/0.1.0 api/athena/2017-05-18",
            ),
            (
                "x-amz-user-agent",
                "smithy-codegen-rust/0.1.0 api/athena/2017-05-18",
            ),
        ];
        let cases = [
            request(
                "POST",
                "https://athena.us-east-1.amazonaws.com/",
                &awsjson,
                r#"{"SessionId":"s-1"}"#,
            ),
            request("POST", "http://127.0.0.1:8600/", &awsjson, "{}"),
            request("POST", "http://localhost:80/", &awsjson, ""),
            request("POST", "https://example.com:443/", &awsjson, ""),
            request("POST", "https://example.com:8443/", &awsjson, ""),
            request(
                "POST",
                "https://emr-serverless.us-east-1.amazonaws.com/applications/00f%20x%2Fy/sessions",
                &[("content-type", "application/json")],
                r#"{"name":"n"}"#,
            ),
            request("GET", "https://h.example/a/./b/../c//d/", &[], ""),
            request("GET", "https://h.example/a/b/..", &[], ""),
            request("GET", "https://h.example/..", &[], ""),
            request("GET", "https://h.example/a%2Eb/%7E~", &[], ""),
            request(
                "GET",
                "https://h.example/list?z=1&a=2&a=1&b=&c&sp%20ace=x%2By&plus=a+b&pct=%zz&u=%C3%A9&e=%3D%26",
                &[],
                "",
            ),
            request("GET", "https://h.example/?k=v!*'()", &[], ""),
            request(
                "PUT",
                "https://h.example/p",
                &[
                    ("x-amz-meta-a", "  padded   value  "),
                    ("x-amz-meta-b", "one"),
                    ("x-amz-meta-b", "two"),
                    ("X-Custom", "Mixed Case"),
                    ("x-amzn-trace-id", "Root=1-abc"),
                    ("content-type", "text/plain"),
                ],
                "payload",
            ),
            request(
                "DELETE",
                "https://h.example/p?x-id=1",
                &[("host", "other.example")],
                "",
            ),
        ];
        for (i, case) in cases.iter().enumerate() {
            for credentials in [&plain, &with_token] {
                for (region, service) in [("us-east-1", "athena"), ("eu-west-3", "emr-serverless")]
                {
                    let expected = reference(case, credentials, region, service, time);
                    let mut ours = case.clone();
                    Signer::new()
                        .sign(&mut ours, credentials, region, service, time)
                        .expect("signs");
                    assert!(
                        header(&ours, "authorization").is_some_and(|a| a.contains("Signature="))
                    );
                    for name in ["authorization", "x-amz-date", "x-amz-security-token"] {
                        assert_eq!(
                            header(&ours, name),
                            header(&expected, name),
                            "case {i} ({} {}), {name}",
                            case.method(),
                            case.uri()
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_key_is_kept_for_its_day_only() {
        let signer = Signer::new();
        let request = request(
            "POST",
            "https://h.example/",
            &[("x-amz-target", "S.Op")],
            "{}",
        );
        let credentials = Credentials::new("AKID", "SECRET", None, None);
        let other = Credentials::new("AKID", "OTHER", None, None);
        let day = 1_705_322_096;
        for (credentials, secs, region) in [
            (&credentials, day, "us-east-1"),
            (&credentials, day + 60, "us-east-1"),
            (&credentials, day + 86_400, "us-east-1"),
            (&other, day + 86_400, "us-east-1"),
            (&other, day + 86_400, "us-west-2"),
            (&credentials, day, "us-east-1"),
        ] {
            let time = SystemTime::UNIX_EPOCH + Duration::from_secs(secs);
            let mut ours = request.clone();
            signer
                .sign(&mut ours, credentials, region, "svc", time)
                .expect("signs");
            let expected = reference(&request, credentials, region, "svc", time);
            assert_eq!(
                header(&ours, "authorization"),
                header(&expected, "authorization"),
                "{secs} {region}"
            );
        }
    }

    #[test]
    fn whitespace_runs_in_header_values_collapse() {
        let mut out = Vec::new();
        push_trimmed(&mut out, b" \ta  b\t\tc \x0b");
        assert_eq!(out, b"a b c");
    }
}
