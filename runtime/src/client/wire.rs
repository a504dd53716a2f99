//! Requests and responses on the wire, for both protocol families.

#[cfg(feature = "sigv4")]
use std::time::SystemTime;

use crate::validation::Schema;
use crate::wire::{HasSchema, Members};
use bytes::Bytes;
use http::{HeaderName, HeaderValue, header};
use serde_json::{Map, Value};

use super::input::SerializedInput;
use super::{BoxError, RawResponse, ServiceInfo};
#[cfg(feature = "sigv4")]
use crate::client::Credentials;
#[cfg(feature = "sigv4")]
use crate::client::sigv4::Signer;
use crate::error::ErrorMetadata;
use crate::protocol::bindings::{self, json_to_text};
use crate::protocol::{Binding, InputBody, Location, OperationSpec, PayloadKind, Protocol};

/// RFC 3986 percent-encoding of a label or query part (the signer's encoder: the same
/// unreserved set).
fn percent_encode(text: &str, keep_slash: bool) -> String {
    let mut out = Vec::with_capacity(text.len());
    super::uri::push_encoded(&mut out, text.as_bytes(), keep_slash);
    // Only ASCII is pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// What every request of one client carries, made once.
#[derive(Debug)]
pub(crate) struct RequestTemplate {
    /// The endpoint URL, without a trailing `/`.
    pub endpoint: String,
    /// `{endpoint}/`, parsed: every awsJson request's URI.
    pub root: http::Uri,
    /// The `Host` header (what SigV4 signs and the transport sends).
    pub host: HeaderValue,
    pub user_agent: HeaderValue,
}

impl RequestTemplate {
    pub(crate) fn new(endpoint: &str, user_agent: &str) -> Result<RequestTemplate, String> {
        let endpoint = endpoint.trim_end_matches('/').to_string();
        let root = format!("{endpoint}/")
            .parse()
            .map_err(|e| format!("the endpoint `{endpoint}` is not a URL: {e}"))?;
        let user_agent = HeaderValue::try_from(user_agent)
            .map_err(|e| format!("the user agent `{user_agent}` is not a header value: {e}"))?;
        let host = super::uri::host_of(&root)
            .ok()
            .and_then(|host| HeaderValue::try_from(host).ok())
            .ok_or_else(|| format!("the endpoint `{endpoint}` has no host"))?;
        Ok(RequestTemplate {
            endpoint,
            root,
            host,
            user_agent,
        })
    }
}

/// Builds the HTTP request for `op` from the serialized input.
/// The request for `input`; `host_prefix` is the operation's, unless the config turns
/// host prefixes off.
pub(crate) fn build_request(
    service: &ServiceInfo,
    op: &OperationSpec,
    input: SerializedInput,
    template: &RequestTemplate,
    host_prefix: Option<&str>,
) -> Result<http::Request<Bytes>, BoxError> {
    let SerializedInput {
        body,
        bound: mut object,
    } = input;
    let mut headers = http::HeaderMap::with_capacity(8);
    headers.insert(header::HOST, template.host.clone());
    headers.insert(header::USER_AGENT, template.user_agent.clone());
    headers.insert(X_AMZ_USER_AGENT, template.user_agent.clone());
    let (method, uri, body, content_type) = match service.protocol {
        Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => {
            let mut target = String::with_capacity(service.service_name.len() + op.name.len() + 1);
            target.push_str(service.service_name);
            target.push('.');
            target.push_str(op.name);
            headers.insert(X_AMZ_TARGET, HeaderValue::try_from(target)?);
            if service.query_compatible {
                headers.insert(
                    HeaderName::from_static("x-amzn-query-mode"),
                    HeaderValue::from_static("true"),
                );
            }
            // awsJson always sends an object, `{}` when no member is set.
            let body = if body.is_empty() {
                b"{}".to_vec()
            } else {
                body
            };
            (
                http::Method::POST,
                template.root.clone(),
                body,
                Some(service.protocol.content_type()),
            )
        }
        Protocol::RestJson1 => {
            let http = op.http.as_ref().ok_or("the operation has no @http trait")?;
            super::customize::before_build(service.customization, &mut object);
            let (path, query, bound_headers) =
                take_http_members(&mut object, op.input_bindings, http.uri)?;
            for (name, value) in bound_headers {
                headers.append(name, value);
            }
            let (body, content_type) = match bindings::payload(op.input_bindings) {
                Some((member, kind)) => match (object.remove(member), kind) {
                    // An unset structure payload is an empty object.
                    (None | Some(Value::Null), PayloadKind::Structure) => {
                        (b"{}".to_vec(), Some("application/json"))
                    }
                    (None | Some(Value::Null), _) => (Vec::new(), None),
                    (Some(Value::String(text)), PayloadKind::Text) => (
                        text.into_bytes(),
                        Some(op.input_media_type.unwrap_or("text/plain")),
                    ),
                    (Some(Value::String(text)), PayloadKind::Blob) => (
                        crate::base64::decode(&text)?,
                        Some(op.input_media_type.unwrap_or("application/octet-stream")),
                    ),
                    (Some(value), _) => (serde_json::to_vec(&value)?, Some("application/json")),
                },
                // Body members, none set: an empty object.
                None if body.is_empty() && op.input_body == InputBody::Json => {
                    (b"{}".to_vec(), Some("application/json"))
                }
                // No member in the body: no body at all.
                None if body.is_empty() => (Vec::new(), None),
                None => (body, Some("application/json")),
            };
            let mut uri =
                String::with_capacity(template.endpoint.len() + path.len() + query.len() + 1);
            uri.push_str(&template.endpoint);
            uri.push_str(&path);
            if !query.is_empty() {
                uri.push('?');
                uri.push_str(&query);
            }
            (
                http::Method::from_bytes(http.method.as_bytes())?,
                http::Uri::try_from(uri)?,
                body,
                content_type,
            )
        }
    };
    // A member bound to `Content-Type` wins over the protocol's.
    if let Some(content_type) = content_type {
        if !headers.contains_key(header::CONTENT_TYPE) {
            headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
    }
    let uri = match host_prefix {
        Some(prefix) => {
            let prefix = expand_host_prefix(prefix, &object, &body)?;
            let uri = with_host_prefix(&uri, &prefix)?;
            if let Some(host) = uri.authority() {
                headers.insert(header::HOST, HeaderValue::try_from(host.as_str())?);
            }
            uri
        }
        None => uri,
    };
    let mut request = http::Request::new(Bytes::from(body));
    *request.method_mut() = method;
    *request.uri_mut() = uri;
    *request.headers_mut() = headers;
    super::customize::after_build(
        service.customization,
        op.name,
        service.api_version,
        &mut request,
    )?;
    Ok(request)
}

/// `Content-MD5`: the base64 MD5 digest of the body as sent.
#[cfg(feature = "md5")]
pub(crate) fn add_content_md5(request: &mut http::Request<Bytes>) {
    use md5::Digest as _;
    let digest = md5::Md5::digest(request.body());
    let value = crate::base64::encode(&digest);
    if let Ok(value) = HeaderValue::try_from(value) {
        request.headers_mut().insert("content-md5", value);
    }
}

/// Compresses the body with gzip and appends `gzip` to `Content-Encoding` (after any
/// encoding a member set, as the AWS SDKs do).
#[cfg(feature = "gzip")]
pub(crate) fn gzip_body(request: &mut http::Request<Bytes>) -> Result<(), BoxError> {
    use std::io::Write as _;
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(request.body().len() / 2),
        flate2::Compression::default(),
    );
    encoder.write_all(request.body())?;
    *request.body_mut() = Bytes::from(encoder.finish()?);
    let encoding = match request.headers().get(header::CONTENT_ENCODING) {
        Some(existing) => format!("{}, gzip", existing.to_str()?),
        None => "gzip".to_string(),
    };
    request
        .headers_mut()
        .insert(header::CONTENT_ENCODING, HeaderValue::try_from(encoding)?);
    Ok(())
}

/// `@endpoint(hostPrefix)` with each `{label}` replaced by its `@hostLabel` member, which
/// must be a valid host label.
fn expand_host_prefix(
    prefix: &str,
    bound: &Map<String, Value>,
    body: &[u8],
) -> Result<String, BoxError> {
    if !prefix.contains('{') {
        return Ok(prefix.to_string());
    }
    let members: Map<String, Value> = if body.is_empty() {
        Map::new()
    } else {
        serde_json::from_slice(body).unwrap_or_default()
    };
    let mut out = String::with_capacity(prefix.len() + 16);
    let mut rest = prefix;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..]
            .find('}')
            .ok_or("the hostPrefix has an unclosed label")?
            + open;
        let name = &rest[open + 1..close];
        let value = bound
            .get(name)
            .or_else(|| members.get(name))
            .and_then(Value::as_str)
            .ok_or_else(|| format!("the host label `{name}` is not set"))?;
        let valid = !value.is_empty()
            && value.len() <= 63
            && value
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
            && !value.starts_with('-');
        if !valid {
            return Err(
                format!("the host label `{name}` is not a valid host label: `{value}`").into(),
            );
        }
        out.push_str(value);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// `uri` with `prefix` before its host.
fn with_host_prefix(uri: &http::Uri, prefix: &str) -> Result<http::Uri, BoxError> {
    let mut parts = uri.clone().into_parts();
    let authority = parts
        .authority
        .as_ref()
        .ok_or("the endpoint has no host")?
        .as_str();
    parts.authority = Some(format!("{prefix}{authority}").parse()?);
    Ok(http::Uri::from_parts(parts)?)
}

const X_AMZ_USER_AGENT: HeaderName = HeaderName::from_static("x-amz-user-agent");
const X_AMZ_TARGET: HeaderName = HeaderName::from_static("x-amz-target");

type HttpMembers = (String, String, Vec<(HeaderName, HeaderValue)>);

/// Takes labels, query and header members out of the input object: the expanded path,
/// the query string and the headers.
fn take_http_members(
    object: &mut Map<String, Value>,
    bindings: &[Binding],
    uri: &str,
) -> Result<HttpMembers, BoxError> {
    let (pattern, literal_query) = uri.split_once('?').unwrap_or((uri, ""));
    let mut path = String::new();
    for segment in pattern.split('/').filter(|s| !s.is_empty()) {
        path.push('/');
        match segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(label) => {
                let (name, greedy) = match label.strip_suffix('+') {
                    Some(name) => (name, true),
                    None => (label, false),
                };
                let binding = bindings
                    .iter()
                    .find(|b| b.member == name && matches!(b.location, Location::Label));
                let value = object
                    .remove(name)
                    .ok_or_else(|| format!("the label `{name}` is not set"))?;
                let text = match binding {
                    Some(binding) => json_to_text(&value, &binding.value),
                    None => value.as_str().map(str::to_string),
                }
                .ok_or_else(|| format!("the label `{name}` has no text form"))?;
                if text.is_empty() {
                    return Err(format!("the label `{name}` is empty").into());
                }
                path.push_str(&percent_encode(&text, greedy));
            }
            None => path.push_str(segment),
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    let mut query: Vec<String> = literal_query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    let mut headers = Vec::new();
    let mut explicit_query_keys: Vec<&str> = Vec::new();
    for binding in bindings {
        if let Location::Query(name) = binding.location {
            explicit_query_keys.push(name);
        }
    }
    for binding in bindings {
        let Some(value) = object.get(binding.member) else {
            continue;
        };
        if value.is_null() {
            object.remove(binding.member);
            continue;
        }
        match &binding.location {
            Location::Query(name) => {
                let value = object.remove(binding.member).unwrap_or(Value::Null);
                let items = match (&binding.value, value) {
                    (crate::protocol::Scalar::List(inner), Value::Array(items)) => items
                        .iter()
                        .filter_map(|item| json_to_text(item, inner))
                        .collect(),
                    (scalar, value) => json_to_text(&value, scalar).into_iter().collect::<Vec<_>>(),
                };
                for item in items {
                    query.push(format!(
                        "{}={}",
                        percent_encode(name, false),
                        percent_encode(&item, false)
                    ));
                }
            }
            Location::QueryParams => {
                let value = object.remove(binding.member).unwrap_or(Value::Null);
                for (key, item) in value.as_object().into_iter().flatten() {
                    if explicit_query_keys.contains(&key.as_str()) {
                        continue; // an @httpQuery member wins
                    }
                    let texts: Vec<String> = match (&binding.value, item) {
                        (crate::protocol::Scalar::List(inner), Value::Array(items)) => items
                            .iter()
                            .filter_map(|i| json_to_text(i, inner))
                            .collect(),
                        (scalar, item) => json_to_text(item, scalar).into_iter().collect(),
                    };
                    for text in texts {
                        query.push(format!(
                            "{}={}",
                            percent_encode(key, false),
                            percent_encode(&text, false)
                        ));
                    }
                }
            }
            Location::Header(name) => {
                let value = object.remove(binding.member).unwrap_or(Value::Null);
                if let Some(text) = json_to_text(&value, &binding.value) {
                    headers.push((HeaderName::try_from(*name)?, HeaderValue::try_from(text)?));
                }
            }
            Location::PrefixHeaders(prefix) => {
                let value = object.remove(binding.member).unwrap_or(Value::Null);
                for (suffix, item) in value.as_object().into_iter().flatten() {
                    let name = format!("{prefix}{suffix}");
                    // A member bound to that header by name wins.
                    if bindings::binds_header(bindings, &name) {
                        continue;
                    }
                    if let Some(text) = json_to_text(item, &binding.value) {
                        headers.push((
                            HeaderName::try_from(format!("{prefix}{suffix}"))?,
                            HeaderValue::try_from(text)?,
                        ));
                    }
                }
            }
            Location::Label | Location::ResponseCode | Location::Payload(_) => {}
        }
    }
    Ok((path, query.join("&"), headers))
}

#[cfg(feature = "sigv4")]
/// Signs `request` with SigV4 at `time` (a one-off: a [`super::Handle`] keeps its
/// [`Signer`] and so its signing key).
pub fn sign_request(
    request: &mut http::Request<Bytes>,
    credentials: &Credentials,
    region: &str,
    signing_name: &str,
    time: SystemTime,
) -> Result<(), BoxError> {
    Signer::new().sign(request, credentials, region, signing_name, time)
}

/// The error's code (sanitised as the protocols say), message, status and request id.
pub fn error_metadata(protocol: Protocol, response: &RawResponse) -> ErrorMetadata {
    let body: Option<Map<String, Value>> = from_body(&response.body).ok();
    let field = |names: &[&str]| -> Option<String> {
        let body = body.as_ref()?;
        names
            .iter()
            .find_map(|n| body.get(*n).and_then(Value::as_str).map(str::to_string))
    };
    let header = |name: &str| {
        response
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let raw_code = match protocol {
        Protocol::RestJson1 => header("x-amzn-errortype").or_else(|| field(&["code", "__type"])),
        _ => field(&["__type", "code"]).or_else(|| header("x-amzn-errortype")),
    };
    let mut meta = ErrorMetadata::builder().status(response.status);
    if let Some(code) = raw_code
        .as_deref()
        .map(sanitize_error_code)
        .filter(|c| !c.is_empty())
    {
        meta = meta.code(code);
    }
    if let Some(message) = field(&["message", "Message", "errorMessage"]) {
        meta = meta.message(message);
    }
    if let Some(id) = header("x-amzn-requestid").or_else(|| header("x-amz-request-id")) {
        meta = meta.request_id(id);
    }
    meta.build()
}

/// `aws.protocoltests#FooError:http://internal.amazon.com/` -> `FooError`.
pub fn sanitize_error_code(raw: &str) -> &str {
    let code = raw.split(':').next().unwrap_or(raw);
    let code = code.rsplit('#').next().unwrap_or(code);
    code.trim()
}

/// Reads JSON from a response body. A body that is valid UTF-8 as a whole is read as a
/// `str`, which spares serde_json checking every string in it again; anything else
/// goes through `from_slice`, which reports where it breaks.
fn from_body<'a, T: serde::Deserialize<'a>>(body: &'a [u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

/// Reads a successful response into the output `T`: the body, and for restJson1 the
/// members bound to headers and the status code.
pub fn parse_output<T: HasSchema + Members + Default>(
    response: &RawResponse,
    op: &OperationSpec,
    protocol: Protocol,
) -> Result<T, BoxError> {
    // No HTTP-bound members (all of awsJson's outputs): read the body straight.
    if op.output_bindings.is_empty() {
        return Ok(crate::wire::from_slice(&response.body)?);
    }
    let mut output = T::default();
    read_response(
        T::SCHEMA,
        response,
        op.output_bindings,
        protocol,
        &mut output,
    )?;
    Ok(output)
}

/// Reads `response` into `out`, a structure with `schema` whose members `bindings` bind:
/// the body (or the payload member), then for restJson1 the headers and status code.
fn read_response(
    schema: &'static Schema,
    response: &RawResponse,
    bindings: &[Binding],
    protocol: Protocol,
    out: &mut dyn Members,
) -> Result<(), BoxError> {
    let body = &response.body[..];
    match (protocol, bindings::payload(bindings)) {
        (Protocol::RestJson1, Some((member, kind))) => {
            if !body.is_empty() {
                bindings::read_payload(schema, member, kind, body, out, None)?;
            }
        }
        _ if body.iter().all(u8::is_ascii_whitespace) => {}
        _ => {
            let object = crate::wire::json::read_text(body, None, |r| {
                crate::wire::read_members(schema, r, out)
            })?;
            if !object {
                return Err("the response body is not a JSON object".into());
            }
        }
    }
    if protocol == Protocol::RestJson1 {
        let parts = bindings::HttpParts {
            labels: &[],
            query: &[],
            headers: &response.headers,
            status: Some(response.status),
        };
        bindings::read_bound(schema, bindings, &parts, out, None, None)?;
    }
    Ok(())
}

/// Reads an error structure with members bound to headers (restJson1 `@httpHeader` on an error
/// structure): the body's members plus those headers.
pub fn parse_bound_error<T: HasSchema + Members + Default>(
    response: &RawResponse,
    bindings: &[Binding],
) -> Option<T> {
    let mut error = T::default();
    read_response(
        T::SCHEMA,
        response,
        bindings,
        Protocol::RestJson1,
        &mut error,
    )
    .ok()?;
    Some(error)
}

/// Reads an error structure from an error response's body.
pub fn parse_error_body<T: HasSchema + Default>(response: &RawResponse) -> Option<T> {
    crate::wire::from_slice(&response.body).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_codes_are_sanitised() {
        assert_eq!(sanitize_error_code("FooError"), "FooError");
        assert_eq!(
            sanitize_error_code("aws.protocoltests.restjson#FooError"),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code(
                "FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
        assert_eq!(
            sanitize_error_code(
                "aws.protocoltests.restjson#FooError:http://internal.amazon.com/coral/com.amazon.coral.validate/"
            ),
            "FooError"
        );
    }

    #[test]
    fn labels_are_percent_encoded() {
        assert_eq!(percent_encode("a b/c", false), "a%20b%2Fc");
        assert_eq!(percent_encode("a b/c", true), "a%20b/c");
    }
}
