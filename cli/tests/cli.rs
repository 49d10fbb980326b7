//! Drives the `hookproof` binary: every shared vector as a raw capture, captures in several
//! real-world formats, `sign`, `send` against a local receiver, and `diagnose`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use assert_cmd::Command;
use base64::Engine;
use hookproof::{
    CentraliGeneration, Config, HmacSpec, MacAlgorithm, Provider, SignOptions, TagEncoding,
    Verifier,
};
use serde_json::{json, Value};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("hookproof").unwrap();
    c.timeout(Duration::from_secs(60));
    c
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: stdout {} stderr {}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

/// `expected` is a subset of `actual`, as tests/vectors/README.md defines it.
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

/// Adds a vector's config as flags. Secrets go through environment variables and files
/// (alternating, so rotation order across both kinds is checked), never the command line.
fn with_config(cmd: &mut Command, config: &Value, dir: &Path, n: usize) {
    for (i, s) in config["secrets"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let s = s.as_str().unwrap();
        if i.is_multiple_of(2) {
            let var = format!("HP_TEST_SECRET_{i}");
            cmd.env(&var, s).arg("--secret-env").arg(var);
        } else {
            // The documented rule: one trailing newline is removed, nothing else.
            let file = dir.join(format!("secret{n}_{i}"));
            std::fs::write(&file, format!("{s}\n")).unwrap();
            cmd.arg("--secret-file").arg(file);
        }
    }
    match &config["tolerance"] {
        Value::Bool(false) if n.is_multiple_of(2) => {
            cmd.arg("--no-tolerance");
        }
        Value::Bool(false) => {
            cmd.args(["--tolerance", "off"]);
        }
        Value::Number(num) => {
            cmd.arg("--tolerance").arg(num.to_string());
        }
        _ => {}
    }
    if let (Some(u), Some(p)) = (config["username"].as_str(), config["password"].as_str()) {
        cmd.env("HP_TEST_PASSWORD", p).args([
            "--username",
            u,
            "--password-env",
            "HP_TEST_PASSWORD",
        ]);
    }
    if let Some(g) = config["generation"].as_str() {
        cmd.args(["--generation", g]);
    }
    if let Some(h) = config.get("hmac") {
        cmd.args(["--hmac-header", h["header"].as_str().unwrap()]);
        for (key, flag) in [
            ("algorithm", "--hmac-algorithm"),
            ("encoding", "--hmac-encoding"),
            ("prefix", "--hmac-prefix"),
        ] {
            if let Some(v) = h[key].as_str() {
                cmd.args([flag, v]);
            }
        }
    }
}

/// A raw request as `nc -l` saves it (CRLF, Content-Length, and a stray final newline).
fn raw_capture(headers: &[(String, String)], body: &[u8]) -> Vec<u8> {
    let mut out = b"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec();
    for (k, v) in headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    out.push(b'\n');
    out
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| (p[0].as_str().unwrap().into(), p[1].as_str().unwrap().into()))
        .collect()
}

#[test]
fn every_vector_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    let mut checked_events = 0;
    let mut files: Vec<_> = std::fs::read_dir(repo().join("tests/vectors"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for path in files {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let provider = doc["provider"].as_str().unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let expect = &case["expect"];
            let name = format!("{provider} / {}", case["name"]);
            let body = match case.get("body_base64") {
                Some(b) => base64::engine::general_purpose::STANDARD
                    .decode(b.as_str().unwrap())
                    .unwrap(),
                None => case["body"].as_str().unwrap().as_bytes().to_vec(),
            };
            let file = dir.path().join(format!("case{count}.http"));
            std::fs::write(&file, raw_capture(&pairs(&case["headers"]), &body)).unwrap();
            let mut cmd = bin();
            cmd.args(["verify", "--provider", provider, "--now"])
                .arg(case["now"].to_string());
            with_config(&mut cmd, &case["config"], dir.path(), count);
            let out = cmd.arg(&file).output().unwrap();
            let usage_error = out.status.code() == Some(2);
            let json = if usage_error {
                Value::Null
            } else {
                stdout_json(&out)
            };
            match expect.get("error").or(expect.get("config_error")) {
                // An option the CLI's flags already require (clap): a usage error, exit 2.
                Some(code) if usage_error => {
                    let err = text(&out.stderr);
                    assert_eq!(code, "invalid_option", "{name}: {err}");
                    assert!(expect.get("config_error").is_some(), "{name}: {err}");
                    assert!(err.contains("--hmac-algorithm"), "{name}: {err}");
                }
                None => {
                    assert_eq!(out.status.code(), Some(0), "{name}: {json}");
                    assert_eq!(json["ok"], true, "{name}");
                    for key in ["secret_index", "timestamp"] {
                        if let Some(want) = expect.get(key) {
                            assert_eq!(&json[key], want, "{name}: {key}");
                        }
                    }
                    if let Some(parsed) = case.get("parsed") {
                        subset(parsed, Some(&json["event"]), "event")
                            .unwrap_or_else(|e| panic!("{name}: {e}"));
                        checked_events += 1;
                    }
                }
                Some(code) => {
                    assert_eq!(out.status.code(), Some(1), "{name}: {json}");
                    assert_eq!(json["ok"], false, "{name}");
                    assert_eq!(&json["code"], code, "{name}: {json}");
                    if let Some(hint) = expect.get("hint") {
                        assert_eq!(&json["hint_code"], hint, "{name}: {json}");
                    }
                    let printed = text(&out.stdout) + &text(&out.stderr);
                    for s in case["config"]["secrets"].as_array().into_iter().flatten() {
                        let s = s.as_str().unwrap().trim();
                        assert!(
                            s.len() < 4 || !printed.contains(s),
                            "{name}: secret printed"
                        );
                    }
                }
            }
            count += 1;
        }
    }
    assert!(count >= 100, "only {count} vectors");
    assert!(checked_events >= 10, "only {checked_events} parsed facts");
}

