//! `cargo xtask bench [--skip-sdk] | codegen | compile [--skip-sdk] [--runs N] |
//! validation [ARGS] | server [ARGS] | client [--skip-sdk] [ARGS]`.
//!
//! - `codegen`: codegen speed (`bench-codegen`, in this program built as the generator is
//!   shipped: the workspace's `generator` profile, release with whole-program optimization).
//! - `compile`: the release compile time of the crate generated from the whole Athena
//!   model (`../shared/aws-models`), the crate alone with its dependencies prebuilt, beside
//!   `aws-sdk-athena`'s (in the client comparison's workspace); `--skip-sdk` leaves it out.
//! - `validation`: the criterion bench `tests/benches/validation.rs` (large valid and
//!   invalid `StartSession` inputs); ARGS go to criterion (default: short times).
//! - `server`: `benches/server-bench` (the generated server against hand-written axum
//!   and bare hyper); ARGS go to it (`--runs`, `--duration-ms`, `--in-flight`...).
//! - `client`: `benches/client-comparison` (the generated clients against the AWS SDK for
//!   Rust and bare hyper; its own cargo workspace, target dir `target/client-comparison`),
//!   then cold release builds of the three minimal programs under it: build time,
//!   stripped size, crate count, and a run of each against the emulator.
//!   `--skip-sdk` leaves the AWS SDK out of both (it takes minutes to build).
//! - no argument: all of them, into `target/bench/report.md` (`--skip-sdk` goes to
//!   `compile` and `client`).
//!
//! Each writes its markdown to `target/bench/<name>.md` and prints it.

use std::collections::BTreeSet;
use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, run};

const USAGE: &str = "usage: cargo xtask bench [--skip-sdk] | codegen | compile [--skip-sdk] \
                     [--runs N] | validation [ARGS] | server [ARGS] | client [--skip-sdk] [ARGS]";

pub fn bench(root: &Path, args: &[String]) -> Result<(), String> {
    let out_dir = root.join("target").join("bench");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let (name, text) = match args.first().map(String::as_str) {
        None => ("report", all(root, false)?),
        Some("--skip-sdk") if args.len() == 1 => ("report", all(root, true)?),
        Some("codegen") if args.len() == 1 => ("codegen", codegen(root)?),
        Some("compile") => ("compile", compile(root, &args[1..])?),
        Some("validation") => ("validation", validation(root, &args[1..])?),
        Some("server") => ("server", server(root, &args[1..])?),
        Some("client") => ("client", client(root, &args[1..])?),
        _ => return Err(USAGE.into()),
    };
    let text = if name == "report" {
        text
    } else {
        format!("{}\n{text}", source_revision(root))
    };
    let path = out_dir.join(format!("{name}.md"));
    std::fs::write(&path, &text).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    println!("\n{text}\nwritten to {}", path.display());
    Ok(())
}

fn all(root: &Path, skip_sdk: bool) -> Result<String, String> {
    let sdk_args: Vec<String> = if skip_sdk {
        vec!["--skip-sdk".into()]
    } else {
        Vec::new()
    };
    let codegen = codegen(root)?;
    let compile = compile(root, &sdk_args)?;
    let validation = validation(root, &[])?;
    let server = server(root, &[])?;
    let client = client(root, &sdk_args)?;
    Ok(format!(
        "# Benchmarks\n\n`cargo xtask bench{}` ({}; release builds). {}\n{codegen}\n{compile}\n\
         {validation}\n{server}\n{client}",
        if skip_sdk { " --skip-sdk" } else { "" },
        tool_version("rustc"),
        source_revision(root)
    ))
}

/// Which source was measured: the commit, and whether the tree had uncommitted changes
/// (read when the measurements end).
fn source_revision(root: &Path) -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .current_dir(root)
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .and_then(|o| String::from_utf8(o.stdout).ok())
    };
    match git(&["rev-parse", "--short", "HEAD"]) {
        Some(commit) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.trim().is_empty());
            format!(
                "Source: commit {}{}.\n",
                commit.trim(),
                if dirty {
                    " with uncommitted changes"
                } else {
                    ""
                }
            )
        }
        None => "Source: not a git checkout.\n".to_string(),
    }
}

