//! Rendering a service plan into the files of one crate.

mod client;
mod docs;
mod endpoint;
mod enums;
mod operation;
mod paginator;
pub(crate) mod protocol;
pub(crate) mod rust;
mod schema;
pub(crate) mod server;
mod structure;
pub(crate) mod stub_server;
mod union;
mod values;
mod waiter;

use std::path::PathBuf;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::ShapeKind;
use crate::plan::{Module, ServicePlan};
use crate::{Diagnostic, GeneratedFile, Settings};

pub use docs::html_to_markdown;
pub use schema::SchemaNames;

/// What every emitter of one file reads: the plan, the names decided once for the crate,
/// and the file's documentation (see `docs::Docs`).
pub struct Context<'a, 'm> {
    pub plan: &'a ServicePlan<'m>,
    pub schemas: &'a schema::SchemaNames,
    pub docs: docs::Docs<'a>,
}

/// What renders the tokens of one part of a file.
type Render<'a> = Box<dyn Fn(&Context<'_, '_>) -> TokenStream + Send + Sync + 'a>;

/// One Rust file to write: its path and the parts it is made of, in order. Each part is
/// formatted on its own and in parallel with the others, so a large file does not hold
/// up the rest; the formatted parts are joined.
struct Job<'a> {
    path: String,
    parts: Vec<Render<'a>>,
}

