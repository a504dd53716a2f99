//! The Rust plan of one service, as data: which crate, which module and which name every
//! shape takes, every field, variant and builder with its Rust name and type, its wire name
//! and format. Names and types are decided here, once; emitters only render them (no token
//! streams here: `emit::rust` turns these values into tokens). [`ServicePlan::dump`] prints
//! the plan for snapshot tests.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use crate::model::{Member, Model, Service, Shape, ShapeKind, SimpleType};
use crate::naming;
use crate::traits::{Protocol, TimestampFormat};
use crate::{Diagnostic, Diagnostics, ShapeId};

/// The module a generated type lives in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Module {
    /// `crate::types`
    Types,
    /// `crate::types::error`
    Errors,
    /// `crate::operation::<name>`
    Operation(String),
    /// `<module>::builders`, where a module's structures keep their builders.
    Builders(Box<Module>),
}

/// Where one generated type lives and what it is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub module: Module,
    pub name: String,
}

impl Symbol {
    /// The structure's builder: `<module>::builders::<Name>Builder`.
    pub fn builder(&self) -> Symbol {
        Symbol {
            module: Module::Builders(Box::new(self.module.clone())),
            name: builder_name(&self.name),
        }
    }
}

/// The `is_<name>` predicate of an error enum's variant for the type named `name`.
pub fn predicate_name(name: &str) -> String {
    format!("is_{}", naming::unraw(&naming::field_name(name)))
}

/// The name of the builder of the structure named `name`.
pub fn builder_name(name: &str) -> String {
    format!("{name}Builder")
}

/// A Rust type, as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RustType {
    Bool,
    I8,
    I16,
    I32,
    I64,
    F32,
    F64,
    String,
    /// A value type of the runtime crate, by name: `Blob`, `BigInteger`, `BigDecimal`,
    /// `DateTime`, `Document`.
    Runtime(&'static str),
    Vec(Box<RustType>),
    HashMap(Box<RustType>, Box<RustType>),
    Option(Box<RustType>),
    Box(Box<RustType>),
    /// A type this crate defines.
    Named(Symbol),
}

impl RustType {
    fn option(self) -> RustType {
        RustType::Option(Box::new(self))
    }

    fn boxed(self) -> RustType {
        RustType::Box(Box::new(self))
    }
}

/// A member's value when the message leaves it out.
#[derive(Clone, Debug, PartialEq)]
pub enum DefaultValue {
    /// What the Rust type's own `Default` gives (`false`, `0`, `""`, empty, ...).
    TypeDefault,
    /// A variant of the enum the member targets.
    Variant(Symbol, String),
    /// Any other value, as the model wrote it, for a member of a simple type.
    Value(serde_json::Value),
}

/// One member of a structure, as the generated type holds it.
#[derive(Clone, Debug)]
pub struct Field<'m> {
    pub member: &'m Member,
    /// The Rust field (and accessor and builder method) name; `r#` for keywords.
    pub name: String,
    /// The name without `r#`, for `set_`/`get_` names and `Debug` output.
    pub plain: String,
    /// The field's type: `value_ty`, boxed if it breaks a cycle, `Option` if nullable.
    pub ty: RustType,
    /// The value's type without `Option` or `Box`.
    pub value_ty: RustType,
    pub optional: bool,
    pub boxed: bool,
    /// The member's default (model or type default), if it has one.
    pub default: Option<DefaultValue>,
    /// The name in a JSON body.
    pub wire_name: String,
    /// A timestamp member's format in a JSON body; `None` for other members.
    pub timestamp_format: Option<TimestampFormat>,
    /// What a value must satisfy (the member's own constraint traits over its target's).
    pub constraints: Constraints,
    /// Where restJson1 carries the member outside the JSON body; `None` for the body
    /// (and always under the awsJson protocols, which ignore HTTP traits).
    pub binding: Option<HttpBinding>,
    /// `Debug` must not print it.
    pub sensitive: bool,
    /// The member's documentation, else its target's.
    pub doc: Option<&'m str>,
    /// A `@streaming` blob (a `ByteStream`): the payload of an operation's input or output.
    pub streaming: Option<StreamingBlob>,
}

/// A `@streaming` blob member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamingBlob {
    /// `@requiresLength`: its size must be stated before it is sent.
    pub requires_length: bool,
}

/// The constraints a value must satisfy, as data: a member's own constraint traits over
/// its target's (Smithy applies the member's where both have one).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub length: Option<crate::traits::Length>,
    pub range: Option<crate::traits::Range>,
    /// The model's `@pattern` (ECMA-262), as written.
    pub pattern: Option<String>,
    pub unique_items: bool,
}

impl Constraints {
    /// The constraints of a value of `target`, reached through `member` when there is one.
    pub fn resolve(member: Option<&Member>, target: &Shape) -> Constraints {
        let own = member
            .map(|m| Constraints::of(&m.traits))
            .unwrap_or_default();
        let shape = Constraints::of(&target.traits);
        Constraints {
            length: own.length.or(shape.length),
            range: own.range.or(shape.range),
            pattern: own.pattern.or(shape.pattern),
            unique_items: own.unique_items || shape.unique_items,
        }
    }

