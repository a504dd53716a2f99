//! Bad models produce diagnostics that name the file, the shape and the reason, never a panic.
//!
//! Each test loads a small broken model and checks the one diagnostic it should produce.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use smithy_codegen::load::load_sources;
use smithy_codegen::{Diagnostic, Diagnostics};

type Sources = Vec<(PathBuf, String)>;

/// A JSON AST document with the given `shapes`.
fn document(shapes: Value) -> String {
    serde_json::to_string_pretty(&json!({ "smithy": "2.0", "shapes": shapes })).unwrap()
}

fn one_file(name: &str, shapes: Value) -> Sources {
    vec![(PathBuf::from(name), document(shapes))]
}

/// Loads a model that must be rejected.
fn diagnose(sources: &Sources) -> Diagnostics {
    match load_sources(sources) {
        Ok(_) => panic!("the model loaded, but it is invalid"),
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            diagnostics
        }
    }
}

/// The diagnostic about `shape`; panics listing them all if there is none.
fn at<'a>(diagnostics: &'a Diagnostics, shape: &str) -> &'a Diagnostic {
    diagnostics
        .iter()
        .find(|d| d.shape.as_ref().is_some_and(|s| s.to_string() == shape))
        .unwrap_or_else(|| panic!("no diagnostic at `{shape}`; got:\n{diagnostics}"))
}

/// Asserts the model yields exactly one diagnostic, in `file`, at `shape`, whose message
/// contains `phrase`.
fn expect_one(sources: &Sources, file: &str, shape: &str, phrase: &str) {
    let diagnostics = diagnose(sources);
    assert_eq!(
        diagnostics.len(),
        1,
        "expected one diagnostic, got:\n{diagnostics}"
    );
    let diagnostic = at(&diagnostics, shape);
    assert_eq!(
        diagnostic.file.as_deref(),
        Some(Path::new(file)),
        "{diagnostic}"
    );
    assert!(
        diagnostic.message.contains(phrase),
        "expected `{phrase}` in: {diagnostic}"
    );
}

// The broken models, one function each, so the Display test can go through all of them.

fn invalid_json() -> Sources {
    let text = "{\n  \"smithy\": \"2.0\",\n  \"shapes\": {,}\n}\n";
    vec![(PathBuf::from("invalid.json"), text.to_string())]
}

fn member_targets_missing_shape() -> Sources {
    one_file(
        "missing.json",
        json!({
            "ex#Thing": {
                "type": "structure",
                "members": { "owner": { "target": "ex#Nobody" } }
            }
        }),
    )
}

fn shape_defined_twice_differently() -> Sources {
    vec![
        (
            PathBuf::from("first.json"),
            document(json!({ "ex#Thing": { "type": "string" } })),
        ),
        (
            PathBuf::from("second.json"),
            document(json!({ "ex#Thing": { "type": "integer" } })),
        ),
    ]
}

fn length_min_above_max() -> Sources {
    one_file(
        "length.json",
        json!({
            "ex#Name": {
                "type": "string",
                "traits": { "smithy.api#length": { "min": 5, "max": 2 } }
            }
        }),
    )
}

fn pattern_on_integer_member() -> Sources {
    one_file(
        "pattern.json",
        json!({
            "ex#Thing": {
                "type": "structure",
                "members": {
                    "count": {
                        "target": "smithy.api#Integer",
                        "traits": { "smithy.api#pattern": "^[0-9]+$" }
                    }
                }
            }
        }),
    )
}

fn http_label_on_structure() -> Sources {
    one_file(
        "placement.json",
        json!({
            "ex#Thing": {
                "type": "structure",
                "members": {},
                "traits": { "smithy.api#httpLabel": {} }
            }
        }),
    )
}

fn error_trait_oops() -> Sources {
    one_file(
        "error.json",
        json!({
            "ex#Broken": {
                "type": "structure",
                "members": {},
                "traits": { "smithy.api#error": "oops" }
            }
        }),
    )
}

