//! Profiling aid: the generated Athena client calls GetSession on the emulator in a loop,
//! one call at a time (client and server in one process, for callgrind's instruction
//! counts). `CALL_LOOP_N=2000 cargo run --release -p integration-tests --example call_loop`
fn main() {
    let config = emulator::Config::from_args(["--port".to_string(), "0".to_string()])
        .expect("arguments")
        .expect("a config");
    let (addr, _server) = emulator::Emulator::start(config).expect("the emulator starts");
    let n: u32 = std::env::var("CALL_LOOP_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let client = athena::Client::from_conf(
            athena::Config::builder()
                .region("us-east-1")
                .endpoint_url(format!("http://{addr}"))
                .credentials_provider(athena::client::Credentials::new(
                    "AKID", "SECRET", None, None,
                ))
                .build(),
        );
        let started = std::time::Instant::now();
        for _ in 0..n {
            let output = client
                .get_session()
                .session_id("9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e")
                .send()
                .await
                .expect("the call succeeds");
            std::hint::black_box(output);
        }
        println!(
            "{:.1} µs per call",
            started.elapsed().as_secs_f64() * 1e6 / f64::from(n)
        );
    });
}
