//! `cargo xtask user-project`: the generator used as a team with its own model uses it.
//!
//! `tests/user-project` (its own Smithy model, not an AWS service, bearer auth) is copied
//! to a scratch directory outside this workspace. The command is installed with
//! `cargo install`, generates the model's crate there, and the project's `build.rs`
//! generates the same model as a module (`smithy_codegen::Builder`); the program serves
//! the module's server and calls it with both clients over 127.0.0.1.

use std::path::Path;
use std::time::Instant;

use crate::{cargo, run, write_file};

pub fn user_project(root: &Path) -> Result<(), String> {
    let template = root.join("tests/user-project");
    let scratch = std::env::temp_dir().join(format!("smithy-user-project-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let result = build_and_run(root, &template, &scratch);
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

fn build_and_run(root: &Path, template: &Path, scratch: &Path) -> Result<(), String> {
    // One target directory for the install and the project (they share codegen's
    // dependencies), kept between runs.
    let target = root.join("target/user-project");
    let install = scratch.join("install");
    let project = scratch.join("todo-app");
    let started = Instant::now();
    // From outside this workspace, so only the command's own `--locked` lock file applies.
    std::fs::create_dir_all(scratch)
        .map_err(|e| format!("cannot create {}: {e}", scratch.display()))?;
    run(cargo().current_dir(scratch).args([
        "install",
        "--quiet",
        "--debug",
        "--locked",
        "--path",
        &root.join("cli").display().to_string(),
        "--root",
        &install.display().to_string(),
        "--target-dir",
        &target.display().to_string(),
    ]))?;
    let installed = started.elapsed();

    for file in ["build.rs", "model/todos.smithy", "src/main.rs"] {
        let text = std::fs::read_to_string(template.join(file))
            .map_err(|e| format!("cannot read {}: {e}", template.join(file).display()))?;
        write_file(&project.join(file), &text)?;
    }
    let manifest = std::fs::read_to_string(template.join("Cargo.toml.in"))
        .map_err(|e| format!("cannot read the project's Cargo.toml.in: {e}"))?
        .replace("@RUNTIME@", &root.join("runtime").display().to_string())
        .replace("@CODEGEN@", &root.join("codegen").display().to_string());
    write_file(&project.join("Cargo.toml"), &manifest)?;
    // The versions this workspace is tested with (cargo drops what the project does not use).
    std::fs::copy(root.join("Cargo.lock"), project.join("Cargo.lock"))
        .map_err(|e| format!("cannot copy Cargo.lock: {e}"))?;

    let command = install.join("bin/smithy-rust-gen");
    run(std::process::Command::new(&command)
        .current_dir(&project)
        .args(["generate", "model", "--out", "generated", "--runtime-path"])
        .arg(root.join("runtime")))?;

    let output = cargo()
        .current_dir(&project)
        .env("CARGO_TARGET_DIR", &target)
        .args(["run", "--quiet"])
        .output()
        .map_err(|e| format!("cannot run the user project: {e}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() || !stdout.starts_with("ok:") {
        return Err(format!(
            "the user project failed ({}):\n{stdout}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    println!(
        "user project: {}\ninstalled in {:.0} s; generated, built and run in {:.0} s",
        stdout.trim_end(),
        installed.as_secs_f64(),
        (started.elapsed() - installed).as_secs_f64()
    );
    Ok(())
}
