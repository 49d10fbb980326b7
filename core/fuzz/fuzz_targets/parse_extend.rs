#![no_main]
//! Fuzzes the Extend payload parser with arbitrary bodies.
use libfuzzer_sys::fuzz_target;
use hookproof::Provider;

fuzz_target!(|body: &[u8]| {
    let headers = [
        ("X-Event-Type", "customer.address.updated"),
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", "1700000000"),
        ("Centrali-Event-Type", "record_created"),
        ("X-Centra-Signature", "t=1700000000,v1=00"),
    ];
    if let Ok(event) = hookproof::parse(Provider::Extend, &headers, body) {
        // Serialising the event (what every binding does) must not fail either.
        let _ = format!("{:?}", event);
    }
});
