//! Retries against a real HTTP server on 127.0.0.1 that fails a set number of times: the
//! attempt count, the backoff between attempts, what is retried and what never is, and the
//! idempotency token staying the same across attempts.
//!
//! Waits go through a recording sleep (`ConfigBuilder::sleep_impl`) that returns at once:
//! the tests check what the client asked to wait, never the wall clock.

use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use athena::operation::get_session::GetSessionError;
use smithy_runtime::client::{AsyncSleep, Credentials, RetryConfig, backoff_ceiling};
use smithy_runtime::server::axum;

/// Records each wait the client asks for and returns at once.
#[derive(Clone, Debug, Default)]
struct RecordingSleep(Arc<Mutex<Vec<Duration>>>);

impl AsyncSleep for RecordingSleep {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> {
        self.0.lock().unwrap().push(duration);
        Box::pin(std::future::ready(()))
    }
}

impl RecordingSleep {
    fn waits(&self) -> Vec<Duration> {
        self.0.lock().unwrap().clone()
    }
}

/// Each wait is more than zero and at most the ceiling for its attempt.
fn assert_waits_within_ceilings(waits: &[Duration], retry: &RetryConfig) {
    for (i, wait) in waits.iter().enumerate() {
        let ceiling = backoff_ceiling(retry, i as u32 + 1);
        assert!(
            *wait > Duration::ZERO && *wait <= ceiling,
            "wait {i} is {wait:?}, outside (0, {ceiling:?}]; all: {waits:?}"
        );
    }
}

/// One canned answer: an error (status and `__type`) or success.
#[derive(Clone)]
enum Answer {
    Status(u16, &'static str),
    Ok,
}

#[derive(Default)]
struct Log {
    times: Vec<Instant>,
    bodies: Vec<String>,
}

struct Server {
    addr: SocketAddr,
    log: Arc<Mutex<Log>>,
    _runtime: tokio::runtime::Runtime,
}

const OK_BODY: &str = r#"{"SessionId":"s-1","EngineVersion":"PySpark engine version 3"}"#;

/// Serves `script` in order (the last answer repeats).
fn serve(script: Vec<Answer>) -> Server {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let log = Arc::new(Mutex::new(Log::default()));
    let state = (Arc::clone(&log), Arc::new(script));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let (log, script) = state.clone();
        async move {
            let body = axum::body::to_bytes(request.into_body(), 1 << 20)
                .await
                .unwrap();
            let n = {
                let mut log = log.lock().unwrap();
                log.times.push(Instant::now());
                log.bodies.push(String::from_utf8_lossy(&body).into_owned());
                log.times.len() - 1
            };
            let answer = script[n.min(script.len() - 1)].clone();
            let (status, body, error_type) = match answer {
                Answer::Ok => (200, OK_BODY.to_string(), None),
                Answer::Status(status, code) => (
                    status,
                    format!(r#"{{"__type":"{code}","message":"try {n}"}}"#),
                    Some(code),
                ),
            };
            let mut response = axum::response::Response::new(axum::body::Body::from(body));
            *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
            response.headers_mut().insert(
                "content-type",
                "application/x-amz-json-1.1".parse().unwrap(),
            );
            if let Some(code) = error_type {
                response
                    .headers_mut()
                    .insert("x-amzn-errortype", code.parse().unwrap());
            }
            response
        }
    });
    runtime.spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    Server {
        addr,
        log,
        _runtime: runtime,
    }
}

fn client(addr: SocketAddr, retry: RetryConfig, sleep: &RecordingSleep) -> athena::Client {
    athena::Client::from_conf(
        athena::Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://{addr}"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
            .retry_config(retry)
            .sleep_impl(sleep.clone())
            .build(),
    )
}

// The SDK-shaped error is large by design (it carries the operation's error enum).
#[allow(clippy::result_large_err)]
fn call(
    server: &Server,
    retry: RetryConfig,
) -> Result<
    athena::operation::get_session::GetSessionOutput,
    smithy_runtime::client::SdkError<GetSessionError>,
> {
    call_recording(server.addr, retry, &RecordingSleep::default())
}

