//! What the parser builds from one file: statements as written, shape IDs not yet resolved
//! (resolution needs every file's shapes, so it happens in [`super::lower`]).

use serde_json::Number;

use super::error::Span;

/// A shape ID as written (`Foo`, `Foo$bar`, `ns#Foo`), and where.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Ref {
    pub text: String,
    pub span: Span,
}

/// A node value. Unquoted shape IDs stay [`Node::Id`] until they are resolved.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Id(Ref),
    Array(Vec<Node>),
    Object(Vec<(String, Span, Node)>),
}

/// `@id` or `@id(value)`; an omitted value is the empty object.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TraitApp {
    pub id: Ref,
    pub value: Node,
    pub span: Span,
    /// Made from a `///` comment: an explicit `@documentation` on the same shape wins.
    pub doc_comment: bool,
}

/// A member of an aggregate or enum shape.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct MemberDef {
    pub name: String,
    pub span: Span,
    /// `None` for an elided target (`$name`): taken from the resource or a mixin.
    pub target: Option<Ref>,
    pub traits: Vec<TraitApp>,
    /// `= value`: the default of a structure member, the value of an enum member.
    pub value: Option<Node>,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Body {
    Simple,
    /// `enum` or `intEnum` members.
    Enum(Vec<MemberDef>),
    /// Structure, union, list (`member`) and map (`key`, `value`) members.
    Members(Vec<MemberDef>),
    /// Service, resource and operation properties (`version: ...`, `input: ...`).
    Properties(Vec<(String, Span, Node)>),
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ShapeDef {
    /// The JSON AST type name: `string`, `structure`, `intEnum`, ...
    pub type_name: &'static str,
    pub name: String,
    pub span: Span,
    pub traits: Vec<TraitApp>,
    pub mixins: Vec<Ref>,
    /// `structure X for Resource`: where elided members find their targets first.
    pub for_resource: Option<Ref>,
    pub body: Body,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ApplyDef {
    pub target: Ref,
    pub traits: Vec<TraitApp>,
}

/// One parsed file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct FileAst {
    /// The `$version` as written, `"2.0"` when absent.
    pub version: String,
    pub metadata: Vec<(String, Span, Node)>,
    pub namespace: Option<String>,
    pub uses: Vec<Ref>,
    pub shapes: Vec<ShapeDef>,
    pub applies: Vec<ApplyDef>,
}

impl FileAst {
    pub(crate) fn is_v1(&self) -> bool {
        self.version == "1" || self.version.starts_with("1.")
    }
}
