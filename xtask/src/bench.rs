//! `cargo xtask bench [codegen | server [ARGS] | client [--skip-sdk] [ARGS]]`.
//!
//! - `codegen`: codegen speed (`bench-codegen`, in a release build of this program).
//! - `server`: `benches/server-bench` (the generated server against hand-written axum
//!   and bare hyper); ARGS go to it (`--runs`, `--duration-ms`, `--in-flight`...).
//! - `client`: `benches/client-comparison` (the generated clients against the AWS SDK for
//!   Rust and bare hyper; its own cargo workspace, target dir `target/client-comparison`),
//!   then cold release builds of the three minimal programs under it: build time,
//!   stripped size, crate count, and a run of each against the emulator.
//!   `--skip-sdk` leaves the AWS SDK out of both (it takes minutes to build).
//! - no argument: all three, into `target/bench/report.md`.
//!
//! Each writes its markdown to `target/bench/<name>.md` and prints it.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{cargo, run};

const USAGE: &str =
    "usage: cargo xtask bench [codegen | server [ARGS] | client [--skip-sdk] [ARGS]]";

pub fn bench(root: &Path, args: &[String]) -> Result<(), String> {
    let out_dir = root.join("target").join("bench");
    std::fs::create_dir_all(&out_dir)
        .map_err(|e| format!("cannot create {}: {e}", out_dir.display()))?;
    let (name, text) = match args.first().map(String::as_str) {
        None => ("report", all(root)?),
        Some("codegen") if args.len() == 1 => ("codegen", codegen(root)?),
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

fn all(root: &Path) -> Result<String, String> {
    let codegen = codegen(root)?;
    let server = server(root, &[])?;
    let client = client(root, &[])?;
    Ok(format!(
        "# Benchmarks\n\n`cargo xtask bench` ({}; release builds). {}\n{codegen}\n{server}\n{client}",
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
        "--release",
        "--quiet",
        "--package",
        "xtask",
        "--",
        "bench-codegen",
    ]))?;
    Ok(format!(
        "## Codegen\n\nCommand: `cargo xtask bench codegen`.\n\n{table}"
    ))
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
}
