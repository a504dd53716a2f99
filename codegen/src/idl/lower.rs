//! Lowering: parsed files to JSON AST documents, with every shape ID made absolute.
//!
//! Relative shape IDs resolve as the specification says: a `use`d shape, else a shape of
//! the current namespace (defined in any loaded file, IDL or JSON), else a public prelude
//! shape, else the current namespace (a broken reference that validation reports). Elided
//! member targets (`$name`) come from the structure's `for` resource, then its mixins, which
//! may live in any file; so every file is parsed before any is lowered.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::IdlFile;
use super::ast::{Body, MemberDef, Node, Ref, ShapeDef, TraitApp};
use super::error::{ParseError, Span};
use super::prelude_names::is_public_prelude_shape;
use crate::ShapeId;

/// Shapes defined outside the IDL files (JSON AST documents), by ID, as written there.
pub type ExternalShapes<'a> = BTreeMap<ShapeId, &'a Map<String, Value>>;

/// How many shapes one search for an elided member's target may look at.
const MAX_SHAPES_SEARCHED: usize = 4096;

/// What every file's lowering can see: all shapes of all files.
pub(crate) struct Index<'a> {
    files: &'a [IdlFile<'a>],
    external: &'a ExternalShapes<'a>,
    /// Every shape ID defined by the IDL files, as `(file, shape)` positions.
    idl_shapes: HashMap<ShapeId, (usize, usize)>,
    /// Namespace -> names of the shapes defined there, IDL and JSON: what relative IDs
    /// resolve against, looked up without allocating.
    defined: HashMap<&'a str, HashSet<&'a str>>,
    /// Per file: imported name -> absolute shape ID.
    uses: Vec<HashMap<&'a str, &'a str>>,
}

