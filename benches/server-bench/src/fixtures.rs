//! What every server variant serves and what the load generator sends: the same session,
//! the same request bodies, and the one piece of service logic both typed variants share.

use std::sync::atomic::{AtomicU64, Ordering};

use athena::operation::get_session::{GetSessionError, GetSessionInput, GetSessionOutput};
use athena::types::error::ResourceNotFoundException;
use bytes::Bytes;
use emr_serverless::operation::start_session::{StartSessionInput, StartSessionOutput};

/// The session `GetSession` knows.
pub const SESSION_ID: &str = "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e";
/// The application `StartSession` is sent to.
pub const APPLICATION_ID: &str = "00fabcdefghij012";
/// Region in ARNs when the request carries no SigV4 credential scope.
pub const DEFAULT_REGION: &str = "us-east-1";
/// Account in ARNs.
pub const ACCOUNT: &str = "123456789012";

/// A realistic, fully populated `GetSession` output (the emulator's first seed session),
/// in Athena's wire form.
pub const SESSION_JSON: &str = r#"{
  "SessionId": "9ac5e0f2-5e1c-4f2d-9d6a-1f0a2b3c4d5e",
  "Description": "Nightly feature engineering over the clickstream tables",
  "WorkGroup": "spark-analytics",
  "EngineVersion": "PySpark engine version 3",
  "EngineConfiguration": {
    "CoordinatorDpuSize": 1,
    "MaxConcurrentDpus": 20,
    "DefaultExecutorDpuSize": 1,
    "AdditionalConfigs": {
      "NotebookId": "b7f3c1d2-8e4a-4b5c-9d6e-0f1a2b3c4d5e",
      "NotebookIframeParentUrl": "https://console.aws.amazon.com/athena/home"
    },
    "SparkProperties": {
      "spark.sql.shuffle.partitions": "64",
      "spark.executor.memory": "4g"
    },
    "Classifications": [
      {
        "Name": "spark-defaults",
        "Properties": {
          "spark.dynamicAllocation.enabled": "true",
          "spark.sql.adaptive.enabled": "true"
        }
      },
      {
        "Name": "spark-hive-site",
        "Properties": {
          "hive.metastore.client.factory.class": "com.amazonaws.glue.catalog.metastore.AWSGlueDataCatalogHiveClientFactory"
        }
      }
    ]
  },
  "NotebookVersion": "Athena notebook version 1",
  "MonitoringConfiguration": {
    "CloudWatchLoggingConfiguration": {
      "Enabled": true,
      "LogGroup": "/aws/athena/spark-analytics",
      "LogStreamNamePrefix": "session-",
      "LogTypes": { "SPARK_DRIVER": ["STDOUT", "STDERR"], "SPARK_EXECUTOR": ["STDOUT"] }
    },
    "ManagedLoggingConfiguration": {
      "Enabled": true,
      "KmsKey": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    },
    "S3LoggingConfiguration": {
      "Enabled": false,
      "KmsKey": "alias/athena-logs",
      "LogLocation": "s3://athena-logs-123456789012/spark/"
    }
  },
  "SessionConfiguration": {
    "ExecutionRole": "arn:aws:iam::123456789012:role/AthenaSparkExecutionRole",
    "WorkingDirectory": "s3://athena-results-123456789012/sessions/9ac5e0f2/",
    "IdleTimeoutSeconds": 1800,
    "SessionIdleTimeoutInMinutes": 30,
    "EncryptionConfiguration": {
      "EncryptionOption": "SSE_KMS",
      "KmsKey": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    }
  },
  "Status": {
    "StartDateTime": 1718000000.125,
    "LastModifiedDateTime": 1718003600.5,
    "EndDateTime": 1718007200,
    "IdleSinceDateTime": 1718005400.25,
    "State": "TERMINATED",
    "StateChangeReason": "Session idle timeout reached"
  },
  "Statistics": { "DpuExecutionInMillis": 5400000 }
}"#;

