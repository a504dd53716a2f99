//! The server side of the protocols: one router per service that finds the operation,
//! reads and validates its input, calls the user's implementation and writes the
//! protocol's response, or its error response. Generated crates supply the static
//! description of each operation and a typed handler per operation.
//!
//! The pipeline for each request: route (awsJson: `X-Amz-Target`; restJson1: method and
//! URI) -> body size limit (413) -> content type (415) -> the typed input read from the
//! body and the HTTP-bound members, strictly (400 `SerializationException`) ->
//! validation of the typed input (400 `ValidationException`) -> handler (a panic is a 500
//! with no detail) -> response.

/// The web framework generated routers are built on, for generated code and users alike.
pub use axum;

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::response::Response;
use futures_util::FutureExt as _;
use http::{HeaderMap, HeaderValue, StatusCode, header};
use serde_json::{Map, Value};

pub use crate::protocol::{
    Binding, HttpTrait, Location, OperationSpec, PayloadKind, Protocol, Scalar, ServiceSpec,
    ValidationStyle,
};

use crate::protocol::{InputBody, bindings, uri};

mod serve;
mod services;
#[cfg(feature = "sigv4")]
mod sigv4;
use crate::validation::{InputError, MalformedError, Schema};
use crate::wire::{HasSchema, Members, ReadState};
pub use serve::{serve, serve_listener, serve_with};
pub use services::Services;
#[cfg(feature = "sigv4")]
pub use sigv4::{Secret, SecretStore, SigV4Verifier, StaticSecrets};

/// A request routed to an operation, its body read whole (decoded, within the size
/// limit, of the right content type): what a handler reads its typed input from, with
/// [`read_input`].
pub struct Request {
    op: &'static OperationSpec,
    aws_json: bool,
    body: bytes::Bytes,
    labels: Vec<(String, String)>,
    query: Vec<(String, String)>,
    /// The headers members are bound to (none for an operation without such members).
    headers: HeaderMap,
    /// The body, still to be read, of an operation whose input payload is a `@streaming`
    /// blob (`body` is then empty).
    stream: Option<crate::ByteStream>,
}

impl Request {
    /// The operation the request was routed to.
    pub fn operation(&self) -> &'static OperationSpec {
        self.op
    }

    /// The request body, decoded; empty when it streams (see [`Request::take_stream`]).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The body of an operation whose input payload is a `@streaming` blob, as it
    /// arrives (within the server's body limit): for the handler's input. Empty when
    /// taken before or when the operation does not stream.
    pub fn take_stream(&mut self) -> crate::ByteStream {
        self.stream.take().unwrap_or_default()
    }
}

/// What the router does with a request before a handler sees it: reads the input `T`
/// from the body and the HTTP-bound members by the protocol's rules for inputs (anything
/// else is malformed), then checks every constraint.
pub fn read_input<T: HasSchema + Members + Default>(request: &Request) -> Result<T, InputError> {
    let mut input = T::default();
    let absent = read_request(request, T::SCHEMA, &mut input).map_err(InputError::Malformed)?;
    crate::validation::validate_read(T::SCHEMA, &input, &absent)?;
    Ok(input)
}

/// Reads `request` into `out`, a structure with `schema`; gives the JSON Pointers of the
/// required members it lacks.
fn read_request(
    request: &Request,
    schema: &'static Schema,
    out: &mut dyn Members,
) -> Result<Vec<String>, MalformedError> {
    let op = request.op;
    let members = crate::wire::members_of(schema);
    let mut set = vec![false; members.len()];
    let mut state = ReadState::new();
    let body = &request.body[..];
    let malformed = |reason: &str| MalformedError {
        path: String::new(),
        reason: reason.to_owned(),
    };
    match bindings::payload(op.input_bindings) {
        // A streamed payload is there for the handler to read, unless it is known to be
        // empty.
        Some((member, _)) if op.input_streaming.is_some() => {
            if let Some(index) = crate::wire::bound_member(members, member) {
                set[index] = request.stream.is_some();
            }
        }
        Some((member, kind)) => {
            // A client sends `{}` for an unset structure payload.
            let unset =
                body.is_empty() || (kind == PayloadKind::Structure && is_empty_object(body));
            if !unset {
                let read =
                    bindings::read_payload(schema, member, kind, body, out, Some(&mut state));
                match read {
                    Ok(present) => {
                        if let Some(index) = crate::wire::bound_member(members, member) {
                            set[index] = present;
                        }
                    }
                    Err(error) => return Err(state.malformed(error, "The body")),
                }
            }
        }
        None if body.is_empty() || (!request.aws_json && op.input_body != InputBody::Json) => {}
        None => {
            let read = crate::wire::json::read_text(body, Some(&mut state), |r| {
                crate::wire::read_members_noting(schema, r, out, &mut set)
            });
            match read {
                Ok(true) => {}
                Ok(false) => return Err(malformed("The body must be a JSON object.")),
                Err(error) => {
                    let error = state.malformed(error, "The body");
                    // The body itself is not an object.
                    if error.path.is_empty() && !state.is_syntax_error() {
                        return Err(malformed("The body must be a JSON object."));
                    }
                    return Err(error);
                }
            }
        }
    }
    if !op.input_bindings.is_empty() {
        let parts = bindings::HttpParts {
            labels: &request.labels,
            query: &request.query,
            headers: &request.headers,
            status: None,
        };
        let read = bindings::read_bound(
            schema,
            op.input_bindings,
            &parts,
            out,
            Some(&mut state),
            Some(&mut set),
        );
        if let Err(error) = read {
            return Err(state.malformed(error, "The request"));
        }
    }
    let mut absent = state.absent().to_vec();
    for (member, set) in members.iter().zip(set) {
        if member.required && !set {
            let mut path = String::new();
            crate::wire::push_segment(&mut path, member.name);
            absent.push(path);
        }
    }
    Ok(absent)
}

/// True when `body` is a JSON object without members (`{}`, whitespace aside).
fn is_empty_object(body: &[u8]) -> bool {
    let mut bytes = body.iter().filter(|b| !b.is_ascii_whitespace());
    bytes.next() == Some(&b'{') && bytes.next() == Some(&b'}') && bytes.next().is_none()
}

/// Settings of a server that do not come from the model. The defaults are safe to expose:
/// every limit is on.
///
/// The router holds `body_limit`, `request_timeout` and `sigv4` whatever serves it; the
/// connection limits (`header_read_timeout`, `idle_timeout`, `max_connections`) are held by
/// [`serve_with`] (and the generated `serve`), not by a server the caller brings.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Requests with a larger body are refused with 413. Default 4 MiB.
    pub body_limit: usize,
    /// How long a request may take from its head to its response's head (reading its
    /// body included); a slower one is answered 408 `RequestTimeoutException`. Default
    /// 60 s.
    pub request_timeout: Duration,
    /// How long a client has to send a request head once it starts one; a connection
    /// that takes longer is closed (slow-header attacks). Default 10 s.
    pub header_read_timeout: Duration,
    /// How long a connection may stay open with no request in flight and nothing sent
    /// either way; it is then closed. Default 60 s.
    pub idle_timeout: Duration,
    /// The most connections served at once. At the cap, a new connection closes the one
    /// that has waited longest on its client with no request in flight, or is refused
    /// when every connection has a request in flight. Default 1024 (keep the process's
    /// file descriptor limit above it).
    pub max_connections: usize,
    /// SigV4 verification: off by default (the signer is then read, not verified).
    #[cfg(feature = "sigv4")]
    pub sigv4: Option<SigV4Verifier>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            body_limit: 4 * 1024 * 1024,
            request_timeout: Duration::from_secs(60),
            header_read_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(60),
            max_connections: 1024,
            #[cfg(feature = "sigv4")]
            sigv4: None,
        }
    }
}