#[allow(clippy::result_large_err)]
fn call_recording(
    addr: SocketAddr,
    retry: RetryConfig,
    sleep: &RecordingSleep,
) -> Result<
    athena::operation::get_session::GetSessionOutput,
    smithy_runtime::client::SdkError<GetSessionError>,
> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        client(addr, retry, sleep)
            .get_session()
            .session_id("s-1")
            .send()
            .await
    })
}

fn backoff_100ms() -> RetryConfig {
    RetryConfig::standard().with_initial_backoff(Duration::from_millis(100))
}

#[test]
fn server_errors_are_retried_until_success() {
    let server = serve(vec![
        Answer::Status(500, "InternalServerException"),
        Answer::Status(503, "ServiceUnavailable"),
        Answer::Ok,
    ]);
    let sleep = RecordingSleep::default();
    let output =
        call_recording(server.addr, backoff_100ms(), &sleep).expect("the third attempt succeeds");
    assert_eq!(output.session_id(), Some("s-1"));
    let log = server.log.lock().unwrap();
    assert_eq!(log.times.len(), 3);
    // One wait before each retry: full jitter, more than zero, at most 100 then 200 ms.
    let waits = sleep.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_waits_within_ceilings(&waits, &backoff_100ms());
    // The same bytes each time.
    assert!(log.bodies.windows(2).all(|w| w[0] == w[1]));
}

#[test]
fn attempts_stop_at_the_maximum() {
    let server = serve(vec![Answer::Status(500, "InternalServerException")]);
    let error = call(
        &server,
        RetryConfig::standard().with_initial_backoff(Duration::from_millis(1)),
    )
    .unwrap_err();
    assert!(
        matches!(
            error.as_service_error(),
            Some(GetSessionError::InternalServerException(_))
        ),
        "{error:?}"
    );
    assert_eq!(
        error.message(),
        Some("try 2"),
        "the last attempt's error is returned"
    );
    assert_eq!(
        server.log.lock().unwrap().times.len(),
        3,
        "standard mode makes 3 attempts"
    );

    let server = serve(vec![Answer::Status(500, "InternalServerException")]);
    let retry = RetryConfig::standard()
        .with_max_attempts(5)
        .with_initial_backoff(Duration::from_millis(1));
    call(&server, retry).unwrap_err();
    assert_eq!(server.log.lock().unwrap().times.len(), 5);
}

#[test]
fn throttling_is_retried_but_modeled_client_errors_never_are() {
    let server = serve(vec![Answer::Status(400, "ThrottlingException"), Answer::Ok]);
    call(&server, backoff_100ms()).expect("retried after throttling");
    assert_eq!(server.log.lock().unwrap().times.len(), 2);

    let server = serve(vec![
        Answer::Status(400, "ResourceNotFoundException"),
        Answer::Ok,
    ]);
    let error = call(&server, backoff_100ms()).unwrap_err();
    assert!(matches!(
        error.as_service_error(),
        Some(GetSessionError::ResourceNotFoundException(_))
    ));
    assert_eq!(
        server.log.lock().unwrap().times.len(),
        1,
        "a modeled client error is final"
    );

    let server = serve(vec![
        Answer::Status(400, "InvalidRequestException"),
        Answer::Ok,
    ]);
    call(&server, backoff_100ms()).unwrap_err();
    assert_eq!(server.log.lock().unwrap().times.len(), 1);
}

#[test]
fn backoff_grows_between_attempts() {
    // Six attempts, five waits: each under a ceiling that doubles from 100 ms and stops at
    // 1 s. Over several calls the waits differ (full jitter) and the later ones, with the
    // larger ceilings, are on average longer.
    let retry = RetryConfig {
        max_backoff: Duration::from_secs(1),
        ..backoff_100ms().with_max_attempts(6)
    };
    let ceilings: Vec<Duration> = (1..=5).map(|a| backoff_ceiling(&retry, a)).collect();
    assert_eq!(
        ceilings,
        [100, 200, 400, 800, 1000].map(Duration::from_millis),
        "the ceilings double, then are capped"
    );
    let mut totals = [Duration::ZERO; 5];
    let mut all = Vec::new();
    for _ in 0..20 {
        let server = serve(vec![Answer::Status(500, "InternalServerException")]);
        let sleep = RecordingSleep::default();
        call_recording(server.addr, retry.clone(), &sleep).unwrap_err();
        assert_eq!(server.log.lock().unwrap().times.len(), 6);
        let waits = sleep.waits();
        assert_eq!(waits.len(), 5, "{waits:?}");
        assert_waits_within_ceilings(&waits, &retry);
        for (total, wait) in totals.iter_mut().zip(&waits) {
            *total += *wait;
        }
        all.extend(waits);
    }
    assert!(all.iter().any(|w| *w != all[0]), "jitter: {all:?}");
    // Mean waits grow with the ceiling: 20 draws each, uniform under 100 ms vs under 800 ms.
    assert!(totals[0] < totals[3], "{totals:?}");
}