/// Runs `command` with its stdout captured (and returned) and its stderr passed through.
fn capture(command: &mut Command) -> Result<String, String> {
    println!("$ {command:?}");
    let output = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(format!("{command:?} failed: {}", output.status));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("{command:?} wrote non-UTF-8: {e}"))
}

fn tool_version(tool: &str) -> String {
    Command::new(tool)
        .arg("--version")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|v| v.trim().to_string())
        .unwrap_or_else(|| format!("{tool}: unknown version"))
}

fn codegen(root: &Path) -> Result<String, String> {
    let table = capture(cargo().current_dir(root).args([
        "run",
        "--profile",
        "generator",
        "--quiet",
        "--package",
        "xtask",
        "--",
        "bench-codegen",
    ]))?;
    Ok(format!(
        "## Codegen\n\nCommand: `cargo xtask bench codegen` (built with the `generator` profile).\n\n{table}"
    ))
}

/// One crate whose own compile time is measured: where its workspace is, the package,
/// its source directory (for the source size).
struct Subject {
    label: String,
    package: String,
    manifest: PathBuf,
    target: PathBuf,
    source: PathBuf,
}

impl Subject {
    /// `cargo <verb> --release -p <package>` in the subject's workspace and target dir.
    fn cargo(&self, root: &Path, verb: &str) -> Command {
        let mut command = cargo();
        command
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &self.target)
            .args([verb, "--release", "--quiet", "--manifest-path"])
            .arg(&self.manifest)
            .args(["--package", &self.package]);
        command
    }
}

/// `compile [--skip-sdk] [--runs N]`: the generated whole-Athena crate's release compile
/// time beside `aws-sdk-athena`'s, each crate alone (dependencies built beforehand).
fn compile(root: &Path, args: &[String]) -> Result<String, String> {
    const USAGE: &str = "usage: cargo xtask bench compile [--skip-sdk] [--runs N]";
    let mut skip_sdk = false;
    let mut runs = 3;
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--skip-sdk" => skip_sdk = true,
            "--runs" => {
                runs = rest
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|&n| n > 0)
                    .ok_or(USAGE)?
            }
            _ => return Err(USAGE.into()),
        }
    }
    let heading = "## Compile time: the generated whole-Athena crate vs aws-sdk-athena\n\n";
    let Some(model) = athena_model(root) else {
        return Ok(format!(
            "{heading}Skipped: no `athena*.json` in `{}` (set `SMITHY_SHARED_DIR`).\n",
            shared_dir(root).join("aws-models").display()
        ));
    };
    let mut subjects = vec![generate_athena(root, &model)?];
    if !skip_sdk {
        subjects.push(sdk_athena(root)?);
    }
    // Dependencies (and the crates themselves) built once, so each timed build below
    // compiles the one crate.
    for subject in &subjects {
        run(&mut subject.cargo(root, "build"))?;
    }
    // Interleaved (run 1 of each, then run 2...) so drift of the shared machine hits both.
    let mut times = vec![Vec::new(); subjects.len()];
    for _ in 0..runs {
        for (subject, times) in subjects.iter().zip(&mut times) {
            run(&mut subject.cargo(root, "clean"))?;
            let started = Instant::now();
            run(&mut subject.cargo(root, "build"))?;
            times.push(started.elapsed().as_secs_f64());
        }
    }
    let mut text = format!(
        "{heading}Command: `cargo xtask bench compile{}`. What is timed: `cargo build --release \
         -p <crate>` right after `cargo clean --release -p <crate>`, so only the crate itself \
         compiles (its dependencies were built beforehand); default features of each (ours: \
         `client`, `rustls`); release profile; cargo's default jobs on {} cores; {runs} run(s) \
         of each, interleaved. Ours is generated from `{}` into a scratch workspace \
         (`target/bench/compile`); `aws-sdk-athena` builds in the client comparison's workspace. \
         Rust source: every `.rs` file under the crate's directory.\n\n",
        args.iter().map(|a| format!(" {a}")).collect::<String>(),
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        model.file_name().unwrap_or_default().to_string_lossy(),
    );
    text.push_str(&compile_table(&subjects, &times)?);
    Ok(text)
}