impl ServerConfig {
    /// Sets the largest accepted request body, in bytes.
    pub fn with_body_limit(mut self, bytes: usize) -> Self {
        self.body_limit = bytes;
        self
    }

    /// Sets [`request_timeout`](Self::request_timeout).
    pub fn with_request_timeout(mut self, timeout: Duration) -> Self {
        self.request_timeout = timeout;
        self
    }

    /// Sets [`header_read_timeout`](Self::header_read_timeout).
    pub fn with_header_read_timeout(mut self, timeout: Duration) -> Self {
        self.header_read_timeout = timeout;
        self
    }

    /// Sets [`idle_timeout`](Self::idle_timeout).
    pub fn with_idle_timeout(mut self, timeout: Duration) -> Self {
        self.idle_timeout = timeout;
        self
    }

    /// Sets [`max_connections`](Self::max_connections).
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.max_connections = max;
        self
    }

    /// Verifies every request's SigV4 signature: a request that is not signed, or whose
    /// signature does not verify, gets the error AWS answers with
    /// (`MissingAuthenticationTokenException`, `IncompleteSignatureException`,
    /// `UnrecognizedClientException`, `InvalidSignatureException`) before any handler
    /// runs; the handler sees the signer in [`RequestContext::verified_identity`].
    #[cfg(feature = "sigv4")]
    pub fn with_sigv4(mut self, verifier: SigV4Verifier) -> Self {
        self.sigv4 = Some(verifier);
        self
    }
}

/// Who signed a request, as its SigV4 credential scope says: verified when the server
/// verifies signatures ([`RequestContext::verified_identity`]), as stated otherwise
/// ([`RequestContext::identity`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SigningIdentity {
    /// The access key id that signed.
    pub access_key_id: String,
    /// The signing date (`YYYYMMDD`).
    pub date: String,
    /// The region the request was signed for.
    pub region: String,
    /// The signing name of the service.
    pub service: String,
}

impl SigningIdentity {
    /// Reads `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/athena/aws4_request, ...`.
    pub fn from_authorization(value: &str) -> Option<SigningIdentity> {
        let rest = value.strip_prefix("AWS4-HMAC-SHA256")?.trim_start();
        let credential = rest
            .split(',')
            .map(str::trim)
            .find_map(|part| part.strip_prefix("Credential="))?;
        let mut parts = credential.split('/');
        let identity = SigningIdentity {
            access_key_id: parts.next()?.to_string(),
            date: parts.next()?.to_string(),
            region: parts.next()?.to_string(),
            service: parts.next()?.to_string(),
        };
        (parts.next() == Some("aws4_request")).then_some(identity)
    }
}

/// How the operations a partial implementation leaves out answer (the generated
/// `<Service>Partial` trait's `unimplemented`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unimplemented {
    /// From the generated stub (crate feature `stub`); as [`Unimplemented::Error`] without it.
    Stub,
    /// With a `NotImplemented` error (HTTP 501).
    Error,
}

/// The error code of an operation a server does not implement.
pub const NOT_IMPLEMENTED: &str = "NotImplemented";

/// The error an operation a server does not implement answers with (HTTP 501).
pub fn not_implemented(operation: &str) -> crate::error::Unhandled {
    crate::error::Unhandled::new(
        crate::error::ErrorMetadata::builder()
            .code(NOT_IMPLEMENTED)
            .message(format!("This server does not implement `{operation}`."))
            .build(),
    )
}

/// What a handler can know about the request beyond its typed input. New needs become new
/// accessors here (or values in [`extensions`](Self::extensions)), never a trait change.
#[derive(Debug)]
pub struct RequestContext {
    request_id: String,
    operation: &'static str,
    headers: HeaderMap,
    identity: Option<SigningIdentity>,
    /// Whether `identity` was verified ([`ServerConfig::with_sigv4`]).
    verified: bool,
    extensions: http::Extensions,
}

impl RequestContext {
    /// The id this server gave the request (also sent as `x-amzn-requestid`).
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The operation's shape name.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The request's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The SigV4 signer, as the request states it (verified or not).
    pub fn identity(&self) -> Option<&SigningIdentity> {
        self.identity.as_ref()
    }

    /// The SigV4 signer, when this server verified the signature
    /// ([`ServerConfig::with_sigv4`]).
    pub fn verified_identity(&self) -> Option<&SigningIdentity> {
        self.identity.as_ref().filter(|_| self.verified)
    }

    /// The token of an `Authorization: Bearer <token>` header (`@httpBearerAuth`), for the
    /// handler to check.
    pub fn bearer_token(&self) -> Option<&str> {
        let value = self.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
        let (scheme, token) = value.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
    }

    /// The request's extensions: what tower layers in front of the router inserted.
    pub fn extensions(&self) -> &http::Extensions {
        &self.extensions
    }
}

/// A modeled or protocol error, ready to be written.
#[derive(Clone, Debug)]
pub struct ErrorResponse {
    type_name: Box<str>,
    status: u16,
    body: Map<String, Value>,
    /// Headers besides the error type: `@httpHeader` members, `x-amzn-query-error`.
    headers: Vec<(http::HeaderName, String)>,
}

impl ErrorResponse {
    /// A modeled error: its shape name, its HTTP status and its members.
    pub fn modeled<T: HasSchema>(type_name: &str, status: u16, error: &T) -> ErrorResponse {
        match crate::wire::to_value(error) {
            Ok(Value::Object(body)) => ErrorResponse {
                type_name: type_name.into(),
                status,
                body,
                headers: Vec::new(),
            },
            _ => ErrorResponse::internal(),
        }
    }

    /// A modeled error with members bound to headers (restJson1 `@httpHeader`), which move
    /// from the body to the response's headers.
    pub fn modeled_with_bindings<T: HasSchema>(
        type_name: &str,
        status: u16,
        error: &T,
        bindings: &[crate::protocol::Binding],
    ) -> ErrorResponse {
        let mut response = ErrorResponse::modeled(type_name, status, error);
        let (_, headers) = bindings::take_output(&mut response.body, bindings);
        for (name, value) in headers {
            if let Ok(value) = value.to_str() {
                response.headers.push((name, value.to_string()));
            }
        }
        response
    }

    /// An error with just a message.
    pub fn with_message(type_name: &str, status: u16, message: impl Into<String>) -> ErrorResponse {
        let mut body = Map::new();
        body.insert("message".into(), Value::String(message.into()));
        ErrorResponse {
            type_name: type_name.into(),
            status,
            body,
            headers: Vec::new(),
        }
    }

    /// Adds a header to the response.
    pub fn with_header(mut self, name: &'static str, value: impl Into<String>) -> ErrorResponse {
        self.headers
            .push((http::HeaderName::from_static(name), value.into()));
        self
    }

