//! Prints how long each codegen phase takes on one model file (a profiling aid).
//! `cargo run --release -p smithy-codegen --example phase_times -- <model.json> [OUT_DIR]`

use std::time::Instant;

// xtask's allocator, so the phases take what they take under `cargo xtask bench codegen`.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let path = std::path::PathBuf::from(
        std::env::args()
            .nth(1)
            .expect("usage: phase_times <model.json>"),
    );
    let start = Instant::now();
    let model = smithy_codegen::load::load_files(std::slice::from_ref(&path)).expect("model loads");
    let loaded = start.elapsed();
    let (service_id, _, _) = model.services().next().expect("a service");
    let plan = smithy_codegen::plan::ServicePlan::new(&model, service_id).expect("plans");
    let planned = start.elapsed();
    let files = smithy_codegen::emit::emit_crate(&plan, &smithy_codegen::Settings::default())
        .expect("emits");
    let emitted = start.elapsed();
    let bytes: usize = files.iter().map(|f| f.contents.len()).sum();
    println!(
        "load {:.1} ms, plan {:.1} ms, emit+format {:.1} ms ({} files, {} KiB)",
        loaded.as_secs_f64() * 1e3,
        (planned - loaded).as_secs_f64() * 1e3,
        (emitted - planned).as_secs_f64() * 1e3,
        files.len(),
        bytes / 1024
    );
    // An optional second argument: a directory to write the files into, to read them.
    if let Some(out) = std::env::args().nth(2).map(std::path::PathBuf::from) {
        for file in &files {
            let path = out.join(&file.path);
            std::fs::create_dir_all(path.parent().expect("a file in a directory"))
                .expect("directory");
            std::fs::write(&path, &file.contents).expect("written");
        }
    }
}
