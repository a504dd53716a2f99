//! Error details shared by all operation errors.

use std::error::Error;
use std::fmt;

/// What a service said about an error, as far as the protocol could tell.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ErrorMetadata {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    status: Option<u16>,
}

impl ErrorMetadata {
    /// Starts building metadata; every field is optional.
    pub fn builder() -> ErrorMetadataBuilder {
        ErrorMetadataBuilder::default()
    }

    /// The error code (usually the error shape's name).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// The human-readable message.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The id the service assigned to the failed request.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The HTTP status code of the response.
    pub fn status(&self) -> Option<u16> {
        self.status
    }
}

/// Builds an [`ErrorMetadata`].
#[derive(Clone, Debug, Default)]
pub struct ErrorMetadataBuilder {
    meta: ErrorMetadata,
}

impl ErrorMetadataBuilder {
    /// Sets the error code.
    pub fn code(mut self, code: impl Into<String>) -> Self {
        self.meta.code = Some(code.into());
        self
    }

    /// Sets the message.
    pub fn message(mut self, message: impl Into<String>) -> Self {
        self.meta.message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn request_id(mut self, request_id: impl Into<String>) -> Self {
        self.meta.request_id = Some(request_id.into());
        self
    }

    /// Sets the HTTP status code.
    pub fn status(mut self, status: u16) -> Self {
        self.meta.status = Some(status);
        self
    }

    /// Finishes building.
    pub fn build(self) -> ErrorMetadata {
        self.meta
    }
}

/// Access to the [`ErrorMetadata`] of an error.
pub trait ProvideErrorMetadata {
    /// The error's metadata.
    fn meta(&self) -> &ErrorMetadata;

    /// The error code, if known.
    fn code(&self) -> Option<&str> {
        self.meta().code()
    }

    /// The error message, if known.
    fn message(&self) -> Option<&str> {
        self.meta().message()
    }
}

/// An error the model does not describe, such as an unknown error code or a
/// response that could not be parsed.
#[derive(Debug)]
pub struct Unhandled {
    meta: ErrorMetadata,
    source: Option<Box<dyn Error + Send + Sync + 'static>>,
}

impl Unhandled {
    /// An unhandled error with the given metadata and no underlying cause.
    pub fn new(meta: ErrorMetadata) -> Self {
        Unhandled { meta, source: None }
    }

    /// Attaches the underlying cause, reported by [`Error::source`].
    pub fn with_source(
        mut self,
        source: impl Into<Box<dyn Error + Send + Sync + 'static>>,
    ) -> Self {
        self.source = Some(source.into());
        self
    }

    /// The error's metadata.
    pub fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl fmt::Display for Unhandled {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unhandled error")?;
        if let Some(code) = self.meta.code() {
            write!(f, " ({code})")?;
        }
        if let Some(message) = self.meta.message() {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl Error for Unhandled {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        self.source
            .as_deref()
            .map(|source| source as &(dyn Error + 'static))
    }
}

impl ProvideErrorMetadata for Unhandled {
    fn meta(&self) -> &ErrorMetadata {
        &self.meta
    }
}

impl ProvideErrorMetadata for ErrorMetadata {
    fn meta(&self) -> &ErrorMetadata {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builder_and_getters() {
        let meta = ErrorMetadata::builder()
            .code("Throttling")
            .message("slow down")
            .request_id("req-1")
            .status(429)
            .build();
        assert_eq!(meta.code(), Some("Throttling"));
        assert_eq!(meta.message(), Some("slow down"));
        assert_eq!(meta.request_id(), Some("req-1"));
        assert_eq!(meta.status(), Some(429));
        assert_eq!(ErrorMetadata::builder().build(), ErrorMetadata::default());
        assert_eq!(ErrorMetadata::default().code(), None);
    }

    #[test]
    fn unhandled() {
        let meta = ErrorMetadata::builder()
            .code("Boom")
            .message("it broke")
            .build();
        let err = Unhandled::new(meta.clone());
        assert_eq!(err.to_string(), "unhandled error (Boom): it broke");
        assert!(err.source().is_none());
        assert_eq!(err.meta(), &meta);
        assert_eq!(ProvideErrorMetadata::code(&err), Some("Boom"));
        assert_eq!(ProvideErrorMetadata::message(&err), Some("it broke"));

        let err = Unhandled::new(ErrorMetadata::default()).with_source("bad json");
        assert_eq!(err.to_string(), "unhandled error");
        assert_eq!(err.source().unwrap().to_string(), "bad json");
        assert!(format!("{err:?}").contains("bad json"));

        // Usable as a boxed, thread-safe error.
        let boxed: Box<dyn Error + Send + Sync> = Box::new(err);
        assert_eq!(boxed.to_string(), "unhandled error");
    }
}
