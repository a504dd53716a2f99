//! A local emulator of Amazon Athena (`GetSession`, awsJson1_1) and Amazon EMR Serverless
//! (`StartSession`, restJson1) serving both services on one `127.0.0.1` port, built on the
//! generated server traits.
//!
//! Requests carrying `X-Amz-Target` go to the Athena router, all others to the EMR
//! Serverless router. See the "Local emulator" section of the repository README for the
//! behaviour, the seed file and fault injection ([`fault`]).
//!
//! ```no_run
//! let config = emulator::Config::default(); // port 8600, the built-in seed
//! let (addr, handle) = emulator::Emulator::start(emulator::Config { port: 0, ..config })?;
//! println!("serving on http://{addr}");
//! handle.shutdown();
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod athena_service;
pub mod emr_service;
pub mod fault;
pub mod seed;
pub mod state;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use smithy_runtime::server::axum;
use smithy_runtime::server::axum::extract::Request;
use smithy_runtime::server::{Secret, ServerConfig, SigV4Verifier, StaticSecrets, serve_with};
use tokio::sync::watch;
use tower::ServiceExt as _;
use tracing::Instrument as _;

pub use athena_service::AthenaEmulator;
pub use emr_service::{EmrEmulator, EmrSettings};
pub use seed::{Application, Credential, Seed};

/// The port `cargo run -p emulator` listens on unless `--port` says otherwise.
pub const DEFAULT_PORT: u16 = 8600;

/// How long a shutdown waits for open connections before it drops them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// Everything the emulator is started with.
#[derive(Clone, Debug)]
pub struct Config {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    /// Sessions and applications known from the start.
    pub seed: Seed,
    /// Region in ARNs when a request is not SigV4-signed.
    pub region: String,
    /// Account id in ARNs.
    pub account: String,
    /// Sessions one EMR Serverless application may hold (the seed may say otherwise per
    /// application).
    pub max_sessions_per_application: usize,
    /// Server settings (body size limit, SigV4 verification).
    pub server: ServerConfig,
    /// Where started sessions are kept across restarts (`--state`); memory only when
    /// `None`.
    pub state: Option<PathBuf>,
}

/// The server settings that verify SigV4 signatures with `credentials`.
pub fn verifying(server: ServerConfig, credentials: &[Credential]) -> ServerConfig {
    let mut secrets = StaticSecrets::new();
    for credential in credentials {
        let mut secret = Secret::new(&credential.secret_access_key);
        if let Some(token) = &credential.session_token {
            secret = secret.with_session_token(token);
        }
        secrets = secrets.with(&credential.access_key_id, secret);
    }
    server.with_sigv4(SigV4Verifier::new(secrets))
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: DEFAULT_PORT,
            seed: Seed::builtin(),
            region: "us-east-1".into(),
            account: "123456789012".into(),
            max_sessions_per_application: 100,
            server: ServerConfig::default(),
            state: None,
        }
    }
}

/// The command line's usage text.
pub const USAGE: &str = "\
usage: emulator [--port PORT] [--seed FILE] [--region REGION] [--account ACCOUNT]
                [--max-sessions-per-application N] [--body-limit BYTES]
                [--verify-sigv4 [--credentials FILE]] [--state FILE]

Serves Amazon Athena GetSession and EMR Serverless StartSession on http://127.0.0.1:PORT.

  --port PORT                       port on 127.0.0.1, 0 for any free one (default 8600)
  --seed FILE                       seed file (default examples/emulator/seed.json)
  --region REGION                   region in ARNs of unsigned requests (default us-east-1)
  --account ACCOUNT                 account id in ARNs (default 123456789012)
  --max-sessions-per-application N  sessions per EMR Serverless application (default 100)
  --body-limit BYTES                largest request body accepted (default 4194304)
  --verify-sigv4                    verify SigV4 signatures (default: read, not verified),
                                    with the keys of --credentials or the seed's credentials
  --credentials FILE                an AWS shared credentials file (~/.aws/credentials form)
  --state FILE                      keep started sessions in FILE across restarts (default:
                                    memory only)

