//! The recursive-descent parser: tokens of one file to a [`FileAst`].
//!
//! It stops at the first error (every loop consumes a token or fails, so no input makes it
//! hang), and bounds node-value nesting so deep input is an error, not a stack overflow.

use serde_json::Number;

use super::ast::{ApplyDef, Body, FileAst, MemberDef, Node, Ref, ShapeDef, TraitApp};
use super::error::{ParseError, Span};
use super::lexer::{Lexed, Token, TokenKind, lex};
use super::text;

/// Deepest nesting of arrays and objects in a node value.
pub const MAX_NODE_DEPTH: usize = 64;

/// Shape types of the simple-shape statement.
const SIMPLE_TYPES: [&str; 13] = [
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
];

const SHAPE_KEYWORDS: &str = "a shape (`structure`, `string`, `list`, `operation`, ...) or `apply`";

pub(crate) fn parse(text: &str) -> Result<FileAst, ParseError> {
    if text.len() > u32::MAX as usize / 2 {
        return Err(ParseError::new(
            Span::default(),
            "file too large",
            "expected a file under 2 GiB",
        ));
    }
    let Lexed { tokens, docs } = lex(text)?;
    let mut parser = Parser {
        text,
        tokens,
        docs,
        pos: 0,
        depth: 0,
        input_suffix: "Input".to_string(),
        output_suffix: "Output".to_string(),
        file: FileAst {
            version: "2.0".to_string(),
            metadata: Vec::new(),
            namespace: None,
            uses: Vec::new(),
            shapes: Vec::new(),
            applies: Vec::new(),
        },
    };
    parser.file_body()?;
    Ok(parser.file)
}

struct Parser<'a> {
    text: &'a str,
    tokens: Vec<Token>,
    docs: Vec<Span>,
    pos: usize,
    depth: usize,
    input_suffix: String,
    output_suffix: String,
    file: FileAst,
}

/// Where the file is, for statements that must come in order.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Section {
    Control,
    Metadata,
    Namespace,
    Use,
    Shapes,
}

/// Names seen so far in one object or shape, to report duplicates: a scan while few (the
/// common case, no hashing), a set once many, so huge inputs stay linear.
#[derive(Default)]
struct Names {
    few: Vec<String>,
    many: std::collections::HashSet<String>,
}

impl Names {
    /// False when `name` was already there.
    fn insert(&mut self, name: &str) -> bool {
        if self.many.is_empty() {
            if self.few.iter().any(|n| n == name) {
                return false;
            }
            self.few.push(name.to_string());
            if self.few.len() > 16 {
                self.many.extend(self.few.drain(..));
            }
            true
        } else {
            self.many.insert(name.to_string())
        }
    }
}

fn is_identifier(text: &str) -> bool {
    !text.contains(['.', '#', '$'])
}

impl<'a> Parser<'a> {
    // --- Token access -------------------------------------------------------------------

    fn peek(&self) -> Token {
        self.tokens[self.pos]
    }

    fn peek_at(&self, ahead: usize) -> Token {
        self.tokens[(self.pos + ahead).min(self.tokens.len() - 1)]
    }

    fn advance(&mut self) -> Token {
        let token = self.tokens[self.pos];
        if token.kind != TokenKind::Eof {
            self.pos += 1;
        }
        token
    }

