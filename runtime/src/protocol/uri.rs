//! restJson1 URI patterns: literal segments, `{label}`, greedy `{label+}`, and literal
//! query requirements.

/// A parsed `@http` URI.
#[derive(Debug)]
pub struct UriPattern {
    segments: Vec<Segment>,
    /// `?a=b&c` in the pattern: each key must be present (with that value when given).
    query: Vec<(String, Option<String>)>,
}

#[derive(Debug, PartialEq)]
enum Segment {
    Literal(String),
    Label(String),
    Greedy(String),
}

impl UriPattern {
    /// Parses an `@http` URI such as `/applications/{applicationId}/sessions?x=y`.
    pub fn parse(uri: &str) -> UriPattern {
        let (path, query) = uri.split_once('?').unwrap_or((uri, ""));
        let segments = path
            .split('/')
            .filter(|s| !s.is_empty())
            .map(
                |s| match s.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
                    Some(label) => match label.strip_suffix('+') {
                        Some(greedy) => Segment::Greedy(greedy.to_string()),
                        None => Segment::Label(label.to_string()),
                    },
                    None => Segment::Literal(s.to_string()),
                },
            )
            .collect();
        let query = query
            .split('&')
            .filter(|s| !s.is_empty())
            .map(|pair| match pair.split_once('=') {
                Some((k, v)) => (k.to_string(), Some(v.to_string())),
                None => (pair.to_string(), None),
            })
            .collect();
        UriPattern { segments, query }
    }

    /// How specific the pattern is, for choosing among patterns that match the same
    /// request (greater is more specific): more literal query requirements, then more
    /// literal segments, then no greedy label. `GET /layers?find=LayerVersion` wins over
    /// `GET /layers`, `/a/b` over `/a/{x}`, `/a/{x}` over `/{x+}`.
    pub fn specificity(&self) -> (usize, usize, bool) {
        let literals = self
            .segments
            .iter()
            .filter(|s| matches!(s, Segment::Literal(_)))
            .count();
        let greedy = self
            .segments
            .iter()
            .any(|s| matches!(s, Segment::Greedy(_)));
        (self.query.len(), literals, !greedy)
    }

    /// Matches a request path (raw, percent-encoded) and its decoded query pairs; returns
    /// the labels, percent-decoded, or `None` when the route does not match.
    pub fn matches(&self, path: &str, query: &[(String, String)]) -> Option<Vec<(String, String)>> {
        for (key, value) in &self.query {
            let present = query
                .iter()
                .any(|(k, v)| k == key && value.as_ref().is_none_or(|value| v == value));
            if !present {
                return None;
            }
        }
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let mut labels = Vec::new();
        let mut i = 0;
        for (n, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Literal(literal) => {
                    if parts.get(i) != Some(&literal.as_str()) {
                        return None;
                    }
                    i += 1;
                }
                Segment::Label(name) => {
                    let part = parts.get(i)?;
                    labels.push((name.clone(), percent_decode(part)?));
                    i += 1;
                }
                Segment::Greedy(name) => {
                    // Leave room for the literal segments after the greedy label.
                    let after = self.segments.len() - n - 1;
                    if parts.len() < i + 1 + after {
                        return None;
                    }
                    let end = parts.len() - after;
                    let joined = parts[i..end].join("/");
                    labels.push((name.clone(), percent_decode(&joined)?));
                    i = end;
                }
            }
        }
        (i == parts.len()).then_some(labels)
    }
}

/// Decodes `%XX` escapes; `None` when an escape is broken or the result is not UTF-8.
/// (`percent-encoding` keeps a broken escape as text; a server must refuse it.)
pub fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let broken = bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if broken {
        return None;
    }
    percent_encoding::percent_decode_str(text)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Splits a query string into decoded pairs (`+` stays a literal plus, as AWS sends it
/// encoded when meant).
pub fn parse_query(query: &str) -> Option<Vec<(String, String)>> {
    query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            Some((percent_decode(k)?, percent_decode(v)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_greedy_labels() {
        let p = UriPattern::parse("/applications/{applicationId}/sessions");
        assert_eq!(
            p.matches("/applications/app%2D1/sessions", &[]),
            Some(vec![("applicationId".into(), "app-1".into())])
        );
        assert_eq!(p.matches("/applications/a/b/sessions", &[]), None);
        assert_eq!(p.matches("/applications/a/sessions/x", &[]), None);
        let g = UriPattern::parse("/objects/{key+}/meta");
        assert_eq!(
            g.matches("/objects/a/b/c/meta", &[]),
            Some(vec![("key".into(), "a/b/c".into())])
        );
        assert_eq!(g.matches("/objects/meta", &[]), None);
    }

    #[test]
    fn the_more_specific_pattern_ranks_higher() {
        let rank = |uri: &str| UriPattern::parse(uri).specificity();
        assert!(rank("/layers?find=LayerVersion") > rank("/layers"));
        assert!(rank("/a/b") > rank("/a/{x}"));
        assert!(rank("/a/{x}") > rank("/{x+}"));
    }

    #[test]
    fn literal_query_requirements() {
        let p = UriPattern::parse("/things?mode=fast&flag");
        let q = parse_query("mode=fast&flag&x=1").unwrap();
        assert!(p.matches("/things", &q).is_some());
        let q = parse_query("mode=slow&flag").unwrap();
        assert!(p.matches("/things", &q).is_none());
    }

    #[test]
    fn broken_escapes_do_not_match() {
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%ff"), None);
        assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
    }
}
