// Generates the service's client and server into OUT_DIR; src/main.rs includes them.
fn main() -> Result<(), Box<dyn std::error::Error>> {
    smithy_codegen::Builder::new()
        .model("model")
        .client(true)
        .server(true)
        .compile(std::env::var("OUT_DIR")?)?;
    Ok(())
}
