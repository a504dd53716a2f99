//! JMESPath expressions over the JSON form of an input or output: what
//! `@operationContextParams` paths and waiters' acceptors are written in.
//!
//! The subset those traits use: identifiers (bare or quoted), `.`, `[n]`, `[*]`
//! projections, `[]` flattening, `[?filter]`, multi-select lists `[a, b]`, `@`, literals
//! (`` `json` `` and `'raw'`), comparisons, `&&`, `||`, `!`, and the functions
//! `length`, `contains`, `keys` and `values`. Anything else does not parse, and the path
//! then gives nothing.

use serde_json::Value;

/// The value of `path` over `input`; `None` when it gives `null` or does not parse.
pub fn evaluate(path: &str, input: &Value) -> Option<Value> {
    let node = parse(path)?;
    match node.eval(input) {
        Value::Null => None,
        value => Some(value),
    }
}

/// Parses `path`, or `None`.
pub(crate) fn parse(path: &str) -> Option<Node> {
    let mut parser = Parser {
        text: path.as_bytes(),
        at: 0,
    };
    let node = parser.expression(0)?;
    parser.skip_space();
    (parser.at == parser.text.len()).then_some(node)
}

#[derive(Clone, Debug)]
pub(crate) enum Node {
    Current,
    Field(String),
    Index(i64),
    Literal(Value),
    /// `left.right`
    Sub(Box<Node>, Box<Node>),
    /// `left | right`: `right` over the result of `left` (ending any projection).
    Pipe(Box<Node>, Box<Node>),
    /// `left[*]right`: `right` over each element of `left`, nulls dropped.
    Project(Box<Node>, Box<Node>),
    /// `left[]right`: `left` flattened one level, then projected.
    Flatten(Box<Node>, Box<Node>),
    /// `left[?filter]right`
    Filter(Box<Node>, Box<Node>, Box<Node>),
    MultiList(Vec<Node>),
    Compare(Comparator, Box<Node>, Box<Node>),
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Function(String, Vec<Node>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Comparator {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.text.get(self.at).is_some_and(u8::is_ascii_whitespace) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Option<u8> {
        self.skip_space();
        self.text.get(self.at).copied()
    }

    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.text[self.at..].starts_with(token.as_bytes()) {
            self.at += token.len();
            true
        } else {
            false
        }
    }

    /// Binary operators by binding power: `|` 1, `||` 2, `&&` 3, comparisons 4.
    fn expression(&mut self, min_power: u8) -> Option<Node> {
        let mut left = self.unary()?;
        loop {
            let (power, build): (u8, fn(Node, Node) -> Node) = if self.at_op("||") {
                (2, |l, r| Node::Or(Box::new(l), Box::new(r)))
            } else if self.at_op("|") {
                (1, |l, r| Node::Pipe(Box::new(l), Box::new(r)))
            } else if self.at_op("&&") {
                (3, |l, r| Node::And(Box::new(l), Box::new(r)))
            } else if let Some(c) = self.comparator() {
                let build: fn(Node, Node) -> Node = match c {
                    Comparator::Eq => {
                        |l, r| Node::Compare(Comparator::Eq, Box::new(l), Box::new(r))
                    }
                    Comparator::Ne => {
                        |l, r| Node::Compare(Comparator::Ne, Box::new(l), Box::new(r))
                    }
                    Comparator::Lt => {
                        |l, r| Node::Compare(Comparator::Lt, Box::new(l), Box::new(r))
                    }
                    Comparator::Le => {
                        |l, r| Node::Compare(Comparator::Le, Box::new(l), Box::new(r))
                    }
                    Comparator::Gt => {
                        |l, r| Node::Compare(Comparator::Gt, Box::new(l), Box::new(r))
                    }
                    Comparator::Ge => {
                        |l, r| Node::Compare(Comparator::Ge, Box::new(l), Box::new(r))
                    }
                };
                (4, build)
            } else {
                return Some(left);
            };
            if power <= min_power {
                return Some(left);
            }
            self.consume_op();
            let right = self.expression(power)?;
            left = build(left, right);
        }
    }

    fn at_op(&mut self, op: &str) -> bool {
        self.skip_space();
        self.text[self.at..].starts_with(op.as_bytes())
    }

    fn comparator(&mut self) -> Option<Comparator> {
        self.skip_space();
        let rest = &self.text[self.at..];
        Some(match rest {
            [b'=', b'=', ..] => Comparator::Eq,
            [b'!', b'=', ..] => Comparator::Ne,
            [b'<', b'=', ..] => Comparator::Le,
            [b'>', b'=', ..] => Comparator::Ge,
            [b'<', ..] => Comparator::Lt,
            [b'>', ..] => Comparator::Gt,
            _ => return None,
        })
    }

    fn consume_op(&mut self) {
        let rest = &self.text[self.at..];
        self.at += match rest {
            [b'|', b'|', ..] | [b'&', b'&', ..] | [_, b'=', ..] => 2,
            [b'|', ..] => 1,
            _ => 1,
        };
    }

    fn unary(&mut self) -> Option<Node> {
        if self.peek() == Some(b'!') && self.text.get(self.at + 1) != Some(&b'=') {
            self.at += 1;
            return Some(Node::Not(Box::new(self.unary()?)));
        }
        if self.eat("(") {
            let inner = self.expression(0)?;
            self.eat(")").then_some(())?;
            return self.chain(inner);
        }
        let start = self.primary()?;
        self.chain(start)
    }

    fn primary(&mut self) -> Option<Node> {
        match self.peek()? {
            b'@' => {
                self.at += 1;
                Some(Node::Current)
            }
            b'`' => self.json_literal(),
            b'\'' => self.raw_string(),
            b'"' => Some(Node::Field(self.quoted()?)),
            b'[' => Some(Node::Current),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let name = self.identifier();
                if self.peek() == Some(b'(') {
                    self.at += 1;
                    let mut args = Vec::new();
                    if !self.eat(")") {
                        loop {
                            args.push(self.expression(0)?);
                            if self.eat(")") {
                                break;
                            }
                            self.eat(",").then_some(())?;
                        }
                    }
                    Some(Node::Function(name, args))
                } else {
                    Some(Node::Field(name))
                }
            }
            _ => None,
        }
    }

