//! The installed command as a user runs it: generate and validate a small model of
//! one's own (IDL and JSON AST), with the exit codes and the untouched output the
//! command promises for a bad model or a bad invocation.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn command() -> Command {
    Command::new(env!("CARGO_BIN_EXE_smithy-rust-gen"))
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("smithy-rust-gen-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const NOTES: &str = r#"$version: "2"
namespace example.notes

use aws.protocols#restJson1

/// Keeps notes.
@restJson1
service Notes {
    version: "2026-11-30"
    operations: [GetNote]
}

@readonly
@http(method: "GET", uri: "/notes/{id}")
operation GetNote {
    input := {
        @required
        @httpLabel
        id: String
    }
    output := {
        text: String
    }
}
"#;

/// A second service, as JSON AST, beside the IDL file.
const TAGS: &str = r#"{
  "smithy": "2.0",
  "shapes": {
    "example.tags#Tags": {
      "type": "service",
      "version": "1",
      "operations": [{"target": "example.tags#ListTags"}],
      "traits": {"aws.protocols#awsJson1_0": {}}
    },
    "example.tags#ListTags": {"type": "operation"}
  }
}"#;

fn run(args: &[&str], dir: &Path) -> Output {
    command().current_dir(dir).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn generates_one_crate_per_service_from_mixed_files() {
    let dir = scratch("generate");
    std::fs::create_dir_all(dir.join("model")).unwrap();
    std::fs::write(dir.join("model/notes.smithy"), NOTES).unwrap();
    std::fs::write(dir.join("tags.json"), TAGS).unwrap();
    let output = run(
        &[
            "generate",
            "model",
            "tags.json",
            "--out",
            "crates",
            "--crate-name",
            "example.tags#Tags=tag-store",
            "--crate-version",
            "2.1.0",
            "--runtime-version",
            "0.1",
            "--default-features=client,server",
        ],
        &dir,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stdout).contains("wrote 2 crate(s)"),
        "{}",
        text(&output.stdout)
    );
    let notes = std::fs::read_to_string(dir.join("crates/notes/Cargo.toml")).unwrap();
    assert!(notes.contains("version = \"2.1.0\""), "{notes}");
    assert!(
        notes.contains("smithy-runtime = { version = \"0.1\""),
        "{notes}"
    );
    assert!(
        notes.contains("default = [\"client\", \"server\"]"),
        "{notes}"
    );
    assert!(dir.join("crates/notes/src/lib.rs").is_file());
    assert!(dir.join("crates/tag-store/src/lib.rs").is_file());

    // `--service` picks one; the rest of the output directory is replaced.
    let output = run(
        &[
            "generate",
            "model",
            "tags.json",
            "-o",
            "crates",
            "--service",
            "example.notes#Notes",
        ],
        &dir,
    );
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(dir.join("crates/notes/src/lib.rs").is_file());
    assert!(!dir.join("crates/tag-store").exists());
    // No staging directory is left behind.
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_bad_model_exits_1_and_leaves_the_output_as_it_was() {
    let dir = scratch("bad-model");
    std::fs::create_dir_all(dir.join("crates/kept")).unwrap();
    std::fs::write(dir.join("crates/kept/marker"), "mine").unwrap();
    let broken = NOTES.replace("text: String", "text: NoSuchShape");
    std::fs::write(dir.join("notes.smithy"), broken).unwrap();
    for args in [
        &["generate", "notes.smithy", "--out", "crates"][..],
        &["validate", "notes.smithy"][..],
    ] {
        let output = run(args, &dir);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            text(&output.stderr)
        );
        let stderr = text(&output.stderr);
        assert!(stderr.contains("notes.smithy"), "names the file: {stderr}");
        assert!(stderr.contains("NoSuchShape"), "names the shape: {stderr}");
    }
    assert_eq!(
        std::fs::read_to_string(dir.join("crates/kept/marker")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_dir(dir.join("crates")).unwrap().count(), 1);

    // A service the model does not have is the model's error too.
    std::fs::write(dir.join("notes.smithy"), NOTES).unwrap();
    let output = run(
        &[
            "generate",
            "notes.smithy",
            "-o",
            "crates",
            "--service",
            "a#B",
        ],
        &dir,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("no service `a#B`"));
    assert!(dir.join("crates/kept/marker").exists());
}

#[test]
fn a_bad_invocation_exits_2_with_the_usage() {
    let dir = scratch("usage");
    std::fs::write(dir.join("notes.smithy"), NOTES).unwrap();
    for args in [
        &["generate", "notes.smithy"][..],
        &["generate", "--out", "x", "--frobnicate", "notes.smithy"][..],
        &["generate", "--out", "x", "missing.smithy"][..],
        &[
            "generate",
            "--out",
            "x",
            "--default-features",
            "client,turbo",
            "notes.smithy",
        ][..],
        &["compile"][..],
        &["validate"][..],
    ] {
        let output = run(args, &dir);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            text(&output.stderr)
        );
        assert!(text(&output.stderr).contains("Usage:"), "{args:?}");
    }
    assert!(!dir.join("x").exists());
}

#[test]
fn every_command_has_help_and_validate_accepts_a_good_model() {
    let dir = scratch("help");
    for (args, phrase) in [
        (&["--help"][..], "smithy-rust-gen generate"),
        (&["help", "generate"][..], "--runtime-version"),
        (&["generate", "--help"][..], "--crate-name"),
        (&["validate", "-h"][..], "nothing is written"),
    ] {
        let output = run(args, &dir);
        assert!(output.status.success(), "{args:?}");
        assert!(text(&output.stdout).contains(phrase), "{args:?}");
    }
    std::fs::write(dir.join("notes.smithy"), NOTES).unwrap();
    let output = run(&["validate", "notes.smithy"], &dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stdout).contains("valid: 1 service"));
}

