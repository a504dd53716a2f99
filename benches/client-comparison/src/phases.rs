//! Where the generated client's CPU goes, without I/O: the steps of one call timed alone
//! on one thread (building the body, signing, reading the response), each beside the
//! cheapest way to do the same thing.

use std::hint::black_box;
use std::time::SystemTime;

use athena::operation::get_session::{GetSessionInput, GetSessionOutput};
use bytes::Bytes;
use emr_serverless::operation::start_session::{StartSessionInput, StartSessionOutput};
use http::{HeaderMap, HeaderValue, header};
use smithy_runtime::client::sigv4::Signer;
use smithy_runtime::client::{
    Credentials, RawResponse, parse_output, serialize_input, sign_request,
};

use crate::measure;
use crate::{
    APPLICATION_ID, IDLE_TIMEOUT_MINUTES, OUR_USER_AGENT_ATHENA, OUR_USER_AGENT_EMR, ROLE,
    SESSION_ID, SESSION_NAME,
};

/// One timed step: each call runs a batch and returns nanoseconds per call.
type Batch<'a> = Box<dyn FnMut() -> Result<f64, String> + 'a>;

/// One row: what, nanoseconds per call, and the row it is compared with.
pub struct Phase {
    pub what: String,
    pub ns: f64,
    pub against: Option<usize>,
}

/// A request as the generated client has it just before signing.
fn unsigned(
    uri: &str,
    target: Option<&'static str>,
    user_agent: &'static str,
    body: Vec<u8>,
) -> http::Request<Bytes> {
    let mut request = http::Request::new(Bytes::from(body));
    *request.method_mut() = http::Method::POST;
    *request.uri_mut() = uri.parse().expect("a URI");
    let headers = request.headers_mut();
    headers.insert(header::USER_AGENT, HeaderValue::from_static(user_agent));
    headers.insert("x-amz-user-agent", HeaderValue::from_static(user_agent));
    if let Some(target) = target {
        headers.insert("x-amz-target", HeaderValue::from_static(target));
    }
    let content_type = if target.is_some() {
        "application/x-amz-json-1.1"
    } else {
        "application/json"
    };
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    request
}

/// What `Handle::attempt` does before signing: a fresh request from the template.
fn copy(template: &http::Request<Bytes>) -> http::Request<Bytes> {
    let mut request = http::Request::new(template.body().clone());
    *request.method_mut() = template.method().clone();
    *request.uri_mut() = template.uri().clone();
    *request.headers_mut() = template.headers().clone();
    request
}

