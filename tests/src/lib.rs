//! Integration tests over the generated crates live in `tests/tests/`.
