//! What error messages tell the user: the advice must fit the check that failed.

use hookproof::{Config, Provider, SignOptions};

const NOW: u64 = 1_763_900_000;

fn message<K: AsRef<str>, V: AsRef<str>>(
    config: Config,
    headers: &[(K, V)],
    body: &[u8],
    now: u64,
) -> (String, String) {
    let err = config
        .build()
        .unwrap()
        .verify(headers, body, now)
        .unwrap_err();
    (String::from(err.code()), err.to_string())
}

#[test]
fn a_credential_mismatch_does_not_blame_the_body() {
    let signed = Config::new(Provider::Orisha)
        .secret("right-3f9c")
        .build()
        .unwrap()
        .sign(b"{}", &SignOptions::at(NOW).event_type("item.created"))
        .unwrap();
    let (code, msg) = message(
        Config::new(Provider::Orisha).secret("wrong-7d2a"),
        &signed.headers,
        &signed.body,
        NOW,
    );
    assert_eq!(code, "signature_mismatch");
    assert!(
        msg.contains("credential matches no configured one"),
        "{msg}"
    );
    assert!(!msg.contains("raw request bytes"), "{msg}");
    assert!(!msg.contains("3f9c") && !msg.contains("7d2a"), "{msg}");
    // The advice names Orisha's credential, not ShopCtrl's.
    assert!(msg.contains("X-Secret") && !msg.contains("Basic"), "{msg}");

    // A MAC mismatch still does.
    let (_, msg) = message(
        Config::new(Provider::Extend).secret("s"),
        &[("ms-signature", "sha256=".to_owned() + &"AB".repeat(32))],
        b"{}",
        NOW,
    );
    assert!(msg.contains("pass the exact raw request bytes"), "{msg}");
}

#[test]
fn now_in_milliseconds_is_named_where_it_lands() {
    let v =
        Config::new(Provider::StandardWebhooks).secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    let signed = v
        .clone()
        .build()
        .unwrap()
        .sign(b"{}", &SignOptions::at(NOW))
        .unwrap();
    // `now` in ms makes the signed time look decades old.
    let (code, msg) = message(v.clone(), &signed.headers, &signed.body, NOW * 1000);
    assert_eq!(code, "timestamp_too_old");
    assert!(msg.contains("`now` in ms"), "{msg}");
    let (code, msg) = message(v, &signed.headers, &signed.body, NOW - 3600);
    assert_eq!(code, "timestamp_in_future");
    assert!(!msg.contains("in ms"), "{msg}");
}

#[test]
fn a_whsec_secret_with_a_line_end_says_so() {
    let e = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n")
        .build()
        .unwrap_err();
    assert_eq!(e.code(), "invalid_secret");
    assert!(e.to_string().contains("trim the line end"), "{e}");
    let e = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8IL!")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("copy it again in full"), "{e}");
}

#[test]
fn sign_refuses_options_its_verifier_would_reject() {
    let v = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    let e = v.sign(b"{}", &SignOptions::at(NOW * 1000)).unwrap_err();
    assert_eq!(e.code(), "invalid_option");
    assert!(e.to_string().contains("looks like milliseconds"), "{e}");
    for id in [" m1", "m1 ", "", "m\r\nx: y"] {
        let opts = SignOptions::at(NOW).id(id);
        assert_eq!(
            v.sign(b"{}", &opts).unwrap_err().code(),
            "invalid_option",
            "{id:?}"
        );
    }
    let opts = SignOptions::at(999_999_999_999).id("msg_é 1");
    let req = v.sign(b"{}", &opts).unwrap();
    assert!(v.verify(&req.headers, &req.body, 999_999_999_999).is_ok());
}

#[test]
fn another_providers_header_is_named_with_its_sender() {
    let (_, msg) = message(
        Config::new(Provider::Extend).secret("s"),
        &[("X-Secret", "s"), ("X-Event-Type", "item.created")],
        b"{}",
        NOW,
    );
    assert!(msg.contains("which Orisha Commerce Portal sends"), "{msg}");
}

