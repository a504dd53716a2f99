//! Verifying SigV4 signatures (opt-in: [`ServerConfig::with_sigv4`](super::ServerConfig::with_sigv4)).
//!
//! The canonical request is the one the client signs with (`client::sigv4::canonical`):
//! one implementation signs and verifies. Requests signed in the `Authorization` header
//! and presigned ones (`X-Amz-Signature` in the query) are both checked: the credential
//! scope (date, region, the model's signing name), `X-Amz-Date` within 15 minutes of this
//! server's clock (a presigned request also within its `X-Amz-Expires`), the payload hash
//! (the stated `x-amz-content-sha256`, which must match the body when it is a hash, or the
//! body's own hash), and the session token. Failures get the errors AWS's JSON services
//! answer with; none carries the secret or the expected signature.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use http::request::Parts;
use sha2::{Digest as _, Sha256};

use super::{ErrorResponse, SigningIdentity};
use crate::client::sigv4::{
    ALGORITHM, CONTENT_SHA256, Payload, UNSIGNED_PAYLOAD, canonical, push_hex, scope, signature,
    signing_key,
};
use crate::protocol::Protocol;

/// Looks up the secret of an access key id. Called once per signed request, on the
/// request's task: keep it fast (in memory, or cached).
pub trait SecretStore: Send + Sync + 'static {
    /// The secret of `access_key_id`, or `None` when the key is not known.
    fn secret(&self, access_key_id: &str) -> Option<Secret>;
}

/// A secret access key, with the session token that must come with it for temporary
/// credentials. `Debug` does not print either.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret {
    secret_access_key: String,
    session_token: Option<String>,
}

impl Secret {
    /// Long-term credentials: requests must carry no session token.
    pub fn new(secret_access_key: impl Into<String>) -> Secret {
        Secret {
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Temporary credentials: requests must carry this session token.
    pub fn with_session_token(mut self, token: impl Into<String>) -> Secret {
        self.session_token = Some(token.into());
        self
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Secret")
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .finish()
    }
}

/// Secrets held in memory, by access key id.
#[derive(Clone, Debug, Default)]
pub struct StaticSecrets(HashMap<String, Secret>);

impl StaticSecrets {
    /// No keys yet.
    pub fn new() -> StaticSecrets {
        StaticSecrets::default()
    }

    /// Adds (or replaces) a key.
    pub fn with(mut self, access_key_id: impl Into<String>, secret: Secret) -> StaticSecrets {
        self.0.insert(access_key_id.into(), secret);
        self
    }
}

impl SecretStore for StaticSecrets {
    fn secret(&self, access_key_id: &str) -> Option<Secret> {
        self.0.get(access_key_id).cloned()
    }
}

/// How a server verifies SigV4 signatures.
#[derive(Clone)]
pub struct SigV4Verifier {
    store: Arc<dyn SecretStore>,
    regions: Vec<String>,
    signing_name: Option<String>,
    max_skew: Duration,
    clock: fn() -> SystemTime,
}

impl std::fmt::Debug for SigV4Verifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SigV4Verifier")
            .field("regions", &self.regions)
            .field("signing_name", &self.signing_name)
            .field("max_skew", &self.max_skew)
            .finish_non_exhaustive()
    }
}

/// The largest `X-Amz-Expires` SigV4 allows (seven days).
const MAX_EXPIRES: u64 = 604_800;

impl SigV4Verifier {
    /// Verifies with the secrets of `store`, for any region, with the model's signing
    /// name, allowing 15 minutes between a request's `X-Amz-Date` and this server's clock.
    pub fn new(store: impl SecretStore) -> SigV4Verifier {
        SigV4Verifier {
            store: Arc::new(store),
            regions: Vec::new(),
            signing_name: None,
            max_skew: Duration::from_secs(15 * 60),
            clock: SystemTime::now,
        }
    }

