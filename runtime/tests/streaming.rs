//! `@streaming` blobs over real HTTP on 127.0.0.1, the runtime's client against its
//! server: bodies flow chunk by chunk both ways (each side sees the first chunk before the
//! other has produced the rest), `@requiresLength` and the server's body limit hold, and
//! bytes in memory go as an ordinary, signed payload.

#![cfg(all(feature = "client", feature = "server"))]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use smithy_runtime::ByteStream;
use smithy_runtime::client::test_util::UnmodeledError;
use smithy_runtime::client::{
    self, Config, Credentials, Customization, Handle, RetryConfig, SdkError, ServiceInfo,
};
use smithy_runtime::protocol::{
    Binding, HttpTrait, InputBody, Location, OperationSpec, PayloadKind, Protocol, Scalar,
    ServiceSpec, Streaming, ValidationStyle,
};
use smithy_runtime::server::{self, ErrorResponse, Outcome, ServerConfig, ServiceRouter};
use smithy_runtime::validation::{Kind, Schema};
use tokio::sync::mpsc;

include!("../src/test_structure.rs");

static STRING: Schema = Schema::of(Kind::String);
static BLOB: Schema = Schema::of(Kind::Blob);

test_structure!(@stream Transfer: TRANSFER, {
    0 => key: Option<String> = optional("key", &STRING).http(),
    1 => body: ByteStream = optional("body", &BLOB).http(),
});

const BINDINGS: &[Binding] = &[
    Binding {
        member: "key",
        location: Location::Header("x-key"),
        value: Scalar::String,
    },
    Binding {
        member: "body",
        location: Location::Payload(PayloadKind::Blob),
        value: Scalar::Blob,
    },
];

const fn operation(
    name: &'static str,
    uri: &'static str,
    input_streaming: Option<Streaming>,
    output_streaming: Option<Streaming>,
) -> OperationSpec {
    OperationSpec {
        name,
        http: Some(HttpTrait {
            method: "POST",
            uri,
            code: 200,
        }),
        input_bindings: BINDINGS,
        output_bindings: BINDINGS,
        validation: ValidationStyle::Framework,
        input_body: InputBody::Bound,
        input_media_type: None,
        output_media_type: None,
        checksum_required: false,
        request_compression: &[],
        host_prefix: None,
        unsupported: None,
        input_streaming,
        output_streaming,
        endpoint_params: &[],
    }
}

const STREAMS: Option<Streaming> = Some(Streaming {
    requires_length: false,
});
static UPLOAD: OperationSpec = operation("Upload", "/upload", STREAMS, None);
static UPLOAD_SIZED: OperationSpec = operation(
    "UploadSized",
    "/upload-sized",
    Some(Streaming {
        requires_length: true,
    }),
    None,
);
static DOWNLOAD: OperationSpec = operation("Download", "/download", None, STREAMS);

static SPEC: ServiceSpec = ServiceSpec {
    protocol: Protocol::RestJson1,
    service_name: "Transfers",
    signing_name: Some("transfers"),
};
static SERVICE: ServiceInfo = ServiceInfo {
    protocol: Protocol::RestJson1,
    service_name: "Transfers",
    signing_name: Some("transfers"),
    endpoint_rules: None,
    auth: &[client::AuthScheme::SigV4],
    sdk_id: "Transfers",
    api_version: "2026-11-30",
    query_compatible: false,
    customization: Customization::None,
};

/// A chunk stream the test feeds by hand, and its sending end.
fn channel_stream() -> (
    mpsc::Sender<Bytes>,
    impl futures_core::Stream<Item = Result<Bytes, std::io::Error>>,
) {
    let (send, receive) = mpsc::channel::<Bytes>(4);
    let stream = futures_util::stream::unfold(receive, |mut receive| async move {
        receive.recv().await.map(|chunk| (Ok(chunk), receive))
    });
    (send, stream)
}

/// What the upload handler saw: the `x-amz-content-sha256` header, and each chunk (or the
/// stream's error) as it came.
#[derive(Clone, Default)]
struct Seen {
    content_sha256: Arc<Mutex<Option<String>>>,
    chunks: Arc<Mutex<Vec<Chunk>>>,
}

