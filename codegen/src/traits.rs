//! Traits as typed values. Traits this generator does not know are kept as raw nodes.

use std::collections::BTreeMap;

use serde_json::{Number, Value};

use crate::ShapeId;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    Client,
    Server,
}

pub use smithy_vocab::{Length, Protocol, TimestampFormat};

/// `@range` with its bounds as the model wrote them.
pub type Range = smithy_vocab::Range<Number>;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Http {
    pub method: String,
    pub uri: String,
    pub code: u16,
}

/// One entry of the legacy `@enum` trait on a string shape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDefinition {
    pub value: String,
    pub name: Option<String>,
    pub documentation: Option<String>,
    pub internal: bool,
    pub deprecated: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AwsService {
    pub sdk_id: Option<String>,
    pub arn_namespace: Option<String>,
    pub endpoint_prefix: Option<String>,
    pub cloud_formation_name: Option<String>,
}

/// A trait value, typed where this generator relies on it.
#[derive(Clone, Debug, PartialEq)]
pub enum Trait {
    Documentation(String),
    Title(String),
    Required,
    Default(Value),
    ClientOptional,
    AddedDefault,
    Length(Length),
    Range(Range),
    Pattern(String),
    Sensitive,
    JsonName(String),
    TimestampFormat(TimestampFormat),
    EnumValue(Value),
    LegacyEnum(Vec<EnumDefinition>),
    Internal,
    UniqueItems,
    Sparse,
    Error(ErrorKind),
    HttpError(u16),
    Http(Http),
    HttpLabel,
    HttpQuery(String),
    HttpQueryParams,
    HttpHeader(String),
    HttpPrefixHeaders(String),
    HttpPayload,
    HttpResponseCode,
    IdempotencyToken,
    Idempotent,
    Readonly,
    Streaming,
    Mixin {
        local_traits: Vec<ShapeId>,
    },
    Input,
    Output,
    UnitType,
    Deprecated,
    Protocol(Protocol),
    AwsService(AwsService),
    Sigv4 {
        name: String,
    },
    /// Any trait without a typed form here, as written.
    Other(Value),
}

/// Where a trait may be applied, checked against the shape (or a member's target).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Placement {
    Anywhere,
    /// A structure member (any target).
    StructureMember,
    /// A structure or union member.
    AggregateMember,
    /// Shapes of these type names, or members that target them.
    Types(&'static [&'static str]),
    /// Exactly these shape types, never members.
    ShapeOnly(&'static [&'static str]),
    /// Members of enum or intEnum shapes.
    EnumMember,
}

const NUMBERS: &[&str] = &[
    "byte",
    "short",
    "integer",
    "long",
    "float",
    "double",
    "bigInteger",
    "bigDecimal",
    "intEnum",
];

