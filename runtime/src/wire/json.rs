//! JSON text: [`JsonWriter`] writes bytes, [`DeReader`] reads through serde_json's
//! streaming parser (no `serde_json::Value` is built for a body).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use super::{Entries, HasSchema, Items, Reader, Shape, Visit, WireError, WriteShape, Writer};
use crate::validation::Schema;

/// Writes `value` (a structure or union) as a JSON body.
pub fn to_vec<T: HasSchema>(value: &T) -> Result<Vec<u8>, WireError> {
    write_json(T::SCHEMA, value)
}

/// Writes a value with `schema` as JSON text.
pub fn write_json(schema: &'static Schema, value: &dyn WriteShape) -> Result<Vec<u8>, WireError> {
    let mut w = JsonWriter::default();
    value.write(schema, &mut w);
    w.finish()
}

/// Reads a structure or union from a JSON body; an empty (or all-whitespace) body reads
/// as `{}`.
pub fn from_slice<T: HasSchema + Default>(body: &[u8]) -> Result<T, WireError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    read_slice(T::SCHEMA, body).map(Option::unwrap_or_default)
}

/// Reads a value with `schema` from JSON text (`None`: the text is `null`).
pub fn read_slice<T: Shape>(schema: &'static Schema, body: &[u8]) -> Result<Option<T>, WireError> {
    // A body that is valid UTF-8 as a whole is read as a `str`, which spares serde_json
    // checking every string in it again.
    match std::str::from_utf8(body) {
        Ok(text) => {
            let mut de = serde_json::Deserializer::from_str(text);
            let value = T::read(schema, &mut DeReader(Some(&mut de)))?;
            de.end()?;
            Ok(value)
        }
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            let value = T::read(schema, &mut DeReader(Some(&mut de)))?;
            de.end()?;
            Ok(value)
        }
    }
}

/// Writes JSON text.
#[derive(Default)]
pub struct JsonWriter {
    out: Vec<u8>,
    /// Whether the object or array being written has an entry yet, per level.
    started: Vec<bool>,
    /// A key was just written: the next value follows it without a comma.
    after_key: bool,
    error: Option<WireError>,
}

impl JsonWriter {
    /// A writer that appends to `out`.
    pub fn new(out: Vec<u8>) -> JsonWriter {
        JsonWriter {
            out,
            ..JsonWriter::default()
        }
    }

    /// The text written, or the first error.
    pub fn finish(self) -> Result<Vec<u8>, WireError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.out),
        }
    }

    /// Before any value: the comma between array items.
    fn value_start(&mut self) {
        if self.after_key {
            self.after_key = false;
            return;
        }
        if let Some(started) = self.started.last_mut() {
            if *started {
                self.out.push(b',');
            }
            *started = true;
        }
    }

    fn raw(&mut self, text: &str) {
        self.value_start();
        self.out.extend_from_slice(text.as_bytes());
    }

    fn quoted(&mut self, text: &str) {
        // serde_json's escaping; writing to a Vec cannot fail.
        let _ = serde_json::to_writer(&mut self.out, text);
    }
}

impl Writer for JsonWriter {
    fn null(&mut self) {
        self.raw("null");
    }
    fn boolean(&mut self, value: bool) {
        self.raw(if value { "true" } else { "false" });
    }
    fn integer(&mut self, value: i64) {
        self.value_start();
        let _ = serde_json::to_writer(&mut self.out, &value);
    }
    fn float(&mut self, value: f64) {
        if value.is_nan() {
            self.string("NaN");
        } else if value.is_infinite() {
            self.string(if value > 0.0 { "Infinity" } else { "-Infinity" });
        } else {
            self.value_start();
            let _ = serde_json::to_writer(&mut self.out, &value);
        }
    }
    fn string(&mut self, value: &str) {
        self.value_start();
        self.quoted(value);
    }
    fn number_text(&mut self, text: &str) {
        // Only a valid JSON number goes out bare (a BigInteger holds one).
        match RawValue::from_string(text.to_owned()) {
            Ok(_) => self.raw(text),
            Err(_) => self.fail(WireError(format!("`{text}` is not a JSON number"))),
        }
    }
    fn document(&mut self, value: &serde_json::Value) {
        self.value_start();
        let _ = serde_json::to_writer(&mut self.out, value);
    }
    fn begin_object(&mut self) {
        self.value_start();
        self.out.push(b'{');
        self.started.push(false);
    }
    fn key(&mut self, key: &str) {
        self.value_start();
        self.quoted(key);
        self.out.push(b':');
        self.after_key = true;
    }
    fn end_object(&mut self) {
        self.started.pop();
        self.out.push(b'}');
    }
    fn begin_array(&mut self) {
        self.value_start();
        self.out.push(b'[');
        self.started.push(false);
    }
    fn end_array(&mut self) {
        self.started.pop();
        self.out.push(b']');
    }
    fn fail(&mut self, error: WireError) {
        self.error.get_or_insert(error);
    }
}

