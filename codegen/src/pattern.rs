//! Smithy `@pattern` constraints, translated at generation time.
//!
//! Smithy says a pattern is an ECMA-262 regular expression (no flags) that is
//! *searched for* in the value: it is not implicitly anchored, so models write
//! `^...$` when they mean the whole value.
//!
//! We do not embed a JavaScript engine. [`translate`] rewrites the ECMA syntax
//! into the syntax of the `regex` crate, whose matching time is linear in the
//! input (a pattern like `^([0-9]+)+$` cannot be used for a ReDoS). Only
//! patterns with lookaround or backreferences, which no linear-time engine can
//! run, go to `fancy_regex`, a backtracking engine that we bound with a
//! backtrack limit: hitting the limit is an error, not a hang.
//!
//! # Where we knowingly differ from ECMA-262
//!
//! * ECMA without the `u` flag works on UTF-16 code units, while values here
//!   are Rust strings, i.e. Unicode scalar values. We match code points: `.`
//!   and `[^a]` match a whole astral character such as `😀`, and a surrogate
//!   pair written as escapes (`\uD83D\uDE00`) stands for the one code point it
//!   encodes, outside classes, inside them and as range endpoints (so
//!   `[\uD800\uDC00-\uDBFF\uDFFF]` is every astral code point, as AWS models
//!   mean it; strict ECMA without `u` would even reject that class, reading
//!   `\uDC00-\uDBFF` as a range out of order). A lone surrogate can never
//!   occur in a Rust string: in a class it is dropped, and outside a class it
//!   becomes a class that matches nothing.
//! * `\p{Name}` / `\P{Name}`: without the `u` flag ECMA reads `\p` as a plain
//!   `p`, which is never what a model means. Java (Smithy's reference
//!   implementation) reads them as classes, so we do too: the Java POSIX names
//!   (`ASCII`, `Print`, `Alpha`, ...) are the ASCII sets Java gives them, and
//!   any other name is a Unicode property as the `regex` crate knows it.
//!   `\p` not followed by `{` is still a plain `p`.
//! * A backreference to a group that has not matched matches the empty string
//!   (as in ECMA), but captures are not reset between iterations of a
//!   quantified group.
//! * Quantified lookarounds (`(?=a)*`, allowed by Annex B), inline modifiers
//!   (`(?i:...)`) and duplicate group names are rejected.

use std::fmt;

/// The runtime's backtrack limit, so tests here run patterns as generated programs do.
const BACKTRACK_LIMIT: usize = 100_000;

/// How deeply groups may nest (the translator is recursive).
const MAX_NESTING: usize = 200;

/// Why a pattern could not be translated, compiled or evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError {
    message: String,
}

impl PatternError {
    fn new(message: String) -> PatternError {
        PatternError { message }
    }
}

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for PatternError {}

/// An ECMA-262 pattern rewritten for a Rust regex engine.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Translated {
    /// The pattern in `regex` crate syntax, or in `fancy_regex` syntax when
    /// `needs_backtracking` is set.
    pub regex: String,
    /// Whether the pattern uses lookaround or backreferences, which only the
    /// backtracking engine (`fancy_regex`) can run.
    pub needs_backtracking: bool,
}

/// Translates ECMA-262 pattern syntax into the regex crate's syntax, and says
/// whether a backtracking engine is needed.
pub fn translate(ecma: &str) -> Result<Translated, PatternError> {
    // The two engines spell `\b` differently, and we only know which engine
    // we need once the whole pattern has been read: read it again if so.
    let linear = Translator::run(ecma, Engine::Linear)?;
    if linear.needs_backtracking {
        Translator::run(ecma, Engine::Backtracking)
    } else {
        Ok(linear)
    }
}

/// translate + compile: rejects at generation time a pattern that could not run, and
/// returns what the generated code runs.
pub fn check(ecma: &str) -> Result<Translated, PatternError> {
    let translated = translate(ecma)?;
    compile(ecma, &translated)?;
    Ok(translated)
}

/// The engine a translated pattern runs on (the generated crate's runtime compiles it
/// the same way). Only the tests match with it; generation needs to know it compiles.
#[cfg_attr(not(test), allow(dead_code))]
enum Compiled {
    Linear(regex::Regex),
    Backtracking(fancy_regex::Regex),
}

fn compile(ecma: &str, translated: &Translated) -> Result<Compiled, PatternError> {
    let cannot_compile = |error: &dyn fmt::Display| {
        PatternError::new(format!("pattern {ecma:?} cannot be compiled: {error}"))
    };
    if translated.needs_backtracking {
        fancy_regex::RegexBuilder::new(&translated.regex)
            .backtrack_limit(BACKTRACK_LIMIT)
            .build()
            .map(Compiled::Backtracking)
            .map_err(|error| cannot_compile(&error))
    } else {
        regex::Regex::new(&translated.regex)
            .map(Compiled::Linear)
            .map_err(|error| cannot_compile(&error))
    }
}

// ---------------------------------------------------------------------------
// Translation
// ---------------------------------------------------------------------------

/// ECMA `.`: anything but a line terminator.
const DOT: &str = r"[^\x{A}\x{D}\x{2028}\x{2029}]";
/// A class no character is in (`regex` has no `[]`).
const NOTHING: &str = r"[^\x{0}-\x{10FFFF}]";
/// A class every character is in (ECMA `[^]`).
const ANYTHING: &str = r"[\x{0}-\x{10FFFF}]";

/// Class bodies (what goes between `[` and `]`) of the ECMA class escapes.
/// ECMA's `\d` and `\w` are ASCII only, unlike the `regex` crate's.
const DIGIT: &str = "0-9";
const WORD: &str = "A-Za-z0-9_";
/// ECMA WhiteSpace and LineTerminator (U+0085 and U+200B are not in it).
const SPACE: &str = r"\x{9}-\x{D}\x{20}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}\x{FEFF}";

