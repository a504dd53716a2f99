//! Semantic checks on a loaded model: every reference resolves, every trait stands where it
//! may and holds a value that fits.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::model::{Member, Model, Shape, ShapeKind, SimpleType};
use crate::traits::Trait;
use crate::{Diagnostic, Diagnostics, ShapeId};

pub fn validate(model: &Model) -> Diagnostics {
    let mut checker = Checker {
        model,
        diagnostics: Diagnostics::default(),
        patterns_checked: BTreeSet::new(),
        patterns: Vec::new(),
    };
    for shape in model.shapes.values() {
        checker.check_shape(shape);
    }
    checker.check_patterns();
    checker.diagnostics
}

struct Checker<'m> {
    model: &'m Model,
    diagnostics: Diagnostics,
    /// Patterns already met once; models repeat them a lot.
    patterns_checked: BTreeSet<&'m str>,
    /// Each pattern where it is first met, to compile after the other checks.
    patterns: Vec<(&'m str, &'m Shape, &'m ShapeId)>,
}

impl<'m> Checker<'m> {
    fn error(&mut self, shape: &Shape, at: &ShapeId, message: String) {
        let mut diagnostic = Diagnostic::new(message).at_shape(at);
        diagnostic.file = shape.file.clone();
        self.diagnostics.push(diagnostic);
    }

    /// A `@pattern` must compile under ECMA-262 rules now, never fail at run time: noted
    /// here, compiled by [`check_patterns`](Self::check_patterns).
    fn check_pattern(&mut self, shape: &'m Shape, at: &'m ShapeId, pattern: Option<&'m str>) {
        let Some(pattern) = pattern else { return };
        if self.patterns_checked.insert(pattern) {
            self.patterns.push((pattern, shape, at));
        }
    }

    /// Compiles each pattern, on every core: compiling is most of validation's time, and
    /// generation waits for it.
    fn check_patterns(&mut self) {
        let patterns = std::mem::take(&mut self.patterns);
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(patterns.len())
            .max(1);
        // Thread t compiles patterns t, t + threads, ...; errors come back in order.
        let compile = |t: usize| -> Vec<(usize, String)> {
            (t..patterns.len())
                .step_by(threads)
                .filter_map(|i| {
                    crate::pattern::check(patterns[i].0)
                        .err()
                        .map(|e| (i, e.to_string()))
                })
                .collect()
        };
        let mut errors: Vec<(usize, String)> = std::thread::scope(|scope| {
            let helpers: Vec<_> = (1..threads)
                .map(|t| scope.spawn(move || compile(t)))
                .collect();
            let mut errors = compile(0);
            for helper in helpers {
                errors.extend(
                    helper
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                );
            }
            errors
        });
        errors.sort_by_key(|(i, _)| *i);
        for (i, error) in errors {
            let (_, shape, at) = patterns[i];
            self.error(shape, at, format!("invalid `@pattern`: {error}"));
        }
    }

    fn check_shape(&mut self, shape: &'m Shape) {
        self.check_pattern(shape, &shape.id, shape.traits.pattern());
        for member in shape.members() {
            self.check_pattern(shape, &member.id, member.traits.pattern());
        }
        let type_name = shape.kind.type_name();
        for (trait_id, _) in shape.traits.iter() {
            if let Err(reason) = Trait::check_placement(trait_id, None, type_name) {
                self.error(shape, &shape.id, reason);
            }
        }
        let mut seen_names = BTreeSet::new();
        for member in shape.members() {
            if !seen_names.insert(member.name.to_ascii_lowercase()) {
                self.error(
                    shape,
                    &member.id,
                    "member names must be unique, ignoring case".into(),
                );
            }
            self.check_member(shape, member);
        }
        match &shape.kind {
            ShapeKind::Enum(members) => self.check_enum_values(shape, members, false),
            ShapeKind::IntEnum(members) => self.check_enum_values(shape, members, true),
            ShapeKind::Service(service) => {
                for op in &service.operations {
                    self.expect_kind(shape, op, "operation", "an operation");
                }
                for resource in &service.resources {
                    self.expect_kind(shape, resource, "resource", "a resource");
                }
                for error in &service.errors {
                    self.expect_error(shape, error);
                }
            }
            ShapeKind::Resource(resource) => {
                for op in resource.all_operations() {
                    self.expect_kind(shape, op, "operation", "an operation");
                }
                for child in &resource.resources {
                    self.expect_kind(shape, child, "resource", "a resource");
                }
                for (name, target) in resource.identifiers.iter().chain(&resource.properties) {
                    if self.model.shape(target).is_none() {
                        self.error(
                            shape,
                            &shape.id,
                            format!("`{name}` targets `{target}`, which does not exist"),
                        );
                    }
                }
            }
            ShapeKind::Operation(op) => {
                self.expect_kind(shape, &op.input, "structure", "a structure (input)");
                self.expect_kind(shape, &op.output, "structure", "a structure (output)");
                for error in &op.errors {
                    self.expect_error(shape, error);
                }
                if let Some(http) = shape.traits.http() {
                    self.check_http_labels(shape, &op.input, &http.uri);
                }
            }
            _ => {}
        }
        if let Some(default) = shape.traits.default_value() {
            if let Err(reason) = self.check_default(shape, default) {
                self.error(shape, &shape.id, reason);
            }
        }
    }

