//! The connection limits of the generated server (`ServerConfig`, held by
//! `smithy_runtime::server::serve_with`), over real sockets on 127.0.0.1: a half-sent or
//! trickled request head is closed within the head timeout, a silent connection within the
//! idle timeout, the connection cap holds under many idle sockets while well-formed requests
//! still succeed, and a slow handler is answered 408 at the request timeout.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use notes::operation::get_note::{GetNoteError, GetNoteInput, GetNoteOutput};
use notes::server::RequestContext;
use smithy_runtime::server::ServerConfig;

/// Answers at once, except for the note `slow` (two seconds).
struct Notes;

impl notes::server::Notes for Notes {
    async fn get_note(
        &self,
        input: GetNoteInput,
        _: RequestContext,
    ) -> Result<GetNoteOutput, GetNoteError> {
        if input.id == "slow" {
            tokio::time::sleep(Duration::from_secs(2)).await;
        }
        Ok(GetNoteOutput::builder().text(input.id).build().unwrap())
    }
}

/// Serves on a runtime of its own thread until the returned runtime is dropped.
fn start(config: ServerConfig) -> (SocketAddr, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    let router = notes::server::router_with_config(Notes, config.clone());
    runtime.spawn(async move {
        smithy_runtime::server::serve_with(router, listener, &config, std::future::pending()).await
    });
    (addr, runtime)
}

const GET: &[u8] = b"GET /notes/n1 HTTP/1.1\r\nhost: test\r\n\r\n";

/// How long until the server closes `stream` (reads what comes, up to `limit`).
fn closed_after(stream: &mut TcpStream, limit: Duration) -> Option<Duration> {
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_millis(50)))
        .unwrap();
    let mut buf = [0u8; 4096];
    while started.elapsed() < limit {
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => return Some(started.elapsed()),
        }
    }
    None
}

/// Sends a well-formed request on a new connection and reads the status line.
fn request(addr: SocketAddr, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nhost: test\r\nconnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    let _ = stream.read_to_string(&mut response);
    response.lines().next().unwrap_or_default().to_string()
}

#[test]
fn a_half_sent_or_trickled_head_is_closed_within_the_head_timeout() {
    let (addr, _server) = start(
        ServerConfig::default()
            .with_header_read_timeout(Duration::from_millis(400))
            .with_idle_timeout(Duration::from_secs(30)),
    );
    // Half a head, then nothing.
    let mut half = TcpStream::connect(addr).unwrap();
    half.write_all(b"GET /notes/n1 HTTP/1.1\r\nhost: te")
        .unwrap();
    let closed = closed_after(&mut half, Duration::from_secs(5)).expect("closed");
    assert!(closed < Duration::from_millis(1500), "{closed:?}");

    // A byte every 100 ms: still bound by the head timeout from the first byte.
    let mut trickle = TcpStream::connect(addr).unwrap();
    let started = Instant::now();
    let mut open = true;
    for byte in GET.iter().take(30) {
        if trickle.write_all(&[*byte]).is_err() {
            open = false;
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let closed = if open {
        closed_after(&mut trickle, Duration::from_secs(5)).expect("closed") + started.elapsed()
    } else {
        started.elapsed()
    };
    assert!(closed < Duration::from_millis(3500), "{closed:?}");

    // A whole head in time is answered.
    assert!(
        request(addr, "/notes/n1").contains("200"),
        "the server still answers"
    );
}

#[test]
fn a_silent_connection_is_closed_within_the_idle_timeout() {
    let (addr, _server) = start(
        ServerConfig::default()
            .with_header_read_timeout(Duration::from_secs(30))
            .with_idle_timeout(Duration::from_millis(400)),
    );
    let mut silent = TcpStream::connect(addr).unwrap();
    let closed = closed_after(&mut silent, Duration::from_secs(5)).expect("closed");
    assert!(closed < Duration::from_millis(1500), "{closed:?}");

    // A kept-alive connection after its response, too.
    let mut kept = TcpStream::connect(addr).unwrap();
    kept.write_all(GET).unwrap();
    let closed = closed_after(&mut kept, Duration::from_secs(5)).expect("closed");
    assert!(closed < Duration::from_millis(1500), "{closed:?}");
}

#[test]
fn the_connection_cap_holds_under_idle_sockets_and_requests_still_succeed() {
    const CAP: usize = 4;
    let (addr, _server) = start(
        ServerConfig::default()
            .with_max_connections(CAP)
            .with_header_read_timeout(Duration::from_secs(60))
            .with_idle_timeout(Duration::from_secs(60)),
    );
    // Many more idle sockets than the cap, some with half a head.
    let mut idle: Vec<TcpStream> = (0..40)
        .map(|i| {
            let mut stream = TcpStream::connect(addr).unwrap();
            if i % 2 == 0 {
                stream.write_all(b"GET /notes/n1 HTTP/1.1\r\n").unwrap();
            }
            stream
        })
        .collect();
    for i in 0..10 {
        let status = request(addr, &format!("/notes/n{i}"));
        assert!(status.contains("200"), "request {i}: {status:?}");
    }
    // The server closed all but at most CAP of them (the timeouts are a minute away).
    std::thread::sleep(Duration::from_millis(200));
    let mut still_open = 0;
    for stream in &mut idle {
        if closed_after(stream, Duration::from_millis(60)).is_none() {
            still_open += 1;
        }
    }
    assert!(
        still_open <= CAP,
        "{still_open} idle connections are open, the cap is {CAP}"
    );
}

#[test]
fn a_slow_handler_is_answered_408_at_the_request_timeout() {
    let (addr, _server) =
        start(ServerConfig::default().with_request_timeout(Duration::from_millis(300)));
    let started = Instant::now();
    let status = request(addr, "/notes/slow");
    assert!(status.contains("408"), "{status}");
    assert!(
        started.elapsed() < Duration::from_millis(1500),
        "{:?}",
        started.elapsed()
    );
    assert!(request(addr, "/notes/n1").contains("200"));
}
