//! Any text must parse to `Ok` or `Err` (which must render), never panic or hang.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let path = std::path::Path::new("fuzz.smithy");
        if let Err(diagnostics) = smithy_codegen::idl::parse_to_json_ast(path, text) {
            let _ = diagnostics.to_string();
        }
    }
});