fn required_on_union_member() -> Sources {
    one_file(
        "union.json",
        json!({
            "ex#Choice": {
                "type": "union",
                "members": {
                    "name": {
                        "target": "smithy.api#String",
                        "traits": { "smithy.api#required": {} }
                    },
                    "id": { "target": "smithy.api#Integer" }
                }
            }
        }),
    )
}

fn operation_error_without_error_trait() -> Sources {
    one_file(
        "errors.json",
        json!({
            "ex#GetThing": {
                "type": "operation",
                "errors": [{ "target": "ex#NotAnError" }]
            },
            "ex#NotAnError": { "type": "structure", "members": {} }
        }),
    )
}

fn service_operation_missing() -> Sources {
    one_file(
        "service.json",
        json!({
            "ex#ThingService": {
                "type": "service",
                "version": "2024-01-01",
                "operations": [{ "target": "ex#NoSuchOperation" }],
                "traits": { "aws.protocols#awsJson1_0": {} }
            }
        }),
    )
}

fn mixin_cycle() -> Sources {
    one_file(
        "mixins.json",
        json!({
            "ex#Left": {
                "type": "structure",
                "mixins": [{ "target": "ex#Right" }],
                "members": {},
                "traits": { "smithy.api#mixin": {} }
            },
            "ex#Right": {
                "type": "structure",
                "mixins": [{ "target": "ex#Left" }],
                "members": {},
                "traits": { "smithy.api#mixin": {} }
            }
        }),
    )
}

fn apply_to_missing_member() -> Sources {
    one_file(
        "apply.json",
        json!({
            "ex#Thing": {
                "type": "structure",
                "members": { "name": { "target": "smithy.api#String" } }
            },
            "ex#Thing$nickname": {
                "type": "apply",
                "traits": { "smithy.api#required": {} }
            }
        }),
    )
}

fn http_label_without_member() -> Sources {
    one_file(
        "http.json",
        json!({
            "ex#GetThing": {
                "type": "operation",
                "input": { "target": "ex#GetThingInput" },
                "traits": { "smithy.api#http": { "method": "GET", "uri": "/things/{thingId}" } }
            },
            "ex#GetThingInput": {
                "type": "structure",
                "members": { "name": { "target": "smithy.api#String" } }
            }
        }),
    )
}

fn enum_duplicate_value() -> Sources {
    one_file(
        "enum.json",
        json!({
            "ex#Color": {
                "type": "enum",
                "members": {
                    "RED": {
                        "target": "smithy.api#Unit",
                        "traits": { "smithy.api#enumValue": "red" }
                    },
                    "CRIMSON": {
                        "target": "smithy.api#Unit",
                        "traits": { "smithy.api#enumValue": "red" }
                    }
                }
            }
        }),
    )
}

fn string_default_on_integer() -> Sources {
    one_file(
        "default.json",
        json!({
            "ex#Thing": {
                "type": "structure",
                "members": {
                    "count": {
                        "target": "smithy.api#Integer",
                        "traits": { "smithy.api#default": "ten" }
                    }
                }
            }
        }),
    )
}

#[test]
fn invalid_json_names_line_and_column() {
    let diagnostics = diagnose(&invalid_json());
    assert_eq!(diagnostics.len(), 1, "{diagnostics}");
    let diagnostic = diagnostics.iter().next().unwrap();
    assert_eq!(diagnostic.file.as_deref(), Some(Path::new("invalid.json")));
    // Nothing was parsed, so there is no shape to name.
    assert_eq!(diagnostic.shape, None);
    assert!(
        diagnostic
            .message
            .starts_with("invalid JSON at line 3, column 14"),
        "{diagnostic}"
    );
}

#[test]
fn member_targeting_missing_shape() {
    expect_one(
        &member_targets_missing_shape(),
        "missing.json",
        "ex#Thing$owner",
        "member targets `ex#Nobody`, which does not exist",
    );
}

#[test]
fn shape_defined_twice_differently_in_two_files() {
    // Reported where it is defined the second time, naming the first file.
    expect_one(
        &shape_defined_twice_differently(),
        "second.json",
        "ex#Thing",
        "shape is defined again, differently (first defined in first.json)",
    );
}

