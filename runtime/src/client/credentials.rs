//! Credentials: static keys, the standard environment variables, a profile of the shared
//! credentials file, and a trait for any other source.

use std::fmt;
use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;
use std::sync::Arc;
use std::time::SystemTime;

/// AWS access keys. `Debug` never prints the secret or the session token. Cheap to
/// clone (the keys are shared), as a provider hands out a copy for every request.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    inner: Arc<Keys>,
}

#[derive(PartialEq, Eq)]
struct Keys {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
    expiry: Option<SystemTime>,
}

impl Credentials {
    /// Keys that never expire (or expire at `expiry`).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
        session_token: Option<String>,
        expiry: Option<SystemTime>,
    ) -> Credentials {
        Credentials {
            inner: Arc::new(Keys {
                access_key_id: access_key_id.into(),
                secret_access_key: secret_access_key.into(),
                session_token,
                expiry,
            }),
        }
    }

    /// The access key id.
    pub fn access_key_id(&self) -> &str {
        &self.inner.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.inner.secret_access_key
    }

    /// The session token of temporary credentials.
    pub fn session_token(&self) -> Option<&str> {
        self.inner.session_token.as_deref()
    }

    /// When temporary credentials stop working.
    pub fn expiry(&self) -> Option<SystemTime> {
        self.inner.expiry
    }
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.inner.access_key_id)
            .field("secret_access_key", &crate::REDACTED)
            .field(
                "session_token",
                &self.inner.session_token.as_ref().map(|_| crate::REDACTED),
            )
            .field("expiry", &self.inner.expiry)
            .finish()
    }
}

/// Why credentials could not be had.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CredentialsError {
    message: String,
}

impl CredentialsError {
    /// An error saying `message`.
    pub fn new(message: impl Into<String>) -> CredentialsError {
        CredentialsError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CredentialsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credentials: {}", self.message)
    }
}

impl std::error::Error for CredentialsError {}

/// The future a credentials provider returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials. Implement it to plug in any provider (SSO, a vault...).
pub trait ProvideCredentials: fmt::Debug + Send + Sync {
    /// Credentials for the next request.
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let credentials = self.clone();
        Box::pin(async move { Ok(credentials) })
    }
}

/// A provider shared between clients.
pub type SharedCredentialsProvider = Arc<dyn ProvideCredentials>;

/// `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` and, when set, `AWS_SESSION_TOKEN`.
#[derive(Clone, Debug, Default)]
pub struct EnvironmentVariableCredentialsProvider;

impl EnvironmentVariableCredentialsProvider {
    /// Reads the variables now.
    pub fn load() -> Result<Credentials, CredentialsError> {
        let get = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        let id = get("AWS_ACCESS_KEY_ID")
            .ok_or_else(|| CredentialsError::new("AWS_ACCESS_KEY_ID is not set"))?;
        let secret = get("AWS_SECRET_ACCESS_KEY")
            .or_else(|| get("AWS_SECRET_KEY"))
            .ok_or_else(|| CredentialsError::new("AWS_SECRET_ACCESS_KEY is not set"))?;
        Ok(Credentials::new(id, secret, get("AWS_SESSION_TOKEN"), None))
    }
}

impl ProvideCredentials for EnvironmentVariableCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async { Self::load() })
    }
}

/// A profile of the shared credentials file (`~/.aws/credentials`, or
/// `AWS_SHARED_CREDENTIALS_FILE`); the profile is `AWS_PROFILE`, else `default`.
#[derive(Clone, Debug, Default)]
pub struct ProfileFileCredentialsProvider {
    file: Option<PathBuf>,
    profile: Option<String>,
}

impl ProfileFileCredentialsProvider {
    /// The file and profile the environment names.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads this file instead.
    pub fn file(mut self, path: impl Into<PathBuf>) -> Self {
        self.file = Some(path.into());
        self
    }

