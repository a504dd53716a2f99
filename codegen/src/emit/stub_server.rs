//! The stub server crate: every service of the model, each answering from its stub, on
//! one port (`cargo xtask stub`).

use quote::{format_ident, quote};

use super::rust::ident;
use crate::format::{TOML_HEADER, format_file};
use crate::plan::ServicePlan;
use crate::{GeneratedFile, Settings};

/// `Cargo.toml` and `src/main.rs` of the crate `name`, which depends on each service's
/// crate in a sibling directory.
pub fn emit(
    plans: &[ServicePlan<'_>],
    settings: &Settings,
    name: &str,
) -> Result<Vec<GeneratedFile>, syn::Error> {
    let mut manifest = format!(
        "{TOML_HEADER}\n[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\ndescription = \"Every service of the model answering from its stub, on one port\"\n\n[dependencies]\nsmithy-runtime = {{ path = \"{}\", features = [\"stub\"] }}\n",
        settings.runtime_path
    );
    for plan in plans {
        manifest.push_str(&format!(
            "{0} = {{ path = \"../{0}\", default-features = false, features = [\"stub\"] }}\n",
            plan.crate_name
        ));
    }
    let services = plans.iter().map(|plan| {
        let krate = ident(&plan.crate_name.replace('-', "_"));
        let stub = format_ident!("{}Stub", super::server::trait_name(plan));
        quote! {
            .with(
                &#krate::protocol::SERVICE,
                #krate::server::router_with_config(#krate::server::#stub, ServerConfig::default()),
            )
        }
    });
    let main = format_file(
        quote! {
            #![doc = " Serves the stub of every service of the model on one port:"]
            #![doc = " `cargo xtask stub [--port P]` (or `cargo run -p stub-server -- --port P`)."]
            // Formatted by the generator; rustfmt would lay it out differently.
            #![cfg_attr(rustfmt, rustfmt::skip)]

            use ::smithy_runtime::server::{ServerConfig, Services};

            fn main() -> ::std::process::ExitCode {
                let services = Services::new() #(#services)*;
                ::smithy_runtime::stub::main(services)
            }
        },
        &[],
    )?;
    Ok(vec![
        GeneratedFile {
            path: "Cargo.toml".into(),
            contents: manifest,
        },
        GeneratedFile {
            path: "src/main.rs".into(),
            contents: main,
        },
    ])
}
