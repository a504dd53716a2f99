//! What tests of generated clients run on: a transport that records each request and
//! answers with a canned response, test credentials, and a runtime to block on. (The
//! generated protocol compliance and endpoint tests use it.)

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http::HeaderMap;

use super::{BoxError, HttpClient, RawResponse};

/// Runs `future` to completion on a fresh single-threaded runtime.
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
        .block_on(future)
}

/// Credentials for signing test requests.
pub fn test_credentials() -> crate::client::Credentials {
    crate::client::Credentials::new(
        "AKIDEXAMPLE",
        "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        None,
        None,
    )
}

/// A canned HTTP response.
#[derive(Clone, Debug, Default)]
pub struct CannedResponse {
    /// The status code.
    pub code: u16,
    /// Header names and values.
    pub headers: Vec<(&'static str, &'static str)>,
    /// The body.
    pub body: &'static [u8],
}

/// A client transport that records each request and answers with one canned response.
#[derive(Clone, Debug)]
pub struct CaptureClient {
    requests: Arc<Mutex<Vec<http::Request<Bytes>>>>,
    response: CannedResponse,
}

impl CaptureClient {
    /// Answers every request with `response`.
    pub fn new(response: CannedResponse) -> CaptureClient {
        CaptureClient {
            requests: Arc::default(),
            response,
        }
    }

    /// Answers every request with `200` and an empty JSON object.
    pub fn ok() -> CaptureClient {
        CaptureClient::new(CannedResponse {
            code: 200,
            headers: vec![("content-type", "application/json")],
            body: b"{}",
        })
    }

    /// The first request sent, if any.
    pub fn request(&self) -> Option<http::Request<Bytes>> {
        let mut requests = self.requests.lock().unwrap();
        (!requests.is_empty()).then(|| requests.remove(0))
    }
}

impl HttpClient for CaptureClient {
    fn send(
        &self,
        request: http::Request<Bytes>,
    ) -> Pin<Box<dyn Future<Output = Result<RawResponse, BoxError>> + Send + '_>> {
        self.requests.lock().unwrap().push(request);
        let mut headers = HeaderMap::new();
        for (name, value) in &self.response.headers {
            let name = http::HeaderName::from_bytes(name.as_bytes());
            let value = http::HeaderValue::from_str(value);
            if let (Ok(name), Ok(value)) = (name, value) {
                headers.append(name, value);
            }
        }
        let response = RawResponse {
            status: self.response.code,
            headers,
            body: Bytes::from_static(self.response.body),
        };
        Box::pin(async move { Ok(response) })
    }
}

/// The error of an operation that models none: what the service sent, as `Unhandled`.
#[derive(Debug)]
pub struct UnmodeledError(pub crate::error::Unhandled);

impl From<crate::error::Unhandled> for UnmodeledError {
    fn from(error: crate::error::Unhandled) -> Self {
        UnmodeledError(error)
    }
}

impl crate::wire::OperationError for UnmodeledError {
    fn modeled(_: &str, _: impl crate::wire::ErrorSource) -> Option<Self> {
        None
    }
}
