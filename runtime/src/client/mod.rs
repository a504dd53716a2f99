//! The client side of the protocols: a handle per client holding its config and pooled
//! HTTP connections; each call builds the request from the serialized input and the
//! operation's static description, signs it (SigV4), sends it, retries what may be
//! retried, and hands back the raw response for generated code to read.

pub mod config;
pub mod credentials;
mod customize;
pub mod endpoint;
pub mod error;
mod http1;
mod input;
pub mod paginate;
#[cfg(feature = "aws-config")]
mod sdk_config;
/// The AWS SDK's shared config (`aws_config::load_defaults(..).await`): a [`Config`] is
/// made from one with `Config::from(&sdk_config)`.
#[cfg(feature = "aws-config")]
pub use aws_types::SdkConfig;
pub mod path;
#[cfg(feature = "sigv4")]
pub mod sigv4;
pub mod test_util;
mod uri;
pub mod wait;
mod wire;

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use http::HeaderMap;

pub use config::DEFAULT_MIN_COMPRESSION_SIZE;
pub use config::{Config, ConfigBuilder, Region, RetryConfig, TimeoutConfig};
pub use credentials::{
    Credentials, CredentialsError, DefaultCredentialsChain, EnvironmentVariableCredentialsProvider,
    ProfileFileCredentialsProvider, ProvideCredentials, SharedCredentialsProvider,
};
pub use customize::Customization;
pub use error::{SdkError, ServiceError};
pub use input::{SerializedInput, serialize_input, serialize_input_without};
use std::future::Future;
pub use wire::parse_output;
#[cfg(feature = "sigv4")]
pub use wire::sign_request;
use wire::{parse_bound_error, parse_error_body};

use crate::ByteStream;
use crate::error::ErrorMetadata;
use crate::protocol::{OperationSpec, Protocol};
use crate::wire::{ErrorSource, HasSchema, Members, OperationError};

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// What the client needs to know about a service, from its model.
#[derive(Debug)]
pub struct ServiceInfo {
    /// The protocol the service speaks.
    pub protocol: Protocol,
    /// The service shape's name (awsJson's `X-Amz-Target` prefix).
    pub service_name: &'static str,
    /// `aws.auth#sigv4` name; `None` sends unsigned requests.
    pub signing_name: Option<&'static str>,
    /// The model's endpoint rule set; without one, requests go to `endpoint_url`.
    pub endpoint_rules: Option<&'static endpoint::Rules>,
    /// The service's auth schemes, in the model's `@auth` order; none sends requests
    /// without auth.
    pub auth: &'static [AuthScheme],
    /// The SDK id, for the user agent.
    pub sdk_id: &'static str,
    /// The API version, for the user agent.
    pub api_version: &'static str,
    /// `aws.protocols#awsQueryCompatible`: requests say so with `x-amzn-query-mode`.
    pub query_compatible: bool,
    /// What the AWS SDKs do for this service beyond its model.
    pub customization: Customization,
}

/// An auth scheme of a service (`aws.auth#sigv4`, `@httpBearerAuth`, `@httpApiKeyAuth`).
#[derive(Debug)]
pub enum AuthScheme {
    /// SigV4, with [`ServiceInfo::signing_name`] and the config's credentials.
    SigV4,
    /// `Authorization: Bearer <token>`, with the config's `bearer_token`.
    Bearer,
    /// The config's `api_key`: in the header `name` (after `scheme` and a space, when
    /// the model gives one), or in the query parameter `name`.
    ApiKey {
        /// The header or query parameter.
        name: &'static str,
        /// In the query string rather than a header.
        in_query: bool,
        /// Written before the key in the header (`ApiKey <key>`).
        scheme: Option<&'static str>,
    },
}

/// A transport that sends one signed request and returns the whole response, in place of
/// the built-in HTTP/1.1 client (see [`ConfigBuilder::http_client`]).
pub trait HttpClient: Send + Sync + std::fmt::Debug {
    /// Sends `request` and reads the whole response.
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> std::pin::Pin<Box<dyn Future<Output = Result<RawResponse, BoxError>> + Send + '_>>;
}

/// Waits between attempts (see [`ConfigBuilder::sleep_impl`]); tokio's timer by default.
pub trait AsyncSleep: Send + Sync + std::fmt::Debug {
    /// A future that completes after `duration`.
    fn sleep(&self, duration: Duration) -> std::pin::Pin<Box<dyn Future<Output = ()> + Send>>;
}

/// An [`HttpClient`] shared by the clients of one config.
pub type SharedHttpClient = Arc<dyn HttpClient>;

