//! Strict reading: what a server reading a request keeps beside the value. A [`Reader`]
//! that has a [`ReadState`] reads by the protocols' rules for inputs (no `null` in dense
//! collections, no unknown union member, date-times in UTC, numbers as numbers), tracks
//! the JSON Pointer of the value it reads, and notes the required members that were
//! absent, so that validation can report them even where the typed value holds a default.
//! Without one (a client reading a response) reads stay lenient and as fast as before.

use std::fmt::Write as _;

use super::{Entries, Items, Reader, Visit, WireError};
use crate::validation::{MAX_DEPTH, MalformedError};

/// Where a strict read is and what it found besides the value.
#[derive(Debug, Default)]
pub struct ReadState {
    /// JSON Pointer of the value being read; segments are pushed and popped.
    path: String,
    /// Segments in `path`: the nesting depth of the value being read.
    depth: usize,
    /// Required members that were absent or `null`, by JSON Pointer.
    absent: Vec<String>,
    /// The first error, where it happened.
    error: Option<MalformedError>,
    /// An error of this crate on its way through serde, which keeps only its message.
    carried: Option<WireError>,
    /// The JSON text itself is broken (serde_json's own error): no path applies.
    syntax: bool,
}

impl ReadState {
    /// A state at the top of a value.
    pub fn new() -> ReadState {
        ReadState::default()
    }

    /// The JSON Pointer of the value being read.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The required members found absent (or `null`), by JSON Pointer.
    pub fn absent(&self) -> &[String] {
        &self.absent
    }

    /// Notes a required member at `path` as absent.
    pub(crate) fn add_absent(&mut self, path: String) {
        self.absent.push(path);
    }

    /// Appends `segment` to the path; returns what to [`pop`](Self::pop) back to.
    pub(crate) fn push(&mut self, segment: &str) -> usize {
        let len = self.path.len();
        push_segment(&mut self.path, segment);
        self.depth += 1;
        len
    }

    /// Appends a list index to the path.
    pub(crate) fn push_index(&mut self, index: usize) -> usize {
        let len = self.path.len();
        let _ = write!(self.path, "/{index}");
        self.depth += 1;
        len
    }

    /// Takes the path back to `len`, as [`push`](Self::push) returned it.
    pub(crate) fn pop(&mut self, len: usize) {
        self.path.truncate(len);
        self.depth = self.depth.saturating_sub(1);
    }

    /// Notes `error` as happening at the current path, unless an earlier (deeper) error
    /// was noted or the text is not JSON at all.
    pub(crate) fn note(&mut self, error: &WireError) {
        if self.error.is_none() && !self.syntax {
            self.error = Some(MalformedError {
                path: self.path.clone(),
                reason: error.0.clone(),
            });
        }
    }

    /// Refuses a value nested deeper than validation allows.
    pub(crate) fn check_depth(&self) -> Result<(), WireError> {
        if self.depth > MAX_DEPTH {
            Err(WireError::new("input is nested too deeply"))
        } else {
            Ok(())
        }
    }

    /// Keeps an error of this crate while serde carries its message up.
    pub(crate) fn carry(&mut self, error: WireError) {
        self.carried = Some(error);
    }

    /// The error serde handed back: the one this crate carried through it, or serde's own
    /// (broken JSON text).
    pub(crate) fn serde_error(&mut self, error: impl std::fmt::Display) -> WireError {
        match self.carried.take() {
            Some(ours) => ours,
            None => {
                self.syntax = true;
                WireError(error.to_string())
            }
        }
    }

    /// Whether the JSON text itself was broken.
    pub fn is_syntax_error(&self) -> bool {
        self.syntax
    }

    /// The malformed-input error for a read that failed with `error`: where it happened,
    /// or (for broken JSON text) `what` is not valid JSON.
    pub fn malformed(&mut self, error: WireError, what: &str) -> MalformedError {
        if let Some(noted) = self.error.take() {
            return noted;
        }
        if self.syntax {
            return MalformedError {
                path: String::new(),
                reason: format!("{what} is not valid JSON: {error}"),
            };
        }
        MalformedError {
            path: self.path.clone(),
            reason: error.0,
        }
    }
}

