//! The Smithy IDL 2.0 reader (IDL 1.0 files too): `.smithy` text to JSON AST documents,
//! which the loader then merges like any JSON AST file.
//!
//! Two steps, because a relative shape ID can name a shape defined in another file:
//! [`parse`] each file (a hand-written lexer and recursive-descent
//! parser build a syntax tree and report the first syntax error with its line,
//! column and source line), then [`to_json_ast`] resolves every shape ID against all the
//! files, elides targets, and writes one JSON AST document per file:
//!
//! - `@trait` without a value is `{}`; `@trait(key: v)` an object; `@trait(v)` the value;
//! - `///` comments before a shape or member become `smithy.api#documentation`;
//! - `name: T = v` is a `smithy.api#default` trait, `NAME = v` in an enum `enumValue`;
//! - `input := { ... }` is a structure named after the operation plus `Input` (or the
//!   file's `$operationInputSuffix`) with the `@input` trait; likewise output;
//! - `apply` to a shape of the same file joins its definition; other applies become
//!   `"type": "apply"` entries, one per target, their traits merged.

mod ast;
mod error;
mod lexer;
mod lower;
mod parser;
mod prelude_names;
mod text;

use std::path::Path;

use serde_json::Value;

pub use lower::ExternalShapes;
pub use parser::MAX_NODE_DEPTH;

use crate::{Diagnostic, Diagnostics};

/// One parsed `.smithy` file, not yet resolved against the others.
#[derive(Debug)]
pub struct IdlFile<'a> {
    path: &'a Path,
    source: &'a str,
    ast: ast::FileAst,
}

impl<'a> IdlFile<'a> {
    pub fn path(&self) -> &'a Path {
        self.path
    }

    /// The `namespace` statement's namespace, if the file has one.
    pub fn namespace(&self) -> Option<&str> {
        self.ast.namespace.as_deref()
    }

    /// The file's `$version`, `"2.0"` when it has none.
    pub fn version(&self) -> &str {
        &self.ast.version
    }

    fn diagnostic(&self, error: &error::ParseError) -> Diagnostic {
        error::to_diagnostic(self.path, self.source, error)
    }

    /// Places a diagnostic about a shape (or member) this file defines at that definition:
    /// its line, column and source line. Left as it is when the shape is not defined here.
    pub fn locate(&self, diagnostic: &mut Diagnostic) {
        let Some(shape) = &diagnostic.shape else {
            return;
        };
        if self.ast.namespace.as_deref() != Some(shape.namespace.as_str()) {
            return;
        }
        let Some(definition) = self.ast.shapes.iter().find(|s| s.name == shape.name) else {
            return;
        };
        let member = shape
            .member
            .as_ref()
            .and_then(|name| match &definition.body {
                ast::Body::Members(members) | ast::Body::Enum(members) => {
                    members.iter().find(|m| &m.name == name)
                }
                _ => None,
            });
        let (span, label) = match member {
            Some(member) => (member.span, "in this member"),
            None => (definition.span, "in this shape"),
        };
        let error = error::ParseError::new(span, diagnostic.message.clone(), label);
        diagnostic.location = error::to_diagnostic(self.path, self.source, &error).location;
    }
}

/// Parses one file. The error names the file, line and column, shows the source line and
/// says what was expected there.
pub fn parse<'a>(path: &'a Path, source: &'a str) -> Result<IdlFile<'a>, Diagnostic> {
    match parser::parse(source) {
        Ok(ast) => Ok(IdlFile { path, source, ast }),
        Err(error) => Err(error::to_diagnostic(path, source, &error)),
    }
}

/// Lowers parsed files to JSON AST documents, one per file in the same order. Relative shape
/// IDs resolve against the shapes of all `files` and of `external` (shapes defined in JSON
/// AST documents loaded with them).
pub fn to_json_ast(
    files: &[IdlFile<'_>],
    external: &ExternalShapes<'_>,
) -> Result<Vec<Value>, Diagnostics> {
    let index = lower::Index::new(files, external);
    let mut documents = Vec::with_capacity(files.len());
    let mut diagnostics = Diagnostics::default();
    for (i, file) in files.iter().enumerate() {
        match lower::lower_file(&index, i) {
            Ok(document) => documents.push(document),
            Err(error) => diagnostics.push(file.diagnostic(&error)),
        }
    }
    diagnostics.into_result(documents)
}

/// Parses and lowers one file on its own (its relative IDs resolve against its own shapes
/// and the prelude only).
pub fn parse_to_json_ast(path: &Path, source: &str) -> Result<Value, Diagnostics> {
    let file = parse(path, source)?;
    let mut documents = to_json_ast(std::slice::from_ref(&file), &ExternalShapes::new())?;
    Ok(documents.pop().expect("one document per file"))
}
