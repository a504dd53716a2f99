//! Parsing generated items once per shape.
//!
//! Formatting goes through a syntax tree (prettyplease prints `syn`'s), and parsing the
//! token streams is most of the generator's time. But most generated items differ from an
//! earlier item of the same file only in their names and literals: a setter per member, a
//! `HasSchema` impl per shape, a match arm per error. So each item is reduced to its
//! *skeleton*: its tokens with every name replaced by a numbered placeholder (`__s0`,
//! `__s1`, ...) and every string or integer literal by a numbered one (`"0"`, `0smithy`).
//! The first item of a skeleton is parsed; each later one clones that tree and puts its
//! own names and literals back where the placeholders are.
//!
//! Why the result is the tree a parse would give: `syn`'s grammar looks at a name's text
//! only to tell keywords (strict, reserved and contextual, listed in [`KEYWORDS`]) from
//! other names, and at a literal's text only for its kind, so keywords stay in the
//! skeleton as they are and literals of other kinds (and a tuple index after `.`) too.
//! Where a placeholder would not be found again in the tree (inside a token stream `syn`
//! keeps verbatim), the item is parsed as it is, every time.
//!
//! Items are split at the top level, and the bodies of `impl`, `trait` and `mod` items
//! are split again, so that a builder with a new number of members still reuses the
//! tree of every setter. Anything the splitting does not recognise is parsed whole.

use std::collections::HashMap;
use std::fmt::Write as _;

use proc_macro2::{Delimiter, Group, Ident, Literal, Spacing, TokenStream, TokenTree};
use syn::parse::Parse;
use syn::visit_mut::{self, VisitMut};

/// The names `syn` tells apart by their text: Rust's keywords, reserved words and
/// contextual keywords (as `syn` 2 lists them), `_`, and the boolean literals.
const KEYWORDS: &[&str] = &[
    "Self",
    "_",
    "abstract",
    "as",
    "async",
    "auto",
    "await",
    "become",
    "box",
    "break",
    "builtin",
    "const",
    "continue",
    "crate",
    "default",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "macro_rules",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "raw",
    "ref",
    "return",
    "safe",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
];

/// The index of a keyword in [`KEYWORDS`].
fn keyword(name: &str) -> Option<u8> {
    // Most names are longer than any keyword (`macro_rules` is the longest).
    if name.len() > "macro_rules".len() {
        return None;
    }
    KEYWORDS.binary_search(&name).ok().map(|index| index as u8)
}

/// The suffix that marks an integer literal as a placeholder.
const INT_MARK: &str = "smithy";
/// The prefix of a placeholder name.
const NAME_MARK: &str = "__s";

/// The trees parsed so far, by skeleton. One per thread: the trees are not `Send`.
#[derive(Default)]
pub struct ItemCache {
    items: Templates<syn::Item>,
    impl_items: Templates<syn::ImplItem>,
    trait_items: Templates<syn::TraitItem>,
    /// Where a name or literal is written to be looked at (saves an allocation each).
    scratch: String,
}

impl ItemCache {
    /// Parses a part of a file (items, after any inner attributes). An error is the one
    /// the first item that does not parse gives.
    pub fn parse_file(&mut self, tokens: TokenStream) -> syn::Result<syn::File> {
        let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
        let inner = inner_attributes_len(&trees);
        let attrs: TokenStream = trees.drain(..inner).collect();
        let attrs = syn::parse::Parser::parse2(syn::Attribute::parse_inner, attrs)?;
        Ok(syn::File {
            shebang: None,
            attrs,
            items: self.items(trees)?,
        })
    }

    fn items(&mut self, trees: Vec<TokenTree>) -> syn::Result<Vec<syn::Item>> {
        split_items(trees)
            .into_iter()
            .map(|item| self.item(item))
            .collect()
    }