/// Java's POSIX classes (`\p{Print}`, ...), which are ASCII only in Java.
const JAVA_POSIX: &[(&str, &str)] = &[
    ("Lower", "a-z"),
    ("Upper", "A-Z"),
    ("ASCII", r"\x{0}-\x{7F}"),
    ("Alpha", "A-Za-z"),
    ("Digit", "0-9"),
    ("Alnum", "A-Za-z0-9"),
    (
        "Punct",
        r"\x{21}-\x{2F}\x{3A}-\x{40}\x{5B}-\x{60}\x{7B}-\x{7E}",
    ),
    ("Graph", r"\x{21}-\x{7E}"),
    ("Print", r"\x{20}-\x{7E}"),
    ("Blank", r"\x{9}\x{20}"),
    ("Cntrl", r"\x{0}-\x{1F}\x{7F}"),
    ("XDigit", "0-9A-Fa-f"),
    ("Space", r"\x{9}-\x{D}\x{20}"),
];

/// ECMA `\b` as lookarounds, for `fancy_regex`, which rejects `(?-u:\b)`.
const WORD_BOUNDARY_LOOKAROUND: &str =
    "(?:(?<=[A-Za-z0-9_])(?![A-Za-z0-9_])|(?<![A-Za-z0-9_])(?=[A-Za-z0-9_]))";
const NOT_WORD_BOUNDARY_LOOKAROUND: &str =
    "(?:(?<=[A-Za-z0-9_])(?=[A-Za-z0-9_])|(?<![A-Za-z0-9_])(?![A-Za-z0-9_]))";

/// What a quantifier may do to the term before it.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Term {
    /// An atom: the quantifier applies.
    Atom,
    /// `^`, `$`, `\b`, `\B` or a lookaround: ECMA rejects a quantifier
    /// (Annex B allows one on a lookahead, to no effect; we reject it too).
    Assertion,
    /// Nothing was written (a backreference that always matches ""): the
    /// quantifier is checked but not written, as repeating "" is "".
    Empty,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Engine {
    Linear,
    Backtracking,
}

/// A set of characters given by an escape such as `\d` or `\P{Print}`.
struct Set {
    negated: bool,
    /// The class body, in `regex` syntax.
    body: String,
}

/// What an escape stands for when it is not an assertion or backreference.
enum Escaped {
    /// One code point; a value in the surrogate range is a lone surrogate.
    Char(u32),
    Set(Set),
}

/// One entry of a bracketed class.
enum ClassItem {
    Range(u32, u32),
    Set(Set),
}

impl From<Escaped> for ClassItem {
    fn from(escaped: Escaped) -> ClassItem {
        match escaped {
            Escaped::Char(c) => ClassItem::Range(c, c),
            Escaped::Set(set) => ClassItem::Set(set),
        }
    }
}

/// A `{n}`, `{n,}` or `{n,m}` quantifier.
struct Braced {
    min: u64,
    max: Option<Option<u64>>,
    /// Index just past the `}`.
    end: usize,
}

type Result<T, E = PatternError> = std::result::Result<T, E>;

/// A recursive-descent reader of the ECMA grammar (with the web-compatibility
/// rules of Annex B, which is what ECMA engines run) that writes the
/// translation as it goes.
struct Translator<'a> {
    ecma: &'a str,
    chars: Vec<char>,
    pos: usize,
    engine: Engine,
    out: String,
    /// Capturing groups in the whole pattern: ECMA decides whether `\3` is a
    /// backreference from this count, including groups to the right.
    groups: u32,
    /// Named groups and their numbers, in order.
    names: Vec<(String, u32)>,
    needs_backtracking: bool,
    depth: usize,
    /// Capturing groups opened so far.
    opened: u32,
    /// Capturing groups whose `)` has been read.
    closed: Vec<u32>,
    /// How many lookbehinds we are inside.
    lookbehinds: usize,
}

impl<'a> Translator<'a> {
    fn run(ecma: &'a str, engine: Engine) -> Result<Translated> {
        let chars: Vec<char> = ecma.chars().collect();
        let (groups, names) = count_groups(&chars);
        let mut translator = Translator {
            ecma,
            chars,
            pos: 0,
            engine,
            out: String::with_capacity(ecma.len() * 2),
            groups,
            names,
            needs_backtracking: false,
            depth: 0,
            opened: 0,
            closed: Vec::new(),
            lookbehinds: 0,
        };
        translator.disjunction()?;
        if translator.pos < translator.chars.len() {
            // `disjunction` only stops early at a `)` it did not open.
            return Err(translator.error_at(translator.pos, "unmatched `)`"));
        }
        Ok(Translated {
            regex: translator.out,
            needs_backtracking: translator.needs_backtracking,
        })
    }

