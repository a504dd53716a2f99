//! What client and server share about the protocols: the static description of services
//! and operations that generated code provides, URI patterns, and the conversions between
//! HTTP-bound members and typed values (reading) or their JSON form (writing).

pub mod bindings;
pub mod spec;
pub mod split;
pub mod uri;

pub use spec::{
    Binding, EndpointParam, EndpointParamValue, HttpTrait, InputBody, Location, OperationSpec,
    PayloadKind, Protocol, Scalar, ServiceSpec, Streaming, ValidationStyle,
};
