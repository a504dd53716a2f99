//! Client benchmark: the generated clients (`athena`, `emr-serverless`) against the AWS SDK
//! for Rust (`aws-sdk-athena`, `aws-sdk-emrserverless`; cargo feature `sdk`) and a bare
//! hyper client sending the same request bytes unsigned, against one local server.
//!
//! `cargo xtask bench client [--skip-sdk]`, or by hand:
//! `CARGO_TARGET_DIR=target/client-comparison cargo run --release --manifest-path
//! benches/client-comparison/Cargo.toml -- [--runs 5] [--duration-ms 2000] [--server fixed|emulator]`.
//! Prints a markdown report on stdout, progress on stderr.
//!
//! The server runs in a child process of this binary (`serve-fixed`: a one-thread hyper
//! server answering the emulator's response bytes; `serve-emulator`: the emulator itself),
//! so this process's CPU time (getrusage) is the clients' alone. Every client runs on
//! the same one-thread tokio runtime; runs are interleaved (run 1 of every client, then
//! run 2...). Peak memory needs one client per process: the binary runs itself again for
//! each (`--peak-rss-only --only KIND`), which prints its own VmHWM.

#[allow(dead_code)] // shared with server-bench, which uses other parts
#[path = "../../server-bench/src/measure.rs"]
mod measure;
mod phases;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderValue, header};
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client as HyperClient;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use measure::{Latencies, Run, Summary};

const SESSION_ID: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APPLICATION_ID: &str = "00fabcdefghij012";
const ROLE: &str = "arn:aws:iam::123456789012:role/EMRServerlessExecutionRole";
const SESSION_NAME: &str = "bench-session";
const IDLE_TIMEOUT_MINUTES: i64 = 60;
/// The user agent the generated clients send (the bare client sends the same).
const OUR_USER_AGENT_ATHENA: &str = "smithy-codegen-rust/0.1.0 api/athena/2017-05-18";
const OUR_USER_AGENT_EMR: &str = "smithy-codegen-rust/0.1.0 api/emr-serverless/2021-07-13";

const USAGE: &str = "\
usage: client-comparison [--runs N] [--duration-ms MS] [--warmup-ms MS] [--in-flight N]
                         [--no-sequential] [--no-phases] [--no-peak-rss] [--server fixed|emulator]
                         [--only ours,sdk,hyper] [--out FILE]
       client-comparison --peak-rss-only --only KIND [--in-flight N] [--duration-ms MS] ...
       client-comparison serve-fixed | serve-emulator";

// --- options ---------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ServerKind {
    Fixed,
    Emulator,
}

impl ServerKind {
    /// Its `--server` value.
    fn flag(self) -> &'static str {
        match self {
            ServerKind::Fixed => "fixed",
            ServerKind::Emulator => "emulator",
        }
    }
}

