//! The Smithy `blob` type.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::{Serialize, Serializer};

use crate::base64;

/// Opaque binary data. Serialized as a standard base64 string.
#[derive(Clone, PartialEq, Eq, Hash, Default)]
pub struct Blob(Vec<u8>);

impl Blob {
    /// Wraps the given bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Self {
        Blob(bytes.into())
    }

    /// Returns the bytes, consuming the blob.
    pub fn into_inner(self) -> Vec<u8> {
        self.0
    }
}

impl AsRef<[u8]> for Blob {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl From<Vec<u8>> for Blob {
    fn from(bytes: Vec<u8>) -> Self {
        Blob(bytes)
    }
}

impl From<&[u8]> for Blob {
    fn from(bytes: &[u8]) -> Self {
        Blob(bytes.to_vec())
    }
}

impl From<&str> for Blob {
    fn from(text: &str) -> Self {
        Blob(text.as_bytes().to_vec())
    }
}

impl From<Blob> for Vec<u8> {
    fn from(blob: Blob) -> Self {
        blob.0
    }
}

impl fmt::Debug for Blob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Blobs can be large and are rarely readable, so show only the size.
        write!(f, "Blob(len {})", self.0.len())
    }
}

impl Serialize for Blob {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&base64::encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Blob {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Base64Visitor;

        impl Visitor<'_> for Base64Visitor {
            type Value = Blob;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a base64 string")
            }

            fn visit_str<E: de::Error>(self, text: &str) -> Result<Blob, E> {
                base64::decode(text).map(Blob).map_err(E::custom)
            }
        }

        deserializer.deserialize_str(Base64Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constructors_and_accessors() {
        let blob = Blob::new(*b"foo");
        assert_eq!(blob.as_ref(), b"foo");
        assert_eq!(Blob::from("foo"), blob);
        assert_eq!(Blob::from(&b"foo"[..]), blob);
        assert_eq!(Blob::from(b"foo".to_vec()), blob);
        assert_eq!(Vec::from(blob.clone()), b"foo");
        assert_eq!(blob.into_inner(), b"foo");
        assert_eq!(format!("{:?}", Blob::from("hello")), "Blob(len 5)");
        assert_eq!(Blob::default().as_ref(), b"");
    }

    #[test]
    fn serde_uses_base64_strings() {
        let blob = Blob::from("foobar");
        let json = serde_json::to_string(&blob).unwrap();
        assert_eq!(json, r#""Zm9vYmFy""#);
        assert_eq!(serde_json::from_str::<Blob>(&json).unwrap(), blob);
        assert_eq!(
            serde_json::from_str::<Blob>(r#""Zg""#).unwrap(),
            Blob::from("f")
        );
        assert_eq!(serde_json::to_string(&Blob::default()).unwrap(), r#""""#);

        let err = serde_json::from_str::<Blob>(r#""Zm9v!""#).unwrap_err();
        assert!(err.to_string().contains("invalid base64"), "{err}");
        assert!(serde_json::from_str::<Blob>("[1, 2]").is_err());
    }
}
