//! A typed value for any schema, for tests on hand-written schemas: it reads and writes
//! through the wire exactly as generated types do (a structure's members by index, a
//! union through `read_union` / `write_union_member`, maps as `HashMap`s, each scalar
//! as the Rust type generated code would hold it).

#![allow(dead_code)]

use std::collections::HashMap;

use serde_json::Value;
use smithy_runtime::validation::{InputError, Kind, Schema, read_checked};
use smithy_runtime::wire::value::ValueReader;
use smithy_runtime::wire::{
    Fields, Members, ReadState, Reader, Shape, WireError, WriteShape, Writer, read_members,
    read_union, write_union_member,
};
use smithy_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document};

/// A value of any shape, read and written by its schema.
#[derive(Clone, Debug, PartialEq)]
pub enum Dyn {
    /// A structure: one slot per member of its schema (`None`: not set).
    Structure(Vec<Option<Dyn>>),
    /// A union with member `index` set.
    Union(usize, Box<Dyn>),
    /// A union member this value does not know (it cannot be written).
    UnknownUnion,
    List(Vec<Option<Dyn>>),
    Map(HashMap<String, Option<Dyn>>),
    Boolean(bool),
    Byte(i8),
    Short(i16),
    Integer(i32),
    Long(i64),
    Float(f32),
    Double(f64),
    BigInteger(BigInteger),
    BigDecimal(BigDecimal),
    String(String),
    Blob(Blob),
    Timestamp(DateTime),
    Document(Document),
}

fn wrap<T>(value: Option<T>, f: impl FnOnce(T) -> Dyn) -> Option<Dyn> {
    value.map(f)
}

struct StructureSlots<'a>(&'a mut Vec<Option<Dyn>>);

impl Members for StructureSlots<'_> {
    fn read_member(
        &mut self,
        index: usize,
        schema: &'static Schema,
        r: &mut dyn Reader,
    ) -> Result<(), WireError> {
        // As generated `read_field`: `null` leaves the member as it is.
        if let Some(value) = Dyn::read(schema, r)? {
            self.0[index] = Some(value);
        }
        Ok(())
    }
}

impl Shape for Dyn {
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError> {
        Ok(match &schema.kind {
            Kind::Structure(members) => {
                let mut slots = vec![None; members.len()];
                let present = read_members(schema, r, &mut StructureSlots(&mut slots))?;
                present.then_some(Dyn::Structure(slots))
            }
            Kind::Union(_) => read_union(schema, r, || Dyn::UnknownUnion, &mut |index, s, r| {
                Ok(Dyn::read(s, r)?.map(|v| Dyn::Union(index, Box::new(v))))
            })?,
            Kind::List { sparse: true, .. } => {
                wrap(Vec::<Option<Dyn>>::read(schema, r)?, Dyn::List)
            }
            Kind::List { sparse: false, .. } => wrap(Vec::<Dyn>::read(schema, r)?, |items| {
                Dyn::List(items.into_iter().map(Some).collect())
            }),
            Kind::Map { sparse: true, .. } => {
                wrap(HashMap::<String, Option<Dyn>>::read(schema, r)?, Dyn::Map)
            }
            Kind::Map { sparse: false, .. } => {
                wrap(HashMap::<String, Dyn>::read(schema, r)?, |map| {
                    Dyn::Map(map.into_iter().map(|(k, v)| (k, Some(v))).collect())
                })
            }
            Kind::String => wrap(String::read(schema, r)?, Dyn::String),
            Kind::Boolean => wrap(bool::read(schema, r)?, Dyn::Boolean),
            Kind::Byte => wrap(i8::read(schema, r)?, Dyn::Byte),
            Kind::Short => wrap(i16::read(schema, r)?, Dyn::Short),
            Kind::Integer => wrap(i32::read(schema, r)?, Dyn::Integer),
            Kind::Long => wrap(i64::read(schema, r)?, Dyn::Long),
            Kind::Float => wrap(f32::read(schema, r)?, Dyn::Float),
            Kind::Double => wrap(f64::read(schema, r)?, Dyn::Double),
            Kind::BigInteger => wrap(BigInteger::read(schema, r)?, Dyn::BigInteger),
            Kind::BigDecimal => wrap(BigDecimal::read(schema, r)?, Dyn::BigDecimal),
            Kind::Blob => wrap(Blob::read(schema, r)?, Dyn::Blob),
            Kind::Timestamp(_) => wrap(DateTime::read(schema, r)?, Dyn::Timestamp),
            Kind::Document => wrap(Document::read(schema, r)?, Dyn::Document),
        })
    }
}

impl WriteShape for Dyn {
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer) {
        match self {
            Dyn::Structure(slots) => {
                let mut fields = Fields::begin(schema, w);
                for (index, slot) in slots.iter().enumerate() {
                    fields.field(index, slot);
                }
                fields.end();
            }
            Dyn::Union(index, value) => write_union_member(schema, w, *index, Some(&**value)),
            Dyn::UnknownUnion => w.fail(WireError::new("cannot serialize an unknown union member")),
            Dyn::List(items) => items.write(schema, w),
            Dyn::Map(map) => map.write(schema, w),
            Dyn::Boolean(v) => v.write(schema, w),
            Dyn::Byte(v) => v.write(schema, w),
            Dyn::Short(v) => v.write(schema, w),
            Dyn::Integer(v) => v.write(schema, w),
            Dyn::Long(v) => v.write(schema, w),
            Dyn::Float(v) => v.write(schema, w),
            Dyn::Double(v) => v.write(schema, w),
            Dyn::BigInteger(v) => v.write(schema, w),
            Dyn::BigDecimal(v) => v.write(schema, w),
            Dyn::String(v) => v.write(schema, w),
            Dyn::Blob(v) => v.write(schema, w),
            Dyn::Timestamp(v) => v.write(schema, w),
            Dyn::Document(v) => v.write(schema, w),
        }
    }
}

/// Reads `value` as a server reads a request body (its JSON text, strictly) and validates
/// it against `schema`.
pub fn check_text(text: &[u8], schema: &'static Schema) -> Result<Dyn, InputError> {
    let mut state = ReadState::new();
    let mut result = None;
    let read = smithy_runtime::wire::json::read_text(text, Some(&mut state), |r| {
        result = Some(read_checked::<Dyn>(schema, r));
        Ok(())
    });
    match (read, result) {
        // What the read found first wins over text left unread after it.
        (_, Some(Err(error))) => Err(error),
        (Err(error), _) => Err(InputError::Malformed(state.malformed(error, "the body"))),
        (Ok(()), Some(result)) => result,
        (Ok(()), None) => unreachable!("the read ran"),
    }
}

/// [`check_text`] on `value`'s JSON text.
pub fn check_json(value: &Value, schema: &'static Schema) -> Result<Dyn, InputError> {
    check_text(&serde_json::to_vec(value).expect("JSON"), schema)
}

/// Reads `value` strictly from its `serde_json::Value` form and validates it.
pub fn check_value(value: &Value, schema: &'static Schema) -> Result<Dyn, InputError> {
    let mut state = ReadState::new();
    read_checked::<Dyn>(
        schema,
        &mut ValueReader::with_state(value, Some(&mut state)),
    )
}
