//! Support code shared by the crates generated from Smithy models.
//!
//! Generated code names everything here by its full path
//! (`::smithy_runtime::...`), so the public paths are part of the contract
//! with the code generator.

#![warn(missing_docs)]

/// A structure for the crate's own tests, written as generated code writes one: the type,
/// `WriteShape` (each field by its index in `$schema`), `Shape`, `Members` and `HasSchema`.
#[cfg(test)]
macro_rules! test_structure {
    ($name:ident: $schema:expr, { $($index:literal => $field:ident: $ty:ty),* $(,)? }) => {
        #[derive(Debug, Default, PartialEq)]
        struct $name {
            $($field: $ty),*
        }

        impl $crate::wire::WriteShape for $name {
            fn write(
                &self,
                schema: &'static $crate::validation::Schema,
                w: &mut dyn $crate::wire::Writer,
            ) {
                let mut fields = $crate::wire::Fields::begin(schema, w);
                $(fields.field($index, &self.$field);)*
                fields.end();
            }
        }

        impl $crate::wire::Shape for $name {
            fn read(
                schema: &'static $crate::validation::Schema,
                r: &mut dyn $crate::wire::Reader,
            ) -> Result<Option<Self>, $crate::wire::WireError> {
                $crate::wire::read_structure(schema, r)
            }
        }

        impl $crate::wire::Members for $name {
            fn read_member(
                &mut self,
                index: usize,
                schema: &'static $crate::validation::Schema,
                r: &mut dyn $crate::wire::Reader,
            ) -> Result<(), $crate::wire::WireError> {
                match index {
                    $($index => $crate::wire::read_field(schema, r, &mut self.$field),)*
                    _ => Ok(()),
                }
            }
        }

        impl $crate::wire::HasSchema for $name {
            const SCHEMA: &'static $crate::validation::Schema = &$schema;
        }
    };
}

pub mod base64;
mod blob;
mod build_error;
mod datetime;
pub mod error;
mod number;
pub mod pattern;
pub mod protocol;
pub mod validation;
pub mod wire;

pub use blob::Blob;
pub use build_error::BuildError;
pub use datetime::{DateTime, DateTimeParseError, DateTimeRangeError, TimestampFormat};
pub use number::{BigDecimal, BigInteger, BigNumberParseError};

// Re-exported so generated crates can name them through us and stay on the
// same versions.
pub use serde;
pub use serde_json;

/// An untyped, JSON-like value (the Smithy `document` type).
pub type Document = serde_json::Value;

/// What `Debug` prints in place of values the model marks `@sensitive`.
pub const REDACTED: &str = "*** Sensitive Data Redacted ***";
#[cfg(feature = "client")]
pub mod client;
#[cfg(feature = "protocol-test")]
pub mod protocol_test;
#[cfg(feature = "server")]
pub mod server;