    /// Accepts requests signed for this region (may be given more than once); any
    /// region when none is given.
    pub fn region(mut self, region: impl Into<String>) -> SigV4Verifier {
        self.regions.push(region.into());
        self
    }

    /// The service name credential scopes must have, over the model's `aws.auth#sigv4`
    /// name (needed for a service the model does not sign; without either, any).
    pub fn signing_name(mut self, name: impl Into<String>) -> SigV4Verifier {
        self.signing_name = Some(name.into());
        self
    }

    /// The clock requests' dates are checked against (tests fix it).
    pub fn clock(mut self, clock: fn() -> SystemTime) -> SigV4Verifier {
        self.clock = clock;
        self
    }

    /// Whether verifying this request needs its body: it states no payload hash.
    pub(crate) fn needs_body(&self, parts: &Parts) -> bool {
        !parts.headers.contains_key(CONTENT_SHA256)
    }

    /// Checks the request's signature; the signer when it holds. `body` is the body as
    /// received (`None`: streamed to the handler unread, so only a stated hash is used).
    pub(crate) fn verify(
        &self,
        protocol: Protocol,
        model_signing_name: Option<&str>,
        parts: &Parts,
        body: Option<&[u8]>,
    ) -> Result<SigningIdentity, ErrorResponse> {
        let fail = |kind: Failure, message: String| Err(kind.response(protocol, message));
        let signed = match Signed::read(parts) {
            Ok(signed) => signed,
            Err((kind, message)) => return fail(kind, message),
        };
        let mut scope_parts = signed.credential.split('/');
        let (Some(key_id), Some(date), Some(region), Some(service), Some("aws4_request"), None) = (
            scope_parts.next(),
            scope_parts.next(),
            scope_parts.next(),
            scope_parts.next(),
            scope_parts.next(),
            scope_parts.next(),
        ) else {
            return fail(
                Failure::Incomplete,
                "Credential must have exactly 5 slash-delimited elements, e.g. \
                 keyid/date/region/service/term."
                    .into(),
            );
        };
        let Some(time) = parse_amz_date(&signed.date_time) else {
            return fail(
                Failure::Incomplete,
                format!(
                    "Date must be in ISO-8601 'basic format'. Got '{}'.",
                    signed.date_time
                ),
            );
        };
        if date != &signed.date_time[..8] {
            return fail(
                Failure::Invalid,
                format!(
                    "Date in Credential scope does not match YYYYMMDD from ISO-8601 version \
                     of date from HTTP: '{date}' != '{}', from '{}'.",
                    &signed.date_time[..8],
                    signed.date_time
                ),
            );
        }
        let now = (self.clock)();
        let stamp = |t: SystemTime| format_amz_date(t).unwrap_or_default();
        if time > now + self.max_skew {
            return fail(
                Failure::Invalid,
                format!(
                    "Signature not yet current: {} is still later than {} ({} + 15 min.)",
                    signed.date_time,
                    stamp(now + self.max_skew),
                    stamp(now)
                ),
            );
        }
        let valid_for = match signed.expires {
            Some(expires) => Duration::from_secs(expires),
            None => self.max_skew,
        };
        if time + valid_for < now {
            return fail(
                Failure::Invalid,
                format!(
                    "Signature expired: {} is now earlier than {} ({} - {} min.)",
                    signed.date_time,
                    stamp(now - valid_for),
                    stamp(now),
                    valid_for.as_secs() / 60
                ),
            );
        }
        if let Some(expected) = self.signing_name.as_deref().or(model_signing_name) {
            if service != expected {
                return fail(
                    Failure::Invalid,
                    format!("Credential should be scoped to correct service: '{expected}'."),
                );
            }
        }
        if !self.regions.is_empty() && !self.regions.iter().any(|r| r == region) {
            return fail(
                Failure::Invalid,
                "Credential should be scoped to a valid region.".into(),
            );
        }
        let unrecognized = || {
            Failure::Unrecognized.response(
                protocol,
                "The security token included in the request is invalid.".into(),
            )
        };
        let secret = self.store.secret(key_id).ok_or_else(unrecognized)?;
        if secret.session_token.as_deref() != signed.session_token.as_deref() {
            return Err(unrecognized());
        }
        if !signed.signed_headers.iter().any(|h| h == "host") {
            return fail(
                Failure::Invalid,
                "'Host' must be a 'SignedHeader' in the AWS Authorization.".into(),
            );
        }

        let mut headers: Vec<(&str, &[u8])> = Vec::with_capacity(signed.signed_headers.len());
        for name in &signed.signed_headers {
            let mut values = parts.headers.get_all(name.as_str()).iter().peekable();
            if values.peek().is_none() {
                // HTTP/2 carries the host as the `:authority`, not as a header.
                match parts.uri.authority().filter(|_| name == "host") {
                    Some(authority) => headers.push(("host", authority.as_str().as_bytes())),
                    None => return fail(Failure::Invalid, SIGNATURE_MISMATCH.into()),
                }
                continue;
            }
            headers.extend(values.map(|v| (name.as_str(), v.as_bytes())));
        }
        let stated = parts.headers.get(CONTENT_SHA256).map(|v| v.as_bytes());
        let payload = match (stated, body) {
            (Some(stated), Some(body)) if stated.len() == 64 => {
                let mut actual = Vec::with_capacity(64);
                push_hex(&mut actual, &Sha256::digest(body));
                if !actual.eq_ignore_ascii_case(stated) {
                    return fail(
                        Failure::Invalid,
                        "The provided 'x-amz-content-sha256' header does not match what was \
                         computed."
                            .into(),
                    );
                }
                Payload::Stated(stated)
            }
            (Some(stated), _) => Payload::Stated(stated),
            (None, Some(body)) => Payload::Body(body),
            (None, None) => return fail(Failure::Invalid, SIGNATURE_MISMATCH.into()),
        };
        let query = if signed.presigned {
            without_signature(parts.uri.query().unwrap_or(""))
        } else {
            parts.uri.query().unwrap_or("").to_string()
        };
        let key = signing_key(&secret.secret_access_key, time, region, service);
        let scope = scope(date, region, service);
        let matches = |payload: Payload<'_>| {
            let canonical = canonical(
                parts.method.as_str(),
                parts.uri.path(),
                &query,
                headers.clone(),
                payload,
            );
            let expected = signature(key, &signed.date_time, &scope, &canonical.text);
            constant_time_eq(expected.as_bytes(), signed.signature.as_bytes())
        };
        // A presigned URL signs the body's hash (botocore, aws-sigv4) or, when made
        // without the body, `UNSIGNED-PAYLOAD` (S3's convention).
        let unsigned_presigned = || {
            signed.presigned
                && stated.is_none()
                && matches(Payload::Stated(UNSIGNED_PAYLOAD.as_bytes()))
        };
        if !matches(payload) && !unsigned_presigned() {
            return fail(Failure::Invalid, SIGNATURE_MISMATCH.into());
        }
        Ok(SigningIdentity {
            access_key_id: key_id.to_string(),
            date: date.to_string(),
            region: region.to_string(),
            service: service.to_string(),
        })
    }
}

