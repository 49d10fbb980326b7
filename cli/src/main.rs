//! `hookproof`: verify, sign, send and diagnose webhooks for the providers the core knows.

mod capture;

use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use hookproof::{
    CentraliGeneration, Config, Error, HmacSpec, MacAlgorithm, Provider, SignOptions, TagEncoding,
    Verifier,
};
use serde_json::json;

#[derive(Parser)]
#[command(
    name = "hookproof",
    version,
    about = "Verify, sign, send and diagnose commerce webhooks"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a captured request and print the verdict and the event as JSON.
    Verify(VerifyArgs),
    /// Print the request a provider would send for a payload (or a curl command).
    Sign(SignArgs),
    /// Sign a payload and POST it to a receiver; print the response status.
    Send(SendArgs),
    /// Try every scheme on a captured request and report which verifies.
    Diagnose(DiagnoseArgs),
}

/// Where secrets come from: never the command line itself.
#[derive(Args, Clone, Default)]
struct SecretArgs {
    /// Environment variable holding a secret (repeat for rotation).
    #[arg(long = "secret-env", value_name = "VAR")]
    secret_env: Vec<String>,
    /// File holding a secret; one trailing newline is removed (repeat for rotation).
    #[arg(long = "secret-file", value_name = "FILE")]
    secret_file: Vec<PathBuf>,
    /// ShopCtrl Basic user name.
    #[arg(long)]
    username: Option<String>,
    /// Environment variable holding the ShopCtrl Basic password.
    #[arg(long = "password-env", value_name = "VAR")]
    password_env: Option<String>,
    /// ShopCtrl HMAC header name.
    #[arg(long = "hmac-header")]
    hmac_header: Option<String>,
    /// ShopCtrl HMAC digest: sha1, sha256, sha512.
    #[arg(long = "hmac-algorithm", default_value = "sha256")]
    hmac_algorithm: String,
    /// ShopCtrl HMAC encoding: hex, base64.
    #[arg(long = "hmac-encoding", default_value = "hex")]
    hmac_encoding: String,
    /// ShopCtrl HMAC prefix before the tag (e.g. `sha256=`).
    #[arg(long = "hmac-prefix")]
    hmac_prefix: Option<String>,
}

#[derive(Args)]
struct TimeArgs {
    /// Unix seconds to verify at (default: now), e.g. when the capture arrived.
    #[arg(long)]
    now: Option<u64>,
    /// Timestamp tolerance in seconds (default 300).
    #[arg(long, conflicts_with = "no_tolerance")]
    tolerance: Option<u64>,
    /// Disable the timestamp check (old captures).
    #[arg(long = "no-tolerance")]
    no_tolerance: bool,
}

#[derive(Args)]
struct VerifyArgs {
    #[arg(long, short)]
    provider: String,
    #[command(flatten)]
    secrets: SecretArgs,
    #[command(flatten)]
    time: TimeArgs,
    /// A header as `Name: value` (instead of a capture file; repeatable).
    #[arg(long = "header", short = 'H')]
    headers: Vec<String>,
    /// The body file, with --header.
    #[arg(long)]
    body: Option<PathBuf>,
    /// A captured request (raw HTTP, curl --trace-ascii, or JSON export); `-` or none: stdin.
    file: Option<PathBuf>,
}

#[derive(Args)]
struct SignArgs {
    #[arg(long, short)]
    provider: String,
    #[command(flatten)]
    secrets: SecretArgs,
    /// The payload file (JSON; for Centra the JSON that goes into the form).
    #[arg(long)]
    payload: PathBuf,
    #[arg(long)]
    now: Option<u64>,
    /// Message / event id.
    #[arg(long)]
    id: Option<String>,
    /// Event type header (Orisha requires one).
    #[arg(long = "event-type")]
    event_type: Option<String>,
    /// Centrali generation: legacy or standard.
    #[arg(long)]
    generation: Option<String>,
    /// Print a curl command posting to this URL instead of the raw request.
    #[arg(long, value_name = "URL")]
    curl: Option<String>,
}

#[derive(Args)]
struct SendArgs {
    #[command(flatten)]
    sign: SignArgs,
    /// Change one body byte after signing (or, where the body is not signed, the credential).
    #[arg(long, conflicts_with = "stale")]
    tamper: bool,
    /// Sign an hour in the past.
    #[arg(long)]
    stale: bool,
    /// Exit 1 unless the receiver answers this status.
    #[arg(long = "expect-status")]
    expect_status: Option<u16>,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Receiver URL (http).
    url: String,
}