impl<'a> Job<'a> {
    fn new(path: impl Into<String>, render: Render<'a>) -> Job<'a> {
        Job {
            path: path.into(),
            parts: vec![render],
        }
    }
}

/// Shapes per part of a file of shapes: small enough that the parts spread over the
/// cores, large enough that a part is worth a task.
const SHAPES_PER_PART: usize = 16;

/// All files of the crate for one service, paths relative to the crate directory.
pub fn emit_crate(
    plan: &ServicePlan<'_>,
    settings: &Settings,
) -> Result<Vec<GeneratedFile>, Diagnostic> {
    let mut files = vec![GeneratedFile {
        path: PathBuf::from("Cargo.toml"),
        contents: emit_cargo_toml(plan, settings),
    }];
    // The endpoint tests are one large item of their own: formatted beside the rest,
    // from the start.
    let (parts, endpoint_tests) = std::thread::scope(|scope| {
        let endpoint_tests = scope.spawn(|| emit_endpoint_tests_file(plan));
        // Every shape has a schema: the wire reads it for all, validation for inputs.
        let parts = schema::SchemaNames::new(plan, &plan.closure)
            .map(|schemas| render_in_parallel(plan, &schemas, &crate_jobs(plan)));
        (parts, endpoint_tests.join())
    });
    files.extend(parts?.map_err(|(path, e)| {
        Diagnostic::new(format!(
            "generated `{path}` does not parse ({e}); this is a bug in the generator"
        ))
        .at_shape(&plan.service_id)
    })?);
    let endpoint_tests = endpoint_tests.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    files.extend(endpoint_tests?);
    Ok(files)
}

/// The crate's Rust files, each made of parts, in the order they are started.
fn crate_jobs<'a>(plan: &'a ServicePlan<'_>) -> Vec<Job<'a>> {
    let closure = &plan.closure;
    let mut jobs: Vec<Job<'a>> = Vec::new();
    // The largest files first, so they do not start last.
    shapes_jobs(plan, Module::Types, "src/types", &mut jobs);
    jobs.push(Job::new(
        "src/server.rs",
        Box::new(server::emit_server_module),
    ));
    jobs.push(Job::new(
        "src/schema.rs",
        Box::new(move |ctx| schema::emit_schema_module(ctx.plan, closure, ctx.schemas)),
    ));
    jobs.push(Job::new(
        "src/protocol.rs",
        Box::new(|ctx| protocol::emit_protocol_module(ctx.plan)),
    ));
    jobs.push(Job::new(
        "src/client.rs",
        Box::new(client::emit_client_module),
    ));
    if plan.endpoint_rules.is_some() {
        jobs.push(Job::new(
            "src/endpoint.rs",
            Box::new(|ctx| endpoint::emit_endpoint_module(ctx.plan)),
        ));
    }
    // Many small files last, so the cores finish together.
    for op in &plan.operations {
        jobs.push(Job::new(
            format!("src/operation/{}.rs", op.module),
            Box::new(move |ctx| operation::emit_operation_module(ctx, op)),
        ));
    }
    shapes_jobs(plan, Module::Errors, "src/types/error", &mut jobs);
    jobs.push(Job::new("src/lib.rs", Box::new(|ctx| emit_lib(ctx.plan))));
    jobs.push(Job::new(
        "src/operation.rs",
        Box::new(|ctx| emit_operation_index(ctx.plan)),
    ));
    jobs
}

/// `tests/endpoint_tests.rs`, when the service's endpoint rules come with test cases.
fn emit_endpoint_tests_file(plan: &ServicePlan<'_>) -> Result<Option<GeneratedFile>, Diagnostic> {
    let Some(rules) = plan.endpoint_rules.as_ref().filter(|r| !r.tests.is_empty()) else {
        return Ok(None);
    };
    let tokens = endpoint::emit_endpoint_tests(plan, rules)
        .map_err(|e| Diagnostic::new(e).at_shape(&plan.service_id))?;
    let contents = crate::format::format_file(tokens, &[]).map_err(|e| {
        Diagnostic::new(format!(
            "generated `tests/endpoint_tests.rs` does not parse ({e}); this is a bug in the generator"
        ))
        .at_shape(&plan.service_id)
    })?;
    Ok(Some(GeneratedFile {
        path: PathBuf::from("tests/endpoint_tests.rs"),
        contents,
    }))
}

/// Renders and formats the files' parts on every core: token streams are not `Send`, so
/// each part is built and formatted on the thread that takes it; the output order is fixed.
fn render_in_parallel(
    plan: &ServicePlan<'_>,
    schemas: &schema::SchemaNames,
    jobs: &[Job<'_>],
) -> Result<Vec<GeneratedFile>, (String, syn::Error)> {
    let tasks: Vec<(usize, &Render<'_>)> = jobs
        .iter()
        .enumerate()
        .flat_map(|(i, job)| job.parts.iter().map(move |part| (i, part)))
        .collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(tasks.len())
        .max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<Result<String, syn::Error>>> = Vec::new();
    results.resize_with(tasks.len(), || None);
    let results = std::sync::Mutex::new(results);
    let shared = std::sync::Arc::new(crate::format::SharedTexts::default());
    let markdown = docs::Markdown::default();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                // Per thread, as syntax trees are (their printed text is shared): the
                // items of a shape this thread has parsed are not parsed again.
                let mut cache = crate::format::ItemCache::sharing(shared.clone());
                loop {
                    let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    let Some((_, render)) = tasks.get(i) else {
                        break;
                    };
                    let ctx = Context {
                        plan,
                        schemas,
                        docs: docs::Docs::new(&markdown),
                    };
                    let tokens = render(&ctx);
                    let formatted =
                        crate::format::format_part(tokens, &ctx.docs.into_texts(), &mut cache);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(formatted);
                }
            });
        }
    });
    let results = results.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut parts: Vec<Vec<String>> = vec![Vec::new(); jobs.len()];
    for ((job, _), result) in tasks.iter().zip(results) {
        match result {
            Some(Ok(text)) => parts[*job].push(text),
            Some(Err(e)) => return Err((jobs[*job].path.clone(), e)),
            None => unreachable!("every part ran"),
        }
    }
    Ok(jobs
        .iter()
        .zip(parts)
        .map(|(job, parts)| GeneratedFile {
            path: PathBuf::from(&job.path),
            contents: crate::format::join_parts(&parts),
        })
        .collect())
}

