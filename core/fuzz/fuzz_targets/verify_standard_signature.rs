#![no_main]
//! Fuzzes the StandardWebhooks header parsing and verification: the first line of the input is the
//! header value, the rest the body.
use libfuzzer_sys::fuzz_target;
use hookproof::{Config, Provider};

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (head, body) = data.split_at(split);
    let Ok(value) = core::str::from_utf8(head) else { return };
    // The second secret, without `whsec_`, is probed after every mismatch (`secret_unprefixed`).
    let verifier = Config::new(Provider::StandardWebhooks).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .secret("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    let headers = [("webhook-id", "msg_1"), ("webhook-timestamp", "1700000000"), ("webhook-signature", value)];
    let _ = verifier.verify(&headers, body, 1_700_000_000);
    let _ = verifier.prepare(&headers, body, 1_700_000_000);
});
