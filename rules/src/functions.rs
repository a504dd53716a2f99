//! The functions rule sets call. Each gives `None` where the specification says the
//! function has no value (a substring out of range, a URL that is not one, an ARN that
//! does not parse), which fails the condition that called it.

use std::collections::BTreeMap;

use crate::Value;
use crate::eval::{Scope, expr, walk};
use crate::partitions::partition_of;
use crate::ruleset::{Expr, Function};

pub(crate) fn apply(function: &Function, args: &[Expr], scope: &Scope<'_>) -> Option<Value> {
    let arg = |i: usize| args.get(i).and_then(|a| expr(a, scope));
    let string = |i: usize| match arg(i) {
        Some(Value::String(s)) => Some(s),
        _ => None,
    };
    let boolean = |i: usize| match arg(i) {
        Some(Value::Bool(b)) => Some(b),
        _ => None,
    };
    let int = |i: usize| match arg(i) {
        Some(Value::Int(n)) => usize::try_from(n).ok(),
        _ => None,
    };
    Some(match function {
        Function::IsSet => Value::Bool(arg(0).is_some()),
        Function::Not => Value::Bool(!boolean(0)?),
        Function::GetAttr(path) => walk(&arg(0)?, path)?.clone(),
        Function::StringEquals => Value::Bool(string(0)? == string(1)?),
        Function::BooleanEquals => Value::Bool(boolean(0)? == boolean(1)?),
        Function::Substring => {
            Value::String(substring(&string(0)?, int(1)?, int(2)?, boolean(3)?)?)
        }
        Function::UriEncode => Value::String(uri_encode(&string(0)?)),
        Function::ParseUrl => parse_url(&string(0)?)?,
        Function::IsValidHostLabel => Value::Bool(is_valid_host_label(&string(0)?, boolean(1)?)),
        Function::Coalesce => return (0..args.len()).find_map(arg),
        Function::Ite => return if boolean(0)? { arg(1) } else { arg(2) },
        Function::Split => split(&string(0)?, &string(1)?, arg(2)?)?,
        Function::Partition => partition(&string(0)?),
        Function::ParseArn => parse_arn(&string(0)?)?,
        Function::IsVirtualHostableS3Bucket => {
            Value::Bool(is_virtual_hostable_s3_bucket(&string(0)?, boolean(1)?))
        }
    })
}