/// (fixture, provider, secret, extra flags, now, facts of the event or null: not parseable)
type FixtureCase = (
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
    u64,
    Value,
);

fn fixture_cases() -> Vec<FixtureCase> {
    vec![
        // Raw captures as nc saves them (CRLF; one with a stray final newline).
        ("extend-nc.http", "extend", "secret123", &[], 0, Value::Null),
        (
            "centra-nc.http",
            "centra",
            "centra-fixture-secret",
            &[],
            1_763_900_000,
            json!({"event_types": ["order.create"], "resources": [{"type": "order", "id": "9007199254740993", "action": "create"}]}),
        ),
        // LF line ends, no Content-Length: the body's own final newline is signed and kept.
        (
            "centrali-legacy-lf.http",
            "centrali",
            "centrali-legacy-secret",
            &[],
            0,
            json!({"provider": "centrali", "event_types": ["record.updated"]}),
        ),
        // Chunked: hand-made and as curl sends it with `Transfer-Encoding: chunked`.
        (
            "extend-chunked.http",
            "extend",
            "secret123",
            &[],
            0,
            Value::Null,
        ),
        (
            "shopctrl-curl-chunked.http",
            "shopctrl",
            "shopctrl-fixture-secret",
            &[
                "--hmac-header",
                "X-ShopCtrl-Signature",
                "--hmac-algorithm",
                "sha1",
                "--hmac-encoding",
                "base64",
            ],
            0,
            json!({"provider": "shopctrl", "detail": {"entity_data": {"OrderCode": "ORD-4711"}}}),
        ),
        // curl --trace-ascii: a wrapped signature header line, a CRLF-indented body with a
        // line longer than curl's 64-column wrap.
        (
            "extend-curl-trace-ascii.txt",
            "extend",
            "extend-fixture-secret",
            &[],
            0,
            json!({"idempotency_key": "2b5f1c2e-8d3a-4c1e-9f10-6a2b7c9d0e11", "event_types": ["OrderCreated"]}),
        ),
        (
            "standardwebhooks-trace-ascii.txt",
            "standardwebhooks",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            &[],
            1_614_265_330,
            json!({"provider": "standardwebhooks"}),
        ),
        // curl --trace (hex): LF line ends and UTF-8, which --trace-ascii would lose.
        (
            "centrali-curl-trace.txt",
            "centrali",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            &[],
            1_763_900_000,
            json!({"idempotency_key": "msg_fixture_1", "event_types": ["record_created"]}),
        ),
        // Request-bin JSON exports: pairs-free object shape, and webhook.site's.
        (
            "centra-requestbin.json",
            "centra",
            "test123",
            &[],
            12_345_678,
            json!({"raw": "{\"x\":\"test\"}"}),
        ),
        (
            "orisha-webhook-site.json",
            "orisha",
            "orisha-fixture-secret",
            &[],
            0,
            json!({"idempotency_key": "evt_7f3a", "event_types": ["item.created"]}),
        ),
    ]
}

