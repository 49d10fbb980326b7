//! `hookproof`: verify, sign, send and diagnose webhooks for the providers the core knows.
//!
//! Everything provider-specific comes from the `hookproof` crate: this file only converts
//! between the command line, captured requests, HTTP and JSON.

mod capture;
mod diagnose;

use std::io::{IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use hookproof::{
    CentraliGeneration, Config, Error, HmacSpec, MacAlgorithm, Provider, SignOptions,
    SignedRequest, TagEncoding, Verifier, DEFAULT_TOLERANCE,
};
use serde_json::{json, Value};

/// Exit status of a usage or I/O problem (1 means "the request did not verify").
const USAGE: u8 = 2;

#[derive(Parser)]
#[command(
    name = "hookproof",
    version,
    about = "Verify, sign, send and diagnose commerce webhooks",
    after_help = "Providers: centra, centrali, orisha, shopctrl, extend, standardwebhooks.\n\
                  Secrets are read from environment variables or files, never from arguments."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Verify a captured request; print the verdict and the event as JSON.
    Verify(VerifyArgs),
    /// Print the request a provider would send for a payload (or a curl command).
    Sign(SignArgs),
    /// Sign a payload, POST it to a receiver and print the response status.
    Send(SendArgs),
    /// Try every scheme on a captured request and report which one verifies.
    Diagnose(DiagnoseArgs),
}

/// Where a secret comes from, in command-line order (rotation: the order is `secret_index`).
#[derive(Clone, Debug)]
enum SecretSource {
    Env(String),
    File(PathBuf),
}

/// Secrets and ShopCtrl's credentials: never on the command line itself.
#[derive(Args, Clone, Default)]
struct SecretArgs {
    /// Environment variable holding a secret (repeat, with --secret-file too, for rotation).
    // Hyphen values allowed: clap would otherwise echo a mistaken `-`-leading secret.
    #[arg(long = "secret-env", value_name = "VAR", allow_hyphen_values = true)]
    secret_env: Vec<String>,
    /// File holding a secret; one trailing LF or CRLF is removed, nothing else.
    #[arg(long = "secret-file", value_name = "FILE", allow_hyphen_values = true)]
    secret_file: Vec<PathBuf>,
    /// ShopCtrl: Basic auth user name.
    #[arg(long, requires = "password_env")]
    username: Option<String>,
    /// ShopCtrl: environment variable holding the Basic auth password.
    #[arg(
        long = "password-env",
        value_name = "VAR",
        requires = "username",
        allow_hyphen_values = true
    )]
    password_env: Option<String>,
    /// ShopCtrl: the HMAC header name.
    #[arg(long = "hmac-header", value_name = "NAME", requires_all = ["hmac_algorithm", "hmac_encoding"])]
    hmac_header: Option<String>,
    /// ShopCtrl: the HMAC digest (sha1, sha256, sha512).
    #[arg(
        long = "hmac-algorithm",
        value_name = "DIGEST",
        requires = "hmac_header"
    )]
    hmac_algorithm: Option<String>,
    /// ShopCtrl: the HMAC encoding (hex, base64).
    #[arg(long = "hmac-encoding", value_name = "ENC", requires = "hmac_header")]
    hmac_encoding: Option<String>,
    /// ShopCtrl: text before the tag in the HMAC header (e.g. `sha256=`).
    #[arg(long = "hmac-prefix", value_name = "TEXT", requires = "hmac_header")]
    hmac_prefix: Option<String>,
    /// Filled from the argument indices after parsing.
    #[arg(skip)]
    order: Vec<SecretSource>,
}

/// Centrali's generation, for `verify`, `sign` and `send` (`diagnose` tries both).
#[derive(Args, Clone, Copy, Default)]
struct GenerationArg {
    /// Centrali: accept (and sign as) only this generation, legacy or standard. Without it,
    /// each request's headers tell which, and `sign` uses standard (6.1+).
    #[arg(long, value_name = "legacy|standard", value_parser = parse_generation)]
    generation: Option<CentraliGeneration>,
}

#[derive(Clone, Copy, Debug)]
enum Tolerance {
    Seconds(u64),
    Off,
}