    /// What follows a value: `.field`, `.[list]`, `[n]`, `[*]`, `[]`, `[?filter]`,
    /// `[a, b]` (the last only at the start). The rest of a projection is what follows
    /// it up to a `[]`, which flattens the whole projection (JMESPath's binding powers).
    fn chain(&mut self, left: Node) -> Option<Node> {
        self.chain_in(left, false)
    }

    fn chain_in(&mut self, mut left: Node, in_projection: bool) -> Option<Node> {
        loop {
            match self.peek() {
                Some(b'.') => {
                    self.at += 1;
                    let right = match self.peek()? {
                        b'[' => {
                            self.at += 1;
                            Node::MultiList(self.list_items()?)
                        }
                        b'"' => Node::Field(self.quoted()?),
                        b'*' => return None,
                        _ => match self.primary()? {
                            Node::Field(name) => Node::Field(name),
                            function @ Node::Function(..) => function,
                            _ => return None,
                        },
                    };
                    left = Node::Sub(Box::new(left), Box::new(right));
                }
                Some(b'[') => {
                    let start = self.at;
                    self.at += 1;
                    if self.eat("]") {
                        if in_projection {
                            self.at = start;
                            return Some(left);
                        }
                        let rest = self.chain_in(Node::Current, true)?;
                        left = Node::Flatten(Box::new(left), Box::new(rest));
                        continue;
                    }
                    if self.eat("*") {
                        self.eat("]").then_some(())?;
                        let rest = self.chain_in(Node::Current, true)?;
                        left = Node::Project(Box::new(left), Box::new(rest));
                        continue;
                    }
                    if self.eat("?") {
                        let filter = self.expression(0)?;
                        self.eat("]").then_some(())?;
                        let rest = self.chain_in(Node::Current, true)?;
                        left = Node::Filter(Box::new(left), Box::new(filter), Box::new(rest));
                        continue;
                    }
                    if let Some(index) = self.integer() {
                        self.eat("]").then_some(())?;
                        left = Node::Sub(Box::new(left), Box::new(Node::Index(index)));
                        continue;
                    }
                    // A multi-select list applies to the current value only.
                    if !matches!(left, Node::Current) {
                        return None;
                    }
                    left = Node::MultiList(self.list_items()?);
                }
                _ => return Some(left),
            }
        }
    }

    fn list_items(&mut self) -> Option<Vec<Node>> {
        let mut items = Vec::new();
        loop {
            items.push(self.expression(0)?);
            if self.eat("]") {
                return Some(items);
            }
            self.eat(",").then_some(())?;
        }
    }

