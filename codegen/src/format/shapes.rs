//! Parsing generated items once per shape.
//!
//! Formatting goes through a syntax tree (prettyplease prints `syn`'s), and parsing the
//! token streams is most of the generator's time. But most generated items differ from an
//! earlier item of the same file only in their names and literals: a setter per member, a
//! `HasSchema` impl per shape, a match arm per error. So each item is reduced to its
//! *skeleton*: its tokens with every name replaced by a numbered placeholder (`__s0`,
//! `__s1`, ...) and every string or integer literal by a numbered one (`"0"`, `0smithy`).
//! The first item of a skeleton is parsed; each later one clones that tree and puts its
//! own names and literals back where the placeholders are.
//!
//! Why the result is the tree a parse would give: `syn`'s grammar looks at a name's text
//! only to tell keywords (strict, reserved and contextual, listed in [`KEYWORDS`]) from
//! other names, and at a literal's text only for its kind, so keywords stay in the
//! skeleton as they are and literals of other kinds (and a tuple index after `.`) too.
//! Where a placeholder would not be found again in the tree (inside a token stream `syn`
//! keeps verbatim), the item is parsed as it is, every time.
//!
//! Items are split at the top level, and the bodies of `impl`, `trait` and `mod` items
//! are split again, so that a builder with a new number of members still reuses the
//! tree of every setter. Anything the splitting does not recognise is parsed whole.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use proc_macro2::{Delimiter, Group, Ident, Literal, Spacing, TokenStream, TokenTree};
use syn::parse::Parse;
use syn::visit_mut::{self, VisitMut};

use super::text::{self, TextTemplate};

/// The names `syn` tells apart by their text: Rust's keywords, reserved words and
/// contextual keywords (as `syn` 2 lists them), `_`, and the boolean literals.
const KEYWORDS: &[&str] = &[
    "Self",
    "_",
    "abstract",
    "as",
    "async",
    "auto",
    "await",
    "become",
    "box",
    "break",
    "builtin",
    "const",
    "continue",
    "crate",
    "default",
    "do",
    "dyn",
    "else",
    "enum",
    "extern",
    "false",
    "final",
    "fn",
    "for",
    "gen",
    "if",
    "impl",
    "in",
    "let",
    "loop",
    "macro",
    "macro_rules",
    "match",
    "mod",
    "move",
    "mut",
    "override",
    "priv",
    "pub",
    "raw",
    "ref",
    "return",
    "safe",
    "self",
    "static",
    "struct",
    "super",
    "trait",
    "true",
    "try",
    "type",
    "typeof",
    "union",
    "unsafe",
    "unsized",
    "use",
    "virtual",
    "where",
    "while",
    "yield",
];

/// The index of a keyword in [`KEYWORDS`].
fn keyword(name: &str) -> Option<u8> {
    // Most names are longer than any keyword (`macro_rules` is the longest).
    let &first = name.as_bytes().first()?;
    if name.len() > "macro_rules".len() {
        return None;
    }
    // The keywords that start with the same byte, compared by length first: cheaper than
    // comparing whole strings in a binary search, for every name of every item.
    let start = KEYWORDS.partition_point(|k| k.as_bytes()[0] < first);
    KEYWORDS[start..]
        .iter()
        .take_while(|k| k.as_bytes()[0] == first)
        .position(|&k| k == name)
        .map(|offset| (start + offset) as u8)
}

/// The suffix that marks an integer literal as a placeholder.
const INT_MARK: &str = "smithy";
/// The prefix of a placeholder name.
const NAME_MARK: &str = "__s";

/// What has been printed so far, by skeleton: trees parsed from skeletons, and text
/// printed from them. One per thread, as trees are not `Send`; the texts are also
/// shared with the other threads ([`SharedTexts`]).
#[derive(Default)]
pub struct ItemCache {
    items: Templates<syn::Item>,
    impl_items: Templates<syn::ImplItem>,
    trait_items: Templates<syn::TraitItem>,
    fields: Templates<NamedField>,
    arms: Templates<MatchArm>,
    texts: Texts,
    shared: Arc<SharedTexts>,
    /// Skeletons printed already, whose buffers the next ones take.
    spare: Vec<Skeleton>,
}

/// By skeleton, what is kept of its names and literals, and where the item is printed:
/// texts printed with the shortest placeholders, then with the lengths of items the
/// earlier ones could not print (at most [`TEXTS_PER_KEY`]). Empty: text that cannot be
/// reused (see [`TextTemplate::new`]).
type Texts = HashMap<Vec<u8>, Vec<Arc<TextTemplate>>, foldhash::fast::RandomState>;

/// The texts of every thread formatting one crate: a thread takes another's text
/// rather than parsing and printing the same skeleton again.
#[derive(Default)]
pub struct SharedTexts(Mutex<Texts>);

impl SharedTexts {
    fn get(&self, key: &[u8]) -> Option<Vec<Arc<TextTemplate>>> {
        self.lock().get(key).cloned()
    }

