//! The IDL grammar, one feature per test: each IDL snippet against the JSON AST the
//! specification says it stands for.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use smithy_codegen::idl::parse_to_json_ast;
use smithy_codegen::load;

/// The JSON AST of one file read on its own.
fn ast(source: &str) -> Value {
    parse_to_json_ast(Path::new("test.smithy"), source)
        .unwrap_or_else(|diagnostics| panic!("{diagnostics}"))
}

/// One shape of the JSON AST of `source` (namespace `ex`).
fn shape(source: &str, name: &str) -> Value {
    let document = ast(&format!("$version: \"2\"\nnamespace ex\n{source}"));
    document["shapes"][format!("ex#{name}")].clone()
}

fn error(source: &str) -> String {
    parse_to_json_ast(Path::new("test.smithy"), source)
        .expect_err("expected an error")
        .to_string()
}

fn sources(files: &[(&str, &str)]) -> Vec<(PathBuf, String)> {
    files
        .iter()
        .map(|(name, text)| (PathBuf::from(name), text.to_string()))
        .collect()
}

// --- Control section, metadata, namespace, use -------------------------------------------

#[test]
fn control_section_sets_the_version_and_ignores_unknown_statements() {
    let document = ast("$version: \"2.0\"\n$unknownThing: [1, 2]\nnamespace ex\nstring A\n");
    assert_eq!(document["smithy"], "2.0");
    assert_eq!(ast("$version: \"2\"\n")["smithy"], "2.0");
    assert_eq!(
        ast("$version: \"1.0\"\nnamespace ex\nstring A")["smithy"],
        "1.0"
    );
    assert_eq!(
        ast("namespace ex\nstring A")["smithy"],
        "2.0",
        "no version: 2.0"
    );
    assert!(error("$version: \"3.0\"\n").contains("unsupported Smithy IDL version `3.0`"));
    assert!(error("$version: 2\n").contains("takes a string"));
    assert!(error("$version: \"2\"\n$version: \"2\"\n").contains("given twice"));
}

