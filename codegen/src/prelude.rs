//! The Smithy prelude shapes every model can target without defining them.

/// Prelude shapes as a JSON AST document (trait definitions are known to the loader instead).
pub const PRELUDE_JSON: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "smithy.api#String": { "type": "string" },
    "smithy.api#Blob": { "type": "blob" },
    "smithy.api#BigInteger": { "type": "bigInteger" },
    "smithy.api#BigDecimal": { "type": "bigDecimal" },
    "smithy.api#Timestamp": { "type": "timestamp" },
    "smithy.api#Document": { "type": "document" },
    "smithy.api#Boolean": { "type": "boolean" },
    "smithy.api#PrimitiveBoolean": { "type": "boolean", "traits": { "smithy.api#default": false } },
    "smithy.api#Byte": { "type": "byte" },
    "smithy.api#PrimitiveByte": { "type": "byte", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Short": { "type": "short" },
    "smithy.api#PrimitiveShort": { "type": "short", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Integer": { "type": "integer" },
    "smithy.api#PrimitiveInteger": { "type": "integer", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Long": { "type": "long" },
    "smithy.api#PrimitiveLong": { "type": "long", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Float": { "type": "float" },
    "smithy.api#PrimitiveFloat": { "type": "float", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Double": { "type": "double" },
    "smithy.api#PrimitiveDouble": { "type": "double", "traits": { "smithy.api#default": 0 } },
    "smithy.api#Unit": { "type": "structure", "members": {}, "traits": { "smithy.api#unitType": {} } }
  }
}"#;

/// Shapes models refer to that the Smithy build tool takes from its dependencies rather
/// than the prelude: `smithy.framework#ValidationException` (the error servers answer
/// constraint violations with), as the Smithy specification defines it. Loaded unless the
/// model defines them itself. (The traits of `aws.*`, `smithy.rules` and `smithy.waiters`
/// need no definition: the loader knows the ones it acts on.)
pub const BUNDLED_JSON: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "smithy.framework#ValidationException": {
      "type": "structure",
      "members": {
        "message": {
          "target": "smithy.api#String",
          "traits": { "smithy.api#required": {}, "smithy.api#documentation": "A summary of the validation failure." }
        },
        "fieldList": {
          "target": "smithy.framework#ValidationExceptionFieldList",
          "traits": { "smithy.api#documentation": "A list of specific failures encountered while validating the input." }
        }
      },
      "traits": {
        "smithy.api#error": "client",
        "smithy.api#documentation": "A standard error for input validation failures."
      }
    },
    "smithy.framework#ValidationExceptionFieldList": {
      "type": "list",
      "member": { "target": "smithy.framework#ValidationExceptionField" }
    },
    "smithy.framework#ValidationExceptionField": {
      "type": "structure",
      "members": {
        "path": {
          "target": "smithy.api#String",
          "traits": { "smithy.api#required": {}, "smithy.api#documentation": "A JSONPointer expression to the structure member whose value failed to satisfy the modeled constraints." }
        },
        "message": {
          "target": "smithy.api#String",
          "traits": { "smithy.api#required": {}, "smithy.api#documentation": "A detailed description of the validation failure." }
        }
      },
      "traits": { "smithy.api#documentation": "Describes one specific validation failure for an input member." }
    }
  }
}"#;
