#![no_main]
//! Fuzzes the ShopCtrl header parsing and verification: the first line of the input is the
//! header value, the rest the body.
use hookproof::{Config, HmacSpec, MacAlgorithm, Provider, TagEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == b'\n').unwrap_or(data.len());
    let (head, body) = data.split_at(split);
    let Ok(value) = core::str::from_utf8(head) else {
        return;
    };
    let verifier = Config::new(Provider::ShopCtrl)
        .secret("s3cret")
        .basic_auth("user", "pass")
        .hmac(
            HmacSpec::new("x-sig", MacAlgorithm::HmacSha256, TagEncoding::Base64).prefix("sha256="),
        )
        .build()
        .unwrap();
    let headers = [("Authorization", value), ("X-Sig", value)];
    let _ = verifier.verify(&headers, body, 1_700_000_000);
    let _ = verifier.prepare(&headers, body, 1_700_000_000);
});