#[test]
fn capture_formats() {
    for (file, provider, secret, flags, now, facts) in fixture_cases() {
        let out = bin()
            .env("S", secret)
            .args(["verify", "--provider", provider, "--secret-env", "S"])
            .args(["--now", &now.to_string()])
            .args(flags)
            .arg(fixture(file))
            .output()
            .unwrap();
        let json = stdout_json(&out);
        assert_eq!(out.status.code(), Some(0), "{file}: {json}");
        if facts.is_null() {
            // Verified, but not a payload the parser reads (Extend's docs example is not JSON).
            assert_eq!(json["parse_error"]["code"], "invalid_payload", "{file}");
        } else {
            assert_eq!(json["parse_error"], Value::Null, "{file}: {json}");
            subset(&facts, Some(&json["event"]), "event").unwrap_or_else(|e| panic!("{file}: {e}"));
        }
        // The same capture on stdin.
        let out = bin()
            .env("S", secret)
            .args(["verify", "--provider", provider, "--secret-env", "S"])
            .args(["--now", &now.to_string()])
            .args(flags)
            .pipe_stdin(fixture(file))
            .unwrap()
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{file} on stdin");
    }
    // An old capture fails at today's time with the replay error, and passes as of its arrival
    // or with the check off.
    let sw = fixture("standardwebhooks-trace-ascii.txt");
    let run = |args: &[&str]| {
        bin()
            .env("S", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
            .args(["verify", "-p", "standardwebhooks", "--secret-env", "S"])
            .args(args)
            .arg(&sw)
            .output()
            .unwrap()
    };
    let out = run(&[]);
    assert_eq!(out.status.code(), Some(1));
    let json = stdout_json(&out);
    assert_eq!(json["code"], "timestamp_too_old");
    assert_eq!(json["family"], "timestamp");
    assert_eq!(json["request"]["format"], "trace-ascii");
    assert_eq!(run(&["--no-tolerance"]).status.code(), Some(0));
    assert_eq!(run(&["--tolerance", "off"]).status.code(), Some(0));
    assert_eq!(
        run(&["--now", "1614265630", "--tolerance", "300"])
            .status
            .code(),
        Some(0)
    );
    let out = run(&["--now", "1614265631", "--tolerance", "300"]);
    assert_eq!(stdout_json(&out)["code"], "timestamp_too_old");
    let out = run(&["--now", "1614265000"]);
    assert_eq!(stdout_json(&out)["code"], "timestamp_in_future");
    // What the capture cannot show exactly is reported when it verifies too.
    let dir = tempfile::tempdir().unwrap();
    let twice = dir.path().join("twice.txt");
    let trace = std::fs::read(&sw).unwrap();
    std::fs::write(&twice, [&trace[..], &trace[..]].concat()).unwrap();
    let out = bin()
        .env("S", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .args(["verify", "-p", "standardwebhooks", "--secret-env", "S"])
        .arg("--no-tolerance")
        .arg(&twice)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let notes = stdout_json(&out)["notes"].to_string();
    assert!(notes.contains("more than one request"), "{notes}");
}

#[test]
fn headers_and_body_given_separately() {
    let dir = tempfile::tempdir().unwrap();
    let body = dir.path().join("body.json");
    std::fs::write(&body, "{'test':'test2'}").unwrap();
    let sig =
        "ms-signature: sha256=25FB6994568A75CD233E04BA1C653AF1BF476041CC543AF04F82CAAC482C201A";
    let verify = || {
        let mut c = bin();
        c.env("S", "secret123")
            .args(["verify", "--provider", "extend", "--secret-env", "S"])
            .args(["-H", "Content-Type: application/json", "--header", sig]);
        c
    };
    verify().arg("--body").arg(&body).assert().code(0);
    verify().write_stdin("{'test':'test2'}").assert().code(0);
    // A different body (one extra newline) does not verify.
    let out = verify().write_stdin("{'test':'test2'}\n").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["code"], "signature_mismatch");
    // A capture file and --header together are ambiguous.
    verify().arg(fixture("extend-nc.http")).assert().code(2);
    // A malformed --header is refused without echoing it (it may hold a signature).
    let out = bin()
        .env("S", "secret123")
        .args(["verify", "-p", "extend", "--secret-env", "S", "-H"])
        .arg("ms-signature sha256=25FB6994568A75CD233E04BA1C653AF1BF476041CC543AF04F82CAAC482C201A")
        .write_stdin("{}")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        !text(&out.stderr).contains("25FB69"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn secrets_from_files_and_rotation_order() {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good");
    std::fs::write(&good, "secret123\r\n").unwrap();
    let other = dir.path().join("other");
    std::fs::write(&other, "old-secret\n").unwrap();
    let run = |args: Vec<&str>| {
        let out = bin()
            .env("GOOD", "secret123")
            .env("OLD", "old-secret")
            .args(["verify", "--provider", "extend"])
            .args(args)
            .arg(fixture("extend-nc.http"))
            .output()
            .unwrap();
        (out.status.code(), stdout_json(&out))
    };
    let g = good.to_str().unwrap();
    let o = other.to_str().unwrap();
    // secret_index follows the order given, across --secret-env and --secret-file.
    let (code, json) = run(vec!["--secret-file", g]);
    assert_eq!((code, json["secret_index"].clone()), (Some(0), json!(0)));
    let (_, json) = run(vec!["--secret-env", "OLD", "--secret-file", g]);
    assert_eq!(json["secret_index"], 1);
    let (_, json) = run(vec![
        "--secret-file",
        o,
        "--secret-env",
        "OLD",
        "--secret-env",
        "GOOD",
    ]);
    assert_eq!(json["secret_index"], 2);
    let (_, json) = run(vec!["--secret-file", g, "--secret-env", "OLD"]);
    assert_eq!(json["secret_index"], 0);
    // Only one line end is removed: a second one stays, and the core hints at it.
    let ws = dir.path().join("ws");
    std::fs::write(&ws, "secret123\n\n").unwrap();
    let (code, json) = run(vec!["--secret-file", ws.to_str().unwrap()]);
    assert_eq!(code, Some(1));
    assert_eq!(json["hint_code"], "secret_whitespace", "{json}");
    // An empty secret is a configuration error (exit 1, code), a missing variable a usage error.
    let out = bin()
        .env("EMPTY", "")
        .args(["verify", "-p", "extend", "--secret-env", "EMPTY"])
        .arg(fixture("extend-nc.http"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["code"], "empty_secret");
    bin()
        .args([
            "verify",
            "-p",
            "extend",
            "--secret-env",
            "HP_UNSET_VARIABLE",
        ])
        .arg(fixture("extend-nc.http"))
        .assert()
        .code(2);
    // The secret itself passed where a variable's name or a file's path belongs is not echoed
    // into the error (which ends up in CI logs).
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    for flags in [
        vec!["--secret-env", "S", "--secret-env", secret],
        vec!["--secret-file", secret],
        vec!["--username", "u", "--password-env", secret],
    ] {
        let out = bin()
            .env("S", "x")
            .args(["verify", "-p", "extend"])
            .args(&flags)
            .arg(fixture("extend-nc.http"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{flags:?}");
        let err = text(&out.stderr);
        assert!(!err.contains(secret), "{flags:?}: {err}");
        let flag = flags[flags.len() - 2];
        assert!(err.contains(flag), "{flags:?}: {err}");
    }
    // Secrets are not accepted as arguments at all.
    bin()
        .args(["verify", "-p", "extend", "--secret", "secret123"])
        .arg(fixture("extend-nc.http"))
        .assert()
        .code(2);
}

#[test]
fn nothing_secret_is_printed() {
    let secret = "wrong-secret-value-1234";
    for cmd in ["verify", "diagnose"] {
        let mut c = bin();
        c.env("S", secret).arg(cmd);
        if cmd == "verify" {
            c.args(["-p", "extend"]);
        }
        let out = c
            .args(["--secret-env", "S", "--now", "0"])
            .arg(fixture("extend-nc.http"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let printed = text(&out.stdout) + &text(&out.stderr);
        assert!(!printed.contains(secret), "{cmd} printed the secret");
        // Neither the signature from the request.
        assert!(
            !printed.contains("25FB6994568A75CD"),
            "{cmd} printed the signature"
        );
    }
}

#[test]
fn a_secret_passed_where_a_name_or_path_goes_is_not_repeated() {
    // Base64url secrets can start with `-`; `=` padding is not a valid variable name either.
    for secret in ["--sk_live_TOPSECRET", "-sk_live_TOPSECRET", "c2stbGl2ZQ=="] {
        for flag in ["--secret-env", "--secret-file"] {
            let out = bin()
                .args(["verify", "-p", "extend", flag, secret])
                .arg(fixture("extend-nc.http"))
                .output()
                .unwrap();
            assert_eq!(out.status.code(), Some(2), "{flag} {secret}");
            let printed = text(&out.stdout) + &text(&out.stderr);
            assert!(printed.contains("(pass the"), "{flag} {secret}: {printed}");
            assert!(
                !printed.contains("sk_live") && !printed.contains("c2st"),
                "{flag}: {printed}"
            );
        }
        let out = bin()
            .args([
                "verify",
                "-p",
                "shopctrl",
                "--username",
                "u",
                "--password-env",
                secret,
            ])
            .arg(fixture("extend-nc.http"))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--password-env {secret}");
        let printed = text(&out.stdout) + &text(&out.stderr);
        assert!(
            !printed.contains("sk_live") && !printed.contains("c2st"),
            "{printed}"
        );
    }
}

/// What the local receiver saw: its answer, and facts checked with the core.
#[derive(Debug)]
struct Seen {
    status: u16,
    /// The signed timestamp, verified with the tolerance off.
    untimed: Option<Result<Option<u64>, String>>,
    parses: bool,
    /// Basic credentials as a lenient decoder reads them (trailing bits ignored, as Go's,
    /// Node's and Python's base64 decoders do).
    basic: Option<String>,
}

fn lenient_basic(headers: &[(String, String)]) -> Option<String> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::Engine;
    let lenient = GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::Indifferent),
    );
    let (_, value) = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("authorization"))?;
    let bytes = lenient.decode(value.strip_prefix("Basic ")?).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A receiver on 127.0.0.1 that verifies with the core (tolerance 300, the clock) and answers
/// 200 or 401; it stops after `requests` requests.
fn receiver(config: Config, requests: usize) -> (String, mpsc::Receiver<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let verifier: Verifier = config.clone().build().unwrap();
    let untimed_verifier = config.no_tolerance().build().ok();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .unwrap();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let l = line.trim_end();
                if l.is_empty() {
                    break;
                }
                let (n, v) = l.split_once(':').unwrap();
                headers.push((n.trim().to_string(), v.trim().to_string()));
            }
            let len: usize = headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
                .map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; len];
            reader.read_exact(&mut body).unwrap();
            let status = match verifier.verify(&headers, &body, hookproof::unix_now()) {
                Ok(_) => 200,
                Err(_) => 401,
            };
            let untimed = untimed_verifier.as_ref().map(|v| {
                v.verify(&headers, &body, hookproof::unix_now())
                    .map(|ok| ok.timestamp)
                    .map_err(|e| e.code().to_string())
            });
            let parses = verifier.parse(&headers, &body).is_ok();
            let reply = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: 7\r\nConnection: close\r\n\r\nanswer!"
            );
            stream.write_all(reply.as_bytes()).unwrap();
            tx.send(Seen {
                status,
                untimed,
                parses,
                basic: lenient_basic(&headers),
            })
            .unwrap();
        }
    });
    (url, rx)
}

