//! A program as one writes it against the AWS SDK for Rust: settings from aws-config's
//! default chain, one client per service, fluent calls, modeled errors. Only the imports
//! choose the implementation: the generated crates by default, the SDK with `--features
//! sdk`. Run it against a local server with `AWS_ENDPOINT_URL=http://127.0.0.1:8600`.

#[cfg(not(feature = "sdk"))]
use athena as sdk_athena;
#[cfg(feature = "sdk")]
use aws_sdk_athena as sdk_athena;
#[cfg(not(feature = "sdk"))]
use emr_serverless as sdk_emr;
#[cfg(feature = "sdk")]
use aws_sdk_emrserverless as sdk_emr;

use sdk_athena::operation::get_session::GetSessionError;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let config = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
    let athena = sdk_athena::Client::new(&config);
    let emr = sdk_emr::Client::new(&config);

    match athena.get_session().session_id("s-1").send().await {
        Ok(output) => println!("session state: {:?}", output.status().and_then(|s| s.state())),
        Err(error) => match error.into_service_error() {
            GetSessionError::InvalidRequestException(e) => println!("invalid: {:?}", e.message()),
            other => println!("failed: {other}"),
        },
    }

    let started = emr
        .start_session()
        .application_id("00fexampleapp")
        .execution_role_arn("arn:aws:iam::111122223333:role/session")
        .send()
        .await;
    match started {
        Ok(output) => println!("started {}", output.session_id()),
        Err(error) => println!("start_session failed: {error}"),
    }
    Ok(())
}
