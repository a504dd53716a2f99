//! Documentation traits as `#[doc]` attributes. AWS models write documentation in HTML; it is
//! turned into Markdown so rustdoc shows text, links and code, not tags.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use proc_macro2::TokenStream;
use quote::quote;

use crate::format::DOC_MARKER;

/// The documentation of the file being rendered. Each text is set aside here and only a
/// short marker attribute goes into the token stream (`///` + marker + index once
/// printed), so syn and prettyplease, most of the generator's time, never see the text;
/// [`crate::format::format_file`] puts it back. One per file, handed to the emitters in
/// their [`super::Context`].
pub struct Docs<'a> {
    texts: RefCell<DocTexts>,
    markdown: &'a Markdown,
}

/// The Markdown of every documentation string converted so far, shared by the parts of
/// a crate: a member's documentation serves its field, accessor and setters in several
/// files.
#[derive(Default)]
pub struct Markdown(Mutex<HashMap<String, Arc<str>, foldhash::fast::RandomState>>);

impl Markdown {
    fn of(&self, doc: &str) -> Arc<str> {
        let known = |map: &Self| {
            let map = map.0.lock().unwrap_or_else(|e| e.into_inner());
            map.get(doc).cloned()
        };
        if let Some(text) = known(self) {
            return text;
        }
        // Converted outside the lock; another part converting the same text meanwhile
        // gets the same Markdown.
        let text: Arc<str> = html_to_markdown(doc).into();
        let mut map = self.0.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(doc.to_string(), text.clone());
        text
    }
}

#[derive(Default)]
struct DocTexts {
    texts: Vec<String>,
    /// The marker attribute of each documentation string met so far (empty: no text),
    /// as a member's documentation is used by its field, accessor and setters alike.
    seen: HashMap<String, TokenStream, foldhash::fast::RandomState>,
}

impl<'a> Docs<'a> {
    /// The documentation of one part of a file, converted through `markdown`.
    pub fn new(markdown: &'a Markdown) -> Docs<'a> {
        Docs {
            texts: RefCell::default(),
            markdown,
        }
    }

    /// The attribute for a documentation string (HTML turned into Markdown), or nothing.
    pub fn attrs(&self, doc: Option<&str>) -> TokenStream {
        let Some(doc) = doc else {
            return TokenStream::new();
        };
        let mut docs = self.texts.borrow_mut();
        if let Some(attrs) = docs.seen.get(doc) {
            return attrs.clone();
        }
        let text = self.markdown.of(doc);
        let attrs = if text.lines().next().is_some() {
            let marker = super::rust::string_literal(&format!("{DOC_MARKER}{}", docs.texts.len()));
            docs.texts.push(text.to_string());
            quote!(#[doc = #marker])
        } else {
            TokenStream::new()
        };
        docs.seen.insert(doc.to_string(), attrs.clone());
        attrs
    }

    /// The texts set aside, in marker order.
    pub fn into_texts(self) -> Vec<String> {
        self.texts.into_inner().texts
    }
}

/// Converts the small HTML subset AWS documentation uses into Markdown: paragraphs, lists,
/// `<code>`, emphasis and links. Text outside code has Markdown's and HTML's special
/// characters escaped, so `&lt;name&gt;` stays visible and `[x]` is no link.
pub fn html_to_markdown(doc: &str) -> String {
    if !looks_like_html(doc) {
        // Plain text (as in our own model) is taken to be Markdown already.
        return normalise(doc);
    }
    let mut out = String::with_capacity(doc.len());
    let mut in_code = false;
    let mut links: Vec<Option<String>> = Vec::new();
    let mut rest = doc;
    loop {
        let (text, tag) = match rest.find('<') {
            Some(start) => match rest[start..].find('>') {
                Some(end) => (&rest[..start], Some(&rest[start + 1..start + end])),
                None => (rest, None),
            },
            None => (rest, None),
        };
        push_text(&mut out, text, in_code);
        let Some(tag) = tag else { break };
        rest = &rest[text.len() + tag.len() + 2..];
        let closing = tag.starts_with('/');
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        match (name.as_str(), closing) {
            ("p" | "ul" | "ol" | "br" | "div", _) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n* "),
            ("code", _) => {
                out.push('`');
                in_code = !closing;
            }
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            ("a", false) => {
                let href = attribute(tag, "href");
                if href.is_some() {
                    out.push('[');
                }
                links.push(href);
            }
            ("a", true) => {
                if let Some(Some(href)) = links.pop() {
                    out.push_str("](");
                    out.push_str(&href);
                    out.push(')');
                }
            }
            _ => {}
        }
    }
    normalise(&out)
}

/// True when the text has a tag or an entity, as AWS's HTML documentation does.
fn looks_like_html(doc: &str) -> bool {
    let tag = doc
        .match_indices('<')
        .any(|(i, _)| doc[i + 1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/'));
    tag || doc.contains("&lt;")
        || doc.contains("&amp;")
        || doc.contains("&gt;")
        || doc.contains("&quot;")
}

/// The value of attribute `name` in a tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}="))? + name.len() + 1;
    let rest = &tag[start..];
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let end = rest[1..].find(quote)?;
    Some(unescape(&rest[1..1 + end]))
}

fn push_text(out: &mut String, text: &str, in_code: bool) {
    let text = unescape(text);
    if in_code {
        out.push_str(&text.replace('`', "'"));
        return;
    }
    for c in text.chars() {
        if matches!(c, '[' | ']' | '<' | '>' | '*' | '_' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
}

fn unescape(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Collapses runs of spaces, trims lines, keeps at most one blank line between paragraphs,
/// and keeps list items together.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    let mut bullet = false;
    for line in text.lines() {
        let line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        // `<li><p>text</p></li>` leaves the bullet on a line of its own.
        if line == "*" {
            bullet = true;
            continue;
        }
        let is_item = bullet || line.starts_with("* ");
        let line = if bullet && !line.starts_with("* ") {
            format!("* {line}")
        } else {
            line
        };
        bullet = false;
        if !out.is_empty() {
            let after_item = out.rsplit('\n').next().is_some_and(|l| l.starts_with("* "));
            // Items of one list stay together; a list and a paragraph need a blank line.
            if is_item && after_item {
                out.push('\n');
            } else if blank || is_item || after_item {
                out.push_str("\n\n");
            } else {
                out.push('\n');
            }
        }
        blank = false;
        out.push_str(&line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_aws_html() {
        assert_eq!(
            html_to_markdown(
                "<p>Gets a <code>Session</code>.</p> <ul><li><p>One</p></li><li>Two</li></ul>"
            ),
            "Gets a `Session`.\n\n* One\n* Two"
        );
        assert_eq!(html_to_markdown("a &lt;b&gt; [c]"), "a \\<b\\> \\[c\\]");
        assert_eq!(html_to_markdown("<code>[a-z]+</code>"), "`[a-z]+`");
        assert_eq!(
            html_to_markdown("See <a href=\"https://example.com/x\">the guide</a>."),
            "See [the guide](https://example.com/x)."
        );
    }
}
