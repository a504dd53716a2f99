//! The fuzz targets, as functions: `fuzz/` runs them under libFuzzer
//! (`cargo xtask fuzz`), and `tests/tests/fuzz_replay.rs` replays their seeds and every
//! saved crash (`fuzz/regressions/<target>/`) in `cargo test`. Each panics when an
//! invariant breaks: no panic in the code under test, no hang, and every server response
//! a well-formed protocol answer.

use std::io::{Read as _, Write as _};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use serde_json::Value;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tower::ServiceExt as _;

/// The targets, by name.
pub const TARGETS: [&str; 4] = ["server_request", "idl", "json_ast", "client_response"];

/// Runs target `name` on `data`.
pub fn run(name: &str, data: &[u8]) {
    match name {
        "server_request" => server_request(data),
        "idl" => idl(data),
        "json_ast" => json_ast(data),
        "client_response" => client_response(data),
        other => panic!("no fuzz target `{other}` (targets: {})", TARGETS.join(", ")),
    }
}

/// How long one input may take before it counts as a hang.
const HANG: Duration = Duration::from_secs(5);

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
});

/// Both services of the emulator (awsJson1_1 and restJson1) on one router, with a small
/// body limit so large inputs reach it.
static ROUTER: LazyLock<smithy_runtime::server::axum::Router> = LazyLock::new(|| {
    let config = emulator::Config {
        port: 0,
        server: smithy_runtime::server::ServerConfig::default().with_body_limit(64 * 1024),
        ..emulator::Config::default()
    };
    emulator::router(&config).expect("the emulator's router")
});

/// Raw HTTP/1.1 request bytes through hyper into the generated routers; every response
/// must be well formed, and a protocol error must have a JSON body naming its type.
pub fn server_request(data: &[u8]) {
    let output = RUNTIME.block_on(async {
        let (mut client, server) = tokio::io::duplex(1 << 20);
        let service =
            hyper::service::service_fn(|request: hyper::Request<hyper::body::Incoming>| {
                ROUTER.clone().oneshot(request)
            });
        let connection = hyper::server::conn::http1::Builder::new()
            .serve_connection(hyper_util::rt::TokioIo::new(server), service);
        let exchange = async {
            client.write_all(data).await.expect("writes to the duplex");
            client.shutdown().await.expect("half-closes");
            let mut output = Vec::new();
            client
                .read_to_end(&mut output)
                .await
                .expect("reads the duplex");
            output
        };
        let (_, output) = tokio::time::timeout(HANG, async { tokio::join!(connection, exchange) })
            .await
            .expect("the server answered within the time limit");
        output
    });
    check_responses(&output);
}

/// Every response in `output` (as many as hyper wrote): a status from 100 to 599, and
/// for an error the router made (it has `x-amzn-requestid`) a JSON object body with the
/// error's type, in `__type` or `x-amzn-errortype`.
fn check_responses(output: &[u8]) {
    let mut rest = output;
    while !rest.is_empty() {
        let mut headers = [httparse::EMPTY_HEADER; 64];
        let mut response = httparse::Response::new(&mut headers);
        let head = match response.parse(rest) {
            Ok(httparse::Status::Complete(head)) => head,
            other => panic!(
                "not an HTTP response: {other:?}: {:?}",
                String::from_utf8_lossy(rest)
            ),
        };
        let status = response.code.expect("a status");
        assert!((100..600).contains(&status), "status {status}");
        let header = |name: &str| {
            response
                .headers
                .iter()
                .find(|h| h.name.eq_ignore_ascii_case(name))
                .map(|h| String::from_utf8_lossy(h.value).to_string())
        };
        let length: usize = header("content-length")
            .map(|v| v.parse().expect("a numeric content-length"))
            .unwrap_or(0);
        assert!(
            header("transfer-encoding").is_none(),
            "the routers answer with a length"
        );
        let body = &rest[head..(head + length).min(rest.len())];
        if status >= 400 && header("x-amzn-requestid").is_some() {
            let json: Value = serde_json::from_slice(body)
                .unwrap_or_else(|e| panic!("error {status} without a JSON body ({e}): {body:?}"));
            assert!(json.is_object(), "error body {json}");
            assert!(
                json.get("__type").is_some() || header("x-amzn-errortype").is_some(),
                "error {status} without a type: {json}"
            );
        }
        assert!(
            status <= 501,
            "status {status}: only a handler failure (500) or an unsupported operation (501)"
        );
        rest = &rest[(head + length).min(rest.len())..];
    }
}

