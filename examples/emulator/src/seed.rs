//! The seed file: what the emulator knows when it starts.
//!
//! ```json
//! {
//!   "athena": { "sessions": [ <GetSessionOutput in the awsJson wire form>, ... ] },
//!   "emrServerless": { "applications": [ { "applicationId": "00fabcdefghij012", "maxSessions": 2 } ] },
//!   "credentials": [ { "accessKeyId": "AKIDEXAMPLE", "secretAccessKey": "...", "sessionToken": null } ]
//! }
//! ```
//!
//! `credentials` (optional) are the keys `--verify-sigv4` accepts.
//!
//! ```text
//! ```
//!
//! Athena sessions are read with the generated `GetSessionOutput` (serde), so they are
//! written exactly as Athena sends them: PascalCase members, timestamps in epoch seconds.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use athena::operation::get_session::GetSessionOutput;
use serde_json::Value;

/// The seed file shipped with the emulator, compiled in (the same file as
/// [`Seed::default_path`]).
const BUILTIN: &str = include_str!("../seed.json");

/// An EMR Serverless application sessions can be started on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Application {
    /// Its id (`^[0-9a-z]+$`).
    pub application_id: String,
    /// A display name; informational.
    pub name: Option<String>,
    /// How many sessions it may hold; `None` takes the emulator's
    /// `--max-sessions-per-application`.
    pub max_sessions: Option<usize>,
}

/// What the emulator serves from the start.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Seed {
    /// Athena sessions `GetSession` returns, by session id.
    pub athena_sessions: HashMap<String, GetSessionOutput>,
    /// EMR Serverless applications, in file order.
    pub applications: Vec<Application>,
    /// The keys `--verify-sigv4` accepts (`"credentials"`), by access key id.
    pub credentials: Vec<Credential>,
}

/// An access key the emulator accepts signatures of, when it verifies them. `Debug`
/// prints the key id only.
#[derive(Clone, PartialEq, Eq)]
pub struct Credential {
    pub access_key_id: String,
    pub secret_access_key: String,
    pub session_token: Option<String>,
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credential")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Reads an AWS shared credentials file (`~/.aws/credentials`): every profile's
/// `aws_access_key_id`, `aws_secret_access_key` and `aws_session_token`.
pub fn read_credentials_file(path: &Path) -> Result<Vec<Credential>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read credentials file {}: {e}", path.display()))?;
    let at = |line: usize| format!("{}:{}", path.display(), line + 1);
    // Each profile's settings; the profile names do not matter here.
    let mut profiles: Vec<HashMap<String, String>> = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            profiles.push(HashMap::new());
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err(format!("{}: expected `key = value` or `[profile]`", at(n)));
        };
        let Some(settings) = profiles.last_mut() else {
            return Err(format!("{}: a setting before any `[profile]`", at(n)));
        };
        settings.insert(key.trim().to_string(), value.trim().to_string());
    }
    let mut credentials = Vec::new();
    for settings in profiles {
        let (Some(id), Some(secret)) = (
            settings.get("aws_access_key_id"),
            settings.get("aws_secret_access_key"),
        ) else {
            continue;
        };
        credentials.push(Credential {
            access_key_id: id.clone(),
            secret_access_key: secret.clone(),
            session_token: settings.get("aws_session_token").cloned(),
        });
    }
    if credentials.is_empty() {
        return Err(format!(
            "{}: no profile has aws_access_key_id and aws_secret_access_key",
            path.display()
        ));
    }
    Ok(credentials)
}