/// A response as it came, for generated code to read into an output or an error.
#[derive(Clone, Debug)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The response headers.
    pub headers: HeaderMap,
    /// The whole body.
    pub body: Bytes,
}

/// Why a call did not produce a successful response.
#[derive(Debug)]
pub enum CallError {
    /// The request could not be built or signed.
    Construction(BoxError),
    /// An attempt or the operation ran out of time.
    Timeout(BoxError),
    /// The request could not be sent.
    Dispatch(BoxError),
    /// The response could not be read.
    Response(BoxError),
    /// The service's error response (after any retries).
    Service(Box<RawResponse>),
}

/// A client's shared state: cheap to clone, one connection pool.
#[derive(Clone, Debug)]
pub struct Handle {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    service: &'static ServiceInfo,
    user_agent: String,
    /// Where calls without endpoint parameters of their own go, resolved once; or why
    /// they cannot go anywhere.
    endpoint: Result<Arc<Target>, String>,
    /// Where calls with endpoint parameters of their own go, by those parameters.
    endpoints: Mutex<HashMap<EndpointKey, Result<Arc<Target>, String>>>,
    /// Connections, by scheme and authority.
    pools: Mutex<HashMap<String, Arc<http1::Pool>>>,
    #[cfg(feature = "sigv4")]
    signer: sigv4::Signer,
}

/// The endpoint parameters of a call, by name: what its endpoint is cached by.
type EndpointKey = Vec<(String, endpoint::Value)>;

/// A resolved endpoint, ready to send to.
#[derive(Debug)]
struct Target {
    template: wire::RequestTemplate,
    /// Connections to the endpoint; `None` with a custom transport, which makes its own.
    pool: Option<Arc<http1::Pool>>,
    /// Headers the endpoint asks for.
    headers: Vec<(http::HeaderName, http::HeaderValue)>,
    /// The endpoint's `authSchemes` override of the SigV4 signing name and region.
    #[cfg_attr(not(feature = "sigv4"), allow(dead_code))]
    signing_name: Option<String>,
    #[cfg_attr(not(feature = "sigv4"), allow(dead_code))]
    signing_region: Option<String>,
}

/// Most distinct endpoints a client keeps (per-call parameters such as table names make
/// new ones); past this, the cache starts again.
const MAX_CACHED_ENDPOINTS: usize = 256;

impl Handle {
    /// A handle for `service` with `config`. Must be used inside a Tokio runtime.
    pub fn new(config: Config, service: &'static ServiceInfo) -> Handle {
        let mut user_agent = format!(
            "smithy-codegen-rust/{} api/{}/{}",
            env!("CARGO_PKG_VERSION"),
            service.sdk_id.replace(' ', "-").to_ascii_lowercase(),
            service.api_version
        );
        if let Some(app) = &config.app_name {
            user_agent.push_str(" app/");
            user_agent.push_str(app);
        }
        let pools = Mutex::default();
        let endpoint = resolve_target(&config, service, &user_agent, &pools).map(Arc::new);
        Handle {
            inner: Arc::new(Inner {
                config,
                service,
                user_agent,
                endpoint,
                endpoints: Mutex::default(),
                pools,
                #[cfg(feature = "sigv4")]
                signer: sigv4::Signer::new(),
            }),
        }
    }

    /// The client's config.
    pub fn config(&self) -> &Config {
        &self.inner.config
    }

    /// Where a call of `op` goes: the client's endpoint, or for an operation with endpoint
    /// parameters of its own, the endpoint of those (cached by their values).
    fn target(
        &self,
        op: &'static OperationSpec,
        input: Option<&serde_json::Value>,
    ) -> Result<Arc<Target>, CallError> {
        let inner = &self.inner;
        let (Some(rules), false) = (inner.service.endpoint_rules, op.endpoint_params.is_empty())
        else {
            return inner
                .endpoint
                .clone()
                .map_err(|e| CallError::Construction(e.into()));
        };
        let rule_set = rules
            .rule_set()
            .map_err(|e| CallError::Construction(e.into()))?;
        let params = endpoint::params(rule_set, &inner.config, op.endpoint_params, input);
        let key: EndpointKey = params
            .iter()
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect();
        let mut cache = inner.endpoints.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(found) = cache.get(&key) {
            return found.clone().map_err(|e| CallError::Construction(e.into()));
        }
        let resolved = rule_set
            .evaluate(&params)
            .and_then(|endpoint| {
                target_of(endpoint, &inner.config, &inner.user_agent, &inner.pools)
            })
            .map(Arc::new);
        if cache.len() >= MAX_CACHED_ENDPOINTS {
            cache.clear();
        }
        cache.insert(key, resolved.clone());
        resolved.map_err(|e| CallError::Construction(e.into()))
    }

