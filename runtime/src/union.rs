//! JSON encoding of Smithy unions: an object with exactly one member set.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::serde_as::{DeserializeAs, DeserializeAsWrap};

/// Reads a union object and returns its one set member: name and raw value.
///
/// Members whose value is `null` do not count, nor does `__type`, which some services add
/// to every object.
pub fn entry<'de, D: Deserializer<'de>>(deserializer: D) -> Result<(String, Value), D::Error> {
    let object = serde_json::Map::<String, Value>::deserialize(deserializer)?;
    let mut set = object
        .into_iter()
        .filter(|(key, value)| !value.is_null() && key != "__type");
    match (set.next(), set.next()) {
        (Some(entry), None) => Ok(entry),
        (None, _) => Err(D::Error::custom(
            "a union must have exactly one member set; none is",
        )),
        (Some(_), Some(_)) => Err(D::Error::custom(
            "a union must have exactly one member set; several are",
        )),
    }
}

/// Decodes a union member's value.
pub fn value<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    T::deserialize(value).map_err(E::custom)
}

/// Decodes a union member's value in encoding `A` (timestamps and collections of them).
pub fn value_as<T, A, E>(value: Value) -> Result<T, E>
where
    A: for<'de> DeserializeAs<'de, T>,
    E: serde::de::Error,
{
    DeserializeAsWrap::<T, A>::deserialize(value)
        .map(DeserializeAsWrap::into_inner)
        .map_err(E::custom)
}

/// The value of a union member that targets `smithy.api#Unit`: an empty object.
pub struct UnitValue;

impl Serialize for UnitValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        serializer.serialize_map(Some(0))?.end()
    }
}
