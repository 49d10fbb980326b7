#![no_main]
//! The SIMD form decoder (x86-64 with AVX2) must give exactly what the scalar one gives:
//! the same bytes, the same stopping point, the same verdict on broken escapes.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &[u8]| {
    assert!(hookproof::fuzz_form_decoders_agree(s));
});