fn parse_tolerance(s: &str) -> Result<Tolerance, String> {
    match s.trim().to_ascii_lowercase().as_str() {
        "false" | "off" | "none" => Ok(Tolerance::Off),
        n => n
            .parse()
            .map(Tolerance::Seconds)
            .map_err(|_| "seconds, or `off` to disable the check".to_string()),
    }
}

#[derive(Args, Clone)]
struct TimeArgs {
    /// Unix seconds to verify at (default: now), e.g. when an old capture arrived.
    #[arg(long, value_name = "UNIX_SECONDS")]
    now: Option<u64>,
    /// Timestamp tolerance in seconds (default 300), or `off`.
    #[arg(long, value_name = "SECONDS", value_parser = parse_tolerance, conflicts_with = "no_tolerance")]
    tolerance: Option<Tolerance>,
    /// Disable the timestamp check (same as --tolerance off).
    #[arg(long = "no-tolerance")]
    no_tolerance: bool,
}

impl TimeArgs {
    fn tolerance(&self) -> Option<u64> {
        match (self.no_tolerance, self.tolerance) {
            (true, _) | (_, Some(Tolerance::Off)) => None,
            (_, Some(Tolerance::Seconds(s))) => Some(s),
            (_, None) => Some(DEFAULT_TOLERANCE),
        }
    }

    fn now(&self) -> u64 {
        self.now.unwrap_or_else(hookproof::unix_now)
    }
}

#[derive(Args)]
struct VerifyArgs {
    /// Provider id.
    #[arg(long, short, value_parser = provider_ids(), ignore_case = true)]
    provider: String,
    #[command(flatten)]
    secrets: SecretArgs,
    #[command(flatten)]
    generation: GenerationArg,
    #[command(flatten)]
    time: TimeArgs,
    /// A header `Name: value`, instead of a capture file (repeat for each header).
    #[arg(long = "header", short = 'H', value_name = "NAME: VALUE")]
    headers: Vec<String>,
    /// With --header: the file holding the exact body bytes (default: stdin).
    #[arg(long, value_name = "FILE", requires = "headers")]
    body: Option<PathBuf>,
    /// Captured request: raw HTTP, curl --trace-ascii / --trace log, or JSON export
    /// (default or `-`: stdin).
    #[arg(conflicts_with = "headers")]
    file: Option<PathBuf>,
}

/// What `sign` and `send` share: the provider, its secret and what to sign.
#[derive(Args)]
struct SignCommon {
    /// Provider id.
    #[arg(long, short, value_parser = provider_ids(), ignore_case = true)]
    provider: String,
    #[command(flatten)]
    secrets: SecretArgs,
    #[command(flatten)]
    generation: GenerationArg,
    /// The payload file (for Centra the JSON that goes into the form).
    #[arg(long, value_name = "FILE")]
    payload: PathBuf,
    /// Unix seconds to sign at (default: now).
    #[arg(long, value_name = "UNIX_SECONDS")]
    now: Option<u64>,
    /// Message / event id (default: derived from payload and time).
    #[arg(long)]
    id: Option<String>,
    /// Event type header (Orisha requires one; Centrali 6.1+ defaults to the body's `event`;
    /// other schemes and legacy Centrali send none).
    #[arg(long = "event-type", value_name = "TYPE")]
    event_type: Option<String>,
    /// Orisha's X-Administration-Code header (sent when given).
    #[arg(long = "administration-code", value_name = "CODE")]
    administration_code: Option<String>,
    /// Orisha's X-TriggeredBy-Id header (sent when given).
    #[arg(long = "triggered-by-id", value_name = "ID")]
    triggered_by_id: Option<String>,
}

