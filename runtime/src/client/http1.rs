//! The client's HTTP/1.1 transport: a pool of keep-alive connections to one endpoint,
//! each carrying one request at a time, written and read in the calling task.
//!
//! Why not hyper's client: a hyper connection runs as its own task, so every call
//! crosses a channel each way and wakes two tasks, and hyper-util's pool adds a keyed
//! checkout on top. The exchanges this client makes are simple (one request at a time
//! per connection, no upgrades, no pipelining; `@streaming` bodies are read or written by
//! whoever holds the `ByteStream`), and doing them in the caller's task halves the
//! transport's CPU per call on loopback (the client table of `cargo xtask bench`).
//! Response heads are read by `httparse`, the parser hyper itself uses.

use std::ops::Range;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

use bytes::{Buf as _, Bytes, BytesMut};
use http::{HeaderMap, HeaderName, HeaderValue, header};
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _, ReadBuf};
use tokio::net::TcpStream;

use super::{BoxError, RawResponse};
use crate::ByteStream;

/// Idle connections older than this are closed rather than reused (hyper's default).
const IDLE_TIMEOUT: Duration = Duration::from_secs(90);
/// The largest response head accepted.
const MAX_HEAD_BYTES: usize = 64 * 1024;
/// The most response headers accepted.
const MAX_HEADERS: usize = 128;
/// How much room each read asks for.
const READ_SIZE: usize = 8 * 1024;
/// Bodies up to this size are sent in the same write as the head.
const COALESCE_BODY_BYTES: usize = 16 * 1024;

/// Why an exchange failed.
#[derive(Debug)]
pub(crate) enum SendError {
    /// No response: the connection could not be made, the request could not be written,
    /// or the connection closed before any of a response came.
    Dispatch(BoxError),
    /// A response began but could not be read.
    Response(BoxError),
}

/// Where the pool connects.
struct Target {
    /// The host to resolve, without IPv6 brackets.
    host: String,
    port: u16,
    /// The `Host` header: the authority without a default port (what SigV4 signs).
    host_header: String,
    #[cfg(feature = "rustls")]
    tls: Option<(
        tokio_rustls::TlsConnector,
        rustls::pki_types::ServerName<'static>,
    )>,
}

/// Keep-alive connections to one endpoint.
pub(crate) struct Pool {
    /// The endpoint's `host[:port]`, as its URI gives it.
    authority: String,
    target: Target,
    connect_timeout: Option<Duration>,
    /// Shared with the streamed response bodies, which put their connection back here
    /// once read to the end.
    idle: Arc<Mutex<Vec<Idle>>>,
}

impl std::fmt::Debug for Pool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pool")
            .field("host", &self.target.host)
            .field("port", &self.target.port)
            .finish_non_exhaustive()
    }
}

struct Idle {
    stream: Stream,
    since: Instant,
}

impl Pool {
    /// A pool for the endpoint of `root` (its scheme and authority).
    pub(crate) fn new(root: &http::Uri, connect_timeout: Option<Duration>) -> Result<Pool, String> {
        let https = match root.scheme_str() {
            Some("http") => false,
            Some("https") => true,
            other => {
                return Err(format!(
                    "the endpoint scheme `{}` is not http or https",
                    other.unwrap_or("")
                ));
            }
        };
        let authority_host = root.host().ok_or("the endpoint has no host")?;
        let host = authority_host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_string();
        let port = root.port_u16().unwrap_or(if https { 443 } else { 80 });
        let host_header = super::uri::host_of(root).map_err(|e| e.to_string())?;
        #[cfg(feature = "rustls")]
        let tls = if https {
            let name = rustls::pki_types::ServerName::try_from(host.clone())
                .map_err(|e| format!("`{host}` is not a TLS server name: {e}"))?;
            Some((tls_connector()?, name))
        } else {
            None
        };
        #[cfg(not(feature = "rustls"))]
        if https {
            return Err("https endpoints need the `rustls` feature".to_string());
        }
        Ok(Pool {
            authority: root
                .authority()
                .map_or(String::new(), |a| a.as_str().to_string()),
            target: Target {
                host,
                port,
                host_header,
                #[cfg(feature = "rustls")]
                tls,
            },
            connect_timeout,
            idle: Default::default(),
        })
    }

