//! Property tests: sign-then-verify round-trips, and any one-byte change is rejected.

use hookproof::{
    CentraliGeneration, Config, Detail, HmacSpec, MacAlgorithm, Provider, SignOptions, TagEncoding,
    Verifier,
};
use proptest::prelude::*;

const NOW: u64 = 1_763_900_000;

/// Every signing configuration whose signature covers the body.
fn mac_configs(secret: &str) -> Vec<(Verifier, SignOptions)> {
    let opts = SignOptions::at(NOW);
    let legacy = SignOptions::at(NOW).centrali_generation(CentraliGeneration::Legacy);
    let spec = |algorithm, encoding, prefix: Option<&str>| {
        let mut spec = HmacSpec::new("X-Sig", algorithm, encoding);
        spec.prefix = prefix.map(String::from);
        spec
    };
    let build = |c: Config| c.build().expect("valid config");
    vec![
        (
            build(Config::new(Provider::Centra).secret(secret)),
            opts.clone(),
        ),
        (
            build(Config::new(Provider::Centrali).secret(secret)),
            opts.clone(),
        ),
        (
            build(Config::new(Provider::Centrali).secret(secret)),
            legacy,
        ),
        // Pinned verifiers sign as their generation when the options do not say.
        (
            build(
                Config::new(Provider::Centrali)
                    .secret(secret)
                    .centrali_generation(CentraliGeneration::Legacy),
            ),
            opts.clone(),
        ),
        (
            build(
                Config::new(Provider::Centrali)
                    .secret(secret)
                    .centrali_generation(CentraliGeneration::Standard),
            ),
            opts.clone(),
        ),
        (
            build(Config::new(Provider::Extend).secret(secret)),
            opts.clone(),
        ),
        (
            build(Config::new(Provider::StandardWebhooks).secret(secret)),
            opts.clone(),
        ),
        (
            build(Config::new(Provider::ShopCtrl).secret(secret).hmac(spec(
                MacAlgorithm::HmacSha256,
                TagEncoding::Hex,
                Some("sha256="),
            ))),
            opts.clone(),
        ),
        (
            build(
                Config::new(Provider::ShopCtrl)
                    .secret(secret)
                    .basic_auth("user", "pass")
                    .hmac(spec(MacAlgorithm::HmacSha512, TagEncoding::Base64, None)),
            ),
            opts.clone(),
        ),
        (
            build(Config::new(Provider::ShopCtrl).secret(secret).hmac(spec(
                MacAlgorithm::HmacSha1,
                TagEncoding::Hex,
                None,
            ))),
            opts,
        ),
    ]
}

fn secret_strategy() -> impl Strategy<Value = String> {
    // Printable, possibly non-ASCII, no surrounding white space, never empty.
    "[a-zA-Z0-9_\\-!@#é✓]{1,48}"
}

/// Positions of a header value that hold signature characters (hex or base64 digits).
fn signature_positions(value: &str) -> Vec<usize> {
    let start = value
        .rfind([',', '='])
        .filter(|&i| value[i + 1..].len() >= 20)
        .map_or(0, |i| i + 1);
    (start..value.len())
        .filter(|&i| value.as_bytes()[i].is_ascii_alphanumeric())
        .collect()
}

proptest! {
    // Many cases: a disagreement needs a particular edit (an exponent pushed out of range, an
    // escape broken) in a particular member.
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn normalised_parse_agrees_with_full_parse(
        which in 0..SAMPLE_BODIES.len(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), prop::sample::select(EDIT_BYTES)), 0..4),
    ) {
        // Realistic bodies with a few bytes changed: the changes land in skipped members as
        // often as in kept ones, which is where the two parses could disagree.
        let (provider, body) = SAMPLE_BODIES[which];
        let mut body = body.as_bytes().to_vec();
        for (at, byte) in edits {
            let i = at.index(body.len());
            body[i] = byte;
        }
        let headers = [("x-centra-signature", "t=1700000000,v1=00")];
        let full = hookproof::parse(provider, &headers, &body);
        let normalised = hookproof::parse_normalised(provider, &headers, &body);
        match (full, normalised) {
            (Ok(mut f), Ok(n)) => {
                f.detail = hookproof::Detail::Omitted;
                prop_assert_eq!(f, n);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b),
            (a, b) => prop_assert!(false, "parse {:?}, parse_normalised {:?}", a.map(|_| ()), b.map(|_| ())),
        }
    }
}

