//! Reusing printed text: an item printed once with short placeholders for its names and
//! string literals gives the text of every later item of its skeleton, without a syntax
//! tree, when prettyplease would lay the later item out the same way.
//!
//! When it does is decided from how prettyplease chooses line breaks (Oppen's algorithm,
//! `prettyplease::algorithm`). A token's size is its length; a group of tokens is broken
//! across lines when its size exceeds the room left on the line, and a break inside a
//! broken group is taken when what follows it up to the next break does not fit. Room is
//! `max(MARGIN - indent, MIN_SPACE)` after the indentation of a line. Put the item's own
//! names into the text printed with placeholders, every one at least as long as its
//! placeholder:
//! - a break taken or a group broken in the template stays so: sizes only grew, and the
//!   room before it on its line only shrank;
//! - a group kept on one line, or a break not taken, stays so exactly when its line
//!   still fits, which is checked on every line that got longer.
//!
//! A doc comment made of one string is printed whole on its line whatever its length, so
//! its line is not checked.
//!
//! Two layout choices are not about room, and are kept out: prettyplease treats a name of
//! at most 4 characters as short in method chains (so shorter names are never replaced),
//! and it breaks a struct literal wider than 34 characters (so a line that grew and has
//! ` {` before its end, where a struct literal kept on one line would open, is not
//! reused). Names it looks at by their text (`doc`, `Self`, keywords) are short or
//! keywords, which stay in the skeleton. A string literal is replaced only when
//! prettyplease prints it as it is written, with no escapes, and in a doc comment as its
//! value, the same for a placeholder as for the original.
//!
//! An item the shortest placeholders do not fit gets a text printed with its own lengths,
//! which later items with names at least as long can take (`shapes::ItemCache`).

use super::shapes::{Skeleton, TextSpan};

/// prettyplease's line width and the least room it leaves after indentation
/// (`prettyplease::MARGIN` and `MIN_SPACE`, not public; `margin_and_room_are_prettypleases`
/// checks them).
const MARGIN: usize = 89;
const MIN_SPACE: usize = 60;

/// How long every placeholder is: names and string values at least this long are
/// replaced (prettyplease treats names up to 4 characters long differently).
pub(super) const PLACEHOLDER_LEN: usize = 5;

/// The first character of a name's placeholder and of a string literal's.
const NAME: u8 = b'Z';
const LITERAL: u8 = b'Y';

const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// The placeholder of the Nth name, or of the Nth string literal's value, `len` long: a
/// letter, four base-62 digits, and `_` up to the length. `None` past the last one.
pub(super) fn placeholder(literal: bool, index: usize, len: usize) -> Option<String> {
    if index >= 62usize.pow(4) {
        return None;
    }
    let mut text = String::with_capacity(len.max(PLACEHOLDER_LEN));
    text.push(if literal { LITERAL } else { NAME } as char);
    for power in (0..4).rev() {
        text.push(DIGITS[index / 62usize.pow(power) % 62] as char);
    }
    while text.len() < len {
        text.push('_');
    }
    Some(text)
}

/// N, when `word` (after its first letter) is the Nth placeholder: four base-62 digits,
/// then only `_`.
fn placeholder_index(word: &[u8]) -> Option<usize> {
    let (digits, padding) = word.get(1..)?.split_at_checked(PLACEHOLDER_LEN - 1)?;
    if !padding.iter().all(|&c| c == b'_') {
        return None;
    }
    digits.iter().try_fold(0, |index, &digit| {
        Some(index * 62 + DIGITS.iter().position(|&d| d == digit)?)
    })
}

fn is_ident_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

/// An item's printed text with its placeholders located.
pub(super) struct TextTemplate {
    text: String,
    slots: Vec<Slot>,
    lines: Vec<Line>,
}

/// Where a placeholder is in the text, how long, and which name or literal it stands for.
struct Slot {
    at: u32,
    len: u32,
    literal: bool,
    index: u32,
}

struct Line {
    /// The offset of the line's `\n` (every printed line ends with one).
    end: u32,
    /// The slots up to here.
    slots_end: u32,
    /// Leading spaces.
    indent: u32,
    /// A ` {` before the line's end: maybe a struct literal kept on one line.
    inner_brace: bool,
    /// A doc comment that is one placeholder: printed whole whatever its length.
    doc: bool,
}

