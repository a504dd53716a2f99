//! `cargo xtask compliance [FILTER...]`: the official Smithy protocol compliance cases
//! (`../shared/smithy-protocol-tests`) run against the generated clients and servers.
//!
//! The crate of every service a case targets is generated, with its cases as
//! `tests/protocol_tests.rs`, into a scratch workspace (`target/compliance/workspace`,
//! with the project's `Cargo.lock`); each crate's tests run there; the results are
//! classified against the one expected-failure list (`xtask/compliance-expected-failures.txt`)
//! and written as a matrix to `target/compliance/matrix.{json,md}`.
//!
//! Fails when a test fails that is not listed, when a listed test passes (the list must
//! shrink), or when a listed test no longer exists. Arguments are test-name filters, as
//! for `cargo test`; with a filter, the matrix counts only the tests that ran.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::json;
use smithy_codegen::Settings;
use smithy_codegen::protocol_tests::{self, CaseKind, Side, TestRecord};

const EXPECTED_FAILURES: &str = "xtask/compliance-expected-failures.txt";

#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    Passed,
    Failed(String),
    ExpectedFailure(String),
}

pub fn compliance(root: &Path, filters: &[String]) -> Result<(), String> {
    let started = std::time::Instant::now();
    let shared = crate::bench::shared_dir(root);
    let dir = shared.join("smithy-protocol-tests");
    if !dir.is_dir() {
        let message = format!("the protocol tests are not at {}", dir.display());
        if std::env::var("CI").as_deref() == Ok("true") {
            return Err(format!("{message} (CI=true requires them)"));
        }
        println!("skipping compliance: {message} (set SMITHY_SHARED_DIR)");
        return Ok(());
    }
    let files = smithy_files(&dir);
    let model = smithy_codegen::load::load_paths(&files)
        .map_err(|d| format!("{d}\nthe protocol test models do not load"))?;
    let settings = Settings {
        runtime_path: root.join("runtime").display().to_string(),
        ..Default::default()
    };
    let generated = protocol_tests::generate(&model, &settings)
        .map_err(|d| format!("{d}\nthe protocol test services do not generate"))?;

    let out = root.join("target/compliance");
    let workspace = out.join("workspace");
    let crates = crate::write_scratch_workspace(root, &workspace, &generated.files)?;
    println!(
        "generated {} crates with {} tests into {}",
        crates.len(),
        generated.tests.len(),
        workspace.display()
    );

    let mut results: BTreeMap<(String, String), Outcome> = BTreeMap::new();
    for krate in &crates {
        // The project's target directory: dependencies built for the workspace's own tests
        // are reused where their features match.
        let ran = run_crate_tests(&workspace, &root.join("target"), krate, filters)?;
        for record in generated.tests.iter().filter(|t| t.crate_name == *krate) {
            match &ran {
                Ran::Tests(outcomes) => {
                    if let Some(outcome) = outcomes.get(&record.test_name) {
                        results.insert((krate.clone(), record.test_name.clone()), outcome.clone());
                    }
                }
                Ran::DoesNotCompile(reason) => {
                    if filters.is_empty() || filters.iter().any(|f| record.test_name.contains(f)) {
                        results.insert(
                            (krate.clone(), record.test_name.clone()),
                            Outcome::Failed(reason.clone()),
                        );
                    }
                }
            }
        }
    }

    for (record, reason) in &generated.not_run {
        results.insert(
            (record.crate_name.clone(), record.test_name.clone()),
            Outcome::Failed(reason.clone()),
        );
    }
    let all_tests: Vec<TestRecord> = generated
        .tests
        .iter()
        .cloned()
        .chain(generated.not_run.iter().map(|(r, _)| r.clone()))
        .collect();

    let expected = read_expected_failures(root)?;
    let mut problems = Vec::new();
    for ((_, name), outcome) in results.iter_mut() {
        if let Some(reason) = expected.get(name) {
            match outcome {
                Outcome::Failed(_) => *outcome = Outcome::ExpectedFailure(reason.clone()),
                Outcome::Passed => problems.push(format!(
                    "{name} passes but is listed in {EXPECTED_FAILURES}: remove it"
                )),
                Outcome::ExpectedFailure(_) => {}
            }
        }
    }
    if filters.is_empty() {
        let all: BTreeSet<&str> = all_tests.iter().map(|t| t.test_name.as_str()).collect();
        for name in expected.keys() {
            if !all.contains(name.as_str()) {
                problems.push(format!(
                    "{name} is listed in {EXPECTED_FAILURES} but no such test exists"
                ));
            }
        }
    }

    let matrix = Matrix::new(&all_tests, &results);
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    let markdown = matrix.markdown();
    crate::write_file(&out.join("matrix.md"), &markdown)?;
    crate::write_file(
        &out.join("matrix.json"),
        &serde_json::to_string_pretty(&matrix.json()).map_err(|e| e.to_string())?,
    )?;
    println!("{markdown}");
    println!("written to {}", out.join("matrix.{json,md}").display());
    println!(
        "compliance: {} tests in {:.0} s (generation, build and run)",
        results.len(),
        started.elapsed().as_secs_f64()
    );
    let failed = matrix.failed();
    if failed > 0 {
        problems.push(format!(
            "{failed} compliance tests failed (not in {EXPECTED_FAILURES})"
        ));
    }
    if results.is_empty() && !filters.is_empty() {
        problems.push(format!("no compliance test matches {filters:?}"));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

/// Every `.smithy` file under `dir`, sorted.
fn smithy_files(dir: &Path) -> Vec<PathBuf> {
    crate::existing_files(dir)
        .into_iter()
        .filter(|path| path.extension().is_some_and(|ext| ext == "smithy"))
        .map(|path| dir.join(path))
        .collect()
}

enum Ran {
    Tests(BTreeMap<String, Outcome>),
    DoesNotCompile(String),
}

/// Runs one crate's protocol tests and reads each test's outcome from libtest's output.
fn run_crate_tests(
    workspace: &Path,
    target: &Path,
    krate: &str,
    filters: &[String],
) -> Result<Ran, String> {
    let mut command = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    command
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        // Reasons are the panic messages; backtraces would bury them.
        .env("RUST_BACKTRACE", "0")
        .args([
            "test",
            "-p",
            krate,
            "--all-features",
            "--test",
            "protocol_tests",
            "--",
        ])
        .args(filters);
    println!("$ (in {}) {command:?}", workspace.display());
    let output = command
        .output()
        .map_err(|e| format!("cannot run cargo test: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !stdout.contains("test result:") {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error"))
            .take(5)
            .collect();
        eprintln!("{stderr}");
        return Ok(Ran::DoesNotCompile(format!(
            "the crate's tests do not compile: {}",
            errors.join(" | ")
        )));
    }
    let mut outcomes = BTreeMap::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        if let Some(name) = rest.strip_suffix(" ... ok") {
            outcomes.insert(name.to_string(), Outcome::Passed);
        } else if let Some(name) = rest.strip_suffix(" ... FAILED") {
            outcomes.insert(name.to_string(), Outcome::Failed(String::new()));
        }
    }
    // The panic message of each failure, from its `---- name stdout ----` section.
    let mut current: Option<String> = None;
    let mut reason = String::new();
    let mut finish = |name: &Option<String>, reason: &mut String| {
        if let Some(name) = name {
            if let Some(Outcome::Failed(slot)) = outcomes.get_mut(name) {
                *slot = reason.trim().replace('\n', " ");
            }
        }
        reason.clear();
    };
    for line in stdout.lines() {
        if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|l| l.strip_suffix(" stdout ----"))
        {
            finish(&current, &mut reason);
            current = Some(name.to_string());
            continue;
        }
        if line == "failures:" || line.starts_with("note: run with") {
            finish(&current, &mut reason);
            current = None;
            continue;
        }
        if current.is_some() && !line.starts_with("thread '") && reason.len() < 600 {
            reason.push_str(line);
            reason.push('\n');
        }
    }
    finish(&current, &mut reason);
    Ok(Ran::Tests(outcomes))
}

