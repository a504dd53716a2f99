//! The lexer: IDL text to tokens with byte spans.
//!
//! Whitespace, commas (whitespace in the IDL) and `//` comments are dropped; `///`
//! documentation comments are kept beside the token they precede, because only the parser
//! knows whether that token starts a shape (where they become `@documentation`) or not
//! (where they are ignored, like any comment).

use super::error::{ParseError, Span};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// An identifier, or a shape ID written without quotes (`a.b#C$d`): lexed as one word
    /// because no whitespace may appear inside a shape ID.
    Word,
    /// `$` followed by an identifier: a control statement key or an elided member.
    DollarWord,
    /// A `"quoted"` string, escapes not yet decoded.
    Quoted,
    /// A `"""` text block, escapes and indentation not yet processed.
    TextBlock,
    Number,
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Colon,
    /// `:=`, which introduces an inline operation input or output.
    Walrus,
    Equals,
    At,
    Eof,
}

impl TokenKind {
    /// How the token is named in "expected X, found Y".
    pub(crate) fn describe(self) -> &'static str {
        match self {
            TokenKind::Word => "an identifier",
            TokenKind::DollarWord => "a `$` name",
            TokenKind::Quoted => "a string",
            TokenKind::TextBlock => "a text block",
            TokenKind::Number => "a number",
            TokenKind::LBrace => "`{`",
            TokenKind::RBrace => "`}`",
            TokenKind::LBracket => "`[`",
            TokenKind::RBracket => "`]`",
            TokenKind::LParen => "`(`",
            TokenKind::RParen => "`)`",
            TokenKind::Colon => "`:`",
            TokenKind::Walrus => "`:=`",
            TokenKind::Equals => "`=`",
            TokenKind::At => "`@`",
            TokenKind::Eof => "the end of the file",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    pub kind: TokenKind,
    pub span: Span,
    /// The `///` lines right before this token: `docs[doc_start..doc_end]` of the lexer output.
    pub doc_start: u32,
    pub doc_end: u32,
}

/// Tokens and the spans of the documentation comment lines (text after `///`).
pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    pub docs: Vec<Span>,
}

pub(crate) fn lex(text: &str) -> Result<Lexed, ParseError> {
    let mut lexer = Lexer {
        bytes: text.as_bytes(),
        pos: 0,
        tokens: Vec::with_capacity(text.len() / 6),
        docs: Vec::new(),
    };
    lexer.run()?;
    Ok(Lexed {
        tokens: lexer.tokens,
        docs: lexer.docs,
    })
}