    fn add(&self, key: &[u8], template: Option<&Arc<TextTemplate>>) {
        let mut texts = self.lock();
        let list = texts.entry(key.to_vec()).or_default();
        if let Some(template) = template.filter(|_| list.len() < TEXTS_PER_KEY) {
            list.push(template.clone());
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Texts> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Where an item is printed: among items or in an `impl` or `trait` body, and inside how
/// many bodies. The same item prints alike at the same place.
#[derive(Clone, Copy)]
struct Place {
    member_of: Option<Container>,
    depth: u8,
}

/// The member that stands for a container's body while its header is printed.
const BODY_STAND_IN: &str = "__smithy_body";

/// The name of the arm that stands for a `match` body's arms (the Nth body's is this
/// name and N) while the rest of the item is printed.
const ARM_STAND_IN: &str = "__smithy_arm";

/// Where each `match` body's stand-in arm is in an item's printed text, in order: the
/// line's start and end, the body's index, and the depth its arms print at. `None`
/// unless each of the `bodies` stand-ins is on a line of its own, indented deep enough
/// for an arm to print there (inside `fn` and `match` lines, see [`MatchArm`]).
fn arm_places(text: &str, bodies: usize) -> Option<Vec<(usize, usize, usize, u8)>> {
    let mut places = Vec::with_capacity(bodies);
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let line_end = line_start + line.len();
        let words = line.trim_start_matches(' ');
        if let Some(rest) = words.strip_prefix(ARM_STAND_IN) {
            let index: usize = rest.strip_suffix(" => {}\n")?.parse().ok()?;
            let indent = line.len() - words.len();
            let depth = u8::try_from(indent / 4).ok().filter(|&d| d >= 2)?;
            if indent % 4 != 0
                || index >= bodies
                || places
                    .iter()
                    .any(|p: &(usize, usize, usize, u8)| p.2 == index)
            {
                return None;
            }
            places.push((line_start, line_end, index, depth));
        }
        line_start = line_end;
    }
    (places.len() == bodies).then_some(places)
}

/// Tokens with each stand-in arm's body given back its arms.
fn restore_arms(trees: Vec<TokenTree>, arms: &mut [Vec<Vec<TokenTree>>]) -> Vec<TokenTree> {
    trees
        .into_iter()
        .map(|tree| {
            let TokenTree::Group(group) = tree else {
                return tree;
            };
            let (delimiter, span) = (group.delimiter(), group.span());
            let inner = group.stream();
            drop(group);
            let inner: Vec<TokenTree> = inner.into_iter().collect();
            let stand_in = match inner.first() {
                Some(TokenTree::Ident(name)) if delimiter == Delimiter::Brace => name
                    .to_string()
                    .strip_prefix(ARM_STAND_IN)
                    .and_then(|index| index.parse::<usize>().ok()),
                _ => None,
            };
            let inner = match stand_in.and_then(|index| arms.get_mut(index)) {
                Some(body) => std::mem::take(body).into_iter().flatten().collect(),
                None => restore_arms(inner, arms),
            };
            let mut restored = Group::new(delimiter, inner.into_iter().collect());
            restored.set_span(span);
            TokenTree::Group(restored)
        })
        .collect()
}

/// How many texts of one key are kept: names of a few lengths cover most items.
const TEXTS_PER_KEY: usize = 16;

impl ItemCache {
    /// A cache whose texts are shared with the other caches of `shared`.
    pub fn sharing(shared: Arc<SharedTexts>) -> Self {
        ItemCache {
            shared,
            ..Default::default()
        }
    }

    /// Prints a part of a file (items, after any inner attributes) as prettyplease
    /// prints it. An error is the one the first item that does not parse gives.
    pub fn print(&mut self, tokens: TokenStream) -> syn::Result<String> {
        let mut trees: Vec<TokenTree> = tokens.into_iter().collect();
        let inner = inner_attributes_len(&trees);
        let attrs: TokenStream = trees.drain(..inner).collect();
        let attrs = syn::parse::Parser::parse2(syn::Attribute::parse_inner, attrs)?;
        let mut out = if attrs.is_empty() {
            String::new()
        } else {
            prettyplease::unparse(&syn::File {
                shebang: None,
                attrs,
                items: Vec::new(),
            })
        };
        self.print_items(trees, 0, &mut out)?;
        Ok(out)
    }

    fn print_items(
        &mut self,
        trees: Vec<TokenTree>,
        depth: u8,
        out: &mut String,
    ) -> syn::Result<()> {
        for item in split_items(trees) {
            self.print_item(item, depth, out)?;
        }
        Ok(())
    }

    /// An `impl`, `trait` or `mod` is printed as its header (the item with one stand-in
    /// member), then its members one by one, so that a builder with a new number of
    /// members still reuses the text of every setter.
    fn print_item(
        &mut self,
        mut trees: Vec<TokenTree>,
        depth: u8,
        out: &mut String,
    ) -> syn::Result<()> {
        let place = Place {
            member_of: None,
            depth,
        };
        let Some(container) = container(&trees) else {
            return self.print_one(trees, place, out);
        };
        let Some(TokenTree::Group(body)) = trees.pop() else {
            unreachable!("a container ends with its body");
        };
        let inner = body.stream();
        let span = body.span();
        drop(body);
        let inner: Vec<TokenTree> = inner.into_iter().collect();
        if inner.is_empty() || inner_attributes_len(&inner) > 0 {
            // `{}` prints on the header's line; inner attributes stay with the body.
            let body = Group::new(Delimiter::Brace, inner.into_iter().collect());
            trees.push(TokenTree::Group(body));
            return self.print_one(trees, place, out);
        }
        let stand_in = Ident::new(BODY_STAND_IN, span);
        let stand_in = match container {
            Container::Struct => quote::quote!(#stand_in: u8),
            _ => quote::quote!(const #stand_in: u8 = 0;),
        };
        trees.push(TokenTree::Group(Group::new(Delimiter::Brace, stand_in)));
        let mut header = String::new();
        self.print_one(trees, place, &mut header)?;
        let (open, close) = header
            .find(BODY_STAND_IN)
            .and_then(|at| {
                let line_start = header[..at].rfind('\n')? + 1;
                let line_end = at + header[at..].find('\n')? + 1;
                Some((line_start, line_end))
            })
            .ok_or_else(|| syn::Error::new(span, "a body's stand-in was not printed"))?;
        out.push_str(&header[..open]);
        let inside = Place {
            member_of: Some(container),
            depth: depth + 1,
        };
        match container {
            Container::Mod => self.print_items(inner, depth + 1, out)?,
            Container::Impl | Container::Trait => {
                for member in split_items(inner) {
                    self.print_one(member, inside, out)?;
                }
            }
            Container::Struct => {
                for field in split_fields(inner) {
                    self.print_one(field, inside, out)?;
                }
            }
            Container::Arm => unreachable!("`container` finds no arms"),
        }
        out.push_str(&header[close..]);
        Ok(())
    }

    /// Prints one item or member, a `match` body's arms apart from the rest (see
    /// [`Skeleton::arms`]).
    fn print_one(
        &mut self,
        trees: Vec<TokenTree>,
        place: Place,
        out: &mut String,
    ) -> syn::Result<()> {
        // Skeletons are many and short-lived: their buffers are used again.
        let spare = self.spare.pop();
        let mut skeleton = Skeleton::new_in(trees, spare, true);
        let printed = if skeleton.arms.is_empty() {
            self.print_skeleton(&skeleton, place, out)
        } else {
            let arms = std::mem::take(&mut skeleton.arms);
            self.print_with_arms(&skeleton, arms, place, out)
        };
        self.spare.push(skeleton);
        printed
    }

    /// Prints an item whose `match` bodies stand in as one arm each: the item, then each
    /// body's arms, one by one, where its stand-in is.
    fn print_with_arms(
        &mut self,
        skeleton: &Skeleton,
        mut arms: Vec<Vec<Vec<TokenTree>>>,
        place: Place,
        out: &mut String,
    ) -> syn::Result<()> {
        let mut header = String::new();
        self.print_skeleton(skeleton, place, &mut header)?;
        let Some(places) = arm_places(&header, arms.len()) else {
            // An arm cannot print where its stand-in is (a `match` in a `const` item
            // outside any function, say): the item whole, its arms back in its bodies.
            let trees = restore_arms(skeleton.to_tokens(), &mut arms);
            let whole = Skeleton::new_in(trees, self.spare.pop(), false);
            let printed = self.print_skeleton(&whole, place, out);
            self.spare.push(whole);
            return printed;
        };
        let mut at = 0;
        for (line_start, line_end, index, depth) in places {
            out.push_str(&header[at..line_start]);
            let place = Place {
                member_of: Some(Container::Arm),
                depth,
            };
            for arm in std::mem::take(&mut arms[index]) {
                self.print_one(arm, place, out)?;
            }
            at = line_end;
        }
        out.push_str(&header[at..]);
        Ok(())
    }

    /// Prints one skeleton's item or member: from the text of its skeleton when
    /// prettyplease would print it alike, from a tree otherwise.
    fn print_skeleton(
        &mut self,
        skeleton: &Skeleton,
        place: Place,
        out: &mut String,
    ) -> syn::Result<()> {
        let ItemCache {
            items,
            impl_items,
            trait_items,
            fields,
            arms,
            texts,
            shared,
            spare: _,
        } = self;
        let mut text_template = |shortest: bool| match place.member_of {
            None | Some(Container::Mod) => items.text_template(skeleton, place, shortest),
            Some(Container::Impl) => impl_items.text_template(skeleton, place, shortest),
            Some(Container::Trait) => trait_items.text_template(skeleton, place, shortest),
            Some(Container::Struct) => fields.text_template(skeleton, place, shortest),
            Some(Container::Arm) => arms.text_template(skeleton, place, shortest),
        };
        let templates = match texts.entry(text_key(skeleton, place)) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => {
                let templates = shared.get(entry.key()).unwrap_or_else(|| {
                    let template = text_template(true).map(Arc::new);
                    shared.add(entry.key(), template.as_ref());
                    template.into_iter().collect()
                });
                entry.insert(templates)
            }
        };
        if templates.iter().any(|t| t.render(skeleton, out)) {
            return Ok(());
        }
        // Printed with this item's own lengths, the text fits it, and later items with
        // names at least as long.
        if !templates.is_empty() && templates.len() < TEXTS_PER_KEY {
            if let Some(template) = text_template(false).map(Arc::new) {
                let rendered = template.render(skeleton, out);
                shared.add(&text_key(skeleton, place), Some(&template));
                templates.push(template);
                if rendered {
                    return Ok(());
                }
            }
        }
        let text = match place.member_of {
            None | Some(Container::Mod) => items.tree(skeleton)?.print_at(place),
            Some(Container::Impl) => impl_items.tree(skeleton)?.print_at(place),
            Some(Container::Trait) => trait_items.tree(skeleton)?.print_at(place),
            Some(Container::Struct) => fields.tree(skeleton)?.print_at(place),
            Some(Container::Arm) => arms.tree(skeleton)?.print_at(place),
        };
        out.push_str(&text);
        Ok(())
    }
}

/// One kind of tree (items, impl items, trait items), by skeleton. `None`: a skeleton
/// that does not parse, or whose placeholders would not all be found again; its items
/// are parsed as they are.
struct Templates<T> {
    by_skeleton: HashMap<Vec<u8>, Option<Template<T>>, foldhash::fast::RandomState>,
}

impl<T> Default for Templates<T> {
    fn default() -> Self {
        Templates {
            by_skeleton: HashMap::default(),
        }
    }
}

/// A tree parsed from a skeleton, and which placeholder each name and literal met while
/// walking it stands for (`None`: a keyword or a literal kept as it was).
struct Template<T> {
    tree: T,
    names: Vec<Option<u32>>,
    literals: Vec<Option<u32>>,
}

impl<T: Parse + Clone + Walked + Placed> Templates<T> {
    /// The template of a skeleton, parsed the first time it is met.
    fn template(&mut self, skeleton: &Skeleton) -> Option<&Template<T>> {
        if !self.by_skeleton.contains_key(&skeleton.key) {
            let template = Template::new(skeleton);
            self.by_skeleton.insert(skeleton.key.clone(), template);
        }
        self.by_skeleton[&skeleton.key].as_ref()
    }

    /// The item's tree: the template's with the item's names and literals, or parsed.
    fn tree(&mut self, skeleton: &Skeleton) -> syn::Result<T> {
        match self.template(skeleton) {
            Some(template) => Ok(template.fill(&skeleton.names, &skeleton.literals)),
            None => syn::parse2(skeleton.to_tokens().into_iter().collect()),
        }
    }

    /// The skeleton's text with placeholders for the names and literals that printed
    /// text can take back (see [`text`](super::text)): the shortest placeholders, or
    /// each as long as what it stands for.
    fn text_template(
        &mut self,
        skeleton: &Skeleton,
        place: Place,
        shortest: bool,
    ) -> Option<TextTemplate> {
        let names = stand_ins(skeleton, &skeleton.names, false, shortest, |text| {
            Ident::new(text, proc_macro2::Span::call_site())
        })?;
        let literals = stand_ins(
            skeleton,
            &skeleton.literals,
            true,
            shortest,
            Literal::string,
        )?;
        let tree = self.template(skeleton)?.fill(&names, &literals);
        TextTemplate::new(
            tree.print_at(place),
            &skeleton.name_spans,
            &skeleton.literal_spans,
        )
    }
}

/// The key of an item's texts: its skeleton, what is kept of its names and literals, and
/// where it is printed. Built again rather than kept, as most items only look it up.
fn text_key(skeleton: &Skeleton, place: Place) -> Vec<u8> {
    let mut key = Vec::with_capacity(skeleton.key.len() + skeleton.kept.len() + 3);
    key.extend(&skeleton.key);
    key.push(0xFF);
    key.extend(&skeleton.kept);
    key.extend([
        match place.member_of {
            None => 0,
            Some(Container::Impl) => 1,
            Some(Container::Trait) => 2,
            Some(Container::Mod) => 3,
            Some(Container::Struct) => 4,
            Some(Container::Arm) => 5,
        },
        place.depth,
    ]);
    key
}

/// The skeleton's names (or literals), with the ones printed text replaces swapped for
/// their placeholders.
fn stand_ins<T: Clone>(
    skeleton: &Skeleton,
    originals: &[T],
    literal: bool,
    shortest: bool,
    make: impl Fn(&str) -> T,
) -> Option<Vec<T>> {
    let spans = if literal {
        &skeleton.literal_spans
    } else {
        &skeleton.name_spans
    };
    (0..spans.len())
        .map(|index| {
            if !spans[index].placeholder {
                return Some(originals[index].clone());
            }
            let len = if shortest {
                text::PLACEHOLDER_LEN
            } else {
                skeleton.text_of(literal, index).len()
            };
            Some(make(&text::placeholder(literal, index, len)?))
        })
        .collect()
}

impl<T: Parse + Clone + Walked> Template<T> {
    /// Parses a skeleton and notes where its placeholders are; `None` when it does not
    /// parse or some placeholder is not met again.
    fn new(skeleton: &Skeleton) -> Option<Template<T>> {
        let mut tree: T = syn::parse_str(&skeleton.text()?).ok()?;
        let mut walk = Walk {
            names: Track::Record(Vec::new()),
            literals: Track::Record(Vec::new()),
        };
        walk.walk(&mut tree);
        let (Track::Record(names), Track::Record(literals)) = (walk.names, walk.literals) else {
            unreachable!("a recording walk stays one");
        };
        let complete = |met: &[Option<u32>], count: usize| {
            let mut seen = vec![false; count];
            for &index in met.iter().flatten() {
                *seen.get_mut(index as usize)? = true;
            }
            seen.into_iter().all(|s| s).then_some(())
        };
        complete(&names, skeleton.names.len())?;
        complete(&literals, skeleton.literals.len())?;
        Some(Template {
            tree,
            names,
            literals,
        })
    }

    /// A copy of the tree with `names` and `literals` in the placeholders' places.
    fn fill(&self, names: &[Ident], literals: &[Literal]) -> T {
        let mut tree = self.tree.clone();
        Walk {
            names: Track::fill(&self.names, names),
            literals: Track::fill(&self.literals, literals),
        }
        .walk(&mut tree);
        tree
    }
}

/// Printing a tree where it sits: inside as many modules (and an `impl` or `trait` for a
/// member) as its place says, which are then cut off the text.
trait Placed: Sized {
    fn print_at(self, place: Place) -> String;
}

impl Placed for syn::Item {
    fn print_at(self, place: Place) -> String {
        print_in_modules(self, place.depth, place.depth)
    }
}

impl Placed for syn::ImplItem {
    fn print_at(self, place: Place) -> String {
        let item = syn::Item::Impl(syn::ItemImpl {
            attrs: Vec::new(),
            defaultness: None,
            unsafety: None,
            impl_token: Default::default(),
            generics: Default::default(),
            trait_: None,
            self_ty: Box::new(syn::Type::Path(syn::TypePath {
                qself: None,
                path: wrapper_name().into(),
            })),
            brace_token: Default::default(),
            items: vec![self],
        });
        print_in_modules(item, place.depth - 1, place.depth)
    }
}

impl Placed for syn::TraitItem {
    fn print_at(self, place: Place) -> String {
        let item = syn::Item::Trait(syn::ItemTrait {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            unsafety: None,
            auto_token: None,
            restriction: None,
            trait_token: Default::default(),
            ident: wrapper_name(),
            generics: Default::default(),
            colon_token: None,
            supertraits: Default::default(),
            brace_token: Default::default(),
            items: vec![self],
        });
        print_in_modules(item, place.depth - 1, place.depth)
    }
}

/// A struct's named field, as `syn` parses one.
#[derive(Clone)]
struct NamedField(syn::Field);

impl Parse for NamedField {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        syn::Field::parse_named(input).map(NamedField)
    }
}

impl Placed for NamedField {
    fn print_at(self, place: Place) -> String {
        let item = syn::Item::Struct(syn::ItemStruct {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            struct_token: Default::default(),
            ident: wrapper_name(),
            generics: Default::default(),
            fields: syn::Fields::Named(syn::FieldsNamed {
                brace_token: Default::default(),
                named: std::iter::once(self.0).collect(),
            }),
            semi_token: None,
        });
        print_in_modules(item, place.depth - 1, place.depth)
    }
}

/// A `match` arm, printed as the only arm of `match w { .. }` in `fn w() { .. }`, inside
/// as many modules as put it at its place's depth.
#[derive(Clone)]
struct MatchArm(syn::Arm);

impl Parse for MatchArm {
    fn parse(input: syn::parse::ParseStream<'_>) -> syn::Result<Self> {
        input.parse().map(MatchArm)
    }
}

impl Placed for MatchArm {
    fn print_at(self, place: Place) -> String {
        let scrutinee = syn::Expr::Path(syn::ExprPath {
            attrs: Vec::new(),
            qself: None,
            path: wrapper_name().into(),
        });
        let body = syn::Expr::Match(syn::ExprMatch {
            attrs: Vec::new(),
            match_token: Default::default(),
            expr: Box::new(scrutinee),
            brace_token: Default::default(),
            arms: vec![self.0],
        });
        let item = syn::Item::Fn(syn::ItemFn {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            sig: syn::Signature {
                constness: None,
                asyncness: None,
                unsafety: None,
                abi: None,
                fn_token: Default::default(),
                ident: wrapper_name(),
                generics: Default::default(),
                paren_token: Default::default(),
                inputs: Default::default(),
                variadic: None,
                output: syn::ReturnType::Default,
            },
            block: Box::new(syn::Block {
                brace_token: Default::default(),
                stmts: vec![syn::Stmt::Expr(body, None)],
            }),
        });
        // The `fn` and `match` lines are the two innermost levels cut off.
        print_in_modules(item, place.depth - 2, place.depth)
    }
}

fn wrapper_name() -> Ident {
    Ident::new("w", proc_macro2::Span::call_site())
}

/// Prints an item inside `modules` modules and keeps only the lines inside the outermost
/// `depth` levels (the modules, and the `impl` or `trait` a member was put in).
fn print_in_modules(mut item: syn::Item, modules: u8, depth: u8) -> String {
    for _ in 0..modules {
        item = syn::Item::Mod(syn::ItemMod {
            attrs: Vec::new(),
            vis: syn::Visibility::Inherited,
            unsafety: None,
            mod_token: Default::default(),
            ident: wrapper_name(),
            content: Some((Default::default(), vec![item])),
            semi: None,
        });
    }
    let printed = prettyplease::unparse(&syn::File {
        shebang: None,
        attrs: Vec::new(),
        items: vec![item],
    });
    let depth = usize::from(depth);
    if depth == 0 {
        return printed;
    }
    // One opening line and one closing line per level.
    let start = printed
        .match_indices('\n')
        .nth(depth - 1)
        .map_or(printed.len(), |(at, _)| at + 1);
    let mut end = printed.len();
    for _ in 0..depth {
        end = printed[..end.saturating_sub(1)]
            .rfind('\n')
            .map_or(0, |at| at + 1);
    }
    printed[start..end.max(start)].to_string()
}

/// An item's skeleton: its tokens written compactly as the key of the cache, with the
/// names and the string and integer literals taken out, in order (the Nth placeholder
/// of a kind stands for `names[N]` or `literals[N]`).
pub(super) struct Skeleton {
    key: Vec<u8>,
    names: Vec<Ident>,
    literals: Vec<Literal>,
    /// The printed text of each name and literal (a string's value, without quotes, when
    /// it can be replaced in printed text), end to end.
    texts: String,
    name_spans: Vec<TextSpan>,
    literal_spans: Vec<TextSpan>,
    /// What printed text depends on beside the key: the names and literals that are not
    /// replaced in printed text, as they are.
    kept: Vec<u8>,
    /// The arms of each `match` body with two or more, outside macro input: in the
    /// skeleton the body is one stand-in arm, so an item's skeleton (and its text) does
    /// not depend on how many arms it has, and each arm is printed as an item is.
    /// prettyplease puts every arm on lines of its own, laid out from its own tokens and
    /// its indentation alone.
    arms: Vec<Vec<Vec<TokenTree>>>,
    /// How deep in macro input the tokens being added are (its `match`es stay whole).
    macro_depth: u32,
}

/// Where a name's or literal's text is in [`Skeleton::texts`], and whether printed text
/// shows it through a placeholder (see [`text`](super::text)).
#[derive(Clone, Copy)]
pub(super) struct TextSpan {
    start: u32,
    end: u32,
    pub(super) placeholder: bool,
}

/// The bytes of a key. A punctuation character is itself, with the high bit set when it
/// is joined to the next one; delimiters are themselves.
mod byte {
    pub const NONE_OPEN: u8 = 0x01;
    pub const NONE_CLOSE: u8 = 0x02;
    /// Followed by the keyword's index in `KEYWORDS`.
    pub const KEYWORD: u8 = 0x03;
    pub const NAME: u8 = 0x04;
    pub const STRING: u8 = 0x05;
    pub const INTEGER: u8 = 0x06;
    /// Followed by the length (4 bytes) and the literal's text.
    pub const LITERAL: u8 = 0x07;
    pub const JOINT: u8 = 0x80;
}

impl Skeleton {
    /// The skeleton of `trees`, in the buffers of `spare` (a skeleton printed already)
    /// when there is one; its `match` bodies split when `split`.
    fn new_in(trees: Vec<TokenTree>, spare: Option<Skeleton>, split: bool) -> Skeleton {
        let mut skeleton = match spare {
            Some(mut spare) => {
                spare.clear();
                spare
            }
            None => {
                // Sized for a typical member (a setter, a field); groups hold more tokens
                // than the top level shows, so growing from empty would copy each buffer
                // a few times.
                let tokens = trees.len() * 3 + 32;
                Skeleton {
                    key: Vec::with_capacity(tokens),
                    names: Vec::with_capacity(tokens / 3),
                    literals: Vec::with_capacity(4),
                    texts: String::with_capacity(tokens * 4),
                    name_spans: Vec::with_capacity(tokens / 3),
                    literal_spans: Vec::with_capacity(4),
                    kept: Vec::with_capacity(tokens / 3),
                    arms: Vec::new(),
                    macro_depth: 0,
                }
            }
        };
        // Outside any macro input, but treated as inside one when not splitting.
        skeleton.macro_depth = u32::from(!split);
        skeleton.add_all(trees);
        skeleton
    }

    fn clear(&mut self) {
        self.key.clear();
        self.names.clear();
        self.literals.clear();
        self.texts.clear();
        self.name_spans.clear();
        self.literal_spans.clear();
        self.kept.clear();
        self.arms.clear();
    }

    /// The text of the Nth name or literal.
    pub(super) fn text_of(&self, literal: bool, index: usize) -> &str {
        let span = if literal {
            self.literal_spans[index]
        } else {
            self.name_spans[index]
        };
        &self.texts[span.start as usize..span.end as usize]
    }

    fn add_all(&mut self, trees: impl IntoIterator<Item = TokenTree>) {
        let mut after_dot = false;
        let mut after_bang = false;
        // From a `match` to its body: whether the body is the first `{ .. }` (no
        // block-like expression or closure in between), so that it can be split.
        let mut scrutinee: Option<bool> = None;
        for tree in trees {
            let (dot, bang) = match &tree {
                TokenTree::Punct(p) => (p.as_char() == '.', p.as_char() == '!'),
                _ => (false, false),
            };
            if scrutinee.is_some() {
                match tree {
                    TokenTree::Group(body) if body.delimiter() == Delimiter::Brace => {
                        if scrutinee.take() == Some(true) {
                            self.add_match_body(body);
                            (after_dot, after_bang) = (false, false);
                            continue;
                        }
                        self.add(TokenTree::Group(body), after_dot);
                        (after_dot, after_bang) = (false, false);
                        continue;
                    }
                    TokenTree::Punct(ref p) if matches!(p.as_char(), '|' | '\'' | ';') => {
                        scrutinee = Some(false);
                    }
                    _ => {}
                }
            }
            // A macro's input is tokens, not code: its `match`es stay whole.
            let in_macro = after_bang && matches!(&tree, TokenTree::Group(_));
            self.macro_depth += u32::from(in_macro);
            let keyword = self.add(tree, after_dot);
            self.macro_depth -= u32::from(in_macro);
            if let Some(word) = keyword.map(|k| KEYWORDS[usize::from(k)]) {
                if word == "match" && self.macro_depth == 0 {
                    scrutinee = Some(scrutinee.is_none());
                } else if scrutinee.is_some() && BLOCK_WORDS.contains(&word) {
                    scrutinee = Some(false);
                }
            }
            (after_dot, after_bang) = (dot, bang);
        }
    }

    /// A `match` body: split into its arms when [`arm_ends`] can tell them apart, one
    /// stand-in arm in their place; otherwise added as any group is.
    fn add_match_body(&mut self, body: Group) {
        let span = body.span();
        let inner = body.stream();
        drop(body);
        let trees: Vec<TokenTree> = inner.into_iter().collect();
        let Some(ends) = arm_ends(&trees) else {
            self.key.push(b'{');
            self.add_all(trees);
            self.key.push(b'}');
            return;
        };
        let mut trees = trees.into_iter();
        let mut start = 0;
        let arms = ends
            .into_iter()
            .map(|end| {
                let arm: Vec<TokenTree> = trees.by_ref().take(end - start).collect();
                start = end;
                arm
            })
            .collect();
        let stand_in = Ident::new(&format!("{ARM_STAND_IN}{}", self.arms.len()), span);
        self.arms.push(arms);
        self.key.push(b'{');
        let empty = Group::new(Delimiter::Brace, TokenStream::new());
        for tree in [
            TokenTree::Ident(stand_in),
            TokenTree::Punct(proc_macro2::Punct::new('=', Spacing::Joint)),
            TokenTree::Punct(proc_macro2::Punct::new('>', Spacing::Alone)),
            TokenTree::Group(empty),
        ] {
            self.add(tree, false);
        }
        self.key.push(b'}');
    }

    /// Notes the text written since `start` as the next name's or literal's: replaced in
    /// printed text (from `from` to `to` of it) or kept.
    fn span(&mut self, start: usize, replaced: Option<(usize, usize)>) -> TextSpan {
        match replaced {
            Some((from, to)) => {
                self.kept.push(0x01);
                TextSpan {
                    start: (start + from) as u32,
                    end: (start + to) as u32,
                    placeholder: true,
                }
            }
            None => {
                self.kept.extend(&self.texts.as_bytes()[start..]);
                self.kept.push(0x00);
                TextSpan {
                    start: start as u32,
                    end: self.texts.len() as u32,
                    placeholder: false,
                }
            }
        }
    }

    /// Adds one token; for a keyword, returns its index in [`KEYWORDS`].
    fn add(&mut self, tree: TokenTree, after_dot: bool) -> Option<u8> {
        match tree {
            TokenTree::Group(group) => {
                let (open, close) = match group.delimiter() {
                    Delimiter::Parenthesis => (b'(', b')'),
                    Delimiter::Brace => (b'{', b'}'),
                    Delimiter::Bracket => (b'[', b']'),
                    Delimiter::None => (byte::NONE_OPEN, byte::NONE_CLOSE),
                };
                // Unshared once the group is gone, so its tokens move out.
                let inner = group.stream();
                drop(group);
                self.key.push(open);
                self.add_all(inner);
                self.key.push(close);
            }
            TokenTree::Punct(punct) => {
                let joint = if punct.spacing() == Spacing::Joint {
                    byte::JOINT
                } else {
                    0
                };
                self.key.push(punct.as_char() as u8 | joint);
            }
            TokenTree::Ident(ident) => {
                let start = self.texts.len();
                let _ = write!(self.texts, "{ident}");
                match keyword(&self.texts[start..]) {
                    Some(index) => {
                        self.texts.truncate(start);
                        self.key.extend([byte::KEYWORD, index]);
                        return Some(index);
                    }
                    None => {
                        self.key.push(byte::NAME);
                        let len = self.texts.len() - start;
                        let replaced = (len >= text::PLACEHOLDER_LEN).then_some((0, len));
                        let span = self.span(start, replaced);
                        self.name_spans.push(span);
                        self.names.push(ident);
                    }
                }
            }
            TokenTree::Literal(literal) => {
                let start = self.texts.len();
                let _ = write!(self.texts, "{literal}");
                let text = &self.texts[start..];
                match LiteralKind::of(text) {
                    kind @ (LiteralKind::String | LiteralKind::Integer)
                        if kind == LiteralKind::String || !after_dot =>
                    {
                        self.key.push(if kind == LiteralKind::String {
                            byte::STRING
                        } else {
                            byte::INTEGER
                        });
                        let replaced = replaceable_string(text).then(|| (1, text.len() - 1));
                        let span = self.span(start, replaced);
                        self.literal_spans.push(span);
                        self.literals.push(literal);
                    }
                    _ => {
                        self.key.push(byte::LITERAL);
                        self.key.extend((text.len() as u32).to_le_bytes());
                        self.key.extend(text.as_bytes());
                        self.texts.truncate(start);
                    }
                }
            }
        }
        None
    }

    /// The skeleton as Rust source, placeholders numbered; `None` when it holds a group
    /// without delimiters, which text cannot show.
    fn text(&self) -> Option<String> {
        let mut text = String::with_capacity(self.key.len() * 3);
        let (mut names, mut literals) = (0, 0);
        let mut at = 0;
        while at < self.key.len() {
            let b = self.key[at];
            at += 1;
            match b {
                byte::NONE_OPEN | byte::NONE_CLOSE => return None,
                byte::KEYWORD => {
                    text.push_str(KEYWORDS[self.key[at] as usize]);
                    at += 1;
                }
                byte::NAME => {
                    let _ = write!(text, "{NAME_MARK}{names}");
                    names += 1;
                }
                byte::STRING => {
                    let _ = write!(text, "\"{literals}\"");
                    literals += 1;
                }
                byte::INTEGER => {
                    let _ = write!(text, "{literals}{INT_MARK}");
                    literals += 1;
                }
                byte::LITERAL => {
                    let (len, rest) = literal_text(&self.key[at..]);
                    text.push_str(rest);
                    at += 4 + len;
                }
                b'(' | b'{' | b'[' => {
                    text.push(b as char);
                    continue;
                }
                _ if b & byte::JOINT != 0 => {
                    text.push((b & !byte::JOINT) as char);
                    continue;
                }
                _ => text.push(b as char),
            }
            text.push(' ');
        }
        Some(text)
    }

    /// The tokens the skeleton was made from (without their spans, and with its `match`
    /// bodies' stand-in arms), to parse as they are.
    fn to_tokens(&self) -> Vec<TokenTree> {
        let mut names = self.names.iter().cloned();
        let mut literals = self.literals.iter().cloned();
        let mut at = 0;
        rebuild(&self.key, &mut at, &mut names, &mut literals)
    }
}

/// The literal text stored in a key at the start of `bytes` (after its marker).
fn literal_text(bytes: &[u8]) -> (usize, &str) {
    let len = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
    let text = std::str::from_utf8(&bytes[4..4 + len]).unwrap_or_default();
    (len, text)
}

/// Tokens from a key, up to the end of the group it is in.
fn rebuild(
    key: &[u8],
    at: &mut usize,
    names: &mut impl Iterator<Item = Ident>,
    literals: &mut impl Iterator<Item = Literal>,
) -> Vec<TokenTree> {
    let mut trees = Vec::new();
    while *at < key.len() {
        let b = key[*at];
        *at += 1;
        let delimiter = match b {
            b'(' => Some(Delimiter::Parenthesis),
            b'{' => Some(Delimiter::Brace),
            b'[' => Some(Delimiter::Bracket),
            byte::NONE_OPEN => Some(Delimiter::None),
            b')' | b'}' | b']' | byte::NONE_CLOSE => return trees,
            _ => None,
        };
        let tree = match (delimiter, b) {
            (Some(delimiter), _) => {
                let inner = rebuild(key, at, names, literals);
                TokenTree::Group(Group::new(delimiter, inner.into_iter().collect()))
            }
            (None, byte::KEYWORD) => {
                *at += 1;
                let word = KEYWORDS[key[*at - 1] as usize];
                TokenTree::Ident(Ident::new(word, proc_macro2::Span::call_site()))
            }
            (None, byte::NAME) => TokenTree::Ident(names.next().expect("a name per placeholder")),
            (None, byte::STRING | byte::INTEGER) => {
                TokenTree::Literal(literals.next().expect("a literal per placeholder"))
            }
            (None, byte::LITERAL) => {
                let (len, text) = literal_text(&key[*at..]);
                *at += 4 + len;
                let literal: Literal = text.parse().expect("a literal's own text");
                TokenTree::Literal(literal)
            }
            (None, punct) => {
                let spacing = if punct & byte::JOINT != 0 {
                    Spacing::Joint
                } else {
                    Spacing::Alone
                };
                TokenTree::Punct(proc_macro2::Punct::new(
                    (punct & !byte::JOINT) as char,
                    spacing,
                ))
            }
        };
        trees.push(tree);
    }
    trees
}

/// Whether a string literal's text can be a placeholder's in printed text: plain
/// printable ASCII without escapes, printed as written, and as a doc comment the way a
/// placeholder is (not starting with `/`, `*` or `!`, no trailing space).
fn replaceable_string(text: &str) -> bool {
    let Some(value) = text.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
        return false;
    };
    value.len() >= text::PLACEHOLDER_LEN
        && value
            .bytes()
            .all(|b| (b' '..=b'~').contains(&b) && b != b'\\' && b != b'"')
        && !value.starts_with(['/', '*', '!'])
        && !value.ends_with(' ')
}

#[derive(PartialEq, Debug)]
enum LiteralKind {
    String,
    Integer,
    Other,
}

impl LiteralKind {
    /// A literal's kind from its text: strings (plain and raw), integers (any base,
    /// any integer suffix), or something else (kept in the skeleton as it is).
    fn of(text: &str) -> LiteralKind {
        if text.starts_with('"') || text.starts_with("r\"") || text.starts_with("r#") {
            return LiteralKind::String;
        }
        let digits = text.strip_prefix('-').unwrap_or(text);
        if ["0x", "0o", "0b"]
            .iter()
            .any(|base| digits.starts_with(base))
        {
            return LiteralKind::Integer;
        }
        let end = digits
            .find(|c: char| !c.is_ascii_digit() && c != '_')
            .unwrap_or(digits.len());
        let suffix = &digits[end..];
        const INT_SUFFIXES: &[&str] = &[
            "", "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128",
            "usize",
        ];
        if end > 0 && digits.as_bytes()[0].is_ascii_digit() && INT_SUFFIXES.contains(&suffix) {
            LiteralKind::Integer
        } else {
            LiteralKind::Other
        }
    }
}

/// The kinds of tree the cache holds, walked by [`Walk`].
trait Walked {
    fn accept(&mut self, walk: &mut Walk<'_>);
}

impl Walked for syn::Item {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_item_mut(self);
    }
}

impl Walked for syn::ImplItem {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_impl_item_mut(self);
    }
}

