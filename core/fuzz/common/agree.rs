//! Shared by the payload fuzz targets whose provider has a normalised-only parse.
use hookproof::Provider;

/// The normalised-only parse must refuse exactly what the full parse refuses, with the same
/// error, and otherwise give the same event without the provider model.
pub fn check(provider: Provider, headers: &[(&str, &str)], body: &[u8]) {
    let full = hookproof::parse(provider, headers, body);
    if let Ok(event) = &full {
        // Serialising the event (what every binding does) must not fail either.
        let _ = format!("{:?}", event);
    }
    let normalised = hookproof::parse_normalised(provider, headers, body);
    match (full, normalised) {
        (Ok(mut f), Ok(n)) => {
            f.detail = hookproof::Detail::Omitted;
            assert_eq!(f, n);
        }
        (Err(a), Err(b)) => assert_eq!(a, b),
        (a, b) => panic!("parse ok: {}, parse_normalised ok: {}", a.is_ok(), b.is_ok()),
    }
}
