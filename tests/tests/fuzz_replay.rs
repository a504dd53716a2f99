//! The fuzz targets (`integration_tests::fuzz`) run in `cargo test` as a bounded,
//! deterministic replay: every seed (the official protocol compliance cases and models from
//! `../shared`, this project's models and emulator requests), a few mutations of each, and
//! every input a fuzzing run saved as a crash (`fuzz/regressions/<target>/`). Coverage-
//! guided runs of the same targets are `cargo xtask fuzz`.

use integration_tests::fuzz;
use integration_tests::python::workspace;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// Three deterministic mutations of `seed`: cut short, one byte changed, a slice doubled.
fn mutations(seed: &[u8], salt: usize) -> Vec<Vec<u8>> {
    if seed.is_empty() {
        return Vec::new();
    }
    let at = (salt * 7919 + seed.len() / 3) % seed.len();
    let mut flipped = seed.to_vec();
    flipped[at] ^= 0x5a;
    let mut doubled = seed[..at].to_vec();
    doubled.extend_from_slice(&seed[at / 2..]);
    vec![seed[..at].to_vec(), flipped, doubled]
}

fn replay(target: &str) {
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    // The inputs fuzzing runs saved as crashes.
    let regressions = workspace().join("fuzz/regressions").join(target);
    if let Ok(entries) = std::fs::read_dir(&regressions) {
        for entry in entries.flatten() {
            let path = entry.path();
            let data = std::fs::read(&path).expect("a regression input");
            inputs.push((path.display().to_string(), data));
        }
    }
    if let Some(shared) = integration_tests::shared_dir("the fuzz seeds") {
        let seeds = fuzz::seeds(target, &shared, &workspace());
        assert!(!seeds.is_empty(), "{target}: no seeds");
        for (i, seed) in seeds.iter().enumerate() {
            for (j, mutated) in mutations(seed, i).into_iter().enumerate() {
                inputs.push((format!("seed {i}, mutation {j}"), mutated));
            }
            inputs.push((format!("seed {i}"), seed.clone()));
        }
    }
    for (name, data) in &inputs {
        let outcome = catch_unwind(AssertUnwindSafe(|| fuzz::run(target, data)));
        assert!(
            outcome.is_ok(),
            "{target}: {name} broke an invariant (input: {:?})",
            String::from_utf8_lossy(data)
        );
    }
    eprintln!("{target}: {} inputs", inputs.len());
}

#[test]
fn server_request() {
    replay("server_request");
}

#[test]
fn idl() {
    replay("idl");
}

#[test]
fn json_ast() {
    replay("json_ast");
}

#[test]
fn client_response() {
    replay("client_response");
}
