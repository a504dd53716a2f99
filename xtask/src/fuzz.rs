//! `cargo xtask fuzz [TARGET...] [--seconds N]`: coverage-guided fuzzing with libFuzzer on
//! stable Rust. The targets (`fuzz/fuzz_targets/`, functions of `integration_tests::fuzz`)
//! are built with the coverage instrumentation rustc has on stable (`-Cpasses=sancov-module`
//! and SanitizerCoverage's options) and linked with libFuzzer by the `libfuzzer-sys` crate
//! (its C++ built by the machine's compiler): no nightly, no cargo-fuzz. Each target starts
//! from its seeds (the protocol compliance cases and models of `../shared`) and its corpus
//! (`target/fuzz/corpus/<target>`, kept between runs); a crash, hang (10 s) or runaway
//! memory (2 GiB) is saved to `fuzz/regressions/<target>/`, which `cargo test` replays
//! (`tests/tests/fuzz_replay.rs`): commit it with the fix. The corpus stays out of the
//! repository: five minutes of `idl` keep over a thousand inputs that reach new code,
//! 7 MB, mostly variations of the seed models; `cargo test` replays the seeds instead.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

use crate::{cargo, run};

const TARGETS: [&str; 4] = ["server_request", "idl", "json_ast", "client_response"];

/// The SanitizerCoverage instrumentation libFuzzer reads (what cargo-fuzz passes, minus
/// the sanitizer, which needs nightly).
const COVERAGE_FLAGS: &str = "-Cpasses=sancov-module \
     -Cllvm-args=-sanitizer-coverage-level=4 \
     -Cllvm-args=-sanitizer-coverage-inline-8bit-counters \
     -Cllvm-args=-sanitizer-coverage-pc-table \
     -Cllvm-args=-sanitizer-coverage-trace-compares \
     --cfg fuzzing";

pub fn fuzz(root: &Path, args: &[String]) -> Result<(), String> {
    let mut seconds: u64 = 60;
    let mut targets: Vec<&str> = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seconds needs a number")?;
            }
            name => match TARGETS.iter().find(|t| **t == name) {
                Some(target) => targets.push(target),
                None => {
                    return Err(format!(
                        "no fuzz target `{name}` (targets: {})",
                        TARGETS.join(", ")
                    ));
                }
            },
        }
    }
    if targets.is_empty() {
        targets = TARGETS.to_vec();
    }
    let shared = crate::bench::shared_dir(root);
    if !shared.is_dir() {
        return Err(format!(
            "the shared test data is not at {}",
            shared.display()
        ));
    }
    let triple = host_triple()?;
    let target_dir = root.join("target/fuzz");
    let started = Instant::now();
    // `--target` keeps the instrumentation off build scripts and proc macros.
    run(cargo()
        .current_dir(root.join("fuzz"))
        .env("CARGO_TARGET_DIR", &target_dir)
        .env("RUSTFLAGS", COVERAGE_FLAGS)
        .args(["build", "--release", "--bins", "--target", &triple]))?;
    println!("built in {:.0} s", started.elapsed().as_secs_f64());

    let mut report = Vec::new();
    for target in targets {
        let binary = target_dir.join(&triple).join("release").join(target);
        let corpus = target_dir.join("corpus").join(target);
        let seeds = target_dir.join("seeds").join(target);
        let regressions = root.join("fuzz/regressions").join(target);
        for dir in [&corpus, &regressions] {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let _ = std::fs::remove_dir_all(&seeds);
        let output = Command::new(&binary)
            .env("SMITHY_FUZZ_SEEDS", &seeds)
            .env("SMITHY_SHARED_DIR", &shared)
            .env("SMITHY_WORKSPACE", root)
            .arg(&corpus)
            .arg(&seeds)
            .arg(format!("-max_total_time={seconds}"))
            .arg("-timeout=10")
            .arg("-rss_limit_mb=2048")
            .arg("-max_len=65536")
            .arg("-print_final_stats=1")
            .arg(format!("-artifact_prefix={}/", regressions.display()))
            .output()
            .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
        let log = String::from_utf8_lossy(&output.stderr);
        let stat = |name: &str| {
            log.lines()
                .find_map(|l| l.strip_prefix(&format!("stat::{name}:")))
                .map(|v| v.trim().to_string())
                .unwrap_or_else(|| "?".into())
        };
        let crashes = std::fs::read_dir(&regressions)
            .map(|entries| entries.count())
            .unwrap_or(0);
        let line = format!(
            "| {target} | {seconds} | {} | {} | {} | {} |",
            stat("number_of_executed_units"),
            stat("average_exec_per_sec"),
            log.lines()
                .rev()
                .find_map(|l| l.split("cov: ").nth(1))
                .and_then(|rest| rest.split_whitespace().next())
                .unwrap_or("?"),
            crashes
        );
        println!("{line}");
        report.push(line);
        if !output.status.success() {
            let tail: Vec<&str> = log.lines().rev().take(40).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            return Err(format!(
                "{target} found a failure (saved in {}):\n{}",
                regressions.display(),
                tail.join("\n")
            ));
        }
    }
    println!(
        "\n| target | seconds | executions | executions/s | coverage (edges) | saved inputs |\n| --- | --- | --- | --- | --- | --- |\n{}",
        report.join("\n")
    );
    Ok(())
}

fn host_triple() -> Result<String, String> {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let output = Command::new(rustc)
        .arg("-vV")
        .output()
        .map_err(|e| format!("cannot run rustc: {e}"))?;
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV names no host".into())
}