    /// The constraint traits in `traits` alone.
    pub fn of(traits: &crate::traits::Traits) -> Constraints {
        Constraints {
            length: traits.length().copied(),
            range: traits.range().cloned(),
            pattern: traits.pattern().map(str::to_string),
            unique_items: traits.is_unique_items(),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}

impl std::fmt::Display for Constraints {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let bound = |b: Option<String>| b.unwrap_or_default();
        let mut parts = Vec::new();
        if let Some(length) = &self.length {
            parts.push(format!(
                "length {}..{}",
                bound(length.min.map(|n| n.to_string())),
                bound(length.max.map(|n| n.to_string()))
            ));
        }
        if let Some(range) = &self.range {
            parts.push(format!(
                "range {}..{}",
                bound(range.min.as_ref().map(|n| n.to_string())),
                bound(range.max.as_ref().map(|n| n.to_string()))
            ));
        }
        if let Some(pattern) = &self.pattern {
            parts.push(format!("pattern {pattern:?}"));
        }
        if self.unique_items {
            parts.push("unique items".into());
        }
        f.write_str(&parts.join(", "))
    }
}

/// Where restJson1 carries a member outside the JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpBinding {
    /// `@httpLabel`: a URI segment (requests only).
    Label,
    /// `@httpQuery("name")` (requests only).
    Query(String),
    /// `@httpQueryParams`: every query parameter, as a map (requests only).
    QueryParams,
    /// `@httpHeader("name")`.
    Header(String),
    /// `@httpPrefixHeaders("prefix")`: every header with the prefix, as a map.
    PrefixHeaders(String),
    /// `@httpResponseCode`: the status code (responses only).
    ResponseCode,
    /// `@httpPayload`: the whole body.
    Payload(PayloadKind),
}

/// What an `@httpPayload` member's body is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PayloadKind {
    /// A string (or string enum): the body's text.
    Text,
    /// A blob: the body's bytes.
    Blob,
    /// A structure, as a JSON document.
    Structure,
    /// A union or document, as JSON.
    Json,
}

impl HttpBinding {
    /// The binding in a request (`output` false) or a response: labels, query strings
    /// and query maps exist only in requests, the status code only in responses.
    pub fn applies(&self, output: bool) -> bool {
        match self {
            HttpBinding::Label | HttpBinding::Query(_) | HttpBinding::QueryParams => !output,
            HttpBinding::ResponseCode => output,
            HttpBinding::Header(_) | HttpBinding::PrefixHeaders(_) | HttpBinding::Payload(_) => {
                true
            }
        }
    }
}

impl std::fmt::Display for HttpBinding {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            HttpBinding::Label => f.write_str("label"),
            HttpBinding::Query(name) => write!(f, "query {name:?}"),
            HttpBinding::QueryParams => f.write_str("query params"),
            HttpBinding::Header(name) => write!(f, "header {name:?}"),
            HttpBinding::PrefixHeaders(prefix) => write!(f, "prefix headers {prefix:?}"),
            HttpBinding::ResponseCode => f.write_str("response code"),
            HttpBinding::Payload(kind) => write!(f, "payload {kind:?}"),
        }
    }
}

/// One member of a union or enum, as a Rust variant.
#[derive(Clone, Debug)]
pub struct Variant<'m> {
    pub member: &'m Member,
    /// The Rust variant name, distinct within the type.
    pub name: String,
    /// Snake case, for `is_<snake>` and `as_<snake>`.
    pub snake: String,
    /// A union member's key in a JSON body.
    pub wire_name: String,
    /// An enum member's value (string or integer).
    pub value: Option<serde_json::Value>,
    /// A union member's payload type (boxed when it breaks a cycle); `None` for a unit
    /// member and for enums.
    pub ty: Option<RustType>,
    pub sensitive: bool,
    pub doc: Option<&'m str>,
}

/// One operation as the generated crate sees it.
#[derive(Clone, Debug)]
pub struct OperationPlan {
    pub id: ShapeId,
    /// `GetSession`
    pub name: String,
    /// `get_session`
    pub module: String,
    pub input: ShapeId,
    pub output: ShapeId,
    /// The operation's errors, then the service's, each once.
    pub errors: Vec<ShapeId>,
    /// `@examples`, for the stub server.
    pub examples: Vec<OperationExample>,
    /// The input or output member that is an event stream (a `@streaming` union), which
    /// the generated code does not carry yet: such an operation is refused on both sides.
    pub event_stream: Option<String>,
    /// Endpoint rule set parameters the operation sets, by parameter name.
    pub endpoint_params: Vec<(String, crate::endpoints::OperationParam)>,
    /// `@paginated`, merged with the service's defaults.
    pub pagination: Option<crate::paginate::Pagination>,
    /// `smithy.waiters#waitable`.
    pub waiters: Vec<crate::waiters::Waiter>,
}

/// One `@examples` entry, its values as JSON text (the stub reads them at run time).
#[derive(Debug, Clone, PartialEq)]
pub struct OperationExample {
    pub title: String,
    pub input: Option<String>,
    pub output: Option<String>,
    /// The error's shape ID and its members.
    pub error: Option<(String, String)>,
}

