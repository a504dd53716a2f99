//! JSON text: [`JsonWriter`] writes bytes, [`DeReader`] reads through serde_json's
//! streaming parser (no `serde_json::Value` is built for a body).

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess};
use serde_json::value::RawValue;

use super::{
    Entries, HasSchema, Items, ReadState, Reader, Segment, Shape, Visit, WireError, WriteShape,
    Writer, at,
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
    // checking every string in it again. A lenient read (a client's) is compiled apart
    // from a strict one, so that it does not pay for what it does not do.
    let (value, end) = match std::str::from_utf8(body) {
        Ok(text) => read_all(
            serde_json::Deserializer::from_str(text),
            state.as_deref_mut(),
            read,
        )?,
        Err(_) => read_all(
            serde_json::Deserializer::from_slice(body),
            state.as_deref_mut(),
            read,
        )?,
    };
    match (end, state) {
        (Ok(()), _) => Ok(value),
        (Err(e), Some(state)) => Err(state.serde_error(e)),
        (Err(e), None) => Err(e.into()),
    }
}

/// Runs `read` on a reader of the value `de` parses; with its result, what `de.end()` says
/// of the text after the value. Generic over the input and, through [`DeReader`], over the
/// strictness: each of the four kinds of read is still compiled on its own.
#[inline]
fn read_all<'de, R: serde_json::de::Read<'de>, T>(
    mut de: serde_json::Deserializer<R>,
    state: Option<&mut ReadState>,
    read: impl FnOnce(&mut dyn Reader) -> Result<T, WireError>,
) -> Result<(T, serde_json::Result<()>), WireError> {
    let value = match state {
        None => read(&mut DeReader::new(&mut de))?,
        Some(state) => read(&mut DeReader::strict(&mut de, state))?,
    };
    Ok((value, de.end()))
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

/// What a reader of JSON text holds besides the parser: nothing for a lenient read (a
/// client's), whose code is then what it was before strict reads existed, or the state of
/// a strict read (a server's).
pub trait Hold {
    /// What a reader of a nested value holds.
    type Again<'a>: Hold
    where
        Self: 'a;
    /// True for a strict read.
    const STRICT: bool;
    /// The hold for a reader of a nested value.
    fn again(&mut self) -> Self::Again<'_>;
    /// The state of a strict read.
    fn state(&mut self) -> Option<&mut ReadState>;
}

/// The hold of a lenient read: nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lenient;

impl Hold for Lenient {
    type Again<'a> = Lenient;
    const STRICT: bool = false;
    #[inline]
    fn again(&mut self) -> Lenient {
        Lenient
    }
    #[inline]
    fn state(&mut self) -> Option<&mut ReadState> {
        None
    }
}

impl Hold for &mut ReadState {
    type Again<'a>
        = &'a mut ReadState
    where
        Self: 'a;
    const STRICT: bool = true;
    fn again(&mut self) -> &mut ReadState {
        self
    }
    fn state(&mut self) -> Option<&mut ReadState> {
        Some(self)
    }
}

/// Reads one value from a serde `Deserializer` (serde_json's parser, or one of its map
/// values or array items); what the reader's caller does not read is skipped.
pub struct DeReader<D, H> {
    de: Option<D>,
    hold: H,
}

impl<'de, D: Deserializer<'de>> DeReader<D, Lenient> {
    /// A lenient reader of the value `de` holds.
    pub fn new(de: D) -> Self {
        DeReader {
            de: Some(de),
            hold: Lenient,
        }
    }
}

impl<'s, 'de, D: Deserializer<'de>> DeReader<D, &'s mut ReadState> {
    /// A strict reader of the value `de` holds.
    pub fn strict(de: D, state: &'s mut ReadState) -> Self {
        DeReader {
            de: Some(de),
            hold: state,
        }
    }
}

impl<'de, D: Deserializer<'de>, H: Hold> DeReader<D, H> {
    /// Skips the value if nothing read it.
    fn finish(&mut self) -> Result<(), WireError> {
        if let Some(de) = self.de.take() {
            if let Err(e) = <IgnoredAny as de::Deserialize>::deserialize(de) {
                return Err(serde_error(&mut self.hold, e));
            }
        }
        Ok(())
    }
}

fn error<E: fmt::Display>(e: E) -> WireError {
    WireError(e.to_string())
}

/// The error serde returned: for a strict read, the one this crate carried through serde
/// if any (serde keeps only its message).
#[inline]
fn serde_error<H: Hold>(hold: &mut H, e: impl fmt::Display) -> WireError {
    match hold.state() {
        Some(state) => state.serde_error(e),
        None => error(e),
    }
}

/// Serde's error for an error of this crate; a strict read keeps the error itself in its
/// state, to hand it back whole (with no position appended).
#[inline]
fn carry<E: de::Error, H: Hold>(hold: &mut H, error: WireError) -> E {
    let e = E::custom(&error.0);
    if let Some(state) = hold.state() {
        state.carry(error);
    }
    e
}

/// A strict read refuses values nested deeper than validation allows.
#[inline]
fn check_depth<H: Hold>(hold: &mut H) -> Result<(), WireError> {
    match hold.state() {
        Some(state) => state.check_depth(),
        None => Ok(()),
    }
}

fn taken() -> WireError {
    WireError::new("a value was read twice")
}

impl<'de, D: Deserializer<'de>, H: Hold> Reader for DeReader<D, H> {
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError> {
        let de = self.de.take().ok_or_else(taken)?;
        let adapter = VisitAdapter {
            visit,
            hold: self.hold.again(),
        };
        match de.deserialize_any(adapter) {
            Ok(()) => Ok(()),
            Err(e) => Err(serde_error(&mut self.hold, e)),
        }
    }

    fn number_text(&mut self) -> Result<Option<String>, WireError> {
        let de = self.de.take().ok_or_else(taken)?;
        let raw = match <Option<Box<RawValue>> as de::Deserialize>::deserialize(de) {
            Ok(raw) => raw,
            Err(e) => return Err(serde_error(&mut self.hold, e)),
        };
        let Some(raw) = raw else { return Ok(None) };
        check_depth(&mut self.hold)?;
        let text = raw.get();
        if text.starts_with('"') {
            // A client takes a number in a string; a server wants the number.
            if H::STRICT {
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
            Err(e) => return Err(serde_error(&mut self.hold, e)),
        };
        if !value.is_null() {
            check_depth(&mut self.hold)?;
        }
        Ok(value)
    }

    fn state(&mut self) -> Option<&mut ReadState> {
        self.hold.state()
    }
}

/// serde's visitor calling a [`Visit`].
struct VisitAdapter<'v, H> {
    visit: &'v mut dyn Visit,
    hold: H,
}

impl<H: Hold> VisitAdapter<'_, H> {
    /// Hands a value that is not `null` to the visit: a strict read first checks its depth.
    #[inline]
    fn visit<E: de::Error>(
        mut self,
        f: impl FnOnce(&mut dyn Visit) -> Result<(), WireError>,
    ) -> Result<(), E> {
        let result = match check_depth(&mut self.hold) {
            Ok(()) => f(self.visit),
            Err(error) => Err(error),
        };
        result.map_err(|error| carry(&mut self.hold, error))
    }
}

