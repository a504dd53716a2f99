//! Standard base64 (RFC 4648 section 4: `A-Z a-z 0-9 + /`, `=` padding), as Smithy uses
//! for blobs in JSON bodies and headers, through the `base64` crate.

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};

/// Padded on output; padded input must be padded canonically (complete the last group).
/// Unused trailing bits must be zero (the crate's default).
const PADDED: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
);

/// Input without padding, which Smithy's readers accept too.
const UNPADDED: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::RequireNone),
);

/// Text that is not valid base64.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Base64Error(base64::DecodeError);

impl fmt::Display for Base64Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid base64: {}", self.0)
    }
}

impl std::error::Error for Base64Error {}

/// Encodes `bytes` as padded standard base64.
pub fn encode(bytes: &[u8]) -> String {
    PADDED.encode(bytes)
}

/// Decodes standard base64. Whitespace, the URL-safe alphabet, padding that does not
/// complete the last group and encodings whose unused trailing bits are not zero are
/// rejected.
pub fn decode(text: &str) -> Result<Vec<u8>, Base64Error> {
    let engine = if text.ends_with('=') {
        &PADDED
    } else {
        &UNPADDED
    };
    engine.decode(text).map_err(Base64Error)
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

    /// What Smithy's blob rules refuse, the `base64` crate configured here refuses too.
    #[test]
    fn rejections() {
        for text in [
            "Z", "Zm9vY", "Zg=", "Zm9v=", "Zm9v==", "Zg===", "====", "Zg==Zg==", "Zm9v Zm9",
            "Zm9vZg\n", "-_-_", "Zmé", "Zh==", "Zm9=",
        ] {
            assert!(decode(text).is_err(), "decoding {text:?}");
        }
        assert!(
            decode("Zh==")
                .unwrap_err()
                .to_string()
                .starts_with("invalid base64: "),
        );
    }
}
