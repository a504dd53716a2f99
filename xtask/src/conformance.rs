//! `cargo xtask conformance [MODEL...]`: every operation of whole AWS models, called by
//! botocore (the real client) against the generated stub servers.
//!
//! The models of `../shared/aws-models` (or those whose file name starts with one of the
//! arguments) are generated, with a stub server serving all of them on one port, into a
//! scratch workspace (`target/conformance/workspace`, with the project's `Cargo.lock`).
//! The server is built and started; `tests/python/conformance.py` then calls every
//! operation of every service with inputs made from botocore's description of it, under
//! several strategies, and checks each answer. It prints services x operations x
//! strategies, passed / total, names every failure, and writes
//! `target/conformance/results.json`. Cases expected to fail are listed, each with its
//! reason, in `xtask/conformance-expected-failures.txt`.

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use smithy_codegen::Settings;

const EXPECTED_FAILURES: &str = "xtask/conformance-expected-failures.txt";

pub fn conformance(root: &Path, prefixes: &[String]) -> Result<(), String> {
    let started = std::time::Instant::now();
    let shared = crate::bench::shared_dir(root);
    let dir = shared.join("aws-models");
    if !dir.is_dir() {
        let message = format!("the AWS models are not at {}", dir.display());
        if std::env::var("CI").as_deref() == Ok("true") {
            return Err(format!("{message} (CI=true requires them)"));
        }
        println!("skipping conformance: {message} (set SMITHY_SHARED_DIR)");
        return Ok(());
    }
    let models = model_files(&dir, prefixes)?;
    let model = smithy_codegen::load::load_files(&models)
        .map_err(|d| format!("{d}\nthe AWS models do not load"))?;
    let settings = Settings {
        runtime_path: root.join("runtime").display().to_string(),
        ..Default::default()
    };
    for warning in smithy_codegen::warnings(&model) {
        eprintln!("warning: {warning}");
    }
    let mut files = smithy_codegen::generate(&model, &settings)
        .map_err(|d| format!("{d}\nthe AWS models do not generate"))?;
    files.extend(
        smithy_codegen::generate_stub_server(&model, &settings)
            .map_err(|d| format!("{d}\nthe stub server does not generate"))?,
    );
    files.extend(client_crate(&model, &settings)?);

    let out = root.join("target/conformance");
    let workspace = out.join("workspace");
    let crates = crate::write_scratch_workspace(root, &workspace, &files)?;
    println!(
        "generated {} services, the stub server and the client program into {}",
        crates.len() - 2,
        workspace.display()
    );

    // One target directory for every scratch workspace, so dependencies build once.
    let target = root.join("target/scratch");
    crate::run(
        crate::cargo()
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", &target)
            .args(["build", "--quiet", "-p", smithy_codegen::STUB_SERVER_CRATE])
            .args(["-p", CLIENT_CRATE]),
    )?;
    let endpoint_tests = endpoint_tests(&workspace, &target, &files)?;
    let binary = target.join("debug").join(smithy_codegen::STUB_SERVER_CRATE);
    let mut server = Server::start(&binary)?;
    println!("stub server listening on {}", server.url);

    let venv = crate::python_venv(root)?;
    let results = out.join("results.json");
    let status = Command::new(venv.join("bin/python"))
        .current_dir(root)
        .arg(root.join("tests/python/conformance.py"))
        .arg("--endpoint")
        .arg(&server.url)
        .arg("--expected-failures")
        .arg(root.join(EXPECTED_FAILURES))
        .arg("--results")
        .arg(&results)
        .arg("--client")
        .arg(target.join("debug").join(CLIENT_CRATE))
        .args(&models)
        .status()
        .map_err(|e| format!("cannot run the conformance harness: {e}"));
    server.stop();
    let status = status?;
    println!(
        "conformance: {} models in {:.0} s (generation, build and calls)",
        models.len(),
        started.elapsed().as_secs_f64()
    );
    match (status.success(), endpoint_tests) {
        (true, Ok(())) => Ok(()),
        (true, Err(e)) => Err(e),
        (false, _) => Err(format!(
            "conformance failures (see above and {})",
            results.display()
        )),
    }
}

