//! Reads Smithy models and writes Rust crates for the AWS JSON protocols.
//!
//! The pipeline: [`load`] Smithy IDL ([`idl`]) and JSON AST files (with the prelude built
//! in) into a [`Model`], [`validate`] it, [`plan`] the Rust names and types of one service, [`emit`] its files
//! with `quote` and format them with `prettyplease`.

// A `Diagnostic` (file, shape ID, message and a boxed source location) is 128 bytes; it is
// returned only when a model is wrong, so boxing it everywhere would buy nothing.
#![allow(clippy::result_large_err)]

mod builder;
mod diagnostics;
pub mod emit;
pub mod endpoints;
mod format;
pub mod idl;
pub mod load;
pub mod model;
pub mod module_form;
pub mod naming;
pub mod paginate;
pub mod pattern;
pub mod plan;
mod prelude;
pub mod protocol_tests;
mod shape_id;
pub mod traits;
pub mod validate;
pub mod waiters;

use std::path::PathBuf;

pub use builder::{Builder, Error, Generated};
pub use diagnostics::{Diagnostic, Diagnostics, Location};
pub use model::Model;
pub use shape_id::ShapeId;

/// Choices about the generated crates that do not come from the model.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Path from a generated crate's directory to the `runtime/` crate (a path
    /// dependency), unless `runtime_version` is set.
    pub runtime_path: String,
    /// When set, generated crates depend on `smithy-runtime` by this version requirement
    /// (a published runtime) instead of by path.
    pub runtime_version: Option<String>,
    /// The generated crates' version.
    pub crate_version: String,
    /// Crate names by service shape ID (`example.jobs#Jobs`), over the names made from
    /// the services' SDK ids.
    pub crate_names: std::collections::BTreeMap<String, String>,
    /// The services to generate, by shape ID; every service of the model when empty.
    pub services: Vec<String>,
    /// The generated crates' default features.
    pub default_features: Vec<String>,
    /// The crates' `authors`.
    pub authors: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            runtime_path: "../../runtime".to_string(),
            runtime_version: None,
            crate_version: "0.1.0".to_string(),
            crate_names: Default::default(),
            services: Vec::new(),
            default_features: vec!["client".to_string(), "rustls".to_string()],
            authors: Vec::new(),
        }
    }
}

impl Settings {
    /// Whether `settings.services` selects `service`.
    fn selects(&self, service: &ShapeId) -> bool {
        self.services.is_empty() || self.services.iter().any(|s| *s == service.to_string())
    }
}

/// One output file, its path relative to the output root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedFile {
    pub path: PathBuf,
    pub contents: String,
}

/// Generates one crate per service in the model, each in a directory named after the crate.
/// Nothing is returned unless every service generates cleanly.
pub fn generate(model: &Model, settings: &Settings) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let (plans, mut diagnostics) = selected_plans(model, settings);
    let mut files = Vec::new();
    for plan in &plans {
        match emit::emit_crate(plan, settings) {
            Ok(crate_files) => files.extend(crate_files.into_iter().map(|file| GeneratedFile {
                path: PathBuf::from(&plan.crate_name).join(file.path),
                contents: file.contents,
            })),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    diagnostics.into_result(files)
}

/// One service's crate as a single module, for `include!` (see [`module_form`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedModule {
    /// The module's name (the crate name, with `_` for `-`); the file is `<name>.rs`.
    pub name: String,
    pub contents: String,
    /// The features of `smithy-runtime` the including crate must turn on.
    pub runtime_features: Vec<&'static str>,
}