/// A chunk's bytes, or why the stream failed.
type Chunk = Result<Vec<u8>, String>;

/// Serves UPLOAD, UPLOAD_SIZED and DOWNLOAD on 127.0.0.1. The upload handlers read the
/// stream chunk by chunk into `seen`, telling `first_chunk` when the first arrives, and
/// answer with the byte count in `x-key`. DOWNLOAD answers with the stream `downloads`
/// gives it.
async fn start_server(
    limit: usize,
    seen: Seen,
    first_chunk: mpsc::Sender<()>,
    downloads: mpsc::Receiver<ByteStream>,
) -> String {
    let downloads = Arc::new(tokio::sync::Mutex::new(downloads));
    let upload = move |mut request: server::Request, context: server::RequestContext| {
        let (seen, first_chunk) = (seen.clone(), first_chunk.clone());
        async move {
            let mut input: Transfer = match server::read_input(&request) {
                Ok(input) => input,
                Err(error) => return Outcome::InvalidInput(error),
            };
            input.body = request.take_stream();
            *seen.content_sha256.lock().unwrap() = context
                .headers()
                .get("x-amz-content-sha256")
                .map(|v| v.to_str().unwrap().to_string());
            let mut total = 0;
            while let Some(chunk) = input.body.next().await {
                let entry = chunk
                    .as_ref()
                    .map(|c| c.to_vec())
                    .map_err(|e| e.to_string());
                total += entry.as_ref().map_or(0, Vec::len);
                let first = seen.chunks.lock().unwrap().is_empty();
                seen.chunks.lock().unwrap().push(entry);
                if first {
                    let _ = first_chunk.send(()).await;
                }
                if let Err(error) = chunk {
                    let error = server::body_error(&error);
                    return Outcome::Error(ErrorResponse::unhandled(&error));
                }
            }
            let output = Transfer {
                key: Some(total.to_string()),
                body: ByteStream::default(),
            };
            Outcome::output(&UPLOAD, &output)
        }
    };
    let download = move |_: server::Request, _: server::RequestContext| {
        let downloads = Arc::clone(&downloads);
        async move {
            let body = downloads
                .lock()
                .await
                .recv()
                .await
                .expect("a download body");
            let output = Transfer {
                key: Some("download".into()),
                body: ByteStream::default(),
            };
            Outcome::streaming(&DOWNLOAD, &output, body)
        }
    };
    let router = ServiceRouter::new(&SPEC, ServerConfig::default().with_body_limit(limit))
        .route(&UPLOAD, upload.clone())
        .route(&UPLOAD_SIZED, upload)
        .route(&DOWNLOAD, download)
        .into_router();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(server::serve_listener(
        router,
        listener,
        std::future::pending(),
    ));
    format!("http://{address}")
}

fn handle(endpoint: &str) -> Handle {
    let config = Config::builder()
        .endpoint_url(endpoint)
        .region("us-east-1")
        .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
        .retry_config(RetryConfig::standard().with_max_attempts(3))
        .build();
    Handle::new(config, &SERVICE)
}

async fn send(
    handle: &Handle,
    op: &'static OperationSpec,
    mut input: Transfer,
) -> Result<Transfer, SdkError<UnmodeledError>> {
    let body = client::take_stream(&mut input.body);
    let set_output: fn(&mut Transfer, ByteStream) = |output, body| output.body = body;
    client::send_streaming(handle, op, &input, &[], body, Some(set_output)).await
}

async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .expect("no step takes 10 s")
}

struct Fixture {
    endpoint: String,
    seen: Seen,
    first_chunk: mpsc::Receiver<()>,
    downloads: mpsc::Sender<ByteStream>,
}

async fn fixture(limit: usize) -> Fixture {
    let seen = Seen::default();
    let (first_tx, first_chunk) = mpsc::channel(1);
    let (downloads, downloads_rx) = mpsc::channel(1);
    let endpoint = start_server(limit, seen.clone(), first_tx, downloads_rx).await;
    Fixture {
        endpoint,
        seen,
        first_chunk,
        downloads,
    }
}