impl<'a> Index<'a> {
    pub(crate) fn new(files: &'a [IdlFile<'a>], external: &'a ExternalShapes<'a>) -> Self {
        let mut idl_shapes = HashMap::new();
        let mut defined: HashMap<&str, HashSet<&str>> = HashMap::new();
        let mut uses = Vec::with_capacity(files.len());
        for (f, file) in files.iter().enumerate() {
            if let Some(namespace) = &file.ast.namespace {
                let names = defined.entry(namespace.as_str()).or_default();
                for (s, shape) in file.ast.shapes.iter().enumerate() {
                    names.insert(shape.name.as_str());
                    idl_shapes
                        .entry(shape_id(namespace, &shape.name))
                        .or_insert((f, s));
                }
            }
            let mut imported = HashMap::new();
            for used in &file.ast.uses {
                if let Some((_, name)) = used.text.split_once('#') {
                    imported.insert(name, used.text.as_str());
                }
            }
            uses.push(imported);
        }
        for id in external.keys() {
            defined
                .entry(id.namespace.as_str())
                .or_default()
                .insert(id.name.as_str());
        }
        Index {
            files,
            external,
            idl_shapes,
            defined,
            uses,
        }
    }

    fn is_defined(&self, namespace: &str, name: &str) -> bool {
        self.defined
            .get(namespace)
            .is_some_and(|names| names.contains(name))
    }

    /// The absolute ID (as text) that a shape ID written in file `file` stands for. This is
    /// the hot path of lowering, so it allocates only the result.
    fn resolve_text(&self, file: usize, reference: &Ref) -> Result<String, ParseError> {
        let text = reference.text.as_str();
        let invalid = || {
            ParseError::new(
                reference.span,
                format!("`{text}` is not a valid shape ID"),
                "expected a shape ID like `namespace#Name` or `Name`",
            )
        };
        if text.contains('#') {
            return if is_absolute_shape_id(text) {
                Ok(text.to_string())
            } else {
                Err(invalid())
            };
        }
        let (name, member) = match text.split_once('$') {
            Some((name, member)) => (name, Some(member)),
            None => (text, None),
        };
        if !is_identifier(name) || member.is_some_and(|m| !is_identifier(m)) {
            return Err(invalid());
        }
        let namespace = self.files[file].ast.namespace.as_deref();
        let mut id = if let Some(imported) = self.uses[file].get(name) {
            (*imported).to_string()
        } else if let Some(namespace) = namespace.filter(|ns| self.is_defined(ns, name)) {
            format!("{namespace}#{name}")
        } else if is_public_prelude_shape(name) {
            format!("smithy.api#{name}")
        } else if let Some(namespace) = namespace {
            // Not found anywhere: stays in the current namespace, where validation reports it.
            format!("{namespace}#{name}")
        } else {
            return Err(ParseError::new(
                reference.span,
                format!(
                    "cannot resolve the relative shape ID `{text}` in a file without a namespace"
                ),
                "expected an absolute shape ID (`namespace#Name`)",
            ));
        };
        if let Some(member) = member {
            id.push('$');
            id.push_str(member);
        }
        Ok(id)
    }

    /// [`Self::resolve_text`] for a place that takes a shape, not a member.
    fn resolve_root_text(&self, file: usize, reference: &Ref) -> Result<String, ParseError> {
        if reference.text.contains('$') {
            return Err(ParseError::new(
                reference.span,
                format!(
                    "`{}` names a member; a shape is needed here",
                    reference.text
                ),
                "expected a shape ID without `$member`",
            ));
        }
        self.resolve_text(file, reference)
    }

    fn resolve(&self, file: usize, reference: &Ref) -> Result<ShapeId, ParseError> {
        let text = self.resolve_text(file, reference)?;
        ShapeId::parse(&text)
            .map_err(|reason| ParseError::new(reference.span, reason, "expected a valid shape ID"))
    }

    fn resolve_root(&self, file: usize, reference: &Ref) -> Result<ShapeId, ParseError> {
        self.resolve_root_text(file, reference)?;
        self.resolve(file, reference)
    }

    // --- Elided member targets ------------------------------------------------------------

    /// The target of elided member `name` of `shape` (in file `file`): an identifier or
    /// property of its `for` resource, else a member of one of its mixins.
    fn elided_target(
        &self,
        file: usize,
        shape: &ShapeDef,
        member: &MemberDef,
        visited: &mut HashSet<ShapeId>,
    ) -> Result<ShapeId, ParseError> {
        if let Some(resource) = &shape.for_resource {
            let resource = self.resolve_root(file, resource)?;
            if let Some(target) = self.resource_identifier(&resource, &member.name)? {
                return Ok(target);
            }
        }
        for mixin in &shape.mixins {
            let mixin = self.resolve_root(file, mixin)?;
            if let Some(target) = self.member_target(&mixin, &member.name, visited)? {
                return Ok(target);
            }
        }
        let mut sources = Vec::new();
        if let Some(resource) = &shape.for_resource {
            sources.push(format!(
                "no identifier or property of resource `{}`",
                resource.text
            ));
        }
        if !shape.mixins.is_empty() {
            sources.push("no member of its mixins".to_string());
        }
        if sources.is_empty() {
            sources.push("the shape has no `for` resource and no mixins".to_string());
        }
        Err(ParseError::new(
            member.span,
            format!(
                "cannot find the target of elided member `${}`: {}",
                member.name,
                sources.join(" and ")
            ),
            "expected an explicit target (`name: Shape`) or a resource or mixin defining it",
        ))
    }

    fn resource_identifier(
        &self,
        resource: &ShapeId,
        name: &str,
    ) -> Result<Option<ShapeId>, ParseError> {
        if let Some(&(f, s)) = self.idl_shapes.get(resource) {
            let Body::Properties(properties) = &self.files[f].ast.shapes[s].body else {
                return Ok(None);
            };
            for (key, _, value) in properties {
                if key != "identifiers" && key != "properties" {
                    continue;
                }
                if let Node::Object(entries) = value {
                    if let Some((_, _, Node::Id(target))) =
                        entries.iter().find(|(k, _, _)| k == name)
                    {
                        return self.resolve_root(f, target).map(Some);
                    }
                }
            }
            return Ok(None);
        }
        if let Some(body) = self.external.get(resource) {
            for field in ["identifiers", "properties"] {
                let target = body
                    .get(field)
                    .and_then(|entries| entries.get(name))
                    .and_then(|entry| entry.get("target"))
                    .and_then(Value::as_str)
                    .and_then(|text| ShapeId::parse(text).ok());
                if target.is_some() {
                    return Ok(target);
                }
            }
        }
        Ok(None)
    }

    /// The target of member `name` of shape `id`, own or inherited from its mixins. Each
    /// shape is looked at once per search (`visited`), so mixin cycles and diamonds stay
    /// cheap.
    fn member_target(
        &self,
        id: &ShapeId,
        name: &str,
        visited: &mut HashSet<ShapeId>,
    ) -> Result<Option<ShapeId>, ParseError> {
        if visited.len() > MAX_SHAPES_SEARCHED || !visited.insert(id.clone()) {
            return Ok(None);
        }
        if let Some(&(f, s)) = self.idl_shapes.get(id) {
            let shape = &self.files[f].ast.shapes[s];
            if let Body::Members(members) = &shape.body {
                if let Some(member) = members.iter().find(|m| m.name == name) {
                    return match &member.target {
                        Some(target) => self.resolve_root(f, target).map(Some),
                        None => self.elided_target(f, shape, member, visited).map(Some),
                    };
                }
            }
            for mixin in &shape.mixins {
                let mixin = self.resolve_root(f, mixin)?;
                if let Some(target) = self.member_target(&mixin, name, visited)? {
                    return Ok(Some(target));
                }
            }
            return Ok(None);
        }
        let Some(body) = self.external.get(id) else {
            return Ok(None);
        };
        let own = body
            .get("members")
            .and_then(|members| members.get(name))
            .or_else(|| {
                body.get(name)
                    .filter(|_| matches!(name, "member" | "key" | "value"))
            });
        if let Some(target) = own.and_then(|m| m.get("target")).and_then(Value::as_str) {
            return Ok(ShapeId::parse(target).ok());
        }
        for mixin in body
            .get("mixins")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let Some(mixin) = mixin.get("target").and_then(Value::as_str) else {
                continue;
            };
            let Ok(mixin) = ShapeId::parse(mixin) else {
                continue;
            };
            if let Some(target) = self.member_target(&mixin, name, visited)? {
                return Ok(Some(target));
            }
        }
        Ok(None)
    }
}