/// Runs the generated `tests/endpoint_tests.rs` of every crate that has one (the
/// model's `endpointTests`), with the features the stub server built the crates with,
/// and prints the counts per crate. The failures are the error, returned after the
/// harness has run too.
fn endpoint_tests(
    workspace: &Path,
    target: &Path,
    files: &[smithy_codegen::GeneratedFile],
) -> Result<Result<(), String>, String> {
    let crates: Vec<String> = files
        .iter()
        .filter(|f| f.path.ends_with("tests/endpoint_tests.rs"))
        .filter_map(|f| {
            Some(
                f.path
                    .components()
                    .next()?
                    .as_os_str()
                    .to_string_lossy()
                    .to_string(),
            )
        })
        .collect();
    let mut rows = Vec::new();
    let mut failed = Vec::new();
    for krate in &crates {
        let output = crate::cargo()
            .current_dir(workspace)
            .env("CARGO_TARGET_DIR", target)
            .args(["test", "--quiet", "-p", krate, "--no-default-features"])
            .args(["--features", "client,stub", "--test", "endpoint_tests"])
            .output()
            .map_err(|e| format!("cannot run the endpoint tests of {krate}: {e}"))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let count = |word: &str| {
            stdout
                .lines()
                .filter_map(|l| l.strip_prefix("test result: "))
                .filter_map(|l| {
                    l.split(['.', ';']).find_map(|part| {
                        part.trim().strip_suffix(word)?.trim().parse::<usize>().ok()
                    })
                })
                .sum::<usize>()
        };
        let (passed, failures) = (count("passed"), count("failed"));
        if !output.status.success() {
            eprintln!("{stdout}{}", String::from_utf8_lossy(&output.stderr));
            failed.push(krate.clone());
        }
        rows.push(format!(
            "| {krate} | {} | {passed} | {failures} |",
            passed + failures
        ));
    }
    println!("\n| endpoint tests | cases | passed | failed |\n| --- | ---: | ---: | ---: |");
    for row in &rows {
        println!("{row}");
    }
    Ok(if failed.is_empty() {
        Ok(())
    } else {
        Err(format!("endpoint tests failed in {}", failed.join(", ")))
    })
}

/// The crate of the program that makes calls with the generated clients for the harness.
const CLIENT_CRATE: &str = "conformance-client";

