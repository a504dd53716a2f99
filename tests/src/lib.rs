//! Integration tests over the generated crates live in `tests/tests/`; this library holds
//! what several of them share.

pub mod fuzz;

/// The shared test data (`$SMITHY_SHARED_DIR`, else `../shared` beside the workspace);
/// `None` (after saying that `what` is skipped) when it is missing, except under
/// `CI=true`, where that fails.
pub fn shared_dir(what: &str) -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("SMITHY_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| python::workspace().join("../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "shared test data not found at {} (CI=true requires it)",
        dir.display()
    );
    eprintln!("skipping {what}: no shared test data at {}", dir.display());
    None
}

/// Running the Python scripts in `tests/python/` with the virtual environment that
/// `cargo xtask test` makes (boto3, botocore, the AWS CLI).
pub mod python {
    use std::io::Write;
    use std::path::{Path, PathBuf};
    use std::process::{Command, Stdio};

    use serde_json::Value;

    pub fn workspace() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("tests/ is inside the workspace")
            .to_path_buf()
    }

    /// The venv's Python; `None` when the venv is missing (the test is then skipped,
    /// except under `CI=true`, where that fails).
    pub fn python(test: &str) -> Option<PathBuf> {
        venv(test, &["python"], "botocore").map(|dir| dir.join("bin/python"))
    }

    /// The venv directory (`SMITHY_VENV`, else `target/venv`) when it has every one of
    /// `programs` in `bin/`; otherwise `None` (the test is then skipped, except under
    /// `CI=true`, where that fails). `holding` names what the test needs from it.
    pub fn venv(test: &str, programs: &[&str], holding: &str) -> Option<PathBuf> {
        let dir = std::env::var_os("SMITHY_VENV")
            .map(PathBuf::from)
            .unwrap_or_else(|| workspace().join("target/venv"));
        if programs.iter().all(|p| dir.join("bin").join(p).is_file()) {
            return Some(dir);
        }
        let why = format!(
            "{test}: no Python venv with {holding} at {} (`cargo xtask test` makes it; \
             SMITHY_VENV points elsewhere)",
            dir.display()
        );
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!("{why}");
        }
        eprintln!("skipped: {why}");
        None
    }

    /// Runs `tests/python/<script>` with `input` on stdin; its stdout, as JSON.
    pub fn run_python(python: &Path, script: &str, input: &Value) -> Value {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("python")
            .join(script);
        let mut child = Command::new(python)
            .arg(&path)
            .env("PYTHONDONTWRITEBYTECODE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", path.display()));
        let mut stdin = child.stdin.take().expect("piped");
        let text = input.to_string();
        let writer = std::thread::spawn(move || {
            let _ = stdin.write_all(text.as_bytes());
        });
        let out = child.wait_with_output().expect("the script runs");
        let _ = writer.join();
        assert!(
            out.status.success(),
            "{script} failed ({}):\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{script} printed no JSON ({e}):\n{}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }
}

/// The wire form of generated types (what the protocols carry), through the runtime's
/// `wire` module; serde's derives (the crates' optional `serde` feature) are not it.
pub mod wire {
    use serde_json::Value;
    use smithy_runtime::wire::{HasSchema, WireError};

    /// Reads a structure from its JSON form.
    pub fn from_value<T: HasSchema + Default>(value: Value) -> Result<T, WireError> {
        smithy_runtime::wire::from_value(&value)
    }

    /// A structure's JSON form.
    pub fn to_value<T: HasSchema>(value: &T) -> Result<Value, WireError> {
        smithy_runtime::wire::to_value(value)
    }

    /// Reads a structure from JSON text.
    pub fn from_str<T: HasSchema + Default>(text: &str) -> Result<T, WireError> {
        smithy_runtime::wire::from_slice(text.as_bytes())
    }

    /// A structure as JSON text.
    pub fn to_string<T: HasSchema>(value: &T) -> Result<String, WireError> {
        let bytes = smithy_runtime::wire::to_vec(value)?;
        Ok(String::from_utf8(bytes).expect("JSON is UTF-8"))
    }
}
