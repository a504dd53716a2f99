//! Server benchmark: the generated Athena + EMR Serverless routers against a hand-written
//! axum handler doing the same work and a bare hyper server returning fixed bytes.
//!
//! `cargo run --release -p server-bench -- [--runs 5] [--duration-ms 2000] [--in-flight 64]`
//! (or `cargo xtask bench server`). Prints a markdown report on stdout, progress on stderr.
//!
//! Each server runs in a child process of this binary (`server-bench serve <variant>`) so
//! its CPU time and peak RSS are its own; this process is the load generator (raw hyper
//! HTTP/1.1 keep-alive connections on a one-thread tokio runtime). The three children run
//! side by side and the runs are interleaved (run 1 of every variant, then run 2...), so
//! slow drift of the machine hits them alike.

mod fixtures;
mod inprocess;
mod load;
#[allow(dead_code)] // shared with client-comparison, which uses other parts
mod measure;
mod overload;
mod servers;

use std::fmt::Write as _;
use std::io::{BufRead as _, BufReader, Write as _};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, ChildStdout, Command, ExitCode, Stdio};
use std::time::Duration;

use load::Op;
use measure::{Latencies, Run, Summary};
use servers::Variant;

const USAGE: &str = "\
usage: server-bench [--runs N] [--duration-ms MS] [--warmup-ms MS] [--in-flight N]
                    [--no-sequential] [--only generated,axum,hyper] [--ops get,start]
                    [--load-threads N] [--server-threads N] [--out FILE]
                    [--overload-busy N] [--overload-slow N] [--overload-ms MS] [--no-overload]
       server-bench serve <generated|axum|hyper> [--server-threads N]";

#[derive(Clone, Debug)]
struct Options {
    runs: usize,
    duration: Duration,
    warmup: Duration,
    in_flight: usize,
    /// Also measure one request in flight.
    sequential: bool,
    /// The servers measured (all by default; fewer to profile one).
    variants: Vec<Variant>,
    /// The operations measured.
    ops: Vec<Op>,
    load_threads: usize,
    server_threads: Option<usize>,
    out: Option<std::path::PathBuf>,
    /// The overload run (`overload.rs`): its mix and length; `None` skips it.
    overload: Option<(overload::Mix, Duration)>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            runs: 5,
            duration: Duration::from_millis(2000),
            warmup: Duration::from_millis(500),
            in_flight: 64,
            sequential: true,
            variants: Variant::ALL.to_vec(),
            ops: Op::ALL.to_vec(),
            load_threads: 1,
            server_threads: None,
            out: None,
            // Over 12 s, so the head timeout (10 s) closes the trickling connections.
            overload: Some((
                overload::Mix {
                    busy: 256,
                    trickling: 64,
                    silent: 64,
                },
                Duration::from_millis(12_000),
            )),
        }
    }
}

fn parse_options(args: &[String]) -> Result<Options, String> {
    let mut options = Options::default();
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
            "--load-threads" => options.load_threads = number(value()?)?.max(1) as usize,
            "--server-threads" => options.server_threads = Some(number(value()?)?.max(1) as usize),
            "--no-sequential" => options.sequential = false,
            "--only" => {
                options.variants = value()?
                    .split(',')
                    .map(|name| {
                        Variant::parse(name).ok_or_else(|| format!("--only: no server `{name}`"))
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--ops" => {
                options.ops = value()?
                    .split(',')
                    .map(|name| match name {
                        "get" => Ok(Op::GetSession),
                        "start" => Ok(Op::StartSession),
                        other => Err(format!("--ops: `{other}` is not get or start")),
                    })
                    .collect::<Result<_, _>>()?;
            }
            "--out" => options.out = Some(value()?.into()),
            "--no-overload" => options.overload = None,
            "--overload-busy" | "--overload-slow" | "--overload-ms" => {
                let n = number(value()?)?;
                if let Some((mix, duration)) = &mut options.overload {
                    match flag.as_str() {
                        "--overload-busy" => mix.busy = n.max(1) as usize,
                        "--overload-slow" => {
                            mix.trickling = n as usize;
                            mix.silent = n as usize;
                        }
                        _ => *duration = Duration::from_millis(n),
                    }
                }
            }
            other => return Err(format!("unknown argument `{other}`\n{USAGE}")),
        }
    }
    Ok(options)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("serve") => serve_child(&args[1..]),
        Some("--help" | "-h") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => parse_options(&args).and_then(|options| drive(&options)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("server-bench: {message}");
            ExitCode::FAILURE
        }
    }
}

// --- the child: one server --------------------------------------------------------------

