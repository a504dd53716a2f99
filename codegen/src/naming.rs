//! Rust names for Smithy names: case conversion and escaping, in one place.

use heck::{ToSnakeCase, ToUpperCamelCase};

/// Words Rust reserves; as field or module names they take the `r#` form.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "dyn", "else", "enum", "extern", "false",
    "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub",
    "ref", "return", "static", "struct", "trait", "true", "type", "unsafe", "use", "where",
    "while", "abstract", "become", "box", "do", "final", "macro", "override", "priv", "try",
    "typeof", "unsized", "virtual", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing underscore instead.
const NOT_RAW: &[&str] = &["self", "super", "crate", "Self", "_"];

/// Type names that would shadow the prelude or the names generated code leans on; a model
/// shape with one of these names gets a `Value` suffix so user code importing `types::*`
/// keeps its `String`, `Option` and friends, and generated code can write every prelude
/// name it uses ([`PRELUDE_NAMES`]) bare.
const RESERVED_TYPES: &[&str] = &[
    "String",
    "Option",
    "Result",
    "Box",
    "Vec",
    "Duration",
    "Unit",
    "Some",
    "None",
    "Ok",
    "Err",
    "Self",
    "Send",
    "Sync",
    "Sized",
    "Copy",
    "Clone",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Default",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "Into",
    "Iterator",
    "ToString",
    "ToOwned",
    "Debug",
    "Display",
    "Error",
    "HashMap",
    "DateTime",
    "Blob",
    "Document",
    "BigInteger",
    "BigDecimal",
];

/// The prelude names generated code writes bare (`Option`, not `::std::option::Option`):
/// no generated type may take one.
pub const PRELUDE_NAMES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "ToString",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Into",
    "From",
    "Send",
    "Sync",
    "Debug",
];

/// A type name (`UpperCamelCase`), escaped where it would collide.
pub fn type_name(smithy_name: &str) -> String {
    let name = smithy_name.to_upper_camel_case();
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("Shape{name}")
    } else {
        name
    };
    if RESERVED_TYPES.contains(&name.as_str()) {
        format!("{name}Value")
    } else {
        name
    }
}

/// A field, method or module name (`snake_case`), as it must be written in Rust source.
pub fn field_name(smithy_name: &str) -> String {
    escape_snake(smithy_name.to_snake_case())
}

fn escape_snake(name: String) -> String {
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return format!("_{name}");
    }
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// True for words that must be written as raw identifiers.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// A field name with any `r#` removed, for building other identifiers from it.
pub fn unraw(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

/// An enum variant name. `Unknown` is taken by the catch-all variant.
pub fn variant_name(smithy_name: &str) -> String {
    let name = smithy_name.to_upper_camel_case();
    let name = if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else {
        name
    };
    if name == "Unknown" || name == "Self" {
        format!("{name}Value")
    } else {
        name
    }
}

/// A Smithy identifier made from an enum value that has no name (legacy `@enum`).
pub fn identifier_from_value(value: &str) -> String {
    let mut out: String = value
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, '_');
    }
    out
}

/// A crate name from a service's sdkId: lower case, spaces become dashes.
pub fn crate_name(sdk_id: &str) -> String {
    let mut out = String::new();
    for word in sdk_id.split_whitespace() {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(
            word.chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .map(|c| c.to_ascii_lowercase()),
        );
    }
    out
}

/// Gives each name in `names` a distinct spelling, appending `_2`, `_3`... to repeats.
pub fn dedupe(names: &mut [String]) {
    let mut seen = std::collections::BTreeSet::new();
    for name in names.iter_mut() {
        if seen.insert(name.clone()) {
            continue;
        }
        // `FooBar2` for type and variant names (UpperCamelCase stays so), `foo_bar_2` for
        // field names.
        let separator = if name.starts_with(|c: char| c.is_ascii_uppercase()) {
            ""
        } else {
            "_"
        };
        let mut n = 2;
        loop {
            let candidate = format!("{name}{separator}{n}");
            if seen.insert(candidate.clone()) {
                *name = candidate;
                break;
            }
            n += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicates_get_a_number_in_their_own_case() {
        let mut variants = vec!["FooBar".to_string(), "FooBar".into(), "FooBar2".into()];
        dedupe(&mut variants);
        assert_eq!(variants, ["FooBar", "FooBar2", "FooBar22"]);
        let mut fields = vec!["foo_bar".to_string(), "foo_bar".into()];
        dedupe(&mut fields);
        assert_eq!(fields, ["foo_bar", "foo_bar_2"]);
    }

    #[test]
    fn escapes_keywords_and_prelude_names() {
        // No type takes a prelude name generated code writes bare.
        for name in PRELUDE_NAMES {
            assert_eq!(type_name(name), format!("{name}Value"));
        }
        assert_eq!(field_name("type"), "r#type");
        assert_eq!(field_name("self"), "self_");
        assert_eq!(field_name("SessionId"), "session_id");
        assert_eq!(type_name("String"), "StringValue");
        assert_eq!(type_name("Result"), "ResultValue");
        assert_eq!(type_name("GetSessionRequest"), "GetSessionRequest");
        assert_eq!(variant_name("SSE_S3"), "SseS3");
        assert_eq!(variant_name("UNKNOWN"), "UnknownValue");
        assert_eq!(variant_name("1x"), "V1x");
        assert_eq!(crate_name("EMR Serverless"), "emr-serverless");
        assert_eq!(crate_name("DynamoDB"), "dynamodb");
    }
}
