//! Rendering a service plan into the files of one crate.

mod client;
mod docs;
mod enums;
mod operation;
pub(crate) mod protocol;
pub(crate) mod rust;
mod schema;
pub(crate) mod server;
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

/// What every emitter of one file reads: the plan, the names decided once for the crate,
/// and the file's documentation (see [`docs::Docs`]).
pub struct Context<'a, 'm> {
    pub plan: &'a ServicePlan<'m>,
    pub schemas: &'a schema::SchemaNames,
    pub docs: docs::Docs,
}

/// One Rust file to write: its path and what renders its tokens.
type Job<'a> = (
    String,
    Box<dyn Fn(&Context<'_, '_>) -> TokenStream + Send + Sync + 'a>,
);

/// All files of the crate for one service, paths relative to the crate directory.
pub fn emit_crate(
    plan: &ServicePlan<'_>,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Diagnostic> {
    // Every shape has a schema: the wire reads it for all, validation for inputs.
    let schemas = schema::SchemaNames::new(plan, &plan.closure)?;
    let closure = &plan.closure;
    let mut jobs: Vec<Job<'_>> = vec![
        // The largest file first, so it does not start last.
        (
            "src/types.rs".into(),
            Box::new(|ctx| emit_shapes_module(ctx, &Module::Types)),
        ),
        ("src/lib.rs".into(), Box::new(|ctx| emit_lib(ctx.plan))),
        (
            "src/schema.rs".into(),
            Box::new(move |ctx| schema::emit_schema_module(ctx.plan, closure, ctx.schemas)),
        ),
        (
            "src/types/error.rs".into(),
            Box::new(|ctx| emit_shapes_module(ctx, &Module::Errors)),
        ),
        (
            "src/operation.rs".into(),
            Box::new(|ctx| emit_operation_index(ctx.plan)),
        ),
        (
            "src/protocol.rs".into(),
            Box::new(|ctx| protocol::emit_protocol_module(ctx.plan)),
        ),
        ("src/client.rs".into(), Box::new(client::emit_client_module)),
        ("src/server.rs".into(), Box::new(server::emit_server_module)),
    ];
    for op in &plan.operations {
        jobs.push((
            format!("src/operation/{}.rs", op.module),
            Box::new(move |ctx| operation::emit_operation_module(ctx, op)),
        ));
    }
    let mut files = vec![GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: emit_cargo_toml(plan, settings),
    }];
    files.extend(
        render_in_parallel(plan, &schemas, &jobs).map_err(|(path, e)| {
            Diagnostic::new(format!(
                "generated `{path}` does not parse ({e}); this is a bug in the generator"
            ))
            .at_shape(&plan.service_id)
        })?,
    );
    Ok(files)
}

/// Renders and formats the files on every core: token streams are not `Send`, so each
/// file is built and formatted on the thread that takes it; the output order is fixed.
fn render_in_parallel(
    plan: &ServicePlan<'_>,
    schemas: &schema::SchemaNames,
    jobs: &[Job<'_>],
) -> Result<Vec<GeneratedFile>, (String, syn::Error)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<String, syn::Error>>> = Vec::new();
    results.resize_with(jobs.len(), || None);
    let results = std::sync::Mutex::new(results);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((_, render)) = jobs.get(i) else {
                        break;
                    };
                    let ctx = Context {
                        plan,
                        schemas,
                        docs: docs::Docs::default(),
                    };
                    let tokens = crate::format::shorten_std_paths(render(&ctx), &plan.type_names);
                    let formatted = crate::format::format_file(tokens, &ctx.docs.into_texts());
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(formatted);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    jobs.iter()
        .zip(results)
        .map(|((path, _), result)| match result {
            Some(Ok(contents)) => Ok(GeneratedFile {
                path: PathBuf::from(path),
                contents,
            }),
            Some(Err(e)) => Err((path.clone(), e)),
            None => unreachable!("every job ran"),
        })
        .collect()
}

fn emit_cargo_toml(plan: &ServicePlan<'_>, settings: &Settings) -> String {
    let title = plan.service_shape.traits.title().unwrap_or(&plan.sdk_id);
    // Runtime parts only some models need: gzip for `@requestCompression`, MD5 for
    // `@httpChecksumRequired`.
    let ops = || plan.operations.iter().map(|op| &plan.shape(&op.id).traits);
    let mut runtime_features = Vec::new();
    if ops().any(|t| !t.request_compression().is_empty()) {
        runtime_features.push("\"gzip\"");
    }
    if ops().any(|t| t.has("smithy.api#httpChecksumRequired")) {
        runtime_features.push("\"md5\"");
    }
    let runtime_dependency = if runtime_features.is_empty() {
        format!("{{ path = \"{}\" }}", settings.runtime_path)
    } else {
        format!(
            "{{ path = \"{}\", features = [{}] }}",
            settings.runtime_path,
            runtime_features.join(", ")
        )
    };
    format!(
        "{header}\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\ndescription = \"Rust types for {title} ({service} {version}), generated from its Smithy model\"\n\n[dependencies]\nsmithy-runtime = {runtime}\n\n[features]\ndefault = [\"client\", \"rustls\"]\n# The client (HTTP/1.1 over tokio, SigV4 signing, retries).\nclient = [\"smithy-runtime/client\"]\n# HTTPS for the client through rustls.\nrustls = [\"client\", \"smithy-runtime/rustls\"]\n# The server trait and router (axum).\nserver = [\"smithy-runtime/server\"]\n# serde's Serialize and Deserialize on the public types (not used on the wire).\nserde = []\n",
        header = crate::format::TOML_HEADER,
        name = plan.crate_name,
        title = title.replace('"', "'"),
        service = plan.service_id.name,
        version = plan.service.version,
        runtime = runtime_dependency,
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
        #![allow(clippy::large_enum_variant,
            clippy::borrowed_box, clippy::too_many_arguments, clippy::module_inception, clippy::doc_lazy_continuation, clippy::empty_docs, rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]

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
            ShapeKind::Structure(_) => {
                let code = structure::emit_structure(
                    ctx,
                    id,
                    name,
                    shape.traits.documentation(),
                    shape.traits.error().is_some(),
                    shape.traits.is_sensitive(),
                );
                items.push(code.item);
                builders.push(code.builder);
            }
            ShapeKind::Union(_) => items.push(union::emit_union(ctx, shape, name)),
            ShapeKind::Enum(_) => items.push(enums::emit_string_enum(ctx, shape, name)),
            ShapeKind::IntEnum(_) => items.push(enums::emit_int_enum(ctx, shape, name)),
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
        let module = rust::ident(&op.module);
        let doc = format!(" The `{}` operation.", op.name);
        quote!(#[doc = #doc] pub mod #module;)
    });
    quote! {
        #![doc = " One module per operation, with its input, output and error types."]
        #(#modules)*
    }
}
