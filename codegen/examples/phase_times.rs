//! Prints how long each codegen phase takes on one model file (a profiling aid).
//! `cargo run --release -p smithy-codegen --example phase_times -- <model.json>`

use std::time::Instant;

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
}
