//! Choosing a member's wire encoding per field, independent of its Rust type.
//!
//! A [`DateTime`] can be epoch seconds, an RFC 3339 string or an HTTP date
//! depending on the model, so it has no `Serialize` impl of its own. Instead a
//! marker type describes the encoding, and [`As`] plugs it into serde:
//!
//! ```
//! use smithy_runtime::DateTime;
//!
//! #[derive(serde::Serialize, serde::Deserialize)]
//! struct Event {
//!     #[serde(default, skip_serializing_if = "Option::is_none")]
//!     #[serde(
//!         with = "::smithy_runtime::serde_as::As::<::core::option::Option<::smithy_runtime::serde_as::EpochSeconds>>"
//!     )]
//!     at: Option<DateTime>,
//! }
//!
//! let event = Event { at: Some(DateTime::from_millis(1_500)) };
//! assert_eq!(serde_json::to_string(&event).unwrap(), r#"{"at":1.5}"#);
//! let event: Event = serde_json::from_str("{}").unwrap();
//! assert_eq!(event.at, None);
//! ```
//!
//! Markers compose through `Option`, `Vec` and `HashMap` values, so
//! `Option<Vec<Option<EpochSeconds>>>` encodes an `Option<Vec<Option<DateTime>>>`.

use std::collections::HashMap;
use std::fmt;
use std::hash::{BuildHasher, Hash};
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, Visitor};
use serde::ser::{Serialize, Serializer};

use crate::{DateTime, TimestampFormat};

/// Serializes a `T` in the encoding that `Self` stands for.
pub trait SerializeAs<T: ?Sized> {
    /// Serializes `source` in this encoding.
    fn serialize_as<S: Serializer>(source: &T, serializer: S) -> Result<S::Ok, S::Error>;
}

/// Deserializes a `T` from the encoding that `Self` stands for.
pub trait DeserializeAs<'de, T>: Sized {
    /// Deserializes a value in this encoding.
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error>;
}

/// Adapts the encoding `T` to `#[serde(with = "As::<T>")]`.
pub struct As<T: ?Sized>(PhantomData<T>);

impl<T: ?Sized> As<T> {
    /// The `serialize` function `#[serde(with)]` calls.
    pub fn serialize<S, I>(value: &I, serializer: S) -> Result<S::Ok, S::Error>
    where
        S: Serializer,
        T: SerializeAs<I>,
        I: ?Sized,
    {
        T::serialize_as(value, serializer)
    }

    /// The `deserialize` function `#[serde(with)]` calls.
    pub fn deserialize<'de, D, I>(deserializer: D) -> Result<I, D::Error>
    where
        D: Deserializer<'de>,
        T: DeserializeAs<'de, I>,
    {
        T::deserialize_as(deserializer)
    }
}

/// A timestamp as a JSON number of seconds since the epoch: an integer when
/// there is no fraction, otherwise a float. Strings are not accepted.
pub struct EpochSeconds;

/// A timestamp as an RFC 3339 string (Smithy `date-time`).
pub struct DateTimeFormat;

/// A timestamp as an IMF-fixdate string (Smithy `http-date`).
pub struct HttpDate;

/// The value's own `Serialize`/`Deserialize`, for use inside compositions.
pub struct Same;

/// A `float` or `double` as the AWS JSON protocols write it: a number, or the strings
/// `"NaN"`, `"Infinity"` and `"-Infinity"`. A `float` is written as its shortest decimal
/// (`1.1`, not the `f64` value of the nearest `f32`).
pub struct Float;

/// Borrows a `T` so it serializes in encoding `A`; lets compositions hand
/// elements to serde's own collection code.
struct SerializeWith<'a, T: ?Sized, A: ?Sized> {
    value: &'a T,
    encoding: PhantomData<A>,
}

impl<T: ?Sized, A: SerializeAs<T> + ?Sized> Serialize for SerializeWith<'_, T, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        A::serialize_as(self.value, serializer)
    }
}

fn with<T: ?Sized, A: ?Sized>(value: &T) -> SerializeWith<'_, T, A> {
    SerializeWith {
        value,
        encoding: PhantomData,
    }
}

/// A `T` deserialized in encoding `A`.
struct DeserializeWith<T, A>(T, PhantomData<A>);

