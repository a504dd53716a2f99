//! `src/schema.rs`: the constraint schema of every shape an operation input can reach, as
//! `static` data the runtime's validator walks. Statics may refer to each other, so
//! recursive shapes need nothing special.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::ShapeId;
use crate::model::{Member, Shape, ShapeKind, SimpleType};
use crate::plan::{Constraints, ServicePlan, shape_name};
use crate::traits::TimestampFormat;

/// Names of the statics, decided once so references and definitions agree.
pub struct SchemaNames {
    shapes: BTreeMap<ShapeId, String>,
    /// Members whose own constraint traits override their target's.
    members: BTreeMap<ShapeId, String>,
    /// Each distinct `@pattern`: its static's name and its translation for the runtime.
    patterns: BTreeMap<String, (String, crate::pattern::Translated)>,
}

/// True when a member carries constraints (or a timestamp format) of its own.
fn member_overrides(member: &Member) -> bool {
    !Constraints::of(&member.traits).is_empty() || member.traits.timestamp_format().is_some()
}

fn is_enum_member(plan: &ServicePlan<'_>, member: &Member) -> bool {
    matches!(
        plan.shape(&member.id.root()).kind,
        ShapeKind::Enum(_) | ShapeKind::IntEnum(_)
    )
}

impl SchemaNames {
    pub fn new(
        plan: &ServicePlan<'_>,
        closure: &BTreeSet<ShapeId>,
    ) -> Result<SchemaNames, crate::Diagnostic> {
        let mut taken = BTreeSet::new();
        let mut unique = |base: String| -> String {
            let mut name = base.clone();
            let mut n = 2;
            while !taken.insert(name.clone()) {
                name = format!("{base}_{n}");
                n += 1;
            }
            name
        };
        let mut shapes = BTreeMap::new();
        let mut members = BTreeMap::new();
        let mut patterns: BTreeMap<String, (String, crate::pattern::Translated)> = BTreeMap::new();
        // Patterns are translated for the runtime's engines here, once; a model that loaded
        // has had every pattern checked already, so an error here names the shape anyway.
        let mut translate = |pattern: &str, at: &ShapeId, name: String| {
            if patterns.contains_key(pattern) {
                return Ok(());
            }
            let translated = crate::pattern::translate(pattern).map_err(|e| {
                crate::Diagnostic::new(format!("invalid `@pattern`: {e}")).at_shape(at)
            })?;
            patterns.insert(pattern.to_string(), (name, translated));
            Ok::<(), crate::Diagnostic>(())
        };
        for id in closure {
            let rust_name = plan
                .symbols
                .get(id)
                .map(|s| s.name.clone())
                .unwrap_or_else(|| shape_name(plan.service, id));
            let base = if id.is_prelude() {
                format!("PRELUDE_{}", rust_name.to_shouty_snake_case())
            } else {
                rust_name.to_shouty_snake_case()
            };
            shapes.insert(id.clone(), unique(base.clone()));
            let shape = plan.shape(id);
            if let Some(pattern) = shape.traits.pattern() {
                translate(pattern, id, unique(format!("{base}_PATTERN")))?;
            }
            for member in shape.members() {
                if is_enum_member(plan, member) || !member_overrides(member) {
                    continue;
                }
                let member_base = format!("{base}_{}", member.name.to_shouty_snake_case());
                members.insert(member.id.clone(), unique(member_base.clone()));
                if let Some(pattern) = member.traits.pattern() {
                    translate(
                        pattern,
                        &member.id,
                        unique(format!("{member_base}_PATTERN")),
                    )?;
                }
            }
        }
        Ok(SchemaNames {
            shapes,
            members,
            patterns,
        })
    }

    /// The static a member's value is checked against.
    fn member_ref(&self, member: &Member) -> proc_macro2::Ident {
        let name = self
            .members
            .get(&member.id)
            .unwrap_or_else(|| &self.shapes[&member.target]);
        format_ident!("{}", name)
    }

