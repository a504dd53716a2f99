//! Snapshot tests: one small model per generator feature in `tests/fixtures/`, and the files
//! the generator writes for it pinned in `tests/snapshots/`.
//!
//! Each test also asserts the few facts its fixture exists for (which member is boxed, which
//! field is optional...), so a snapshot update that breaks them fails even when accepted.
//!
//! Update snapshots with `INSTA_UPDATE=always cargo test -p smithy-codegen --test snapshots`
//! and read the diff before committing it.

// Only `workspace_root` is used here.
#[allow(dead_code)]
mod shared;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use quote::ToTokens;
use smithy_codegen::{Settings, generate, load};

/// Every fixture in `tests/fixtures/`, each pinned by the test of the same name.
const FIXTURES: &[&str] = &[
    "recursive_structures",
    "enum_unknown_variant",
    "keyword_and_prelude_clashes",
    "sensitive_containers",
    "sensitive_union_member",
    "defaults_and_default_null",
    "timestamp_formats",
    "unions",
    "sparse_collections",
    "resource_bound_operations",
    "json_name_per_protocol",
    "mixins_flattened",
    "documentation_html",
    "constraint_schemas",
    "shared_operation_inputs",
    "enum_variant_collision",
    "shared_wire_names",
];

fn fixture_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(format!("{name}.json"))
}

fn fixture_text(name: &str) -> String {
    let path = fixture_path(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

/// The files generated for one model, keyed by path (`<crate>/src/types.rs`).
struct Generated {
    files: BTreeMap<String, String>,
}

impl Generated {
    fn file(&self, path: &str) -> &str {
        match self.files.get(path) {
            Some(contents) => contents,
            None => panic!(
                "`{path}` was not generated; the files are:\n{}",
                self.paths().join("\n")
            ),
        }
    }

    fn paths(&self) -> Vec<&str> {
        self.files.keys().map(String::as_str).collect()
    }
}

fn generate_fixture(name: &str) -> Generated {
    generate_source(name, &fixture_text(name), &Settings::default())
}

/// Loads `text` as the fixture file `name` and generates it; panics with the diagnostics.
fn generate_source(name: &str, text: &str, settings: &Settings) -> Generated {
    let model = load::load_sources(&[(fixture_path(name), text.to_string())])
        .unwrap_or_else(|diagnostics| panic!("fixture {name} does not load:\n{diagnostics}"));
    let files = generate(&model, settings)
        .unwrap_or_else(|diagnostics| panic!("fixture {name} does not generate:\n{diagnostics}"));
    Generated {
        files: files
            .into_iter()
            .map(|file| {
                (
                    file.path.to_string_lossy().replace('\\', "/"),
                    file.contents,
                )
            })
            .collect(),
    }
}

/// `defaults_and_default_null` without its `clientOptional` member, whose output is a
/// generator bug (see `defaults_and_default_null`).
fn defaults_fixture_without_client_optional() -> String {
    let mut model: serde_json::Value =
        serde_json::from_str(&fixture_text("defaults_and_default_null")).unwrap();
    let members = model["shapes"]["example.defaults#JobConfig"]["members"]
        .as_object_mut()
        .unwrap();
    assert!(members.remove("batchSize").is_some());
    serde_json::to_string_pretty(&model).unwrap()
}

// Reading generated source back: items are found with `syn` and compared as token text with
// the spaces removed, so formatting changes do not break the asserts.

/// Code with all whitespace and trailing commas removed, to compare it regardless of how
/// it is laid out.
fn flat(code: &str) -> String {
    let no_space: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    no_space
        .replace(",>", ">")
        .replace(",)", ")")
        .replace(",]", "]")
        .replace(",}", "}")
}

/// [`flat`] for a syntax tree.
fn squash(tokens: impl ToTokens) -> String {
    flat(&tokens.to_token_stream().to_string())
}

fn parse(source: &str) -> syn::File {
    syn::parse_file(source).unwrap_or_else(|e| panic!("generated code does not parse: {e}"))
}

/// A top-level struct, enum or type alias of the file, by name.
fn find_item<'a>(file: &'a syn::File, name: &str) -> Option<&'a syn::Item> {
    file.items.iter().find(|item| match item {
        syn::Item::Struct(s) => s.ident == name,
        syn::Item::Enum(e) => e.ident == name,
        syn::Item::Type(t) => t.ident == name,
        _ => false,
    })
}

fn has_type(file: &syn::File, name: &str) -> bool {
    find_item(file, name).is_some()
}

fn item<'a>(file: &'a syn::File, name: &str) -> &'a syn::Item {
    find_item(file, name)
        .unwrap_or_else(|| panic!("no top-level type `{name}` in the generated file"))
}

fn structure<'a>(file: &'a syn::File, name: &str) -> &'a syn::ItemStruct {
    match item(file, name) {
        syn::Item::Struct(s) => s,
        _ => panic!("`{name}` is not a struct"),
    }
}

fn enumeration<'a>(file: &'a syn::File, name: &str) -> &'a syn::ItemEnum {
    match item(file, name) {
        syn::Item::Enum(e) => e,
        _ => panic!("`{name}` is not an enum"),
    }
}

fn field<'a>(file: &'a syn::File, type_name: &str, field_name: &str) -> &'a syn::Field {
    structure(file, type_name)
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == field_name))
        .unwrap_or_else(|| panic!("`{type_name}` has no field `{field_name}`"))
}

/// The type of a struct field, spaces removed.
fn field_type(file: &syn::File, type_name: &str, field_name: &str) -> String {
    squash(&field(file, type_name, field_name).ty)
}

/// A static of a generated `schema.rs`, by name: its initializer, flattened.
fn schema_static(schema: &syn::File, name: &str) -> String {
    schema
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Static(s) if s.ident == name => Some(squash(&s.expr)),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no static `{name}` in schema.rs"))
}

