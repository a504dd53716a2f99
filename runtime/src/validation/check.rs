//! The validator: a [`Writer`] that follows the schema while a typed value writes itself
//! (`WriteShape::write`), so no JSON form of the value is built. It reports what the JSON
//! form would break, in the order a walk of that form meets it: members in schema order
//! (a required member that is not written, or was absent on the wire, where it would
//! be), a collection's own length and uniqueness before its items, map entries in key
//! order whatever order the map iterates in, map keys at the map's own path.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use serde_json::{Number, Value};

use super::{
    InputError, Kind, MAX_DEPTH, MAX_VIOLATIONS, MalformedError, Member, Schema, ValidationError,
    Violation, canonical_number, is_integral, rules,
};
use crate::TimestampFormat;
use crate::wire::{WireError, Writer, push_segment};

/// Checks what is written against `root`. `absent` holds the JSON Pointers of required
/// members that were absent (or `null`) on the wire though the typed value holds a
/// default for them: they are reported as missing and their value is not checked.
pub(super) struct Check<'a> {
    root: &'static Schema,
    absent: &'a [String],
    /// The objects and arrays being written, innermost last. The JSON Pointer of the value
    /// being written is made of their current members, items and keys, when a message
    /// needs it.
    frames: Vec<Frame>,
    /// How many frames are unique lists, whose items are written to a canonical form too.
    uniques: usize,
    /// Violations outside any collection.
    sink: Sink,
    /// The value being written is not checked.
    skip: Option<Skip>,
    /// The first malformed value outside any map entry: the input is not of its JSON form.
    malformed: Option<MalformedError>,
    /// The first write that failed (a union's `Unknown`): the value has no JSON form.
    failed: Option<WireError>,
}

/// A value being passed over: `open` counts its objects and arrays not yet ended.
struct Skip {
    open: usize,
    /// An absent member's default: not part of the JSON form at all (a failing write in
    /// it does not count either).
    absent: bool,
}

struct Frame {
    /// `None`: a value nothing is checked in (a document, an unknown member).
    schema: Option<&'static Schema>,
    kind: FrameKind,
}

enum FrameKind {
    Structure {
        members: &'static [Member],
        /// Members before this one have had their turn.
        cursor: usize,
        /// The member whose value comes next.
        member: Option<&'static Member>,
    },
    Union {
        members: &'static [Member],
        member: Option<&'static Member>,
        /// The key is `__type`.
        ignored: bool,
        /// Members set (not `null`).
        set: usize,
        unknown: Option<String>,
    },
    List {
        item: &'static Schema,
        sparse: bool,
        len: usize,
        /// The items' violations, reported after the list's own.
        sink: Sink,
        unique: Option<Box<Unique>>,
    },
    Map {
        key: &'static Schema,
        value: &'static Schema,
        sparse: bool,
        len: usize,
        /// The entry being written, when `open`; its key is in the path once `keyed`.
        entry: Entry,
        open: bool,
        keyed: bool,
        entries: Entries,
    },
    /// An object or array nothing is checked in.
    Opaque,
}

