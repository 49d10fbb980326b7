//! Runs every case of `tests/vectors/*.json` (the files every binding's tests share).

use std::path::PathBuf;

use base64::Engine;
use hookproof::{CentraliGeneration, Config, Error, HmacSpec, Provider, Verifier, HEADER_NAMES};
use serde_json::Value;

fn vector_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("tests/vectors exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// The verifier options as the bindings take them; a bad option name fails like a binding's.
fn config(provider: Provider, c: &Value) -> Result<Config, Error> {
    let mut cfg = Config::new(provider);
    if let Some(secrets) = c.get("secrets").and_then(Value::as_array) {
        cfg.secrets = secrets
            .iter()
            .map(|s| s.as_str().unwrap().to_owned())
            .collect();
    }
    match c.get("tolerance") {
        Some(Value::Bool(false)) => cfg.tolerance = None,
        Some(Value::Number(n)) => cfg.tolerance = n.as_u64(),
        None => {}
        Some(other) => panic!("bad tolerance {other}"),
    }
    if let (Some(u), Some(p)) = (c.get("username"), c.get("password")) {
        cfg.basic_auth = Some((u.as_str().unwrap().into(), p.as_str().unwrap().into()));
    }
    if let Some(h) = c.get("hmac") {
        let text = |k: &str| h.get(k).and_then(Value::as_str);
        cfg.hmac = Some(HmacSpec::from_names(
            text("header").unwrap(),
            text("algorithm"),
            text("encoding"),
            text("prefix").map(String::from),
        )?);
    }
    cfg.centrali_generation =
        CentraliGeneration::from_option(c.get("generation").map(|g| g.as_str().unwrap()))?;
    Ok(cfg)
}

/// `expected` is a subset of `actual` (see tests/vectors/README.md).
fn subset(expected: &Value, actual: Option<&Value>, path: &str) -> Result<(), String> {
    match (expected, actual) {
        (Value::Null, None | Some(Value::Null)) => Ok(()),
        (Value::Object(e), Some(Value::Object(a))) => e
            .iter()
            .try_for_each(|(k, v)| subset(v, a.get(k), &format!("{path}.{k}"))),
        (Value::Array(e), Some(Value::Array(a))) if e.len() == a.len() => e
            .iter()
            .zip(a)
            .enumerate()
            .try_for_each(|(i, (x, y))| subset(x, Some(y), &format!("{path}[{i}]"))),
        (e, Some(a)) if e == a => Ok(()),
        (e, a) => Err(format!("{path}: expected {e}, got {a:?}")),
    }
}

fn run_case(provider: Provider, case: &Value) -> Result<(), String> {
    let expect = &case["expect"];
    let built = config(provider, &case["config"]).and_then(Verifier::new);
    if let Some(code) = expect.get("config_error") {
        return match built {
            Err(e) if e.code() == code => Ok(()),
            Err(e) => Err(format!("config error {} instead of {code}", e.code())),
            Ok(_) => Err(format!("config accepted, expected {code}")),
        };
    }
    let verifier = built.map_err(|e| format!("config refused: {e}"))?;
    let headers: Vec<(String, String)> = case["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect();
    let body = match case.get("body_base64") {
        Some(b) => base64::engine::general_purpose::STANDARD
            .decode(b.as_str().unwrap())
            .unwrap(),
        None => case["body"].as_str().unwrap().as_bytes().to_vec(),
    };
    let now = case["now"].as_u64().unwrap();
    let result = verifier.verify(&headers, &body, now);
    match (result, expect.get("error")) {
        (Ok(v), None) => {
            if let Some(i) = expect.get("secret_index") {
                subset(i, Some(&Value::from(v.secret_index)), "secret_index")?;
            }
            if let Some(t) = expect.get("timestamp") {
                subset(t, v.timestamp.map(Value::from).as_ref(), "timestamp")?;
            }
        }
        (Ok(_), Some(code)) => return Err(format!("verified, expected {code}")),
        (Err(e), None) => return Err(format!("expected ok, got {} ({e})", e.code())),
        (Err(e), Some(code)) => {
            if e.code() != code {
                return Err(format!("expected {code}, got {} ({e})", e.code()));
            }
            // No `hint` in the case: no hint expected.
            let want = expect.get("hint").and_then(Value::as_str);
            let got = e.hint().map(|h| h.code());
            if got != want {
                return Err(format!("expected hint {want:?}, got {got:?}"));
            }
            // Nothing secret leaks into messages.
            let text = format!("{e} {e:?}");
            for s in case["config"]["secrets"].as_array().into_iter().flatten() {
                let s = s.as_str().unwrap().trim();
                if s.len() >= 4 && text.contains(s) {
                    return Err("error text contains a secret".into());
                }
            }
        }
    }
    // Only the headers a scheme reads matter (the JS and Python bindings pass no others): the
    // case's headers as sent, and with names in other spellings the lookups accept, among
    // headers of other names.
    let respelt: Vec<(String, String)> = [("Host", "example.com"), ("X-Sigs", "v")]
        .into_iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .chain(headers.iter().enumerate().map(|(i, (n, v))| {
            let n = match i % 3 {
                0 => n.to_ascii_uppercase(),
                1 => format!(" {}\t", n.to_ascii_lowercase()),
                _ => n.clone(),
            };
            (n, v.clone())
        }))
        .chain([("x-forwarded-for".to_string(), "10.0.0.1".to_string())])
        .collect();
    for all in [&headers, &respelt] {
        let read: Vec<_> = all
            .iter()
            .filter(|(n, _)| verifier.reads_header(n))
            .cloned()
            .collect();
        if verifier.verify_and_parse(&read, &body, now)
            != verifier.verify_and_parse(all, &body, now)
        {
            return Err("verify_and_parse depends on a header reads_header leaves out".into());
        }
        let read: Vec<_> = all
            .iter()
            .filter(|(n, _)| hookproof::reads_header(n))
            .cloned()
            .collect();
        if hookproof::parse(provider, &read, &body) != hookproof::parse(provider, all, &body) {
            return Err("parse depends on a header reads_header leaves out".into());
        }
        // Cut down to the scheme's own headers (and a configured HMAC header, listed after
        // HEADER_NAMES), as a binding may read them: the same result, except that a
        // missing_header (of the same header) may lack its hint.
        let own_names: Vec<&str> = provider
            .header_names()
            .iter()
            .copied()
            .chain(verifier.header_names().skip(HEADER_NAMES.len()))
            .collect();
        let own: Vec<_> = all
            .iter()
            .filter(|(n, _)| {
                let n = n.trim_ascii();
                own_names
                    .iter()
                    .any(|o| n.eq_ignore_ascii_case(o.trim_ascii()))
            })
            .cloned()
            .collect();
        let (cut, whole) = (
            verifier.verify_and_parse(&own, &body, now),
            verifier.verify_and_parse(all, &body, now),
        );
        if cut != whole
            && (missing(cut.as_ref().err()).is_none()
                || missing(cut.as_ref().err()) != missing(whole.as_ref().err()))
        {
            return Err(format!(
                "verify_and_parse depends on a header Provider::header_names leaves out: \
                 {cut:?} with them, {whole:?} with all"
            ));
        }
        let (cut, whole) = (verifier.parse(&own, &body), verifier.parse(all, &body));
        if cut != whole
            && (missing(cut.as_ref().err()).is_none()
                || missing(cut.as_ref().err()) != missing(whole.as_ref().err()))
        {
            return Err("parse depends on a header Provider::header_names leaves out".into());
        }
    }
    // The MAC plan and every error come from the headers alone (the wasm binding's async path
    // prepares without the body).
    match (
        verifier.prepare(&headers, &body, now),
        verifier.prepare(&headers, b"", now),
    ) {
        (Ok(a), Ok(b))
            if a.mac_keys() == b.mac_keys()
                && a.mac_prefix() == b.mac_prefix()
                && a.timestamp() == b.timestamp() => {}
        (Err(a), Err(b)) if a == b => {}
        _ => return Err("prepare depends on the body".into()),
    }
    // The normalised-only parse refuses what the full parse refuses, with the same error, and
    // otherwise gives the same event without the provider model.
    match (
        hookproof::parse(provider, &headers, &body),
        hookproof::parse_normalised(provider, &headers, &body),
    ) {
        (Ok(mut full), Ok(normalised)) => {
            full.detail = hookproof::Detail::Omitted;
            if full != normalised {
                return Err("parse_normalised differs from parse".into());
            }
        }
        (Err(a), Err(b)) if a == b => {}
        (a, b) => {
            return Err(format!(
                "parse gave {:?}, parse_normalised {:?}",
                a.map(|_| ()),
                b.map(|_| ())
            ))
        }
    }
    if let Some(parsed) = case.get("parsed") {
        let (_, event) = verifier
            .verify_and_parse(&headers, &body, now)
            .map_err(|e| format!("verify_and_parse: {e}"))?;
        let actual = serde_json::to_value(&event).unwrap();
        subset(parsed, Some(&actual), "parsed")?;
        // Bindings that build objects lazily parse `raw` again: it must give the same event.
        let again = verifier
            .parse_raw(&headers, &event.raw)
            .map_err(|e| format!("parse_raw: {e}"))?;
        if again != event {
            return Err("parse_raw(raw) differs from the parsed event".into());
        }
        // Parsing alone reads the request as verifying and parsing does.
        if verifier.parse(&headers, &body).ok().as_ref() != Some(&event) {
            return Err("Verifier::parse differs from verify_and_parse".into());
        }
    }
    Ok(())
}

#[test]
fn every_vector() {
    let mut failures = Vec::new();
    let mut count = 0;
    for file in vector_files() {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        let provider: Provider = doc["provider"].as_str().unwrap().parse().unwrap();
        for case in doc["cases"].as_array().unwrap() {
            count += 1;
            if let Err(msg) = run_case(provider, case) {
                failures.push(format!("{provider} / {}: {msg}", case["name"]));
            }
        }
    }
    assert!(count >= 100, "only {count} vectors found");
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_header_a_scheme_reads_is_its_providers_or_a_hint() {
    use std::collections::BTreeSet;
    let own: BTreeSet<&str> = Provider::ALL
        .iter()
        .flat_map(|p| p.header_names().iter().copied())
        .collect();
    let all: BTreeSet<&str> = HEADER_NAMES.iter().copied().collect();
    assert_eq!(own, all);
}

/// The header a `missing_header` error names.
fn missing(e: Option<&Error>) -> Option<String> {
    match e {
        Some(Error::MissingHeader { header, .. }) => Some(header.to_string()),
        _ => None,
    }
}