/// [`SESSION_JSON`] read with the generated type.
pub fn session() -> GetSessionOutput {
    smithy_runtime::wire::from_slice(SESSION_JSON.as_bytes())
        .expect("SESSION_JSON is a valid GetSessionOutput")
}

/// The `GetSession` request body (awsJson1_1).
pub fn get_session_body() -> Bytes {
    Bytes::from(format!(r#"{{"SessionId":"{SESSION_ID}"}}"#))
}

/// The `StartSession` request body (restJson1; `applicationId` is in the path).
pub fn start_session_body() -> Bytes {
    Bytes::from_static(
        br#"{"clientToken":"2b8f7e0c-3c1d-4e5f-8a9b-0c1d2e3f4a5b","executionRoleArn":"arn:aws:iam::123456789012:role/EMRServerlessExecutionRole","idleTimeoutMinutes":60,"name":"bench-session","tags":{"team":"analytics","env":"bench"}}"#,
    )
}

/// The `StartSession` path.
pub fn start_session_path() -> String {
    format!("/applications/{APPLICATION_ID}/sessions")
}

/// A SigV4 `Authorization` header as a real client sends it (read, never verified).
pub fn authorization(service: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-west-2/{service}/aws4_request, \
         SignedHeaders=content-length;content-type;host;x-amz-date, \
         Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7"
    )
}

/// `GetSession`: the known session, else `ResourceNotFoundException`. Both typed server
/// variants call this, so they do the same work.
pub fn get_session(
    known: &GetSessionOutput,
    input: &GetSessionInput,
) -> Result<GetSessionOutput, GetSessionError> {
    if known.session_id.as_deref() == Some(input.session_id.as_str()) {
        Ok(known.clone())
    } else {
        Err(ResourceNotFoundException::builder()
            .message(format!("Session {} was not found.", input.session_id))
            .resource_name(input.session_id.clone())
            .build()
            .into())
    }
}

/// `StartSession` on a validated input: a new session id (16 of `[0-9a-z]`) and its ARN.
pub fn start_session(
    input: &StartSessionInput,
    region: &str,
    counter: &AtomicU64,
) -> StartSessionOutput {
    let session_id = session_id(counter.fetch_add(1, Ordering::Relaxed));
    let arn = format!(
        "arn:aws:emr-serverless:{region}:{ACCOUNT}:/applications/{}/sessions/{session_id}",
        input.application_id
    );
    StartSessionOutput::builder()
        .application_id(input.application_id.clone())
        .session_id(session_id)
        .arn(arn)
        .build()
        .expect("every member is set")
}

/// `n` as 16 base-36 digits, scrambled so consecutive ids do not look alike.
fn session_id(n: u64) -> String {
    const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut bits = n.wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ 0xc2b2_ae3d_27d4_eb4f;
    (0..16)
        .map(|_| {
            let c = ALPHABET[(bits % 36) as usize] as char;
            bits /= 36;
            c
        })
        .collect()
}

/// A 36-character request id (`x-amzn-requestid`), as a hand-written server would make it.
pub fn request_id(counter: &AtomicU64) -> String {
    let n = counter.fetch_add(1, Ordering::Relaxed);
    let high = n.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let low = n ^ high.rotate_left(17);
    let hex = format!("{high:016x}{low:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixtures_are_valid() {
        let session = session();
        assert_eq!(session.session_id.as_deref(), Some(SESSION_ID));
        let value: serde_json::Value = serde_json::from_slice(&start_session_body()).unwrap();
        let mut object = value.as_object().unwrap().clone();
        object.insert("applicationId".into(), APPLICATION_ID.into());
        let input = smithy_runtime::validation::from_json::<StartSessionInput>(
            &serde_json::Value::Object(object),
        )
        .unwrap();
        let counter = AtomicU64::new(0);
        let output = start_session(&input, DEFAULT_REGION, &counter);
        assert_eq!(output.session_id.len(), 16);
        assert!(output.arn.ends_with(&output.session_id));
        assert_eq!(request_id(&counter).len(), 36);
    }
}
