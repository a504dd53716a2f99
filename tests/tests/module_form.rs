//! The single-module form (`build.rs`, `include!`): modules made by `tests/build.rs` from
//! the same models as the crates, included below the crate root (their paths are
//! relative, so they work at any depth), talk to the crate form over real HTTP on
//! 127.0.0.1 in both directions.

use std::future::Future;

mod built {
    include!(concat!(env!("OUT_DIR"), "/module-form/notes.rs"));
    include!(concat!(env!("OUT_DIR"), "/module-form/athena.rs"));
}

use built::notes::operation::get_note::{GetNoteError, GetNoteInput, GetNoteOutput};
use built::notes::server::RequestContext;

/// The module form's server: answers with the note's id when the bearer token is `t0k3n`.
struct Notes;

impl built::notes::server::Notes for Notes {
    fn get_note(
        &self,
        input: GetNoteInput,
        context: RequestContext,
    ) -> impl Future<Output = Result<GetNoteOutput, GetNoteError>> + Send {
        std::future::ready(match context.bearer_token() {
            Some("t0k3n") => Ok(GetNoteOutput::builder()
                .text(format!("note {}", input.id))
                .build()
                .unwrap()),
            _ => Err(GetNoteError::Unauthorized(
                built::notes::types::error::Unauthorized::builder()
                    .message("no")
                    .build(),
            )),
        })
    }
}

async fn serve(router: smithy_runtime::server::axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { smithy_runtime::server::axum::serve(listener, router).await });
    format!("http://{address}")
}

#[tokio::test]
async fn the_crate_client_calls_the_module_server() {
    let endpoint = serve(built::notes::server::router(Notes)).await;
    let config = notes::Config::builder()
        .endpoint_url(&endpoint)
        .bearer_token("t0k3n")
        .build();
    let output = notes::Client::from_conf(config)
        .get_note()
        .id("n1")
        .send()
        .await
        .unwrap();
    assert_eq!(output.text(), "note n1");

    let config = notes::Config::builder()
        .endpoint_url(&endpoint)
        .bearer_token("guess")
        .build();
    let error = notes::Client::from_conf(config)
        .get_note()
        .id("n2")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(
        error.into_service_error(),
        notes::operation::get_note::GetNoteError::Unauthorized(_)
    ));
}

#[tokio::test]
async fn the_module_client_calls_the_crate_stub() {
    let endpoint = serve(athena::server::router(athena::server::AthenaStub)).await;
    let config = built::athena::Config::builder()
        .region("us-east-1")
        .endpoint_url(&endpoint)
        .credentials_provider(smithy_runtime::client::Credentials::new(
            "AKIDEXAMPLE",
            "secret",
            None,
            None,
        ))
        .build();
    let output = built::athena::Client::from_conf(config)
        .get_session()
        .session_id("s-1")
        .send()
        .await
        .unwrap();
    assert!(output.session_id().is_some());
    // The module's types are its own, with the serde feature decided on.
    let json = smithy_runtime::serde_json::to_value(&output).unwrap();
    assert_eq!(json["session_id"].as_str(), output.session_id(), "{json}");
}