struct SendCase {
    name: &'static str,
    config: Config,
    flags: Vec<&'static str>,
    payload: &'static str,
    signs_time: bool,
}

fn send_cases() -> Vec<SendCase> {
    let spec = HmacSpec::new(
        "X-Hook-Signature",
        MacAlgorithm::HmacSha256,
        TagEncoding::Hex,
    )
    .prefix("sha256=");
    let hmac_flags = vec![
        "--hmac-header",
        "X-Hook-Signature",
        "--hmac-algorithm",
        "sha256",
        "--hmac-encoding",
        "hex",
        "--hmac-prefix",
        "sha256=",
    ];
    let basic_flags = vec!["--username", "shop", "--password-env", "PW"];
    let shop = r#"{"entityData":{"OrderId":17,"OrderCode":"O-17"}}"#;
    vec![
        SendCase {
            name: "centra",
            config: Config::new(Provider::Centra).secret("c-secret"),
            flags: vec![],
            payload: r#"{"products":["1","6"]}"#,
            signs_time: true,
        },
        SendCase {
            name: "centrali",
            config: Config::new(Provider::Centrali)
                .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            flags: vec![],
            payload: r#"{"type":"record_created","data":{"structure":"orders","recordId":"r1"}}"#,
            signs_time: true,
        },
        SendCase {
            name: "centrali",
            config: Config::new(Provider::Centrali).secret("legacy-secret"),
            flags: vec!["--generation", "legacy"],
            payload: r#"{"event":"record.created","workspace":"w","data":{"recordId":"r1"}}"#,
            signs_time: false,
        },
        SendCase {
            name: "orisha",
            config: Config::new(Provider::Orisha).secret("o-secret"),
            flags: vec!["--event-type", "item.created"],
            payload: r#"{"ItemCode":"A1"}"#,
            signs_time: false,
        },
        SendCase {
            name: "shopctrl",
            config: Config::new(Provider::ShopCtrl)
                .secret("s-secret")
                .hmac(spec.clone()),
            flags: hmac_flags.clone(),
            payload: shop,
            signs_time: false,
        },
        SendCase {
            name: "shopctrl",
            config: Config::new(Provider::ShopCtrl).basic_auth("shop", "pw"),
            flags: basic_flags.clone(),
            payload: shop,
            signs_time: false,
        },
        SendCase {
            name: "shopctrl",
            config: Config::new(Provider::ShopCtrl)
                .secret("s-secret")
                .basic_auth("shop", "pw")
                .hmac(spec),
            flags: [basic_flags, hmac_flags].concat(),
            payload: shop,
            signs_time: false,
        },
        SendCase {
            name: "extend",
            config: Config::new(Provider::Extend).secret("e-secret"),
            flags: vec![],
            payload: "{\r\n  \"Id\": \"x\",\r\n  \"Attempt\": 1\r\n}",
            signs_time: false,
        },
        SendCase {
            name: "standardwebhooks",
            config: Config::new(Provider::StandardWebhooks)
                .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
            flags: vec![],
            payload: r#"{"type":"invoice.paid","data":{"id":7}}"#,
            signs_time: true,
        },
    ]
}