    /// Sends `op` with `input` (from [`serialize_input`]), with signing, timeouts and
    /// retries.
    pub async fn call(
        &self,
        op: &'static OperationSpec,
        input: SerializedInput,
    ) -> Result<RawResponse, CallError> {
        self.call_with(op, input, None, None)
            .await
            .map(|(response, _)| response)
    }

    /// [`Handle::call`], with `body` (a `@streaming` payload whose bytes are not in
    /// memory) sent as the request body, a successful response's body left to read as it
    /// arrives when the operation's output streams, and `endpoint_input` (the input's
    /// JSON form) for an operation whose endpoint parameters come from input members. A
    /// streamed body is sent once: such a call is never retried.
    async fn call_with(
        &self,
        op: &'static OperationSpec,
        input: SerializedInput,
        body: Option<ByteStream>,
        endpoint_input: Option<serde_json::Value>,
    ) -> Result<(RawResponse, Option<ByteStream>), CallError> {
        let mut body = body;
        let streams_body = body.is_some();
        let operation_deadline = self
            .inner
            .config
            .timeouts
            .operation
            .map(|t| Instant::now() + t);
        let attempts = async {
            let inner = &self.inner;
            let target = self.target(op, endpoint_input.as_ref())?;
            let host_prefix = op.host_prefix.filter(|_| inner.config.inject_host_prefix);
            let mut request =
                wire::build_request(inner.service, op, input, &target.template, host_prefix)
                    .map_err(CallError::Construction)?;
            for (name, value) in &target.headers {
                request.headers_mut().append(name.clone(), value.clone());
            }
            encode_body(&mut request, op, &inner.config)?;
            let max_attempts = inner.config.retry.max_attempts.max(1);
            let mut attempt = 1;
            loop {
                let outcome = self.attempt(&target, &request, op, body.take()).await;
                let retry = attempt < max_attempts
                    && !streams_body
                    && match &outcome {
                        Ok((response, _)) => {
                            !(200..300).contains(&response.status)
                                && is_retryable(inner.service.protocol, response)
                        }
                        Err(CallError::Timeout(_) | CallError::Dispatch(_)) => true,
                        Err(_) => false,
                    };
                if !retry {
                    return match outcome {
                        Ok((response, stream)) if (200..300).contains(&response.status) => {
                            Ok((response, stream))
                        }
                        Ok((response, _)) => Err(CallError::Service(Box::new(response))),
                        Err(e) => Err(e),
                    };
                }
                let delay = backoff(&inner.config.retry, attempt);
                tracing::debug!(attempt, ?delay, "retrying");
                match &inner.config.sleep {
                    Some(sleep) => sleep.sleep(delay).await,
                    None => tokio::time::sleep(delay).await,
                }
                attempt += 1;
            }
        };
        match operation_deadline {
            None => attempts.await,
            Some(deadline) => tokio::time::timeout_at(deadline.into(), attempts)
                .await
                .unwrap_or_else(|_| Err(CallError::Timeout("the operation timed out".into()))),
        }
    }

