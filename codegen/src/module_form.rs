//! The single-module form of a generated crate, for `build.rs` and `include!`.
//!
//! It is a packaging of the crate's files, not another emitter: the module files are
//! inlined under one `pub mod <name> { ... }`, the crate's feature `cfg`s are decided by
//! the features asked for (a crate that includes the module has no such features), and
//! `crate::` paths become relative (`self::`, `super::`), so the module works wherever it
//! is included.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use proc_macro2::{Ident, Span, TokenStream, TokenTree};
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::visit_mut::{self, VisitMut};
use syn::{Attribute, Expr, Item, Meta, Stmt, Token};

use crate::GeneratedFile;

/// The features of a generated crate a module is made with; the crate's `cfg(feature)`
/// attributes are decided by these.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Features(BTreeSet<String>);

impl Features {
    /// `names`, with what each implies in the crate's `Cargo.toml` (a stub is a server,
    /// aws-config is for the client).
    pub fn new<'a>(names: impl IntoIterator<Item = &'a str>) -> Features {
        let mut set: BTreeSet<String> = names.into_iter().map(str::to_string).collect();
        if set.contains("stub") {
            set.insert("server".into());
        }
        if set.contains("aws-config") || set.contains("rustls") {
            set.insert("client".into());
        }
        Features(set)
    }

    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }

    /// The value of a `cfg` predicate, when it reads only features.
    fn eval(&self, meta: &Meta) -> Option<bool> {
        match meta {
            Meta::NameValue(nv) if nv.path.is_ident("feature") => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                }) => Some(self.has(&name.value())),
                _ => None,
            },
            Meta::List(list) => {
                let name = list.path.get_ident()?.to_string();
                let args = list
                    .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
                    .ok()?;
                let values: Option<Vec<bool>> = args.iter().map(|m| self.eval(m)).collect();
                let values = values?;
                match name.as_str() {
                    "all" => Some(values.iter().all(|v| *v)),
                    "any" => Some(values.iter().any(|v| *v)),
                    "not" if values.len() == 1 => Some(!values[0]),
                    _ => None,
                }
            }
            _ => None,
        }
    }

    /// Decides the `cfg` and `cfg_attr` attributes among `attrs` that read only features:
    /// a true `cfg` goes, a true `cfg_attr` becomes its attributes, a false one goes.
    /// Returns whether the node they are on stays (no false `cfg`).
    fn decide(&self, attrs: &mut Vec<Attribute>) -> bool {
        let mut kept = Vec::with_capacity(attrs.len());
        for attr in attrs.drain(..) {
            if attr.path().is_ident("cfg") {
                match attr.parse_args::<Meta>().ok().and_then(|m| self.eval(&m)) {
                    Some(true) => continue,
                    Some(false) => return false,
                    None => kept.push(attr),
                }
            } else if attr.path().is_ident("cfg_attr") {
                match self.cfg_attr(&attr) {
                    Some(Some(expanded)) => kept.extend(expanded),
                    Some(None) => {}
                    None => kept.push(attr),
                }
            } else {
                kept.push(attr);
            }
        }
        *attrs = kept;
        true
    }

    /// A `cfg_attr` decided: `Some(Some(attributes))` when its predicate holds,
    /// `Some(None)` when it does not, `None` when it reads more than features.
    fn cfg_attr(&self, attr: &Attribute) -> Option<Option<Vec<Attribute>>> {
        let args = attr
            .parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
            .ok()?;
        let mut args = args.into_iter();
        let predicate = args.next()?;
        if !self.eval(&predicate)? {
            return Some(None);
        }
        let style = attr.style;
        let mut expanded = Vec::new();
        for meta in args {
            let mut attribute: Attribute = syn::parse_quote!(#[#meta]);
            attribute.style = style;
            expanded.push(attribute);
        }
        Some(Some(expanded))
    }
}

