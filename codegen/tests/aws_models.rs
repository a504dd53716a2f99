//! The loader and generator against real AWS models from `../shared/aws-models/`.

mod shared;

use std::path::PathBuf;

use smithy_codegen::{Settings, generate, load};

fn aws_models() -> Option<Vec<PathBuf>> {
    let dir = shared::shared_dir()?.join("aws-models");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no models in {}", dir.display());
    Some(files)
}

#[test]
fn every_aws_model_loads_and_plans() {
    let Some(files) = aws_models() else { return };
    for file in &files {
        let model = load::load_files(std::slice::from_ref(file))
            .unwrap_or_else(|diagnostics| panic!("{}:\n{diagnostics}", file.display()));
        let services: Vec<_> = model.services().collect();
        assert_eq!(services.len(), 1, "{}", file.display());
        let generated = generate(&model, &Settings::default())
            .unwrap_or_else(|diagnostics| panic!("{}:\n{diagnostics}", file.display()));
        assert!(generated.iter().any(|f| f.path.ends_with("src/lib.rs")));
    }
}

#[test]
fn all_aws_models_load_together() {
    let Some(files) = aws_models() else { return };
    let model = load::load_files(&files).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(model.services().count(), files.len());
}

#[test]
fn whole_services_find_every_operation() {
    let Some(files) = aws_models() else { return };
    let expect = [("athena", 70), ("emr-serverless", 22)];
    for (prefix, count) in expect {
        let file = files
            .iter()
            .find(|f| f.file_name().unwrap().to_str().unwrap().starts_with(prefix))
            .unwrap();
        let model = load::load_files(std::slice::from_ref(file)).unwrap();
        let (_, service, _) = model.services().next().unwrap();
        assert_eq!(model.service_operations(service).len(), count, "{prefix}");
    }
}

/// Generates the whole Athena, EMR Serverless and DynamoDB services (DynamoDB has an input shared
/// by two operations) into a scratch workspace under
/// `target/` and runs clippy (warnings denied) on it. Slow: `cargo xtask test` runs it.
#[test]
#[ignore = "slow: compiles three whole generated services; run by `cargo xtask test`"]
fn whole_services_compile_without_warnings() {
    let Some(files) = aws_models() else { return };
    let root = shared::workspace_root();
    let scratch = root.join("target/whole-services");
    let _ = std::fs::remove_dir_all(scratch.join("crates"));
    let runtime = root.join("runtime");
    let settings = Settings {
        runtime_path: runtime.display().to_string(),
        ..Default::default()
    };
    let mut members = Vec::new();
    for prefix in ["athena-", "emr-serverless-", "dynamodb-"] {
        let file = files
            .iter()
            .find(|f| f.file_name().unwrap().to_str().unwrap().starts_with(prefix))
            .unwrap();
        let model = load::load_files(std::slice::from_ref(file)).unwrap();
        for generated in generate(&model, &settings).unwrap() {
            let path = scratch.join("crates").join(&generated.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, generated.contents).unwrap();
            let crate_dir = generated
                .path
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy()
                .to_string();
            if !members.contains(&crate_dir) {
                members.push(crate_dir);
            }
        }
    }
    shared::assert_scratch_workspace_passes_clippy(&scratch, &members);
}