impl Trait {
    /// Parses the value of a known trait; unknown IDs become `Other`.
    pub fn parse(id: &ShapeId, value: &Value) -> Result<Trait, String> {
        let text = || {
            value
                .as_str()
                .map(str::to_string)
                .ok_or_else(|| "expected a string value".to_string())
        };
        if id.namespace == "aws.protocols" {
            let protocol = match id.name.as_str() {
                "restJson1" => Some(Protocol::RestJson1),
                "awsJson1_0" => Some(Protocol::AwsJson1_0),
                "awsJson1_1" => Some(Protocol::AwsJson1_1),
                _ => None,
            };
            return Ok(protocol.map_or_else(|| Trait::Other(value.clone()), Trait::Protocol));
        }
        if id.namespace == "aws.api" && id.name == "service" {
            let field = |name: &str| value.get(name).and_then(Value::as_str).map(str::to_string);
            if !value.is_object() {
                return Err("expected an object".into());
            }
            return Ok(Trait::AwsService(AwsService {
                sdk_id: field("sdkId"),
                arn_namespace: field("arnNamespace"),
                endpoint_prefix: field("endpointPrefix"),
                cloud_formation_name: field("cloudFormationName"),
            }));
        }
        if id.namespace == "aws.auth" && id.name == "sigv4" {
            let name = value
                .get("name")
                .and_then(Value::as_str)
                .ok_or("expected an object with a string `name`")?;
            return Ok(Trait::Sigv4 {
                name: name.to_string(),
            });
        }
        if id.namespace != "smithy.api" {
            return Ok(Trait::Other(value.clone()));
        }
        Ok(match id.name.as_str() {
            "documentation" => Trait::Documentation(text()?),
            "title" => Trait::Title(text()?),
            "required" => Trait::Required,
            "default" => Trait::Default(value.clone()),
            "clientOptional" => Trait::ClientOptional,
            "addedDefault" => Trait::AddedDefault,
            "length" => {
                let min = optional_u64(value, "min")?;
                let max = optional_u64(value, "max")?;
                if min.is_none() && max.is_none() {
                    return Err("`length` needs `min`, `max` or both".into());
                }
                if let (Some(min), Some(max)) = (min, max) {
                    if min > max {
                        return Err(format!("`length` min {min} is greater than max {max}"));
                    }
                }
                Trait::Length(Length { min, max })
            }
            "range" => {
                let min = optional_number(value, "min")?;
                let max = optional_number(value, "max")?;
                if min.is_none() && max.is_none() {
                    return Err("`range` needs `min`, `max` or both".into());
                }
                if let (Some(min), Some(max)) = (&min, &max) {
                    if min.as_f64() > max.as_f64() {
                        return Err(format!("`range` min {min} is greater than max {max}"));
                    }
                }
                Trait::Range(Range { min, max })
            }
            "pattern" => Trait::Pattern(text()?),
            "sensitive" => Trait::Sensitive,
            "jsonName" => Trait::JsonName(text()?),
            "timestampFormat" => {
                let format = text()?;
                Trait::TimestampFormat(
                    TimestampFormat::from_trait_value(&format)
                        .ok_or_else(|| format!("unknown timestamp format `{format}`"))?,
                )
            }
            "enumValue" => {
                if !(value.is_string() || value.is_i64() || value.is_u64()) {
                    return Err("expected a string or an integer".into());
                }
                Trait::EnumValue(value.clone())
            }
            "enum" => Trait::LegacyEnum(parse_legacy_enum(value)?),
            "internal" => Trait::Internal,
            "uniqueItems" => Trait::UniqueItems,
            "sparse" => Trait::Sparse,
            "error" => Trait::Error(match text()?.as_str() {
                "client" => ErrorKind::Client,
                "server" => ErrorKind::Server,
                other => {
                    return Err(format!(
                        "`error` must be \"client\" or \"server\", not `{other}`"
                    ));
                }
            }),
            "httpError" => Trait::HttpError(
                value
                    .as_u64()
                    .filter(|code| (200..=599).contains(code))
                    .ok_or("expected an HTTP status code between 200 and 599")?
                    as u16,
            ),
            "http" => {
                let method = value
                    .get("method")
                    .and_then(Value::as_str)
                    .ok_or("`http` needs a string `method`")?;
                let uri = value
                    .get("uri")
                    .and_then(Value::as_str)
                    .ok_or("`http` needs a string `uri`")?;
                if !uri.starts_with('/') {
                    return Err(format!("`http` uri `{uri}` must start with `/`"));
                }
                let code = match value.get("code") {
                    None => 200,
                    Some(code) => code
                        .as_u64()
                        .filter(|c| (100..=999).contains(c))
                        .ok_or("`http` code must be an HTTP status code")?
                        as u16,
                };
                Trait::Http(Http {
                    method: method.to_string(),
                    uri: uri.to_string(),
                    code,
                })
            }
            "httpLabel" => Trait::HttpLabel,
            "httpQuery" => Trait::HttpQuery(non_empty(text()?)?),
            "httpQueryParams" => Trait::HttpQueryParams,
            "httpHeader" => Trait::HttpHeader(non_empty(text()?)?),
            "httpPrefixHeaders" => Trait::HttpPrefixHeaders(text()?),
            "httpPayload" => Trait::HttpPayload,
            "httpResponseCode" => Trait::HttpResponseCode,
            "idempotencyToken" => Trait::IdempotencyToken,
            "idempotent" => Trait::Idempotent,
            "readonly" => Trait::Readonly,
            "streaming" => Trait::Streaming,
            "mixin" => {
                let local_traits = match value.get("localTraits") {
                    None => Vec::new(),
                    Some(Value::Array(items)) => items
                        .iter()
                        .map(|item| {
                            item.as_str()
                                .ok_or_else(|| "`localTraits` holds shape IDs".to_string())
                                .and_then(ShapeId::parse)
                        })
                        .collect::<Result<_, _>>()?,
                    Some(_) => return Err("`localTraits` must be a list".into()),
                };
                Trait::Mixin { local_traits }
            }
            "input" => Trait::Input,
            "output" => Trait::Output,
            "unitType" => Trait::UnitType,
            "deprecated" => Trait::Deprecated,
            _ => Trait::Other(value.clone()),
        })
    }