impl<'de, T, A: DeserializeAs<'de, T>> Deserialize<'de> for DeserializeWith<T, A> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        A::deserialize_as(deserializer).map(|value| DeserializeWith(value, PhantomData))
    }
}

impl SerializeAs<DateTime> for EpochSeconds {
    fn serialize_as<S: Serializer>(source: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        if source.subsec_nanos() == 0 {
            serializer.serialize_i64(source.secs())
        } else {
            serializer.serialize_f64(source.as_secs_f64())
        }
    }
}

impl<'de> DeserializeAs<'de, DateTime> for EpochSeconds {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        struct EpochVisitor;

        impl Visitor<'_> for EpochVisitor {
            type Value = DateTime;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number of seconds since the Unix epoch")
            }

            fn visit_i64<E: de::Error>(self, secs: i64) -> Result<DateTime, E> {
                Ok(DateTime::from_secs(secs))
            }

            fn visit_u64<E: de::Error>(self, secs: u64) -> Result<DateTime, E> {
                i64::try_from(secs)
                    .map(DateTime::from_secs)
                    .map_err(|_| E::custom("epoch seconds out of range"))
            }

            fn visit_f64<E: de::Error>(self, secs: f64) -> Result<DateTime, E> {
                DateTime::try_from_fractional_secs(secs)
                    .ok_or_else(|| E::custom("epoch seconds out of range"))
            }
        }

        deserializer.deserialize_any(EpochVisitor)
    }
}

fn serialize_float<S: Serializer>(value: f64, serializer: S) -> Result<S::Ok, S::Error> {
    if value.is_nan() {
        serializer.serialize_str("NaN")
    } else if value.is_infinite() {
        serializer.serialize_str(if value > 0.0 { "Infinity" } else { "-Infinity" })
    } else {
        serializer.serialize_f64(value)
    }
}

impl SerializeAs<f64> for Float {
    fn serialize_as<S: Serializer>(source: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_float(*source, serializer)
    }
}

impl SerializeAs<f32> for Float {
    fn serialize_as<S: Serializer>(source: &f32, serializer: S) -> Result<S::Ok, S::Error> {
        // The shortest decimal that reads back as this f32, as an f64.
        let widened = if source.is_finite() {
            source
                .to_string()
                .parse::<f64>()
                .unwrap_or(f64::from(*source))
        } else {
            f64::from(*source)
        };
        serialize_float(widened, serializer)
    }
}

struct FloatVisitor;

impl Visitor<'_> for FloatVisitor {
    type Value = f64;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, \"NaN\", \"Infinity\" or \"-Infinity\"")
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<f64, E> {
        Ok(n as f64)
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<f64, E> {
        Ok(n as f64)
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<f64, E> {
        Ok(n)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<f64, E> {
        match text {
            "NaN" => Ok(f64::NAN),
            "Infinity" => Ok(f64::INFINITY),
            "-Infinity" => Ok(f64::NEG_INFINITY),
            _ => Err(E::invalid_value(de::Unexpected::Str(text), &self)),
        }
    }
}

impl<'de> DeserializeAs<'de, f64> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        deserializer.deserialize_any(FloatVisitor)
    }
}

impl<'de> DeserializeAs<'de, f32> for Float {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
        deserializer.deserialize_any(FloatVisitor).map(|n| n as f32)
    }
}

/// Serializes a timestamp as a string in a text format.
fn serialize_text<S: Serializer>(
    time: &DateTime,
    format: TimestampFormat,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&time.fmt(format))
}

/// Deserializes a timestamp from a string in a text format.
fn deserialize_text<'de, D: Deserializer<'de>>(
    format: TimestampFormat,
    deserializer: D,
) -> Result<DateTime, D::Error> {
    struct TextVisitor(TimestampFormat);

    impl Visitor<'_> for TextVisitor {
        type Value = DateTime;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            write!(f, "a {} timestamp string", self.0)
        }

        fn visit_str<E: de::Error>(self, text: &str) -> Result<DateTime, E> {
            DateTime::parse(self.0, text).map_err(E::custom)
        }
    }

    deserializer.deserialize_str(TextVisitor(format))
}

impl SerializeAs<DateTime> for DateTimeFormat {
    fn serialize_as<S: Serializer>(source: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_text(source, TimestampFormat::DateTime, serializer)
    }
}

