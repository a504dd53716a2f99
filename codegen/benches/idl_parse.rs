//! IDL parse throughput over every protocol test model (`../shared/smithy-protocol-tests`):
//! `cargo bench -p smithy-codegen --bench idl_parse` (release). Medians of many runs, in
//! MB/s of IDL text. Under `cargo test --benches` it runs each step once, as a smoke test.

#[path = "../tests/shared.rs"]
mod shared;

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;

use smithy_codegen::{idl, load};

fn smithy_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "smithy") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// Median seconds of `runs` calls of `f` (after one warm-up call).
fn median_secs(runs: usize, mut f: impl FnMut()) -> f64 {
    f();
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64()
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

fn main() {
    let measuring = std::env::args().any(|arg| arg == "--bench");
    let Some(shared) = shared::shared_dir() else {
        return;
    };
    let files = smithy_files(&shared.join("smithy-protocol-tests"));
    let sources: Vec<(PathBuf, String)> = files
        .iter()
        .map(|path| (path.clone(), std::fs::read_to_string(path).unwrap()))
        .collect();
    let bytes: usize = sources.iter().map(|(_, text)| text.len()).sum();
    let exported = serde_json::to_string(&load::export_sources(&sources).unwrap()).unwrap();
    let runs = if measuring { 41 } else { 0 };

    let parse = || {
        for (path, text) in &sources {
            black_box(idl::parse(path, text).unwrap());
        }
    };
    let lower = || {
        let parsed: Vec<_> = sources
            .iter()
            .map(|(path, text)| idl::parse(path, text).unwrap())
            .collect();
        black_box(idl::to_json_ast(&parsed, &idl::ExternalShapes::new()).unwrap());
    };
    let load_all = || {
        black_box(load::load_sources(&sources).unwrap());
    };
    let json_floor = || {
        black_box(serde_json::from_str::<serde_json::Value>(&exported).unwrap());
    };
    if !measuring {
        parse();
        lower();
        load_all();
        json_floor();
        println!(
            "idl_parse: smoke run over {} files passed (run `cargo bench` to measure)",
            files.len()
        );
        return;
    }
    let mb = bytes as f64 / 1e6;
    println!(
        "{} protocol test files, {:.2} MB of IDL; median of {runs} runs, release build",
        files.len(),
        mb
    );
    println!("| step | median | throughput |");
    println!("| --- | --- | --- |");
    for (what, f) in [
        ("lex + parse (syntax tree)", &parse as &dyn Fn()),
        ("parse + resolve to JSON AST documents", &lower),
        ("whole load: parse, resolve, merge, validate", &load_all),
    ] {
        let secs = median_secs(runs, f);
        println!("| {what} | {:.2} ms | {:.1} MB/s |", secs * 1e3, mb / secs);
    }
    let secs = median_secs(runs, json_floor);
    println!(
        "| for scale: serde_json reading the same model's JSON AST export ({:.2} MB) | {:.2} ms | {:.1} MB/s |",
        exported.len() as f64 / 1e6,
        secs * 1e3,
        exported.len() as f64 / 1e6 / secs
    );
}