/// Appends `/segment` to a JSON Pointer, escaped as RFC 6901 requires.
pub(crate) fn push_segment(path: &mut String, segment: &str) {
    path.push('/');
    let mut rest = segment;
    while let Some(i) = rest.bytes().position(|b| b == b'~' || b == b'/') {
        path.push_str(&rest[..i]);
        path.push_str(if rest.as_bytes()[i] == b'~' {
            "~0"
        } else {
            "~1"
        });
        rest = &rest[i + 1..];
    }
    path.push_str(rest);
}

/// Runs `f` on a value at `segment` below the current path of `r`'s state (if any), noting
/// where an error happened.
pub(crate) fn at<T>(
    r: &mut dyn Reader,
    segment: Segment<'_>,
    f: impl FnOnce(&mut dyn Reader) -> Result<T, WireError>,
) -> Result<T, WireError> {
    let Some(state) = r.state() else {
        return f(r);
    };
    let len = match segment {
        Segment::Key(key) => state.push(key),
        Segment::Index(index) => state.push_index(index),
    };
    let result = f(r);
    if let Some(state) = r.state() {
        if let Err(error) = &result {
            state.note(error);
        }
        state.pop(len);
    }
    result
}

/// A step into a value: an object's key or an array's index.
#[derive(Clone, Copy)]
pub(crate) enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Reads through `inner`, noting whether the value was `null` (a structure's member that
/// is `null` counts as absent).
pub(crate) struct NullSpy<'r> {
    inner: &'r mut dyn Reader,
    pub(crate) null: bool,
}

impl<'r> NullSpy<'r> {
    pub(crate) fn new(inner: &'r mut dyn Reader) -> NullSpy<'r> {
        NullSpy { inner, null: false }
    }
}

impl Reader for NullSpy<'_> {
    fn read(&mut self, visit: &mut dyn Visit) -> Result<(), WireError> {
        self.null = false;
        self.inner.read(&mut SpyVisit {
            inner: visit,
            null: &mut self.null,
        })
    }

    fn number_text(&mut self) -> Result<Option<String>, WireError> {
        let text = self.inner.number_text()?;
        self.null = text.is_none();
        Ok(text)
    }

    fn document(&mut self) -> Result<serde_json::Value, WireError> {
        let value = self.inner.document()?;
        self.null = value.is_null();
        Ok(value)
    }

    fn blob(&mut self) -> Result<Option<Vec<u8>>, WireError> {
        let bytes = self.inner.blob()?;
        self.null = bytes.is_none();
        Ok(bytes)
    }

    fn state(&mut self) -> Option<&mut ReadState> {
        self.inner.state()
    }
}

struct SpyVisit<'v> {
    inner: &'v mut dyn Visit,
    null: &'v mut bool,
}

impl Visit for SpyVisit<'_> {
    fn expecting(&self) -> &'static str {
        self.inner.expecting()
    }
    fn null(&mut self) -> Result<(), WireError> {
        *self.null = true;
        self.inner.null()
    }
    fn boolean(&mut self, value: bool) -> Result<(), WireError> {
        self.inner.boolean(value)
    }
    fn integer(&mut self, value: i64) -> Result<(), WireError> {
        self.inner.integer(value)
    }
    fn unsigned(&mut self, value: u64) -> Result<(), WireError> {
        self.inner.unsigned(value)
    }
    fn float(&mut self, value: f64) -> Result<(), WireError> {
        self.inner.float(value)
    }
    fn string(&mut self, value: &str) -> Result<(), WireError> {
        self.inner.string(value)
    }
    fn object(&mut self, entries: &mut dyn Entries) -> Result<(), WireError> {
        self.inner.object(entries)
    }
    fn array(&mut self, items: &mut dyn Items) -> Result<(), WireError> {
        self.inner.array(items)
    }
    fn unexpected(&self, found: &str) -> WireError {
        self.inner.unexpected(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_escaped_and_indices_written() {
        let mut state = ReadState::new();
        let a = state.push("a/b~c");
        let b = state.push_index(120);
        assert_eq!(state.path(), "/a~1b~0c/120");
        state.pop(b);
        assert_eq!(state.path(), "/a~1b~0c");
        state.pop(a);
        assert_eq!(state.path(), "");
    }
}
