//! `minimal-ours --endpoint-url URL`: Athena `GetSession` and EMR Serverless `StartSession`
//! once each with the generated clients, for build time and binary size.

use std::collections::HashMap;

use athena::client::Credentials;

const SESSION_ID: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
const APPLICATION_ID: &str = "00fabcdefghij012";

fn endpoint_url() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    match (args.next().as_deref(), args.next()) {
        (Some("--endpoint-url"), Some(url)) => Ok(url),
        _ => Err("usage: minimal-ours --endpoint-url URL".into()),
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), String> {
    let url = endpoint_url()?;
    let athena = athena::Client::from_conf(
        athena::Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
            .build(),
    );
    let session = athena
        .get_session()
        .session_id(SESSION_ID)
        .send()
        .await
        .map_err(|e| format!("GetSession: {e}"))?;
    println!("GetSession: {:?}", session.status().and_then(|s| s.state()));

    let emr = emr_serverless::Client::from_conf(
        emr_serverless::Config::builder()
            .region("us-east-1")
            .endpoint_url(&url)
            .credentials_provider(Credentials::new("AKID", "SECRET", None, None))
            .build(),
    );
    let started = emr
        .start_session()
        .application_id(APPLICATION_ID)
        .client_token("minimal-ours")
        .execution_role_arn("arn:aws:iam::123456789012:role/EMRServerlessExecutionRole")
        .name("minimal")
        .tags(HashMap::from([(
            "team".to_string(),
            "analytics".to_string(),
        )]))
        .send()
        .await
        .map_err(|e| format!("StartSession: {e}"))?;
    println!("StartSession: {}", started.arn());
    Ok(())
}
