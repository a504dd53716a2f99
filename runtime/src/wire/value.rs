//! Values in `serde_json::Value` form: what HTTP bindings, documents and validation of
//! merged request parts work on.

use serde_json::{Map, Number, Value};

use super::{
    Entries, HasSchema, Items, ReadState, Reader, Segment, Visit, WireError, WriteShape, Writer, at,
};
use crate::validation::Schema;

/// `value` (a structure or union) in its JSON form.
pub fn to_value<T: HasSchema>(value: &T) -> Result<Value, WireError> {
    write_value(T::SCHEMA, value)
}

/// A value with `schema` in its JSON form.
pub fn write_value(schema: &'static Schema, value: &dyn WriteShape) -> Result<Value, WireError> {
    let mut w = ValueWriter::default();
    value.write(schema, &mut w);
    w.finish()
}

/// Reads a structure or union from its JSON form (`null` reads as the default).
pub fn from_value<T: HasSchema + Default>(value: &Value) -> Result<T, WireError> {
    T::read(T::SCHEMA, &mut ValueReader::new(value)).map(Option::unwrap_or_default)
}

/// Builds a `serde_json::Value`.
#[derive(Default)]
pub struct ValueWriter {
    /// Open objects and arrays, innermost last, each with the key its value goes under.
    stack: Vec<(Value, Option<String>)>,
    /// The key of the value being written into the innermost object.
    key: Option<String>,
    done: Option<Value>,
    error: Option<WireError>,
}

impl ValueWriter {
    /// The value written, or the first error.
    pub fn finish(self) -> Result<Value, WireError> {
        match self.error {
            Some(error) => Err(error),
            None => Ok(self.done.unwrap_or(Value::Null)),
        }
    }

    fn put(&mut self, value: Value) {
        match self.stack.last_mut() {
            Some((Value::Object(object), _)) => {
                let key = self.key.take().unwrap_or_default();
                object.insert(key, value);
            }
            Some((Value::Array(items), _)) => items.push(value),
            _ => self.done = Some(value),
        }
    }

    fn open(&mut self, value: Value) {
        let key = self.key.take();
        self.stack.push((value, key));
    }

    fn close(&mut self) {
        if let Some((value, key)) = self.stack.pop() {
            self.key = key;
            self.put(value);
        }
    }
}

impl Writer for ValueWriter {
    fn null(&mut self) {
        self.put(Value::Null);
    }
    fn boolean(&mut self, value: bool) {
        self.put(Value::Bool(value));
    }
    fn integer(&mut self, value: i64) {
        self.put(Value::from(value));
    }
    fn float(&mut self, value: f64) {
        let value = match Number::from_f64(value) {
            Some(number) => Value::Number(number),
            None if value.is_nan() => Value::String("NaN".into()),
            None if value > 0.0 => Value::String("Infinity".into()),
            None => Value::String("-Infinity".into()),
        };
        self.put(value);
    }
    fn string(&mut self, value: &str) {
        self.put(Value::String(value.to_owned()));
    }
    fn number_text(&mut self, text: &str) {
        match serde_json::from_str::<Number>(text) {
            Ok(number) => self.put(Value::Number(number)),
            Err(_) => self.fail(WireError(format!("`{text}` is not a JSON number"))),
        }
    }
    fn document(&mut self, value: &Value) {
        self.put(value.clone());
    }
    fn begin_object(&mut self) {
        self.open(Value::Object(Map::new()));
    }
    fn key(&mut self, key: &str) {
        self.key = Some(key.to_owned());
    }
    fn end_object(&mut self) {
        self.close();
    }
    fn begin_array(&mut self) {
        self.open(Value::Array(Vec::new()));
    }
    fn end_array(&mut self) {
        self.close();
    }
    fn fail(&mut self, error: WireError) {
        self.error.get_or_insert(error);
    }
}

/// Reads from a `serde_json::Value`; with a [`ReadState`], strictly (a server's read).
pub struct ValueReader<'a, 's> {
    value: &'a Value,
    state: Option<&'s mut ReadState>,
}

impl<'a, 's> ValueReader<'a, 's> {
    /// A lenient reader of `value`.
    pub fn new(value: &'a Value) -> ValueReader<'a, 's> {
        ValueReader { value, state: None }
    }