#[tokio::test]
async fn an_upload_reaches_the_handler_before_the_client_has_sent_all_of_it() {
    let mut fixture = fixture(1 << 20).await;
    let handle = handle(&fixture.endpoint);
    let (chunks, stream) = channel_stream();
    let input = Transfer {
        key: Some("k".into()),
        body: ByteStream::from_stream(stream),
    };
    let call = tokio::spawn(async move { send(&handle, &UPLOAD, input).await });
    chunks.send(Bytes::from_static(b"first ")).await.unwrap();
    // The handler has the first chunk while the second does not exist yet.
    within(fixture.first_chunk.recv()).await.unwrap();
    chunks.send(Bytes::from(vec![b'x'; 100_000])).await.unwrap();
    drop(chunks);
    let output = within(call).await.unwrap().expect("the upload succeeds");
    assert_eq!(output.key.as_deref(), Some("100006"));
    let received: Vec<u8> = fixture
        .seen
        .chunks
        .lock()
        .unwrap()
        .iter()
        .flat_map(|c| c.clone().unwrap())
        .collect();
    assert_eq!(&received[..6], b"first ");
    assert_eq!(received.len(), 100_006);
    assert_eq!(
        fixture.seen.content_sha256.lock().unwrap().as_deref(),
        Some("UNSIGNED-PAYLOAD"),
        "a streamed body is signed as unsigned"
    );
}

#[tokio::test]
async fn bytes_in_memory_are_an_ordinary_payload() {
    let fixture = fixture(1 << 20).await;
    let handle = handle(&fixture.endpoint);
    let input = Transfer {
        key: None,
        body: ByteStream::from(vec![7u8; 5000]),
    };
    let output = within(send(&handle, &UPLOAD, input)).await.unwrap();
    assert_eq!(output.key.as_deref(), Some("5000"));
    // Hashed into the signature, not declared unsigned.
    assert_eq!(*fixture.seen.content_sha256.lock().unwrap(), None);
}

#[tokio::test]
async fn a_download_is_read_before_the_server_has_produced_all_of_it() {
    let fixture = fixture(1 << 20).await;
    let handle = handle(&fixture.endpoint);
    let (chunks, stream) = channel_stream();
    fixture
        .downloads
        .send(ByteStream::from_stream(stream))
        .await
        .unwrap();
    chunks.send(Bytes::from_static(b"head ")).await.unwrap();
    let input = Transfer::default();
    let mut output = within(send(&handle, &DOWNLOAD, input)).await.unwrap();
    assert_eq!(output.key.as_deref(), Some("download"));
    // The output is here with the first chunk, and the rest does not exist yet.
    let first = within(output.body.next()).await.unwrap().unwrap();
    assert_eq!(&first[..], b"head ");
    chunks.send(Bytes::from(vec![b'y'; 200_000])).await.unwrap();
    drop(chunks);
    let rest = within(output.body.collect()).await.unwrap().into_bytes();
    assert_eq!(rest.len(), 200_000);
    assert!(rest.iter().all(|b| *b == b'y'));

    // The connection went back to the pool: the next call works (on it or a new one).
    fixture
        .downloads
        .send(ByteStream::from_static(b"again"))
        .await
        .unwrap();
    let output = within(send(&handle, &DOWNLOAD, Transfer::default()))
        .await
        .unwrap();
    let body = within(output.body.collect()).await.unwrap().into_bytes();
    assert_eq!(&body[..], b"again");
}

#[tokio::test]
async fn a_streamed_upload_over_the_body_limit_fails_in_the_handler() {
    let fixture = fixture(1000).await;
    let handle = handle(&fixture.endpoint);
    let chunks = futures_util::stream::iter(
        (0..4).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![1u8; 400]))),
    );
    let input = Transfer {
        key: None,
        body: ByteStream::from_stream(chunks),
    };
    let error = within(send(&handle, &UPLOAD, input)).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("RequestEntityTooLargeException"),
        "{error:?}"
    );
    assert_eq!(error.status(), Some(413));
    let seen = fixture.seen.chunks.lock().unwrap();
    let total: usize = seen
        .iter()
        .filter_map(|c| c.as_ref().ok())
        .map(Vec::len)
        .sum();
    assert!(
        total <= 1000,
        "the handler got {total} bytes past the limit"
    );
    let failure = seen.last().unwrap().as_ref().unwrap_err();
    assert!(failure.contains("too large"), "{failure}");
}

