//! Client settings: region, endpoint, credentials, timeouts, retries, user agent and the
//! opt-in input validation.

use std::sync::Arc;
use std::time::Duration;

use super::credentials::{DefaultCredentialsChain, ProvideCredentials, SharedCredentialsProvider};
use super::{AsyncSleep, HttpClient, SharedHttpClient};

/// An AWS region name (`us-east-1`).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Region(String);

impl Region {
    /// A region named `name`.
    pub fn new(name: impl Into<String>) -> Region {
        Region(name.into())
    }

    /// The region's name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl From<&str> for Region {
    fn from(name: &str) -> Region {
        Region::new(name)
    }
}

impl std::fmt::Display for Region {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Standard-mode retries: attempts in all, and the exponential backoff with full jitter.
#[derive(Clone, Debug, PartialEq)]
pub struct RetryConfig {
    /// Attempts in all, the first included (1 turns retries off).
    pub max_attempts: u32,
    /// Backoff scale: attempt `n` waits a random time up to `initial_backoff * 2^(n-1)`.
    pub initial_backoff: Duration,
    /// No wait is longer than this.
    pub max_backoff: Duration,
}

impl RetryConfig {
    /// Standard mode: 3 attempts, backoff from 1 s, at most 20 s.
    pub fn standard() -> RetryConfig {
        RetryConfig {
            max_attempts: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }

    /// No retries.
    pub fn disabled() -> RetryConfig {
        RetryConfig {
            max_attempts: 1,
            ..RetryConfig::standard()
        }
    }

    /// Sets the number of attempts.
    pub fn with_max_attempts(mut self, attempts: u32) -> RetryConfig {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the backoff scale.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> RetryConfig {
        self.initial_backoff = backoff;
        self
    }
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig::standard()
    }
}

/// Time limits; `None` means no limit.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TimeoutConfig {
    /// Establishing a connection.
    pub connect: Option<Duration>,
    /// One attempt, from sending to the whole response.
    pub attempt: Option<Duration>,
    /// The whole operation, retries and backoff included.
    pub operation: Option<Duration>,
}

/// A client's settings. Build one with [`Config::builder`].
#[derive(Clone, Debug)]
pub struct Config {
    pub(crate) region: Option<Region>,
    pub(crate) endpoint_url: Option<String>,
    // Read by SigV4 signing (the `sigv4` feature).
    #[cfg_attr(not(feature = "sigv4"), allow(dead_code))]
    pub(crate) credentials: SharedCredentialsProvider,
    pub(crate) timeouts: TimeoutConfig,
    pub(crate) retry: RetryConfig,
    pub(crate) app_name: Option<String>,
    pub(crate) validate_input: bool,
    pub(crate) inject_host_prefix: bool,
    pub(crate) use_fips: bool,
    pub(crate) use_dual_stack: bool,
    /// `AWS::Auth::AccountId` and `AWS::Auth::AccountIdEndpointMode` for endpoint rules.
    pub(crate) account_id: Option<String>,
    pub(crate) account_id_endpoint_mode: Option<String>,
    /// `@clientContextParams` values, by parameter name.
    pub(crate) client_context_params: Vec<(String, smithy_rules::Value)>,
    /// For `@httpBearerAuth` and `@httpApiKeyAuth` services.
    pub(crate) bearer_token: Option<Secret>,
    pub(crate) api_key: Option<Secret>,
    pub(crate) http_client: Option<SharedHttpClient>,
    pub(crate) idempotency_tokens: Option<TokenProvider>,
    // Read only with the `gzip` feature.
    #[cfg_attr(not(feature = "gzip"), allow(dead_code))]
    pub(crate) disable_request_compression: bool,
    #[cfg_attr(not(feature = "gzip"), allow(dead_code))]
    pub(crate) request_min_compression_size_bytes: usize,
    pub(crate) sleep: Option<Arc<dyn AsyncSleep>>,
}

/// A token or key, never printed by `Debug`.
#[derive(Clone)]
pub(crate) struct Secret(pub(crate) String);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("** redacted **")
    }
}

