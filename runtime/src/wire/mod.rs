//! One description of the wire: the static [`Schema`] of each shape (member names in JSON,
//! timestamp formats, constraints) drives reading and writing the AWS JSON protocols'
//! bodies for every generated type, and the same schema drives validation.
//!
//! Generated types implement [`Shape`] with one line per member (`fields.field(i, &v)`
//! to write, one `match` arm per member to read); everything else is here, compiled once:
//! the JSON text itself ([`json`]), values in `serde_json::Value` form ([`value`]), and the
//! protocols' rules (`null` reads as absent, dense collections drop `null`s, a union has
//! exactly one member set, floats may be `"NaN"`, timestamps in the member's format). A
//! reader holding a [`ReadState`] reads by a server's stricter rules for inputs and says
//! where an input broke them.
//! The public types carry no serde attributes; the crate's opt-in `serde` feature derives
//! serde's traits for users who want them, unrelated to the wire.

mod impls;
pub mod json;
mod state;
pub mod value;

use std::fmt;

use crate::validation::{Kind, Member, Schema};

pub use json::{from_slice, to_vec};
pub use state::ReadState;
pub use value::{from_value, to_value};

pub(crate) use state::{NullSpy, Segment, at, push_segment};

/// A value the protocols can carry, written as its schema says. Object-safe, so what
/// writes values (bodies, validation, the JSON form) is compiled once, not per type.
pub trait WriteShape {
    /// Writes the value; `schema` is the schema of where it is (a member's, with the
    /// member's timestamp format and constraints, or the type's own).
    fn write(&self, schema: &'static Schema, w: &mut dyn Writer);

    /// True for a value that is not written at all (an unset `Option`).
    fn is_absent(&self) -> bool {
        false
    }
}

/// A value of a generated type (or a value type of the runtime) that the protocols can
/// carry: written and read as its schema says.
pub trait Shape: WriteShape + Sized {
    /// Reads a value; `Ok(None)` for a JSON `null`, which the caller treats as absent.
    fn read(schema: &'static Schema, r: &mut dyn Reader) -> Result<Option<Self>, WireError>;
}

/// A structure's members, read one at a time by position in its schema: generated code
/// has one `match` arm per member.
pub trait Members {
    /// Reads member `index` (with `schema`, the member's) from `r` into the structure.
    fn read_member(
        &mut self,
        index: usize,
        schema: &'static Schema,
        r: &mut dyn Reader,
    ) -> Result<(), WireError>;
}

/// An operation's error enum (generated): each modeled error by its shape name. The
/// client reads an error response through it, the stub server an example's members; one
/// `match` per operation serves both.
pub trait OperationError: From<crate::error::Unhandled> + Sized {
    /// The modeled error named `code` (its shape name) read from `source`; `None` for a
    /// name the operation does not declare, or an error that cannot be read.
    fn modeled(code: &str, source: impl ErrorSource) -> Option<Self>;
}

/// Where an operation's modeled error is read from (see [`OperationError`]).
pub trait ErrorSource {
    /// The error structure; `bindings` are its members bound to HTTP headers (restJson1
    /// `@httpHeader`), empty when it has none.
    fn read<T: HasSchema + Members + Default>(
        self,
        bindings: &'static [crate::protocol::Binding],
    ) -> Option<T>;
}

/// What a map's keys can be: strings, and string enums.
pub trait MapKey: Sized {
    /// The key read from the wire.
    fn from_key(key: &str) -> Self;
    /// The key as written.
    fn key(&self) -> &str;
}

/// A structure or union: a type with a schema of its own, which can be a whole body.
pub trait HasSchema: Shape {
    /// The shape's schema.
    const SCHEMA: &'static Schema;
}

/// Why a value could not be read or written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub(crate) String);

impl WireError {
    /// An error with this message.
    pub fn new(message: impl Into<String>) -> WireError {
        WireError(message.into())
    }
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WireError {}

impl From<serde_json::Error> for WireError {
    fn from(error: serde_json::Error) -> WireError {
        WireError(error.to_string())
    }
}

#[allow(missing_docs)]
/// Where written values go: JSON text ([`json::JsonWriter`]) or a `serde_json::Value`
/// ([`value::ValueWriter`]). Calls come in document order; an object is `begin_object`,
/// then `key` and one value per member, then `end_object`.
pub trait Writer {
    fn null(&mut self);
    fn boolean(&mut self, value: bool);
    fn integer(&mut self, value: i64);
    /// A finite float as a number; NaN and the infinities as the protocols' strings.
    fn float(&mut self, value: f64);
    fn string(&mut self, value: &str);
    /// A blob's bytes: base64 text unless the writer takes bytes as they are.
    fn blob(&mut self, bytes: &[u8]) {
        self.string(&crate::base64::encode(bytes));
    }
    /// A number given as its decimal text (big integers and decimals, written exactly).
    fn number_text(&mut self, text: &str);
    fn document(&mut self, value: &serde_json::Value);
    fn begin_object(&mut self);
    fn key(&mut self, key: &str);
    /// The key of a structure's member; writers that route members by their HTTP
    /// bindings look at the member itself.
    fn member(&mut self, member: &'static Member) {
        self.key(member.name);
    }
    fn end_object(&mut self);
    fn begin_array(&mut self);
    fn end_array(&mut self);
    /// A value that cannot be written (a union's `Unknown`); the first error is kept and
    /// the write fails.
    fn fail(&mut self, error: WireError);
}

/// Where values are read from: JSON text or a `serde_json::Value`. A read hands what it
/// finds to a [`Visit`].
pub trait Reader {
    /// Reads one value into `visit`.
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError>;
    /// Reads a number (or a string holding one) as its exact text; `None` for `null`.
    fn number_text(&mut self) -> Result<Option<String>, WireError>;
    /// Reads any JSON value (a `document`).
    fn document(&mut self) -> Result<serde_json::Value, WireError>;
    /// Reads a blob: base64 text decoded, unless the reader holds the bytes themselves (an
    /// HTTP payload); `None` for `null`.
    fn blob(&mut self) -> Result<Option<Vec<u8>>, WireError> {
        let mut visit = impls::StringVisit(None);
        self.read(&mut visit)?;
        match visit.0 {
            None => Ok(None),
            Some(text) => crate::base64::decode(&text)
                .map(Some)
                .map_err(|e| WireError(e.to_string())),
        }
    }
    /// The state of a strict read (a server reading a request); `None` for the lenient
    /// reads of responses.
    fn state(&mut self) -> Option<&mut ReadState> {
        None
    }
}

/// What a [`Reader`] found. Each method refuses by default, naming what was expected.
#[allow(missing_docs)]
pub trait Visit {
    /// What this visit reads, for messages (`a string`).
    fn expecting(&self) -> &'static str;
    fn null(&mut self) -> Result<(), WireError> {
        Ok(())
    }
    fn boolean(&mut self, _: bool) -> Result<(), WireError> {
        Err(self.unexpected("a boolean"))
    }
    fn integer(&mut self, _: i64) -> Result<(), WireError> {
        Err(self.unexpected("an integer"))
    }
    fn unsigned(&mut self, value: u64) -> Result<(), WireError> {
        match i64::try_from(value) {
            Ok(value) => self.integer(value),
            Err(_) => Err(self.unexpected("an integer out of range")),
        }
    }
    fn float(&mut self, _: f64) -> Result<(), WireError> {
        Err(self.unexpected("a number with a fraction"))
    }
    fn string(&mut self, _: &str) -> Result<(), WireError> {
        Err(self.unexpected("a string"))
    }
    fn object(&mut self, _: &mut dyn Entries) -> Result<(), WireError> {
        Err(self.unexpected("an object"))
    }
    fn array(&mut self, _: &mut dyn Items) -> Result<(), WireError> {
        Err(self.unexpected("an array"))
    }
    fn unexpected(&self, found: &str) -> WireError {
        WireError(format!("expected {}, found {found}", self.expecting()))
    }
}

/// The members of an object being read.
pub trait Entries {
    /// Calls `each` with every key and a reader of its value (a value `each` does not
    /// read is skipped).
    fn each(
        &mut self,
        each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError>;
}

/// The items of an array being read.
pub trait Items {
    /// Calls `each` with a reader of every item.
    fn each(
        &mut self,
        each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
    ) -> Result<(), WireError>;
}

/// The members of a structure or union schema.
/// The index of the member a JSON body key names: one the HTTP bindings do not carry
/// first (`@jsonName("httpMethod")` beside an `httpMethod` label), else any.
pub(crate) fn body_member(members: &[Member], key: &str) -> Option<usize> {
    members
        .iter()
        .position(|m| m.name == key && !m.bound)
        .or_else(|| members.iter().position(|m| m.name == key))
}

/// The index of the member an HTTP binding names: a bound one first, else any.
pub(crate) fn bound_member(members: &[Member], name: &str) -> Option<usize> {
    members
        .iter()
        .position(|m| m.name == name && m.bound)
        .or_else(|| members.iter().position(|m| m.name == name))
}

pub(crate) fn members_of(schema: &'static Schema) -> &'static [Member] {
    match schema.kind {
        Kind::Structure(members) | Kind::Union(members) => members,
        _ => &[],
    }
}

/// Writes a structure's members, in order, as a JSON object: generated `Shape::write`
/// calls [`Fields::field`] once per member, then [`Fields::end`].
pub struct Fields<'w> {
    w: &'w mut dyn Writer,
    members: &'static [Member],
}

impl<'w> Fields<'w> {
    /// Starts the object of a structure with `schema`.
    pub fn begin(schema: &'static Schema, w: &'w mut dyn Writer) -> Fields<'w> {
        w.begin_object();
        Fields {
            w,
            members: members_of(schema),
        }
    }

