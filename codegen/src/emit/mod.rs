//! Rendering a service plan into the files of one crate.

mod client;
mod docs;
mod enums;
mod operation;
mod protocol;
mod schema;
mod server;
mod structure;
mod union;
mod values;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::ShapeKind;
use crate::plan::{Module, ServicePlan};
use crate::{Diagnostic, GeneratedFile, Settings};

pub use docs::html_to_markdown;
pub use schema::SchemaNames;

/// What every emitter of one crate reads: the plan and the names decided once for it.
pub struct Context<'a, 'm> {
    pub plan: &'a ServicePlan<'m>,
    pub schemas: &'a schema::SchemaNames,
}

/// All files of the crate for one service, paths relative to the crate directory.
pub fn emit_crate(
    plan: &ServicePlan<'_>,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Diagnostic> {
    let mut files = vec![GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: emit_cargo_toml(plan, settings),
    }];
    let mut rust = |path: &str, tokens: TokenStream| -> Result<(), Diagnostic> {
        let contents = crate::format::format_file(tokens).map_err(|e| {
            Diagnostic::new(format!(
                "generated `{path}` does not parse ({e}); this is a bug in the generator"
            ))
            .at_shape(&plan.service_id)
        })?;
        files.push(GeneratedFile {
            path: PathBuf::from(path),
            contents,
        });
        Ok(())
    };
    let input_closure = schema::input_closure(plan);
    let schemas = schema::SchemaNames::new(plan, &input_closure);
    let ctx = Context {
        plan,
        schemas: &schemas,
    };
    rust("src/lib.rs", emit_lib(plan))?;
    rust(
        "src/schema.rs",
        schema::emit_schema_module(plan, &input_closure, &schemas),
    )?;
    rust("src/types.rs", emit_shapes_module(&ctx, &Module::Types))?;
    rust(
        "src/types/error.rs",
        emit_shapes_module(&ctx, &Module::Errors),
    )?;
    rust("src/operation.rs", emit_operation_index(plan))?;
    rust("src/protocol.rs", protocol::emit_protocol_module(plan))?;
    rust("src/client.rs", client::emit_client_module(plan))?;
    rust("src/server.rs", server::emit_server_module(plan))?;
    for op in &plan.operations {
        rust(
            &format!("src/operation/{}.rs", op.module),
            operation::emit_operation_module(&ctx, op),
        )?;
    }
    Ok(files)
}

fn emit_cargo_toml(plan: &ServicePlan<'_>, settings: &Settings) -> String {
    let title = plan.service_shape.traits.title().unwrap_or(&plan.sdk_id);
    format!(
        "{header}\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\ndescription = \"Rust types for {title} ({service} {version}), generated from its Smithy model\"\n\n[dependencies]\nsmithy-runtime = {{ path = \"{runtime}\" }}\n\n[features]\ndefault = [\"client\", \"rustls\"]\n# The client (hyper, SigV4 signing, retries).\nclient = [\"smithy-runtime/client\"]\n# HTTPS for the client through rustls.\nrustls = [\"client\", \"smithy-runtime/rustls\"]\n# The server trait and router (axum).\nserver = [\"smithy-runtime/server\"]\n",
        header = crate::format::TOML_HEADER,
        name = plan.crate_name,
        title = title.replace('"', "'"),
        service = plan.service_id.name,
        version = plan.service.version,
        runtime = settings.runtime_path,
    )
}

