#![no_main]
//! Fuzzes the Centra payload parser with arbitrary bodies.
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
    let full = hookproof::parse(Provider::Centra, &headers, body);
    if let Ok(event) = &full {
        // Serialising the event (what every binding does) must not fail either.
        let _ = format!("{:?}", event);
    }
    // The normalised-only parse must refuse exactly what the full parse refuses and give the
    // same fields.
    let normalised = hookproof::parse_normalised(Provider::Centra, &headers, body);
    match (full, normalised) {
        (Ok(mut f), Ok(n)) => {
            f.detail = hookproof::Detail::Omitted;
            assert_eq!(f, n);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("parse ok: {}, parse_normalised ok: {}", a.is_ok(), b.is_ok()),
    }
});
