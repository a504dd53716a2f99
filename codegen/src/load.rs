//! Loading: Smithy IDL (`.smithy`, through [`crate::idl`]) and JSON AST files merged into
//! one model, with the prelude built in.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use crate::model::{Member, Model, Operation, Resource, Service, Shape, ShapeKind, SimpleType};
use crate::prelude::{BUNDLED_JSON, PRELUDE_JSON};
use crate::traits::{Trait, Traits};
use crate::{Diagnostic, Diagnostics, ShapeId, idl, validate};

/// A shape as written in a file, before resolution.
struct RawShape {
    body: Map<String, Value>,
    file: Option<PathBuf>,
}

/// Traits applied to a shape or member from outside its definition (`"type": "apply"`).
struct RawApply {
    target: ShapeId,
    traits: Map<String, Value>,
    file: Option<PathBuf>,
}

/// Whether `path` is read as Smithy IDL (`.smithy`) rather than JSON AST.
fn is_idl(path: &Path) -> bool {
    path.extension().is_some_and(|ext| ext == "smithy")
}

/// The model files in `dir` and its subdirectories (as the Smithy build tool searches its
/// sources): `.smithy` (IDL) and `.json` (JSON AST), in path order. Hidden entries (names
/// starting with `.`) are skipped.
pub fn model_files(dir: &Path) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut paths = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = std::fs::read_dir(&current).map_err(|e| {
            Diagnostic::new(format!("cannot read model directory: {e}")).in_file(&current)
        })?;
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            if path.is_dir() {
                pending.push(path);
            } else if path
                .extension()
                .is_some_and(|ext| ext == "json" || ext == "smithy")
            {
                paths.push(path);
            }
        }
    }
    paths.sort();
    if paths.is_empty() {
        return Err(
            Diagnostic::new("no Smithy model files (.smithy IDL or .json JSON AST) found")
                .in_file(dir)
                .into(),
        );
    }
    Ok(paths)
}

/// The model files `inputs` name: a file as it is, a directory searched ([`model_files`]).
/// A path that does not exist is an error naming it.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Diagnostics> {
    let mut files = Vec::new();
    for input in inputs {
        if input.is_dir() {
            files.extend(model_files(input)?);
        } else if input.is_file() {
            files.push(input.clone());
        } else {
            return Err(Diagnostic::new("no such file or directory")
                .in_file(input)
                .into());
        }
    }
    Ok(files)
}

/// Reads every `.smithy` and `.json` file in `dir` (and below), in path order, into one model.
pub fn load_dir(dir: &Path) -> Result<Model, Diagnostics> {
    load_paths(&model_files(dir)?)
}

/// Reads the given files into one model: `.smithy` files as IDL, others as JSON AST.
pub fn load_files(paths: &[PathBuf]) -> Result<Model, Diagnostics> {
    load_paths(paths)
}

/// Reads the given files, IDL (`.smithy`) and JSON AST (`.json`) mixed, into one model.
pub fn load_paths(paths: &[PathBuf]) -> Result<Model, Diagnostics> {
    load_sources(&read_sources(paths)?)
}

fn read_sources(paths: &[PathBuf]) -> Result<Vec<(PathBuf, String)>, Diagnostics> {
    let mut sources = Vec::with_capacity(paths.len());
    let mut diagnostics = Diagnostics::default();
    for path in paths {
        match std::fs::read_to_string(path) {
            Ok(text) => sources.push((path.clone(), text)),
            Err(e) => {
                diagnostics.push(Diagnostic::new(format!("cannot read file: {e}")).in_file(path))
            }
        }
    }
    diagnostics.into_result(sources)
}

/// Builds one model from documents given as (file name, text): IDL when the name ends in
/// `.smithy`, JSON AST otherwise.
pub fn load_sources(sources: &[(PathBuf, String)]) -> Result<Model, Diagnostics> {
    let (loader, idl_files) = assemble(sources)?;
    loader.finish().map_err(|errors| locate(errors, &idl_files))
}