impl OperationExample {
    /// The entries of an `@examples` trait value; entries it cannot read are left out.
    fn from_trait(value: &serde_json::Value) -> Vec<OperationExample> {
        let Some(entries) = value.as_array() else {
            return Vec::new();
        };
        entries
            .iter()
            .filter_map(|entry| {
                let text = |key: &str| entry.get(key).map(|v| v.to_string());
                let error = entry.get("error").and_then(|error| {
                    let id = error.get("shapeId")?.as_str()?.to_string();
                    let content = error.get("content").map_or("{}".into(), |c| c.to_string());
                    Some((id, content))
                });
                Some(OperationExample {
                    title: entry.get("title")?.as_str()?.to_string(),
                    input: text("input"),
                    output: text("output"),
                    error,
                })
            })
            .collect()
    }
}

impl OperationPlan {
    /// Why the operation is refused, when it streams events.
    pub fn unsupported(&self) -> Option<String> {
        self.event_stream.as_ref().map(|member| {
            format!(
                "`{}` streams events (member `{member}`), which smithy-codegen does not support yet",
                self.id.name
            )
        })
    }
    pub fn input_name(&self) -> String {
        format!("{}Input", self.name)
    }
    pub fn output_name(&self) -> String {
        format!("{}Output", self.name)
    }
    pub fn error_name(&self) -> String {
        format!("{}Error", self.name)
    }
    /// The server's `<op>_outcome` function: what the router sends for a handler's result.
    pub fn outcome_fn_name(&self) -> String {
        format!("{}_outcome", naming::unraw(&self.module))
    }
    /// The server's private `<op>_handler` function: serves one request of the operation.
    pub fn handler_fn_name(&self) -> String {
        format!("{}_handler", naming::unraw(&self.module))
    }
    /// The server's `<op>_error` function: the response for a modeled error.
    pub fn error_fn_name(&self) -> String {
        format!("{}_error", naming::unraw(&self.module))
    }
    /// The static `OperationSpec` in `protocol.rs` (`GET_SESSION`).
    pub fn spec_name(&self) -> String {
        heck::ToShoutySnakeCase::to_shouty_snake_case(self.name.as_str())
    }
    /// The builder `send()` hangs off: `client.<op>()` returns it.
    pub fn fluent_builder_name(&self) -> String {
        format!("{}FluentBuilder", self.name)
    }
    /// The input builder's name in the operation's module (an alias when the input is
    /// shared).
    pub fn input_builder_name(&self) -> String {
        format!("{}InputBuilder", self.name)
    }
}

/// Everything the emitters need to know about one service crate.
pub struct ServicePlan<'m> {
    pub model: &'m Model,
    pub service_id: ShapeId,
    pub service: &'m Service,
    pub service_shape: &'m Shape,
    pub protocol: Protocol,
    /// `emr-serverless`
    pub crate_name: String,
    pub sdk_id: String,
    pub operations: Vec<OperationPlan>,
    /// Every structure, union and enum the crate defines.
    pub symbols: BTreeMap<ShapeId, Symbol>,
    /// Shapes each operation module defines itself: (shape, name) for input and output.
    pub operation_shapes: BTreeMap<String, Vec<ShapeId>>,
    /// Structure and union members whose value must be boxed to break a cycle.
    pub boxed: BTreeSet<ShapeId>,
    pub closure: BTreeSet<ShapeId>,
    /// Shapes reachable from the operations' inputs: what validation schemas cover.
    pub input_closure: BTreeSet<ShapeId>,
    /// The fields of every structure in the closure, in member order.
    fields: BTreeMap<ShapeId, Vec<Field<'m>>>,
    /// The variants of every union and enum in the closure, in member order.
    variants: BTreeMap<ShapeId, Vec<Variant<'m>>>,
    /// Where clients send requests: the endpoint rule set; `None` for a service that
    /// has none and is not an AWS service (its clients need `endpoint_url`).
    pub endpoint_rules: Option<crate::endpoints::EndpointRules>,
}