    /// A reader of `value`, strict when `state` is given.
    pub fn with_state(value: &'a Value, state: Option<&'s mut ReadState>) -> ValueReader<'a, 's> {
        ValueReader { value, state }
    }

    fn check_depth(&self) -> Result<(), WireError> {
        match self.state.as_deref() {
            Some(state) if !self.value.is_null() => state.check_depth(),
            _ => Ok(()),
        }
    }
}

impl Reader for ValueReader<'_, '_> {
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError> {
        self.check_depth()?;
        let state = self.state.as_deref_mut();
        match self.value {
            Value::Null => visit.null(),
            Value::Bool(value) => visit.boolean(*value),
            Value::Number(number) => {
                if let Some(value) = number.as_i64() {
                    visit.integer(value)
                } else if let Some(value) = number.as_u64() {
                    visit.unsigned(value)
                } else {
                    visit.float(number.as_f64().unwrap_or(f64::NAN))
                }
            }
            Value::String(value) => visit.string(value),
            Value::Array(items) => visit.array(&mut ValueItems { items, state }),
            Value::Object(object) => visit.object(&mut ValueEntries { object, state }),
        }
    }

    fn number_text(&mut self) -> Result<Option<String>, WireError> {
        self.check_depth()?;
        match self.value {
            Value::Null => Ok(None),
            Value::Number(number) => Ok(Some(number.to_string())),
            // A client takes a number in a string; a server wants the number.
            Value::String(text) if self.state.is_none() => Ok(Some(text.clone())),
            other => Err(WireError(format!("expected a number, found {other}"))),
        }
    }

    fn document(&mut self) -> Result<Value, WireError> {
        self.check_depth()?;
        Ok(self.value.clone())
    }

    fn state(&mut self) -> Option<&mut ReadState> {
        self.state.as_deref_mut()
    }
}

struct ValueItems<'a, 's> {
    items: &'a [Value],
    state: Option<&'s mut ReadState>,
}

impl Items for ValueItems<'_, '_> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        for (index, item) in self.items.iter().enumerate() {
            let mut reader = ValueReader::with_state(item, self.state.as_deref_mut());
            if reader.state.is_some() {
                at(&mut reader, Segment::Index(index), &mut *each)?;
            } else {
                each(&mut reader)?;
            }
        }
        Ok(())
    }
}

struct ValueEntries<'a, 's> {
    object: &'a Map<String, Value>,
    state: Option<&'s mut ReadState>,
}

impl Entries for ValueEntries<'_, '_> {
    fn each(
        &mut self,
        each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError> {
        for (key, value) in self.object {
            let mut reader = ValueReader::with_state(value, self.state.as_deref_mut());
            if reader.state.is_some() {
                at(&mut reader, Segment::Key(key), |r| each(key, r))?;
            } else {
                each(key, &mut reader)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::Kind;
    use crate::wire::Shape;

    static STRING: Schema = Schema::of(Kind::String);
    static LIST: Schema = Schema::list(&STRING, false);
    static SPARSE: Schema = Schema::list(&STRING, true);

    #[test]
    fn dense_lists_drop_nulls_and_sparse_lists_keep_them() {
        let value = serde_json::json!(["a", null, "b"]);
        let dense: Vec<String> = Shape::read(&LIST, &mut ValueReader::new(&value))
            .unwrap()
            .unwrap();
        assert_eq!(dense, ["a", "b"]);
        let sparse: Vec<Option<String>> = Shape::read(&SPARSE, &mut ValueReader::new(&value))
            .unwrap()
            .unwrap();
        assert_eq!(sparse, [Some("a".into()), None, Some("b".into())]);
        assert_eq!(write_value(&SPARSE, &sparse).unwrap(), value);
    }

    #[test]
    fn json_and_value_forms_agree() {
        let value = serde_json::json!(["x\"y", null, "\u{e9}"]);
        let sparse: Vec<Option<String>> = Shape::read(&SPARSE, &mut ValueReader::new(&value))
            .unwrap()
            .unwrap();
        let mut w = super::super::json::JsonWriter::default();
        sparse.write(&SPARSE, &mut w);
        let text = w.finish().unwrap();
        assert_eq!(serde_json::from_slice::<Value>(&text).unwrap(), value);
        let back: Vec<Option<String>> = super::super::json::read_slice(&SPARSE, &text)
            .unwrap()
            .unwrap();
        assert_eq!(back, sparse);
    }
}
