//! Serving a router on a TCP listener, with the connection limits of [`ServerConfig`]:
//! a client cannot hold a connection open without sending a request (idle timeout), send
//! a request head slowly (head timeout), or hold more than its share of connections (the
//! cap, kept by closing the longest-waiting connection that has no request in flight).
//! The request timeout and the body limit are the router's (they hold under any server).

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Notify, mpsc, watch};
use tower::ServiceExt as _;

use super::ServerConfig;

/// Serves `router` on `addr` until `shutdown` completes, then finishes in-flight requests.
/// The connection limits are [`ServerConfig::default`]'s; see [`serve_with`].
pub async fn serve(
    router: axum::Router,
    addr: SocketAddr,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let listener = TcpListener::bind(addr).await?;
    serve_with(router, listener, &ServerConfig::default(), shutdown).await
}

/// [`serve`] on a listener the caller bound (for port 0 and tests).
pub async fn serve_listener(
    router: axum::Router,
    listener: TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    serve_with(router, listener, &ServerConfig::default(), shutdown).await
}

/// Serves `router` on `listener` (HTTP/1.1 and HTTP/2) with `config`'s connection limits
/// (`header_read_timeout`, `idle_timeout`, `max_connections`) until `shutdown` completes;
/// then stops accepting, lets in-flight requests finish, and returns once every
/// connection is closed.
pub async fn serve_with(
    router: axum::Router,
    listener: TcpListener,
    config: &ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let limits = Limits::from(config);
    let registry = Arc::new(Registry::default());
    let (stop_tx, stop_rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown.await;
        let _ = stop_tx.send(true);
    });
    // Every connection task holds a sender; all are gone once every connection closed.
    let (open_tx, mut open_rx) = mpsc::channel::<()>(1);
    let mut stopping = stop_rx.clone();
    loop {
        let (stream, _) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                // Out of file descriptors or a connection reset before it was accepted:
                // keep serving the others.
                Err(error) => {
                    tracing::warn!(%error, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = stopped(&mut stopping) => break,
        };
        if !registry.make_room(limits.max_connections) {
            // Every connection has a request in flight: refuse this one.
            drop(stream);
            continue;
        }
        let _ = stream.set_nodelay(true);
        let state = registry.add();
        let router = router.clone();
        let stop = stop_rx.clone();
        let open = open_tx.clone();
        let registry = Arc::clone(&registry);
        tokio::spawn(async move {
            serve_connection(router, stream, &state, limits, stop).await;
            registry.remove(&state);
            drop(open);
        });
    }
    drop(open_tx);
    let _ = open_rx.recv().await;
    Ok(())
}

/// Completes once `stop` turns true (or its sender is gone).
async fn stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stop| *stop).await;
}

#[derive(Clone, Copy, Debug)]
struct Limits {
    header_read_timeout: Duration,
    idle_timeout: Duration,
    max_connections: usize,
}

impl From<&ServerConfig> for Limits {
    fn from(config: &ServerConfig) -> Limits {
        Limits {
            header_read_timeout: config.header_read_timeout,
            idle_timeout: config.idle_timeout,
            max_connections: config.max_connections.max(1),
        }
    }
}

/// What the server knows of one connection, shared with its IO and its requests.
#[derive(Debug)]
struct ConnState {
    opened: Instant,
    /// Requests handed to the router and not yet answered.
    in_flight: AtomicUsize,
    /// Milliseconds since `opened` of the last byte read or written.
    last_activity: AtomicU64,
    /// Milliseconds since `opened` (plus one) when the first byte of a request head came
    /// while nothing was in flight; 0 when no head is being read.
    head_started: AtomicU64,
    /// Set (and `wake` notified) to close the connection to make room for another.
    evicted: AtomicBool,
    wake: Notify,
}

impl ConnState {
    fn new() -> ConnState {
        ConnState {
            opened: Instant::now(),
            in_flight: AtomicUsize::new(0),
            last_activity: AtomicU64::new(0),
            head_started: AtomicU64::new(0),
            evicted: AtomicBool::new(false),
            wake: Notify::new(),
        }
    }

    fn now(&self) -> u64 {
        self.opened.elapsed().as_millis() as u64
    }

    fn activity(&self, read: bool) {
        let now = self.now();
        self.last_activity.store(now, Ordering::Relaxed);
        if read && self.in_flight.load(Ordering::Acquire) == 0 {
            let _ =
                self.head_started
                    .compare_exchange(0, now + 1, Ordering::AcqRel, Ordering::Relaxed);
        }
    }