#[test]
fn shape_defined_twice_identically_is_fine() {
    let same = document(json!({
        "ex#Thing": { "type": "string", "traits": { "smithy.api#documentation": "A thing." } }
    }));
    let model = load_sources(&[
        (PathBuf::from("first.json"), same.clone()),
        (PathBuf::from("second.json"), same),
    ])
    .unwrap_or_else(|diagnostics| panic!("{diagnostics}"));
    let id = smithy_codegen::ShapeId::parse("ex#Thing").unwrap();
    assert_eq!(
        model.shape(&id).unwrap().traits.documentation(),
        Some("A thing.")
    );
}

#[test]
fn length_with_min_greater_than_max() {
    expect_one(
        &length_min_above_max(),
        "length.json",
        "ex#Name",
        "`length` min 5 is greater than max 2",
    );
}

#[test]
fn pattern_on_an_integer_member() {
    expect_one(
        &pattern_on_integer_member(),
        "pattern.json",
        "ex#Thing$count",
        "trait `smithy.api#pattern` cannot be applied to a member of a structure targeting",
    );
}

#[test]
fn trait_on_the_wrong_shape_type() {
    // `httpLabel` belongs on structure members, not on a structure.
    expect_one(
        &http_label_on_structure(),
        "placement.json",
        "ex#Thing",
        "trait `smithy.api#httpLabel` cannot be applied to a structure shape",
    );
}

#[test]
fn error_trait_with_a_value_other_than_client_or_server() {
    expect_one(
        &error_trait_oops(),
        "error.json",
        "ex#Broken",
        r#"`error` must be "client" or "server", not `oops`"#,
    );
}

#[test]
fn required_on_a_union_member() {
    expect_one(
        &required_on_union_member(),
        "union.json",
        "ex#Choice$name",
        "trait `smithy.api#required` cannot be applied to a member of a union",
    );
}

#[test]
fn operation_error_lacking_the_error_trait() {
    // Reported on the operation that lists it, naming the structure.
    expect_one(
        &operation_error_without_error_trait(),
        "errors.json",
        "ex#GetThing",
        "`ex#NotAnError` is listed as an error but lacks the `smithy.api#error` trait",
    );
}

#[test]
fn service_refers_to_a_missing_operation() {
    expect_one(
        &service_operation_missing(),
        "service.json",
        "ex#ThingService",
        "refers to `ex#NoSuchOperation`, which does not exist",
    );
}

#[test]
fn mixins_forming_a_cycle() {
    let diagnostics = diagnose(&mixin_cycle());
    let cycle = diagnostics
        .iter()
        .find(|d| d.message.contains("mixins form a cycle"))
        .unwrap_or_else(|| panic!("no cycle reported; got:\n{diagnostics}"));
    assert_eq!(cycle.file.as_deref(), Some(Path::new("mixins.json")));
    let shape = cycle.shape.as_ref().map(ToString::to_string);
    assert!(
        matches!(shape.as_deref(), Some("ex#Left" | "ex#Right")),
        "{cycle}"
    );
}

#[test]
fn mixin_cycle_reports_only_the_cycle() {
    let diagnostics = diagnose(&mixin_cycle());
    for diagnostic in diagnostics.iter() {
        assert!(
            !diagnostic.message.contains("does not exist"),
            "{diagnostic}"
        );
    }
}

#[test]
fn apply_to_a_missing_member() {
    expect_one(
        &apply_to_missing_member(),
        "apply.json",
        "ex#Thing$nickname",
        "`apply` targets a member that does not exist",
    );
}

#[test]
fn http_uri_label_without_an_http_label_member() {
    expect_one(
        &http_label_without_member(),
        "http.json",
        "ex#GetThing",
        "URI label `{thingId}` needs a required input member `thingId` with `@httpLabel`",
    );
}