#[derive(Args)]
struct SignArgs {
    #[command(flatten)]
    common: SignCommon,
    /// Print a shell-quoted curl command posting to URL instead of the raw request.
    #[arg(long, value_name = "URL", conflicts_with = "json")]
    curl: Option<String>,
    /// Print {"method", "headers": [[name, value]...], "body"} (a JSON capture `verify` reads).
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct SendArgs {
    #[command(flatten)]
    common: SignCommon,
    /// Change one body byte after signing so the signature breaks but the body stays well
    /// formed (where the body is not signed: one byte of the credential header).
    #[arg(long, conflicts_with = "stale")]
    tamper: bool,
    /// Sign at now - tolerance - 60 s, a request a receiver must reject as a replay.
    #[arg(long)]
    stale: bool,
    /// The receiver's tolerance in seconds, for --stale.
    #[arg(long, value_name = "SECONDS", default_value_t = DEFAULT_TOLERANCE)]
    tolerance: u64,
    /// Exit 1 unless the receiver answers with this status.
    #[arg(long = "expect-status", value_name = "STATUS")]
    expect_status: Option<u16>,
    /// Print the result as one JSON object.
    #[arg(long)]
    json: bool,
    /// Seconds to wait for the receiver.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// Receiver URL (http://).
    url: String,
}

#[derive(Args)]
struct DiagnoseArgs {
    #[command(flatten)]
    secrets: SecretArgs,
    #[command(flatten)]
    time: TimeArgs,
    /// Captured request (default or `-`: stdin).
    file: Option<PathBuf>,
}

fn fail(msg: impl std::fmt::Display) -> ExitCode {
    eprintln!("hookproof: {msg}");
    ExitCode::from(USAGE)
}

/// Puts `--secret-env` and `--secret-file` values back into the order they were given.
fn secret_order(m: &ArgMatches) -> Vec<SecretSource> {
    let mut out: Vec<(usize, SecretSource)> = Vec::new();
    if let (Some(vals), Some(idx)) = (
        m.get_many::<String>("secret_env"),
        m.indices_of("secret_env"),
    ) {
        out.extend(idx.zip(vals.map(|v| SecretSource::Env(v.clone()))));
    }
    if let (Some(vals), Some(idx)) = (
        m.get_many::<PathBuf>("secret_file"),
        m.indices_of("secret_file"),
    ) {
        out.extend(idx.zip(vals.map(|v| SecretSource::File(v.clone()))));
    }
    out.sort_by_key(|(i, _)| *i);
    out.into_iter().map(|(_, s)| s).collect()
}

/// Reads the variable that `flag` names. The error does not repeat the name: a common slip is
/// `--secret-env "$SECRET"`, which passes the secret itself, and that must not reach a log.
fn env_var(flag: &str, var: &str) -> Result<String, String> {
    // `flag` may carry a count (`--secret-env #2`); the example takes the flag alone.
    let bare = flag.split(' ').next().unwrap_or(flag);
    std::env::var(var).map_err(|e| match e {
        std::env::VarError::NotPresent => format!(
            "the environment variable {flag} names is not set (pass the variable's name, \
             e.g. {bare} WEBHOOK_SECRET, not its value)"
        ),
        std::env::VarError::NotUnicode(_) => {
            format!("the environment variable {flag} names is not UTF-8")
        }
    })
}

/// Reads a secret file. Rule: one trailing line end (LF or CRLF, as `echo` and editors add)
/// is removed; any other white space is kept (and the core hints at it when nothing matches).
fn secret_from_file(text: &str) -> &str {
    text.strip_suffix("\r\n")
        .or_else(|| text.strip_suffix('\n'))
        .unwrap_or(text)
}

fn read_secrets(a: &SecretArgs) -> Result<Vec<String>, String> {
    let mut order = a.order.clone();
    if order.is_empty() {
        order.extend(a.secret_env.iter().cloned().map(SecretSource::Env));
        order.extend(a.secret_file.iter().cloned().map(SecretSource::File));
    }
    let (mut envs, mut files) = (0, 0);
    order
        .iter()
        .map(|s| match s {
            SecretSource::Env(var) => {
                envs += 1;
                env_var(&format!("--secret-env #{envs}"), var)
            }
            // The path is not repeated either (a secret passed as one would be printed).
            SecretSource::File(f) => {
                files += 1;
                std::fs::read_to_string(f)
                    .map(|t| secret_from_file(&t).to_string())
                    .map_err(|e| {
                        format!(
                            "cannot read the file of --secret-file #{files}: {e} (pass the \
                             path of a file holding the secret, not the secret)"
                        )
                    })
            }
        })
        .collect()
}

/// The ShopCtrl HMAC format given on the command line, if any.
fn hmac_spec(a: &SecretArgs) -> Result<Option<HmacSpec>, String> {
    let Some(header) = &a.hmac_header else {
        return Ok(None);
    };
    let algorithm = a.hmac_algorithm.as_deref().unwrap_or_default();
    let encoding = a.hmac_encoding.as_deref().unwrap_or_default();
    let mut spec = HmacSpec::new(
        header.clone(),
        MacAlgorithm::from_name(algorithm)
            .ok_or("--hmac-algorithm must be sha1, sha256 or sha512")?,
        TagEncoding::from_name(encoding).ok_or("--hmac-encoding must be hex or base64")?,
    );
    spec.prefix.clone_from(&a.hmac_prefix);
    Ok(Some(spec))
}

fn basic_auth(a: &SecretArgs) -> Result<Option<(String, String)>, String> {
    match (&a.username, &a.password_env) {
        (Some(user), Some(var)) => Ok(Some((user.clone(), env_var("--password-env", var)?))),
        _ => Ok(None),
    }
}

/// The core configuration for `provider` from the command line.
fn config(
    provider: Provider,
    a: &SecretArgs,
    g: GenerationArg,
    tolerance: Option<u64>,
) -> Result<Config, String> {
    let mut c = Config::new(provider);
    c.secrets = read_secrets(a)?;
    c.tolerance = tolerance;
    c.basic_auth = basic_auth(a)?;
    c.hmac = hmac_spec(a)?;
    c.centrali_generation = g.generation;
    Ok(c)
}

/// The provider ids, from the core, for help and error messages.
fn provider_ids() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(Provider::ALL.iter().map(|p| p.id()))
}