    fn check_member(&mut self, container: &Shape, member: &Member) {
        let Some(target) = self.model.shape(&member.target) else {
            self.error(
                container,
                &member.id,
                format!("member targets `{}`, which does not exist", member.target),
            );
            return;
        };
        if matches!(
            target.kind,
            ShapeKind::Service(_) | ShapeKind::Operation(_) | ShapeKind::Resource(_)
        ) {
            self.error(
                container,
                &member.id,
                format!(
                    "a member cannot target the {} `{}`",
                    target.kind.type_name(),
                    target.id
                ),
            );
        }
        if target.traits.is_mixin() {
            self.error(
                container,
                &member.id,
                format!("a member cannot target the mixin `{}`", target.id),
            );
        }
        let container_type = container.kind.type_name();
        for (trait_id, _) in member.traits.iter() {
            if let Err(reason) =
                Trait::check_placement(trait_id, Some(container_type), target.kind.type_name())
            {
                self.error(container, &member.id, reason);
            }
        }
        if let Some(default) = member.traits.default_value() {
            if !default.is_null() {
                if let Err(reason) = self.check_default(target, default) {
                    self.error(container, &member.id, reason);
                }
            }
        }
    }

    fn check_default(&self, target: &Shape, value: &Value) -> Result<(), String> {
        let fits = match &target.kind {
            ShapeKind::Simple(SimpleType::Boolean) => value.is_boolean(),
            ShapeKind::Simple(SimpleType::String | SimpleType::Blob) => value.is_string(),
            ShapeKind::Simple(SimpleType::Timestamp) => value.is_string() || value.is_number(),
            ShapeKind::Simple(SimpleType::Document) => true,
            ShapeKind::Simple(simple) if simple.is_number() => value.is_number(),
            ShapeKind::Enum(members) => value
                .as_str()
                .is_some_and(|v| members.iter().any(|m| m.enum_value().as_str() == Some(v))),
            ShapeKind::IntEnum(members) => value
                .as_i64()
                .is_some_and(|v| members.iter().any(|m| m.enum_value().as_i64() == Some(v))),
            ShapeKind::List(_) => value.as_array().is_some_and(Vec::is_empty),
            ShapeKind::Map { .. } => value.as_object().is_some_and(|m| m.is_empty()),
            _ => false,
        };
        if fits || value.is_null() {
            Ok(())
        } else {
            Err(format!(
                "default value {value} does not fit the {} `{}`",
                target.kind.type_name(),
                target.id
            ))
        }
    }

    fn check_enum_values(&mut self, shape: &Shape, members: &[Member], int: bool) {
        let mut seen = BTreeSet::new();
        for member in members {
            let value = member.enum_value();
            let ok = if int {
                value.is_i64()
            } else {
                value.as_str().is_some_and(|s| !s.is_empty())
            };
            if !ok {
                let expected = if int {
                    "an integer `enumValue`"
                } else {
                    "a non-empty string value"
                };
                self.error(shape, &member.id, format!("enum member needs {expected}"));
            } else if !seen.insert(value.to_string()) {
                self.error(
                    shape,
                    &member.id,
                    format!("enum value {value} is used twice"),
                );
            }
        }
    }

    fn expect_kind(&mut self, owner: &Shape, id: &ShapeId, type_name: &str, what: &str) {
        match self.model.shape(id) {
            None => self.error(
                owner,
                &owner.id,
                format!("refers to `{id}`, which does not exist"),
            ),
            Some(shape) if shape.kind.type_name() != type_name => {
                self.error(
                    owner,
                    &owner.id,
                    format!("`{id}` must be {what}, but is a {}", shape.kind.type_name()),
                );
            }
            Some(_) => {}
        }
    }

    fn expect_error(&mut self, owner: &Shape, id: &ShapeId) {
        self.expect_kind(owner, id, "structure", "a structure (error)");
        if let Some(shape) = self.model.shape(id) {
            if shape.traits.error().is_none() && matches!(shape.kind, ShapeKind::Structure(_)) {
                self.error(
                    owner,
                    &owner.id,
                    format!("`{id}` is listed as an error but lacks the `smithy.api#error` trait"),
                );
            }
        }
    }

    /// Every `{label}` in the URI needs a required `httpLabel` input member, and back.
    fn check_http_labels(&mut self, op: &Shape, input: &ShapeId, uri: &str) {
        let labels: Vec<&str> = uri
            .split(['/', '?'])
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
            .map(|label| label.trim_end_matches('+'))
            .collect();
        let Some(input) = self.model.shape(input) else {
            return;
        };
        for label in &labels {
            match input.member(label) {
                Some(member) if member.traits.is_http_label() && member.traits.is_required() => {}
                _ => self.error(op, &op.id, format!("URI label `{{{label}}}` needs a required input member `{label}` with `@httpLabel`")),
            }
        }
        for member in input.members() {
            if member.traits.is_http_label() && !labels.contains(&member.name.as_str()) {
                self.error(
                    op,
                    &member.id,
                    format!(
                        "`@httpLabel` member `{}` has no `{{{}}}` in the URI `{uri}`",
                        member.name, member.name
                    ),
                );
            }
        }
    }
}