impl Walked for syn::TraitItem {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_trait_item_mut(self);
    }
}

impl Walked for NamedField {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_field_mut(&mut self.0);
    }
}

impl Walked for MatchArm {
    fn accept(&mut self, walk: &mut Walk<'_>) {
        walk.visit_arm_mut(&mut self.0);
    }
}

/// One walk over a tree, meeting its names and literals in a fixed order: recording
/// which placeholder each is (for a template), or putting an item's own back (for a
/// clone of the template). Both walks meet the same nodes in the same order, because
/// the trees have the same shape.
struct Walk<'a> {
    names: Track<'a, Ident>,
    literals: Track<'a, Literal>,
}

/// One kind of placeholder along a walk.
enum Track<'a, T> {
    /// Which placeholder each one met is, if any.
    Record(Vec<Option<u32>>),
    /// The template's record, the item's own, and how far the walk is.
    Fill {
        record: &'a [Option<u32>],
        originals: &'a [T],
        at: usize,
    },
}

impl<'a, T: Clone> Track<'a, T> {
    fn fill(record: &'a [Option<u32>], originals: &'a [T]) -> Self {
        Track::Fill {
            record,
            originals,
            at: 0,
        }
    }

    /// Meets the next one: records its placeholder index (`index` reads it), or gives
    /// back the original it stands for.
    fn next(&mut self, index: impl FnOnce() -> Option<u32>) -> Option<T> {
        match self {
            Track::Record(record) => {
                record.push(index());
                None
            }
            Track::Fill {
                record,
                originals,
                at,
            } => {
                let index = record.get(*at).copied().flatten();
                *at += 1;
                index.map(|i| originals[i as usize].clone())
            }
        }
    }
}