impl<'de> DeserializeAs<'de, DateTime> for DateTimeFormat {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_text(TimestampFormat::DateTime, deserializer)
    }
}

impl SerializeAs<DateTime> for HttpDate {
    fn serialize_as<S: Serializer>(source: &DateTime, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_text(source, TimestampFormat::HttpDate, serializer)
    }
}

impl<'de> DeserializeAs<'de, DateTime> for HttpDate {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<DateTime, D::Error> {
        deserialize_text(TimestampFormat::HttpDate, deserializer)
    }
}

impl<T: Serialize + ?Sized> SerializeAs<T> for Same {
    fn serialize_as<S: Serializer>(source: &T, serializer: S) -> Result<S::Ok, S::Error> {
        source.serialize(serializer)
    }
}

impl<'de, T: Deserialize<'de>> DeserializeAs<'de, T> for Same {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

impl<A: SerializeAs<T>, T> SerializeAs<Option<T>> for Option<A> {
    fn serialize_as<S: Serializer>(source: &Option<T>, serializer: S) -> Result<S::Ok, S::Error> {
        match source {
            Some(value) => serializer.serialize_some(&with::<T, A>(value)),
            None => serializer.serialize_none(),
        }
    }
}

impl<'de, A: DeserializeAs<'de, T>, T> DeserializeAs<'de, Option<T>> for Option<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Option<T>, D::Error> {
        let value = Option::<DeserializeWith<T, A>>::deserialize(deserializer)?;
        Ok(value.map(|DeserializeWith(value, _)| value))
    }
}

impl<A: SerializeAs<T>, T> SerializeAs<Vec<T>> for Vec<A> {
    fn serialize_as<S: Serializer>(source: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(source.iter().map(with::<T, A>))
    }
}

impl<'de, A: DeserializeAs<'de, T>, T> DeserializeAs<'de, Vec<T>> for Vec<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        let values = Vec::<DeserializeWith<T, A>>::deserialize(deserializer)?;
        // Same layout, so std reuses the allocation for this collect.
        Ok(values
            .into_iter()
            .map(|DeserializeWith(value, _)| value)
            .collect())
    }
}

impl<K, A, T, H> SerializeAs<HashMap<K, T, H>> for HashMap<K, A, H>
where
    K: Serialize,
    A: SerializeAs<T>,
{
    fn serialize_as<S: Serializer>(
        source: &HashMap<K, T, H>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_map(source.iter().map(|(key, value)| (key, with::<T, A>(value))))
    }
}

impl<'de, K, A, T, H> DeserializeAs<'de, HashMap<K, T, H>> for HashMap<K, A, H>
where
    K: Deserialize<'de> + Eq + Hash,
    A: DeserializeAs<'de, T>,
    H: BuildHasher + Default,
{
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<HashMap<K, T, H>, D::Error> {
        deserializer.deserialize_map(MapVisitor::<K, DeserializeWith<T, A>, T, H>(PhantomData))
    }
}

/// A map entry's value as read: kept, or dropped (a `null` in a dense map).
trait EntryValue<T> {
    fn kept(self) -> Option<T>;
}

impl<T, A> EntryValue<T> for DeserializeWith<T, A> {
    fn kept(self) -> Option<T> {
        Some(self.0)
    }
}

impl<T, A> EntryValue<T> for Option<DeserializeWith<T, A>> {
    fn kept(self) -> Option<T> {
        self.map(|DeserializeWith(value, _)| value)
    }
}

/// Reads a map whose values are read as `V`, keeping the values `V` keeps.
struct MapVisitor<K, V, T, H>(PhantomData<(K, V, T, H)>);

impl<'de, K, V, T, H> Visitor<'de> for MapVisitor<K, V, T, H>
where
    K: Deserialize<'de> + Eq + Hash,
    V: Deserialize<'de> + EntryValue<T>,
    H: BuildHasher + Default,
{
    type Value = HashMap<K, T, H>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<M: de::MapAccess<'de>>(self, mut map: M) -> Result<Self::Value, M::Error> {
        // Capped: the hint comes from the input.
        let capacity = map.size_hint().unwrap_or(0).min(1024);
        let mut values = HashMap::with_capacity_and_hasher(capacity, H::default());
        while let Some((key, value)) = map.next_entry::<K, V>()? {
            if let Some(value) = value.kept() {
                values.insert(key, value);
            }
        }
        Ok(values)
    }
}