#[test]
fn enum_with_a_duplicate_value() {
    // Reported on the member that repeats the value.
    expect_one(
        &enum_duplicate_value(),
        "enum.json",
        "ex#Color$CRIMSON",
        r#"enum value "red" is used twice"#,
    );
}

#[test]
fn default_that_does_not_fit_its_target() {
    expect_one(
        &string_default_on_integer(),
        "default.json",
        "ex#Thing$count",
        r#"default value "ten" does not fit the integer `smithy.api#Integer`"#,
    );
}

/// A named broken model.
type Case = (&'static str, fn() -> Sources);

/// Every broken model above that concerns a shape.
const SHAPE_CASES: &[Case] = &[
    ("member_targets_missing_shape", member_targets_missing_shape),
    (
        "shape_defined_twice_differently",
        shape_defined_twice_differently,
    ),
    ("length_min_above_max", length_min_above_max),
    ("pattern_on_integer_member", pattern_on_integer_member),
    ("http_label_on_structure", http_label_on_structure),
    ("error_trait_oops", error_trait_oops),
    ("required_on_union_member", required_on_union_member),
    (
        "operation_error_without_error_trait",
        operation_error_without_error_trait,
    ),
    ("service_operation_missing", service_operation_missing),
    ("mixin_cycle", mixin_cycle),
    ("apply_to_missing_member", apply_to_missing_member),
    ("http_label_without_member", http_label_without_member),
    ("enum_duplicate_value", enum_duplicate_value),
    ("string_default_on_integer", string_default_on_integer),
];

#[test]
fn every_diagnostic_displays_its_file_and_shape() {
    for (case, sources) in SHAPE_CASES {
        let diagnostics = diagnose(&sources());
        for diagnostic in diagnostics.iter() {
            let file = diagnostic
                .file
                .as_ref()
                .unwrap_or_else(|| panic!("{case}: no file in `{diagnostic}`"));
            let shape = diagnostic
                .shape
                .as_ref()
                .unwrap_or_else(|| panic!("{case}: no shape in `{diagnostic}`"));
            let shown = diagnostic.to_string();
            assert!(
                shown.contains(&file.display().to_string()),
                "{case}: {shown}"
            );
            assert!(shown.contains(&shape.to_string()), "{case}: {shown}");
            assert!(shown.ends_with(&diagnostic.message), "{case}: {shown}");
        }
    }
    // A file that is not JSON has no shape, but still names the file.
    let diagnostics = diagnose(&invalid_json());
    assert!(
        diagnostics
            .to_string()
            .starts_with("error in invalid.json: invalid JSON")
    );
}

/// Documents broken in form rather than meaning are reported, not panicked on.
#[test]
fn malformed_documents_are_diagnosed() {
    let cases = [
        ("[]", "a JSON AST document must be an object", None),
        (r#"{"shapes": {}}"#, "missing `smithy` version", None),
        (
            r#"{"smithy": "3.0"}"#,
            "unsupported Smithy version `3.0`",
            None,
        ),
        (
            r#"{"smithy": "2.0", "shapes": []}"#,
            "`shapes` must be an object",
            None,
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "widget"}}}"#,
            "unknown shape type `widget`",
            Some("ex#A"),
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "structure", "members": {"a": {}}}}}"#,
            "needs a `target` shape ID",
            Some("ex#A$a"),
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "list"}}}"#,
            "missing `member` member",
            Some("ex#A"),
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"ex#A": {"type": "string", "traits": []}}}"#,
            "`traits` must be an object",
            Some("ex#A"),
        ),
        (
            r#"{"smithy": "2.0", "shapes": {"ex#A$b": {"type": "string"}}}"#,
            "a shape definition cannot use a member ID",
            Some("ex#A$b"),
        ),
    ];
    for (text, phrase, shape) in cases {
        let diagnostics = diagnose(&vec![(PathBuf::from("malformed.json"), text.to_string())]);
        assert_eq!(diagnostics.len(), 1, "{text}:\n{diagnostics}");
        let diagnostic = diagnostics.iter().next().unwrap();
        assert_eq!(
            diagnostic.file.as_deref(),
            Some(Path::new("malformed.json")),
            "{text}"
        );
        assert_eq!(
            diagnostic
                .shape
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            shape,
            "{text}"
        );
        assert!(diagnostic.message.contains(phrase), "{text}: {diagnostic}");
    }
}

