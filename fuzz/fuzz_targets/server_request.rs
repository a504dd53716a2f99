//! `integration_tests::fuzz::server_request` under libFuzzer (`cargo xtask fuzz server_request`).

#![no_main]

libfuzzer_sys::fuzz_target!(
    init: smithy_fuzz::write_seeds("server_request"),
    |data: &[u8]| integration_tests::fuzz::server_request(data)
);