impl<'de, H: Hold> de::Visitor<'de> for VisitAdapter<'_, H> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.visit.expecting())
    }

    fn visit_unit<E: de::Error>(mut self) -> Result<(), E> {
        self.visit.null().map_err(|e| carry(&mut self.hold, e))
    }
    fn visit_none<E: de::Error>(mut self) -> Result<(), E> {
        self.visit.null().map_err(|e| carry(&mut self.hold, e))
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
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<(), E> {
        self.visit(|visit| visit.string(v))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        self.visit_nested(map, |visit, entries| visit.object(entries))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        self.visit_nested(seq, |visit, items| visit.array(items))
    }
}

impl<H: Hold> VisitAdapter<'_, H> {
    /// Hands an object's entries or an array's items to the visit (`f` calls
    /// [`Visit::object`] or [`Visit::array`]): a strict read first checks the depth.
    #[inline]
    fn visit_nested<A, E: de::Error>(
        mut self,
        access: A,
        f: impl FnOnce(&mut dyn Visit, &mut Nested<A, H>) -> Result<(), WireError>,
    ) -> Result<(), E> {
        if let Err(error) = check_depth(&mut self.hold) {
            return Err(carry(&mut self.hold, error));
        }
        // The entries or items hold the state while they are read, then carry an error
        // with it.
        let mut nested = Nested {
            access,
            hold: self.hold,
        };
        let result = f(self.visit, &mut nested);
        result.map_err(|e| carry(&mut nested.hold, e))
    }
}

/// An object's entries (`A` is serde's `MapAccess`) or an array's items (`SeqAccess`), with
/// the hold of the read they are part of.
struct Nested<A, H> {
    access: A,
    hold: H,
}

impl<'de, A: MapAccess<'de>, H: Hold> Entries for Nested<A, H> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        // Keys without escapes are borrowed from the body: no allocation per member.
        loop {
            let key = match self.access.next_key_seed(KeySeed) {
                Ok(Some(key)) => key,
                Ok(None) => return Ok(()),
                Err(e) => return Err(serde_error(&mut self.hold, e)),
            };
            let hold = self.hold.again();
            let read = if H::STRICT {
                // A strict read follows the path, so that an error says where it happened.
                self.access.next_value_seed(Seed {
                    each: &mut |r: &mut dyn Reader| at(r, Segment::Key(&key), |r| each(&key, r)),
                    hold,
                })
            } else {
                self.access.next_value_seed(Seed {
                    each: &mut |r: &mut dyn Reader| each(&key, r),
                    hold,
                })
            };
            if let Err(e) = read {
                return Err(serde_error(&mut self.hold, e));
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

impl<'de, A: SeqAccess<'de>, H: Hold> Items for Nested<A, H> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        let mut index = 0;
        loop {
            let hold = self.hold.again();
            let read = if H::STRICT {
                let at_index = Segment::Index(index);
                index += 1;
                self.access.next_element_seed(Seed {
                    each: &mut |r: &mut dyn Reader| at(r, at_index, &mut *each),
                    hold,
                })
            } else {
                self.access.next_element_seed(Seed {
                    each: &mut *each,
                    hold,
                })
            };
            match read {
                Ok(Some(())) => {}
                Ok(None) => return Ok(()),
                Err(e) => return Err(serde_error(&mut self.hold, e)),
            }
        }
    }
}

/// Hands the deserializer of one map value or array item to `each`, then skips whatever
/// `each` left unread.
struct Seed<'a, H> {
    each: &'a mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    hold: H,
}

impl<'de, H: Hold> DeserializeSeed<'de> for Seed<'_, H> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
        let mut reader = DeReader {
            de: Some(de),
            hold: self.hold,
        };
        let result = match (self.each)(&mut reader) {
            Ok(()) => reader.finish(),
            Err(error) => Err(error),
        };
        result.map_err(|e| carry(&mut reader.hold, e))
    }
}
