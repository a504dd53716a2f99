//! String literals: escapes, newline normalisation, and text-block re-indentation.

use super::error::{ParseError, Span};

/// The value of a `"quoted"` token (quotes included in `raw`), which starts at `base`.
pub(crate) fn quoted(raw: &str, base: usize) -> Result<String, ParseError> {
    let content = &raw[1..raw.len() - 1];
    unescape(content).map_err(|(offset, message)| {
        let at = base + 1 + offset;
        ParseError::new(
            Span::new(at, (at + 2).min(base + raw.len() - 1)),
            message,
            ESCAPES_EXPECTED,
        )
    })
}

/// The value of a `"""` text block token which starts at `base`, after incidental
/// whitespace removal and then escapes, in that order, as the specification says.
pub(crate) fn text_block(raw: &str, base: usize) -> Result<String, ParseError> {
    // Skip `"""`, the spaces after it and its line break (the lexer checked they are there).
    let after_open = raw[3..].find('\n').map_or(raw.len(), |i| 3 + i + 1);
    let content = &raw[after_open.min(raw.len() - 3)..raw.len() - 3];
    let normalized;
    let content = if content.contains('\r') {
        normalized = content.replace("\r\n", "\n").replace('\r', "\n");
        normalized.as_str()
    } else {
        content
    };
    let stripped = strip_incidental_whitespace(content);
    unescape(&stripped).map_err(|(_, message)| {
        ParseError::new(
            Span::new(base, base + raw.len()),
            format!("{message} in this text block"),
            ESCAPES_EXPECTED,
        )
    })
}

const ESCAPES_EXPECTED: &str =
    "expected one of \\\" \\\\ \\/ \\' \\b \\f \\n \\r \\t \\uXXXX or an escaped line break";

fn leading_whitespace(line: &str) -> usize {
    line.bytes()
        .take_while(|&b| b == b' ' || b == b'\t')
        .count()
}

/// Removes the indentation common to every non-blank line, and to the last line (the one
/// holding the closing delimiter) even when it is blank, then trailing spaces of each line.
fn strip_incidental_whitespace(content: &str) -> String {
    let lines: Vec<&str> = content.split('\n').collect();
    let last = lines.len() - 1;
    let indent = lines
        .iter()
        .enumerate()
        .filter(|(i, line)| *i == last || leading_whitespace(line) < line.len())
        .map(|(_, line)| leading_whitespace(line))
        .min()
        .unwrap_or(0);
    let mut out = String::with_capacity(content.len());
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let line = line.get(indent..).unwrap_or("");
        out.push_str(line.trim_end_matches([' ', '\t']));
    }
    out
}

