//! `smithy-rust-gen build`: reads `smithy-build.json` as the Smithy build tool does and
//! runs this generator's plugin (`smithy-rust-gen`) for each projection, writing to
//! `<outputDirectory>/<projection>/smithy-rust-gen/` (`build/smithy/...` by default).
//!
//! Supported: `version`, `sources`, `imports`, `outputDirectory`, `projections` (with
//! `imports`, `transforms`, `plugins`, `abstract`), top-level `plugins` (applied to every
//! projection), and the transforms `includeServices`, `excludeShapesByTag`,
//! `includeShapesByTag`, `excludeTraits` (`filterSuppressions` is ignored, with a note).
//! Any other key is an error naming it.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use smithy_codegen::Settings;

use super::Failure;

/// The plugin name to use in `smithy-build.json`.
pub const PLUGIN: &str = "smithy-rust-gen";

const TOP_KEYS: &[&str] = &[
    "version",
    "sources",
    "imports",
    "outputDirectory",
    "projections",
    "plugins",
];
const PROJECTION_KEYS: &[&str] = &["imports", "transforms", "plugins", "abstract"];
const PLUGIN_KEYS: &[&str] = &[
    "service",
    "module",
    "moduleVersion",
    "moduleAuthors",
    "runtimeVersion",
    "runtimePath",
    "defaultFeatures",
];

fn config_error(message: String) -> Failure {
    Failure::Model(format!("smithy-build.json: {message}"))
}

fn unknown_keys(object: &Map<String, Value>, known: &[&str], at: &str) -> Result<(), Failure> {
    match object.keys().find(|k| !known.contains(&k.as_str())) {
        Some(key) => Err(config_error(format!(
            "`{at}{key}` is not supported (supported: {})",
            known.join(", ")
        ))),
        None => Ok(()),
    }
}

fn strings(value: Option<&Value>, what: &str) -> Result<Vec<String>, Failure> {
    match value {
        None => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| {
                v.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| config_error(format!("`{what}` is a list of strings")))
            })
            .collect(),
        Some(_) => Err(config_error(format!("`{what}` is a list of strings"))),
    }
}

