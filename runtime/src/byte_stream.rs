//! The value of a `@streaming` blob member: bytes that flow while they are sent or
//! received, instead of being held whole.
//!
//! A stream is read once. Bytes already in memory (`ByteStream::from(vec)`) are one that
//! knows its length and can be sent again when a request is retried; a stream of chunks
//! (`from_stream`, `from_path`, a response body) cannot.

use std::fmt;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};

use bytes::{Bytes, BytesMut};
use futures_core::Stream;

type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;
type Chunks = Pin<Box<dyn Stream<Item = Result<Bytes, BoxError>> + Send>>;

/// A body that is read or written as it flows (the SDK's `ByteStream`).
pub struct ByteStream {
    inner: Inner,
}

enum Inner {
    /// What is left of bytes held in memory.
    Memory(Bytes),
    /// Chunks as they come. The mutex is never locked: it makes the stream `Sync`
    /// (structures holding one stay shareable), and `&mut` access goes through `get_mut`.
    Chunks {
        chunks: Mutex<Chunks>,
        length: Option<u64>,
    },
}

/// Why reading a [`ByteStream`] failed: its source's error (a connection that broke, a
/// body over the server's limit, a file that could not be read).
#[derive(Debug)]
pub struct ByteStreamError(BoxError);

impl fmt::Display for ByteStreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "reading the byte stream failed: {}", self.0)
    }
}

impl std::error::Error for ByteStreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(self.0.as_ref())
    }
}

/// Every byte of a stream, read by [`ByteStream::collect`].
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AggregatedBytes(Bytes);

impl AggregatedBytes {
    /// The bytes.
    pub fn into_bytes(self) -> Bytes {
        self.0
    }

    /// The bytes, copied into a vector.
    pub fn to_vec(self) -> Vec<u8> {
        self.0.to_vec()
    }
}

impl ByteStream {
    /// A stream of `bytes`, held in memory.
    pub fn from_static(bytes: &'static [u8]) -> ByteStream {
        ByteStream::from(Bytes::from_static(bytes))
    }

    /// A stream of the chunks `stream` yields, of unknown length (sent chunked).
    pub fn from_stream<S, E>(stream: S) -> ByteStream
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        ByteStream::chunks(stream, None)
    }

    /// A stream of the chunks `stream` yields, `length` bytes in all (sent with a
    /// `Content-Length`; sending fails if the chunks add up to anything else).
    pub fn from_stream_with_length<S, E>(stream: S, length: u64) -> ByteStream
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        ByteStream::chunks(stream, Some(length))
    }

    fn chunks<S, E>(stream: S, length: Option<u64>) -> ByteStream
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        ByteStream {
            inner: Inner::Chunks {
                chunks: Mutex::new(Box::pin(MapErr(Box::pin(stream)))),
                length,
            },
        }
    }

    /// A stream of a file's contents, read in 64 KiB chunks as they are sent; its length
    /// is the file's size when opened.
    #[cfg(any(feature = "client", feature = "server"))]
    pub async fn from_path(path: impl AsRef<std::path::Path>) -> std::io::Result<ByteStream> {
        let file = tokio::fs::File::open(path).await?;
        let length = file.metadata().await?.len();
        let chunks = futures_util::stream::unfold(file, |mut file| async move {
            use tokio::io::AsyncReadExt as _;
            let mut chunk = BytesMut::with_capacity(64 * 1024);
            match file.read_buf(&mut chunk).await {
                Ok(0) => None,
                Ok(_) => Some((Ok(chunk.freeze()), file)),
                Err(e) => Some((Err(e), file)),
            }
        });
        Ok(ByteStream::from_stream_with_length(chunks, length))
    }

    /// The number of bytes still to come, when known.
    pub fn content_length(&self) -> Option<u64> {
        match &self.inner {
            Inner::Memory(bytes) => Some(bytes.len() as u64),
            Inner::Chunks { length, .. } => *length,
        }
    }

    /// The bytes, when they are all in memory (a stream made from bytes, or one read
    /// whole by the server's or a protocol test's transport).
    pub fn bytes(&self) -> Option<&[u8]> {
        match &self.inner {
            Inner::Memory(bytes) => Some(bytes),
            Inner::Chunks { .. } => None,
        }
    }

    /// The next chunk; `None` at the end.
    pub async fn next(&mut self) -> Option<Result<Bytes, ByteStreamError>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the rest of the stream into memory.
    pub async fn collect(mut self) -> Result<AggregatedBytes, ByteStreamError> {
        if let Inner::Memory(bytes) = &mut self.inner {
            return Ok(AggregatedBytes(std::mem::take(bytes)));
        }
        let mut all = BytesMut::new();
        while let Some(chunk) = self.next().await {
            all.extend_from_slice(&chunk?);
        }
        Ok(AggregatedBytes(all.freeze()))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, ByteStreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match &mut self.get_mut().inner {
            Inner::Memory(bytes) if bytes.is_empty() => Poll::Ready(None),
            Inner::Memory(bytes) => Poll::Ready(Some(Ok(std::mem::take(bytes)))),
            Inner::Chunks { chunks, length } => {
                let chunks = chunks.get_mut().unwrap_or_else(|e| e.into_inner());
                let polled = chunks.as_mut().poll_next(cx);
                if let (Poll::Ready(Some(Ok(chunk))), Some(left)) = (&polled, length.as_mut()) {
                    *left = left.saturating_sub(chunk.len() as u64);
                }
                polled.map(|item| item.map(|chunk| chunk.map_err(ByteStreamError)))
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.inner {
            Inner::Memory(bytes) => {
                let n = usize::from(!bytes.is_empty());
                (n, Some(n))
            }
            Inner::Chunks { .. } => (0, None),
        }
    }
}

/// Turns a stream's own error type into the boxed one. The stream is boxed so that
/// `MapErr` is `Unpin` and needs no pin projection.
struct MapErr<S>(Pin<Box<S>>);

impl<S, E> Stream for MapErr<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut()
            .0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Into::into)))
    }
}

impl Default for ByteStream {
    fn default() -> Self {
        ByteStream::from(Bytes::new())
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.inner {
            Inner::Memory(bytes) => write!(f, "ByteStream(len {})", bytes.len()),
            Inner::Chunks {
                length: Some(length),
                ..
            } => write!(f, "ByteStream(streaming, len {length})"),
            Inner::Chunks { length: None, .. } => write!(f, "ByteStream(streaming)"),
        }
    }
}

impl From<Bytes> for ByteStream {
    fn from(bytes: Bytes) -> Self {
        ByteStream {
            inner: Inner::Memory(bytes),
        }
    }
}

impl From<Vec<u8>> for ByteStream {
    fn from(bytes: Vec<u8>) -> Self {
        ByteStream::from(Bytes::from(bytes))
    }
}

impl From<String> for ByteStream {
    fn from(text: String) -> Self {
        ByteStream::from(Bytes::from(text))
    }
}

impl From<&'static [u8]> for ByteStream {
    fn from(bytes: &'static [u8]) -> Self {
        ByteStream::from_static(bytes)
    }
}

impl From<&'static str> for ByteStream {
    fn from(text: &'static str) -> Self {
        ByteStream::from_static(text.as_bytes())
    }
}

impl From<crate::Blob> for ByteStream {
    fn from(blob: crate::Blob) -> Self {
        ByteStream::from(blob.into_inner())
    }
}