    fn error_at(&self, pos: usize, message: &str) -> PatternError {
        PatternError::new(format!(
            "invalid pattern {:?}: {message} (at character {pos})",
            self.ecma
        ))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, pos: usize) -> Option<char> {
        self.chars.get(pos).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.pos += 1;
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn eat_str(&mut self, s: &str) -> bool {
        let len = s.chars().count();
        let matches = self.pos + len <= self.chars.len()
            && s.chars().zip(&self.chars[self.pos..]).all(|(a, &b)| a == b);
        if matches {
            self.pos += len;
        }
        matches
    }

    // Disjunction :: Alternative ( `|` Alternative )*
    fn disjunction(&mut self) -> Result<()> {
        loop {
            while !matches!(self.peek(), None | Some('|') | Some(')')) {
                self.term()?;
            }
            if !self.eat('|') {
                return Ok(());
            }
            self.out.push('|');
        }
    }

    // Term :: Assertion | Atom Quantifier?
    fn term(&mut self) -> Result<()> {
        let start = self.pos;
        let Some(c) = self.bump() else {
            return Ok(());
        };
        let term = match c {
            '^' | '$' => {
                // Without the `m` flag these are start and end of input, which
                // is also what they mean to both engines.
                self.out.push(c);
                Term::Assertion
            }
            '\\' => self.atom_escape()?,
            '(' => self.group(start)?,
            '.' => {
                self.out.push_str(DOT);
                Term::Atom
            }
            '[' => {
                self.class(start)?;
                Term::Atom
            }
            '*' | '+' | '?' => return Err(self.error_at(start, "nothing to repeat")),
            '{' => {
                // Annex B: a `{` that does not start a quantifier is a literal,
                // but a quantifier with nothing before it is an error.
                if self.braced_at(start).is_some() {
                    return Err(self.error_at(start, "nothing to repeat"));
                }
                self.push_char(u32::from('{'));
                Term::Atom
            }
            // Everything else, including a lone `]` or `}` (Annex B), is itself.
            c => {
                self.push_char(u32::from(c));
                Term::Atom
            }
        };
        self.quantifier(term)
    }

    /// An optional quantifier after an atom or assertion.
    fn quantifier(&mut self, term: Term) -> Result<()> {
        let start = self.pos;
        let text = match self.peek() {
            Some(c @ ('*' | '+' | '?')) => {
                self.pos += 1;
                c.to_string()
            }
            Some('{') => match self.braced_at(self.pos) {
                Some(braced) => {
                    self.pos = braced.end;
                    self.braced_text(&braced, start)?
                }
                None => return Ok(()),
            },
            _ => return Ok(()),
        };
        let lazy = self.eat('?');
        match term {
            Term::Assertion => {
                return Err(self.error_at(start, "an assertion cannot be quantified"));
            }
            Term::Empty => {}
            Term::Atom => {
                self.out.push_str(&text);
                if lazy {
                    self.out.push('?');
                }
            }
        }
        // ECMA has neither possessive (`a*+`) nor stacked (`a{2}{3}`) quantifiers.
        let stacked = match self.peek() {
            Some('*' | '+' | '?') => true,
            Some('{') => self.braced_at(self.pos).is_some(),
            _ => false,
        };
        if stacked {
            return Err(self.error_at(self.pos, "nothing to repeat"));
        }
        Ok(())
    }

    /// Reads `{n}`, `{n,}` or `{n,m}` at `at` without consuming it; `None`
    /// when the text there is not a quantifier.
    fn braced_at(&self, at: usize) -> Option<Braced> {
        if self.peek_at(at) != Some('{') {
            return None;
        }
        let (min, mut i) = self.number_at(at + 1)?;
        let max = if self.peek_at(i) == Some(',') {
            match self.number_at(i + 1) {
                Some((max, next)) => {
                    i = next;
                    Some(Some(max))
                }
                None => {
                    i += 1;
                    Some(None)
                }
            }
        } else {
            None
        };
        if self.peek_at(i) != Some('}') {
            return None;
        }
        Some(Braced {
            min,
            max,
            end: i + 1,
        })
    }

    /// Decimal digits at `at` (saturating), and the index after them.
    fn number_at(&self, at: usize) -> Option<(u64, usize)> {
        let mut i = at;
        let mut value: u64 = 0;
        while let Some(digit) = self.peek_at(i).and_then(|c| c.to_digit(10)) {
            value = value.saturating_mul(10).saturating_add(u64::from(digit));
            i += 1;
        }
        (i > at).then_some((value, i))
    }

    fn braced_text(&self, braced: &Braced, start: usize) -> Result<String> {
        let limit = u64::from(u32::MAX);
        let too_large = braced.min > limit || matches!(braced.max, Some(Some(max)) if max > limit);
        if too_large {
            return Err(self.error_at(start, "quantifier bound too large"));
        }
        Ok(match braced.max {
            None => format!("{{{}}}", braced.min),
            Some(None) => format!("{{{},}}", braced.min),
            Some(Some(max)) if max < braced.min => {
                return Err(self.error_at(start, "numbers out of order in `{}` quantifier"));
            }
            Some(Some(max)) => format!("{{{},{}}}", braced.min, max),
        })
    }

    /// A group of any kind; `start` is the index of its `(`.
    fn group(&mut self, start: usize) -> Result<Term> {
        self.depth += 1;
        if self.depth > MAX_NESTING {
            return Err(self.error_at(start, "groups are nested too deeply"));
        }
        let mut capture = None;
        let mut lookbehind = false;
        let term = if self.peek() != Some('?') {
            capture = Some(self.next_group());
            self.out.push('(');
            Term::Atom
        } else if self.eat_str("?:") {
            self.out.push_str("(?:");
            Term::Atom
        } else if let Some(open) = ["?=", "?!", "?<=", "?<!"]
            .into_iter()
            .find(|open| self.eat_str(open))
        {
            // Same syntax in fancy_regex; ECMA (Annex B) lets a lookahead take
            // a quantifier, which is pointless and which fancy_regex rejects.
            self.needs_backtracking = true;
            lookbehind = open.starts_with("?<");
            self.out.push('(');
            self.out.push_str(open);
            Term::Assertion
        } else if self.eat_str("?<") {
            capture = Some(self.next_group());
            self.group_name(start)?;
            Term::Atom
        } else {
            return Err(self.error_at(
                start,
                "unsupported group: `(?` must be followed by `:`, `=`, `!`, `<=`, `<!` or `<name>`",
            ));
        };
        self.lookbehinds += usize::from(lookbehind);
        self.disjunction()?;
        self.lookbehinds -= usize::from(lookbehind);
        if !self.eat(')') {
            return Err(self.error_at(start, "unterminated group"));
        }
        self.out.push(')');
        self.closed.extend(capture);
        self.depth -= 1;
        Ok(term)
    }

    fn next_group(&mut self) -> u32 {
        self.opened += 1;
        self.opened
    }

    /// The rest of `(?<name>`, after `(?<`.
    fn group_name(&mut self, start: usize) -> Result<()> {
        let name = self.read_name(start)?;
        if self.names.iter().filter(|(n, _)| *n == name).count() > 1 {
            return Err(self.error_at(start, "duplicate group name"));
        }
        // Names do not change what matches (`\k<name>` becomes a numbered
        // reference), so a name either engine might dislike is left out.
        let mut chars = name.chars();
        let plain = chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
        if plain {
            self.out.push_str("(?<");
            self.out.push_str(&name);
            self.out.push('>');
        } else {
            self.out.push('(');
        }
        Ok(())
    }

    /// A group name up to and including its `>`.
    fn read_name(&mut self, start: usize) -> Result<String> {
        let mut name = String::new();
        loop {
            match self.bump() {
                Some('>') => break,
                Some(c) if c.is_alphanumeric() || c == '_' || c == '$' => name.push(c),
                _ => return Err(self.error_at(start, "invalid group name")),
            }
        }
        let starts_well = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$');
        if !starts_well {
            return Err(self.error_at(start, "invalid group name"));
        }
        Ok(name)
    }

    /// An escape outside a class, after the `\`.
    fn atom_escape(&mut self) -> Result<Term> {
        let start = self.pos - 1;
        match self.peek() {
            Some(c @ ('b' | 'B')) => {
                self.pos += 1;
                self.word_boundary(c == 'b');
                return Ok(Term::Assertion);
            }
            // With named groups in the pattern `\k` must name one; without
            // any it is a plain `k` (Annex B).
            Some('k') if !self.names.is_empty() => {
                self.pos += 1;
                if !self.eat('<') {
                    return Err(self.error_at(start, "`\\k` must be followed by `<name>`"));
                }
                let name = self.read_name(start)?;
                let Some(&(_, number)) = self.names.iter().find(|(n, _)| *n == name) else {
                    return Err(self.error_at(start, "`\\k` names a group that does not exist"));
                };
                return self.backreference(number, start);
            }
            // `\N` is a backreference when there are at least N groups;
            // otherwise (Annex B) an octal escape, or `8`/`9` themselves.
            Some('1'..='9') => {
                if let Some((number, end)) = self.number_at(self.pos) {
                    if number <= u64::from(self.groups) {
                        self.pos = end;
                        return self.backreference(number as u32, start);
                    }
                }
            }
            _ => {}
        }
        match self.char_escape(false)? {
            Escaped::Char(c) => self.push_char(c),
            Escaped::Set(set) => {
                self.out.push('[');
                push_set(&mut self.out, &set, false);
                self.out.push(']');
            }
        }
        Ok(Term::Atom)
    }

    fn word_boundary(&mut self, boundary: bool) {
        // ECMA word characters are ASCII only.
        let text = match (self.engine, boundary) {
            (Engine::Linear, true) => r"(?-u:\b)",
            (Engine::Linear, false) => r"(?-u:\B)",
            (Engine::Backtracking, true) => WORD_BOUNDARY_LOOKAROUND,
            (Engine::Backtracking, false) => NOT_WORD_BOUNDARY_LOOKAROUND,
        };
        self.out.push_str(text);
    }

    fn backreference(&mut self, number: u32, start: usize) -> Result<Term> {
        // A lookbehind matches right to left in ECMA, which would turn the
        // reasoning below around.
        if self.lookbehinds > 0 {
            return Err(self.error_at(
                start,
                "backreferences inside a lookbehind are not supported",
            ));
        }
        // In ECMA a reference to a group that has not matched matches the
        // empty string. One to a group not closed yet at this point (a
        // forward reference, or one from inside the group) always does, as
        // quantifiers clear the captures inside them on each iteration.
        if !self.closed.contains(&number) {
            return Ok(Term::Empty);
        }
        // Otherwise the group may still not have matched (`(?:(a)|b)\1`):
        // fancy_regex fails such a reference unless it is made conditional.
        self.needs_backtracking = true;
        self.out.push_str(&format!("(?:(?({number})\\{number}))"));
        Ok(Term::Atom)
    }

    /// A character or class escape, after the `\`, in or out of a class.
    fn char_escape(&mut self, in_class: bool) -> Result<Escaped> {
        let start = self.pos - 1;
        let Some(c) = self.bump() else {
            return Err(self.error_at(start, "`\\` at end of pattern"));
        };
        let set = |negated: bool, body: &str| {
            Escaped::Set(Set {
                negated,
                body: body.to_string(),
            })
        };
        Ok(match c {
            'd' => set(false, DIGIT),
            'D' => set(true, DIGIT),
            'w' => set(false, WORD),
            'W' => set(true, WORD),
            's' => set(false, SPACE),
            'S' => set(true, SPACE),
            'p' | 'P' => match self.property(c == 'P') {
                Some(set) => Escaped::Set(set),
                None => Escaped::Char(u32::from(c)),
            },
            'f' => Escaped::Char(0x0C),
            'n' => Escaped::Char(0x0A),
            'r' => Escaped::Char(0x0D),
            't' => Escaped::Char(0x09),
            'v' => Escaped::Char(0x0B),
            'b' if in_class => Escaped::Char(0x08), // backspace
            'c' => match self.peek() {
                // Annex B also takes digits and `_` after `\c` in a class.
                Some(l)
                    if l.is_ascii_alphabetic()
                        || (in_class && (l.is_ascii_digit() || l == '_')) =>
                {
                    self.pos += 1;
                    Escaped::Char(u32::from(l) % 32)
                }
                // Annex B: otherwise `\c` is a backslash and the `c` is read
                // again as an ordinary character.
                _ => {
                    self.pos -= 1;
                    Escaped::Char(u32::from('\\'))
                }
            },
            '0'..='7' => {
                self.pos -= 1;
                Escaped::Char(self.legacy_octal())
            }
            'x' => match self.hex_at(self.pos, 2) {
                Some(value) => {
                    self.pos += 2;
                    Escaped::Char(value)
                }
                None => Escaped::Char(u32::from('x')), // Annex B
            },
            'u' => self.unicode_escape(),
            'k' if in_class && !self.names.is_empty() => {
                return Err(self.error_at(start, "`\\k` is not allowed in a class"));
            }
            // Annex B identity escape: any other character is itself.
            other => Escaped::Char(u32::from(other)),
        })
    }

    /// Annex B octal escape: `\0` to `\377`, at most three digits.
    fn legacy_octal(&mut self) -> u32 {
        let octal_digit = |c: Option<char>| c.and_then(|c| c.to_digit(8));
        let Some(first) = octal_digit(self.bump()) else {
            return 0; // unreachable: called on an octal digit
        };
        let max_digits = if first <= 3 { 3 } else { 2 };
        let mut value = first;
        for _ in 1..max_digits {
            match octal_digit(self.peek()) {
                Some(digit) => {
                    value = value * 8 + digit;
                    self.pos += 1;
                }
                None => break,
            }
        }
        value
    }

    /// `\uXXXX`, after the `u`; a high surrogate followed by an escaped low
    /// surrogate is the one code point they encode.
    fn unicode_escape(&mut self) -> Escaped {
        let Some(unit) = self.hex_at(self.pos, 4) else {
            return Escaped::Char(u32::from('u')); // Annex B: `\u` is `u`
        };
        self.pos += 4;
        if (0xD800..=0xDBFF).contains(&unit)
            && self.peek() == Some('\\')
            && self.peek_at(self.pos + 1) == Some('u')
        {
            if let Some(low @ 0xDC00..=0xDFFF) = self.hex_at(self.pos + 2, 4) {
                self.pos += 6;
                return Escaped::Char(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
            }
        }
        Escaped::Char(unit)
    }

    fn hex_at(&self, at: usize, digits: usize) -> Option<u32> {
        let hex = self.chars.get(at..at + digits)?;
        hex.iter()
            .try_fold(0, |value, c| Some(value * 16 + c.to_digit(16)?))
    }

    /// `{Name}` after `\p` or `\P`; `None` (leaving the input alone) when it
    /// is not there.
    fn property(&mut self, negated: bool) -> Option<Set> {
        if self.peek() != Some('{') {
            return None;
        }
        let end = (self.pos + 1..self.chars.len()).find(|&i| self.chars[i] == '}')?;
        let name: String = self.chars[self.pos + 1..end].iter().collect();
        let well_formed = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '=');
        if !well_formed {
            return None;
        }
        self.pos = end + 1;
        let body = match JAVA_POSIX.iter().find(|(java, _)| *java == name) {
            Some((_, body)) => body.to_string(),
            // Checked by the engine when the pattern is compiled.
            None => format!("\\p{{{name}}}"),
        };
        Some(Set { negated, body })
    }

    /// A bracketed class; `start` is the index of its `[`.
    fn class(&mut self, start: usize) -> Result<()> {
        let negated = self.eat('^');
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.error_at(start, "unterminated character class")),
                // `]` right after `[` ends the class too: ECMA `[]` is empty.
                Some(']') => {
                    self.pos += 1;
                    break;
                }
                _ => {}
            }
            let first = self.class_atom()?;
            // A `-` makes a range unless it ends the class.
            let is_range =
                self.peek() == Some('-') && !matches!(self.peek_at(self.pos + 1), None | Some(']'));
            if !is_range {
                items.push(first.into());
                continue;
            }
            let dash = self.pos;
            self.pos += 1;
            match (first, self.class_atom()?) {
                (Escaped::Char(low), Escaped::Char(high)) => {
                    if low > high {
                        return Err(self.error_at(dash, "range out of order in character class"));
                    }
                    items.push(ClassItem::Range(low, high));
                }
                // Annex B: `[\w-.]` is `\w`, `-` and `.`.
                (first, last) => {
                    items.push(first.into());
                    items.push(ClassItem::Range(u32::from('-'), u32::from('-')));
                    items.push(last.into());
                }
            }
        }
        self.push_class(negated, &items);
        Ok(())
    }

    fn class_atom(&mut self) -> Result<Escaped> {
        match self.bump() {
            Some('\\') => self.char_escape(true),
            Some(c) => Ok(Escaped::Char(u32::from(c))),
            None => Err(self.error_at(self.pos, "unterminated character class")),
        }
    }

    fn push_class(&mut self, negated: bool, items: &[ClassItem]) {
        let mut body = String::new();
        for item in items {
            match item {
                ClassItem::Range(low, high) => {
                    for (low, high) in without_surrogates(*low, *high) {
                        push_class_char(&mut body, low);
                        if high > low {
                            body.push('-');
                            push_class_char(&mut body, high);
                        }
                    }
                }
                ClassItem::Set(set) => push_set(&mut body, set, true),
            }
        }
        // Only lone surrogates (or nothing) were listed: `regex` has no `[]`.
        if body.is_empty() {
            self.out.push_str(if negated { ANYTHING } else { NOTHING });
            return;
        }
        self.out.push('[');
        if negated {
            self.out.push('^');
        }
        self.out.push_str(&body);
        self.out.push(']');
    }

    /// One character outside a class.
    fn push_char(&mut self, c: u32) {
        let Some(c) = char::from_u32(c) else {
            // A lone surrogate: no Rust string contains one.
            self.out.push_str(NOTHING);
            return;
        };
        match c {
            '\\' | '.' | '+' | '*' | '?' | '(' | ')' | '|' | '[' | ']' | '{' | '}' | '^' | '$' => {
                self.out.push('\\');
                self.out.push(c);
            }
            c if needs_hex(c) => push_hex(&mut self.out, c),
            c => self.out.push(c),
        }
    }
}