    /// A failure inside the server; says nothing about why.
    pub fn internal() -> ErrorResponse {
        ErrorResponse::with_message("InternalFailure", 500, "An internal error occurred.")
    }

    /// The error as `protocol` sends it: a JSON body with the members (and `__type` for
    /// the awsJson protocols), the status, `X-Amzn-Errortype` and any bound headers.
    pub fn into_response(self, protocol: crate::protocol::Protocol) -> Response {
        let mut body = self.body;
        if protocol.is_aws_json() {
            body.insert("__type".into(), Value::String(self.type_name.to_string()));
        }
        let mut response = Response::new(Body::from(
            serde_json::to_vec(&Value::Object(body)).unwrap_or_default(),
        ));
        *response.status_mut() =
            StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(protocol.content_type()),
        );
        if let Ok(value) = HeaderValue::try_from(&*self.type_name) {
            headers.insert("x-amzn-errortype", value);
        }
        for (name, value) in self.headers {
            if let Ok(value) = HeaderValue::try_from(value) {
                headers.append(name, value);
            }
        }
        response
    }

    /// The response for an error the model does not describe: `NotImplemented` (501)
    /// from [`not_implemented`], the stub's unknown-error answer (400), else an internal
    /// failure (500; what went wrong stays in the server's logs).
    pub fn unhandled(error: &crate::error::Unhandled) -> ErrorResponse {
        let meta = error.meta();
        let message = meta.message().unwrap_or_default();
        match meta.code() {
            Some(NOT_IMPLEMENTED) => ErrorResponse::with_message(NOT_IMPLEMENTED, 501, message),
            // A streamed body that broke off (see [`body_error`]).
            Some(TOO_LARGE) => ErrorResponse::with_message(TOO_LARGE, 413, message),
            Some(UNREADABLE) => ErrorResponse::with_message(UNREADABLE, 400, message),
            #[cfg(feature = "stub")]
            Some(crate::stub::STUB_ERROR_UNKNOWN) => {
                ErrorResponse::with_message(crate::stub::STUB_ERROR_UNKNOWN, 400, message)
            }
            _ => {
                tracing::error!(%error, "unhandled error");
                ErrorResponse::internal()
            }
        }
    }

    /// The error's shape name (`X-Amzn-Errortype`).
    pub fn type_name(&self) -> &str {
        &self.type_name
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status
    }
}

/// What a typed handler produced.
pub enum Outcome {
    /// The output split by its HTTP bindings: the body written, the bound members kept.
    Output(crate::protocol::split::SplitMessage),
    /// An output whose payload is a `@streaming` blob: the other members split as for
    /// [`Outcome::Output`], and the stream, sent as it is read.
    Streaming(crate::protocol::split::SplitMessage, crate::ByteStream),
    /// The output's JSON body, already written (no HTTP-bound members).
    Body(Vec<u8>),
    /// A modeled error (or an internal failure).
    Error(ErrorResponse),
    /// The input was malformed or broke constraints.
    InvalidInput(InputError),
}

impl Outcome {
    /// The outcome for a typed output of `op`. An output with no HTTP-bound members (all
    /// of awsJson's) is written straight to bytes; the others go through their JSON form
    /// so the bound members can be moved to headers and the status.
    pub fn output<T: HasSchema>(op: &OperationSpec, output: &T) -> Outcome {
        if op.output_bindings.is_empty() {
            return match crate::wire::to_vec(output) {
                Ok(body) => Outcome::Body(body),
                Err(_) => Outcome::Error(ErrorResponse::internal()),
            };
        }
        match crate::protocol::split::split_message(
            T::SCHEMA,
            output,
            op.output_bindings,
            true,
            &[],
        ) {
            Ok(message) => Outcome::Output(message),
            Err(_) => Outcome::Error(ErrorResponse::internal()),
        }
    }

    /// The outcome for a typed output of `op` whose `@streaming` payload, `body`, has
    /// been taken out of it.
    pub fn streaming<T: HasSchema>(
        op: &OperationSpec,
        output: &T,
        body: crate::ByteStream,
    ) -> Outcome {
        match Outcome::output(op, output) {
            Outcome::Output(message) => Outcome::Streaming(message, body),
            other => other,
        }
    }
}

type BoxFuture = Pin<Box<dyn Future<Output = Outcome> + Send>>;
type Handler = Arc<dyn Fn(Request, RequestContext) -> BoxFuture + Send + Sync>;

struct Route {
    op: &'static OperationSpec,
    pattern: Option<uri::UriPattern>,
    handler: Handler,
}

/// The router of one service: generated code adds one typed handler per operation.
pub struct ServiceRouter {
    spec: &'static ServiceSpec,
    config: ServerConfig,
    routes: Vec<Route>,
}