const SIGNATURE_MISMATCH: &str = "The request signature we calculated does not match the \
     signature you provided. Check your AWS Secret Access Key and signing method. Consult \
     the service documentation for details.";

/// What went wrong, as AWS's error codes name it.
#[derive(Clone, Copy, Debug)]
enum Failure {
    /// Neither an `Authorization` header nor a presigned query.
    Missing,
    /// A signature with parts missing or malformed.
    Incomplete,
    /// An access key or session token this server does not know.
    Unrecognized,
    /// A signature that does not verify, or a scope or date that is not acceptable.
    Invalid,
}

impl Failure {
    /// The error: awsJson services answer these with 400, restJson1 services with 403.
    fn response(self, protocol: Protocol, message: String) -> ErrorResponse {
        let status = if protocol.is_aws_json() { 400 } else { 403 };
        let code = match self {
            Failure::Missing => "MissingAuthenticationTokenException",
            Failure::Incomplete => "IncompleteSignatureException",
            Failure::Unrecognized => "UnrecognizedClientException",
            Failure::Invalid => "InvalidSignatureException",
        };
        ErrorResponse::with_message(code, status, message)
    }
}

/// The signature's parts, from the `Authorization` header or the presigned query.
struct Signed {
    credential: String,
    signed_headers: Vec<String>,
    signature: String,
    date_time: String,
    session_token: Option<String>,
    /// `X-Amz-Expires`, for a presigned request.
    expires: Option<u64>,
    presigned: bool,
}

