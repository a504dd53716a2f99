//! The routers without sockets: each called through `tower::ServiceExt::oneshot` with an
//! in-memory request on one thread, so the figures are the framework's own CPU cost
//! per request, free of the kernel, the load generator and the scheduler. Also the two
//! ways of writing the `GetSession` output: through `serde_json::Value` (what a server
//! must do to move HTTP-bound members out of it) or straight from the struct.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use http_body_util::BodyExt as _;
use tower::ServiceExt as _;

use crate::fixtures;
use crate::load::{Op, Template};
use crate::measure;
use crate::servers;

/// Iterations per batch (see [`measure::interleaved`] for the batches).
const ITERATIONS: usize = measure::ITERATIONS;

/// One row: what, nanoseconds per request (median batch).
pub struct Row {
    pub what: String,
    pub ns: f64,
    /// The row this one is compared with, by index.
    pub against: Option<usize>,
}

/// What is called: an axum `Router` or the bench's dispatch service.
#[derive(Clone, Copy)]
enum Callee<'a> {
    Router(&'a Router),
    Dispatch(&'a servers::GeneratedDispatch),
}

/// Nanoseconds per request over one batch.
async fn batch(callee: Callee<'_>, template: &Template) -> Result<f64, String> {
    let start = Instant::now();
    for _ in 0..ITERATIONS {
        let request = template.request_with(Body::from);
        let response = match callee {
            Callee::Router(router) => router.clone().oneshot(request).await,
            Callee::Dispatch(dispatch) => dispatch.clone().oneshot(request).await,
        };
        let response = match response {
            Ok(response) => response,
            Err(never) => match never {},
        };
        if response.status() != 200 {
            return Err(format!("in-process call answered {}", response.status()));
        }
        black_box(
            response
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?,
        );
    }
    Ok(start.elapsed().as_nanos() as f64 / ITERATIONS as f64)
}

pub fn measure(runtime: &tokio::runtime::Runtime) -> Result<Vec<Row>, String> {
    let addr: SocketAddr = "127.0.0.1:8600".parse().expect("an address");
    let served = servers::GeneratedDispatch::new();
    let as_emulator = servers::generated_router_as_emulator();
    let handwritten = servers::handwritten_router();
    let mut rows = Vec::new();
    for op in Op::ALL {
        let template = Template::new(op, addr);
        let alone = match op {
            Op::GetSession => servers::generated_athena_router(),
            Op::StartSession => servers::generated_emr_router(),
        };
        let callees = [
            (
                "generated, both routers as served (`Service::call` on the chosen router)",
                Callee::Dispatch(&served),
            ),
            (
                "generated, both routers as the emulator combines them (outer `Router` fallback, `oneshot`)",
                Callee::Router(&as_emulator),
            ),
            (
                "generated, this service's router alone",
                Callee::Router(&alone),
            ),
            ("hand-written axum", Callee::Router(&handwritten)),
        ];
        let mut fs: Vec<Box<dyn FnMut() -> Result<f64, String>>> = callees
            .iter()
            .map(|&(_, callee)| {
                let template = &template;
                Box::new(move || runtime.block_on(batch(callee, template)))
                    as Box<dyn FnMut() -> Result<f64, String>>
            })
            .collect();
        let mut refs: Vec<&mut dyn FnMut() -> Result<f64, String>> =
            fs.iter_mut().map(|f| f.as_mut() as _).collect();
        let ns = measure::interleaved(&mut refs)?;
        let reference = rows.len() + callees.len() - 1;
        for (i, ((what, _), ns)) in callees.iter().zip(ns).enumerate() {
            rows.push(Row {
                what: format!("{}: {what}", op.label()),
                ns,
                against: (i + 1 < callees.len()).then_some(reference),
            });
        }
    }
    let session = fixtures::session();
    let mut through_value = measure::timed(|| {
        let value = smithy_runtime::wire::to_value(black_box(&session)).expect("serializes");
        black_box(serde_json::to_vec(&value).expect("serializes"));
    });
    let mut direct = measure::timed(|| {
        black_box(smithy_runtime::wire::to_vec(black_box(&session)).expect("serializes"));
    });
    let mut clone = measure::timed(|| {
        black_box(black_box(&session).clone());
    });
    let ns = measure::interleaved(&mut [&mut through_value, &mut direct, &mut clone])?;
    let direct_row = rows.len() + 1;
    rows.push(Row {
        what:
            "write the GetSession output through `serde_json::Value` (`to_value`, `to_vec`, drop)"
                .into(),
        ns: ns[0],
        against: Some(direct_row),
    });
    rows.push(Row {
        what: "write the GetSession output straight from the struct (`to_vec`)".into(),
        ns: ns[1],
        against: None,
    });
    rows.push(Row {
        what: "clone the GetSession output (the trait returns it by value; both servers do this)"
            .into(),
        ns: ns[2],
        against: None,
    });
    Ok(rows)
}
