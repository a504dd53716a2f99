//! Adding an operation is an edit to the model and nothing else: take `model/athena.smithy`,
//! add Athena's `GetSessionStatus` (with every shape it needs) from the real AWS model,
//! regenerate, and the crate still compiles cleanly. And the same for the workspace: in a
//! copy of it, with that operation and a whole new service (SQS) added to `model/`,
//! regenerating leaves a workspace that builds; the emulator answers the new operation
//! from the stub (and the seed operations by hand), and the stub server answers the new
//! service.

mod shared;

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::{Map, Value};
use smithy_codegen::{Settings, generate, load};

/// Copies `id` and everything it references from `source` into `target`.
fn copy_closure(
    source: &Map<String, Value>,
    target: &mut Map<String, Value>,
    id: &str,
    seen: &mut BTreeSet<String>,
) {
    if id.starts_with("smithy.api#") || target.contains_key(id) || !seen.insert(id.to_string()) {
        return;
    }
    let shape = source
        .get(id)
        .unwrap_or_else(|| panic!("{id} is not in the AWS model"))
        .clone();
    let mut refs = Vec::new();
    for field in ["input", "output", "member", "key", "value"] {
        if let Some(t) = shape
            .get(field)
            .and_then(|v| v.get("target"))
            .and_then(Value::as_str)
        {
            refs.push(t.to_string());
        }
    }
    for list in ["errors"] {
        for item in shape
            .get(list)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            refs.push(item["target"].as_str().unwrap().to_string());
        }
    }
    for member in shape
        .get("members")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
    {
        refs.push(member["target"].as_str().unwrap().to_string());
    }
    target.insert(id.to_string(), shape);
    for r in refs {
        copy_closure(source, target, &r, seen);
    }
}

/// `model/athena.smithy` as a JSON AST document, with `GetSessionStatus` and every shape
/// it needs added from the AWS model.
fn athena_with_get_session_status(shared: &std::path::Path, root: &std::path::Path) -> Value {
    let aws: Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("aws-models/athena-2017-05-18.json")).unwrap(),
    )
    .unwrap();
    // The model is IDL; its JSON AST form is easier to extend from the AWS JSON AST model.
    let idl_path = root.join("model/athena.smithy");
    let mut ours: Value = smithy_codegen::idl::parse_to_json_ast(
        &idl_path,
        &std::fs::read_to_string(&idl_path).unwrap(),
    )
    .unwrap();
    let op = "com.amazonaws.athena#GetSessionStatus";
    {
        let shapes = ours["shapes"].as_object_mut().unwrap();
        copy_closure(
            aws["shapes"].as_object().unwrap(),
            shapes,
            op,
            &mut BTreeSet::new(),
        );
        let service = shapes["com.amazonaws.athena#AmazonAthena"]
            .as_object_mut()
            .unwrap();
        service["operations"]
            .as_array_mut()
            .unwrap()
            .push(serde_json::json!({ "target": op }));
    }
    ours
}

#[test]
#[ignore = "slow: compiles the regenerated crate; run by `cargo xtask test`"]
fn adding_get_session_status_to_the_model_gives_a_compiling_crate() {
    let Some(shared) = shared::shared_dir() else {
        return;
    };
    let root = shared::workspace_root();
    let ours = athena_with_get_session_status(&shared, &root);
    let model = load::load_sources(&[(PathBuf::from("athena.json"), ours.to_string())]).unwrap();
    let settings = Settings {
        runtime_path: root.join("runtime").display().to_string(),
        ..Default::default()
    };
    let files = generate(&model, &settings).unwrap();
    assert!(
        files
            .iter()
            .any(|f| f.path.ends_with("operation/get_session_status.rs"))
    );
    assert!(
        files
            .iter()
            .any(|f| f.path.ends_with("operation/get_session.rs"))
    );

    let scratch = root.join("target/add-operation");
    let _ = std::fs::remove_dir_all(scratch.join("crates"));
    for file in &files {
        let path = scratch.join("crates").join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }
    shared::assert_scratch_workspace_passes_clippy(&scratch, &["athena".to_string()]);
}

/// Copies the files of `from` into `to` (no `target/` directories).
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let path = entry.path();
        if path.is_dir() {
            if entry.file_name() != "target" {
                copy_tree(&path, &to.join(entry.file_name()));
            }
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).unwrap();
        }
    }
}