#[derive(Args)]
struct DiagnoseArgs {
    #[command(flatten)]
    secrets: SecretArgs,
    #[command(flatten)]
    time: TimeArgs,
    /// A captured request; `-` or none: stdin.
    file: Option<PathBuf>,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("hookproof: {msg}");
    ExitCode::from(2)
}

fn read_secrets(a: &SecretArgs) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for var in &a.secret_env {
        out.push(std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))?);
    }
    for f in &a.secret_file {
        let s = std::fs::read_to_string(f).map_err(|e| format!("{}: {e}", f.display()))?;
        // Files written by editors or `echo` end with a newline that is not part of the secret.
        let s = s
            .strip_suffix('\n')
            .map(|s| s.strip_suffix('\r').unwrap_or(s))
            .unwrap_or(&s);
        out.push(s.to_string());
    }
    Ok(out)
}

fn config(provider: Provider, a: &SecretArgs, time: Option<&TimeArgs>) -> Result<Config, String> {
    let mut c = Config::new(provider);
    c.secrets = read_secrets(a)?;
    if let Some(t) = time {
        if let Some(s) = t.tolerance {
            c.tolerance = Some(s);
        }
        if t.no_tolerance {
            c.tolerance = None;
        }
    }
    if let Some(user) = &a.username {
        let var = a
            .password_env
            .as_ref()
            .ok_or("--username needs --password-env")?;
        let pass =
            std::env::var(var).map_err(|_| format!("environment variable {var} is not set"))?;
        c.basic_auth = Some((user.clone(), pass));
    }
    if let Some(header) = &a.hmac_header {
        c.hmac = Some(HmacSpec {
            header: header.clone(),
            algorithm: MacAlgorithm::from_name(&a.hmac_algorithm)
                .ok_or("--hmac-algorithm: sha1, sha256 or sha512")?,
            encoding: TagEncoding::from_name(&a.hmac_encoding)
                .ok_or("--hmac-encoding: hex or base64")?,
            prefix: a.hmac_prefix.clone(),
        });
    }
    Ok(c)
}

fn read_input(file: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    match file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
        }
        _ => {
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| e.to_string())?;
            Ok(b)
        }
    }
}

fn error_json(e: &Error) -> serde_json::Value {
    json!({ "ok": false, "code": e.code(), "message": e.to_string(), "hint": e.hint().map(|h| h.message()) })
}