    fn item(&mut self, mut trees: Vec<TokenTree>) -> syn::Result<syn::Item> {
        let Some(container) = container(&trees) else {
            return self.items.parse(trees, &mut self.scratch);
        };
        // Parse the item with an empty body, then its body item by item.
        let Some(TokenTree::Group(body)) = trees.pop() else {
            unreachable!("a container ends with its body");
        };
        let span = body.span();
        // The body's stream, no longer shared with the group: iterating it moves the
        // tokens rather than copying them.
        let inner = body.stream();
        drop(body);
        let inner: Vec<TokenTree> = inner.into_iter().collect();
        trees.push(TokenTree::Group(Group::new(
            Delimiter::Brace,
            TokenStream::new(),
        )));
        let mut item = self.items.parse(trees, &mut self.scratch)?;
        match (container, &mut item) {
            (Container::Impl, syn::Item::Impl(block)) => {
                block.items = split_items(inner)
                    .into_iter()
                    .map(|member| self.impl_items.parse(member, &mut self.scratch))
                    .collect::<syn::Result<_>>()?;
            }
            (Container::Trait, syn::Item::Trait(block)) => {
                block.items = split_items(inner)
                    .into_iter()
                    .map(|member| self.trait_items.parse(member, &mut self.scratch))
                    .collect::<syn::Result<_>>()?;
            }
            (Container::Mod, syn::Item::Mod(module)) => {
                let items = self.items(inner)?;
                match &mut module.content {
                    Some((_, content)) => *content = items,
                    None => return Err(syn::Error::new(span, "a module without a body")),
                }
            }
            _ => return Err(syn::Error::new(span, "not the item it looked like")),
        }
        Ok(item)
    }
}

/// One kind of tree (items, impl items, trait items), by skeleton. `None`: a skeleton
/// that does not parse, or whose placeholders would not all be found again; its items
/// are parsed as they are.
struct Templates<T> {
    by_skeleton: HashMap<Vec<u8>, Option<Template<T>>, foldhash::fast::RandomState>,
}

impl<T> Default for Templates<T> {
    fn default() -> Self {
        Templates {
            by_skeleton: HashMap::default(),
        }
    }
}

/// A tree parsed from a skeleton, and which placeholder each name and literal met while
/// walking it stands for (`None`: a keyword or a literal kept as it was).
struct Template<T> {
    tree: T,
    names: Vec<Option<u32>>,
    literals: Vec<Option<u32>>,
}

impl<T: Parse + Clone + Walked> Templates<T> {
    fn parse(&mut self, trees: Vec<TokenTree>, scratch: &mut String) -> syn::Result<T> {
        let skeleton = Skeleton::new(trees, scratch);
        if !self.by_skeleton.contains_key(&skeleton.key) {
            let template = Template::new(&skeleton);
            self.by_skeleton.insert(skeleton.key.clone(), template);
        }
        match &self.by_skeleton[&skeleton.key] {
            Some(template) => {
                let mut tree = template.tree.clone();
                Walk {
                    names: Track::fill(&template.names, &skeleton.names),
                    literals: Track::fill(&template.literals, &skeleton.literals),
                }
                .walk(&mut tree);
                Ok(tree)
            }
            None => syn::parse2(skeleton.into_tokens()),
        }
    }
}

impl<T: Parse + Walked> Template<T> {
    /// Parses a skeleton and notes where its placeholders are; `None` when it does not
    /// parse or some placeholder is not met again.
    fn new(skeleton: &Skeleton) -> Option<Template<T>> {
        let mut tree: T = syn::parse_str(&skeleton.text()?).ok()?;
        let mut walk = Walk {
            names: Track::Record(Vec::new()),
            literals: Track::Record(Vec::new()),
        };
        walk.walk(&mut tree);
        let (Track::Record(names), Track::Record(literals)) = (walk.names, walk.literals) else {
            unreachable!("a recording walk stays one");
        };
        let complete = |met: &[Option<u32>], count: usize| {
            let mut seen = vec![false; count];
            for &index in met.iter().flatten() {
                *seen.get_mut(index as usize)? = true;
            }
            seen.into_iter().all(|s| s).then_some(())
        };
        complete(&names, skeleton.names.len())?;
        complete(&literals, skeleton.literals.len())?;
        Some(Template {
            tree,
            names,
            literals,
        })
    }
}

/// An item's skeleton: its tokens written compactly as the key of the cache, with the
/// names and the string and integer literals taken out, in order (the Nth placeholder
/// of a kind stands for `names[N]` or `literals[N]`).
struct Skeleton {
    key: Vec<u8>,
    names: Vec<Ident>,
    literals: Vec<Literal>,
}