impl<'m> ServicePlan<'m> {
    pub fn new(model: &'m Model, service_id: &ShapeId) -> Result<ServicePlan<'m>, Diagnostics> {
        let service_shape = &model.shapes[service_id];
        let ShapeKind::Service(service) = &service_shape.kind else {
            return Err(Diagnostic::new("not a service").at_shape(service_id).into());
        };
        let located = |message: String| {
            let mut diagnostic = Diagnostic::new(message).at_shape(service_id);
            diagnostic.file = service_shape.file.clone();
            diagnostic
        };
        let protocol = service_shape.traits.protocol().ok_or_else(|| {
            located("service has none of the supported protocols (aws.protocols#restJson1, awsJson1_0, awsJson1_1)".into())
        })?;
        let sdk_id = service_shape
            .traits
            .aws_service()
            .and_then(|s| s.sdk_id.clone())
            .unwrap_or_else(|| service_id.name.clone());
        let crate_name = naming::crate_name(&sdk_id);
        if crate_name.is_empty() {
            return Err(located(format!("cannot make a crate name from sdkId `{sdk_id}`")).into());
        }

        let closure = model.service_closure(service);
        let op_ids = model.service_operations(service);
        let mut operations = Vec::new();
        let mut op_modules = BTreeSet::new();
        for op_id in &op_ids {
            let ShapeKind::Operation(op) = &model.shapes[op_id].kind else {
                continue;
            };
            let name = naming::type_name(&shape_name(service, op_id));
            let module = naming::unraw(&naming::field_name(&name)).to_string();
            if !op_modules.insert(module.clone()) {
                return Err(
                    located(format!("two operations map to the Rust module `{module}`")).into(),
                );
            }
            let mut errors = op.errors.clone();
            for error in &service.errors {
                if !errors.contains(error) {
                    errors.push(error.clone());
                }
            }
            let examples = match model.shapes[op_id]
                .traits
                .get(&ShapeId::prelude("examples"))
            {
                Some(crate::traits::Trait::Other(value)) => OperationExample::from_trait(value),
                _ => Vec::new(),
            };
            let event_stream = [&op.input, &op.output].into_iter().find_map(|io| {
                model
                    .shapes
                    .get(io)?
                    .kind
                    .members()
                    .into_iter()
                    .find_map(|member| {
                        let target = model.shapes.get(&member.target)?;
                        (matches!(target.kind, ShapeKind::Union(_)) && target.traits.is_streaming())
                            .then(|| member.name.clone())
                    })
            });
            operations.push(OperationPlan {
                id: op_id.clone(),
                name,
                module,
                input: op.input.clone(),
                output: op.output.clone(),
                errors,
                examples,
                event_stream,
                endpoint_params: Vec::new(),
                pagination: crate::paginate::plan(model, service_id, op_id, &op.input, &op.output)?,
                waiters: crate::waiters::plan(model, op_id)?,
            });
        }

        // An input or output structure used by exactly one operation, and nowhere else,
        // lives in that operation's module as `<Op>Input` / `<Op>Output`.
        let mut uses: BTreeMap<&ShapeId, usize> = BTreeMap::new();
        for op in &operations {
            *uses.entry(&op.input).or_default() += 1;
            *uses.entry(&op.output).or_default() += 1;
            for error in &op.errors {
                *uses.entry(error).or_default() += 1;
            }
        }
        for id in &closure {
            for member in model.shapes[id].members() {
                *uses.entry(&member.target).or_default() += 1;
            }
        }
        let mut symbols = BTreeMap::new();
        let mut operation_shapes: BTreeMap<String, Vec<ShapeId>> = BTreeMap::new();
        let unit = ShapeId::prelude("Unit");
        for op in &operations {
            for (shape, name) in [(&op.input, op.input_name()), (&op.output, op.output_name())] {
                if *shape != unit && uses.get(shape) == Some(&1) {
                    symbols.insert(
                        shape.clone(),
                        Symbol {
                            module: Module::Operation(op.module.clone()),
                            name,
                        },
                    );
                    operation_shapes
                        .entry(op.module.clone())
                        .or_default()
                        .push(shape.clone());
                }
            }
        }
        let mut taken: BTreeMap<(Module, String), ShapeId> = BTreeMap::new();
        for id in &closure {
            if symbols.contains_key(id) || *id == unit {
                continue;
            }
            let shape = &model.shapes[id];
            let module = match &shape.kind {
                ShapeKind::Structure(_) if shape.traits.error().is_some() => Module::Errors,
                ShapeKind::Structure(_)
                | ShapeKind::Union(_)
                | ShapeKind::Enum(_)
                | ShapeKind::IntEnum(_) => Module::Types,
                _ => continue,
            };
            let name = naming::type_name(&shape_name(service, id));
            if let Some(other) = taken.insert((module.clone(), name.clone()), id.clone()) {
                return Err(located(format!("`{other}` and `{id}` both map to the Rust type `{name}`; add a `rename` to the service")).into());
            }
            symbols.insert(id.clone(), Symbol { module, name });
        }
        let boxed = find_boxed_members(model, &closure);
        let input_closure = input_closure(model, &operations);
        let endpoint_rules = crate::endpoints::plan(service_id, service_shape)?;
        let mut plan = ServicePlan {
            model,
            service_id: service_id.clone(),
            service,
            service_shape,
            protocol,
            crate_name,
            sdk_id,
            operations,
            symbols,
            operation_shapes,
            boxed,
            closure,
            input_closure,
            fields: BTreeMap::new(),
            variants: BTreeMap::new(),
            endpoint_rules,
        };
        if let Some(rules) = &plan.endpoint_rules {
            let params = plan
                .operations
                .iter()
                .map(|op| {
                    crate::endpoints::operation_params(model, rules, &op.id, &op.input, |m| {
                        plan.json_name(m).to_owned()
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            for (op, params) in plan.operations.iter_mut().zip(params) {
                op.endpoint_params = params;
            }
        }
        // Variants first: a field's default may name one.
        for id in &plan.closure {
            let shape = plan.shape(id);
            if let ShapeKind::Union(members)
            | ShapeKind::Enum(members)
            | ShapeKind::IntEnum(members) = &shape.kind
            {
                plan.variants
                    .insert(id.clone(), plan.plan_variants(shape, members));
            }
        }
        for id in &plan.closure {
            if let ShapeKind::Structure(members) = &plan.shape(id).kind {
                plan.fields.insert(id.clone(), plan.plan_fields(members));
            }
        }
        Ok(plan)
    }

    /// The fields of structure `id`.
    pub fn fields(&self, id: &ShapeId) -> &[Field<'m>] {
        self.fields.get(id).map_or(&[], Vec::as_slice)
    }

    /// Whether the builder of structure `id` can fail: a required member has no default.
    pub fn builder_is_fallible(&self, id: &ShapeId) -> bool {
        self.fields(id)
            .iter()
            .any(|f| !f.optional && f.default.is_none())
    }

    /// The variants of union or enum `id`.
    pub fn variants(&self, id: &ShapeId) -> &[Variant<'m>] {
        self.variants.get(id).map_or(&[], Vec::as_slice)
    }

    fn plan_fields(&self, members: &'m [Member]) -> Vec<Field<'m>> {
        let mut names: Vec<String> = members
            .iter()
            .map(|m| naming::field_name(&m.name))
            .collect();
        naming::dedupe(&mut names);
        members
            .iter()
            .zip(names)
            .map(|(member, name)| {
                let held = self.member_shape(member);
                let default = held
                    .default
                    .as_ref()
                    .map(|value| self.default_value(member, value));
                Field {
                    member,
                    plain: naming::unraw(&name).to_string(),
                    name,
                    ty: self.member_type(member),
                    value_ty: self.rust_type(&member.target),
                    optional: held.optional,
                    boxed: held.boxed,
                    default,
                    wire_name: self.json_name(member).to_string(),
                    timestamp_format: self.timestamp_format_of(member),
                    constraints: Constraints::resolve(Some(member), self.shape(&member.target)),
                    binding: self.http_binding(member),
                    sensitive: self.is_sensitive(member),
                    doc: self.member_doc(member),
                    streaming: self.streaming_blob(&member.target),
                }
            })
            .collect()
    }

    /// `Some` when `target` is a `@streaming` blob.
    fn streaming_blob(&self, target: &ShapeId) -> Option<StreamingBlob> {
        let shape = self.shape(target);
        (matches!(shape.kind, ShapeKind::Simple(SimpleType::Blob)) && shape.traits.is_streaming())
            .then(|| StreamingBlob {
                requires_length: shape.traits.has("smithy.api#requiresLength"),
            })
    }

    /// The member of structure `id` that is a `@streaming` blob bound to the payload, if
    /// any (Smithy allows one per operation input or output): its bytes flow as the
    /// message body. (The awsJson protocols have no payload binding.)
    pub fn stream_field(&self, id: &ShapeId) -> Option<&Field<'m>> {
        self.fields(id)
            .iter()
            .find(|f| f.streaming.is_some() && matches!(f.binding, Some(HttpBinding::Payload(_))))
    }

    /// Whether any structure of the service holds a stream (the crate then needs the
    /// runtime's `byte-stream` feature).
    pub fn has_streams(&self) -> bool {
        self.fields
            .values()
            .flatten()
            .any(|f| f.streaming.is_some())
    }

    fn plan_variants(&self, shape: &Shape, members: &'m [Member]) -> Vec<Variant<'m>> {
        let is_union = matches!(shape.kind, ShapeKind::Union(_));
        let mut names: Vec<String> = members
            .iter()
            .map(|m| naming::variant_name(&m.name))
            .collect();
        naming::dedupe(&mut names);
        let unit = ShapeId::prelude("Unit");
        members
            .iter()
            .zip(names)
            .map(|(member, name)| {
                let ty = (is_union && member.target != unit).then(|| {
                    let ty = self.rust_type(&member.target);
                    if self.boxed.contains(&member.id) {
                        ty.boxed()
                    } else {
                        ty
                    }
                });
                Variant {
                    member,
                    name,
                    snake: naming::unraw(&naming::field_name(&member.name)).to_string(),
                    wire_name: self.json_name(member).to_string(),
                    value: (!is_union).then(|| member.enum_value()),
                    ty,
                    // A unit member holds nothing to hide.
                    sensitive: is_union && member.target != unit && self.is_sensitive(member),
                    doc: if is_union {
                        self.member_doc(member)
                    } else {
                        member.traits.documentation()
                    },
                }
            })
            .collect()
    }

    /// The member's documentation, falling back to its target's.
    fn member_doc(&self, member: &'m Member) -> Option<&'m str> {
        member
            .traits
            .documentation()
            .or_else(|| self.model.shapes[&member.target].traits.documentation())
    }

    /// A member's default as the generated code gives it.
    fn default_value(&self, member: &Member, value: &serde_json::Value) -> DefaultValue {
        let target = self.shape(&member.target);
        match &target.kind {
            ShapeKind::Enum(members) | ShapeKind::IntEnum(members) => {
                // The variant as the enum's own plan names it; validation guarantees one.
                let variant = members
                    .iter()
                    .position(|m| m.enum_value() == *value)
                    .and_then(|index| self.variants(&member.target).get(index));
                match variant {
                    Some(variant) => DefaultValue::Variant(
                        self.symbol(&member.target).clone(),
                        variant.name.clone(),
                    ),
                    None => DefaultValue::Value(value.clone()),
                }
            }
            ShapeKind::Simple(simple) if !is_type_default(*simple, value) => {
                DefaultValue::Value(value.clone())
            }
            _ => DefaultValue::TypeDefault,
        }
    }

    /// The service's title (`@title`), else its SDK id.
    pub fn title(&self) -> &str {
        self.service_shape.traits.title().unwrap_or(&self.sdk_id)
    }

    pub fn lib_name(&self) -> String {
        self.crate_name.replace('-', "_")
    }

    pub fn shape(&self, id: &ShapeId) -> &'m Shape {
        &self.model.shapes[id]
    }

    pub fn symbol(&self, id: &ShapeId) -> &Symbol {
        &self.symbols[id]
    }

    /// The Rust type of a value of shape `id` (no `Option`, no `Box`).
    pub fn rust_type(&self, id: &ShapeId) -> RustType {
        let shape = self.shape(id);
        if self.streaming_blob(id).is_some() {
            return RustType::Runtime("ByteStream");
        }
        match &shape.kind {
            ShapeKind::Simple(simple) => simple_type(*simple),
            ShapeKind::List(member) => {
                let mut inner = self.rust_type(&member.target);
                if shape.traits.is_sparse() {
                    inner = inner.option();
                }
                RustType::Vec(Box::new(inner))
            }
            ShapeKind::Map { key, value } => {
                let key = self.rust_type(&key.target);
                let mut value = self.rust_type(&value.target);
                if shape.traits.is_sparse() {
                    value = value.option();
                }
                RustType::HashMap(Box::new(key), Box::new(value))
            }
            _ => RustType::Named(self.symbol(id).clone()),
        }
    }

    /// How a structure member is held: plain, `Option`, and whether boxed.
    pub fn member_shape(&self, member: &Member) -> MemberShape {
        let target = self.shape(&member.target);
        let default = effective_default(member, target);
        // A stream is never absent, only empty (as in the AWS SDKs).
        if self.streaming_blob(&member.target).is_some() {
            return MemberShape {
                optional: false,
                boxed: false,
                default: Some(serde_json::Value::String(String::new())),
            };
        }
        // `@clientOptional` asks for a nullable member even when required or defaulted.
        let optional = member.traits.is_client_optional()
            || (default.is_none() && !member.traits.is_required());
        MemberShape {
            optional,
            boxed: self.boxed.contains(&member.id),
            default,
        }
    }

    /// The full field type of a structure member.
    fn member_type(&self, member: &Member) -> RustType {
        let shape = self.member_shape(member);
        let mut ty = self.rust_type(&member.target);
        if shape.boxed {
            ty = ty.boxed();
        }
        if shape.optional {
            ty = ty.option();
        }
        ty
    }

    /// The wire name of a member in a JSON body of this service's protocol.
    /// Members bound to the HTTP message (labels, headers, query) keep their member name:
    /// it is what validation paths name them by.
    pub fn json_name<'a>(&self, member: &'a Member) -> &'a str {
        if is_http_bound(member) {
            return &member.name;
        }
        match self.protocol {
            Protocol::RestJson1 => member.traits.json_name().unwrap_or(&member.name),
            Protocol::AwsJson1_0 | Protocol::AwsJson1_1 => &member.name,
        }
    }

    /// The body format of a timestamp member, `None` for other members.
    fn timestamp_format_of(&self, member: &Member) -> Option<TimestampFormat> {
        matches!(
            self.shape(&member.target).kind,
            ShapeKind::Simple(SimpleType::Timestamp)
        )
        .then(|| self.body_timestamp_format(member))
    }

    /// Where restJson1 carries `member` outside the JSON body, if it does.
    pub fn http_binding(&self, member: &Member) -> Option<HttpBinding> {
        if self.protocol != Protocol::RestJson1 {
            return None;
        }
        let t = &member.traits;
        Some(if t.is_http_label() {
            HttpBinding::Label
        } else if let Some(name) = t.http_query() {
            HttpBinding::Query(name.to_string())
        } else if t.is_http_query_params() {
            HttpBinding::QueryParams
        } else if let Some(name) = t.http_header() {
            HttpBinding::Header(name.to_string())
        } else if let Some(prefix) = t.http_prefix_headers() {
            HttpBinding::PrefixHeaders(prefix.to_string())
        } else if t.is_http_response_code() {
            HttpBinding::ResponseCode
        } else if t.is_http_payload() {
            HttpBinding::Payload(match &self.shape(&member.target).kind {
                ShapeKind::Simple(SimpleType::String) | ShapeKind::Enum(_) => PayloadKind::Text,
                ShapeKind::Simple(SimpleType::Blob) => PayloadKind::Blob,
                ShapeKind::Structure(_) => PayloadKind::Structure,
                _ => PayloadKind::Json,
            })
        } else {
            return None;
        })
    }

    /// The timestamp format of a member in a JSON body.
    pub fn body_timestamp_format(&self, member: &Member) -> TimestampFormat {
        self.explicit_timestamp_format([member], &member.target)
            .unwrap_or(TimestampFormat::EpochSeconds)
    }

    /// The `@timestampFormat` that applies to a timestamp of shape `target` reached
    /// through `members` (outermost first): the first member that names one, else the
    /// target's. `None` when the location's default applies.
    pub fn explicit_timestamp_format<'a>(
        &self,
        members: impl IntoIterator<Item = &'a Member>,
        target: &ShapeId,
    ) -> Option<TimestampFormat> {
        members
            .into_iter()
            .find_map(|m| m.traits.timestamp_format())
            .or_else(|| self.shape(target).traits.timestamp_format())
    }

    /// True when Debug must not print a value of this member: the member, its target, or
    /// anything inside a list or map it holds is `@sensitive`.
    pub fn is_sensitive(&self, member: &Member) -> bool {
        member.traits.is_sensitive() || self.shape_is_sensitive(&member.target)
    }

    pub fn shape_is_sensitive(&self, id: &ShapeId) -> bool {
        let shape = self.shape(id);
        if shape.traits.is_sensitive() {
            return true;
        }
        match &shape.kind {
            ShapeKind::List(member) => self.is_sensitive(member),
            ShapeKind::Map { key, value } => self.is_sensitive(key) || self.is_sensitive(value),
            _ => false,
        }
    }

    pub fn is_copy(&self, id: &ShapeId) -> bool {
        matches!(
            self.shape(id).kind,
            ShapeKind::Simple(
                SimpleType::Boolean
                    | SimpleType::Byte
                    | SimpleType::Short
                    | SimpleType::Integer
                    | SimpleType::Long
                    | SimpleType::Float
                    | SimpleType::Double
                    | SimpleType::Timestamp
            )
        )
    }
}

/// How a structure member is held.
#[derive(Clone, Debug)]
pub struct MemberShape {
    pub optional: bool,
    pub boxed: bool,
    /// The default value the member takes when absent, if it has one.
    pub default: Option<serde_json::Value>,
}

/// A member's default: its own `default` trait (where `null` clears the target's), else its
/// target's.
pub fn effective_default(member: &Member, target: &Shape) -> Option<serde_json::Value> {
    match member.traits.default_value() {
        Some(serde_json::Value::Null) => None,
        Some(value) => Some(value.clone()),
        None => target
            .traits
            .default_value()
            .filter(|v| !v.is_null())
            .cloned(),
    }
}

/// A shape's name inside a service, after the service's `rename`.
pub fn shape_name(service: &Service, id: &ShapeId) -> String {
    service
        .rename
        .get(id)
        .cloned()
        .unwrap_or_else(|| id.name.clone())
}

fn simple_type(simple: SimpleType) -> RustType {
    match simple {
        SimpleType::Blob => RustType::Runtime("Blob"),
        SimpleType::Boolean => RustType::Bool,
        SimpleType::String => RustType::String,
        SimpleType::Byte => RustType::I8,
        SimpleType::Short => RustType::I16,
        SimpleType::Integer => RustType::I32,
        SimpleType::Long => RustType::I64,
        SimpleType::Float => RustType::F32,
        SimpleType::Double => RustType::F64,
        SimpleType::BigInteger => RustType::Runtime("BigInteger"),
        SimpleType::BigDecimal => RustType::Runtime("BigDecimal"),
        SimpleType::Timestamp => RustType::Runtime("DateTime"),
        SimpleType::Document => RustType::Runtime("Document"),
    }
}

/// True when `value`, a default of a `simple` member, is what the Rust type's `Default`
/// gives, so no model-specific value has to be written.
fn is_type_default(simple: SimpleType, value: &serde_json::Value) -> bool {
    match simple {
        SimpleType::Boolean => value.as_bool() != Some(true),
        SimpleType::String | SimpleType::Blob => value.as_str().is_none_or(str::is_empty),
        SimpleType::Byte | SimpleType::Short | SimpleType::Integer | SimpleType::Long => {
            value.as_i64().is_none_or(|n| n == 0)
        }
        SimpleType::Float | SimpleType::Double => value.as_f64().is_none_or(|n| n == 0.0),
        SimpleType::Document => value.is_null(),
        SimpleType::BigInteger | SimpleType::BigDecimal | SimpleType::Timestamp => false,
    }
}

/// Shapes reachable from the operations' inputs (enum members aside).
fn input_closure(model: &Model, operations: &[OperationPlan]) -> BTreeSet<ShapeId> {
    let mut stack: Vec<ShapeId> = operations.iter().map(|op| op.input.clone()).collect();
    let mut seen = BTreeSet::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id.clone()) {
            continue;
        }
        let shape = &model.shapes[&id];
        if !matches!(shape.kind, ShapeKind::Enum(_) | ShapeKind::IntEnum(_)) {
            stack.extend(shape.members().into_iter().map(|m| m.target.clone()));
        }
    }
    seen
}

/// Members of structures and unions that refer, directly (not through a list or map),
/// to a shape that leads back to their own: these need a `Box`.
fn find_boxed_members(model: &Model, closure: &BTreeSet<ShapeId>) -> BTreeSet<ShapeId> {
    let direct_edges = |id: &ShapeId| -> Vec<ShapeId> {
        match &model.shapes[id].kind {
            ShapeKind::Structure(members) | ShapeKind::Union(members) => members
                .iter()
                .filter(|m| {
                    matches!(
                        model.shapes[&m.target].kind,
                        ShapeKind::Structure(_) | ShapeKind::Union(_)
                    )
                })
                .map(|m| m.target.clone())
                .collect(),
            _ => Vec::new(),
        }
    };
    let reaches = |from: &ShapeId, to: &ShapeId| -> bool {
        let mut stack = vec![from.clone()];
        let mut seen = BTreeSet::new();
        while let Some(id) = stack.pop() {
            if id == *to {
                return true;
            }
            if seen.insert(id.clone()) {
                stack.extend(direct_edges(&id));
            }
        }
        false
    };
    let mut boxed = BTreeSet::new();
    for id in closure {
        let shape = &model.shapes[id];
        if let ShapeKind::Structure(members) | ShapeKind::Union(members) = &shape.kind {
            for member in members {
                let aggregate = matches!(
                    model.shapes[&member.target].kind,
                    ShapeKind::Structure(_) | ShapeKind::Union(_)
                );
                if aggregate && reaches(&member.target, id) {
                    boxed.insert(member.id.clone());
                }
            }
        }
    }
    boxed
}

/// True when restJson1 binds the member to the URI, a header, the query or the status code
/// rather than the JSON body.
pub fn is_http_bound(member: &Member) -> bool {
    let t = &member.traits;
    t.is_http_label()
        || t.http_header().is_some()
        || t.http_prefix_headers().is_some()
        || t.http_query().is_some()
        || t.is_http_query_params()
        || t.is_http_response_code()
}

impl std::fmt::Display for Module {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Module::Types => f.write_str("crate::types"),
            Module::Errors => f.write_str("crate::types::error"),
            Module::Operation(name) if naming::is_keyword(name) => {
                write!(f, "crate::operation::r#{name}")
            }
            Module::Operation(name) => write!(f, "crate::operation::{name}"),
            Module::Builders(module) => write!(f, "{module}::builders"),
        }
    }
}