impl Walk<'_> {
    fn walk<T: Walked>(&mut self, tree: &mut T) {
        tree.accept(self);
    }

    /// The original name for this one, if it is a placeholder.
    fn name(&mut self, ident: &Ident) -> Option<Ident> {
        self.names
            .next(|| placeholder_index(&ident.to_string(), NAME_MARK, ""))
    }

    /// The original literal for this one, if it is a placeholder (`index` reads which).
    fn literal(&mut self, index: impl FnOnce() -> Option<u32>) -> Option<Literal> {
        self.literals.next(index)
    }

    /// Token streams `syn` keeps as they are (macro bodies, attribute arguments).
    fn tokens(&mut self, tokens: &mut TokenStream) {
        if let Some(changed) = self.stream(tokens.clone()) {
            *tokens = changed;
        }
    }

    /// The stream with its placeholders replaced, or `None` when it has none.
    fn stream(&mut self, stream: TokenStream) -> Option<TokenStream> {
        let mut changed = false;
        let trees: Vec<TokenTree> = stream
            .into_iter()
            .map(|tree| self.token(tree, &mut changed))
            .collect();
        changed.then(|| trees.into_iter().collect())
    }

    fn token(&mut self, tree: TokenTree, changed: &mut bool) -> TokenTree {
        match tree {
            TokenTree::Group(group) => match self.stream(group.stream()) {
                Some(inner) => {
                    *changed = true;
                    let mut new = Group::new(group.delimiter(), inner);
                    new.set_span(group.span());
                    TokenTree::Group(new)
                }
                None => TokenTree::Group(group),
            },
            TokenTree::Ident(ident) => match self.name(&ident) {
                Some(original) => {
                    *changed = true;
                    TokenTree::Ident(original)
                }
                None => TokenTree::Ident(ident),
            },
            TokenTree::Literal(literal) => {
                let text = literal.to_string();
                let index = || {
                    placeholder_index(&text, "\"", "\"")
                        .or_else(|| placeholder_index(&text, "", INT_MARK))
                };
                match self.literal(index) {
                    Some(original) => {
                        *changed = true;
                        TokenTree::Literal(original)
                    }
                    None => TokenTree::Literal(literal),
                }
            }
            punct @ TokenTree::Punct(_) => punct,
        }
    }
}