/// Gives problems found after parsing (merging, validation) in a shape of an IDL file the
/// line, column and source line of that shape's (or member's) definition.
fn locate(mut errors: Diagnostics, idl_files: &[idl::IdlFile<'_>]) -> Diagnostics {
    for diagnostic in &mut errors.0 {
        if diagnostic.location.is_some() {
            continue;
        }
        let Some(file) = diagnostic.file.as_deref() else {
            continue;
        };
        if let Some(idl_file) = idl_files.iter().find(|f| f.path() == file) {
            idl_file.locate(diagnostic);
        }
    }
    errors
}

/// The model of `paths` as one Smithy JSON AST document: every shape defined in the files
/// (mixins kept, not flattened), applied traits joined to their shapes, metadata merged.
/// Nothing is returned unless the model loads and validates.
pub fn export_paths(paths: &[PathBuf]) -> Result<Value, Diagnostics> {
    export_sources(&read_sources(paths)?)
}

/// [`export_paths`] for documents given as (file name, text).
pub fn export_sources(sources: &[(PathBuf, String)]) -> Result<Value, Diagnostics> {
    let (loader, idl_files) = assemble(sources)?;
    let document = loader.export();
    loader
        .finish()
        .map_err(|errors| locate(errors, &idl_files))?;
    Ok(document)
}

/// Parses every document and hands them to a loader: JSON first, because IDL files resolve
/// relative shape IDs against the shapes of every file.
fn assemble(sources: &[(PathBuf, String)]) -> Result<(Loader, Vec<idl::IdlFile<'_>>), Diagnostics> {
    let mut loader = Loader::default();
    loader.add_document(None, PRELUDE_JSON);
    let mut json: Vec<Option<Value>> = Vec::with_capacity(sources.len());
    let mut idl_files = Vec::new();
    let mut idl_errors = Diagnostics::default();
    for (path, text) in sources {
        if is_idl(path) {
            json.push(None);
            match idl::parse(path, text) {
                Ok(file) => idl_files.push(file),
                Err(diagnostic) => idl_errors.push(diagnostic),
            }
        } else {
            json.push(loader.parse_json(Some(path), text));
        }
    }
    if !idl_errors.is_empty() {
        loader.diagnostics.0.extend(idl_errors.0);
        return Err(loader.diagnostics);
    }
    let mut lowered = if idl_files.is_empty() {
        Vec::new()
    } else {
        let external = external_shapes(&json);
        match idl::to_json_ast(&idl_files, &external) {
            Ok(documents) => documents,
            Err(errors) => {
                loader.diagnostics.0.extend(errors.0);
                return Err(loader.diagnostics);
            }
        }
    }
    .into_iter();
    for ((path, _), document) in sources.iter().zip(json) {
        let document = if is_idl(path) {
            lowered.next()
        } else {
            document
        };
        if let Some(document) = document {
            loader.add_value(Some(path), document);
        }
    }
    loader.add_bundled();
    Ok((loader, idl_files))
}

/// Shapes of the JSON AST documents by ID, for resolving the IDL files' references.
fn external_shapes(documents: &[Option<Value>]) -> idl::ExternalShapes<'_> {
    let mut shapes = idl::ExternalShapes::new();
    for document in documents.iter().flatten() {
        let Some(Value::Object(entries)) = document.get("shapes") else {
            continue;
        };
        for (id, body) in entries {
            let (Ok(id), Value::Object(body)) = (ShapeId::parse(id), body) else {
                continue;
            };
            if id.member.is_none() && body.get("type").and_then(Value::as_str) != Some("apply") {
                shapes.insert(id, body);
            }
        }
    }
    shapes
}

#[derive(Default)]
struct Loader {
    shapes: BTreeMap<ShapeId, RawShape>,
    applies: Vec<RawApply>,
    metadata: Map<String, Value>,
    diagnostics: Diagnostics,
}

impl Loader {
    fn error(&mut self, file: Option<&Path>, shape: Option<&ShapeId>, message: String) {
        let mut diagnostic = Diagnostic::new(message);
        diagnostic.file = file.map(Path::to_path_buf);
        diagnostic.shape = shape.cloned();
        self.diagnostics.push(diagnostic);
    }

    /// The bundled shapes ([`BUNDLED_JSON`]) the model does not define itself.
    fn add_bundled(&mut self) {
        let Ok(Value::Object(mut document)) = serde_json::from_str::<Value>(BUNDLED_JSON) else {
            return;
        };
        if let Some(Value::Object(shapes)) = document.get_mut("shapes") {
            shapes
                .retain(|id, _| ShapeId::parse(id).is_ok_and(|id| !self.shapes.contains_key(&id)));
        }
        self.add_value(None, Value::Object(document));
    }