/// The bytes of a key. A punctuation character is itself, with the high bit set when it
/// is joined to the next one; delimiters are themselves.
mod byte {
    pub const NONE_OPEN: u8 = 0x01;
    pub const NONE_CLOSE: u8 = 0x02;
    /// Followed by the keyword's index in `KEYWORDS`.
    pub const KEYWORD: u8 = 0x03;
    pub const NAME: u8 = 0x04;
    pub const STRING: u8 = 0x05;
    pub const INTEGER: u8 = 0x06;
    /// Followed by the length (4 bytes) and the literal's text.
    pub const LITERAL: u8 = 0x07;
    pub const JOINT: u8 = 0x80;
}

impl Skeleton {
    fn new(trees: Vec<TokenTree>, scratch: &mut String) -> Skeleton {
        let mut skeleton = Skeleton {
            key: Vec::with_capacity(trees.len() * 4),
            names: Vec::new(),
            literals: Vec::new(),
        };
        skeleton.add_all(trees, scratch);
        skeleton
    }

    fn add_all(&mut self, trees: impl IntoIterator<Item = TokenTree>, scratch: &mut String) {
        let mut after_dot = false;
        for tree in trees {
            let dot = matches!(&tree, TokenTree::Punct(p) if p.as_char() == '.');
            self.add(tree, after_dot, scratch);
            after_dot = dot;
        }
    }

    fn add(&mut self, tree: TokenTree, after_dot: bool, scratch: &mut String) {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => (b'(', b')'),
                    Delimiter::Brace => (b'{', b'}'),
                    Delimiter::Bracket => (b'[', b']'),
                    Delimiter::None => (byte::NONE_OPEN, byte::NONE_CLOSE),
                };
                // Unshared once the group is gone, so its tokens move out.
                let inner = group.stream();
                drop(group);
                self.key.push(open);
                self.add_all(inner, scratch);
                self.key.push(close);
            }
            TokenTree::Punct(punct) => {
                let joint = if punct.spacing() == Spacing::Joint {
                    byte::JOINT
                } else {
                    0
                };
                self.key.push(punct.as_char() as u8 | joint);
            }
            TokenTree::Ident(ident) => {
                scratch.clear();
                let _ = write!(scratch, "{ident}");
                match keyword(scratch) {
                    Some(index) => self.key.extend([byte::KEYWORD, index]),
                    None => {
                        self.key.push(byte::NAME);
                        self.names.push(ident);
                    }
                }
            }
            TokenTree::Literal(literal) => {
                scratch.clear();
                let _ = write!(scratch, "{literal}");
                match LiteralKind::of(scratch) {
                    LiteralKind::String => {
                        self.key.push(byte::STRING);
                        self.literals.push(literal);
                    }
                    LiteralKind::Integer if !after_dot => {
                        self.key.push(byte::INTEGER);
                        self.literals.push(literal);
                    }
                    _ => {
                        self.key.push(byte::LITERAL);
                        self.key.extend((scratch.len() as u32).to_le_bytes());
                        self.key.extend(scratch.as_bytes());
                    }
                }
            }
        }
    }

    /// The skeleton as Rust source, placeholders numbered; `None` when it holds a group
    /// without delimiters, which text cannot show.
    fn text(&self) -> Option<String> {
        let mut text = String::with_capacity(self.key.len() * 3);
        let (mut names, mut literals) = (0, 0);
        let mut at = 0;
        while at < self.key.len() {
            let b = self.key[at];
            at += 1;
            match b {
                byte::NONE_OPEN | byte::NONE_CLOSE => return None,
                byte::KEYWORD => {
                    text.push_str(KEYWORDS[self.key[at] as usize]);
                    at += 1;
                }
                byte::NAME => {
                    let _ = write!(text, "{NAME_MARK}{names}");
                    names += 1;
                }
                byte::STRING => {
                    let _ = write!(text, "\"{literals}\"");
                    literals += 1;
                }
                byte::INTEGER => {
                    let _ = write!(text, "{literals}{INT_MARK}");
                    literals += 1;
                }
                byte::LITERAL => {
                    let (len, rest) = literal_text(&self.key[at..]);
                    text.push_str(rest);
                    at += 4 + len;
                }
                b'(' | b'{' | b'[' => {
                    text.push(b as char);
                    continue;
                }
                _ if b & byte::JOINT != 0 => {
                    text.push((b & !byte::JOINT) as char);
                    continue;
                }
                _ => text.push(b as char),
            }
            text.push(' ');
        }
        Some(text)
    }

    /// The tokens the skeleton was made from (without their spans), to parse as they are.
    fn into_tokens(self) -> TokenStream {
        let mut names = self.names.into_iter();
        let mut literals = self.literals.into_iter();
        let mut at = 0;
        let tokens = rebuild(&self.key, &mut at, &mut names, &mut literals);
        tokens.into_iter().collect()
    }
}

