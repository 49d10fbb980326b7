#![no_main]
//! Fuzzes the Centra payload parser with arbitrary bodies.
use libfuzzer_sys::fuzz_target;
#[path = "../common/agree.rs"]
mod agree;
use hookproof::Provider;

fuzz_target!(|body: &[u8]| {
    let headers = [
        ("X-Event-Type", "customer.address.updated"),
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", "1700000000"),
        ("Centrali-Event-Type", "record_created"),
        ("X-Centra-Signature", "t=1700000000,v1=00"),
    ];
    agree::check(Provider::Centra, &headers, body);
});
