//! `aws-config` interop (feature `aws-config`): a config from the AWS SDK's `SdkConfig`,
//! so a program that loads its settings with `aws_config::load_defaults` keeps doing so
//! and swaps only the clients. Region, credentials provider (the whole aws-config chain:
//! SSO, web identity, IMDS, ECS, `credential_process`...), endpoint URL, FIPS and
//! dual-stack, retry and timeout settings and the app name carry over.

use std::time::Duration;

use aws_credential_types::provider::ProvideCredentials as _;

use super::credentials::{CredentialsError, ProvideFuture};
use super::{Config, ConfigBuilder, Credentials, ProvideCredentials, RetryConfig};

/// An aws-config credentials provider, as this runtime's.
#[derive(Debug)]
struct SdkCredentials(aws_credential_types::provider::SharedCredentialsProvider);

impl ProvideCredentials for SdkCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let credentials = self
                .0
                .provide_credentials()
                .await
                .map_err(|e| CredentialsError::new(e.to_string()))?;
            Ok(Credentials::new(
                credentials.access_key_id(),
                credentials.secret_access_key(),
                credentials.session_token().map(str::to_owned),
                credentials.expiry(),
            ))
        })
    }
}

impl From<&aws_types::SdkConfig> for ConfigBuilder {
    fn from(sdk: &aws_types::SdkConfig) -> ConfigBuilder {
        let mut builder = Config::builder();
        if let Some(region) = sdk.region() {
            builder = builder.region(region.as_ref());
        }
        if let Some(url) = sdk.endpoint_url() {
            builder = builder.endpoint_url(url);
        }
        if let Some(provider) = sdk.credentials_provider() {
            builder = builder.credentials_provider(SdkCredentials(provider));
        }
        if let Some(fips) = sdk.use_fips() {
            builder = builder.use_fips(fips);
        }
        if let Some(dual_stack) = sdk.use_dual_stack() {
            builder = builder.use_dual_stack(dual_stack);
        }
        if let Some(app) = sdk.app_name() {
            builder = builder.app_name(app.as_ref());
        }
        if let Some(retry) = sdk.retry_config() {
            builder = builder.retry_config(RetryConfig {
                max_attempts: retry.max_attempts().max(1),
                initial_backoff: retry.initial_backoff(),
                max_backoff: retry.max_backoff(),
            });
        }
        if let Some(timeouts) = sdk.timeout_config() {
            let set = |limit: Option<Duration>| limit;
            if let Some(connect) = set(timeouts.connect_timeout()) {
                builder = builder.connect_timeout(connect);
            }
            if let Some(attempt) = set(timeouts.operation_attempt_timeout()) {
                builder = builder.attempt_timeout(attempt);
            }
            if let Some(operation) = set(timeouts.operation_timeout()) {
                builder = builder.operation_timeout(operation);
            }
        }
        builder
    }
}

impl From<&aws_types::SdkConfig> for Config {
    fn from(sdk: &aws_types::SdkConfig) -> Config {
        ConfigBuilder::from(sdk).build()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_sdk_config_carries_over() {
        let sdk = aws_types::SdkConfig::builder()
            .region(aws_types::region::Region::new("eu-north-1"))
            .endpoint_url("http://127.0.0.1:4566")
            .credentials_provider(
                aws_credential_types::provider::SharedCredentialsProvider::new(
                    aws_credential_types::Credentials::new(
                        "AKID",
                        "SECRET",
                        Some("TOKEN".into()),
                        None,
                        "test",
                    ),
                ),
            )
            .use_fips(true)
            .retry_config(aws_smithy_types::retry::RetryConfig::standard().with_max_attempts(5))
            .timeout_config(
                aws_smithy_types::timeout::TimeoutConfig::builder()
                    .connect_timeout(Duration::from_secs(3))
                    .operation_timeout(Duration::from_secs(30))
                    .build(),
            )
            .behavior_version(
                aws_smithy_runtime_api::client::behavior_version::BehaviorVersion::latest(),
            )
            .build();
        let config = Config::from(&sdk);
        assert_eq!(config.region().map(|r| r.as_str()), Some("eu-north-1"));
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:4566"));
        assert!(config.use_fips);
        assert_eq!(config.retry_config().max_attempts, 5);
        assert_eq!(
            config.timeout_config().connect,
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            config.timeout_config().operation,
            Some(Duration::from_secs(30))
        );
        let credentials =
            super::super::test_util::block_on(config.credentials.provide_credentials()).unwrap();
        assert_eq!(credentials.access_key_id(), "AKID");
        assert_eq!(credentials.session_token(), Some("TOKEN"));
    }
}
