#![no_main]
//! Fuzzes the Centrali header parsing and verification: the first line of the input is the
//! header value, the rest the body.
use libfuzzer_sys::fuzz_target;
use hookproof::{Config, Provider};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (head, body) = data.split_at(split);
    let Ok(value) = core::str::from_utf8(head) else { return };
    let verifier = Config::new(Provider::Centrali).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    let headers = [("Centrali-Id", "evt_1"), ("Centrali-Timestamp", "1700000000"), ("Centrali-Signature", value)];
    let _ = verifier.verify(&headers, body, 1_700_000_000);
    let _ = verifier.prepare(&headers, body, 1_700_000_000);
});