struct Lexer<'a> {
    bytes: &'a [u8],
    pos: usize,
    tokens: Vec<Token>,
    docs: Vec<Span>,
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_ident_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        self.bytes.get(self.pos + ahead).copied()
    }

    fn run(&mut self) -> Result<(), ParseError> {
        let mut line_start = true;
        let mut doc_start = 0u32;
        loop {
            // Skip whitespace, commas and comments, noting line breaks and doc comments.
            // A plain comment between doc lines leaves them together.
            loop {
                match self.peek(0) {
                    Some(b' ' | b'\t' | b',') => self.pos += 1,
                    Some(b'\n') => {
                        self.pos += 1;
                        line_start = true;
                    }
                    Some(b'\r') if self.peek(1) == Some(b'\n') => {
                        self.pos += 2;
                        line_start = true;
                    }
                    Some(b'/') if self.peek(1) == Some(b'/') => {
                        // `///` is documentation only as the first thing on its line.
                        let is_doc = self.peek(2) == Some(b'/') && line_start;
                        let text_start = self.pos + if is_doc { 3 } else { 2 };
                        let end = memchr_newline(self.bytes, self.pos);
                        if is_doc {
                            let mut text_end = end;
                            if text_end > text_start && self.bytes[text_end - 1] == b'\r' {
                                text_end -= 1;
                            }
                            self.docs.push(Span::new(text_start, text_end));
                        }
                        self.pos = end;
                    }
                    _ => break,
                }
            }
            let start = self.pos;
            let Some(b) = self.peek(0) else {
                self.push(TokenKind::Eof, start, start, doc_start);
                return Ok(());
            };
            let kind = match b {
                b'{' => self.single(TokenKind::LBrace),
                b'}' => self.single(TokenKind::RBrace),
                b'[' => self.single(TokenKind::LBracket),
                b']' => self.single(TokenKind::RBracket),
                b'(' => self.single(TokenKind::LParen),
                b')' => self.single(TokenKind::RParen),
                b'=' => self.single(TokenKind::Equals),
                b'@' => self.single(TokenKind::At),
                b':' if self.peek(1) == Some(b'=') => {
                    self.pos += 2;
                    TokenKind::Walrus
                }
                b':' => self.single(TokenKind::Colon),
                b'"' => self.string()?,
                b'$' => {
                    if !self.peek(1).is_some_and(is_ident_start) {
                        return Err(ParseError::new(
                            Span::new(start, start + 1),
                            "`$` must be followed by a name",
                            "expected a name right after `$`",
                        ));
                    }
                    self.pos += 1;
                    self.identifier();
                    TokenKind::DollarWord
                }
                b'-' | b'0'..=b'9' => self.number()?,
                b if is_ident_start(b) => self.word()?,
                _ => {
                    let ch = std::str::from_utf8(&self.bytes[start..])
                        .ok()
                        .and_then(|s| s.chars().next())
                        .unwrap_or('\u{fffd}');
                    let end = start + ch.len_utf8().max(1);
                    return Err(ParseError::new(
                        Span::new(start, end.min(self.bytes.len())),
                        format!("unexpected character `{}`", ch.escape_debug()),
                        "not valid here",
                    ));
                }
            };
            self.push(kind, start, self.pos, doc_start);
            doc_start = self.docs.len() as u32;
            line_start = false;
        }
    }

    fn push(&mut self, kind: TokenKind, start: usize, end: usize, doc: u32) {
        self.tokens.push(Token {
            kind,
            span: Span::new(start, end),
            doc_start: doc,
            doc_end: self.docs.len() as u32,
        });
    }

    fn single(&mut self, kind: TokenKind) -> TokenKind {
        self.pos += 1;
        kind
    }

    fn identifier(&mut self) {
        while self.peek(0).is_some_and(is_ident_char) {
            self.pos += 1;
        }
    }

    /// An identifier, or a whole shape ID: `ns.ns#Name$member`, no spaces inside.
    fn word(&mut self) -> Result<TokenKind, ParseError> {
        self.identifier();
        let mut seen_hash = false;
        loop {
            match self.peek(0) {
                Some(b'.') if !seen_hash => self.expect_ident_after("`.`")?,
                Some(b'#') if !seen_hash => {
                    seen_hash = true;
                    self.expect_ident_after("`#`")?;
                }
                Some(b'$') => {
                    self.expect_ident_after("`$`")?;
                    return Ok(TokenKind::Word);
                }
                _ => return Ok(TokenKind::Word),
            }
        }
    }

    fn expect_ident_after(&mut self, what: &str) -> Result<(), ParseError> {
        if self.peek(1).is_some_and(is_ident_start) {
            self.pos += 1;
            self.identifier();
            Ok(())
        } else {
            Err(ParseError::new(
                Span::new(self.pos, self.pos + 1),
                format!("incomplete shape ID: {what} must be followed by an identifier"),
                "expected an identifier after this",
            ))
        }
    }

    /// JSON number syntax: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<TokenKind, ParseError> {
        let start = self.pos;
        if self.peek(0) == Some(b'-') {
            self.pos += 1;
        }
        let digits = |this: &mut Self| {
            let from = this.pos;
            while this.peek(0).is_some_and(|b| b.is_ascii_digit()) {
                this.pos += 1;
            }
            this.pos - from
        };
        let bad = |this: &Self, what: &str| {
            ParseError::new(
                Span::new(start, (this.pos + 1).min(this.bytes.len())),
                format!("malformed number: {what}"),
                "expected a number like `12`, `-1.5` or `1e3`",
            )
        };
        if self.peek(0) == Some(b'0') {
            self.pos += 1;
        } else if digits(self) == 0 {
            return Err(bad(self, "expected a digit"));
        }
        if self.peek(0) == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(bad(self, "expected digits after `.`"));
            }
        }
        if matches!(self.peek(0), Some(b'e' | b'E')) {
            self.pos += 1;
            if matches!(self.peek(0), Some(b'+' | b'-')) {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(bad(self, "expected digits in the exponent"));
            }
        }
        if self.peek(0).is_some_and(is_ident_char) {
            return Err(bad(self, "a number cannot run into letters"));
        }
        Ok(TokenKind::Number)
    }

    /// A quoted string or a text block; only finds where it ends (escapes are checked when
    /// the parser decodes it).
    fn string(&mut self) -> Result<TokenKind, ParseError> {
        let start = self.pos;
        let block = self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"');
        if block {
            self.pos += 3;
            // Only spaces may follow the opening delimiter on its line.
            while matches!(self.peek(0), Some(b' ' | b'\t')) {
                self.pos += 1;
            }
            match self.peek(0) {
                Some(b'\n') => self.pos += 1,
                Some(b'\r') if self.peek(1) == Some(b'\n') => self.pos += 2,
                _ => {
                    return Err(ParseError::new(
                        Span::new(start, (self.pos + 1).min(self.bytes.len())),
                        "a text block must start a new line after its opening `\"\"\"`",
                        "expected a line break after `\"\"\"`",
                    ));
                }
            }
        } else {
            self.pos += 1;
        }
        loop {
            match self.peek(0) {
                None => {
                    let what = if block { "text block" } else { "string" };
                    return Err(ParseError::new(
                        Span::new(start, start + if block { 3 } else { 1 }),
                        format!("unterminated {what}"),
                        if block {
                            "expected a closing `\"\"\"` for this text block"
                        } else {
                            "expected a closing `\"` for this string"
                        },
                    ));
                }
                Some(b'\\') => self.pos += 2.min(self.bytes.len() - self.pos),
                Some(b'"') if !block => {
                    self.pos += 1;
                    return Ok(TokenKind::Quoted);
                }
                Some(b'"') if self.peek(1) == Some(b'"') && self.peek(2) == Some(b'"') => {
                    self.pos += 3;
                    return Ok(TokenKind::TextBlock);
                }
                Some(_) => self.pos += 1,
            }
        }
    }
}