/// The literal text stored in a key at the start of `bytes` (after its marker).
fn literal_text(bytes: &[u8]) -> (usize, &str) {
    let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let text = std::str::from_utf8(&bytes[4..4 + len]).unwrap_or_default();
    (len, text)
}

/// Tokens from a key, up to the end of the group it is in.
fn rebuild(
    key: &[u8],
    at: &mut usize,
    names: &mut impl Iterator<Item = Ident>,
    literals: &mut impl Iterator<Item = Literal>,
) -> Vec<TokenTree> {
    let mut trees = Vec::new();
    while *at < key.len() {
        let b = key[*at];
        *at += 1;
        let delimiter = match b {
            b'(' => Some(Delimiter::Parenthesis),
            b'{' => Some(Delimiter::Brace),
            b'[' => Some(Delimiter::Bracket),
            byte::NONE_OPEN => Some(Delimiter::None),
            b')' | b'}' | b']' | byte::NONE_CLOSE => return trees,
            _ => None,
        };
        let tree = match (delimiter, b) {
            (Some(delimiter), _) => {
                let inner = rebuild(key, at, names, literals);
                TokenTree::Group(Group::new(delimiter, inner.into_iter().collect()))
            }
            (None, byte::KEYWORD) => {
                *at += 1;
                let word = KEYWORDS[key[*at - 1] as usize];
                TokenTree::Ident(Ident::new(word, proc_macro2::Span::call_site()))
            }
            (None, byte::NAME) => TokenTree::Ident(names.next().expect("a name per placeholder")),
            (None, byte::STRING | byte::INTEGER) => {
                TokenTree::Literal(literals.next().expect("a literal per placeholder"))
            }
            (None, byte::LITERAL) => {
                let (len, text) = literal_text(&key[*at..]);
                *at += 4 + len;
                let literal: Literal = text.parse().expect("a literal's own text");
                TokenTree::Literal(literal)
            }
            (None, punct) => {
                let spacing = if punct & byte::JOINT != 0 {
                    Spacing::Joint
                } else {
                    Spacing::Alone
                };
                TokenTree::Punct(proc_macro2::Punct::new(
                    (punct & !byte::JOINT) as char,
                    spacing,
                ))
            }
        };
        trees.push(tree);
    }
    trees
}

#[derive(PartialEq, Debug)]
enum LiteralKind {
    String,
    Integer,
    Other,
}

impl LiteralKind {
    /// A literal's kind from its text: strings (plain and raw), integers (any base,
    /// any integer suffix), or something else (kept in the skeleton as it is).
    fn of(text: &str) -> LiteralKind {
        if text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#") {
            return LiteralKind::String;
        }
        let digits = text.strip_prefix('-').unwrap_or(text);
        if ["0x", "0o", "0b"]
            .iter()
            .any(|base| digits.starts_with(base))
        {
            return LiteralKind::Integer;
        }
        let end = digits
            .find(|c: char| !c.is_ascii_digit() && c != '_')
            .unwrap_or(digits.len());
        let suffix = &digits[end..];
        const INT_SUFFIXES: &[&str] = &[
            "", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
            "usize",
        ];
        if end > 0 && digits.as_bytes()[0].is_ascii_digit() && INT_SUFFIXES.contains(&suffix) {
            LiteralKind::Integer
        } else {
            LiteralKind::Other
        }
    }
}