    fn placement(id: &ShapeId) -> Placement {
        if id.namespace == "aws.protocols"
            || id.namespace == "aws.api"
            || id.namespace == "aws.auth"
        {
            return match (id.namespace.as_str(), id.name.as_str()) {
                ("aws.protocols", "restJson1" | "awsJson1_0" | "awsJson1_1")
                | ("aws.api", "service")
                | ("aws.auth", "sigv4") => Placement::ShapeOnly(&["service"]),
                _ => Placement::Anywhere,
            };
        }
        if id.namespace != "smithy.api" {
            return Placement::Anywhere;
        }
        match id.name.as_str() {
            "required" | "clientOptional" | "addedDefault" => Placement::StructureMember,
            "length" => Placement::Types(&["list", "map", "string", "blob"]),
            "range" => Placement::Types(NUMBERS),
            "pattern" => Placement::Types(&["string"]),
            "jsonName" => Placement::AggregateMember,
            "timestampFormat" => Placement::Types(&["timestamp"]),
            "enumValue" => Placement::EnumMember,
            "enum" => Placement::ShapeOnly(&["string", "enum"]),
            "uniqueItems" => Placement::Types(&["list"]),
            "sparse" => Placement::ShapeOnly(&["list", "map"]),
            "error" => Placement::ShapeOnly(&["structure"]),
            "httpError" => Placement::ShapeOnly(&["structure"]),
            "http" | "idempotent" | "readonly" => Placement::ShapeOnly(&["operation"]),
            "httpLabel" | "httpQuery" | "httpQueryParams" | "httpHeader" | "httpPrefixHeaders"
            | "httpPayload" | "httpResponseCode" | "idempotencyToken" => Placement::StructureMember,
            "streaming" => Placement::Types(&["blob", "union"]),
            "input" | "output" | "unitType" => Placement::ShapeOnly(&["structure"]),
            "mixin" => Placement::ShapeOnly(&[
                "structure",
                "union",
                "list",
                "map",
                "string",
                "blob",
                "boolean",
                "byte",
                "short",
                "integer",
                "long",
                "float",
                "double",
                "bigInteger",
                "bigDecimal",
                "timestamp",
                "document",
                "enum",
                "intEnum",
                "service",
                "operation",
                "resource",
            ]),
            _ => Placement::Anywhere,
        }
    }

    /// Checks that trait `id` may stand where it stands. `container` is the type of the shape
    /// that owns the member (`None` for a shape), `shape_type` the shape's type or, for a
    /// member, its target's.
    pub fn check_placement(
        id: &ShapeId,
        container: Option<&str>,
        shape_type: &str,
    ) -> Result<(), String> {
        let ok = match Trait::placement(id) {
            Placement::Anywhere => true,
            Placement::StructureMember => container == Some("structure"),
            Placement::AggregateMember => matches!(container, Some("structure" | "union")),
            Placement::EnumMember => matches!(container, Some("enum" | "intEnum")),
            Placement::Types(types) => {
                types.contains(&shape_type)
                    || (id.name == "length" && container.is_none() && shape_type == "set")
            }
            Placement::ShapeOnly(types) => container.is_none() && types.contains(&shape_type),
        };
        if ok {
            return Ok(());
        }
        let place = match container {
            Some(container) => format!(
                "a member of {} targeting {}",
                article(container),
                article(shape_type)
            ),
            None => format!("{} shape", article(shape_type)),
        };
        Err(format!("trait `{id}` cannot be applied to {place}"))
    }
}