fn verify(a: VerifyArgs) -> ExitCode {
    let provider: Provider = match a.provider.parse() {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let cap = if a.headers.is_empty() {
        match read_input(a.file.as_ref()).and_then(|b| capture::parse(&b)) {
            Ok(c) => c,
            Err(e) => return fail(e),
        }
    } else {
        let mut c = capture::Capture::default();
        for h in &a.headers {
            let Some((n, v)) = h.split_once(':') else {
                return fail(format!("--header {h:?}: expected `Name: value`"));
            };
            c.headers.push((n.trim().into(), v.trim().into()));
        }
        c.body = match read_input(a.body.as_ref()) {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        c
    };
    let verifier = match config(provider, &a.secrets, Some(&a.time)).map(|c| c.build()) {
        Ok(Ok(v)) => v,
        Ok(Err(e)) => {
            println!("{}", error_json(&e));
            return ExitCode::from(1);
        }
        Err(e) => return fail(e),
    };
    let now = a.time.now.unwrap_or_else(hookproof::unix_now);
    match verifier.verify(&cap.headers, &cap.body, now) {
        Ok(v) => {
            let event = verifier.parse(&cap.headers, &cap.body);
            let out = json!({
                "ok": true,
                "provider": provider.id(),
                "secret_index": v.secret_index,
                "timestamp": v.timestamp,
                "event": event.as_ref().ok(),
                "parse_error": event.as_ref().err().map(error_json),
            });
            println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Err(e) => {
            println!(
                "{}",
                serde_json::to_string_pretty(&error_json(&e)).unwrap_or_default()
            );
            ExitCode::from(1)
        }
    }
}

fn sign_request(a: &SignArgs, now: u64) -> Result<(Verifier, hookproof::SignedRequest), String> {
    let provider: Provider = a.provider.parse().map_err(|e: Error| e.to_string())?;
    let verifier = config(provider, &a.secrets, None)?
        .build()
        .map_err(|e| e.to_string())?;
    let payload = std::fs::read(&a.payload).map_err(|e| format!("{}: {e}", a.payload.display()))?;
    let centrali_generation = match &a.generation {
        Some(g) => CentraliGeneration::from_name(g).ok_or("--generation: legacy or standard")?,
        None => CentraliGeneration::default(),
    };
    let opts = SignOptions {
        now,
        id: a.id.clone(),
        event_type: a.event_type.clone(),
        centrali_generation,
    };
    let req = verifier.sign(&payload, &opts).map_err(|e| e.to_string())?;
    Ok((verifier, req))
}

fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

fn sign(a: SignArgs) -> ExitCode {
    let now = a.now.unwrap_or_else(hookproof::unix_now);
    let (_, req) = match sign_request(&a, now) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let body = String::from_utf8_lossy(&req.body);
    if let Some(url) = &a.curl {
        let mut cmd = format!("curl -sS -X {} {}", req.method, shell_quote(url));
        for (k, v) in &req.headers {
            cmd.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}"))));
        }
        cmd.push_str(&format!(" \\\n  --data-binary {}", shell_quote(&body)));
        println!("{cmd}");
    } else {
        println!("{} / HTTP/1.1", req.method);
        for (k, v) in &req.headers {
            println!("{k}: {v}");
        }
        println!("Content-Length: {}\n", req.body.len());
        println!("{body}");
    }
    ExitCode::SUCCESS
}

/// Changes a body byte to another that keeps the body well-formed (a digit or a letter).
fn tamper_body(body: &mut [u8]) -> bool {
    for b in body.iter_mut() {
        let swapped = match *b {
            b'0'..=b'8' => *b + 1,
            b'9' => b'0',
            b'a'..=b'y' => *b + 1,
            b'z' => b'a',
            _ => continue,
        };
        *b = swapped;
        return true;
    }
    false
}

fn send(a: SendArgs) -> ExitCode {
    let mut now = a.sign.now.unwrap_or_else(hookproof::unix_now);
    if a.stale {
        now = now.saturating_sub(3600);
    }
    let (verifier, mut req) = match sign_request(&a.sign, now) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    let mut variant = if a.stale { "stale" } else { "valid" };
    if a.tamper {
        variant = "tampered";
        // Where the body is signed, change it; otherwise (a shared secret) change the credential.
        let mut probe = req.body.clone();
        let body_signed =
            tamper_body(&mut probe) && verifier.verify(&req.headers, &probe, now).is_err();
        if body_signed {
            req.body = probe;
        } else if let Some(h) = req
            .headers
            .iter_mut()
            .rev()
            .find(|(n, _)| !n.eq_ignore_ascii_case("content-type"))
        {
            h.1.push('x');
        }
    }
    let mut call = ureq::post(&a.url).timeout(std::time::Duration::from_secs(15));
    for (k, v) in &req.headers {
        call = call.set(k, v);
    }
    let (status, text) = match call.send_bytes(&req.body) {
        Ok(r) => (r.status(), r.into_string().unwrap_or_default()),
        Err(ureq::Error::Status(code, r)) => (code, r.into_string().unwrap_or_default()),
        Err(e) => return fail(format!("{}: {e}", a.url)),
    };
    let short: String = text.chars().take(300).collect();
    if a.json {
        println!(
            "{}",
            json!({ "provider": a.sign.provider, "variant": variant, "status": status, "body": short })
        );
    } else {
        println!("{} {variant}: HTTP {status} {short}", a.sign.provider);
    }
    match a.expect_status {
        Some(want) if want != status => {
            eprintln!("hookproof: expected HTTP {want}, got {status}");
            ExitCode::from(1)
        }
        _ => ExitCode::SUCCESS,
    }
}

/// How far a failed check got: later stages are nearer to a working configuration.
fn nearness(e: &Error) -> u8 {
    match e.code() {
        "signature_mismatch" | "timestamp_too_old" | "timestamp_in_future" => 4,
        "bad_encoding" | "unsupported_scheme" => 3,
        "malformed_header" | "duplicate_header" => 2,
        "missing_header" => 1,
        _ => 0,
    }
}

/// ShopCtrl-style HMAC formats worth trying: every header whose value, after an optional
/// `prefix=`, is a MAC-length hex or base64 string.
fn hmac_guesses(cap: &capture::Capture) -> Vec<HmacSpec> {
    let mut out = Vec::new();
    for (name, value) in &cap.headers {
        let (prefix, tag) = match value.find('=') {
            Some(i) if i + 1 < value.len() && !value[..i].contains(' ') && i < 16 => {
                (Some(value[..=i].to_string()), &value[i + 1..])
            }
            _ => (None, value.as_str()),
        };
        for alg in [
            MacAlgorithm::HmacSha1,
            MacAlgorithm::HmacSha256,
            MacAlgorithm::HmacSha512,
        ] {
            let n = alg.output_len();
            let hex = tag.len() == 2 * n && tag.bytes().all(|b| b.is_ascii_hexdigit());
            let b64 = tag.trim_end_matches('=').len() == (4 * n).div_ceil(3);
            for (ok, enc) in [(hex, TagEncoding::Hex), (b64, TagEncoding::Base64)] {
                if ok {
                    out.push(HmacSpec {
                        header: name.clone(),
                        algorithm: alg,
                        encoding: enc,
                        prefix: prefix.clone(),
                    });
                }
            }
        }
    }
    out
}

fn diagnose(a: DiagnoseArgs) -> ExitCode {
    let cap = match read_input(a.file.as_ref()).and_then(|b| capture::parse(&b)) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let now = a.time.now.unwrap_or_else(hookproof::unix_now);
    let mut attempts: Vec<(String, Result<hookproof::Verified, Error>)> = Vec::new();
    // Named schemes first: a ShopCtrl guess can coincide with one (Extend's header is a
    // sha256/hex/`sha256=` HMAC too), and the named scheme is the better answer.
    let mut order: Vec<Provider> = Provider::ALL
        .into_iter()
        .filter(|p| *p != Provider::ShopCtrl)
        .collect();
    order.push(Provider::ShopCtrl);
    for provider in order {
        let mut configs: Vec<(String, Config)> = Vec::new();
        let base = match config(provider, &a.secrets, Some(&a.time)) {
            Ok(c) => c,
            Err(e) => return fail(e),
        };
        if provider == Provider::ShopCtrl {
            for spec in hmac_guesses(&cap) {
                let label = format!(
                    "shopctrl --hmac-header {} --hmac-algorithm {} --hmac-encoding {}{}",
                    spec.header,
                    spec.algorithm.digest_name(),
                    spec.encoding.name(),
                    spec.prefix
                        .as_ref()
                        .map(|p| format!(" --hmac-prefix '{p}'"))
                        .unwrap_or_default()
                );
                configs.push((label, base.clone().hmac(spec)));
            }
        } else {
            configs.push((provider.id().to_string(), base));
        }
        for (label, c) in configs {
            let r = c
                .build()
                .and_then(|v| v.verify(&cap.headers, &cap.body, now));
            attempts.push((label, r));
        }
    }
    if let Some((label, Ok(v))) = attempts.iter().find(|(_, r)| r.is_ok()) {
        println!("{}", serde_json::to_string_pretty(&json!({
            "ok": true, "verifies_as": label, "secret_index": v.secret_index, "timestamp": v.timestamp,
        })).unwrap_or_default());
        return ExitCode::SUCCESS;
    }
    let tried: Vec<_> = attempts
        .iter()
        .filter_map(|(l, r)| {
            r.as_ref()
                .err()
                .map(|e| json!({ "scheme": l, "code": e.code() }))
        })
        .collect();
    let nearest = attempts
        .iter()
        .filter_map(|(l, r)| r.as_ref().err().map(|e| (l, e)))
        // First among equals: named schemes come before ShopCtrl guesses.
        .min_by_key(|(_, e)| std::cmp::Reverse(nearness(e)));
    let out = json!({
        "ok": false,
        "nearest": nearest.map(|(l, e)| json!({ "scheme": l, "code": e.code(), "message": e.to_string(), "hint": e.hint().map(|h| h.message()) })),
        "tried": tried,
    });
    println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
    ExitCode::from(1)
}

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Verify(a) => verify(a),
        Command::Sign(a) => sign(a),
        Command::Send(a) => send(a),
        Command::Diagnose(a) => diagnose(a),
    }
}