/// Characters `start..stop` of an ASCII string (counted from the end when `reverse`).
fn substring(input: &str, start: usize, stop: usize, reverse: bool) -> Option<String> {
    if !input.is_ascii() || start >= stop || input.len() < stop {
        return None;
    }
    let range = if reverse {
        input.len() - stop..input.len() - start
    } else {
        start..stop
    };
    Some(input[range].to_owned())
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
fn uri_encode(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    for byte in input.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// An http(s) URL without a query: its scheme, authority, path (and the path ending in
/// `/`), and whether its host is an IP address.
fn parse_url(url: &str) -> Option<Value> {
    let (scheme, rest) = url.split_once("://")?;
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return None;
    }
    if rest.contains(['?', '#']) {
        return None;
    }
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = match authority.strip_prefix('[') {
        Some(bracketed) => {
            let (host, after) = bracketed.split_once(']')?;
            if !after.is_empty() && !is_port(after.strip_prefix(':')?) {
                return None;
            }
            host.parse::<std::net::Ipv6Addr>().ok()?;
            None
        }
        None => {
            let (host, port) = match authority.rsplit_once(':') {
                Some((host, port)) => (host, Some(port)),
                None => (authority, None),
            };
            if port.is_some_and(|p| !is_port(p)) || host.is_empty() {
                return None;
            }
            Some(host)
        }
    };
    let is_ip = host.is_none_or(|h| h.parse::<std::net::Ipv4Addr>().is_ok());
    let normalized = match path {
        "" => "/".to_owned(),
        p if p.ends_with('/') => p.to_owned(),
        p => format!("{p}/"),
    };
    Some(object([
        ("scheme", Value::String(scheme.to_owned())),
        ("authority", Value::String(authority.to_owned())),
        ("path", Value::String(path.to_owned())),
        ("normalizedPath", Value::String(normalized)),
        ("isIp", Value::Bool(is_ip)),
    ]))
}

fn is_port(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `[a-zA-Z\d][a-zA-Z\d\-]{0,62}`, each dot-separated part when `allow_dots`.
fn is_valid_host_label(value: &str, allow_dots: bool) -> bool {
    let label = |label: &str| {
        let bytes = label.as_bytes();
        !bytes.is_empty()
            && bytes.len() <= 63
            && bytes[0].is_ascii_alphanumeric()
            && bytes
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || *b == b'-')
    };
    if allow_dots {
        value.split('.').all(label)
    } else {
        label(value)
    }
}

/// A bucket name that can be a host name: 3 to 63 lowercase letters, digits and hyphens
/// (and dots between labels when `allow_dots`), not shaped like an IP address.
fn is_virtual_hostable_s3_bucket(bucket: &str, allow_dots: bool) -> bool {
    let lowercase = !bucket.bytes().any(|b| b.is_ascii_uppercase());
    let length = (3..=63).contains(&bucket.len());
    let labels_ok = if allow_dots {
        bucket
            .split('.')
            .all(|label| is_valid_host_label(label, false) && !label.ends_with('-'))
    } else {
        is_valid_host_label(bucket, false)
    };
    let ip_like = bucket.parse::<std::net::Ipv4Addr>().is_ok();
    lowercase && length && labels_ok && !ip_like
}

/// `split(value, delimiter, limit)`: all parts for a limit of 0, else at most `limit`.
fn split(value: &str, delimiter: &str, limit: Value) -> Option<Value> {
    let Value::Int(limit) = limit else {
        return None;
    };
    if delimiter.is_empty() || limit < 0 {
        return None;
    }
    let parts: Vec<Value> = match limit {
        0 => value.split(delimiter).map(Value::from).collect(),
        n => value
            .splitn(n as usize, delimiter)
            .map(Value::from)
            .collect(),
    };
    Some(Value::Array(parts))
}

fn partition(region: &str) -> Value {
    let p = partition_of(region);
    object([
        ("name", Value::from(p.name)),
        ("dnsSuffix", Value::from(p.dns_suffix)),
        ("dualStackDnsSuffix", Value::from(p.dual_stack_dns_suffix)),
        ("supportsFIPS", Value::Bool(p.supports_fips)),
        ("supportsDualStack", Value::Bool(p.supports_dual_stack)),
        (
            "implicitGlobalRegion",
            Value::from(p.implicit_global_region),
        ),
    ])
}

/// `arn:partition:service:region:account-id:resource`, the resource split at `:` and `/`.
fn parse_arn(arn: &str) -> Option<Value> {
    let mut parts = arn.splitn(6, ':');
    if parts.next()? != "arn" {
        return None;
    }
    let (partition, service, region, account) =
        (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
    let resource = parts.next()?;
    if partition.is_empty() || service.is_empty() || resource.is_empty() {
        return None;
    }
    let resource_id = resource.split([':', '/']).map(Value::from).collect();
    Some(object([
        ("partition", Value::from(partition)),
        ("service", Value::from(service)),
        ("region", Value::from(region)),
        ("accountId", Value::from(account)),
        ("resourceId", Value::Array(resource_id)),
    ]))
}

fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(
        fields
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect::<BTreeMap<_, _>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(value: &Value, key: &str) -> Value {
        match value {
            Value::Object(fields) => fields[key].clone(),
            _ => panic!("not an object"),
        }
    }

    #[test]
    fn substrings_count_from_either_end() {
        assert_eq!(substring("abcdef", 0, 3, false).as_deref(), Some("abc"));
        assert_eq!(substring("abcdef", 0, 3, true).as_deref(), Some("def"));
        assert_eq!(substring("abc", 1, 4, false), None);
        assert_eq!(substring("abc", 2, 2, false), None);
        assert_eq!(substring("ab\u{e9}", 0, 1, false), None);
    }

    #[test]
    fn urls_parse_into_their_parts() {
        let url = parse_url("https://example.com:8443/a/b").unwrap();
        assert_eq!(field(&url, "authority"), Value::from("example.com:8443"));
        assert_eq!(field(&url, "path"), Value::from("/a/b"));
        assert_eq!(field(&url, "normalizedPath"), Value::from("/a/b/"));
        assert_eq!(field(&url, "isIp"), Value::Bool(false));
        let ip = parse_url("http://127.0.0.1").unwrap();
        assert_eq!(field(&ip, "isIp"), Value::Bool(true));
        assert_eq!(field(&ip, "normalizedPath"), Value::from("/"));
        assert_eq!(
            field(&parse_url("http://[::1]:80/").unwrap(), "isIp"),
            Value::Bool(true)
        );
        assert_eq!(parse_url("https://example.com/?q=1"), None);
        assert_eq!(parse_url("ftp://example.com"), None);
        assert_eq!(parse_url("example.com"), None);
    }

    #[test]
    fn host_labels_and_buckets() {
        assert!(is_valid_host_label("us-east-1", false));
        assert!(!is_valid_host_label("a.b", false));
        assert!(is_valid_host_label("a.b", true));
        assert!(!is_valid_host_label("-a", false));
        assert!(!is_valid_host_label(&"a".repeat(64), false));
        assert!(is_virtual_hostable_s3_bucket("my-bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("My-Bucket", false));
        assert!(!is_virtual_hostable_s3_bucket("a.b", false));
        assert!(is_virtual_hostable_s3_bucket("a.bc", true));
        assert!(!is_virtual_hostable_s3_bucket("192.168.1.1", true));
        assert!(!is_virtual_hostable_s3_bucket("ab", false));
    }

    #[test]
    fn arns_split_their_resource() {
        let arn = parse_arn("arn:aws:dynamodb:us-east-1:123456789012:table/Music").unwrap();
        assert_eq!(field(&arn, "service"), Value::from("dynamodb"));
        assert_eq!(field(&arn, "accountId"), Value::from("123456789012"));
        assert_eq!(
            field(&arn, "resourceId"),
            Value::Array(vec![Value::from("table"), Value::from("Music")])
        );
        assert_eq!(parse_arn("arn:aws:s3:::"), None);
        assert_eq!(parse_arn("arn::s3:::bucket"), None);
        assert_eq!(parse_arn("nope:aws:s3:::bucket"), None);
        assert!(parse_arn("arn:aws:s3:::bucket").is_some());
    }

    #[test]
    fn encoding_and_splitting() {
        assert_eq!(uri_encode("a b/c~"), "a%20b%2Fc~");
        assert_eq!(
            split("a--b--c", "--", Value::Int(2)),
            Some(Value::Array(vec![Value::from("a"), Value::from("b--c")]))
        );
        assert_eq!(split("abc", "", Value::Int(0)), None);
    }
}