/// The shared test data beside the checkout: `$SMITHY_SHARED_DIR`, else `../shared`.
pub(crate) fn shared_dir(root: &Path) -> PathBuf {
    std::env::var_os("SMITHY_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared"))
}

/// The whole Athena model (`aws-models/athena*.json`), when the shared data is there.
fn athena_model(root: &Path) -> Option<PathBuf> {
    let mut models: Vec<PathBuf> = std::fs::read_dir(shared_dir(root).join("aws-models"))
        .ok()?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("athena") && n.ends_with(".json"))
        })
        .collect();
    models.sort();
    models.pop()
}

/// Generates the whole Athena service into `target/bench/compile/crates/` (a workspace of
/// its own, with the project's `Cargo.lock` so dependency versions match).
fn generate_athena(root: &Path, model_path: &Path) -> Result<Subject, String> {
    let model = smithy_codegen::load::load_files(&[model_path.to_path_buf()])
        .map_err(|d| format!("{}:\n{d}", model_path.display()))?;
    let operations = model
        .services()
        .next()
        .map_or(0, |(_, service, _)| model.service_operations(service).len());
    let settings = smithy_codegen::Settings {
        runtime_path: root.join("runtime").display().to_string(),
        ..Default::default()
    };
    let files = smithy_codegen::generate(&model, &settings)
        .map_err(|d| format!("{}:\n{d}", model_path.display()))?;
    let scratch = root.join("target/bench/compile");
    let crates = scratch.join("crates");
    if crates.exists() {
        std::fs::remove_dir_all(&crates)
            .map_err(|e| format!("cannot empty {}: {e}", crates.display()))?;
    }
    let mut members = BTreeSet::new();
    let mut package = None;
    for file in &files {
        let path = crates.join(&file.path);
        crate::write_file(&path, &file.contents)?;
        if let Some(member) = file.path.components().next() {
            members.insert(member.as_os_str().to_string_lossy().to_string());
        }
        if file.path.file_name().is_some_and(|n| n == "Cargo.toml") {
            package = package_name(&file.contents).map(|name| (name, path));
        }
    }
    let (Some((package, manifest)), 1) = (package, members.len()) else {
        return Err(format!(
            "{} should generate one crate; got {members:?}",
            model_path.display()
        ));
    };
    let workspace = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("\"crates/{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let write = |path: PathBuf, text: &str| {
        std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    write(scratch.join("Cargo.toml"), &workspace)?;
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))
        .map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    write(scratch.join("Cargo.lock"), &lock)?;
    Ok(Subject {
        label: format!("`{package}` (generated, whole model: {operations} operations)"),
        source: manifest.parent().expect("a crate directory").to_path_buf(),
        manifest: scratch.join("Cargo.toml"),
        target: root.join("target/bench/compile-target"),
        package,
    })
}

/// The `name` of a `[package]` manifest.
fn package_name(manifest: &str) -> Option<String> {
    let package = manifest.split("[package]").nth(1)?;
    package.lines().find_map(|line| {
        let value = line.trim().strip_prefix("name")?.trim().strip_prefix('=')?;
        Some(value.trim().trim_matches('"').to_string())
    })
}