/// Makes the values of unset `@idempotencyToken` members.
#[derive(Clone)]
pub(crate) struct TokenProvider(Arc<dyn Fn() -> String + Send + Sync>);

impl std::fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenProvider")
    }
}

impl Config {
    /// A value for an unset `@idempotencyToken` member: a fresh UUID v4, unless the config
    /// has a provider of its own.
    pub fn idempotency_token(&self) -> String {
        match &self.idempotency_tokens {
            Some(provider) => (provider.0)(),
            None => super::idempotency_token(),
        }
    }

    /// A builder with the defaults: region from `AWS_REGION`/`AWS_DEFAULT_REGION`,
    /// credentials from the environment then the shared credentials file, standard
    /// retries, no timeouts, no input validation.
    pub fn builder() -> ConfigBuilder {
        ConfigBuilder::default()
    }

    /// The region requests are signed for and sent to.
    pub fn region(&self) -> Option<&Region> {
        self.region.as_ref()
    }

    /// The endpoint override, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// The retry settings.
    pub fn retry_config(&self) -> &RetryConfig {
        &self.retry
    }

    /// The time limits.
    pub fn timeout_config(&self) -> &TimeoutConfig {
        &self.timeouts
    }

    /// Whether inputs are checked against the model's constraints before sending.
    pub fn validate_input(&self) -> bool {
        self.validate_input
    }
}

/// Builds a [`Config`].
#[derive(Clone, Debug, Default)]
pub struct ConfigBuilder {
    region: Option<Region>,
    endpoint_url: Option<String>,
    credentials: Option<SharedCredentialsProvider>,
    timeouts: TimeoutConfig,
    retry: Option<RetryConfig>,
    app_name: Option<String>,
    validate_input: bool,
    disable_host_prefix_injection: bool,
    use_fips: bool,
    use_dual_stack: bool,
    account_id: Option<String>,
    account_id_endpoint_mode: Option<String>,
    client_context_params: Vec<(String, smithy_rules::Value)>,
    bearer_token: Option<Secret>,
    api_key: Option<Secret>,
    http_client: Option<SharedHttpClient>,
    idempotency_tokens: Option<TokenProvider>,
    disable_request_compression: bool,
    request_min_compression_size_bytes: Option<usize>,
    sleep: Option<Arc<dyn AsyncSleep>>,
}

/// Bodies smaller than this are sent uncompressed (the AWS SDKs' default).
pub const DEFAULT_MIN_COMPRESSION_SIZE: usize = 10_240;