    /// Applies the first of the service's auth schemes (in the model's `@auth` order) the
    /// client has an identity for: SigV4 with its credentials, a bearer token, an API key.
    #[cfg_attr(not(feature = "sigv4"), allow(unused_variables))]
    async fn authorize(
        &self,
        request: &mut http::Request<Bytes>,
        target: &Target,
    ) -> Result<(), CallError> {
        let inner = &self.inner;
        let service = inner.service;
        for scheme in service.auth {
            match scheme {
                #[cfg(feature = "sigv4")]
                AuthScheme::SigV4 => {
                    let Some(name) = target.signing_name.as_deref().or(service.signing_name) else {
                        continue;
                    };
                    let credentials = inner
                        .config
                        .credentials
                        .provide_credentials()
                        .await
                        .map_err(|e| CallError::Construction(e.into()))?;
                    let region = match &target.signing_region {
                        Some(region) => region.as_str(),
                        None => inner
                            .config
                            .region
                            .as_ref()
                            .map(Region::as_str)
                            .ok_or_else(|| {
                                CallError::Construction(
                                    "no region is configured to sign for".into(),
                                )
                            })?,
                    };
                    return inner
                        .signer
                        .sign(request, &credentials, region, name, SystemTime::now())
                        .map_err(CallError::Construction);
                }
                // Generated crates turn the feature on when their service signs.
                #[cfg(not(feature = "sigv4"))]
                AuthScheme::SigV4 => {
                    return Err(CallError::Construction(
                        "the service signs with SigV4, and the runtime was built without its `sigv4` feature".into(),
                    ));
                }
                AuthScheme::Bearer => {
                    let Some(token) = &inner.config.bearer_token else {
                        continue;
                    };
                    let mut value = http::HeaderValue::try_from(format!("Bearer {}", token.0))
                        .map_err(|e| CallError::Construction(e.into()))?;
                    value.set_sensitive(true);
                    request
                        .headers_mut()
                        .insert(http::header::AUTHORIZATION, value);
                    return Ok(());
                }
                AuthScheme::ApiKey {
                    name,
                    in_query,
                    scheme,
                } => {
                    let Some(key) = &inner.config.api_key else {
                        continue;
                    };
                    if *in_query {
                        let uri = request.uri().to_string();
                        let separator = if uri.contains('?') { '&' } else { '?' };
                        let mut encoded = Vec::new();
                        uri::push_encoded(&mut encoded, key.0.as_bytes(), false);
                        let with_key = format!(
                            "{uri}{separator}{name}={}",
                            String::from_utf8_lossy(&encoded)
                        );
                        *request.uri_mut() =
                            with_key.parse().map_err(|e: http::uri::InvalidUri| {
                                CallError::Construction(e.into())
                            })?;
                    } else {
                        let text = match scheme {
                            Some(scheme) => format!("{scheme} {}", key.0),
                            None => key.0.clone(),
                        };
                        let mut value = http::HeaderValue::try_from(text)
                            .map_err(|e| CallError::Construction(e.into()))?;
                        value.set_sensitive(true);
                        let name = http::HeaderName::try_from(*name)
                            .map_err(|e| CallError::Construction(e.into()))?;
                        request.headers_mut().insert(name, value);
                    }
                    return Ok(());
                }
            }
        }
        if service.auth.is_empty() {
            return Ok(());
        }
        Err(CallError::Construction(
            "the client has no identity for any of the service's auth schemes (set \
             credentials for SigV4, `bearer_token` or `api_key`)"
                .into(),
        ))
    }

    async fn attempt(
        &self,
        target: &Target,
        template: &http::Request<Bytes>,
        op: &'static OperationSpec,
        body: Option<ByteStream>,
    ) -> Result<(RawResponse, Option<ByteStream>), CallError> {
        let inner = &self.inner;
        let mut request = http::Request::builder()
            .method(template.method().clone())
            .uri(template.uri().clone())
            .body(template.body().clone())
            .map_err(|e| CallError::Construction(e.into()))?;
        *request.headers_mut() = template.headers().clone();
        let mut body = body;
        if inner.config.http_client.is_some()
            && let Some(stream) = body.take()
        {
            // A custom transport takes whole bodies.
            let bytes = stream
                .collect()
                .await
                .map_err(|e| CallError::Construction(e.into()))?;
            *request.body_mut() = bytes.into_bytes();
        }
        if let Some(stream) = &body {
            let headers = request.headers_mut();
            match stream.content_length() {
                Some(length) => headers.insert(http::header::CONTENT_LENGTH, length.into()),
                None => headers.insert(
                    http::header::TRANSFER_ENCODING,
                    http::HeaderValue::from_static("chunked"),
                ),
            };
            // The body is not read ahead to hash it: the signature says so.
            #[cfg(feature = "sigv4")]
            headers.insert(
                sigv4::CONTENT_SHA256,
                http::HeaderValue::from_static(sigv4::UNSIGNED_PAYLOAD),
            );
        }
        self.authorize(&mut request, target).await?;
        let send = async move {
            if let Some(client) = &inner.config.http_client {
                // What the built-in transport writes, a custom one sees.
                if http1::sends_content_length(&request)
                    && !request.headers().contains_key(http::header::CONTENT_LENGTH)
                {
                    let length = http::HeaderValue::from(request.body().len());
                    request
                        .headers_mut()
                        .insert(http::header::CONTENT_LENGTH, length);
                }
                let response = client.send(request).await.map_err(CallError::Dispatch)?;
                return Ok((response, None));
            }
            let Some(pool) = &target.pool else {
                return Err(CallError::Construction(
                    "the endpoint has no connections".into(),
                ));
            };
            let other_host =
                request.uri().authority().map(|a| a.as_str()) != Some(pool.authority());
            let prefixed = if other_host {
                let pool = pool_for(&inner.pools, request.uri(), inner.config.timeouts.connect)
                    .map_err(|e| CallError::Construction(e.into()))?;
                Some(pool)
            } else {
                None
            };
            let pool = prefixed.as_deref().unwrap_or(pool);
            let stream_response = op.output_streaming.is_some();
            let sent = if body.is_none() && !stream_response {
                pool.send(&request).await.map(|response| (response, None))
            } else {
                pool.send_streaming(&request, body, stream_response).await
            };
            sent.map_err(|e| match e {
                http1::SendError::Dispatch(e) => CallError::Dispatch(e),
                http1::SendError::Response(e) => CallError::Response(e),
            })
        };
        match inner.config.timeouts.attempt {
            None => send.await,
            Some(limit) => tokio::time::timeout(limit, send)
                .await
                .unwrap_or_else(|_| Err(CallError::Timeout("the attempt timed out".into()))),
        }
    }
}