fn is_identifier(text: &str) -> bool {
    let bytes = text.as_bytes();
    !bytes.is_empty()
        && (bytes[0].is_ascii_alphabetic() || bytes[0] == b'_')
        && bytes
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || *b == b'_')
}

/// `ns.ns#Name` or `ns#Name$member`, checked without allocating.
fn is_absolute_shape_id(text: &str) -> bool {
    let Some((namespace, rest)) = text.split_once('#') else {
        return false;
    };
    let (name, member) = match rest.split_once('$') {
        Some((name, member)) => (name, Some(member)),
        None => (rest, None),
    };
    namespace.split('.').all(is_identifier)
        && is_identifier(name)
        && member.is_none_or(is_identifier)
}

fn shape_id(namespace: &str, name: &str) -> ShapeId {
    ShapeId {
        namespace: namespace.to_string(),
        name: name.to_string(),
        member: None,
    }
}

/// Lowers file `file` to one JSON AST document.
pub(crate) fn lower_file(index: &Index<'_>, file: usize) -> Result<Value, ParseError> {
    Lowering { index, file }.document()
}

struct Lowering<'i, 'a> {
    index: &'i Index<'a>,
    file: usize,
}

impl Lowering<'_, '_> {
    fn ast(&self) -> &super::ast::FileAst {
        &self.index.files[self.file].ast
    }

