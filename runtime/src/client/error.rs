//! What a call can fail with: the service's error (modeled or not), or a failure to build,
//! send or read the request.

use std::fmt;

use crate::error::ErrorMetadata;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// A failed call. `E` is the operation's error enum.
#[derive(Debug)]
#[non_exhaustive]
pub enum SdkError<E> {
    /// The request could not be built (a required member unset, an input that breaks the
    /// model's constraints when validation is on, no region, no credentials...).
    ConstructionFailure(BoxError),
    /// An attempt or the whole operation ran out of time.
    TimeoutError(BoxError),
    /// The request could not be sent (connection refused, reset...).
    DispatchFailure(BoxError),
    /// A response came but could not be read.
    ResponseError(BoxError),
    /// The service answered with an error.
    ServiceError(ServiceError<E>),
}

/// The service's error and what the response said about it.
#[derive(Debug)]
pub struct ServiceError<E> {
    error: E,
    meta: ErrorMetadata,
}

impl<E> ServiceError<E> {
    /// The operation's error.
    pub fn err(&self) -> &E {
        &self.error
    }

    /// Code, message, status and request id.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }

    /// The operation's error, owned.
    pub fn into_err(self) -> E {
        self.error
    }
}

impl<E> SdkError<E> {
    /// A service error.
    pub fn service_error(error: E, meta: ErrorMetadata) -> SdkError<E> {
        SdkError::ServiceError(ServiceError { error, meta })
    }

    /// A construction failure.
    pub fn construction_failure(source: impl Into<BoxError>) -> SdkError<E> {
        SdkError::ConstructionFailure(source.into())
    }

    /// The service's error, if the service answered with one.
    pub fn as_service_error(&self) -> Option<&E> {
        match self {
            SdkError::ServiceError(e) => Some(&e.error),
            _ => None,
        }
    }

    /// The operation's error: the service's, or for a call that failed otherwise (no
    /// connection, a timeout...), its `Unhandled` variant saying how (as the AWS SDK's
    /// `into_service_error`, so a `match` on the operation's error covers every failure).
    pub fn into_service_error(self) -> E
    where
        E: From<crate::error::Unhandled>,
    {
        let (what, source) = match self {
            SdkError::ServiceError(e) => return e.error,
            SdkError::ConstructionFailure(e) => ("failed to construct request", e),
            SdkError::TimeoutError(e) => ("request timed out", e),
            SdkError::DispatchFailure(e) => ("dispatch failure", e),
            SdkError::ResponseError(e) => ("response error", e),
        };
        let meta = ErrorMetadata::builder()
            .message(format!("{what}: {source}"))
            .build();
        E::from(crate::error::Unhandled::new(meta).with_source(source))
    }

    /// Metadata of a service error.
    pub fn meta(&self) -> Option<&ErrorMetadata> {
        match self {
            SdkError::ServiceError(e) => Some(&e.meta),
            _ => None,
        }
    }

    /// The error code the service sent.
    pub fn code(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::code)
    }

    /// The message the service sent.
    pub fn message(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::message)
    }

    /// The HTTP status of the error response.
    pub fn status(&self) -> Option<u16> {
        self.meta().and_then(ErrorMetadata::status)
    }

    /// The request id the service gave.
    pub fn request_id(&self) -> Option<&str> {
        self.meta().and_then(ErrorMetadata::request_id)
    }

    /// The same failure with the service error converted.
    pub fn map_service_error<F>(self, f: impl FnOnce(E) -> F) -> SdkError<F> {
        match self {
            SdkError::ConstructionFailure(e) => SdkError::ConstructionFailure(e),
            SdkError::TimeoutError(e) => SdkError::TimeoutError(e),
            SdkError::DispatchFailure(e) => SdkError::DispatchFailure(e),
            SdkError::ResponseError(e) => SdkError::ResponseError(e),
            SdkError::ServiceError(e) => SdkError::ServiceError(ServiceError {
                error: f(e.error),
                meta: e.meta,
            }),
        }
    }
}

impl<E: fmt::Display> fmt::Display for SdkError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SdkError::ConstructionFailure(e) => write!(f, "failed to construct request: {e}"),
            SdkError::TimeoutError(e) => write!(f, "request timed out: {e}"),
            SdkError::DispatchFailure(e) => write!(f, "dispatch failure: {e}"),
            SdkError::ResponseError(e) => write!(f, "response error: {e}"),
            SdkError::ServiceError(e) => write!(f, "service error: {}", e.error),
        }
    }
}

impl<E: std::error::Error + 'static> std::error::Error for SdkError<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SdkError::ConstructionFailure(e)
            | SdkError::TimeoutError(e)
            | SdkError::DispatchFailure(e)
            | SdkError::ResponseError(e) => Some(e.as_ref()),
            SdkError::ServiceError(e) => Some(&e.error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug)]
    enum OpError {
        Modeled,
        Unhandled(crate::error::Unhandled),
    }

    impl From<crate::error::Unhandled> for OpError {
        fn from(error: crate::error::Unhandled) -> Self {
            OpError::Unhandled(error)
        }
    }

    #[test]
    fn every_failure_is_an_operation_error() {
        let modeled = SdkError::service_error(OpError::Modeled, ErrorMetadata::builder().build());
        assert!(matches!(modeled.into_service_error(), OpError::Modeled));
        let refused: SdkError<OpError> = SdkError::DispatchFailure("connection refused".into());
        match refused.into_service_error() {
            OpError::Unhandled(e) => {
                assert_eq!(
                    e.meta().message(),
                    Some("dispatch failure: connection refused")
                );
                assert!(std::error::Error::source(&e).is_some());
            }
            other => panic!("{other:?}"),
        }
    }
}