#[test]
fn centrali_errors_name_the_header_the_signature_came_from() {
    for (header, value, want_code, named) in [
        ("X-Signature", "md5=00", "malformed_header", "`x-signature`"),
        (
            "X-Centrali-Signature",
            "sha256=zz",
            "bad_encoding",
            "`x-centrali-signature`",
        ),
    ] {
        let (code, msg) = message(
            Config::new(Provider::Centrali).secret("s"),
            &[(header, value)],
            b"{}",
            NOW,
        );
        assert_eq!(code, want_code, "{msg}");
        assert!(msg.contains(named), "{msg}");
    }
    // 6.1+: a value read from Centrali's own copy is named so, not as `webhook-*`.
    let (id, ts) = (
        ("Centrali-Id", "msg_1"),
        ("webhook-timestamp", "1763900000"),
    );
    for (sig, want_code, named) in [
        ("v1", "malformed_header", "`centrali-signature`"),
        ("v1,zz", "bad_encoding", "`centrali-signature`"),
    ] {
        let headers = [id, ts, ("Centrali-Signature", sig)];
        let (code, msg) = message(
            Config::new(Provider::Centrali).secret("s"),
            &headers,
            b"{}",
            NOW,
        );
        assert_eq!(code, want_code, "{msg}");
        assert!(msg.contains(named), "{msg}");
    }
    let headers = [("Centrali-Id", ""), ts, ("webhook-signature", "v1,AA==")];
    let (code, msg) = message(
        Config::new(Provider::Centrali).secret("s"),
        &headers,
        b"{}",
        NOW,
    );
    assert_eq!(code, "malformed_header", "{msg}");
    assert!(msg.contains("`centrali-id`"), "{msg}");
    let headers = [
        ("webhook-id", "m"),
        ("Centrali-Timestamp", "soon"),
        ("webhook-signature", "v1,AA=="),
    ];
    let (_, msg) = message(
        Config::new(Provider::Centrali).secret("s"),
        &headers,
        b"{}",
        NOW,
    );
    assert!(msg.contains("`centrali-timestamp`"), "{msg}");
    // Copies alone: a missing one is named as a copy too; with both, the spec's name.
    let centrali = || Config::new(Provider::Centrali).secret("s");
    let headers = [("Centrali-Id", "m"), ("Centrali-Signature", "v1,AA==")];
    let (code, msg) = message(centrali(), &headers, b"{}", NOW);
    assert_eq!(code, "missing_header", "{msg}");
    assert!(msg.contains("`centrali-timestamp`"), "{msg}");
    let headers = [
        ("webhook-id", "m"),
        ("Centrali-Id", "m"),
        ("Centrali-Signature", "v1,AA=="),
    ];
    let (_, msg) = message(centrali(), &headers, b"{}", NOW);
    assert!(msg.contains("`webhook-timestamp`"), "{msg}");
    let headers = [
        ("webhook-id", ""),
        ("Centrali-Id", ""),
        ts,
        ("webhook-signature", "v1,AA=="),
    ];
    let (_, msg) = message(centrali(), &headers, b"{}", NOW);
    assert!(msg.contains("`webhook-id`"), "{msg}");
}

#[test]
fn svix_header_errors_name_the_svix_header() {
    let standard = || Config::new(Provider::StandardWebhooks).secret("s");
    // Svix's names alone: a missing one is named as Svix's too; beside the spec's, the spec's.
    let headers = [("svix-id", "m"), ("svix-signature", "v1,AA==")];
    let (code, msg) = message(standard(), &headers, b"{}", NOW);
    assert_eq!(code, "missing_header", "{msg}");
    assert!(msg.contains("`svix-timestamp`"), "{msg}");
    let headers = [("webhook-id", "m"), ("svix-signature", "v1,AA==")];
    let (_, msg) = message(standard(), &headers, b"{}", NOW);
    assert!(msg.contains("`webhook-timestamp`"), "{msg}");
    let headers = [
        ("svix-id", "m"),
        ("svix-timestamp", "soon"),
        ("svix-signature", "v1,AA=="),
    ];
    let (code, msg) = message(standard(), &headers, b"{}", NOW);
    assert_eq!(code, "malformed_header", "{msg}");
    assert!(msg.contains("`svix-timestamp`"), "{msg}");
}