fn parse_generation(s: &str) -> Result<CentraliGeneration, String> {
    CentraliGeneration::from_name(s).ok_or_else(|| "legacy or standard".into())
}

fn parse_provider(s: &str) -> Result<Provider, String> {
    s.parse().map_err(|e: Error| e.to_string())
}

fn read_input(file: Option<&PathBuf>) -> Result<Vec<u8>, String> {
    match file {
        Some(p) if p.as_os_str() != "-" => {
            std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
        }
        _ => {
            if std::io::stdin().is_terminal() {
                return Err("nothing to read: give a file, or pipe it to stdin".into());
            }
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| format!("stdin: {e}"))?;
            Ok(b)
        }
    }
}

fn read_capture(file: Option<&PathBuf>) -> Result<capture::Capture, String> {
    let bytes = read_input(file)?;
    capture::parse(&bytes).map_err(|e| format!("cannot read the captured request: {e}"))
}

/// An error as the bindings expose it: code, family, message (with the hint), hint, hint_code.
fn error_json(e: &Error) -> Value {
    json!({
        "ok": false,
        "code": e.code(),
        "family": e.family(),
        "message": e.to_string(),
        "hint": e.hint().map(|h| h.message()),
        "hint_code": e.hint().map(|h| h.code()),
    })
}

/// What was read from the capture: header names only (values may be signatures).
fn request_summary(c: &capture::Capture) -> Value {
    json!({
        "format": c.format,
        "method": c.method,
        "target": c.target,
        "header_names": c.headers.iter().map(|(n, _)| n).collect::<Vec<_>>(),
        "body_bytes": c.body.len(),
    })
}

/// Writes a line to stdout; a closed pipe (`| head`) is not an error worth a panic.
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}").and_then(|_| out.flush());
}

fn print_json(v: &Value) {
    emit(&serde_json::to_string_pretty(v).unwrap_or_default());
}