Logs go to stderr; RUST_LOG filters them (default info).";

impl Config {
    /// Reads the command line (without the program name). `Ok(None)` means `--help`.
    pub fn from_args<I: IntoIterator<Item = String>>(args: I) -> Result<Option<Config>, String> {
        let mut config = Config {
            seed: Seed::default(),
            ..Config::default()
        };
        let mut seed_path: Option<PathBuf> = None;
        let mut verify = false;
        let mut credentials_path: Option<PathBuf> = None;
        let mut args = args.into_iter();
        while let Some(arg) = args.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag.to_string(), Some(value)),
                _ => (arg.clone(), None),
            };
            if flag == "--help" || flag == "-h" {
                return Ok(None);
            }
            let mut value = || -> Result<String, String> {
                match inline {
                    Some(value) => Ok(value.to_string()),
                    None => args.next().ok_or_else(|| format!("{flag} needs a value")),
                }
            };
            let number = |text: String| -> Result<u64, String> {
                text.parse::<u64>()
                    .map_err(|_| format!("{flag}: `{text}` is not a number"))
            };
            match flag.as_str() {
                "--port" => {
                    let port = number(value()?)?;
                    config.port = u16::try_from(port)
                        .map_err(|_| format!("--port: {port} is not a port number"))?;
                }
                "--seed" => seed_path = Some(PathBuf::from(value()?)),
                "--verify-sigv4" => verify = true,
                "--credentials" => credentials_path = Some(PathBuf::from(value()?)),
                "--state" => config.state = Some(PathBuf::from(value()?)),
                "--region" => config.region = value()?,
                "--account" => {
                    let account = value()?;
                    if account.len() != 12 || !account.bytes().all(|b| b.is_ascii_digit()) {
                        return Err(format!("--account: `{account}` is not 12 digits"));
                    }
                    config.account = account;
                }
                "--max-sessions-per-application" => {
                    config.max_sessions_per_application = usize::try_from(number(value()?)?)
                        .map_err(|_| "--max-sessions-per-application: too large".to_string())?;
                }
                "--body-limit" => {
                    let limit = usize::try_from(number(value()?)?)
                        .map_err(|_| "--body-limit: too large".to_string())?;
                    config.server = config.server.with_body_limit(limit);
                }
                other => return Err(format!("unknown argument `{other}`\n\n{USAGE}")),
            }
        }
        config.seed = match seed_path {
            Some(path) => Seed::load(&path)?,
            None => Seed::builtin(),
        };
        if let Some(path) = &credentials_path {
            if !verify {
                return Err("--credentials is for --verify-sigv4".into());
            }
            config.seed.credentials = seed::read_credentials_file(path)?;
        }
        if verify {
            if config.seed.credentials.is_empty() {
                return Err(
                    "--verify-sigv4 needs keys: --credentials FILE, or `credentials` in the seed"
                        .into(),
                );
            }
            config.server = verifying(config.server, &config.seed.credentials);
        }
        Ok(Some(config))
    }
}

/// One `axum::Router` serving both services: requests with `X-Amz-Target` go to Athena,
/// all others to EMR Serverless. Each request is logged (tracing, `info`) with its
/// service, method, path, operation, status and request id.
///
/// Fails when the state file (`config.state`) exists but cannot be read: the emulator
/// does not start from an empty state over sessions it acknowledged.
pub fn router(config: &Config) -> std::io::Result<axum::Router> {
    let athena = athena::server::router_with_config(
        AthenaEmulator::new(config.seed.athena_sessions.clone()),
        config.server.clone(),
    );
    let mut emr = EmrEmulator::new(
        EmrSettings {
            region: config.region.clone(),
            account: config.account.clone(),
            max_sessions_per_application: config.max_sessions_per_application,
        },
        &config.seed.applications,
    );
    if let Some(path) = &config.state {
        let file = state::StateFile::new(path);
        let sessions = file.load().map_err(std::io::Error::other)?;
        tracing::info!(sessions = sessions.len(), path = %path.display(), "state loaded");
        emr = emr.with_state_file(file, sessions);
    }
    let emr = emr_serverless::server::router_with_config(emr, config.server.clone());
    Ok(axum::Router::new().fallback(move |request: Request| {
        let (service, router) = if request.headers().contains_key("x-amz-target") {
            ("athena", athena.clone())
        } else {
            ("emr-serverless", emr.clone())
        };
        let span = tracing::info_span!(
            "http",
            service,
            method = %request.method(),
            path = %request.uri().path(),
        );
        async move {
            match router.oneshot(request).await {
                Ok(response) => response,
                Err(never) => match never {},
            }
        }
        .instrument(span)
    }))
}

