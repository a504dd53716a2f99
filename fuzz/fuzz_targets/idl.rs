//! `integration_tests::fuzz::idl` under libFuzzer (`cargo xtask fuzz idl`).

#![no_main]

libfuzzer_sys::fuzz_target!(
    init: smithy_fuzz::write_seeds("idl"),
    |data: &[u8]| integration_tests::fuzz::idl(data)
);