/// `build [--config FILE] [--projection NAME]`.
pub fn build(args: &[String]) -> Result<(), Failure> {
    let mut config = PathBuf::from("smithy-build.json");
    let mut only: Option<String> = None;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "-h" | "--help" => return super::help(Some("build")),
            "-c" | "--config" => {
                config = PathBuf::from(
                    args.next()
                        .ok_or_else(|| Failure::Usage("--config needs a file".into()))?,
                )
            }
            "--projection" => {
                only = Some(
                    args.next()
                        .cloned()
                        .ok_or_else(|| Failure::Usage("--projection needs a name".into()))?,
                )
            }
            other => {
                return Err(Failure::Usage(format!(
                    "unknown argument `{other}` for build"
                )));
            }
        }
    }
    let text = std::fs::read_to_string(&config)
        .map_err(|e| Failure::Usage(format!("cannot read {}: {e}", config.display())))?;
    let json: Value =
        serde_json::from_str(&text).map_err(|e| config_error(format!("not JSON: {e}")))?;
    let Value::Object(top) = json else {
        return Err(config_error("the file is not a JSON object".into()));
    };
    unknown_keys(&top, TOP_KEYS, "")?;
    match top.get("version").and_then(Value::as_str) {
        Some("1.0" | "2.0") => {}
        other => {
            return Err(config_error(format!(
                "`version` must be \"1.0\" or \"2.0\", not {other:?}"
            )));
        }
    }
    // Paths are relative to the file.
    let base = config
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let sources: Vec<PathBuf> = strings(top.get("sources"), "sources")?
        .iter()
        .map(|s| base.join(s))
        .collect();
    let imports: Vec<PathBuf> = strings(top.get("imports"), "imports")?
        .iter()
        .map(|s| base.join(s))
        .collect();
    let output = base.join(
        top.get("outputDirectory")
            .and_then(Value::as_str)
            .unwrap_or("build/smithy"),
    );
    let top_plugins = top
        .get("plugins")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let mut projections = top
        .get("projections")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // The `source` projection is always there: the model as it is.
    projections
        .entry("source".to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    let mut built = 0;
    for (name, projection) in &projections {
        if only.as_ref().is_some_and(|o| o != name) {
            continue;
        }
        let Value::Object(projection) = projection else {
            return Err(config_error(format!(
                "the projection `{name}` is not an object"
            )));
        };
        unknown_keys(projection, PROJECTION_KEYS, &format!("projections.{name}."))?;
        if projection.get("abstract").and_then(Value::as_bool) == Some(true) {
            continue;
        }
        let mut plugins = top_plugins.clone();
        if let Some(Value::Object(own)) = projection.get("plugins") {
            plugins.extend(own.clone());
        }
        let Some(settings) = plugins.get(PLUGIN) else {
            continue;
        };
        if let Some(other) = plugins.keys().find(|p| p.as_str() != PLUGIN) {
            return Err(config_error(format!(
                "the plugin `{other}` (projection `{name}`) is not supported: this tool runs `{PLUGIN}`"
            )));
        }
        let mut files = sources.clone();
        files.extend(imports.iter().cloned());
        for import in strings(
            projection.get("imports"),
            &format!("projections.{name}.imports"),
        )? {
            files.push(base.join(import));
        }
        let files = super::model_files(&files)?;
        let mut document = smithy_codegen::load::export_paths(&files)
            .map_err(|d| Failure::Model(format!("{d}\nthe model has errors")))?;
        let transforms = match projection.get("transforms") {
            None => Vec::new(),
            Some(Value::Array(t)) => t.clone(),
            Some(_) => {
                return Err(config_error(format!(
                    "`projections.{name}.transforms` is a list"
                )));
            }
        };
        for transform in &transforms {
            apply_transform(&mut document, transform, name)?;
        }
        let text = serde_json::to_string(&document).unwrap_or_default();
        let model = smithy_codegen::load::load_sources(&[(
            PathBuf::from(format!("projection {name}")),
            text,
        )])
        .map_err(|d| Failure::Model(format!("{d}\nthe projection `{name}` has errors")))?;
        let settings = plugin_settings(settings, name)?;
        let files = smithy_codegen::generate(&model, &settings)
            .map_err(|d| Failure::Model(format!("{d}\nthe projection `{name}` has errors")))?;
        let out = output.join(name).join(PLUGIN);
        super::write_atomically(&out, &files).map_err(Failure::Output)?;
        println!("{name}: {} files into {}", files.len(), out.display());
        built += 1;
    }
    if built == 0 {
        println!("no projection runs the `{PLUGIN}` plugin; nothing written");
    }
    Ok(())
}

/// The plugin's settings (named as smithy-rs names the ones that mean the same).
fn plugin_settings(value: &Value, projection: &str) -> Result<Settings, Failure> {
    let Value::Object(object) = value else {
        return Err(config_error(format!(
            "the `{PLUGIN}` plugin's settings are an object"
        )));
    };
    unknown_keys(
        object,
        PLUGIN_KEYS,
        &format!("projections.{projection}.plugins.{PLUGIN}."),
    )?;
    let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
    let mut settings = Settings {
        runtime_version: Some(env!("CARGO_PKG_VERSION").to_string()),
        ..Settings::default()
    };
    if let Some(service) = text("service") {
        if let Some(module) = text("module") {
            settings.crate_names.insert(service.clone(), module);
        }
        settings.services.push(service);
    } else if text("module").is_some() {
        return Err(config_error(
            "`module` names the crate of `service`; set both".into(),
        ));
    }
    if let Some(version) = text("moduleVersion") {
        settings.crate_version = version;
    }
    settings.authors = strings(object.get("moduleAuthors"), "moduleAuthors")?;
    if let Some(path) = text("runtimePath") {
        settings.runtime_path = path;
        settings.runtime_version = None;
    }
    if let Some(version) = text("runtimeVersion") {
        settings.runtime_version = Some(version);
    }
    if object.contains_key("defaultFeatures") {
        settings.default_features = strings(object.get("defaultFeatures"), "defaultFeatures")?;
    }
    Ok(settings)
}