#[test]
fn a_pattern_that_cannot_compile_is_a_generation_time_diagnostic() {
    // Unbalanced group: refused while loading, so it can never fail (or panic) at run time.
    let sources = one_file(
        "pattern.json",
        json!({
            "ex#Code": {
                "type": "string",
                "traits": { "smithy.api#pattern": "^(ab" }
            }
        }),
    );
    expect_one(&sources, "pattern.json", "ex#Code", "invalid `@pattern`");
}

/// A restJson1 service `ex#Svc` with one operation `ex#Op`, the service carrying
/// `rule_set` and the operation `op_traits`.
fn service_with_rules(rule_set: Value, op_traits: Value) -> Sources {
    one_file(
        "rules.json",
        json!({
            "ex#Svc": {
                "type": "service",
                "version": "1",
                "operations": [{"target": "ex#Op"}],
                "traits": {
                    "aws.protocols#restJson1": {},
                    "smithy.rules#endpointRuleSet": rule_set
                }
            },
            "ex#Op": {
                "type": "operation",
                "traits": {
                    "smithy.api#http": {"method": "POST", "uri": "/op"},
                    "smithy.rules#staticContextParams": op_traits
                }
            }
        }),
    )
}

/// Generates a model that must be refused at generation time (it loads); gives the one
/// diagnostic and checks that no file came out.
fn refused_by_generation(sources: &Sources) -> Diagnostic {
    let model = load_sources(sources).expect("the model loads");
    match smithy_codegen::generate(&model, &smithy_codegen::Settings::default()) {
        Ok(files) => panic!(
            "generated {} files from a rule set it cannot carry",
            files.len()
        ),
        Err(diagnostics) => {
            assert_eq!(diagnostics.len(), 1, "{diagnostics}");
            diagnostics.iter().next().unwrap().clone()
        }
    }
}

#[test]
fn an_endpoint_rule_set_the_client_cannot_carry_is_a_generation_time_diagnostic() {
    let rules = |rules: Value, parameters: Value| json!({"version": "1.0", "parameters": parameters, "rules": rules});
    let region = json!({"Region": {"type": "string", "builtIn": "AWS::Region"}});

    // An unknown function, named with where it is.
    let unknown_fn = rules(
        json!([{"type": "error", "conditions": [{"fn": "aws.quantum", "argv": [{"ref": "Region"}]}], "error": "x"}]),
        region.clone(),
    );
    let diagnostic = refused_by_generation(&service_with_rules(unknown_fn, json!({})));
    assert_eq!(diagnostic.shape.as_ref().unwrap().to_string(), "ex#Svc");
    assert_eq!(diagnostic.file.as_deref(), Some(Path::new("rules.json")));
    assert!(
        diagnostic
            .message
            .contains("at rules[0].conditions[0]: the function `aws.quantum` is not supported"),
        "{diagnostic}"
    );

    // A built-in the client has no setting for.
    let s3 = rules(
        json!([{"type": "error", "conditions": [], "error": "x"}]),
        json!({"Accelerate": {"type": "boolean", "builtIn": "AWS::S3::Accelerate"}}),
    );
    let diagnostic = refused_by_generation(&service_with_rules(s3, json!({})));
    assert!(
        diagnostic.message.contains("`AWS::S3::Accelerate`"),
        "{diagnostic}"
    );

    // An operation setting a parameter the rule set does not have.
    let fine = rules(
        json!([{"type": "error", "conditions": [], "error": "x"}]),
        region,
    );
    let diagnostic =
        refused_by_generation(&service_with_rules(fine, json!({"Bucket": {"value": "b"}})));
    assert_eq!(diagnostic.shape.as_ref().unwrap().to_string(), "ex#Op");
    assert!(diagnostic.message.contains("`Bucket`"), "{diagnostic}");
}
