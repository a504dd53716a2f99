//! Names of the public shapes of the Smithy prelude (`smithy.api`), which relative shape
//! IDs resolve to when neither a `use` statement nor the current namespace defines them.
//! Taken from the prelude of Smithy 1.73 (shapes marked `@private` are left out: they
//! cannot be referred to from other namespaces).

/// Sorted, for binary search.
const PUBLIC_PRELUDE_SHAPES: [&str; 100] = [
    "BigDecimal",
    "BigInteger",
    "Blob",
    "Boolean",
    "Byte",
    "Document",
    "Double",
    "Float",
    "Integer",
    "Long",
    "PrimitiveBoolean",
    "PrimitiveByte",
    "PrimitiveDouble",
    "PrimitiveFloat",
    "PrimitiveInteger",
    "PrimitiveLong",
    "PrimitiveShort",
    "Short",
    "String",
    "Timestamp",
    "Unit",
    "addedDefault",
    "auth",
    "authDefinition",
    "box",
    "clientOptional",
    "cors",
    "default",
    "deprecated",
    "documentation",
    "endpoint",
    "enum",
    "enumValue",
    "error",
    "eventHeader",
    "eventPayload",
    "examples",
    "externalDocumentation",
    "hostLabel",
    "http",
    "httpApiKeyAuth",
    "httpBasicAuth",
    "httpBearerAuth",
    "httpChecksumRequired",
    "httpDigestAuth",
    "httpError",
    "httpHeader",
    "httpLabel",
    "httpPayload",
    "httpPrefixHeaders",
    "httpQuery",
    "httpQueryParams",
    "httpResponseCode",
    "idRef",
    "idempotencyToken",
    "idempotent",
    "input",
    "internal",
    "jsonName",
    "length",
    "longPoll",
    "mediaType",
    "metadata",
    "mixin",
    "nestedProperties",
    "noReplace",
    "notProperty",
    "optionalAuth",
    "output",
    "paginated",
    "pattern",
    "private",
    "property",
    "protocolDefinition",
    "range",
    "readonly",
    "recommended",
    "references",
    "requestCompression",
    "required",
    "requiresLength",
    "resourceIdentifier",
    "retryable",
    "sensitive",
    "since",
    "sparse",
    "streaming",
    "suppress",
    "tags",
    "timestampFormat",
    "title",
    "trait",
    "traitValidators",
    "uniqueItems",
    "unitType",
    "unstable",
    "xmlAttribute",
    "xmlFlattened",
    "xmlName",
    "xmlNamespace",
];

pub(crate) fn is_public_prelude_shape(name: &str) -> bool {
    PUBLIC_PRELUDE_SHAPES.binary_search(&name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_is_sorted_and_finds_names() {
        assert!(PUBLIC_PRELUDE_SHAPES.windows(2).all(|w| w[0] < w[1]));
        assert!(is_public_prelude_shape("String"));
        assert!(is_public_prelude_shape("httpLabel"));
        assert!(!is_public_prelude_shape("NonEmptyString"));
    }
}
