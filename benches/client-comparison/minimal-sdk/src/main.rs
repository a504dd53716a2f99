//! `minimal-sdk --endpoint-url URL`: Athena `GetSession` and EMR Serverless `StartSession`
//! once each with the AWS SDK for Rust, for build time and binary size.

use aws_sdk_athena::config::{BehaviorVersion, Credentials, Region};

const SESSION_ID: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APPLICATION_ID: &str = "00fabcdefghij012";

fn endpoint_url() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (Some("--endpoint-url"), Some(url)) => Ok(url),
        _ => Err("usage: minimal-sdk --endpoint-url URL".into()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let url = endpoint_url()?;
    let credentials = Credentials::new("AKID", "SECRET", None, None, "minimal-sdk");
    let athena = aws_sdk_athena::Client::from_conf(
        aws_sdk_athena::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("us-east-1"))
            .endpoint_url(&url)
            .credentials_provider(credentials.clone())
            .build(),
    );
    let session = athena
        .get_session()
        .session_id(SESSION_ID)
        .send()
        .await
        .map_err(|e| format!("GetSession: {e:?}"))?;
    println!("GetSession: {:?}", session.status().and_then(|s| s.state()));

    let emr = aws_sdk_emrserverless::Client::from_conf(
        aws_sdk_emrserverless::Config::builder()
            .behavior_version(aws_sdk_emrserverless::config::BehaviorVersion::latest())
            .region(aws_sdk_emrserverless::config::Region::new("us-east-1"))
            .endpoint_url(&url)
            .credentials_provider(credentials)
            .build(),
    );
    let started = emr
        .start_session()
        .application_id(APPLICATION_ID)
        .client_token("minimal-sdk")
        .execution_role_arn("arn:aws:iam::123456789012:role/EMRServerlessExecutionRole")
        .name("minimal")
        .tags("team", "analytics")
        .send()
        .await
        .map_err(|e| format!("StartSession: {e:?}"))?;
    println!("StartSession: {}", started.arn());
    Ok(())
}