#[derive(Clone, Debug)]
struct Options {
    runs: usize,
    duration: Duration,
    warmup: Duration,
    in_flight: usize,
    /// Also measure one call in flight.
    sequential: bool,
    server: ServerKind,
    /// Also time the steps of one call in process (the phases table).
    phases: bool,
    /// The clients measured (all by default; fewer to profile one).
    kinds: Vec<Kind>,
    /// Also measure each client's peak memory, alone in a child process.
    peak_rss: bool,
    /// Print only this process's peak memory when done (`peak-rss KIB`), not the report:
    /// what a child of [`Options::peak_rss`] runs.
    peak_rss_only: bool,
    out: Option<std::path::PathBuf>,
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options {
        runs: 5,
        duration: Duration::from_millis(2000),
        warmup: Duration::from_millis(500),
        in_flight: 64,
        sequential: true,
        phases: true,
        server: ServerKind::Fixed,
        kinds: Kind::ALL.to_vec(),
        peak_rss: true,
        peak_rss_only: false,
        out: None,
    };
    let mut args = args.iter();
    while let Some(flag) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))
        };
        let number = |text: &String| {
            text.parse::<u64>()
                .map_err(|_| format!("{flag}: `{text}` is not a number"))
        };
        match flag.as_str() {
            "--runs" => options.runs = number(value()?)?.max(1) as usize,
            "--duration-ms" => options.duration = Duration::from_millis(number(value()?)?),
            "--warmup-ms" => options.warmup = Duration::from_millis(number(value()?)?),
            "--in-flight" => options.in_flight = number(value()?)?.max(1) as usize,
            "--no-sequential" => options.sequential = false,
            "--no-phases" => options.phases = false,
            "--no-peak-rss" => options.peak_rss = false,
            "--peak-rss-only" => options.peak_rss_only = true,
            "--server" => {
                options.server = match value()?.as_str() {
                    "fixed" => ServerKind::Fixed,
                    "emulator" => ServerKind::Emulator,
                    other => return Err(format!("--server: `{other}` is not fixed or emulator")),
                }
            }
            "--only" => {
                options.kinds = value()?
                    .split(',')
                    .map(|name| {
                        Kind::ALL
                            .iter()
                            .copied()
                            .find(|k| k.name() == name)
                            .ok_or_else(|| format!("--only: no client `{name}` in this build"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--out" => options.out = Some(value()?.into()),
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve-fixed") => serve_fixed(),
        Some("serve-emulator") => serve_emulator(),
        Some("--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => parse_options(&args).and_then(|options| drive(&options)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("client-comparison: {message}");
            ExitCode::FAILURE
        }
    }
}

// --- the server child ----------------------------------------------------------------------

/// What the server saw of the last request of each operation: header count, header
/// bytes (request line and `name: value\r\n` lines), body bytes.
#[derive(Clone, Copy, Debug, Default)]
struct Seen {
    headers: usize,
    header_bytes: usize,
    body_bytes: usize,
}

#[derive(Default)]
struct LastRequests {
    athena: Seen,
    emr: Seen,
}

/// The child's command loop: prints `listening ADDR`, answers `stats` (CPU time) and
/// `last` (sizes of the last requests) on stdin, exits when stdin closes.
fn command_loop(addr: SocketAddr, last: Option<Arc<Mutex<LastRequests>>>) -> Result<(), String> {
    let mut stdout = std::io::stdout().lock();
    let io = |e: std::io::Error| e.to_string();
    writeln!(stdout, "listening {addr}").map_err(io)?;
    stdout.flush().map_err(io)?;
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        match line.trim() {
            "stats" => writeln!(stdout, "stats {}", measure::process_cpu_time().as_micros()),
            "last" => {
                let seen = last
                    .as_ref()
                    .map(|l| {
                        let l = l.lock().unwrap_or_else(|e| e.into_inner());
                        (l.athena, l.emr)
                    })
                    .unwrap_or_default();
                writeln!(
                    stdout,
                    "last {} {} {} {} {} {}",
                    seen.0.headers,
                    seen.0.header_bytes,
                    seen.0.body_bytes,
                    seen.1.headers,
                    seen.1.header_bytes,
                    seen.1.body_bytes
                )
            }
            _ => Ok(()),
        }
        .map_err(io)?;
        stdout.flush().map_err(io)?;
    }
    std::process::exit(0);
}

/// A one-thread hyper server answering the emulator's bytes: the seeded session for any
/// request with `X-Amz-Target`, a started session for the others.
fn serve_fixed() -> Result<(), String> {
    let (get_session, start_session) = fixed_bodies()?;
    let request_id = HeaderValue::from_static("4f1c2a3b-5d6e-4f70-8192-a3b4c5d6e7f8");
    let last = Arc::new(Mutex::new(LastRequests::default()));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|e| e.to_string())?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    let seen = Arc::clone(&last);
    std::thread::spawn(move || {
        runtime.block_on(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let (get_session, start_session) = (get_session.clone(), start_session.clone());
                let (request_id, seen) = (request_id.clone(), Arc::clone(&seen));
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: http::Request<hyper::body::Incoming>| {
                            let (get_session, start_session) =
                                (get_session.clone(), start_session.clone());
                            let (request_id, seen) = (request_id.clone(), Arc::clone(&seen));
                            async move {
                                let (parts, body) = request.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                let athena = parts.headers.contains_key("x-amz-target");
                                let summary = Seen {
                                    headers: parts.headers.len(),
                                    header_bytes: parts.method.as_str().len()
                                        + parts.uri.to_string().len()
                                        + " HTTP/1.1\r\n".len()
                                        + parts
                                            .headers
                                            .iter()
                                            .map(|(n, v)| n.as_str().len() + v.len() + 4)
                                            .sum::<usize>()
                                        + 2,
                                    body_bytes: body.len(),
                                };
                                {
                                    let mut seen = seen.lock().unwrap_or_else(|e| e.into_inner());
                                    if athena {
                                        seen.athena = summary;
                                    } else {
                                        seen.emr = summary;
                                    }
                                }
                                let (body, content_type) = if athena {
                                    (get_session, "application/x-amz-json-1.1")
                                } else {
                                    (start_session, "application/json")
                                };
                                let mut response = http::Response::new(Full::new(body));
                                let headers = response.headers_mut();
                                headers.insert(
                                    header::CONTENT_TYPE,
                                    HeaderValue::from_static(content_type),
                                );
                                headers.insert("x-amzn-requestid", request_id);
                                Ok::<_, std::convert::Infallible>(response)
                            }
                        },
                    );
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(TokioIo::new(stream), service)
                        .await;
                });
            }
        });
    });
    command_loop(addr, Some(last))
}

