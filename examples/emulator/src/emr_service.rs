//! EMR Serverless `StartSession`: sessions kept in memory, idempotent on `clientToken`,
//! and, with a state file, written to it before the answer goes out
//! ([`crate::state::StateFile`]).

use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use emr_serverless::operation::start_session::{
    StartSessionError, StartSessionInput, StartSessionOutput,
};
use emr_serverless::server::{EmrServerlessPartial, RequestContext};
use emr_serverless::types::error::{
    ConflictException, InternalServerException, ResourceNotFoundException,
    ServiceQuotaExceededException, ValidationException,
};

use crate::fault::Fault;
use crate::seed::Application;
use crate::state::StateFile;

/// Settings of the EMR Serverless side.
#[derive(Clone, Debug)]
pub struct EmrSettings {
    /// Region used in ARNs when the request was not SigV4-signed.
    pub region: String,
    /// Account id used in ARNs.
    pub account: String,
    /// Sessions an application may hold unless the seed says otherwise.
    pub max_sessions_per_application: usize,
}

/// A session this emulator started.
#[derive(Clone, Debug, PartialEq)]
pub struct StartedSession {
    /// The request that started it.
    pub input: StartSessionInput,
    /// What was answered.
    pub output: StartSessionOutput,
}

#[derive(Debug, Default)]
pub(crate) struct State {
    /// Sessions by client token (tokens are unique across applications).
    by_token: HashMap<String, StartedSession>,
    /// Sessions per application id.
    per_application: HashMap<String, usize>,
}

impl State {
    /// The state holding `sessions` (as a state file gives them back).
    pub(crate) fn from_sessions(sessions: Vec<StartedSession>) -> State {
        let mut state = State::default();
        for session in sessions {
            *state
                .per_application
                .entry(session.output.application_id.clone())
                .or_default() += 1;
            state
                .by_token
                .insert(session.input.client_token.clone(), session);
        }
        state
    }
}

/// The EMR Serverless side of the emulator.
#[derive(Clone, Debug)]
pub struct EmrEmulator {
    settings: Arc<EmrSettings>,
    applications: Arc<HashMap<String, Application>>,
    /// An async lock: it is held while a new session is written to the state file.
    state: Arc<tokio::sync::Mutex<State>>,
    file: Option<Arc<StateFile>>,
    counter: Arc<AtomicU64>,
}

impl EmrEmulator {
    /// Serves sessions on `applications`, in memory only.
    pub fn new(settings: EmrSettings, applications: &[Application]) -> EmrEmulator {
        EmrEmulator {
            settings: Arc::new(settings),
            applications: Arc::new(
                applications
                    .iter()
                    .map(|a| (a.application_id.clone(), a.clone()))
                    .collect(),
            ),
            state: Arc::default(),
            file: None,
            counter: Arc::default(),
        }
    }

    /// Also keeps the sessions in `file`, starting from those it holds.
    pub fn with_state_file(
        mut self,
        file: StateFile,
        sessions: Vec<StartedSession>,
    ) -> EmrEmulator {
        self.state = Arc::new(tokio::sync::Mutex::new(State::from_sessions(sessions)));
        self.file = Some(Arc::new(file));
        self
    }

    /// Every session started so far.
    pub async fn sessions(&self) -> Vec<StartedSession> {
        let state = self.state.lock().await;
        state.by_token.values().cloned().collect()
    }

    /// 16 lowercase letters and digits.
    fn new_session_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let mut bits: u128 = 0;
        for salt in [0x9e37_79b9_7f4a_7c15_u64, 0xc2b2_ae3d_27d4_eb4f] {
            let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
            hasher.write_u64(n ^ salt);
            bits = (bits << 64) | u128::from(hasher.finish());
        }
        const ALPHABET: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
        (0..16)
            .map(|_| {
                let c = ALPHABET[(bits % 36) as usize] as char;
                bits /= 36;
                c
            })
            .collect()
    }
}

/// A modeled EMR Serverless error (they all have just a required `message`).
macro_rules! error {
    ($shape:ident, $($message:tt)+) => {
        StartSessionError::from(
            $shape::builder()
                .message(format!($($message)+))
                .build()
                .expect("the message is set"),
        )
    };
}

impl EmrServerlessPartial for EmrEmulator {
    async fn start_session(
        &self,
        input: StartSessionInput,
        context: RequestContext,
    ) -> Result<StartSessionOutput, StartSessionError> {
        let app_id = input.application_id.clone();
        match Fault::of(&app_id) {
            Some(Fault::Internal) => {
                return Err(error!(
                    InternalServerException,
                    "Injected fault: internal error on application {app_id}"
                ));
            }
            Some(Fault::Invalid) => {
                return Err(error!(
                    ValidationException,
                    "Injected fault: application {app_id} refuses the request"
                ));
            }
            Some(Fault::Panic) => panic!(
                "injected fault: StartSession on {app_id} (request {})",
                context.request_id()
            ),
            None => {}
        }
        let Some(application) = self.applications.get(&app_id) else {
            return Err(error!(
                ResourceNotFoundException,
                "Application {app_id} does not exist"
            ));
        };
        let limit = application
            .max_sessions
            .unwrap_or(self.settings.max_sessions_per_application);
        let region = context
            .identity()
            .map(|identity| identity.region.as_str())
            .filter(|region| !region.is_empty())
            .unwrap_or(&self.settings.region)
            .to_string();

        let mut state = self.state.lock().await;
        if let Some(existing) = state.by_token.get(&input.client_token) {
            return if existing.input == input {
                tracing::info!(
                    application = %app_id,
                    session = %existing.output.session_id,
                    "StartSession replayed (same clientToken, same request)"
                );
                Ok(existing.output.clone())
            } else {
                Err(error!(
                    ConflictException,
                    "clientToken {} was already used with a different request", input.client_token
                ))
            };
        }
        let count = state.per_application.get(&app_id).copied().unwrap_or(0);
        if count >= limit {
            return Err(error!(
                ServiceQuotaExceededException,
                "Application {app_id} already has {count} sessions; the maximum is {limit}"
            ));
        }
        let session_id = loop {
            let id = self.new_session_id();
            if !state.by_token.values().any(|s| s.output.session_id == id) {
                break id;
            }
        };
        let arn = format!(
            "arn:aws:emr-serverless:{region}:{}:/applications/{app_id}/sessions/{session_id}",
            self.settings.account
        );
        let output = StartSessionOutput::builder()
            .application_id(app_id.clone())
            .session_id(session_id.clone())
            .arn(arn)
            .build()
            .expect("every member is set");
        *state.per_application.entry(app_id.clone()).or_default() += 1;
        state.by_token.insert(
            input.client_token.clone(),
            StartedSession {
                input: input.clone(),
                output: output.clone(),
            },
        );
        // Acknowledged only once it is on disk: a crash after the answer loses nothing.
        if let Some(file) = &self.file {
            let sessions: Vec<StartedSession> = state.by_token.values().cloned().collect();
            let file = Arc::clone(file);
            let written = tokio::task::spawn_blocking(move || file.write(&sessions)).await;
            if let Err(error) = written.map_err(|e| e.to_string()).and_then(|r| r) {
                state.by_token.remove(&input.client_token);
                *state.per_application.entry(app_id.clone()).or_default() -= 1;
                tracing::error!(%error, "the state file could not be written");
                return Err(error!(
                    InternalServerException,
                    "The session could not be stored; try again."
                ));
            }
        }
        tracing::info!(application = %app_id, session = %session_id, "session started");
        Ok(output)
    }
}