/// Where calls go that set no endpoint parameters of their own: the rule set evaluated
/// with the config, or `endpoint_url` for a service without a rule set.
fn resolve_target(
    config: &Config,
    service: &ServiceInfo,
    user_agent: &str,
    pools: &Mutex<HashMap<String, Arc<http1::Pool>>>,
) -> Result<Target, String> {
    let endpoint = match (service.endpoint_rules, &config.endpoint_url) {
        (Some(rules), _) => {
            let rule_set = rules.rule_set().map_err(|e| e.to_string())?;
            rule_set.evaluate(&endpoint::params(rule_set, config, &[], None))?
        }
        (None, Some(url)) => endpoint::Endpoint {
            url: url.clone(),
            headers: Vec::new(),
            properties: Default::default(),
        },
        (None, None) => {
            return Err(format!(
                "the model of `{}` has no endpoint rule set: set `endpoint_url`",
                service.service_name
            ));
        }
    };
    target_of(endpoint, config, user_agent, pools)
}

/// A resolved endpoint with its request template and connections.
fn target_of(
    endpoint: endpoint::Endpoint,
    config: &Config,
    user_agent: &str,
    pools: &Mutex<HashMap<String, Arc<http1::Pool>>>,
) -> Result<Target, String> {
    let template = wire::RequestTemplate::new(&endpoint.url, user_agent)?;
    let pool = match config.http_client {
        Some(_) => None,
        None => Some(pool_for(pools, &template.root, config.timeouts.connect)?),
    };
    let (signing_name, signing_region) = endpoint::signing_overrides(&endpoint);
    let mut headers = Vec::new();
    for (name, values) in &endpoint.headers {
        let name = http::HeaderName::try_from(name.as_str())
            .map_err(|e| format!("the endpoint's header `{name}`: {e}"))?;
        for value in values {
            let value = http::HeaderValue::try_from(value.as_str())
                .map_err(|e| format!("the endpoint's header `{name}`: {e}"))?;
            headers.push((name.clone(), value));
        }
    }
    Ok(Target {
        template,
        pool,
        headers,
        signing_name,
        signing_region,
    })
}

/// The pool of connections to the scheme and host of `uri`, shared by every endpoint
/// (and host prefix) on that host.
fn pool_for(
    pools: &Mutex<HashMap<String, Arc<http1::Pool>>>,
    uri: &http::Uri,
    connect_timeout: Option<Duration>,
) -> Result<Arc<http1::Pool>, String> {
    let root = format!(
        "{}://{}/",
        uri.scheme_str().unwrap_or("https"),
        uri.authority().map_or("", |a| a.as_str())
    );
    let mut pools = pools.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(pool) = pools.get(&root) {
        return Ok(Arc::clone(pool));
    }
    let parsed: http::Uri = root
        .parse()
        .map_err(|e: http::uri::InvalidUri| e.to_string())?;
    let pool = Arc::new(http1::Pool::new(&parsed, connect_timeout)?);
    pools.insert(root, Arc::clone(&pool));
    Ok(pool)
}

/// What the operation's traits ask of the body as sent: gzip (`@requestCompression`), then
/// `Content-MD5` (`@httpChecksumRequired`). Generated crates turn on the runtime's `gzip`
/// and `md5` features when their model uses the traits.
#[cfg_attr(not(all(feature = "gzip", feature = "md5")), allow(unused_variables))]
fn encode_body(
    request: &mut http::Request<Bytes>,
    op: &OperationSpec,
    config: &Config,
) -> Result<(), CallError> {
    #[cfg(feature = "gzip")]
    if !config.disable_request_compression
        && op.request_compression.contains(&"gzip")
        && request.body().len() >= config.request_min_compression_size_bytes
    {
        wire::gzip_body(request).map_err(CallError::Construction)?;
    }
    #[cfg(feature = "md5")]
    if op.checksum_required {
        wire::add_content_md5(request);
    }
    Ok(())
}