impl Signed {
    fn read(parts: &Parts) -> Result<Signed, (Failure, String)> {
        let header = |name: &str| {
            parts
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        if let Some(authorization) = header("authorization") {
            return Signed::from_header(
                &authorization,
                header("x-amz-date"),
                header("x-amz-security-token"),
            );
        }
        if is_presigned(parts) {
            return Signed::from_query(parts.uri.query().unwrap_or(""));
        }
        Err((
            Failure::Missing,
            "Request is missing Authentication Token".into(),
        ))
    }

    fn from_header(
        authorization: &str,
        date: Option<String>,
        session_token: Option<String>,
    ) -> Result<Signed, (Failure, String)> {
        let Some(rest) = authorization.strip_prefix(ALGORITHM) else {
            return Err((
                Failure::Incomplete,
                format!("Authorization header requires the '{ALGORITHM}' algorithm."),
            ));
        };
        let mut credential = None;
        let mut signed_headers = None;
        let mut signature = None;
        for part in rest.split(',') {
            let part = part.trim();
            if let Some(v) = part.strip_prefix("Credential=") {
                credential = Some(v.to_string());
            } else if let Some(v) = part.strip_prefix("SignedHeaders=") {
                signed_headers = Some(v.to_string());
            } else if let Some(v) = part.strip_prefix("Signature=") {
                signature = Some(v.to_string());
            }
        }
        let mut missing = Vec::new();
        for (name, value) in [
            ("Credential", &credential),
            ("Signature", &signature),
            ("SignedHeaders", &signed_headers),
        ] {
            if value.is_none() {
                missing.push(format!("Authorization header requires '{name}' parameter."));
            }
        }
        if date.is_none() {
            missing
                .push("Authorization header requires existence of a 'X-Amz-Date' header.".into());
        }
        if !missing.is_empty() {
            return Err((Failure::Incomplete, missing.join(" ")));
        }
        Ok(Signed {
            credential: credential.unwrap_or_default(),
            signed_headers: split_signed_headers(&signed_headers.unwrap_or_default()),
            signature: signature.unwrap_or_default(),
            date_time: date.unwrap_or_default(),
            session_token,
            expires: None,
            presigned: false,
        })
    }

    fn from_query(query: &str) -> Result<Signed, (Failure, String)> {
        let pairs = crate::protocol::uri::parse_query(query).ok_or((
            Failure::Incomplete,
            "The query string is not valid percent-encoded UTF-8.".to_string(),
        ))?;
        let get = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
        };
        if get("X-Amz-Algorithm").as_deref() != Some(ALGORITHM) {
            return Err((
                Failure::Incomplete,
                format!("X-Amz-Algorithm only supports '{ALGORITHM}'."),
            ));
        }
        let mut missing = Vec::new();
        for name in [
            "X-Amz-Credential",
            "X-Amz-Signature",
            "X-Amz-SignedHeaders",
            "X-Amz-Date",
            "X-Amz-Expires",
        ] {
            if get(name).is_none() {
                missing.push(format!("'{name}'"));
            }
        }
        if !missing.is_empty() {
            return Err((
                Failure::Incomplete,
                format!(
                    "AWS query-string parameters must include {}.",
                    missing.join(", ")
                ),
            ));
        }
        let expires = get("X-Amz-Expires")
            .and_then(|e| e.parse::<u64>().ok())
            .filter(|e| (1..=MAX_EXPIRES).contains(e))
            .ok_or((
                Failure::Incomplete,
                format!("X-Amz-Expires must be a number of seconds from 1 to {MAX_EXPIRES}."),
            ))?;
        Ok(Signed {
            credential: get("X-Amz-Credential").unwrap_or_default(),
            signed_headers: split_signed_headers(&get("X-Amz-SignedHeaders").unwrap_or_default()),
            signature: get("X-Amz-Signature").unwrap_or_default(),
            date_time: get("X-Amz-Date").unwrap_or_default(),
            session_token: get("X-Amz-Security-Token"),
            expires: Some(expires),
            presigned: true,
        })
    }
}