static REQUEST_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A request id unique within this process and unlikely to repeat across runs.
fn new_request_id() -> String {
    use std::hash::{BuildHasher, Hasher};
    let n = REQUEST_COUNTER.fetch_add(1, Ordering::Relaxed);
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(n);
    let high = hasher.finish();
    let low = n ^ (high.rotate_left(17));
    let hex = format!("{high:016x}{low:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

impl ServiceRouter {
    /// A router with no operations yet.
    pub fn new(spec: &'static ServiceSpec, config: ServerConfig) -> ServiceRouter {
        ServiceRouter {
            spec,
            config,
            routes: Vec::new(),
        }
    }

    /// Adds an operation. `handler` gets the request, its body read and checked;
    /// generated code reads the typed input from it ([`read_input`]).
    pub fn route<F, Fut>(mut self, op: &'static OperationSpec, handler: F) -> ServiceRouter
    where
        F: Fn(Request, RequestContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        let pattern = op
            .http
            .as_ref()
            .map(|http| uri::UriPattern::parse(http.uri));
        self.routes.push(Route {
            op,
            pattern,
            handler: Arc::new(move |input, ctx| Box::pin(handler(input, ctx))),
        });
        self
    }

    /// Adds an operation served by a function of the shared `service` (generated code
    /// passes one `async fn` per operation).
    pub fn route_with<S, F, Fut>(
        self,
        op: &'static OperationSpec,
        service: &Arc<S>,
        handler: F,
    ) -> ServiceRouter
    where
        S: Send + Sync + 'static,
        F: Fn(Arc<S>, Request, RequestContext) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Outcome> + Send + 'static,
    {
        let service = Arc::clone(service);
        self.route(op, move |request, context| {
            handler(Arc::clone(&service), request, context)
        })
    }

    /// An `axum::Router` serving every route (so any tower layer or axum middleware
    /// composes with it).
    pub fn into_router(mut self) -> axum::Router {
        // The first route that matches a request serves it, so the most specific come
        // first (`GET /layers?find=LayerVersion` before `GET /layers`); ties keep the
        // model's order.
        self.routes.sort_by_key(|route| {
            std::cmp::Reverse(route.pattern.as_ref().map(uri::UriPattern::specificity))
        });
        let this = Arc::new(self);
        axum::Router::new().fallback(move |request: axum::extract::Request| {
            let this = Arc::clone(&this);
            async move { this.handle(request).await }
        })
    }

    async fn handle(&self, request: axum::extract::Request) -> Response {
        let started = Instant::now();
        let request_id = new_request_id();
        let (parts, body) = request.into_parts();
        let (operation, response) = match self.find_route(&parts) {
            Err(error) => ("-", self.error_response(error)),
            Ok((route, labels, query)) => {
                let name = route.op.name;
                let run = self.run(route, parts, body, labels, query, request_id.clone());
                // The timeout needs tokio's timer: a router polled outside a tokio runtime
                // (a test, another executor) runs without it rather than panicking.
                let timed = match tokio::runtime::Handle::try_current() {
                    Ok(_) => tokio::time::timeout(self.config.request_timeout, run).await,
                    Err(_) => Ok(run.await),
                };
                let response = match timed {
                    Ok(response) => response,
                    Err(_) => {
                        tracing::warn!(operation = name, "request timed out");
                        self.error_response(ErrorResponse::with_message(
                            "RequestTimeoutException",
                            408,
                            "The request did not complete within the server's request timeout.",
                        ))
                    }
                };
                (name, response)
            }
        };
        let mut response = response;
        if let Ok(value) = HeaderValue::try_from(request_id.as_str()) {
            response.headers_mut().insert("x-amzn-requestid", value);
        }
        tracing::info!(
            operation,
            status = response.status().as_u16(),
            request_id = %request_id,
            elapsed_us = started.elapsed().as_micros() as u64,
            "request"
        );
        response
    }

    #[allow(clippy::type_complexity)]
    fn find_route(
        &self,
        parts: &http::request::Parts,
    ) -> Result<(&Route, Vec<(String, String)>, Vec<(String, String)>), ErrorResponse> {
        if self.spec.protocol.is_aws_json() {
            let unknown = || {
                ErrorResponse::with_message(
                    "UnknownOperationException",
                    400,
                    "The operation is not known to this service.",
                )
            };
            if parts.method != http::Method::POST || parts.uri.path() != "/" {
                return Err(unknown());
            }
            let target = parts
                .headers
                .get("x-amz-target")
                .and_then(|v| v.to_str().ok())
                .ok_or_else(unknown)?;
            let (service, operation) = target.split_once('.').ok_or_else(unknown)?;
            if service != self.spec.service_name {
                return Err(unknown());
            }
            let route = self
                .routes
                .iter()
                .find(|r| r.op.name == operation)
                .ok_or_else(unknown)?;
            return Ok((route, Vec::new(), Vec::new()));
        }
        let query = uri::parse_query(parts.uri.query().unwrap_or("")).ok_or_else(|| {
            ErrorResponse::with_message(
                "SerializationException",
                400,
                "The query string is not valid percent-encoded UTF-8.",
            )
        })?;
        let path = parts.uri.path();
        let mut path_matched = false;
        for route in &self.routes {
            let (Some(pattern), Some(http)) = (&route.pattern, &route.op.http) else {
                continue;
            };
            if let Some(labels) = pattern.matches(path, &query) {
                if http.method.eq_ignore_ascii_case(parts.method.as_str()) {
                    return Ok((route, labels, query));
                }
                path_matched = true;
            }
        }
        Err(if path_matched {
            ErrorResponse::with_message(
                "MethodNotAllowedException",
                405,
                "The method is not allowed on this resource.",
            )
        } else {
            ErrorResponse::with_message(
                "UnknownOperationException",
                404,
                "No operation matches this request.",
            )
        })
    }

    async fn run(
        &self,
        route: &Route,
        parts: http::request::Parts,
        body: Body,
        labels: Vec<(String, String)>,
        query: Vec<(String, String)>,
        request_id: String,
    ) -> Response {
        let op = route.op;
        if let Some(reason) = op.unsupported {
            return self.error_response(ErrorResponse::with_message(NOT_IMPLEMENTED, 501, reason));
        }
        let (input, verified) = match self.receive(op, &parts, body, labels, query).await {
            Ok(received) => received,
            Err(error) => return self.error_response(error),
        };
        let identity = verified.clone().or_else(|| {
            parts
                .headers
                .get(header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(SigningIdentity::from_authorization)
        });
        let ctx = RequestContext {
            request_id,
            operation: op.name,
            headers: parts.headers,
            identity,
            verified: verified.is_some(),
            extensions: parts.extensions,
        };
        let outcome = AssertUnwindSafe((route.handler)(input, ctx))
            .catch_unwind()
            .await;
        match outcome {
            Ok(outcome) => self.outcome_response(op, outcome),
            Err(_) => {
                tracing::error!(operation = op.name, "handler panicked");
                self.error_response(ErrorResponse::internal())
            }
        }
    }

    /// The response for what a handler of `op` produced.
    fn outcome_response(&self, op: &OperationSpec, outcome: Outcome) -> Response {
        match outcome {
            Outcome::Output(output) => self.output_response(op, output, None),
            Outcome::Streaming(output, body) => self.output_response(op, output, Some(body)),
            Outcome::Body(body) => self.body_response(op, body),
            Outcome::Error(error) => self.error_response(error),
            Outcome::InvalidInput(error) => self.error_response(input_error_response(op, error)),
        }
    }

    /// The request for a handler: the body read whole (within the size limit, decoded)
    /// and of the content type the operation takes; with the signer, when the server
    /// verifies signatures (checked on the body as received, before anything else of it).
    async fn receive(
        &self,
        op: &'static OperationSpec,
        parts: &http::request::Parts,
        body: Body,
        labels: Vec<(String, String)>,
        query: Vec<(String, String)>,
    ) -> Result<(Request, Option<SigningIdentity>), ErrorResponse> {
        let declared = parts
            .headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        if declared.is_some_and(|n| n > self.config.body_limit) {
            return Err(BodyError::TooLarge.response());
        }
        let verified;
        // A streamed payload is left to the handler to read; whether it is empty is
        // known from its stated length.
        let (bytes, stream, decoded_headers, empty) = match op.input_streaming {
            Some(streaming) => {
                let length = http_body::Body::size_hint(&body)
                    .exact()
                    .or(declared.map(|n| n as u64));
                if streaming.requires_length && length.is_none() {
                    return Err(ErrorResponse::with_message(
                        "LengthRequiredException",
                        411,
                        "The request must state its Content-Length.",
                    ));
                }
                let empty = length == Some(0);
                // A streamed body is hashed for its signature only when the request
                // states no hash: it is then read whole (within the limit) first.
                if self.must_hash_stream(parts) {
                    let bytes = read_body(body, self.config.body_limit)
                        .await
                        .map_err(BodyError::response)?;
                    verified = self.verify(parts, Some(&bytes))?;
                    let stream = (!bytes.is_empty()).then(|| crate::ByteStream::from(bytes));
                    (bytes::Bytes::new(), stream, None, empty)
                } else {
                    verified = self.verify(parts, None)?;
                    let stream =
                        (!empty).then(|| limited_stream(body, self.config.body_limit, length));
                    (bytes::Bytes::new(), stream, None, empty)
                }
            }
            None => {
                let bytes = read_body(body, self.config.body_limit)
                    .await
                    .map_err(BodyError::response)?;
                verified = self.verify(parts, Some(&bytes))?;
                // A gzip-encoded body (`@requestCompression`) is read decoded; the
                // encoding it had leaves `Content-Encoding`, which a member may be bound
                // to.
                let (bytes, decoded) =
                    gunzip_if_encoded(&parts.headers, bytes, self.config.body_limit)
                        .map_err(BodyError::response)?;
                let empty = bytes.is_empty();
                (bytes, None, decoded, empty)
            }
        };
        let content_type = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(|v| {
                v.split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase()
            });
        let payload = bindings::payload(op.input_bindings);
        // restJson1: the content type the input's body must have (`None`: any).
        let expected = match payload {
            Some((_, PayloadKind::Text)) => Some(op.input_media_type.unwrap_or("text/plain")),
            Some((_, PayloadKind::Blob)) => op.input_media_type,
            _ => Some(self.spec.protocol.content_type()),
        };
        let unsupported = || {
            ErrorResponse::with_message(
                "UnsupportedMediaTypeException",
                415,
                "The request's content type is not supported.",
            )
        };
        if self.spec.protocol.is_aws_json() {
            if content_type.as_deref() != expected {
                return Err(unsupported());
            }
        } else if payload.is_none() && op.input_body != InputBody::Json {
            // No member goes in the body, which is ignored. A body with a content type (or
            // any content type without input) is one the operation does not take
            // (RestJsonWithoutBodyExpectsEmptyContentType); an input without members
            // takes anything (RestJsonEmptyInputAndEmptyOutputWithJson).
            let refused = match op.input_body {
                InputBody::None => content_type.is_some(),
                InputBody::Bound => content_type.is_some() && !empty,
                InputBody::Empty | InputBody::Json => false,
            };
            if refused {
                return Err(unsupported());
            }
        } else if !empty {
            // A body needs its content type: a missing one is as wrong as another one
            // (Smithy's RestJsonWithBodyExpectsApplicationJsonContentTypeNoHeaders).
            if let Some(expected) = expected {
                if !content_type
                    .as_deref()
                    .is_some_and(|c| c.eq_ignore_ascii_case(expected))
                {
                    return Err(unsupported());
                }
            }
        }
        if !self.spec.protocol.is_aws_json() {
            check_accept(op, &parts.headers)?;
        }
        // Headers are kept for the members bound to them.
        let binds_headers = op
            .input_bindings
            .iter()
            .any(|b| matches!(b.location, Location::Header(_) | Location::PrefixHeaders(_)));
        let headers = match (binds_headers, decoded_headers) {
            (false, _) => HeaderMap::new(),
            (true, Some(decoded)) => decoded,
            (true, None) => parts.headers.clone(),
        };
        let request = Request {
            op,
            aws_json: self.spec.protocol.is_aws_json(),
            body: bytes,
            labels,
            query,
            headers,
            stream,
        };
        Ok((request, verified))
    }

    /// The verified signer, when this server verifies signatures (`body` as received;
    /// `None` for a stream left unread).
    #[cfg_attr(not(feature = "sigv4"), allow(unused_variables))]
    fn verify(
        &self,
        parts: &http::request::Parts,
        body: Option<&[u8]>,
    ) -> Result<Option<SigningIdentity>, ErrorResponse> {
        #[cfg(feature = "sigv4")]
        if let Some(verifier) = &self.config.sigv4 {
            return verifier
                .verify(self.spec.protocol, self.spec.signing_name, parts, body)
                .map(Some);
        }
        Ok(None)
    }

    /// Whether a streamed input must be read whole to verify its signature (the request
    /// states no payload hash).
    #[cfg_attr(not(feature = "sigv4"), allow(unused_variables))]
    fn must_hash_stream(&self, parts: &http::request::Parts) -> bool {
        #[cfg(feature = "sigv4")]
        if let Some(verifier) = &self.config.sigv4 {
            return verifier.needs_body(parts);
        }
        false
    }

    /// A success response whose body is already written.
    fn body_response(&self, op: &OperationSpec, body: Vec<u8>) -> Response {
        let mut response = Response::new(Body::from(body));
        let status = op.http.as_ref().map_or(200, |h| h.code);
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(self.spec.protocol.content_type()),
        );
        response
    }

    fn output_response(
        &self,
        op: &OperationSpec,
        output: crate::protocol::split::SplitMessage,
        stream: Option<crate::ByteStream>,
    ) -> Response {
        let crate::protocol::split::SplitMessage {
            body: written,
            bound: mut object,
        } = output;
        let (status, headers) = bindings::take_output(&mut object, op.output_bindings);
        let status = status.or(op.http.as_ref().map(|h| h.code)).unwrap_or(200);
        let (body, content_type) = match (bindings::payload(op.output_bindings), stream) {
            (Some(_), Some(stream)) => (
                stream_body(stream),
                Some(op.output_media_type.unwrap_or("application/octet-stream")),
            ),
            (payload, _) => {
                let (body, content_type) = self.written_body(op, payload, &mut object, written);
                (Body::from(body), content_type)
            }
        };
        let mut response = Response::new(body);
        *response.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
        if let Some(content_type) = content_type {
            response
                .headers_mut()
                .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        }
        for (name, value) in headers {
            // A member bound to `Content-Type` wins over the protocol's.
            if name == header::CONTENT_TYPE {
                response.headers_mut().insert(name, value);
            } else {
                response.headers_mut().append(name, value);
            }
        }
        response
    }

    /// The body of an output that does not stream, and its content type.
    fn written_body(
        &self,
        op: &OperationSpec,
        payload: Option<(&'static str, PayloadKind)>,
        object: &mut serde_json::Map<String, Value>,
        written: Vec<u8>,
    ) -> (Vec<u8>, Option<&'static str>) {
        match payload {
            Some((member, kind)) => match (object.remove(member), kind) {
                (None | Some(Value::Null), _) => (Vec::new(), None),
                (Some(Value::String(text)), PayloadKind::Text) => (
                    text.into_bytes(),
                    Some(op.output_media_type.unwrap_or("text/plain")),
                ),
                (Some(Value::String(text)), PayloadKind::Blob) => (
                    crate::base64::decode(&text).unwrap_or_default(),
                    Some(op.output_media_type.unwrap_or("application/octet-stream")),
                ),
                (Some(value), _) => (
                    serde_json::to_vec(&value).unwrap_or_default(),
                    Some(self.spec.protocol.content_type()),
                ),
            },
            // The body members, or `{}` when every member is bound.
            None if written.is_empty() => (b"{}".to_vec(), Some(self.spec.protocol.content_type())),
            None => (written, Some(self.spec.protocol.content_type())),
        }
    }

    fn error_response(&self, error: ErrorResponse) -> Response {
        error.into_response(self.spec.protocol)
    }
}

/// The response the router of `spec` writes when a handler of `op` produces `outcome`:
/// what a handler's result looks like on the wire, without a request.
pub fn outcome_response(
    spec: &'static ServiceSpec,
    op: &'static OperationSpec,
    outcome: Outcome,
) -> Response {
    ServiceRouter::new(spec, ServerConfig::default()).outcome_response(op, outcome)
}

/// restJson1's `Accept` check: a request that accepts none of the content types the
/// output can have gets 406.
fn check_accept(op: &OperationSpec, headers: &HeaderMap) -> Result<(), ErrorResponse> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let produced = match bindings::payload(op.output_bindings) {
        Some((_, PayloadKind::Text)) => op.output_media_type.unwrap_or("text/plain"),
        Some((_, PayloadKind::Blob)) => match op.output_media_type {
            Some(media) => media,
            None => return Ok(()),
        },
        _ => "application/json",
    };
    let (kind, _) = produced.split_once('/').unwrap_or((produced, ""));
    let acceptable = accept.split(',').any(|range| {
        let range = range.split(';').next().unwrap_or("").trim();
        range == "*/*"
            || range.eq_ignore_ascii_case(produced)
            || range
                .strip_suffix("/*")
                .is_some_and(|t| t.eq_ignore_ascii_case(kind))
    });
    if acceptable {
        Ok(())
    } else {
        Err(ErrorResponse::with_message(
            "NotAcceptableException",
            406,
            "The request accepts none of the response's content types.",
        ))
    }
}

/// Why a request body could not be read whole.
enum BodyError {
    /// More than the limit.
    TooLarge,
    /// The body's framing broke off (bad chunked encoding, early end of the connection), or
    /// its encoding did not decode; the message says which to the client.
    Unreadable(&'static str),
}

impl BodyError {
    /// One response per way a body fails, wherever it failed (the declared length, the
    /// read, the decoding).
    fn response(self) -> ErrorResponse {
        match self {
            BodyError::TooLarge => {
                ErrorResponse::with_message(TOO_LARGE, 413, "The request body is too large.")
            }
            // The client's fault, but not a body that is too large.
            BodyError::Unreadable(message) => ErrorResponse::with_message(UNREADABLE, 400, message),
        }
    }
}

/// Without the `gzip` feature no body is decoded (a gzip body then fails to parse).
#[cfg(not(feature = "gzip"))]
fn gunzip_if_encoded(
    _: &HeaderMap,
    body: bytes::Bytes,
    _: usize,
) -> Result<(bytes::Bytes, Option<HeaderMap>), BodyError> {
    Ok((body, None))
}

/// The body decoded when `Content-Encoding` ends in `gzip`, with the headers less that
/// encoding; the body as it is otherwise.
#[cfg(feature = "gzip")]
fn gunzip_if_encoded(
    headers: &HeaderMap,
    body: bytes::Bytes,
    limit: usize,
) -> Result<(bytes::Bytes, Option<HeaderMap>), BodyError> {
    use std::io::Read as _;
    let Some(encoding) = headers
        .get(header::CONTENT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Ok((body, None));
    };
    let mut codings: Vec<&str> = encoding.split(',').map(str::trim).collect();
    if !codings
        .last()
        .is_some_and(|c| c.eq_ignore_ascii_case("gzip"))
    {
        return Ok((body, None));
    }
    codings.pop();
    let mut decoded = Vec::new();
    flate2::read::GzDecoder::new(&body[..])
        .take(limit as u64 + 1)
        .read_to_end(&mut decoded)
        .map_err(|_| BodyError::Unreadable("The request body is not valid gzip."))?;
    if decoded.len() > limit {
        return Err(BodyError::TooLarge);
    }
    let mut headers = headers.clone();
    match codings.is_empty() {
        true => {
            headers.remove(header::CONTENT_ENCODING);
        }
        false => {
            if let Ok(value) = HeaderValue::try_from(codings.join(", ")) {
                headers.insert(header::CONTENT_ENCODING, value);
            }
        }
    }
    Ok((bytes::Bytes::from(decoded), Some(headers)))
}

/// A response body from a stream: whole when its bytes are in memory, else sent as it is
/// read (with its length, when it states one).
fn stream_body(stream: crate::ByteStream) -> Body {
    match stream.bytes() {
        Some(bytes) => Body::from(bytes::Bytes::copy_from_slice(bytes)),
        None => Body::new(StreamedBody(stream)),
    }
}

/// A [`crate::ByteStream`] as an `http_body::Body`: its chunks are the data frames, and its
/// length (when stated) is the exact size hint hyper writes as `Content-Length`.
struct StreamedBody(crate::ByteStream);

impl http_body::Body for StreamedBody {
    type Data = bytes::Bytes;
    type Error = crate::ByteStreamError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
        use futures_core::Stream as _;
        Pin::new(&mut self.get_mut().0)
            .poll_next(cx)
            .map(|chunk| chunk.map(|chunk| chunk.map(http_body::Frame::data)))
    }

    fn size_hint(&self) -> http_body::SizeHint {
        match self.0.content_length() {
            Some(length) => http_body::SizeHint::with_exact(length),
            None => http_body::SizeHint::default(),
        }
    }
}

/// Why a streamed request body stopped: more than the server's body limit came.
#[derive(Debug)]
struct BodyTooLarge;

impl std::fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("The request body is too large.")
    }
}

impl std::error::Error for BodyTooLarge {}

/// The error for a streamed request body that could not be read, for a handler to
/// return: `RequestEntityTooLargeException` (413) past the body limit, else
/// `SerializationException` (400).
pub fn body_error(error: &crate::ByteStreamError) -> crate::error::Unhandled {
    use std::error::Error as _;
    let too_large = error
        .source()
        .is_some_and(|source| source.downcast_ref::<BodyTooLarge>().is_some());
    let (code, message) = match too_large {
        true => (TOO_LARGE, BodyTooLarge.to_string()),
        false => (
            UNREADABLE,
            format!("The request body could not be read: {error}"),
        ),
    };
    crate::error::Unhandled::new(
        crate::error::ErrorMetadata::builder()
            .code(code)
            .message(message)
            .build(),
    )
}

const TOO_LARGE: &str = "RequestEntityTooLargeException";
const UNREADABLE: &str = "SerializationException";

/// A request body as a stream that fails once more than `limit` bytes have come.
fn limited_stream(body: Body, limit: usize, length: Option<u64>) -> crate::ByteStream {
    use futures_util::StreamExt as _;
    let mut seen = 0usize;
    let chunks = body.into_data_stream().map(move |chunk| {
        let chunk = chunk.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
        seen = seen.saturating_add(chunk.len());
        if seen > limit {
            return Err(Box::new(BodyTooLarge) as Box<dyn std::error::Error + Send + Sync>);
        }
        Ok(chunk)
    });
    match length {
        Some(length) => crate::ByteStream::from_stream_with_length(chunks, length),
        None => crate::ByteStream::from_stream(chunks),
    }
}

/// Reads a whole body, refusing more than `limit` bytes.
async fn read_body(body: Body, limit: usize) -> Result<bytes::Bytes, BodyError> {
    use futures_util::StreamExt as _;
    let mut stream = body.into_data_stream();
    let mut buffer = bytes::BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|_| BodyError::Unreadable("The request body could not be read."))?;
        if buffer.len() + chunk.len() > limit {
            return Err(BodyError::TooLarge);
        }
        buffer.extend_from_slice(&chunk);
    }
    Ok(buffer.freeze())
}

