//! `smithy-rust-gen`: the generator as a command, for a repository with its own Smithy
//! model. `generate` writes one crate per service; `validate` only checks the model.
//!
//! Exit codes: 0 done, 1 the model has errors (its diagnostics on stderr; nothing is
//! written), 2 a bad invocation (usage on stderr), 3 the output could not be written.

mod build;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use smithy_codegen::{GeneratedFile, Settings};

// Generation allocates many small token trees and strings: with mimalloc, generating
// whole Athena + EMR Serverless takes about a quarter less CPU than with the system
// allocator (README, Performance).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const USAGE: &str = "\
smithy-rust-gen: Rust crates (types, client, server) from Smithy models

Usage:
  smithy-rust-gen generate [OPTIONS] --out <DIR> <MODEL>...
  smithy-rust-gen validate <MODEL>...
  smithy-rust-gen build [--config smithy-build.json] [--projection NAME]
  smithy-rust-gen help [COMMAND]

A MODEL is a `.smithy` (IDL 2.0) or `.json` (JSON AST) file, or a directory searched for
both. Exit codes: 0 done, 1 the model has errors, 2 a bad invocation, 3 the output could
not be written.
";

const GENERATE_USAGE: &str = "\
smithy-rust-gen generate: one crate per service of the model

Usage: smithy-rust-gen generate [OPTIONS] --out <DIR> <MODEL>...

Options:
  -o, --out <DIR>              Where the crates go, one directory each. The directory is
                               replaced as a whole, and only once every crate has
                               generated: a model with errors leaves it as it was.
      --service <SHAPE_ID>     Generate only this service (repeatable), e.g.
                               `example.jobs#Jobs`.
      --crate-name <SHAPE_ID=NAME>
                               The crate name of a service (repeatable); by default it
                               comes from the service's SDK id or name.
      --crate-version <VERSION>
                               The crates' version [default: 0.1.0].
      --runtime-path <PATH>    Depend on the `smithy-runtime` crate at PATH, relative to
                               each crate's directory.
      --runtime-version <REQ>  Depend on `smithy-runtime` by version [default: the
                               version this generator is built with, 0.1.0].
      --default-features <LIST>
                               The crates' default features, comma-separated, from
                               client, rustls, server, stub, serde, aws-config
                               [default: client,rustls].
  -h, --help                   This help.
";

const BUILD_USAGE: &str = "\
smithy-rust-gen build: run the `smithy-rust-gen` plugin of smithy-build.json's projections

Usage: smithy-rust-gen build [--config <FILE>] [--projection <NAME>]

Reads smithy-build.json as the Smithy build tool does (`version`, `sources`, `imports`,
`outputDirectory`, `projections` with `imports`, `transforms`, `plugins` and
`abstract`, and top-level `plugins`) and writes each projection's crates to
`<outputDirectory>/<projection>/smithy-rust-gen/` (`build/smithy/...` by default).
Transforms: includeServices, excludeShapesByTag, includeShapesByTag, excludeTraits
(filterSuppressions is ignored). The plugin's settings: service, module, moduleVersion,
moduleAuthors (as smithy-rs names them), runtimeVersion, runtimePath, defaultFeatures.
Any other key is an error naming it.

Options:
  -c, --config <FILE>     The build file [default: smithy-build.json].
      --projection <NAME> Only this projection.
";

const VALIDATE_USAGE: &str = "\
smithy-rust-gen validate: check a model and print its diagnostics; nothing is written

Usage: smithy-rust-gen validate <MODEL>...

Exit codes: 0 the model is valid, 1 it has errors, 2 a bad invocation.
";

/// Why the command stops.
enum Failure {
    /// The model has errors (already printed).
    Model(String),
    /// The command line is wrong.
    Usage(String),
    /// The output could not be written.
    Output(String),
}