/// One transform, on the projection's JSON AST.
fn apply_transform(
    document: &mut Value,
    transform: &Value,
    projection: &str,
) -> Result<(), Failure> {
    let name = transform
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let args = transform
        .get("args")
        .cloned()
        .unwrap_or(Value::Object(Map::new()));
    let list = |key: &str| strings(args.get(key), &format!("{name}.args.{key}"));
    let Some(Value::Object(shapes)) = document.get_mut("shapes") else {
        return Ok(());
    };
    match name {
        "includeServices" => {
            let keep: BTreeSet<String> = list("services")?.into_iter().collect();
            let drop: BTreeSet<String> = shapes
                .iter()
                .filter(|(id, s)| s["type"] == "service" && !keep.contains(*id))
                .map(|(id, _)| id.clone())
                .collect();
            remove_shapes(shapes, drop);
        }
        "excludeShapesByTag" | "includeShapesByTag" => {
            let tags: BTreeSet<String> = list("tags")?.into_iter().collect();
            let exclude = name == "excludeShapesByTag";
            let drop: BTreeSet<String> = shapes
                .iter()
                .filter(|(_, s)| s["type"] != "apply")
                .filter(|(_, s)| {
                    let tagged = s["traits"]["smithy.api#tags"].as_array().is_some_and(|t| {
                        t.iter()
                            .any(|t| t.as_str().is_some_and(|t| tags.contains(t)))
                    });
                    tagged == exclude
                })
                .map(|(id, _)| id.clone())
                .collect();
            remove_shapes(shapes, drop);
        }
        "excludeTraits" => {
            let traits = list("traits")?;
            let matches = |id: &str| {
                traits.iter().any(|t| {
                    if t.ends_with('#') {
                        id.starts_with(t.as_str())
                    } else if t.contains('#') {
                        id == t
                    } else {
                        id == format!("smithy.api#{t}")
                    }
                })
            };
            for shape in shapes.values_mut() {
                strip_traits(shape, &matches);
                if let Some(Value::Object(members)) = shape.get_mut("members") {
                    for member in members.values_mut() {
                        strip_traits(member, &matches);
                    }
                }
            }
        }
        "filterSuppressions" => {
            eprintln!(
                "note: projection `{projection}`: `filterSuppressions` is ignored (this tool reports no validation events to suppress)"
            );
        }
        other => {
            return Err(config_error(format!(
                "the transform `{other}` (projection `{projection}`) is not supported (supported: includeServices, excludeShapesByTag, includeShapesByTag, excludeTraits, filterSuppressions)"
            )));
        }
    }
    Ok(())
}

fn strip_traits(shape: &mut Value, matches: &impl Fn(&str) -> bool) {
    if let Some(Value::Object(traits)) = shape.get_mut("traits") {
        traits.retain(|id, _| !matches(id));
    }
}

/// Removes `drop`, then everything that can no longer stand: members that target a
/// removed shape, lists and maps whose values are removed, and references from services,
/// resources and operations.
fn remove_shapes(shapes: &mut Map<String, Value>, mut drop: BTreeSet<String>) {
    loop {
        for id in &drop {
            shapes.remove(id);
        }
        let gone = |target: &Value| target.as_str().is_some_and(|t| drop.contains(t));
        let mut more = BTreeSet::new();
        for (id, shape) in shapes.iter_mut() {
            let Value::Object(body) = shape else { continue };
            for key in ["member", "key", "value"] {
                if body.get(key).is_some_and(|m| gone(&m["target"])) {
                    more.insert(id.clone());
                }
            }
            if let Some(Value::Object(members)) = body.get_mut("members") {
                members.retain(|_, m| !gone(&m["target"]));
            }
            for key in ["operations", "resources", "errors", "collectionOperations"] {
                if let Some(Value::Array(items)) = body.get_mut(key) {
                    items.retain(|item| !gone(&item["target"]));
                }
            }
            for key in [
                "create", "put", "read", "update", "delete", "list", "input", "output",
            ] {
                if body.get(key).is_some_and(|r| gone(&r["target"])) {
                    body.remove(key);
                }
            }
        }
        if more.is_empty() {
            return;
        }
        drop = more;
    }
}
