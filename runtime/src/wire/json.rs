//! JSON text: [`JsonWriter`] writes bytes, [`DeReader`] reads through serde_json's
//! streaming parser (no `serde_json::Value` is built for a body).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use super::{
    Entries, HasSchema, Items, ReadState, Reader, Shape, Visit, WireError, WriteShape, Writer,
};
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
    read_text(body, None, |r| T::read(schema, r))
}

/// Runs `read` on a reader of the JSON text `body` (strict when `state` is given), then
/// checks that nothing but whitespace follows the value.
pub fn read_text<T>(
    body: &[u8],
    mut state: Option<&mut ReadState>,
    read: impl FnOnce(&mut dyn Reader) -> Result<T, WireError>,
) -> Result<T, WireError> {
    // A body that is valid UTF-8 as a whole is read as a `str`, which spares serde_json
    // checking every string in it again.
    let value;
    let end = match std::str::from_utf8(body) {
        Ok(text) => {
            let mut de = serde_json::Deserializer::from_str(text);
            value = read(&mut DeReader::with_state(&mut de, state.as_deref_mut()))?;
            de.end()
        }
        Err(_) => {
            let mut de = serde_json::Deserializer::from_slice(body);
            value = read(&mut DeReader::with_state(&mut de, state.as_deref_mut()))?;
            de.end()
        }
    };
    match (end, state) {
        (Ok(()), _) => Ok(value),
        (Err(e), Some(state)) => Err(state.serde_error(e)),
        (Err(e), None) => Err(e.into()),
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
/// values or array items); what the reader's caller does not read is skipped. With a
/// [`ReadState`] the read is strict (a server's).
pub struct DeReader<'s, D> {
    de: Option<D>,
    state: Option<&'s mut ReadState>,
}

impl<'s, 'de, D: Deserializer<'de>> DeReader<'s, D> {
    /// A lenient reader of the value `de` holds.
    pub fn new(de: D) -> DeReader<'s, D> {
        DeReader {
            de: Some(de),
            state: None,
        }
    }

    /// A reader of the value `de` holds, strict when `state` is given.
    pub fn with_state(de: D, state: Option<&'s mut ReadState>) -> DeReader<'s, D> {
        DeReader {
            de: Some(de),
            state,
        }
    }

    /// Skips the value if nothing read it.
    fn finish(&mut self) -> Result<(), WireError> {
        if let Some(de) = self.de.take() {
            if let Err(e) = <IgnoredAny as de::Deserialize>::deserialize(de) {
                return Err(self.error(e));
            }
        }
        Ok(())
    }

    /// The error serde returned: for a strict read, the one this crate carried through
    /// serde if any (serde keeps only its message).
    fn error(&mut self, e: impl fmt::Display) -> WireError {
        match self.state.as_deref_mut() {
            Some(state) => state.serde_error(e),
            None => WireError(e.to_string()),
        }
    }
}

fn error<E: fmt::Display>(e: E) -> WireError {
    WireError(e.to_string())
}

/// Serde's error for an error of this crate; a strict read keeps the error itself in
/// `state`, to hand it back whole (with no position appended).
fn carry<E: de::Error>(state: Option<&mut ReadState>, error: WireError) -> E {
    let e = E::custom(&error.0);
    if let Some(state) = state {
        state.carry(error);
    }
    e
}

fn taken() -> WireError {
    WireError::new("a value was read twice")
}

impl<'de, D: Deserializer<'de>> Reader for DeReader<'_, D> {
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError> {
        let de = self.de.take().ok_or_else(taken)?;
        let adapter = VisitAdapter {
            visit,
            state: self.state.as_deref_mut(),
        };
        de.deserialize_any(adapter).map_err(|e| self.error(e))
    }

    fn number_text(&mut self) -> Result<Option<String>, WireError> {
        let de = self.de.take().ok_or_else(taken)?;
        let raw = match <Option<Box<RawValue>> as de::Deserialize>::deserialize(de) {
            Ok(raw) => raw,
            Err(e) => return Err(self.error(e)),
        };
        let Some(raw) = raw else { return Ok(None) };
        depth_of(self.state.as_deref())?;
        let text = raw.get();
        if text.starts_with('"') {
            // A client takes a number in a string; a server wants the number.
            if self.state.is_some() {
                return Err(WireError::new("expected a number, found a string"));
            }
            serde_json::from_str::<String>(text)
                .map(Some)
                .map_err(error)
        } else {
            Ok(Some(text.to_owned()))
        }
    }

    fn document(&mut self) -> Result<serde_json::Value, WireError> {
        let de = self.de.take().ok_or_else(taken)?;
        let value = match <serde_json::Value as de::Deserialize>::deserialize(de) {
            Ok(value) => value,
            Err(e) => return Err(self.error(e)),
        };
        if !value.is_null() {
            depth_of(self.state.as_deref())?;
        }
        Ok(value)
    }

    fn state(&mut self) -> Option<&mut ReadState> {
        self.state.as_deref_mut()
    }
}

