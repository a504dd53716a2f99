//! Retries against a real HTTP server on 127.0.0.1 that fails a set number of times: the
//! attempt count, the backoff between attempts, what is retried and what never is, and the
//! idempotency token staying the same across attempts.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use athena::operation::get_session::GetSessionError;
use smithy_runtime::client::{Credentials, RetryConfig};
use smithy_runtime::server::axum;

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

fn client(addr: SocketAddr, retry: RetryConfig) -> athena::Client {
    athena::Client::from_conf(
        athena::Config::builder()
            .region("us-east-1")
            .endpoint_url(format!("http://{addr}"))
            .credentials_provider(Credentials::new("AKIDEXAMPLE", "secret", None, None))
            .retry_config(retry)
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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        client(server.addr, retry)
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
    let output = call(&server, backoff_100ms()).expect("the third attempt succeeds");
    assert_eq!(output.session_id(), Some("s-1"));
    let log = server.log.lock().unwrap();
    assert_eq!(log.times.len(), 3);
    // Full jitter: each wait is random, at most 100 ms then 200 ms (plus scheduling slack).
    let gaps: Vec<Duration> = log.times.windows(2).map(|w| w[1] - w[0]).collect();
    assert!(gaps[0] <= Duration::from_millis(100 + 80), "{gaps:?}");
    assert!(gaps[1] <= Duration::from_millis(200 + 80), "{gaps:?}");
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
    // With a large scale the waits are visible: the sum of two waits is at most 100+200 ms
    // and, over a few tries, not always near zero (it is random, so only bounds are checked).
    let server = serve(vec![Answer::Status(500, "InternalServerException")]);
    let started = Instant::now();
    call(&server, backoff_100ms()).unwrap_err();
    let elapsed = started.elapsed();
    assert!(elapsed <= Duration::from_millis(300 + 500), "{elapsed:?}");
}

#[test]
fn connection_failures_are_retried() {
    // Bind then drop a listener: nothing accepts on that port any more.
    let addr = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let started = Instant::now();
    let error = runtime
        .block_on(async {
            client(
                addr,
                RetryConfig::standard().with_initial_backoff(Duration::from_millis(50)),
            )
            .get_session()
            .session_id("s-1")
            .send()
            .await
        })
        .unwrap_err();
    assert!(
        matches!(error, smithy_runtime::client::SdkError::DispatchFailure(_)),
        "{error:?}"
    );
    // Two backoffs happened, each at most 50 then 100 ms.
    assert!(started.elapsed() < Duration::from_millis(150 + 500));
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
