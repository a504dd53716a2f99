//! `cargo run -p emulator -- --port 8600`: Athena GetSession and EMR Serverless
//! StartSession on one local port. `--help` lists the options.

use std::io::Write as _;
use std::process::ExitCode;

use emulator::{Config, Emulator, USAGE};
use tracing_subscriber::EnvFilter;

fn main() -> ExitCode {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(Some(config)) => config,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("emulator: {message}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    // A panicking handler is answered with a 500 and the server goes on: log the panic as
    // one line like the rest (fault injection makes them on purpose).
    std::panic::set_hook(Box::new(|info| {
        let message = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_default();
        let location = info.location().map(ToString::to_string).unwrap_or_default();
        tracing::error!(%location, "panic: {message}");
    }));
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("emulator: cannot start the tokio runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(Emulator::run(
        config,
        |addr| {
            // The first line on stdout, for whoever started us (tests read it).
            let mut stdout = std::io::stdout().lock();
            let _ = writeln!(stdout, "listening on http://{addr}");
            let _ = stdout.flush();
            tracing::info!(%addr, "emulator ready: Athena (X-Amz-Target) and EMR Serverless");
        },
        smithy_runtime::server::shutdown_signal(),
    ));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