/// The members of the structure or union `type_name` in `schema.rs`, in order: each
/// member's name on the wire and the static its value is checked and read with.
fn schema_members(schema: &syn::File, type_name: &str) -> Vec<(String, String)> {
    use heck::ToShoutySnakeCase;
    let name = format!("{}_MEMBERS", type_name.to_shouty_snake_case());
    let expr = schema
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Static(s) if s.ident == name => Some(&*s.expr),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no static `{name}` in schema.rs"));
    let syn::Expr::Array(array) = expr else {
        panic!("`{name}` is not an array")
    };
    array
        .elems
        .iter()
        .map(|element| {
            let syn::Expr::Call(call) = element else {
                panic!("`{name}` holds {}", squash(element))
            };
            let wire = match &call.args[0] {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => text.value(),
                other => panic!("member name {}", squash(other)),
            };
            let target = squash(&call.args[1]).trim_start_matches('&').to_string();
            (wire, target)
        })
        .collect()
}

/// The wire name of a struct field: the schema member at the field's position.
fn wire_name(code: &syn::File, schema: &syn::File, type_name: &str, field_name: &str) -> String {
    let index = field_names(code, type_name)
        .iter()
        .position(|f| f == field_name)
        .unwrap_or_else(|| panic!("{type_name} has no field {field_name}"));
    schema_members(schema, type_name)[index].0.clone()
}

/// The timestamp format a field is written and read in (`EpochSeconds`, `DateTime`,
/// `HttpDate`), following lists and maps to their items.
fn timestamp_format(
    code: &syn::File,
    schema: &syn::File,
    type_name: &str,
    field_name: &str,
) -> String {
    let index = field_names(code, type_name)
        .iter()
        .position(|f| f == field_name)
        .unwrap_or_else(|| panic!("{type_name} has no field {field_name}"));
    let mut target = schema_members(schema, type_name)[index].1.clone();
    loop {
        let expr = schema_static(schema, &target);
        if let Some(rest) = expr
            .split("Kind::Timestamp(::smithy_runtime::TimestampFormat::")
            .nth(1)
        {
            return rest.split(')').next().unwrap_or_default().to_string();
        }
        let inner = ["member:&", "value:&"]
            .iter()
            .find_map(|key| expr.split(key).nth(1))
            .unwrap_or_else(|| panic!("`{target}` is no timestamp: {expr}"));
        target = inner
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or_default()
            .to_string();
    }
}

/// How a struct field is filled in when the message leaves it out (or sends `null`):
/// what the type's `Default` puts there.
#[derive(Debug, PartialEq, Eq)]
enum WhenAbsent {
    /// The field type's own `Default`.
    TypeDefault,
    /// A function giving the model's value.
    Function(String),
}

fn when_absent(file: &syn::File, type_name: &str, field_name: &str) -> WhenAbsent {
    let value = file.items.iter().find_map(|item| match item {
        syn::Item::Impl(block)
            if squash(&block.self_ty) == type_name
                && block
                    .trait_
                    .as_ref()
                    .is_some_and(|(_, path, _)| squash(path).ends_with("Default")) =>
        {
            let code = squash(block);
            let start = code.find(&format!("{field_name}:"))? + field_name.len() + 1;
            let rest = &code[start..];
            let end = rest.find([',', '}']).unwrap_or(rest.len());
            Some(rest[..end].to_string())
        }
        _ => None,
    });
    match value {
        // No `Default` impl of its own: derived.
        None => WhenAbsent::TypeDefault,
        Some(value)
            if value == "Default::default()" || value == "::std::default::Default::default()" =>
        {
            WhenAbsent::TypeDefault
        }
        Some(value) => WhenAbsent::Function(
            value
                .trim_start_matches("Self::")
                .trim_end_matches("()")
                .replace("::std::boxed::Box::new(Self::", "")
                .to_string(),
        )
        .qualified(type_name),
    }
}

impl WhenAbsent {
    fn qualified(self, type_name: &str) -> WhenAbsent {
        match self {
            WhenAbsent::Function(name) => WhenAbsent::Function(format!("{type_name}::{name}")),
            other => other,
        }
    }
}

/// Field names of a struct, in order (raw identifiers keep their `r#`).
fn field_names(file: &syn::File, type_name: &str) -> Vec<String> {
    structure(file, type_name)
        .fields
        .iter()
        .map(|f| f.ident.as_ref().unwrap().to_string())
        .collect()
}

/// Variant names of an enum, in order.
fn variant_names(file: &syn::File, enum_name: &str) -> Vec<String> {
    enumeration(file, enum_name)
        .variants
        .iter()
        .map(|v| v.ident.to_string())
        .collect()
}

/// The payload type of a tuple variant (`None` for a unit variant), spaces removed.
fn variant_type(file: &syn::File, enum_name: &str, variant: &str) -> Option<String> {
    let variant = enumeration(file, enum_name)
        .variants
        .iter()
        .find(|v| v.ident == variant)
        .unwrap_or_else(|| panic!("`{enum_name}` has no variant `{variant}`"));
    variant.fields.iter().next().map(|f| squash(&f.ty))
}

