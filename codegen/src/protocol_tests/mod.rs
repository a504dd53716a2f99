//! The Smithy protocol compliance tests of a model (`smithy.test#httpRequestTests`,
//! `httpResponseTests` and `httpMalformedRequestTests`) as Rust tests of the crate generated
//! for each service: one `#[test]` per case and side, named `<id>_<side>_<kind>`.
//!
//! `cases` reads the traits into cases (expanding `testParameters`), `values` turns a
//! case's `params` into a Rust expression of the right type, `emit` writes the tests.

mod cases;
mod emit;
pub(crate) mod values;

use std::path::PathBuf;

pub use cases::{Case, CaseKind, Side};

use crate::plan::ServicePlan;
use crate::{Diagnostics, GeneratedFile, Model, Settings};

/// One generated test: which case, which side, and the test function's name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestRecord {
    /// The crate the test is in.
    pub crate_name: String,
    /// `RestJsonFoo_client_request`: `cargo test <name>` runs it.
    pub test_name: String,
    /// The case's `id`.
    pub id: String,
    /// The protocol's trait, `aws.protocols#restJson1`.
    pub protocol: String,
    pub kind: CaseKind,
    pub side: Side,
}

/// The crates of every service in `model` that a case targets, each with its cases as
/// `tests/protocol_tests.rs`, and the list of tests written.
pub struct ProtocolTests {
    pub files: Vec<GeneratedFile>,
    pub tests: Vec<TestRecord>,
    /// Cases of a supported protocol that no generated service runs, with the reason: a
    /// harness must report them, never skip them silently.
    pub not_run: Vec<(TestRecord, String)>,
}

/// Generates the crate of each service with cases (client and server), with its tests.
/// Services without a case for their protocol are left out.
pub fn generate(model: &Model, settings: &Settings) -> Result<ProtocolTests, Diagnostics> {
    let with_orphans = cases::with_orphan_services(model);
    let model = &with_orphans;
    let mut files = Vec::new();
    let mut tests: Vec<TestRecord> = Vec::new();
    let mut diagnostics = Diagnostics::default();
    for (service_id, _, _) in model.services() {
        let plan = match ServicePlan::new(model, service_id) {
            Ok(plan) => plan,
            // A service of another protocol (or none) has no cases we could run.
            Err(_) => continue,
        };
        let cases = cases::service_cases(&plan);
        if cases.is_empty() {
            continue;
        }
        let crate_files = match crate::emit::emit_crate(&plan, settings) {
            Ok(files) => files,
            Err(diagnostic) => {
                diagnostics.push(diagnostic);
                continue;
            }
        };
        let (test_file, records) = emit::emit_tests(&plan, &cases);
        let root = PathBuf::from(&plan.crate_name);
        for mut file in crate_files {
            if file.path == std::path::Path::new("Cargo.toml") {
                file.contents.push_str(&dev_dependencies(settings));
            }
            file.path = root.join(file.path);
            files.push(file);
        }
        files.push(GeneratedFile {
            path: root.join("tests/protocol_tests.rs"),
            contents: test_file,
        });
        tests.extend(records);
    }
    let not_run = cases::unclaimed_cases(model, &tests);
    diagnostics.into_result(ProtocolTests {
        files,
        tests,
        not_run,
    })
}

fn dev_dependencies(settings: &Settings) -> String {
    format!(
        "\n[dev-dependencies]\nsmithy-runtime = {{ path = \"{}\", features = [\"protocol-test\"] }}\n",
        settings.runtime_path
    )
}