/// N, when `text` is `prefix` N `suffix`.
fn placeholder_index(text: &str, prefix: &str, suffix: &str) -> Option<u32> {
    let digits = text.strip_prefix(prefix)?.strip_suffix(suffix)?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

impl VisitMut for Walk<'_> {
    fn visit_ident_mut(&mut self, ident: &mut Ident) {
        if let Some(original) = self.name(ident) {
            *ident = original;
        }
    }

    fn visit_lit_mut(&mut self, lit: &mut syn::Lit) {
        let index = match &*lit {
            syn::Lit::Str(s) => placeholder_index(&s.value(), "", ""),
            syn::Lit::Int(i) if i.suffix() == INT_MARK => i.base10_digits().parse().ok(),
            _ => None,
        };
        if let Some(original) = self.literal(|| index) {
            *lit = syn::Lit::new(original);
        }
    }

    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        let index = placeholder_index(&lit.value(), "", "");
        if let Some(original) = self.literal(|| index) {
            if let syn::Lit::Str(original) = syn::Lit::new(original) {
                *lit = original;
            }
        }
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        visit_mut::visit_macro_mut(self, mac);
        self.tokens(&mut mac.tokens);
    }

    fn visit_meta_list_mut(&mut self, list: &mut syn::MetaList) {
        visit_mut::visit_meta_list_mut(self, list);
        self.tokens(&mut list.tokens);
    }
}

