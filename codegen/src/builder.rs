//! Generating from `build.rs` into `OUT_DIR` ([`Builder`]).

use std::fmt;
use std::path::{Path, PathBuf};

use crate::module_form::Features;
use crate::{GeneratedModule, Settings};

/// Generates from `build.rs`, in the style of `prost-build`: each service of the model
/// becomes one module in `OUT_DIR`, included with `include!`.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     smithy_codegen::Builder::new()
///         .model("model")
///         .client(true)
///         .server(true)
///         .compile(std::env::var("OUT_DIR")?)?;
///     Ok(())
/// }
/// ```
///
/// ```ignore
/// // src/lib.rs: declares `pub mod todos` (the service's crate name, `_` for `-`).
/// include!(concat!(env!("OUT_DIR"), "/todos.rs"));
/// ```
///
/// The including crate depends on `smithy-runtime` with the features the module needs
/// (`client`, `server`...; [`Generated::runtime_features`]); a missing one fails the
/// build with a message naming it.
#[derive(Clone, Debug)]
pub struct Builder {
    models: Vec<PathBuf>,
    settings: Settings,
    client: bool,
    server: bool,
    stub: bool,
    serde: bool,
    aws_config: bool,
    rerun_if_changed: bool,
}

impl Default for Builder {
    fn default() -> Self {
        Builder::new()
    }
}

impl Builder {
    /// A builder with no model yet, generating the client only.
    pub fn new() -> Builder {
        Builder {
            models: Vec::new(),
            settings: Settings::default(),
            client: true,
            server: false,
            stub: false,
            serde: false,
            aws_config: false,
            rerun_if_changed: true,
        }
    }

    /// Adds a model file (`.smithy` or `.json`) or a directory of them (searched
    /// recursively).
    pub fn model(mut self, path: impl AsRef<Path>) -> Builder {
        self.models.push(path.as_ref().to_path_buf());
        self
    }

    /// Generates this service (a shape ID, `example.notes#Notes`) only; may be given more
    /// than once. Every service of the model by default.
    pub fn service(mut self, shape_id: impl Into<String>) -> Builder {
        self.settings.services.push(shape_id.into());
        self
    }

    /// Names the module of `service` (a shape ID), over the name made from its SDK id
    /// or shape name.
    pub fn module_name(mut self, service: impl Into<String>, name: impl Into<String>) -> Builder {
        self.settings
            .crate_names
            .insert(service.into(), name.into().replace('_', "-"));
        self
    }

    /// The client (`Client`, `Config`, fluent builders, paginators, waiters). On by default.
    pub fn client(mut self, on: bool) -> Builder {
        self.client = on;
        self
    }

    /// The server trait and its axum router.
    pub fn server(mut self, on: bool) -> Builder {
        self.server = on;
        self
    }

    /// A server answering every operation from the model (`server::<Service>Stub`);
    /// implies the server.
    pub fn stub(mut self, on: bool) -> Builder {
        self.stub = on;
        self
    }

    /// serde's `Serialize` and `Deserialize` on the public types.
    pub fn serde(mut self, on: bool) -> Builder {
        self.serde = on;
        self
    }

    /// `Client::new(&SdkConfig)`, for settings loaded by aws-config; implies the client.
    pub fn aws_config(mut self, on: bool) -> Builder {
        self.aws_config = on;
        self
    }

    /// Whether to print `cargo:rerun-if-changed` for every model file and directory given
    /// (on by default; turn it off outside a build script).
    pub fn emit_rerun_if_changed(mut self, on: bool) -> Builder {
        self.rerun_if_changed = on;
        self
    }