/// The response bodies of the fixed server: the emulator's seeded session (as the
/// emulator writes it) and a started session.
fn fixed_bodies() -> Result<(Bytes, Bytes), String> {
    let seed = emulator::Seed::builtin();
    let session = seed
        .athena_sessions
        .get(SESSION_ID)
        .ok_or("the built-in seed lacks the session")?;
    let get_session = Bytes::from(smithy_runtime::wire::to_vec(session).map_err(|e| e.to_string())?);
    let start_session = Bytes::from(
        serde_json::to_vec(&serde_json::json!({
            "applicationId": APPLICATION_ID,
            "arn": format!("arn:aws:emr-serverless:us-east-1:123456789012:/applications/{APPLICATION_ID}/sessions/0a1b2c3d4e5f6g7h"),
            "sessionId": "0a1b2c3d4e5f6g7h",
        }))
        .map_err(|e| e.to_string())?,
    );
    Ok((get_session, start_session))
}

/// The emulator (its own two-thread runtime), as `emulator::Emulator::start` runs it.
fn serve_emulator() -> Result<(), String> {
    let (addr, handle) = emulator::Emulator::start(emulator::Config {
        port: 0,
        ..Default::default()
    })
    .map_err(|e| format!("the emulator does not start: {e}"))?;
    let result = command_loop(addr, None);
    handle.shutdown();
    result
}

struct ServerProcess {
    addr: SocketAddr,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl ServerProcess {
    fn start(kind: ServerKind) -> Result<ServerProcess, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mode = match kind {
            ServerKind::Fixed => "serve-fixed",
            ServerKind::Emulator => "serve-emulator",
        };
        let mut child = Command::new(exe)
            .arg(mode)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the server: {e}"))?;
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        let addr = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("the server said `{}`", line.trim()))?;
        Ok(ServerProcess {
            addr,
            child,
            stdin,
            stdout,
        })
    }

    fn ask(&mut self, command: &str) -> Result<Vec<u64>, String> {
        let stdin = self.stdin.as_mut().expect("open until drop");
        writeln!(stdin, "{command}").map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        line.trim()
            .strip_prefix(command)
            .map(|rest| {
                rest.split_whitespace()
                    .filter_map(|n| n.parse().ok())
                    .collect()
            })
            .ok_or_else(|| format!("the server answered `{command}` with `{}`", line.trim()))
    }

    fn cpu(&mut self) -> Result<Duration, String> {
        let numbers = self.ask("stats")?;
        Ok(Duration::from_micros(numbers.first().copied().unwrap_or(0)))
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

// --- the clients -------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ours,
    #[cfg(feature = "sdk")]
    Sdk,
    Hyper,
}

impl Kind {
    #[cfg(feature = "sdk")]
    const ALL: &[Kind] = &[Kind::Ours, Kind::Sdk, Kind::Hyper];
    #[cfg(not(feature = "sdk"))]
    const ALL: &[Kind] = &[Kind::Ours, Kind::Hyper];

    /// What ratios are taken against: the AWS SDK, else the bare client.
    #[cfg(feature = "sdk")]
    const COMPARISON: Kind = Kind::Sdk;
    #[cfg(not(feature = "sdk"))]
    const COMPARISON: Kind = Kind::Hyper;