fn verify(a: VerifyArgs) -> ExitCode {
    let provider = match parse_provider(&a.provider) {
        Ok(p) => p,
        Err(e) => return fail(e),
    };
    let cap = if a.headers.is_empty() {
        match read_capture(a.file.as_ref()) {
            Ok(c) => c,
            Err(e) => return fail(e),
        }
    } else {
        let mut c = capture::Capture {
            format: "arguments",
            ..capture::Capture::default()
        };
        for (i, h) in a.headers.iter().enumerate() {
            match h.split_once(':') {
                Some((n, v)) if !capture::ows(n).is_empty() => c
                    .headers
                    .push((capture::ows(n).into(), capture::ows(v).into())),
                // Never echo the argument: it may hold a signature.
                _ => {
                    return fail(format!(
                        "--header number {} is not of the form `Name: value`",
                        i + 1
                    ))
                }
            }
        }
        c.body = match read_input(a.body.as_ref()) {
            Ok(b) => b,
            Err(e) => return fail(e),
        };
        c
    };
    let built = match config(provider, &a.secrets, a.generation, a.time.tolerance()) {
        Ok(c) => c.build(),
        Err(e) => return fail(e),
    };
    let verifier = match built {
        Ok(v) => v,
        Err(e) => {
            print_json(&error_json(&e));
            return ExitCode::from(1);
        }
    };
    match verifier.verify(&cap.headers, &cap.body, a.time.now()) {
        Ok(v) => {
            // The verdict is the signature's; a payload the parser rejects is reported beside it.
            let event = verifier.parse(&cap.headers, &cap.body);
            print_json(&json!({
                "ok": true,
                "provider": provider.id(),
                "secret_index": v.secret_index,
                "timestamp": v.timestamp,
                "event": event.as_ref().ok(),
                "parse_error": event.as_ref().err().map(error_json),
                "request": request_summary(&cap),
                // What the capture could not show exactly (trace-ascii dots, several requests)
                // matters when it verifies too.
                "notes": cap.notes,
            }));
            ExitCode::SUCCESS
        }
        Err(e) => {
            let mut out = error_json(&e);
            out["provider"] = json!(provider.id());
            out["request"] = request_summary(&cap);
            out["notes"] = json!(cap.notes);
            print_json(&out);
            ExitCode::from(1)
        }
    }
}

/// Signs the payload as the provider would at `now`; also returns the verifier.
fn sign_request(a: &SignCommon, now: u64) -> Result<(Verifier, SignedRequest), String> {
    let provider = parse_provider(&a.provider)?;
    let verifier = config(provider, &a.secrets, a.generation, Some(DEFAULT_TOLERANCE))?
        .build()
        .map_err(|e| e.to_string())?;
    let payload = std::fs::read(&a.payload).map_err(|e| format!("{}: {e}", a.payload.display()))?;
    // The generation comes from the verifier (--generation pins it).
    let mut opts = SignOptions::at(now);
    opts.id.clone_from(&a.id);
    opts.event_type.clone_from(&a.event_type);
    opts.administration_code.clone_from(&a.administration_code);
    opts.triggered_by_id.clone_from(&a.triggered_by_id);
    let req = verifier.sign(&payload, &opts).map_err(|e| e.to_string())?;
    Ok((verifier, req))
}

/// Quotes for POSIX shells: single quotes, with `'` written as `'\''`.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Quotes only when the word needs it (for suggestions people copy).
pub(crate) fn shell_word(s: &str) -> String {
    let plain = !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"@%+=:,./_-".contains(&b));
    if plain {
        s.to_string()
    } else {
        shell_quote(s)
    }
}

fn request_json(req: &SignedRequest) -> Value {
    let headers: Vec<_> = req.headers.iter().map(|(k, v)| json!([k, v])).collect();
    match req.body_str() {
        Some(body) => json!({ "method": req.method, "headers": headers, "body": body }),
        None => {
            use base64::Engine;
            let b64 = base64::engine::general_purpose::STANDARD.encode(&req.body);
            json!({ "method": req.method, "headers": headers, "body_base64": b64 })
        }
    }
}