/// The crate whose files are `files` (paths from the crate's directory, as
/// `emit::emit_crate` gives them) as one module named `name`, formatted. The module
/// asserts at compile time that `smithy-runtime` has `runtime_features`.
pub fn single_module(
    files: &[GeneratedFile],
    name: &str,
    features: &Features,
    runtime_features: &[&str],
) -> Result<String, String> {
    let sources: BTreeMap<&Path, &str> = files
        .iter()
        .map(|f| (f.path.as_path(), f.contents.as_str()))
        .collect();
    let root = parse(&sources, Path::new("src/lib.rs"))?;
    let mut items = root.items;
    inline_modules(&sources, Path::new("src"), &mut items)?;
    let checks = runtime_features.iter().map(|feature| {
        let flag = Ident::new(&feature.replace('-', "_").to_uppercase(), Span::call_site());
        let message = format!(
            "this module needs the `{feature}` feature of smithy-runtime: add it to the \
             dependency's `features` in Cargo.toml"
        );
        syn::parse_quote!(
            const _: () = assert!(::smithy_runtime::features::#flag, #message);
        )
    });
    items.splice(0..0, checks);
    let ident = Ident::new(name, Span::call_site());
    let mut module: syn::ItemMod = syn::parse_quote!(pub mod #ident {});
    // The crate's inner attributes (documentation, lint allowances) go inside. An
    // including program may use part of the module: the rest is not dead code to warn of.
    module.attrs = root.attrs;
    module
        .attrs
        .push(syn::parse_quote!(#![allow(dead_code, unused_imports)]));
    module.content = Some((Default::default(), items));
    let mut decide = Decide {
        features,
        misplaced: None,
    };
    decide.visit_item_mod_mut(&mut module);
    if let Some(place) = decide.misplaced {
        return Err(format!(
            "a `cfg(feature)` attribute on {place} cannot be decided in the single-module form; \
             this is a bug in the generator"
        ));
    }
    Rebase { depth: 0 }.visit_top(&mut module);
    let file = syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![Item::Mod(module)],
    };
    let mut out = String::from(crate::format::RUST_HEADER);
    out.push_str(&crate::format::finish(&prettyplease::unparse(&file), &[]));
    Ok(out)
}

fn parse(sources: &BTreeMap<&Path, &str>, path: &Path) -> Result<syn::File, String> {
    let source = sources
        .get(path)
        .ok_or_else(|| format!("the generated crate has no `{}`", path.display()))?;
    syn::parse_file(source).map_err(|e| format!("`{}` does not parse: {e}", path.display()))
}

/// Replaces each `mod name;` among `items` (of the module whose child files are in `dir`)
/// with the module's items, recursively.
fn inline_modules(
    sources: &BTreeMap<&Path, &str>,
    dir: &Path,
    items: &mut [Item],
) -> Result<(), String> {
    for item in items {
        let Item::Mod(module) = item else { continue };
        if module.content.is_some() {
            continue;
        }
        let name = module.ident.to_string();
        let file: PathBuf = dir.join(format!("{name}.rs"));
        let (file, child_dir) = if sources.contains_key(file.as_path()) {
            (file, dir.join(&name))
        } else {
            (dir.join(&name).join("mod.rs"), dir.join(&name))
        };
        let parsed = parse(sources, &file)?;
        let mut child_items = parsed.items;
        inline_modules(sources, &child_dir, &mut child_items)?;
        // The file's inner attributes (`//!` documentation) join the declaration's outer
        // ones, as outer attributes: one style per item.
        module
            .attrs
            .extend(parsed.attrs.into_iter().map(|mut attr| {
                attr.style = syn::AttrStyle::Outer;
                attr
            }));
        module.content = Some((Default::default(), child_items));
        module.semi = None;
    }
    Ok(())
}

/// Decides feature `cfg`s wherever the generated code has them: on items, impl and
/// trait items, statements, fields, variants, match arms and struct expression fields.
/// One left anywhere else is reported (`misplaced`) rather than left undecided.
struct Decide<'a> {
    features: &'a Features,
    misplaced: Option<String>,
}

impl Decide<'_> {
    fn retain<T>(&self, nodes: &mut Vec<T>, attrs: impl Fn(&mut T) -> Option<&mut Vec<Attribute>>) {
        nodes.retain_mut(|node| match attrs(node) {
            Some(attrs) => self.features.decide(attrs),
            None => true,
        });
    }

    fn retain_punctuated<T, P: Default>(
        &self,
        nodes: &mut Punctuated<T, P>,
        attrs: impl Fn(&mut T) -> &mut Vec<Attribute>,
    ) {
        let mut kept = Punctuated::new();
        for mut node in std::mem::take(nodes) {
            if self.features.decide(attrs(&mut node)) {
                kept.push(node);
            }
        }
        *nodes = kept;
    }
}

impl VisitMut for Decide<'_> {
    fn visit_item_mod_mut(&mut self, node: &mut syn::ItemMod) {
        self.features.decide(&mut node.attrs);
        if let Some((_, items)) = &mut node.content {
            self.retain(items, item_attrs);
        }
        visit_mut::visit_item_mod_mut(self, node);
    }

    fn visit_item_impl_mut(&mut self, node: &mut syn::ItemImpl) {
        self.retain(&mut node.items, |item| match item {
            syn::ImplItem::Const(c) => Some(&mut c.attrs),
            syn::ImplItem::Fn(f) => Some(&mut f.attrs),
            syn::ImplItem::Type(t) => Some(&mut t.attrs),
            syn::ImplItem::Macro(m) => Some(&mut m.attrs),
            _ => None,
        });
        visit_mut::visit_item_impl_mut(self, node);
    }

    fn visit_item_trait_mut(&mut self, node: &mut syn::ItemTrait) {
        self.retain(&mut node.items, |item| match item {
            syn::TraitItem::Const(c) => Some(&mut c.attrs),
            syn::TraitItem::Fn(f) => Some(&mut f.attrs),
            syn::TraitItem::Type(t) => Some(&mut t.attrs),
            syn::TraitItem::Macro(m) => Some(&mut m.attrs),
            _ => None,
        });
        visit_mut::visit_item_trait_mut(self, node);
    }

    fn visit_block_mut(&mut self, node: &mut syn::Block) {
        self.retain(&mut node.stmts, |stmt| match stmt {
            Stmt::Local(local) => Some(&mut local.attrs),
            Stmt::Item(item) => item_attrs(item),
            Stmt::Expr(expr, _) => expr_attrs(expr),
            Stmt::Macro(m) => Some(&mut m.attrs),
        });
        visit_mut::visit_block_mut(self, node);
    }

    fn visit_fields_named_mut(&mut self, node: &mut syn::FieldsNamed) {
        self.retain_punctuated(&mut node.named, |f| &mut f.attrs);
        visit_mut::visit_fields_named_mut(self, node);
    }

    fn visit_fields_unnamed_mut(&mut self, node: &mut syn::FieldsUnnamed) {
        self.retain_punctuated(&mut node.unnamed, |f| &mut f.attrs);
        visit_mut::visit_fields_unnamed_mut(self, node);
    }

    fn visit_item_enum_mut(&mut self, node: &mut syn::ItemEnum) {
        self.retain_punctuated(&mut node.variants, |v| &mut v.attrs);
        visit_mut::visit_item_enum_mut(self, node);
    }

    fn visit_expr_match_mut(&mut self, node: &mut syn::ExprMatch) {
        self.retain(&mut node.arms, |arm| Some(&mut arm.attrs));
        visit_mut::visit_expr_match_mut(self, node);
    }

    fn visit_expr_struct_mut(&mut self, node: &mut syn::ExprStruct) {
        self.retain_punctuated(&mut node.fields, |f| &mut f.attrs);
        visit_mut::visit_expr_struct_mut(self, node);
    }

    /// Reached for every attribute the containers above kept: a feature `cfg` here was
    /// not decided.
    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        let is_cfg = attr.path().is_ident("cfg") || attr.path().is_ident("cfg_attr");
        if is_cfg && mentions_feature(attr.meta.to_token_stream()) && self.misplaced.is_none() {
            self.misplaced = Some(attr.to_token_stream().to_string());
        }
    }
}