/// The kinds of tree the cache holds, walked by [`Walk`].
trait Walked {
    fn accept(&mut self, walk: &mut Walk<'_>);
}

impl Walked for syn::Item {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_item_mut(self);
    }
}

impl Walked for syn::ImplItem {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_impl_item_mut(self);
    }
}

impl Walked for syn::TraitItem {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_trait_item_mut(self);
    }
}

/// One walk over a tree, meeting its names and literals in a fixed order: recording
/// which placeholder each is (for a template), or putting an item's own back (for a
/// clone of the template). Both walks meet the same nodes in the same order, because
/// the trees have the same shape.
struct Walk<'a> {
    names: Track<'a, Ident>,
    literals: Track<'a, Literal>,
}

/// One kind of placeholder along a walk.
enum Track<'a, T> {
    /// Which placeholder each one met is, if any.
    Record(Vec<Option<u32>>),
    /// The template's record, the item's own, and how far the walk is.
    Fill {
        record: &'a [Option<u32>],
        originals: &'a [T],
        at: usize,
    },
}

impl<'a, T: Clone> Track<'a, T> {
    fn fill(record: &'a [Option<u32>], originals: &'a [T]) -> Self {
        Track::Fill {
            record,
            originals,
            at: 0,
        }
    }

    /// Meets the next one: records its placeholder index (`index` reads it), or gives
    /// back the original it stands for.
    fn next(&mut self, index: impl FnOnce() -> Option<u32>) -> Option<T> {
        match self {
            Track::Record(record) => {
                record.push(index());
                None
            }
            Track::Fill {
                record,
                originals,
                at,
            } => {
                let index = record.get(*at).copied().flatten();
                *at += 1;
                index.map(|i| originals[i as usize].clone())
            }
        }
    }
}

impl Walk<'_> {
    fn walk<T: Walked>(&mut self, tree: &mut T) {
        tree.accept(self);
    }

    /// The original name for this one, if it is a placeholder.
    fn name(&mut self, ident: &Ident) -> Option<Ident> {
        self.names
            .next(|| placeholder_index(&ident.to_string(), NAME_MARK, ""))
    }

    /// The original literal for this one, if it is a placeholder (`index` reads which).
    fn literal(&mut self, index: impl FnOnce() -> Option<u32>) -> Option<Literal> {
        self.literals.next(index)
    }

    /// Token streams `syn` keeps as they are (macro bodies, attribute arguments).
    fn tokens(&mut self, tokens: &mut TokenStream) {
        if let Some(changed) = self.stream(tokens.clone()) {
            *tokens = changed;
        }
    }

    /// The stream with its placeholders replaced, or `None` when it has none.
    fn stream(&mut self, stream: TokenStream) -> Option<TokenStream> {
        let mut changed = false;
        let trees: Vec<TokenTree> = stream
            .into_iter()
            .map(|tree| self.token(tree, &mut changed))
            .collect();
        changed.then(|| trees.into_iter().collect())
    }

    fn token(&mut self, tree: TokenTree, changed: &mut bool) -> TokenTree {
        match tree {
            TokenTree::Group(group) => match self.stream(group.stream()) {
                Some(inner) => {
                    *changed = true;
                    let mut new = Group::new(group.delimiter(), inner);
                    new.set_span(group.span());
                    TokenTree::Group(new)
                }
                None => TokenTree::Group(group),
            },
            TokenTree::Ident(ident) => match self.name(&ident) {
                Some(original) => {
                    *changed = true;
                    TokenTree::Ident(original)
                }
                None => TokenTree::Ident(ident),
            },
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                let index = || {
                    placeholder_index(&text, "\"", "\"")
                        .or_else(|| placeholder_index(&text, "", INT_MARK))
                };
                match self.literal(index) {
                    Some(original) => {
                        *changed = true;
                        TokenTree::Literal(original)
                    }
                    None => TokenTree::Literal(literal),
                }
            }
            punct @ TokenTree::Punct(_) => punct,
        }
    }
}

