//! The three servers under test, each serving Athena `GetSession` and EMR Serverless
//! `StartSession` on one port.

use std::convert::Infallible;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use athena::operation::get_session::{GetSessionError, GetSessionInput, GetSessionOutput};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::response::Response;
use axum::routing::post;
use emr_serverless::operation::start_session::{
    StartSessionError, StartSessionInput, StartSessionOutput,
};
use http::{HeaderMap, HeaderValue, StatusCode, header};
use http_body_util::{BodyExt as _, Full};
use serde_json::{Map, Value};
use smithy_runtime::server::{RequestContext, SigningIdentity};
use smithy_runtime::validation::InputError;
use tokio::net::TcpListener;
use tower::ServiceExt as _;

use crate::fixtures;

/// Which server a child process runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The generated routers with a trivial in-memory implementation.
    Generated,
    /// A hand-written axum handler doing the same work.
    Axum,
    /// Bare hyper returning fixed bytes.
    Hyper,
    /// The generated routers served by `smithy_runtime::server::serve_with` with the
    /// default `ServerConfig` limits (the overload run).
    GeneratedLimits,
}

impl Variant {
    pub const ALL: [Variant; 3] = [Variant::Generated, Variant::Axum, Variant::Hyper];

    pub fn name(self) -> &'static str {
        match self {
            Variant::Generated => "generated",
            Variant::Axum => "axum",
            Variant::Hyper => "hyper",
            Variant::GeneratedLimits => "generated-limits",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Variant::Generated => "generated server (athena + emr-serverless routers)",
            Variant::Axum => "hand-written axum (comparison)",
            Variant::Hyper => "bare hyper, fixed bytes (floor)",
            Variant::GeneratedLimits => "generated server on `serve_with` (default limits)",
        }
    }

    pub fn parse(name: &str) -> Option<Variant> {
        Variant::ALL
            .into_iter()
            .chain([Variant::GeneratedLimits])
            .find(|v| v.name() == name)
    }
}

/// Serves `variant` on `listener` until the process ends.
pub async fn serve(variant: Variant, listener: TcpListener) -> std::io::Result<()> {
    match variant {
        Variant::Generated => {
            use axum::ServiceExt as _;
            axum::serve(listener, GeneratedDispatch::new().into_make_service()).await
        }
        Variant::Axum => axum::serve(listener, handwritten_router()).await,
        Variant::Hyper => serve_bare(listener).await,
        Variant::GeneratedLimits => {
            let config = smithy_runtime::server::ServerConfig::default();
            let router = Router::new().fallback_service(GeneratedDispatch::new());
            smithy_runtime::server::serve_with(router, listener, &config, std::future::pending())
                .await
        }
    }
}

// --- (a) the generated server -------------------------------------------------------

struct AthenaImpl {
    session: GetSessionOutput,
}

impl athena::server::Athena for AthenaImpl {
    async fn get_session(
        &self,
        input: GetSessionInput,
        _context: RequestContext,
    ) -> Result<GetSessionOutput, GetSessionError> {
        fixtures::get_session(&self.session, &input)
    }
}

struct EmrImpl {
    counter: AtomicU64,
}

impl emr_serverless::server::EmrServerless for EmrImpl {
    async fn start_session(
        &self,
        input: StartSessionInput,
        context: RequestContext,
    ) -> Result<StartSessionOutput, StartSessionError> {
        let region = context
            .identity()
            .map(|identity| identity.region.as_str())
            .unwrap_or(fixtures::DEFAULT_REGION);
        Ok(fixtures::start_session(&input, region, &self.counter))
    }
}

/// Both generated routers on one port: requests with `X-Amz-Target` go to Athena, the
/// others to EMR Serverless, handed straight to the router's `Service::call` (what the
/// generated server variant serves).
#[derive(Clone)]
pub struct GeneratedDispatch {
    athena: Router,
    emr: Router,
}

impl GeneratedDispatch {
    pub fn new() -> GeneratedDispatch {
        GeneratedDispatch {
            athena: generated_athena_router(),
            emr: generated_emr_router(),
        }
    }
}

impl tower::Service<Request> for GeneratedDispatch {
    type Response = Response;
    type Error = Infallible;
    type Future = axum::routing::future::RouteFuture<Infallible>;

