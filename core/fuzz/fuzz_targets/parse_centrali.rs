#![no_main]
//! Fuzzes the Centrali payload parser with arbitrary bodies.
use libfuzzer_sys::fuzz_target;
use hookproof::{CentraliGeneration, Config, Provider};

fuzz_target!(|body: &[u8]| {
    let headers = [
        ("X-Event-Type", "customer.address.updated"),
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", "1700000000"),
        ("Centrali-Event-Type", "record_created"),
        ("X-Centra-Signature", "t=1700000000,v1=00"),
    ];
    if let Ok(event) = hookproof::parse(Provider::Centrali, &headers, body) {
        // Serialising the event (what every binding does) must not fail either.
        let _ = format!("{:?}", event);
    }
    // Legacy signs the body alone: a verifier pinned to it reads no header, so the 6.1
    // headers above change nothing.
    let legacy = Config::new(Provider::Centrali)
        .secret("s")
        .centrali_generation(CentraliGeneration::Legacy)
        .build()
        .unwrap();
    let bare = [("X-Centrali-Signature", "sha256=00")];
    assert_eq!(legacy.parse(&headers, body), legacy.parse(&bare, body));
});
