//! Generates the services of `model/` and `tests/model/` in the single-module form that
//! `build.rs` users get (`smithy_codegen::Builder`), every feature on; `tests/module_form.rs`
//! includes them and calls them against the crate form over real HTTP.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("module-form");
    smithy_codegen::Builder::new()
        .model("../model")
        .model("model")
        .client(true)
        .server(true)
        .stub(true)
        .serde(true)
        .compile(out)?;
    Ok(())
}