    fn poll_ready(
        &mut self,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Result<(), Infallible>> {
        // An axum `Router` is always ready.
        std::task::Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Request) -> Self::Future {
        if request.headers().contains_key("x-amz-target") {
            self.athena.call(request)
        } else {
            self.emr.call(request)
        }
    }
}

/// Both generated routers on one port as the emulator combines them (`emulator::router`):
/// an outer axum `Router` whose fallback clones the chosen router and calls `oneshot`.
pub fn generated_router_as_emulator() -> Router {
    let athena = generated_athena_router();
    let emr = generated_emr_router();
    Router::new().fallback(move |request: Request| {
        let router = if request.headers().contains_key("x-amz-target") {
            athena.clone()
        } else {
            emr.clone()
        };
        async move {
            match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
    })
}

/// The generated Athena router alone.
pub fn generated_athena_router() -> Router {
    athena::server::router(AthenaImpl {
        session: fixtures::session(),
    })
}

/// The generated EMR Serverless router alone.
pub fn generated_emr_router() -> Router {
    emr_serverless::server::router(EmrImpl {
        counter: AtomicU64::new(0),
    })
}

// --- (b) the hand-written axum handler ------------------------------------------------

#[derive(Clone)]
struct Handwritten {
    session: Arc<GetSessionOutput>,
    sessions: Arc<AtomicU64>,
    requests: Arc<AtomicU64>,
}

/// The same two operations written by hand on axum: route on the path and
/// `X-Amz-Target`, read the JSON with serde into the generated types through the same
/// validation (`from_json`), write the same response.
pub fn handwritten_router() -> Router {
    let state = Handwritten {
        session: Arc::new(fixtures::session()),
        sessions: Arc::default(),
        requests: Arc::default(),
    };
    Router::new()
        .route("/", post(athena_handler))
        .route("/applications/{application_id}/sessions", post(emr_handler))
        .with_state(state)
}

const AWS_JSON: &str = "application/x-amz-json-1.1";
const REST_JSON: &str = "application/json";

fn media_type(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or("").trim())
}

fn respond(
    state: &Handwritten,
    status: StatusCode,
    content_type: &'static str,
    body: Vec<u8>,
) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(id) = HeaderValue::try_from(fixtures::request_id(&state.requests)) {
        headers.insert("x-amzn-requestid", id);
    }
    response
}

/// An error response of either protocol: `__type` in the body for awsJson,
/// `X-Amzn-Errortype` always.
fn error(
    state: &Handwritten,
    aws_json: bool,
    status: StatusCode,
    type_name: &'static str,
    message: String,
) -> Response {
    let mut body = Map::new();
    if aws_json {
        body.insert("__type".into(), Value::String(type_name.into()));
    }
    body.insert("message".into(), Value::String(message));
    let content_type = if aws_json { AWS_JSON } else { REST_JSON };
    let bytes = serde_json::to_vec(&body).unwrap_or_default();
    let mut response = respond(state, status, content_type, bytes);
    response
        .headers_mut()
        .insert("x-amzn-errortype", HeaderValue::from_static(type_name));
    response
}

fn input_error(state: &Handwritten, aws_json: bool, e: InputError) -> Response {
    match e {
        InputError::Malformed(e) => error(
            state,
            aws_json,
            StatusCode::BAD_REQUEST,
            "SerializationException",
            e.to_string(),
        ),
        InputError::Invalid(e) => error(
            state,
            aws_json,
            StatusCode::BAD_REQUEST,
            "ValidationException",
            e.message(),
        ),
    }
}

async fn athena_handler(
    State(state): State<Handwritten>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let target = headers.get("x-amz-target").and_then(|v| v.to_str().ok());
    if target != Some("AmazonAthena.GetSession") {
        return error(
            &state,
            true,
            StatusCode::BAD_REQUEST,
            "UnknownOperationException",
            "The operation is not known to this service.".into(),
        );
    }
    if media_type(&headers) != Some(AWS_JSON) {
        return error(
            &state,
            true,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeException",
            "The request's content type is not supported.".into(),
        );
    }
    let value: Value = match serde_json::from_slice(&body) {
        Ok(value @ Value::Object(_)) => value,
        Ok(_) | Err(_) => {
            return error(
                &state,
                true,
                StatusCode::BAD_REQUEST,
                "SerializationException",
                "The body is not a JSON object.".into(),
            );
        }
    };
    let input = match smithy_runtime::validation::from_json::<GetSessionInput>(&value) {
        Ok(input) => input,
        Err(e) => return input_error(&state, true, e),
    };
    match fixtures::get_session(&state.session, &input) {
        Ok(output) => match smithy_runtime::wire::to_vec(&output) {
            Ok(body) => respond(&state, StatusCode::OK, AWS_JSON, body),
            Err(e) => error(
                &state,
                true,
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalFailure",
                e.to_string(),
            ),
        },
        Err(GetSessionError::ResourceNotFoundException(e)) => error(
            &state,
            true,
            StatusCode::BAD_REQUEST,
            "ResourceNotFoundException",
            e.message.unwrap_or_default(),
        ),
        Err(_) => error(
            &state,
            true,
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            "An internal error occurred.".into(),
        ),
    }
}