/// Reads one value from a serde `Deserializer` (serde_json's parser, or one of its map
/// values or array items). Whatever is not read is skipped when it is dropped... by the
/// caller, through [`DeReader::finish`].
pub struct DeReader<D>(pub Option<D>);

impl<'de, D: Deserializer<'de>> DeReader<D> {
    /// Skips the value if nothing read it.
    fn finish(&mut self) -> Result<(), WireError> {
        if let Some(de) = self.0.take() {
            <IgnoredAny as de::Deserialize>::deserialize(de).map_err(error)?;
        }
        Ok(())
    }
}

fn error<E: fmt::Display>(e: E) -> WireError {
    WireError(e.to_string())
}

fn taken() -> WireError {
    WireError::new("a value was read twice")
}

impl<'de, D: Deserializer<'de>> Reader for DeReader<D> {
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError> {
        let de = self.0.take().ok_or_else(taken)?;
        de.deserialize_any(VisitAdapter(visit)).map_err(error)
    }

    fn number_text(&mut self) -> Result<Option<String>, WireError> {
        let de = self.0.take().ok_or_else(taken)?;
        let raw = <Option<Box<RawValue>> as de::Deserialize>::deserialize(de).map_err(error)?;
        let Some(raw) = raw else { return Ok(None) };
        let text = raw.get();
        if text.starts_with('"') {
            serde_json::from_str::<String>(text)
                .map(Some)
                .map_err(error)
        } else {
            Ok(Some(text.to_owned()))
        }
    }

    fn document(&mut self) -> Result<serde_json::Value, WireError> {
        let de = self.0.take().ok_or_else(taken)?;
        <serde_json::Value as de::Deserialize>::deserialize(de).map_err(error)
    }
}

/// serde's visitor calling a [`Visit`].
struct VisitAdapter<'v>(&'v mut dyn Visit);

/// Carries a [`Visit`]'s error through serde (serde_json keeps the message and adds the
/// position).
fn de_error<E: de::Error>(error: WireError) -> E {
    E::custom(error.0)
}

impl<'de> de::Visitor<'de> for VisitAdapter<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.expecting())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.0.null().map_err(de_error)
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.0.null().map_err(de_error)
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.0.boolean(v).map_err(de_error)
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.0.integer(v).map_err(de_error)
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.0.unsigned(v).map_err(de_error)
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.0.float(v).map_err(de_error)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.0.string(v).map_err(de_error)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let mut entries = MapEntries(map);
        self.0.object(&mut entries).map_err(de_error)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let mut items = SeqItems(seq);
        self.0.array(&mut items).map_err(de_error)
    }
}

struct MapEntries<A>(A);

impl<'de, A: MapAccess<'de>> Entries for MapEntries<A> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        // Keys without escapes are borrowed from the body: no allocation per member.
        while let Some(key) = self.0.next_key_seed(KeySeed).map_err(error)? {
            self.0
                .next_value_seed(Seed {
                    each: &mut |r: &mut dyn Reader| each(&key, r),
                })
                .map_err(error)?;
        }
        Ok(())
    }
}

/// Reads a map key, borrowed from the input when it can be.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<Cow<'de, str>, D::Error> {
        de.deserialize_str(KeySeed)
    }
}

impl<'de> de::Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
}

struct SeqItems<A>(A);

impl<'de, A: SeqAccess<'de>> Items for SeqItems<A> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        while self
            .0
            .next_element_seed(Seed { each: &mut *each })
            .map_err(error)?
            .is_some()
        {}
        Ok(())
    }
}

/// Hands the deserializer of one map value or array item to `each`, then skips whatever
/// `each` left unread.
struct Seed<'a> {
    each: &'a mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let mut reader = DeReader(Some(de));
        (self.each)(&mut reader).map_err(de_error)?;
        reader.finish().map_err(de_error)
    }
}