/// A dense list in encoding `A` per item: `null` items are dropped on reading, as the
/// protocols ask of clients (a server rejects them before reading).
pub struct DenseVec<A: ?Sized>(PhantomData<A>);

impl<A: SerializeAs<T>, T> SerializeAs<Vec<T>> for DenseVec<A> {
    fn serialize_as<S: Serializer>(source: &Vec<T>, serializer: S) -> Result<S::Ok, S::Error> {
        Vec::<A>::serialize_as(source, serializer)
    }
}

impl<'de, A: DeserializeAs<'de, T>, T> DeserializeAs<'de, Vec<T>> for DenseVec<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<Vec<T>, D::Error> {
        struct SeqVisitor<T, A>(PhantomData<(T, A)>);

        impl<'de, A: DeserializeAs<'de, T>, T> Visitor<'de> for SeqVisitor<T, A> {
            type Value = Vec<T>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }

            fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<Vec<T>, S::Error> {
                // Capped: the hint comes from the input.
                let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
                while let Some(item) = seq.next_element::<Option<DeserializeWith<T, A>>>()? {
                    if let Some(DeserializeWith(value, _)) = item {
                        values.push(value);
                    }
                }
                Ok(values)
            }
        }

        deserializer.deserialize_seq(SeqVisitor::<T, A>(PhantomData))
    }
}

/// A dense map with values in encoding `A`: entries whose value is `null` are dropped on
/// reading, as the protocols ask of clients.
pub struct DenseMap<K: ?Sized, A: ?Sized>(PhantomData<K>, PhantomData<A>);

impl<K: Serialize + Eq + Hash, A: SerializeAs<T>, T, H> SerializeAs<HashMap<K, T, H>>
    for DenseMap<K, A>
{
    fn serialize_as<S: Serializer>(
        source: &HashMap<K, T, H>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        HashMap::<K, A, H>::serialize_as(source, serializer)
    }
}

impl<'de, K, A, T, H> DeserializeAs<'de, HashMap<K, T, H>> for DenseMap<K, A>
where
    K: Deserialize<'de> + Eq + Hash,
    A: DeserializeAs<'de, T>,
    H: BuildHasher + Default,
{
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<HashMap<K, T, H>, D::Error> {
        deserializer.deserialize_map(MapVisitor::<K, Option<DeserializeWith<T, A>>, T, H>(
            PhantomData,
        ))
    }
}

/// Serializes a borrowed `T` in encoding `A`; generated code uses it where serde's
/// `with` attribute cannot reach (union variants).
pub struct SerializeAsWrap<'a, T: ?Sized, A: ?Sized>(&'a T, PhantomData<A>);

impl<'a, T: ?Sized, A: ?Sized> SerializeAsWrap<'a, T, A> {
    /// Wraps `value`.
    pub fn new(value: &'a T) -> Self {
        SerializeAsWrap(value, PhantomData)
    }
}

impl<T: ?Sized, A: SerializeAs<T> + ?Sized> Serialize for SerializeAsWrap<'_, T, A> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        A::serialize_as(self.0, serializer)
    }
}

/// A `T` deserialized in encoding `A`; the counterpart of [`SerializeAsWrap`].
pub struct DeserializeAsWrap<T, A>(T, PhantomData<A>);

impl<T, A> DeserializeAsWrap<T, A> {
    /// The deserialized value.
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<'de, T, A: DeserializeAs<'de, T>> Deserialize<'de> for DeserializeAsWrap<T, A> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        A::deserialize_as(deserializer).map(|value| DeserializeAsWrap(value, PhantomData))
    }
}

/// Encoding `A`, except that JSON `null` reads as `T::default()`: the protocols treat a
/// `null` member as absent, and an absent member with a default takes it.
pub struct DefaultOnNull<A: ?Sized = Same>(PhantomData<A>);

impl<A: SerializeAs<T> + ?Sized, T> SerializeAs<T> for DefaultOnNull<A> {
    fn serialize_as<S: Serializer>(source: &T, serializer: S) -> Result<S::Ok, S::Error> {
        A::serialize_as(source, serializer)
    }
}