fn mentions_feature(tokens: TokenStream) -> bool {
    tokens.into_iter().any(|tree| match tree {
        TokenTree::Ident(ident) => ident == "feature",
        TokenTree::Group(group) => mentions_feature(group.stream()),
        _ => false,
    })
}

fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::ExternCrate(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::ForeignMod(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::TraitAlias(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

/// The attributes of the expressions a generated statement starts with.
fn expr_attrs(expr: &mut Expr) -> Option<&mut Vec<Attribute>> {
    Some(match expr {
        Expr::If(e) => &mut e.attrs,
        Expr::Block(e) => &mut e.attrs,
        Expr::Call(e) => &mut e.attrs,
        Expr::MethodCall(e) => &mut e.attrs,
        Expr::Macro(e) => &mut e.attrs,
        Expr::Match(e) => &mut e.attrs,
        Expr::Return(e) => &mut e.attrs,
        Expr::Assign(e) => &mut e.attrs,
        Expr::Path(e) => &mut e.attrs,
        Expr::ForLoop(e) => &mut e.attrs,
        Expr::While(e) => &mut e.attrs,
        Expr::Let(e) => &mut e.attrs,
        _ => return None,
    })
}

/// Makes `crate::` paths relative to the module they are in: `self::` at the top module,
/// one `super::` per level below it. Documentation links are rebased the same way.
struct Rebase {
    /// Levels below the top module of the code being visited.
    depth: usize,
}

impl Rebase {
    /// What `crate` becomes here.
    fn keywords(&self) -> Vec<&'static str> {
        if self.depth == 0 {
            vec!["self"]
        } else {
            vec!["super"; self.depth]
        }
    }

    fn rebase_doc(&self, attr: &mut Attribute) {
        let Meta::NameValue(nv) = &mut attr.meta else {
            return;
        };
        if !nv.path.is_ident("doc") {
            return;
        }
        let Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(text),
            ..
        }) = &mut nv.value
        else {
            return;
        };
        let value = text.value();
        if !value.contains("crate::") {
            return;
        }
        let rebased = rebase_text(&value, &self.keywords().join("::"));
        *text = syn::LitStr::new(&rebased, text.span());
    }
}

