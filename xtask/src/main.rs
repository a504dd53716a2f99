//! `cargo xtask <task>`: the project's own commands.
//!
//! - `regenerate`: rewrite `generated/` from `model/`.
//! - `check`: fail, naming the files, when `generated/` is stale.
//! - `export [DIR] [--out FILE]`: write the model of `DIR` (default `model/`; `.smithy` and
//!   `.json` files) as one Smithy JSON AST document, to stdout or `FILE`.
//! - `test`: install what the tests need, then run every test, the protocol compliance
//!   suite included.
//! - `stub [--port P]`: build and serve the stub of every service in `model/` on one port
//!   (`generated/stub-server`); the first stdout line is `listening on http://127.0.0.1:PORT`.
//! - `conformance [MODEL...]`: every operation of the AWS models in `../shared`, called by
//!   botocore against their generated stub servers (`conformance.rs`).
//! - `compliance [FILTER...]`: run the official Smithy protocol compliance cases against the
//!   generated clients and servers and write the conformance matrix (`compliance.rs`).
//! - `user-project`: install the command and use it, and `build.rs`, in a scratch project
//!   outside this workspace, whose client calls its server (`user_project.rs`).
//! - `fuzz [TARGET...] [--seconds N]`: coverage-guided fuzzing with libFuzzer on stable
//!   (`fuzz.rs`).
//! - `bench`: measure, in release builds, and print tables (`bench codegen | compile |
//!   validation | server | client`; all of them into `target/bench/report.md`). See
//!   `bench.rs`.

mod bench;
mod compliance;
mod conformance;
mod fuzz;
mod user_project;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use smithy_codegen::{GeneratedFile, Settings};

