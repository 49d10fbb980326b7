//! Drives the `hookproof` binary: every shared vector as a raw capture, captures in several
//! real-world formats, `send` against a local receiver, and `diagnose`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use assert_cmd::Command;
use base64::Engine;
use hookproof::{Config, Provider, SignOptions, Verifier};
use serde_json::Value;

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn bin() -> Command {
    Command::cargo_bin("hookproof").unwrap()
}

fn stdout_json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

/// Adds the vector's config as flags and environment variables (never secrets on the command line).
fn with_config(cmd: &mut Command, config: &Value) {
    for (i, s) in config["secrets"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        let var = format!("HP_TEST_SECRET_{i}");
        cmd.env(&var, s.as_str().unwrap())
            .arg("--secret-env")
            .arg(var);
    }
    match &config["tolerance"] {
        Value::Bool(false) => {
            cmd.arg("--no-tolerance");
        }
        Value::Number(n) => {
            cmd.arg("--tolerance").arg(n.to_string());
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
    if let Some(h) = config.get("hmac") {
        cmd.args(["--hmac-header", h["header"].as_str().unwrap()]);
        cmd.args(["--hmac-algorithm", h["algorithm"].as_str().unwrap()]);
        cmd.args(["--hmac-encoding", h["encoding"].as_str().unwrap()]);
        if let Some(p) = h["prefix"].as_str() {
            cmd.args(["--hmac-prefix", p]);
        }
    }
}

fn raw_capture(headers: &[Value], body: &[u8]) -> Vec<u8> {
    let mut out = b"POST /webhook HTTP/1.1\r\nHost: 127.0.0.1\r\n".to_vec();
    for h in headers {
        out.extend_from_slice(
            format!("{}: {}\r\n", h[0].as_str().unwrap(), h[1].as_str().unwrap()).as_bytes(),
        );
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", body.len()).as_bytes());
    out.extend_from_slice(body);
    // nc captures often end with a newline that is not part of the body.
    out.push(b'\n');
    out
}

#[test]
fn every_vector_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let mut count = 0;
    for entry in std::fs::read_dir(repo().join("tests/vectors")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let provider = doc["provider"].as_str().unwrap();
        for case in doc["cases"].as_array().unwrap() {
            let expect = &case["expect"];
            let body = match case.get("body_base64") {
                Some(b) => base64::engine::general_purpose::STANDARD
                    .decode(b.as_str().unwrap())
                    .unwrap(),
                None => case["body"].as_str().unwrap().as_bytes().to_vec(),
            };
            let file = dir.path().join(format!("case{count}.http"));
            std::fs::write(
                &file,
                raw_capture(case["headers"].as_array().unwrap(), &body),
            )
            .unwrap();
            let mut cmd = bin();
            cmd.args([
                "verify",
                "--provider",
                provider,
                "--now",
                &case["now"].to_string(),
            ]);
            with_config(&mut cmd, &case["config"]);
            let out = cmd.arg(&file).output().unwrap();
            let name = format!("{provider} / {}", case["name"]);
            let json = stdout_json(&out);
            let code = expect.get("error").or(expect.get("config_error"));
            match code {
                None => {
                    assert!(out.status.success(), "{name}: {json}");
                    assert_eq!(json["ok"], true, "{name}");
                    if let Some(i) = expect.get("secret_index") {
                        assert_eq!(&json["secret_index"], i, "{name}");
                    }
                }
                Some(code) => {
                    assert_eq!(out.status.code(), Some(1), "{name}: {json}");
                    assert_eq!(&json["code"], code, "{name}");
                }
            }
            count += 1;
        }
    }
    assert!(count >= 100);
}

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn capture_formats() {
    for (file, provider, secret, now) in [
        ("extend-nc.http", "extend", "secret123", 0),
        ("extend-chunked.http", "extend", "secret123", 0),
        ("centra-requestbin.json", "centra", "test123", 12345678),
        (
            "standardwebhooks-trace-ascii.txt",
            "standardwebhooks",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            1614265330,
        ),
    ] {
        let out = bin()
            .env("S", secret)
            .args([
                "verify",
                "--provider",
                provider,
                "--secret-env",
                "S",
                "--now",
                &now.to_string(),
            ])
            .arg(fixture(file))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{file}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
    // An old capture fails at today's time, with the replay error.
    let out = bin()
        .env("S", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .args([
            "verify",
            "--provider",
            "standardwebhooks",
            "--secret-env",
            "S",
        ])
        .arg(fixture("standardwebhooks-trace-ascii.txt"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["code"], "timestamp_too_old");
    // Headers and body given separately, body on stdin.
    let out = bin()
        .env("S", "secret123")
        .args(["verify", "--provider", "extend", "--secret-env", "S", "-H"])
        .arg(
            "ms-signature: sha256=25FB6994568A75CD233E04BA1C653AF1BF476041CC543AF04F82CAAC482C201A",
        )
        .write_stdin("{'test':'test2'}")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

#[test]
fn secrets_never_on_the_command_line_and_never_printed() {
    let out = bin()
        .env("S", "secret123-wrong")
        .args(["verify", "--provider", "extend", "--secret-env", "S"])
        .arg(fixture("extend-nc.http"))
        .output()
        .unwrap();
    assert_eq!(stdout_json(&out)["code"], "signature_mismatch");
    assert!(!String::from_utf8_lossy(&out.stdout).contains("secret123-wrong"));
    let out = bin()
        .args([
            "verify",
            "--provider",
            "extend",
            "--secret-env",
            "UNSET_VAR_X",
        ])
        .arg(fixture("extend-nc.http"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// A receiver on 127.0.0.1 that verifies with the core and answers 200 or 401.
fn receiver(verifier: Verifier, requests: usize) -> (String, mpsc::Receiver<u16>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(requests) {
            let mut stream = stream.unwrap();
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
            tx.send(status).unwrap();
            let reply =
                format!("HTTP/1.1 {status} X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
            stream.write_all(reply.as_bytes()).unwrap();
        }
    });
    (url, rx)
}

fn write_payload(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("payload.json");
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn send_valid_tampered_stale() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "standardwebhooks",
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            vec![],
            true,
        ),
        ("centra", "c-secret", vec![], true),
        (
            "orisha",
            "o-secret",
            vec!["--event-type", "item.created"],
            false,
        ),
        ("extend", "e-secret", vec![], false),
    ];
    for (provider, secret, extra, signs_time) in cases {
        let p: Provider = provider.parse().unwrap();
        let verifier = Config::new(p).secret(secret).build().unwrap();
        let (url, statuses) = receiver(verifier, 3);
        let payload = write_payload(
            dir.path(),
            r#"{"ItemCode":"A1","products":["1"],"type":"x"}"#,
        );
        for (flag, want) in [
            (None, 200u16),
            (Some("--tamper"), 401),
            (Some("--stale"), if signs_time { 401 } else { 200 }),
        ] {
            let mut cmd = bin();
            cmd.env("S", secret).args([
                "send",
                "--provider",
                provider,
                "--secret-env",
                "S",
                "--json",
                "--expect-status",
                &want.to_string(),
            ]);
            cmd.arg("--payload").arg(&payload).args(&extra);
            if let Some(f) = flag {
                cmd.arg(f);
            }
            let out = cmd.arg(&url).output().unwrap();
            assert!(
                out.status.success(),
                "{provider} {flag:?}: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
            assert_eq!(stdout_json(&out)["status"], want);
            assert_eq!(statuses.recv().unwrap(), want);
        }
    }
    // --expect-status makes a wrong answer fail.
    let verifier = Config::new(Provider::Extend).secret("e").build().unwrap();
    let (url, _rx) = receiver(verifier, 1);
    let payload = write_payload(dir.path(), "{}");
    bin()
        .env("S", "e")
        .args([
            "send",
            "--provider",
            "extend",
            "--secret-env",
            "S",
            "--tamper",
            "--expect-status",
            "200",
            "--payload",
        ])
        .arg(&payload)
        .arg(&url)
        .assert()
        .code(1);
}

#[test]
fn sign_prints_a_request_and_a_curl_command() {
    let dir = tempfile::tempdir().unwrap();
    let payload = write_payload(dir.path(), r#"{"x":"it's"}"#);
    let out = bin()
        .env("S", "test123")
        .args([
            "sign",
            "--provider",
            "centra",
            "--secret-env",
            "S",
            "--now",
            "12345678",
            "--payload",
        ])
        .arg(&payload)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("POST / HTTP/1.1\n"), "{text}");
    assert!(text.contains("X-Centra-Signature: t=12345678,v1="));
    assert!(text.contains("payload=%7B%22x%22%3A%22it%27s%22%7D"));
    let out = bin()
        .env("S", "test123")
        .args([
            "sign",
            "--provider",
            "centra",
            "--secret-env",
            "S",
            "--curl",
            "http://127.0.0.1:9/x",
            "--payload",
        ])
        .arg(&payload)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("curl -sS -X POST 'http://127.0.0.1:9/x'"),
        "{text}"
    );
    assert!(text.contains("-H 'X-Centra-Signature: t="));
}

#[test]
fn diagnose_finds_the_scheme() {
    let dir = tempfile::tempdir().unwrap();
    let now = 1_763_900_000;
    let spec = hookproof::HmacSpec {
        header: "X-Shop-Sig".into(),
        algorithm: hookproof::MacAlgorithm::HmacSha512,
        encoding: hookproof::TagEncoding::Base64,
        prefix: Some("sha512=".into()),
    };
    let opts = SignOptions {
        event_type: Some("item.created".into()),
        ..SignOptions::at(now)
    };
    let cases: Vec<(Config, &str)> = vec![
        (Config::new(Provider::Centra).secret("shared"), "centra"),
        (Config::new(Provider::Centrali).secret("shared"), "centrali"),
        (Config::new(Provider::Orisha).secret("shared"), "orisha"),
        (Config::new(Provider::Extend).secret("shared"), "extend"),
        (Config::new(Provider::StandardWebhooks).secret("shared"), "centrali"),
        (Config::new(Provider::ShopCtrl).secret("shared").hmac(spec), "shopctrl --hmac-header X-Shop-Sig --hmac-algorithm sha512 --hmac-encoding base64 --hmac-prefix 'sha512='"),
    ];
    for (i, (config, expected)) in cases.into_iter().enumerate() {
        let req = config
            .build()
            .unwrap()
            .sign(br#"{"ItemCode":"A"}"#, &opts)
            .unwrap();
        let headers: Vec<Value> = req
            .headers
            .iter()
            .map(|(k, v)| serde_json::json!([k, v]))
            .collect();
        let file = dir.path().join(format!("c{i}.http"));
        std::fs::write(&file, raw_capture(&headers, &req.body)).unwrap();
        let out = bin()
            .env("S", "shared")
            .args(["diagnose", "--secret-env", "S", "--now", &now.to_string()])
            .arg(&file)
            .output()
            .unwrap();
        let json = stdout_json(&out);
        assert!(out.status.success(), "{expected}: {json}");
        // Standard Webhooks requests also verify as Centrali 6.1, which is tried first.
        assert_eq!(json["verifies_as"], expected);
    }
    // Wrong secret: the nearest failure is the mismatch, not a missing header.
    let file = fixture("extend-nc.http");
    let out = bin()
        .env("S", "nope")
        .args(["diagnose", "--secret-env", "S", "--now", "0"])
        .arg(&file)
        .output()
        .unwrap();
    let json = stdout_json(&out);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(json["nearest"]["code"], "signature_mismatch", "{json}");
    assert_eq!(json["nearest"]["scheme"], "extend");
}