    /// Loads the model and writes `<module>.rs` for each service into `out_dir`
    /// (normally `OUT_DIR`). Nothing is written unless every service generates; a file
    /// whose contents are unchanged is not rewritten, so it does not trigger rebuilds.
    pub fn compile(self, out_dir: impl AsRef<Path>) -> Result<Generated, Error> {
        let out_dir = out_dir.as_ref();
        if self.models.is_empty() {
            return Err(Error("no model given: call `.model(path)`".into()));
        }
        if self.rerun_if_changed {
            for path in &self.models {
                println!("cargo:rerun-if-changed={}", path.display());
            }
        }
        let files = crate::load::expand_inputs(&self.models).map_err(|d| Error(d.to_string()))?;
        if self.rerun_if_changed {
            for file in files.iter().filter(|f| !self.models.contains(f)) {
                println!("cargo:rerun-if-changed={}", file.display());
            }
        }
        let model = crate::load::load_files(&files).map_err(|d| Error(d.to_string()))?;
        let features = self.features();
        let modules = crate::generate_modules(&model, &self.settings, &features)
            .map_err(|d| Error(d.to_string()))?;
        std::fs::create_dir_all(out_dir)
            .map_err(|e| Error(format!("cannot create {}: {e}", out_dir.display())))?;
        let mut paths = Vec::new();
        for module in &modules {
            let path = out_dir.join(format!("{}.rs", module.name));
            let unchanged = std::fs::read_to_string(&path).is_ok_and(|c| c == module.contents);
            if !unchanged {
                std::fs::write(&path, &module.contents)
                    .map_err(|e| Error(format!("cannot write {}: {e}", path.display())))?;
            }
            paths.push(path);
        }
        Ok(Generated { modules, paths })
    }

    fn features(&self) -> Features {
        let chosen = [
            ("client", self.client),
            ("server", self.server),
            ("stub", self.stub),
            ("serde", self.serde),
            ("aws-config", self.aws_config),
        ];
        Features::new(chosen.iter().filter(|(_, on)| *on).map(|(name, _)| *name))
    }
}

/// What [`Builder::compile`] wrote.
#[derive(Clone, Debug)]
pub struct Generated {
    modules: Vec<GeneratedModule>,
    paths: Vec<PathBuf>,
}

impl Generated {
    /// The files written (or already up to date), one per service.
    pub fn paths(&self) -> &[PathBuf] {
        &self.paths
    }

    /// The modules' names, as `include!` declares them.
    pub fn module_names(&self) -> impl Iterator<Item = &str> {
        self.modules.iter().map(|m| m.name.as_str())
    }

    /// The features of `smithy-runtime` the including crate needs, over all modules.
    pub fn runtime_features(&self) -> Vec<&'static str> {
        let mut all: Vec<&'static str> = self
            .modules
            .iter()
            .flat_map(|m| m.runtime_features.iter().copied())
            .collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// Why nothing was generated: the model's diagnostics (file, line, shape and reason), or
/// a file that could not be read or written.
pub struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The same text as `Display`: a build script returning this from `main` (or unwrapping
/// it) prints the diagnostics as they are, not as an escaped string.
impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("smithy-builder-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    const MODEL: &str = r#"$version: "2"
namespace example.greet

use aws.protocols#awsJson1_0

@awsJson1_0
@httpBearerAuth
service Greeter {
    version: "1"
    operations: [Greet]
}

operation Greet {
    input := { @required name: String }
    output := { message: String }
}
"#;

    #[test]
    fn writes_one_module_per_service_and_keeps_unchanged_files() {
        let dir = scratch("ok");
        std::fs::write(dir.join("greet.smithy"), MODEL).unwrap();
        let out = dir.join("out");
        let build = || {
            Builder::new()
                .model(&dir)
                .server(true)
                .emit_rerun_if_changed(false)
                .compile(&out)
                .unwrap()
        };
        let generated = build();
        assert_eq!(generated.module_names().collect::<Vec<_>>(), ["greeter"]);
        assert_eq!(generated.runtime_features(), ["client", "server"]);
        let path = out.join("greeter.rs");
        assert_eq!(generated.paths(), std::slice::from_ref(&path));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("pub mod greeter {"), "{text}");
        assert!(text.contains("pub mod server {"), "{text}");
        syn::parse_file(&text).unwrap();

        let written = std::fs::metadata(&path).unwrap().modified().unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        build();
        assert_eq!(
            std::fs::metadata(&path).unwrap().modified().unwrap(),
            written
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_bad_model_writes_nothing_and_names_the_place() {
        let dir = scratch("bad");
        std::fs::write(
            dir.join("greet.smithy"),
            MODEL.replace("@required name: String", "@required name: Strin"),
        )
        .unwrap();
        let out = dir.join("out");
        let error = Builder::new()
            .model(dir.join("greet.smithy"))
            .emit_rerun_if_changed(false)
            .compile(&out)
            .unwrap_err()
            .to_string();
        assert!(error.contains("greet.smithy"), "{error}");
        assert!(error.contains("Strin"), "{error}");
        assert!(!out.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