async fn emr_handler(
    State(state): State<Handwritten>,
    Path(application_id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if !body.is_empty() && media_type(&headers) != Some(REST_JSON) {
        return error(
            &state,
            false,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "UnsupportedMediaTypeException",
            "The request's content type is not supported.".into(),
        );
    }
    let mut object: Map<String, Value> = if body.is_empty() {
        Map::new()
    } else {
        match serde_json::from_slice(&body) {
            Ok(object) => object,
            Err(e) => {
                return error(
                    &state,
                    false,
                    StatusCode::BAD_REQUEST,
                    "SerializationException",
                    format!("The body is not a JSON object: {e}"),
                );
            }
        }
    };
    object.insert("applicationId".into(), Value::String(application_id));
    let input =
        match smithy_runtime::validation::from_json::<StartSessionInput>(&Value::Object(object)) {
            Ok(input) => input,
            Err(e) => return input_error(&state, false, e),
        };
    let identity = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(SigningIdentity::from_authorization);
    let region = identity
        .as_ref()
        .map(|identity| identity.region.as_str())
        .unwrap_or(fixtures::DEFAULT_REGION);
    let output = fixtures::start_session(&input, region, &state.sessions);
    match smithy_runtime::wire::to_vec(&output) {
        Ok(body) => respond(&state, StatusCode::OK, REST_JSON, body),
        Err(e) => error(
            &state,
            false,
            StatusCode::INTERNAL_SERVER_ERROR,
            "InternalFailure",
            e.to_string(),
        ),
    }
}

// --- (c) bare hyper -------------------------------------------------------------------

/// Fixed responses: the bytes the typed servers write for the first request of each
/// operation, computed once.
struct Fixed {
    get_session: Bytes,
    start_session: Bytes,
    request_id: HeaderValue,
}

fn fixed_response(fixed: &Fixed, athena: bool) -> http::Response<Full<Bytes>> {
    let (body, content_type) = if athena {
        (fixed.get_session.clone(), AWS_JSON)
    } else {
        (fixed.start_session.clone(), REST_JSON)
    };
    let mut response = http::Response::new(Full::new(body));
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert("x-amzn-requestid", fixed.request_id.clone());
    response
}

async fn serve_bare(listener: TcpListener) -> std::io::Result<()> {
    let counter = AtomicU64::new(0);
    let input: StartSessionInput = {
        let mut object: Map<String, Value> =
            serde_json::from_slice(&fixtures::start_session_body()).expect("JSON object");
        object.insert("applicationId".into(), fixtures::APPLICATION_ID.into());
        smithy_runtime::validation::from_json::<StartSessionInput>(&Value::Object(object))
            .expect("valid input")
    };
    let start = fixtures::start_session(&input, "us-west-2", &counter);
    let fixed = Arc::new(Fixed {
        get_session: Bytes::from(
            smithy_runtime::wire::to_vec(&fixtures::session()).expect("serializes"),
        ),
        start_session: Bytes::from(smithy_runtime::wire::to_vec(&start).expect("serializes")),
        request_id: HeaderValue::try_from(fixtures::request_id(&counter)).expect("ASCII"),
    });
    loop {
        let (stream, _) = listener.accept().await?;
        let fixed = Arc::clone(&fixed);
        tokio::spawn(async move {
            let service =
                hyper::service::service_fn(move |request: http::Request<hyper::body::Incoming>| {
                    let fixed = Arc::clone(&fixed);
                    async move {
                        let athena = request.headers().contains_key("x-amz-target");
                        // Read the whole body, as every other variant does.
                        let _ = request.into_body().collect().await;
                        Ok::<_, Infallible>(fixed_response(&fixed, athena))
                    }
                });
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}