    /// A pool for an https endpoint that trusts only `roots` (for tests with their own
    /// certificate authority).
    #[cfg(all(test, feature = "rustls"))]
    pub(crate) fn with_roots(
        root: &http::Uri,
        connect_timeout: Option<Duration>,
        roots: rustls::RootCertStore,
    ) -> Result<Pool, String> {
        let mut pool = Pool::new(root, connect_timeout)?;
        if let Some((connector, _)) = &mut pool.target.tls {
            *connector = tls_connector_with_roots(roots)?;
        }
        Ok(pool)
    }

    /// How many idle connections the pool holds.
    #[cfg(test)]
    pub(crate) fn idle_count(&self) -> usize {
        self.idle.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The endpoint's `host[:port]`.
    pub(crate) fn authority(&self) -> &str {
        &self.authority
    }

    /// Sends `request` (its URI's path and query are used; the pool supplies `Host`) and
    /// reads the whole response.
    pub(crate) async fn send(
        &self,
        request: &http::Request<Bytes>,
    ) -> Result<RawResponse, SendError> {
        let body = request.body();
        let mut head = Vec::with_capacity(512 + body.len().min(COALESCE_BODY_BYTES));
        write_head(&mut head, request, &self.target.host_header);
        let coalesce = body.len() <= COALESCE_BODY_BYTES;
        if coalesce {
            head.extend_from_slice(body);
        }
        let body = if coalesce { &[][..] } else { &body[..] };
        let expect_body = request.method() != http::Method::HEAD;
        loop {
            let (mut stream, reused) = match self.checkout() {
                Some(stream) => (stream, true),
                // Boxed: connecting (DNS, TLS) needs a large future, and keeping it out
                // of line keeps every call's future small.
                None => (Box::pin(self.connect()).await?, false),
            };
            match exchange(&mut stream, &head, body, expect_body).await {
                Ok((response, reusable)) => {
                    if reusable {
                        self.checkin(stream);
                    }
                    return Ok(response);
                }
                // A kept-alive connection that closed without a byte of answer: mostly
                // one the server had closed as idle before the request came. Standard
                // retries would resend it anyway (a transient connection error), so it
                // goes again at once on a fresh connection, not counted as an attempt.
                Err(Failure::Unanswered(_)) if reused => continue,
                Err(Failure::Unanswered(e)) => return Err(SendError::Dispatch(e)),
                Err(Failure::Response(e)) => return Err(SendError::Response(e)),
            }
        }
    }

    /// The most recently used idle connection that is still open.
    fn checkout(&self) -> Option<Stream> {
        let mut idle = self.idle.lock().unwrap_or_else(|e| e.into_inner());
        while let Some(Idle { mut stream, since }) = idle.pop() {
            if since.elapsed() < IDLE_TIMEOUT && stream.is_open() {
                return Some(stream);
            }
        }
        None
    }

    fn checkin(&self, stream: Stream) {
        checkin(&self.idle, stream);
    }

    /// Sends `request` with `body` streamed after its head (when given), and gives the
    /// response with its body still to come when `stream_response` and the status is
    /// 2xx. A streamed body goes on a new connection, once: it cannot be sent again.
    pub(crate) async fn send_streaming(
        &self,
        request: &http::Request<Bytes>,
        body: Option<ByteStream>,
        stream_response: bool,
    ) -> Result<(RawResponse, Option<ByteStream>), SendError> {
        let mut head = Vec::with_capacity(512);
        write_head(&mut head, request, &self.target.host_header);
        let expect_body = request.method() != http::Method::HEAD;
        let chunked = request.headers().contains_key(header::TRANSFER_ENCODING);
        let mut body = body;
        loop {
            let reused = body.is_none();
            let mut stream = match self.checkout().filter(|_| reused) {
                Some(stream) => stream,
                None => Box::pin(self.connect()).await?,
            };
            let written = async {
                stream.write_all(&head).await?;
                if let Some(body) = body.take() {
                    write_streamed_body(&mut stream, body, chunked).await?;
                }
                stream.flush().await
            };
            if let Err(e) = written.await {
                return Err(SendError::Dispatch(
                    format!("sending the request: {e}").into(),
                ));
            }
            let mut buf = BytesMut::with_capacity(READ_SIZE);
            let head = match read_head(&mut stream, &mut buf).await {
                Ok(head) => head,
                Err(Failure::Unanswered(_)) if reused => continue,
                Err(Failure::Unanswered(e)) => return Err(SendError::Dispatch(e)),
                Err(Failure::Response(e)) => return Err(SendError::Response(e)),
            };
            if !(stream_response && expect_body && (200..300).contains(&head.status)) {
                let result = read_response(&mut stream, buf, head, expect_body).await;
                return match result {
                    Ok((response, reusable)) => {
                        if reusable {
                            self.checkin(stream);
                        }
                        Ok((response, None))
                    }
                    Err(Failure::Unanswered(e) | Failure::Response(e)) => {
                        Err(SendError::Response(e))
                    }
                };
            }
            let framing = match head.status {
                204 | 304 => Framing::Length(0),
                _ => head.framing(&buf).map_err(SendError::Response)?,
            };
            let keep_alive = head.keeps_alive(&buf);
            let headers =
                header_map(&head, &buf.split_to(head.len).freeze()).map_err(|e| match e {
                    Failure::Unanswered(e) | Failure::Response(e) => SendError::Response(e),
                })?;
            let reader = BodyReader {
                stream: Some(stream),
                buf,
                progress: match framing {
                    Framing::Length(n) => Progress::Length(n),
                    Framing::Chunked => Progress::Chunked(Chunked::new(0)),
                    Framing::UntilClose => Progress::UntilClose,
                },
                keep_alive,
                idle: Arc::clone(&self.idle),
            };
            let length = match framing {
                Framing::Length(n) => Some(n as u64),
                _ => None,
            };
            let chunks = futures_util::stream::unfold(reader, |mut reader| async move {
                reader.next_chunk().await.map(|chunk| (chunk, reader))
            });
            let body = match length {
                Some(length) => ByteStream::from_stream_with_length(chunks, length),
                None => ByteStream::from_stream(chunks),
            };
            let response = RawResponse {
                status: head.status,
                headers,
                body: Bytes::new(),
            };
            return Ok((response, Some(body)));
        }
    }

    async fn connect(&self) -> Result<Stream, SendError> {
        let connect = async {
            let target = &self.target;
            let tcp = TcpStream::connect((target.host.as_str(), target.port)).await?;
            tcp.set_nodelay(true)?;
            #[cfg(feature = "rustls")]
            if let Some((connector, name)) = &target.tls {
                let tls = connector.connect(name.clone(), tcp).await?;
                return Ok(Stream::Tls(Box::new(tls)));
            }
            Ok::<_, std::io::Error>(Stream::Plain(tcp))
        };
        let connected = match self.connect_timeout {
            None => connect.await,
            Some(limit) => tokio::time::timeout(limit, connect)
                .await
                .unwrap_or_else(|_| {
                    Err(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the connection timed out",
                    ))
                }),
        };
        connected.map_err(|e| {
            let target = &self.target;
            SendError::Dispatch(
                format!("connecting to {}:{}: {e}", target.host, target.port).into(),
            )
        })
    }
}