pub fn measure(
    get_session_response: &[u8],
    start_session_response: &[u8],
) -> Result<Vec<Phase>, String> {
    let credentials = Credentials::new("AKID", "SECRET", None, None);
    let get_input = GetSessionInput::builder()
        .session_id(SESSION_ID)
        .build()
        .map_err(|e| e.to_string())?;
    let start_input = StartSessionInput::builder()
        .application_id(APPLICATION_ID)
        .client_token("bench-token-ours-0000000000000000000")
        .execution_role_arn(ROLE)
        .idle_timeout_minutes(IDLE_TIMEOUT_MINUTES)
        .name(SESSION_NAME)
        .tags(crate::tags())
        .build()
        .map_err(|e| e.to_string())?;
    let get_request = unsigned(
        "http://127.0.0.1:8600/",
        Some("AmazonAthena.GetSession"),
        OUR_USER_AGENT_ATHENA,
        smithy_runtime::wire::to_vec(&get_input).map_err(|e| e.to_string())?,
    );
    let start_request = unsigned(
        &format!("http://127.0.0.1:8600/applications/{APPLICATION_ID}/sessions"),
        None,
        OUR_USER_AGENT_EMR,
        smithy_runtime::wire::to_vec(&start_input).map_err(|e| e.to_string())?,
    );
    let response = |body: &[u8], content_type: &'static str| {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        RawResponse {
            status: 200,
            headers,
            body: Bytes::copy_from_slice(body),
        }
    };
    let get_response = response(get_session_response, "application/x-amz-json-1.1");
    let start_response = response(start_session_response, "application/json");
    // Every step must work before it is timed.
    parse_output::<GetSessionOutput>(
        &get_response,
        &athena::protocol::GET_SESSION,
        athena::protocol::PROTOCOL,
    )
    .map_err(|e| format!("GetSession response: {e}"))?;
    parse_output::<StartSessionOutput>(
        &start_response,
        &emr_serverless::protocol::START_SESSION,
        emr_serverless::protocol::PROTOCOL,
    )
    .map_err(|e| format!("StartSession response: {e}"))?;
    sign_request(
        &mut copy(&get_request),
        &credentials,
        "us-east-1",
        "athena",
        SystemTime::now(),
    )
    .map_err(|e| format!("signing: {e}"))?;

    let signer = Signer::new();
    let identity =
        aws_credential_types::Credentials::new("AKID", "SECRET", None, None, "bench").into();
    let mut steps: Vec<(String, Batch<'_>, Option<usize>)> = Vec::new();
    let base = 0;
    // GetSession
    steps.push((
        "GetSession: input to body with the runtime's `serialize_input`, as the fluent `send` does"
            .into(),
        Box::new(measure::timed(|| {
            black_box(
                serialize_input(
                    black_box(&get_input),
                    &athena::protocol::GET_SESSION,
                    athena::protocol::PROTOCOL,
                )
                .expect("serializes"),
            );
        })),
        Some(base + 2),
    ));
    steps.push((
        "GetSession: input to body through `serde_json::Value` (`wire::to_value`, `to_vec`)".into(),
        Box::new(measure::timed(|| {
            let value = smithy_runtime::wire::to_value(black_box(&get_input)).expect("serializes");
            black_box(serde_json::to_vec(&value).expect("serializes"));
        })),
        Some(base + 2),
    ));
    steps.push((
        "GetSession: input to body straight from the struct (`wire::to_vec`, no binding split)".into(),
        Box::new(measure::timed(|| {
            black_box(smithy_runtime::wire::to_vec(black_box(&get_input)).expect("serializes"));
        })),
        None,
    ));
    steps.push((
        "GetSession: copy the request template and sign it (SigV4: the runtime's `Signer`, which keeps the day's signing key, as the client's handle does), as each attempt does".into(),
        Box::new(measure::timed(|| {
            let mut request = copy(black_box(&get_request));
            signer
                .sign(&mut request, &credentials, "us-east-1", "athena", SystemTime::now())
                .expect("signs");
            black_box(request);
        })),
        Some(base + 5),
    ));
    steps.push((
        "GetSession: copy the request template and sign it with `aws-sigv4`'s `http_request::sign` (the signer before; derives the key on every call)".into(),
        Box::new(measure::timed(|| {
            let mut request = copy(black_box(&get_request));
            sign_with_aws_sigv4(&mut request, &identity, "athena");
            black_box(request);
        })),
        Some(base + 5),
    ));
    steps.push((
        "GetSession: copy the request template only".into(),
        Box::new(measure::timed(|| {
            black_box(copy(black_box(&get_request)));
        })),
        None,
    ));
    steps.push((
        "GetSession: response body to output with the runtime's `parse_output`".into(),
        Box::new(measure::timed(|| {
            black_box(
                parse_output::<GetSessionOutput>(
                    black_box(&get_response),
                    &athena::protocol::GET_SESSION,
                    athena::protocol::PROTOCOL,
                )
                .expect("parses"),
            );
        })),
        Some(base + 8),
    ));
    steps.push((
        "GetSession: response body to output through `serde_json::Value` (`from_slice`, `wire::from_value`)".into(),
        Box::new(measure::timed(|| {
            let value: serde_json::Value =
                serde_json::from_slice(black_box(&get_response.body)).expect("parses");
            black_box(smithy_runtime::wire::from_value::<GetSessionOutput>(&value).expect("parses"));
        })),
        Some(base + 8),
    ));
    steps.push((
        "GetSession: response body parsed into a `serde_json::Value` only (the JSON parse alone)".into(),
        Box::new(measure::timed(|| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&get_response.body))
                    .expect("parses"),
            );
        })),
        None,
    ));
    // StartSession
    let base = steps.len();
    steps.push((
        "StartSession: input to body and bound members with the runtime's `serialize_input` (the label kept apart)".into(),
        Box::new(measure::timed(|| {
            black_box(
                serialize_input(
                    black_box(&start_input),
                    &emr_serverless::protocol::START_SESSION,
                    emr_serverless::protocol::PROTOCOL,
                )
                .expect("serializes"),
            );
        })),
        Some(base + 2),
    ));
    steps.push((
        "StartSession: input to body through `serde_json::Value` (`wire::to_value`, `to_vec`)".into(),
        Box::new(measure::timed(|| {
            let value = smithy_runtime::wire::to_value(black_box(&start_input)).expect("serializes");
            black_box(serde_json::to_vec(&value).expect("serializes"));
        })),
        Some(base + 2),
    ));
    steps.push((
        "StartSession: input to body straight from the struct (the label included)".into(),
        Box::new(measure::timed(|| {
            black_box(smithy_runtime::wire::to_vec(black_box(&start_input)).expect("serializes"));
        })),
        None,
    ));
    steps.push((
        "StartSession: copy the request template and sign it (the runtime's `Signer`)".into(),
        Box::new(measure::timed(|| {
            let mut request = copy(black_box(&start_request));
            signer
                .sign(
                    &mut request,
                    &credentials,
                    "us-east-1",
                    "emr-serverless",
                    SystemTime::now(),
                )
                .expect("signs");
            black_box(request);
        })),
        Some(base + 5),
    ));
    steps.push((
        "StartSession: copy the request template and sign it with `aws-sigv4`'s `http_request::sign`".into(),
        Box::new(measure::timed(|| {
            let mut request = copy(black_box(&start_request));
            sign_with_aws_sigv4(&mut request, &identity, "emr-serverless");
            black_box(request);
        })),
        Some(base + 5),
    ));
    steps.push((
        "StartSession: copy the request template only".into(),
        Box::new(measure::timed(|| {
            black_box(copy(black_box(&start_request)));
        })),
        None,
    ));
    steps.push((
        "StartSession: response body to output with the runtime's `parse_output`".into(),
        Box::new(measure::timed(|| {
            black_box(
                parse_output::<StartSessionOutput>(
                    black_box(&start_response),
                    &emr_serverless::protocol::START_SESSION,
                    emr_serverless::protocol::PROTOCOL,
                )
                .expect("parses"),
            );
        })),
        Some(base + 7),
    ));
    steps.push((
        "StartSession: response body parsed into a `serde_json::Value` only (the JSON parse alone)".into(),
        Box::new(measure::timed(|| {
            black_box(
                serde_json::from_slice::<serde_json::Value>(black_box(&start_response.body))
                    .expect("parses"),
            );
        })),
        None,
    ));
    // The runtime's hand-written timestamps beside the SDK's (`aws-smithy-types`): read
    // and write one timestamp in each of Smithy's three formats.
    const EPOCH: &str = "1515531081.123";
    const DATE_TIME: &str = "2019-12-16T23:48:18.52Z";
    const HTTP_DATE: &str = "Tue, 29 Apr 2014 18:30:38 GMT";
    let datetime = steps.len();
    steps.push((
        "Timestamps: parse and format epoch-seconds, date-time and http-date with the runtime's `DateTime`".into(),
        Box::new(measure::timed(|| {
            use smithy_runtime::{DateTime, TimestampFormat};
            for (format, text) in [
                (TimestampFormat::EpochSeconds, EPOCH),
                (TimestampFormat::DateTime, DATE_TIME),
                (TimestampFormat::HttpDate, HTTP_DATE),
            ] {
                let time = DateTime::parse(format, black_box(text)).expect("parses");
                black_box(time.fmt(format));
            }
        })),
        Some(datetime + 1),
    ));
    steps.push((
        "Timestamps: the same with `aws-smithy-types`' `DateTime` (the AWS SDK's)".into(),
        Box::new(measure::timed(|| {
            use aws_smithy_types::date_time::{DateTime, Format};
            for (format, text) in [
                (Format::EpochSeconds, EPOCH),
                (Format::DateTime, DATE_TIME),
                (Format::HttpDate, HTTP_DATE),
            ] {
                let time = DateTime::from_str(black_box(text), format).expect("parses");
                black_box(time.fmt(format).expect("formats"));
            }
        })),
        None,
    ));
    let mut batches: Vec<&mut dyn FnMut() -> Result<f64, String>> =
        steps.iter_mut().map(|(_, f, _)| f.as_mut() as _).collect();
    let ns = measure::interleaved(&mut batches)?;
    Ok(steps
        .into_iter()
        .zip(ns)
        .map(|((what, _, against), ns)| Phase { what, ns, against })
        .collect())
}

/// SigV4 through `aws-sigv4`'s whole-request signer, as the runtime signed before.
fn sign_with_aws_sigv4(
    request: &mut http::Request<Bytes>,
    identity: &aws_smithy_runtime_api::client::identity::Identity,
    service: &str,
) {
    use aws_sigv4::http_request::{SignableBody, SignableRequest, SigningSettings, sign};
    let params = aws_sigv4::sign::v4::SigningParams::builder()
        .identity(identity)
        .region("us-east-1")
        .name(service)
        .time(SystemTime::now())
        .settings(SigningSettings::default())
        .build()
        .expect("signing params")
        .into();
    let headers: Vec<(&str, &str)> = request
        .headers()
        .iter()
        .filter_map(|(name, value)| value.to_str().ok().map(|v| (name.as_str(), v)))
        .collect();
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        &uri,
        headers.into_iter(),
        SignableBody::Bytes(request.body()),
    )
    .expect("signable");
    let (instructions, _) = sign(signable, &params).expect("signs").into_parts();
    instructions.apply_to_request_http1x(request);
}