/// The builder's on/off settings: a setter each, named as its field.
macro_rules! switches {
    ($($(#[$doc:meta])* $name:ident,)*) => {
        $(
            $(#[$doc])*
            pub fn $name(mut self, on: bool) -> Self {
                self.$name = on;
                self
            }
        )*
    };
}

impl ConfigBuilder {
    /// The region to sign for and send to.
    pub fn region(mut self, region: impl Into<Region>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Sends every request to this URL (a local server, a proxy...) instead of the
    /// service's regional endpoint.
    pub fn endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// The account id endpoint rules may put in the host (`AWS::Auth::AccountId`).
    pub fn account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// Whether endpoint rules use the account id: `preferred` (their default),
    /// `required` or `disabled` (`AWS::Auth::AccountIdEndpointMode`).
    pub fn account_id_endpoint_mode(mut self, mode: impl Into<String>) -> Self {
        self.account_id_endpoint_mode = Some(mode.into());
        self
    }

    /// A value for one of the service's `@clientContextParams` (an endpoint rule set
    /// parameter the client sets), by its name in the rule set.
    pub fn client_context_param(
        mut self,
        name: impl Into<String>,
        value: impl Into<smithy_rules::Value>,
    ) -> Self {
        self.client_context_params.push((name.into(), value.into()));
        self
    }

    /// The token for a service with `@httpBearerAuth` (`Authorization: Bearer <token>`).
    pub fn bearer_token(mut self, token: impl Into<String>) -> Self {
        self.bearer_token = Some(Secret(token.into()));
        self
    }

    /// The key for a service with `@httpApiKeyAuth` (sent where the model says).
    pub fn api_key(mut self, key: impl Into<String>) -> Self {
        self.api_key = Some(Secret(key.into()));
        self
    }

    /// Where credentials come from.
    pub fn credentials_provider(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// A provider already shared with other clients.
    pub fn shared_credentials_provider(mut self, provider: SharedCredentialsProvider) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Limit on establishing a connection.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.connect = Some(timeout);
        self
    }

    /// Limit on each attempt.
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.attempt = Some(timeout);
        self
    }

    /// Limit on the whole operation, retries included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.timeouts.operation = Some(timeout);
        self
    }

    /// Retry settings.
    pub fn retry_config(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// An application name added to the `User-Agent`.
    pub fn app_name(mut self, name: impl Into<String>) -> Self {
        self.app_name = Some(name.into());
        self
    }

    switches! {
        /// Check inputs against the model's constraints before sending; off by default,
        /// since services relax constraints over time.
        validate_input,
        /// Leave out the host prefixes of `@endpoint(hostPrefix)` operations (`data-` in
        /// `data-{endpoint}`): for an endpoint that is an IP address or a host without
        /// such names, a local server say. Off by default, as in AWS's SDKs.
        disable_host_prefix_injection,
        /// Use the FIPS endpoint variant.
        use_fips,
        /// Use the dual-stack (IPv4 and IPv6) endpoint variant.
        use_dual_stack,
        /// Never compress request bodies, even for operations with `@requestCompression`.
        disable_request_compression,
    }

    /// Sends requests through `client` instead of the built-in HTTP/1.1 transport (a
    /// recording or replaying client in tests, another transport, a proxy...). Signing,
    /// retries and timeouts still apply.
    pub fn http_client(mut self, client: impl HttpClient + 'static) -> Self {
        self.http_client = Some(Arc::new(client));
        self
    }

    /// Makes the values of unset `@idempotencyToken` members (default: random UUIDs v4);
    /// a fixed token makes requests reproducible in tests.
    pub fn idempotency_token_provider(
        mut self,
        provider: impl Fn() -> String + Send + Sync + 'static,
    ) -> Self {
        self.idempotency_tokens = Some(TokenProvider(Arc::new(provider)));
        self
    }

    /// Waits between attempts with `sleep` instead of tokio's timer (a recording or
    /// instant sleep in tests, another runtime's timer).
    pub fn sleep_impl(mut self, sleep: impl AsyncSleep + 'static) -> Self {
        self.sleep = Some(Arc::new(sleep));
        self
    }

    /// Compress bodies of at least this many bytes (default 10,240) for operations with
    /// `@requestCompression`.
    pub fn request_min_compression_size_bytes(mut self, bytes: usize) -> Self {
        self.request_min_compression_size_bytes = Some(bytes);
        self
    }

    /// The config.
    pub fn build(self) -> Config {
        let region = self.region.or_else(|| {
            ["AWS_REGION", "AWS_DEFAULT_REGION"]
                .iter()
                .find_map(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))
                .map(Region::new)
        });
        Config {
            region,
            endpoint_url: self.endpoint_url,
            credentials: self
                .credentials
                .unwrap_or_else(|| Arc::new(DefaultCredentialsChain)),
            timeouts: self.timeouts,
            retry: self.retry.unwrap_or_default(),
            app_name: self.app_name,
            validate_input: self.validate_input,
            inject_host_prefix: !self.disable_host_prefix_injection,
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            account_id: self.account_id,
            account_id_endpoint_mode: self.account_id_endpoint_mode,
            client_context_params: self.client_context_params,
            bearer_token: self.bearer_token,
            api_key: self.api_key,
            http_client: self.http_client,
            idempotency_tokens: self.idempotency_tokens,
            disable_request_compression: self.disable_request_compression,
            request_min_compression_size_bytes: self
                .request_min_compression_size_bytes
                .unwrap_or(DEFAULT_MIN_COMPRESSION_SIZE),
            sleep: self.sleep,
        }
    }
}