/// `aws-sdk-athena` as the client comparison's workspace resolves it (its source from
/// `cargo metadata`).
fn sdk_athena(root: &Path) -> Result<Subject, String> {
    let (manifest, target) = comparison(root);
    let metadata = capture(
        cargo()
            .current_dir(root)
            .args(["metadata", "--format-version", "1", "--manifest-path"])
            .arg(&manifest),
    )?;
    let metadata: serde_json::Value =
        serde_json::from_str(&metadata).map_err(|e| format!("cargo metadata: {e}"))?;
    let package = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == "aws-sdk-athena")
        .ok_or("cargo metadata lists no aws-sdk-athena")?;
    let source = package["manifest_path"]
        .as_str()
        .and_then(|m| Path::new(m).parent())
        .ok_or("cargo metadata: aws-sdk-athena has no manifest_path")?;
    Ok(Subject {
        label: format!(
            "`aws-sdk-athena` {} (comparison)",
            package["version"].as_str().unwrap_or("?")
        ),
        package: "aws-sdk-athena".into(),
        source: source.to_path_buf(),
        manifest,
        target,
    })
}

/// Bytes, lines and count of the `.rs` files under `dir`.
fn rust_source(dir: &Path) -> Result<(u64, usize, usize), String> {
    let (mut bytes, mut lines, mut files) = (0, 0, 0);
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let entries =
            std::fs::read_dir(&current).map_err(|e| format!("{}: {e}", current.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                bytes += text.len() as u64;
                lines += text.lines().count();
                files += 1;
            }
        }
    }
    Ok((bytes, lines, files))
}

fn compile_table(subjects: &[Subject], times: &[Vec<f64>]) -> Result<String, String> {
    let median = |times: &[f64]| {
        let mut sorted = times.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0
    };
    let sdk = subjects
        .iter()
        .position(|s| s.package == "aws-sdk-athena")
        .map(|i| median(&times[i]));
    let mut out = String::from(
        "| crate | median | min–max | time vs aws-sdk-athena | Rust source |\n\
         | --- | ---: | ---: | ---: | ---: |\n",
    );
    for (subject, times) in subjects.iter().zip(times) {
        let (bytes, lines, files) = rust_source(&subject.source)?;
        let min = times.iter().copied().fold(f64::INFINITY, f64::min);
        let max = times.iter().copied().fold(0.0, f64::max);
        out.push_str(&format!(
            "| {} | {:.1} s | {min:.1}–{max:.1} s | {} | {:.2} MiB, {} lines, {files} files |\n",
            subject.label,
            median(times),
            sdk.map_or("-".into(), |sdk| format!("{:.2}x", median(times) / sdk)),
            bytes as f64 / 1048576.0,
            thousands(lines as u64),
        ));
    }
    // The first subject is ours.
    let goal = match sdk {
        Some(sdk) => {
            let faster = sdk / median(&times[0]);
            format!(
                "our crate compiles {faster:.1}x faster than aws-sdk-athena ({})",
                if faster >= 4.0 { "met" } else { "missed" }
            )
        }
        None => "not measured (`--skip-sdk`)".into(),
    };
    out.push_str(&format!(
        "\nGoal (the whole-Athena generated crate compiles at least 4x faster than \
         aws-sdk-athena): {goal}.\n"
    ));
    Ok(out)
}