/// `text` with each `crate::` that starts a path (not part of a longer name) replaced by
/// `prefix::`.
fn rebase_text(text: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        let before = &rest[..at];
        let starts_path = !before
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':' || c == '$');
        out.push_str(before);
        if starts_path {
            out.push_str(prefix);
            out.push_str("::");
        } else {
            out.push_str("crate::");
        }
        rest = &rest[at + "crate::".len()..];
    }
    out.push_str(rest);
    out
}

impl Rebase {
    /// The top module: its documentation and items are at depth 0.
    fn visit_top(&mut self, top: &mut syn::ItemMod) {
        for attr in &mut top.attrs {
            self.rebase_doc(attr);
        }
        if let Some((_, items)) = &mut top.content {
            for item in items {
                self.visit_item_mut(item);
            }
        }
    }
}

impl VisitMut for Rebase {
    fn visit_item_mod_mut(&mut self, node: &mut syn::ItemMod) {
        // Outer documentation resolves where the module is declared; inner documentation
        // and the items, inside it.
        for attr in &mut node.attrs {
            if matches!(attr.style, syn::AttrStyle::Inner(_)) {
                self.depth += 1;
                self.rebase_doc(attr);
                self.depth -= 1;
            } else {
                self.rebase_doc(attr);
            }
        }
        if let Some((_, items)) = &mut node.content {
            self.depth += 1;
            for item in items {
                self.visit_item_mut(item);
            }
            self.depth -= 1;
        }
    }