/// Codes the standard retry mode treats as throttling or transient.
const RETRYABLE_CODES: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
    "RequestTimeout",
    "RequestTimeoutException",
];

/// Throttling and server errors are retried; the service's other client errors never are.
fn is_retryable(protocol: Protocol, response: &RawResponse) -> bool {
    if response.status >= 500 || response.status == 429 {
        return true;
    }
    let meta = wire::error_metadata(protocol, response);
    meta.code()
        .is_some_and(|code| RETRYABLE_CODES.contains(&code))
}

static RANDOM_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A random number from the process's random hasher keys (no extra dependency).
fn random_u64() -> u64 {
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(RANDOM_COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.write_u128(
        SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0),
    );
    hasher.finish()
}

/// A random number in [0, 1].
fn random_fraction() -> f64 {
    (random_u64() >> 11) as f64 / ((1u64 << 53) - 1) as f64
}

/// Full-jitter exponential backoff before attempt `attempt + 1`: a random time up to
/// [`backoff_ceiling`].
pub fn backoff(retry: &RetryConfig, attempt: u32) -> Duration {
    // In (0, 1]: a wait is never zero.
    let fraction = ((random_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64;
    jittered(retry, attempt, fraction)
}

/// The longest wait before attempt `attempt + 1`: `initial_backoff * 2^(attempt - 1)`, at
/// most `max_backoff`.
pub fn backoff_ceiling(retry: &RetryConfig, attempt: u32) -> Duration {
    retry
        .initial_backoff
        .saturating_mul(1u32 << attempt.saturating_sub(1).min(20))
        .min(retry.max_backoff)
}

fn jittered(retry: &RetryConfig, attempt: u32, fraction: f64) -> Duration {
    backoff_ceiling(retry, attempt).mul_f64(fraction)
}

/// A fresh idempotency token: a random UUID v4.
pub fn idempotency_token() -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let (a, b) = (random_u64(), random_u64());
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&a.to_be_bytes());
    bytes[8..].copy_from_slice(&b.to_be_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let mut token = String::with_capacity(36);
    for (i, byte) in bytes.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            token.push('-');
        }
        token.push(HEX[usize::from(byte >> 4)] as char);
        token.push(HEX[usize::from(byte & 15)] as char);
    }
    token
}

/// What every operation's `send()` does once its input is built: checks the input's
/// constraints when the config asks for it, writes it for the service's protocol (the
/// members named in `omit` left out: top-level members with a model default the caller
/// did not set), sends it with retries, and reads the output or the modeled error.
pub async fn send<I: HasSchema, O: HasSchema + Members + Default, E: OperationError>(
    handle: &Handle,
    op: &'static OperationSpec,
    input: &I,
    omit: &[&str],
) -> Result<O, SdkError<E>> {
    send_streaming(handle, op, input, omit, None, None).await
}

/// [`send`] for an operation with a `@streaming` payload: `body` is the input's stream
/// (from [`take_stream`]; `None` when its bytes are in memory and went with the input),
/// and `set_output` puts the response's body, as it arrives, into the output.
pub async fn send_streaming<I: HasSchema, O: HasSchema + Members + Default, E: OperationError>(
    handle: &Handle,
    op: &'static OperationSpec,
    input: &I,
    omit: &[&str],
    body: Option<ByteStream>,
    set_output: Option<fn(&mut O, ByteStream)>,
) -> Result<O, SdkError<E>> {
    let protocol = handle.inner.service.protocol;
    if let Some(reason) = op.unsupported {
        return Err(SdkError::construction_failure(reason));
    }
    if handle.config().validate_input() {
        crate::validation::validate_typed(input).map_err(SdkError::construction_failure)?;
    }
    let requires_length = op.input_streaming.is_some_and(|s| s.requires_length);
    if requires_length && body.as_ref().is_some_and(|b| b.content_length().is_none()) {
        return Err(SdkError::construction_failure(format!(
            "`{}` needs a body of known length: make the stream with \
             `ByteStream::from_stream_with_length`, from bytes or from a file",
            op.name
        )));
    }
    // Endpoint parameters from input members read the input's JSON form.
    let endpoint_input = op
        .endpoint_params
        .iter()
        .any(|p| {
            matches!(
                p.value,
                crate::protocol::EndpointParamValue::Member(_)
                    | crate::protocol::EndpointParamValue::Path(_)
            )
        })
        .then(|| crate::wire::to_value(input))
        .transpose()
        .map_err(SdkError::construction_failure)?;
    let input = serialize_input_without(input, op, protocol, omit)
        .map_err(SdkError::construction_failure)?;
    let result = handle.call_with(op, input, body, endpoint_input).await;
    let (result, stream) = match result {
        Ok((response, stream)) => (Ok(response), stream),
        Err(e) => (Err(e), None),
    };
    let mut output = finish(
        protocol,
        result,
        |raw| parse_output(raw, op, protocol),
        modeled_or_unhandled,
    )?;
    if let (Some(stream), Some(set_output)) = (stream, set_output) {
        set_output(&mut output, stream);
    }
    Ok(output)
}

