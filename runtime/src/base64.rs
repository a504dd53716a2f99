//! Standard base64 (RFC 4648 section 4: `A-Z a-z 0-9 + /`, `=` padding), as
//! Smithy uses for blobs in JSON bodies and headers.

use std::fmt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Text that is not valid base64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64Error {
    offset: usize,
    reason: &'static str,
}

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid base64 at offset {}: {}",
            self.offset, self.reason
        )
    }
}

impl std::error::Error for Base64Error {}

/// Encodes `bytes` as padded standard base64.
pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        // Pack up to three bytes into the top 24 bits of a group.
        let group = chunk.iter().enumerate().fold(0u32, |group, (i, &b)| {
            group | (u32::from(b) << (16 - 8 * i))
        });
        // n bytes need n + 1 characters; the rest of the quantum is padding.
        for i in 0..4 {
            if i <= chunk.len() {
                let sextet = (group >> (18 - 6 * i)) & 0x3f;
                out.push(char::from(ALPHABET[sextet as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Decodes standard base64.
///
/// Padding may be left out, but if present it must complete the final
/// four-character group. Whitespace, the URL-safe alphabet and encodings
/// whose unused trailing bits are not zero are rejected.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let bytes = text.as_bytes();
    let unpadded = bytes
        .strip_suffix(b"==")
        .or_else(|| bytes.strip_suffix(b"="))
        .unwrap_or(bytes);
    if unpadded.len() != bytes.len() && bytes.len() % 4 != 0 {
        return Err(Base64Error {
            offset: unpadded.len(),
            reason: "padding does not complete the last group",
        });
    }
    // A lone character in the last group cannot hold a whole byte.
    if unpadded.len() % 4 == 1 {
        return Err(Base64Error {
            offset: unpadded.len() - 1,
            reason: "truncated input",
        });
    }

    let mut out = Vec::with_capacity(unpadded.len() / 4 * 3 + 2);
    for (index, chunk) in unpadded.chunks(4).enumerate() {
        let mut group = 0u32;
        for (i, &b) in chunk.iter().enumerate() {
            let sextet = sextet(b).ok_or(Base64Error {
                offset: index * 4 + i,
                reason: "invalid character",
            })?;
            group |= u32::from(sextet) << (18 - 6 * i);
        }
        let len = chunk.len() - 1;
        if (group << (8 * len)) & 0xff_ffff != 0 {
            return Err(Base64Error {
                offset: index * 4 + len,
                reason: "non-zero unused bits in the last character",
            });
        }
        out.extend_from_slice(&group.to_be_bytes()[1..=len]);
    }
    Ok(out)
}

fn sextet(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RFC_4648_VECTORS: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc_4648_vectors() {
        for (plain, encoded) in RFC_4648_VECTORS {
            assert_eq!(encode(plain.as_bytes()), encoded);
            assert_eq!(decode(encoded).unwrap(), plain.as_bytes());
            let unpadded = encoded.trim_end_matches('=');
            assert_eq!(decode(unpadded).unwrap(), plain.as_bytes());
        }
    }

    #[test]
    fn all_byte_values_round_trip() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..bytes.len() {
            let encoded = encode(&bytes[..len]);
            assert_eq!(decode(&encoded).unwrap(), &bytes[..len]);
        }
        assert_eq!(encode(&[0xfb, 0xff, 0xbf]), "+/+/");
    }

    #[test]
    fn rejections() {
        let cases = [
            ("Z", 0, "truncated input"),
            ("Zm9vY", 4, "truncated input"),
            ("Zg=", 2, "padding does not complete the last group"),
            ("Zm9v=", 4, "padding does not complete the last group"),
            ("Zm9v==", 4, "padding does not complete the last group"),
            ("Zg===", 3, "padding does not complete the last group"),
            ("====", 0, "invalid character"),
            ("Zg==Zg==", 2, "invalid character"),
            ("Zm9v Zm9", 4, "invalid character"),
            ("Zm9vZg\n", 6, "invalid character"),
            ("-_-_", 0, "invalid character"),
            ("Zmé", 2, "invalid character"),
            ("Zh==", 1, "non-zero unused bits in the last character"),
            ("Zm9=", 2, "non-zero unused bits in the last character"),
        ];
        for (text, offset, reason) in cases {
            assert_eq!(
                decode(text),
                Err(Base64Error { offset, reason }),
                "decoding {text:?}"
            );
        }
        assert_eq!(
            decode("Zg=").unwrap_err().to_string(),
            "invalid base64 at offset 2: padding does not complete the last group"
        );
    }
}