const FEATURES: &[&str] = &["client", "rustls", "server", "stub", "serde", "aws-config"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate(&args[1..]),
        Some("validate") => validate(&args[1..]),
        Some("build") => build::build(&args[1..]),
        Some("help") => help(args.get(1).map(String::as_str)),
        Some("-h" | "--help") | None => help(None),
        Some("-V" | "--version") => {
            println!("smithy-rust-gen {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Some(other) => Err(Failure::Usage(format!("unknown command `{other}`"))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Model(message)) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(message)) => {
            eprintln!("error: {message}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Output(message)) => {
            eprintln!("error: {message}");
            ExitCode::from(3)
        }
    }
}

fn help(command: Option<&str>) -> Result<(), Failure> {
    match command {
        None => print!("{USAGE}"),
        Some("generate") => print!("{GENERATE_USAGE}"),
        Some("validate") => print!("{VALIDATE_USAGE}"),
        Some("build") => print!("{BUILD_USAGE}"),
        Some(other) => return Err(Failure::Usage(format!("unknown command `{other}`"))),
    }
    Ok(())
}

/// The model files named on the command line: files as they are, directories searched.
fn model_files(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Failure> {
    if inputs.is_empty() {
        return Err(Failure::Usage("no model file or directory given".into()));
    }
    // A path that is not there is a mistake in the command, not in the model.
    if let Some(missing) = inputs.iter().find(|p| !p.exists()) {
        return Err(Failure::Usage(format!(
            "{} does not exist",
            missing.display()
        )));
    }
    smithy_codegen::load::expand_inputs(inputs).map_err(|d| Failure::Model(d.to_string()))
}

fn load(inputs: &[PathBuf]) -> Result<smithy_codegen::model::Model, Failure> {
    let files = model_files(inputs)?;
    smithy_codegen::load::load_files(&files)
        .map_err(|d| Failure::Model(format!("{d}\nthe model has errors")))
}

fn validate(args: &[String]) -> Result<(), Failure> {
    let mut inputs = Vec::new();
    for arg in args {
        match arg.as_str() {
            "-h" | "--help" => return help(Some("validate")),
            flag if flag.starts_with('-') => {
                return Err(Failure::Usage(format!(
                    "unknown option `{flag}` for validate"
                )));
            }
            path => inputs.push(PathBuf::from(path)),
        }
    }
    let model = load(&inputs)?;
    for warning in smithy_codegen::warnings(&model) {
        eprintln!("warning: {warning}");
    }
    // Planning checks what loading does not (protocols, names, rule sets, paths).
    smithy_codegen::generate(&model, &Settings::default())
        .map_err(|d| Failure::Model(format!("{d}\nthe model has errors")))?;
    let services = model.services().count();
    println!("the model is valid: {services} service(s)");
    Ok(())
}

fn generate(args: &[String]) -> Result<(), Failure> {
    let mut settings = Settings {
        runtime_version: Some(env!("CARGO_PKG_VERSION").to_string()),
        ..Settings::default()
    };
    let mut out = None;
    let mut inputs = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => (flag, Some(value.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| -> Result<String, Failure> {
            inline
                .clone()
                .or_else(|| args.next().cloned())
                .ok_or_else(|| Failure::Usage(format!("{flag} needs {what}")))
        };
        match flag {
            "-h" | "--help" => return help(Some("generate")),
            "-o" | "--out" => out = Some(PathBuf::from(value("a directory")?)),
            "--service" => settings.services.push(value("a service shape ID")?),
            "--crate-name" => {
                let pair = value("SHAPE_ID=NAME")?;
                let Some((service, name)) = pair.split_once('=') else {
                    return Err(Failure::Usage(format!(
                        "--crate-name takes SHAPE_ID=NAME, not `{pair}`"
                    )));
                };
                settings
                    .crate_names
                    .insert(service.to_string(), name.to_string());
            }
            "--crate-version" => settings.crate_version = value("a version")?,
            "--runtime-path" => {
                settings.runtime_path = value("a path")?;
                settings.runtime_version = None;
            }
            "--runtime-version" => settings.runtime_version = Some(value("a version")?),
            "--default-features" => {
                let list = value("a comma-separated list")?;
                let features: Vec<String> = list
                    .split(',')
                    .map(str::trim)
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect();
                if let Some(unknown) = features.iter().find(|f| !FEATURES.contains(&f.as_str())) {
                    return Err(Failure::Usage(format!(
                        "`{unknown}` is not a feature of the generated crates ({})",
                        FEATURES.join(", ")
                    )));
                }
                settings.default_features = features;
            }
            other if other.starts_with('-') => {
                return Err(Failure::Usage(format!(
                    "unknown option `{other}` for generate"
                )));
            }
            path => inputs.push(PathBuf::from(path)),
        }
    }
    let out = out.ok_or_else(|| Failure::Usage("generate needs --out <DIR>".into()))?;
    let model = load(&inputs)?;
    for warning in smithy_codegen::warnings(&model) {
        eprintln!("warning: {warning}");
    }
    let files = smithy_codegen::generate(&model, &settings).map_err(|d| {
        Failure::Model(format!(
            "{d}\nthe model has errors; {} was left as it was",
            out.display()
        ))
    })?;
    write_atomically(&out, &files).map_err(Failure::Output)?;
    let crates: std::collections::BTreeSet<_> = files
        .iter()
        .filter_map(|f| f.path.components().next())
        .collect();
    println!(
        "wrote {} crate(s), {} files, into {}",
        crates.len(),
        files.len(),
        out.display()
    );
    Ok(())
}

/// Writes `files` into a fresh directory beside `out`, then puts it in `out`'s place: a
/// failure on the way leaves `out` as it was.
fn write_atomically(out: &Path, files: &[GeneratedFile]) -> Result<(), String> {
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent)
        .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
    let name = out
        .file_name()
        .ok_or_else(|| format!("{} is not a directory name", out.display()))?
        .to_string_lossy()
        .to_string();
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let written = files.iter().try_for_each(|file| {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&path, &file.contents)
    });
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("cannot write the crates: {e}"));
    }
    let previous = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_previous = out.exists();
    if had_previous {
        std::fs::rename(out, &previous)
            .map_err(|e| format!("cannot move {} aside: {e}", out.display()))?;
    }
    if let Err(e) = std::fs::rename(&staging, out) {
        if had_previous {
            let _ = std::fs::rename(&previous, out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(format!("cannot put the crates in {}: {e}", out.display()));
    }
    if had_previous {
        let _ = std::fs::remove_dir_all(&previous);
    }
    Ok(())
}