/// A model that uses the AWS traits, the rules and waiters traits and
/// `smithy.framework#ValidationException`, with none of their definitions beside it.
const USES_BUNDLED: &str = r#"$version: "2"
namespace example.b

use aws.api#service
use aws.auth#sigv4
use aws.protocols#restJson1
use smithy.framework#ValidationException
use smithy.rules#endpointRuleSet
use smithy.waiters#waitable

@service(sdkId: "B")
@sigv4(name: "b")
@restJson1
@endpointRuleSet({
    version: "1.0"
    parameters: { Endpoint: { type: "string", builtIn: "SDK::Endpoint" } }
    rules: [{ type: "endpoint", conditions: [], endpoint: { url: { ref: "Endpoint" } } }]
})
service B {
    version: "1"
    operations: [Get]
}

@http(method: "GET", uri: "/x/{id}")
@readonly
@waitable(Ready: { acceptors: [{ state: "success", matcher: { success: true } }] })
operation Get {
    input := { @required @httpLabel id: String }
    output := {}
    errors: [ValidationException]
}
"#;

#[test]
fn models_using_the_common_traits_load_without_their_definitions() {
    let dir = scratch("bundled");
    std::fs::write(dir.join("b.smithy"), USES_BUNDLED).unwrap();
    let output = run(&["validate", "b.smithy"], &dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let output = run(&["generate", "b.smithy", "--out", "crates"], &dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let operation = std::fs::read_to_string(dir.join("crates/b/src/operation/get.rs")).unwrap();
    assert!(
        operation.contains("ValidationException("),
        "the error is modeled"
    );
    let client = std::fs::read_to_string(dir.join("crates/b/src/client.rs")).unwrap();
    assert!(
        client.contains("pub fn wait_until_ready"),
        "the waiter is generated"
    );
}

#[test]
fn smithy_build_json_runs_the_plugin_for_each_projection() {
    let dir = scratch("smithy-build");
    std::fs::create_dir_all(dir.join("model")).unwrap();
    // One more operation, tagged internal, for a projection to leave out.
    let notes = NOTES.replace("operations: [GetNote]", "operations: [GetNote, Purge]")
        + "\n@tags([\"internal\"])\noperation Purge {}\n";
    std::fs::write(dir.join("model/notes.smithy"), notes).unwrap();
    std::fs::write(
        dir.join("smithy-build.json"),
        r#"{
          "version": "1.0",
          "sources": ["model"],
          "projections": {
            "public": {
              "transforms": [
                {"name": "excludeShapesByTag", "args": {"tags": ["internal"]}},
                {"name": "excludeTraits", "args": {"traits": ["documentation"]}},
                {"name": "filterSuppressions", "args": {"removeUnused": true}}
              ],
              "plugins": {
                "smithy-rust-gen": {
                  "service": "example.notes#Notes",
                  "module": "notes-client",
                  "moduleVersion": "1.2.3",
                  "moduleAuthors": ["Notes Team <notes@example.com>"],
                  "runtimeVersion": "0.1"
                }
              }
            },
            "everything": {
              "plugins": {"smithy-rust-gen": {}}
            }
          }
        }"#,
    )
    .unwrap();
    let output = run(&["build"], &dir);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(
        text(&output.stderr).contains("filterSuppressions"),
        "the ignored transform is noted"
    );
    let public = dir.join("build/smithy/public/smithy-rust-gen/notes-client");
    let manifest = std::fs::read_to_string(public.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("version = \"1.2.3\""), "{manifest}");
    assert!(
        manifest.contains("authors = [\"Notes Team <notes@example.com>\"]"),
        "{manifest}"
    );
    assert!(public.join("src/operation/get_note.rs").is_file());
    assert!(
        !public.join("src/operation/purge.rs").exists(),
        "the internal operation is left out"
    );
    let lib = std::fs::read_to_string(public.join("src/lib.rs")).unwrap();
    assert!(
        !lib.contains("Keeps notes"),
        "documentation traits are removed"
    );
    let everything = dir.join("build/smithy/everything/smithy-rust-gen/notes");
    assert!(everything.join("src/operation/purge.rs").is_file());
    let lib = std::fs::read_to_string(everything.join("src/lib.rs")).unwrap();
    assert!(
        lib.contains("Keeps notes"),
        "kept where no transform removes it"
    );

    // A key the tool does not support is an error naming it; nothing more is written.
    std::fs::write(
        dir.join("smithy-build.json"),
        r#"{"version": "1.0", "sources": ["model"], "maven": {"dependencies": []}}"#,
    )
    .unwrap();
    let output = run(&["build"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("`maven` is not supported"),
        "{}",
        text(&output.stderr)
    );
    std::fs::write(
        dir.join("smithy-build.json"),
        r#"{"version": "1.0", "sources": ["model"],
            "plugins": {"smithy-rust-gen": {"service": "example.notes#Notes", "codegen": {}}}}"#,
    )
    .unwrap();
    let output = run(&["build"], &dir);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output.stderr).contains("smithy-rust-gen.codegen"),
        "{}",
        text(&output.stderr)
    );
}
