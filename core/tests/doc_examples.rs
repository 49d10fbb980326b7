//! The providers' own published worked examples.

use hookproof::{Config, Provider};

#[test]
fn centra_doc_example() {
    let v = Config::new(Provider::Centra)
        .secret("test123")
        .build()
        .unwrap();
    let h = [(
        "X-Centra-Signature",
        "t=12345678,v1=0b9cd84f5d583e5e1aadfb9f160aa8080b51d5b85ff85808d6b75bdac356c549",
    )];
    let r = v
        .verify(&h, b"payload=%7B%22x%22%3A%22test%22%7D", 12345678)
        .unwrap();
    assert_eq!(r.timestamp, Some(12345678));
}

#[test]
fn extend_doc_example() {
    let v = Config::new(Provider::Extend)
        .secret("secret123")
        .build()
        .unwrap();
    let h = [(
        "ms-signature",
        "sha256=25FB6994568A75CD233E04BA1C653AF1BF476041CC543AF04F82CAAC482C201A",
    )];
    v.verify(&h, b"{'test':'test2'}", 0).unwrap();
}

#[test]
fn standard_webhooks_doc_example() {
    let v = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    let h = [
        ("webhook-id", "msg_p5jXN8AQM9LWM0D4loKWxJek"),
        ("webhook-timestamp", "1614265330"),
        (
            "webhook-signature",
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
        ),
    ];
    v.verify(&h, br#"{"test": 2432232314}"#, 1614265330)
        .unwrap();
}

/// A verifier is built once and shared across a server's threads (axum state, say); errors
/// and events cross threads and tasks too.
#[test]
fn shared_types_are_send_sync() {
    fn shared<T: Send + Sync + Clone + 'static>() {}
    shared::<hookproof::Verifier>();
    shared::<hookproof::Error>();
    shared::<hookproof::Event>();
    shared::<hookproof::Verified>();
}