/// Any text through the IDL reader: `Ok` or `Err` (which must render), never a panic.
pub fn idl(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = Path::new("fuzz.smithy");
        if let Err(diagnostics) = smithy_codegen::idl::parse_to_json_ast(path, text) {
            let _ = diagnostics.to_string();
        }
    }
}

/// Any text through the JSON AST loader (and the model checks loading runs).
pub fn json_ast(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        let sources = [(PathBuf::from("fuzz.json"), text.to_string())];
        if let Err(diagnostics) = smithy_codegen::load::load_sources(&sources) {
            let _ = diagnostics.to_string();
        }
    }
}

/// A server that answers every connection with the current answer, then closes.
struct Replier {
    addr: SocketAddr,
    answer: Arc<Mutex<Vec<u8>>>,
}

static REPLIER: LazyLock<Replier> = LazyLock::new(|| {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    let addr = listener.local_addr().expect("an address");
    let answer = Arc::new(Mutex::new(Vec::new()));
    let current = Arc::clone(&answer);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            // Read the request (whatever arrives first), answer, close.
            let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            let answer = current.lock().unwrap_or_else(|e| e.into_inner()).clone();
            let _ = stream.write_all(&answer);
        }
    });
    Replier { addr, answer }
});

/// Any bytes as the HTTP response to a generated client's call (the first byte picks
/// Athena, awsJson1_1, or EMR Serverless, restJson1): the call ends, `Ok` or `Err`,
/// within its timeout and never panics.
pub fn client_response(data: &[u8]) {
    let replier = &*REPLIER;
    *replier.answer.lock().unwrap_or_else(|e| e.into_inner()) = data.to_vec();
    let endpoint = format!("http://{}", replier.addr);
    let credentials = smithy_runtime::client::Credentials::new("AKIDEXAMPLE", "secret", None, None);
    RUNTIME.block_on(async {
        // The same settings for either client: no retries, short timeouts.
        macro_rules! config {
            ($krate:ident) => {
                $krate::Config::builder()
                    .region("us-east-1")
                    .endpoint_url(&endpoint)
                    .credentials_provider(credentials)
                    .retry_config(smithy_runtime::client::RetryConfig::disabled())
                    .connect_timeout(Duration::from_secs(2))
                    .operation_timeout(Duration::from_secs(3))
                    .build()
            };
        }
        let call = async {
            // Debug-printing the result runs the error's formatting too.
            if data.first().is_some_and(|b| b % 2 == 0) {
                let result = athena::Client::from_conf(config!(athena))
                    .get_session()
                    .session_id("s-1")
                    .send()
                    .await;
                let _ = format!("{result:?}");
            } else {
                let result = emr_serverless::Client::from_conf(config!(emr_serverless))
                    .start_session()
                    .application_id("00fabcdefghij012")
                    .client_token("t-1")
                    .execution_role_arn("arn:aws:iam::123456789012:role/R")
                    .send()
                    .await;
                let _ = format!("{result:?}");
            }
        };
        tokio::time::timeout(HANG, call)
            .await
            .expect("the call ended within the time limit");
    });
}