fn sign(a: SignArgs) -> ExitCode {
    let now = a.common.now.unwrap_or_else(hookproof::unix_now);
    let (_, req) = match sign_request(&a.common, now) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if a.json {
        print_json(&request_json(&req));
        return ExitCode::SUCCESS;
    }
    if let Some(url) = &a.curl {
        // A shell argument cannot carry a NUL byte.
        let Some(body) = req.body_str().filter(|b| !b.contains('\0')) else {
            return fail("the body is not UTF-8 text without NUL bytes, which a command line cannot carry: use `hookproof send` or `sign --json`");
        };
        let mut cmd = format!("curl -sS -X {} {}", req.method, shell_quote(url));
        for (k, v) in &req.headers {
            cmd.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}"))));
        }
        // --data-raw: the bytes as given. --data-binary would read a body that starts with `@`
        // from the file it names.
        cmd.push_str(&format!(" \\\n  --data-raw {}", shell_quote(body)));
        emit(&cmd);
        return ExitCode::SUCCESS;
    }
    // The raw request, as it goes on the wire (CRLF); `verify` reads it back.
    let mut out = format!("{} / HTTP/1.1\r\n", req.method).into_bytes();
    for (k, v) in &req.headers {
        out.extend_from_slice(format!("{k}: {v}\r\n").as_bytes());
    }
    out.extend_from_slice(format!("Content-Length: {}\r\n\r\n", req.body.len()).as_bytes());
    out.extend_from_slice(&req.body);
    let mut stdout = std::io::stdout();
    if stdout.is_terminal() {
        out.push(b'\n');
    }
    match stdout.write_all(&out).and_then(|_| stdout.flush()) {
        // A reader that stopped early (`| head`), as `emit` treats it.
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => fail(e),
    }
}

/// The next letter or digit (wrapping): the byte class, and so the body's form, is unchanged.
fn flip(b: u8) -> Option<u8> {
    Some(match b {
        b'0'..=b'8' | b'a'..=b'y' | b'A'..=b'Y' => b + 1,
        b'9' => b'0',
        b'z' => b'a',
        b'Z' => b'A',
        _ => return None,
    })
}

/// Makes the signed request invalid with a one-byte change. The body first: the first
/// letter or digit whose change breaks verification while core's parser still accepts the
/// body. Schemes that sign no body (a shared secret, Basic auth) get one byte of the first
/// header whose change breaks verification instead. Returns what was changed.
fn tamper(v: &Verifier, req: &mut SignedRequest, now: u64) -> Result<String, String> {
    let parses = |body: &[u8]| v.parse(&req.headers, body).is_ok();
    let well_formed = parses(&req.body);
    let mut fallback = None;
    for i in 0..req.body.len() {
        let Some(b) = flip(req.body[i]) else { continue };
        let mut body = req.body.clone();
        body[i] = b;
        if v.verify(&req.headers, &body, now).is_ok() {
            // Any change of a signed body breaks the MAC: this scheme does not sign it.
            break;
        }
        if !well_formed || parses(&body) {
            req.body = body;
            return Ok(format!("body byte {i}"));
        }
        fallback.get_or_insert((i, body));
    }
    if let Some((i, body)) = fallback {
        req.body = body;
        return Ok(format!(
            "body byte {i} (no one-byte change kept the payload parseable)"
        ));
    }
    for h in 0..req.headers.len() {
        let mut headers = req.headers.clone();
        let value = &mut headers[h].1;
        // The first character of the value's last token (`Basic <credentials>`, `v1,<mac>`):
        // past any scheme or version prefix, and not the last base64 digit before `=`
        // padding, whose low bits lenient decoders ignore (so the change would not show).
        let token = value.rfind([' ', ',']).map_or(0, |i| i + 1);
        let Some((pos, b)) = value
            .bytes()
            .enumerate()
            .skip(token)
            .chain(value.bytes().enumerate().take(token).rev())
            .find_map(|(i, c)| Some((i, flip(c)?)))
        else {
            continue;
        };
        value.replace_range(pos..=pos, &char::from(b).to_string());
        if v.verify(&headers, &req.body, now).is_err() {
            let name = headers[h].0.clone();
            req.headers = headers;
            return Ok(format!("header {name}"));
        }
    }
    Err("no one-byte change makes this request fail verification".into())
}