/// `validation [ARGS]`: the criterion bench `tests/benches/validation.rs` (ARGS go to
/// criterion), its medians read back from criterion's `estimates.json`.
fn validation(root: &Path, args: &[String]) -> Result<String, String> {
    let criterion_args: Vec<String> = if args.is_empty() {
        ["--warm-up-time", "1", "--measurement-time", "3"]
            .map(String::from)
            .to_vec()
    } else {
        args.to_vec()
    };
    // Its own criterion directory, and a start time, so no figure of an earlier run is
    // read back as this one's.
    let home = root.join("target/bench/criterion");
    let started = std::time::SystemTime::now();
    run(cargo()
        .current_dir(root)
        .env("CRITERION_HOME", &home)
        .args([
            "bench",
            "--quiet",
            "--package",
            "integration-tests",
            "--bench",
            "validation",
            "--",
        ])
        .args(&criterion_args))?;
    let mut out = format!(
        "## Validation: a large `StartSession` input\n\nCommand: `cargo xtask bench validation{}` \
         (`cargo bench -p integration-tests --bench validation -- {}`). The inputs \
         (`tests/benches/validation.rs`): 200 tags and 100 runtime configurations with nested \
         configurations (700 configurations, 6,500 properties), at the model's limits; one \
         valid, one where almost every string breaks a constraint (7,800 violations). \
         `validate`: the constraint check of the typed `StartSessionInput` \
         (`validation::validate_typed`); `from_json` (`validation::from_json`): reading \
         `StartSessionInput` from the value strictly, as the server reads a request, then the \
         check; `deserialize` (floor): `wire::from_value` reading `StartSessionInput` with no \
         check at all. Criterion's median with its 95% confidence interval.\n\n\
         | per input | valid | invalid |\n| --- | ---: | ---: |\n",
        args.iter().map(|a| format!(" {a}")).collect::<String>(),
        criterion_args.join(" "),
    );
    for what in ["validate", "from_json", "deserialize"] {
        let valid = criterion_median(&home, &format!("{what}_valid"), started)?;
        let invalid = criterion_median(&home, &format!("{what}_invalid"), started)?;
        out.push_str(&format!("| `{what}` | {valid} | {invalid} |\n"));
    }
    Ok(out)
}

/// `951,549 ns (920,830–1,022,068)`: the median of the `start_session/<bench>` criterion wrote,
/// refused when it was written before `since`.
fn criterion_median(
    home: &Path,
    bench: &str,
    since: std::time::SystemTime,
) -> Result<String, String> {
    let path = home
        .join("start_session")
        .join(bench)
        .join("new/estimates.json");
    let fresh = std::fs::metadata(&path)
        .and_then(|m| m.modified())
        .is_ok_and(|modified| modified >= since);
    if !fresh {
        return Err(format!("criterion did not write {}", path.display()));
    }
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let estimates: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let median = &estimates["median"];
    let ns = |value: &serde_json::Value| {
        value
            .as_f64()
            .ok_or_else(|| format!("{}: no median", path.display()))
    };
    let point = ns(&median["point_estimate"])?;
    let low = ns(&median["confidence_interval"]["lower_bound"])?;
    let high = ns(&median["confidence_interval"]["upper_bound"])?;
    Ok(format!(
        "{} ({}–{})",
        fmt_ns(point),
        fmt_ns(low).trim_end_matches(" ns"),
        fmt_ns(high).trim_end_matches(" ns")
    ))
}

/// `951,549 ns`.
fn fmt_ns(ns: f64) -> String {
    format!("{} ns", thousands(ns.round() as u64))
}

/// `67,445`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn server(root: &Path, args: &[String]) -> Result<String, String> {
    let table = capture(
        cargo()
            .current_dir(root)
            .args([
                "run",
                "--release",
                "--quiet",
                "--package",
                "server-bench",
                "--",
            ])
            .args(args),
    )?;
    Ok(format!(
        "{table}\nCommand: `cargo xtask bench server{}` (`cargo run --release -p server-bench`).\n",
        args.iter().map(|a| format!(" {a}")).collect::<String>()
    ))
}

/// The client comparison's manifest and its target dir (kept apart from the project's:
/// another workspace, another lock file).
fn comparison(root: &Path) -> (PathBuf, PathBuf) {
    (
        root.join("benches/client-comparison/Cargo.toml"),
        root.join("target/client-comparison"),
    )
}