    fn integer(&mut self) -> Option<i64> {
        self.skip_space();
        let start = self.at;
        if self.text.get(self.at) == Some(&b'-') {
            self.at += 1;
        }
        while self.text.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
        let parsed = std::str::from_utf8(&self.text[start..self.at])
            .ok()
            .and_then(|t| t.parse().ok());
        if parsed.is_none() {
            self.at = start;
        }
        parsed
    }

    fn identifier(&mut self) -> String {
        let start = self.at;
        while self
            .text
            .get(self.at)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.at += 1;
        }
        String::from_utf8_lossy(&self.text[start..self.at]).into_owned()
    }

    fn quoted(&mut self) -> Option<String> {
        let start = self.at;
        self.at += 1;
        while *self.text.get(self.at)? != b'"' {
            self.at += if self.text[self.at] == b'\\' { 2 } else { 1 };
        }
        self.at += 1;
        serde_json::from_slice(&self.text[start..self.at]).ok()
    }

    fn raw_string(&mut self) -> Option<Node> {
        self.at += 1;
        let start = self.at;
        while *self.text.get(self.at)? != b'\'' {
            self.at += 1;
        }
        let text = String::from_utf8_lossy(&self.text[start..self.at]).into_owned();
        self.at += 1;
        Some(Node::Literal(Value::String(text)))
    }

    fn json_literal(&mut self) -> Option<Node> {
        self.at += 1;
        let start = self.at;
        while *self.text.get(self.at)? != b'`' {
            self.at += 1;
        }
        let value = serde_json::from_slice(&self.text[start..self.at]).ok()?;
        self.at += 1;
        Some(Node::Literal(value))
    }
}

/// JMESPath's truth: false, null, and empty strings, arrays and objects are false.
fn truthy(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        _ => true,
    }
}

impl Node {
    pub(crate) fn eval(&self, value: &Value) -> Value {
        match self {
            Node::Current => value.clone(),
            Node::Field(name) => value.get(name).cloned().unwrap_or(Value::Null),
            Node::Index(i) => match value.as_array() {
                Some(items) => {
                    let at = if *i < 0 { items.len() as i64 + i } else { *i };
                    usize::try_from(at)
                        .ok()
                        .and_then(|at| items.get(at))
                        .cloned()
                        .unwrap_or(Value::Null)
                }
                None => Value::Null,
            },
            Node::Literal(v) => v.clone(),
            Node::Sub(left, right) => match left.eval(value) {
                Value::Null => Value::Null,
                inner => right.eval(&inner),
            },
            Node::Pipe(left, right) => right.eval(&left.eval(value)),
            Node::Project(left, rest) => match left.eval(value) {
                Value::Array(items) => project(items.iter(), rest),
                _ => Value::Null,
            },
            Node::Flatten(left, rest) => match left.eval(value) {
                Value::Array(items) => {
                    let mut flat = Vec::new();
                    for item in items {
                        match item {
                            Value::Array(inner) => flat.extend(inner),
                            other => flat.push(other),
                        }
                    }
                    project(flat.iter(), rest)
                }
                _ => Value::Null,
            },
            Node::Filter(left, filter, rest) => match left.eval(value) {
                Value::Array(items) => {
                    project(items.iter().filter(|item| truthy(&filter.eval(item))), rest)
                }
                _ => Value::Null,
            },
            Node::MultiList(items) => match value {
                Value::Null => Value::Null,
                _ => Value::Array(items.iter().map(|n| n.eval(value)).collect()),
            },
            Node::Compare(op, left, right) => compare(*op, &left.eval(value), &right.eval(value)),
            Node::And(left, right) => {
                let l = left.eval(value);
                if truthy(&l) { right.eval(value) } else { l }
            }
            Node::Or(left, right) => {
                let l = left.eval(value);
                if truthy(&l) { l } else { right.eval(value) }
            }
            Node::Not(inner) => Value::Bool(!truthy(&inner.eval(value))),
            Node::Function(name, args) => {
                let args: Vec<Value> = args.iter().map(|a| a.eval(value)).collect();
                function(name, &args)
            }
        }
    }
}

fn project<'v>(items: impl Iterator<Item = &'v Value>, rest: &Node) -> Value {
    Value::Array(
        items
            .map(|item| rest.eval(item))
            .filter(|v| !v.is_null())
            .collect(),
    )
}

