//! `integration_tests::fuzz::json_ast` under libFuzzer (`cargo xtask fuzz json_ast`).

#![no_main]

libfuzzer_sys::fuzz_target!(
    init: smithy_fuzz::write_seeds("json_ast"),
    |data: &[u8]| integration_tests::fuzz::json_ast(data)
);