#[tokio::test]
async fn a_stated_length_over_the_body_limit_is_refused_before_the_handler() {
    let fixture = fixture(1000).await;
    let handle = handle(&fixture.endpoint);
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from(vec![1u8; 2000]))]);
    let input = Transfer {
        key: None,
        body: ByteStream::from_stream_with_length(chunks, 2000),
    };
    let error = within(send(&handle, &UPLOAD, input)).await.unwrap_err();
    assert_eq!(
        error.code(),
        Some("RequestEntityTooLargeException"),
        "{error:?}"
    );
    assert!(fixture.seen.chunks.lock().unwrap().is_empty());
}

#[tokio::test]
async fn requires_length_is_honoured_on_both_sides() {
    let fixture = fixture(1 << 20).await;
    let handle = handle(&fixture.endpoint);

    // The client will not send a stream of unknown length.
    let (_chunks, stream) = channel_stream();
    let input = Transfer {
        key: None,
        body: ByteStream::from_stream(stream),
    };
    let error = within(send(&handle, &UPLOAD_SIZED, input))
        .await
        .unwrap_err();
    assert!(
        matches!(&error, SdkError::ConstructionFailure(e) if e.to_string().contains("known length")),
        "{error:?}"
    );

    // With its length, it goes.
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"sized"))]);
    let input = Transfer {
        key: None,
        body: ByteStream::from_stream_with_length(chunks, 5),
    };
    let output = within(send(&handle, &UPLOAD_SIZED, input)).await.unwrap();
    assert_eq!(output.key.as_deref(), Some("5"));

    // The server refuses a chunked body (another client's) with 411.
    let endpoint = fixture.endpoint.trim_start_matches("http://").to_string();
    let mut socket = tokio::net::TcpStream::connect(&endpoint).await.unwrap();
    use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
    let request = format!(
        "POST /upload-sized HTTP/1.1\r\nhost: {endpoint}\r\ntransfer-encoding: chunked\r\n\
         connection: close\r\n\r\n5\r\nsized\r\n0\r\n\r\n"
    );
    socket.write_all(request.as_bytes()).await.unwrap();
    let mut response = String::new();
    within(socket.read_to_string(&mut response)).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 411"), "{response}");
    assert!(response.contains("LengthRequiredException"), "{response}");
}

#[tokio::test]
async fn a_stream_shorter_than_its_stated_length_fails_to_send() {
    let fixture = fixture(1 << 20).await;
    let handle = handle(&fixture.endpoint);
    let chunks =
        futures_util::stream::iter([Ok::<_, std::io::Error>(Bytes::from_static(b"short"))]);
    let input = Transfer {
        key: None,
        body: ByteStream::from_stream_with_length(chunks, 50),
    };
    let error = within(send(&handle, &UPLOAD, input)).await.unwrap_err();
    assert!(
        matches!(&error, SdkError::DispatchFailure(e) if e.to_string().contains("not the 50")),
        "{error:?}"
    );
}

#[tokio::test]
async fn byte_streams_read_from_files_and_memory() {
    let path = std::env::temp_dir().join(format!("byte-stream-{}.bin", std::process::id()));
    let contents: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    std::fs::write(&path, &contents).unwrap();
    let stream = ByteStream::from_path(&path).await.unwrap();
    assert_eq!(stream.content_length(), Some(200_000));
    assert!(stream.bytes().is_none(), "a file is read as it is sent");
    let read = stream.collect().await.unwrap().to_vec();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(read, contents);

    let mut memory = ByteStream::from_static(b"abc");
    assert_eq!(memory.bytes(), Some(&b"abc"[..]));
    assert_eq!(&memory.next().await.unwrap().unwrap()[..], b"abc");
    assert!(memory.next().await.is_none());
    assert!(ByteStream::default().next().await.is_none());
}
