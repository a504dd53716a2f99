//! `integration_tests::fuzz::client_response` under libFuzzer (`cargo xtask fuzz client_response`).

#![no_main]

libfuzzer_sys::fuzz_target!(
    init: smithy_fuzz::write_seeds("client_response"),
    |data: &[u8]| integration_tests::fuzz::client_response(data)
);