    /// True when shape `id` has a schema (an operation input reaches it).
    pub fn has(&self, id: &ShapeId) -> bool {
        self.shapes.contains_key(id)
    }

    /// Path to the schema static of shape `id`, for use outside `schema.rs`.
    pub fn path(&self, id: &ShapeId) -> TokenStream {
        let name = format_ident!("{}", self.shapes[id]);
        quote!(crate::schema::#name)
    }
}

/// The contents of `src/schema.rs`.
pub fn emit_schema_module(
    plan: &ServicePlan<'_>,
    closure: &BTreeSet<ShapeId>,
    names: &SchemaNames,
) -> TokenStream {
    let mut items = Vec::new();
    for (source, (name, translated)) in &names.patterns {
        let ident = format_ident!("{}", name);
        let regex = &translated.regex;
        let constructor = if translated.needs_backtracking {
            quote!(backtracking)
        } else {
            quote!(new)
        };
        items.push(quote!(static #ident: Pattern = Pattern::#constructor(#source, #regex);));
    }
    for id in closure {
        let shape = plan.shape(id);
        let ident = format_ident!("{}", names.shapes[id]);
        let doc = format!(" `{id}`");
        let value = schema_expr(plan, names, shape, &ident, &mut items, None);
        items.push(quote!(#[doc = #doc] pub static #ident: Schema = #value;));
        for member in shape.members() {
            let Some(member_name) = names.members.get(&member.id) else {
                continue;
            };
            let member_ident = format_ident!("{}", member_name);
            let target = plan.shape(&member.target);
            let value = schema_expr(plan, names, target, &member_ident, &mut items, Some(member));
            let doc = format!(
                " `{}` (its own constraints over those of `{}`)",
                member.id, member.target
            );
            items.push(quote!(#[doc = #doc] pub static #member_ident: Schema = #value;));
        }
    }
    let has_members = closure.iter().any(|id| {
        matches!(
            plan.shape(id).kind,
            ShapeKind::Structure(_) | ShapeKind::Union(_)
        )
    });
    let validation = match (closure.is_empty(), has_members) {
        (true, _) => None,
        (false, true) => Some(quote!(
            use ::smithy_runtime::validation::{Kind, Member, Schema};
        )),
        (false, false) => Some(quote!(
            use ::smithy_runtime::validation::{Kind, Schema};
        )),
    };
    let pattern = (!names.patterns.is_empty()).then(|| {
        quote!(
            use ::smithy_runtime::pattern::Pattern;
        )
    });
    let imports = quote!(#pattern #validation);
    quote! {
        #![doc = " The schema of every shape: member names on the wire, timestamp formats and"]
        #![doc = " constraints, read by `smithy_runtime::wire` and `smithy_runtime::validation`."]

        #imports

        #(#items)*
    }
}

/// The expression for a schema of `shape`, with `member`'s own traits (if any) taking
/// precedence over the shape's. Member lists become statics of their own in `items`.
fn schema_expr(
    plan: &ServicePlan<'_>,
    names: &SchemaNames,
    shape: &Shape,
    ident: &proc_macro2::Ident,
    items: &mut Vec<TokenStream>,
    member: Option<&Member>,
) -> TokenStream {
    let kind = match &shape.kind {
        ShapeKind::Structure(members) | ShapeKind::Union(members) => {
            let members_ident = format_ident!("{}_MEMBERS", ident);
            let count = members.len();
            let entries = members.iter().map(|m| {
                let wire = plan.json_name(m);
                let target = names.member_ref(m);
                let member = if !m.traits.is_required() {
                    quote!(Member::optional(#wire, &#target))
                } else {
                    quote!(Member::required(#wire, &#target))
                };
                // Marked, so that a body member with the same wire name stays apart.
                if plan.http_binding(m).is_some() {
                    quote!(#member.http())
                } else {
                    member
                }
            });
            items.push(quote!(static #members_ident: [Member; #count] = [#(#entries),*];));
            let variant = if matches!(shape.kind, ShapeKind::Union(_)) {
                quote!(Union)
            } else {
                quote!(Structure)
            };
            quote!(Kind::#variant(&#members_ident))
        }
        ShapeKind::List(inner) => {
            let inner = names.member_ref(inner);
            let sparse = shape.traits.is_sparse();
            quote!(Kind::List { member: &#inner, sparse: #sparse })
        }
        ShapeKind::Map { key, value } => {
            let key = names.member_ref(key);
            let value = names.member_ref(value);
            let sparse = shape.traits.is_sparse();
            quote!(Kind::Map { key: &#key, value: &#value, sparse: #sparse })
        }
        ShapeKind::Enum(_) => quote!(Kind::String),
        ShapeKind::IntEnum(_) => quote!(Kind::Integer),
        ShapeKind::Simple(simple) => {
            let variant = match simple {
                SimpleType::Blob => quote!(Blob),
                SimpleType::Boolean => quote!(Boolean),
                SimpleType::String => quote!(String),
                SimpleType::Byte => quote!(Byte),
                SimpleType::Short => quote!(Short),
                SimpleType::Integer => quote!(Integer),
                SimpleType::Long => quote!(Long),
                SimpleType::Float => quote!(Float),
                SimpleType::Double => quote!(Double),
                SimpleType::BigInteger => quote!(BigInteger),
                SimpleType::BigDecimal => quote!(BigDecimal),
                SimpleType::Document => quote!(Document),
                SimpleType::Timestamp => {
                    let format = plan
                        .explicit_timestamp_format(member, &shape.id)
                        .unwrap_or(TimestampFormat::EpochSeconds);
                    let format = super::rust::timestamp_format(format);
                    quote!(Timestamp(#format))
                }
            };
            quote!(Kind::#variant)
        }
        _ => quote!(Kind::Document),
    };
    let constraints = Constraints::resolve(member, shape);
    let mut expr = quote!(Schema::of(#kind));
    if let Some(length) = constraints.length {
        let min = option_tokens(length.min);
        let max = option_tokens(length.max);
        expr = quote!(#expr.length(#min, #max));
    }
    if let Some(range) = &constraints.range {
        let min = option_tokens(range.min.as_ref().map(|n| n.to_string()));
        let max = option_tokens(range.max.as_ref().map(|n| n.to_string()));
        expr = quote!(#expr.range(#min, #max));
    }
    if let Some(pattern) = &constraints.pattern {
        let pattern_ident = format_ident!("{}", names.patterns[pattern].0);
        expr = quote!(#expr.pattern(&#pattern_ident));
    }
    if constraints.unique_items {
        expr = quote!(#expr.unique_items());
    }
    match &shape.kind {
        ShapeKind::Enum(members) => {
            let all: Vec<String> = members
                .iter()
                .map(|m| m.enum_value().as_str().unwrap_or_default().to_string())
                .collect();
            let shown: Vec<&String> = members
                .iter()
                .zip(&all)
                .filter(|(m, _)| !m.traits.is_internal())
                .map(|(_, v)| v)
                .collect();
            expr = quote!(#expr.string_enum(&[#(#all),*], &[#(#shown),*]));
        }
        ShapeKind::IntEnum(members) => {
            let all: Vec<i64> = members
                .iter()
                .map(|m| m.enum_value().as_i64().unwrap_or_default())
                .collect();
            let shown: Vec<&i64> = members
                .iter()
                .zip(&all)
                .filter(|(m, _)| !m.traits.is_internal())
                .map(|(_, v)| v)
                .collect();
            expr = quote!(#expr.int_enum(&[#(#all),*], &[#(#shown),*]));
        }
        _ => {}
    }
    expr
}

fn option_tokens<T: quote::ToTokens>(value: Option<T>) -> TokenStream {
    match value {
        Some(value) => quote!(Some(#value)),
        None => quote!(None),
    }
}
