//! The Rust plan of one service: which crate, which module and which name every shape
//! takes, how each member is typed. Every emitter asks here instead of deciding again.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

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
}

impl Module {
    pub fn path(&self) -> TokenStream {
        match self {
            Module::Types => quote!(crate::types),
            Module::Errors => quote!(crate::types::error),
            Module::Operation(name) => {
                let name = ident(name);
                quote!(crate::operation::#name)
            }
        }
    }
}

/// Where one generated type lives and what it is called.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Symbol {
    pub module: Module,
    pub name: String,
}

impl Symbol {
    pub fn path(&self) -> TokenStream {
        let module = self.module.path();
        let name = ident(&self.name);
        quote!(#module::#name)
    }

    /// The path of the structure's builder: `<module>::builders::<Name>Builder`.
    pub fn builder_path(&self) -> TokenStream {
        let module = self.module.path();
        let name = format_ident!("{}Builder", self.name);
        quote!(#module::builders::#name)
    }
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
}

impl OperationPlan {
    pub fn input_name(&self) -> String {
        format!("{}Input", self.name)
    }
    pub fn output_name(&self) -> String {
        format!("{}Output", self.name)
    }
    pub fn error_name(&self) -> String {
        format!("{}Error", self.name)
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
}

/// An identifier; Rust keywords (with or without `r#` already) become raw identifiers.
pub fn ident(name: &str) -> proc_macro2::Ident {
    let bare = name.strip_prefix("r#").unwrap_or(name);
    if name.starts_with("r#") || naming::is_keyword(bare) {
        proc_macro2::Ident::new_raw(bare, proc_macro2::Span::call_site())
    } else {
        format_ident!("{}", name)
    }
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
            operations.push(OperationPlan {
                id: op_id.clone(),
                name,
                module,
                input: op.input.clone(),
                output: op.output.clone(),
                errors,
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
        Ok(ServicePlan {
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
        })
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
    pub fn rust_type(&self, id: &ShapeId) -> TokenStream {
        let shape = self.shape(id);
        match &shape.kind {
            ShapeKind::Simple(simple) => simple_type(*simple),
            ShapeKind::List(member) => {
                let inner = self.rust_type(&member.target);
                if shape.traits.is_sparse() {
                    quote!(::std::vec::Vec<::std::option::Option<#inner>>)
                } else {
                    quote!(::std::vec::Vec<#inner>)
                }
            }
            ShapeKind::Map { key, value } => {
                let key = self.rust_type(&key.target);
                let value = self.rust_type(&value.target);
                if shape.traits.is_sparse() {
                    quote!(::std::collections::HashMap<#key, ::std::option::Option<#value>>)
                } else {
                    quote!(::std::collections::HashMap<#key, #value>)
                }
            }
            _ => self.symbol(id).path(),
        }
    }

    /// How a structure member is held: plain, `Option`, and whether boxed.
    pub fn member_shape(&self, member: &Member) -> MemberShape {
        let target = self.shape(&member.target);
        let default = effective_default(member, target);
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
    pub fn member_type(&self, member: &Member) -> TokenStream {
        let shape = self.member_shape(member);
        let mut ty = self.rust_type(&member.target);
        if shape.boxed {
            ty = quote!(::std::boxed::Box<#ty>);
        }
        if shape.optional {
            ty = quote!(::std::option::Option<#ty>);
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

    /// The timestamp format of a member in a JSON body.
    pub fn body_timestamp_format(&self, member: &Member) -> TimestampFormat {
        member
            .traits
            .timestamp_format()
            .or_else(|| self.shape(&member.target).traits.timestamp_format())
            .unwrap_or(TimestampFormat::EpochSeconds)
    }

    /// The `serde_as` adapter a value of `member`'s target needs, if any part of it is a
    /// timestamp (whose wire form depends on the member, not the type).
    pub fn serde_adapter(&self, member: &Member) -> Option<TokenStream> {
        let target = self.shape(&member.target);
        let same = || quote!(::smithy_runtime::serde_as::Same);
        match &target.kind {
            ShapeKind::Simple(SimpleType::Timestamp) => {
                Some(match self.body_timestamp_format(member) {
                    TimestampFormat::EpochSeconds => {
                        quote!(::smithy_runtime::serde_as::EpochSeconds)
                    }
                    TimestampFormat::DateTime => quote!(::smithy_runtime::serde_as::DateTimeFormat),
                    TimestampFormat::HttpDate => quote!(::smithy_runtime::serde_as::HttpDate),
                })
            }
            ShapeKind::Simple(SimpleType::Float | SimpleType::Double) => {
                Some(quote!(::smithy_runtime::serde_as::Float))
            }
            // Dense collections drop `null` items when read (clients must tolerate them).
            ShapeKind::List(inner) if !target.traits.is_sparse() => {
                let inner = self.serde_adapter(inner).unwrap_or_else(same);
                Some(quote!(::smithy_runtime::serde_as::DenseVec<#inner>))
            }
            ShapeKind::List(inner) => {
                let inner = self.serde_adapter(inner)?;
                Some(quote!(::std::vec::Vec<::std::option::Option<#inner>>))
            }
            ShapeKind::Map { key, value } if !target.traits.is_sparse() => {
                let inner = self.serde_adapter(value).unwrap_or_else(same);
                let key = self.rust_type(&key.target);
                Some(quote!(::smithy_runtime::serde_as::DenseMap<#key, #inner>))
            }
            ShapeKind::Map { key, value } => {
                let inner = self.serde_adapter(value)?;
                let key = self.rust_type(&key.target);
                Some(quote!(::std::collections::HashMap<#key, ::std::option::Option<#inner>>))
            }
            _ => None,
        }
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

    /// Rust field names for a shape's members, in order, distinct.
    pub fn field_names(&self, members: &[&Member]) -> Vec<String> {
        distinct_names(members, naming::field_name)
    }

    /// Rust variant names for a union's (or enum's) members, in order, distinct.
    pub fn variant_names(&self, members: &[&Member]) -> Vec<String> {
        distinct_names(members, naming::variant_name)
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

/// Each member's name through `name`, duplicates numbered (`naming::dedupe`).
fn distinct_names(members: &[&Member], name: fn(&str) -> String) -> Vec<String> {
    let mut names: Vec<String> = members.iter().map(|m| name(&m.name)).collect();
    naming::dedupe(&mut names);
    names
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

fn simple_type(simple: SimpleType) -> TokenStream {
    match simple {
        SimpleType::Blob => quote!(::smithy_runtime::Blob),
        SimpleType::Boolean => quote!(bool),
        SimpleType::String => quote!(::std::string::String),
        SimpleType::Byte => quote!(i8),
        SimpleType::Short => quote!(i16),
        SimpleType::Integer => quote!(i32),
        SimpleType::Long => quote!(i64),
        SimpleType::Float => quote!(f32),
        SimpleType::Double => quote!(f64),
        SimpleType::BigInteger => quote!(::smithy_runtime::BigInteger),
        SimpleType::BigDecimal => quote!(::smithy_runtime::BigDecimal),
        SimpleType::Timestamp => quote!(::smithy_runtime::DateTime),
        SimpleType::Document => quote!(::smithy_runtime::Document),
    }
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
