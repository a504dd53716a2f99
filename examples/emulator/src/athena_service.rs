//! Amazon Athena `GetSession`, answered from the seed.

use std::collections::HashMap;
use std::sync::Arc;

use athena::operation::get_session::{GetSessionError, GetSessionInput, GetSessionOutput};
use athena::server::{AthenaPartial, RequestContext};
use athena::types::error::{
    InternalServerException, InvalidRequestException, ResourceNotFoundException,
};

use crate::fault::Fault;

/// The Athena side of the emulator: read-only sessions from the seed.
#[derive(Clone, Debug)]
pub struct AthenaEmulator {
    sessions: Arc<HashMap<String, GetSessionOutput>>,
}

impl AthenaEmulator {
    /// Serves `sessions` (by session id).
    pub fn new(sessions: HashMap<String, GetSessionOutput>) -> AthenaEmulator {
        AthenaEmulator {
            sessions: Arc::new(sessions),
        }
    }
}

impl AthenaPartial for AthenaEmulator {
    async fn get_session(
        &self,
        input: GetSessionInput,
        context: RequestContext,
    ) -> Result<GetSessionOutput, GetSessionError> {
        let id = input.session_id;
        match Fault::of(&id) {
            Some(Fault::Internal) => {
                return Err(InternalServerException::builder()
                    .message(format!(
                        "Injected fault: internal error while reading session {id}"
                    ))
                    .build()
                    .into());
            }
            Some(Fault::Invalid) => {
                return Err(InvalidRequestException::builder()
                    .athena_error_code("INVALID_INPUT")
                    .message(format!("Injected fault: session {id} is not valid here"))
                    .build()
                    .into());
            }
            Some(Fault::Panic) => panic!(
                "injected fault: GetSession {id} (request {})",
                context.request_id()
            ),
            None => {}
        }
        self.sessions.get(&id).cloned().ok_or_else(|| {
            ResourceNotFoundException::builder()
                .message(format!("Session {id} was not found."))
                .resource_name(id)
                .build()
                .into()
        })
    }
}
