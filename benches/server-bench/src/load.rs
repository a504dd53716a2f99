//! The load generator: raw hyper HTTP/1.1 keep-alive connections, one request in flight
//! on each, for a fixed time.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use bytes::Bytes;
use http::{HeaderMap, HeaderValue, Method, Uri, header};
use http_body_util::{BodyExt as _, Full};
use hyper::client::conn::http1::SendRequest;
use hyper_util::rt::TokioIo;

use crate::fixtures;
use crate::measure::Latencies;

/// The operation a load sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    GetSession,
    StartSession,
}

impl Op {
    pub const ALL: [Op; 2] = [Op::GetSession, Op::StartSession];

    pub fn label(self) -> &'static str {
        match self {
            Op::GetSession => "Athena GetSession (awsJson1_1)",
            Op::StartSession => "EMR Serverless StartSession (restJson1)",
        }
    }
}

/// A request to send again and again: what a SigV4-signing client sends (the signature is
/// fixed; no server checks it).
#[derive(Clone, Debug)]
pub struct Template {
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
}

impl Template {
    pub fn new(op: Op, addr: SocketAddr) -> Template {
        let mut headers = HeaderMap::new();
        let host = HeaderValue::try_from(addr.to_string()).expect("ASCII");
        headers.insert(header::HOST, host);
        headers.insert(
            header::USER_AGENT,
            HeaderValue::from_static("server-bench/0.1"),
        );
        headers.insert("x-amz-date", HeaderValue::from_static("20260101T000000Z"));
        let (path, body, service) = match op {
            Op::GetSession => {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/x-amz-json-1.1"),
                );
                headers.insert(
                    "x-amz-target",
                    HeaderValue::from_static("AmazonAthena.GetSession"),
                );
                ("/".to_string(), fixtures::get_session_body(), "athena")
            }
            Op::StartSession => {
                headers.insert(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
                (
                    fixtures::start_session_path(),
                    fixtures::start_session_body(),
                    "emr-serverless",
                )
            }
        };
        headers.insert(
            header::AUTHORIZATION,
            HeaderValue::try_from(fixtures::authorization(service)).expect("ASCII"),
        );
        Template {
            uri: path.parse().expect("a valid path"),
            headers,
            body,
        }
    }

    fn request(&self) -> http::Request<Full<Bytes>> {
        self.request_with(Full::new)
    }

    /// The request with the body type `body` makes of the bytes.
    pub fn request_with<B>(&self, body: impl FnOnce(Bytes) -> B) -> http::Request<B> {
        let mut request = http::Request::new(body(self.body.clone()));
        *request.method_mut() = Method::POST;
        *request.uri_mut() = self.uri.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// One response, whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Bytes,
}

type Sender = SendRequest<Full<Bytes>>;

async fn connect(addr: SocketAddr) -> Result<Sender, String> {
    let stream = tokio::net::TcpStream::connect(addr)
        .await
        .map_err(|e| format!("cannot connect to {addr}: {e}"))?;
    stream.set_nodelay(true).map_err(|e| e.to_string())?;
    let (sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .map_err(|e| format!("HTTP handshake with {addr}: {e}"))?;
    tokio::spawn(async move {
        let _ = connection.await;
    });
    Ok(sender)
}

async fn send(sender: &mut Sender, template: &Template) -> Result<Reply, String> {
    sender.ready().await.map_err(|e| e.to_string())?;
    let response = sender
        .send_request(template.request())
        .await
        .map_err(|e| e.to_string())?;
    let (parts, body) = response.into_parts();
    let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok(Reply {
        status: parts.status.as_u16(),
        headers: parts.headers,
        body,
    })
}

/// A keep-alive connection sending one operation, for loads that count failures instead
/// of stopping at the first.
pub struct Client {
    sender: Sender,
    template: Template,
}

impl Client {
    pub async fn connect(addr: SocketAddr, op: Op) -> Result<Client, String> {
        Ok(Client {
            sender: connect(addr).await?,
            template: Template::new(op, addr),
        })
    }

    /// Sends the request once; the answer's status.
    pub async fn send(&mut self) -> Result<u16, String> {
        send(&mut self.sender, &self.template)
            .await
            .map(|reply| reply.status)
    }
}

/// One request on a fresh connection (to check what a server answers).
pub async fn once(addr: SocketAddr, op: Op) -> Result<Reply, String> {
    let mut sender = connect(addr).await?;
    send(&mut sender, &Template::new(op, addr)).await
}

/// What a load measured.
#[derive(Debug)]
pub struct LoadResult {
    pub requests: usize,
    pub elapsed: Duration,
    pub latencies: Latencies,
}

/// `in_flight` connections, each sending `op` back to back until `duration` is over;
/// every response must be a 200.
pub async fn run(
    addr: SocketAddr,
    op: Op,
    in_flight: usize,
    duration: Duration,
) -> Result<LoadResult, String> {
    let template = Template::new(op, addr);
    let mut senders = Vec::with_capacity(in_flight);
    for _ in 0..in_flight {
        senders.push(connect(addr).await?);
    }
    let start = Instant::now();
    let deadline = start + duration;
    let tasks: Vec<_> = senders
        .into_iter()
        .map(|mut sender| {
            let template = template.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::with_capacity(65_536);
                while Instant::now() < deadline {
                    let sent = Instant::now();
                    let reply = send(&mut sender, &template).await?;
                    if reply.status != 200 {
                        return Err(format!(
                            "status {}: {}",
                            reply.status,
                            String::from_utf8_lossy(&reply.body)
                        ));
                    }
                    latencies.push(sent.elapsed().as_nanos() as u64);
                }
                Ok::<_, String>(latencies)
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.map_err(|e| e.to_string())??);
    }
    let elapsed = start.elapsed();
    Ok(LoadResult {
        requests: all.len(),
        elapsed,
        latencies: Latencies(all),
    })
}
