//! Every `smithy.rules#endpointTests` case of the AWS models in `../shared/aws-models`,
//! evaluated on the model's own rule set: the endpoint's URL, headers and properties, or
//! the error message, exactly as the case expects. (The generated crates run the same
//! cases through their typed `endpoint::Params`; this covers every model in seconds.)

use serde_json::Value as Json;
use smithy_rules::{RuleSet, Value};

fn shared_dir() -> Option<std::path::PathBuf> {
    let dir = std::env::var_os("SMITHY_SHARED_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared"));
    if dir.join("aws-models").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "../shared (or SMITHY_SHARED_DIR) is missing, and CI needs it"
    );
    eprintln!("skipped: no ../shared/aws-models (set SMITHY_SHARED_DIR)");
    None
}

/// What one case gave, when it is not what it expects.
fn check(rules: &RuleSet, case: &Json) -> Result<(), String> {
    let params: Vec<(&str, Value)> = case["params"]
        .as_object()
        .map(|params| {
            params
                .iter()
                .filter_map(|(k, v)| Some((k.as_str(), Value::from_json(v)?)))
                .collect()
        })
        .unwrap_or_default();
    let result = rules.evaluate(&params);
    let expect = &case["expect"];
    match (result, expect.get("error"), expect.get("endpoint")) {
        (Err(message), Some(Json::String(want)), _) if message == *want => Ok(()),
        (Ok(endpoint), None, Some(want)) => {
            if endpoint.url != want["url"].as_str().unwrap_or_default() {
                return Err(format!("url {} != {}", endpoint.url, want["url"]));
            }
            let properties = Json::Object(endpoint.properties.clone());
            let want_properties = want
                .get("properties")
                .cloned()
                .unwrap_or(Json::Object(Default::default()));
            if properties != want_properties {
                return Err(format!("properties {properties} != {want_properties}"));
            }
            let headers: serde_json::Map<String, Json> = endpoint
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), Json::from(v.clone())))
                .collect();
            let want_headers = want
                .get("headers")
                .cloned()
                .unwrap_or(Json::Object(Default::default()));
            if Json::Object(headers.clone()) != want_headers {
                return Err(format!("headers {headers:?} != {want_headers}"));
            }
            Ok(())
        }
        (got, _, _) => Err(format!("got {got:?}, expected {expect}")),
    }
}

#[test]
fn every_endpoint_test_of_every_aws_model_passes() {
    let Some(shared) = shared_dir() else { return };
    let mut files: Vec<_> = std::fs::read_dir(shared.join("aws-models"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut counts = Vec::new();
    for file in &files {
        let model: Json = serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let name = file.file_stem().unwrap().to_string_lossy().to_string();
        let shapes = model["shapes"].as_object().unwrap();
        for (id, shape) in shapes.iter().filter(|(_, s)| s["type"] == "service") {
            let traits = &shape["traits"];
            let Some(rule_set) = traits.get("smithy.rules#endpointRuleSet") else {
                continue;
            };
            let rules = RuleSet::parse(rule_set).unwrap_or_else(|e| panic!("{id}: {e}"));
            let cases = traits["smithy.rules#endpointTests"]["testCases"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            let mut passed = 0;
            for (i, case) in cases.iter().enumerate() {
                match check(&rules, case) {
                    Ok(()) => passed += 1,
                    Err(why) => failures.push(format!(
                        "{name} case {i} ({}): {why}",
                        case["documentation"].as_str().unwrap_or("")
                    )),
                }
            }
            counts.push(format!("{name}: {passed}/{}", cases.len()));
        }
    }
    eprintln!("{}", counts.join("\n"));
    assert!(
        failures.is_empty(),
        "{} endpoint test(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(files.len(), counts.len(), "every model has a rule set");
}
