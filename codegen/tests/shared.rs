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