fn compare(op: Comparator, left: &Value, right: &Value) -> Value {
    match op {
        Comparator::Eq => Value::Bool(json_equal(left, right)),
        Comparator::Ne => Value::Bool(!json_equal(left, right)),
        _ => match (left.as_f64(), right.as_f64()) {
            (Some(l), Some(r)) => Value::Bool(match op {
                Comparator::Lt => l < r,
                Comparator::Le => l <= r,
                Comparator::Gt => l > r,
                _ => l >= r,
            }),
            _ => Value::Null,
        },
    }
}

/// Equality with numbers compared by value (`1` equals `1.0`).
fn json_equal(left: &Value, right: &Value) -> bool {
    match (left, right) {
        (Value::Number(l), Value::Number(r)) => l.as_f64() == r.as_f64(),
        (Value::Array(l), Value::Array(r)) => {
            l.len() == r.len() && l.iter().zip(r).all(|(a, b)| json_equal(a, b))
        }
        (Value::Object(l), Value::Object(r)) => {
            l.len() == r.len()
                && l.iter()
                    .all(|(k, v)| r.get(k).is_some_and(|w| json_equal(v, w)))
        }
        _ => left == right,
    }
}

fn function(name: &str, args: &[Value]) -> Value {
    match (name, args) {
        ("length", [Value::String(s)]) => Value::from(s.chars().count()),
        ("length", [Value::Array(a)]) => Value::from(a.len()),
        ("length", [Value::Object(o)]) => Value::from(o.len()),
        ("contains", [Value::Array(a), needle]) => {
            Value::Bool(a.iter().any(|v| json_equal(v, needle)))
        }
        ("contains", [Value::String(s), Value::String(needle)]) => {
            Value::Bool(s.contains(needle.as_str()))
        }
        ("keys", [Value::Object(o)]) => o.keys().cloned().map(Value::String).collect(),
        ("values", [Value::Object(o)]) => o.values().cloned().collect(),
        _ => Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn eval(path: &str, input: &Value) -> Value {
        parse(path)
            .unwrap_or_else(|| panic!("{path} parses"))
            .eval(input)
    }

    #[test]
    fn operation_context_param_paths() {
        let input = json!({
            "RequestItems": {"music": {}, "films": {}},
            "TableCreationParameters": {"TableName": "new"},
            "TransactItems": [
                {"Get": {"TableName": "a"}},
                {"Put": {"TableName": "b"}},
                {"Update": {"TableName": "c"}, "ConditionCheck": {"TableName": "d"}}
            ]
        });
        // In the map's order: sorted, or as written when serde_json preserves it.
        let mut keys = eval("keys(RequestItems)", &input)
            .as_array()
            .unwrap()
            .clone();
        keys.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
        assert_eq!(keys, [json!("films"), json!("music")]);
        assert_eq!(
            eval("TableCreationParameters.TableName", &input),
            json!("new")
        );
        assert_eq!(eval("TransactItems[*].Get.TableName", &input), json!(["a"]));
        assert_eq!(
            eval(
                "TransactItems[*].[ConditionCheck.TableName, Put.TableName, Delete.TableName, Update.TableName][]",
                &input
            ),
            json!(["b", "d", "c"])
        );
        assert_eq!(evaluate("Missing.Field", &input), None);
    }

    #[test]
    fn waiter_paths() {
        let output = json!({
            "Table": {"TableStatus": "ACTIVE", "Replicas": [{"Status": "ACTIVE"}, {"Status": "CREATING"}]},
            "Items": [1, 2, 3],
            "Name": "x"
        });
        assert_eq!(eval("Table.TableStatus", &output), json!("ACTIVE"));
        assert_eq!(
            eval("Table.Replicas[].Status", &output),
            json!(["ACTIVE", "CREATING"])
        );
        assert_eq!(eval("length(Items) > `2`", &output), json!(true));
        assert_eq!(eval("length(Items[?@ > `1`])", &output), json!(2));
        assert_eq!(
            eval("contains(Table.Replicas[].Status, 'CREATING')", &output),
            json!(true)
        );
        assert_eq!(
            eval("Name == 'x' && !(Items[0] == `2`)", &output),
            json!(true)
        );
        assert_eq!(
            eval("Table.Replicas[?Status == 'ACTIVE'] | [0].Status", &output),
            json!("ACTIVE")
        );
        assert_eq!(eval("Items[*] | length(@)", &output), json!(3));
        assert_eq!(eval("Items[-1]", &output), json!(3));
        assert_eq!(eval("\"Name\"", &output), json!("x"));
        assert!(parse("Items[").is_none());
        assert!(parse("a.*").is_none());
    }
}
