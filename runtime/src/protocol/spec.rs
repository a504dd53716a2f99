//! What generated code tells the server about a service and its operations, as `static`
//! data: names, HTTP bindings, and how to report validation errors. The types mirror the
//! Smithy traits they come from (`@http`, `@httpLabel`, `@httpHeader`...), field for field.

#![allow(missing_docs)]

use crate::TimestampFormat;

pub use smithy_vocab::Protocol;

/// A service: its protocol, the name awsJson's `X-Amz-Target` starts with, and its SigV4
/// signing name (`aws.auth#sigv4`), which a verifying server expects in credential scopes.
#[derive(Debug)]
pub struct ServiceSpec {
    pub protocol: Protocol,
    pub service_name: &'static str,
    pub signing_name: Option<&'static str>,
}

/// The shape of a value bound to an HTTP location, to convert it from and to text.
#[derive(Debug)]
pub enum Scalar {
    String,
    Boolean,
    Integer,
    Float,
    /// `wire` is the location's format (header default http-date, label and query
    /// date-time), `json` the one the typed value uses in JSON.
    Timestamp {
        wire: TimestampFormat,
        json: TimestampFormat,
    },
    /// Base64 text in headers and JSON alike.
    Blob,
    /// A string with a `@mediaType`: base64 in a header, plain text in JSON.
    EncodedString,
    List(&'static Scalar),
}

/// Where a restJson1 member lives in the HTTP message.
#[derive(Debug)]
pub enum Location {
    Label,
    Query(&'static str),
    QueryParams,
    Header(&'static str),
    PrefixHeaders(&'static str),
    ResponseCode,
    /// The whole body is this member (a structure, union, document, string or blob).
    Payload(PayloadKind),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadKind {
    /// JSON: union or document.
    Json,
    /// JSON: a structure (sent as `{}` when unset).
    Structure,
    /// UTF-8 text body.
    Text,
    /// Raw bytes; in JSON the member is base64 text.
    Blob,
}

/// One HTTP-bound member: its name in the JSON form of the structure, where it goes, and
/// how to convert it.
#[derive(Debug)]
pub struct Binding {
    pub member: &'static str,
    pub location: Location,
    pub value: Scalar,
}

/// How an operation reports constraint violations.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ValidationStyle {
    /// `smithy.framework#ValidationException`: `message` and `fieldList`.
    Framework,
    /// The operation's own `ValidationException` shape: `message` only.
    Modeled,
}

/// restJson1: what of an operation's input goes in the request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputBody {
    /// No input (`smithy.api#Unit`): no body and no content type.
    None,
    /// An input structure without members: any body is ignored.
    Empty,
    /// Members, all bound outside the body (labels, query, headers) or to a payload.
    Bound,
    /// Members in a JSON body: a request with none of them set still sends `{}`.
    Json,
}

/// restJson1's `@http` trait.
#[derive(Debug)]
pub struct HttpTrait {
    pub method: &'static str,
    pub uri: &'static str,
    pub code: u16,
}

/// One operation.
#[derive(Debug)]
pub struct OperationSpec {
    /// The operation's shape name (awsJson's `X-Amz-Target` suffix).
    pub name: &'static str,
    /// restJson1 only.
    pub http: Option<HttpTrait>,
    pub input_bindings: &'static [Binding],
    pub output_bindings: &'static [Binding],
    pub validation: ValidationStyle,
    /// restJson1: what of the input goes in the body.
    pub input_body: InputBody,
    /// The `@mediaType` of the input's and the output's string or blob payload.
    pub input_media_type: Option<&'static str>,
    pub output_media_type: Option<&'static str>,
    /// `@httpChecksumRequired`: requests carry `Content-MD5`.
    pub checksum_required: bool,
    /// `@requestCompression` encodings the service accepts, in order of preference.
    pub request_compression: &'static [&'static str],
    /// `@endpoint(hostPrefix)`: put before the endpoint's host, `{label}`s filled from the
    /// input's `@hostLabel` members.
    pub host_prefix: Option<&'static str>,
    /// Why neither the client nor the server can carry this operation yet (an event
    /// stream): a call fails with this reason, a request gets HTTP 501.
    pub unsupported: Option<&'static str>,
    /// The input's payload is a `@streaming` blob: the request body flows into it.
    pub input_streaming: Option<Streaming>,
    /// The output's payload is a `@streaming` blob: the response body flows from it.
    pub output_streaming: Option<Streaming>,
    /// Endpoint rule set parameters the operation sets (`@staticContextParams`,
    /// `@contextParam`, `@operationContextParams`).
    pub endpoint_params: &'static [EndpointParam],
}

/// An endpoint rule set parameter an operation sets.
#[derive(Debug)]
pub struct EndpointParam {
    /// The parameter's name in the rule set.
    pub name: &'static str,
    pub value: EndpointParamValue,
}

/// Where an operation's endpoint parameter comes from.
#[derive(Debug)]
pub enum EndpointParamValue {
    /// `@staticContextParams`
    Bool(bool),
    String(&'static str),
    /// `@contextParam`: the input member of this name (in the input's JSON form).
    Member(&'static str),
    /// `@operationContextParams`: a JMESPath expression over the input's JSON form.
    Path(&'static str),
}

/// A `@streaming` blob payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Streaming {
    /// `@requiresLength`: its size must be stated before it is sent.
    pub requires_length: bool,
}

#[cfg(test)]
impl OperationSpec {
    /// An operation for the runtime's tests: validation as the framework's, a JSON body,
    /// and no media types, checksums, compression or host prefix.
    pub(crate) const fn for_test(
        name: &'static str,
        http: Option<HttpTrait>,
        input_bindings: &'static [Binding],
        output_bindings: &'static [Binding],
    ) -> OperationSpec {
        OperationSpec {
            name,
            http,
            input_bindings,
            output_bindings,
            validation: ValidationStyle::Framework,
            input_body: InputBody::Json,
            input_media_type: None,
            output_media_type: None,
            checksum_required: false,
            request_compression: &[],
            host_prefix: None,
            unsupported: None,
            input_streaming: None,
            output_streaming: None,
            endpoint_params: &[],
        }
    }
}