#[test]
fn a_white_space_secret_is_not_blamed_for_basic_credentials() {
    let spec = hookproof::HmacSpec::from_names("x-sig", Some("sha256"), Some("hex"), None).unwrap();
    let shopctrl = |user: &str| {
        Config::new(Provider::ShopCtrl)
            .secret(" hmac-secret")
            .basic_auth(user, "p")
            .hmac(spec.clone())
    };
    let signed = shopctrl("right")
        .build()
        .unwrap()
        .sign(b"{}", &SignOptions::at(NOW))
        .unwrap();
    let err = shopctrl("other")
        .build()
        .unwrap()
        .verify(&signed.headers, &signed.body, NOW)
        .unwrap_err();
    assert_eq!(
        err.hint().map(|h| h.code()),
        Some("credential_mismatch"),
        "{err}"
    );
    // The advice names ShopCtrl's credentials, not Orisha's.
    let msg = err.to_string();
    assert!(msg.contains("Basic") && !msg.contains("X-Secret"), "{msg}");
}

#[test]
fn an_hmac_in_the_basic_credentials_header_is_refused_when_built() {
    // Both would travel in Authorization: every request would be refused as a duplicate or
    // malformed header, its own signed ones included.
    for header in ["Authorization", " authorization"] {
        let spec =
            hookproof::HmacSpec::from_names(header, Some("sha256"), Some("hex"), None).unwrap();
        let Err(err) = Config::new(Provider::ShopCtrl)
            .secret("s")
            .basic_auth("u", "p")
            .hmac(spec.clone())
            .build()
        else {
            panic!("built with two Authorization values");
        };
        assert_eq!(err.code(), "invalid_option");
        assert!(err.to_string().contains("Basic credentials"), "{err}");
        // Without Basic credentials the header is free.
        let alone = Config::new(Provider::ShopCtrl)
            .secret("s")
            .hmac(spec)
            .build();
        let signed = alone
            .as_ref()
            .unwrap()
            .sign(b"{}", &SignOptions::at(NOW))
            .unwrap();
        assert!(alone
            .unwrap()
            .verify(&signed.headers, &signed.body, NOW)
            .is_ok());
    }
}

#[test]
fn a_lone_surrogate_escape_in_a_member_is_named() {
    let headers = [
        ("webhook-id", "msg_1"),
        ("webhook-timestamp", "1763900000"),
        ("webhook-signature", "v1,AAAA"),
    ];
    let body = br#"{"type":"a.b","timestamp":"2025-01-01T00:00:00Z","x":"\ud800","data":{}}"#;
    let err = hookproof::parse(Provider::StandardWebhooks, &headers, body).unwrap_err();
    assert_eq!(err.code(), "invalid_payload");
    assert!(err.to_string().contains("lone surrogate"), "{err}");
}

#[test]
fn reads_header_matches_names_as_lookups_do() {
    for name in [
        "x-centra-signature",
        "X-CENTRA-SIGNATURE",
        " Ms-Signature\t",
        "webhook-id",
    ] {
        assert!(hookproof::reads_header(name), "{name:?}");
    }
    // Not white space to HTTP or to the lookups (\v, NUL), a lookalike (Kelvin sign), others.
    for name in [
        "x-centra-signature\0",
        "\u{b}ms-signature",
        "webhoo\u{212a}-id",
        "host",
        "x-sig",
        "",
    ] {
        assert!(!hookproof::reads_header(name), "{name:?}");
    }
    // A ShopCtrl verifier also reads its configured HMAC header, as configured (trimmed).
    let spec =
        hookproof::HmacSpec::from_names(" X-Sig ", Some("sha1"), Some("base64"), None).unwrap();
    let v = Config::new(Provider::ShopCtrl)
        .secret("s")
        .hmac(spec)
        .build()
        .unwrap();
    assert!(v.reads_header("x-sig") && v.reads_header("X-SIG") && v.reads_header("authorization"));
    assert!(v.header_names().any(|n| n == "X-Sig"));
    let plain = Config::new(Provider::Centra).secret("s").build().unwrap();
    assert!(!plain.reads_header("x-sig"));
    assert!(plain
        .header_names()
        .eq(hookproof::HEADER_NAMES.iter().copied()));
}