fn emit_lib(plan: &ServicePlan<'_>) -> TokenStream {
    let title = plan
        .service_shape
        .traits
        .title()
        .unwrap_or(&plan.sdk_id)
        .to_string();
    let heading = format!(" # {title}");
    let service_docs = plan
        .service_shape
        .traits
        .documentation()
        .map(html_to_markdown)
        .unwrap_or_default();
    let service_doc_lines = service_docs.lines().map(|line| {
        let line = if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        };
        quote!(#![doc = #line])
    });
    let origin = format!(
        " Generated from `{}` version `{}`, protocol `{}`.",
        plan.service_id,
        plan.service.version,
        plan.protocol.trait_id()
    );
    let service_name = &plan.service_id.name;
    let sdk_id = &plan.sdk_id;
    let version = &plan.service.version;
    let signing_name = match plan.service_shape.traits.sigv4_name() {
        Some(name) => quote!(::std::option::Option::Some(#name)),
        None => quote!(::std::option::Option::None),
    };
    let endpoint_prefix = match plan
        .service_shape
        .traits
        .aws_service()
        .and_then(|s| s.endpoint_prefix.as_deref())
    {
        Some(prefix) => quote!(::std::option::Option::Some(#prefix)),
        None => quote!(::std::option::Option::None),
    };
    let protocol = plan.protocol.trait_id();
    quote! {
        #![doc = #heading]
        #![doc = ""]
        #(#service_doc_lines)*
        #![doc = ""]
        #![doc = #origin]
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![allow(clippy::large_enum_variant, clippy::too_many_arguments, clippy::module_inception, clippy::doc_lazy_continuation, clippy::empty_docs, rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

        // prettyplease formats generated code; rustfmt must leave it alone.
        #[rustfmt::skip]
        pub mod operation;
        #[rustfmt::skip]
        pub mod protocol;
        #[rustfmt::skip]
        pub mod schema;
        #[cfg(feature = "client")]
        #[rustfmt::skip]
        pub mod client;
        #[cfg(feature = "client")]
        pub use client::{Client, Config};
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #[rustfmt::skip]
        pub mod types;

        /// Value types that model shapes are built from.
        pub mod primitives {
            pub use ::smithy_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document};
        }

        /// The service shape's name (the prefix of awsJson's `X-Amz-Target`).
        pub const SERVICE_NAME: &str = #service_name;
        /// The service's SDK identifier.
        pub const SDK_ID: &str = #sdk_id;
        /// The API version the model describes.
        pub const API_VERSION: &str = #version;
        /// The SigV4 signing name, when the service is signed.
        pub const SIGNING_NAME: ::std::option::Option<&str> = #signing_name;
        /// The host prefix of the service's regional endpoints.
        pub const ENDPOINT_PREFIX: ::std::option::Option<&str> = #endpoint_prefix;
        /// The Smithy protocol the service speaks.
        pub const PROTOCOL: &str = #protocol;
    }
}

/// `crate::types` or `crate::types::error`: every structure, union and enum in that module.
fn emit_shapes_module(ctx: &Context<'_, '_>, module: &Module) -> TokenStream {
    let plan = ctx.plan;
    let mut entries: Vec<(&str, &crate::ShapeId)> = plan
        .symbols
        .iter()
        .filter(|(_, symbol)| symbol.module == *module)
        .map(|(id, symbol)| (symbol.name.as_str(), id))
        .collect();
    entries.sort();
    let mut items = Vec::new();
    let mut builders = Vec::new();
    for (name, id) in entries {
        let shape = plan.shape(id);
        match &shape.kind {
            ShapeKind::Structure(members) => {
                let members: Vec<_> = members.iter().collect();
                let code = structure::emit_structure(
                    ctx,
                    id,
                    name,
                    shape.traits.documentation(),
                    &members,
                    shape.traits.error().is_some(),
                    shape.traits.is_sensitive(),
                );
                items.push(code.item);
                builders.push(code.builder);
            }
            ShapeKind::Union(members) => items.push(union::emit_union(plan, shape, name, members)),
            ShapeKind::Enum(members) => items.push(enums::emit_string_enum(shape, name, members)),
            ShapeKind::IntEnum(members) => items.push(enums::emit_int_enum(shape, name, members)),
            _ => {}
        }
    }
    let (module_doc, submodule) = match module {
        Module::Types => (
            " Structures, unions and enums shared by the operations.",
            Some(quote!(
                pub mod error;
            )),
        ),
        _ => (" Error structures the operations can return.", None),
    };
    let builders_module = (!builders.is_empty()).then(|| {
        quote! {
            /// Builders for the structures in this module.
            pub mod builders {
                #(#builders)*
            }
        }
    });
    quote! {
        #![doc = #module_doc]

        #submodule

        #(#items)*

        #builders_module
    }
}

fn emit_operation_index(plan: &ServicePlan<'_>) -> TokenStream {
    let modules = plan.operations.iter().map(|op| {
        let module = crate::plan::ident(&op.module);
        let doc = format!(" The `{}` operation.", op.name);
        quote!(#[doc = #doc] pub mod #module;)
    });
    quote! {
        #![doc = " One module per operation, with its input, output and error types."]
        #(#modules)*
    }
}