    fn add_document(&mut self, file: Option<&Path>, text: &str) {
        if let Some(document) = self.parse_json(file, text) {
            self.add_value(file, document);
        }
    }

    fn parse_json(&mut self, file: Option<&Path>, text: &str) -> Option<Value> {
        match serde_json::from_str(text) {
            Ok(document) => Some(document),
            Err(e) => {
                self.error(
                    file,
                    None,
                    format!(
                        "invalid JSON at line {}, column {}: {e}",
                        e.line(),
                        e.column()
                    ),
                );
                None
            }
        }
    }

    fn add_value(&mut self, file: Option<&Path>, document: Value) {
        let Value::Object(mut document) = document else {
            return self.error(file, None, "a JSON AST document must be an object".into());
        };
        match document.get("smithy").and_then(Value::as_str) {
            Some(version)
                if version == "2" || version.starts_with("2.") || version.starts_with("1.") => {}
            Some(version) => {
                return self.error(
                    file,
                    None,
                    format!("unsupported Smithy version `{version}`"),
                );
            }
            None => return self.error(file, None, "missing `smithy` version".into()),
        }
        if let Some(Value::Object(metadata)) = document.remove("metadata") {
            for (key, value) in metadata {
                self.merge_metadata(file, key, value);
            }
        }
        let shapes = match document.remove("shapes") {
            None => return,
            Some(Value::Object(shapes)) => shapes,
            Some(_) => return self.error(file, None, "`shapes` must be an object".into()),
        };
        for (id_text, body) in shapes {
            let id = match ShapeId::parse(&id_text) {
                Ok(id) => id,
                Err(reason) => {
                    self.error(file, None, reason);
                    continue;
                }
            };
            let Value::Object(body) = body else {
                self.error(file, Some(&id), "a shape must be a JSON object".into());
                continue;
            };
            if body.get("type").and_then(Value::as_str) == Some("apply") {
                let traits = match body.get("traits") {
                    Some(Value::Object(traits)) => traits.clone(),
                    _ => Map::new(),
                };
                self.applies.push(RawApply {
                    target: id,
                    traits,
                    file: file.map(Path::to_path_buf),
                });
                continue;
            }
            if id.member.is_some() {
                self.error(
                    file,
                    Some(&id),
                    "a shape definition cannot use a member ID".into(),
                );
                continue;
            }
            match self.shapes.get(&id) {
                Some(existing) if existing.body == body => {}
                // The built-in prelude is a subset of the real one: a file that defines a
                // prelude shape (the Smithy prelude file itself) supersedes it.
                Some(existing)
                    if existing.file.is_none()
                        && id.is_prelude()
                        && existing.body.get("type") == body.get("type") =>
                {
                    self.shapes.insert(
                        id,
                        RawShape {
                            body,
                            file: file.map(Path::to_path_buf),
                        },
                    );
                }
                Some(existing) => {
                    let first = existing
                        .file
                        .as_ref()
                        .map_or_else(|| "the prelude".to_string(), |f| f.display().to_string());
                    self.error(
                        file,
                        Some(&id),
                        format!("shape is defined again, differently (first defined in {first})"),
                    );
                }
                None => {
                    self.shapes.insert(
                        id,
                        RawShape {
                            body,
                            file: file.map(Path::to_path_buf),
                        },
                    );
                }
            }
        }
    }

    /// Metadata merges as the specification says: lists concatenate, equal values are kept,
    /// anything else conflicting is an error.
    fn merge_metadata(&mut self, file: Option<&Path>, key: String, value: Value) {
        match (self.metadata.get_mut(&key), value) {
            (None, value) => {
                self.metadata.insert(key, value);
            }
            (Some(Value::Array(existing)), Value::Array(more)) => existing.extend(more),
            (Some(existing), value) if *existing == value => {}
            (Some(_), _) => self.error(
                file,
                None,
                format!("metadata key `{key}` is defined twice with different values"),
            ),
        }
    }