/// N, when `text` is `prefix` N `suffix`.
fn placeholder_index(text: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = text.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl VisitMut for Walk<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some(original) = self.name(ident) {
            *ident = original;
        }
    }

    fn visit_lit_mut(&mut self, lit: &mut syn::Lit) {
        let index = match &*lit {
            syn::Lit::Str(s) => placeholder_index(&s.value(), "", ""),
            syn::Lit::Int(i) if i.suffix() == INT_MARK => i.base10_digits().parse().ok(),
            _ => None,
        };
        if let Some(original) = self.literal(|| index) {
            *lit = syn::Lit::new(original);
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let index = placeholder_index(&lit.value(), "", "");
        if let Some(original) = self.literal(|| index) {
            if let syn::Lit::Str(original) = syn::Lit::new(original) {
                *lit = original;
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        visit_mut::visit_macro_mut(self, mac);
        self.tokens(&mut mac.tokens);
    }

    fn visit_meta_list_mut(&mut self, list: &mut syn::MetaList) {
        visit_mut::visit_meta_list_mut(self, list);
        self.tokens(&mut list.tokens);
    }
}

/// How many leading tokens are inner attributes (`#![...]`).
fn inner_attributes_len(trees: &[TokenTree]) -> usize {
    let mut at = 0;
    while let [
        TokenTree::Punct(hash),
        TokenTree::Punct(bang),
        TokenTree::Group(_),
        ..,
    ] = &trees[at..]
    {
        if hash.as_char() != '#' || bang.as_char() != '!' {
            break;
        }
        at += 3;
    }
    at
}

/// Splits a sequence of items (or of impl or trait members) where each ends: at a `;`,
/// or at a `{ ... }` body, unless the item binds a value (`const`, `static`, `type`),
/// whose braces are expressions and which end at their `;`.
fn split_items(trees: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut trees = trees.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let semicolon_next =
                    matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';');
                !semicolon_next && !binds_value(&current)
            }
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    items
}

/// The first word of an item after its attributes and visibility.
fn first_keywords(trees: &[TokenTree]) -> impl Iterator<Item = &Ident> {
    let mut at = 0;
    loop {
        match &trees[at..] {
            [TokenTree::Punct(hash), TokenTree::Group(_), ..] if hash.as_char() == '#' => at += 2,
            [TokenTree::Ident(vis), TokenTree::Group(g), ..]
                if vis == "pub" && g.delimiter() == Delimiter::Parenthesis =>
            {
                at += 2
            }
            [TokenTree::Ident(vis), ..] if vis == "pub" => at += 1,
            _ => break,
        }
    }
    trees[at..].iter().map_while(|tree| match tree {
        TokenTree::Ident(ident) => Some(ident),
        _ => None,
    })
}

/// `const X: T = ...;`, `static`, `type`: the braces in them do not end them.
fn binds_value(trees: &[TokenTree]) -> bool {
    let mut words = first_keywords(trees);
    match words.next() {
        Some(word) if word == "static" || word == "type" => true,
        // `const fn`, `const unsafe fn` are functions.
        Some(word) if word == "const" => {
            !matches!(words.next(), Some(next) if next == "fn" || next == "unsafe" || next == "async" || next == "extern")
        }
        _ => false,
    }
}

#[derive(Clone, Copy)]
enum Container {
    Impl,
    Trait,
    Mod,
}

