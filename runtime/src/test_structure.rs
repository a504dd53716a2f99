// Included, not a module: by lib.rs for the unit tests, and by the integration tests that
// need it, so that both write their test structures one way.

/// A structure for tests, written as generated code writes one: the type, its wire traits
/// (`wire::structure!`, each field by its index in `$schema`) and `HasSchema`; and the
/// static `$schema` itself, each field beside its member
/// (`0 => id: String = required("id", &NAME)`, with `.http()` after an HTTP-bound one),
/// so that what the schema and the type have at an index cannot drift apart.
// Unused in a unit-test build without the client and server features, whose tests use it.
#[allow(unused_macros)]
macro_rules! test_structure {
    // `PartialEq` too, unless the structure starts with `@stream` (it holds a `ByteStream`).
    ($name:ident: $schema:ident, { $($body:tt)* }) => {
        test_structure!(@derive [PartialEq] $name: $schema, { $($body)* });
    };
    (@stream $name:ident: $schema:ident, { $($body:tt)* }) => {
        test_structure!(@derive [] $name: $schema, { $($body)* });
    };
    (@derive [$($derive:ident)*] $name:ident: $schema:ident, {
        $($index:literal => $field:ident: $ty:ty = $presence:ident($member:literal, $target:expr) $(.$http:ident())?),*
        $(,)?
    }) => {
        static $schema: ::smithy_runtime::validation::Schema = {
            const INDICES: &[usize] = &[$($index),*];
            static MEMBERS: [::smithy_runtime::validation::Member; INDICES.len()] =
                [$(::smithy_runtime::validation::Member::$presence($member, $target) $(.$http())?),*];
            // The indices the type reads and writes by must be the members' positions.
            let mut i = 0;
            while i < INDICES.len() {
                assert!(INDICES[i] == i, "test_structure!: the indices count from 0");
                i += 1;
            }
            ::smithy_runtime::validation::Schema::structure(&MEMBERS)
        };

        #[derive(Debug, Default, $($derive),*)]
        struct $name {
            $($field: $ty),*
        }

        // Read and written by position, as generated code is (the indices count from 0).
        ::smithy_runtime::wire::structure!($name $(, $field)*);

        impl ::smithy_runtime::wire::HasSchema for $name {
            const SCHEMA: &'static ::smithy_runtime::validation::Schema = &$schema;
        }
    };
}