/// The modeled error an error response's code names, else `Unhandled`.
fn modeled_or_unhandled<E: OperationError>(meta: &ErrorMetadata, raw: &RawResponse) -> E {
    meta.code()
        .and_then(|code| E::modeled(code, ErrorResponse(raw)))
        .unwrap_or_else(|| E::from(crate::error::Unhandled::new(meta.clone())))
}

/// An error response as the source of a modeled error: its body, plus the headers its
/// bindings name.
struct ErrorResponse<'a>(&'a RawResponse);

impl ErrorSource for ErrorResponse<'_> {
    fn read<T: HasSchema + Members + Default>(
        self,
        bindings: &'static [crate::protocol::Binding],
    ) -> Option<T> {
        if bindings.is_empty() {
            parse_error_body(self.0)
        } else {
            parse_bound_error(self.0, bindings)
        }
    }
}

/// Takes a `@streaming` member's stream out of an input, to send as the request body;
/// `None` when its bytes are in memory: then they go as any payload does (hashed for the
/// signature, sent again on a retry).
pub fn take_stream(member: &mut ByteStream) -> Option<ByteStream> {
    match member.bytes() {
        Some(_) => None,
        None => Some(std::mem::take(member)),
    }
}

/// Turns a call's result into the operation's: the output read by `parse_ok`, or an
/// [`SdkError`] whose service error `parse_err` picks from the error code.
pub fn finish<O, E>(
    protocol: Protocol,
    result: Result<RawResponse, CallError>,
    parse_ok: impl FnOnce(&RawResponse) -> Result<O, BoxError>,
    parse_err: impl FnOnce(&ErrorMetadata, &RawResponse) -> E,
) -> Result<O, SdkError<E>> {
    match result {
        Ok(response) => parse_ok(&response).map_err(SdkError::ResponseError),
        Err(CallError::Service(response)) => {
            let meta = wire::error_metadata(protocol, &response);
            let error = parse_err(&meta, &response);
            Err(SdkError::service_error(error, meta))
        }
        Err(CallError::Construction(e)) => Err(SdkError::ConstructionFailure(e)),
        Err(CallError::Timeout(e)) => Err(SdkError::TimeoutError(e)),
        Err(CallError::Dispatch(e)) => Err(SdkError::DispatchFailure(e)),
        Err(CallError::Response(e)) => Err(SdkError::ResponseError(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static STRING: crate::validation::Schema =
        crate::validation::Schema::of(crate::validation::Kind::String);
    test_structure!(Subscription: SUBSCRIPTION, {
        0 => topic: Option<String> = optional("topic", &STRING),
    });

    #[test]
    fn an_unsupported_operation_fails_before_sending() {
        static SERVICE: ServiceInfo = ServiceInfo {
            protocol: Protocol::RestJson1,
            service_name: "Streams",
            signing_name: None,
            endpoint_rules: None,
            auth: &[],
            sdk_id: "Streams",
            api_version: "2024-01-01",
            query_compatible: false,
            customization: Customization::None,
        };
        static STREAMING: OperationSpec = OperationSpec {
            unsupported: Some("`Subscribe` streams events"),
            ..OperationSpec::for_test("Subscribe", None, &[], &[])
        };
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        // Nothing listens there: a request sent would fail to connect instead.
        let config = Config::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .build();
        let error = runtime.block_on(async {
            let handle = Handle::new(config, &SERVICE);
            send::<Subscription, Subscription, test_util::UnmodeledError>(
                &handle,
                &STREAMING,
                &Subscription::default(),
                &[],
            )
            .await
            .unwrap_err()
        });
        assert!(
            matches!(&error, SdkError::ConstructionFailure(e) if e.to_string().contains("streams events")),
            "{error:?}"
        );
    }

    /// The request a call makes to a service with `auth`, configured by `config`.
    fn request_with_auth(
        auth: &'static [AuthScheme],
        config: ConfigBuilder,
    ) -> Result<http::Request<Bytes>, String> {
        static OP: OperationSpec = OperationSpec::for_test("Get", None, &[], &[]);
        let service: &'static ServiceInfo = Box::leak(Box::new(ServiceInfo {
            protocol: Protocol::AwsJson1_0,
            service_name: "Keys",
            signing_name: Some("keys"),
            endpoint_rules: None,
            auth,
            sdk_id: "Keys",
            api_version: "2026-11-30",
            query_compatible: false,
            customization: Customization::None,
        }));
        let transport = test_util::CaptureClient::ok();
        let config = config
            .region("us-east-1")
            .endpoint_url("https://keys.example.com")
            .http_client(transport.clone())
            .build();
        test_util::block_on(async {
            let handle = Handle::new(config, service);
            send::<Subscription, Subscription, test_util::UnmodeledError>(
                &handle,
                &OP,
                &Subscription::default(),
                &[],
            )
            .await
            .map_err(|e| format!("{e:?}"))?;
            Ok(transport.request().expect("a request was sent"))
        })
    }

    #[test]
    fn the_first_auth_scheme_with_an_identity_is_applied() {
        let bearer = request_with_auth(
            &[AuthScheme::Bearer],
            Config::builder().bearer_token("t0k3n"),
        )
        .unwrap();
        assert_eq!(bearer.headers()["authorization"], "Bearer t0k3n");
        // The token is not printed with the config.
        let config = Config::builder()
            .bearer_token("t0k3n")
            .api_key("k3y")
            .build();
        assert!(!format!("{config:?}").contains("t0k3n") && !format!("{config:?}").contains("k3y"));

        static KEY_HEADER: [AuthScheme; 2] = [
            AuthScheme::Bearer,
            AuthScheme::ApiKey {
                name: "x-api-key",
                in_query: false,
                scheme: Some("ApiKey"),
            },
        ];
        // No token: the next scheme, with its key.
        let keyed = request_with_auth(&KEY_HEADER, Config::builder().api_key("k3y")).unwrap();
        assert_eq!(keyed.headers()["x-api-key"], "ApiKey k3y");
        assert!(keyed.headers().get("authorization").is_none());

        static KEY_QUERY: [AuthScheme; 1] = [AuthScheme::ApiKey {
            name: "key",
            in_query: true,
            scheme: None,
        }];
        let queried = request_with_auth(&KEY_QUERY, Config::builder().api_key("a b")).unwrap();
        assert_eq!(queried.uri().query(), Some("key=a%20b"));

        // SigV4 first, with credentials: signed.
        let signed = request_with_auth(
            &[AuthScheme::SigV4, AuthScheme::Bearer],
            Config::builder()
                .credentials_provider(test_util::test_credentials())
                .bearer_token("unused"),
        )
        .unwrap();
        let authorization = signed.headers()["authorization"].to_str().unwrap();
        assert!(
            authorization.starts_with("AWS4-HMAC-SHA256 "),
            "{authorization}"
        );

        // No identity for any scheme: nothing is sent.
        let error = request_with_auth(&[AuthScheme::Bearer], Config::builder()).unwrap_err();
        assert!(error.contains("no identity"), "{error}");
        // No scheme at all: sent as it is.
        let open = request_with_auth(&[], Config::builder()).unwrap();
        assert!(open.headers().get("authorization").is_none());
    }

    #[test]
    fn tokens_are_uuid_v4() {
        let token = idempotency_token();
        assert_eq!(token.len(), 36);
        assert_eq!(&token[14..15], "4");
        assert!(matches!(&token[19..20], "8" | "9" | "a" | "b"));
        assert_ne!(token, idempotency_token());
    }

    #[test]
    fn backoff_ceiling_doubles_then_is_capped() {
        let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(100));
        let ceilings: Vec<u128> = (1..=10)
            .map(|attempt| backoff_ceiling(&retry, attempt).as_millis())
            .collect();
        assert_eq!(
            ceilings,
            [100, 200, 400, 800, 1600, 3200, 6400, 12800, 20000, 20000]
        );
    }

    #[test]
    fn jitter_scales_the_ceiling() {
        let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(100));
        assert_eq!(jittered(&retry, 3, 1.0), Duration::from_millis(400));
        assert_eq!(jittered(&retry, 3, 0.25), Duration::from_millis(100));
        assert_eq!(jittered(&retry, 30, 0.5), Duration::from_secs(10));
    }

    #[test]
    fn waits_are_never_zero_and_stay_under_the_ceiling() {
        let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(100));
        let waits: Vec<Duration> = (0..1000).map(|_| backoff(&retry, 2)).collect();
        assert!(
            waits
                .iter()
                .all(|w| *w > Duration::ZERO && *w <= Duration::from_millis(200))
        );
        // Random, not a constant: 1000 draws are not all alike.
        assert!(waits.iter().any(|w| *w != waits[0]));
    }
}