/// `name  reason`, one per line; `#` starts a comment.
fn read_expected_failures(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let path = root.join(EXPECTED_FAILURES);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut out = BTreeMap::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, reason) = line.split_once(char::is_whitespace).ok_or_else(|| {
            format!(
                "{}:{}: `{line}` has no reason; write `<test name> <one-line reason>`",
                path.display(),
                n + 1
            )
        })?;
        out.insert(name.to_string(), reason.trim().to_string());
    }
    Ok(out)
}

#[derive(Default)]
struct Row {
    cases: BTreeSet<String>,
    passed: usize,
    failed: usize,
    expected_failures: usize,
    total: usize,
}

struct Matrix {
    rows: BTreeMap<(String, CaseKind, Side), Row>,
    /// (test, outcome) of every test that did not pass.
    not_passing: Vec<(String, Outcome)>,
}

fn protocol_name(trait_id: &str) -> &str {
    trait_id.rsplit('#').next().unwrap_or(trait_id)
}

fn kind_name(kind: CaseKind) -> &'static str {
    kind.trait_name()
}

fn side_name(side: Side) -> &'static str {
    side.word()
}

impl Matrix {
    fn new(tests: &[TestRecord], results: &BTreeMap<(String, String), Outcome>) -> Matrix {
        let mut rows: BTreeMap<(String, CaseKind, Side), Row> = BTreeMap::new();
        let mut not_passing = Vec::new();
        for test in tests {
            let Some(outcome) = results.get(&(test.crate_name.clone(), test.test_name.clone()))
            else {
                continue;
            };
            let row = rows
                .entry((test.protocol.clone(), test.kind, test.side))
                .or_default();
            row.cases.insert(test.id.clone());
            row.total += 1;
            match outcome {
                Outcome::Passed => row.passed += 1,
                Outcome::Failed(_) => row.failed += 1,
                Outcome::ExpectedFailure(_) => row.expected_failures += 1,
            }
            if *outcome != Outcome::Passed {
                not_passing.push((test.test_name.clone(), outcome.clone()));
            }
        }
        Matrix { rows, not_passing }
    }

