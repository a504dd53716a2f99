//! The state file (`--state FILE`): the EMR Serverless sessions started so far, with the
//! `clientToken` each was started with, so a restarted emulator (even after `kill -9`)
//! still knows every session it acknowledged and still answers their tokens idempotently.
//!
//! ```json
//! {"version": 1, "emrServerless": {"sessions": [{"input": <StartSessionInput>, "output": <StartSessionOutput>}]}}
//! ```
//!
//! (inputs and outputs in the restJson1 wire form). The file is replaced whole on every new
//! session, before the session is acknowledged: written to a temporary file beside it,
//! flushed to disk, renamed over it, and the directory flushed, so it is always either the
//! old file or the new one, never a torn one. One emulator per file.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::emr_service::StartedSession;

const VERSION: u64 = 1;

/// Where the state lives.
#[derive(Debug)]
pub struct StateFile {
    path: PathBuf,
}

impl StateFile {
    /// The state at `path` (which need not exist yet).
    pub fn new(path: impl Into<PathBuf>) -> StateFile {
        StateFile { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The sessions the file holds; none when it does not exist. A file that cannot be
    /// read is an error, never an empty state.
    pub fn load(&self) -> Result<Vec<StartedSession>, String> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => {
                return Err(format!(
                    "cannot read state file {}: {e}",
                    self.path.display()
                ));
            }
        };
        parse(&text).map_err(|e| format!("state file {}: {e}", self.path.display()))
    }

    /// Replaces the file with `sessions`, atomically and durably.
    pub fn write(&self, sessions: &[StartedSession]) -> Result<(), String> {
        let text = render(sessions)?;
        let at = |what: &str, e: std::io::Error| {
            format!("cannot {what} state file {}: {e}", self.path.display())
        };
        let mut temporary = self.path.clone().into_os_string();
        temporary.push(".tmp");
        let temporary = PathBuf::from(temporary);
        let mut file =
            std::fs::File::create(&temporary).map_err(|e| at("create the temporary", e))?;
        file.write_all(text.as_bytes())
            .map_err(|e| at("write the temporary", e))?;
        file.sync_all().map_err(|e| at("flush the temporary", e))?;
        drop(file);
        std::fs::rename(&temporary, &self.path).map_err(|e| at("replace the", e))?;
        // The rename itself is durable once the directory is flushed.
        let directory = match self.path.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if let Ok(dir) = std::fs::File::open(&directory) {
            let _ = dir.sync_all();
        }
        Ok(())
    }
}

fn render(sessions: &[StartedSession]) -> Result<String, String> {
    let mut sorted: Vec<&StartedSession> = sessions.iter().collect();
    sorted.sort_by(|a, b| a.input.client_token.cmp(&b.input.client_token));
    let mut list = Vec::with_capacity(sorted.len());
    for session in sorted {
        list.push(json!({
            "input": smithy_runtime::wire::to_value(&session.input).map_err(|e| e.to_string())?,
            "output": smithy_runtime::wire::to_value(&session.output).map_err(|e| e.to_string())?,
        }));
    }
    let root = json!({"version": VERSION, "emrServerless": {"sessions": list}});
    serde_json::to_string_pretty(&root).map_err(|e| e.to_string())
}

fn parse(text: &str) -> Result<Vec<StartedSession>, String> {
    let root: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
    if root["version"].as_u64() != Some(VERSION) {
        return Err(format!("version must be {VERSION}"));
    }
    let Some(list) = root["emrServerless"]["sessions"].as_array() else {
        return Err("emrServerless.sessions (a list) is missing".into());
    };
    list.iter()
        .enumerate()
        .map(|(i, entry)| {
            let at = |e: String| format!("emrServerless.sessions[{i}]: {e}");
            Ok(StartedSession {
                input: smithy_runtime::wire::from_value(&entry["input"])
                    .map_err(|e| at(e.to_string()))?,
                output: smithy_runtime::wire::from_value(&entry["output"])
                    .map_err(|e| at(e.to_string()))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use emr_serverless::operation::start_session::{StartSessionInput, StartSessionOutput};

    #[test]
    fn sessions_round_trip_and_bad_files_are_errors() {
        let path = std::env::temp_dir().join(format!("emulator-state-{}.json", std::process::id()));
        let file = StateFile::new(&path);
        assert_eq!(file.load().unwrap(), Vec::new());
        let session = StartedSession {
            input: StartSessionInput::builder()
                .application_id("00fabcdefghij012")
                .client_token("t1")
                .execution_role_arn("arn:aws:iam::123456789012:role/R")
                .build()
                .unwrap(),
            output: StartSessionOutput::builder()
                .application_id("00fabcdefghij012")
                .session_id("abc")
                .arn("arn:aws:emr-serverless:us-east-1:123456789012:/applications/a/sessions/abc")
                .build()
                .unwrap(),
        };
        file.write(std::slice::from_ref(&session)).unwrap();
        assert_eq!(file.load().unwrap(), vec![session]);
        std::fs::write(&path, "{\"version\": 1, \"emrServerless\": {\"sess").unwrap();
        assert!(file.load().unwrap_err().contains("not JSON"));
        std::fs::remove_file(&path).unwrap();
    }
}
