//! The IDL parser on real input: every Smithy protocol compliance test model (with the
//! trait definitions it uses and the Smithy prelude) loads as one model; its test cases
//! count as published; and IDL -> JSON AST export -> load gives the same model.

mod shared;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::Value;
use smithy_codegen::{Model, ShapeId, load};

/// Every `.smithy` file under `dir`, sorted.
fn smithy_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in std::fs::read_dir(&current).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|ext| ext == "smithy") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

fn protocol_test_files() -> Option<Vec<PathBuf>> {
    let dir = shared::shared_dir()?.join("smithy-protocol-tests");
    let files = smithy_files(&dir);
    assert!(
        files.len() > 90,
        "expected the protocol test models in {}",
        dir.display()
    );
    Some(files)
}

fn load_all(files: &[PathBuf]) -> Model {
    load::load_paths(files).unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

/// (protocol, trait) -> number of test cases.
fn count_cases(model: &Model) -> BTreeMap<(String, String), usize> {
    let mut counts = BTreeMap::new();
    for shape in model.shapes.values() {
        let owners =
            std::iter::once(&shape.traits).chain(shape.members().into_iter().map(|m| &m.traits));
        for traits in owners {
            for name in [
                "httpRequestTests",
                "httpResponseTests",
                "httpMalformedRequestTests",
            ] {
                let id = ShapeId::parse(&format!("smithy.test#{name}")).unwrap();
                let Some(smithy_codegen::traits::Trait::Other(Value::Array(cases))) =
                    traits.get(&id)
                else {
                    continue;
                };
                for case in cases {
                    let protocol = case["protocol"]
                        .as_str()
                        .expect("each case names its protocol");
                    *counts
                        .entry((protocol.to_string(), name.to_string()))
                        .or_insert(0) += 1;
                }
            }
        }
    }
    counts
}

#[test]
fn protocol_tests_load_as_one_model_with_the_published_counts() {
    let Some(files) = protocol_test_files() else {
        return;
    };
    let model = load_all(&files);
    let counts = count_cases(&model);
    let count = |protocol: &str, name: &str| {
        counts
            .get(&(format!("aws.protocols#{protocol}"), name.to_string()))
            .copied()
            .unwrap_or(0)
    };
    let got: Vec<(&str, [usize; 3])> = ["restJson1", "awsJson1_1", "awsJson1_0"]
        .into_iter()
        .map(|p| {
            (
                p,
                [
                    count(p, "httpRequestTests"),
                    count(p, "httpResponseTests"),
                    count(p, "httpMalformedRequestTests"),
                ],
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("restJson1", [159, 116, 191]),
            ("awsJson1_1", [60, 63, 0]),
            ("awsJson1_0", [33, 43, 0]),
        ],
        "all counts: {counts:?}"
    );
}

/// Shapes with the file each came from forgotten (an exported model has one file).
fn without_files(model: &Model) -> BTreeMap<ShapeId, smithy_codegen::model::Shape> {
    model
        .shapes
        .iter()
        .map(|(id, shape)| {
            let mut shape = shape.clone();
            shape.file = None;
            (id.clone(), shape)
        })
        .collect()
}

#[test]
fn protocol_tests_round_trip_through_the_json_ast_export() {
    let Some(files) = protocol_test_files() else {
        return;
    };
    let model = load_all(&files);
    let exported = load::export_paths(&files).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    let text = serde_json::to_string_pretty(&exported).unwrap();
    let sources = vec![(PathBuf::from("exported.json"), text)];
    let reloaded =
        load::load_sources(&sources).unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    assert_eq!(reloaded.metadata, model.metadata);
    let (before, after) = (without_files(&model), without_files(&reloaded));
    assert_eq!(before.len(), after.len());
    for (id, shape) in &before {
        assert_eq!(
            Some(shape),
            after.get(id),
            "{id} differs after the round trip"
        );
    }
    // Exporting the export changes nothing: the JSON AST is a fixed point.
    let again = load::export_sources(&sources).unwrap();
    assert_eq!(again, exported);
}

#[test]
fn each_protocol_test_file_parses_on_its_own() {
    let Some(files) = protocol_test_files() else {
        return;
    };
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let document = smithy_codegen::idl::parse_to_json_ast(file, &text)
            .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
        assert!(document["smithy"].as_str().is_some(), "{}", file.display());
    }
}