/// serde's visitor calling a [`Visit`].
struct VisitAdapter<'v, 's> {
    visit: &'v mut dyn Visit,
    state: Option<&'s mut ReadState>,
}

impl VisitAdapter<'_, '_> {
    /// Hands a non-`null` value to the visit: a strict read first checks its depth.
    fn visit<E: de::Error>(
        self,
        f: impl FnOnce(&mut dyn Visit) -> Result<(), WireError>,
    ) -> Result<(), E> {
        match depth_of(self.state.as_deref()).and_then(|()| f(self.visit)) {
            Ok(()) => Ok(()),
            Err(error) => Err(carry(self.state, error)),
        }
    }
}

impl<'de> de::Visitor<'de> for VisitAdapter<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.visit.expecting())
    }

    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.visit.null().map_err(|e| carry(self.state, e))
    }
    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.visit.null().map_err(|e| carry(self.state, e))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.visit(|visit| visit.boolean(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.visit(|visit| visit.integer(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.visit(|visit| visit.unsigned(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.visit(|visit| visit.float(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.visit(|visit| visit.string(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        // The entries hold the state while they are read, then carry an error with it.
        let mut entries = MapEntries {
            map,
            state: self.state,
        };
        let result =
            depth_of(entries.state.as_deref()).and_then(|()| self.visit.object(&mut entries));
        result.map_err(|e| carry(entries.state, e))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let mut items = SeqItems {
            seq,
            state: self.state,
        };
        let result = depth_of(items.state.as_deref()).and_then(|()| self.visit.array(&mut items));
        result.map_err(|e| carry(items.state, e))
    }
}

/// A strict read refuses values nested deeper than validation allows.
fn depth_of(state: Option<&ReadState>) -> Result<(), WireError> {
    match state {
        Some(state) => state.check_depth(),
        None => Ok(()),
    }
}

struct MapEntries<'s, A> {
    map: A,
    state: Option<&'s mut ReadState>,
}

impl<A> MapEntries<'_, A> {
    fn error(&mut self, e: impl fmt::Display) -> WireError {
        match self.state.as_deref_mut() {
            Some(state) => state.serde_error(e),
            None => WireError(e.to_string()),
        }
    }
}

impl<'de, A: MapAccess<'de>> Entries for MapEntries<'_, A> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        // Keys without escapes are borrowed from the body: no allocation per member.
        loop {
            let key = match self.map.next_key_seed(KeySeed) {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(()),
                Err(e) => return Err(self.error(e)),
            };
            let seed = Seed {
                each: &mut |r: &mut dyn Reader| each(&key, r),
                state: self.state.as_deref_mut(),
            };
            if let Err(e) = self.map.next_value_seed(seed) {
                return Err(self.error(e));
            }
        }
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

struct SeqItems<'s, A> {
    seq: A,
    state: Option<&'s mut ReadState>,
}

impl<'de, A: SeqAccess<'de>> Items for SeqItems<'_, A> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        loop {
            let seed = Seed {
                each: &mut *each,
                state: self.state.as_deref_mut(),
            };
            match self.seq.next_element_seed(seed) {
                Ok(Some(())) => {}
                Ok(None) => return Ok(()),
                Err(e) => {
                    return Err(match self.state.as_deref_mut() {
                        Some(state) => state.serde_error(e),
                        None => error(e),
                    });
                }
            }
        }
    }
}

/// Hands the deserializer of one map value or array item to `each`, then skips whatever
/// `each` left unread.
struct Seed<'a, 's> {
    each: &'a mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    state: Option<&'s mut ReadState>,
}

impl<'de> DeserializeSeed<'de> for Seed<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let mut reader = DeReader::with_state(de, self.state);
        let result = (self.each)(&mut reader).and_then(|()| reader.finish());
        result.map_err(|e| carry(reader.state, e))
    }
}