    /// Uses this profile instead.
    pub fn profile_name(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    fn path(&self) -> Option<PathBuf> {
        self.file
            .clone()
            .or_else(|| std::env::var_os("AWS_SHARED_CREDENTIALS_FILE").map(PathBuf::from))
            .or_else(|| {
                std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".aws/credentials"))
            })
    }

    /// Reads the profile now.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let path = self
            .path()
            .ok_or_else(|| CredentialsError::new("no credentials file (HOME is not set)"))?;
        let text = std::fs::read_to_string(&path)
            .map_err(|e| CredentialsError::new(format!("cannot read {}: {e}", path.display())))?;
        let profile = self
            .profile
            .clone()
            .or_else(|| std::env::var("AWS_PROFILE").ok())
            .unwrap_or_else(|| "default".to_string());
        parse_profile(&text, &profile).ok_or_else(|| {
            CredentialsError::new(format!(
                "profile `{profile}` in {} has no aws_access_key_id and aws_secret_access_key",
                path.display()
            ))
        })
    }
}

impl ProvideCredentials for ProfileFileCredentialsProvider {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move { self.load() })
    }
}

/// The keys of `[profile]` in an INI credentials file.
pub fn parse_profile(text: &str, profile: &str) -> Option<Credentials> {
    let mut in_profile = false;
    let (mut id, mut secret, mut token) = (None, None, None);
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            let section = section.trim();
            let name = section
                .strip_prefix("profile ")
                .map(str::trim)
                .unwrap_or(section);
            in_profile = name == profile;
            continue;
        }
        if !in_profile {
            continue;
        }
        if let Some((key, value)) = line.split_once('=') {
            let value = value.trim().to_string();
            match key.trim().to_ascii_lowercase().as_str() {
                "aws_access_key_id" => id = Some(value),
                "aws_secret_access_key" => secret = Some(value),
                "aws_session_token" => token = Some(value),
                _ => {}
            }
        }
    }
    Some(Credentials::new(id?, secret?, token, None))
}

/// The environment variables, then the shared credentials file.
#[derive(Clone, Debug, Default)]
pub struct DefaultCredentialsChain;

impl ProvideCredentials for DefaultCredentialsChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async {
            EnvironmentVariableCredentialsProvider::load().or_else(|env_error| {
                ProfileFileCredentialsProvider::new()
                    .load()
                    .map_err(|profile_error| {
                        CredentialsError::new(format!("{env_error}; {profile_error}"))
                    })
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_profiles() {
        let text = "[default]\naws_access_key_id = A\naws_secret_access_key = B\n\n[profile dev]\naws_access_key_id=C\naws_secret_access_key=D\naws_session_token=E\n";
        let default = parse_profile(text, "default").unwrap();
        assert_eq!(
            (
                default.access_key_id(),
                default.secret_access_key(),
                default.session_token()
            ),
            ("A", "B", None)
        );
        let dev = parse_profile(text, "dev").unwrap();
        assert_eq!(dev.session_token(), Some("E"));
        assert!(parse_profile(text, "missing").is_none());
    }

    #[test]
    fn profile_provider_reads_the_named_file_and_profile() {
        let path = std::env::temp_dir().join(format!("smithy-credentials-{}", std::process::id()));
        std::fs::write(&path, "[default]\naws_access_key_id=A\naws_secret_access_key=B\n[ci]\naws_access_key_id=C\naws_secret_access_key=D\n").unwrap();
        let ci = ProfileFileCredentialsProvider::new()
            .file(&path)
            .profile_name("ci")
            .load()
            .unwrap();
        assert_eq!(ci.access_key_id(), "C");
        let missing = ProfileFileCredentialsProvider::new()
            .file(&path)
            .profile_name("nope")
            .load();
        assert!(missing.unwrap_err().to_string().contains("profile `nope`"));
        std::fs::remove_file(&path).unwrap();
        let absent = ProfileFileCredentialsProvider::new().file(path).load();
        assert!(absent.is_err());
    }

    #[test]
    fn debug_hides_the_secret() {
        let c = Credentials::new("AKID", "SECRET", Some("TOKEN".into()), None);
        let text = format!("{c:?}");
        assert!(text.contains("AKID") && !text.contains("SECRET") && !text.contains("TOKEN"));
    }
}
