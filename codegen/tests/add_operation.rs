//! Adding an operation is an edit to the model and nothing else: take `model/athena.smithy`,
//! add Athena's `GetSessionStatus` (with every shape it needs) from the real AWS model,
//! regenerate, and the crate still compiles cleanly.

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

#[test]
#[ignore = "slow: compiles the regenerated crate; run by `cargo xtask test`"]
fn adding_get_session_status_to_the_model_gives_a_compiling_crate() {
    let Some(shared) = shared::shared_dir() else {
        return;
    };
    let root = shared::workspace_root();
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
    let model = load::load_sources(&[(PathBuf::from("athena.json"), ours.to_string())]).unwrap();
    let settings = Settings {
        runtime_path: root.join("runtime").display().to_string(),
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