#[test]
fn a_repeated_header_that_parsing_reads_is_refused() {
    // Orisha signs nothing but sends its idempotency key in `X-Event-Id`: a second copy must
    // not turn into "no key" after a successful verification.
    let orisha = Config::new(Provider::Orisha)
        .secret("s3cret")
        .build()
        .unwrap();
    let once = [
        ("X-Secret", "s3cret"),
        ("X-Event-Type", "item.created"),
        ("X-Event-Id", "e1"),
    ];
    let (_, event) = orisha.verify_and_parse(&once, b"{}", NOW).unwrap();
    assert_eq!(event.idempotency_key.as_deref(), Some("e1"));
    let mut twice = once.to_vec();
    twice.push(("x-event-id", "e2"));
    let e = orisha.verify_and_parse(&twice, b"{}", NOW).unwrap_err();
    assert_eq!(
        (e.code(), e.to_string().contains("`x-event-id`")),
        ("duplicate_header", true),
        "{e}"
    );

    // Parsing alone refuses what verifying would have refused.
    let centrali_body: &[u8] = br#"{"event":"record_created"}"#;
    type Case<'a> = (Provider, &'a [(&'a str, &'a str)], &'a [u8], &'a str);
    let cases: [Case; 4] = [
        (
            Provider::Centra,
            &[
                ("X-Centra-Signature", "t=1,v1=00"),
                ("X-Centra-Signature", "t=2,v1=00"),
            ],
            b"payload=%7B%7D",
            "duplicate_header",
        ),
        (
            Provider::StandardWebhooks,
            &[("webhook-id", "msg_1"), ("webhook-id", "msg_2")],
            br#"{"type":"x"}"#,
            "duplicate_header",
        ),
        (
            Provider::Centrali,
            &[
                ("webhook-id", "msg_1"),
                ("Centrali-Id", "msg_2"),
                ("webhook-signature", "v1,AAAA"),
            ],
            centrali_body,
            "malformed_header",
        ),
        (
            Provider::Centrali,
            &[
                ("webhook-signature", "v1,AAAA"),
                ("Centrali-Retry-Attempt", "1"),
                ("Centrali-Retry-Attempt", "2"),
            ],
            centrali_body,
            "duplicate_header",
        ),
    ];
    for (provider, headers, body, code) in cases {
        let e = hookproof::parse(provider, headers, body).unwrap_err();
        assert_eq!(e.code(), code, "{provider}: {e}");
    }
}

#[test]
fn parse_errors_fit_what_failed() {
    // Extend's own worked example verifies but is not JSON: the advice must not be to pass the
    // raw body again, which the caller already did.
    let body = b"{'test':'test2'}";
    let v = Config::new(Provider::Extend)
        .secret("secret123")
        .build()
        .unwrap();
    let headers = [(
        "ms-signature",
        "sha256=25FB6994568A75CD233E04BA1C653AF1BF476041CC543AF04F82CAAC482C201A",
    )];
    let e = v.verify_and_parse(&headers, body, NOW).unwrap_err();
    assert_eq!(e.code(), "invalid_payload");
    assert!(e.to_string().contains("`verify` alone accepts it"), "{e}");
    // A syntax error inside an Extend `Details` object is not "not an object".
    let body = br#"{"Notifications":[{"Action":"OrderCreated","Details":{"OrderNumber":"1",}}]}"#;
    let e = hookproof::parse(Provider::Extend, &[] as &[(&str, &str)], body).unwrap_err();
    assert!(e.to_string().contains("not a valid JSON object"), "{e}");
}

#[test]
fn a_legacy_request_to_a_standard_pinned_centrali_verifier_is_not_waved_through() {
    // Legacy headers alone at a 6.1+ endpoint look like a downgraded replay: the hint must not
    // suggest re-pinning to legacy.
    let (code, msg) = message(
        Config::new(Provider::Centrali)
            .secret("s")
            .centrali_generation(hookproof::CentraliGeneration::Standard),
        &[("X-Centrali-Signature", "sha256=00")],
        b"{}",
        NOW,
    );
    assert_eq!(code, "missing_header");
    assert!(
        msg.contains("forged or replayed") && !msg.contains("set `generation`"),
        "{msg}"
    );
}