#[test]
fn metadata_statements_with_every_node_form() {
    let document = ast(r#"
        metadata greeting = "hello"
        metadata "stringList" = ["a", "b", "c",]
        metadata foo = {
            hello: 123, "foo": "456",
            testing: """
                Hello!
                """,
            an_array: [10.5, -1, 1e+2, 1.0e-10, 0, true, false, null],
            nested: { String: String }
        }
    "#);
    assert_eq!(
        document["metadata"],
        json!({
            "greeting": "hello",
            "stringList": ["a", "b", "c"],
            "foo": {
                "hello": 123,
                "foo": "456",
                "testing": "Hello!\n",
                "an_array": [10.5, -1, 100.0, 1.0e-10, 0, true, false, null],
                // Object keys stay literal; unquoted values are shape IDs.
                "nested": { "String": "smithy.api#String" }
            }
        })
    );
}

#[test]
fn metadata_merges_across_files_as_the_spec_says() {
    let files = sources(&[
        (
            "a.smithy",
            "metadata list = [1]\nmetadata same = {a: 1}\nnamespace a\nstring A",
        ),
        (
            "b.smithy",
            "metadata list = [2]\nmetadata same = {a: 1}\nnamespace b\nstring B",
        ),
    ]);
    let model = load::load_sources(&files).unwrap();
    assert_eq!(model.metadata["list"], json!([1, 2]));
    assert_eq!(model.metadata["same"], json!({"a": 1}));
    let conflicting = sources(&[
        ("a.smithy", "metadata x = 1\n"),
        ("b.smithy", "metadata x = 2\n"),
    ]);
    let errors = load::load_sources(&conflicting).unwrap_err().to_string();
    assert!(errors.contains("metadata key `x`"), "{errors}");
    // In one file, a list given twice concatenates too.
    assert_eq!(
        ast("metadata l = [1]\nmetadata l = [2]")["metadata"]["l"],
        json!([1, 2])
    );
}

#[test]
fn relative_shape_ids_resolve_use_then_namespace_then_prelude() {
    let document = ast(r#"$version: "2"
namespace smithy.example
use foo.baz#Bar
string MyString
structure MyStructure {
    a: MyString
    b: smithy.example#MyString
    c: Bar
    d: String
    e: MyBoolean
    f: InvalidShape
}
boolean MyBoolean
"#);
    let members = &document["shapes"]["smithy.example#MyStructure"]["members"];
    let targets: Vec<&str> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|m| members[m]["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "smithy.example#MyString",
            "smithy.example#MyString",
            "foo.baz#Bar",
            "smithy.api#String",
            "smithy.example#MyBoolean",
            "smithy.example#InvalidShape",
        ]
    );
}

#[test]
fn a_shape_of_the_namespace_in_another_file_shadows_the_prelude() {
    let files = sources(&[
        ("a.smithy", "namespace ex\nstructure S { s: String }"),
        ("b.smithy", "namespace ex\n@length(min: 1)\nstring String"),
    ]);
    let model = load::load_sources(&files).unwrap();
    let s = &model.shapes[&smithy_codegen::ShapeId::parse("ex#S").unwrap()];
    assert_eq!(s.members()[0].target.to_string(), "ex#String");
}

#[test]
fn use_statement_rules() {
    assert!(error("namespace ex\nuse a#X\nstring X").contains("also defined in this file"));
    assert!(error("namespace ex\nuse a#X\nuse b#X\n").contains("already imported"));
    assert!(error("namespace ex\nuse a#X$m\n").contains("without a member"));
    assert!(error("namespace ex\nstring A\nuse a#X\n").contains("before any shape"));
    assert!(error("string A").contains("`namespace` statement"));
    assert!(error("namespace a\nnamespace b").contains("only one `namespace`"));
    assert!(error("namespace a\nmetadata x = 1").contains("before the `namespace`"));
}

// --- Shapes -------------------------------------------------------------------------------

#[test]
fn every_simple_shape_type() {
    for t in [
        "blob",
        "boolean",
        "document",
        "string",
        "byte",
        "short",
        "integer",
        "long",
        "float",
        "double",
        "bigInteger",
        "bigDecimal",
        "timestamp",
    ] {
        assert_eq!(shape(&format!("{t} A"), "A"), json!({"type": t}), "{t}");
    }
}

#[test]
fn enums_with_implicit_and_explicit_values_and_member_traits() {
    assert_eq!(
        shape(
            r#"
            /// Suits.
            enum Suit {
                /// The best.
                @deprecated
                DIAMOND = "diamond"
                CLUB
                @enumValue("heart") HEART, SPADE = "spade"
            }"#,
            "Suit"
        ),
        json!({
            "type": "enum",
            "members": {
                "DIAMOND": {"target": "smithy.api#Unit", "traits": {
                    "smithy.api#documentation": "The best.",
                    "smithy.api#deprecated": {},
                    "smithy.api#enumValue": "diamond"
                }},
                "CLUB": {"target": "smithy.api#Unit"},
                "HEART": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "heart"}},
                "SPADE": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "spade"}}
            },
            "traits": {"smithy.api#documentation": "Suits."}
        })
    );
    assert_eq!(
        shape("intEnum Code { ONE = 1\n TWO = 2 }", "Code")["members"]["TWO"],
        json!({"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 2}})
    );
}

#[test]
fn lists_and_maps_with_member_traits() {
    assert_eq!(
        shape(
            "@length(min: 3, max: 10)\nlist L {\n @length(min: 1, max: 100)\n member: String\n}",
            "L"
        ),
        json!({
            "type": "list",
            "member": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 1, "max": 100}}},
            "traits": {"smithy.api#length": {"min": 3, "max": 10}}
        })
    );
    assert_eq!(
        shape(
            "map M { @length(min: 1) key: String, @range(min: 1) value: Integer }",
            "M"
        ),
        json!({
            "type": "map",
            "key": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 1}}},
            "value": {"target": "smithy.api#Integer", "traits": {"smithy.api#range": {"min": 1}}}
        })
    );
    assert!(error("namespace ex\nlist L { item: String }").contains("expected `member`"));
    assert!(
        error("namespace ex\nmap M { key: String, other: String }").contains("`key` or `value`")
    );
}

#[test]
fn structures_and_unions() {
    assert_eq!(
        shape(
            "structure S {\n @required\n foo: String\n baz: smithy.api#Integer\n}",
            "S"
        ),
        json!({
            "type": "structure",
            "members": {
                "foo": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
                "baz": {"target": "smithy.api#Integer"}
            }
        })
    );
    assert_eq!(
        shape(
            "union U { i32: Integer\n @length(min: 1) string: String }",
            "U"
        ),
        json!({
            "type": "union",
            "members": {
                "i32": {"target": "smithy.api#Integer"},
                "string": {"target": "smithy.api#String", "traits": {"smithy.api#length": {"min": 1}}}
            }
        })
    );
    assert_eq!(
        shape("structure E {}", "E"),
        json!({"type": "structure", "members": {}})
    );
    assert!(
        error("namespace ex\nunion U { a: String = \"x\" }").contains("only structure and enum")
    );
    assert!(error("namespace ex\nstructure S { a: String, a: String }").contains("defined twice"));
}

