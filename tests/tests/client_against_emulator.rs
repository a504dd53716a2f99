//! The generated clients against the local emulator, over real HTTP on 127.0.0.1: both
//! operations, every modeled error, the unhandled error, idempotency tokens.

use athena::operation::get_session::GetSessionError;
use emr_serverless::operation::start_session::StartSessionError;
use emulator::{Config as EmulatorConfig, Emulator};
use smithy_runtime::client::{Credentials, RetryConfig};

const SESSION: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APPLICATION: &str = "00fabcdefghij012";
const ROLE: &str = "arn:aws:iam::123456789012:role/EMRRole";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn start() -> (String, emulator::EmulatorHandle) {
    let config = EmulatorConfig {
        port: 0,
        ..EmulatorConfig::default()
    };
    let (addr, handle) = Emulator::start(config).expect("emulator starts");
    (format!("http://{addr}"), handle)
}

fn athena_client(endpoint: &str) -> athena::Client {
    let config = athena::Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
        .build();
    athena::Client::from_conf(config)
}

fn emr_client(endpoint: &str, region: &str) -> emr_serverless::Client {
    let config = emr_serverless::Config::builder()
        .region(region)
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
        .retry_config(
            RetryConfig::standard().with_initial_backoff(std::time::Duration::from_millis(5)),
        )
        .build();
    emr_serverless::Client::from_conf(config)
}

#[test]
fn get_session_returns_every_seeded_field() {
    let (endpoint, _emulator) = start();
    runtime().block_on(async {
        let client = athena_client(&endpoint);
        let output = client
            .get_session()
            .session_id(SESSION)
            .send()
            .await
            .expect("GetSession succeeds");
        // Every member, compared with what the emulator was seeded with.
        let seeded = &emulator::Seed::builtin().athena_sessions[SESSION];
        assert_eq!(&output, seeded);
        // And a few of them spelled out, so a seed that went empty cannot pass.
        assert_eq!(output.session_id(), Some(SESSION));
        assert_eq!(output.work_group(), Some("spark-analytics"));
        let status = output.status().expect("status");
        assert_eq!(status.state().map(|s| s.as_str()), Some("TERMINATED"));
        assert_eq!(
            status.start_date_time(),
            Some(athena::primitives::DateTime::from_millis(1_718_000_000_125))
        );
    });
}

#[test]
fn get_session_modeled_and_unhandled_errors() {
    let (endpoint, _emulator) = start();
    runtime().block_on(async {
        let client = athena_client(&endpoint);
        let missing = client
            .get_session()
            .session_id("no-such-session")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                missing.as_service_error(),
                Some(GetSessionError::ResourceNotFoundException(_))
            ),
            "{missing:?}"
        );
        assert_eq!(missing.code(), Some("ResourceNotFoundException"));
        assert_eq!(missing.status(), Some(400));
        assert!(missing.request_id().is_some_and(|id| id.len() == 36));

        let invalid = client
            .get_session()
            .session_id("fault-invalid")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                invalid.as_service_error(),
                Some(GetSessionError::InvalidRequestException(_))
            ),
            "{invalid:?}"
        );

        let internal = client
            .get_session()
            .session_id("fault-internal")
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                internal.as_service_error(),
                Some(GetSessionError::InternalServerException(_))
            ),
            "{internal:?}"
        );

        // A handler panic is a 500 `InternalFailure`: not modeled, so `Unhandled`.
        let panic = client
            .get_session()
            .session_id("fault-panic")
            .send()
            .await
            .unwrap_err();
        let Some(GetSessionError::Unhandled(unhandled)) = panic.as_service_error() else {
            panic!("{panic:?}")
        };
        assert_eq!(unhandled.meta().code(), Some("InternalFailure"));
        assert_eq!(panic.status(), Some(500));
    });
}