/// The runtime features the model needs whatever the crate's features are: gzip for
/// `@requestCompression`, MD5 for `@httpChecksumRequired`, JMESPath for
/// `@operationContextParams` paths and waiters, `ByteStream` for `@streaming` blobs.
pub(crate) fn model_runtime_features(plan: &ServicePlan<'_>) -> Vec<&'static str> {
    let ops = || plan.operations.iter().map(|op| &plan.shape(&op.id).traits);
    let mut features = Vec::new();
    if ops().any(|t| !t.request_compression().is_empty()) {
        features.push("gzip");
    }
    if ops().any(|t| t.has("smithy.api#httpChecksumRequired")) {
        features.push("md5");
    }
    let has_paths = plan.operations.iter().any(|op| {
        !op.waiters.is_empty()
            || op
                .endpoint_params
                .iter()
                .any(|(_, p)| matches!(p, crate::endpoints::OperationParam::Path(_)))
    });
    if has_paths {
        features.push("jmespath");
    }
    if plan.has_streams() {
        features.push("byte-stream");
    }
    features
}

fn emit_cargo_toml(plan: &ServicePlan<'_>, settings: &Settings) -> String {
    let title = plan.title();
    let runtime_features: Vec<String> = model_runtime_features(plan)
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect();
    let source = match &settings.runtime_version {
        Some(version) => format!("version = \"{version}\""),
        None => format!("path = \"{}\"", settings.runtime_path),
    };
    let runtime_dependency = if runtime_features.is_empty() {
        format!("{{ {source} }}")
    } else {
        format!(
            "{{ {source}, features = [{}] }}",
            runtime_features.join(", ")
        )
    };
    let authors = if settings.authors.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = settings.authors.iter().map(|a| format!("{a:?}")).collect();
        format!("authors = [{}]\n", list.join(", "))
    };
    // SigV4 is built only for a service that signs: its client signs, its server can
    // verify (`ServerConfig::with_sigv4`).
    let (signing, client_features, verifying, server_features) =
        match plan.service_shape.traits.sigv4_name() {
            Some(_) => (
                ", SigV4 signing",
                "\"smithy-runtime/client\", \"smithy-runtime/sigv4\"",
                ", SigV4 verification",
                "\"smithy-runtime/server\", \"smithy-runtime/sigv4\"",
            ),
            None => (
                "",
                "\"smithy-runtime/client\"",
                "",
                "\"smithy-runtime/server\"",
            ),
        };
    let default_features = settings
        .default_features
        .iter()
        .map(|f| format!("\"{f}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "{header}\n[package]\nname = \"{name}\"\nversion = \"{crate_version}\"\nedition = \"2024\"\npublish = false\n{authors}description = \"Rust types for {title} ({service} {version}), generated from its Smithy model\"\n\n[dependencies]\nsmithy-runtime = {runtime}\n\n[features]\ndefault = [{default_features}]\n# The client (HTTP/1.1 over tokio, retries{signing}).\nclient = [{client_features}]\n# HTTPS for the client through rustls.\nrustls = [\"client\", \"smithy-runtime/rustls\"]\n# The server trait and router (axum{verifying}).\nserver = [{server_features}]\n# A server answering every operation from the model (`server::<Service>Stub`).\nstub = [\"server\", \"smithy-runtime/stub\"]\n# serde's Serialize and Deserialize on the public types (not used on the wire).\nserde = []\n# `Client::new(&SdkConfig)` and `Config::from(&SdkConfig)`, for settings loaded by aws-config.\naws-config = [\"client\", \"smithy-runtime/aws-config\"]\n",
        header = crate::format::TOML_HEADER,
        name = plan.crate_name,
        title = title.replace('"', "'"),
        service = plan.service_id.name,
        version = plan.service.version,
        runtime = runtime_dependency,
        crate_version = settings.crate_version,
    )
}

fn emit_lib(plan: &ServicePlan<'_>) -> TokenStream {
    let title = plan.title();
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
        Some(name) => quote!(Some(#name)),
        None => quote!(None),
    };
    let endpoint_prefix = match plan
        .service_shape
        .traits
        .aws_service()
        .and_then(|s| s.endpoint_prefix.as_deref())
    {
        Some(prefix) => quote!(Some(#prefix)),
        None => quote!(None),
    };
    let protocol = plan.protocol.trait_id();
    let endpoint_module = plan.endpoint_rules.is_some().then(|| {
        quote! {
            #[cfg(feature = "client")]
            #[rustfmt::skip]
            pub mod endpoint;
        }
    });
    let byte_stream = plan.has_streams().then(|| {
        quote!(
            pub use ::smithy_runtime::ByteStream;
        )
    });
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
        #endpoint_module
        #[cfg(feature = "server")]
        #[rustfmt::skip]
        pub mod server;
        #[rustfmt::skip]
        pub mod types;

        /// Value types that model shapes are built from.
        pub mod primitives {
            pub use ::smithy_runtime::{BigDecimal, BigInteger, Blob, DateTime, Document};
            #byte_stream
        }

        /// The service shape's name (the prefix of awsJson's `X-Amz-Target`).
        pub const SERVICE_NAME: &str = #service_name;
        /// The service's SDK identifier.
        pub const SDK_ID: &str = #sdk_id;
        /// The API version the model describes.
        pub const API_VERSION: &str = #version;
        /// The SigV4 signing name, when the service is signed.
        pub const SIGNING_NAME: Option<&str> = #signing_name;
        /// The host prefix of the service's regional endpoints.
        pub const ENDPOINT_PREFIX: Option<&str> = #endpoint_prefix;
        /// The Smithy protocol the service speaks.
        pub const PROTOCOL: &str = #protocol;
    }
}

/// The files of `crate::types` or `crate::types::error` (`<file>.rs`, and
/// `<file>/builders.rs` when the module has structures): every structure, union and
/// enum in that module, in parts of [`SHAPES_PER_PART`] shapes.
fn shapes_jobs<'a>(plan: &'a ServicePlan<'_>, module: Module, file: &str, jobs: &mut Vec<Job<'a>>) {
    let mut entries: Vec<(&'a str, &'a crate::ShapeId)> = plan
        .symbols
        .iter()
        .filter(|(_, symbol)| symbol.module == module)
        .map(|(id, symbol)| (symbol.name.as_str(), id))
        .collect();
    entries.sort();
    let structures: Vec<(&'a str, &'a crate::ShapeId)> = entries
        .iter()
        .copied()
        .filter(|(_, id)| matches!(plan.shape(id).kind, ShapeKind::Structure(_)))
        .collect();
    let has_builders = !structures.is_empty();
    let has_shapes = !entries.is_empty();
    let mut parts: Vec<Render<'a>> = vec![Box::new(move |_| {
        shapes_module_header(&module, has_shapes, has_builders)
    })];
    for chunk in entries.chunks(SHAPES_PER_PART).map(<[_]>::to_vec) {
        parts.push(Box::new(move |ctx| {
            let items = chunk
                .iter()
                .map(|(name, id)| emit_shape_item(ctx, id, name));
            quote!(#(#items)*)
        }));
    }
    jobs.push(Job {
        path: format!("{file}.rs"),
        parts,
    });
    if has_builders {
        let fallible = structures
            .iter()
            .any(|(_, id)| plan.builder_is_fallible(id));
        let header: Render<'a> = Box::new(move |_| {
            if fallible {
                structure::fallible_builder_imports()
            } else {
                TokenStream::new()
            }
        });
        jobs.push(Job {
            path: format!("{file}/builders.rs"),
            parts: std::iter::once(header)
                .chain(structures.chunks(SHAPES_PER_PART).map(<[_]>::to_vec).map(
                    |chunk| -> Render<'a> {
                        Box::new(move |ctx| {
                            let builders = chunk.iter().map(|(name, id)| {
                                let shape = ctx.plan.shape(id);
                                structure::emit_structure_builder(
                                    ctx,
                                    id,
                                    name,
                                    shape.traits.is_sensitive(),
                                )
                            });
                            quote!(#(#builders)*)
                        })
                    },
                ))
                .collect(),
        });
    }
}