    fn text_of(&self, token: Token) -> &'a str {
        &self.text[token.span.range()]
    }

    fn at_word(&self, word: &str) -> bool {
        let token = self.peek();
        token.kind == TokenKind::Word && self.text_of(token) == word
    }

    fn at(&self, kind: TokenKind) -> bool {
        self.peek().kind == kind
    }

    /// How a token reads in "found ...".
    fn found(&self, token: Token) -> String {
        match token.kind {
            TokenKind::Word | TokenKind::DollarWord | TokenKind::Number => {
                format!("`{}`", self.text_of(token))
            }
            other => other.describe().to_string(),
        }
    }

    fn unexpected(&self, token: Token, expected: &str) -> ParseError {
        ParseError::new(
            token.span,
            format!("expected {expected}, found {}", self.found(token)),
            format!("expected {expected}"),
        )
    }

    fn expect(&mut self, kind: TokenKind, expected: &str) -> Result<Token, ParseError> {
        let token = self.peek();
        if token.kind == kind {
            Ok(self.advance())
        } else {
            Err(self.unexpected(token, expected))
        }
    }

    /// A plain identifier (no namespace, no member).
    fn identifier(&mut self, expected: &str) -> Result<(String, Span), ParseError> {
        let token = self.peek();
        if token.kind == TokenKind::Word && is_identifier(self.text_of(token)) {
            self.advance();
            Ok((self.text_of(token).to_string(), token.span))
        } else {
            Err(self.unexpected(token, expected))
        }
    }

    /// A shape ID as written: relative or absolute, with a member only if `member_ok`.
    fn shape_id(&mut self, expected: &str, member_ok: bool) -> Result<Ref, ParseError> {
        let token = self.peek();
        let text = self.text_of(token);
        if token.kind != TokenKind::Word || (!member_ok && text.contains('$')) {
            return Err(self.unexpected(token, expected));
        }
        self.advance();
        Ok(Ref {
            text: text.to_string(),
            span: token.span,
        })
    }

    /// The documentation comment lines right before `token`, joined, one leading space of
    /// each line dropped.
    fn doc_comment(&self, token: Token) -> Option<(String, Span)> {
        let lines = &self.docs[token.doc_start as usize..token.doc_end as usize];
        let first = lines.first()?;
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            if i > 0 {
                text.push('\n');
            }
            let line = &self.text[line.range()];
            text.push_str(line.strip_prefix(' ').unwrap_or(line));
        }
        // Point at the `///` itself.
        let start = first.start.saturating_sub(3) as usize;
        Some((text, Span::new(start, first.end as usize)))
    }

    fn v2_only(&self, span: Span, what: &str) -> Result<(), ParseError> {
        if self.file.is_v1() {
            return Err(ParseError::new(
                span,
                format!(
                    "{what} needs Smithy IDL 2.0, but this file is `$version: \"{}\"`",
                    self.file.version
                ),
                "only valid in IDL 2.0 files",
            ));
        }
        Ok(())
    }

    // --- Sections -----------------------------------------------------------------------

    fn file_body(&mut self) -> Result<(), ParseError> {
        let mut section = Section::Control;
        let mut seen_version = false;
        loop {
            let token = self.peek();
            let word = if token.kind == TokenKind::Word {
                self.text_of(token)
            } else {
                ""
            };
            match (token.kind, word) {
                (TokenKind::Eof, _) => return Ok(()),
                (TokenKind::DollarWord, _) if section == Section::Control => {
                    self.control_statement(&mut seen_version)?;
                }
                (TokenKind::DollarWord, _) => {
                    return Err(ParseError::new(
                        token.span,
                        "control statements (`$name: value`) must come first in a file",
                        "expected this before metadata, namespace and shapes",
                    ));
                }
                (TokenKind::Word, "metadata") if section <= Section::Metadata => {
                    section = Section::Metadata;
                    self.metadata_statement()?;
                }
                (TokenKind::Word, "namespace") if section < Section::Namespace => {
                    section = Section::Namespace;
                    self.namespace_statement()?;
                }
                (TokenKind::Word, "namespace") => {
                    return Err(ParseError::new(
                        token.span,
                        "a file can have only one `namespace` statement",
                        "expected shapes, not a second namespace",
                    ));
                }
                (TokenKind::Word, "metadata") => {
                    return Err(ParseError::new(
                        token.span,
                        "`metadata` statements must come before the `namespace` statement",
                        "expected shapes here",
                    ));
                }
                (TokenKind::Word, "use")
                    if matches!(section, Section::Namespace | Section::Use) =>
                {
                    section = Section::Use;
                    self.use_statement()?;
                }
                (TokenKind::Word, "use") if section == Section::Shapes => {
                    return Err(ParseError::new(
                        token.span,
                        "`use` statements must come before any shape",
                        "expected shapes here",
                    ));
                }
                _ if section < Section::Namespace => {
                    return Err(self.unexpected(
                        token,
                        "a `namespace` statement before any shape (or `$version`, `metadata`)",
                    ));
                }
                _ => {
                    section = Section::Shapes;
                    self.shape_or_apply_statement()?;
                }
            }
        }
    }

    fn control_statement(&mut self, seen_version: &mut bool) -> Result<(), ParseError> {
        let key_token = self.advance();
        let key = &self.text_of(key_token)[1..];
        self.expect(TokenKind::Colon, "`:` after the control statement name")?;
        let value_token = self.peek();
        let value = self.node_value()?;
        let string = |this: &Self| match &value {
            Node::String(s) => Ok(s.clone()),
            _ => Err(ParseError::new(
                value_token
                    .span
                    .to(this.tokens[this.pos.saturating_sub(1)].span),
                format!("`${key}` takes a string"),
                "expected a quoted string",
            )),
        };
        match key {
            "version" => {
                if *seen_version {
                    return Err(ParseError::new(
                        key_token.span,
                        "`$version` is given twice",
                        "expected one `$version` per file",
                    ));
                }
                *seen_version = true;
                let version = string(self)?;
                let well_formed = version.split_once('.').map_or(
                    !version.is_empty() && version.bytes().all(|b| b.is_ascii_digit()),
                    |(major, minor)| {
                        !major.is_empty()
                            && !minor.is_empty()
                            && major.bytes().all(|b| b.is_ascii_digit())
                            && minor.bytes().all(|b| b.is_ascii_digit())
                    },
                );
                let major = version.split('.').next().unwrap_or("");
                if !well_formed || !matches!(major, "1" | "2") {
                    return Err(ParseError::new(
                        value_token.span,
                        format!("unsupported Smithy IDL version `{version}`"),
                        "expected \"1.0\" or \"2.0\"",
                    ));
                }
                self.file.version = version;
            }
            "operationInputSuffix" => {
                self.input_suffix = self.suffix(string(self)?, value_token)?
            }
            "operationOutputSuffix" => {
                self.output_suffix = self.suffix(string(self)?, value_token)?
            }
            // The specification says unknown control statements are ignored.
            _ => {}
        }
        Ok(())
    }

    fn suffix(&self, suffix: String, token: Token) -> Result<String, ParseError> {
        if suffix
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_')
        {
            Ok(suffix)
        } else {
            Err(ParseError::new(
                token.span,
                format!("`{suffix}` cannot end a shape name"),
                "expected letters, digits or `_`",
            ))
        }
    }

    fn metadata_statement(&mut self) -> Result<(), ParseError> {
        self.advance();
        let (key, span) = self.object_key("a metadata key")?;
        self.expect(TokenKind::Equals, "`=` after the metadata key")?;
        let value = self.node_value()?;
        self.file.metadata.push((key, span, value));
        Ok(())
    }

    fn namespace_statement(&mut self) -> Result<(), ParseError> {
        self.advance();
        let token = self.peek();
        let text = self.text_of(token);
        if token.kind != TokenKind::Word || text.contains(['#', '$']) {
            return Err(self.unexpected(token, "a namespace like `com.example`"));
        }
        self.advance();
        self.file.namespace = Some(text.to_string());
        Ok(())
    }

    fn use_statement(&mut self) -> Result<(), ParseError> {
        self.advance();
        let token = self.peek();
        let text = self.text_of(token);
        if token.kind != TokenKind::Word || !text.contains('#') || text.contains('$') {
            return Err(self.unexpected(
                token,
                "an absolute shape ID without a member, like `com.example#Shape`",
            ));
        }
        self.advance();
        self.file.uses.push(Ref {
            text: text.to_string(),
            span: token.span,
        });
        Ok(())
    }

    // --- Traits -------------------------------------------------------------------------

    /// Documentation comment and traits before a shape or member.
    fn docs_and_traits(&mut self) -> Result<Vec<TraitApp>, ParseError> {
        let doc = self.doc_comment(self.peek());
        let mut traits = Vec::new();
        if let Some((text, span)) = doc {
            traits.push(TraitApp {
                id: Ref {
                    text: "smithy.api#documentation".to_string(),
                    span,
                },
                value: Node::String(text),
                span,
                doc_comment: true,
            });
        }
        self.traits(&mut traits)?;
        Ok(traits)
    }

    fn traits(&mut self, traits: &mut Vec<TraitApp>) -> Result<(), ParseError> {
        while self.at(TokenKind::At) {
            traits.push(self.trait_application()?);
        }
        Ok(())
    }

    fn trait_application(&mut self) -> Result<TraitApp, ParseError> {
        let at = self.advance();
        let id_token = self.peek();
        if id_token.span.start != at.span.end {
            return Err(self.unexpected(id_token, "a trait name right after `@`"));
        }
        let id = self.shape_id("a trait name (a shape ID) after `@`", false)?;
        let value = if self.at(TokenKind::LParen) {
            self.trait_body()?
        } else {
            Node::Object(Vec::new())
        };
        let end = self.tokens[self.pos - 1].span;
        Ok(TraitApp {
            id,
            value,
            span: at.span.to(end),
            doc_comment: false,
        })
    }

    /// `( )`, `(key: value, ...)` or `(value)`.
    fn trait_body(&mut self) -> Result<Node, ParseError> {
        self.advance();
        if self.at(TokenKind::RParen) {
            self.advance();
            return Ok(Node::Object(Vec::new()));
        }
        let first = self.peek();
        let is_key = match first.kind {
            TokenKind::Quoted => true,
            TokenKind::Word => is_identifier(self.text_of(first)),
            _ => false,
        };
        let value = if is_key && self.peek_at(1).kind == TokenKind::Colon {
            let mut entries = Vec::new();
            let mut names = Names::default();
            while !self.at(TokenKind::RParen) {
                if self.at(TokenKind::Eof) {
                    return Err(self.unexpected(self.peek(), "`)` to close the trait value"));
                }
                self.object_entry(&mut entries, &mut names)?;
            }
            Node::Object(entries)
        } else {
            self.node_value()?
        };
        self.expect(TokenKind::RParen, "`)` to close the trait value")?;
        Ok(value)
    }

    // --- Node values --------------------------------------------------------------------

    fn object_key(&mut self, expected: &str) -> Result<(String, Span), ParseError> {
        let token = self.peek();
        match token.kind {
            TokenKind::Quoted => {
                self.advance();
                let key = text::quoted(self.text_of(token), token.span.start as usize)?;
                Ok((key, token.span))
            }
            TokenKind::Word if is_identifier(self.text_of(token)) => {
                self.advance();
                Ok((self.text_of(token).to_string(), token.span))
            }
            _ => Err(self.unexpected(token, expected)),
        }
    }

    fn object_entry(
        &mut self,
        entries: &mut Vec<(String, Span, Node)>,
        names: &mut Names,
    ) -> Result<(), ParseError> {
        let (key, span) = self.object_key("an object key (an identifier or a quoted string)")?;
        self.expect(TokenKind::Colon, "`:` after the object key")?;
        let value = self.node_value()?;
        if !names.insert(&key) {
            return Err(ParseError::new(
                span,
                format!("duplicate object key `{key}`"),
                "expected each key once",
            ));
        }
        entries.push((key, span, value));
        Ok(())
    }

    fn node_value(&mut self) -> Result<Node, ParseError> {
        let token = self.peek();
        match token.kind {
            TokenKind::LBracket | TokenKind::LBrace => {
                if self.depth >= MAX_NODE_DEPTH {
                    return Err(ParseError::new(
                        token.span,
                        format!("node values nest deeper than {MAX_NODE_DEPTH} levels"),
                        "expected shallower nesting",
                    ));
                }
                self.depth += 1;
                let node = if token.kind == TokenKind::LBracket {
                    self.array()
                } else {
                    self.object()
                };
                self.depth -= 1;
                node
            }
            TokenKind::Number => {
                self.advance();
                self.number(token).map(Node::Number)
            }
            TokenKind::Quoted => {
                self.advance();
                text::quoted(self.text_of(token), token.span.start as usize).map(Node::String)
            }
            TokenKind::TextBlock => {
                self.advance();
                text::text_block(self.text_of(token), token.span.start as usize).map(Node::String)
            }
            TokenKind::Word => {
                self.advance();
                Ok(match self.text_of(token) {
                    "true" => Node::Bool(true),
                    "false" => Node::Bool(false),
                    "null" => Node::Null,
                    id => Node::Id(Ref {
                        text: id.to_string(),
                        span: token.span,
                    }),
                })
            }
            _ => Err(self.unexpected(
                token,
                "a value (a string, text block, number, `true`, `false`, `null`, `[...]`, `{...}` or a shape ID)",
            )),
        }
    }

    fn array(&mut self) -> Result<Node, ParseError> {
        let open = self.advance();
        let mut items = Vec::new();
        loop {
            match self.peek().kind {
                TokenKind::RBracket => {
                    self.advance();
                    return Ok(Node::Array(items));
                }
                TokenKind::Eof => {
                    return Err(ParseError::new(
                        open.span,
                        "unclosed `[`",
                        "expected a matching `]`",
                    ));
                }
                _ => items.push(self.node_value()?),
            }
        }
    }

    fn object(&mut self) -> Result<Node, ParseError> {
        let open = self.advance();
        let mut entries = Vec::new();
        let mut names = Names::default();
        loop {
            match self.peek().kind {
                TokenKind::RBrace => {
                    self.advance();
                    return Ok(Node::Object(entries));
                }
                TokenKind::Eof => {
                    return Err(ParseError::new(
                        open.span,
                        "unclosed `{`",
                        "expected a matching `}`",
                    ));
                }
                _ => self.object_entry(&mut entries, &mut names)?,
            }
        }
    }

    /// Integers stay integers (as in JSON); anything with a fraction or exponent, or too big
    /// for 64 bits, is a double, as serde_json reads the same text.
    fn number(&self, token: Token) -> Result<Number, ParseError> {
        let text = self.text_of(token);
        if !text.contains(['.', 'e', 'E']) {
            if let Ok(n) = text.parse::<i64>() {
                return Ok(n.into());
            }
            if let Ok(n) = text.parse::<u64>() {
                return Ok(n.into());
            }
        }
        text.parse::<f64>()
            .ok()
            .and_then(Number::from_f64)
            .ok_or_else(|| {
                ParseError::new(
                    token.span,
                    format!("number `{text}` is out of range"),
                    "expected a finite number",
                )
            })
    }

    // --- Shapes -------------------------------------------------------------------------

    fn shape_or_apply_statement(&mut self) -> Result<(), ParseError> {
        let first = self.peek();
        // Inline input and output structures are pushed while the operation body is parsed;
        // the operation itself goes before them.
        let shapes_before = self.file.shapes.len();
        if self.at_word("apply") {
            return self.apply_statement();
        }
        let traits = self.docs_and_traits()?;
        let keyword = self.peek();
        if keyword.kind != TokenKind::Word {
            return Err(self.unexpected(keyword, SHAPE_KEYWORDS));
        }
        let type_name = self.text_of(keyword);
        if type_name == "apply" && !traits.is_empty() {
            return Err(ParseError::new(
                first.span,
                "traits cannot come before an `apply` statement",
                "expected a shape after these traits",
            ));
        }
        self.advance();
        let mut shape = match type_name {
            t if SIMPLE_TYPES.contains(&t) => {
                let mut shape =
                    self.shape_header(SIMPLE_TYPES.iter().find(|s| **s == t).unwrap())?;
                shape.body = Body::Simple;
                shape
            }
            "enum" | "intEnum" => {
                self.v2_only(keyword.span, "an `enum` or `intEnum` shape")?;
                let mut shape = self.shape_header(if type_name == "enum" {
                    "enum"
                } else {
                    "intEnum"
                })?;
                shape.body = Body::Enum(self.enum_members()?);
                shape
            }
            "list" | "set" => {
                let mut shape =
                    self.shape_header(if type_name == "list" { "list" } else { "set" })?;
                shape.body = Body::Members(self.members(&["member"], false)?);
                shape
            }
            "map" => {
                let mut shape = self.shape_header("map")?;
                shape.body = Body::Members(self.members(&["key", "value"], false)?);
                shape
            }
            "structure" => {
                let (name, span) = self.identifier("a shape name after `structure`")?;
                let for_resource = if self.at_word("for") {
                    let for_token = self.advance();
                    self.v2_only(for_token.span, "`for` (binding a structure to a resource)")?;
                    Some(self.shape_id("a resource shape ID after `for`", false)?)
                } else {
                    None
                };
                let mixins = self.maybe_mixins()?;
                ShapeDef {
                    type_name: "structure",
                    name,
                    span,
                    traits: Vec::new(),
                    mixins,
                    for_resource,
                    body: Body::Members(self.members(&[], true)?),
                }
            }
            "union" => {
                let mut shape = self.shape_header("union")?;
                shape.body = Body::Members(self.members(&[], false)?);
                shape
            }
            "service" | "resource" => {
                let mut shape = self.shape_header(if type_name == "service" {
                    "service"
                } else {
                    "resource"
                })?;
                shape.body = Body::Properties(self.properties()?);
                shape
            }
            "operation" => {
                let mut shape = self.shape_header("operation")?;
                shape.body = Body::Properties(self.operation_body(&shape.name)?);
                shape
            }
            _ => return Err(self.unexpected(keyword, SHAPE_KEYWORDS)),
        };
        shape.traits = traits;
        self.file.shapes.insert(shapes_before, shape);
        Ok(())
    }

    /// Name and mixins of a shape other than a structure.
    fn shape_header(&mut self, type_name: &'static str) -> Result<ShapeDef, ParseError> {
        let (name, span) = self.identifier("a shape name")?;
        let mixins = self.maybe_mixins()?;
        Ok(ShapeDef {
            type_name,
            name,
            span,
            traits: Vec::new(),
            mixins,
            for_resource: None,
            body: Body::Simple,
        })
    }

    fn maybe_mixins(&mut self) -> Result<Vec<Ref>, ParseError> {
        if !self.at_word("with") {
            return Ok(Vec::new());
        }
        let with = self.advance();
        self.v2_only(with.span, "`with` (mixins)")?;
        self.expect(TokenKind::LBracket, "`[` and a list of mixins after `with`")?;
        let mut mixins = Vec::new();
        while !self.at(TokenKind::RBracket) {
            mixins.push(self.shape_id("a mixin shape ID or `]`", false)?);
        }
        let close = self.advance();
        if mixins.is_empty() {
            return Err(ParseError::new(
                with.span.to(close.span),
                "`with []` names no mixins",
                "expected at least one mixin",
            ));
        }
        Ok(mixins)
    }

    /// `{ name: Target [= default] ... }`, with `$name` for an elided target. `fixed` lists
    /// the only member names allowed (list and map); defaults only where `defaults`.
    fn members(&mut self, fixed: &[&str], defaults: bool) -> Result<Vec<MemberDef>, ParseError> {
        self.expect(TokenKind::LBrace, "`{` to open the members")?;
        let mut members: Vec<MemberDef> = Vec::new();
        let mut names = Names::default();
        loop {
            if self.at(TokenKind::RBrace) {
                self.advance();
                return Ok(members);
            }
            let traits = self.docs_and_traits()?;
            let token = self.peek();
            let text = self.text_of(token);
            let (name, target) = match token.kind {
                TokenKind::Word if is_identifier(text) => {
                    self.advance();
                    self.expect(
                        TokenKind::Colon,
                        &format!("`:` and a target shape after member `{text}` (or `${text}` to elide it)"),
                    )?;
                    let target = self.shape_id("a target shape ID", false)?;
                    (text.to_string(), Some(target))
                }
                TokenKind::DollarWord => {
                    self.advance();
                    self.v2_only(token.span, "an elided member target (`$name`)")?;
                    (text[1..].to_string(), None)
                }
                _ if fixed.is_empty() => {
                    return Err(self.unexpected(token, "a member name or `}`"));
                }
                _ => {
                    let names = fixed.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
                    return Err(self.unexpected(token, &format!("{} or `}}`", names.join(", "))));
                }
            };
            if !fixed.is_empty() && !fixed.contains(&name.as_str()) {
                let names = fixed.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>();
                return Err(ParseError::new(
                    token.span,
                    format!("unexpected member `{name}`"),
                    format!("expected {}", names.join(" or ")),
                ));
            }
            let value = if self.at(TokenKind::Equals) {
                let equals = self.advance();
                if !defaults {
                    return Err(ParseError::new(
                        equals.span,
                        "only structure and enum members take `= value`",
                        "expected no default value here",
                    ));
                }
                self.v2_only(equals.span, "a default value (`= value`)")?;
                Some(self.node_value()?)
            } else {
                None
            };
            if !names.insert(&name) {
                return Err(ParseError::new(
                    token.span,
                    format!("member `{name}` is defined twice"),
                    "expected each member once",
                ));
            }
            members.push(MemberDef {
                name,
                span: token.span,
                target,
                traits,
                value,
            });
        }
    }

    fn enum_members(&mut self) -> Result<Vec<MemberDef>, ParseError> {
        self.expect(TokenKind::LBrace, "`{` to open the enum members")?;
        let mut members: Vec<MemberDef> = Vec::new();
        let mut names = Names::default();
        loop {
            if self.at(TokenKind::RBrace) {
                self.advance();
                return Ok(members);
            }
            let traits = self.docs_and_traits()?;
            let (name, span) = self.identifier("an enum member name or `}`")?;
            let value = if self.at(TokenKind::Equals) {
                self.advance();
                Some(self.node_value()?)
            } else {
                None
            };
            if !names.insert(&name) {
                return Err(ParseError::new(
                    span,
                    format!("enum member `{name}` is defined twice"),
                    "expected each member once",
                ));
            }
            members.push(MemberDef {
                name,
                span,
                target: None,
                traits,
                value,
            });
        }
    }

    /// The `{ key: value ... }` body of a service or resource.
    fn properties(&mut self) -> Result<Vec<(String, Span, Node)>, ParseError> {
        if !self.at(TokenKind::LBrace) {
            return Err(self.unexpected(self.peek(), "`{` to open the shape's properties"));
        }
        match self.node_value()? {
            Node::Object(entries) => Ok(entries),
            _ => unreachable!("a node starting with `{{` is an object"),
        }
    }

    /// `{ input: X  output := { ... }  errors: [...] }`. Inline structures become shapes of
    /// their own, named after the operation with the file's suffixes.
    fn operation_body(&mut self, operation: &str) -> Result<Vec<(String, Span, Node)>, ParseError> {
        self.expect(TokenKind::LBrace, "`{` to open the operation")?;
        let mut entries: Vec<(String, Span, Node)> = Vec::new();
        loop {
            if self.at(TokenKind::RBrace) {
                self.advance();
                return Ok(entries);
            }
            let token = self.peek();
            let key = self.text_of(token);
            let known =
                token.kind == TokenKind::Word && matches!(key, "input" | "output" | "errors");
            if !known {
                return Err(self.unexpected(token, "`input`, `output`, `errors` or `}`"));
            }
            self.advance();
            if entries.iter().any(|(k, _, _)| k == key) {
                return Err(ParseError::new(
                    token.span,
                    format!("`{key}` is given twice"),
                    "expected each property once",
                ));
            }
            let value = if key != "errors" && self.at(TokenKind::Walrus) {
                let walrus = self.advance();
                self.v2_only(walrus.span, "inline input and output (`:=`)")?;
                let name = self.inline_structure(operation, key, token.span)?;
                Node::Id(Ref {
                    text: name,
                    span: token.span,
                })
            } else {
                self.expect(
                    TokenKind::Colon,
                    &format!("`:` (or `:=` for an inline structure) after `{key}`"),
                )?;
                self.node_value()?
            };
            entries.push((key.to_string(), token.span, value));
        }
    }

    /// `:= @traits with [M] { members }`: a structure with the `@input` or `@output` trait.
    fn inline_structure(
        &mut self,
        operation: &str,
        key: &str,
        span: Span,
    ) -> Result<String, ParseError> {
        let mut traits = Vec::new();
        self.traits(&mut traits)?;
        let name = if key == "input" {
            format!("{operation}{}", self.input_suffix)
        } else {
            format!("{operation}{}", self.output_suffix)
        };
        traits.push(TraitApp {
            id: Ref {
                text: format!("smithy.api#{key}"),
                span,
            },
            value: Node::Object(Vec::new()),
            span,
            doc_comment: false,
        });
        let mixins = self.maybe_mixins()?;
        let members = self.members(&[], true)?;
        self.file.shapes.push(ShapeDef {
            type_name: "structure",
            name: name.clone(),
            span,
            traits,
            mixins,
            for_resource: None,
            body: Body::Members(members),
        });
        Ok(name)
    }

    fn apply_statement(&mut self) -> Result<(), ParseError> {
        self.advance();
        let target = self.shape_id("the shape ID to apply traits to", true)?;
        let mut traits = Vec::new();
        if self.at(TokenKind::At) {
            traits.push(self.trait_application()?);
        } else if self.at(TokenKind::LBrace) {
            self.advance();
            self.traits(&mut traits)?;
            self.expect(TokenKind::RBrace, "a trait (`@name`) or `}`")?;
        } else {
            return Err(self.unexpected(
                self.peek(),
                "a trait (`@name`) or `{` after the apply target",
            ));
        }
        self.file.applies.push(ApplyDef { target, traits });
        Ok(())
    }
}