    /// Writes member `index` (its position in the schema), unless it is unset.
    pub fn field(&mut self, index: usize, value: &dyn WriteShape) {
        if value.is_absent() {
            return;
        }
        let Some(member) = self.members.get(index) else {
            return;
        };
        self.w.member(member);
        value.write(member.schema, self.w);
    }

    /// Ends the object.
    pub fn end(self) {
        self.w.end_object();
    }
}

/// Reads one member of a union: its index in the schema, its schema, and a reader of
/// its value.
pub type ReadMember<'a, T> =
    dyn FnMut(usize, &'static Schema, &mut dyn Reader) -> Result<T, WireError> + 'a;

/// Reads a structure with `schema` from `r`: the type's default, with each member the
/// message has (`null` reads as absent; unknown members are skipped).
pub fn read_structure<T: Members + Default>(
    schema: &'static Schema,
    r: &mut dyn Reader,
) -> Result<Option<T>, WireError> {
    let mut out = T::default();
    let present = read_members(schema, r, &mut out)?;
    Ok(present.then_some(out))
}

/// Reads the members of a structure with `schema` from `r` into `out`; false when the
/// value was `null`.
pub fn read_members(
    schema: &'static Schema,
    r: &mut dyn Reader,
    out: &mut dyn Members,
) -> Result<bool, WireError> {
    if r.state().is_some() {
        return read_members_strictly(schema, r, out);
    }
    let members = members_of(schema);
    read_object(
        r,
        &mut |key: &str, r: &mut dyn Reader| match body_member(members, key) {
            Some(index) => out.read_member(index, members[index].schema, r),
            None => Ok(()),
        },
    )
}

/// [`read_members`] for a strict read: notes the required members the object lacks.
#[inline(never)]
fn read_members_strictly(
    schema: &'static Schema,
    r: &mut dyn Reader,
    out: &mut dyn Members,
) -> Result<bool, WireError> {
    let members = members_of(schema);
    let mut set = vec![false; members.len()];
    let present = read_members_noting(schema, r, out, &mut set)?;
    if let (true, Some(state)) = (present, r.state()) {
        for (member, set) in members.iter().zip(set) {
            if member.required && !set {
                let mut path = state.path().to_owned();
                push_segment(&mut path, member.name);
                state.add_absent(path);
            }
        }
    }
    Ok(present)
}

/// [`read_members`], noting in `set` (one flag per member of `schema`) which members the
/// object has, not `null`; false when the value was `null`.
pub(crate) fn read_members_noting(
    schema: &'static Schema,
    r: &mut dyn Reader,
    out: &mut dyn Members,
    set: &mut [bool],
) -> Result<bool, WireError> {
    let members = members_of(schema);
    read_object(r, &mut |key: &str, r: &mut dyn Reader| {
        let Some(index) = body_member(members, key) else {
            return Ok(());
        };
        let mut spy = NullSpy::new(r);
        out.read_member(index, members[index].schema, &mut spy)?;
        // The last occurrence of a key counts, as in a JSON object.
        set[index] = !spy.null;
        Ok(())
    })
}

/// Implements [`WriteShape`], [`Shape`] and [`Members`] for a structure whose fields, in
/// the order given, are its schema's members: generated code writes
/// `wire::structure!(Type, first_field, second_field)` beside `Type`'s
/// [`HasSchema`]. Each field is written and read by its position in the schema.
#[doc(hidden)]
#[macro_export]
macro_rules! __wire_structure {
    ($type:ident $(, $field:ident)* $(,)?) => {
        impl $crate::wire::WriteShape for $type {
            #[allow(unused_mut, unused_assignments)]
            fn write(
                &self,
                schema: &'static $crate::validation::Schema,
                w: &mut dyn $crate::wire::Writer,
            ) {
                let mut fields = $crate::wire::Fields::begin(schema, w);
                let mut index = 0;
                $(
                    fields.field(index, &self.$field);
                    index += 1;
                )*
                fields.end();
            }
        }

        impl $crate::wire::Shape for $type {
            fn read(
                schema: &'static $crate::validation::Schema,
                r: &mut dyn $crate::wire::Reader,
            ) -> ::core::result::Result<::core::option::Option<Self>, $crate::wire::WireError> {
                $crate::wire::read_structure(schema, r)
            }
        }

        impl $crate::wire::Members for $type {
            #[allow(unused_mut, unused_assignments, unused_variables)]
            fn read_member(
                &mut self,
                index: usize,
                schema: &'static $crate::validation::Schema,
                r: &mut dyn $crate::wire::Reader,
            ) -> ::core::result::Result<(), $crate::wire::WireError> {
                let mut at = 0;
                $(
                    if index == at {
                        return $crate::wire::read_field(schema, r, &mut self.$field);
                    }
                    at += 1;
                )*
                ::core::result::Result::Ok(())
            }
        }
    };
}

pub use __wire_structure as structure;

/// Reads a value of member `schema` into `slot` unless it is `null`.
pub fn read_field<T: Shape>(
    schema: &'static Schema,
    r: &mut dyn Reader,
    slot: &mut T,
) -> Result<(), WireError> {
    if let Some(value) = T::read(schema, r)? {
        *slot = value;
    }
    Ok(())
}

/// Reads a union with `schema` from `r`: an object with exactly one member set (`null`
/// members and `__type` do not count). `member` reads the set member by its index; an
/// unknown member reads as `unknown`.
pub fn read_union<T>(
    schema: &'static Schema,
    r: &mut dyn Reader,
    unknown: fn() -> T,
    member: &mut ReadMember<'_, Option<T>>,
) -> Result<Option<T>, WireError> {
    let members = members_of(schema);
    let mut found: Option<T> = None;
    let mut set = 0usize;
    // The key of a member set that the union does not know.
    let mut unknown_key: Option<String> = None;
    let present = read_object(r, &mut |key: &str, r: &mut dyn Reader| {
        if key == "__type" {
            return Ok(());
        }
        let value = match members.iter().position(|m| m.name == key) {
            Some(index) => member(index, members[index].schema, r)?,
            None => {
                // Any value but `null` is a member set.
                let document = r.document()?;
                let value = (!document.is_null()).then(unknown);
                if value.is_some() {
                    unknown_key = Some(key.to_owned());
                }
                value
            }
        };
        if let Some(value) = value {
            set += 1;
            found = Some(value);
        }
        Ok(())
    })?;
    if !present {
        return Ok(None);
    }
    match set {
        // A server refuses what a client reads as `Unknown`.
        1 => match unknown_key {
            Some(key) if r.state().is_some() => {
                Err(WireError(format!("unknown union member `{key}`")))
            }
            _ => Ok(found),
        },
        0 => Err(WireError::new(
            "a union must have exactly one member set; none is",
        )),
        _ => Err(WireError::new(
            "a union must have exactly one member set; several are",
        )),
    }
}

/// Writes union member `index` holding `value` (or nothing, for a unit member).
pub fn write_union_member(
    schema: &'static Schema,
    w: &mut dyn Writer,
    index: usize,
    value: Option<&dyn WriteShape>,
) {
    let Some(member) = members_of(schema).get(index) else {
        return;
    };
    w.begin_object();
    w.key(member.name);
    match value {
        Some(value) => value.write(member.schema, w),
        None => {
            w.begin_object();
            w.end_object();
        }
    }
    w.end_object();
}

/// Writes union member `index`, a member targeting `smithy.api#Unit` (`{}`).
pub fn write_unit_member(schema: &'static Schema, w: &mut dyn Writer, index: usize) {
    write_union_member(schema, w, index, None);
}

/// The schema of a structure without members (an operation's `smithy.api#Unit` input or
/// output).
pub static EMPTY_STRUCTURE: Schema = Schema::structure(&[]);

/// Reads a value of type `T` with `schema` for a union member (`None`: it was `null`).
pub fn read_value<T: Shape>(
    schema: &'static Schema,
    r: &mut dyn Reader,
) -> Result<Option<T>, WireError> {
    T::read(schema, r)
}

/// A union member targeting `smithy.api#Unit`: any object (`{}`) sets it (a client takes
/// any value but `null`).
pub fn read_unit(r: &mut dyn Reader) -> Result<Option<()>, WireError> {
    let document = r.document()?;
    if r.state().is_some() && !document.is_null() && !document.is_object() {
        return Err(WireError::new("expected a structure (JSON object)"));
    }
    Ok((!document.is_null()).then_some(()))
}

/// Reads an object from `r`, handing each entry to `each`; false when the value was `null`.
/// (A strict reader follows the path into each entry itself.)
pub(crate) fn read_object(
    r: &mut dyn Reader,
    each: &mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>,
) -> Result<bool, WireError> {
    visit_each(r, Each::Entries(each))
}

/// Reads an array from `r`, handing each item to `each`; false when the value was `null`.
pub(crate) fn read_array(
    r: &mut dyn Reader,
    each: &mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>,
) -> Result<bool, WireError> {
    visit_each(r, Each::Items(each))
}

/// Reads an object or array from `r`, handing its entries or items to `each`.
fn visit_each(r: &mut dyn Reader, each: Each<'_>) -> Result<bool, WireError> {
    let mut visit = EachVisit {
        each,
        present: false,
    };
    r.read(&mut visit)?;
    Ok(visit.present)
}

/// What a collection read hands its entries or items to.
enum Each<'a> {
    Entries(&'a mut dyn FnMut(&str, &mut dyn Reader) -> Result<(), WireError>),
    Items(&'a mut dyn FnMut(&mut dyn Reader) -> Result<(), WireError>),
}

/// Visits the object or array `each` is for; `present` says whether the value was one
/// (not `null`).
struct EachVisit<'a> {
    each: Each<'a>,
    present: bool,
}

impl Visit for EachVisit<'_> {
    fn expecting(&self) -> &'static str {
        match self.each {
            Each::Entries(_) => "an object",
            Each::Items(_) => "an array",
        }
    }

    fn object(&mut self, entries: &mut dyn Entries) -> Result<(), WireError> {
        match &mut self.each {
            Each::Entries(each) => {
                self.present = true;
                entries.each(*each)
            }
            Each::Items(_) => Err(self.unexpected("an object")),
        }
    }

    fn array(&mut self, items: &mut dyn Items) -> Result<(), WireError> {
        match &mut self.each {
            Each::Items(each) => {
                self.present = true;
                items.each(*each)
            }
            Each::Entries(_) => Err(self.unexpected("an array")),
        }
    }
}