#[test]
fn connection_failures_are_retried() {
    // A listener that accepts each connection and closes it without a byte of answer,
    // counting them: every attempt fails to dispatch.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { break };
            *counter.lock().unwrap() += 1;
            drop(stream);
        }
    });
    let retry = RetryConfig::standard().with_initial_backoff(Duration::from_millis(50));
    let sleep = RecordingSleep::default();
    let error = call_recording(addr, retry.clone(), &sleep).unwrap_err();
    assert!(
        matches!(error, smithy_runtime::client::SdkError::DispatchFailure(_)),
        "{error:?}"
    );
    assert_eq!(
        *accepted.lock().unwrap(),
        3,
        "standard mode makes 3 attempts"
    );
    let waits = sleep.waits();
    assert_eq!(waits.len(), 2, "{waits:?}");
    assert_waits_within_ceilings(&waits, &retry);
}

#[test]
fn idempotency_token_is_generated_once_and_reused_on_retry() {
    // A restJson1 server for StartSession that fails twice, then succeeds.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let bodies = Arc::new(Mutex::new(Vec::<String>::new()));
    let seen = Arc::clone(&bodies);
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let app = axum::Router::new().fallback(move |request: axum::extract::Request| {
        let seen = Arc::clone(&seen);
        async move {
            let path = request.uri().path().to_string();
            let body = axum::body::to_bytes(request.into_body(), 1 << 20).await.unwrap();
            let n = {
                let mut seen = seen.lock().unwrap();
                seen.push(format!("{path} {}", String::from_utf8_lossy(&body)));
                seen.len()
            };
            let (status, body) = if n < 3 {
                (500, r#"{"message":"busy"}"#.to_string())
            } else {
                (200, r#"{"applicationId":"app1","sessionId":"s1","arn":"arn:aws:emr-serverless:us-east-1:123456789012:/applications/app1/sessions/s1"}"#.to_string())
            };
            let mut response = axum::response::Response::new(axum::body::Body::from(body));
            *response.status_mut() = axum::http::StatusCode::from_u16(status).unwrap();
            if status == 500 {
                response.headers_mut().insert("x-amzn-errortype", "InternalServerException".parse().unwrap());
            }
            response
        }
    });
    runtime.spawn(async move { axum::serve(listener, app).await.unwrap() });
    let output = runtime
        .block_on(async {
            let client = emr_serverless::Client::from_conf(
                emr_serverless::Config::builder()
                    .region("us-east-1")
                    .endpoint_url(format!("http://{addr}"))
                    .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
                    .retry_config(
                        RetryConfig::standard().with_initial_backoff(Duration::from_millis(5)),
                    )
                    .build(),
            );
            client
                .start_session()
                .application_id("app1")
                .execution_role_arn("arn:aws:iam::123456789012:role/R")
                .send()
                .await
        })
        .expect("succeeds on the third attempt");
    assert_eq!(output.session_id(), "s1");
    let bodies = bodies.lock().unwrap();
    assert_eq!(bodies.len(), 3);
    // The label is in the path, not the body; the token is a UUID v4, the same each time.
    let first: serde_json::Value =
        serde_json::from_str(bodies[0].split_once(' ').unwrap().1).unwrap();
    assert!(
        bodies[0].starts_with("/applications/app1/sessions "),
        "{}",
        bodies[0]
    );
    assert!(first.get("applicationId").is_none(), "{first}");
    let token = first["clientToken"]
        .as_str()
        .expect("a token was filled in");
    assert_eq!(token.len(), 36);
    assert_eq!(&token[14..15], "4");
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
}