/// Serves one variant on 127.0.0.1 (any port), prints `listening ADDR`, then answers
/// `stats` lines on stdin with its CPU time and memory; exits when stdin closes.
fn serve_child(args: &[String]) -> Result<(), String> {
    let variant = args
        .first()
        .and_then(|name| Variant::parse(name))
        .ok_or_else(|| USAGE.to_string())?;
    let options = parse_options(&args[1..])?;
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if let Some(threads) = options.server_threads {
        builder.worker_threads(threads);
    }
    let runtime = builder.enable_all().build().map_err(|e| e.to_string())?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .map_err(|e| format!("cannot bind: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    runtime.spawn(async move {
        if let Err(e) = servers::serve(variant, listener).await {
            eprintln!("server-bench serve {}: {e}", variant.name());
            std::process::exit(1);
        }
    });
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "listening {addr}").map_err(|e| e.to_string())?;
    stdout.flush().map_err(|e| e.to_string())?;
    for line in std::io::stdin().lines() {
        let Ok(line) = line else { break };
        if line.trim() == "stats" {
            writeln!(
                stdout,
                "stats {} {} {}",
                measure::process_cpu_time().as_micros(),
                measure::proc_status_kib("VmHWM").unwrap_or(0),
                measure::proc_status_kib("VmRSS").unwrap_or(0),
            )
            .map_err(|e| e.to_string())?;
            stdout.flush().map_err(|e| e.to_string())?;
        }
    }
    // stdin closed: the driver is done with us.
    std::process::exit(0);
}

// --- the driver ----------------------------------------------------------------------------

/// What a server child says about itself.
#[derive(Clone, Copy, Debug)]
struct ChildStats {
    cpu: Duration,
    peak_rss_kib: u64,
    rss_kib: u64,
}

struct ServerProcess {
    variant: Variant,
    addr: SocketAddr,
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: BufReader<ChildStdout>,
}