    fn name(self) -> &'static str {
        match self {
            Kind::Ours => "ours",
            #[cfg(feature = "sdk")]
            Kind::Sdk => "sdk",
            Kind::Hyper => "hyper",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Kind::Ours => "generated client (athena / emr-serverless)",
            #[cfg(feature = "sdk")]
            Kind::Sdk => "AWS SDK for Rust (comparison)",
            Kind::Hyper => "bare hyper, same bytes unsigned (floor)",
        }
    }

    /// A client token of the same length for each client (the emulator refuses one
    /// token with two different requests).
    fn client_token(self) -> &'static str {
        match self {
            Kind::Ours => "bench-token-ours-0000000000000000000",
            #[cfg(feature = "sdk")]
            Kind::Sdk => "bench-token-sdk-00000000000000000000",
            Kind::Hyper => "bench-token-hyper-000000000000000000",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    GetSession,
    StartSession,
}

impl Op {
    const ALL: [Op; 2] = [Op::GetSession, Op::StartSession];

    fn label(self) -> &'static str {
        match self {
            Op::GetSession => "Athena GetSession (awsJson1_1)",
            Op::StartSession => "EMR Serverless StartSession (restJson1)",
        }
    }
}

/// The body the generated client sends for StartSession (its JSON keys sorted, as it
/// writes them through `serde_json::Value`), for the bare client.
fn start_session_body(token: &str) -> String {
    format!(
        r#"{{"clientToken":"{token}","executionRoleArn":"{ROLE}","idleTimeoutMinutes":{IDLE_TIMEOUT_MINUTES},"name":"{SESSION_NAME}","tags":{{"env":"bench","team":"analytics"}}}}"#
    )
}

fn tags() -> HashMap<String, String> {
    HashMap::from([
        ("team".to_string(), "analytics".to_string()),
        ("env".to_string(), "bench".to_string()),
    ])
}

/// The clients of the kinds asked for (the others are not made, so a process measuring
/// one kind's memory holds no other).
struct Clients {
    ours: Option<(athena::Client, emr_serverless::Client)>,
    #[cfg(feature = "sdk")]
    sdk: Option<(aws_sdk_athena::Client, aws_sdk_emrserverless::Client)>,
    bare: Option<Bare>,
}

/// The bare hyper client and what it sends.
struct Bare {
    client: HyperClient<HttpConnector, Full<Bytes>>,
    get_uri: http::Uri,
    start_uri: http::Uri,
    get_body: Bytes,
    start_body: Bytes,
}

/// The client of `kind`, when it was made.
fn made<T>(client: &Option<T>, kind: Kind) -> Result<&T, String> {
    client
        .as_ref()
        .ok_or_else(|| format!("no {} client was made", kind.name()))
}