#[test]
fn member_default_values() {
    let s = shape(
        "structure S { a: Boolean = true\n b: Integer = 0\n c: String = \"x\"\n d: L = []\n e: M = {}\n f: Integer = null }",
        "S",
    );
    let defaults: Vec<Value> = ["a", "b", "c", "d", "e", "f"]
        .iter()
        .map(|m| s["members"][m]["traits"]["smithy.api#default"].clone())
        .collect();
    assert_eq!(
        defaults,
        [
            json!(true),
            json!(0),
            json!("x"),
            json!([]),
            json!({}),
            Value::Null
        ]
    );
    assert_eq!(
        shape("structure S { @default(1) a: Integer = 1 }", "S")["members"]["a"]["traits"],
        json!({"smithy.api#default": 1}),
        "an equal explicit @default agrees"
    );
    assert!(error("namespace ex\nstructure S { @default(1) a: Integer = 2 }").contains("twice"));
}

#[test]
fn service_resource_and_operation_properties() {
    let document = ast(r#"$version: "2"
namespace ex
service Repo {
    version: "2020-07-13",
    operations: [Ping]
    resources: [Model]
    errors: [Oops]
    rename: { "other#Widget": "OtherWidget" }
}
resource Model {
    identifiers: { modelId: String }
    properties: { size: Integer }
    create: CreateModel, put: PutModel, read: GetModel, update: UpdateModel
    delete: DeleteModel, list: ListModels
    operations: [Touch], collectionOperations: [Batch], resources: [Child]
}
operation Ping { input: PingIn, output: PingOut, errors: [Oops] }
"#);
    let shapes = &document["shapes"];
    assert_eq!(
        shapes["ex#Repo"],
        json!({
            "type": "service",
            "version": "2020-07-13",
            "operations": [{"target": "ex#Ping"}],
            "resources": [{"target": "ex#Model"}],
            "errors": [{"target": "ex#Oops"}],
            "rename": {"other#Widget": "OtherWidget"}
        })
    );
    let model = &shapes["ex#Model"];
    assert_eq!(
        model["identifiers"],
        json!({"modelId": {"target": "smithy.api#String"}})
    );
    assert_eq!(
        model["properties"],
        json!({"size": {"target": "smithy.api#Integer"}})
    );
    for (key, op) in [
        ("create", "CreateModel"),
        ("put", "PutModel"),
        ("read", "GetModel"),
        ("update", "UpdateModel"),
        ("delete", "DeleteModel"),
        ("list", "ListModels"),
    ] {
        assert_eq!(model[key], json!({"target": format!("ex#{op}")}), "{key}");
    }
    assert_eq!(
        model["collectionOperations"],
        json!([{"target": "ex#Batch"}])
    );
    assert_eq!(
        shapes["ex#Ping"],
        json!({
            "type": "operation",
            "input": {"target": "ex#PingIn"},
            "output": {"target": "ex#PingOut"},
            "errors": [{"target": "ex#Oops"}]
        })
    );
    assert!(
        error("namespace ex\nservice S { versions: \"1\" }").contains("unknown service property")
    );
    assert!(
        error("namespace ex\noperation O { inputs: X }").contains("`input`, `output`, `errors`")
    );
    assert!(error("namespace ex\noperation O { input: X, input: Y }").contains("given twice"));
}

// --- Inline input and output ----------------------------------------------------------------

#[test]
fn inline_input_and_output_are_named_after_the_operation() {
    let document = ast(r#"$version: "2"
namespace ex
@mixin
structure BaseUser { userId: String }
operation GetUser {
    input := @references([{resource: User}]) {
        userId: String
    }
    output := with [BaseUser] {
        username: String
    }
}
"#);
    let shapes = &document["shapes"];
    assert_eq!(
        shapes["ex#GetUser"]["input"],
        json!({"target": "ex#GetUserInput"})
    );
    assert_eq!(
        shapes["ex#GetUser"]["output"],
        json!({"target": "ex#GetUserOutput"})
    );
    assert_eq!(
        shapes["ex#GetUserInput"],
        json!({
            "type": "structure",
            "members": {"userId": {"target": "smithy.api#String"}},
            "traits": {
                "smithy.api#references": [{"resource": "ex#User"}],
                "smithy.api#input": {}
            }
        })
    );
    assert_eq!(
        shapes["ex#GetUserOutput"],
        json!({
            "type": "structure",
            "mixins": [{"target": "ex#BaseUser"}],
            "members": {"username": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#output": {}}
        })
    );
}

#[test]
fn inline_suffixes_come_from_control_statements() {
    let document = ast(r#"$version: "2"
$operationInputSuffix: "Request"
$operationOutputSuffix: "Response"
namespace ex
operation GetUser {
    input :=
        @documentation("in")
        {}
    output := {}
}
"#);
    let shapes = document["shapes"].as_object().unwrap();
    let names: Vec<&str> = shapes.keys().map(String::as_str).collect();
    assert_eq!(
        names,
        ["ex#GetUser", "ex#GetUserRequest", "ex#GetUserResponse"]
    );
    assert_eq!(
        shapes["ex#GetUserRequest"]["traits"]["smithy.api#documentation"],
        "in"
    );
    assert!(error("$operationInputSuffix: \"Re-quest\"\n").contains("cannot end a shape name"));
}

// --- Mixins and target elision ----------------------------------------------------------

#[test]
fn mixins_on_every_kind_of_shape_and_local_traits() {
    let document = ast(r#"$version: "2"
namespace ex
@mixin(localTraits: [internal])
@internal
@sensitive
string SensitiveString
@pattern("^[a-z]*$")
string SensitiveText with [SensitiveString]
@mixin
structure A { a: String }
@mixin
structure B { b: String }
structure C with [A, B] { c: String }
"#);
    let shapes = &document["shapes"];
    assert_eq!(
        shapes["ex#SensitiveString"]["traits"]["smithy.api#mixin"],
        json!({"localTraits": ["smithy.api#internal"]})
    );
    assert_eq!(
        shapes["ex#SensitiveText"]["mixins"],
        json!([{"target": "ex#SensitiveString"}])
    );
    assert_eq!(
        shapes["ex#C"]["mixins"],
        json!([{"target": "ex#A"}, {"target": "ex#B"}])
    );
    // The loader flattens them: mixin members first, local traits stay behind.
    let model = load::load_sources(&sources(&[("m.json", &document.to_string())])).unwrap();
    let c = &model.shapes[&smithy_codegen::ShapeId::parse("ex#C").unwrap()];
    let names: Vec<&str> = c.members().iter().map(|m| m.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c"]);
    let text = &model.shapes[&smithy_codegen::ShapeId::parse("ex#SensitiveText").unwrap()];
    assert!(text.traits.is_sensitive());
    assert!(!text.traits.is_internal());
}

#[test]
fn target_elision_from_mixins() {
    let document = ast(r#"$version: "2"
namespace ex
@mixin
structure IdBearer { id: String }
@mixin
structure Deeper with [IdBearer] {}
structure IdRequired with [Deeper] {
    @required
    $id
}
list Ids with [IdList] { $member }
@mixin
list IdList { member: Integer }
"#);
    assert_eq!(
        document["shapes"]["ex#IdRequired"]["members"]["id"],
        json!({"target": "smithy.api#String", "traits": {"smithy.api#required": {}}})
    );
    assert_eq!(
        document["shapes"]["ex#Ids"]["member"],
        json!({"target": "smithy.api#Integer"})
    );
}

#[test]
fn target_elision_from_a_for_resource_before_mixins() {
    let document = ast(r#"$version: "2"
namespace ex
resource User {
    identifiers: { name: String, uuid: String }
    properties: { age: Short }
}
@mixin
structure UserIds { uuid: Blob, extra: Long }
structure UserSummary for User with [UserIds] {
    $name
    $uuid
    $age
    $extra
}
"#);
    let members = &document["shapes"]["ex#UserSummary"]["members"];
    let targets: Vec<&str> = ["name", "uuid", "age", "extra"]
        .iter()
        .map(|m| members[m]["target"].as_str().unwrap())
        .collect();
    assert_eq!(
        targets,
        [
            "smithy.api#String",
            "smithy.api#String",
            "smithy.api#Short",
            "smithy.api#Long"
        ]
    );
    let message = error("namespace ex\nresource R {}\nstructure S for R { $nope }");
    assert!(
        message.contains("cannot find the target of elided member `$nope`"),
        "{message}"
    );
}

#[test]
fn target_elision_across_files_and_from_json_ast_mixins() {
    let files = sources(&[
        (
            "mixin.json",
            r#"{"smithy": "2.0", "shapes": {"ex#JsonMixin": {"type": "structure",
                "members": {"fromJson": {"target": "smithy.api#Long"}},
                "traits": {"smithy.api#mixin": {}}}}}"#,
        ),
        (
            "a.smithy",
            "$version: \"2\"\nnamespace ex\nstructure S with [JsonMixin, OtherFile] { $fromJson\n $fromIdl }",
        ),
        (
            "b.smithy",
            "$version: \"2\"\nnamespace ex\n@mixin\nstructure OtherFile { fromIdl: Timestamp }",
        ),
    ]);
    let model = load::load_sources(&files).unwrap_or_else(|d| panic!("{d}"));
    let s = &model.shapes[&smithy_codegen::ShapeId::parse("ex#S").unwrap()];
    let targets: Vec<String> = s
        .members()
        .iter()
        .map(|m| format!("{}={}", m.name, m.target))
        .collect();
    assert_eq!(
        targets,
        ["fromJson=smithy.api#Long", "fromIdl=smithy.api#Timestamp"]
    );
}

#[test]
fn mixin_cycles_do_not_hang_elision() {
    let message = error(
        "$version: \"2\"\nnamespace ex\n@mixin\nstructure A with [B, A, B] {}\n@mixin\nstructure B with [A, B, A] {}\nstructure C with [A, B] { $x }",
    );
    assert!(message.contains("elided member `$x`"), "{message}");
}

// --- Traits and node values -------------------------------------------------------------

#[test]
fn trait_value_forms() {
    let s = shape(
        r#"
        @required
        @empty()
        @length(min: 1, max: 2)
        @documentation("x")
        @tags(["a", "b",])
        @error(client)
        @idRef(failWhenMissing: true, selector: "*")
        @block("""
            Hello
              world""")
        @nested({list: [1, {deep: [null]}], "quoted key": -0.5})
        @num(10)
        @flag(false)
        @nothing(null)
        @absolute(smithy.api#String)
        @member(Foo$bar)
        string A
        "#,
        "A",
    );
    assert_eq!(
        s["traits"],
        json!({
            "smithy.api#required": {},
            "ex#empty": {},
            "smithy.api#length": {"min": 1, "max": 2},
            "smithy.api#documentation": "x",
            "smithy.api#tags": ["a", "b"],
            "smithy.api#error": "ex#client",
            "smithy.api#idRef": {"failWhenMissing": true, "selector": "*"},
            "ex#block": "Hello\n  world",
            "ex#nested": {"list": [1, {"deep": [null]}], "quoted key": -0.5},
            "ex#num": 10,
            "ex#flag": false,
            "ex#nothing": null,
            "ex#absolute": "smithy.api#String",
            "ex#member": "ex#Foo$bar"
        })
    );
}

#[test]
fn the_same_trait_twice_must_agree_or_be_lists() {
    assert_eq!(
        shape("@tags([\"a\"])\n@tags([\"b\"])\nstring A", "A")["traits"]["smithy.api#tags"],
        json!(["a", "b"])
    );
    assert!(error("namespace ex\n@since(\"1\")\n@since(\"2\")\nstring A").contains("given twice"));
}

#[test]
fn comments_and_commas_anywhere() {
    let with_comments = r#"$version: "2" // version
// before namespace
namespace ex // after namespace
// between
@length( // inside a trait
    min: 1, // a comma
    // a comment line
    max: 2,,, // commas are whitespace
) // after a trait
structure /* not a comment */ S
"#;
    // `/* */` is not Smithy: it must fail, and the rest must parse without it.
    assert!(error(with_comments).contains("unexpected character `/`"));
    let document = ast(&with_comments.replace("/* not a comment */ ", "").replace(
        "structure S\n",
        "structure S { // open\n a: String, // member\n // end\n }, // close\n",
    ));
    assert_eq!(
        document["shapes"]["ex#S"],
        json!({
            "type": "structure",
            "members": {"a": {"target": "smithy.api#String"}},
            "traits": {"smithy.api#length": {"min": 1, "max": 2}}
        })
    );
}

#[test]
fn text_blocks_in_traits() {
    let s = shape(
        "@documentation(\"\"\"\n    <div>\n        <p>Hello!</p>\n    </div>\n    \"\"\")\nstring A",
        "A",
    );
    assert_eq!(
        s["traits"]["smithy.api#documentation"],
        "<div>\n    <p>Hello!</p>\n</div>\n"
    );
    let s = shape(
        "@documentation(\"\"\"\n    Foo \\\n    Baz \\\n    Bam\"\"\")\nstring A",
        "A",
    );
    assert_eq!(s["traits"]["smithy.api#documentation"], "Foo Baz Bam");
}

#[test]
fn string_escapes_in_traits() {
    let s = shape(
        r#"@documentation("a\"b\\c\/d\ne\tf\u00e9\
g")
string A"#,
        "A",
    );
    assert_eq!(s["traits"]["smithy.api#documentation"], "a\"b\\c/d\ne\tfég");
}

// --- Apply ------------------------------------------------------------------------------

#[test]
fn apply_statements_join_shapes_of_the_same_file() {
    let document = ast(r#"$version: "2"
namespace ex
string MyString
structure S { foo: String }
list L { member: String }
apply MyString @documentation("This is my string!")
apply MyString {
    @length(min: 1, max: 10)
    @tags(["a"])
}
apply MyString @tags(["b"])
apply S$foo @required
apply L$member @length(min: 1)
apply other#Thing @deprecated
apply other#Thing$m @sensitive
"#);
    let shapes = &document["shapes"];
    assert_eq!(
        shapes["ex#MyString"]["traits"],
        json!({
            "smithy.api#documentation": "This is my string!",
            "smithy.api#length": {"min": 1, "max": 10},
            "smithy.api#tags": ["a", "b"]
        })
    );
    assert_eq!(
        shapes["ex#S"]["members"]["foo"]["traits"],
        json!({"smithy.api#required": {}})
    );
    assert_eq!(
        shapes["ex#L"]["member"]["traits"],
        json!({"smithy.api#length": {"min": 1}})
    );
    assert_eq!(
        shapes["other#Thing"],
        json!({"type": "apply", "traits": {"smithy.api#deprecated": {}}})
    );
    assert_eq!(
        shapes["other#Thing$m"],
        json!({"type": "apply", "traits": {"smithy.api#sensitive": {}}})
    );
}

#[test]
fn apply_across_files_merges_and_conflicts_are_errors() {
    let files = sources(&[
        ("a.smithy", "namespace ex\n@tags([\"a\"])\nstring A"),
        (
            "b.smithy",
            "namespace ex\napply A @tags([\"b\"])\napply A @documentation(\"d\")",
        ),
    ]);
    let model = load::load_sources(&files).unwrap();
    let a = &model.shapes[&smithy_codegen::ShapeId::parse("ex#A").unwrap()];
    assert_eq!(a.traits.documentation(), Some("d"));
    let conflicting = sources(&[
        (
            "a.smithy",
            "namespace ex\n@documentation(\"one\")\nstring A",
        ),
        ("b.smithy", "namespace ex\napply A @documentation(\"two\")"),
    ]);
    let errors = load::load_sources(&conflicting).unwrap_err().to_string();
    assert!(errors.contains("conflicts"), "{errors}");
    assert!(error("namespace ex\n@deprecated\napply A @deprecated").contains("before an `apply`"));
    assert!(error("namespace ex\napply A").contains("after the apply target"));
}

#[test]
fn conflicting_definitions_across_files_are_errors() {
    let files = sources(&[
        ("a.smithy", "namespace ex\nstring A"),
        ("b.smithy", "namespace ex\ninteger A"),
    ]);
    let errors = load::load_sources(&files).unwrap_err().to_string();
    assert!(errors.contains("defined again, differently"), "{errors}");
    let same = sources(&[
        ("a.smithy", "namespace ex\nstring A"),
        ("b.smithy", "namespace ex\nstring A"),
    ]);
    assert!(
        load::load_sources(&same).is_ok(),
        "identical definitions are allowed"
    );
    assert!(error("namespace ex\nstring A\nstring A").contains("defined twice in this file"));
}

// --- Documentation comments -------------------------------------------------------------

#[test]
fn doc_comments_become_documentation() {
    let document = ast(r#"$version: "2"
namespace ex

/// This is documentation about a shape.
///
/// - This is a list
/// - More of the list.
string MyString

/// This is documentation about a trait shape.
///   More docs here.
@trait
structure myTrait {}

/// Documentation about the structure.
// a plain comment does not break the block
/// Second line.
structure Example {
    /// Documentation about the member.
    @required
    foo: String,
    @required
    /// Not documentation: after the traits.
    bar: String
    baz: String /// Not documentation either: not at the start of a line.
}

/// Ignored: the explicit trait wins.
@documentation("explicit")
string Explicit
"#);
    let shapes = &document["shapes"];
    let doc = |id: &str| shapes[id]["traits"]["smithy.api#documentation"].clone();
    assert_eq!(
        doc("ex#MyString"),
        "This is documentation about a shape.\n\n- This is a list\n- More of the list."
    );
    assert_eq!(
        doc("ex#myTrait"),
        "This is documentation about a trait shape.\n  More docs here."
    );
    assert_eq!(
        doc("ex#Example"),
        "Documentation about the structure.\nSecond line."
    );
    let members = &shapes["ex#Example"]["members"];
    assert_eq!(
        members["foo"]["traits"]["smithy.api#documentation"],
        "Documentation about the member."
    );
    assert_eq!(members["bar"]["traits"], json!({"smithy.api#required": {}}));
    assert_eq!(members["baz"], json!({"target": "smithy.api#String"}));
    assert_eq!(doc("ex#Explicit"), "explicit");
}

// --- IDL 1.0 ----------------------------------------------------------------------------

#[test]
fn idl_1_files_load_with_their_semantics() {
    let document = ast(r#"$version: "1.0"
namespace ex
set Tags { member: String }
structure S {
    count: PrimitiveInteger,
    @box
    boxed: PrimitiveInteger,
    flag: PrimitiveBoolean,
}
"#);
    assert_eq!(document["shapes"]["ex#Tags"]["type"], "set");
    let members = &document["shapes"]["ex#S"]["members"];
    assert_eq!(members["count"]["traits"], json!({"smithy.api#default": 0}));
    assert_eq!(members["boxed"]["traits"], json!({"smithy.api#box": {}}));
    assert_eq!(
        members["flag"]["traits"],
        json!({"smithy.api#default": false})
    );
    for v2_only in [
        "enum E { A }",
        "structure S with [M] {}",
        "structure S { a: String = \"x\" }",
        "structure S { $a }",
        "operation O { input := {} }",
        "resource R {}\nstructure S for R {}",
    ] {
        let message = error(&format!("$version: \"1.0\"\nnamespace ex\n{v2_only}"));
        assert!(
            message.contains("needs Smithy IDL 2.0"),
            "{v2_only}: {message}"
        );
    }
}

// --- Loading and exporting --------------------------------------------------------------

#[test]
fn idl_and_json_files_load_together_and_round_trip() {
    let dir = std::env::temp_dir().join(format!("smithy-idl-mixed-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("a.smithy"),
        r#"$version: "2"
namespace ex
use aws.protocols#restJson1
/// A service.
@restJson1
service Svc { version: "1", operations: [Op] }
@http(method: "POST", uri: "/op")
operation Op {
    input := { @required name: Name = "n" }
    output := with [Common] {}
    errors: [Failure]
}
"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("b.json"),
        r#"{"smithy": "2.0", "shapes": {
            "ex#Name": {"type": "string"},
            "ex#Common": {"type": "structure", "members": {"id": {"target": "smithy.api#String"}},
                          "traits": {"smithy.api#mixin": {}}},
            "ex#Failure": {"type": "structure", "members": {},
                           "traits": {"smithy.api#error": "client"}}}}"#,
    )
    .unwrap();
    let model = load::load_dir(&dir).unwrap_or_else(|d| panic!("{d}"));
    let output = &model.shapes[&smithy_codegen::ShapeId::parse("ex#OpOutput").unwrap()];
    assert_eq!(
        output.members()[0].name,
        "id",
        "mixin from the JSON file flattened"
    );
    let exported = load::export_paths(&load::model_files(&dir).unwrap()).unwrap();
    let reloaded = load::load_sources(&[(PathBuf::from("x.json"), exported.to_string())]).unwrap();
    for (id, shape) in &model.shapes {
        let mut before = shape.clone();
        let mut after = reloaded.shapes[id].clone();
        before.file = None;
        after.file = None;
        assert_eq!(before, after, "{id}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