/// The starting inputs of `target`: the protocol compliance cases of `shared` (the
/// official Smithy protocol test models) rendered as raw HTTP requests or responses, or
/// the models themselves, and this project's models and emulator requests.
pub fn seeds(target: &str, shared: &Path, workspace: &Path) -> Vec<Vec<u8>> {
    let tests_dir = shared.join("smithy-protocol-tests");
    let mut smithy_files = Vec::new();
    for dir in [tests_dir.clone(), workspace.join("model")] {
        if let Ok(found) = smithy_codegen::load::model_files(&dir) {
            smithy_files.extend(
                found
                    .into_iter()
                    .filter(|p| p.extension().is_some_and(|e| e == "smithy")),
            );
        }
    }
    match target {
        "idl" => smithy_files
            .iter()
            .filter_map(|p| std::fs::read(p).ok())
            .collect(),
        "json_ast" => smithy_files
            .iter()
            .filter_map(|p| smithy_codegen::load::export_paths(std::slice::from_ref(p)).ok())
            .map(|ast| serde_json::to_vec(&ast).expect("JSON"))
            .collect(),
        "server_request" => {
            let mut seeds = emulator_requests();
            seeds.extend(
                protocol_cases(&tests_dir, "smithy.test#httpRequestTests")
                    .iter()
                    .map(render_request),
            );
            seeds
        }
        "client_response" => {
            let mut seeds = Vec::new();
            for case in protocol_cases(&tests_dir, "smithy.test#httpResponseTests") {
                let response = render_response(&case);
                // Both clients (see `client_response`).
                for first in [b'0', b'1'] {
                    let mut seed = vec![first];
                    seed.extend_from_slice(&response);
                    seeds.push(seed);
                }
            }
            seeds
        }
        other => panic!("no fuzz target `{other}`"),
    }
}

/// Well-formed requests to the emulator: each service's operation, valid and not.
fn emulator_requests() -> Vec<Vec<u8>> {
    let athena = |body: &str| {
        format!(
            "POST / HTTP/1.1\r\nhost: x\r\nx-amz-target: AmazonAthena.GetSession\r\n\
             content-type: application/x-amz-json-1.1\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    let emr = |body: &str| {
        format!(
            "POST /applications/00fabcdefghij012/sessions HTTP/1.1\r\nhost: x\r\n\
             content-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
            body.len()
        )
        .into_bytes()
    };
    vec![
        athena(r#"{"SessionId":"9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e"}"#),
        athena(r#"{"SessionId":""}"#),
        athena("{"),
        emr(r#"{"clientToken":"t1","executionRoleArn":"arn:aws:iam::123456789012:role/R"}"#),
        emr(
            r#"{"clientToken":"t1","executionRoleArn":"x","configurationOverrides":{"applicationConfiguration":[{"classification":"c","properties":{"k":"v"}}]}}"#,
        ),
    ]
}

/// Every case of the `trait_id` test trait in the models under `dir`.
fn protocol_cases(dir: &Path, trait_id: &str) -> Vec<Value> {
    let Ok(files) = smithy_codegen::load::model_files(dir) else {
        return Vec::new();
    };
    let Ok(ast) = smithy_codegen::load::export_paths(&files) else {
        return Vec::new();
    };
    let mut cases = Vec::new();
    if let Some(shapes) = ast["shapes"].as_object() {
        for shape in shapes.values() {
            if let Some(list) = shape["traits"][trait_id].as_array() {
                cases.extend(list.iter().cloned());
            }
        }
    }
    cases
}

fn render_headers(case: &Value, out: &mut String) {
    if let Some(headers) = case["headers"].as_object() {
        for (name, value) in headers {
            out.push_str(&format!(
                "{name}: {}\r\n",
                value.as_str().unwrap_or_default()
            ));
        }
    }
}

fn render_request(case: &Value) -> Vec<u8> {
    let mut target = case["uri"].as_str().unwrap_or("/").to_string();
    if let Some(params) = case["queryParams"].as_array() {
        let params: Vec<&str> = params.iter().filter_map(Value::as_str).collect();
        if !params.is_empty() {
            target.push(if target.contains('?') { '&' } else { '?' });
            target.push_str(&params.join("&"));
        }
    }
    let body = case["body"].as_str().unwrap_or_default();
    let mut out = format!(
        "{} {target} HTTP/1.1\r\nhost: x\r\n",
        case["method"].as_str().unwrap_or("POST")
    );
    render_headers(case, &mut out);
    out.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    out.into_bytes()
}

fn render_response(case: &Value) -> Vec<u8> {
    let body = case["body"].as_str().unwrap_or_default();
    let mut out = format!("HTTP/1.1 {} X\r\n", case["code"].as_u64().unwrap_or(200));
    render_headers(case, &mut out);
    out.push_str(&format!("content-length: {}\r\n\r\n{body}", body.len()));
    out.into_bytes()
}