#[test]
fn send_valid_tampered_stale_to_a_local_receiver() {
    let dir = tempfile::tempdir().unwrap();
    for (n, case) in send_cases().into_iter().enumerate() {
        let secret = case.config.secrets.first().cloned().unwrap_or_default();
        let (url, seen) = receiver(case.config.clone(), 3);
        let payload = dir.path().join(format!("payload{n}.json"));
        std::fs::write(&payload, case.payload).unwrap();
        let now = hookproof::unix_now();
        for (flag, want) in [
            (None, 200u16),
            (Some("--tamper"), 401),
            (Some("--stale"), if case.signs_time { 401 } else { 200 }),
        ] {
            let label = format!("{} {:?} {flag:?}", case.name, case.flags);
            let mut cmd = bin();
            cmd.env("PW", "pw")
                .args(["send", "--provider", case.name, "--json"])
                .args(["--expect-status", &want.to_string()])
                .args(["--now", &now.to_string()])
                .arg("--payload")
                .arg(&payload)
                .args(&case.flags);
            if !secret.is_empty() {
                cmd.env("S", &secret).args(["--secret-env", "S"]);
            }
            cmd.args(flag);
            let out = cmd.arg(&url).output().unwrap();
            let json = stdout_json(&out);
            assert_eq!(
                out.status.code(),
                Some(0),
                "{label}: {json} {}",
                text(&out.stderr)
            );
            assert_eq!(json["status"], want, "{label}");
            assert_eq!(json["body"], "answer!", "{label}");
            assert_eq!(json["as_expected"], true, "{label}");
            let got = seen.recv_timeout(Duration::from_secs(30)).unwrap();
            assert_eq!(got.status, want, "{label}: {got:?}");
            match flag {
                Some("--tamper") => {
                    // The body stays well formed: the provider's parser still reads it.
                    assert!(got.parses, "{label}: tampered body no longer parses");
                    assert!(json["tampered"].is_string(), "{label}");
                    assert!(matches!(got.untimed, Some(Err(_))), "{label}: {got:?}");
                    // A changed credential must differ for any receiver, not only a strict one.
                    let tampered = json["tampered"].as_str().unwrap().to_ascii_lowercase();
                    if tampered.starts_with("header authorization") {
                        assert_ne!(got.basic.as_deref(), Some("shop:pw"), "{label}");
                    }
                }
                Some("--stale") => {
                    // Signed at now - tolerance - 60, with a valid signature.
                    assert_eq!(json["signed_at"], now - 360, "{label}");
                    if case.signs_time {
                        assert_eq!(got.untimed, Some(Ok(Some(now - 360))), "{label}");
                    }
                    // Where no time is signed, stderr says why the receiver accepts it.
                    let warned = text(&out.stderr).contains("has no signed timestamp");
                    assert_eq!(warned, !case.signs_time, "{label}");
                }
                _ => {
                    assert!(got.parses, "{label}");
                    if case.flags.contains(&"--username") {
                        assert_eq!(got.basic.as_deref(), Some("shop:pw"), "{label}");
                    }
                }
            }
        }
    }
}

#[test]
fn send_options_and_failures() {
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("p.json");
    std::fs::write(&payload, r#"{"type":"a.b","data":{}}"#).unwrap();
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let (url, seen) = receiver(Config::new(Provider::StandardWebhooks).secret(secret), 3);
    let send = || {
        let mut c = bin();
        c.env("S", secret)
            .args([
                "send",
                "-p",
                // Any case: the output names the provider by its id.
                "StandardWebhooks",
                "--secret-env",
                "S",
                "--payload",
            ])
            .arg(&payload);
        c
    };
    // --stale follows --tolerance: now - 1000 - 60.
    let out = send()
        .args([
            "--stale",
            "--tolerance",
            "1000",
            "--now",
            "2000000000",
            "--json",
        ])
        .arg(&url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["signed_at"], 2_000_000_000u64 - 1060);
    assert_eq!(stdout_json(&out)["provider"], "standardwebhooks");
    assert_eq!(seen.recv().unwrap().untimed, Some(Ok(Some(1_999_998_940))));
    // A status other than --expect-status exits 1 (the request was still delivered).
    let out = send()
        .args(["--tamper", "--expect-status", "200"])
        .arg(&url)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).starts_with("standardwebhooks tampered"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("HTTP 401 answer!"));
    assert!(text(&out.stderr).contains("expected HTTP 200, got 401"));
    assert_eq!(seen.recv().unwrap().status, 401);
    // Without --expect-status any delivered answer is success.
    send().arg("--tamper").arg(&url).assert().code(0);
    assert_eq!(seen.recv().unwrap().status, 401);
    // Nobody listening: not delivered, exit 2.
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/", closed.local_addr().unwrap());
    drop(closed);
    send().arg(&dead).assert().code(2);
    // No TLS: refused before connecting, saying so.
    let out = send().arg("https://127.0.0.1:9/hooks").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("plain http:// only"),
        "{}",
        text(&out.stderr)
    );
    // An unset variable: the advice is a command that works (the flag, without its count).
    let out = bin()
        .args([
            "send",
            "-p",
            "extend",
            "--secret-env",
            "HP_UNSET_FOR_TEST",
            "--payload",
        ])
        .arg(&payload)
        .arg(&dead)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("e.g. --secret-env WEBHOOK_SECRET, not its value"),
        "{err}"
    );
    assert!(!err.contains("HP_UNSET_FOR_TEST"), "{err}");
}

