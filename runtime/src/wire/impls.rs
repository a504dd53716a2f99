//! [`Shape`] for the value types: numbers, strings, blobs, timestamps, documents, and the
//! collections generated types hold them in.

use std::collections::HashMap;

use super::{MapKey, Reader, Shape, Visit, WireError, WriteShape, Writer};
use crate::validation::{Kind, Schema};
use crate::{BigDecimal, BigInteger, Blob, DateTime, Document, TimestampFormat};

/// Reads one scalar through a visit that fills `Option<T>`.
fn read_with<V: Visit + ScalarVisit>(
    r: &mut dyn Reader,
    mut visit: V,
) -> Result<Option<V::Out>, WireError> {
    r.read(&mut visit)?;
    Ok(visit.take())
}

trait ScalarVisit {
    type Out;
    fn take(self) -> Option<Self::Out>;
}

macro_rules! scalar_visit {
    ($name:ident, $out:ty, $expecting:literal, { $($method:item)* }) => {
        pub(crate) struct $name(pub(crate) Option<$out>);
        impl ScalarVisit for $name {
            type Out = $out;
            fn take(self) -> Option<$out> {
                self.0
            }
        }
        impl Visit for $name {
            fn expecting(&self) -> &'static str {
                $expecting
            }
            $($method)*
        }
    };
}

scalar_visit!(BoolVisit, bool, "a boolean", {
    fn boolean(&mut self, value: bool) -> Result<(), WireError> {
        self.0 = Some(value);
        Ok(())
    }
});

scalar_visit!(IntVisit, i64, "an integer", {
    fn integer(&mut self, value: i64) -> Result<(), WireError> {
        self.0 = Some(value);
        Ok(())
    }
});

scalar_visit!(
    FloatVisit,
    f64,
    "a number, \"NaN\", \"Infinity\" or \"-Infinity\"",
    {
        fn integer(&mut self, value: i64) -> Result<(), WireError> {
            self.0 = Some(value as f64);
            Ok(())
        }
        fn unsigned(&mut self, value: u64) -> Result<(), WireError> {
            self.0 = Some(value as f64);
            Ok(())
        }
        fn float(&mut self, value: f64) -> Result<(), WireError> {
            self.0 = Some(value);
            Ok(())
        }
        fn string(&mut self, value: &str) -> Result<(), WireError> {
            self.0 = Some(match value {
                "NaN" => f64::NAN,
                "Infinity" => f64::INFINITY,
                "-Infinity" => f64::NEG_INFINITY,
                _ => return Err(self.unexpected("another string")),
            });
            Ok(())
        }
    }
);

scalar_visit!(StringVisit, String, "a string", {
    fn string(&mut self, value: &str) -> Result<(), WireError> {
        self.0 = Some(value.to_owned());
        Ok(())
    }
});

scalar_visit!(
    EpochVisit,
    DateTime,
    "a number of seconds since the Unix epoch",
    {
        fn integer(&mut self, value: i64) -> Result<(), WireError> {
            self.0 = Some(DateTime::from_secs(value));
            Ok(())
        }
        fn float(&mut self, value: f64) -> Result<(), WireError> {
            self.0 = Some(
                DateTime::try_from_fractional_secs(value)
                    .ok_or_else(|| WireError::new("epoch seconds out of range"))?,
            );
            Ok(())
        }
    }
);

fn integer<T: TryFrom<i64>>(
    schema_kind: &Kind,
    r: &mut dyn Reader,
) -> Result<Option<T>, WireError> {
    match read_with(r, IntVisit(None))? {
        None => Ok(None),
        Some(value) => T::try_from(value)
            .map(Some)
            .map_err(|_| WireError(format!("{value} is out of range for {schema_kind:?}"))),
    }
}

macro_rules! integer_shape {
    ($($ty:ty),*) => {$(
        impl WriteShape for $ty {
            fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
                w.integer(i64::from(*self));
            }
        }

        impl Shape for $ty {
            fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
                integer(&schema.kind, r)
            }
        }
    )*};
}

integer_shape!(i8, i16, i32, i64);

/// A scalar written by one `Writer` method and read through one visit.
macro_rules! scalar_shape {
    ($($ty:ty => $method:ident, $visit:ident;)*) => {$(
        impl WriteShape for $ty {
            fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
                w.$method(*self);
            }
        }

        impl Shape for $ty {
            fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
                read_with(r, $visit(None))
            }
        }
    )*};
}

scalar_shape! {
    bool => boolean, BoolVisit;
    f64 => float, FloatVisit;
}

impl WriteShape for f32 {
    fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
        // The shortest decimal that reads back as this f32 (`1.1`, not the f64 nearest
        // the f32), as an f64.
        let widened = if self.is_finite() {
            self.to_string().parse::<f64>().unwrap_or(f64::from(*self))
        } else {
            f64::from(*self)
        };
        w.float(widened);
    }
}

impl Shape for f32 {
    fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        Ok(read_with(r, FloatVisit(None))?.map(|value| value as f32))
    }
}

impl WriteShape for String {
    fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
        w.string(self);
    }
}

impl Shape for String {
    fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        read_with(r, StringVisit(None))
    }
}

impl WriteShape for Blob {
    fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
        w.blob(self.as_ref());
    }
}

impl Shape for Blob {
    fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        Ok(r.blob()?.map(Blob::new))
    }
}

/// A stream is written as the bytes it holds in memory (none when they are still to
/// come: the transports send a stream's chunks in place of the payload).
#[cfg(feature = "byte-stream")]
impl WriteShape for crate::ByteStream {
    fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
        w.blob(self.bytes().unwrap_or_default());
    }
}