impl ServerProcess {
    fn start(variant: Variant, options: &Options) -> Result<ServerProcess, String> {
        let exe = std::env::current_exe().map_err(|e| e.to_string())?;
        let mut command = Command::new(exe);
        command.args(["serve", variant.name()]);
        if let Some(threads) = options.server_threads {
            command.args(["--server-threads", &threads.to_string()]);
        }
        let mut child = command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot start the {} server: {e}", variant.name()))?;
        let stdin = child.stdin.take();
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let mut line = String::new();
        stdout.read_line(&mut line).map_err(|e| e.to_string())?;
        let addr = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|a| a.parse().ok())
            .ok_or_else(|| format!("the {} server said `{}`", variant.name(), line.trim()))?;
        Ok(ServerProcess {
            variant,
            addr,
            child,
            stdin,
            stdout,
        })
    }

    fn stats(&mut self) -> Result<ChildStats, String> {
        let stdin = self.stdin.as_mut().expect("open until stop");
        writeln!(stdin, "stats").map_err(|e| e.to_string())?;
        stdin.flush().map_err(|e| e.to_string())?;
        let mut line = String::new();
        self.stdout
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let numbers: Vec<u64> = line
            .trim()
            .strip_prefix("stats ")
            .map(|rest| rest.split(' ').filter_map(|n| n.parse().ok()).collect())
            .unwrap_or_default();
        match numbers[..] {
            [cpu_us, peak, rss] => Ok(ChildStats {
                cpu: Duration::from_micros(cpu_us),
                peak_rss_kib: peak,
                rss_kib: rss,
            }),
            _ => Err(format!(
                "the {} server's stats were `{}`",
                self.variant.name(),
                line.trim()
            )),
        }
    }

    fn stop(mut self) {
        drop(self.stdin.take());
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if self.stdin.is_some() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Sequential (1) and the configured number in flight.
fn modes(options: &Options) -> Vec<usize> {
    let mut modes = Vec::new();
    if options.sequential || options.in_flight == 1 {
        modes.push(1);
    }
    if options.in_flight > 1 {
        modes.push(options.in_flight);
    }
    modes
}

fn drive(options: &Options) -> Result<(), String> {
    let runtime = if options.load_threads == 1 {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
    } else {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(options.load_threads)
            .enable_all()
            .build()
    }
    .map_err(|e| e.to_string())?;

    let mut servers = Vec::new();
    for &variant in &options.variants {
        servers.push(ServerProcess::start(variant, options)?);
    }
    let mut idle = Vec::new();
    for server in &mut servers {
        idle.push(server.stats()?);
    }
    let checks = runtime.block_on(check_responses(&servers, &options.ops))?;

    eprintln!("warming up");
    for server in &servers {
        for &op in &options.ops {
            runtime.block_on(load::run(
                server.addr,
                op,
                options.in_flight,
                options.warmup,
            ))?;
        }
    }

    let modes = modes(options);
    // results[op][mode][variant] = runs
    let mut results =
        vec![vec![vec![Vec::<Run>::new(); servers.len()]; modes.len()]; options.ops.len()];
    for run in 0..options.runs {
        for (o, &op) in options.ops.iter().enumerate() {
            for (m, &in_flight) in modes.iter().enumerate() {
                for (v, server) in servers.iter_mut().enumerate() {
                    let before = server.stats()?;
                    let mut result = runtime
                        .block_on(load::run(server.addr, op, in_flight, options.duration))
                        .map_err(|e| format!("{} {op:?}: {e}", server.variant.name()))?;
                    let after = server.stats()?;
                    let cpu = after.cpu.saturating_sub(before.cpu);
                    let measured = Run {
                        rate: result.requests as f64 / result.elapsed.as_secs_f64(),
                        p50: result.latencies.quantile(0.50).unwrap_or_default(),
                        p99: result.latencies.quantile(0.99).unwrap_or_default(),
                        cpu_per_request_us: (result.requests > 0)
                            .then(|| cpu.as_secs_f64() * 1e6 / result.requests as f64),
                    };
                    eprintln!(
                        "run {}/{}: {:<9} {op:?} x{in_flight}: {} req/s, p50 {}, p99 {}, server CPU {}/req",
                        run + 1,
                        options.runs,
                        server.variant.name(),
                        measure::fmt_rate(measured.rate),
                        measure::fmt_latency(measured.p50),
                        measure::fmt_latency(measured.p99),
                        measure::fmt_cpu_us(measured.cpu_per_request_us),
                    );
                    results[o][m][v].push(measured);
                }
            }
        }
    }
    let mut peak = Vec::new();
    for server in &mut servers {
        peak.push(server.stats()?);
    }
    for server in servers {
        server.stop();
    }
    eprintln!("in-process measurements");
    let inprocess = inprocess::measure(&runtime)?;

    let mut report = report(options, &modes, &results, &idle, &peak, &checks, &inprocess);
    if let Some((mix, duration)) = options.overload {
        report.push_str(&overload_report(options, &runtime, mix, duration)?);
    }
    print!("{report}");
    if let Some(path) = &options.out {
        std::fs::write(path, &report)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    Ok(())
}

/// The overload run against the generated server on `serve_with` and hand-written axum on
/// `axum::serve`, interleaved, up to three runs each; a markdown section.
fn overload_report(
    options: &Options,
    runtime: &tokio::runtime::Runtime,
    mix: overload::Mix,
    duration: Duration,
) -> Result<String, String> {
    let variants = [Variant::GeneratedLimits, Variant::Axum];
    let runs = options.runs.min(3);
    let mut results: Vec<Vec<overload::Outcome>> = vec![Vec::new(), Vec::new()];
    for run in 0..runs {
        for (v, &variant) in variants.iter().enumerate() {
            // A fresh server each run: the silent connections of the last one are gone.
            let server = ServerProcess::start(variant, options)?;
            let outcome =
                runtime.block_on(overload::run(server.addr, Op::GetSession, mix, duration));
            eprintln!(
                "overload {}/{runs}: {:<16} {} req/s, p99 {}, dropped {}, 5xx {}, other {}, slow closed {}",
                run + 1,
                variant.name(),
                measure::fmt_rate(outcome.requests as f64 / outcome.elapsed.as_secs_f64()),
                measure::fmt_latency(
                    Latencies(outcome.latencies.0.clone())
                        .quantile(0.99)
                        .unwrap_or_default()
                ),
                outcome.dropped,
                outcome.server_errors,
                outcome.other,
                outcome.slow_closed,
            );
            server.stop();
            results[v].push(outcome);
        }
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n## Server under overload: {} busy connections, {} trickling and {} silent\n",
        mix.busy, mix.trickling, mix.silent
    );
    let _ = writeln!(
        out,
        "Athena GetSession sent back to back on {} keep-alive connections (far more than the \
         cores), while {} connections send a request head a byte every 200 ms (reconnecting \
         when closed) and {} connect and stay silent; {} runs of {} ms each, medians. A \
         dropped request is one whose connection failed before its answer.\n",
        mix.busy,
        mix.trickling,
        mix.silent,
        runs,
        duration.as_millis()
    );
    let _ = writeln!(
        out,
        "| server | requests/s | p50 | p99 | dropped | 5xx | other non-200 | slow connections closed by the server |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
    );
    for (v, variant) in variants.iter().enumerate() {
        let outcomes = &mut results[v];
        let rate = measure::median(
            outcomes
                .iter()
                .map(|o| o.requests as f64 / o.elapsed.as_secs_f64()),
        );
        let p50 = measure::median(
            outcomes
                .iter_mut()
                .map(|o| o.latencies.quantile(0.50).unwrap_or_default().as_secs_f64()),
        );
        let p99 = measure::median(
            outcomes
                .iter_mut()
                .map(|o| o.latencies.quantile(0.99).unwrap_or_default().as_secs_f64()),
        );
        let total = |f: fn(&overload::Outcome) -> usize| outcomes.iter().map(f).sum::<usize>();
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            variant.label(),
            measure::fmt_rate(rate),
            measure::fmt_latency(Duration::from_secs_f64(p50)),
            measure::fmt_latency(Duration::from_secs_f64(p99)),
            total(|o| o.dropped),
            total(|o| o.server_errors),
            total(|o| o.other),
            total(|o| o.slow_closed),
        );
    }
    let _ = writeln!(
        out,
        "\nDropped, 5xx, other and closed are totals over the runs. `serve_with` closes a \
         trickling head at its 10 s head timeout; `axum::serve` keeps it open. Command: \
         `cargo xtask bench server` (`--overload-busy N --overload-slow N --overload-ms MS`, \
         `--no-overload`)."
    );
    Ok(out)
}

/// Sends each operation once to each server: every answer must be a 200, the typed
/// servers' bodies must mean the same JSON as the fixed bytes (session ids aside).
async fn check_responses(servers: &[ServerProcess], ops: &[Op]) -> Result<Vec<String>, String> {
    let mut notes = Vec::new();
    for &op in ops {
        let mut bodies = Vec::new();
        for server in servers {
            let reply = load::once(server.addr, op).await?;
            if reply.status != 200 {
                return Err(format!(
                    "{} answered {op:?} with {}: {}",
                    server.variant.name(),
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                ));
            }
            let mut json: serde_json::Value = serde_json::from_slice(&reply.body)
                .map_err(|e| format!("{} {op:?}: not JSON: {e}", server.variant.name()))?;
            if op == Op::StartSession {
                // New ids on every call: compare their form, not their value.
                for key in ["sessionId", "arn"] {
                    if let Some(value) = json.get_mut(key) {
                        *value = serde_json::Value::String("<id>".into());
                    }
                }
            }
            let content_type = reply
                .headers
                .get(http::header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-")
                .to_string();
            let request_id = reply.headers.contains_key("x-amzn-requestid");
            bodies.push((
                server.variant,
                json,
                reply.body.len(),
                content_type,
                request_id,
            ));
        }
        let (_, reference, ..) = &bodies[0];
        for (variant, json, ..) in &bodies[1..] {
            if json != reference {
                return Err(format!(
                    "{} and {} answer {op:?} differently:\n{reference}\n{json}",
                    bodies[0].0.name(),
                    variant.name()
                ));
            }
        }
        let sizes: Vec<String> = bodies
            .iter()
            .map(|(variant, _, len, content_type, request_id)| {
                format!(
                    "{} {len} B ({content_type}{})",
                    variant.name(),
                    if *request_id {
                        ", x-amzn-requestid"
                    } else {
                        ""
                    }
                )
            })
            .collect();
        notes.push(format!(
            "{}: 200 from every server, the same JSON; bodies: {}",
            op.label(),
            sizes.join(", ")
        ));
    }
    Ok(notes)
}

fn report(
    options: &Options,
    modes: &[usize],
    results: &[Vec<Vec<Vec<Run>>>],
    idle: &[ChildStats],
    peak: &[ChildStats],
    checks: &[String],
    inprocess: &[inprocess::Row],
) -> String {
    let variants = &options.variants;
    let comparison = variants.iter().position(|v| *v == Variant::Axum);
    let generated = variants.iter().position(|v| *v == Variant::Generated);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "## Server: generated vs hand-written axum vs bare hyper\n"
    );
    let _ = writeln!(
        out,
        "Medians of {} runs of {} ms each (after a {} ms warm-up per server and operation); \
         ratios are against the hand-written axum row (higher requests/s is better, lower CPU is better).\n",
        options.runs,
        options.duration.as_millis(),
        options.warmup.as_millis()
    );
    let _ = writeln!(
        out,
        "| operation | in flight | server | requests/s | vs axum | p50 | p99 | server CPU / request | vs axum |"
    );
    let _ = writeln!(
        out,
        "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    );
    let mut goals = Vec::new();
    for (o, &op) in options.ops.iter().enumerate() {
        for (m, &in_flight) in modes.iter().enumerate() {
            let summaries: Vec<Summary> =
                results[o][m].iter().map(|runs| Summary::of(runs)).collect();
            let reference = comparison.map(|c| summaries[c]);
            for (v, &variant) in variants.iter().enumerate() {
                let s = summaries[v];
                let _ = writeln!(
                    out,
                    "| {} | {in_flight} | {} | {} | {} | {} | {} | {} | {} |",
                    op.label(),
                    variant.label(),
                    measure::fmt_rate(s.rate),
                    reference.map_or("-".into(), |r| measure::fmt_ratio(s.rate, r.rate)),
                    measure::fmt_latency(s.p50),
                    measure::fmt_latency(s.p99),
                    measure::fmt_cpu_us(s.cpu_per_request_us),
                    match (
                        s.cpu_per_request_us,
                        reference.and_then(|r| r.cpu_per_request_us)
                    ) {
                        (Some(a), Some(b)) => measure::fmt_ratio(a, b),
                        _ => "-".into(),
                    },
                );
            }
            if let (true, Some(g), Some(reference)) = (in_flight > 1, generated, reference) {
                let ours = summaries[g];
                let ratio = ours.rate / reference.rate;
                let cpu = match (ours.cpu_per_request_us, reference.cpu_per_request_us) {
                    (Some(a), Some(b)) => format!("; server CPU per request {:.2}x axum's", a / b),
                    _ => String::new(),
                };
                goals.push(format!(
                    "{} at {in_flight} in flight: generated = {:.0}% of axum's requests/s ({}){cpu}",
                    op.label(),
                    ratio * 100.0,
                    if ratio >= 0.9 { "met" } else { "missed" }
                ));
            }
        }
    }
    let _ = writeln!(out, "\n| server | RSS idle | peak RSS (VmHWM, whole run) |");
    let _ = writeln!(out, "| --- | ---: | ---: |");
    for (v, variant) in variants.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | {} | {} |",
            variant.label(),
            measure::fmt_kib(Some(idle[v].rss_kib)),
            measure::fmt_kib(Some(peak[v].peak_rss_kib)),
        );
    }
    if !goals.is_empty() {
        let _ = writeln!(
            out,
            "\nGoal (generated within 10% of the hand-written axum handler, requests/s):"
        );
        for goal in goals {
            let _ = writeln!(out, "- {goal}");
        }
    }
    let _ = writeln!(
        out,
        "\nIn-process, no sockets: each router called with `tower::ServiceExt::oneshot` on an \
         in-memory request, one thread: the framework's own CPU per request (median of {} \
         interleaved batches of {}; ratios against the hand-written handler, or the direct \
         write):\n",
        measure::BATCHES,
        measure::fmt_rate(measure::ITERATIONS as f64)
    );
    let _ = writeln!(out, "| what | per request | ratio |");
    let _ = writeln!(out, "| --- | ---: | ---: |");
    for row in inprocess {
        let ratio = row
            .against
            .map_or("-".into(), |i| measure::fmt_ratio(row.ns, inprocess[i].ns));
        let _ = writeln!(
            out,
            "| {} | {:.2} µs | {ratio} |",
            row.what,
            row.ns / 1000.0
        );
    }
    let _ = writeln!(out, "\nResponses checked before measuring:");
    for check in checks {
        let _ = writeln!(out, "- {check}");
    }
    let _ = writeln!(
        out,
        "\nHow: each server runs in its own child process (tokio multi-thread runtime, {} worker \
         threads) so its CPU \
         time (getrusage) and peak RSS (/proc VmHWM) are its own; the load generator is this \
         process: raw hyper HTTP/1.1 keep-alive connections, one request in flight on each, on \
         a tokio runtime of {} thread(s). Requests carry a fixed SigV4 `Authorization` header \
         (read by the servers for the region, never verified). Nothing is pinned.",
        options
            .server_threads
            .map(|n| n.to_string())
            .unwrap_or_else(|| "the default number of".into()),
        options.load_threads
    );
    let _ = writeln!(
        out,
        "\nCaveat: {}. The server and the load generator share these cores and contend for \
         them, so requests/s at {} in flight measures the pair; server CPU per request is \
         the figure that belongs to the server alone. Latencies include the load \
         generator's own scheduling.",
        measure::machine(),
        options.in_flight
    );
    out
}
