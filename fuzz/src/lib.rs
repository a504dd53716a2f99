//! What the fuzz targets share: writing their seeds where `cargo xtask fuzz` asks.

use std::path::PathBuf;

/// When `SMITHY_FUZZ_SEEDS` names a directory, writes `target`'s seeds into it (libFuzzer
/// reads its corpus directories after this runs). `SMITHY_SHARED_DIR` is the shared test
/// data, `SMITHY_WORKSPACE` this project.
pub fn write_seeds(target: &str) {
    let Some(dir) = std::env::var_os("SMITHY_FUZZ_SEEDS").map(PathBuf::from) else {
        return;
    };
    let var = |name: &str| {
        std::env::var_os(name)
            .map(PathBuf::from)
            .unwrap_or_else(|| panic!("{name} is not set"))
    };
    let seeds =
        integration_tests::fuzz::seeds(target, &var("SMITHY_SHARED_DIR"), &var("SMITHY_WORKSPACE"));
    std::fs::create_dir_all(&dir).expect("the seed directory");
    for (i, seed) in seeds.iter().enumerate() {
        std::fs::write(dir.join(format!("seed-{i:05}")), seed).expect("a seed file");
    }
    eprintln!("{target}: {} seeds in {}", seeds.len(), dir.display());
}
