//! Positions in IDL text and errors that point at them.

use std::ops::Range;
use std::path::Path;

use annotate_snippets::{Level, Renderer, Snippet};

use crate::Diagnostic;

/// A byte range of one file's text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        // Files over 4 GiB are refused before lexing, so offsets fit.
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    pub(crate) fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// From the start of `self` to the end of `other`.
    pub(crate) fn to(self, other: Span) -> Span {
        Span {
            start: self.start,
            end: other.end.max(self.start),
        }
    }
}

/// A syntax or semantic error in one file: where, what is wrong, and (the label under the
/// caret) what was expected there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ParseError {
    pub span: Span,
    pub message: String,
    pub label: String,
}

impl ParseError {
    pub(crate) fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        ParseError {
            span,
            message: message.into(),
            label: label.into(),
        }
    }
}

/// 1-based line and column (in characters) of byte `offset`, and the byte range of its line.
pub(crate) fn position(source: &str, offset: usize) -> (usize, usize, Range<usize>) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = source[line_start..offset].chars().count() + 1;
    let mut line_end = source[offset..]
        .find('\n')
        .map_or(source.len(), |i| offset + i);
    if line_end > line_start && source.as_bytes()[line_end - 1] == b'\r' {
        line_end -= 1;
    }
    (line, column, line_start..line_end.max(offset))
}

fn ceil_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index += 1;
    }
    index
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// What the snippet shows of a source line: at most [`SNIPPET_WIDTH`] bytes around the
/// span, each tab a space and each other control character `?`s (as many as its bytes),
/// with the span's new offsets. The snippet renderer measures columns by display width and
/// trims long lines itself; control characters (no width) and its own trimming broke its
/// arithmetic (fuzzing finds, `fuzz/regressions/idl/`), so it gets short, printable lines.
fn snippet_line(line: &str, start: usize, end: usize) -> (String, usize, usize) {
    let from = if line.len() > SNIPPET_WIDTH {
        floor_char_boundary(line, start.saturating_sub(SNIPPET_WIDTH / 3))
    } else {
        0
    };
    let to = ceil_char_boundary(line, (from + SNIPPET_WIDTH).min(line.len()));
    let end = end.min(to).max(start.min(to));
    let mut out = String::with_capacity(to - from);
    for c in line[from..to].chars() {
        match c {
            '\t' => out.push(' '),
            c if c.is_control() => out.extend(std::iter::repeat_n('?', c.len_utf8())),
            c => out.push(c),
        }
    }
    (out, start.min(to) - from, end - from)
}

/// The most of a line a snippet shows, in bytes.
const SNIPPET_WIDTH: usize = 100;

/// The error as a [`Diagnostic`]: file, line, column, message, and the source line rendered
/// with the span underlined and labelled with what was expected.
pub(crate) fn to_diagnostic(path: &Path, source: &str, error: &ParseError) -> Diagnostic {
    let (line, column, line_range) = position(source, error.span.start as usize);
    let line_text = &source[line_range.clone()];
    let start = floor_char_boundary(source, (error.span.start as usize).min(line_range.end))
        - line_range.start;
    // Spans are byte offsets; the end may fall inside a character (a lexer error one byte
    // past a multi-byte one), so round it up to the next character boundary.
    let mut end = ceil_char_boundary(
        source,
        (error.span.end as usize).clamp(start + line_range.start, line_range.end),
    ) - line_range.start;
    if end == start {
        // Underline at least one character when there is one.
        end = line_text[start..]
            .chars()
            .next()
            .map_or(start, |c| start + c.len_utf8());
    }
    let origin = path.display().to_string();
    let (line_text, start, end) = snippet_line(line_text, start, end);
    let message = Level::Error.title(&error.message).snippet(
        Snippet::source(&line_text)
            .line_start(line)
            .origin(&origin)
            .annotation(Level::Error.span(start..end).label(&error.label)),
    );
    let rendered = Renderer::plain().render(message).to_string();
    Diagnostic::new(error.message.clone())
        .in_file(path)
        .at_position(line, column)
        .with_snippet(rendered)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_lines_and_characters() {
        let text = "ab\nçd\r\nef";
        assert_eq!(position(text, 0), (1, 1, 0..2));
        assert_eq!(position(text, 5), (2, 2, 3..6));
        assert_eq!(position(text, 8), (3, 1, 8..10));
        assert_eq!(position(text, 10), (3, 3, 8..10));
    }

    #[test]
    fn long_lines_show_the_part_around_the_span() {
        let line = format!("{}\tX{}", "a".repeat(300), "b".repeat(300));
        let (shown, start, end) = snippet_line(&line, 301, 302);
        assert_eq!(shown.len(), SNIPPET_WIDTH);
        assert_eq!(&shown[start..end], "X");
        assert_eq!(&shown[start - 1..start], " ");
    }

    #[test]
    fn control_characters_render_as_question_marks() {
        let source = "namespace a\n    \u{c}\u{c}\0\0 x\n";
        let error = ParseError::new(Span::new(16, 17), "bad", "a form feed");
        let rendered = to_diagnostic(Path::new("m.smithy"), source, &error).to_string();
        assert!(rendered.contains("????"), "{rendered}");
    }

    #[test]
    fn renders_the_source_line_with_a_caret() {
        let source = "namespace a\nstring 1x\n";
        let error = ParseError::new(Span::new(19, 21), "bad name", "expected an identifier");
        let diagnostic = to_diagnostic(Path::new("m.smithy"), source, &error);
        assert_eq!((diagnostic.line(), diagnostic.column()), (Some(2), Some(8)));
        let shown = diagnostic.to_string();
        assert!(shown.contains("error: bad name"), "{shown}");
        assert!(shown.contains("--> m.smithy:2:8"), "{shown}");
        assert!(shown.contains("string 1x"), "{shown}");
        assert!(shown.contains("^^ expected an identifier"), "{shown}");
    }

    #[test]
    fn errors_at_the_end_of_the_file_render() {
        let source = "namespace a\nstructure A {";
        let error = ParseError::new(Span::new(25, 25), "unclosed", "expected `}`");
        let shown = to_diagnostic(Path::new("m.smithy"), source, &error).to_string();
        assert!(shown.contains("structure A {"), "{shown}");
    }
}