/// Whether an item is an `impl`, `trait` or `mod` with a body.
fn container(trees: &[TokenTree]) -> Option<Container> {
    if !matches!(trees.last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace) {
        return None;
    }
    first_keywords(trees)
        .find(|word| *word != "unsafe" && *word != "default" && *word != "auto")
        .and_then(|word| {
            if word == "impl" {
                Some(Container::Impl)
            } else if word == "trait" {
                Some(Container::Trait)
            } else if word == "mod" {
                Some(Container::Mod)
            } else {
                None
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn both_ways(tokens: TokenStream) -> (String, String) {
        let plain: syn::File = syn::parse2(tokens.clone()).unwrap();
        let mut cache = ItemCache::default();
        // Twice: the second parse comes from the templates the first one made.
        cache.parse_file(tokens.clone()).unwrap();
        let cached = cache.parse_file(tokens).unwrap();
        (
            prettyplease::unparse(&plain),
            prettyplease::unparse(&cached),
        )
    }

    #[test]
    fn keywords_are_sorted_for_the_binary_search() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn items_of_one_shape_get_their_own_names_and_literals_back() {
        let tokens = quote! {
            #![allow(dead_code)]
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
        let tokens = quote! {
            pub struct A { pub one: u8, pub two: Option<String> }
            impl A {
                pub fn one(mut self, input: impl Into<u8>) -> Self { self.one = input.into(); self }
                pub fn two(mut self, input: impl Into<String>) -> Self { self.two = Some(input.into()); self }
                pub const NAME: &'static str = "A";
                pub fn limits() -> (u8, i64, f64, char) { (7, -3i64, 1.5, 'x') }
                pub fn first(pair: (u8, u8)) -> u8 { pair.0 }
            }
            impl B {
                pub fn three(mut self, input: impl Into<u8>) -> Self { self.three = input.into(); self }
                pub const NAME: &'static str = "B\n";
                pub fn limits() -> (u8, i64, f64, char) { (9, 0x1F, 2.5, 'y') }
                pub fn second(pair: (u8, u8)) -> u8 { pair.1 }
            }
            pub mod builders {
                #[derive(Clone, Debug)]
                pub struct C { field: S }
                pub fn shorthand(field: S) -> C { C { field } }
                pub fn matching(e: &E) -> bool { ::std::matches!(e, E::Left(_)) }
                pub fn other(e: &E) -> bool { ::std::matches!(e, E::Right(_)) }
            }
            pub trait Server { fn get(&self, id: &str) -> u8; fn put(&self, name: &str) -> u16; }
            pub const X: T = T { a: 1 };
            pub static Y: &[T] = &[T { a: 2 }, T { a: 3 }];
            pub static Z: &[T] = &[T { a: 4 }, T { a: 5 }];
            pub type R<T> = Result<T, E>;
            pub fn tick<'a>(x: &'a str) -> &'a str { x }
            pub fn tock<'b>(y: &'b str) -> &'b str { y }
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
        assert!(cached.contains("\"B\\n\""), "{cached}");
    }

    #[test]
    fn a_skeleton_reuses_the_tree_of_its_first_item() {
        let mut cache = ItemCache::default();
        let file = cache
            .parse_file(quote! {
                impl A { pub fn one(&self) -> u8 { self.one } pub fn two(&self) -> u16 { self.two } }
            })
            .unwrap();
        let printed = prettyplease::unparse(&file);
        assert!(
            printed.contains("fn two(&self) -> u16 {\n        self.two\n    }"),
            "{printed}"
        );
        // Both methods have one skeleton, and the impl header another.
        assert_eq!(cache.impl_items.by_skeleton.len(), 1);
        assert_eq!(cache.items.by_skeleton.len(), 1);
    }

    #[test]
    fn what_does_not_split_or_parse_is_parsed_whole() {
        let mut cache = ItemCache::default();
        let error = cache.parse_file(quote!(pub struct A { b: })).err().unwrap();
        assert!(error.to_string().contains("expected"), "{error}");
        // Parsed as it is, the error names what is wrong rather than a placeholder.
        assert!(!error.to_string().contains(NAME_MARK), "{error}");
        // An `impl` whose generics bind an associated type still splits at its body.
        let tokens = quote! {
            impl<T: Iterator<Item = u8>> A for T { fn a(&self) {} }
            pub struct B;
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
    }

    /// Every file of the crates generated in this repository parses, through the cache,
    /// to the tree a plain parse gives (compared as prettyplease prints them).
    #[test]
    fn generated_crates_parse_as_a_plain_parse_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
        let mut dirs = vec![root];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let tokens: TokenStream = text.parse().unwrap();
                    let (plain, cached) = both_ways(tokens);
                    assert!(plain == cached, "{} differs", path.display());
                    files += 1;
                }
            }
        }
        assert!(files > 20, "only {files} generated files found");
    }

    #[test]
    fn literal_kinds() {
        assert_eq!(LiteralKind::of("\"a\""), LiteralKind::String);
        assert_eq!(LiteralKind::of("r#\"a\"#"), LiteralKind::String);
        assert_eq!(LiteralKind::of("12"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("-3i64"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("0x1E"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("1_000usize"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("1.5"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("1e3"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("2f64"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("'x'"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("b\"x\""), LiteralKind::Other);
    }
}