/// A program that reads calls as JSON lines on stdin (`{"service": sdkId, "operation",
/// "endpoint", "input"}`, the input as its JSON form), makes each with the generated
/// client of the service, and answers each with a line `{"output": ...}` (the output's
/// JSON form) or `{"error": "..."}`.
fn client_crate(
    model: &smithy_codegen::Model,
    settings: &Settings,
) -> Result<Vec<smithy_codegen::GeneratedFile>, String> {
    let mut manifest = format!(
        "[package]\nname = \"{CLIENT_CRATE}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsmithy-runtime = {{ path = \"{}\", features = [\"client\"] }}\nserde_json = \"1\"\ntokio = {{ version = \"1\", features = [\"rt\"] }}\n",
        settings.runtime_path
    );
    let mut arms = String::new();
    for (service_id, _, _) in model.services() {
        let plan = smithy_codegen::plan::ServicePlan::new(model, service_id)
            .map_err(|d| format!("{d}"))?;
        let krate = plan.crate_name.replace('-', "_");
        manifest.push_str(&format!(
            "{0} = {{ path = \"../{0}\", default-features = false, features = [\"client\"] }}\n",
            plan.crate_name
        ));
        for op in &plan.operations {
            let module = format!("{krate}::operation::{}", op.module);
            arms.push_str(&format!(
                "        ({sdk:?}, {name:?}) => run::<{module}::{input}, {module}::{output}, {module}::{error}>(&{krate}::protocol::CLIENT_SERVICE, &{krate}::protocol::{spec}, endpoint, input).await,\n",
                sdk = plan.sdk_id,
                name = op.id.name,
                input = op.input_name(),
                output = op.output_name(),
                error = op.error_name(),
                spec = op.spec_name(),
            ));
        }
    }
    let main = format!(
        r#"//! Makes the conformance harness's calls with the generated clients (see
//! xtask/src/conformance.rs).

use std::io::{{BufRead as _, Write as _}};

use serde_json::{{Value, json}};
use smithy_runtime::client::{{Config, Credentials, Handle, ServiceInfo}};
use smithy_runtime::protocol::OperationSpec;
use smithy_runtime::wire::{{self, HasSchema, Members, OperationError}};

async fn run<I: HasSchema + Default, O: HasSchema + Members + Default, E: OperationError + std::fmt::Debug>(
    service: &'static ServiceInfo,
    op: &'static OperationSpec,
    endpoint: &str,
    input: &Value,
) -> Value {{
    let input: I = match wire::from_value(input) {{
        Ok(input) => input,
        Err(e) => return json!({{"error": format!("the input does not read: {{e}}")}}),
    }};
    let config = Config::builder()
        .region("us-east-1")
        .endpoint_url(endpoint)
        .credentials_provider(Credentials::new("AKIDCONFORMANCE", "conformance-secret", None, None))
        // The endpoint is an IP address: no `data-127.0.0.1` (botocore: inject_host_prefix=False).
        .disable_host_prefix_injection(true)
        .build();
    let handle = Handle::new(config, service);
    match smithy_runtime::client::send::<I, O, E>(&handle, op, &input, &[]).await {{
        Ok(output) => match wire::to_value(&output) {{
            Ok(output) => json!({{"output": output}}),
            Err(e) => json!({{"error": format!("the output does not write: {{e}}")}}),
        }},
        Err(e) => json!({{"error": format!("{{e:?}}")}}),
    }}
}}

async fn call(request: &Value) -> Value {{
    let service = request["service"].as_str().unwrap_or_default();
    let operation = request["operation"].as_str().unwrap_or_default();
    let endpoint = request["endpoint"].as_str().unwrap_or_default();
    let input = &request["input"];
    match (service, operation) {{
{arms}        _ => json!({{"error": "no such operation"}}),
    }}
}}

fn main() {{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let stdin = std::io::stdin();
    let mut stdout = std::io::stdout();
    for line in stdin.lock().lines() {{
        let Ok(line) = line else {{ break }};
        let answer = match serde_json::from_str::<Value>(&line) {{
            Ok(request) => runtime.block_on(call(&request)),
            Err(e) => json!({{"error": format!("not JSON: {{e}}")}}),
        }};
        let _ = writeln!(stdout, "{{answer}}");
        let _ = stdout.flush();
    }}
}}
"#
    );
    Ok(vec![
        smithy_codegen::GeneratedFile {
            path: PathBuf::from(CLIENT_CRATE).join("Cargo.toml"),
            contents: manifest,
        },
        smithy_codegen::GeneratedFile {
            path: PathBuf::from(CLIENT_CRATE).join("src/main.rs"),
            contents: main,
        },
    ])
}

/// The model files under `dir` whose names start with one of `prefixes` (all of them
/// without prefixes).
fn model_files(dir: &Path, prefixes: &[String]) -> Result<Vec<PathBuf>, String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().to_string());
            prefixes.is_empty()
                || name.is_some_and(|name| prefixes.iter().any(|p| name.starts_with(p.as_str())))
        })
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!(
            "no model in {} starts with {}",
            dir.display(),
            prefixes.join(" or ")
        ));
    }
    Ok(files)
}

/// The stub server, running; stopped when dropped.
struct Server {
    child: Child,
    url: String,
}

impl Server {
    fn start(binary: &Path) -> Result<Server, String> {
        let mut child = Command::new(binary)
            .args(["--port", "0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", binary.display()))?;
        let mut first = String::new();
        if let Some(stdout) = child.stdout.take() {
            let _ = BufReader::new(stdout).read_line(&mut first);
        }
        match first.trim().strip_prefix("listening on ") {
            Some(url) => Ok(Server {
                url: url.to_string(),
                child,
            }),
            None => {
                let _ = child.kill();
                Err(format!(
                    "{} did not say where it listens (first line: {first:?})",
                    binary.display()
                ))
            }
        }
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop();
    }
}