/// How many leading tokens are inner attributes (`#![...]`).
fn inner_attributes_len(trees: &[TokenTree]) -> usize {
    let mut at = 0;
    while let [
        TokenTree::Punct(hash),
        TokenTree::Punct(bang),
        TokenTree::Group(_),
        ..,
    ] = &trees[at..]
    {
        if hash.as_char() != '#' || bang.as_char() != '!' {
            break;
        }
        at += 3;
    }
    at
}

/// Keywords that start a block-like expression, or a closure: between `match` and its
/// body they mean the first `{ .. }` may not be the body; starting an arm's body, that
/// the arm may end without a comma.
const BLOCK_WORDS: &[&str] = &[
    "async", "const", "else", "for", "if", "loop", "match", "move", "static", "try", "unsafe",
    "while",
];

/// Where each arm of a `match` body ends (the index after its last token), as `syn`
/// ends them: after a `{ .. }` body unless `.` or `?` goes on from it (and the comma
/// after it, if any), else after the comma that ends the body. `None` when an arm is not
/// plainly one of these: a body that starts with an attribute, a label or a block-like
/// keyword, a `|` or `<` in a body (whose commas may be a closure's or generic
/// arguments'), an attribute on an arm, tokens after the last arm; or when there are
/// fewer than two arms.
fn arm_ends(trees: &[TokenTree]) -> Option<Vec<usize>> {
    let punct = |at: usize| match trees.get(at) {
        Some(TokenTree::Punct(p)) => Some((p.as_char(), p.spacing())),
        _ => None,
    };
    let mut ends = Vec::new();
    let mut start = 0;
    while start < trees.len() {
        if punct(start).is_some_and(|(c, _)| c == '#') {
            return None;
        }
        // The pattern and guard go up to `=>`.
        let arrow = (start..trees.len()).find(|&at| {
            punct(at) == Some(('=', Spacing::Joint)) && punct(at + 1).is_some_and(|(c, _)| c == '>')
        })?;
        let body = arrow + 2;
        let end = match trees.get(body)? {
            TokenTree::Group(block) if block.delimiter() == Delimiter::Brace => {
                let continued = match punct(body + 1) {
                    Some(('?', _)) => true,
                    Some(('.', spacing)) => {
                        !(spacing == Spacing::Joint
                            && punct(body + 2).is_some_and(|(c, _)| c == '.'))
                    }
                    _ => false,
                };
                if continued {
                    comma_end(trees, body + 1)?
                } else if punct(body + 1).is_some_and(|(c, _)| c == ',') {
                    body + 2
                } else {
                    body + 1
                }
            }
            TokenTree::Ident(word) if BLOCK_WORDS.iter().any(|w| word == w) => return None,
            TokenTree::Punct(p) if matches!(p.as_char(), '#' | '\'' | '|') => return None,
            _ => comma_end(trees, body)?,
        };
        ends.push(end);
        start = end;
    }
    (ends.len() >= 2).then_some(ends)
}

/// The end of an arm whose body ends at a comma: after the first comma from `from` on
/// (or at the end of the arms). `None` at a `|` or `<` first.
fn comma_end(trees: &[TokenTree], from: usize) -> Option<usize> {
    for (at, tree) in trees.iter().enumerate().skip(from) {
        if let TokenTree::Punct(p) = tree {
            match p.as_char() {
                ',' => return Some(at + 1),
                '|' | '<' => return None,
                _ => {}
            }
        }
    }
    Some(trees.len())
}