impl<'de, A: DeserializeAs<'de, T>, T: Default> DeserializeAs<'de, T> for DefaultOnNull<A> {
    fn deserialize_as<D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
        Option::<A>::deserialize_as(deserializer).map(Option::unwrap_or_default)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use serde::{Deserialize, Serialize};
    use serde_json::json;

    use super::*;

    fn dt(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    /// Serializes `value`, checks the JSON, and checks it deserializes back.
    fn round_trip<T>(value: &T, expected: serde_json::Value)
    where
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + fmt::Debug,
    {
        let json = serde_json::to_string(value).unwrap();
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&json).unwrap(),
            expected
        );
        assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), value);
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Markers {
        #[serde(with = "As::<EpochSeconds>")]
        epoch: DateTime,
        #[serde(with = "As::<DateTimeFormat>")]
        date_time: DateTime,
        #[serde(with = "As::<HttpDate>")]
        http_date: DateTime,
        #[serde(with = "As::<Same>")]
        same: String,
    }

    #[test]
    fn each_marker() {
        let time = dt(1_515_531_081, 0);
        let value = Markers {
            epoch: time,
            date_time: time,
            http_date: time,
            same: "s".into(),
        };
        round_trip(
            &value,
            json!({
                "epoch": 1_515_531_081,
                "date_time": "2018-01-09T20:51:21Z",
                "http_date": "Tue, 09 Jan 2018 20:51:21 GMT",
                "same": "s",
            }),
        );

        let time = dt(1_515_531_081, 123_000_000);
        let value = Markers {
            epoch: time,
            date_time: time,
            http_date: time,
            same: String::new(),
        };
        round_trip(
            &value,
            json!({
                "epoch": 1_515_531_081.123,
                "date_time": "2018-01-09T20:51:21.123Z",
                "http_date": "Tue, 09 Jan 2018 20:51:21.123 GMT",
                "same": "",
            }),
        );
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Epoch(#[serde(with = "As::<EpochSeconds>")] DateTime);

    #[test]
    fn epoch_seconds_json_numbers() {
        round_trip(&Epoch(dt(-2, 500_000_000)), json!(-1.5));
        round_trip(&Epoch(dt(-5, 0)), json!(-5));
        let parse = serde_json::from_str::<Epoch>;
        assert_eq!(parse("1.0").unwrap(), Epoch(dt(1, 0)));
        assert_eq!(parse("1e3").unwrap(), Epoch(dt(1000, 0)));
        assert_eq!(parse("0.001").unwrap(), Epoch(dt(0, 1_000_000)));
        assert_eq!(
            parse("9223372036854775807").unwrap(),
            Epoch(dt(i64::MAX, 0))
        );
        let rejected = [
            r#""1515531081""#,
            "9223372036854775808",
            "1e300",
            "null",
            "true",
        ];
        for json in rejected {
            assert!(parse(json).is_err(), "{json}");
        }
    }

    #[test]
    fn text_formats_reject_bad_input() {
        #[derive(Deserialize, Debug)]
        struct Text {
            #[serde(with = "As::<DateTimeFormat>")]
            _at: DateTime,
        }
        let err = serde_json::from_str::<Text>(r#"{"_at": "2019-13-01T00:00:00Z"}"#).unwrap_err();
        assert!(err.to_string().contains("month out of range"), "{err}");
        assert!(serde_json::from_str::<Text>(r#"{"_at": 0}"#).is_err());
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Optional {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(with = "As::<Option<EpochSeconds>>")]
        skipped: Option<DateTime>,
        #[serde(with = "As::<Option<HttpDate>>")]
        kept: Option<DateTime>,
    }

    #[test]
    fn option() {
        let some = Optional {
            skipped: Some(dt(1, 0)),
            kept: Some(dt(0, 0)),
        };
        round_trip(
            &some,
            json!({"skipped": 1, "kept": "Thu, 01 Jan 1970 00:00:00 GMT"}),
        );
        let none = Optional {
            skipped: None,
            kept: None,
        };
        round_trip(&none, json!({"kept": null}));
        let parsed: Optional = serde_json::from_str(r#"{"skipped": null, "kept": null}"#).unwrap();
        assert_eq!(parsed, none);
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Lists {
        #[serde(with = "As::<Vec<DateTimeFormat>>")]
        plain: Vec<DateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(with = "As::<Option<Vec<Option<EpochSeconds>>>>")]
        sparse: Option<Vec<Option<DateTime>>>,
        #[serde(with = "As::<Vec<Same>>")]
        same: Vec<u8>,
    }

    #[test]
    fn vec() {
        let lists = Lists {
            plain: vec![dt(0, 0), dt(1, 500_000_000)],
            sparse: Some(vec![Some(dt(2, 0)), None, Some(dt(-1, 750_000_000))]),
            same: vec![1, 2],
        };
        round_trip(
            &lists,
            json!({
                "plain": ["1970-01-01T00:00:00Z", "1970-01-01T00:00:01.5Z"],
                "sparse": [2, null, -0.25],
                "same": [1, 2],
            }),
        );
        let empty = Lists {
            plain: vec![],
            sparse: None,
            same: vec![],
        };
        round_trip(&empty, json!({"plain": [], "same": []}));
        assert!(serde_json::from_str::<Lists>(r#"{"plain": [1], "same": []}"#).is_err());
    }

    #[derive(Serialize, Deserialize, PartialEq, Debug)]
    struct Maps {
        #[serde(with = "As::<HashMap<String, EpochSeconds>>")]
        plain: HashMap<String, DateTime>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[serde(with = "As::<Option<HashMap<String, DateTimeFormat>>>")]
        optional: Option<HashMap<String, DateTime>>,
        #[serde(with = "As::<HashMap<u32, Vec<Option<HttpDate>>>>")]
        nested: HashMap<u32, Vec<Option<DateTime>>>,
    }

    #[test]
    fn hash_map() {
        let maps = Maps {
            plain: HashMap::from([("a".into(), dt(1, 0)), ("b".into(), dt(2, 0))]),
            optional: Some(HashMap::from([("c".into(), dt(3, 0))])),
            nested: HashMap::from([(7, vec![None, Some(dt(0, 0))])]),
        };
        round_trip(
            &maps,
            json!({
                "plain": {"a": 1, "b": 2},
                "optional": {"c": "1970-01-01T00:00:03Z"},
                "nested": {"7": [null, "Thu, 01 Jan 1970 00:00:00 GMT"]},
            }),
        );
        let empty = Maps {
            plain: HashMap::new(),
            optional: None,
            nested: HashMap::new(),
        };
        round_trip(&empty, json!({"plain": {}, "nested": {}}));
        assert!(serde_json::from_str::<Maps>(r#"{"plain": [], "nested": {}}"#).is_err());
    }

    #[test]
    fn dense_collections_drop_nulls_and_sparse_ones_keep_them() {
        #[derive(Deserialize, Debug, PartialEq)]
        struct Collections {
            #[serde(with = "As::<DenseMap<String, EpochSeconds>>")]
            dense_map: HashMap<String, DateTime>,
            #[serde(with = "As::<HashMap<String, Option<EpochSeconds>>>")]
            sparse_map: HashMap<String, Option<DateTime>>,
            #[serde(with = "As::<DenseVec<EpochSeconds>>")]
            dense_list: Vec<DateTime>,
        }
        let read: Collections = serde_json::from_value(json!({
            "dense_map": {"a": 1, "b": null, "c": 2.5},
            "sparse_map": {"a": 1, "b": null},
            "dense_list": [null, 1, null, 2],
        }))
        .unwrap();
        assert_eq!(
            read,
            Collections {
                dense_map: HashMap::from([
                    ("a".into(), dt(1, 0)),
                    ("c".into(), dt(2, 500_000_000))
                ]),
                sparse_map: HashMap::from([("a".into(), Some(dt(1, 0))), ("b".into(), None)]),
                dense_list: vec![dt(1, 0), dt(2, 0)],
            }
        );
        let wrong = json!({"dense_map": [], "sparse_map": {}, "dense_list": []});
        assert!(serde_json::from_value::<Collections>(wrong).is_err());
        let wrong = json!({"dense_map": {}, "sparse_map": {}, "dense_list": {}});
        assert!(serde_json::from_value::<Collections>(wrong).is_err());
    }
}