    fn resolve(&self, reference: &Ref) -> Result<ShapeId, ParseError> {
        self.index.resolve(self.file, reference)
    }

    fn resolve_text(&self, reference: &Ref) -> Result<String, ParseError> {
        self.index.resolve_text(self.file, reference)
    }

    fn resolve_root_text(&self, reference: &Ref) -> Result<String, ParseError> {
        self.index.resolve_root_text(self.file, reference)
    }

    fn document(&self) -> Result<Value, ParseError> {
        let ast = self.ast();
        self.check_uses()?;
        let mut document = Map::new();
        let version = match ast.version.as_str() {
            "1" => "1.0",
            "2" => "2.0",
            other => other,
        };
        document.insert("smithy".into(), Value::String(version.to_string()));
        if !ast.metadata.is_empty() {
            let mut metadata = Map::new();
            for (key, span, value) in &ast.metadata {
                let value = self.node(value)?;
                merge_value(&mut metadata, key, value, *span, "metadata key")?;
            }
            document.insert("metadata".into(), Value::Object(metadata));
        }
        let mut shapes = Map::new();
        if let Some(namespace) = &ast.namespace {
            for shape in &ast.shapes {
                let id = shape_id(namespace, &shape.name).to_string();
                if shapes.contains_key(&id) {
                    return Err(ParseError::new(
                        shape.span,
                        format!("shape `{}` is defined twice in this file", shape.name),
                        "expected each shape name once per namespace",
                    ));
                }
                shapes.insert(id, Value::Object(self.shape(shape)?));
            }
        }
        self.applies(&mut shapes)?;
        if !shapes.is_empty() {
            document.insert("shapes".into(), Value::Object(shapes));
        }
        Ok(Value::Object(document))
    }

    /// A `use` may not import a name that this file also defines, nor two shapes under
    /// one name.
    fn check_uses(&self) -> Result<(), ParseError> {
        let ast = self.ast();
        let defined: HashSet<&str> = ast.shapes.iter().map(|s| s.name.as_str()).collect();
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for used in &ast.uses {
            ShapeId::parse(&used.text).map_err(|reason| {
                ParseError::new(used.span, reason, "expected a valid absolute shape ID")
            })?;
            let name = &used.text[used.text.find('#').map_or(0, |i| i + 1)..];
            if let Some(previous) = seen.insert(name, &used.text) {
                if previous != used.text {
                    return Err(ParseError::new(
                        used.span,
                        format!("`{name}` is already imported as `{previous}`"),
                        "expected one shape per imported name",
                    ));
                }
            }
            if defined.contains(name) {
                return Err(ParseError::new(
                    used.span,
                    format!("`{name}` is imported here and also defined in this file"),
                    "expected either the `use` or the definition",
                ));
            }
        }
        Ok(())
    }

    fn shape(&self, shape: &ShapeDef) -> Result<Map<String, Value>, ParseError> {
        let mut body = Map::new();
        body.insert("type".into(), Value::String(shape.type_name.to_string()));
        if !shape.mixins.is_empty() {
            let mixins = shape
                .mixins
                .iter()
                .map(|mixin| self.resolve_root_text(mixin).map(target))
                .collect::<Result<Vec<_>, _>>()?;
            body.insert("mixins".into(), Value::Array(mixins));
        }
        match &shape.body {
            Body::Simple => {}
            Body::Enum(members) => {
                let mut out = Map::new();
                for member in members {
                    out.insert(member.name.clone(), self.enum_member(member)?);
                }
                body.insert("members".into(), Value::Object(out));
            }
            Body::Members(members) => self.members(shape, members, &mut body)?,
            Body::Properties(properties) => self.properties(shape, properties, &mut body)?,
        }
        let traits = self.traits(&shape.traits)?;
        if !traits.is_empty() {
            body.insert("traits".into(), Value::Object(traits));
        }
        Ok(body)
    }