    /// The loaded files as one JSON AST document (see [`export_paths`]).
    fn export(&self) -> Value {
        let mut shapes = Map::new();
        for (id, raw) in &self.shapes {
            if raw.file.is_some() {
                shapes.insert(id.to_string(), Value::Object(raw.body.clone()));
            }
        }
        let mut pending: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        for apply in &self.applies {
            let defined = shapes
                .get_mut(&apply.target.root().to_string())
                .and_then(Value::as_object_mut);
            let place = defined.and_then(|body| match &apply.target.member {
                None => Some(body),
                Some(member) => match body.get("type").and_then(Value::as_str) {
                    Some("list" | "set" | "map") => body.get_mut(member.as_str()),
                    _ => body
                        .get_mut("members")
                        .and_then(|m| m.get_mut(member.as_str())),
                }
                .and_then(Value::as_object_mut),
            });
            let traits = match place {
                Some(body) => body
                    .entry("traits")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("traits are an object"),
                None => pending.entry(apply.target.to_string()).or_default(),
            };
            for (id, value) in &apply.traits {
                match (traits.get_mut(id), value) {
                    (Some(Value::Array(existing)), Value::Array(more)) if existing != more => {
                        existing.extend(more.iter().cloned())
                    }
                    // Conflicts were reported by the load; the first value stands.
                    (Some(_), _) => {}
                    (None, value) => {
                        traits.insert(id.clone(), value.clone());
                    }
                }
            }
        }
        for (id, traits) in pending {
            let mut body = Map::new();
            body.insert("type".into(), Value::String("apply".into()));
            body.insert("traits".into(), Value::Object(traits));
            shapes.insert(id, Value::Object(body));
        }
        let mut document = Map::new();
        document.insert("smithy".into(), Value::String("2.0".into()));
        if !self.metadata.is_empty() {
            document.insert("metadata".into(), Value::Object(self.metadata.clone()));
        }
        document.insert("shapes".into(), Value::Object(shapes));
        Value::Object(document)
    }

    fn finish(mut self) -> Result<Model, Diagnostics> {
        let raw = std::mem::take(&mut self.shapes);
        let mut shapes = crate::model::Shapes::default();
        let mut mixins: BTreeMap<ShapeId, Vec<ShapeId>> = BTreeMap::new();
        for (id, raw_shape) in &raw {
            let file = raw_shape.file.as_deref();
            if let Some((shape, shape_mixins)) = self.convert_shape(id, raw_shape) {
                if !shape_mixins.is_empty() {
                    mixins.insert(id.clone(), shape_mixins);
                }
                shapes.insert(id.clone(), shape);
            } else {
                let _ = file;
            }
        }
        let mut model = Model {
            shapes,
            metadata: std::mem::take(&mut self.metadata),
        };
        self.flatten_mixins(&mut model, &mixins);
        let applies = std::mem::take(&mut self.applies);
        for apply in applies {
            self.apply_traits(&mut model, apply);
        }
        convert_legacy_enums(&mut model);
        if !self.diagnostics.is_empty() {
            return Err(self.diagnostics);
        }
        let diagnostics = validate::validate(&model);
        diagnostics.into_result(model)
    }

    fn parse_traits(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        value: Option<&Value>,
    ) -> Traits {
        let mut traits = Traits::default();
        let Some(value) = value else { return traits };
        let Value::Object(map) = value else {
            self.error(file, Some(owner), "`traits` must be an object".into());
            return traits;
        };
        for (trait_text, trait_value) in map {
            let trait_id = match ShapeId::parse(trait_text) {
                Ok(id) => id,
                Err(reason) => {
                    self.error(file, Some(owner), format!("bad trait ID: {reason}"));
                    continue;
                }
            };
            match Trait::parse(&trait_id, trait_value) {
                Ok(parsed) => traits.insert(trait_id, parsed),
                Err(reason) => self.error(
                    file,
                    Some(owner),
                    format!("invalid value for trait `{trait_id}`: {reason}"),
                ),
            }
        }
        traits
    }

    fn target_of(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        value: Option<&Value>,
        what: &str,
    ) -> Option<ShapeId> {
        let text = value.and_then(|v| v.get("target")).and_then(Value::as_str);
        let Some(text) = text else {
            self.error(
                file,
                Some(owner),
                format!("`{what}` needs a `target` shape ID"),
            );
            return None;
        };
        match ShapeId::parse(text) {
            Ok(id) => Some(id),
            Err(reason) => {
                self.error(file, Some(owner), format!("`{what}`: {reason}"));
                None
            }
        }
    }

    fn target_list(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        value: Option<&Value>,
        what: &str,
    ) -> Vec<ShapeId> {
        match value {
            None => Vec::new(),
            Some(Value::Array(items)) => items
                .iter()
                .filter_map(|item| self.target_of(file, owner, Some(item), what))
                .collect(),
            Some(_) => {
                self.error(
                    file,
                    Some(owner),
                    format!("`{what}` must be a list of shape references"),
                );
                Vec::new()
            }
        }
    }

