//! `verify_now` (feature `std`): the one convenience that reads the system clock.
#![cfg(feature = "std")]

use hookproof::{unix_now, Config, Provider, SignOptions};

#[test]
fn verify_now_checks_against_the_system_clock() {
    let v = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    let now = unix_now();
    // Any date this code runs on is well after 2025-11 (1_763_900_000).
    assert!(now > 1_763_900_000, "{now}");
    let fresh = v.sign(b"{}", &SignOptions::at(now)).unwrap();
    let verified = v.verify_now(&fresh.headers, &fresh.body).unwrap();
    assert!(verified.timestamp.is_some_and(|t| t == now));
    // An hour old by the clock, so outside the default 300 s.
    let stale = v.sign(b"{}", &SignOptions::at(now - 3600)).unwrap();
    let err = v.verify_now(&stale.headers, &stale.body).unwrap_err();
    assert_eq!(err.code(), "timestamp_too_old");
}