    fn members(
        &self,
        shape: &ShapeDef,
        members: &[MemberDef],
        body: &mut Map<String, Value>,
    ) -> Result<(), ParseError> {
        let mut out = Map::new();
        for member in members {
            let target_id = match &member.target {
                Some(target) => self.resolve_root_text(target)?,
                None => {
                    let mut visited = HashSet::new();
                    visited.insert(shape_id(
                        self.ast().namespace.as_deref().unwrap_or_default(),
                        &shape.name,
                    ));
                    self.index
                        .elided_target(self.file, shape, member, &mut visited)?
                        .to_string()
                }
            };
            let mut traits = self.traits(&member.traits)?;
            if let Some(value) = &member.value {
                let value = self.node(value)?;
                merge_value(
                    &mut traits,
                    "smithy.api#default",
                    value,
                    member.span,
                    "trait",
                )?;
            }
            self.upgrade_v1_member(&target_id, &mut traits);
            let mut json = Map::new();
            json.insert("target".into(), Value::String(target_id));
            if !traits.is_empty() {
                json.insert("traits".into(), Value::Object(traits));
            }
            out.insert(member.name.clone(), Value::Object(json));
        }
        match shape.type_name {
            // A list's `member` and a map's `key` and `value` sit on the shape itself.
            "list" | "set" | "map" => body.extend(out),
            _ => {
                body.insert("members".into(), Value::Object(out));
            }
        }
        Ok(())
    }

    /// IDL 1.0 members targeting the prelude's primitive shapes were never null; in 2.0
    /// that is a zero default, unless the member was `@box`ed.
    fn upgrade_v1_member(&self, target_id: &str, traits: &mut Map<String, Value>) {
        if !self.ast().is_v1()
            || traits.contains_key("smithy.api#box")
            || traits.contains_key("smithy.api#default")
        {
            return;
        }
        let Some(name) = target_id.strip_prefix("smithy.api#") else {
            return;
        };
        let zero = match name {
            "PrimitiveBoolean" => Value::Bool(false),
            "PrimitiveByte" | "PrimitiveShort" | "PrimitiveInteger" | "PrimitiveLong"
            | "PrimitiveFloat" | "PrimitiveDouble" => Value::from(0),
            _ => return,
        };
        traits.insert("smithy.api#default".into(), zero);
    }

    fn enum_member(&self, member: &MemberDef) -> Result<Value, ParseError> {
        let mut traits = self.traits(&member.traits)?;
        if let Some(value) = &member.value {
            let value = self.node(value)?;
            merge_value(
                &mut traits,
                "smithy.api#enumValue",
                value,
                member.span,
                "trait",
            )?;
        }
        let mut json = Map::new();
        json.insert("target".into(), Value::String("smithy.api#Unit".into()));
        if !traits.is_empty() {
            json.insert("traits".into(), Value::Object(traits));
        }
        Ok(Value::Object(json))
    }