    fn member(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        name: &str,
        value: &Value,
        default_target: Option<&str>,
    ) -> Option<Member> {
        let id = owner.with_member(name);
        let target = match (value.get("target"), default_target) {
            (None, Some(default)) => ShapeId::parse(default).ok()?,
            _ => self.target_of(file, &id, Some(value), "member")?,
        };
        let traits = self.parse_traits(file, &id, value.get("traits"));
        Some(Member {
            id,
            name: name.to_string(),
            target,
            traits,
        })
    }

    fn members(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        body: &Map<String, Value>,
        default_target: Option<&str>,
    ) -> Vec<Member> {
        match body.get("members") {
            None => Vec::new(),
            Some(Value::Object(members)) => members
                .iter()
                .filter_map(|(name, value)| self.member(file, owner, name, value, default_target))
                .collect(),
            Some(_) => {
                self.error(file, Some(owner), "`members` must be an object".into());
                Vec::new()
            }
        }
    }

    fn named_member(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        body: &Map<String, Value>,
        name: &str,
    ) -> Option<Member> {
        match body.get(name) {
            Some(value) => self.member(file, owner, name, value, None),
            None => {
                self.error(file, Some(owner), format!("missing `{name}` member"));
                None
            }
        }
    }

    fn convert_shape(&mut self, id: &ShapeId, raw: &RawShape) -> Option<(Shape, Vec<ShapeId>)> {
        let file = raw.file.clone();
        let file = file.as_deref();
        let body = &raw.body;
        let type_name = body.get("type").and_then(Value::as_str).unwrap_or("");
        let mut traits = self.parse_traits(file, id, body.get("traits"));
        let mixins = self.target_list(file, id, body.get("mixins"), "mixins");
        let kind = if let Some(simple) = SimpleType::from_type_name(type_name) {
            ShapeKind::Simple(simple)
        } else {
            match type_name {
                "enum" => ShapeKind::Enum(self.members(file, id, body, Some("smithy.api#Unit"))),
                "intEnum" => {
                    ShapeKind::IntEnum(self.members(file, id, body, Some("smithy.api#Unit")))
                }
                "list" | "set" => {
                    if type_name == "set" {
                        traits.insert(ShapeId::prelude("uniqueItems"), Trait::UniqueItems);
                    }
                    ShapeKind::List(self.named_member(file, id, body, "member")?)
                }
                "map" => ShapeKind::Map {
                    key: self.named_member(file, id, body, "key")?,
                    value: self.named_member(file, id, body, "value")?,
                },
                "structure" => ShapeKind::Structure(self.members(file, id, body, None)),
                "union" => ShapeKind::Union(self.members(file, id, body, None)),
                "service" => ShapeKind::Service(self.service(file, id, body)),
                "operation" => ShapeKind::Operation(Operation {
                    input: self.optional_target(file, id, body, "input"),
                    output: self.optional_target(file, id, body, "output"),
                    errors: self.target_list(file, id, body.get("errors"), "errors"),
                }),
                "resource" => ShapeKind::Resource(self.resource(file, id, body)),
                other => {
                    self.error(file, Some(id), format!("unknown shape type `{other}`"));
                    return None;
                }
            }
        };
        Some((
            Shape {
                id: id.clone(),
                kind,
                traits,
                file: raw.file.clone(),
            },
            mixins,
        ))
    }

    fn optional_target(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        body: &Map<String, Value>,
        field: &str,
    ) -> ShapeId {
        match body.get(field) {
            None => ShapeId::prelude("Unit"),
            Some(value) => self
                .target_of(file, owner, Some(value), field)
                .unwrap_or_else(|| ShapeId::prelude("Unit")),
        }
    }

    fn optional_ref(
        &mut self,
        file: Option<&Path>,
        owner: &ShapeId,
        body: &Map<String, Value>,
        field: &str,
    ) -> Option<ShapeId> {
        body.get(field)
            .and_then(|value| self.target_of(file, owner, Some(value), field))
    }

