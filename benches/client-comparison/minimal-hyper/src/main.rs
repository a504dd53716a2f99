//! `minimal-hyper --endpoint-url URL`: the bytes of Athena `GetSession` and EMR Serverless
//! `StartSession` once each with a bare hyper client (unsigned, responses not parsed), for
//! build time and binary size.

use bytes::Bytes;
use http_body_util::{BodyExt as _, Full};
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

const GET_SESSION: &str = r#"{"SessionId":"9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e"}"#;
const START_SESSION: &str = r#"{"clientToken":"minimal-hyper","executionRoleArn":"arn:aws:iam::123456789012:role/EMRServerlessExecutionRole","name":"minimal","tags":{"team":"analytics"}}"#;

fn endpoint_url() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (Some("--endpoint-url"), Some(url)) => Ok(url),
        _ => Err("usage: minimal-hyper --endpoint-url URL".into()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let url = endpoint_url()?;
    let client = Client::builder(TokioExecutor::new()).build_http::<Full<Bytes>>();
    let requests = [
        (
            "GetSession",
            http::Request::post(format!("{url}/"))
                .header("content-type", "application/x-amz-json-1.1")
                .header("x-amz-target", "AmazonAthena.GetSession")
                .body(Full::new(Bytes::from_static(GET_SESSION.as_bytes()))),
        ),
        (
            "StartSession",
            http::Request::post(format!("{url}/applications/00fabcdefghij012/sessions"))
                .header("content-type", "application/json")
                .body(Full::new(Bytes::from_static(START_SESSION.as_bytes()))),
        ),
    ];
    for (name, request) in requests {
        let request = request.map_err(|e| format!("{name}: {e}"))?;
        let response = client
            .request(request)
            .await
            .map_err(|e| format!("{name}: {e}"))?;
        let status = response.status();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| format!("{name}: {e}"))?
            .to_bytes();
        if !status.is_success() {
            return Err(format!(
                "{name}: {status}: {}",
                String::from_utf8_lossy(&body)
            ));
        }
        println!("{name}: {status}, {} bytes", body.len());
    }
    Ok(())
}