fn client(root: &Path, args: &[String]) -> Result<String, String> {
    let skip_sdk = args.iter().any(|a| a == "--skip-sdk");
    let rest: Vec<&String> = args.iter().filter(|a| *a != "--skip-sdk").collect();
    let (manifest, target) = comparison(root);
    let mut command = cargo();
    command
        .current_dir(root)
        .env("CARGO_TARGET_DIR", &target)
        .args(["run", "--release", "--quiet", "--manifest-path"])
        .arg(&manifest);
    if skip_sdk {
        command.arg("--no-default-features");
    }
    let table = capture(command.arg("--").args(&rest))?;
    let builds = minimal_builds(root, skip_sdk, &target.join("release/client-comparison"))?;
    let flags: String = args.iter().map(|a| format!(" {a}")).collect();
    Ok(format!(
        "{table}\nCommand: `cargo xtask bench client{flags}`.\n\n{builds}"
    ))
}

/// A minimal program: its package, what it uses.
struct Minimal {
    package: &'static str,
    uses: &'static str,
}

/// What building one minimal program measured.
struct Built {
    minimal: Minimal,
    build_time: Duration,
    stripped: u64,
    unstripped: u64,
    crates: usize,
    runs: Result<(), String>,
}

/// Cold release builds of the minimal programs (each into a fresh `CARGO_TARGET_DIR`,
/// sources fetched beforehand), their stripped sizes and crate counts, and one run of
/// each against the emulator (served by the comparison binary, `serve-emulator`).
fn minimal_builds(root: &Path, skip_sdk: bool, comparison_bin: &Path) -> Result<String, String> {
    let (manifest, _) = comparison(root);
    let mut minimals = vec![Minimal {
        package: "minimal-ours",
        uses: "generated `athena` + `emr-serverless` (default features: client, rustls)",
    }];
    if !skip_sdk {
        minimals.push(Minimal {
            package: "minimal-sdk",
            uses: "`aws-sdk-athena` + `aws-sdk-emrserverless` (default features)",
        });
    }
    minimals.push(Minimal {
        package: "minimal-hyper",
        uses: "hyper + hyper-util legacy client, plain HTTP, unsigned",
    });
    run(cargo()
        .current_dir(root)
        .args(["fetch", "--manifest-path"])
        .arg(&manifest))?;

    let mut built = Vec::new();
    for minimal in minimals {
        let target = root.join("target/bench/cold").join(minimal.package);
        if target.exists() {
            std::fs::remove_dir_all(&target)
                .map_err(|e| format!("cannot empty {}: {e}", target.display()))?;
        }
        let started = Instant::now();
        run(cargo()
            .current_dir(root)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--release", "--quiet", "--manifest-path"])
            .arg(&manifest)
            .args(["--package", minimal.package]))?;
        let build_time = started.elapsed();
        let binary = target.join("release").join(minimal.package);
        let stripped_path = target
            .join("release")
            .join(format!("{}.stripped", minimal.package));
        run(Command::new("strip")
            .arg("-o")
            .arg(&stripped_path)
            .arg(&binary))?;
        let size = |path: &Path| {
            std::fs::metadata(path)
                .map(|m| m.len())
                .map_err(|e| format!("{}: {e}", path.display()))
        };
        let tree = capture(
            cargo()
                .current_dir(root)
                .args(["tree", "--manifest-path"])
                .arg(&manifest)
                .args([
                    "--package",
                    minimal.package,
                    "--prefix",
                    "none",
                    "-e",
                    "normal",
                ]),
        )?;
        built.push(Built {
            build_time,
            stripped: size(&stripped_path)?,
            unstripped: size(&binary)?,
            crates: count_crates(&tree),
            runs: Ok(()),
            minimal,
        });
    }

    // One run of each against the emulator.
    let mut emulator = Command::new(comparison_bin)
        .arg("serve-emulator")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start {}: {e}", comparison_bin.display()))?;
    let mut line = String::new();
    BufReader::new(emulator.stdout.take().expect("piped"))
        .read_line(&mut line)
        .map_err(|e| e.to_string())?;
    let url = line
        .trim()
        .strip_prefix("listening ")
        .map(|addr| format!("http://{addr}"))
        .ok_or_else(|| format!("the emulator said `{}`", line.trim()));
    for b in &mut built {
        b.runs = url.clone().and_then(|url| {
            let binary = root
                .join("target/bench/cold")
                .join(b.minimal.package)
                .join("release")
                .join(format!("{}.stripped", b.minimal.package));
            let output = Command::new(&binary)
                .args(["--endpoint-url", &url])
                .output()
                .map_err(|e| format!("cannot run {}: {e}", binary.display()))?;
            if output.status.success() {
                Ok(())
            } else {
                Err(String::from_utf8_lossy(&output.stderr).trim().to_string())
            }
        });
    }
    drop(emulator.stdin.take()); // the emulator exits when its stdin closes
    let _ = emulator.wait();
    Ok(builds_table(&built))
}