/// The error response for a malformed or invalid input.
pub fn input_error_response(op: &OperationSpec, error: InputError) -> ErrorResponse {
    match error {
        InputError::Malformed(e) => {
            ErrorResponse::with_message("SerializationException", 400, e.to_string())
        }
        InputError::Invalid(e) => {
            let mut response = ErrorResponse::with_message("ValidationException", 400, e.message());
            if op.validation == ValidationStyle::Framework {
                let fields = e
                    .violations()
                    .iter()
                    .map(|v| serde_json::json!({ "path": v.path, "message": v.message }))
                    .collect();
                response
                    .body
                    .insert("fieldList".into(), Value::Array(fields));
            }
            response
        }
    }
}

/// Completes on Ctrl-C (or SIGTERM on Unix): a ready-made `shutdown` for [`serve`].
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Kind;
    use crate::{DateTime, TimestampFormat};

    static STRING: Schema = Schema::of(Kind::String);
    static NAME: Schema = Schema::of(Kind::String).length(Some(2), Some(8));
    static COUNT: Schema = Schema::of(Kind::Integer).range(Some("1"), Some("9"));
    static TAGS: Schema = Schema::list(&NAME, false);
    static WHEN: Schema = Schema::of(Kind::Timestamp(TimestampFormat::DateTime));
    static META: Schema = Schema::map(&STRING, &NAME, false);
    static INTEGER: Schema = Schema::of(Kind::Integer);
    // An input as generated code writes it: `id` (a label) and `name` (in the body) are
    // required.
    test_structure!(Input: INPUT, {
        0 => id: String = required("id", &NAME),
        1 => count: Option<i32> = optional("count", &COUNT),
        2 => tags: Option<Vec<String>> = optional("tags", &TAGS),
        3 => when: Option<DateTime> = optional("when", &WHEN),
        4 => meta: Option<std::collections::HashMap<String, String>> = optional("meta", &META),
        5 => name: String = required("name", &NAME),
        6 => size: Option<i32> = optional("size", &INTEGER),
    });

    static OP: OperationSpec = OperationSpec::for_test(
        "Put",
        None,
        &[
            Binding {
                member: "id",
                location: Location::Label,
                value: Scalar::String,
            },
            Binding {
                member: "count",
                location: Location::Query("count"),
                value: Scalar::Integer,
            },
            Binding {
                member: "tags",
                location: Location::Query("tag"),
                value: Scalar::List(&Scalar::String),
            },
            Binding {
                member: "when",
                location: Location::Header("x-when"),
                value: Scalar::Timestamp {
                    wire: TimestampFormat::HttpDate,
                    json: TimestampFormat::DateTime,
                },
            },
            Binding {
                member: "meta",
                location: Location::PrefixHeaders("x-meta-"),
                value: Scalar::String,
            },
        ],
        &[],
    );

    fn request(body: &str, query: &[(&str, &str)], headers: &[(&str, &str)]) -> Request {
        let pairs = |items: &[(&str, &str)]| -> Vec<(String, String)> {
            items
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            map.append(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                HeaderValue::from_str(value).unwrap(),
            );
        }
        Request {
            op: &OP,
            aws_json: false,
            body: bytes::Bytes::from(body.to_owned()),
            labels: pairs(&[("id", "abc")]),
            query: pairs(query),
            headers: map,
            stream: None,
        }
    }

    fn malformed(request: &Request) -> MalformedError {
        match read_input::<Input>(request) {
            Err(InputError::Malformed(error)) => error,
            other => panic!("{other:?}"),
        }
    }

    fn violations(request: &Request) -> Vec<(String, String)> {
        match read_input::<Input>(request) {
            Err(InputError::Invalid(error)) => error
                .violations()
                .iter()
                .map(|v| (v.path.clone(), v.message.clone()))
                .collect(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_the_body_and_every_binding() {
        let request = request(
            r#"{"name": "abcd", "size": 3, "unknown": [1, {"x": null}]}"#,
            &[("count", "4"), ("tag", "ab"), ("tag", "cd")],
            &[
                ("x-when", "Tue, 29 Apr 2014 18:30:38 GMT"),
                ("x-meta-one", "first"),
                ("x-meta-two", "second"),
            ],
        );
        let input = read_input::<Input>(&request).unwrap();
        assert_eq!(
            input,
            Input {
                id: "abc".into(),
                count: Some(4),
                tags: Some(vec!["ab".into(), "cd".into()]),
                when: Some(DateTime::from_secs(1_398_796_238)),
                meta: Some(
                    [("one", "first"), ("two", "second")]
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v.to_string()))
                        .collect()
                ),
                name: "abcd".into(),
                size: Some(3),
            }
        );
    }

    // API Gateway's PutIntegration: an `httpMethod` label beside a body member whose
    // `@jsonName` is also `httpMethod` (and, in the output, a header member named like a
    // body member's wire name).
    test_structure!(Integration: INTEGRATION, {
        0 => http_method: String = required("httpMethod", &STRING).http(),
        1 => integration_http_method: Option<String> = optional("httpMethod", &STRING),
        2 => request_id: Option<String> = optional("requestId", &STRING).http(),
        3 => body_request_id: Option<String> = optional("requestId", &STRING),
    });

    static REST_SPEC: ServiceSpec = ServiceSpec {
        protocol: crate::protocol::Protocol::RestJson1,
        service_name: "ApiGateway",
        signing_name: None,
    };

    static PUT_INTEGRATION: OperationSpec = OperationSpec::for_test(
        "PutIntegration",
        Some(crate::protocol::HttpTrait {
            method: "PUT",
            uri: "/resources/{httpMethod}/integration",
            code: 201,
        }),
        &[Binding {
            member: "httpMethod",
            location: Location::Label,
            value: Scalar::String,
        }],
        &[Binding {
            member: "requestId",
            location: Location::Header("x-request-id"),
            value: Scalar::String,
        }],
    );

    #[test]
    fn an_unsupported_operation_answers_501_without_calling_its_handler() {
        static STREAMING: OperationSpec = OperationSpec {
            unsupported: Some("`Subscribe` streams events"),
            ..OperationSpec::for_test(
                "Subscribe",
                Some(crate::protocol::HttpTrait {
                    method: "POST",
                    uri: "/subscribe",
                    code: 200,
                }),
                &[],
                &[],
            )
        };
        let called = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let seen = Arc::clone(&called);
        let router = ServiceRouter::new(&REST_SPEC, ServerConfig::default())
            .route(&STREAMING, move |_, _| {
                seen.store(true, Ordering::SeqCst);
                async { Outcome::Body(Vec::new()) }
            })
            .into_router();
        let request = axum::extract::Request::builder()
            .method("POST")
            .uri("/subscribe")
            .body(Body::from("{}"))
            .unwrap();
        let response =
            futures_util::FutureExt::now_or_never(tower::ServiceExt::oneshot(router, request))
                .expect("answered at once")
                .unwrap();
        assert_eq!(response.status(), 501);
        assert_eq!(response.headers()["x-amzn-errortype"], NOT_IMPLEMENTED);
        assert!(!called.load(Ordering::SeqCst));
    }

    #[test]
    fn members_sharing_a_wire_name_are_told_apart_by_location() {
        let request = Request {
            op: &PUT_INTEGRATION,
            aws_json: false,
            body: bytes::Bytes::from_static(br#"{"httpMethod": "POST"}"#),
            labels: vec![("httpMethod".into(), "GET".into())],
            query: Vec::new(),
            headers: HeaderMap::new(),
            stream: None,
        };
        let input = read_input::<Integration>(&request).unwrap();
        assert_eq!(input.http_method, "GET");
        assert_eq!(input.integration_http_method.as_deref(), Some("POST"));

        let output = Integration {
            http_method: "GET".into(),
            integration_http_method: Some("POST".into()),
            request_id: Some("header-id".into()),
            body_request_id: Some("body-id".into()),
        };
        let response = outcome_response(
            &REST_SPEC,
            &PUT_INTEGRATION,
            Outcome::output(&PUT_INTEGRATION, &output),
        );
        assert_eq!(response.status(), 201);
        assert_eq!(response.headers()["x-request-id"], "header-id");
        let body = futures_util::FutureExt::now_or_never(axum::body::to_bytes(
            response.into_body(),
            1 << 16,
        ))
        .unwrap()
        .unwrap();
        let body: Value = serde_json::from_slice(&body).unwrap();
        // The label member is not in an output's body by binding, so it stays there; the
        // body member named like the header member keeps its own value.
        assert_eq!(body["requestId"], "body-id");
        assert_eq!(body["httpMethod"], "POST");
    }

    #[test]
    fn bound_members_break_constraints_at_their_paths() {
        let request = request(
            r#"{"name": "abcd"}"#,
            &[("count", "10"), ("tag", "a")],
            &[("x-meta-k", "toolongvalue")],
        );
        assert_eq!(
            violations(&request),
            [
                (
                    "/count".to_string(),
                    "Value at '/count' failed to satisfy constraint: Member must be between 1 and 9, inclusive".to_string()
                ),
                (
                    "/tags/0".to_string(),
                    "Value with length 1 at '/tags/0' failed to satisfy constraint: Member must have length between 2 and 8, inclusive".to_string()
                ),
                (
                    "/meta/k".to_string(),
                    "Value with length 12 at '/meta/k' failed to satisfy constraint: Member must have length between 2 and 8, inclusive".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_required_member_left_out_is_reported_once() {
        // `name` reads as "" in the typed input; it is not also too short.
        for body in ["", "{}", r#"{"name": null}"#] {
            assert_eq!(
                violations(&request(body, &[], &[])),
                [(
                    "/name".to_string(),
                    "Value at '/name' failed to satisfy constraint: Member must not be null"
                        .to_string()
                )],
                "body: {body:?}"
            );
        }
    }

    #[test]
    fn malformed_input_says_where() {
        type Pairs<'a> = &'a [(&'a str, &'a str)];
        let cases: [(&str, Pairs<'_>, Pairs<'_>, &str); 7] = [
            (r#"{"name": 5}"#, &[], &[], "/name"),
            (r#"{"name": "ab", "size": 1.5}"#, &[], &[], "/size"),
            (r#"{"name": "ab"}"#, &[("count", "x")], &[], "/count"),
            (
                r#"{"name": "ab"}"#,
                &[("count", "3000000000")],
                &[],
                "/count",
            ),
            (
                r#"{"name": "ab"}"#,
                &[],
                &[("x-when", "yesterday")],
                "/when",
            ),
            ("[1]", &[], &[], ""),
            (r#"{"name": "ab""#, &[], &[], ""),
        ];
        for (body, query, headers, path) in cases {
            let error = malformed(&request(body, query, headers));
            assert_eq!(error.path, path, "{body} {query:?} {headers:?}: {error}");
        }
        assert_eq!(
            malformed(&request("[1]", &[], &[])).reason,
            "The body must be a JSON object."
        );
        assert!(
            malformed(&request(r#"{"name": "ab""#, &[], &[]))
                .reason
                .starts_with("The body is not valid JSON: ")
        );
    }

    #[test]
    fn reads_sigv4_identity() {
        let id = SigningIdentity::from_authorization(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-west-2/athena/aws4_request, SignedHeaders=host, Signature=abc",
        )
        .unwrap();
        assert_eq!(id.access_key_id, "AKIDEXAMPLE");
        assert_eq!(id.region, "us-west-2");
        assert_eq!(id.service, "athena");
        assert_eq!(SigningIdentity::from_authorization("Bearer x"), None);
    }

    #[test]
    fn handlers_read_a_bearer_token() {
        let context = |authorization: Option<&'static str>| {
            let mut headers = HeaderMap::new();
            if let Some(value) = authorization {
                headers.insert(header::AUTHORIZATION, HeaderValue::from_static(value));
            }
            RequestContext {
                request_id: String::new(),
                operation: "Get",
                headers,
                identity: None,
                verified: false,
                extensions: http::Extensions::new(),
            }
        };
        assert_eq!(context(Some("Bearer t0k3n")).bearer_token(), Some("t0k3n"));
        assert_eq!(
            context(Some("bearer  spaced ")).bearer_token(),
            Some("spaced")
        );
        assert_eq!(context(Some("Basic dXNlcg==")).bearer_token(), None);
        assert_eq!(context(None).bearer_token(), None);
    }

    #[test]
    fn request_ids_differ() {
        assert_ne!(new_request_id(), new_request_id());
        assert_eq!(new_request_id().len(), 36);
    }

    #[cfg(feature = "gzip")]
    fn gzip(bytes: &[u8]) -> bytes::Bytes {
        use std::io::Write as _;
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(bytes).unwrap();
        bytes::Bytes::from(encoder.finish().unwrap())
    }

    #[cfg(feature = "gzip")]
    fn encoded(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_ENCODING, value.parse().unwrap());
        headers
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn gzip_bodies_are_decoded_and_leave_content_encoding() {
        let body = gzip(br#"{"data":"x"}"#);
        let (decoded, headers) = gunzip_if_encoded(&encoded("gzip"), body.clone(), 1024)
            .unwrap_or_else(|_| panic!("decodes"));
        assert_eq!(&decoded[..], br#"{"data":"x"}"#);
        assert!(!headers.unwrap().contains_key(header::CONTENT_ENCODING));
        // An encoding before gzip stays for a member bound to the header.
        let (_, headers) = gunzip_if_encoded(&encoded("custom, gzip"), body.clone(), 1024)
            .unwrap_or_else(|_| panic!("decodes"));
        assert_eq!(headers.unwrap()[header::CONTENT_ENCODING], "custom");
        // Not gzip last: the body is left as it came.
        let (same, headers) = gunzip_if_encoded(&encoded("gzip, custom"), body.clone(), 1024)
            .unwrap_or_else(|_| panic!("untouched"));
        assert_eq!(same, body);
        assert!(headers.is_none());
    }

    #[cfg(feature = "gzip")]
    #[test]
    fn gzip_bodies_over_the_limit_or_broken_are_refused() {
        // 1 MiB of zeros compresses to about 1 KiB: the limit applies to what it expands to.
        let bomb = gzip(&vec![0u8; 1 << 20]);
        assert!(bomb.len() < 4096);
        assert!(matches!(
            gunzip_if_encoded(&encoded("gzip"), bomb, 64 * 1024),
            Err(BodyError::TooLarge)
        ));
        assert!(matches!(
            gunzip_if_encoded(
                &encoded("gzip"),
                bytes::Bytes::from_static(b"not gzip"),
                1024
            ),
            Err(BodyError::Unreadable(_))
        ));
    }
}