#[test]
fn send_reports_a_redirect_and_ignores_proxy_variables() {
    // A receiver answering 302: the status is the answer, the redirect is not followed (its
    // target listens nowhere), and the proxy the environment names (nobody there) is not used.
    let server = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hooks", server.local_addr().unwrap());
    let answer = std::thread::spawn(move || {
        let (mut conn, _) = server.accept().unwrap();
        let mut reader = BufReader::new(conn.try_clone().unwrap());
        let mut length = 0;
        loop {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
            if line == "\r\n" {
                break;
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        conn.write_all(
            b"HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:9/\r\nContent-Length: 5\r\n\r\nmoved",
        )
        .unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("p.json");
    std::fs::write(&payload, r#"{"Id":"n1"}"#).unwrap();
    let out = bin()
        .env("S", "secret123")
        .env("HTTP_PROXY", "http://127.0.0.1:9")
        .env("http_proxy", "http://127.0.0.1:9")
        .env("ALL_PROXY", "http://127.0.0.1:9")
        // A machine's NO_PROXY=127.0.0.1 would let the test pass without the fix.
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .args([
            "send",
            "-p",
            "extend",
            "--secret-env",
            "S",
            "--expect-status",
            "302",
            "--payload",
        ])
        .arg(&payload)
        .arg(&url)
        .output()
        .unwrap();
    // Asserted before joining: a request sent elsewhere leaves the receiver waiting.
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("HTTP 302 moved"),
        "{}",
        text(&out.stdout)
    );
    answer.join().unwrap();
}

#[test]
fn sign_prints_requests_verify_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("p.json");
    // Quotes, a dollar, a backtick and a backslash: the shell must pass them through unchanged.
    std::fs::write(&payload, r#"{"x":"it's $HOME `id` \\ done"}"#).unwrap();
    let sign = |provider: &str, extra: &[&str]| {
        let out = bin()
            .env("S", "test123")
            .args([
                "sign",
                "--provider",
                provider,
                "--secret-env",
                "S",
                "--now",
                "12345678",
            ])
            .args(extra)
            .arg("--payload")
            .arg(&payload)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        out.stdout
    };
    let raw = sign("centra", &[]);
    let t = text(&raw);
    assert!(t.starts_with("POST / HTTP/1.1\r\n"), "{t}");
    assert!(t.contains("X-Centra-Signature: t=12345678,v1="));
    assert!(t.contains("\r\n\r\npayload=%7B%22x%22%3A%22it%27s"));
    // The printed request verifies, as raw text and as JSON.
    for printed in [raw, sign("centra", &["--json"])] {
        bin()
            .env("S", "test123")
            .args([
                "verify",
                "-p",
                "centra",
                "--secret-env",
                "S",
                "--now",
                "12345678",
            ])
            .write_stdin(printed)
            .assert()
            .code(0);
    }
    let json: Value = serde_json::from_slice(&sign("extend", &["--json"])).unwrap();
    assert_eq!(json["method"], "POST");
    assert_eq!(json["body"], r#"{"x":"it's $HOME `id` \\ done"}"#);
    // The curl command, run by a shell whose `curl` prints its arguments.
    let cmd = text(&sign("extend", &["--curl", "http://127.0.0.1:9/it's"]));
    assert!(cmd.starts_with("curl -sS -X POST "), "{cmd}");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "curl() {{ for a; do printf '%s\\0' \"$a\"; done; }}\n{cmd}"
        ))
        .output()
        .unwrap();
    assert!(out.status.success());
    let args: Vec<String> = text(&out.stdout)
        .split('\0')
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    let req: Value = serde_json::from_slice(&sign("extend", &["--json"])).unwrap();
    let mut want = vec![
        "-sS".to_string(),
        "-X".into(),
        "POST".into(),
        "http://127.0.0.1:9/it's".into(),
    ];
    for (k, v) in pairs(&req["headers"]) {
        want.extend(["-H".to_string(), format!("{k}: {v}")]);
    }
    want.extend([
        "--data-raw".to_string(),
        req["body"].as_str().unwrap().into(),
    ]);
    assert_eq!(args, want);
    // A body that starts with `@` is sent as it is (curl's --data-binary would read the file
    // it names), and a NUL byte, which no argument can carry, is refused.
    for (body, code) in [("@/etc/hostname", 0), ("{\"a\":\"\0\"}", 2)] {
        std::fs::write(&payload, body).unwrap();
        let out = bin()
            .env("S", "test123")
            .args([
                "sign",
                "-p",
                "extend",
                "--secret-env",
                "S",
                "--curl",
                "http://h/",
            ])
            .arg("--payload")
            .arg(&payload)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(code), "{}", text(&out.stderr));
        if code == 0 {
            let cmd = text(&out.stdout);
            assert!(cmd.ends_with("--data-raw '@/etc/hostname'\n"), "{cmd}");
        } else {
            assert!(text(&out.stderr).contains("NUL"), "{}", text(&out.stderr));
        }
    }
    // Orisha needs an event type: a usage error, not a panic.
    bin()
        .env("S", "x")
        .args(["sign", "-p", "orisha", "--secret-env", "S", "--payload"])
        .arg(&payload)
        .assert()
        .code(2);
}

#[test]
fn sign_into_a_closed_pipe_succeeds_in_every_output_mode() {
    // `hookproof sign ... | head -c 10`: the reader stops early; as `yes | head` and `cat`,
    // that is not a failure.
    let dir = tempfile::tempdir().unwrap();
    let payload = dir.path().join("big.json");
    std::fs::write(
        &payload,
        format!(r#"{{"Id":"1","x":"{}"}}"#, "a".repeat(300_000)),
    )
    .unwrap();
    for mode in [&[][..], &["--json"], &["--curl", "http://127.0.0.1:9/hook"]] {
        let mut c = std::process::Command::new(assert_cmd::cargo::cargo_bin("hookproof"));
        c.env("S", "x")
            .args(["sign", "-p", "extend", "--secret-env", "S", "--payload"])
            .arg(&payload)
            .args(mode)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let mut child = c.spawn().unwrap();
        drop(child.stdout.take()); // closed before the first write, or while it blocks
        let out = child.wait_with_output().unwrap();
        assert_eq!(
            out.status.code(),
            Some(0),
            "{mode:?}: {}",
            text(&out.stderr)
        );
    }
}

/// Writes `config`'s signed request for `payload` as a raw capture and runs diagnose on it:
/// exit code, JSON output and stderr (the suggested command).
fn diagnose(
    dir: &Path,
    config: Config,
    opts: &SignOptions,
    args: &[&str],
    env: &[(&str, &str)],
) -> (Option<i32>, Value, String) {
    let req = config
        .build()
        .unwrap()
        .sign(
            br#"{"ItemCode":"A","type":"t","event":"record.created"}"#,
            opts,
        )
        .unwrap();
    let file = dir.join(format!(
        "d{}.http",
        hookproof::unix_now() as u32 ^ rand_suffix()
    ));
    std::fs::write(&file, raw_capture(&req.headers, &req.body)).unwrap();
    let mut cmd = bin();
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.arg("diagnose").args(args).arg(&file).output().unwrap();
    (out.status.code(), stdout_json(&out), text(&out.stderr))
}

fn rand_suffix() -> u32 {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    N.fetch_add(1, Ordering::Relaxed) << 16
}

#[test]
fn diagnose_finds_each_provider() {
    let dir = tempfile::tempdir().unwrap();
    let now = 1_763_900_000u64;
    let opts = SignOptions::at(now).event_type("item.created");
    let legacy = opts.clone().centrali_generation(CentraliGeneration::Legacy);
    let args = ["--secret-env", "S", "--now", "1763900000"];
    for (config, o, expected) in [
        (Config::new(Provider::Centra), &opts, "centra"),
        (Config::new(Provider::Centrali), &opts, "centrali"),
        (Config::new(Provider::Centrali), &legacy, "centrali"),
        (Config::new(Provider::Orisha), &opts, "orisha"),
        (Config::new(Provider::Extend), &opts, "extend"),
        // Centrali 6.1+ accepts these too, but the request carries none of its own headers.
        (
            Config::new(Provider::StandardWebhooks),
            &opts,
            "standardwebhooks",
        ),
    ] {
        let (code, json, _) = diagnose(
            dir.path(),
            config.secret("shared"),
            o,
            &args,
            &[("S", "shared")],
        );
        assert_eq!(code, Some(0), "{expected}: {json}");
        assert_eq!(json["verifies_as"], expected, "{json}");
        assert_eq!(json["flags"], format!("--provider {expected}"));
    }
    // Standard Webhooks with a whsec_ secret, also verifying as Centrali.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let (_, json, _) = diagnose(
        dir.path(),
        Config::new(Provider::StandardWebhooks).secret(secret),
        &opts,
        &args,
        &[("S", secret)],
    );
    assert_eq!(json["verifies_as"], "standardwebhooks");
    assert_eq!(
        json["also_verifies_as"][0]["provider"], "centrali",
        "{json}"
    );
}

#[test]
fn diagnose_finds_the_shopctrl_hmac_format() {
    let dir = tempfile::tempdir().unwrap();
    let opts = SignOptions::at(1_763_900_000);
    let args = ["--secret-env", "S", "--now", "1763900000"];
    for (alg, enc, prefix, header) in [
        (MacAlgorithm::HmacSha1, TagEncoding::Hex, None, "X-Shop-Sig"),
        (
            MacAlgorithm::HmacSha256,
            TagEncoding::Base64,
            None,
            "X-Webhook-Hmac",
        ),
        (
            MacAlgorithm::HmacSha512,
            TagEncoding::Base64,
            Some("sha512="),
            "X-Shop-Sig",
        ),
        (
            MacAlgorithm::HmacSha256,
            TagEncoding::Hex,
            Some("sha256="),
            "Signature",
        ),
        (
            MacAlgorithm::HmacSha1,
            TagEncoding::Base64,
            Some("hmac="),
            "X-Sig",
        ),
    ] {
        let mut spec = HmacSpec::new(header, alg, enc);
        spec.prefix = prefix.map(String::from);
        let config = Config::new(Provider::ShopCtrl).secret("shared").hmac(spec);
        let (code, json, _) = diagnose(dir.path(), config, &opts, &args, &[("S", "shared")]);
        assert_eq!(code, Some(0), "{json}");
        assert_eq!(json["verifies_as"], "shopctrl", "{json}");
        let mut flags = format!(
            "--provider shopctrl --hmac-header {header} --hmac-algorithm {} --hmac-encoding {}",
            alg.digest_name(),
            enc.name()
        );
        if let Some(p) = prefix {
            flags.push_str(&format!(" --hmac-prefix {p}"));
        }
        assert_eq!(json["flags"], flags, "{json}");
        assert_eq!(json["options"]["hmac"]["header"], header);
        assert_eq!(json["options"]["hmac"]["prefix"], json!(prefix));
    }
    // Basic auth plus an HMAC, with the credentials given to diagnose.
    let spec = HmacSpec::new("X-Shop-Sig", MacAlgorithm::HmacSha256, TagEncoding::Hex);
    let config = Config::new(Provider::ShopCtrl)
        .secret("shared")
        .basic_auth("shop", "pw")
        .hmac(spec);
    let (code, json, _) = diagnose(
        dir.path(),
        config,
        &opts,
        &[
            "--secret-env",
            "S",
            "--username",
            "shop",
            "--password-env",
            "PW",
        ],
        &[("S", "shared"), ("PW", "pw")],
    );
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(
        json["flags"],
        "--provider shopctrl --username shop --password-env PW --hmac-header X-Shop-Sig \
         --hmac-algorithm sha256 --hmac-encoding hex"
    );
    // Without the credentials the HMAC is still found, and a note points at the Basic header.
    let spec = HmacSpec::new("X-Shop-Sig", MacAlgorithm::HmacSha256, TagEncoding::Hex);
    let config = Config::new(Provider::ShopCtrl)
        .secret("shared")
        .basic_auth("shop", "pw")
        .hmac(spec);
    let (code, json, _) = diagnose(dir.path(), config, &opts, &args, &[("S", "shared")]);
    assert_eq!(code, Some(0), "{json}");
    assert!(
        json["notes"][0].as_str().unwrap().contains("--username"),
        "{json}"
    );
    // Basic auth only: found with the credentials given; the suggested command takes no
    // secret (core refuses one without an HMAC format).
    let config = Config::new(Provider::ShopCtrl).basic_auth("shop", "pw");
    let (code, json, stderr) = diagnose(
        dir.path(),
        config,
        &opts,
        &[
            "--secret-env",
            "S",
            "--username",
            "shop",
            "--password-env",
            "PW",
        ],
        &[("S", "unused"), ("PW", "pw")],
    );
    assert_eq!(code, Some(0), "{json}");
    assert_eq!(
        json["flags"],
        "--provider shopctrl --username shop --password-env PW"
    );
    assert!(
        stderr.contains("verify --provider shopctrl --username shop --password-env PW FILE"),
        "{stderr}"
    );
}

#[test]
fn diagnose_guesses_no_hmac_format_from_credentials() {
    // Orisha's X-Secret is the secret itself: one shaped like `label=<MAC-length hex>` made a
    // ShopCtrl guess print `--hmac-prefix SUPERSECRET=`. Credential headers are not MACs, and a
    // prefix is only guessed when it is a short label.
    let dir = tempfile::tempdir().unwrap();
    let opts = SignOptions::at(1_763_900_000).event_type("item.created");
    let args = ["--secret-env", "S", "--now", "1763900000"];
    let hex = "ab".repeat(32);
    for secret in [format!("SUPERSECRET={hex}"), format!("SUPER.SECRET={hex}")] {
        let config = Config::new(Provider::Orisha).secret(&*secret);
        let (code, json, stderr) = diagnose(dir.path(), config, &opts, &args, &[("S", "wrong")]);
        assert_eq!(code, Some(1), "{json}");
        assert!(!json.to_string().contains("SECRET"), "{json}");
        assert!(!stderr.contains("SECRET"), "{stderr}");
    }
    // The cost: a format whose prefix is not a short label is not found.
    let spec =
        HmacSpec::new("X-Sig", MacAlgorithm::HmacSha256, TagEncoding::Hex).prefix("not a label=");
    let config = Config::new(Provider::ShopCtrl).secret("shared").hmac(spec);
    let (code, json, _) = diagnose(dir.path(), config, &opts, &args, &[("S", "shared")]);
    assert_eq!(code, Some(1), "{json}");
}

#[test]
fn diagnose_reports_the_nearest_failure() {
    let dir = tempfile::tempdir().unwrap();
    // Wrong secret: the mismatch, not a missing header, with the hint.
    let out = bin()
        .env("S", "nope")
        .args(["diagnose", "--secret-env", "S", "--now", "0"])
        .arg(fixture("extend-nc.http"))
        .output()
        .unwrap();
    let json = stdout_json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json["nearest"]["code"], "signature_mismatch", "{json}");
    assert_eq!(json["nearest"]["provider"], "extend");
    assert!(json["tried"].as_array().unwrap().len() >= 5);
    // A re-serialised JSON body: the hint says so.
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    let req = Config::new(Provider::StandardWebhooks)
        .secret(secret)
        .build()
        .unwrap()
        .sign(
            br#"{"type": "a",  "data": {}}"#,
            &SignOptions::at(1_763_900_000),
        )
        .unwrap();
    let file = dir.path().join("reserialised.http");
    std::fs::write(
        &file,
        raw_capture(&req.headers, br#"{"type":"a","data":{}}"#),
    )
    .unwrap();
    let out = bin()
        .env("S", secret)
        .args(["diagnose", "--secret-env", "S", "--now", "1763900000"])
        .arg(&file)
        .output()
        .unwrap();
    let json = stdout_json(&out);
    assert_eq!(json["nearest"]["code"], "signature_mismatch", "{json}");
    assert_eq!(json["nearest"]["hint_code"], "body_reserialised", "{json}");
    // An old capture whose signature is right: the timestamp, with the --now to use.
    let out = bin()
        .env("S", secret)
        .args(["diagnose", "--secret-env", "S"])
        .arg(fixture("standardwebhooks-trace-ascii.txt"))
        .output()
        .unwrap();
    let json = stdout_json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json["nearest"]["code"], "timestamp_too_old", "{json}");
    assert_eq!(json["nearest"]["provider"], "standardwebhooks", "{json}");
    assert_eq!(json["nearest"]["signature_valid"], true);
    assert!(json["nearest"]["advice"]
        .as_str()
        .unwrap()
        .contains("--now 1614265330"));
    // ... and with that --now it verifies.
    let out = bin()
        .env("S", secret)
        .args(["diagnose", "--secret-env", "S", "--now", "1614265330"])
        .arg(fixture("standardwebhooks-trace-ascii.txt"))
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["verifies_as"], "standardwebhooks");
    // No secret: a usage error.
    bin()
        .arg("diagnose")
        .arg(fixture("extend-nc.http"))
        .assert()
        .code(2);
}