    fn failed(&self) -> usize {
        self.rows.values().map(|r| r.failed).sum()
    }

    /// Distinct cases per protocol and kind, sides together, as the model counts them
    /// (before `testParameters` expansion).
    fn case_counts(&self) -> BTreeMap<(String, CaseKind), usize> {
        let mut ids: BTreeMap<(String, CaseKind), BTreeSet<&str>> = BTreeMap::new();
        for ((protocol, kind, _), row) in &self.rows {
            ids.entry((protocol.clone(), *kind))
                .or_default()
                .extend(row.cases.iter().map(String::as_str));
        }
        ids.into_iter().map(|(key, set)| (key, set.len())).collect()
    }

    fn markdown(&self) -> String {
        let mut out = String::from(
            "Cases in the model (sides together, before `testParameters` expansion):\n\n| protocol | httpRequestTests | httpResponseTests | httpMalformedRequestTests |\n| --- | ---: | ---: | ---: |\n",
        );
        let counts = self.case_counts();
        let protocols: BTreeSet<&String> = counts.keys().map(|(p, _)| p).collect();
        for protocol in protocols {
            let count = |kind| counts.get(&(protocol.clone(), kind)).copied().unwrap_or(0);
            out.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                protocol_name(protocol),
                count(CaseKind::Request),
                count(CaseKind::Response),
                count(CaseKind::MalformedRequest)
            ));
        }
        out.push_str("\nTests, one per case and side (malformed-request cases expanded):\n\n");
        out.push_str(
            "| protocol | case kind | side | cases | tests | passed | failed | expected failure |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |\n",
        );
        let mut totals = Row::default();
        for ((protocol, kind, side), row) in &self.rows {
            out.push_str(&format!(
                "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
                protocol_name(protocol),
                kind_name(*kind),
                side_name(*side),
                row.cases.len(),
                row.total,
                row.passed,
                row.failed,
                row.expected_failures
            ));
            totals.total += row.total;
            totals.passed += row.passed;
            totals.failed += row.failed;
            totals.expected_failures += row.expected_failures;
        }
        out.push_str(&format!(
            "| all | | | | {} | {} | {} | {} |\n",
            totals.total, totals.passed, totals.failed, totals.expected_failures
        ));
        if !self.not_passing.is_empty() {
            out.push_str("\nNot passing:\n\n");
            for (name, outcome) in &self.not_passing {
                let (what, reason) = match outcome {
                    Outcome::Failed(reason) => ("failed", reason.as_str()),
                    Outcome::ExpectedFailure(reason) => ("expected failure", reason.as_str()),
                    Outcome::Passed => continue,
                };
                let reason: String = reason.chars().take(300).collect();
                out.push_str(&format!("- `{name}` ({what}): {reason}\n"));
            }
        }
        out
    }

    fn json(&self) -> serde_json::Value {
        let rows: Vec<serde_json::Value> = self
            .rows
            .iter()
            .map(|((protocol, kind, side), row)| {
                json!({
                    "protocol": protocol_name(protocol),
                    "kind": kind_name(*kind),
                    "side": side_name(*side),
                    "cases": row.cases.len(),
                    "tests": row.total,
                    "passed": row.passed,
                    "failed": row.failed,
                    "expected_failures": row.expected_failures,
                })
            })
            .collect();
        let not_passing: Vec<serde_json::Value> = self
            .not_passing
            .iter()
            .map(|(name, outcome)| match outcome {
                Outcome::Failed(reason) => {
                    json!({"test": name, "outcome": "failed", "reason": reason})
                }
                Outcome::ExpectedFailure(reason) => {
                    json!({"test": name, "outcome": "expected failure", "reason": reason})
                }
                Outcome::Passed => json!({}),
            })
            .collect();
        let cases: Vec<serde_json::Value> = self
            .case_counts()
            .into_iter()
            .map(|((protocol, kind), count)| {
                json!({"protocol": protocol_name(&protocol), "kind": kind_name(kind), "cases": count})
            })
            .collect();
        json!({ "cases": cases, "rows": rows, "not_passing": not_passing })
    }
}
