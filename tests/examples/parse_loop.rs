//! Profiling aid: reads the emulator's GetSession response into the typed output in a loop.
//! `cargo run --release -p integration-tests --example parse_loop`
fn main() {
    let seed = emulator::Seed::builtin();
    let session = &seed.athena_sessions["9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e"];
    let body = smithy_runtime::wire::to_vec(session).expect("writes");
    let started = std::time::Instant::now();
    // `PARSE_LOOP_N=20000` for a short run (under callgrind, say).
    let n: u32 = std::env::var("PARSE_LOOP_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300_000);
    for _ in 0..n {
        let output: athena::operation::get_session::GetSessionOutput =
            smithy_runtime::wire::from_slice(std::hint::black_box(&body)).expect("reads");
        std::hint::black_box(output);
    }
    println!(
        "{} bytes, {:.2} µs per read",
        body.len(),
        started.elapsed().as_secs_f64() * 1e6 / f64::from(n)
    );
}
