//! Support code shared by the crates generated from Smithy models.
//!
//! Generated code names everything here by its full path
//! (`::smithy_runtime::...`), so the public paths are part of the contract
//! with the code generator.

#![warn(missing_docs)]

// `test_structure!` for the unit tests; the integration tests include the same file. Its
// paths start at `::smithy_runtime`, which names this crate in both.
#[cfg(test)]
extern crate self as smithy_runtime;
#[cfg(test)]
include!("test_structure.rs");

pub mod base64;
mod blob;
mod build_error;
#[cfg(feature = "byte-stream")]
mod byte_stream;
mod datetime;
pub mod error;
mod number;
pub mod pattern;
pub mod protocol;
pub mod validation;
pub mod wire;

pub use blob::Blob;
pub use build_error::{BuildError, required};
#[cfg(feature = "byte-stream")]
pub use byte_stream::{AggregatedBytes, ByteStream, ByteStreamError};
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
#[cfg(feature = "stub")]
pub mod stub;

/// Which optional parts this build of the runtime has. Code generated into a module of
/// another crate (`smithy_codegen::Builder`, for `build.rs`) asserts the ones it needs at
/// compile time, so a feature missing from that crate's dependency is named in the error.
#[doc(hidden)]
pub mod features {
    /// The `client` feature.
    pub const CLIENT: bool = cfg!(feature = "client");
    /// The `sigv4` feature.
    pub const SIGV4: bool = cfg!(feature = "sigv4");
    /// The `server` feature.
    pub const SERVER: bool = cfg!(feature = "server");
    /// The `stub` feature.
    pub const STUB: bool = cfg!(feature = "stub");
    /// The `aws-config` feature.
    pub const AWS_CONFIG: bool = cfg!(feature = "aws-config");
    /// The `jmespath` feature.
    pub const JMESPATH: bool = cfg!(feature = "jmespath");
    /// The `byte-stream` feature.
    pub const BYTE_STREAM: bool = cfg!(feature = "byte-stream");
    /// The `gzip` feature.
    pub const GZIP: bool = cfg!(feature = "gzip");
    /// The `md5` feature.
    pub const MD5: bool = cfg!(feature = "md5");
}
