//! What the AWS SDKs do for a few services beyond their models (each also pinned by the
//! Smithy protocol compliance cases of those services): API Gateway's `Accept`, Glacier's
//! API version header, default account and checksums, Machine Learning's per-call
//! endpoint.

use bytes::Bytes;
use http::{HeaderName, HeaderValue, header};
use serde_json::{Map, Value};
#[cfg(feature = "sigv4")]
use sha2::{Digest as _, Sha256};

use super::BoxError;

/// A service the SDKs treat specially, chosen by the generator from the service's SDK id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Customization {
    /// None.
    None,
    /// API Gateway: every request accepts `application/json`.
    ApiGateway,
    /// Glacier: `X-Amz-Glacier-Version`, `accountId` `-` when unset, payload checksums.
    Glacier,
    /// Machine Learning: `Predict` goes to its `PredictEndpoint`.
    MachineLearning,
}

#[cfg(feature = "sigv4")]
const TREE_HASH: HeaderName = HeaderName::from_static("x-amz-sha256-tree-hash");
#[cfg(feature = "sigv4")]
const CONTENT_SHA256: HeaderName = HeaderName::from_static("x-amz-content-sha256");

/// Before the request is built: the input's HTTP-bound members.
pub(crate) fn before_build(customization: Customization, bound: &mut Map<String, Value>) {
    if customization == Customization::Glacier {
        // Glacier's `-` names the account of the credentials.
        let unset = bound
            .get("accountId")
            .is_none_or(|v| v.is_null() || v.as_str() == Some(""));
        if unset {
            bound.insert("accountId".into(), Value::String("-".into()));
        }
    }
}

/// After the request is built, before it is signed.
pub(crate) fn after_build(
    customization: Customization,
    operation: &str,
    api_version: &str,
    request: &mut http::Request<Bytes>,
) -> Result<(), BoxError> {
    match customization {
        Customization::None => {}
        Customization::ApiGateway => {
            request
                .headers_mut()
                .insert(header::ACCEPT, HeaderValue::from_static("application/json"));
        }
        Customization::Glacier => {
            request.headers_mut().insert(
                HeaderName::from_static("x-amz-glacier-version"),
                HeaderValue::try_from(api_version)?,
            );
            // Archive uploads carry the payload's SHA-256 and tree hash (Glacier signs with
            // SigV4, so its crates have the `sigv4` feature and its hash).
            #[cfg(feature = "sigv4")]
            if matches!(operation, "UploadArchive" | "UploadMultipartPart") {
                let body = request.body().clone();
                let headers = request.headers_mut();
                if !headers.contains_key(&CONTENT_SHA256) {
                    let digest = hex(&Sha256::digest(&body));
                    headers.insert(CONTENT_SHA256, HeaderValue::try_from(digest)?);
                }
                if !headers.contains_key(&TREE_HASH) {
                    headers.insert(TREE_HASH, HeaderValue::try_from(hex(&tree_hash(&body)))?);
                }
            }
        }
        Customization::MachineLearning => {
            if operation == "Predict" {
                let members: Map<String, Value> =
                    serde_json::from_slice(request.body()).unwrap_or_default();
                if let Some(endpoint) = members.get("PredictEndpoint").and_then(Value::as_str) {
                    let endpoint: http::Uri = endpoint.parse()?;
                    let authority = endpoint
                        .authority()
                        .ok_or("the PredictEndpoint has no host")?
                        .clone();
                    let mut parts = request.uri().clone().into_parts();
                    parts.authority = Some(authority.clone());
                    *request.uri_mut() = http::Uri::from_parts(parts)?;
                    request
                        .headers_mut()
                        .insert(header::HOST, HeaderValue::try_from(authority.as_str())?);
                }
            }
        }
    }
    Ok(())
}

/// Glacier's tree hash: SHA-256 of each MiB, then of pairs, up to one.
#[cfg(feature = "sigv4")]
fn tree_hash(body: &[u8]) -> [u8; 32] {
    const MIB: usize = 1024 * 1024;
    let mut level: Vec<[u8; 32]> = if body.is_empty() {
        vec![Sha256::digest(body).into()]
    } else {
        body.chunks(MIB).map(|c| Sha256::digest(c).into()).collect()
    };
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| match pair {
                [a, b] => {
                    let mut hasher = Sha256::new();
                    hasher.update(a);
                    hasher.update(b);
                    hasher.finalize().into()
                }
                [a] => *a,
                _ => unreachable!("chunks of two"),
            })
            .collect();
    }
    level[0]
}

#[cfg(feature = "sigv4")]
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(all(test, feature = "sigv4"))]
mod tests {
    use super::*;

    #[test]
    fn tree_hash_of_small_bodies_is_their_sha256() {
        assert_eq!(
            hex(&tree_hash(b"hello world")),
            "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
        );
    }

    #[test]
    fn tree_hash_combines_mebibytes_in_pairs() {
        let body = vec![7u8; 3 * 1024 * 1024 + 5];
        let leaves: Vec<[u8; 32]> = body
            .chunks(1024 * 1024)
            .map(|c| Sha256::digest(c).into())
            .collect();
        let pair = |a: &[u8; 32], b: &[u8; 32]| -> [u8; 32] {
            let mut h = Sha256::new();
            h.update(a);
            h.update(b);
            h.finalize().into()
        };
        let left = pair(&leaves[0], &leaves[1]);
        let right = pair(&leaves[2], &leaves[3]);
        assert_eq!(tree_hash(&body), pair(&left, &right));
    }
}