/// Expands escapes and normalises raw CR and CRLF to LF. The error carries the byte offset
/// of the offending backslash within `content`.
fn unescape(content: &str) -> Result<String, (usize, String)> {
    if !content.contains(['\\', '\r']) {
        return Ok(content.to_string());
    }
    let mut out = String::with_capacity(content.len());
    let mut chars = content.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        match c {
            '\r' => {
                if chars.peek().is_some_and(|&(_, next)| next == '\n') {
                    chars.next();
                }
                out.push('\n');
            }
            '\\' => {
                let Some((_, escaped)) = chars.next() else {
                    return Err((offset, "a string cannot end with a lone `\\`".into()));
                };
                match escaped {
                    '"' | '\\' | '/' | '\'' => out.push(escaped),
                    'b' => out.push('\u{8}'),
                    'f' => out.push('\u{c}'),
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    // An escaped line break continues the line: it expands to nothing.
                    '\n' => {}
                    '\r' => {
                        if chars.peek().is_some_and(|&(_, next)| next == '\n') {
                            chars.next();
                        }
                    }
                    'u' => out.push(unicode_escape(content, offset, &mut chars)?),
                    other => {
                        return Err((
                            offset,
                            format!("invalid escape `\\{}`", other.escape_debug()),
                        ));
                    }
                }
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

fn hex4(
    content: &str,
    at: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Result<u32, (usize, String)> {
    let mut value = 0;
    for _ in 0..4 {
        let digit = chars
            .next()
            .and_then(|(_, c)| c.to_digit(16))
            .ok_or_else(|| {
                let shown: String = content[at..].chars().take(6).collect();
                (
                    at,
                    format!("invalid unicode escape `{shown}`: expected 4 hex digits"),
                )
            })?;
        value = value * 16 + digit;
    }
    Ok(value)
}

/// `\uXXXX`, with a following `\uXXXX` low surrogate when the first is a high surrogate.
fn unicode_escape(
    content: &str,
    at: usize,
    chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>,
) -> Result<char, (usize, String)> {
    let high = hex4(content, at, chars)?;
    if (0xD800..0xDC00).contains(&high) {
        let low_at = chars.peek().map_or(content.len(), |&(i, _)| i);
        let pair = content[low_at..].starts_with("\\u");
        if pair {
            chars.next();
            chars.next();
            let low = hex4(content, low_at, chars)?;
            if (0xDC00..0xE000).contains(&low) {
                let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                return char::from_u32(code).ok_or((at, "invalid surrogate pair".into()));
            }
        }
        return Err((
            at,
            "a high surrogate `\\u` escape needs a low surrogate after it".into(),
        ));
    }
    char::from_u32(high).ok_or((at, "a lone low surrogate is not a character".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(body: &str) -> String {
        let raw = format!("\"\"\"\n{body}\"\"\"");
        text_block(&raw, 0).unwrap()
    }

    #[test]
    fn spec_example_closing_delimiter_on_its_own_line() {
        assert_eq!(
            block("    <div>\n        <p>Hello!</p>\n    </div>\n    "),
            "<div>\n    <p>Hello!</p>\n</div>\n"
        );
    }

    #[test]
    fn spec_example_closing_delimiter_after_content() {
        assert_eq!(
            block("    <div>\n        <p>Hello!</p>\n    </div>"),
            "<div>\n    <p>Hello!</p>\n</div>"
        );
    }

    #[test]
    fn spec_example_blank_lines_are_not_counted() {
        assert_eq!(
            block("    Foo\n        Baz\n\n  \n    Bar\n    "),
            "Foo\n    Baz\n\n\nBar\n"
        );
    }

    #[test]
    fn spec_example_significant_trailing_line() {
        assert_eq!(
            block("    Foo\n        Baz\n    Bar\n"),
            "    Foo\n        Baz\n    Bar\n"
        );
        assert_eq!(
            block("    Foo\n        Baz\n    Bar\n            "),
            "Foo\n    Baz\nBar\n"
        );
    }

    #[test]
    fn spec_example_quotes_and_escaped_triple_quotes() {
        assert_eq!(block("\"hello!\"\n"), "\"hello!\"\n");
        assert_eq!(block("foo \\\"\"\"\nbaz"), "foo \"\"\"\nbaz");
    }

    #[test]
    fn spec_example_escapes_after_whitespace_removal() {
        assert_eq!(
            block("  <div>\n    <p>Hi\\n    bar</p>\n  </div>\n  "),
            "<div>\n  <p>Hi\n    bar</p>\n</div>\n"
        );
    }

    #[test]
    fn spec_example_line_continuations() {
        assert_eq!(block("Foo \\\nBaz \\\nBam"), "Foo Baz Bam");
        assert_eq!(block("Foo\nBaz \\\nBam"), "Foo\nBaz Bam");
    }

    #[test]
    fn crlf_text_blocks_match_lf_ones() {
        let raw = "\"\"\"\r\n    a\r\n      b\r\n    \"\"\"";
        assert_eq!(text_block(raw, 0).unwrap(), "a\n  b\n");
    }

    #[test]
    fn quoted_escapes() {
        let q = |s: &str| quoted(s, 0);
        assert_eq!(q(r#""a\"b\\c\/d\'e""#).unwrap(), "a\"b\\c/d'e");
        assert_eq!(q(r#""\b\f\n\r\t""#).unwrap(), "\u{8}\u{c}\n\r\t");
        assert_eq!(q(r#""\u00e9\uD83D\uDE00""#).unwrap(), "é😀");
        assert_eq!(q("\"line\\\nnext\"").unwrap(), "linenext");
        assert_eq!(q("\"a\r\nb\rc\"").unwrap(), "a\nb\nc");
        assert!(q(r#""\x""#).is_err());
        assert!(q(r#""\u12""#).is_err());
        assert!(q(r#""\uD800""#).is_err());
        assert!(q(r#""\uDC00""#).is_err());
    }

    #[test]
    fn bad_escape_points_at_the_backslash() {
        let error = quoted(r#""ab\q""#, 10).unwrap_err();
        assert_eq!(error.span.start, 13);
        assert!(error.message.contains("\\q"));
    }
}