impl TextTemplate {
    /// Locates the placeholders in `text`, printed from a tree where `names[i]` and
    /// `literals[i]` say which names and literals were placeholders. `None` unless each
    /// placeholder is found exactly once, and nothing else looks like one.
    pub(super) fn new(text: String, names: &[TextSpan], literals: &[TextSpan]) -> Option<Self> {
        let bytes = text.as_bytes();
        let mut seen_names = vec![false; names.len()];
        let mut seen_literals = vec![false; literals.len()];
        let mut slots: Vec<Slot> = Vec::new();
        let mut lines = Vec::new();
        let mut line_start = 0;
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b == b'\n' {
                let line = &bytes[line_start..at];
                let indent = line.iter().take_while(|&&c| c == b' ').count();
                let inner_brace = line
                    .windows(2)
                    .rposition(|pair| pair == b" {")
                    .is_some_and(|i| i + 2 < line.len());
                let line_slots: &[Slot] =
                    &slots[lines.last().map_or(0, |l: &Line| l.slots_end as usize)..];
                let doc = matches!(line_slots, [slot] if slot.literal
                    && slot.at as usize == line_start + indent + 3
                    && slot.at as usize + slot.len as usize == at
                    && (line[indent..].starts_with(b"///") || line[indent..].starts_with(b"//!")));
                lines.push(Line {
                    end: at as u32,
                    slots_end: slots.len() as u32,
                    indent: indent as u32,
                    inner_brace,
                    doc,
                });
                at += 1;
                line_start = at;
                continue;
            }
            let starts_word = at == 0 || !is_ident_byte(bytes[at - 1]);
            if (b == NAME || b == LITERAL) && starts_word {
                let word_end = bytes[at..]
                    .iter()
                    .position(|&c| !is_ident_byte(c))
                    .map_or(bytes.len(), |i| at + i);
                if let Some(index) = placeholder_index(&bytes[at..word_end]) {
                    let (seen, spans) = if b == LITERAL {
                        (&mut seen_literals, literals)
                    } else {
                        (&mut seen_names, names)
                    };
                    // Found twice, or standing for nothing replaced: not a placeholder
                    // this template can trust.
                    if !spans.get(index)?.placeholder || std::mem::replace(&mut seen[index], true) {
                        return None;
                    }
                    slots.push(Slot {
                        at: at as u32,
                        len: (word_end - at) as u32,
                        literal: b == LITERAL,
                        index: index as u32,
                    });
                }
                at = word_end.max(at + 1);
                continue;
            }
            at += 1;
        }
        if line_start != bytes.len() {
            return None;
        }
        let all_found = |seen: &[bool], spans: &[TextSpan]| {
            seen.iter()
                .zip(spans)
                .all(|(&s, span)| s == span.placeholder)
        };
        if !all_found(&seen_names, names) || !all_found(&seen_literals, literals) {
            return None;
        }
        Some(TextTemplate { text, slots, lines })
    }

    /// Appends the text with the skeleton's own names and literals in the placeholders'
    /// places, if prettyplease would print it so (see the module's documentation): each
    /// at least as long as its placeholder, and each line that grew within the margin
    /// (a doc comment is printed whole however long). Otherwise appends nothing and
    /// returns false.
    pub(super) fn render(&self, skeleton: &Skeleton, out: &mut String) -> bool {
        let shorter = |slot: &Slot| {
            skeleton.text_of(slot.literal, slot.index as usize).len() < slot.len as usize
        };
        if self.slots.iter().any(shorter) {
            return false;
        }
        let start = out.len();
        let mut line_start = 0;
        let mut slot = 0;
        for line in &self.lines {
            let out_line_start = out.len();
            let mut grew = false;
            let mut at = line_start;
            for slot in &self.slots[slot..line.slots_end as usize] {
                out.push_str(&self.text[at..slot.at as usize]);
                let text = skeleton.text_of(slot.literal, slot.index as usize);
                grew |= text.len() > slot.len as usize;
                out.push_str(text);
                at = (slot.at + slot.len) as usize;
            }
            slot = line.slots_end as usize;
            out.push_str(&self.text[at..line.end as usize]);
            if grew && !line.doc {
                let indent = line.indent as usize;
                let room = MARGIN.saturating_sub(indent).max(MIN_SPACE);
                if line.inner_brace || out.len() - out_line_start > indent + room {
                    out.truncate(start);
                    return false;
                }
            }
            out.push('\n');
            line_start = line.end as usize + 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_are_numbered_apart_and_as_long_as_asked() {
        assert_eq!(placeholder(false, 0, 5).unwrap(), "Z0000");
        assert_eq!(placeholder(true, 63, 5).unwrap(), "Y0011");
        assert_eq!(placeholder(false, 62usize.pow(4) - 1, 5).unwrap(), "Zzzzz");
        assert_eq!(placeholder(false, 2, 8).unwrap(), "Z0002___");
        assert!(placeholder(false, 62usize.pow(4), 5).is_none());
        // And read back from the text; other words are not placeholders.
        for (word, index) in [
            ("Z0000", Some(0)),
            ("Y0011", Some(63)),
            ("Z0002___", Some(2)),
        ] {
            assert_eq!(placeholder_index(word.as_bytes()), index, "{word}");
        }
        for word in ["Zone", "Zone_", "Z00_1", "Z0001a", "Z000!"] {
            assert_eq!(placeholder_index(word.as_bytes()), None, "{word}");
        }
    }

    /// The text check stands on prettyplease's line width: a line as long as the margin
    /// allows stays whole, one character more is broken.
    #[test]
    fn margin_and_room_are_prettypleases() {
        let call = |name_len: usize, depth: usize| {
            let name = "a".repeat(name_len);
            let mut item = format!("fn f() {{ {name}(bbbbbbbbbb, cccccccccc); }}");
            for _ in 0..depth {
                item = format!("mod m {{ {item} }}");
            }
            let printed = prettyplease::unparse(&syn::parse_str(&item).unwrap());
            let line = printed
                .lines()
                .find(|l| l.contains("aaa"))
                .unwrap()
                .to_string();
            (line.len(), line.trim_start().len(), line.ends_with(';'))
        };
        // At the top level the call sits after 4 spaces: `name(b, c);` fits in 89 - 4.
        let fitting = "(bbbbbbbbbb, cccccccccc);".len();
        let (len, _, whole) = call(MARGIN - 4 - fitting, 0);
        assert!(whole && len == MARGIN, "{len}");
        let (_, _, whole) = call(MARGIN - 4 - fitting + 1, 0);
        assert!(!whole);
        // Deep in modules, the room is MIN_SPACE after the indentation.
        let depth = 10;
        let (_, content, whole) = call(MIN_SPACE - fitting, depth);
        assert!(whole && content == MIN_SPACE, "{content}");
        let (_, _, whole) = call(MIN_SPACE - fitting + 1, depth);
        assert!(!whole);
    }
}