impl Seed {
    /// `examples/emulator/seed.json` in the source tree.
    pub fn default_path() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("seed.json")
    }

    /// The default seed (`examples/emulator/seed.json`, compiled in).
    pub fn builtin() -> Seed {
        Seed::from_json(BUILTIN).expect("the built-in seed.json is valid")
    }

    /// Reads a seed file.
    pub fn load(path: &Path) -> Result<Seed, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read seed file {}: {e}", path.display()))?;
        Seed::from_json(&text).map_err(|e| format!("seed file {}: {e}", path.display()))
    }

    /// Parses the text of a seed file.
    pub fn from_json(text: &str) -> Result<Seed, String> {
        let root: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let Value::Object(root) = root else {
            return Err("the seed must be a JSON object".into());
        };
        let mut seed = Seed::default();
        if let Some(athena) = root.get("athena") {
            for (i, session) in array(athena, "sessions", "athena")?.iter().enumerate() {
                let output: GetSessionOutput = smithy_runtime::wire::from_value(session)
                    .map_err(|e| format!("athena.sessions[{i}]: {e}"))?;
                let Some(id) = output.session_id.clone() else {
                    return Err(format!("athena.sessions[{i}]: SessionId is missing"));
                };
                if seed.athena_sessions.insert(id.clone(), output).is_some() {
                    return Err(format!("athena.sessions[{i}]: SessionId {id} is repeated"));
                }
            }
        }
        if let Some(emr) = root.get("emrServerless") {
            for (i, app) in array(emr, "applications", "emrServerless")?
                .iter()
                .enumerate()
            {
                let at = format!("emrServerless.applications[{i}]");
                let application_id = app
                    .get("applicationId")
                    .and_then(Value::as_str)
                    .ok_or_else(|| format!("{at}: applicationId (a string) is missing"))?;
                let valid = !application_id.is_empty()
                    && application_id.len() <= 64
                    && application_id
                        .bytes()
                        .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase());
                if !valid {
                    return Err(format!(
                        "{at}: applicationId {application_id:?} must be 1 to 64 of [0-9a-z]"
                    ));
                }
                let name = match app.get("name") {
                    None | Some(Value::Null) => None,
                    Some(Value::String(name)) => Some(name.clone()),
                    Some(_) => return Err(format!("{at}: name must be a string")),
                };
                let max_sessions = match app.get("maxSessions") {
                    None | Some(Value::Null) => None,
                    Some(n) => Some(
                        n.as_u64()
                            .and_then(|n| usize::try_from(n).ok())
                            .ok_or_else(|| format!("{at}: maxSessions must be a count"))?,
                    ),
                };
                if seed
                    .applications
                    .iter()
                    .any(|a| a.application_id == application_id)
                {
                    return Err(format!("{at}: applicationId {application_id} is repeated"));
                }
                seed.applications.push(Application {
                    application_id: application_id.to_string(),
                    name,
                    max_sessions,
                });
            }
        }
        if let Some(list) = root.get("credentials") {
            let Value::Array(list) = list else {
                return Err("credentials must be a list".into());
            };
            for (i, entry) in list.iter().enumerate() {
                let text = |key: &str| entry.get(key).and_then(Value::as_str).map(str::to_string);
                let (Some(access_key_id), Some(secret_access_key)) =
                    (text("accessKeyId"), text("secretAccessKey"))
                else {
                    return Err(format!(
                        "credentials[{i}]: accessKeyId and secretAccessKey (strings) are required"
                    ));
                };
                seed.credentials.push(Credential {
                    access_key_id,
                    secret_access_key,
                    session_token: text("sessionToken"),
                });
            }
        }
        Ok(seed)
    }
}

fn array<'a>(parent: &'a Value, key: &str, at: &str) -> Result<&'a Vec<Value>, String> {
    match parent.get(key) {
        Some(Value::Array(items)) => Ok(items),
        None => Err(format!("{at}.{key} is missing")),
        Some(_) => Err(format!("{at}.{key} must be a list")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_seed_parses_and_round_trips() {
        let seed = Seed::builtin();
        assert_eq!(seed.athena_sessions.len(), 2);
        assert_eq!(seed.applications.len(), 2);
        // Every session serializes back to exactly what the file says.
        let file: Value = serde_json::from_str(BUILTIN).unwrap();
        for session in file["athena"]["sessions"].as_array().unwrap() {
            let id = session["SessionId"].as_str().unwrap();
            let back = smithy_runtime::wire::to_value(&seed.athena_sessions[id]).unwrap();
            assert_eq!(&back, session, "{id}");
        }
    }

    #[test]
    fn bad_seeds_are_explained() {
        let err =
            Seed::from_json(r#"{"emrServerless": {"applications": [{"applicationId": "A-1"}]}}"#)
                .unwrap_err();
        assert!(err.contains("must be 1 to 64 of [0-9a-z]"), "{err}");
        let err =
            Seed::from_json(r#"{"athena": {"sessions": [{"Description": "x"}]}}"#).unwrap_err();
        assert!(err.contains("SessionId is missing"), "{err}");
        let err = Seed::from_json(r#"{"athena": {"sessions": [{"SessionId": 5}]}}"#).unwrap_err();
        assert!(err.starts_with("athena.sessions[0]"), "{err}");
    }

    #[test]
    fn credentials_come_from_the_seed_or_a_shared_credentials_file() {
        let seed = Seed::builtin();
        assert_eq!(seed.credentials.len(), 1);
        assert_eq!(seed.credentials[0].access_key_id, "AKIDEXAMPLE");
        assert!(!format!("{:?}", seed.credentials[0]).contains("EXAMPLEKEY"));

        let path = std::env::temp_dir().join(format!("emulator-creds-{}", std::process::id()));
        std::fs::write(
            &path,
            "# keys\n[default]\naws_access_key_id = AKID1\naws_secret_access_key = s1\n\n\
             [temp]\naws_access_key_id=ASIA2\naws_secret_access_key=s2\naws_session_token=t2\n\
             [region-only]\nregion = eu-west-1\n",
        )
        .unwrap();
        let read = read_credentials_file(&path).unwrap();
        assert_eq!(read.len(), 2);
        assert_eq!(read[1].session_token.as_deref(), Some("t2"));
        std::fs::write(&path, "aws_access_key_id = AKID1\n").unwrap();
        let err = read_credentials_file(&path).unwrap_err();
        assert!(
            err.contains(":1: a setting before any `[profile]`"),
            "{err}"
        );
        std::fs::remove_file(&path).unwrap();

        let err =
            crate::Config::from_args(["--credentials".to_string(), "x".to_string()]).unwrap_err();
        assert!(err.contains("--verify-sigv4"), "{err}");
        let err = Seed::from_json(r#"{"credentials": [{"accessKeyId": "A"}]}"#).unwrap_err();
        assert!(err.contains("secretAccessKey"), "{err}");
    }
}
