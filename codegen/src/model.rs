//! The semantic model: shapes resolved, mixins flattened, traits typed.

use std::collections::{BTreeMap, BTreeSet};

use indexmap::IndexMap;
use std::path::PathBuf;

use crate::ShapeId;
use crate::traits::Traits;

/// Simple (scalar) shape types.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SimpleType {
    Blob,
    Boolean,
    String,
    Byte,
    Short,
    Integer,
    Long,
    Float,
    Double,
    BigInteger,
    BigDecimal,
    Timestamp,
    Document,
}

impl SimpleType {
    pub fn from_type_name(name: &str) -> Option<SimpleType> {
        Some(match name {
            "blob" => SimpleType::Blob,
            "boolean" => SimpleType::Boolean,
            "string" => SimpleType::String,
            "byte" => SimpleType::Byte,
            "short" => SimpleType::Short,
            "integer" => SimpleType::Integer,
            "long" => SimpleType::Long,
            "float" => SimpleType::Float,
            "double" => SimpleType::Double,
            "bigInteger" => SimpleType::BigInteger,
            "bigDecimal" => SimpleType::BigDecimal,
            "timestamp" => SimpleType::Timestamp,
            "document" => SimpleType::Document,
            _ => return None,
        })
    }

    pub fn is_number(self) -> bool {
        matches!(
            self,
            SimpleType::Byte
                | SimpleType::Short
                | SimpleType::Integer
                | SimpleType::Long
                | SimpleType::Float
                | SimpleType::Double
                | SimpleType::BigInteger
                | SimpleType::BigDecimal
        )
    }
}

/// A member of an aggregate shape (or the members of an enum).
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub id: ShapeId,
    pub name: String,
    pub target: ShapeId,
    pub traits: Traits,
}

