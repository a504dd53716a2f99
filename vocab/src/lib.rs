//! The vocabulary the code generator and the runtime share.
//!
//! The generator reads these from a model and writes them into generated code; the runtime
//! acts on them. Defining them once here keeps the two from drifting apart without making
//! the generator depend on the runtime. No dependencies, nothing but data and names.

#![warn(missing_docs)]

use std::fmt;

/// The Smithy protocols the generated crates speak.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Protocol {
    /// `aws.protocols#restJson1`: HTTP bindings plus a JSON body.
    RestJson1,
    /// `aws.protocols#awsJson1_0`: every operation a POST to `/`, named by `X-Amz-Target`.
    AwsJson1_0,
    /// `aws.protocols#awsJson1_1`: as 1.0, with another content type.
    AwsJson1_1,
}

impl Protocol {
    /// Every protocol, in the order the generator prefers them when a service has several.
    pub const ALL: [Protocol; 3] = [
        Protocol::RestJson1,
        Protocol::AwsJson1_0,
        Protocol::AwsJson1_1,
    ];

    /// The content type of the protocol's JSON bodies.
    pub fn content_type(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "application/json",
            Protocol::AwsJson1_0 => "application/x-amz-json-1.0",
            Protocol::AwsJson1_1 => "application/x-amz-json-1.1",
        }
    }

    /// The shape ID of the protocol trait.
    pub fn trait_id(self) -> &'static str {
        match self {
            Protocol::RestJson1 => "aws.protocols#restJson1",
            Protocol::AwsJson1_0 => "aws.protocols#awsJson1_0",
            Protocol::AwsJson1_1 => "aws.protocols#awsJson1_1",
        }
    }

    /// True for the awsJson protocols (no HTTP bindings, `X-Amz-Target` routing).
    pub fn is_aws_json(self) -> bool {
        !matches!(self, Protocol::RestJson1)
    }
}

/// The wire formats Smithy defines for timestamps (`@timestampFormat`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampFormat {
    /// Seconds since the Unix epoch, with an optional decimal fraction:
    /// `1515531081.123`.
    EpochSeconds,
    /// RFC 3339 date and time in UTC: `2019-12-16T23:48:18.52Z`.
    DateTime,
    /// The IMF-fixdate form of HTTP dates: `Tue, 29 Apr 2014 18:30:38 GMT`.
    HttpDate,
}

impl TimestampFormat {
    /// The format a `@timestampFormat` trait value names.
    pub fn from_trait_value(value: &str) -> Option<TimestampFormat> {
        match value {
            "epoch-seconds" => Some(TimestampFormat::EpochSeconds),
            "date-time" => Some(TimestampFormat::DateTime),
            "http-date" => Some(TimestampFormat::HttpDate),
            _ => None,
        }
    }

    /// The name the `@timestampFormat` trait uses.
    pub fn trait_value(self) -> &'static str {
        match self {
            TimestampFormat::EpochSeconds => "epoch-seconds",
            TimestampFormat::DateTime => "date-time",
            TimestampFormat::HttpDate => "http-date",
        }
    }
}

impl fmt::Display for TimestampFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.trait_value())
    }
}

/// `@length`: bounds on the characters of a string, the bytes of a blob, or the entries
/// of a list or map. Both inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Length {
    /// The least allowed, if bounded below.
    pub min: Option<u64>,
    /// The most allowed, if bounded above.
    pub max: Option<u64>,
}

/// `@range`: bounds on a number, both inclusive. `B` is how a bound is held: the generator
/// keeps the model's JSON number, the runtime the decimal text the model wrote (compared
/// exactly, printed as written).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Range<B> {
    /// The least allowed, if bounded below.
    pub min: Option<B>,
    /// The most allowed, if bounded above.
    pub max: Option<B>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamp_formats_round_trip_through_their_trait_values() {
        for format in [
            TimestampFormat::EpochSeconds,
            TimestampFormat::DateTime,
            TimestampFormat::HttpDate,
        ] {
            assert_eq!(
                TimestampFormat::from_trait_value(format.trait_value()),
                Some(format)
            );
        }
        assert_eq!(TimestampFormat::from_trait_value("iso8601"), None);
    }

    #[test]
    fn only_rest_json_has_http_bindings() {
        assert!(!Protocol::RestJson1.is_aws_json());
        assert!(Protocol::AwsJson1_0.is_aws_json());
        assert!(Protocol::AwsJson1_1.is_aws_json());
        assert_eq!(
            Protocol::AwsJson1_1.content_type(),
            "application/x-amz-json-1.1"
        );
    }
}
