//! Errors found in a model, each naming where and why.

use std::fmt;
use std::path::PathBuf;

use crate::ShapeId;

/// One problem in a model: the file it came from, the shape it concerns and the reason.
/// Problems found while reading IDL text also carry the 1-based line and column and the
/// offending source line, rendered with a caret under the place and what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    pub file: Option<PathBuf>,
    pub shape: Option<ShapeId>,
    pub message: String,
    /// Where in the file's text, for problems found while reading IDL. Boxed, so that
    /// `Result<_, Diagnostic>` stays small for everyone else.
    pub location: Option<Box<Location>>,
}

/// A 1-based line and column of a file, with the report rendered around it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    pub line: usize,
    pub column: usize,
    /// The rendered report (message, `--> file:line:column`, the source line, a caret).
    pub snippet: Option<String>,
}

impl Diagnostic {
    pub fn new(message: impl Into<String>) -> Self {
        Diagnostic {
            file: None,
            shape: None,
            message: message.into(),
            location: None,
        }
    }

    /// Places the problem at a 1-based line and column of its file.
    pub fn at_position(mut self, line: usize, column: usize) -> Self {
        let snippet = self.location.take().and_then(|l| l.snippet);
        self.location = Some(Box::new(Location {
            line,
            column,
            snippet,
        }));
        self
    }

    /// Attaches the rendered report; shown instead of the one-line form. Needs a position.
    pub fn with_snippet(mut self, snippet: impl Into<String>) -> Self {
        if let Some(location) = &mut self.location {
            location.snippet = Some(snippet.into());
        }
        self
    }

    /// The 1-based line, when the problem has a place in the file's text.
    pub fn line(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.line)
    }

    /// The 1-based column (in characters), when the problem has a place in the text.
    pub fn column(&self) -> Option<usize> {
        self.location.as_ref().map(|l| l.column)
    }

    /// The rendered report with the source line, when there is one.
    pub fn snippet(&self) -> Option<&str> {
        self.location.as_ref()?.snippet.as_deref()
    }

    pub fn in_file(mut self, file: impl Into<PathBuf>) -> Self {
        self.file = Some(file.into());
        self
    }

    pub fn at_shape(mut self, shape: &ShapeId) -> Self {
        self.shape = Some(shape.clone());
        self
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The rendered snippet already says everything, source line included.
        if let Some(snippet) = self.snippet() {
            return f.write_str(snippet);
        }
        f.write_str("error")?;
        if let Some(file) = &self.file {
            write!(f, " in {}", file.display())?;
            if let (Some(line), Some(column)) = (self.line(), self.column()) {
                write!(f, ":{line}:{column}")?;
            }
        }
        if let Some(shape) = &self.shape {
            write!(f, " at {shape}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All problems found in one pass; a model with any of them produces no output.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// `Ok(value)` when nothing was reported, else the diagnostics.
    pub fn into_result<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(diagnostic: Diagnostic) -> Self {
        Diagnostics(vec![diagnostic])
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, diagnostic) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{diagnostic}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}