impl Member {
    /// The value of an enum member: its `enumValue`, or for string enums its name.
    pub fn enum_value(&self) -> serde_json::Value {
        self.traits
            .enum_value()
            .cloned()
            .unwrap_or_else(|| serde_json::Value::String(self.name.clone()))
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Service {
    pub version: String,
    pub operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
    pub errors: Vec<ShapeId>,
    /// Shape ID -> the name it takes inside this service's closure.
    pub rename: BTreeMap<ShapeId, String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub input: ShapeId,
    pub output: ShapeId,
    pub errors: Vec<ShapeId>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Resource {
    pub identifiers: Vec<(String, ShapeId)>,
    pub properties: Vec<(String, ShapeId)>,
    pub create: Option<ShapeId>,
    pub put: Option<ShapeId>,
    pub read: Option<ShapeId>,
    pub update: Option<ShapeId>,
    pub delete: Option<ShapeId>,
    pub list: Option<ShapeId>,
    pub operations: Vec<ShapeId>,
    pub collection_operations: Vec<ShapeId>,
    pub resources: Vec<ShapeId>,
}

impl Resource {
    /// Every operation bound directly to this resource, lifecycle ones first.
    pub fn all_operations(&self) -> impl Iterator<Item = &ShapeId> {
        [
            &self.create,
            &self.put,
            &self.read,
            &self.update,
            &self.delete,
            &self.list,
        ]
        .into_iter()
        .flatten()
        .chain(&self.operations)
        .chain(&self.collection_operations)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum ShapeKind {
    Simple(SimpleType),
    /// Members target `smithy.api#Unit`; each value is its `enumValue` (or its name).
    Enum(Vec<Member>),
    IntEnum(Vec<Member>),
    List(Member),
    Map {
        key: Member,
        value: Member,
    },
    Structure(Vec<Member>),
    Union(Vec<Member>),
    Service(Service),
    Operation(Operation),
    Resource(Resource),
}

impl ShapeKind {
    pub fn type_name(&self) -> &'static str {
        match self {
            ShapeKind::Simple(simple) => match simple {
                SimpleType::Blob => "blob",
                SimpleType::Boolean => "boolean",
                SimpleType::String => "string",
                SimpleType::Byte => "byte",
                SimpleType::Short => "short",
                SimpleType::Integer => "integer",
                SimpleType::Long => "long",
                SimpleType::Float => "float",
                SimpleType::Double => "double",
                SimpleType::BigInteger => "bigInteger",
                SimpleType::BigDecimal => "bigDecimal",
                SimpleType::Timestamp => "timestamp",
                SimpleType::Document => "document",
            },
            ShapeKind::Enum(_) => "enum",
            ShapeKind::IntEnum(_) => "intEnum",
            ShapeKind::List(_) => "list",
            ShapeKind::Map { .. } => "map",
            ShapeKind::Structure(_) => "structure",
            ShapeKind::Union(_) => "union",
            ShapeKind::Service(_) => "service",
            ShapeKind::Operation(_) => "operation",
            ShapeKind::Resource(_) => "resource",
        }
    }

    /// Members in model order (the key and value of a map, the member of a list).
    pub fn members(&self) -> Vec<&Member> {
        match self {
            ShapeKind::Enum(members)
            | ShapeKind::IntEnum(members)
            | ShapeKind::Structure(members)
            | ShapeKind::Union(members) => members.iter().collect(),
            ShapeKind::List(member) => vec![member],
            ShapeKind::Map { key, value } => vec![key, value],
            _ => Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Shape {
    pub id: ShapeId,
    pub kind: ShapeKind,
    pub traits: Traits,
    /// The file the shape was defined in; `None` for the built-in prelude.
    pub file: Option<PathBuf>,
}

impl Shape {
    pub fn members(&self) -> Vec<&Member> {
        self.kind.members()
    }

    pub fn member(&self, name: &str) -> Option<&Member> {
        self.members().into_iter().find(|m| m.name == name)
    }
}

/// The shapes of a model by ID: iterated in ID order, as a `BTreeMap` would be, and looked
/// up by hash (generating a service looks shapes up tens of thousands of times, and IDs
/// of one namespace share a long prefix that ordered lookups compare again and again).
#[derive(Clone, Debug, Default)]
pub struct Shapes(IndexMap<ShapeId, Shape, foldhash::fast::RandomState>);

impl Shapes {
    pub fn get(&self, id: &ShapeId) -> Option<&Shape> {
        self.0.get(id)
    }

    pub fn get_mut(&mut self, id: &ShapeId) -> Option<&mut Shape> {
        self.0.get_mut(id)
    }

    pub fn contains_key(&self, id: &ShapeId) -> bool {
        self.0.contains_key(id)
    }

    /// Adds or replaces a shape, keeping the ID order.
    pub fn insert(&mut self, id: ShapeId, shape: Shape) -> Option<Shape> {
        let in_order = self.0.last().is_none_or(|(last, _)| *last < id);
        let (_, replaced) = self.0.insert_full(id, shape);
        if replaced.is_none() && !in_order {
            self.0.sort_keys();
        }
        replaced
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&ShapeId, &Shape)> {
        self.0.iter()
    }

    pub fn keys(&self) -> impl Iterator<Item = &ShapeId> {
        self.0.keys()
    }

    pub fn values(&self) -> impl Iterator<Item = &Shape> {
        self.0.values()
    }

    pub fn values_mut(&mut self) -> impl Iterator<Item = &mut Shape> {
        self.0.values_mut()
    }
}

impl std::ops::Index<&ShapeId> for Shapes {
    type Output = Shape;

    fn index(&self, id: &ShapeId) -> &Shape {
        match self.0.get(id) {
            Some(shape) => shape,
            None => panic!("no shape {id} in the model"),
        }
    }
}

impl<'a> IntoIterator for &'a Shapes {
    type Item = (&'a ShapeId, &'a Shape);
    type IntoIter = indexmap::map::Iter<'a, ShapeId, Shape>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl FromIterator<(ShapeId, Shape)> for Shapes {
    fn from_iter<I: IntoIterator<Item = (ShapeId, Shape)>>(shapes: I) -> Shapes {
        let mut map: IndexMap<ShapeId, Shape, foldhash::fast::RandomState> =
            shapes.into_iter().collect();
        map.sort_keys();
        Shapes(map)
    }
}

/// A whole, validated model.
#[derive(Clone, Debug, Default)]
pub struct Model {
    pub shapes: Shapes,
    pub metadata: serde_json::Map<String, serde_json::Value>,
}

impl Model {
    pub fn shape(&self, id: &ShapeId) -> Option<&Shape> {
        self.shapes.get(id)
    }

    /// The shape a member targets. Validation guarantees it exists.
    pub fn target(&self, member: &Member) -> &Shape {
        &self.shapes[&member.target]
    }

    pub fn services(&self) -> impl Iterator<Item = (&ShapeId, &Service, &Shape)> {
        self.shapes
            .iter()
            .filter_map(|(id, shape)| match &shape.kind {
                ShapeKind::Service(service) => Some((id, service, shape)),
                _ => None,
            })
    }

    /// Operations of a service: its own, then those bound through resources (depth first),
    /// each once, in model order.
    pub fn service_operations(&self, service: &Service) -> Vec<ShapeId> {
        let mut seen = BTreeSet::new();
        let mut out = Vec::new();
        for op in &service.operations {
            if seen.insert(op.clone()) {
                out.push(op.clone());
            }
        }
        let mut stack: Vec<ShapeId> = service.resources.iter().rev().cloned().collect();
        let mut seen_resources = BTreeSet::new();
        while let Some(resource_id) = stack.pop() {
            if !seen_resources.insert(resource_id.clone()) {
                continue;
            }
            let Some(ShapeKind::Resource(resource)) = self.shape(&resource_id).map(|s| &s.kind)
            else {
                continue;
            };
            for op in resource.all_operations() {
                if seen.insert(op.clone()) {
                    out.push(op.clone());
                }
            }
            stack.extend(resource.resources.iter().rev().cloned());
        }
        out
    }

    /// Every shape a service can reach: operations, their inputs, outputs and errors,
    /// the service's errors and everything their members target, transitively.
    pub fn service_closure(&self, service: &Service) -> BTreeSet<ShapeId> {
        let mut roots: Vec<ShapeId> = service.errors.clone();
        for op_id in self.service_operations(service) {
            if let Some(ShapeKind::Operation(op)) = self.shape(&op_id).map(|s| &s.kind) {
                roots.push(op.input.clone());
                roots.push(op.output.clone());
                roots.extend(op.errors.iter().cloned());
            }
        }
        let mut seen = BTreeSet::new();
        while let Some(id) = roots.pop() {
            if !seen.insert(id.clone()) {
                continue;
            }
            if let Some(shape) = self.shape(&id) {
                for member in shape.members() {
                    roots.push(member.target.clone());
                }
            }
        }
        seen
    }
}