/// `set` as the inside of a class: alone between `[` and `]`, or as one item
/// among others, where a negated set becomes a nested class (`[a[^0-9]]`),
/// which `regex` and `fancy_regex` both accept.
fn push_set(out: &mut String, set: &Set, among_others: bool) {
    match (set.negated, among_others) {
        (false, _) => out.push_str(&set.body),
        (true, false) => {
            out.push('^');
            out.push_str(&set.body);
        }
        (true, true) => {
            out.push_str("[^");
            out.push_str(&set.body);
            out.push(']');
        }
    }
}

/// `low..=high` minus the surrogate code points, as up to two ranges of chars.
fn without_surrogates(low: u32, high: u32) -> impl Iterator<Item = (char, char)> {
    let below = (low, high.min(0xD7FF));
    let above = (low.max(0xE000), high);
    [below, above]
        .into_iter()
        .filter(|(low, high)| low <= high)
        .filter_map(|(low, high)| Some((char::from_u32(low)?, char::from_u32(high)?)))
}

/// One character inside a class: `[`, `&&`, `--` and `~~` have meanings in
/// `regex` classes that they lack in ECMA, so those are escaped too.
fn push_class_char(out: &mut String, c: char) {
    match c {
        '\\' | '[' | ']' | '-' | '^' | '&' | '~' => {
            out.push('\\');
            out.push(c);
        }
        c if needs_hex(c) => push_hex(out, c),
        c => out.push(c),
    }
}

