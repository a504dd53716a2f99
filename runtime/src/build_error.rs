//! The error a builder returns when a required member was not set.

use std::fmt;

/// A structure could not be built: a required member is unset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BuildError {
    field: &'static str,
}

impl BuildError {
    /// The required member `field` was not set.
    pub fn missing_field(field: &'static str) -> Self {
        BuildError { field }
    }

    /// The Rust name of the unset member.
    pub fn field(&self) -> &'static str {
        self.field
    }
}

/// The value of a required member, or the error naming it when it is unset: a generated
/// builder's `build` calls it for each required member (`required(self.name, "name")?`).
pub fn required<T>(value: Option<T>, field: &'static str) -> Result<T, BuildError> {
    value.ok_or(BuildError { field })
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` is required but was not set", self.field)
    }
}

impl std::error::Error for BuildError {}