impl std::fmt::Display for Symbol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}::{}", self.module, self.name)
    }
}

/// Rust syntax, shortened (`Vec`, `Option`, runtime types by name), for the plan's dump.
impl std::fmt::Display for RustType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RustType::Bool => f.write_str("bool"),
            RustType::I8 => f.write_str("i8"),
            RustType::I16 => f.write_str("i16"),
            RustType::I32 => f.write_str("i32"),
            RustType::I64 => f.write_str("i64"),
            RustType::F32 => f.write_str("f32"),
            RustType::F64 => f.write_str("f64"),
            RustType::String => f.write_str("String"),
            RustType::Runtime(name) => f.write_str(name),
            RustType::Vec(inner) => write!(f, "Vec<{inner}>"),
            RustType::HashMap(key, value) => write!(f, "HashMap<{key}, {value}>"),
            RustType::Option(inner) => write!(f, "Option<{inner}>"),
            RustType::Box(inner) => write!(f, "Box<{inner}>"),
            RustType::Named(symbol) => write!(f, "{symbol}"),
        }
    }
}

impl ServicePlan<'_> {
    /// The plan as text, one line per decision: what the snapshot tests read to see what
    /// the generator decided before anything is rendered.
    pub fn dump(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "crate {} ({}, {:?})",
            self.crate_name, self.service_id, self.protocol
        );
        for op in &self.operations {
            let _ = writeln!(
                out,
                "operation {} module {}: {} -> {}, errors [{}]",
                op.name,
                op.module,
                op.input,
                op.output,
                op.errors
                    .iter()
                    .map(|e| self
                        .symbols
                        .get(e)
                        .map_or(e.to_string(), |s| s.name.clone()))
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        for (id, symbol) in &self.symbols {
            let _ = writeln!(out, "{symbol} <- {id}");
            for field in self.fields(id) {
                let mut notes = Vec::new();
                if field.wire_name != field.member.name {
                    notes.push(format!("wire {:?}", field.wire_name));
                }
                match &field.default {
                    Some(DefaultValue::TypeDefault) => notes.push("default".into()),
                    Some(DefaultValue::Variant(_, variant)) => {
                        notes.push(format!("default {variant}"))
                    }
                    Some(DefaultValue::Value(value)) => notes.push(format!("default {value}")),
                    None => {}
                }
                if let Some(format) = field.timestamp_format {
                    notes.push(format.to_string());
                }
                if !field.constraints.is_empty() {
                    notes.push(field.constraints.to_string());
                }
                if let Some(binding) = &field.binding {
                    notes.push(binding.to_string());
                }
                if field.sensitive {
                    notes.push("sensitive".into());
                }
                let _ = writeln!(
                    out,
                    "    {}: {}{}",
                    field.name,
                    field.ty,
                    if notes.is_empty() {
                        String::new()
                    } else {
                        format!("  [{}]", notes.join(", "))
                    }
                );
            }
            for variant in self.variants(id) {
                let payload = match (&variant.ty, &variant.value) {
                    (Some(ty), _) => format!("({ty}) wire {:?}", variant.wire_name),
                    (None, Some(value)) => format!(" = {value}"),
                    (None, None) => format!(" wire {:?}", variant.wire_name),
                };
                let _ = writeln!(out, "    {}{payload}", variant.name);
            }
        }
        out
    }
}