    /// Since when the connection has been waiting on its client (ms since `opened`), or
    /// `None` while a request is in flight.
    fn waiting_since(&self) -> Option<u64> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        Some(match self.head_started.load(Ordering::Acquire) {
            0 => self.last_activity.load(Ordering::Relaxed),
            started => started - 1,
        })
    }

    /// Why the connection should close now, if it should.
    fn expired(&self, limits: &Limits) -> Option<&'static str> {
        if self.in_flight.load(Ordering::Acquire) > 0 {
            return None;
        }
        let now = self.now();
        let head = self.head_started.load(Ordering::Acquire);
        if head > 0 && now.saturating_sub(head - 1) >= limits.header_read_timeout.as_millis() as u64
        {
            return Some("request head not received in time");
        }
        let idle = now.saturating_sub(self.last_activity.load(Ordering::Relaxed));
        (idle >= limits.idle_timeout.as_millis() as u64).then_some("idle")
    }
}

/// The open connections, to keep their number under the cap.
#[derive(Debug, Default)]
struct Registry {
    connections: Mutex<Vec<Arc<ConnState>>>,
}

impl Registry {
    fn add(&self) -> Arc<ConnState> {
        let state = Arc::new(ConnState::new());
        self.lock().push(Arc::clone(&state));
        state
    }

    fn remove(&self, state: &Arc<ConnState>) {
        self.lock().retain(|s| !Arc::ptr_eq(s, state));
    }

    /// Whether a new connection may be served: under the cap, or once the connection
    /// that has waited longest on its client (no request in flight) is told to close.
    fn make_room(&self, max: usize) -> bool {
        let connections = self.lock();
        let open = connections
            .iter()
            .filter(|s| !s.evicted.load(Ordering::Relaxed))
            .count();
        if open < max {
            return true;
        }
        let oldest = connections
            .iter()
            .filter(|s| !s.evicted.load(Ordering::Relaxed))
            .filter_map(|s| {
                s.waiting_since()
                    .map(|since| (s.opened + Duration::from_millis(since), s))
            })
            .min_by_key(|(since, _)| *since);
        match oldest {
            Some((_, state)) => {
                state.evicted.store(true, Ordering::Release);
                state.wake.notify_one();
                true
            }
            None => false,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<ConnState>>> {
        self.connections.lock().unwrap_or_else(|e| e.into_inner())
    }
}

async fn serve_connection(
    router: axum::Router,
    stream: TcpStream,
    state: &Arc<ConnState>,
    limits: Limits,
    mut stop: watch::Receiver<bool>,
) {
    let io = TokioIo::new(Watched {
        inner: stream,
        state: Arc::clone(state),
    });
    let requests = Arc::clone(state);
    let service =
        hyper::service::service_fn(move |request: hyper::Request<hyper::body::Incoming>| {
            let guard = InFlight::start(Arc::clone(&requests));
            let response = router.clone().oneshot(request);
            async move {
                let response = response.await;
                drop(guard);
                response
            }
        });
    let builder = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new());
    let connection = builder.serve_connection(io, service);
    tokio::pin!(connection);
    // Timeouts are checked at a quarter of the shortest one (at least every 10 ms).
    let tick =
        (limits.header_read_timeout.min(limits.idle_timeout) / 4).max(Duration::from_millis(10));
    let mut ticks = tokio::time::interval(tick);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            result = connection.as_mut() => {
                if let Err(error) = result {
                    tracing::debug!(%error, "connection ended");
                }
                return;
            }
            _ = ticks.tick() => {
                if let Some(reason) = state.expired(&limits) {
                    tracing::debug!(reason, "closing connection");
                    return;
                }
            }
            () = state.wake.notified() => {
                if state.evicted.load(Ordering::Acquire) {
                    if state.waiting_since().is_some() {
                        tracing::debug!("closing connection for a new one (connection cap)");
                        return;
                    }
                    // A request came first: the connection stays, and counts again.
                    state.evicted.store(false, Ordering::Release);
                }
            }
            () = stopped(&mut stop), if !shutting_down => {
                shutting_down = true;
                connection.as_mut().graceful_shutdown();
            }
        }
    }
}

/// Counts a request as in flight until dropped (answered or abandoned); its end starts
/// the connection's idle time.
struct InFlight(Arc<ConnState>);

impl InFlight {
    fn start(state: Arc<ConnState>) -> InFlight {
        state.in_flight.fetch_add(1, Ordering::AcqRel);
        state.head_started.store(0, Ordering::Release);
        InFlight(state)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.0.activity(false);
        self.0.in_flight.fetch_sub(1, Ordering::AcqRel);
    }
}

/// The socket, noting when bytes move.
struct Watched {
    inner: TcpStream,
    state: Arc<ConnState>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.state.activity(true);
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.activity(false);
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.state.activity(false);
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}