/// Bodies whose parse builds a model, for comparing full and normalised-only parsing.
const SAMPLE_BODIES: &[(Provider, &str)] = &[
    (
        Provider::Extend,
        r#"{"Id":"a1","Attempt":1,"Properties":{"NotificationId":"n"},"Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"1","OrderType":"T","Balance":1.5e3,"AvailableBalance":1e100,"Warehouse":["W",{"n":1e100}],"Row":[1,{"a":null}],"X":"\u00e9"},"More":[true]},{"Action":"PickingStarted","Details":{"Order":{"OrderNumber":"2","Warehouse":"W"},"Row":{"Position":1}}},{"Action":"BalanceChanged","Details":{"ProductNumber":7,"Balance":-2,"EventName":"E"}}],"Z":{"k":[]}}"#,
    ),
    (
        Provider::Centra,
        r#"{"events":[{"type":"order","action":"update","date":"2021-01-29 14:40:58.628033","id":9007199254740993,"data":{"a":[1,2.5,"x",1e100]},"x":-1},{"type":"shipment","action":"create","date":null,"id":"12","y":{"z":"\n"}}],"other":[1]}"#,
    ),
    (
        Provider::Centra,
        r#"{"products":["1","2",3],"DisplayItems":[4],"note":{"a":1e5}}"#,
    ),
];

/// Bytes that change a JSON document's structure or types.
const EDIT_BYTES: &[u8] = b"{}[]\",:0123456789e-.tnfx \\u";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sign_then_verify(secret in secret_strategy(), body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        for (v, opts) in mac_configs(&secret) {
            let req = v.sign(&body, &opts).unwrap();
            let r = v.verify(&req.headers, &req.body, NOW);
            prop_assert!(r.is_ok(), "{:?} {:?}: {:?}", v.provider(), opts.centrali_generation, r);
        }
    }

    #[test]
    fn body_byte_change_rejected(
        secret in secret_strategy(),
        body in proptest::collection::vec(any::<u8>(), 1..512),
        pos in any::<prop::sample::Index>(),
        delta in 1u8..=255,
    ) {
        for (v, opts) in mac_configs(&secret) {
            let req = v.sign(&body, &opts).unwrap();
            let mut tampered = req.body.clone();
            let i = pos.index(tampered.len());
            tampered[i] = tampered[i].wrapping_add(delta);
            let r = v.verify(&req.headers, &tampered, NOW);
            prop_assert_eq!(r.map_err(|e| e.code()), Err("signature_mismatch"), "{:?}", v.provider());
        }
    }

    #[test]
    fn signature_byte_change_rejected(
        secret in secret_strategy(),
        body in proptest::collection::vec(any::<u8>(), 0..256),
        pos in any::<prop::sample::Index>(),
        replacement in "[0-9a-zA-Z+/]",
    ) {
        for (v, opts) in mac_configs(&secret) {
            let req = v.sign(&body, &opts).unwrap();
            // Find the header carrying the MAC: the last one whose value has signature digits.
            let (hi, positions) = req
                .headers
                .iter()
                .enumerate()
                .filter(|(_, (n, _))| !n.eq_ignore_ascii_case("content-type"))
                .map(|(i, (_, val))| (i, signature_positions(val)))
                .rfind(|(_, p)| p.len() >= 20)
                .expect("a signature header");
            let p = positions[pos.index(positions.len())];
            let mut headers = req.headers.clone();
            let old = headers[hi].1.as_bytes()[p] as char;
            let new = replacement.chars().next().unwrap();
            // Hex is case-insensitive by design: a case change is the same MAC.
            prop_assume!(!old.eq_ignore_ascii_case(&new));
            headers[hi].1.replace_range(p..=p, &new.to_string());
            // Standard Webhooks and Centrali 6.1 carry copies: tamper all of them alike.
            let tampered_value = headers[hi].1.clone();
            let original = req.headers[hi].1.clone();
            for h in headers.iter_mut() {
                if h.1 == original {
                    h.1 = tampered_value.clone();
                }
            }
            prop_assert!(v.verify(&headers, &req.body, NOW).is_err(), "{:?}", v.provider());
        }
    }

    /// Whatever `id` and `now` a caller passes, `sign` gives a request its verifier accepts,
    /// or refuses the options: it never gives one that can never verify.
    #[test]
    fn signed_or_refused(
        id in "[ \t\r\n\x00a-z_é]{0,6}",
        now in prop_oneof![0u64..4_000_000_000, 999_999_999_990u64..1_000_000_000_010],
    ) {
        for (v, mut opts) in mac_configs("s3cret") {
            opts.id = Some(id.clone());
            opts.now = now;
            match v.sign(b"{}", &opts) {
                Ok(req) => {
                    let r = v.verify(&req.headers, &req.body, now);
                    prop_assert!(r.is_ok(), "{:?} id {:?} now {}: {:?}", v.provider(), id, now, r);
                }
                Err(e) => prop_assert_eq!(e.code(), "invalid_option", "{:?} id {:?} now {}", v.provider(), id, now),
            }
        }
    }

    #[test]
    fn parse_never_panics(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        for &p in Provider::ALL {
            let _ = hookproof::parse(p, &[("x-event-type", "item.created")], &body);
        }
    }

    #[test]
    fn verify_never_panics(value in "\\PC{0,200}", body in proptest::collection::vec(any::<u8>(), 0..64)) {
        for &p in Provider::ALL {
            let mut c = Config::new(p).secret("s3cret");
            if p == Provider::ShopCtrl {
                c = c.basic_auth("u", "p").hmac(HmacSpec::new("x-sig", MacAlgorithm::HmacSha256, TagEncoding::Base64).prefix("sha256="));
            }
            let v = c.build().unwrap();
            for name in ["x-centra-signature", "webhook-signature", "webhook-timestamp", "ms-signature",
                         "x-centrali-signature", "authorization", "x-sig", "x-secret", "centrali-id"] {
                let headers = [(name, value.as_str()), ("webhook-id", "m"), ("webhook-timestamp", "1")];
                let _ = v.verify(&headers, &body, NOW);
            }
        }
    }
}