/// The top of a shapes module: its documentation, imports and submodules.
fn shapes_module_header(module: &Module, has_shapes: bool, has_builders: bool) -> TokenStream {
    let (module_doc, error) = match module {
        Module::Types => (
            " Structures, unions and enums shared by the operations.",
            Some(quote!(
                pub mod error;
            )),
        ),
        _ => (" Error structures the operations can return.", None),
    };
    let builders = has_builders.then(|| {
        quote! {
            /// Builders for the structures in this module.
            pub mod builders;
        }
    });
    // Every shape is read and written through its schema.
    let imports = has_shapes.then(|| {
        quote!(
            use ::smithy_runtime::{validation, wire};
        )
    });
    quote! {
        #![doc = #module_doc]

        #imports

        #error
        #builders
    }
}

/// One structure, union or enum of a shapes module (a structure's builder goes into
/// `builders`).
fn emit_shape_item(ctx: &Context<'_, '_>, id: &crate::ShapeId, name: &str) -> TokenStream {
    let shape = ctx.plan.shape(id);
    match &shape.kind {
        ShapeKind::Structure(_) => structure::emit_structure_item(
            ctx,
            id,
            name,
            shape.traits.documentation(),
            shape.traits.error().is_some(),
            shape.traits.is_sensitive(),
        ),
        ShapeKind::Union(_) => union::emit_union(ctx, shape, name),
        ShapeKind::Enum(_) => enums::emit_string_enum(ctx, shape, name),
        ShapeKind::IntEnum(_) => enums::emit_int_enum(ctx, shape, name),
        _ => TokenStream::new(),
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
