//! Locating `../shared`, the test data beside the checkout.

use std::path::PathBuf;

/// The shared test-data directory: `$SMITHY_SHARED_DIR`, else `../shared` beside the
/// workspace. `None` (after saying so) when it is missing, unless `CI=true`, where a
/// missing `../shared` fails the test.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("SMITHY_SHARED_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!(
            "shared test data not found at {} (CI=true requires it)",
            dir.display()
        );
    }
    eprintln!(
        "skipping: shared test data not found at {} (set SMITHY_SHARED_DIR)",
        dir.display()
    );
    None
}

/// Workspace root.
#[allow(dead_code)]
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Makes `scratch` a workspace of the crates under `scratch/crates/<member>` (with the main
/// workspace's `Cargo.lock`) and asserts that clippy, all features, `-D warnings`, passes.
#[allow(dead_code)]
pub fn assert_scratch_workspace_passes_clippy(scratch: &std::path::Path, members: &[String]) {
    let manifest = format!(
        "[workspace]\nresolver = \"3\"\nmembers = [{}]\n",
        members
            .iter()
            .map(|m| format!("\"crates/{m}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    std::fs::write(scratch.join("Cargo.toml"), manifest).unwrap();
    // The same dependency versions as the main workspace.
    std::fs::copy(
        workspace_root().join("Cargo.lock"),
        scratch.join("Cargo.lock"),
    )
    .unwrap();
    let status = std::process::Command::new(env!("CARGO"))
        .current_dir(scratch)
        // One target directory for every scratch workspace, so dependencies build once.
        .env("CARGO_TARGET_DIR", workspace_root().join("target/scratch"))
        .args([
            "clippy",
            "--workspace",
            "--all-features",
            "--quiet",
            "--",
            "-D",
            "warnings",
        ])
        .status()
        .unwrap();
    assert!(
        status.success(),
        "cargo clippy failed in {}",
        scratch.display()
    );
}