    fn service(&mut self, file: Option<&Path>, id: &ShapeId, body: &Map<String, Value>) -> Service {
        let mut rename = BTreeMap::new();
        if let Some(Value::Object(entries)) = body.get("rename") {
            for (from, to) in entries {
                match (ShapeId::parse(from), to.as_str()) {
                    (Ok(from), Some(to)) => {
                        rename.insert(from, to.to_string());
                    }
                    _ => self.error(file, Some(id), format!("bad `rename` entry `{from}`")),
                }
            }
        }
        Service {
            version: body
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            operations: self.target_list(file, id, body.get("operations"), "operations"),
            resources: self.target_list(file, id, body.get("resources"), "resources"),
            errors: self.target_list(file, id, body.get("errors"), "errors"),
            rename,
        }
    }

    fn resource(
        &mut self,
        file: Option<&Path>,
        id: &ShapeId,
        body: &Map<String, Value>,
    ) -> Resource {
        let named_targets = |this: &mut Self, field: &str| -> Vec<(String, ShapeId)> {
            match body.get(field) {
                Some(Value::Object(entries)) => entries
                    .iter()
                    .filter_map(|(name, value)| {
                        this.target_of(file, id, Some(value), field)
                            .map(|t| (name.clone(), t))
                    })
                    .collect(),
                _ => Vec::new(),
            }
        };
        Resource {
            identifiers: named_targets(self, "identifiers"),
            properties: named_targets(self, "properties"),
            create: self.optional_ref(file, id, body, "create"),
            put: self.optional_ref(file, id, body, "put"),
            read: self.optional_ref(file, id, body, "read"),
            update: self.optional_ref(file, id, body, "update"),
            delete: self.optional_ref(file, id, body, "delete"),
            list: self.optional_ref(file, id, body, "list"),
            operations: self.target_list(file, id, body.get("operations"), "operations"),
            collection_operations: self.target_list(
                file,
                id,
                body.get("collectionOperations"),
                "collectionOperations",
            ),
            resources: self.target_list(file, id, body.get("resources"), "resources"),
        }
    }

    /// Copies members and traits from mixins into the shapes that use them, mixins first.
    fn flatten_mixins(&mut self, model: &mut Model, mixins: &BTreeMap<ShapeId, Vec<ShapeId>>) {
        let mut done: BTreeMap<ShapeId, Shape> = BTreeMap::new();
        for id in mixins.keys() {
            let mut visiting = Vec::new();
            self.flatten_one(model, mixins, id, &mut done, &mut visiting);
        }
        for (id, shape) in done {
            model.shapes.insert(id, shape);
        }
    }

    fn flatten_one(
        &mut self,
        model: &Model,
        mixins: &BTreeMap<ShapeId, Vec<ShapeId>>,
        id: &ShapeId,
        done: &mut BTreeMap<ShapeId, Shape>,
        visiting: &mut Vec<ShapeId>,
    ) -> Option<Shape> {
        if let Some(shape) = done.get(id) {
            return Some(shape.clone());
        }
        let base = model.shapes.get(id)?.clone();
        let Some(mixin_ids) = mixins.get(id) else {
            return Some(base);
        };
        if visiting.contains(id) {
            self.error(base.file.as_deref(), Some(id), "mixins form a cycle".into());
            return None;
        }
        visiting.push(id.clone());
        let mut inherited_members: Vec<Member> = Vec::new();
        let mut traits = Traits::default();
        for mixin_id in mixin_ids {
            let Some(mixin) = self.flatten_one(model, mixins, mixin_id, done, visiting) else {
                if model.shapes.contains_key(mixin_id) {
                    continue; // part of a cycle, reported where the cycle closes
                }
                self.error(
                    base.file.as_deref(),
                    Some(id),
                    format!("mixin `{mixin_id}` does not exist"),
                );
                continue;
            };
            let Some(local) = mixin.traits.mixin_local_traits().map(<[ShapeId]>::to_vec) else {
                self.error(
                    base.file.as_deref(),
                    Some(id),
                    format!("`{mixin_id}` is used as a mixin but has no `smithy.api#mixin` trait"),
                );
                continue;
            };
            for (trait_id, value) in mixin.traits.iter() {
                if trait_id != &ShapeId::prelude("mixin") && !local.contains(trait_id) {
                    traits.insert(trait_id.clone(), value.clone());
                }
            }
            for member in mixin.members() {
                let mut member = member.clone();
                member.id = id.with_member(&member.name);
                inherited_members.retain(|m| m.name != member.name);
                inherited_members.push(member);
            }
        }
        visiting.pop();
        let mut shape = base;
        for (trait_id, value) in shape.traits.iter() {
            traits.insert(trait_id.clone(), value.clone());
        }
        shape.traits = traits;
        let own = match &mut shape.kind {
            ShapeKind::Structure(members)
            | ShapeKind::Union(members)
            | ShapeKind::Enum(members)
            | ShapeKind::IntEnum(members) => Some(members),
            _ => None,
        };
        if let Some(own) = own {
            let mut merged = inherited_members;
            for member in own.drain(..) {
                if let Some(existing) = merged.iter_mut().find(|m| m.name == member.name) {
                    // A redeclared mixin member may only add traits.
                    for (trait_id, value) in member.traits.iter() {
                        existing.traits.insert(trait_id.clone(), value.clone());
                    }
                } else {
                    merged.push(member);
                }
            }
            *own = merged;
        }
        done.insert(id.clone(), shape.clone());
        Some(shape)
    }