/// The running emulator started by [`Emulator::start`]; dropping it shuts it down too.
#[derive(Debug)]
pub struct EmulatorHandle {
    stop: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl EmulatorHandle {
    /// Stops accepting connections, lets in-flight requests finish (for at most a few
    /// seconds) and waits for the server thread.
    pub fn shutdown(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let _ = self.stop.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

/// The emulator as a library: for tests and other programs.
pub struct Emulator;

impl Emulator {
    /// Binds `127.0.0.1:config.port` and serves on a background thread with its own tokio
    /// runtime; returns the bound address (so port 0 works) and the handle that stops it.
    pub fn start(config: Config) -> std::io::Result<(SocketAddr, EmulatorHandle)> {
        let (addr_tx, addr_rx) = std::sync::mpsc::channel();
        let (stop, stop_rx) = watch::channel(false);
        let thread = std::thread::Builder::new()
            .name("emulator".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .thread_name("emulator-worker")
                    .enable_all()
                    .build()?;
                runtime.block_on(async move {
                    let app = match router(&config) {
                        Ok(app) => app,
                        Err(e) => {
                            let _ = addr_tx.send(Err(std::io::Error::new(e.kind(), e.to_string())));
                            return Err(e);
                        }
                    };
                    let listener = match bind(config.port).await {
                        Ok(listener) => listener,
                        Err(e) => {
                            let _ = addr_tx.send(Err(std::io::Error::new(e.kind(), e.to_string())));
                            return Err(e);
                        }
                    };
                    let _ = addr_tx.send(listener.local_addr());
                    serve_until(app, listener, &config.server, stop_rx).await
                })
            })?;
        let addr = addr_rx.recv().map_err(|_| {
            std::io::Error::other("the emulator thread stopped before it was listening")
        })??;
        Ok((
            addr,
            EmulatorHandle {
                stop,
                thread: Some(thread),
            },
        ))
    }

    /// Serves on the current tokio runtime until `shutdown` completes (what the binary
    /// does); calls `on_listening` with the bound address first.
    pub async fn run(
        config: Config,
        on_listening: impl FnOnce(SocketAddr),
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        let app = router(&config)?;
        let listener = bind(config.port).await?;
        on_listening(listener.local_addr()?);
        let (stop, stop_rx) = watch::channel(false);
        tokio::spawn(async move {
            shutdown.await;
            let _ = stop.send(true);
        });
        serve_until(app, listener, &config.server, stop_rx).await
    }
}

async fn bind(port: u16) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port))).await
}

/// Serves until `stop` turns true, then shuts down gracefully for at most
/// [`SHUTDOWN_GRACE`] (a client holding a half-sent request open must not keep the
/// emulator alive).
async fn serve_until(
    app: axum::Router,
    listener: tokio::net::TcpListener,
    server: &ServerConfig,
    stop: watch::Receiver<bool>,
) -> std::io::Result<()> {
    let stopped = |mut rx: watch::Receiver<bool>| async move {
        let _ = rx.wait_for(|stop| *stop).await;
    };
    let graceful = stopped(stop.clone());
    let deadline = {
        let stop = stopped(stop);
        async move {
            stop.await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        }
    };
    tokio::select! {
        result = serve_with(app, listener, server, graceful) => result,
        () = deadline => {
            tracing::warn!("connections still open after the grace period; dropping them");
            Ok(())
        }
    }
}