// Code generation allocates many small token trees; mimalloc is markedly faster at that.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = workspace_root();
    let result = match args.first().map(String::as_str) {
        Some("regenerate") => regenerate(&root),
        Some("check") => check(&root),
        Some("export") => export(&root, &args[1..]),
        Some("test") => test(&root, &args[1..]),
        Some("compliance") => compliance::compliance(&root, &args[1..]),
        Some("stub") => stub(&root, &args[1..]),
        Some("conformance") => conformance::conformance(&root, &args[1..]),
        Some("bench") => bench::bench(&root, &args[1..]),
        Some("user-project") => user_project::user_project(&root),
        Some("fuzz") => fuzz::fuzz(&root, &args[1..]),
        Some("bench-codegen") => bench_codegen(&root),
        _ => {
            eprintln!(
                "usage: cargo xtask <regenerate|check|export|test|stub|compliance|conformance|user-project|fuzz|bench>"
            );
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask stub [--port P]`: runs `generated/stub-server` (its arguments passed on;
/// cargo's own output goes to stderr, so the server's address is stdout's first line).
fn stub(root: &Path, args: &[String]) -> Result<(), String> {
    run(cargo()
        .current_dir(root)
        .args([
            "run",
            "--quiet",
            "-p",
            smithy_codegen::STUB_SERVER_CRATE,
            "--",
        ])
        .args(args))
}

/// Writes `files` (each under its crate's directory) as the crates of a scratch
/// workspace in `workspace/crates`, with the project's `Cargo.lock`; returns the crates.
/// The root workspace's dev profile, so scratch builds share its compiled dependencies.
const SCRATCH_PROFILE: &str = "[profile.dev]\ndebug = \"line-tables-only\"\n\n\
    [profile.dev.package.\"*\"]\ndebug = false\n";

pub(crate) fn write_scratch_workspace(
    root: &Path,
    workspace: &Path,
    files: &[GeneratedFile],
) -> Result<BTreeSet<String>, String> {
    let _ = std::fs::remove_dir_all(workspace.join("crates"));
    let mut crates = BTreeSet::new();
    for file in files {
        write_file(&workspace.join("crates").join(&file.path), &file.contents)?;
        if let Some(first) = file.path.components().next() {
            crates.insert(first.as_os_str().to_string_lossy().to_string());
        }
    }
    let members: Vec<String> = crates.iter().map(|c| format!("\"crates/{c}\"")).collect();
    write_file(
        &workspace.join("Cargo.toml"),
        &format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{SCRATCH_PROFILE}",
            members.join(", ")
        ),
    )?;
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;
    Ok(crates)
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// A model directory and where its crates go.
struct Source {
    model: &'static str,
    out: &'static str,
    /// The runtime crate, from a generated crate's directory.
    runtime_path: &'static str,
    /// Whether the crate serving every service's stub is generated beside the services.
    stub_server: bool,
}

/// `model/` (the services) and `tests/model/` (services the integration tests need,
/// such as paginated and waitable operations).
const SOURCES: &[Source] = &[
    Source {
        model: "model",
        out: "generated",
        runtime_path: "../../runtime",
        stub_server: true,
    },
    Source {
        model: "tests/model",
        out: "tests/generated",
        runtime_path: "../../../runtime",
        stub_server: false,
    },
];

/// Loads a model directory and generates every crate in memory; nothing is written here.
fn generate(root: &Path, source: &Source) -> Result<Vec<GeneratedFile>, String> {
    let out = source.out;
    let model =
        smithy_codegen::load::load_dir(&root.join(source.model)).map_err(|diagnostics| {
            format!(
                "{diagnostics}
the model has errors; {out}/ was left untouched"
            )
        })?;
    for warning in smithy_codegen::warnings(&model) {
        eprintln!("warning: {warning}");
    }
    let failed = |diagnostics| {
        format!(
            "{diagnostics}
generation failed; {out}/ was left untouched"
        )
    };
    let settings = Settings {
        runtime_path: source.runtime_path.to_string(),
        ..Default::default()
    };
    let mut files = smithy_codegen::generate(&model, &settings).map_err(failed)?;
    if source.stub_server {
        // Beside the services' crates, the one that serves all their stubs (`cargo xtask stub`).
        files.extend(smithy_codegen::generate_stub_server(&model, &settings).map_err(failed)?);
    }
    Ok(files)
}

/// Every file under `dir`, relative to it.
pub(crate) fn existing_files(dir: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&current) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                out.insert(relative.to_path_buf());
            }
        }
    }
    out
}

fn regenerate(root: &Path) -> Result<(), String> {
    // Every model generates before anything is written.
    let start = Instant::now();
    let generated = SOURCES
        .iter()
        .map(|source| Ok((source, generate(root, source)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let generated_in = start.elapsed();
    let (mut total, mut written) = (0, 0);
    for (source, files) in &generated {
        let out_dir = root.join(source.out);
        let keep: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        for file in files {
            let path = out_dir.join(&file.path);
            if std::fs::read_to_string(&path).ok().as_deref() == Some(file.contents.as_str()) {
                continue;
            }
            write_file(&path, &file.contents)?;
            println!("wrote {}/{}", source.out, file.path.display());
            written += 1;
        }
        for stale in existing_files(&out_dir).difference(&keep) {
            let path = out_dir.join(stale);
            std::fs::remove_file(&path)
                .map_err(|e| format!("cannot remove {}: {e}", path.display()))?;
            println!("removed {}/{}", source.out, stale.display());
        }
        remove_empty_dirs(&out_dir);
        total += files.len();
    }
    println!(
        "{total} files generated ({written} changed) in {:.1} ms",
        generated_in.as_secs_f64() * 1e3
    );
    Ok(())
}

/// Writes `contents` to `path`, making its directory first.
pub(crate) fn write_file(path: &Path, contents: &str) -> Result<(), String> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn remove_empty_dirs(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            remove_empty_dirs(&path);
            let _ = std::fs::remove_dir(&path); // fails, harmlessly, unless empty
        }
    }
}

fn check(root: &Path) -> Result<(), String> {
    let mut stale = Vec::new();
    let mut total = 0;
    for source in SOURCES {
        let files = generate(root, source)?;
        let out = source.out;
        let out_dir = root.join(out);
        let expected: BTreeSet<PathBuf> = files.iter().map(|f| f.path.clone()).collect();
        for file in &files {
            let on_disk = std::fs::read_to_string(out_dir.join(&file.path)).ok();
            match on_disk {
                None => stale.push(format!("missing: {out}/{}", file.path.display())),
                Some(text) if text != file.contents => {
                    stale.push(format!("differs: {out}/{}", file.path.display()))
                }
                Some(_) => {}
            }
        }
        for extra in existing_files(&out_dir).difference(&expected) {
            stale.push(format!(
                "not generated by the model: {out}/{}",
                extra.display()
            ));
        }
        total += files.len();
    }
    if stale.is_empty() {
        println!("generated/ and tests/generated/ are up to date ({total} files)");
        Ok(())
    } else {
        Err(format!(
            "{}
generated code is stale: run `cargo xtask regenerate`",
            stale.join("\n")
        ))
    }
}

/// `export [DIR] [--out FILE]`: the model as Smithy JSON AST (IDL files converted, applied
/// traits joined to their shapes, mixins kept), validated first.
fn export(root: &Path, args: &[String]) -> Result<(), String> {
    let mut dir = root.join("model");
    let mut out = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--out" | "-o" => {
                out = Some(PathBuf::from(args.next().ok_or("--out needs a file name")?));
            }
            other if other.starts_with('-') => {
                return Err(format!(
                    "usage: cargo xtask export [DIR] [--out FILE] (unknown `{other}`)"
                ));
            }
            other => dir = PathBuf::from(other),
        }
    }
    let paths = smithy_codegen::load::model_files(&dir).map_err(|d| d.to_string())?;
    let document = smithy_codegen::load::export_paths(&paths)
        .map_err(|diagnostics| format!("{diagnostics}\nthe model has errors; nothing exported"))?;
    let mut text = serde_json::to_string_pretty(&document).map_err(|e| e.to_string())?;
    text.push('\n');
    match out {
        Some(path) => {
            std::fs::write(&path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => {
            print!("{text}");
            Ok(())
        }
    }
}

pub(crate) fn run(command: &mut Command) -> Result<(), String> {
    println!("$ {command:?}");
    let status = command
        .status()
        .map_err(|e| format!("cannot run {command:?}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{command:?} failed: {status}"))
    }
}

pub(crate) fn cargo() -> Command {
    Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
}

/// Python packages of the real-client tests (`tests/tests/real_clients.rs`): boto3 and the
/// AWS CLI v1 on one botocore version (awscli 1.46.2 carries its own copy of botocore
/// 1.43.62, the version boto3 1.43.62 requires).
const PYTHON_PACKAGES: [(&str, &str); 3] = [
    ("boto3", "1.43.62"),
    ("botocore", "1.43.62"),
    ("awscli", "1.46.2"),
];

/// Runs every test, the slow ignored-by-default ones included, after making the Python
/// virtual environment the real-client tests use (`SMITHY_VENV`), then the Smithy protocol
/// compliance suite. Tests named `limitation_*` pin down known, documented gaps: they pass
/// while the gap is there and fail once it is fixed. Doctests run too.
fn test(root: &Path, extra: &[String]) -> Result<(), String> {
    let venv = python_venv(root)?;
    run(cargo()
        .current_dir(root)
        .env("SMITHY_VENV", &venv)
        .args([
            "test",
            "--workspace",
            "--all-features",
            "--no-fail-fast",
            "--lib",
            "--bins",
            "--tests",
            "--examples",
            "--",
            "--include-ignored",
        ])
        .args(extra))?;
    // The examples in the documentation (`--tests` leaves them out).
    run(cargo()
        .current_dir(root)
        .args(["test", "--workspace", "--all-features", "--doc"]))?;
    // Benchmarks run once each in test mode (criterion's harness takes no test flags).
    run(cargo()
        .current_dir(root)
        .args(["test", "--workspace", "--all-features", "--benches"]))?;
    // A program written to the AWS SDK's call shape on aws-config builds against the
    // generated crates (its own workspace: aws-config stays out of the main build).
    run(cargo()
        .current_dir(root.join("examples/sdk-shape"))
        .env("CARGO_TARGET_DIR", root.join("target/sdk-shape"))
        .args(["check", "--quiet"]))?;
    // A service that does not sign builds without SigV4: the crate alone (no feature
    // unification with the signing services) compiles, and aws-sigv4 is not in its tree.
    run(cargo()
        .current_dir(root)
        .args(["check", "--quiet", "-p", "notes"]))?;
    let tree = cargo()
        .current_dir(root)
        .args([
            "tree", "--quiet", "-p", "notes", "-e", "normal", "--prefix", "none",
        ])
        .output()
        .map_err(|e| format!("cannot run cargo tree: {e}"))?;
    if !tree.status.success() || String::from_utf8_lossy(&tree.stdout).contains("aws-sigv4") {
        return Err("the `notes` crate (no SigV4 in its model) builds aws-sigv4".into());
    }
    // The runtime crates and the generator library package as they would be published
    // (each verified by building it from its package, the others from a local registry),
    // so a generated crate, or a build.rs, can depend on them by version.
    run(cargo()
        .current_dir(root)
        .args(["package", "--quiet", "--allow-dirty"])
        .args(packages(PUBLISHED)))?;
    // Their documentation and the generated crates' builds without a warning (broken or
    // private links included).
    run(cargo()
        .current_dir(root)
        .env("RUSTDOCFLAGS", "-D warnings")
        .args(["doc", "--quiet", "--no-deps", "--all-features"])
        .args(packages(PUBLISHED))
        .args(packages(&["athena", "emr-serverless", "notes", "jobs"])))?;
    // The command installed and used, and build.rs, in a project outside this workspace.
    user_project::user_project(root)?;
    // The Smithy protocol compliance suite, every case (`cargo xtask compliance`).
    compliance::compliance(root, &[])?;
    // Whole Athena and whole EMR Serverless called by botocore and our clients against
    // their stub servers; `cargo xtask conformance` runs all nine models.
    conformance::conformance(root, &["athena".to_string(), "emr-serverless".to_string()])
}

/// The crates published for users: the runtime and its parts, and the generator library.
const PUBLISHED: &[&str] = &[
    "smithy-vocab",
    "smithy-rules",
    "smithy-runtime",
    "smithy-codegen",
];

/// `-p <name>` for each of `names`.
fn packages<'a>(names: &'a [&'a str]) -> impl Iterator<Item = &'a str> {
    names.iter().flat_map(|name| ["-p", *name])
}

/// `target/venv` with [`PYTHON_PACKAGES`] installed; left alone when it already has them.
pub(crate) fn python_venv(root: &Path) -> Result<PathBuf, String> {
    let venv = root.join("target").join("venv");
    let python = venv.join("bin").join("python");
    if has_python_packages(&python) {
        println!("{} has {}", venv.display(), pins().join(" "));
        return Ok(venv);
    }
    let runs = Command::new(&python)
        .args(["-c", "pass"])
        .output()
        .is_ok_and(|out| out.status.success());
    if !runs {
        run(Command::new("python3")
            .args(["-m", "venv", "--clear"])
            .arg(&venv))?;
    }
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-input",
        ])
        .args(pins()))?;
    if !has_python_packages(&python) {
        return Err(format!(
            "{} still lacks {} after pip install",
            venv.display(),
            pins().join(" ")
        ));
    }
    Ok(venv)
}

fn pins() -> Vec<String> {
    PYTHON_PACKAGES
        .iter()
        .map(|(name, version)| format!("{name}=={version}"))
        .collect()
}

/// True when `python` runs and has every package of [`PYTHON_PACKAGES`] at its version.
fn has_python_packages(python: &Path) -> bool {
    let wanted: Vec<String> = PYTHON_PACKAGES
        .iter()
        .map(|(name, version)| format!("({name:?}, {version:?})"))
        .collect();
    let script = format!(
        "import importlib.metadata as m, sys\n\
         sys.exit(0 if all(m.version(n) == v for n, v in [{}]) else 1)",
        wanted.join(", ")
    );
    Command::new(python)
        .args(["-c", &script])
        .stderr(std::process::Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

/// Median wall time of `runs` calls of `f`, in milliseconds.
fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    f(); // warm the file cache and allocator
    let mut times: Vec<f64> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[runs / 2]
}

/// Codegen speed: regenerating `model/`, generating whole AWS services, and serde_json
/// parsing the same files as the floor.
fn bench_codegen(root: &Path) -> Result<(), String> {
    // `BENCH_CODEGEN_RUNS=1` for one pass (under valgrind, say).
    let runs: usize = std::env::var("BENCH_CODEGEN_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(21)
        .max(1);
    let settings = Settings::default();
    let model_ms = median_ms(runs, || {
        let model = smithy_codegen::load::load_dir(&root.join("model")).expect("model loads");
        smithy_codegen::generate(&model, &settings).expect("model generates");
    });
    let shared = bench::shared_dir(root);
    let services: Vec<PathBuf> = ["athena-2017-05-18.json", "emr-serverless-2021-07-13.json"]
        .iter()
        .map(|name| shared.join("aws-models").join(name))
        .collect();
    println!("| what | median of {runs} runs |");
    println!("| --- | --- |");
    println!(
        "| regenerate `model/` (load, validate, plan, emit, format; no writes) | {model_ms:.2} ms |"
    );
    if services.iter().all(|p| p.is_file()) {
        let whole_ms = median_ms(runs, || {
            for path in &services {
                let model = smithy_codegen::load::load_files(std::slice::from_ref(path))
                    .expect("AWS model loads");
                smithy_codegen::generate(&model, &settings).expect("AWS model generates");
            }
        });
        let floor_ms = median_ms(runs, || {
            for path in &services {
                let text = std::fs::read_to_string(path).expect("readable");
                let value: serde_json::Value = serde_json::from_str(&text).expect("JSON");
                std::hint::black_box(value);
            }
        });
        println!(
            "| generate whole Athena + EMR Serverless from `../shared/aws-models` | {whole_ms:.2} ms |"
        );
        println!("| serde_json alone parsing those two files (floor) | {floor_ms:.2} ms |");
        println!(
            "| ratio generate / parse floor | {:.1}x |",
            whole_ms / floor_ms
        );
    } else {
        println!("| whole services | skipped: ../shared/aws-models not found |");
    }
    Ok(())
}