    /// Service, resource and operation properties in their JSON AST form: shape references
    /// become `{"target": ...}` objects.
    fn properties(
        &self,
        shape: &ShapeDef,
        properties: &[(String, Span, Node)],
        body: &mut Map<String, Value>,
    ) -> Result<(), ParseError> {
        for (key, span, value) in properties {
            let kind = PropertyKind::of(shape.type_name, key).ok_or_else(|| {
                ParseError::new(
                    *span,
                    format!("unknown {} property `{key}`", shape.type_name),
                    format!("expected {}", PropertyKind::expected(shape.type_name)),
                )
            })?;
            let json = match kind {
                PropertyKind::Text => match value {
                    Node::String(text) => Value::String(text.clone()),
                    _ => return Err(expected_at(value, *span, "a quoted string")),
                },
                PropertyKind::Target => target(self.target_node(value, *span)?),
                PropertyKind::Targets => {
                    let Node::Array(items) = value else {
                        return Err(expected_at(
                            value,
                            *span,
                            "a list of shape IDs, like `[A, B]`",
                        ));
                    };
                    Value::Array(
                        items
                            .iter()
                            .map(|item| self.target_node(item, *span).map(target))
                            .collect::<Result<_, _>>()?,
                    )
                }
                PropertyKind::NamedTargets => {
                    let Node::Object(entries) = value else {
                        return Err(expected_at(value, *span, "an object of names to shape IDs"));
                    };
                    let mut out = Map::new();
                    for (name, name_span, item) in entries {
                        out.insert(name.clone(), target(self.target_node(item, *name_span)?));
                    }
                    Value::Object(out)
                }
                PropertyKind::Rename => {
                    let Node::Object(entries) = value else {
                        return Err(expected_at(value, *span, "an object of shape IDs to names"));
                    };
                    let mut out = Map::new();
                    for (from, name_span, to) in entries {
                        let Node::String(to) = to else {
                            return Err(expected_at(to, *name_span, "a quoted new name"));
                        };
                        out.insert(from.clone(), Value::String(to.clone()));
                    }
                    Value::Object(out)
                }
            };
            body.insert(key.clone(), json);
        }
        Ok(())
    }

    /// A shape reference in a property: a bare shape ID, or (leniently) a quoted one.
    fn target_node(&self, node: &Node, span: Span) -> Result<String, ParseError> {
        match node {
            Node::Id(reference) => self.resolve_root_text(reference),
            Node::String(text) if !text.is_empty() => self.resolve_root_text(&Ref {
                text: text.clone(),
                span,
            }),
            _ => Err(expected_at(node, span, "a shape ID")),
        }
    }

    /// Traits of one shape or member. An explicit `@documentation` wins over a `///`
    /// comment; any other trait given twice must agree (lists concatenate).
    fn traits(&self, traits: &[TraitApp]) -> Result<Map<String, Value>, ParseError> {
        let mut out = Map::new();
        let mut explicit_docs = false;
        for applied in traits.iter().filter(|t| !t.doc_comment) {
            let id = self.resolve_root_text(&applied.id)?;
            explicit_docs |= id == "smithy.api#documentation";
            let value = self.node(&applied.value)?;
            merge_value(&mut out, &id, value, applied.span, "trait")?;
        }
        if !explicit_docs {
            if let Some(doc) = traits.iter().find(|t| t.doc_comment) {
                let mut with_docs = Map::with_capacity(out.len() + 1);
                with_docs.insert("smithy.api#documentation".into(), self.node(&doc.value)?);
                with_docs.extend(out);
                out = with_docs;
            }
        }
        Ok(out)
    }

    fn node(&self, node: &Node) -> Result<Value, ParseError> {
        Ok(match node {
            Node::Null => Value::Null,
            Node::Bool(b) => Value::Bool(*b),
            Node::Number(n) => Value::Number(n.clone()),
            Node::String(s) => Value::String(s.clone()),
            Node::Id(reference) => Value::String(self.resolve_text(reference)?),
            Node::Array(items) => Value::Array(
                items
                    .iter()
                    .map(|item| self.node(item))
                    .collect::<Result<_, _>>()?,
            ),
            Node::Object(entries) => {
                let mut map = Map::with_capacity(entries.len());
                for (key, _, value) in entries {
                    map.insert(key.clone(), self.node(value)?);
                }
                Value::Object(map)
            }
        })
    }