impl Clients {
    /// The clients of `kinds`, pointed at `url`; must run inside the tokio runtime.
    fn new(url: &str, kinds: &[Kind]) -> Clients {
        use smithy_runtime::client::Credentials;
        let ours = kinds.contains(&Kind::Ours).then(|| {
            let athena = athena::Client::from_conf(
                athena::Config::builder()
                    .region("us-east-1")
                    .endpoint_url(url)
                    .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
                    .build(),
            );
            let emr = emr_serverless::Client::from_conf(
                emr_serverless::Config::builder()
                    .region("us-east-1")
                    .endpoint_url(url)
                    .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
                    .build(),
            );
            (athena, emr)
        });
        let bare = kinds.contains(&Kind::Hyper).then(|| {
            let mut connector = HttpConnector::new();
            connector.set_nodelay(true);
            Bare {
                client: HyperClient::builder(TokioExecutor::new()).build(connector),
                get_uri: format!("{url}/").parse().expect("a URI"),
                start_uri: format!("{url}/applications/{APPLICATION_ID}/sessions")
                    .parse()
                    .expect("a URI"),
                get_body: Bytes::from(format!(r#"{{"SessionId":"{SESSION_ID}"}}"#)),
                start_body: Bytes::from(start_session_body(Kind::Hyper.client_token())),
            }
        });
        Clients {
            ours,
            #[cfg(feature = "sdk")]
            sdk: kinds
                .contains(&Kind::Sdk)
                .then(|| (sdk::athena(url), sdk::emr(url))),
            bare,
        }
    }

    /// One call, its result checked.
    async fn call(&self, kind: Kind, op: Op) -> Result<(), String> {
        match (kind, op) {
            (Kind::Ours, Op::GetSession) => {
                let output = made(&self.ours, kind)?
                    .0
                    .get_session()
                    .session_id(SESSION_ID)
                    .send()
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                expect(output.session_id() == Some(SESSION_ID), "the session")
            }
            (Kind::Ours, Op::StartSession) => {
                let output = made(&self.ours, kind)?
                    .1
                    .start_session()
                    .application_id(APPLICATION_ID)
                    .client_token(kind.client_token())
                    .execution_role_arn(ROLE)
                    .idle_timeout_minutes(IDLE_TIMEOUT_MINUTES)
                    .name(SESSION_NAME)
                    .tags(tags())
                    .send()
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                expect(output.application_id() == APPLICATION_ID, "the application")
            }
            #[cfg(feature = "sdk")]
            (Kind::Sdk, op) => sdk::call(made(&self.sdk, kind)?, op, kind.client_token()).await,
            (Kind::Hyper, op) => {
                let bare = made(&self.bare, kind)?;
                let (uri, body, target, content_type, user_agent) = match op {
                    Op::GetSession => (
                        &bare.get_uri,
                        &bare.get_body,
                        Some("AmazonAthena.GetSession"),
                        "application/x-amz-json-1.1",
                        OUR_USER_AGENT_ATHENA,
                    ),
                    Op::StartSession => (
                        &bare.start_uri,
                        &bare.start_body,
                        None,
                        "application/json",
                        OUR_USER_AGENT_EMR,
                    ),
                };
                let mut request = http::Request::new(Full::new(body.clone()));
                *request.method_mut() = http::Method::POST;
                *request.uri_mut() = uri.clone();
                let headers = request.headers_mut();
                headers.insert(header::USER_AGENT, HeaderValue::from_static(user_agent));
                headers.insert("x-amz-user-agent", HeaderValue::from_static(user_agent));
                if let Some(target) = target {
                    headers.insert("x-amz-target", HeaderValue::from_static(target));
                }
                headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
                let response = bare
                    .client
                    .request(request)
                    .await
                    .map_err(|e| e.to_string())?;
                let status = response.status();
                let body = response
                    .into_body()
                    .collect()
                    .await
                    .map_err(|e| e.to_string())?
                    .to_bytes();
                expect(status == 200 && !body.is_empty(), "a 200 with a body")
            }
        }
    }
}

fn expect(ok: bool, what: &str) -> Result<(), String> {
    if ok {
        Ok(())
    } else {
        Err(format!("the response lacks {what}"))
    }
}

#[cfg(feature = "sdk")]
mod sdk {
    use super::*;

    fn credentials() -> aws_sdk_athena::config::Credentials {
        aws_sdk_athena::config::Credentials::new("AKID", "SECRET", None, None, "bench")
    }

    pub fn athena(url: &str) -> aws_sdk_athena::Client {
        use aws_sdk_athena::config::{BehaviorVersion, Region};
        aws_sdk_athena::Client::from_conf(
            aws_sdk_athena::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url(url)
                .credentials_provider(credentials())
                .build(),
        )
    }

    pub fn emr(url: &str) -> aws_sdk_emrserverless::Client {
        use aws_sdk_emrserverless::config::{BehaviorVersion, Region};
        aws_sdk_emrserverless::Client::from_conf(
            aws_sdk_emrserverless::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url(url)
                .credentials_provider(credentials())
                .build(),
        )
    }

    pub async fn call(
        (athena, emr): &(aws_sdk_athena::Client, aws_sdk_emrserverless::Client),
        op: Op,
        token: &str,
    ) -> Result<(), String> {
        match op {
            Op::GetSession => {
                let output = athena
                    .get_session()
                    .session_id(SESSION_ID)
                    .send()
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                expect(output.session_id() == Some(SESSION_ID), "the session")
            }
            Op::StartSession => {
                let output = emr
                    .start_session()
                    .application_id(APPLICATION_ID)
                    .client_token(token)
                    .execution_role_arn(ROLE)
                    .idle_timeout_minutes(IDLE_TIMEOUT_MINUTES)
                    .name(SESSION_NAME)
                    .tags("team", "analytics")
                    .tags("env", "bench")
                    .send()
                    .await
                    .map_err(|e| format!("{e:?}"))?;
                expect(output.application_id() == APPLICATION_ID, "the application")
            }
        }
    }
}

// --- the driver ----------------------------------------------------------------------------

/// What one load measured: calls, time, latencies, client CPU, server CPU.
struct Measured {
    run: Run,
    server_busy: f64,
}

async fn load(
    clients: &Arc<Clients>,
    kind: Kind,
    op: Op,
    in_flight: usize,
    duration: Duration,
) -> Result<(usize, Duration, Latencies), String> {
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = (0..in_flight)
        .map(|_| {
            let clients = Arc::clone(clients);
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(16_384);
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    clients.call(kind, op).await?;
                    latencies.push(sent.elapsed().as_nanos() as u64);
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.map_err(|e| e.to_string())??);
    }
    Ok((all.len(), start.elapsed(), Latencies(all)))
}

fn measure_once(
    runtime: &tokio::runtime::Runtime,
    server: &mut ServerProcess,
    clients: &Arc<Clients>,
    kind: Kind,
    op: Op,
    in_flight: usize,
    duration: Duration,
) -> Result<Measured, String> {
    let server_before = server.cpu()?;
    let cpu_before = measure::process_cpu_time();
    let (calls, elapsed, mut latencies) = runtime
        .block_on(load(clients, kind, op, in_flight, duration))
        .map_err(|e| format!("{} {op:?}: {e}", kind.name()))?;
    let cpu = measure::process_cpu_time().saturating_sub(cpu_before);
    let server_cpu = server.cpu()?.saturating_sub(server_before);
    Ok(Measured {
        run: Run {
            rate: calls as f64 / elapsed.as_secs_f64(),
            p50: latencies.quantile(0.50).unwrap_or_default(),
            p99: latencies.quantile(0.99).unwrap_or_default(),
            cpu_per_request_us: (calls > 0).then(|| cpu.as_secs_f64() * 1e6 / calls as f64),
        },
        server_busy: server_cpu.as_secs_f64() / elapsed.as_secs_f64(),
    })
}

fn drive(options: &Options) -> Result<(), String> {
    let mut server = ServerProcess::start(options.server)?;
    let url = format!("http://{}", server.addr);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    let clients = Arc::new(runtime.block_on(async { Clients::new(&url, &options.kinds) }));

    // One call each, then what the server saw of it.
    let mut sizes = Vec::new();
    for &kind in &options.kinds {
        for op in Op::ALL {
            runtime
                .block_on(clients.call(kind, op))
                .map_err(|e| format!("{} {op:?}: {e}", kind.name()))?;
        }
        let seen = server.ask("last")?;
        sizes.push((kind, seen));
    }

    eprintln!("warming up");
    for &kind in &options.kinds {
        for op in Op::ALL {
            measure_once(
                &runtime,
                &mut server,
                &clients,
                kind,
                op,
                options.in_flight,
                options.warmup,
            )?;
        }
    }

    let mut modes = Vec::new();
    if options.sequential || options.in_flight == 1 {
        modes.push(1);
    }
    if options.in_flight > 1 {
        modes.push(options.in_flight);
    }
    let mut results: HashMap<(usize, usize, usize), Vec<Measured>> = HashMap::new();
    for run in 0..options.runs {
        for (o, op) in Op::ALL.into_iter().enumerate() {
            for (m, &in_flight) in modes.iter().enumerate() {
                for (k, &kind) in options.kinds.iter().enumerate() {
                    let measured = measure_once(
                        &runtime,
                        &mut server,
                        &clients,
                        kind,
                        op,
                        in_flight,
                        options.duration,
                    )?;
                    eprintln!(
                        "run {}/{}: {:<5} {op:?} x{in_flight}: {} calls/s, p50 {}, p99 {}, client CPU {}/call, server busy {:.0}%",
                        run + 1,
                        options.runs,
                        kind.name(),
                        measure::fmt_rate(measured.run.rate),
                        measure::fmt_latency(measured.run.p50),
                        measure::fmt_latency(measured.run.p99),
                        measure::fmt_cpu_us(measured.run.cpu_per_request_us),
                        measured.server_busy * 100.0,
                    );
                    results.entry((o, m, k)).or_default().push(measured);
                }
            }
        }
    }
    drop(server);
    if options.peak_rss_only {
        let kib = measure::proc_status_kib("VmHWM").ok_or("no VmHWM in /proc/self/status")?;
        println!("peak-rss {kib}");
        return Ok(());
    }
    let rss = if options.peak_rss {
        peak_rss(options)?
    } else {
        Vec::new()
    };
    let phases = if options.phases {
        eprintln!("in-process measurements");
        let (get_session, start_session) = fixed_bodies()?;
        phases::measure(&get_session, &start_session)?
    } else {
        Vec::new()
    };

    let report = report(options, &modes, &results, &sizes, &rss, &phases);
    print!("{report}");
    if let Some(path) = &options.out {
        std::fs::write(path, &report)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// Each client's peak resident set under load: this binary run again for that client alone
/// (`--only KIND --peak-rss-only`, a warm-up and one run of both operations at the
/// options' in-flight count, with its own server), which prints its VmHWM when done. One
/// process runs every client, so its own VmHWM cannot tell them apart.
fn peak_rss(options: &Options) -> Result<Vec<(Kind, u64)>, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for &kind in &options.kinds {
        eprintln!("peak memory: {} alone", kind.name());
        let output = Command::new(&exe)
            .args(["--peak-rss-only", "--only", kind.name()])
            .args(["--no-sequential", "--no-phases", "--runs", "1"])
            .args(["--in-flight", &options.in_flight.to_string()])
            .args(["--duration-ms", &options.duration.as_millis().to_string()])
            .args(["--warmup-ms", &options.warmup.as_millis().to_string()])
            .args(["--server", options.server.flag()])
            .stderr(Stdio::inherit())
            .output()
            .map_err(|e| format!("cannot run {}: {e}", exe.display()))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let kib = stdout
            .lines()
            .find_map(|line| line.strip_prefix("peak-rss ")?.trim().parse().ok())
            .filter(|_| output.status.success())
            .ok_or_else(|| {
                format!(
                    "the {} peak-memory child failed ({}): {}",
                    kind.name(),
                    output.status,
                    stdout.trim()
                )
            })?;
        out.push((kind, kib));
    }
    Ok(out)
}

fn report(
    options: &Options,
    modes: &[usize],
    results: &HashMap<(usize, usize, usize), Vec<Measured>>,
    sizes: &[(Kind, Vec<u64>)],
    rss: &[(Kind, u64)],
    phases: &[phases::Phase],
) -> String {
    let kinds = &options.kinds;
    let comparison = kinds.iter().position(|k| *k == Kind::COMPARISON);
    let bare = kinds.iter().position(|k| *k == Kind::Hyper);
    let server = match options.server {
        ServerKind::Fixed => {
            "a one-thread hyper server in a child process answering the emulator's response bytes"
        }
        ServerKind::Emulator => {
            "the emulator (`emulator::Emulator::start`, two worker threads) in a child process"
        }
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Client: generated vs AWS SDK for Rust vs bare hyper\n"
    );
    let _ = writeln!(
        out,
        "Medians of {} runs of {} ms each (after a {} ms warm-up per client and operation) \
         against {server}; ratios are against the {} row. Client CPU is getrusage (user + sys) \
         of the client process per call; \"beyond bare\" subtracts the bare hyper client's.\n",
        options.runs,
        options.duration.as_millis(),
        options.warmup.as_millis(),
        Kind::COMPARISON.name(),
    );
    let _ = writeln!(
        out,
        "| operation | in flight | client | calls/s | vs {} | p50 | p99 | client CPU / call | beyond bare | server busy |",
        Kind::COMPARISON.name()
    );
    let _ = writeln!(
        out,
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    #[cfg_attr(not(feature = "sdk"), allow(unused_mut))]
    let mut goals: Vec<String> = Vec::new();
    for (o, op) in Op::ALL.into_iter().enumerate() {
        for (m, &in_flight) in modes.iter().enumerate() {
            let summary = |k: usize| {
                let runs: Vec<Run> = results[&(o, m, k)].iter().map(|r| r.run).collect();
                Summary::of(&runs)
            };
            let busy =
                |k: usize| measure::median(results[&(o, m, k)].iter().map(|r| r.server_busy));
            let reference = comparison.map(summary);
            let floor = bare.map(summary);
            for (k, &kind) in kinds.iter().enumerate() {
                let s = summary(k);
                let beyond = match (
                    s.cpu_per_request_us,
                    floor.and_then(|f| f.cpu_per_request_us),
                ) {
                    (Some(a), Some(b)) => format!("{:+.1} µs", a - b),
                    _ => "-".into(),
                };
                let _ = writeln!(
                    out,
                    "| {} | {in_flight} | {} | {} | {} | {} | {} | {} | {beyond} | {:.0}% |",
                    op.label(),
                    kind.label(),
                    measure::fmt_rate(s.rate),
                    reference.map_or("-".into(), |r| measure::fmt_ratio(s.rate, r.rate)),
                    measure::fmt_latency(s.p50),
                    measure::fmt_latency(s.p99),
                    measure::fmt_cpu_us(s.cpu_per_request_us),
                    busy(k) * 100.0,
                );
            }
            #[cfg(feature = "sdk")]
            if let (true, Some(ours), Some(reference)) = (
                in_flight > 1,
                kinds.iter().position(|k| *k == Kind::Ours),
                reference,
            ) {
                let ratio = summary(ours).rate / reference.rate;
                goals.push(format!(
                    "{} at {in_flight} in flight: generated = {ratio:.1}x the SDK's calls/s ({})",
                    op.label(),
                    if ratio >= 5.0 { "met" } else { "missed" }
                ));
            }
        }
    }
    if !goals.is_empty() {
        let _ = writeln!(
            out,
            "\nGoal (generated client at least 5x the SDK's throughput at {} in flight):",
            options.in_flight
        );
        for goal in goals {
            let _ = writeln!(out, "- {goal}");
        }
    }
    let _ = writeln!(
        out,
        "\nWhat the server received from each client (last request of each operation; header bytes count the request line and `name: value` lines):\n"
    );
    let _ = writeln!(
        out,
        "| client | GetSession headers | GetSession body | StartSession headers | StartSession body |"
    );
    let _ = writeln!(out, "| --- | ---: | ---: | ---: | ---: |");
    for (kind, seen) in sizes {
        if let [ah, ahb, ab, eh, ehb, eb] = seen[..] {
            let _ = writeln!(
                out,
                "| {} | {ah} ({ahb} B) | {ab} B | {eh} ({ehb} B) | {eb} B |",
                kind.label()
            );
        } else {
            let _ = writeln!(out, "| {} | - | - | - | - |", kind.label());
        }
    }
    if !rss.is_empty() {
        let _ = writeln!(
            out,
            "\nPeak memory of each client under load: this binary run again with that client \
             alone (the others not made; the same binary, so the same code for all), a {} ms \
             warm-up and one {} ms run of each operation at {} in flight against its own server \
             process; the child's VmHWM (peak resident set, `/proc/self/status`) when it ends. \
             One run per client. It counts this harness too: the runtime, the process's \
             baseline, and the latency records (8 bytes a call, so a faster client records \
             more).\n",
            options.warmup.as_millis(),
            options.duration.as_millis(),
            options.in_flight
        );
        let reference = rss.iter().find(|(k, _)| *k == Kind::COMPARISON);
        let _ = writeln!(
            out,
            "| client | peak RSS (VmHWM) under {} in flight | vs {} |",
            options.in_flight,
            Kind::COMPARISON.name()
        );
        let _ = writeln!(out, "| --- | ---: | ---: |");
        for &(kind, kib) in rss {
            let ratio = reference.map_or("-".into(), |&(_, r)| {
                measure::fmt_ratio(kib as f64, r as f64)
            });
            let _ = writeln!(
                out,
                "| {} | {} | {ratio} |",
                kind.label(),
                measure::fmt_kib(Some(kib)),
            );
        }
    }
    if !phases.is_empty() {
        let _ = writeln!(
            out,
            "\nWhere the generated client's CPU goes, without I/O: steps of one call timed alone on \
             one thread (median of {} interleaved batches of {}), each beside the cheapest way to \
             do the same (ratio):\n",
            measure::BATCHES,
            measure::fmt_rate(measure::ITERATIONS as f64)
        );
        let _ = writeln!(out, "| step | per call | ratio |");
        let _ = writeln!(out, "| --- | ---: | ---: |");
        for phase in phases {
            let ratio = phase
                .against
                .map_or("-".into(), |i| measure::fmt_ratio(phase.ns, phases[i].ns));
            let _ = writeln!(
                out,
                "| {} | {:.2} µs | {ratio} |",
                phase.what,
                phase.ns / 1000.0
            );
        }
    }
    let _ = writeln!(
        out,
        "\nHow: every client runs on one tokio current-thread runtime in this process (so \
         calls/s at {} in flight is bounded by one core's worth of client CPU); the server is a \
         separate process. The generated and SDK clients sign every request (SigV4) and parse \
         every response into the output type; the bare hyper client sends the generated \
         client's bytes without signing and reads the response body without parsing it. \
         Clients and connection pools are made once and warmed; each client keeps up to {} \
         keep-alive connections. Nothing is pinned.",
        options.in_flight, options.in_flight
    );
    let _ = writeln!(
        out,
        "\nCaveat: {}. Client and server share these cores and contend for them; \"server \
         busy\" is the server's CPU time over the run's wall time (100% = one core).",
        measure::machine()
    );
    out
}