/// Controls, white space other than ` `, symbols, unassigned code points and
/// the like are written as `\x{...}`, to keep the translation readable.
fn needs_hex(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_control()
    } else {
        !c.is_alphanumeric()
    }
}

fn push_hex(out: &mut String, c: char) {
    out.push_str(&format!("\\x{{{:X}}}", u32::from(c)));
}

/// Counts the capturing groups of a pattern and lists its named groups, for
/// deciding what `\N` and `\k` mean before reading the pattern properly.
fn count_groups(chars: &[char]) -> (u32, Vec<(String, u32)>) {
    let mut groups = 0u32;
    let mut names = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '\\' => i += 1,
            '[' => {
                // Skip the class; a `]` right after `[` or `[^` closes it.
                i += 1;
                if chars.get(i) == Some(&'^') {
                    i += 1;
                }
                while i < chars.len() && chars[i] != ']' {
                    if chars[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            '(' => {
                let next = chars.get(i + 1..).unwrap_or_default();
                match next {
                    ['?', '<', c, ..] if *c != '=' && *c != '!' => {
                        groups = groups.saturating_add(1);
                        let name: String = next[2..].iter().take_while(|&&c| c != '>').collect();
                        names.push((name, groups));
                    }
                    ['?', ..] => {}
                    _ => groups = groups.saturating_add(1),
                }
            }
            _ => {}
        }
        i += 1;
    }
    (groups, names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether `pattern` matches `value`, for patterns known to compile.
    fn matches(pattern: &str, value: &str) -> bool {
        let translated = translate(pattern).unwrap_or_else(|e| panic!("{e}"));
        let compiled = compile(pattern, &translated).unwrap_or_else(|e| panic!("{e}"));
        let result = match &compiled {
            Compiled::Linear(regex) => Ok(regex.is_match(value)),
            Compiled::Backtracking(regex) => regex.is_match(value),
        };
        result.unwrap_or_else(|e| panic!("{pattern:?} on {value:?}: {e}"))
    }

    fn assert_matches(pattern: &str, yes: &[&str], no: &[&str]) {
        for value in yes {
            assert!(
                matches(pattern, value),
                "{pattern:?} should match {value:?}"
            );
        }
        for value in no {
            assert!(
                !matches(pattern, value),
                "{pattern:?} should not match {value:?}"
            );
        }
    }

    fn regex_of(pattern: &str) -> String {
        translate(pattern).unwrap_or_else(|e| panic!("{e}")).regex
    }

    #[test]
    fn word_and_digit_are_ascii_only() {
        assert_matches(r"^\w+$", &["abc_XYZ_019"], &["é", "١", "a-b"]);
        assert_matches(r"^\d+$", &["0123456789"], &["١", "a"]);
        assert_matches(r"^\W$", &["é", "-", "١"], &["a", "_", "7"]);
        assert_matches(r"^\D$", &["١", "x"], &["7"]);
        assert_eq!(regex_of(r"\d\w\/"), "[0-9][A-Za-z0-9_]/");
    }

    #[test]
    fn space_is_ecma_white_space_and_line_terminators() {
        let spaces = [
            "\t", "\n", "\u{B}", "\u{C}", "\r", " ", "\u{A0}", "\u{1680}", "\u{2000}", "\u{200A}",
            "\u{2028}", "\u{2029}", "\u{202F}", "\u{205F}", "\u{3000}", "\u{FEFF}",
        ];
        let others = ["\u{85}", "\u{200B}", "\u{180E}", "a", "\u{0}"];
        assert_matches(r"^\s$", &spaces, &others);
        assert_matches(r"^\S$", &others, &spaces);
        // The same inside classes, negated ones as nested classes.
        assert_matches(r"^[\sa]+$", &["a \u{3000}a"], &["\u{85}"]);
        assert_matches(r"^[a\S]$", &["a", "\u{85}"], &[" ", "\u{FEFF}"]);
        assert_matches(r"^[^\S]$", &["\u{A0}"], &["\u{85}", "b"]);
        assert_matches(r"^[\D\s]+$", &["ab c"], &["a1"]);
    }

    #[test]
    fn word_boundary_is_ascii() {
        // é is not an ECMA word character, so `foo` in `éfooé` has boundaries.
        assert_matches(
            r"\bfoo\b",
            &["a foo b", "éfooé", "foo"],
            &["afoo", "foo_", "foo1"],
        );
        assert_matches(r"\Bfoo", &["afoo", "_foo"], &["foo", "éfoo"]);
        // The backtracking engine spells it differently but agrees.
        assert_matches(r"(?=.)\bfoo\b", &["a foo b", "éfooé"], &["afoo"]);
        assert_matches(r"(?=.)\Bfoo", &["afoo"], &["éfoo"]);
        // In a class, `\b` is a backspace and `\B` a `B`.
        assert_matches(r"^[\b\B]+$", &["\u{8}B"], &["b"]);
    }

    #[test]
    fn dot_excludes_line_terminators_only() {
        assert_matches(
            "^.$",
            &["a", "\u{85}", "\u{0}", "😀"],
            &["\n", "\r", "\u{2028}", "\u{2029}", ""],
        );
        // ECMA `[^]` is any character at all, and `[]` none.
        assert_matches("^[^]$", &["\n", "😀"], &["", "ab"]);
        assert_matches("a[]", &[], &["a", "a[]"]);
        assert_matches("^a[]?$", &["a"], &["a[]"]);
    }

    #[test]
    fn athena_key_string_accepts_astral_characters() {
        // com.amazonaws.athena#KeyString
        let key_string = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDC00-\uDBFF\uDFFF\t]*$";
        check(key_string).unwrap();
        assert!(!translate(key_string).unwrap().needs_backtracking);
        assert_matches(
            key_string,
            &["", "key", "😀", "a\tb", "\u{E000}\u{FFFD}", "\u{10FFFF}"],
            &["\n", "\u{1}", "key\r", "\u{FFFE}", "\u{FFFF}"],
        );
        // Elsewhere in the models: `\uD800\uDBFF-\uDC00\uDFFF` is four lone
        // surrogates, which leave no room for astral characters.
        let no_pairs = r"^[\u0020-\uD7FF\uE000-\uFFFD\uD800\uDBFF-\uDC00\uDFFF\r\n\t]*$";
        assert_matches(no_pairs, &["key\n"], &["😀"]);
    }

    #[test]
    fn surrogate_pairs_are_code_points() {
        assert_eq!(regex_of(r"\uD83D\uDE00"), r"\x{1F600}");
        // The translations runtime/tests/validation.rs runs.
        assert_eq!(
            regex_of(r"^[\uD83D\uDE00-\uD83D\uDE4F]+$"),
            r"^[\x{1F600}-\x{1F64F}]+$"
        );
        for (ecma, regex, backtracking) in [
            ("^([0-9]+)+$", "^([0-9]+)+$", false),
            ("^(?=[0-9])([0-9]+)+$", "^(?=[0-9])([0-9]+)+$", true),
            (r"^(([0-9]+)+)\1$", r"^(([0-9]+)+)(?:(?(1)\1))$", true),
            ("^(?!x)(0|00)+$", "^(?!x)(0|00)+$", true),
        ] {
            let translated = translate(ecma).unwrap();
            assert_eq!(
                (translated.regex.as_str(), translated.needs_backtracking),
                (regex, backtracking)
            );
        }
        assert_matches(r"^[\uD83D\uDE00]$", &["😀"], &["😁", "a", "😀😀", ""]);
        assert_matches(r"^\uD83D\uDE00+$", &["😀", "😀😀"], &["😁"]);
        let astral = r"^[\uD800\uDC00-\uDBFF\uDFFF]+$";
        assert_matches(
            astral,
            &["😀𝄞", "\u{10000}", "\u{10FFFF}"],
            &["a", "é", "\u{FFFF}"],
        );
        assert_matches(r"^[\uD83D\uDE00-\uD83D\uDE4F]$", &["😀", "🙏"], &["🚀"]);
        // Lone surrogates match nothing: dropped from classes ...
        assert_matches(r"^[\uD800a]$", &["a"], &["😀", "\u{D7FF}"]);
        assert_matches(r"^[^\uD800]$", &["x", "😀"], &[""]);
        assert_matches(r"^[\uD800-\uDFFF]?$", &[""], &["😀"]);
        // ... and, outside, an atom that never matches (still quantifiable).
        assert_matches(r"\uD800", &[], &["\u{D7FF}", "😀", ""]);
        assert_matches(r"^a\uD83D?b$", &["ab"], &["a😀b"]);
        assert_matches(r"^\uDE00\uD83D$", &[], &["😀"]);
        // A pair the wrong way round is two lone surrogates.
        assert!(check(r"[\uD83D\uDE00-\uDE4F]").is_err());
    }

    #[test]
    fn emr_serverless_role_arn_with_unicode_escapes() {
        // com.amazonaws.emrserverless#IAMRoleArn
        let arn = r"^arn:(aws[a-zA-Z0-9-]*):iam::([0-9]{12}):(role((\u002F)|(\u002F[\u0021-\u007F]+\u002F))[\w+=,.@-]+)$";
        assert_matches(
            arn,
            &[
                "arn:aws:iam::123456789012:role/MyRole",
                "arn:aws-cn:iam::123456789012:role/path/to/My+Role@x",
            ],
            &[
                "arn:aws:iam::123:role/x",
                "arn:aws:iam::123456789012:role/",
                "arn:aws:iam::123456789012:user/MyRole",
                "arn:aws:iam::123456789012:role/My Role",
            ],
        );
    }

    #[test]
    fn lookaround_and_backreferences() {
        assert!(translate("^(?!foo).*$").unwrap().needs_backtracking);
        assert_matches("^(?!foo).*$", &["barfoo", ""], &["foobar"]);
        assert_matches("^(?=.*[0-9])[a-z0-9]+$", &["abc1"], &["abc"]);
        assert_matches(r"^[0-9A-Za-z\.\-_]*(?<!\.)$", &["a.b"], &["a."]);
        assert_matches("(?<!a)b", &["cb", "b"], &["ab"]);
        assert_matches(r"^(a+)\1$", &["aaaa", "aa"], &["aaa"]);
        assert_matches(r"^(?<q>['x])[a-z]*\k<q>$", &["'abc'", "xax"], &["'abc"]);
        assert_matches(
            r"^(\d{4})-(?<year>\d{4})/\k<year>/\2/\1$",
            &["1999-2024/2024/2024/1999"],
            &["1999-2024/2023/2024/1999"],
        );
        // ECMA: a group that has not matched, or not yet, matches "".
        assert_matches(r"^(?:(a)|b)\1$", &["b", "aa"], &["a", "ba"]);
        assert_matches(r"^\1(a)$", &["a"], &["aa"]);
        assert_matches(r"^(a\1)+$", &["a", "aa"], &["b"]);
        assert_eq!(regex_of(r"\1*(a\1{2})"), "(a)");
        assert_matches(r"^x\1{2}(a)$", &["xa"], &[]);
        assert!(check(r"(a)(?<=\1)").is_err());
        // Ten groups make `\10` a backreference ...
        let ten = r"^(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)\10$";
        assert_matches(ten, &["abcdefghijj"], &["abcdefghija0"]);
        // ... with one group it is an octal escape (Annex B): U+0008.
        assert_matches(r"^(a)\10$", &["a\u{8}"], &["aa0"]);
    }

    #[test]
    fn braces_that_are_not_quantifiers_are_literal() {
        assert_matches("^a{$", &["a{"], &["a"]);
        assert_matches("^{foo}$", &["{foo}"], &["foo"]);
        assert_matches("^a{,5}$", &["a{,5}"], &["aaaaa"]);
        assert_matches("^a}$", &["a}"], &[]);
        assert_matches("^x{1,2}$", &["x", "xx"], &["xxx", "x{1,2}", ""]);
        assert_matches("^x{2}$", &["xx"], &["x"]);
        assert_matches("^x{2,}?$", &["xx", "xxx"], &["x"]);
        assert_matches("^x*{$", &["xx{", "{"], &["x"]);
        for bad in [
            "{1}", "a{2,1}", "a**", "a+*", "a{2}{3}", "^*", r"\b+", "(?=a)*",
        ] {
            assert!(check(bad).is_err(), "{bad:?} should be rejected");
        }
    }

    #[test]
    fn class_syntax_regex_reads_differently_is_escaped() {
        assert_matches("^[[]$", &["["], &["[]"]);
        assert_matches("^[a-c&&b]$", &["&", "a", "b", "c"], &["d"]);
        assert_matches("^[a~~]$", &["~", "a"], &["b"]);
        assert_matches("^[--/]$", &["-", ".", "/"], &["a"]);
        assert_matches("^[a-]$", &["a", "-"], &["b"]);
        assert_matches("^[^^]$", &["a"], &["^"]);
        assert_matches(r"^[\]]$", &["]"], &[]);
        assert_matches("^]$", &["]"], &[]);
        // Annex B: a class escape as a range end is a union with `-`.
        assert_matches(r"^[\w-.]+$", &["a-b.c"], &["a b"]);
        assert_matches(r"^[\d-z]$", &["-", "5", "z"], &["y"]);
        // Seen in the models: `[(0-9a-zA-Z)-?]` has the range `)-?`.
        assert_matches("^[(0-9a-zA-Z)-?]+$", &["(a)*?"], &["@"]);
        assert!(check("[z-a]").is_err());
    }

    #[test]
    fn character_escapes() {
        assert_matches(r"^\x41\u0042\103$", &["ABC"], &[]);
        assert_matches(r"^\0$", &["\u{0}"], &["0"]);
        assert_matches(r"^\08$", &["\u{0}8"], &[]);
        assert_matches(r"^\cJ\cj$", &["\n\n"], &[]);
        assert_matches(r"^[\c1]$", &["\u{11}"], &["1"]);
        assert_matches(r"^\c1$", &["\\c1"], &[]);
        assert_matches(r"^\t\n\v\f\r$", &["\t\n\u{B}\u{C}\r"], &[]);
        assert_matches(r"^\/\-\<\>\!\=\#\_\é$", &["/-<>!=#_é"], &[]);
        assert_matches(r"^\$\^\.\*\+\?\(\)\|\{\}\[\]\\$", &[r"$^.*+?()|{}[]\"], &[]);
        // Without groups, `\1` is octal and `\8` is `8`.
        assert_matches(r"^\1\8$", &["\u{1}8"], &[]);
        // Without named groups, `\k` is `k`.
        assert_matches(r"^\k<a>$", &["k<a>"], &[]);
        // Incomplete hex escapes are letters; `\u{2}` is `u` twice.
        assert_matches(r"^\xZ\u12$", &["xZu12"], &[]);
        assert_matches(r"^\u{2}$", &["uu"], &["\u{2}"]);
    }

    #[test]
    fn property_escapes_as_java_reads_them() {
        assert_matches(r"^\p{ASCII}*$", &["hello ~", ""], &["é"]);
        assert_matches(r"^\p{Print}+$", &["Hello, World!"], &["tab\t", "é"]);
        assert_matches(r"^\P{Print}$", &["\t", "é"], &["a"]);
        assert_matches(r"^[\p{Digit}\p{Punct}]+$", &["1.2"], &["a"]);
        assert_matches(r"^\p{L}+$", &["héllo"], &["1"]);
        assert_matches(r"^\pL$", &["pL"], &["a"]);
        assert!(check(r"\p{NoSuchProperty}").is_err());
    }

    #[test]
    fn bad_patterns_are_errors() {
        for bad in [
            "(",
            "(a",
            ")",
            "a)",
            "[a",
            "[",
            r"a\",
            "(?i:a)",
            "(?P<n>a)",
            "(?<1>a)",
            "(?<a>x)(?<a>y)",
            r"(?<a>x)\k<b>",
            r"(?<a>x)\k",
            "*",
            "+a",
        ] {
            let error = check(bad).expect_err(bad);
            assert!(error.to_string().contains(&format!("{bad:?}")), "{error}");
        }
        let deep = "(".repeat(10_000) + &")".repeat(10_000);
        assert!(check(&deep).is_err());
    }

    /// Every `smithy.api#pattern` in the shared AWS models translates and
    /// compiles, and runs without hitting the backtrack limit on a long value.
    #[test]
    fn aws_model_patterns_compile() {
        let Some(shared) = crate::test_shared::shared_dir() else {
            return;
        };
        let models = shared.join("aws-models");
        let entries = std::fs::read_dir(&models).unwrap();
        let mut patterns = Vec::new();
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "json") {
                let text = std::fs::read_to_string(&path).unwrap();
                let model: serde_json::Value = serde_json::from_str(&text).unwrap();
                collect_patterns(&model, &mut patterns);
            }
        }
        assert!(!patterns.is_empty(), "no patterns in {}", models.display());
        let long_value = "a".repeat(10_000);
        for pattern in &patterns {
            let translated = check(pattern).unwrap_or_else(|error| panic!("{error}"));
            let compiled = compile(pattern, &translated).unwrap();
            if let Compiled::Backtracking(regex) = compiled {
                if let Err(error) = regex.is_match(&long_value) {
                    panic!("{pattern:?}: {error}");
                }
            }
        }
    }

    fn collect_patterns(value: &serde_json::Value, patterns: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, value) in map {
                    match (key.as_str(), value) {
                        ("smithy.api#pattern", serde_json::Value::String(p)) => {
                            patterns.push(p.clone())
                        }
                        _ => collect_patterns(value, patterns),
                    }
                }
            }
            serde_json::Value::Array(values) => {
                for value in values {
                    collect_patterns(value, patterns);
                }
            }
            _ => {}
        }
    }

    /// Translation and compilation never panic, whatever the input.
    #[test]
    fn random_patterns_never_panic() {
        const ALPHABET: &[&str] = &[
            "(", ")", "[", "]", "{", "}", "\\", "^", "$", ".", "*", "+", "?", "|", "-", ",", "0",
            "1", "2", "9", "a", "b", "d", "w", "s", "u", "x", "c", "k", "p", "<", ">", "=", "!",
            ":", "&", "~", "D800", "DE00", "{1,2}", "(?<n>", "é", "😀",
        ];
        let mut state: u64 = 0x2545_F491_4F6C_DD1D;
        let mut next = move || {
            // Knuth's MMIX linear congruential generator.
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 33) as usize
        };
        let mut compiled = 0;
        for _ in 0..3_000 {
            let length = next() % 12;
            let pattern: String = (0..length)
                .map(|_| ALPHABET[next() % ALPHABET.len()])
                .collect();
            let Ok(translated) = translate(&pattern) else {
                continue;
            };
            match compile(&pattern, &translated) {
                Ok(Compiled::Linear(regex)) => {
                    compiled += 1;
                    regex.is_match("ab-0😀\n");
                }
                Ok(Compiled::Backtracking(regex)) => {
                    compiled += 1;
                    let _ = regex.is_match("ab-0😀\n");
                }
                // Unknown `\p{...}` names are left for the engine to reject;
                // anything else we translate must compile.
                Err(error) => assert!(
                    pattern.contains("\\p{") || pattern.contains("\\P{"),
                    "{pattern:?} -> {:?}: {error}",
                    translated.regex
                ),
            }
        }
        assert!(compiled > 100, "only {compiled} patterns compiled");
    }
}