/// "a list", "an integer".
fn article(word: &str) -> String {
    let an = word.starts_with(['a', 'e', 'i', 'o']); // "a union"
    format!("{} {word}", if an { "an" } else { "a" })
}

fn non_empty(text: String) -> Result<String, String> {
    if text.is_empty() {
        Err("expected a non-empty string".into())
    } else {
        Ok(text)
    }
}

fn optional_u64(value: &Value, field: &str) -> Result<Option<u64>, String> {
    match value.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .map(Some)
            .ok_or_else(|| format!("`{field}` must be a non-negative integer")),
    }
}

fn optional_number(value: &Value, field: &str) -> Result<Option<Number>, String> {
    match value.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => Ok(Some(n.clone())),
        Some(_) => Err(format!("`{field}` must be a number")),
    }
}

fn parse_legacy_enum(value: &Value) -> Result<Vec<EnumDefinition>, String> {
    let items = value
        .as_array()
        .ok_or("`enum` must be a list of definitions")?;
    if items.is_empty() {
        return Err("`enum` must define at least one value".into());
    }
    items
        .iter()
        .map(|item| {
            let text = |field: &str| item.get(field).and_then(Value::as_str).map(str::to_string);
            let tags: Vec<&str> = item
                .get("tags")
                .and_then(Value::as_array)
                .map(|tags| tags.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            Ok(EnumDefinition {
                value: text("value").ok_or("every `enum` definition needs a string `value`")?,
                name: text("name"),
                documentation: text("documentation"),
                internal: tags.contains(&"internal"),
                deprecated: item.get("deprecated").and_then(Value::as_bool) == Some(true),
            })
        })
        .collect()
}

/// The traits applied to a shape or member, keyed by trait shape ID.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Traits {
    map: BTreeMap<ShapeId, Trait>,
}

macro_rules! flag_accessors {
    ($($fn_name:ident => $variant:ident),* $(,)?) => {
        $(pub fn $fn_name(&self) -> bool {
            self.map.values().any(|t| matches!(t, Trait::$variant))
        })*
    };
}

impl Traits {
    pub fn insert(&mut self, id: ShapeId, value: Trait) {
        self.map.insert(id, value);
    }

    pub fn remove(&mut self, id: &ShapeId) -> Option<Trait> {
        self.map.remove(id)
    }

    pub fn get(&self, id: &ShapeId) -> Option<&Trait> {
        self.map.get(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&ShapeId, &Trait)> {
        self.map.iter()
    }

    fn find<'a, T: 'a>(&'a self, pick: impl Fn(&'a Trait) -> Option<T>) -> Option<T> {
        self.map.values().find_map(pick)
    }

    flag_accessors! {
        is_required => Required,
        is_client_optional => ClientOptional,
        is_sensitive => Sensitive,
        is_internal => Internal,
        is_unique_items => UniqueItems,
        is_sparse => Sparse,
        is_http_label => HttpLabel,
        is_http_query_params => HttpQueryParams,
        is_http_payload => HttpPayload,
        is_http_response_code => HttpResponseCode,
        is_idempotency_token => IdempotencyToken,
        is_streaming => Streaming,
        is_input => Input,
        is_output => Output,
        is_unit_type => UnitType,
        is_deprecated => Deprecated,
    }

    pub fn is_mixin(&self) -> bool {
        self.find(|t| matches!(t, Trait::Mixin { .. }).then_some(()))
            .is_some()
    }