/// rustls with the ring provider and the webpki roots. ring is named explicitly: with
/// two rustls providers in one binary (the AWS SDK enables aws-lc-rs) there is no
/// process default to fall back on.
#[cfg(feature = "rustls")]
fn tls_connector() -> Result<tokio_rustls::TlsConnector, String> {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    tls_connector_with_roots(roots)
}

#[cfg(feature = "rustls")]
fn tls_connector_with_roots(
    roots: rustls::RootCertStore,
) -> Result<tokio_rustls::TlsConnector, String> {
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_root_certificates(roots)
        .with_no_client_auth();
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tokio_rustls::TlsConnector::from(std::sync::Arc::new(
        config,
    )))
}

/// A connection, plain or TLS.
enum Stream {
    Plain(TcpStream),
    #[cfg(feature = "rustls")]
    Tls(Box<tokio_rustls::client::TlsStream<TcpStream>>),
}

impl Stream {
    /// Whether an idle connection can carry another request: nothing has arrived on it
    /// (a close, or bytes no request asked for). Readiness comes from the runtime's
    /// last poll of the socket, so a healthy connection costs no system call here.
    fn is_open(&mut self) -> bool {
        let mut cx = Context::from_waker(Waker::noop());
        let mut byte = [0u8; 1];
        let mut buf = ReadBuf::new(&mut byte);
        Pin::new(self).poll_read(&mut cx, &mut buf).is_pending()
    }
}

