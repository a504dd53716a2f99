//! A service that is not an AWS service (`tests/model/notes.smithy`): no SigV4, no
//! endpoint rules, and callers authenticate with a bearer token or an API key. The
//! generated client sends what its config has, in the model's `@auth` order; the
//! generated server hands the handler what came, over real HTTP on 127.0.0.1.

use std::future::Future;

use notes::operation::get_note::{GetNoteError, GetNoteInput, GetNoteOutput};
use notes::server::RequestContext;
use notes::types::error::Unauthorized;

/// Accepts the bearer token `t0k3n` or the API key `k3y`, and says which it saw.
struct Service;

impl notes::server::Notes for Service {
    fn get_note(
        &self,
        input: GetNoteInput,
        context: RequestContext,
    ) -> impl Future<Output = Result<GetNoteOutput, GetNoteError>> + Send {
        let seen = match (context.bearer_token(), context.headers().get("x-api-key")) {
            (Some("t0k3n"), _) => Some("token"),
            (None, Some(key)) if key == "k3y" => Some("key"),
            _ => None,
        };
        let result = match seen {
            Some(seen) => Ok(GetNoteOutput::builder()
                .text(format!("{} by {seen}", input.id))
                .build()
                .unwrap()),
            None => Err(GetNoteError::Unauthorized(
                Unauthorized::builder().message("who are you?").build(),
            )),
        };
        std::future::ready(result)
    }
}

async fn start() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = notes::server::router(Service);
    tokio::spawn(async move { smithy_runtime::server::axum::serve(listener, router).await });
    format!("http://{address}")
}

fn client(
    endpoint: &str,
    configure: impl FnOnce(notes::client::ConfigBuilder) -> notes::client::ConfigBuilder,
) -> notes::Client {
    let config = configure(notes::Config::builder().endpoint_url(endpoint)).build();
    notes::Client::from_conf(config)
}

#[tokio::test]
async fn a_bearer_token_or_an_api_key_reaches_the_handler() {
    let endpoint = start().await;
    let with_token = client(&endpoint, |c| c.bearer_token("t0k3n").api_key("k3y"));
    let output = with_token.get_note().id("n1").send().await.unwrap();
    // The token comes first in the model's `@auth` order.
    assert_eq!(output.text(), "n1 by token");

    let with_key = client(&endpoint, |c| c.api_key("k3y"));
    let output = with_key.get_note().id("n2").send().await.unwrap();
    assert_eq!(output.text(), "n2 by key");

    let wrong = client(&endpoint, |c| c.bearer_token("guess"));
    let error = wrong.get_note().id("n3").send().await.unwrap_err();
    assert_eq!(error.status(), Some(401));
    assert!(matches!(
        error.into_service_error(),
        GetNoteError::Unauthorized(_)
    ));

    // Without a token or a key, nothing is sent.
    let anonymous = client(&endpoint, |c| c);
    let error = anonymous.get_note().id("n4").send().await.unwrap_err();
    assert!(error.to_string().contains("no identity"), "{error}");
}