    pub fn documentation(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::Documentation(doc) => Some(doc.as_str()),
            _ => None,
        })
    }

    pub fn title(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::Title(title) => Some(title.as_str()),
            _ => None,
        })
    }

    /// `Some(Value::Null)` is an explicit `default: null`.
    pub fn default_value(&self) -> Option<&Value> {
        self.find(|t| match t {
            Trait::Default(value) => Some(value),
            _ => None,
        })
    }

    pub fn length(&self) -> Option<&Length> {
        self.find(|t| match t {
            Trait::Length(length) => Some(length),
            _ => None,
        })
    }

    pub fn range(&self) -> Option<&Range> {
        self.find(|t| match t {
            Trait::Range(range) => Some(range),
            _ => None,
        })
    }

    pub fn pattern(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::Pattern(pattern) => Some(pattern.as_str()),
            _ => None,
        })
    }

    /// True when a trait with this absolute id is present (one the generator keeps as data).
    pub fn has(&self, id: &str) -> bool {
        ShapeId::parse(id).is_ok_and(|id| self.map.contains_key(&id))
    }

    /// `aws.protocols#awsQueryError`'s `code`.
    pub fn aws_query_error_code(&self) -> Option<&str> {
        let id = ShapeId::parse("aws.protocols#awsQueryError").ok()?;
        match self.map.get(&id) {
            Some(Trait::Other(value)) => value.get("code")?.as_str(),
            _ => None,
        }
    }

    /// `smithy.api#requestCompression`'s `encodings` (empty without the trait).
    pub fn request_compression(&self) -> Vec<&str> {
        match self.map.get(&ShapeId::prelude("requestCompression")) {
            Some(Trait::Other(value)) => value
                .get("encodings")
                .and_then(|v| v.as_array())
                .map(|list| list.iter().filter_map(|e| e.as_str()).collect())
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// `smithy.api#endpoint`'s `hostPrefix`.
    pub fn host_prefix(&self) -> Option<&str> {
        match self.map.get(&ShapeId::prelude("endpoint")) {
            Some(Trait::Other(value)) => value.get("hostPrefix")?.as_str(),
            _ => None,
        }
    }

    /// `smithy.api#mediaType`.
    pub fn media_type(&self) -> Option<&str> {
        let id = ShapeId::prelude("mediaType");
        match self.map.get(&id) {
            Some(Trait::Other(serde_json::Value::String(media))) => Some(media.as_str()),
            _ => None,
        }
    }

    pub fn json_name(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::JsonName(name) => Some(name.as_str()),
            _ => None,
        })
    }

    pub fn timestamp_format(&self) -> Option<TimestampFormat> {
        self.find(|t| match t {
            Trait::TimestampFormat(format) => Some(*format),
            _ => None,
        })
    }

    pub fn enum_value(&self) -> Option<&Value> {
        self.find(|t| match t {
            Trait::EnumValue(value) => Some(value),
            _ => None,
        })
    }

    pub fn legacy_enum(&self) -> Option<&[EnumDefinition]> {
        self.find(|t| match t {
            Trait::LegacyEnum(defs) => Some(defs.as_slice()),
            _ => None,
        })
    }

    pub fn error(&self) -> Option<ErrorKind> {
        self.find(|t| match t {
            Trait::Error(kind) => Some(*kind),
            _ => None,
        })
    }

    pub fn http_error(&self) -> Option<u16> {
        self.find(|t| match t {
            Trait::HttpError(code) => Some(*code),
            _ => None,
        })
    }

    pub fn http(&self) -> Option<&Http> {
        self.find(|t| match t {
            Trait::Http(http) => Some(http),
            _ => None,
        })
    }

    pub fn http_query(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::HttpQuery(name) => Some(name.as_str()),
            _ => None,
        })
    }

    pub fn http_header(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::HttpHeader(name) => Some(name.as_str()),
            _ => None,
        })
    }

    pub fn http_prefix_headers(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::HttpPrefixHeaders(prefix) => Some(prefix.as_str()),
            _ => None,
        })
    }

    pub fn mixin_local_traits(&self) -> Option<&[ShapeId]> {
        self.find(|t| match t {
            Trait::Mixin { local_traits } => Some(local_traits.as_slice()),
            _ => None,
        })
    }

    pub fn protocol(&self) -> Option<Protocol> {
        self.find(|t| match t {
            Trait::Protocol(protocol) => Some(*protocol),
            _ => None,
        })
    }

    pub fn aws_service(&self) -> Option<&AwsService> {
        self.find(|t| match t {
            Trait::AwsService(service) => Some(service),
            _ => None,
        })
    }

    pub fn sigv4_name(&self) -> Option<&str> {
        self.find(|t| match t {
            Trait::Sigv4 { name } => Some(name.as_str()),
            _ => None,
        })
    }
}