    fn apply_traits(&mut self, model: &mut Model, apply: RawApply) {
        let file = apply.file.as_deref();
        let traits = self.parse_traits(file, &apply.target, Some(&Value::Object(apply.traits)));
        let Some(shape) = model.shapes.get_mut(&apply.target.root()) else {
            return self.error(
                file,
                Some(&apply.target),
                "`apply` targets a shape that does not exist".into(),
            );
        };
        let target_traits = match &apply.target.member {
            None => Some(&mut shape.traits),
            Some(name) => match &mut shape.kind {
                ShapeKind::Structure(members)
                | ShapeKind::Union(members)
                | ShapeKind::Enum(members)
                | ShapeKind::IntEnum(members) => members
                    .iter_mut()
                    .find(|m| &m.name == name)
                    .map(|m| &mut m.traits),
                ShapeKind::List(member) if member.name == *name => Some(&mut member.traits),
                ShapeKind::Map { key, .. } if key.name == *name => Some(&mut key.traits),
                ShapeKind::Map { value, .. } if value.name == *name => Some(&mut value.traits),
                _ => None,
            },
        };
        let Some(target_traits) = target_traits else {
            return self.error(
                file,
                Some(&apply.target),
                "`apply` targets a member that does not exist".into(),
            );
        };
        let mut conflicts = Vec::new();
        for (trait_id, value) in traits.iter() {
            match target_traits.get(trait_id) {
                Some(existing) if existing == value => {}
                Some(Trait::Other(Value::Array(existing))) => {
                    if let Trait::Other(Value::Array(more)) = value {
                        let mut joined = existing.clone();
                        joined.extend(more.iter().cloned());
                        target_traits.insert(trait_id.clone(), Trait::Other(Value::Array(joined)));
                    } else {
                        conflicts.push(trait_id.clone());
                    }
                }
                Some(_) => conflicts.push(trait_id.clone()),
                None => target_traits.insert(trait_id.clone(), value.clone()),
            }
        }
        for trait_id in conflicts {
            self.error(file, Some(&apply.target), format!("trait `{trait_id}` is applied with a value that conflicts with its existing value"));
        }
    }
}

/// Strings with the legacy `@enum` trait become enum shapes, so the generator has one path.
fn convert_legacy_enums(model: &mut Model) {
    for shape in model.shapes.values_mut() {
        if !matches!(shape.kind, ShapeKind::Simple(SimpleType::String)) {
            continue;
        }
        let Some(definitions) = shape.traits.legacy_enum().map(<[_]>::to_vec) else {
            continue;
        };
        let members = definitions
            .iter()
            .map(|definition| {
                let name = definition
                    .name
                    .clone()
                    .unwrap_or_else(|| crate::naming::identifier_from_value(&definition.value));
                let mut traits = Traits::default();
                traits.insert(
                    ShapeId::prelude("enumValue"),
                    Trait::EnumValue(Value::String(definition.value.clone())),
                );
                if let Some(doc) = &definition.documentation {
                    traits.insert(
                        ShapeId::prelude("documentation"),
                        Trait::Documentation(doc.clone()),
                    );
                }
                if definition.internal {
                    traits.insert(ShapeId::prelude("internal"), Trait::Internal);
                }
                if definition.deprecated {
                    traits.insert(ShapeId::prelude("deprecated"), Trait::Deprecated);
                }
                Member {
                    id: shape.id.with_member(&name),
                    name,
                    target: ShapeId::prelude("Unit"),
                    traits,
                }
            })
            .collect();
        shape.kind = ShapeKind::Enum(members);
    }
}