/// The text of the doc comments on an item or field, one line per attribute.
fn docs(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter_map(|attr| match &attr.meta {
            syn::Meta::NameValue(nv) if nv.path.is_ident("doc") => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) => Some(text.value()),
                _ => None,
            },
            _ => None,
        })
        .map(|line| line.strip_prefix(' ').unwrap_or(&line).to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// True when the item derives `Debug` (rather than implementing it by hand).
fn derives_debug(attrs: &[syn::Attribute]) -> bool {
    attrs
        .iter()
        .filter(|attr| attr.path().is_ident("derive"))
        .any(|attr| {
            let meta = squash(&attr.meta);
            meta.contains("fmt::Debug") || meta.contains("(Debug") || meta.contains(",Debug")
        })
}

/// The body of `impl Debug for <type_name>`, spaces removed.
fn debug_impl(file: &syn::File, type_name: &str) -> Option<String> {
    file.items.iter().find_map(|item| match item {
        syn::Item::Impl(imp)
            if squash(&imp.self_ty) == type_name
                && imp
                    .trait_
                    .as_ref()
                    .is_some_and(|(_, path, _)| squash(path).ends_with("fmt::Debug")) =>
        {
            Some(squash(imp))
        }
        _ => None,
    })
}

#[test]
fn recursive_structures() {
    let out = generate_fixture("recursive_structures");
    let types = out.file("fixture-recursive/src/types.rs");
    let operation = out.file("fixture-recursive/src/operation/get_tree.rs");
    insta::assert_snapshot!(
        "recursive_structures__types_boxed_where_cycles_close",
        types
    );
    insta::assert_snapshot!(
        "recursive_structures__operation_not_boxed_outside_cycles",
        operation
    );

    let file = parse(types);
    // A structure that contains itself directly.
    assert_eq!(
        field_type(&file, "Node", "next"),
        "Option<Box<crate::types::Node>>"
    );
    // Mutual recursion through two structures: both sides are boxed.
    assert_eq!(
        field_type(&file, "Parent", "child"),
        "Option<Box<crate::types::Child>>"
    );
    assert_eq!(
        field_type(&file, "Child", "parent"),
        "Option<Box<crate::types::Parent>>"
    );
    // Recursion through a list: the Vec is already indirect.
    assert_eq!(
        field_type(&file, "Tree", "children"),
        "Option<Vec<crate::types::Tree>>"
    );
    // A recursive union: boxed where it refers to itself directly or through a structure,
    // not through a list.
    assert_eq!(
        variant_type(&file, "Expr", "Negate").as_deref(),
        Some("Box<crate::types::Expr>")
    );
    assert_eq!(
        variant_type(&file, "Expr", "Pair").as_deref(),
        Some("Box<crate::types::ExprPair>")
    );
    assert_eq!(
        variant_type(&file, "Expr", "Sum").as_deref(),
        Some("Vec<crate::types::Expr>")
    );
    // A required recursive member is boxed but not optional.
    assert_eq!(
        field_type(&file, "ExprPair", "left"),
        "Box<crate::types::Expr>"
    );
    // A member that only points into a cycle is not part of it: no box.
    let operation = parse(operation);
    assert_eq!(
        field_type(&operation, "GetTreeInput", "node"),
        "Option<crate::types::Node>"
    );
}

#[test]
fn enum_unknown_variant() {
    let out = generate_fixture("enum_unknown_variant");
    let types = out.file("fixture-enums/src/types.rs");
    insta::assert_snapshot!("enum_unknown_variant__types_enums_with_unknown", types);

    let file = parse(types);
    // Names converted to UpperCamelCase; a member named UNKNOWN steps aside for the
    // catch-all, which holds the unrecognised value.
    assert_eq!(
        variant_names(&file, "EncryptionMode"),
        ["SseS3", "SseKms", "CseKms", "UnknownValue", "Unknown"]
    );
    assert_eq!(
        variant_type(&file, "EncryptionMode", "Unknown").as_deref(),
        Some("String")
    );
    // The wire value is the enumValue, not the member name, both ways.
    let code = flat(types);
    assert!(code.contains(r#"Self::SseKms=>"aws:kms","#));
    assert!(code.contains(r#""aws:kms"=>Self::SseKms,"#));
    assert!(code.contains(r#"Self::UnknownValue=>"UNKNOWN","#));
    // Legacy `@enum` with names: the names make the variants, the values go on the wire;
    // a value tagged `internal` is still a variant (the service may send it).
    assert_eq!(
        variant_names(&file, "InstanceType"),
        ["T2Micro", "M5Large", "X1Internal", "Unknown"]
    );
    assert!(code.contains(r#"Self::T2Micro=>"t2.micro","#));
    // Legacy `@enum` without names: the variants come from the values.
    assert_eq!(
        variant_names(&file, "Region"),
        ["UsEast1", "EuWest1", "V3rdParty", "Unknown"]
    );
    assert!(code.contains(r#"Self::V3rdParty=>"3rd-party","#));
    // intEnum: integer values and an integer catch-all.
    assert_eq!(
        variant_names(&file, "Priority"),
        ["Low", "Medium", "High", "Unknown"]
    );
    assert_eq!(
        variant_type(&file, "Priority", "Unknown").as_deref(),
        Some("i32")
    );
    assert!(code.contains("Self::High=>10i32,"));
    assert!(code.contains("other=>Self::Unknown(other)"));
}

#[test]
fn keyword_and_prelude_clashes() {
    let out = generate_fixture("keyword_and_prelude_clashes");
    let index = out.file("fixture-clash/src/operation.rs");
    let operation = out.file("fixture-clash/src/operation/match.rs");

    // The module is a raw identifier; its file keeps the plain name.
    assert!(index.contains("pub mod r#match;"));
    let parsed = parse(operation);
    assert!(has_type(&parsed, "Match"), "no operation type `Match`");
    assert_eq!(
        field_names(&parsed, "MatchInput"),
        ["r#type", "self_", "r#match", "r#async", "kind"]
    );

    insta::assert_snapshot!(
        "keyword_and_prelude_clashes__operation_index_raw_module",
        index
    );
    insta::assert_snapshot!(
        "keyword_and_prelude_clashes__operation_named_match",
        operation
    );
    insta::assert_snapshot!(
        "keyword_and_prelude_clashes__types_renamed",
        out.file("fixture-clash/src/types.rs")
    );
}

/// Keyword member names and structures named after prelude types, in the same fixture
/// (whose operation is the keyword `Match`).
#[test]
fn keyword_members_and_prelude_named_structures() {
    let out = generate_fixture("keyword_and_prelude_clashes");
    let types = out.file("fixture-clash/src/types.rs");
    let operation = out.file("fixture-clash/src/operation/match.rs");

    let operation = parse(operation);
    let schema = parse(out.file("fixture-clash/src/schema.rs"));
    // Keywords become raw identifiers; `self` cannot, so it takes an underscore.
    assert_eq!(
        field_names(&operation, "MatchInput"),
        ["r#type", "self_", "r#match", "r#async", "kind"]
    );
    // The wire names stay as in the model.
    for (field, wire) in [
        ("r#type", "type"),
        ("self_", "self"),
        ("r#match", "match"),
        ("r#async", "async"),
    ] {
        assert_eq!(wire_name(&operation, &schema, "MatchInput", field), wire);
    }
    // Builder setters and getters drop the `r#`.
    let source = out.file("fixture-clash/src/operation/match.rs");
    for setter in [
        "fn set_type(",
        "fn get_type(",
        "fn set_self_(",
        "fn set_match(",
        "fn set_async(",
    ] {
        assert!(source.contains(setter), "missing `{setter}`");
    }
    // A member named `Type` (capitalised) is a keyword too once in snake case.
    let types = parse(types);
    assert_eq!(field_names(&types, "Kind"), ["r#type"]);
    // Structures named after prelude types get a `Value` suffix, so `use types::*` cannot
    // shadow `String`, `Option`, `Result`...
    for name in [
        "StringValue",
        "OptionValue",
        "ResultValue",
        "BoxValue",
        "VecValue",
        "DurationValue",
        "UnitValue",
    ] {
        assert!(has_type(&types, name), "no `{name}`");
    }
    for name in [
        "String", "Option", "Result", "Box", "Vec", "Duration", "Unit",
    ] {
        assert!(!has_type(&types, name), "`{name}` is defined unrenamed");
    }
    assert_eq!(
        field_type(&operation, "MatchOutput", "r#box"),
        "Option<crate::types::BoxValue>"
    );
    assert_eq!(
        field_type(&operation, "MatchOutput", "unit"),
        "Option<crate::types::UnitValue>"
    );
}

#[test]
fn sensitive_containers() {
    let out = generate_fixture("sensitive_containers");
    let types = out.file("fixture-sensitive/src/types.rs");
    let operation = out.file("fixture-sensitive/src/operation/login.rs");
    insta::assert_snapshot!("sensitive_containers__types_redacted_debug", types);
    insta::assert_snapshot!(
        "sensitive_containers__builders_redacted_debug",
        out.file("fixture-sensitive/src/types/builders.rs")
    );
    insta::assert_snapshot!(
        "sensitive_containers__operation_redacted_collections",
        operation
    );

    let types = parse(types);
    // A member targeting a sensitive string: Debug is written by hand and redacts it.
    let credentials = structure(&types, "Credentials");
    assert!(!derives_debug(&credentials.attrs));
    let debug = debug_impl(&types, "Credentials").expect("Credentials has a Debug impl");
    assert!(debug.contains(r#".field("username",&self.username)"#));
    assert!(debug.contains(r#".field("password",&::smithy_runtime::REDACTED)"#));
    // A whole sensitive structure prints nothing of itself.
    assert!(!derives_debug(&structure(&types, "PrivateNote").attrs));
    let debug = debug_impl(&types, "PrivateNote").expect("PrivateNote has a Debug impl");
    assert!(debug.contains("f.write_str(::smithy_runtime::REDACTED)"));
    assert!(!debug.contains("self.title"));
    // A sensitive enum.
    assert!(!derives_debug(&enumeration(&types, "ClearanceLevel").attrs));
    assert!(debug_impl(&types, "ClearanceLevel").is_some());

    // Collections of sensitive values, a sensitive structure and a sensitive enum are
    // redacted as members; a plain member next to them is not.
    let operation = parse(operation);
    assert!(!derives_debug(&structure(&operation, "LoginOutput").attrs));
    let debug = debug_impl(&operation, "LoginOutput").expect("LoginOutput has a Debug impl");
    for redacted in ["recovery_codes", "secrets_by_name", "note", "level"] {
        assert!(
            debug.contains(&format!(
                r#".field("{redacted}",&::smithy_runtime::REDACTED)"#
            )),
            "`{redacted}` is not redacted"
        );
    }
    assert!(debug.contains(r#".field("session_count",&self.session_count)"#));
    // The input holds no sensitive value itself; `Credentials`' own Debug redacts.
    assert!(derives_debug(&structure(&operation, "LoginInput").attrs));
}

#[test]
fn sensitive_union_member() {
    let out = generate_fixture("sensitive_union_member");
    let types = out.file("fixture-sensitive-union/src/types.rs");

    let parsed = parse(types);
    assert!(
        !derives_debug(&enumeration(&parsed, "Key").attrs),
        "`Key` derives Debug, which prints the password"
    );
    let debug = debug_impl(&parsed, "Key").expect("Key has a hand-written Debug impl");
    assert!(debug.contains("::smithy_runtime::REDACTED"));

    insta::assert_snapshot!("sensitive_union_member__types_redacted_variant", types);
}

#[test]
fn defaults_and_default_null() {
    let out = generate_fixture("defaults_and_default_null");
    let types = out.file("fixture-defaults/src/types.rs");

    // A client treats a `@clientOptional` member as optional even when it is required
    // (Smithy's `NullableIndex.CheckMode.CLIENT`).
    assert_eq!(
        field_type(&parse(types), "JobConfig", "batch_size"),
        "Option<i32>"
    );

    insta::assert_snapshot!(
        "defaults_and_default_null__types_client_optional_is_optional",
        types
    );
}

/// What `defaults_and_default_null` pins apart from `@clientOptional`, which is a
/// generator bug today.
#[test]
fn defaults_and_default_null_without_client_optional() {
    let out = generate_source(
        "defaults_and_default_null",
        &defaults_fixture_without_client_optional(),
        &Settings::default(),
    );
    let types = out.file("fixture-defaults/src/types.rs");
    insta::assert_snapshot!("defaults_and_default_null__types_defaults_and_nulls", types);
    insta::assert_snapshot!(
        "defaults_and_default_null__builders_defaults_and_nulls",
        out.file("fixture-defaults/src/types/builders.rs")
    );

    let file = parse(types);
    // `default: null` on a member clears the default of its target (`Duration`, default 0):
    // the member is optional again.
    assert_eq!(
        field_type(&file, "AutoStopConfig", "idle_timeout_minutes"),
        "Option<i64>"
    );
    // The same target with its default kept: a plain i64, filled in when absent.
    assert_eq!(
        field_type(&file, "AutoStopConfig", "timeout_minutes"),
        "i64"
    );
    assert_eq!(
        when_absent(&file, "AutoStopConfig", "timeout_minutes"),
        WhenAbsent::TypeDefault
    );

    // Zero values use the type's `Default`; other values get a default function.
    use WhenAbsent::TypeDefault;
    let function = |path: &str| WhenAbsent::Function(path.to_string());
    let expect = [
        ("retries", "i32", TypeDefault),
        (
            "max_retries",
            "i32",
            function("JobConfig::__default_max_retries"),
        ),
        ("verbose", "bool", TypeDefault),
        ("dry_run", "bool", function("JobConfig::__default_dry_run")),
        ("name", "String", function("JobConfig::__default_name")),
        (
            "mode",
            "crate::types::Mode",
            function("JobConfig::__default_mode"),
        ),
        ("tags", "Vec<String>", TypeDefault),
        (
            "labels",
            "::std::collections::HashMap<String,String>",
            TypeDefault,
        ),
        (
            "not_before",
            "::smithy_runtime::DateTime",
            function("JobConfig::__default_not_before"),
        ),
        (
            "not_after",
            "::smithy_runtime::DateTime",
            function("JobConfig::__default_not_after"),
        ),
        // Required without a default: a server refuses it missing (validation); a client
        // reading a response takes the zero value (client error correction).
        ("job_name", "String", TypeDefault),
        // Required with a default: the default fills it in.
        ("priority", "i32", function("JobConfig::__default_priority")),
        // `addedDefault` only records history; a client uses the default.
        (
            "parallelism",
            "i32",
            function("JobConfig::__default_parallelism"),
        ),
    ];
    for (name, ty, default) in expect {
        assert_eq!(field_type(&file, "JobConfig", name), ty, "{name}");
        assert_eq!(when_absent(&file, "JobConfig", name), default, "{name}");
    }
    for expr in [
        "3i32",
        r#"String::from("primary")"#,
        "crate::types::Mode::Safe",
        r#"::smithy_runtime::DateTime::parse(::smithy_runtime::TimestampFormat::DateTime,"2024-01-01T00:00:00Z")"#,
        "::smithy_runtime::DateTime::from_secs(1735689600i64)",
    ] {
        assert!(flat(types).contains(expr), "no default `{expr}`");
    }
    // A timestamp with a default keeps its wire format.
    let schema = parse(out.file("fixture-defaults/src/schema.rs"));
    assert_eq!(
        timestamp_format(&file, &schema, "JobConfig", "not_before"),
        "EpochSeconds"
    );
    // The builder fails only for the required member without a default.
    let builders = out.file("fixture-defaults/src/types/builders.rs");
    assert!(flat(builders).contains(r#"required(self.job_name,"job_name")?"#));
    assert_eq!(builders.matches("required(").count(), 1);
}

#[test]
fn timestamp_formats() {
    let out = generate_fixture("timestamp_formats");
    let types = out.file("fixture-timestamps/src/types.rs");
    insta::assert_snapshot!("timestamp_formats__types_serde_adapters", types);

    let file = parse(types);
    let schema = parse(out.file("fixture-timestamps/src/schema.rs"));
    let format = |field: &str| timestamp_format(&file, &schema, "Event", field);
    // No format: epoch seconds, required and optional.
    assert_eq!(
        field_type(&file, "Event", "occurred_at"),
        "::smithy_runtime::DateTime"
    );
    assert_eq!(format("occurred_at"), "EpochSeconds");
    // Required: `null` or absent reads as the zero value (client error correction).
    assert_eq!(
        when_absent(&file, "Event", "occurred_at"),
        WhenAbsent::TypeDefault
    );
    assert_eq!(
        field_type(&file, "Event", "received_at"),
        "Option<::smithy_runtime::DateTime>"
    );
    assert_eq!(format("received_at"), "EpochSeconds");
    // Formats on the member.
    assert_eq!(format("updated_at"), "DateTime");
    assert_eq!(format("expires_at"), "HttpDate");
    // Format on the target shape, and a member format overriding it.
    assert_eq!(format("logged_at"), "DateTime");
    assert_eq!(format("archived_at"), "EpochSeconds");
    // Collections: items take the element's format.
    assert_eq!(format("history"), "EpochSeconds");
    assert_eq!(format("http_dates"), "HttpDate");
    assert_eq!(format("checkpoints"), "DateTime");
}

#[test]
fn unions() {
    let out = generate_fixture("unions");
    let types = out.file("fixture-unions/src/types.rs");
    insta::assert_snapshot!("unions__types_variants_and_wire_form", types);

    let file = parse(types);
    assert_eq!(
        variant_names(&file, "Action"),
        [
            "Stop",
            "Pause",
            "Start",
            "ScheduleAt",
            "ScheduleAtIso",
            "Tags",
            "Unknown"
        ]
    );
    // Unit members are unit variants, written as `{}` on the wire.
    assert_eq!(variant_type(&file, "Action", "Stop"), None);
    assert!(flat(types).contains("Self::Stop=>wire::write_unit_member(schema,w,0)"));
    assert_eq!(
        variant_type(&file, "Action", "Start").as_deref(),
        Some("crate::types::StartParams")
    );
    assert_eq!(
        variant_type(&file, "Action", "Tags").as_deref(),
        Some("Vec<String>")
    );
    // Timestamps go through the adapter of their format, both ways.
    assert_eq!(
        variant_type(&file, "Action", "ScheduleAt").as_deref(),
        Some("::smithy_runtime::DateTime")
    );
    let code = flat(types);
    let schema = parse(out.file("fixture-unions/src/schema.rs"));
    let members = schema_members(&schema, "Action");
    assert_eq!(members[3].0, "scheduleAt");
    assert_eq!(members[4].0, "scheduleAtIso");
    assert!(schema_static(&schema, &members[4].1).contains("TimestampFormat::DateTime"));
    assert!(!schema_static(&schema, &members[3].1).contains("TimestampFormat::DateTime"));
    // An unknown member is kept as `Unknown` when read and refused when written.
    assert!(code.contains("wire::read_union(schema,r,||Self::Unknown,"));
    assert!(types.contains("cannot serialize Action::Unknown: it holds no value"));
    assert_eq!(variant_names(&file, "Signal"), ["Green", "Red", "Unknown"]);
}

#[test]
fn sparse_collections() {
    let out = generate_fixture("sparse_collections");
    let operation = out.file("fixture-sparse/src/operation/get_collections.rs");
    insta::assert_snapshot!("sparse_collections__operation_optional_elements", operation);

    let file = parse(operation);
    let output = "GetCollectionsOutput";
    assert_eq!(
        field_type(&file, output, "dense_list"),
        "Option<Vec<String>>"
    );
    assert_eq!(
        field_type(&file, output, "sparse_list"),
        "Option<Vec<Option<String>>>"
    );
    assert_eq!(
        field_type(&file, output, "dense_map"),
        "Option<::std::collections::HashMap<String,i32>>"
    );
    assert_eq!(
        field_type(&file, output, "sparse_map"),
        "Option<::std::collections::HashMap<String,Option<i32>>>"
    );
    assert_eq!(
        field_type(&file, output, "required_sparse_list"),
        "Vec<Option<String>>"
    );
    // A sparse list of timestamps: each element an `Option`, in epoch seconds.
    assert_eq!(
        field_type(&file, output, "sparse_timestamps"),
        "Option<Vec<Option<::smithy_runtime::DateTime>>>"
    );
    let schema = parse(out.file("fixture-sparse/src/schema.rs"));
    assert_eq!(
        timestamp_format(&file, &schema, output, "sparse_timestamps"),
        "EpochSeconds"
    );
    // Accessors hand out slices of optional elements.
    assert!(flat(operation).contains("pubfnsparse_list(&self)->&[Option<String>]"));
}

#[test]
fn operation_without_errors_has_no_unreachable_arm() {
    let out = generate_fixture("sparse_collections");
    let operation = out.file("fixture-sparse/src/operation/get_collections.rs");
    let file = parse(operation);
    assert_eq!(variant_names(&file, "GetCollectionsError"), ["Unhandled"]);
    assert!(
        !flat(operation).contains("_=>::std::option::Option::None"),
        "`Error::source` has an arm no value can reach"
    );
}

#[test]
fn resource_bound_operations() {
    let out = generate_fixture("resource_bound_operations");
    let index = out.file("fixture-resources/src/operation.rs");
    insta::assert_snapshot!("resource_bound_operations__operation_index", index);
    insta::assert_snapshot!(
        "resource_bound_operations__generated_files",
        out.paths().join("\n")
    );

    // The service's own operation first, then each resource's lifecycle operations,
    // `operations`, `collectionOperations`, then its child resources, depth first.
    let modules: Vec<String> = parse(index)
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) => Some(module.ident.to_string()),
            _ => None,
        })
        .collect();
    assert_eq!(
        modules,
        [
            "ping",
            "create_city",
            "put_city",
            "get_city",
            "update_city",
            "delete_city",
            "list_cities",
            "get_city_image",
            "search_cities",
            "get_forecast",
            "list_alerts",
        ]
    );
    for module in &modules {
        let path = format!("fixture-resources/src/operation/{module}.rs");
        assert!(out.files.contains_key(&path), "missing {path}");
    }
    // A structure shared by several operations lives in `types`.
    let types = parse(out.file("fixture-resources/src/types.rs"));
    assert!(has_type(&types, "CitySummary"));
}

/// API Gateway's PutIntegration: an `httpMethod` label beside a body member whose
/// `@jsonName` is `httpMethod` (and a header member beside a body member named like it).
/// The schema marks the bound members, which is how the runtime keeps them apart
/// (`runtime/src/protocol/split.rs` tests the wire); `fixtures_compile` builds the crate.
#[test]
fn shared_wire_names() {
    let out = generate_fixture("shared_wire_names");
    let schema = out.file("fixture-wire-names/src/schema.rs");
    insta::assert_snapshot!("shared_wire_names__schema", schema);
    assert!(
        schema.contains(r#"Member::required("httpMethod", &PRELUDE_STRING).http()"#),
        "{schema}"
    );
    assert!(
        schema.contains(r#"Member::optional("httpMethod", &PRELUDE_STRING),"#),
        "{schema}"
    );
    assert!(
        schema.contains(r#"Member::optional("requestId", &PRELUDE_STRING).http()"#),
        "{schema}"
    );
}

#[test]
fn json_name_per_protocol() {
    let out = generate_fixture("json_name_per_protocol");
    let rest = out.file("fixture-jsonname-rest/src/types.rs");
    let rpc = out.file("fixture-jsonname-rpc/src/types.rs");
    insta::assert_snapshot!("json_name_per_protocol__rest_json_types_renamed", rest);
    insta::assert_snapshot!("json_name_per_protocol__aws_json_types_not_renamed", rpc);

    // restJson1 honours `jsonName`; awsJson1_1 ignores it.
    let rest = parse(rest);
    let rpc = parse(rpc);
    let rest_schema = parse(out.file("fixture-jsonname-rest/src/schema.rs"));
    let rpc_schema = parse(out.file("fixture-jsonname-rpc/src/schema.rs"));
    assert_eq!(
        wire_name(&rest, &rest_schema, "Item", "item_name"),
        "item_name"
    );
    assert_eq!(
        wire_name(&rpc, &rpc_schema, "Item", "item_name"),
        "itemName"
    );
    // Union members too.
    assert!(
        schema_members(&rest_schema, "Lookup")
            .iter()
            .any(|(wire, _)| wire == "by_name")
    );
    assert!(
        schema_members(&rpc_schema, "Lookup")
            .iter()
            .any(|(wire, _)| wire == "byName")
    );
    // Members without `jsonName` are the same in both.
    assert_eq!(wire_name(&rest, &rest_schema, "Item", "plain"), "plain");
    assert_eq!(wire_name(&rpc, &rpc_schema, "Item", "plain"), "plain");
    // The same holds in the operation input.
    let rest_input = parse(out.file("fixture-jsonname-rest/src/operation/describe_item.rs"));
    let rpc_input = parse(out.file("fixture-jsonname-rpc/src/operation/describe_item.rs"));
    assert_eq!(
        wire_name(&rest_input, &rest_schema, "DescribeItemInput", "item_name"),
        "item_name"
    );
    assert_eq!(
        wire_name(&rpc_input, &rpc_schema, "DescribeItemInput", "item_name"),
        "itemName"
    );
}

#[test]
fn mixins_flattened() {
    let out = generate_fixture("mixins_flattened");
    let types = out.file("fixture-mixins/src/types.rs");
    insta::assert_snapshot!(
        "mixins_flattened__types_members_and_traits_inherited",
        types
    );

    let file = parse(types);
    // Mixin members first, in mixin order (a mixin's own mixins before it), then the
    // shape's own.
    assert_eq!(
        field_names(&file, "Widget"),
        ["created_at", "created_by", "name", "widget_id"]
    );
    // A trait added to an inherited member with `apply`.
    assert_eq!(field_type(&file, "Widget", "name"), "String");
    assert_eq!(
        docs(&field(&file, "Widget", "name").attrs),
        "Made required by an `apply`."
    );
    // The mixin's documentation is inherited; `Named`'s is local and its `sensitive` too.
    let widget = structure(&file, "Widget");
    assert_eq!(
        docs(&widget.attrs),
        "Inherited by every shape that uses Audited."
    );
    assert!(derives_debug(&widget.attrs));
    let gadget = structure(&file, "Gadget");
    assert_eq!(docs(&gadget.attrs), "Its own documentation.");
    assert!(derives_debug(&gadget.attrs));
    // Mixins themselves are not types.
    for mixin in ["Timestamps", "Audited", "Named"] {
        assert!(!has_type(&file, mixin), "mixin `{mixin}` emitted as a type");
    }
}

#[test]
fn documentation_html() {
    let out = generate_fixture("documentation_html");
    let lib = out.file("fixture-docs/src/lib.rs");
    let types = out.file("fixture-docs/src/types.rs");
    let operation = out.file("fixture-docs/src/operation/get_widget.rs");

    // A link keeps its target.
    let lib_docs = docs(&parse(lib).attrs);
    assert!(
        lib_docs.contains("See [the guide](https://example.com/guide)."),
        "{lib_docs}"
    );
    let widget_docs = docs(&structure(&parse(types), "Widget").attrs);
    assert!(
        widget_docs.contains("see [sizes](https://example.com/sizes)"),
        "{widget_docs}"
    );
    // A paragraph and the list after it are separate blocks.
    let parsed = parse(operation);
    let marker_docs = docs(&structure(&parsed, "GetWidget").attrs);
    assert!(
        marker_docs
            .starts_with("Gets a `Widget`.\n\n* Fails with `NotFound` when it is missing.\n"),
        "{marker_docs}"
    );
    // Inside a code span brackets are literal: escaping them shows the backslashes.
    let id_docs = docs(&field(&parsed, "GetWidgetInput", "widget_id").attrs);
    assert!(id_docs.contains("Must match `[a-z]-[0-9]+`."), "{id_docs}");
    // `&lt;name&gt;` is text, not an HTML tag for rustdoc to swallow.
    assert!(
        id_docs.contains("Replace \\<name\\> with yours")
            || id_docs.contains("Replace &lt;name&gt; with yours"),
        "{id_docs}"
    );

    insta::assert_snapshot!("documentation_html__lib_service_docs", lib);
    insta::assert_snapshot!("documentation_html__types_markdown_docs", types);
    insta::assert_snapshot!("documentation_html__operation_markdown_docs", operation);
}

/// What `documentation_html` pins that the generator gets right today.
#[test]
fn documentation_html_tags_converted() {
    let out = generate_fixture("documentation_html");
    let lib = parse(out.file("fixture-docs/src/lib.rs"));
    let types = parse(out.file("fixture-docs/src/types.rs"));
    let operation = parse(out.file("fixture-docs/src/operation/get_widget.rs"));

    // Paragraphs become blank-line separated; `<b>` and `<i>`/`<em>` become emphasis.
    assert!(docs(&lib.attrs).contains("The **Docs** service.\n\nSee "));
    assert_eq!(
        docs(&structure(&types, "Widget").attrs).lines().next_back(),
        Some("Use *sparingly* & *carefully*.")
    );
    // `<code>` becomes backticks, list items become bullets.
    let marker = docs(&structure(&operation, "GetWidget").attrs);
    assert!(marker.starts_with("Gets a `Widget`."), "{marker}");
    assert!(
        marker.contains(
            "* Fails with `NotFound` when it is missing.\n* Never returns more than one."
        )
    );
    // Entities are decoded, then escaped so rustdoc shows them as text, not tags.
    let id_docs = docs(&field(&operation, "GetWidgetInput", "widget_id").attrs);
    assert!(
        id_docs.contains("The ID, for example `w-1234`."),
        "{id_docs}"
    );
    assert!(
        id_docs.contains(
            "Replace \\<name\\> with yours; keep it shorter than 10 \\< 20 characters & unique."
        ),
        "{id_docs}"
    );
    // Docs of enums and their values, and members without HTML, pass through.
    let size = enumeration(&types, "Size");
    assert_eq!(docs(&size.attrs), "How big a `Widget` is.");
    let small = size.variants.iter().find(|v| v.ident == "Small").unwrap();
    assert_eq!(docs(&small.attrs), "Fits in a hand.");
    assert_eq!(
        docs(&field(&types, "Widget", "plain").attrs),
        "Plain text without tags."
    );
    // No tag survives anywhere.
    for file in ["src/lib.rs", "src/types.rs", "src/operation/get_widget.rs"] {
        let source = out.file(&format!("fixture-docs/{file}"));
        for tag in [
            "<p>", "</p>", "<code>", "<ul>", "<li>", "<a ", "<b>", "<i>", "<em>",
        ] {
            assert!(!source.contains(tag), "`{tag}` left in {file}");
        }
    }
}

/// `FIXTURES` (which `fixtures_compile` builds) lists exactly the files in `tests/fixtures/`.
#[test]
fn every_fixture_is_listed() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<&str> = FIXTURES.to_vec();
    listed.sort();
    assert_eq!(on_disk, listed);
}

/// Generates every fixture into a scratch workspace under `target/` and runs clippy (warnings
/// denied) on it. Slow: `cargo xtask test` runs it.
#[test]
#[ignore = "slow: compiles every fixture; run by cargo xtask test"]
fn fixtures_compile() {
    let root = shared::workspace_root();
    let scratch = root.join("target/fixture-crates");
    let _ = std::fs::remove_dir_all(scratch.join("crates"));
    let settings = Settings {
        runtime_path: root.join("runtime").display().to_string(),
        ..Default::default()
    };
    let mut members = Vec::new();
    for &name in FIXTURES {
        for (path, contents) in generate_source(name, &fixture_text(name), &settings).files {
            let crate_dir = path.split('/').next().unwrap().to_string();
            let path = scratch.join("crates").join(&path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, contents).unwrap();
            if !members.contains(&crate_dir) {
                members.push(crate_dir);
            }
        }
    }
    shared::assert_scratch_workspace_passes_clippy(&scratch, &members);
}

#[test]
fn constraint_schemas() {
    let out = generate_fixture("constraint_schemas");
    let schema = out.file("fixture-constraints/src/schema.rs");

    // The member's own `@length` wins over its target's; the pattern is the target's.
    assert!(schema.contains("pub static CHECK_INPUT_NAME"), "{schema}");
    // `@internal` enum values are accepted but not listed in messages.
    assert!(
        schema.contains(r#".string_enum(&["small", "secret"], &["small"])"#),
        "{schema}"
    );
    assert!(
        schema.contains(r#".int_enum(&[1i64, 9i64], &[1i64, 9i64])"#),
        "{schema}"
    );
    // Recursive structures refer to each other's statics.
    assert!(schema.contains("member: &NODE,"), "{schema}");
    assert!(
        schema.contains(r#"Member::optional("children", &NODES)"#),
        "{schema}"
    );
    // The server reports violations the framework way for this operation.
    let protocol = out.file("fixture-constraints/src/protocol.rs");
    assert!(
        protocol.contains("ValidationStyle::Framework"),
        "{protocol}"
    );
    assert!(protocol.contains("protocol::Location::Label"), "{protocol}");

    insta::assert_snapshot!("constraint_schemas__schema_statics", schema);
}

#[test]
fn shared_operation_inputs() {
    let out = generate_fixture("shared_operation_inputs");
    // An input shared by two operations, and one that is also the output, live in `types`
    // with their builders; each operation names them (and the builder its fluent builder
    // wraps) with aliases.
    for (module, op, shared) in [
        (
            "enable_streaming",
            "EnableStreaming",
            "StreamingDestinationInput",
        ),
        (
            "disable_streaming",
            "DisableStreaming",
            "StreamingDestinationInput",
        ),
        ("echo", "Echo", "EchoInputOutput"),
    ] {
        let code = flat(out.file(&format!("fixture-shared/src/operation/{module}.rs")));
        let input_alias = format!("pubtype{op}Input=crate::types::{shared};");
        let builder_alias =
            format!("pubtype{op}InputBuilder=crate::types::builders::{shared}Builder;");
        assert!(code.contains(&input_alias), "{module}: no {input_alias}");
        assert!(
            code.contains(&builder_alias),
            "{module}: no {builder_alias}"
        );
        assert!(
            code.contains(&format!("inner:{op}InputBuilder")),
            "{module}"
        );
    }
    insta::assert_snapshot!(
        "shared_operation_inputs__operation_aliases",
        out.file("fixture-shared/src/operation/echo.rs")
    );
}

#[test]
fn enum_variant_collision() {
    let out = generate_fixture("enum_variant_collision");
    let types = out.file("fixture-collide/src/types.rs");
    let code = flat(types);
    // `FOO_BAR` and `FooBar` both become `FooBar`; the second is `FooBar2` everywhere,
    // the model default (`"foobar"`, the second member's value) included.
    assert!(code.contains(r#"Self::FooBar=>"foo-bar","#), "{types}");
    assert!(code.contains(r#"Self::FooBar2=>"foobar","#), "{types}");
    assert!(code.contains("crate::types::Mode::FooBar2"), "{types}");
    assert!(!code.contains("crate::types::Mode::FooBar}"), "{types}");
}

/// The plan of every fixture, as data, before anything is rendered: every Rust name,
/// type, wire name and default the generator decided (`ServicePlan::dump`).
#[test]
fn plans_of_every_fixture() {
    for &name in FIXTURES {
        let model = load::load_sources(&[(fixture_path(name), fixture_text(name))])
            .unwrap_or_else(|diagnostics| panic!("fixture {name} does not load:\n{diagnostics}"));
        let mut dump = String::new();
        for (service_id, _, _) in model.services() {
            let plan = smithy_codegen::plan::ServicePlan::new(&model, service_id)
                .unwrap_or_else(|diagnostics| panic!("{name}: {diagnostics}"));
            dump.push_str(&plan.dump());
        }
        insta::assert_snapshot!(format!("plan__{name}"), dump);
    }
}

/// The plan names the defaulted enum variant the way the enum names it, even when two
/// members collide (`FOO_BAR` and `FooBar`): the regression the plan-as-data rework pins.
#[test]
fn plan_default_names_the_deduplicated_variant() {
    let name = "enum_variant_collision";
    let model = load::load_sources(&[(fixture_path(name), fixture_text(name))]).unwrap();
    let (service_id, _, _) = model.services().next().unwrap();
    let plan = smithy_codegen::plan::ServicePlan::new(&model, service_id).unwrap();
    let settings = smithy_codegen::ShapeId::parse("example.collide#Settings").unwrap();
    let mode = smithy_codegen::ShapeId::parse("example.collide#Mode").unwrap();
    let variants: Vec<&str> = plan
        .variants(&mode)
        .iter()
        .map(|v| v.name.as_str())
        .collect();
    assert_eq!(variants, ["FooBar", "FooBar2"]);
    let field = &plan.fields(&settings)[0];
    match &field.default {
        Some(smithy_codegen::plan::DefaultValue::Variant(symbol, variant)) => {
            assert_eq!(
                (symbol.name.as_str(), variant.as_str()),
                ("Mode", "FooBar2")
            );
        }
        other => panic!("{other:?}"),
    }
}