#[cfg(feature = "byte-stream")]
impl Shape for crate::ByteStream {
    fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        Ok(r.blob()?.map(crate::ByteStream::from))
    }
}

/// The timestamp format of a value with `schema` (epoch seconds unless it says).
fn timestamp_format(schema: &Schema) -> TimestampFormat {
    match schema.kind {
        Kind::Timestamp(format) => format,
        _ => TimestampFormat::EpochSeconds,
    }
}

impl WriteShape for DateTime {
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer) {
        match timestamp_format(schema) {
            TimestampFormat::EpochSeconds if self.subsec_nanos() == 0 => w.integer(self.secs()),
            TimestampFormat::EpochSeconds => w.float(self.as_secs_f64()),
            format => w.string(&self.fmt(format)),
        }
    }
}

impl Shape for DateTime {
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        match timestamp_format(schema) {
            TimestampFormat::EpochSeconds => read_with(r, EpochVisit(None)),
            format => match read_with(r, StringVisit(None))? {
                None => Ok(None),
                Some(text) => {
                    if format == TimestampFormat::DateTime && !text.ends_with(['Z', 'z']) {
                        utc_only(r)?;
                    }
                    DateTime::parse(format, &text)
                        .map(Some)
                        .map_err(|e| WireError(e.to_string()))
                }
            },
        }
    }
}

/// A server takes date-times in UTC only; a client reads any offset.
#[cold]
#[inline(never)]
fn utc_only(r: &mut dyn Reader) -> Result<(), WireError> {
    match r.state() {
        Some(_) => Err(WireError::new(
            "expected a date-time in UTC (ending in `Z`)",
        )),
        None => Ok(()),
    }
}

impl WriteShape for Document {
    fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
        w.document(self);
    }
}

impl Shape for Document {
    fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        let value = r.document()?;
        Ok((!value.is_null()).then_some(value))
    }
}

macro_rules! big_number_shape {
    ($($ty:ty),*) => {$(
        impl WriteShape for $ty {
            fn write(&self, _: &'static Schema, w: &mut dyn Writer) {
                w.number_text(self.as_str());
            }
        }

        impl Shape for $ty {
            fn read(_: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
                match r.number_text()? {
                    None => Ok(None),
                    Some(text) => text.parse().map(Some).map_err(|e: crate::BigNumberParseError| WireError(e.to_string())),
                }
            }
        }
    )*};
}

big_number_shape!(BigInteger, BigDecimal);

impl<T: WriteShape> WriteShape for Option<T> {
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer) {
        match self {
            Some(value) => value.write(schema, w),
            None => w.null(),
        }
    }
    fn is_absent(&self) -> bool {
        self.is_none()
    }
}

impl<T: Shape> Shape for Option<T> {
    /// `null` reads as `Some(None)`: a sparse collection keeps it.
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        Ok(Some(T::read(schema, r)?))
    }
}

impl<T: WriteShape> WriteShape for Box<T> {
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer) {
        (**self).write(schema, w);
    }
}

impl<T: Shape> Shape for Box<T> {
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        Ok(T::read(schema, r)?.map(Box::new))
    }
}

/// The schema of a list's members, or of a map's values.
fn item_schema(schema: &'static Schema) -> &'static Schema {
    match schema.kind {
        Kind::List { member, .. } => member,
        Kind::Map { value, .. } => value,
        _ => schema,
    }
}

impl<T: WriteShape> WriteShape for Vec<T> {
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer) {
        let item = item_schema(schema);
        w.begin_array();
        for value in self {
            if value.is_absent() {
                w.null();
            } else {
                value.write(item, w);
            }
        }
        w.end_array();
    }
}

impl<T: Shape> Shape for Vec<T> {
    /// A dense list drops `null` items (clients must tolerate them); a sparse one
    /// (`Vec<Option<_>>`) keeps them.
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        let item = item_schema(schema);
        let mut out = Vec::new();
        let present = super::read_array(r, &mut |r: &mut dyn Reader| {
            match T::read(item, r)? {
                Some(value) => out.push(value),
                None => dense_null(r, "null is not allowed in this list")?,
            }
            Ok(())
        })?;
        Ok(present.then_some(out))
    }
}

/// A `null` in a dense list or map: a client drops it, a server refuses it.
#[cold]
#[inline(never)]
fn dense_null(r: &mut dyn Reader, refusal: &'static str) -> Result<(), WireError> {
    match r.state() {
        Some(_) => Err(WireError::new(refusal)),
        None => Ok(()),
    }
}

impl MapKey for String {
    fn from_key(key: &str) -> Self {
        key.to_owned()
    }
    fn key(&self) -> &str {
        self
    }
}

impl<K, T, S> WriteShape for HashMap<K, T, S>
where
    K: MapKey + Eq + std::hash::Hash,
    T: WriteShape,
    S: std::hash::BuildHasher + Default,
{
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer) {
        let item = item_schema(schema);
        w.begin_object();
        for (key, value) in self {
            w.key(key.key());
            if value.is_absent() {
                w.null();
            } else {
                value.write(item, w);
            }
        }
        w.end_object();
    }
}

impl<K, T, S> Shape for HashMap<K, T, S>
where
    K: MapKey + Eq + std::hash::Hash,
    T: Shape,
    S: std::hash::BuildHasher + Default,
{
    /// A dense map drops `null` values; a sparse one keeps them.
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        let item = item_schema(schema);
        let mut out = HashMap::default();
        let present = super::read_object(r, &mut |key: &str, r: &mut dyn Reader| {
            match T::read(item, r)? {
                Some(value) => {
                    out.insert(K::from_key(key), value);
                }
                None => dense_null(r, "null is not allowed in this map")?,
            }
            Ok(())
        })?;
        Ok(present.then_some(out))
    }
}