fn send(a: SendArgs) -> ExitCode {
    // No TLS stack: said before anything is sent (the HTTP client would connect first).
    if !a
        .url
        .get(..7)
        .is_some_and(|s| s.eq_ignore_ascii_case("http://"))
    {
        return fail(format!(
            "send delivers over plain http:// only (to a local receiver, or a tunnel's http URL): \
             {} is not one",
            a.url
        ));
    }
    let now = a.common.now.unwrap_or_else(hookproof::unix_now);
    let signed_at = if a.stale {
        now.saturating_sub(a.tolerance.saturating_add(60))
    } else {
        now
    };
    let (verifier, mut req) = match sign_request(&a.common, signed_at) {
        Ok(r) => r,
        Err(e) => return fail(e),
    };
    if a.stale
        && verifier
            .verify(&req.headers, &req.body, signed_at)
            .is_ok_and(|v| v.timestamp.is_none())
    {
        // Without a signed time the old request is as valid as a new one: say why a correct
        // receiver accepts it before an --expect-status 401 fails.
        eprintln!(
            "hookproof: warning: the {} request has no signed timestamp, so --stale sends one as \
             valid as a fresh one, which a correct receiver accepts (replay protection there is \
             deduplication by the event's id)",
            verifier.provider().id()
        );
    }
    let mut tampered = None;
    if a.tamper {
        match tamper(&verifier, &mut req, signed_at) {
            Ok(what) => tampered = Some(what),
            Err(e) => return fail(e),
        }
    }
    let variant = match (a.tamper, a.stale) {
        (true, _) => "tampered",
        (_, true) => "stale",
        _ => "valid",
    };
    // The status the receiver gives is the answer, a redirect or an error status too (never
    // followed, never an error). No proxy from the environment: the receiver is usually local.
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .max_redirects(0)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(a.timeout)))
        .proxy(None)
        .build()
        .into();
    let mut call = ureq::http::Request::builder()
        .method(req.method)
        .uri(&a.url);
    for (k, v) in &req.headers {
        call = call.header(k, v);
    }
    let sent = call
        .body(&req.body[..])
        .map_err(ureq::Error::from)
        .and_then(|request| agent.run(request));
    let response = match sent {
        Ok(r) => r,
        Err(e) => return fail(format!("cannot deliver to {}: {e}", a.url)),
    };
    let status = response.status().as_u16();
    let mut body = Vec::new();
    // Only the start of the answer is shown; a receiver may send a large page.
    let _ = response
        .into_body()
        .into_reader()
        .take(4096)
        .read_to_end(&mut body);
    let text = String::from_utf8_lossy(&body);
    let limit = 300;
    let truncated = text.chars().count() > limit;
    let short: String = text.chars().take(limit).collect();
    let as_expected = a.expect_status.is_none_or(|want| want == status);
    if a.json {
        emit(
            &json!({
                "provider": verifier.provider().id(),
                "variant": variant,
                "url": a.url,
                "status": status,
                "body": short,
                "body_truncated": truncated,
                "signed_at": signed_at,
                "tampered": tampered,
                "expected_status": a.expect_status,
                "as_expected": as_expected,
            })
            .to_string(),
        );
    } else {
        let what = tampered.map(|t| format!(" ({t})")).unwrap_or_default();
        let dots = if truncated { "..." } else { "" };
        emit(&format!(
            "{} {variant}{what}: HTTP {status} {}{dots}",
            verifier.provider().id(),
            short.trim_end()
        ));
    }
    if as_expected {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "hookproof: expected HTTP {}, got {status}",
            a.expect_status.unwrap_or_default()
        );
        ExitCode::from(1)
    }
}

fn main() -> ExitCode {
    let matches = Cli::command().get_matches();
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    let order = matches
        .subcommand()
        .map(|(_, m)| secret_order(m))
        .unwrap_or_default();
    match &mut cli.command {
        Command::Verify(a) => a.secrets.order = order,
        Command::Sign(a) => a.common.secrets.order = order,
        Command::Send(a) => a.common.secrets.order = order,
        Command::Diagnose(a) => a.secrets.order = order,
    }
    match cli.command {
        Command::Verify(a) => verify(a),
        Command::Sign(a) => sign(a),
        Command::Send(a) => send(a),
        Command::Diagnose(a) => diagnose::run(a),
    }
}