/// Splits a sequence of items (or of impl or trait members) where each ends: at a `;`,
/// or at a `{ ... }` body, unless the item binds a value (`const`, `static`, `type`),
/// whose braces are expressions and which end at their `;`.
fn split_items(trees: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    let mut items = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut trees = trees.into_iter().peekable();
    while let Some(tree) = trees.next() {
        let ends = match &tree {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => {
                let semicolon_next =
                    matches!(trees.peek(), Some(TokenTree::Punct(p)) if p.as_char() == ';');
                !semicolon_next && !binds_value(&current)
            }
            _ => false,
        };
        current.push(tree);
        if ends {
            items.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        items.push(current);
    }
    items
}

/// Splits a struct's named fields at the commas between them: the commas outside
/// groups and outside a type's angle brackets (`HashMap<K, V>`), the `>` of `->`
/// aside. The commas are left out; printing puts them back.
fn split_fields(trees: Vec<TokenTree>) -> Vec<Vec<TokenTree>> {
    let mut fields = Vec::new();
    let mut current: Vec<TokenTree> = Vec::new();
    let mut angles = 0usize;
    let mut arrow = false;
    for tree in trees {
        if let TokenTree::Punct(p) = &tree {
            match p.as_char() {
                '<' => angles += 1,
                '>' if !arrow => angles = angles.saturating_sub(1),
                ',' if angles == 0 => {
                    fields.push(std::mem::take(&mut current));
                    continue;
                }
                _ => {}
            }
            arrow = p.as_char() == '-' && p.spacing() == Spacing::Joint;
        } else {
            arrow = false;
        }
        current.push(tree);
    }
    if !current.is_empty() {
        fields.push(current);
    }
    fields
}

/// The first word of an item after its attributes and visibility.
fn first_keywords(trees: &[TokenTree]) -> impl Iterator<Item = &Ident> {
    let mut at = 0;
    loop {
        match &trees[at..] {
            [TokenTree::Punct(hash), TokenTree::Group(_), ..] if hash.as_char() == '#' => at += 2,
            [TokenTree::Ident(vis), TokenTree::Group(g), ..]
                if vis == "pub" && g.delimiter() == Delimiter::Parenthesis =>
            {
                at += 2
            }
            [TokenTree::Ident(vis), ..] if vis == "pub" => at += 1,
            _ => break,
        }
    }
    trees[at..].iter().map_while(|tree| match tree {
        TokenTree::Ident(ident) => Some(ident),
        _ => None,
    })
}

/// `const X: T = ...;`, `static`, `type`: the braces in them do not end them.
fn binds_value(trees: &[TokenTree]) -> bool {
    let mut words = first_keywords(trees);
    match words.next() {
        Some(word) if word == "static" || word == "type" => true,
        // `const fn`, `const unsafe fn` are functions.
        Some(word) if word == "const" => {
            !matches!(words.next(), Some(next) if next == "fn" || next == "unsafe" || next == "async" || next == "extern")
        }
        _ => false,
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Container {
    Impl,
    Trait,
    Mod,
    /// A struct with named fields, whose members are its fields.
    Struct,
    /// A `match` body, whose members are its arms (never an item's own container).
    Arm,
}

/// Whether an item is an `impl`, `trait`, `mod` or `struct` with a body.
fn container(trees: &[TokenTree]) -> Option<Container> {
    if !matches!(trees.last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace) {
        return None;
    }
    first_keywords(trees)
        .find(|word| *word != "unsafe" && *word != "default" && *word != "auto")
        .and_then(|word| {
            if word == "impl" {
                Some(Container::Impl)
            } else if word == "trait" {
                Some(Container::Trait)
            } else if word == "mod" {
                Some(Container::Mod)
            } else if word == "struct" {
                Some(Container::Struct)
            } else {
                None
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    fn plain(tokens: TokenStream) -> String {
        prettyplease::unparse(&syn::parse2(tokens).unwrap())
    }

    /// prettyplease's text for the tokens, and the cache's the second time it prints them
    /// (from the trees and texts the first time made), which must be the same.
    fn both_ways(tokens: TokenStream) -> (String, String) {
        let mut cache = ItemCache::default();
        let first = cache.print(tokens.clone()).unwrap();
        let cached = cache.print(tokens.clone()).unwrap();
        let plain = plain(tokens);
        assert_eq!(first, plain);
        (plain, cached)
    }

    #[test]
    fn keywords_are_sorted_and_found() {
        assert!(KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        for (index, word) in KEYWORDS.iter().enumerate() {
            assert_eq!(keyword(word), Some(index as u8), "{word}");
        }
        for name in ["", "Selfish", "ab", "fnx", "macro_rules_x", "type_", "Z"] {
            assert_eq!(keyword(name), None, "{name}");
        }
    }

    #[test]
    fn items_of_one_shape_get_their_own_names_and_literals_back() {
        let tokens = quote! {
            #![allow(dead_code)]
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
        let tokens = quote! {
            pub struct A { pub one: u8, pub two: Option<String> }
            impl A {
                pub fn one(mut self, input: impl Into<u8>) -> Self { self.one = input.into(); self }
                pub fn two(mut self, input: impl Into<String>) -> Self { self.two = Some(input.into()); self }
                pub const NAME: &'static str = "A";
                pub fn limits() -> (u8, i64, f64, char) { (7, -3i64, 1.5, 'x') }
                pub fn first(pair: (u8, u8)) -> u8 { pair.0 }
            }
            impl B {
                pub fn three(mut self, input: impl Into<u8>) -> Self { self.three = input.into(); self }
                pub const NAME: &'static str = "B\n";
                pub fn limits() -> (u8, i64, f64, char) { (9, 0x1F, 2.5, 'y') }
                pub fn second(pair: (u8, u8)) -> u8 { pair.1 }
            }
            pub mod builders {
                #[derive(Clone, Debug)]
                pub struct C { field: S }
                pub fn shorthand(field: S) -> C { C { field } }
                pub fn matching(e: &E) -> bool { ::std::matches!(e, E::Left(_)) }
                pub fn other(e: &E) -> bool { ::std::matches!(e, E::Right(_)) }
            }
            pub trait Server { fn get(&self, id: &str) -> u8; fn put(&self, name: &str) -> u16; }
            pub const X: T = T { a: 1 };
            pub static Y: &[T] = &[T { a: 2 }, T { a: 3 }];
            pub static Z: &[T] = &[T { a: 4 }, T { a: 5 }];
            pub type R<T> = Result<T, E>;
            pub fn tick<'a>(x: &'a str) -> &'a str { x }
            pub fn tock<'b>(y: &'b str) -> &'b str { y }
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
        assert!(cached.contains("\"B\\n\""), "{cached}");
    }

    #[test]
    fn a_skeleton_reuses_the_tree_and_text_of_its_first_item() {
        let mut cache = ItemCache::default();
        let printed = cache
            .print(quote! {
                impl A { pub fn first(&self) -> u16 { self.first } pub fn second(&self) -> u16 { self.second } }
            })
            .unwrap();
        assert!(
            printed.contains("fn second(&self) -> u16 {\n        self.second\n    }"),
            "{printed}"
        );
        // Both methods have one skeleton and one text, and the impl header others.
        assert_eq!(cache.impl_items.by_skeleton.len(), 1);
        assert_eq!(cache.items.by_skeleton.len(), 1);
        assert_eq!(cache.texts.len(), 2);
        assert!(cache.texts.values().all(|texts| texts.len() == 1));
    }

    /// The text of an item printed with short placeholders is reused only where
    /// prettyplease lays the item out alike: names of many lengths, through one cache,
    /// print as prettyplease prints each item on its own.
    #[test]
    fn reused_text_is_prettypleases_for_names_of_any_length() {
        const LENGTHS: &[usize] = &[1, 3, 4, 5, 6, 9, 14, 21, 30, 44, 61, 80];
        let name = |len: usize, salt: usize| -> Ident {
            let mut text = String::from("n");
            while text.len() < len {
                text.push((b'a' + ((text.len() * 7 + salt) % 26) as u8) as char);
            }
            Ident::new(&text, proc_macro2::Span::call_site())
        };
        let shapes: Vec<fn(&[Ident], &str) -> TokenStream> = vec![
            |n, _| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                quote! {
                    impl Holder {
                        pub fn #a(mut self, input: impl Into<crate::types::#b>) -> Self { self.#c = Some(input.into()); self }
                    }
                }
            },
            |n, _| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                quote! {
                    fn build(self) -> Holder { Holder { #a: self.#a, #b: self.#b.unwrap_or_default(), #c: #c } }
                }
            },
            |n, _| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                quote! {
                    fn chain(x: &T) -> U { #a.#b(x).#c().into_iter().map(|v| v.#b()).collect::<Vec<_>>() }
                }
            },
            |n, doc| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                quote! {
                    #[doc = #doc]
                    pub static #a: ::smithy_runtime::Schema = ::smithy_runtime::Schema::of(#b::#c(&#a));
                }
            },
            |n, doc| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                quote! {
                    pub trait Holder {
                        #[doc = #doc]
                        fn #a(&self, input: crate::operation::#b::#c, context: Ctx) -> impl ::std::future::Future<Output = Result<#c, #b>> + Send;
                    }
                }
            },
            |n, doc| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                quote! {
                    pub struct Holder<T> {
                        #[doc = #doc]
                        pub #a: Option<crate::types::#b>,
                        pub(crate) #c: ::std::collections::HashMap<String, Box<dyn Fn(#b) -> T>>,
                        #b: Vec<#c>
                    }
                }
            },
            |n, _| {
                let (a, b) = (&n[0], &n[1]);
                // A struct literal is broken past 34 characters, whatever the room.
                quote! {
                    fn small(x: u8) -> P { P { #a: x, #b } }
                }
            },
            |n, _| {
                let (a, b) = (&n[0], &n[1]);
                quote! {
                    fn arms(e: &E) -> Option<&str> { match e { Self::#a(_) => Some("a"), Self::#b(inner) => inner.#a(), } }
                }
            },
            |n, doc| {
                let (a, b, c) = (&n[0], &n[1], &n[2]);
                // Arms printed apart: bodies that wrap, blocks, a guard, nested matches.
                quote! {
                    impl Holder {
                        fn arms(&self) -> Result<#a, #b> {
                            let value = match self.#c {
                                Kind::#a(inner) if inner.#b() => { let #c = inner; #c.#a() }
                                Kind::#b(inner) => rt::ErrorResponse::modeled(#doc, 500u16, &inner).#c(),
                                Kind::#c { #a, .. } => { #a }.#b()?,
                                Kind::Other => Some(match #a { A::#b => #doc, A::#c => "c" }),
                            };
                            Ok(value)
                        }
                    }
                }
            },
        ];
        let mut cache = ItemCache::default();
        let mut seed = 7usize;
        let mut checked = 0;
        for round in 0..40 {
            for (i, shape) in shapes.iter().enumerate() {
                let mut pick = || {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    LENGTHS[(seed >> 33) % LENGTHS.len()]
                };
                let names: Vec<Ident> = (0..3).map(|k| name(pick(), round + k)).collect();
                let doc = "d".repeat(pick() + 5);
                let tokens = shape(&names, &doc);
                let cached = cache.print(tokens.clone()).unwrap();
                assert_eq!(cached, plain(tokens), "shape {i}, round {round}");
                checked += 1;
            }
        }
        assert_eq!(checked, 360);
        // The arms were printed apart from their items.
        assert!(!cache.arms.by_skeleton.is_empty());
        // Texts were reused, not only trees.
        assert!(cache.texts.values().any(|texts| !texts.is_empty()));
    }

    /// A `match` body is split into its arms only where `syn` ends each arm, outside
    /// macro input, and where an arm can print; otherwise the item prints whole. Either
    /// way the text is prettyplease's.
    #[test]
    fn match_arms_print_apart_only_where_it_is_safe() {
        let tokens = quote! {
            impl E {
                pub fn code(&self) -> Option<&str> {
                    match self {
                        Self::FirstVariantName(_) => Some("FirstVariantName"),
                        Self::SecondVariantName(_) => Some("SecondVariantName"),
                        Self::Unhandled(inner) => inner.meta().code(),
                    }
                }
                fn blocks(&self) -> u8 {
                    match self.kind {
                        Kind::A => { 1 }
                        Kind::B => { 2u8 }.min(3),
                        Kind::C => { 3 },
                        Kind::D => self.value()?,
                    }
                }
                fn unsplit(&self) -> u8 {
                    // A closure, generic arguments, a block-like body, a block-like
                    // scrutinee, an attribute: these stay whole.
                    let total = match self.kind { Kind::A => |a, b| a + b, _ => g }
                        + match self.kind { Kind::A => x | y, _ => 0 }
                        + match self.kind { Kind::A => f::<u8, u8>(3), _ => 0 }
                        + match self.kind { Kind::A => if x { 1 } else { 2 } Kind::B => 3, _ => 0 }
                        + match unsafe { self.raw() } { 1 => 1, _ => 2 }
                        + match self.kind { #[allow(unused)] Kind::A => 1, _ => 2 };
                    total
                }
            }
            const TOP: u8 = match LEVEL { 1 => 10, _ => 20 };
            fn in_macro() { m!(match x { A => 1, B => 2 }); }
            fn nested() -> u8 { match a { A => Some(match b { B1 => 1, B2 => 2 }), _ => None } }
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
        let mut cache = ItemCache::default();
        cache
            .print(quote!(
                fn f() -> u8 {
                    match a {
                        A => 1,
                        B => 2,
                    }
                }
            ))
            .unwrap();
        // Split: the two arms are one skeleton, parsed once.
        assert_eq!(cache.arms.by_skeleton.len(), 1);
        // Fewer than two arms, and macro input, are not split.
        let mut cache = ItemCache::default();
        cache
            .print(quote!(
                fn f() -> u8 {
                    let x = match a {
                        A => 1,
                    } + m!(match b {
                        B => 1,
                        C => 2,
                    });
                    x
                }
            ))
            .unwrap();
        assert!(cache.arms.by_skeleton.is_empty());
    }

    #[test]
    fn what_does_not_split_or_parse_is_parsed_whole() {
        let mut cache = ItemCache::default();
        let error = cache.print(quote!(pub struct A { b: })).err().unwrap();
        assert!(error.to_string().contains("expected"), "{error}");
        // Parsed as it is, the error names what is wrong rather than a placeholder.
        assert!(!error.to_string().contains(NAME_MARK), "{error}");
        // An `impl` whose generics bind an associated type still splits at its body.
        let tokens = quote! {
            impl<T: Iterator<Item = u8>> A for T { fn a(&self) {} }
            pub struct B;
        };
        let (plain, cached) = both_ways(tokens);
        assert_eq!(plain, cached);
    }

    /// Every file of the crates generated in this repository prints, through the cache,
    /// as prettyplease prints it.
    #[test]
    fn generated_crates_parse_as_a_plain_parse_does() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
        let mut dirs = vec![root];
        let mut files = 0;
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).unwrap();
                    let tokens: TokenStream = text.parse().unwrap();
                    let (plain, cached) = both_ways(tokens);
                    assert!(plain == cached, "{} differs", path.display());
                    files += 1;
                }
            }
        }
        assert!(files > 20, "only {files} generated files found");
    }

    /// The crates generated from whole AWS models print, file by file through one cache
    /// as a generator thread does, as prettyplease prints them.
    #[test]
    fn whole_aws_models_print_as_prettyplease_prints_them() {
        let Some(shared) = crate::test_shared::shared_dir() else {
            return;
        };
        let models = shared.join("aws-models");
        for name in ["athena-2017-05-18.json", "emr-serverless-2021-07-13.json"] {
            let model = crate::load::load_files(&[models.join(name)]).unwrap();
            let files = crate::generate(&model, &crate::Settings::default()).unwrap();
            let mut cache = ItemCache::default();
            for file in files
                .iter()
                .filter(|f| f.path.extension().is_some_and(|e| e == "rs"))
            {
                let tokens: TokenStream = file.contents.parse().unwrap();
                let cached = cache.print(tokens.clone()).unwrap();
                assert!(cached == plain(tokens), "{} differs", file.path.display());
            }
        }
    }

    #[test]
    fn literal_kinds() {
        assert_eq!(LiteralKind::of("\"a\""), LiteralKind::String);
        assert_eq!(LiteralKind::of("r#\"a\"#"), LiteralKind::String);
        assert_eq!(LiteralKind::of("12"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("-3i64"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("0x1E"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("1_000usize"), LiteralKind::Integer);
        assert_eq!(LiteralKind::of("1.5"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("1e3"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("2f64"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("'x'"), LiteralKind::Other);
        assert_eq!(LiteralKind::of("b\"x\""), LiteralKind::Other);
    }
}