/// Distinct packages in `cargo tree --prefix none` output (a package printed again is
/// marked ` (*)`; both lines are one package).
fn count_crates(tree: &str) -> usize {
    let mut packages: Vec<&str> = tree
        .lines()
        .map(|line| line.trim().trim_end_matches(" (*)"))
        .filter(|line| !line.is_empty())
        .collect();
    packages.sort_unstable();
    packages.dedup();
    packages.len()
}

fn builds_table(built: &[Built]) -> String {
    let sdk = built.iter().find(|b| b.minimal.package == "minimal-sdk");
    let vs_sdk = |value: f64, pick: fn(&Built) -> f64| match sdk {
        Some(sdk) => format!("{:.2}x", value / pick(sdk)),
        None => "-".into(),
    };
    let mut out = String::from(
        "### Minimal programs: cold build, binary size, crates\n\n\
         Each calls GetSession and StartSession once (`--endpoint-url URL`). Cold: `cargo build \
         --release` into an empty `CARGO_TARGET_DIR` (sources already fetched, so no download \
         time; 2 cores, cargo's default jobs). Size: the release binary after `strip`. Crates: \
         distinct packages in `cargo tree --prefix none -e normal` (the program itself \
         included; build-only and dev dependencies not counted).\n\n\
         | program | uses | cold release build | vs SDK | stripped binary | vs SDK | unstripped | crates | vs SDK | runs against the emulator |\n\
         | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
    );
    for b in built {
        out.push_str(&format!(
            "| `{}` | {} | {:.1} s | {} | {:.2} MiB | {} | {:.2} MiB | {} | {} | {} |\n",
            b.minimal.package,
            b.minimal.uses,
            b.build_time.as_secs_f64(),
            vs_sdk(b.build_time.as_secs_f64(), |s| s.build_time.as_secs_f64()),
            b.stripped as f64 / 1048576.0,
            vs_sdk(b.stripped as f64, |s| s.stripped as f64),
            b.unstripped as f64 / 1048576.0,
            b.crates,
            vs_sdk(b.crates as f64, |s| s.crates as f64),
            match &b.runs {
                Ok(()) => "yes".to_string(),
                Err(e) => format!("no: {}", e.replace('\n', " ")),
            },
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crates_are_counted_once() {
        let tree = "a v1.0.0\nb v0.1.0\nc v2.0.0\nb v0.1.0 (*)\nd v1.0.0 (proc-macro)\n\n";
        assert_eq!(count_crates(tree), 4);
    }

    #[test]
    fn package_names_and_nanoseconds() {
        let manifest = "# comment\n[package]\nname = \"athena\"\nversion = \"0.1.0\"\n";
        assert_eq!(package_name(manifest).as_deref(), Some("athena"));
        assert_eq!(package_name("[workspace]\n"), None);
        assert_eq!(fmt_ns(812.4), "812 ns");
        assert_eq!(fmt_ns(951_548.96), "951,549 ns");
        assert_eq!(fmt_ns(1_234_567.0), "1,234,567 ns");
        assert_eq!(thousands(67_445), "67,445");
        assert_eq!(thousands(0), "0");
    }
}