fn is_presigned(parts: &Parts) -> bool {
    !parts.headers.contains_key(http::header::AUTHORIZATION)
        && parts
            .uri
            .query()
            .is_some_and(|q| q.split('&').any(|p| p.starts_with("X-Amz-Algorithm=")))
}

fn split_signed_headers(list: &str) -> Vec<String> {
    list.split(';')
        .filter(|h| !h.is_empty())
        .map(|h| h.to_ascii_lowercase())
        .collect()
}

/// The raw query without its `X-Amz-Signature` pair (which a presigned request's
/// canonical request leaves out).
fn without_signature(query: &str) -> String {
    query
        .split('&')
        .filter(|pair| !pair.starts_with("X-Amz-Signature="))
        .collect::<Vec<_>>()
        .join("&")
}

/// `YYYYMMDDTHHMMSSZ` read as a time.
fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|d| d.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let (year, month, day) = (number(0..4)?, number(4..6)?, number(6..8)?);
    let (hour, minute, second) = (number(9..11)?, number(11..13)?, number(13..15)?);
    if !(1..=12).contains(&month) || day == 0 || day > 31 || hour > 23 || minute > 59 || second > 60
    {
        return None;
    }
    let days = crate::datetime::days_from_civil(i64::from(year), month, day);
    let secs = days * 86_400 + i64::from(hour * 3600 + minute * 60 + second);
    u64::try_from(secs)
        .ok()
        .map(|s| SystemTime::UNIX_EPOCH + Duration::from_secs(s))
}

fn format_amz_date(time: SystemTime) -> Option<String> {
    let secs = time.duration_since(SystemTime::UNIX_EPOCH).ok()?.as_secs();
    let (year, month, day) = crate::datetime::civil_from_days((secs / 86_400) as i64);
    let s = secs % 86_400;
    Some(format!(
        "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
        s / 3600,
        s / 60 % 60,
        s % 60
    ))
}

/// Compares without stopping at the first difference, so the time taken does not tell
/// how much of a guessed signature was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amz_dates_read_and_write_back() {
        let time = parse_amz_date("20240115T123456Z").unwrap();
        assert_eq!(
            time.duration_since(SystemTime::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            1_705_322_096
        );
        assert_eq!(format_amz_date(time).unwrap(), "20240115T123456Z");
        for bad in [
            "20240115T123456",
            "2024011sT123456Z",
            "20241315T123456Z",
            "",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_presigned_signature_is_left_out_of_the_query() {
        assert_eq!(
            without_signature("a=1&X-Amz-Signature=abc&X-Amz-Date=2"),
            "a=1&X-Amz-Date=2"
        );
    }

    #[test]
    fn secrets_are_not_printed() {
        let secret = Secret::new("wJalrSecret").with_session_token("IQoJsessionToken");
        let text = format!("{secret:?}");
        assert!(
            !text.contains("wJalrSecret") && !text.contains("IQoJsessionToken"),
            "{text}"
        );
    }
}
