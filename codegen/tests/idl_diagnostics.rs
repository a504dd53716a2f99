//! IDL errors point at the file, line and column, show the source line and say what was
//! expected there.

use std::path::{Path, PathBuf};

use smithy_codegen::{Diagnostic, idl, load};

fn parse_error(source: &str) -> Diagnostic {
    idl::parse(Path::new("model/bad.smithy"), source).expect_err("expected a syntax error")
}

/// Checks line, column, that the message contains `message` and that the rendering shows
/// `--> file:line:column`, the source line and the label.
fn check(diagnostic: &Diagnostic, line: usize, column: usize, message: &str, source_line: &str) {
    assert_eq!(
        diagnostic.file.as_deref(),
        Some(Path::new("model/bad.smithy"))
    );
    assert_eq!(
        (diagnostic.line(), diagnostic.column()),
        (Some(line), Some(column)),
        "{diagnostic}"
    );
    assert!(
        diagnostic.message.contains(message),
        "{}",
        diagnostic.message
    );
    let shown = diagnostic.to_string();
    assert!(shown.starts_with("error: "), "{shown}");
    assert!(
        shown.contains(&format!("--> model/bad.smithy:{line}:{column}")),
        "{shown}"
    );
    assert!(shown.contains(source_line), "{shown}");
    assert!(shown.contains('^'), "{shown}");
    assert!(shown.contains("expected"), "{shown}");
}

#[test]
fn missing_colon_after_a_member_name() {
    let source = "$version: \"2\"\nnamespace ex\n\nstructure S {\n    name String\n}\n";
    let diagnostic = parse_error(source);
    check(
        &diagnostic,
        5,
        10,
        "expected `:` and a target shape after member `name`",
        "    name String",
    );
    assert!(
        diagnostic.message.contains("found `String`"),
        "{}",
        diagnostic.message
    );
}

#[test]
fn unknown_shape_type() {
    let source = "namespace ex\nstrukture S {}\n";
    check(
        &parse_error(source),
        2,
        1,
        "expected a shape (`structure`",
        "strukture S {}",
    );
}

#[test]
fn unterminated_string_points_at_its_start() {
    let source = "namespace ex\n@documentation(\"never closed)\nstring S\n";
    check(
        &parse_error(source),
        2,
        16,
        "unterminated string",
        "@documentation(\"never closed)",
    );
}

#[test]
fn unclosed_brace_at_the_end_of_the_file() {
    let source = "namespace ex\nstructure S {\n    a: String\n";
    let diagnostic = parse_error(source);
    assert_eq!(diagnostic.line(), Some(4), "{diagnostic}");
    assert!(
        diagnostic.message.contains("found the end of the file"),
        "{diagnostic}"
    );
}

#[test]
fn bad_escape_and_bad_number() {
    check(
        &parse_error("namespace ex\n@pattern(\"\\d+\")\nstring S\n"),
        2,
        11,
        "invalid escape `\\d`",
        "@pattern(\"\\d+\")",
    );
    check(
        &parse_error("metadata x = 01\n"),
        1,
        14,
        "malformed number",
        "metadata x = 01",
    );
}

#[test]
fn columns_count_characters_not_bytes() {
    let source = "metadata é = \"ü\" @\n";
    let diagnostic = parse_error(source);
    // `é` is not an identifier character: the key is the problem, at column 10.
    assert_eq!(
        (diagnostic.line(), diagnostic.column()),
        (Some(1), Some(10)),
        "{diagnostic}"
    );
}

#[test]
fn semantic_errors_point_at_the_source_too() {
    let files = vec![(
        PathBuf::from("model/bad.smithy"),
        "$version: \"2\"\nnamespace ex\n@mixin\nstructure M { a: String }\nstructure S with [M] {\n    $b\n}\n".to_string(),
    )];
    let errors = load::load_sources(&files).unwrap_err();
    let diagnostic = errors.iter().next().unwrap();
    check(
        diagnostic,
        6,
        5,
        "cannot find the target of elided member `$b`",
        "    $b",
    );
}

#[test]
fn load_reports_errors_of_every_file() {
    let files = vec![
        (
            PathBuf::from("a.smithy"),
            "namespace ex\nstring\n".to_string(),
        ),
        (
            PathBuf::from("b.smithy"),
            "namespace ex\nlist L { }\nstring 1\n".to_string(),
        ),
    ];
    let errors = load::load_sources(&files).unwrap_err();
    let files: Vec<_> = errors.iter().map(|d| d.file.clone().unwrap()).collect();
    assert_eq!(
        files,
        [PathBuf::from("a.smithy"), PathBuf::from("b.smithy")]
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let source = format!("metadata x = {}{}\n", "[".repeat(depth), "]".repeat(depth));
    let diagnostic = parse_error(&source);
    assert!(
        diagnostic.message.contains("nest deeper than"),
        "{}",
        diagnostic.message
    );
    let objects = format!("metadata x = {}\n", "{a: ".repeat(depth));
    assert!(parse_error(&objects).message.contains("nest deeper than"));
}

#[test]
fn diagnostics_without_positions_display_as_before() {
    let diagnostic = Diagnostic::new("something").in_file("x.json");
    assert_eq!(diagnostic.to_string(), "error in x.json: something");
    let placed = Diagnostic::new("something")
        .in_file("x.json")
        .at_position(3, 4);
    assert_eq!(placed.to_string(), "error in x.json:3:4: something");
}

#[test]
fn validation_errors_in_idl_files_point_at_the_definition() {
    let files = vec![(
        PathBuf::from("model/bad.smithy"),
        "$version: \"2\"\nnamespace ex\n\nstructure S {\n    a: String\n    b: Missing\n}\n"
            .to_string(),
    )];
    let errors = load::load_sources(&files).unwrap_err();
    let diagnostic = errors.iter().next().unwrap();
    assert!(
        diagnostic.message.contains("does not exist"),
        "{diagnostic}"
    );
    assert_eq!(diagnostic.shape.as_ref().unwrap().to_string(), "ex#S$b");
    assert_eq!(
        (diagnostic.line(), diagnostic.column()),
        (Some(6), Some(5)),
        "{diagnostic}"
    );
    let shown = diagnostic.to_string();
    assert!(shown.contains("--> model/bad.smithy:6:5"), "{shown}");
    assert!(shown.contains("    b: Missing"), "{shown}");
}