/// One HTTP/1.1 request on a fresh connection; the status and the body.
fn post(addr: &str, headers: &[(&str, &str)], path: &str, body: &str) -> (u16, String) {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

/// A server binary, started on a free port; killed when dropped.
struct Running(std::process::Child, String);

impl Running {
    fn start(binary: &std::path::Path, args: &[&str]) -> Running {
        use std::io::BufRead;
        let mut child = std::process::Command::new(binary)
            .args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .unwrap_or_else(|| panic!("{} said {line:?}", binary.display()))
            .to_string();
        Running(child, addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
#[ignore = "slow: builds a copy of the workspace; run by `cargo xtask test`"]
fn adding_an_operation_and_a_service_leaves_a_workspace_that_builds_and_answers() {
    let Some(shared) = shared::shared_dir() else {
        return;
    };
    let root = shared::workspace_root();
    let copy = root.join("target/add-operation/workspace");
    let _ = std::fs::remove_dir_all(&copy);
    for dir in ["runtime", "vocab", "rules", "examples/emulator", "model"] {
        copy_tree(&root.join(dir), &copy.join(dir));
    }
    std::fs::copy(root.join("Cargo.lock"), copy.join("Cargo.lock")).unwrap();
    // The workspace's own manifest, with the members this copy has.
    let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
    let start = manifest.find("members = [").unwrap();
    let end = start + manifest[start..].find(']').unwrap() + 1;
    let manifest = format!(
        "{}members = [\"runtime\", \"vocab\", \"rules\", \"generated/*\", \"examples/emulator\"]{}",
        &manifest[..start],
        &manifest[end..]
    );
    // The excluded workspaces are not in the copy.
    let manifest: String = manifest
        .lines()
        .filter(|line| !line.starts_with("exclude = "))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(copy.join("Cargo.toml"), manifest).unwrap();

    // The edit to the model: one operation more in Athena, and a whole service.
    std::fs::remove_file(copy.join("model/athena.smithy")).unwrap();
    std::fs::write(
        copy.join("model/athena.json"),
        athena_with_get_session_status(&shared, &root).to_string(),
    )
    .unwrap();
    std::fs::copy(
        shared.join("aws-models/sqs-2012-11-05.json"),
        copy.join("model/sqs.json"),
    )
    .unwrap();

    // What `cargo xtask regenerate` does.
    let model = load::load_dir(&copy.join("model")).unwrap();
    let mut files = generate(&model, &Settings::default()).unwrap();
    files.extend(smithy_codegen::generate_stub_server(&model, &Settings::default()).unwrap());
    for file in &files {
        let path = copy.join("generated").join(&file.path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, &file.contents).unwrap();
    }

    let target = root.join("target/scratch");
    let status = std::process::Command::new(env!("CARGO"))
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", &target)
        .args(["build", "--quiet", "--workspace"])
        .status()
        .unwrap();
    assert!(
        status.success(),
        "the workspace in {} does not build",
        copy.display()
    );

    let json = ("content-type", "application/x-amz-json-1.1");
    let emulator = Running::start(&target.join("debug/emulator"), &["--port", "0"]);
    // The new operation answers from the stub: 200, with the output's required members.
    let (status, body) = post(
        &emulator.1,
        &[json, ("x-amz-target", "AmazonAthena.GetSessionStatus")],
        "/",
        r#"{"SessionId":"new-operation"}"#,
    );
    assert_eq!(status, 200, "{body}");
    let output: Value = serde_json::from_str(&body).unwrap();
    assert!(output.get("SessionId").is_some(), "{body}");
    // Its input is validated as any implementation's is.
    let (status, body) = post(
        &emulator.1,
        &[json, ("x-amz-target", "AmazonAthena.GetSessionStatus")],
        "/",
        "{}",
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("SessionId"), "{body}");
    // The seed operation keeps its hand-written behaviour: an unknown session is not found.
    let (status, body) = post(
        &emulator.1,
        &[json, ("x-amz-target", "AmazonAthena.GetSession")],
        "/",
        r#"{"SessionId":"no-such-session"}"#,
    );
    assert_eq!(status, 400, "{body}");
    assert!(body.contains("ResourceNotFoundException"), "{body}");

    // The new service, served with the others by the stub server.
    let stubs = Running::start(&target.join("debug/stub-server"), &["--port", "0"]);
    let (status, body) = post(
        &stubs.1,
        &[
            ("content-type", "application/x-amz-json-1.0"),
            ("x-amz-target", "AmazonSQS.ListQueues"),
        ],
        "/",
        "{}",
    );
    assert_eq!(status, 200, "{body}");
    let (status, body) = post(
        &stubs.1,
        &[json, ("x-amz-target", "AmazonAthena.GetSessionStatus")],
        "/",
        r#"{"SessionId":"abc"}"#,
    );
    assert_eq!(status, 200, "{body}");
}
