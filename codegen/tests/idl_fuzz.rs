//! A bounded fuzz test of the IDL reader, run by `cargo test`: thousands of random and
//! mutated inputs (seeded from `model/` and, when present, the protocol test models), each
//! of which must return `Ok` or `Err` quickly and never panic. The seed is fixed, so a
//! failure reproduces; `SMITHY_IDL_FUZZ_CASES` raises the count for a longer run.

mod shared;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use smithy_codegen::idl;

/// xorshift64*: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Pieces of IDL syntax that mutations splice in, to reach deep into the grammar.
const FRAGMENTS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "(",
    ")",
    ":",
    ":=",
    "=",
    "@",
    "$",
    ",",
    "\n",
    "\"",
    "\"\"\"\n",
    "\"\"\"",
    "\\",
    "\\u",
    "\\uD800",
    "///",
    "// c\n",
    "#",
    ".",
    "$member",
    "$version: \"2\"\n",
    "$version: \"1.0\"\n",
    "namespace ex\n",
    "use a#B\n",
    "with [",
    "for ",
    "apply ",
    "structure ",
    "string S\n",
    "enum E { A = ",
    "intEnum I { A = 1 }",
    "list L { member: ",
    "map M { key: ",
    "operation O { input := ",
    "output := with [M] {}",
    "resource R { identifiers: { a: ",
    "service S { version: ",
    "@mixin\n",
    "@trait(",
    "-",
    "0",
    "1e9",
    "-0.5",
    "1e400",
    "true",
    "null",
    "é",
    "\u{0}",
    "\r\n",
    "\t",
];

fn corpus() -> Vec<String> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths: Vec<PathBuf> = ["model/athena.smithy", "model/emr-serverless.smithy"]
        .iter()
        .map(|p| root.join(p))
        .collect();
    if let Some(shared) = shared::shared_dir() {
        let mut stack = vec![shared.join("smithy-protocol-tests")];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|e| e == "smithy") {
                    paths.push(path);
                }
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())))
        .collect()
}

fn mutate(rng: &mut Rng, corpus: &[String]) -> String {
    let base = corpus[rng.below(corpus.len())].as_bytes();
    // Mostly a window of a file (small inputs, many of them), sometimes the whole file.
    let mut bytes = if rng.below(5) == 0 {
        base.to_vec()
    } else {
        let start = rng.below(base.len());
        let len = 1 + rng.below(4096);
        base[start..(start + len).min(base.len())].to_vec()
    };
    for _ in 0..1 + rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(6) {
            0 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            1 => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                bytes.splice(at..at, fragment.iter().copied());
            }
            2 => {
                let end = (at + rng.below(128)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            3 if at < bytes.len() => bytes[at] = (rng.next() & 0x7f) as u8,
            4 => bytes.truncate(at),
            _ => {
                let fragment = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                let end = (at + fragment.len()).min(bytes.len());
                bytes.splice(at..end, fragment.iter().copied());
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Random sequences of fragments and characters: no structure at all.
fn random(rng: &mut Rng) -> String {
    let mut text = String::new();
    for _ in 0..rng.below(200) {
        if rng.below(3) == 0 {
            text.push(char::from_u32(rng.below(0x800) as u32).unwrap_or('?'));
        } else {
            text.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]);
            text.push(' ');
        }
    }
    text
}

/// Parses and lowers one input; `Err` only for a panic.
fn run_one(text: &str) -> Result<(), String> {
    catch_unwind(AssertUnwindSafe(|| {
        let path = Path::new("fuzz.smithy");
        if let Ok(file) = idl::parse(path, text) {
            let _ = idl::to_json_ast(std::slice::from_ref(&file), &idl::ExternalShapes::new());
        }
        // Every error must render, too.
        if let Err(diagnostics) = idl::parse_to_json_ast(path, text) {
            let _ = diagnostics.to_string();
        }
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn random_and_mutated_inputs_never_panic_or_hang() {
    let cases: usize = std::env::var("SMITHY_IDL_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(10_000);
    let corpus = corpus();
    // Unmutated files parse: the mutations start from valid input.
    for text in &corpus {
        idl::parse(Path::new("corpus.smithy"), text).unwrap_or_else(|d| panic!("{d}"));
    }
    let (progress, done) = mpsc::channel::<usize>();
    let worker = std::thread::spawn(move || {
        let mut rng = Rng(0x05EE_D1D1_CAFE);
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let mut failures = Vec::new();
        let mut slowest = Duration::ZERO;
        for case in 0..cases {
            let text = if case % 3 == 2 {
                random(&mut rng)
            } else {
                mutate(&mut rng, &corpus)
            };
            let start = Instant::now();
            if let Err(panic) = run_one(&text) {
                failures.push(format!("case {case}: panicked: {panic}\ninput: {text:?}"));
            }
            slowest = slowest.max(start.elapsed());
            let _ = progress.send(case);
        }
        std::panic::set_hook(hook);
        (failures, slowest)
    });
    // A case that takes this long is a hang.
    let limit = Duration::from_secs(20);
    let mut last = None;
    loop {
        match done.recv_timeout(limit) {
            Ok(case) => last = Some(case),
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {
                panic!("no progress for {limit:?} after case {last:?}: the reader hangs")
            }
        }
    }
    let (failures, slowest) = worker.join().unwrap();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
    assert_eq!(last, Some(cases - 1));
    assert!(
        slowest < Duration::from_secs(5),
        "slowest case took {slowest:?}"
    );
}
