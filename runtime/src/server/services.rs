//! Several services on one port, routed as AWS's clients address them.

use axum::extract::Request;
use axum::response::Response;
use tower::ServiceExt as _;

use super::{ErrorResponse, SigningIdentity};
use crate::protocol::{Protocol, ServiceSpec};

/// Serves several generated services from one `axum::Router`:
/// - a request with `X-Amz-Target` goes to the awsJson service whose target prefix it
///   names (`AmazonAthena.GetSession` to `AmazonAthena`);
/// - any other request goes to a restJson1 service: the one whose SigV4 signing name is
///   the service in the request's credential scope (what AWS's clients sign with), or the
///   only one when there is one.
///
/// A request no service claims gets the protocol's `UnknownOperationException`.
#[derive(Clone, Default)]
pub struct Services {
    services: Vec<Entry>,
}

#[derive(Clone)]
struct Entry {
    spec: &'static ServiceSpec,
    router: axum::Router,
}

impl Services {
    /// No services yet.
    pub fn new() -> Services {
        Services::default()
    }

    /// Adds a service: its description (the generated crate's `protocol::SERVICE`, which
    /// has its SigV4 signing name) and its router.
    pub fn with(mut self, spec: &'static ServiceSpec, router: axum::Router) -> Services {
        self.services.push(Entry { spec, router });
        self
    }

    /// The router serving every service.
    pub fn into_router(self) -> axum::Router {
        axum::Router::new().fallback(move |request: Request| {
            let routed = self.route(&request);
            async move {
                match routed {
                    Ok(router) => match router.oneshot(request).await {
                        Ok(response) => response,
                        Err(never) => match never {},
                    },
                    Err((protocol, status)) => unknown(protocol, status),
                }
            }
        })
    }

    /// The router of the service that claims `request`, or the protocol and status of
    /// the unknown-operation error.
    fn route(&self, request: &Request) -> Result<axum::Router, (Protocol, u16)> {
        let headers = request.headers();
        if let Some(target) = headers.get("x-amz-target") {
            let prefix = target
                .to_str()
                .ok()
                .and_then(|t| t.split_once('.'))
                .map(|(prefix, _)| prefix);
            return self
                .services
                .iter()
                .find(|s| s.spec.protocol.is_aws_json() && Some(s.spec.service_name) == prefix)
                .map(|s| s.router.clone())
                .ok_or((Protocol::AwsJson1_1, 400));
        }
        let rest: Vec<&Entry> = self
            .services
            .iter()
            .filter(|s| !s.spec.protocol.is_aws_json())
            .collect();
        let signed = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(SigningIdentity::from_authorization)
            .map(|identity| identity.service);
        let by_scope = signed.and_then(|service| {
            rest.iter()
                .find(|s| s.spec.signing_name == Some(service.as_str()))
        });
        match (by_scope, rest.as_slice()) {
            (Some(entry), _) | (None, [entry]) => Ok(entry.router.clone()),
            _ => Err((Protocol::RestJson1, 404)),
        }
    }
}

fn unknown(protocol: Protocol, status: u16) -> Response {
    ErrorResponse::with_message(
        "UnknownOperationException",
        status,
        "No service on this server handles this request.",
    )
    .into_response(protocol)
}

impl std::fmt::Debug for Services {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list()
            .entries(self.services.iter().map(|s| s.spec.service_name))
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::Protocol;

    static ATHENA: ServiceSpec = ServiceSpec {
        protocol: Protocol::AwsJson1_1,
        service_name: "AmazonAthena",
        signing_name: Some("athena"),
    };
    static EMR: ServiceSpec = ServiceSpec {
        protocol: Protocol::RestJson1,
        service_name: "AwsToledoWebService",
        signing_name: Some("emr-serverless"),
    };
    static EKS: ServiceSpec = ServiceSpec {
        protocol: Protocol::RestJson1,
        service_name: "AWSWesleyFrontend",
        signing_name: Some("eks"),
    };

    fn answering(name: &'static str) -> axum::Router {
        axum::Router::new().fallback(move || async move { name })
    }

    async fn ask(services: &Services, headers: &[(&str, &str)]) -> (u16, String) {
        let mut request = Request::new(axum::body::Body::empty());
        for (name, value) in headers {
            request.headers_mut().insert(
                http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                value.parse().unwrap(),
            );
        }
        let response = services
            .clone()
            .into_router()
            .oneshot(request)
            .await
            .unwrap();
        let status = response.status().as_u16();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    fn signed_for(service: &str) -> String {
        format!(
            "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/{service}/aws4_request, \
             SignedHeaders=host, Signature=00"
        )
    }

    #[tokio::test]
    async fn requests_go_to_the_service_that_claims_them() {
        let one_rest = Services::new()
            .with(&ATHENA, answering("athena"))
            .with(&EMR, answering("emr"));
        let target = [("x-amz-target", "AmazonAthena.GetSession")];
        assert_eq!(ask(&one_rest, &target).await, (200, "athena".into()));
        // The only restJson1 service takes what has no target, signed or not.
        assert_eq!(ask(&one_rest, &[]).await, (200, "emr".into()));

        let two_rest = one_rest.clone().with(&EKS, answering("eks"));
        let eks = signed_for("eks");
        let emr = signed_for("emr-serverless");
        assert_eq!(
            ask(&two_rest, &[("authorization", &eks)]).await,
            (200, "eks".into())
        );
        assert_eq!(
            ask(&two_rest, &[("authorization", &emr)]).await,
            (200, "emr".into())
        );
        let (status, body) = ask(&two_rest, &[]).await;
        assert_eq!(status, 404, "{body}");
        assert!(body.contains("No service"), "{body}");

        let (status, body) = ask(&two_rest, &[("x-amz-target", "Nobody.Op")]).await;
        assert_eq!(status, 400);
        assert!(
            body.contains("\"__type\":\"UnknownOperationException\""),
            "{body}"
        );
    }
}