    /// `apply` statements: traits for a shape defined in this file (or a member written in
    /// its body) join its definition; others become one `"type": "apply"` entry per target.
    fn applies(&self, shapes: &mut Map<String, Value>) -> Result<(), ParseError> {
        let mut pending: BTreeMap<String, Map<String, Value>> = BTreeMap::new();
        for apply in &self.ast().applies {
            let target_id = self.resolve(&apply.target)?;
            let root = target_id.root().to_string();
            let defined = shapes.get_mut(&root).and_then(Value::as_object_mut);
            let place = defined.and_then(|body| match &target_id.member {
                None => Some(body),
                Some(member) => match body.get("type").and_then(Value::as_str) {
                    Some("list" | "set" | "map") => body.get_mut(member.as_str()),
                    _ => body
                        .get_mut("members")
                        .and_then(|m| m.get_mut(member.as_str())),
                }
                .and_then(Value::as_object_mut),
            });
            let existing = match place {
                Some(body) => body
                    .entry("traits")
                    .or_insert_with(|| Value::Object(Map::new()))
                    .as_object_mut()
                    .expect("traits are an object"),
                None => pending.entry(target_id.to_string()).or_default(),
            };
            for applied in &apply.traits {
                let id = self.resolve_root_text(&applied.id)?;
                let value = self.node(&applied.value)?;
                merge_value(existing, &id, value, applied.span, "trait")?;
            }
        }
        for (id, traits) in pending {
            let mut body = Map::new();
            body.insert("type".into(), Value::String("apply".into()));
            body.insert("traits".into(), Value::Object(traits));
            shapes.insert(id, Value::Object(body));
        }
        Ok(())
    }
}

/// `{"target": "ns#Name"}`.
fn target(id: String) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert("target".into(), Value::String(id));
    Value::Object(map)
}

fn expected_at(node: &Node, span: Span, expected: &str) -> ParseError {
    let span = match node {
        Node::Id(reference) => reference.span,
        _ => span,
    };
    ParseError::new(
        span,
        format!("expected {expected} here"),
        format!("expected {expected}"),
    )
}

/// Adds `key: value`, merging with a value already there as the specification merges
/// traits and metadata: equal values are kept once, lists concatenate, anything else
/// conflicting is an error.
pub(crate) fn merge_value(
    map: &mut Map<String, Value>,
    key: &str,
    value: Value,
    span: Span,
    what: &str,
) -> Result<(), ParseError> {
    match map.get_mut(key) {
        None => {
            map.insert(key.to_string(), value);
            Ok(())
        }
        Some(existing) if *existing == value => Ok(()),
        Some(Value::Array(existing)) if value.is_array() => {
            if let Value::Array(more) = value {
                existing.extend(more);
            }
            Ok(())
        }
        Some(existing) => Err(ParseError::new(
            span,
            format!("{what} `{key}` is given twice with different values ({existing} and {value})"),
            "expected one value, or lists that concatenate",
        )),
    }
}

/// What a service, resource or operation property holds.
#[derive(Clone, Copy)]
enum PropertyKind {
    Text,
    Target,
    Targets,
    NamedTargets,
    Rename,
}

impl PropertyKind {
    fn of(type_name: &str, key: &str) -> Option<PropertyKind> {
        use PropertyKind::*;
        Some(match (type_name, key) {
            ("service", "version") => Text,
            ("service", "operations" | "resources" | "errors") => Targets,
            ("service", "rename") => Rename,
            ("resource", "identifiers" | "properties") => NamedTargets,
            ("resource", "create" | "put" | "read" | "update" | "delete" | "list") => Target,
            ("resource", "operations" | "collectionOperations" | "resources") => Targets,
            ("operation", "input" | "output") => Target,
            ("operation", "errors") => Targets,
            _ => return None,
        })
    }

    fn expected(type_name: &str) -> &'static str {
        match type_name {
            "service" => "`version`, `operations`, `resources`, `errors` or `rename`",
            "resource" => {
                "`identifiers`, `properties`, `create`, `put`, `read`, `update`, `delete`, `list`, `operations`, `collectionOperations` or `resources`"
            }
            _ => "`input`, `output` or `errors`",
        }
    }
}