#[test]
fn start_session_fills_and_honours_the_idempotency_token() {
    let (endpoint, _emulator) = start();
    runtime().block_on(async {
        let client = emr_client(&endpoint, "eu-west-1");
        let first = client
            .start_session()
            .application_id(APPLICATION)
            .execution_role_arn(ROLE)
            .name("nightly")
            .send()
            .await
            .expect("StartSession succeeds");
        assert_eq!(first.application_id(), APPLICATION);
        assert!(first.arn().starts_with(
            "arn:aws:emr-serverless:eu-west-1:123456789012:/applications/00fabcdefghij012/sessions/"
        ));
        // Without a token each call is a new session.
        let second = client
            .start_session()
            .application_id(APPLICATION)
            .execution_role_arn(ROLE)
            .send()
            .await
            .unwrap();
        assert_ne!(first.session_id(), second.session_id());
        // The same token and request give the same session; another request is a conflict.
        let again = || {
            client
                .start_session()
                .application_id(APPLICATION)
                .execution_role_arn(ROLE)
                .client_token("tok-1")
        };
        let a = again().send().await.unwrap();
        let b = again().send().await.unwrap();
        assert_eq!(a.session_id(), b.session_id());
        let conflict = again().name("other").send().await.unwrap_err();
        assert!(
            matches!(
                conflict.as_service_error(),
                Some(StartSessionError::ConflictException(_))
            ),
            "{conflict:?}"
        );
        assert_eq!(conflict.status(), Some(409));
    });
}

#[test]
fn start_session_every_modeled_error() {
    let (endpoint, _emulator) = start();
    runtime().block_on(async {
        let client = emr_client(&endpoint, "us-east-1");
        let call = |app: &str| client.start_session().application_id(app.to_string()).execution_role_arn(ROLE);
        let not_found = call("00fnosuchapp0000").send().await.unwrap_err();
        assert!(matches!(not_found.as_service_error(), Some(StartSessionError::ResourceNotFoundException(_))), "{not_found:?}");
        assert_eq!(not_found.status(), Some(404));
        let validation = call("NOT-VALID").send().await.unwrap_err();
        let Some(StartSessionError::ValidationException(e)) = validation.as_service_error() else { panic!("{validation:?}") };
        assert_eq!(
            e.message(),
            "1 validation error detected. Value at '/applicationId' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[0-9a-z]+$"
        );
        assert_eq!(validation.status(), Some(400));
        let internal = call("faultinternal").send().await.unwrap_err();
        assert!(matches!(internal.as_service_error(), Some(StartSessionError::InternalServerException(_))), "{internal:?}");
        let mut quota = None;
        for _ in 0..200 {
            match call("00fquotalimited1").send().await {
                Ok(_) => continue,
                Err(e) => {
                    quota = Some(e);
                    break;
                }
            }
        }
        let quota = quota.expect("the quota is reached");
        assert!(matches!(quota.as_service_error(), Some(StartSessionError::ServiceQuotaExceededException(_))), "{quota:?}");
        assert_eq!(quota.status(), Some(402));
    });
}

#[test]
fn client_side_validation_is_opt_in_and_fails_before_sending() {
    runtime().block_on(async {
        // Nothing listens on port 9: a request that left would fail to connect.
        let config = emr_serverless::Config::builder()
            .region("us-east-1")
            .endpoint_url("http://127.0.0.1:9")
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
            .retry_config(RetryConfig::disabled())
            .validate_input(true)
            .build();
        let client = emr_serverless::Client::from_conf(config);
        let error = client
            .start_session()
            .application_id("BAD!")
            .execution_role_arn(ROLE)
            .send()
            .await
            .unwrap_err();
        assert!(
            matches!(
                error,
                smithy_runtime::client::SdkError::ConstructionFailure(_)
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            "failed to construct request: 1 validation error detected. Value at \
             '/applicationId' failed to satisfy constraint: Member must satisfy regular \
             expression pattern: ^[0-9a-z]+$"
        );
    });
}