/// What the value about to be written is, from where it is.
#[derive(Clone, Copy)]
struct Next {
    schema: Option<&'static Schema>,
    within: Within,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Within {
    Root,
    /// A structure member: `null` is absent, which a required member must not be.
    Member {
        required: bool,
    },
    UnionMember,
    Item {
        sparse: bool,
    },
    MapValue {
        sparse: bool,
    },
    Unchecked,
}

/// A value written with no nested events, as its JSON form would hold it.
#[derive(Clone, Copy)]
enum Json<'v> {
    Null,
    Bool(bool),
    Int(i64),
    /// Finite; NaN and the infinities are the protocols' strings.
    Float(f64),
    Str(&'v str),
    /// A number as its decimal text (big numbers).
    Num(&'v str),
    /// A blob's bytes (base64 text in JSON).
    Bytes(&'v [u8]),
    /// A document that is not `null`.
    Doc(&'v Value),
}

/// Violations in the order they are reported: the first [`MAX_VIOLATIONS`] are kept, all
/// are counted.
#[derive(Default)]
struct Sink {
    kept: Vec<Violation>,
    total: usize,
}

impl Sink {
    fn push(&mut self, path: &str, message: impl FnOnce(&str) -> String) {
        self.total += 1;
        if self.kept.len() < MAX_VIOLATIONS {
            let message = message(path);
            self.kept.push(Violation {
                path: path.to_owned(),
                message,
            });
        }
    }

    /// Appends what `later` found after what this sink holds.
    fn append(&mut self, later: Sink) {
        let uncounted = later.total - later.kept.len();
        for violation in later.kept {
            self.total += 1;
            if self.kept.len() < MAX_VIOLATIONS {
                self.kept.push(violation);
            }
        }
        self.total += uncounted;
    }
}

/// A map entry being written (one per map, its key's buffer used again for each entry).
#[derive(Default)]
struct Entry {
    key: String,
    /// The key's violations, then the value's.
    sink: Sink,
    malformed: Option<MalformedError>,
}

/// A map's entries, kept in key order (a typed map iterates in any order); only what can
/// still be among the first [`MAX_VIOLATIONS`] is kept.
#[derive(Default)]
struct Entries {
    sinks: BTreeMap<String, Sink>,
    /// Violations kept in `sinks`.
    kept: usize,
    /// Violations of entries let go: counted, never reported.
    dropped: usize,
    /// The malformed value of the entry first in key order.
    malformed: Option<(String, MalformedError)>,
}

impl Entries {
    /// Keeps what `entry` found (only the key of an entry that found something is copied),
    /// leaving it ready for the next entry.
    fn add(&mut self, entry: &mut Entry) {
        if let Some(error) = entry.malformed.take() {
            if self
                .malformed
                .as_ref()
                .is_none_or(|(key, _)| entry.key < *key)
            {
                self.malformed = Some((entry.key.clone(), error));
            }
        }
        if entry.sink.kept.is_empty() {
            // Nothing to report, only to count.
            self.dropped += std::mem::take(&mut entry.sink.total);
            return;
        }
        let sink = std::mem::take(&mut entry.sink);
        self.kept += sink.kept.len();
        if let Some(replaced) = self.sinks.insert(entry.key.clone(), sink) {
            self.kept -= replaced.kept.len();
        }
        // The entries last in key order are reported only if those before them leave room.
        while let Some((_, last)) = self.sinks.last_key_value() {
            if self.kept - last.kept.len() < MAX_VIOLATIONS {
                break;
            }
            if let Some((_, last)) = self.sinks.pop_last() {
                self.kept -= last.kept.len();
                self.dropped += last.total;
            }
        }
    }
}

/// A unique list's items: each item's canonical form, to find two equal ones.
#[derive(Default)]
struct Unique {
    seen: HashSet<String>,
    duplicate: bool,
    /// The item being written.
    canon: Canon,
}

impl<'a> Check<'a> {
    pub(super) fn new(root: &'static Schema, absent: &'a [String]) -> Check<'a> {
        Check {
            root,
            absent,
            frames: Vec::new(),
            uniques: 0,
            sink: Sink::default(),
            skip: None,
            malformed: None,
            failed: None,
        }
    }

    /// What was found.
    pub(super) fn finish(self) -> Result<(), InputError> {
        if let Some(error) = self.failed {
            return Err(InputError::Malformed(MalformedError {
                path: String::new(),
                reason: error.to_string(),
            }));
        }
        if let Some(error) = self.malformed {
            return Err(InputError::Malformed(error));
        }
        if self.sink.total == 0 {
            Ok(())
        } else {
            Err(InputError::Invalid(ValidationError {
                violations: self.sink.kept,
                total: self.sink.total,
            }))
        }
    }

    /// The sink of the innermost list or map entry, else the top one.
    fn sink(&mut self) -> &mut Sink {
        let at = self.frames.iter().rposition(|frame| {
            matches!(
                frame.kind,
                FrameKind::List { .. } | FrameKind::Map { open: true, .. }
            )
        });
        match at.map(|i| &mut self.frames[i].kind) {
            Some(FrameKind::List { sink, .. }) => sink,
            Some(FrameKind::Map { entry, .. }) => &mut entry.sink,
            _ => &mut self.sink,
        }
    }

    /// How many violations kept so far will be reported before the next one.
    fn kept_before(&self) -> usize {
        let around: usize = self
            .frames
            .iter()
            .map(|frame| match &frame.kind {
                FrameKind::List { sink, .. } => sink.kept.len(),
                FrameKind::Map {
                    entry, open: true, ..
                } => entry.sink.kept.len(),
                _ => 0,
            })
            .sum();
        self.sink.kept.len() + around
    }

    /// The JSON Pointer of the value inside the first `n` frames.
    fn path_upto(&self, n: usize) -> String {
        let mut path = String::new();
        for frame in &self.frames[..n] {
            match &frame.kind {
                FrameKind::Structure {
                    member: Some(member),
                    ..
                }
                | FrameKind::Union {
                    member: Some(member),
                    ..
                } => push_segment(&mut path, member.name),
                FrameKind::Union {
                    unknown: Some(key),
                    ignored: false,
                    ..
                } => push_segment(&mut path, key),
                FrameKind::List { len, .. } => {
                    let _ = write!(path, "/{}", len.saturating_sub(1));
                }
                FrameKind::Map {
                    entry, keyed: true, ..
                } => push_segment(&mut path, &entry.key),
                _ => {}
            }
        }
        path
    }

    /// The JSON Pointer of the value being written.
    fn path(&self) -> String {
        self.path_upto(self.frames.len())
    }

    /// Reports a violation of the value being written.
    fn violation(&mut self, message: impl FnOnce(&str) -> String) {
        self.violation_at(None, message);
    }

    /// Reports a violation of the value being written, or of `member` of the structure
    /// inside the first `n` frames.
    fn violation_at(
        &mut self,
        member: Option<(usize, &str)>,
        message: impl FnOnce(&str) -> String,
    ) {
        // A violation is made (its path and message) only if it can be among the first
        // ones reported: fewer than the limit are kept before it, in this sink and in
        // those around it (map entries are put in key order only at the map's end, so
        // those of other entries do not count).
        if self.kept_before() >= MAX_VIOLATIONS {
            self.sink().total += 1;
            return;
        }
        let path = match member {
            Some((n, name)) => {
                let mut path = self.path_upto(n);
                push_segment(&mut path, name);
                path
            }
            None => self.path(),
        };
        self.sink().push(&path, message);
    }

    /// Reports a required member of the structure inside the first `n` frames as missing.
    fn missing(&mut self, n: usize, name: &str) {
        self.violation_at(Some((n, name)), |p| {
            format!("Value at '{p}' failed to satisfy constraint: Member must not be null")
        });
    }

    /// The value being written is not of its JSON form. Inside a map entry only the rest
    /// of the entry is passed over (the entry first in key order decides); elsewhere
    /// nothing more is checked.
    fn malformed(&mut self, reason: impl Into<String>) {
        let error = MalformedError {
            path: self.path(),
            reason: reason.into(),
        };
        self.raise(error);
    }

    fn raise(&mut self, error: MalformedError) {
        let entry = self
            .frames
            .iter()
            .rposition(|frame| matches!(frame.kind, FrameKind::Map { open: true, .. }));
        let Some(at) = entry else {
            self.malformed = Some(error);
            self.frames.clear();
            self.uniques = 0;
            return;
        };
        let open = self.frames.len() - (at + 1);
        self.frames.truncate(at + 1);
        self.uniques = self.count_uniques();
        if let FrameKind::Map { entry, .. } = &mut self.frames[at].kind {
            entry.malformed.get_or_insert(error);
        }
        if open == 0 {
            self.value_done();
        } else {
            self.skip = Some(Skip {
                open,
                absent: false,
            });
        }
    }

    fn count_uniques(&self) -> usize {
        self.frames
            .iter()
            .filter(|frame| {
                matches!(
                    frame.kind,
                    FrameKind::List {
                        unique: Some(_),
                        ..
                    }
                )
            })
            .count()
    }

    /// Hands an event to the canonical form of every unique list's item being written.
    fn canon(&mut self, event: impl Fn(&mut Canon)) {
        if self.uniques == 0 {
            return;
        }
        for frame in &mut self.frames {
            if let FrameKind::List {
                unique: Some(unique),
                ..
            } = &mut frame.kind
            {
                event(&mut unique.canon);
            }
        }
    }

    /// Where the value about to be written goes: moves to a list's next item.
    fn next(&mut self) -> Next {
        let Some(frame) = self.frames.last_mut() else {
            return Next {
                schema: Some(self.root),
                within: Within::Root,
            };
        };
        let checked = frame.schema.is_some();
        let next = match &mut frame.kind {
            FrameKind::Structure { member, .. } => Next {
                schema: member.map(|m| m.schema),
                within: Within::Member {
                    required: member.is_some_and(|m| m.required),
                },
            },
            FrameKind::Union { member, .. } => Next {
                schema: member.map(|m| m.schema),
                within: Within::UnionMember,
            },
            FrameKind::List {
                item,
                sparse,
                len,
                unique,
                ..
            } => {
                *len += 1;
                if let Some(unique) = unique {
                    unique.canon = Canon::default();
                }
                Next {
                    schema: Some(*item),
                    within: Within::Item { sparse: *sparse },
                }
            }
            FrameKind::Map { value, sparse, .. } => Next {
                schema: Some(*value),
                within: Within::MapValue { sparse: *sparse },
            },
            FrameKind::Opaque => Next {
                schema: None,
                within: Within::Unchecked,
            },
        };
        if checked {
            next
        } else {
            Next {
                schema: None,
                within: Within::Unchecked,
            }
        }
    }

    /// A value ended: a list's item or a map's entry is complete.
    fn value_done(&mut self) {
        match self.frames.last_mut().map(|frame| &mut frame.kind) {
            Some(FrameKind::List {
                unique: Some(unique),
                ..
            }) => {
                let text = unique.canon.take();
                if !unique.seen.insert(text) {
                    unique.duplicate = true;
                }
            }
            Some(FrameKind::Map {
                entry,
                open,
                keyed,
                entries,
                ..
            }) => {
                *keyed = false;
                if std::mem::take(open) {
                    entries.add(entry);
                }
            }
            _ => {}
        }
    }

    /// Before a value: false when it is passed over.
    fn skipping_value_start(&mut self, container: bool) -> bool {
        let Some(skip) = &mut self.skip else {
            return self.malformed.is_some();
        };
        if container {
            skip.open += 1;
        } else if skip.open == 0 {
            // The skipped value was this scalar.
            self.skip = None;
            self.value_done();
        }
        true
    }

    /// A value with no nested events.
    fn scalar(&mut self, value: Json<'_>) {
        if self.skipping_value_start(false) {
            return;
        }
        let next = self.next();
        self.canon(|canon| canon.scalar(next.schema, value));
        if let Json::Null = value {
            match next.within {
                Within::Member { required } => {
                    if required {
                        self.violation(|p| {
                            format!("Value at '{p}' failed to satisfy constraint: Member must not be null")
                        });
                    }
                    return self.value_done();
                }
                Within::UnionMember | Within::Unchecked => return self.value_done(),
                Within::Item { sparse } | Within::MapValue { sparse } if sparse => {
                    return self.value_done();
                }
                Within::Item { .. } => return self.malformed("null is not allowed in this list"),
                Within::MapValue { .. } => {
                    return self.malformed("null is not allowed in this map");
                }
                Within::Root => {}
            }
        }
        if next.schema.is_some() && self.frames.len() > MAX_DEPTH {
            return self.malformed("input is nested too deeply");
        }
        self.count_union_member();
        if let Some(schema) = next.schema {
            if let Err(reason) = self.check_scalar(schema, value) {
                return self.malformed(reason);
            }
        }
        self.value_done();
    }

    /// A union's member was set (not `null`).
    fn count_union_member(&mut self) {
        if let Some(Frame {
            kind: FrameKind::Union { set, ignored, .. },
            ..
        }) = self.frames.last_mut()
        {
            if !*ignored {
                *set += 1;
            }
        }
    }

    fn begin(&mut self, array: bool) {
        if self.skipping_value_start(true) {
            return;
        }
        let next = self.next();
        self.canon(|canon| canon.begin(array));
        self.count_union_member();
        let too_deep = next.schema.is_some() && self.frames.len() > MAX_DEPTH;
        let kind = match (array, next.schema.map(|s| &s.kind)) {
            _ if too_deep => Err("input is nested too deeply".to_owned()),
            (false, Some(Kind::Structure(members))) => Ok(FrameKind::Structure {
                members,
                cursor: 0,
                member: None,
            }),
            (false, Some(Kind::Union(members))) => Ok(FrameKind::Union {
                members,
                member: None,
                ignored: false,
                set: 0,
                unknown: None,
            }),
            (false, Some(Kind::Map { key, value, sparse })) => Ok(FrameKind::Map {
                key,
                value,
                sparse: *sparse,
                len: 0,
                entry: Entry::default(),
                open: false,
                keyed: false,
                entries: Entries::default(),
            }),
            (true, Some(Kind::List { member, sparse })) => Ok(FrameKind::List {
                item: member,
                sparse: *sparse,
                len: 0,
                sink: Sink::default(),
                unique: next
                    .schema
                    .filter(|s| s.unique_items)
                    .map(|_| Box::default()),
            }),
            (_, None | Some(Kind::Document)) => Ok(FrameKind::Opaque),
            (_, Some(kind)) => Err(expected(kind).to_owned()),
        };
        let (kind, error) = match kind {
            Ok(kind) => (kind, None),
            // Pushed all the same, so that the value's end is matched.
            Err(reason) => (FrameKind::Opaque, Some(reason)),
        };
        if matches!(
            kind,
            FrameKind::List {
                unique: Some(_),
                ..
            }
        ) {
            self.uniques += 1;
        }
        let schema = match kind {
            FrameKind::Opaque => None,
            _ => next.schema,
        };
        self.frames.push(Frame { schema, kind });
        if let Some(reason) = error {
            self.malformed(reason);
        }
    }

    fn end(&mut self) {
        if let Some(skip) = &mut self.skip {
            if skip.open > 0 {
                skip.open -= 1;
                if skip.open == 0 {
                    self.skip = None;
                    self.value_done();
                }
                return;
            }
            // The skipped value was never written (its write failed).
            self.skip = None;
        }
        if self.malformed.is_some() {
            return;
        }
        self.finish_member();
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.canon(Canon::end);
        match frame.kind {
            FrameKind::Structure {
                members, cursor, ..
            } => {
                for member in members.get(cursor..).unwrap_or_default() {
                    if member.required {
                        self.missing(self.frames.len(), member.name);
                    }
                }
            }
            FrameKind::Union { set, unknown, .. } => {
                if set != 1 {
                    return self.malformed("a union must have exactly one member set");
                }
                if let Some(name) = unknown {
                    return self.malformed(format!("unknown union member `{name}`"));
                }
            }
            FrameKind::List {
                len, sink, unique, ..
            } => {
                if unique.is_some() {
                    self.uniques -= 1;
                }
                if let Some(schema) = frame.schema {
                    self.check_length(schema, len as u64);
                }
                if unique.is_some_and(|unique| unique.duplicate) {
                    self.violation(|p| {
                        format!("Value at '{p}' failed to satisfy constraint: Member must have unique values")
                    });
                }
                self.sink().append(sink);
            }
            FrameKind::Map { len, entries, .. } => {
                if let Some(schema) = frame.schema {
                    self.check_length(schema, len as u64);
                }
                let sink = self.sink();
                for (_, entry) in entries.sinks {
                    sink.append(entry);
                }
                sink.total += entries.dropped;
                if let Some((_, error)) = entries.malformed {
                    return self.raise(error);
                }
            }
            FrameKind::Opaque => {}
        }
        self.value_done();
    }

    /// A map entry whose value was never written (its write failed) ends at the next key.
    fn finish_member(&mut self) {
        if let Some(Frame {
            kind:
                FrameKind::Map {
                    entry,
                    open,
                    keyed,
                    entries,
                    ..
                },
            ..
        }) = self.frames.last_mut()
        {
            *keyed = false;
            if std::mem::take(open) {
                entries.add(entry);
            }
        }
    }

    fn key(&mut self, key: &str) {
        if let Some(skip) = &self.skip {
            if skip.open > 0 {
                return;
            }
            // The skipped value was never written (its write failed).
            self.skip = None;
        }
        if self.malformed.is_some() {
            return;
        }
        self.finish_member();
        let depth = self.frames.len();
        let Some(frame) = self.frames.last_mut() else {
            return;
        };
        let checked = frame.schema.is_some();
        let then = match &mut frame.kind {
            FrameKind::Structure {
                members,
                cursor,
                member,
            } => {
                let found = members
                    .get(*cursor..)
                    .unwrap_or_default()
                    .iter()
                    .position(|m| m.name == key)
                    .map(|i| *cursor + i)
                    .or_else(|| members.iter().position(|m| m.name == key));
                // Members are written in schema order: those between the last one and this
                // one were not written.
                let skipped = match found {
                    Some(index) if index >= *cursor => {
                        let skipped = *cursor..index;
                        *cursor = index + 1;
                        skipped
                    }
                    _ => 0..0,
                };
                *member = found.map(|i| &members[i]);
                KeyOf::Member {
                    skipped: &members[skipped],
                    member: *member,
                }
            }
            FrameKind::Union {
                members,
                member,
                unknown,
                ignored,
                ..
            } => {
                *member = members.iter().find(|m| m.name == key);
                // `__type` names the union's shape, not a member.
                *ignored = key == "__type";
                if member.is_none() && !*ignored {
                    *unknown = Some(key.to_owned());
                }
                KeyOf::Other
            }
            FrameKind::Map {
                key: key_schema,
                len,
                entry,
                open,
                keyed,
                ..
            } => {
                *len += 1;
                *open = true;
                *keyed = false;
                entry.key.clear();
                entry.key.push_str(key);
                KeyOf::MapKey(key_schema)
            }
            FrameKind::List { .. } | FrameKind::Opaque => KeyOf::Other,
        };
        match then {
            KeyOf::Member { skipped, member } => {
                for m in skipped {
                    if m.required {
                        self.missing(depth - 1, m.name);
                    }
                }
                let absent = member.is_some_and(|m| m.required)
                    && !self.absent.is_empty()
                    && self.absent.contains(&self.path());
                if absent {
                    // Absent on the wire: what the typed value holds instead is not checked.
                    self.violation(|p| {
                        format!(
                            "Value at '{p}' failed to satisfy constraint: Member must not be null"
                        )
                    });
                    self.skip = Some(Skip {
                        open: 0,
                        absent: true,
                    });
                    return;
                }
            }
            KeyOf::MapKey(key_schema) => {
                // Key constraints are reported at the map's own path, in the entry's turn.
                if checked {
                    self.string_constraints(key_schema, key);
                }
                if let Some(Frame {
                    kind: FrameKind::Map { keyed, .. },
                    ..
                }) = self.frames.last_mut()
                {
                    *keyed = true;
                }
            }
            KeyOf::Other => {}
        }
        self.canon(|canon| canon.key(key));
    }

    /// Checks a value with no nested events against `schema`; `Err` is why it is not of
    /// the schema's JSON form.
    fn check_scalar(&mut self, schema: &'static Schema, value: Json<'_>) -> Result<(), String> {
        match &schema.kind {
            Kind::String => match value {
                Json::Str(text) => {
                    self.string_constraints(schema, text);
                    Ok(())
                }
                _ => Err("expected a string".into()),
            },
            Kind::Boolean => match value {
                Json::Bool(_) => Ok(()),
                _ => Err("expected a boolean".into()),
            },
            Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => {
                let (low, high) = match schema.kind {
                    Kind::Byte => (i8::MIN as i64, i8::MAX as i64),
                    Kind::Short => (i16::MIN as i64, i16::MAX as i64),
                    Kind::Integer => (i32::MIN as i64, i32::MAX as i64),
                    _ => (i64::MIN, i64::MAX),
                };
                let n = match value {
                    Json::Int(n) => Some(n),
                    Json::Num(text) => text.parse::<Number>().ok().and_then(|n| n.as_i64()),
                    _ => None,
                };
                let Some(n) = n.filter(|n| (low..=high).contains(n)) else {
                    return Err("expected an integer in range for its type".into());
                };
                self.check_range(schema, &n.to_string());
                self.report(rules::int_enum(schema, n));
                Ok(())
            }
            Kind::Float | Kind::Double => {
                let text = match value {
                    Json::Int(n) => n.to_string(),
                    Json::Float(f) => float_text(f),
                    Json::Num(text) => match text.parse::<Number>() {
                        Ok(n) => n.to_string(),
                        Err(_) => return Err("expected a number".into()),
                    },
                    Json::Str(s @ ("NaN" | "Infinity" | "-Infinity")) => s.to_owned(),
                    _ => return Err("expected a number".into()),
                };
                self.check_range(schema, &text);
                Ok(())
            }
            Kind::BigInteger | Kind::BigDecimal => {
                // Big numbers are compared as their exact text.
                let (text, integral) = match value {
                    Json::Int(n) => (n.to_string(), true),
                    Json::Float(f) => (float_text(f), f.fract() == 0.0),
                    Json::Num(text) => (text.to_owned(), is_integral(text)),
                    _ => return Err("expected a number".into()),
                };
                if matches!(schema.kind, Kind::BigInteger) && !integral {
                    return Err("expected an integer".into());
                }
                self.check_range(schema, &text);
                Ok(())
            }
            Kind::Blob => {
                let len = match value {
                    Json::Bytes(bytes) => bytes.len(),
                    Json::Str(text) => crate::base64::decode(text)
                        .map_err(|e| format!("invalid base64: {e}"))?
                        .len(),
                    _ => return Err("expected a base64 string".into()),
                };
                self.check_length(schema, len as u64);
                Ok(())
            }
            Kind::Timestamp(format) => {
                let ok = match (format, value) {
                    (TimestampFormat::EpochSeconds, Json::Int(_) | Json::Float(_)) => true,
                    (TimestampFormat::EpochSeconds, Json::Num(text)) => {
                        text.parse::<Number>().is_ok()
                    }
                    // Inputs give date-times in UTC.
                    (TimestampFormat::DateTime, Json::Str(text)) => {
                        text.ends_with(['Z', 'z']) && crate::DateTime::parse(*format, text).is_ok()
                    }
                    (TimestampFormat::HttpDate, Json::Str(text)) => {
                        crate::DateTime::parse(*format, text).is_ok()
                    }
                    _ => false,
                };
                if ok {
                    Ok(())
                } else {
                    Err(format!("expected a timestamp in {format} format"))
                }
            }
            Kind::Document => Ok(()),
            kind => Err(expected(kind).into()),
        }
    }

    fn string_constraints(&mut self, schema: &Schema, text: &str) {
        for broken in rules::string(schema, text) {
            self.report(Some(broken));
        }
    }

    fn check_length(&mut self, schema: &Schema, len: u64) {
        self.report(rules::length(schema, len));
    }

    fn check_range(&mut self, schema: &Schema, number: &str) {
        self.report(rules::range(schema, number));
    }

    fn report(&mut self, broken: Option<rules::Broken>) {
        if let Some(broken) = broken {
            self.violation(|path| broken.message(path));
        }
    }

    /// A document where the schema wants something else: its values one by one.
    fn replay(&mut self, value: &Value) {
        match value {
            Value::Null => self.null(),
            Value::Bool(b) => self.boolean(*b),
            Value::Number(n) => match n.as_i64() {
                Some(i) => self.integer(i),
                None => self.number_text(&n.to_string()),
            },
            Value::String(s) => self.string(s),
            Value::Array(items) => {
                self.begin_array();
                for item in items {
                    self.replay(item);
                }
                self.end_array();
            }
            Value::Object(object) => {
                self.begin_object();
                for (key, item) in object {
                    self.key(key);
                    self.replay(item);
                }
                self.end_object();
            }
        }
    }
}

/// What a key is a key of.
enum KeyOf {
    /// A structure's member (`None`: one the schema does not have), after the members
    /// `skipped`.
    Member {
        skipped: &'static [Member],
        member: Option<&'static Member>,
    },
    MapKey(&'static Schema),
    Other,
}

/// What a value of `kind` must be, for messages.
pub(super) fn expected(kind: &Kind) -> &'static str {
    match kind {
        Kind::Structure(_) => "expected a structure (JSON object)",
        Kind::Union(_) => "expected a union (JSON object)",
        Kind::List { .. } => "expected a list",
        Kind::Map { .. } => "expected a map (JSON object)",
        Kind::String => "expected a string",
        Kind::Boolean => "expected a boolean",
        Kind::Byte | Kind::Short | Kind::Integer | Kind::Long => {
            "expected an integer in range for its type"
        }
        Kind::Float | Kind::Double | Kind::BigInteger | Kind::BigDecimal => "expected a number",
        Kind::Blob => "expected a base64 string",
        Kind::Timestamp(_) => "expected a timestamp",
        Kind::Document => "expected a document",
    }
}

/// A finite float as its JSON text (`5.0`, `1e300`).
fn float_text(f: f64) -> String {
    Number::from_f64(f).map_or_else(|| f.to_string(), |n| n.to_string())
}

impl Writer for Check<'_> {
    fn null(&mut self) {
        self.scalar(Json::Null);
    }
    fn boolean(&mut self, value: bool) {
        self.scalar(Json::Bool(value));
    }
    fn integer(&mut self, value: i64) {
        self.scalar(Json::Int(value));
    }
    fn float(&mut self, value: f64) {
        if value.is_nan() {
            self.scalar(Json::Str("NaN"));
        } else if value.is_infinite() {
            self.scalar(Json::Str(if value > 0.0 {
                "Infinity"
            } else {
                "-Infinity"
            }));
        } else {
            self.scalar(Json::Float(value));
        }
    }
    fn string(&mut self, value: &str) {
        self.scalar(Json::Str(value));
    }
    fn blob(&mut self, bytes: &[u8]) {
        self.scalar(Json::Bytes(bytes));
    }
    fn number_text(&mut self, text: &str) {
        // Only a JSON number has a JSON form.
        if !crate::number::is_json_number(text) {
            return self.fail(WireError(format!("`{text}` is not a JSON number")));
        }
        self.scalar(Json::Num(text));
    }
    fn document(&mut self, value: &Value) {
        if value.is_null() {
            return self.scalar(Json::Null);
        }
        // Checked as what it holds where the schema wants more than a document.
        if self.skip.is_none() && self.malformed.is_none() {
            let wants_more = match self.frames.last() {
                None => !matches!(self.root.kind, Kind::Document),
                Some(frame) if frame.schema.is_none() => false,
                Some(frame) => match &frame.kind {
                    FrameKind::Structure { member, .. } | FrameKind::Union { member, .. } => {
                        member.is_some_and(|m| !matches!(m.schema.kind, Kind::Document))
                    }
                    FrameKind::List { item, .. } => !matches!(item.kind, Kind::Document),
                    FrameKind::Map { value, .. } => !matches!(value.kind, Kind::Document),
                    FrameKind::Opaque => false,
                },
            };
            if wants_more {
                return self.replay(value);
            }
        }
        self.scalar(Json::Doc(value));
    }
    fn begin_object(&mut self) {
        self.begin(false);
    }
    fn key(&mut self, key: &str) {
        Check::key(self, key);
    }
    fn end_object(&mut self) {
        self.end();
    }
    fn begin_array(&mut self) {
        self.begin(true);
    }
    fn end_array(&mut self) {
        self.end();
    }
    fn fail(&mut self, error: WireError) {
        if self.skip.as_ref().is_some_and(|skip| skip.absent) {
            return;
        }
        self.failed.get_or_insert(error);
    }
}

/// An item of a unique list in a canonical form: two items are equal as values of their
/// shape exactly when their forms are (object member order, `null` members, number
/// spelling, base64 padding and timestamp spelling do not count).
#[derive(Default)]
struct Canon {
    open: Vec<Open>,
    done: String,
}

enum Open {
    Object {
        entries: Vec<(String, String)>,
        key: Option<String>,
    },
    Array(String),
}

impl Canon {
    fn put(&mut self, text: String, null: bool) {
        match self.open.last_mut() {
            Some(Open::Object { entries, key }) => {
                // `null` members do not count.
                if let (Some(key), false) = (key.take(), null) {
                    entries.push((key, text));
                }
            }
            Some(Open::Array(out)) => {
                out.push_str(&text);
                out.push(',');
            }
            None => self.done = text,
        }
    }

    fn scalar(&mut self, schema: Option<&Schema>, value: Json<'_>) {
        let mut text = String::new();
        canonical_scalar(schema, value, &mut text);
        self.put(text, matches!(value, Json::Null));
    }

    fn begin(&mut self, array: bool) {
        self.open.push(if array {
            Open::Array(String::new())
        } else {
            Open::Object {
                entries: Vec::new(),
                key: None,
            }
        });
    }

    fn key(&mut self, name: &str) {
        if let Some(Open::Object { key, .. }) = self.open.last_mut() {
            *key = Some(name.to_owned());
        }
    }

    fn end(&mut self) {
        let text = match self.open.pop() {
            Some(Open::Object { mut entries, .. }) => {
                entries.sort_unstable_by(|a, b| a.0.cmp(&b.0));
                let mut out = String::from("{");
                for (key, value) in entries {
                    out.push_str(&serde_json::to_string(&key).unwrap_or_default());
                    out.push(':');
                    out.push_str(&value);
                    out.push(',');
                }
                out.push('}');
                out
            }
            Some(Open::Array(items)) => format!("[{items}]"),
            None => return,
        };
        self.put(text, false);
    }

    /// The form of the item written, and a fresh start.
    fn take(&mut self) -> String {
        self.open.clear();
        std::mem::take(&mut self.done)
    }
}

fn canonical_time(time: crate::DateTime, out: &mut String) {
    let _ = write!(out, "t{}.{:09}", time.secs(), time.subsec_nanos());
}

fn canonical_scalar(schema: Option<&Schema>, value: Json<'_>, out: &mut String) {
    let kind = schema.map(|s| &s.kind);
    match (value, kind) {
        (Json::Bytes(bytes), Some(Kind::Blob)) => hex(bytes, out),
        (Json::Bytes(bytes), _) => {
            out.push_str(&serde_json::to_string(&crate::base64::encode(bytes)).unwrap_or_default())
        }
        (Json::Str(text), Some(Kind::Blob)) => match crate::base64::decode(text) {
            Ok(bytes) => hex(&bytes, out),
            Err(_) => out.push_str(text),
        },
        (Json::Str(text), Some(Kind::Timestamp(format))) => {
            match crate::DateTime::parse(*format, text) {
                Ok(time) => canonical_time(time, out),
                Err(_) => out.push_str(text),
            }
        }
        (Json::Int(n), Some(Kind::Timestamp(_))) => {
            canonical_time(crate::DateTime::from_secs(n), out)
        }
        (Json::Float(f), Some(Kind::Timestamp(_))) => {
            canonical_time(crate::DateTime::from_fractional_secs(f), out)
        }
        (Json::Num(text), Some(Kind::Timestamp(_))) => {
            if let Ok(n) = text.parse::<Number>() {
                let time = n
                    .as_i64()
                    .map(crate::DateTime::from_secs)
                    .or_else(|| n.as_f64().map(crate::DateTime::from_fractional_secs));
                if let Some(time) = time {
                    canonical_time(time, out);
                }
            }
        }
        (Json::Int(n), _) => canonical_number(&n.to_string(), out),
        (Json::Float(f), _) => canonical_number(&float_text(f), out),
        (Json::Num(text), _) => canonical_number(text, out),
        (Json::Str(text), _) => out.push_str(&serde_json::to_string(text).unwrap_or_default()),
        (Json::Bool(b), _) => out.push_str(if b { "true" } else { "false" }),
        (Json::Null, _) => out.push_str("null"),
        (Json::Doc(value), _) => canonical_document(value, out, 0),
    }
}

fn hex(bytes: &[u8], out: &mut String) {
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
}

/// A document's canonical form: object keys sorted, `null` members left out, numbers by
/// value.
fn canonical_document(value: &Value, out: &mut String, depth: usize) {
    if depth > MAX_DEPTH {
        out.push('…');
        return;
    }
    match value {
        Value::Number(n) => canonical_number(&n.to_string(), out),
        Value::Object(map) => {
            let mut keys: Vec<&String> = map
                .iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, _)| k)
                .collect();
            keys.sort();
            out.push('{');
            for key in keys {
                out.push_str(&serde_json::to_string(key).unwrap_or_default());
                out.push(':');
                canonical_document(&map[key.as_str()], out, depth + 1);
                out.push(',');
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for item in items {
                canonical_document(item, out, depth + 1);
                out.push(',');
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}