#[test]
fn a_whsec_secret_given_without_its_prefix_is_named_only_when_it_signed() {
    use base64::Engine;
    use hookproof::CentraliGeneration as Gen;
    let b64 = |key: &[u8]| base64::engine::general_purpose::STANDARD.encode(key);
    let bare = b64(b"the sender's key, 24+ bytes");
    let whsec = format!("whsec_{bare}");
    // The hint of a mismatch: `signer` signs, a verifier with `secrets` checks.
    let hint = |provider: Provider, signer: &str, generation: Option<Gen>, secrets: &[&str]| {
        let mut sign = SignOptions::at(NOW);
        sign.centrali_generation = generation;
        let signed = Config::new(provider).secret(signer).build().unwrap();
        let signed = signed.sign(b"{\"type\":\"t\"}", &sign).unwrap();
        let mut config = Config::new(provider);
        for s in secrets {
            config = config.secret(*s);
        }
        let verifier = config.build().unwrap();
        let err = verifier
            .verify(&signed.headers, &signed.body, NOW)
            .unwrap_err();
        assert_eq!(err.code(), "signature_mismatch");
        // The WebCrypto split has no body to probe with.
        let p = verifier
            .prepare(&signed.headers, &signed.body, NOW)
            .unwrap();
        let macs: Vec<_> = verifier.mac_keys()[p.mac_keys()]
            .iter()
            .map(|k| {
                use hmac::{KeyInit, Mac, SimpleHmac};
                let mut m = SimpleHmac::<sha2::Sha256>::new_from_slice(k.key_bytes()).unwrap();
                m.update(p.mac_prefix());
                m.update(&signed.body);
                m.finalize().into_bytes().to_vec()
            })
            .collect();
        let split = verifier.finish(&p, &macs).unwrap_err();
        assert_ne!(split.hint().map(|h| h.code()), Some("secret_unprefixed"));
        err.hint().map(|h| h.code())
    };
    let (sw, centrali) = (Provider::StandardWebhooks, Provider::Centrali);
    assert_eq!(hint(sw, &whsec, None, &[&bare]), Some("secret_unprefixed"));
    // Certain, so it comes before the white-space guess, for any of the secrets.
    assert_eq!(
        hint(sw, &whsec, None, &["other\n", &bare]),
        Some("secret_unprefixed")
    );
    assert_eq!(
        hint(sw, &whsec, None, &["other\n"]),
        Some("secret_whitespace")
    );
    // A text secret that is base64 too, where the request was signed otherwise: the body hint.
    let hex = "0123456789abcdef0123456789abcdef";
    assert_eq!(hint(sw, &whsec, None, &[hex]), Some("body_reserialised"));
    // Centrali 6.1+ secrets are `whsec_` ones; legacy requests use the text, as sent.
    assert_eq!(
        hint(centrali, &whsec, Some(Gen::Standard), &[&bare]),
        Some("secret_unprefixed")
    );
    // A legacy request signed with the decoding as text: not probed.
    let text = "the sender's key, 24+ bytes";
    assert_eq!(b64(text.as_bytes()), bare);
    assert_eq!(
        hint(centrali, text, Some(Gen::Legacy), &[&bare]),
        Some("body_reserialised")
    );
}

#[test]
fn an_empty_body_is_named_by_verify_not_by_a_plan_made_without_the_body() {
    let v = Config::new(Provider::Extend).secret("s").build().unwrap();
    let headers = [("ms-signature", "sha256=".to_owned() + &"AB".repeat(32))];
    let e = v.verify(&headers, b"", NOW).unwrap_err();
    assert_eq!(e.hint().map(|h| h.code()), Some("body_empty"), "{e}");
    assert!(e.to_string().contains("the body is empty"), "{e}");
    // A caller that MACs the body itself prepares without it: no hint from the empty slice.
    let plan = v.prepare(&headers, b"", NOW).unwrap();
    let e = v.finish(&plan, &[[0u8; 32]]).unwrap_err();
    assert_eq!(e.hint(), None, "{e}");
}
