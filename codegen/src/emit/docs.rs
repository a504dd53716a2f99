//! Documentation traits as `#[doc]` attributes. AWS models write documentation in HTML; it is
//! turned into plain Markdown so rustdoc shows text, not tags.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = ...]` lines for a documentation string, or nothing.
pub fn doc_attrs(doc: Option<&str>) -> TokenStream {
    let Some(doc) = doc else {
        return TokenStream::new();
    };
    let text = html_to_markdown(doc);
    let lines = text.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#[doc = #line])
    });
    quote!(#(#lines)*)
}

/// Converts the small HTML subset AWS documentation uses into Markdown.
pub fn html_to_markdown(doc: &str) -> String {
    if !doc.contains('<') && !doc.contains('&') {
        return normalise(doc);
    }
    let mut out = String::with_capacity(doc.len());
    let mut rest = doc;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else {
            out.push_str(&rest[start..]);
            rest = "";
            break;
        };
        let tag = &rest[start + 1..start + end];
        let name = tag
            .trim_start_matches('/')
            .split(|c: char| c.is_whitespace() || c == '/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("p" | "ul" | "ol" | "br", _) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n* "),
            ("code", _) => out.push('`'),
            ("b" | "strong", _) => out.push_str("**"),
            ("i" | "em", _) => out.push('*'),
            _ => {}
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    normalise(&unescape(&out))
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&")
}

/// Collapses runs of spaces, trims lines, keeps at most one blank line between paragraphs,
/// and escapes brackets so rustdoc does not read them as links.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut blank = false;
    let mut bullet = false;
    for line in text.lines() {
        let mut line = line.split_whitespace().collect::<Vec<_>>().join(" ");
        if line.is_empty() {
            blank = !out.is_empty();
            continue;
        }
        // `<li><p>text</p></li>` leaves the bullet on a line of its own.
        if line == "*" {
            bullet = true;
            continue;
        }
        if bullet {
            line = format!("* {line}");
            blank = false;
            bullet = false;
            if !out.is_empty() {
                // Markdown needs a blank line between a paragraph and a list.
                let after_item = out.rsplit('\n').next().is_some_and(|l| l.starts_with("* "));
                out.push_str(if after_item { "\n" } else { "\n\n" });
            }
            out.push_str(&line.replace('[', "\\[").replace(']', "\\]"));
            continue;
        }
        if blank {
            out.push_str("\n\n");
            blank = false;
        } else if !out.is_empty() {
            out.push('\n');
        }
        out.push_str(&line.replace('[', "\\[").replace(']', "\\]"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_aws_html() {
        assert_eq!(
            html_to_markdown("<p>Gets a <code>Session</code>.</p> <ul><li><p>One</p></li></ul>"),
            "Gets a `Session`.\n\n* One"
        );
        assert_eq!(html_to_markdown("a &lt;b&gt; [c]"), "a <b> \\[c\\]");
    }
}