/// The index of the next `\n` at or after `from`, or the end of the text.
fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |i| from + i)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind> {
        lex(text).unwrap().tokens.iter().map(|t| t.kind).collect()
    }

    #[test]
    fn commas_and_comments_are_whitespace() {
        use TokenKind::*;
        assert_eq!(
            kinds("a, b // c\n,, d"),
            vec![Word, Word, Word, Eof],
            "commas and comments vanish"
        );
    }

    #[test]
    fn shape_ids_are_one_token() {
        let lexed = lex("smithy.api#String$member x").unwrap();
        assert_eq!(lexed.tokens[0].kind, TokenKind::Word);
        assert_eq!(lexed.tokens[0].span, Span::new(0, 24));
    }

    #[test]
    fn doc_comments_attach_to_the_next_token() {
        let text = "/// one\n// plain\n///two\nstring A\nx /// not a doc\ny";
        let lexed = lex(text).unwrap();
        let first = lexed.tokens[0];
        let docs: Vec<&str> = lexed.docs[first.doc_start as usize..first.doc_end as usize]
            .iter()
            .map(|s| &text[s.range()])
            .collect();
        assert_eq!(docs, vec![" one", "two"]);
        assert!(lexed.tokens[2..].iter().all(|t| t.doc_start == t.doc_end));
    }

    #[test]
    fn walrus_and_numbers() {
        use TokenKind::*;
        assert_eq!(
            kinds("input := -1.5e+3 0"),
            vec![Word, Walrus, Number, Number, Eof]
        );
        assert!(lex("01x").is_err());
        assert!(lex("1.").is_err());
        assert!(lex("-").is_err());
    }

    #[test]
    fn unterminated_strings_are_errors() {
        assert!(lex("\"abc").is_err());
        assert!(lex("\"\"\"\nabc\"\"").is_err());
        assert!(lex("\"\"\"abc\"\"\"").is_err());
        assert!(lex("\"a\\").is_err());
    }
}
