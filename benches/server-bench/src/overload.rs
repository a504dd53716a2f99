//! The overload run: many more connections than cores sending requests back to back,
//! beside a mix of slow clients (heads sent a byte at a time, connections opened and left
//! silent), against the generated server on `serve_with` (default limits) and the
//! hand-written axum server on `axum::serve`. Counts what a well-behaved client must never
//! see: a dropped request (the connection failed under it) or a 5xx answer.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use tokio::io::AsyncWriteExt as _;

use crate::load::{self, Op};
use crate::measure::Latencies;

/// The mix.
#[derive(Clone, Copy, Debug)]
pub struct Mix {
    /// Connections sending requests back to back.
    pub busy: usize,
    /// Connections sending a request head a byte every 200 ms, reconnecting when closed.
    pub trickling: usize,
    /// Connections opened and left silent.
    pub silent: usize,
}

/// What one overload run measured.
#[derive(Debug)]
pub struct Outcome {
    pub requests: usize,
    pub elapsed: Duration,
    pub latencies: Latencies,
    /// Requests whose connection failed before their answer (each reconnects).
    pub dropped: usize,
    /// Answers with a 5xx status.
    pub server_errors: usize,
    /// Answers neither 200 nor 5xx.
    pub other: usize,
    /// Slow connections the server closed during the run.
    pub slow_closed: usize,
}

pub async fn run(addr: SocketAddr, op: Op, mix: Mix, duration: Duration) -> Outcome {
    let deadline = Instant::now() + duration;
    let slow_closed = Arc::new(AtomicUsize::new(0));
    let mut slow = Vec::new();
    for _ in 0..mix.trickling {
        let closed = Arc::clone(&slow_closed);
        slow.push(tokio::spawn(async move {
            while Instant::now() < deadline {
                let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                };
                let head =
                    b"POST / HTTP/1.1\r\nhost: x\r\nx-amz-target: AmazonAthena.GetSession\r\n";
                let mut open = true;
                for byte in head.iter().cycle() {
                    if Instant::now() >= deadline {
                        break;
                    }
                    if stream.write_all(&[*byte]).await.is_err() {
                        open = false;
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
                if !open {
                    closed.fetch_add(1, Ordering::Relaxed);
                }
            }
        }));
    }
    for _ in 0..mix.silent {
        let closed = Arc::clone(&slow_closed);
        slow.push(tokio::spawn(async move {
            let Ok(mut stream) = tokio::net::TcpStream::connect(addr).await else {
                return;
            };
            let mut buf = [0u8; 16];
            let read = tokio::time::timeout_at(
                tokio::time::Instant::from_std(deadline),
                tokio::io::AsyncReadExt::read(&mut stream, &mut buf),
            )
            .await;
            if matches!(read, Ok(Ok(0)) | Ok(Err(_))) {
                closed.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }

    let dropped = Arc::new(AtomicUsize::new(0));
    let server_errors = Arc::new(AtomicUsize::new(0));
    let other = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let busy: Vec<_> = (0..mix.busy)
        .map(|_| {
            let (dropped, server_errors, other) = (
                Arc::clone(&dropped),
                Arc::clone(&server_errors),
                Arc::clone(&other),
            );
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut client = None;
                while Instant::now() < deadline {
                    let sender = match &mut client {
                        Some(sender) => sender,
                        None => match load::Client::connect(addr, op).await {
                            Ok(sender) => client.insert(sender),
                            Err(_) => {
                                dropped.fetch_add(1, Ordering::Relaxed);
                                tokio::time::sleep(Duration::from_millis(10)).await;
                                continue;
                            }
                        },
                    };
                    let sent = Instant::now();
                    match sender.send().await {
                        Ok(200) => latencies.push(sent.elapsed().as_nanos() as u64),
                        Ok(status) if status >= 500 => {
                            server_errors.fetch_add(1, Ordering::Relaxed);
                        }
                        Ok(_) => {
                            other.fetch_add(1, Ordering::Relaxed);
                        }
                        Err(_) => {
                            dropped.fetch_add(1, Ordering::Relaxed);
                            client = None;
                        }
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in busy {
        all.extend(task.await.unwrap_or_default());
    }
    let elapsed = start.elapsed();
    for task in slow {
        task.abort();
    }
    Outcome {
        requests: all.len(),
        elapsed,
        latencies: Latencies(all),
        dropped: dropped.load(Ordering::Relaxed),
        server_errors: server_errors.load(Ordering::Relaxed),
        other: other.load(Ordering::Relaxed),
        slow_closed: slow_closed.load(Ordering::Relaxed),
    }
}