impl AsyncRead for Stream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_read(cx, buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Stream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_write(cx, buf),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_flush(cx),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        match self.get_mut() {
            Stream::Plain(s) => Pin::new(s).poll_shutdown(cx),
            #[cfg(feature = "rustls")]
            Stream::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// True when a request states its length: it has a body, or its method expects one.
pub(super) fn sends_content_length(request: &http::Request<Bytes>) -> bool {
    let method = request.method();
    !request.body().is_empty()
        || *method == http::Method::POST
        || *method == http::Method::PUT
        || *method == http::Method::PATCH
}

/// The request line and headers, with `Host` (unless the request has one) and
/// `Content-Length` (for a body, or a method that expects one).
fn write_head(out: &mut Vec<u8>, request: &http::Request<Bytes>, host: &str) {
    let path = request
        .uri()
        .path_and_query()
        .map(|p| p.as_str())
        .filter(|p| !p.is_empty())
        .unwrap_or("/");
    for part in [request.method().as_str(), " ", path, " HTTP/1.1\r\n"] {
        out.extend_from_slice(part.as_bytes());
    }
    let headers = request.headers();
    if !headers.contains_key(header::HOST) {
        for part in ["host: ", host, "\r\n"] {
            out.extend_from_slice(part.as_bytes());
        }
    }
    for (name, value) in headers {
        out.extend_from_slice(name.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    if sends_content_length(request)
        && !headers.contains_key(header::CONTENT_LENGTH)
        && !headers.contains_key(header::TRANSFER_ENCODING)
    {
        out.extend_from_slice(b"content-length: ");
        push_decimal(out, request.body().len());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
}

fn push_decimal(out: &mut Vec<u8>, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// How an exchange failed: before any of a response came, or after.
enum Failure {
    Unanswered(BoxError),
    Response(BoxError),
}

/// Writes the request and reads the response; also says whether the connection can
/// carry another request.
async fn exchange(
    stream: &mut Stream,
    head: &[u8],
    body: &[u8],
    expect_body: bool,
) -> Result<(RawResponse, bool), Failure> {
    let written = async {
        stream.write_all(head).await?;
        if !body.is_empty() {
            stream.write_all(body).await?;
        }
        stream.flush().await
    };
    written
        .await
        .map_err(|e| Failure::Unanswered(format!("sending the request: {e}").into()))?;

    let mut buf = BytesMut::with_capacity(READ_SIZE);
    let head = read_head(stream, &mut buf).await?;
    read_response(stream, buf, head, expect_body).await
}

/// Reads the rest of a response whose head is at the start of `buf`; also says whether
/// the connection can carry another request.
async fn read_response(
    stream: &mut Stream,
    mut buf: BytesMut,
    head: Head,
    expect_body: bool,
) -> Result<(RawResponse, bool), Failure> {
    let framing = if !expect_body || matches!(head.status, 204 | 304) {
        Framing::Length(0)
    } else {
        head.framing(&buf).map_err(Failure::Response)?
    };
    let (body, complete_at) = match framing {
        Framing::Length(length) => {
            let end = head.len.checked_add(length).ok_or_else(|| {
                Failure::Response("the response's Content-Length is too large".into())
            })?;
            while buf.len() < end {
                read_more(stream, &mut buf, "the body").await?;
            }
            (None, end)
        }
        Framing::Chunked => {
            let mut chunks = Chunked::new(head.len);
            loop {
                if let Some(end) = chunks.decode(&buf).map_err(Failure::Response)? {
                    break (Some(chunks.body.freeze()), end);
                }
                read_more(stream, &mut buf, "the chunked body").await?;
            }
        }
        Framing::UntilClose => {
            while read(stream, &mut buf).await.map_err(Failure::Response)? > 0 {}
            (None, buf.len())
        }
    };
    let reusable = !matches!(framing, Framing::UntilClose)
        && buf.len() == complete_at
        && head.keeps_alive(&buf);
    let bytes = buf.freeze();
    let headers = header_map(&head, &bytes)?;
    let body = body.unwrap_or_else(|| bytes.slice(head.len..complete_at));
    let response = RawResponse {
        status: head.status,
        headers,
        body,
    };
    Ok((response, reusable))
}

/// The response's headers, from the head at the start of `bytes`.
fn header_map(head: &Head, bytes: &Bytes) -> Result<HeaderMap, Failure> {
    let mut headers = HeaderMap::with_capacity(head.fields.len());
    for (name, value) in &head.fields {
        let name = HeaderName::from_bytes(&bytes[name.clone()]).map_err(|e| {
            Failure::Response(format!("the response has a bad header name: {e}").into())
        })?;
        let value = HeaderValue::from_maybe_shared(bytes.slice(value.clone())).map_err(|e| {
            Failure::Response(format!("the response has a bad header value: {e}").into())
        })?;
        headers.append(name, value);
    }
    Ok(headers)
}

fn checkin(idle: &Mutex<Vec<Idle>>, stream: Stream) {
    let entry = Idle {
        stream,
        since: Instant::now(),
    };
    idle.lock().unwrap_or_else(|e| e.into_inner()).push(entry);
}

/// Writes a streamed request body: as it is with a `Content-Length` (which the stream
/// must match), else in chunks.
async fn write_streamed_body(
    stream: &mut Stream,
    mut body: ByteStream,
    chunked: bool,
) -> std::io::Result<()> {
    let declared = body.content_length();
    let mut sent: u64 = 0;
    while let Some(chunk) = body.next().await {
        let chunk = chunk.map_err(std::io::Error::other)?;
        if chunk.is_empty() {
            continue;
        }
        sent += chunk.len() as u64;
        if chunked {
            let mut size = format!("{:x}\r\n", chunk.len()).into_bytes();
            size.extend_from_slice(&chunk);
            size.extend_from_slice(b"\r\n");
            stream.write_all(&size).await?;
        } else {
            stream.write_all(&chunk).await?;
        }
    }
    if chunked {
        stream.write_all(b"0\r\n\r\n").await?;
    } else if let Some(declared) = declared.filter(|n| *n != sent) {
        return Err(std::io::Error::other(format!(
            "the body stream gave {sent} bytes, not the {declared} it stated"
        )));
    }
    Ok(())
}

/// A response body read as it arrives; its connection goes back to the pool once the
/// body has been read to its end (and is closed if the body is dropped before).
struct BodyReader {
    /// `None` once the body has ended or failed.
    stream: Option<Stream>,
    /// Bytes read but not yet given out.
    buf: BytesMut,
    progress: Progress,
    keep_alive: bool,
    idle: Arc<Mutex<Vec<Idle>>>,
}

/// How much of the body is still to come.
enum Progress {
    Length(usize),
    Chunked(Chunked),
    UntilClose,
}

impl BodyReader {
    async fn next_chunk(&mut self) -> Option<Result<Bytes, BoxError>> {
        let result = self.advance().await;
        match result {
            Ok(Some(chunk)) => Some(Ok(chunk)),
            Ok(None) => None,
            Err(e) => {
                self.stream = None;
                Some(Err(e))
            }
        }
    }

    async fn advance(&mut self) -> Result<Option<Bytes>, BoxError> {
        loop {
            if self.stream.is_none() {
                return Ok(None);
            }
            match &mut self.progress {
                Progress::Length(0) => {
                    self.finish(true);
                    return Ok(None);
                }
                Progress::Length(left) if !self.buf.is_empty() => {
                    let n = (*left).min(self.buf.len());
                    *left -= n;
                    return Ok(Some(self.buf.split_to(n).freeze()));
                }
                Progress::Length(_) => {}
                Progress::Chunked(chunks) => {
                    let end = chunks.decode(&self.buf)?;
                    let data = chunks.body.split().freeze();
                    if let Some(end) = end {
                        let whole = end == self.buf.len();
                        self.buf.clear();
                        self.finish(whole);
                        return Ok((!data.is_empty()).then_some(data));
                    }
                    // Drop what has been decoded; the decoder goes on from the start.
                    self.buf.advance(chunks.at);
                    chunks.at = 0;
                    if !data.is_empty() {
                        return Ok(Some(data));
                    }
                }
                Progress::UntilClose if !self.buf.is_empty() => {
                    return Ok(Some(self.buf.split().freeze()));
                }
                Progress::UntilClose => {}
            }
            let Some(stream) = self.stream.as_mut() else {
                return Ok(None);
            };
            match read(stream, &mut self.buf).await {
                Ok(0) if matches!(self.progress, Progress::UntilClose) => {
                    self.stream = None;
                    return Ok(None);
                }
                Ok(0) => return Err("the connection closed before the end of the body".into()),
                Ok(_) => {}
                Err(e) => return Err(format!("reading the body: {e}").into()),
            }
        }
    }

    /// The body has ended: the connection is kept for another request when it can be.
    fn finish(&mut self, whole: bool) {
        if let Some(stream) = self.stream.take() {
            if whole && self.keep_alive {
                checkin(&self.idle, stream);
            }
        }
    }
}

async fn read(stream: &mut Stream, buf: &mut BytesMut) -> Result<usize, BoxError> {
    if buf.capacity() - buf.len() < READ_SIZE / 2 {
        buf.reserve(READ_SIZE);
    }
    Ok(stream.read_buf(buf).await?)
}

/// Reads more of a response whose head has come; the connection closing is an error.
async fn read_more(stream: &mut Stream, buf: &mut BytesMut, what: &str) -> Result<(), Failure> {
    match read(stream, buf).await {
        Ok(0) => Err(Failure::Response(
            format!("the connection closed before the end of {what}").into(),
        )),
        Ok(_) => Ok(()),
        Err(e) => Err(Failure::Response(format!("reading {what}: {e}").into())),
    }
}

/// A response head: the status, where it ends, and where each header lies in the buffer.
struct Head {
    status: u16,
    /// HTTP/1.`minor`.
    minor: u8,
    len: usize,
    fields: Vec<(Range<usize>, Range<usize>)>,
}

/// How the body's end is known.
#[derive(Clone, Copy)]
enum Framing {
    Length(usize),
    Chunked,
    UntilClose,
}

impl Head {
    fn values<'a>(&'a self, buf: &'a [u8], name: &'a str) -> impl Iterator<Item = &'a [u8]> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| buf[n.clone()].eq_ignore_ascii_case(name.as_bytes()))
            .map(move |(_, v)| &buf[v.clone()])
    }

    /// The body's framing (RFC 9112 section 6.3): chunked when it is the last transfer
    /// coding, then `Content-Length`, else until the connection closes.
    fn framing(&self, buf: &[u8]) -> Result<Framing, BoxError> {
        let mut codings = self.values(buf, "transfer-encoding").peekable();
        if codings.peek().is_some() {
            let last = codings
                .flat_map(|v| v.split(|b| *b == b','))
                .map(<[u8]>::trim_ascii)
                .filter(|c| !c.is_empty())
                .last();
            return Ok(match last {
                Some(c) if c.eq_ignore_ascii_case(b"chunked") => Framing::Chunked,
                _ => Framing::UntilClose,
            });
        }
        let mut length = None;
        for value in self.values(buf, "content-length") {
            for part in value.split(|b| *b == b',').map(<[u8]>::trim_ascii) {
                let parsed = std::str::from_utf8(part)
                    .ok()
                    .filter(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .and_then(|p| p.parse::<usize>().ok())
                    .ok_or("the response has a bad Content-Length")?;
                if length.is_some_and(|l| l != parsed) {
                    return Err("the response has conflicting Content-Length values".into());
                }
                length = Some(parsed);
            }
        }
        Ok(length.map_or(Framing::UntilClose, Framing::Length))
    }

    /// Whether the server keeps the connection open after this response.
    fn keeps_alive(&self, buf: &[u8]) -> bool {
        let has = |token: &[u8]| {
            self.values(buf, "connection")
                .flat_map(|v| v.split(|b| *b == b','))
                .any(|t| t.trim_ascii().eq_ignore_ascii_case(token))
        };
        if has(b"close") {
            return false;
        }
        self.minor >= 1 || has(b"keep-alive")
    }
}

/// Reads until a final (non-1xx) response head is in `buf`, leaving it at the start.
async fn read_head(stream: &mut Stream, buf: &mut BytesMut) -> Result<Head, Failure> {
    let mut answered = false;
    loop {
        if let Some(head) = parse_head(buf).map_err(Failure::Response)? {
            if (100..200).contains(&head.status) {
                // An interim response: the final one follows.
                buf.advance(head.len);
                answered = true;
                continue;
            }
            return Ok(head);
        }
        if buf.len() > MAX_HEAD_BYTES {
            return Err(Failure::Response(
                format!("the response head is over {MAX_HEAD_BYTES} bytes").into(),
            ));
        }
        let started = answered || !buf.is_empty();
        match read(stream, buf).await {
            Ok(n) if n > 0 => {}
            Ok(_) if started => {
                return Err(Failure::Response(
                    "the connection closed in the middle of the response head".into(),
                ));
            }
            Ok(_) => {
                return Err(Failure::Unanswered(
                    "the connection closed before a response".into(),
                ));
            }
            Err(e) if started => {
                return Err(Failure::Response(
                    format!("reading the response: {e}").into(),
                ));
            }
            Err(e) => {
                return Err(Failure::Unanswered(
                    format!("reading the response: {e}").into(),
                ));
            }
        }
    }
}

fn parse_head(buf: &[u8]) -> Result<Option<Head>, BoxError> {
    // Few responses have more than a handful of headers: a small array on the stack
    // first, the full allowance only when it overflows.
    let mut slots = [httparse::EMPTY_HEADER; 24];
    match parse_head_into(buf, &mut slots) {
        Err(httparse::Error::TooManyHeaders) => {
            parse_head_into(buf, &mut vec![httparse::EMPTY_HEADER; MAX_HEADERS])
        }
        parsed => parsed,
    }
    .map_err(|e| format!("the response head is malformed: {e}").into())
}

fn parse_head_into<'b>(
    buf: &'b [u8],
    slots: &mut [httparse::Header<'b>],
) -> Result<Option<Head>, httparse::Error> {
    let mut response = httparse::Response::new(slots);
    let len = match response.parse(buf)? {
        httparse::Status::Complete(len) => len,
        httparse::Status::Partial => return Ok(None),
    };
    let base = buf.as_ptr() as usize;
    let range = |part: &[u8]| {
        let start = part.as_ptr() as usize - base;
        start..start + part.len()
    };
    let fields = response
        .headers
        .iter()
        .map(|h| (range(h.name.as_bytes()), range(h.value)))
        .collect();
    Ok(Some(Head {
        status: response.code.unwrap_or_default(),
        minor: response.version.unwrap_or_default(),
        len,
        fields,
    }))
}

/// Decodes a chunked body as it arrives; each call goes on from where the last stopped.
struct Chunked {
    /// Where the next chunk's size line starts.
    at: usize,
    body: BytesMut,
}

impl Chunked {
    fn new(start: usize) -> Chunked {
        Chunked {
            at: start,
            body: BytesMut::new(),
        }
    }

    /// Where the message ends (after the trailers), once all of it is in `buf`.
    fn decode(&mut self, buf: &[u8]) -> Result<Option<usize>, BoxError> {
        loop {
            let rest = &buf[self.at..];
            let (line, size) = match httparse::parse_chunk_size(rest) {
                Ok(httparse::Status::Complete(found)) => found,
                Ok(httparse::Status::Partial) => return Ok(None),
                Err(_) => return Err("the response has a bad chunk size".into()),
            };
            if size == 0 {
                // Trailer fields (ignored), then an empty line.
                let trailers = &rest[line..];
                if trailers.starts_with(b"\r\n") {
                    return Ok(Some(self.at + line + 2));
                }
                return Ok(trailers
                    .windows(4)
                    .position(|w| w == b"\r\n\r\n")
                    .map(|end| self.at + line + end + 4));
            }
            let size = usize::try_from(size)
                .ok()
                .filter(|s| *s <= isize::MAX as usize / 2)
                .ok_or("the response has a chunk too large to hold")?;
            let Some(data) = rest.get(line..line + size + 2) else {
                return Ok(None);
            };
            if !data.ends_with(b"\r\n") {
                return Err("a chunk of the response does not end with CRLF".into());
            }
            self.body.extend_from_slice(&data[..size]);
            self.at += line + size + 2;
        }
    }
}

#[cfg(test)]
#[path = "http1_loopback_tests.rs"]
mod loopback_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn head_of(text: &str) -> (Head, Vec<u8>) {
        let buf = text.as_bytes().to_vec();
        let head = parse_head(&buf).unwrap().expect("a whole head");
        (head, buf)
    }

    #[test]
    fn framing_follows_rfc_9112() {
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n");
        assert!(matches!(head.framing(&buf).unwrap(), Framing::Length(12)));
        let (head, buf) = head_of(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\nContent-Length: 3\r\n\r\n",
        );
        assert!(matches!(head.framing(&buf).unwrap(), Framing::Chunked));
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n");
        assert!(matches!(head.framing(&buf).unwrap(), Framing::UntilClose));
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\n\r\n");
        assert!(matches!(head.framing(&buf).unwrap(), Framing::UntilClose));
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\nContent-Length: 4, 4\r\n\r\n");
        assert!(matches!(head.framing(&buf).unwrap(), Framing::Length(4)));
        let (head, buf) =
            head_of("HTTP/1.1 200 OK\r\nContent-Length: 4\r\ncontent-length: 5\r\n\r\n");
        assert!(head.framing(&buf).is_err());
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n");
        assert!(head.framing(&buf).is_err());
    }

    #[test]
    fn keep_alive_follows_the_version_and_connection_header() {
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\n\r\n");
        assert!(head.keeps_alive(&buf));
        let (head, buf) = head_of("HTTP/1.1 200 OK\r\nConnection: Upgrade, close\r\n\r\n");
        assert!(!head.keeps_alive(&buf));
        let (head, buf) = head_of("HTTP/1.0 200 OK\r\n\r\n");
        assert!(!head.keeps_alive(&buf));
        let (head, buf) = head_of("HTTP/1.0 200 OK\r\nconnection: Keep-Alive\r\n\r\n");
        assert!(head.keeps_alive(&buf));
    }

    #[test]
    fn chunked_bodies_decode_as_they_arrive() {
        let message =
            b"4\r\nWiki\r\n7;ext=1\r\npedia i\r\nB\r\nn \r\nchunks.\r\n0\r\nExpires: never\r\n\r\n";
        // Fed one byte at a time, the body is only complete at the very end.
        let mut chunks = Chunked::new(0);
        for end in 0..message.len() {
            assert_eq!(chunks.decode(&message[..end]).unwrap(), None, "at {end}");
        }
        assert_eq!(chunks.decode(message).unwrap(), Some(message.len()));
        assert_eq!(&chunks.body[..], b"Wikipedia in \r\nchunks.");

        let mut chunks = Chunked::new(0);
        assert_eq!(chunks.decode(b"0\r\n\r\n").unwrap(), Some(5));
        assert!(chunks.body.is_empty());
        assert!(Chunked::new(0).decode(b"zz\r\n").is_err());
        assert!(Chunked::new(0).decode(b"2\r\nabcd").is_err());
    }

    #[test]
    fn heads_carry_host_and_length() {
        let mut request = http::Request::new(Bytes::from_static(b"{}"));
        *request.method_mut() = http::Method::POST;
        *request.uri_mut() = "http://127.0.0.1:9000/a/b?x=1".parse().unwrap();
        request
            .headers_mut()
            .insert("x-amz-target", HeaderValue::from_static("S.Op"));
        let mut out = Vec::new();
        write_head(&mut out, &request, "127.0.0.1:9000");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "POST /a/b?x=1 HTTP/1.1\r\nhost: 127.0.0.1:9000\r\nx-amz-target: S.Op\r\ncontent-length: 2\r\n\r\n"
        );

        let mut request = http::Request::new(Bytes::new());
        *request.uri_mut() = "http://example.com".parse().unwrap();
        let mut out = Vec::new();
        write_head(&mut out, &request, "example.com");
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "GET / HTTP/1.1\r\nhost: example.com\r\n\r\n"
        );
    }

    #[test]
    fn decimal_lengths() {
        for n in [0usize, 7, 10, 1234567890] {
            let mut out = Vec::new();
            push_decimal(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}
