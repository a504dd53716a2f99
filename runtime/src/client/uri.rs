//! URI pieces the client writes whether or not it signs: the `Host` an endpoint gets,
//! and RFC 3986 percent-encoding (labels, query strings, SigV4's canonical request).

use super::BoxError;

/// The host as signed: the authority, without a port that is the scheme's default.
pub(crate) fn host_of(uri: &http::Uri) -> Result<String, BoxError> {
    let host = uri.host().ok_or("the request URI has no host to sign")?;
    let default_port = matches!(
        (uri.scheme_str(), uri.port_u16()),
        (Some("http"), Some(80)) | (Some("https"), Some(443))
    );
    Ok(match uri.port() {
        Some(port) if !default_port => format!("{host}:{}", port.as_str()),
        _ => host.to_string(),
    })
}

/// Every byte but RFC 3986's unreserved ones (`A-Z a-z 0-9 - . _ ~`) is encoded.
const ENCODED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// As [`ENCODED`], keeping `/` (paths).
const ENCODED_KEEPING_SLASH: &percent_encoding::AsciiSet = &ENCODED.remove(b'/');

/// Percent-encodes every byte but the unreserved ones (and `/` when `keep_slash`), in
/// upper-case hex. Also the client's encoder for URI labels and query strings.
pub(crate) fn push_encoded(out: &mut Vec<u8>, text: &[u8], keep_slash: bool) {
    let set = if keep_slash {
        ENCODED_KEEPING_SLASH
    } else {
        ENCODED
    };
    for part in percent_encoding::percent_encode(text, set) {
        out.extend_from_slice(part.as_bytes());
    }
}