#[test]
fn orisha_and_basic_round_trip() {
    let v = Config::new(Provider::Orisha)
        .secret("sh4red")
        .build()
        .unwrap();
    let opts = SignOptions::at(NOW)
        .event_type("item.created")
        .administration_code("ADM01")
        .triggered_by_id("user-7");
    let req = v.sign(br#"{"ItemCode":"A"}"#, &opts).unwrap();
    let names: Vec<&str> = req.headers.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        names,
        [
            "content-type",
            "X-Event-Id",
            "X-Event-Type",
            "X-Administration-Code",
            "X-TriggeredBy-Id",
            "X-Secret"
        ]
    );
    v.verify(&req.headers, &req.body, NOW).unwrap();
    let event = v.parse(&req.headers, &req.body).unwrap();
    assert_eq!(event.resources[0].id, "A");
    let Detail::Orisha(d) = &event.detail else {
        panic!("not an Orisha event")
    };
    assert_eq!(d.administration_code.as_deref(), Some("ADM01"));
    assert_eq!(d.triggered_by_id.as_deref(), Some("user-7"));

    let v = Config::new(Provider::ShopCtrl)
        .basic_auth("user", "pässword")
        .build()
        .unwrap();
    let req = v.sign(b"{}", &SignOptions::at(NOW)).unwrap();
    v.verify(&req.headers, &req.body, NOW).unwrap();
}