/// Generates one module per service in the model, with `features` of the crate form
/// decided. Nothing is returned unless every service generates cleanly.
pub fn generate_modules(
    model: &Model,
    settings: &Settings,
    features: &module_form::Features,
) -> Result<Vec<GeneratedModule>, Diagnostics> {
    let (plans, mut diagnostics) = selected_plans(model, settings);
    let mut modules = Vec::new();
    for plan in &plans {
        let name = plan.crate_name.replace('-', "_");
        let mut runtime_features = emit::model_runtime_features(plan);
        let signs = plan.service_shape.traits.sigv4_name().is_some();
        for (feature, runtime) in [
            ("client", "client"),
            ("client", if signs { "sigv4" } else { "" }),
            ("server", "server"),
            ("server", if signs { "sigv4" } else { "" }),
            ("stub", "stub"),
            ("aws-config", "aws-config"),
        ] {
            if features.has(feature) && !runtime.is_empty() && !runtime_features.contains(&runtime)
            {
                runtime_features.push(runtime);
            }
        }
        let module = emit::emit_crate(plan, settings).and_then(|files| {
            module_form::single_module(&files, &name, features, &runtime_features).map_err(|e| {
                Diagnostic::new(format!("{e}; this is a bug in the generator"))
                    .at_shape(&plan.service_id)
            })
        });
        match module {
            Ok(contents) => modules.push(GeneratedModule {
                name,
                contents,
                runtime_features,
            }),
            Err(diagnostic) => diagnostics.push(diagnostic),
        }
    }
    diagnostics.into_result(modules)
}

/// The plans of the services `settings` selects, each with its crate name decided, and
/// what is wrong with the others or with the selection.
fn selected_plans<'m>(
    model: &'m Model,
    settings: &Settings,
) -> (Vec<plan::ServicePlan<'m>>, Diagnostics) {
    let mut plans = Vec::new();
    let mut diagnostics = Diagnostics::default();
    let mut crate_names = std::collections::BTreeMap::new();
    for wanted in &settings.services {
        if !model.services().any(|(id, _, _)| id.to_string() == *wanted) {
            diagnostics.push(Diagnostic::new(format!(
                "the model has no service `{wanted}` (services: {})",
                model
                    .services()
                    .map(|(id, _, _)| id.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    for (service_id, _, _) in model.services() {
        if !settings.selects(service_id) {
            continue;
        }
        let mut plan = match plan::ServicePlan::new(model, service_id) {
            Ok(plan) => plan,
            Err(errors) => {
                diagnostics.0.extend(errors.0);
                continue;
            }
        };
        if let Some(name) = settings.crate_names.get(&service_id.to_string()) {
            plan.crate_name = name.clone();
        }
        if let Some(other) = crate_names.insert(plan.crate_name.clone(), service_id.clone()) {
            diagnostics.push(
                Diagnostic::new(format!(
                    "services `{other}` and `{service_id}` both map to the crate `{}`",
                    plan.crate_name
                ))
                .at_shape(service_id),
            );
            continue;
        }
        plans.push(plan);
    }
    (plans, diagnostics)
}

/// What the model asks for that the generated code does not do: each such operation is
/// generated so that it refuses to work, and named here, by shape (the caller prints
/// these).
pub fn warnings(model: &Model) -> Vec<String> {
    let mut warnings = Vec::new();
    for (service_id, _, _) in model.services() {
        let Ok(plan) = plan::ServicePlan::new(model, service_id) else {
            continue;
        };
        for op in &plan.operations {
            if let Some(reason) = op.unsupported() {
                warnings.push(format!(
                    "{}: {reason}; its client call fails and its server answers 501",
                    op.id
                ));
            }
        }
    }
    warnings
}

/// The name of the crate [`generate_stub_server`] writes.
pub const STUB_SERVER_CRATE: &str = "stub-server";

/// A crate, in the directory [`STUB_SERVER_CRATE`] beside the services' crates, that
/// serves the stub of every service in the model on one port.
pub fn generate_stub_server(
    model: &Model,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Diagnostics> {
    let mut plans = Vec::new();
    let mut diagnostics = Diagnostics::default();
    for (service_id, _, _) in model.services() {
        match plan::ServicePlan::new(model, service_id) {
            Ok(plan) => plans.push(plan),
            Err(errors) => diagnostics.0.extend(errors.0),
        }
    }
    let files = match emit::stub_server::emit(&plans, settings, STUB_SERVER_CRATE) {
        Ok(files) => files,
        Err(e) => {
            diagnostics.push(Diagnostic::new(format!(
                "the stub server does not parse ({e}); this is a bug in the generator"
            )));
            Vec::new()
        }
    };
    let files = files
        .into_iter()
        .map(|file| GeneratedFile {
            path: PathBuf::from(STUB_SERVER_CRATE).join(file.path),
            contents: file.contents,
        })
        .collect();
    diagnostics.into_result(files)
}

/// Locating `../shared` for unit tests: the integration tests' own helper.
#[cfg(test)]
#[path = "../tests/shared.rs"]
pub(crate) mod test_shared;