    fn visit_attribute_mut(&mut self, attr: &mut Attribute) {
        self.rebase_doc(attr);
        visit_mut::visit_attribute_mut(self, attr);
    }

    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() {
            if let Some(first) = path.segments.first() {
                if first.ident == "crate" {
                    let rest: Vec<_> = path.segments.iter().skip(1).cloned().collect();
                    let mut segments: Punctuated<syn::PathSegment, Token![::]> = Punctuated::new();
                    for keyword in self.keywords() {
                        segments.push(Ident::new(keyword, Span::call_site()).into());
                    }
                    segments.extend(rest);
                    path.segments = segments;
                }
            }
        }
        visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, node: &mut syn::ItemUse) {
        if node.leading_colon.is_none() {
            if let syn::UseTree::Path(path) = &mut node.tree {
                if path.ident == "crate" {
                    let keywords = self.keywords();
                    let mut keywords = keywords.iter().rev();
                    path.ident = Ident::new(keywords.next().unwrap(), Span::call_site());
                    for keyword in keywords {
                        let inner = std::mem::replace(
                            &mut node.tree,
                            syn::UseTree::Glob(syn::UseGlob {
                                star_token: Default::default(),
                            }),
                        );
                        node.tree = syn::UseTree::Path(syn::UsePath {
                            ident: Ident::new(keyword, Span::call_site()),
                            colon2_token: Default::default(),
                            tree: Box::new(inner),
                        });
                    }
                }
            }
        }
        visit_mut::visit_item_use_mut(self, node);
    }

    /// `pub(crate)` stays: in the including crate it still means what it meant.
    fn visit_visibility_mut(&mut self, _: &mut syn::Visibility) {}
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &str, contents: &str) -> GeneratedFile {
        GeneratedFile {
            path: PathBuf::from(path),
            contents: contents.to_string(),
        }
    }

    fn module(features: &[&str]) -> String {
        let files = [
            file(
                "src/lib.rs",
                "//! The crate.\n#![allow(clippy::all)]\npub mod types;\n\
                 #[cfg(feature = \"client\")]\npub mod client;\n\
                 /// See [`Thing`](crate::types::Thing).\npub use types::Thing;\n",
            ),
            file(
                "src/types.rs",
                "//! Types.\npub mod error;\n\
                 #[cfg_attr(feature = \"serde\", derive(serde::Serialize), serde(rename_all = \"camelCase\"))]\n\
                 pub struct Thing { pub e: crate::types::error::Oops, \
                 #[cfg(feature = \"server\")] pub seen: bool }\n\
                 pub(crate) fn f() -> i32 { #[cfg(feature = \"stub\")] if true { return 1; } \
                 let x: crate::types::Thing; 0 }\n",
            ),
            file(
                "src/types/error.rs",
                "use crate::types::Thing;\npub struct Oops;\n",
            ),
            file("src/client.rs", "pub struct Client(crate::types::Thing);\n"),
        ];
        single_module(
            &files,
            "things",
            &Features::new(features.iter().copied()),
            &["client"],
        )
        .unwrap()
    }

    #[test]
    fn modules_are_inlined_and_paths_made_relative() {
        let out = module(&["client"]);
        assert!(out.contains("pub mod things {"), "{out}");
        assert!(out.contains("//! The crate."), "{out}");
        assert!(out.contains("/// Types.\n    pub mod types {"), "{out}");
        assert!(out.contains("#![allow(clippy::all)]"), "{out}");
        assert!(
            out.contains("pub struct Client(super::types::Thing);"),
            "{out}"
        );
        assert!(out.contains("pub e: super::types::error::Oops"), "{out}");
        assert!(out.contains("use super::super::types::Thing;"), "{out}");
        assert!(out.contains("let x: super::types::Thing;"), "{out}");
        assert!(out.contains("(self::types::Thing)"), "{out}");
        assert!(out.contains("pub(crate) fn f()"), "{out}");
        assert!(!out.contains("crate::types"), "{out}");
        assert!(!out.contains("feature ="), "{out}");
        assert!(out.contains("::smithy_runtime::features::CLIENT,"), "{out}");
        syn::parse_file(&out).unwrap();
    }

    #[test]
    fn features_decide_items_fields_statements_and_attributes() {
        let without = module(&[]);
        assert!(!without.contains("pub mod client"), "{without}");
        assert!(!without.contains("seen"), "{without}");
        assert!(!without.contains("return 1"), "{without}");
        assert!(!without.contains("Serialize"), "{without}");
        assert!(!without.contains("cfg"), "{without}");

        let with = module(&["client", "stub", "serde"]);
        assert!(with.contains("pub mod client"), "{with}");
        // A stub is a server.
        assert!(with.contains("pub seen: bool"), "{with}");
        assert!(with.contains("return 1"), "{with}");
        assert!(with.contains("#[derive(serde::Serialize)]"), "{with}");
        assert!(
            with.contains("#[serde(rename_all = \"camelCase\")]"),
            "{with}"
        );
    }

    #[test]
    fn only_whole_path_starts_are_rebased_in_text() {
        assert_eq!(
            rebase_text("[a](crate::x) my_crate::y ::crate::z", "super"),
            "[a](super::x) my_crate::y ::crate::z"
        );
    }
}