/// Every way of sending each Standard Webhooks header under its own name, Svix's, both or
/// neither: the first header (in id, timestamp, signature order) sent by neither is missing,
/// one whose copies differ is malformed, and otherwise the request verifies and parses with
/// the id it was signed with. The same holds for Centrali 6.1's `Centrali-*` copies.
#[test]
fn copies_of_the_standard_webhooks_headers_in_every_combination() {
    #[derive(Clone, Copy, PartialEq)]
    enum Sent {
        Neither,
        Own,
        Copy,
        Both,
        Differing,
    }
    const ALL: [Sent; 5] = [
        Sent::Neither,
        Sent::Own,
        Sent::Copy,
        Sent::Both,
        Sent::Differing,
    ];
    let own = ["webhook-id", "webhook-timestamp", "webhook-signature"];
    for (provider, copies) in [
        (
            Provider::StandardWebhooks,
            ["SVIX-ID", "Svix-Timestamp", "svix-signature"],
        ),
        (
            Provider::Centrali,
            ["Centrali-Id", "centrali-timestamp", "CENTRALI-SIGNATURE"],
        ),
    ] {
        let v = Config::new(provider)
            .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .build()
            .unwrap();
        let opts = SignOptions::at(NOW).id("msg_1");
        let signed = v.sign(b"{}", &opts).unwrap();
        let value = |name: &str| {
            signed
                .headers
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let values = own.map(value);
        for a in ALL {
            for b in ALL {
                for c in ALL {
                    let sent = [a, b, c];
                    let mut headers: Vec<(String, String)> = Vec::new();
                    for i in 0..3 {
                        let (o, cp, val) = (own[i], copies[i], &values[i]);
                        match sent[i] {
                            Sent::Neither => {}
                            Sent::Own => headers.push((o.into(), val.clone())),
                            Sent::Copy => headers.push((cp.into(), val.clone())),
                            Sent::Both => {
                                headers.push((cp.into(), val.clone()));
                                headers.push((o.into(), val.clone()));
                            }
                            Sent::Differing => {
                                headers.push((o.into(), val.clone()));
                                headers.push((cp.into(), format!("{val}0")));
                            }
                        }
                    }
                    let want = sent.iter().find_map(|s| match s {
                        Sent::Neither => Some("missing_header"),
                        Sent::Differing => Some("malformed_header"),
                        _ => None,
                    });
                    let got = v.verify_and_parse(&headers, b"{}", NOW);
                    match (want, got) {
                        (None, Ok((_, event))) => {
                            assert_eq!(event.idempotency_key.as_deref(), Some("msg_1"));
                            assert_eq!(event.timestamp, Some(NOW));
                        }
                        (Some(code), Err(e)) => {
                            assert_eq!(e.code(), code, "{headers:?}");
                            // Named as the request names the others: by the copy's name when
                            // it carries copies alone, else by the scheme's own. (An unpinned
                            // Centrali verifier first tells the generation by the headers, and
                            // without an id or signature of either set asks for the signature.)
                            let told = provider == Provider::StandardWebhooks
                                || sent[0] != Sent::Neither
                                || sent[2] != Sent::Neither;
                            if code == "missing_header" && told {
                                let i = sent.iter().position(|s| *s == Sent::Neither).unwrap();
                                let copies_alone = sent.contains(&Sent::Copy)
                                    && sent.iter().all(|s| matches!(s, Sent::Neither | Sent::Copy));
                                let name = if copies_alone {
                                    copies[i].to_ascii_lowercase()
                                } else {
                                    own[i].to_string()
                                };
                                let message = e.to_string();
                                assert!(
                                    message.contains(&format!("`{name}`")),
                                    "{headers:?}: {message}"
                                );
                            }
                        }
                        (want, got) => panic!("{headers:?}: want {want:?}, got {got:?}"),
                    }
                }
            }
        }
    }
}

#[test]
fn a_pinned_centrali_verifier_holds_and_signs_one_generation() {
    let config = Config::new(Provider::Centrali).secret("s");
    assert_eq!(config.clone().build().unwrap().mac_keys().len(), 2);
    for (g, other) in [
        (CentraliGeneration::Legacy, CentraliGeneration::Standard),
        (CentraliGeneration::Standard, CentraliGeneration::Legacy),
    ] {
        let v = config.clone().centrali_generation(g).build().unwrap();
        assert_eq!(v.centrali_generation(), Some(g));
        // Only this generation's key, so WebCrypto imports one key per secret.
        assert_eq!(v.mac_keys().len(), 1);
        let asked = |g| SignOptions::at(NOW).centrali_generation(g);
        let e = v.sign(b"{}", &asked(other)).unwrap_err();
        assert_eq!(e.code(), "invalid_option");
        assert_eq!(
            v.sign(b"{}", &asked(g)).unwrap(),
            v.sign(b"{}", &SignOptions::at(NOW)).unwrap()
        );
    }
    assert!(format!("{config:?}").contains("centrali_generation: None"));
    assert_eq!(
        CentraliGeneration::from_option(Some(" Legacy ")).unwrap(),
        Some(CentraliGeneration::Legacy)
    );
    assert_eq!(CentraliGeneration::from_option(None).unwrap(), None);
    let e = CentraliGeneration::from_option(Some("6.0")).unwrap_err();
    assert_eq!(e.code(), "invalid_option");
}

#[test]
fn debug_output_never_shows_secrets() {
    let secret = "super-secret-value-123";
    let config = Config::new(Provider::ShopCtrl)
        .secret(secret)
        .basic_auth("user", secret)
        .hmac(HmacSpec::new(
            "x-sig",
            MacAlgorithm::HmacSha256,
            TagEncoding::Hex,
        ));
    let text = format!("{config:?}");
    assert!(!text.contains(secret), "{text}");
    let v = config.build().unwrap();
    let text = format!("{v:?} {:?}", v.mac_keys());
    assert!(!text.contains(secret), "{text}");
    let req = v.sign(b"{}", &SignOptions::at(NOW)).unwrap();
    let p = v.prepare(&req.headers, &req.body, NOW).unwrap();
    assert!(!format!("{p:?}").contains(secret));
}

#[test]
fn signed_request_debug_shows_no_credential_or_signature() {
    use base64::Engine;
    let secret = "super-secret-value-123";
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("user:{secret}"));
    for &provider in Provider::ALL {
        let mut config = Config::new(provider).secret(secret);
        if provider == Provider::ShopCtrl {
            config = config.basic_auth("user", secret).hmac(HmacSpec::new(
                "x-sig",
                MacAlgorithm::HmacSha256,
                TagEncoding::Hex,
            ));
        }
        let v = config.build().unwrap();
        let opts = SignOptions::at(NOW).event_type("item.created");
        let req = v.sign(br#"{"event":"record.created"}"#, &opts).unwrap();
        let text = format!("{req:?}");
        assert!(!text.contains(secret) && !text.contains(&basic), "{text}");
        for (name, value) in &req.headers {
            // Every MAC or credential header ends in the MAC or the credential: hidden.
            let lower = name.to_ascii_lowercase();
            if lower.contains("signature") || lower == "x-sig" || lower == "authorization" {
                let tail = &value[value.len() - 16..];
                assert!(!text.contains(tail), "{name} shown: {text}");
            }
        }
        assert!(text.contains("content-type"), "{text}");
    }
}

#[test]
fn split_mac_path_matches_verify() {
    // What the wasm binding does with WebCrypto: prepare, MAC elsewhere, finish.
    use hmac::{Hmac, KeyInit, Mac};
    let v = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .secret("whsec_b2xkLWtleQ")
        .build()
        .unwrap();
    let body = br#"{"type":"x"}"#;
    let req = v.sign(body, &SignOptions::at(NOW)).unwrap();
    let p = v.prepare(&req.headers, &req.body, NOW).unwrap();
    let macs: Vec<Vec<u8>> = p
        .mac_keys()
        .map(|i| {
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(v.mac_keys()[i].key_bytes()).unwrap();
            m.update(p.mac_prefix());
            m.update(&req.body);
            m.finalize().into_bytes().to_vec()
        })
        .collect();
    assert_eq!(v.finish(&p, &macs).unwrap().secret_index, 0);
    let mut wrong = macs.clone();
    wrong[0][0] ^= 1;
    assert_eq!(
        v.finish(&p, &wrong).unwrap_err().code(),
        "signature_mismatch"
    );
    assert_eq!(
        v.finish(&p, &macs[..1]).unwrap_err().code(),
        "invalid_option"
    );
    let short: Vec<Vec<u8>> = macs.iter().map(|m| m[..31].to_vec()).collect();
    assert_eq!(v.finish(&p, &short).unwrap_err().code(), "invalid_option");
}

#[test]
fn finish_refuses_a_check_prepared_by_another_verifier() {
    // ShopCtrl with an HMAC only, and with Basic credentials as well: a check prepared by the
    // first must not let the second skip its credentials.
    let spec = HmacSpec::new("X-Sig", MacAlgorithm::HmacSha256, TagEncoding::Hex);
    let hmac_only = Config::new(Provider::ShopCtrl)
        .secret("s3cret")
        .hmac(spec.clone())
        .build()
        .unwrap();
    let both = Config::new(Provider::ShopCtrl)
        .secret("s3cret")
        .hmac(spec)
        .basic_auth("user", "pass")
        .build()
        .unwrap();
    let orisha = Config::new(Provider::Orisha)
        .secret("s3cret")
        .build()
        .unwrap();
    let req = hmac_only.sign(b"{}", &SignOptions::at(NOW)).unwrap();
    let p = hmac_only.prepare(&req.headers, &req.body, NOW).unwrap();
    let macs: Vec<Vec<u8>> = p
        .mac_keys()
        .map(|i| {
            let key = hmac_only.mac_keys()[i].key_bytes();
            let mut m = <hmac::Hmac<sha2::Sha256> as hmac::KeyInit>::new_from_slice(key).unwrap();
            hmac::Mac::update(&mut m, p.mac_prefix());
            hmac::Mac::update(&mut m, &req.body);
            hmac::Mac::finalize(m).into_bytes().to_vec()
        })
        .collect();
    assert!(hmac_only.finish(&p, &macs).is_ok());
    for other in [&both, &orisha] {
        let e = other.finish(&p, &macs).unwrap_err();
        assert_eq!(e.code(), "invalid_option", "{e}");
    }
    // And the other way: an Orisha check (a credential, no MAC) on the HMAC-only verifier.
    let event = SignOptions::at(NOW).event_type("item.created");
    let sent = orisha.sign(b"{}", &event).unwrap();
    let p = orisha.prepare(&sent.headers, &sent.body, NOW).unwrap();
    assert!(orisha.finish(&p, &[] as &[&[u8]]).is_ok());
    let e = hmac_only.finish(&p, &[] as &[&[u8]]).unwrap_err();
    assert_eq!(e.code(), "invalid_option", "{e}");
}

#[test]
fn extend_echo() {
    assert_eq!(
        hookproof::extend_echo_response("/hook?echo=abc%20d&x=1").as_deref(),
        Some("abc d")
    );
    assert_eq!(hookproof::extend_echo_response("https://x/y?z=1"), None);
}

#[test]
fn a_legacy_centrali_body_re_sent_as_6_1_passes_verify_alone_never_the_parse() {
    use base64::Engine as _;
    // A secret without `whsec_` is the same key bytes in both generations. A legacy body that
    // holds `.<digits>.` (text a record may carry) splits into a 6.1 id, timestamp and body
    // whose signed content is that legacy body; pinning `standard` cannot tell (the headers
    // are 6.1's). What is left of the body starts inside a JSON string, so it never parses:
    // what core/README.md says (`verify_and_parse` and every helper refuse it).
    let body = br#"{"event":"record.created","workspace":"w","data":{"structure":"notes","recordId":"r1","record":{"note":"v.1763900000.2"}}}"#;
    let config = Config::new(Provider::Centrali).secret("s");
    let legacy = config
        .clone()
        .centrali_generation(CentraliGeneration::Legacy);
    let signed = legacy
        .build()
        .unwrap()
        .sign(body, &SignOptions::at(NOW))
        .unwrap();
    let hex = signed
        .headers
        .iter()
        .find(|(n, _)| n == "X-Centrali-Signature")
        .unwrap()
        .1
        .clone();
    let hex = hex.strip_prefix("sha256=").unwrap();
    let mac: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    let cut = b".1763900000.";
    let at = body.windows(cut.len()).position(|w| w == cut).unwrap();
    let id = core::str::from_utf8(&body[..at]).unwrap();
    let rest = &body[at + cut.len()..];
    let signature = format!(
        "v1,{}",
        base64::engine::general_purpose::STANDARD.encode(&mac)
    );
    let headers = [
        ("webhook-id", id),
        ("webhook-timestamp", "1763900000"),
        ("webhook-signature", &signature),
    ];
    for generation in [None, Some(CentraliGeneration::Standard)] {
        let mut pinned = config.clone();
        pinned.centrali_generation = generation;
        let v = pinned.build().unwrap();
        assert!(v.verify(&headers, rest, NOW).is_ok(), "{generation:?}");
        let e = v.verify_and_parse(&headers, rest, NOW).unwrap_err();
        assert_eq!(e.code(), "invalid_payload", "{generation:?}: {e}");
    }
}
