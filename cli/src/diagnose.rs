//! `hookproof diagnose`: which scheme, if any, verifies a captured request with a secret.
//!
//! Nothing here names a provider's header: the schemes come from `Provider::ALL`, the
//! ShopCtrl HMAC guesses from the request's own headers, and which headers a provider
//! sends from the core's own `sign`.

use std::collections::BTreeSet;
use std::process::ExitCode;

use hookproof::{
    CentraliGeneration, Config, Error, HmacSpec, MacAlgorithm, Provider, SignOptions, TagEncoding,
    Verified,
};
use serde_json::{json, Value};

use crate::capture::Capture;
use crate::{
    error_json, fail, print_json, read_capture, request_summary, shell_word, DiagnoseArgs,
};

/// One scheme tried on the request.
struct Attempt {
    config: Config,
    result: Result<Verified, Error>,
    /// For a timestamp error: the verdict with the timestamp check off.
    untimed: Option<Result<Verified, Error>>,
    /// How much the request's header names look like what this scheme sends.
    resemblance: (usize, usize),
    /// Command-line flags selecting this scheme (`--provider ...`, ShopCtrl options).
    flags: Vec<String>,
}

impl Attempt {
    fn flags_text(&self) -> String {
        self.flags
            .iter()
            .map(|f| shell_word(f))
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// The options as the bindings take them (without secrets).
    fn options(&self) -> Value {
        let mut o = json!({});
        if let Some((user, _)) = &self.config.basic_auth {
            o["username"] = json!(user);
            o["password"] = json!("<from --password-env>");
        }
        if let Some(h) = &self.config.hmac {
            o["hmac"] = json!({
                "header": h.header,
                "algorithm": h.algorithm.digest_name(),
                "encoding": h.encoding.name(),
                "prefix": h.prefix,
            });
        }
        o
    }

    /// How far the check got before failing: later stages are nearer to a working setup.
    fn nearness(&self) -> u8 {
        let Err(e) = &self.result else { return 9 };
        match (e.family(), &self.untimed) {
            // The signature is right; only the time is off.
            ("timestamp", Some(Ok(_))) => 6,
            ("signature" | "timestamp", _) => 5,
            _ => match e.code() {
                "bad_encoding" | "unsupported_scheme" => 4,
                "malformed_header" | "duplicate_header" => 3,
                "missing_header" => 2,
                "invalid_payload" => 1,
                _ => 0,
            },
        }
    }
}

/// Lower-case header names `config`'s provider sends, per variant (Centrali's generations),
/// learned by signing a probe payload with the core.
fn sent_header_names(config: &Config) -> Vec<BTreeSet<String>> {
    let mut probe = config.clone();
    probe.secrets = vec!["hookproof-diagnose-probe".into()];
    let Ok(v) = probe.build() else {
        return Vec::new();
    };
    [CentraliGeneration::Legacy, CentraliGeneration::Standard]
        .into_iter()
        .filter_map(|g| {
            let opts = SignOptions::at(1)
                .id("probe")
                .event_type("probe")
                .centrali_generation(g);
            v.sign(b"{}", &opts).ok()
        })
        .map(|req| {
            req.headers
                .iter()
                .map(|(n, _)| n.to_ascii_lowercase())
                .collect()
        })
        .collect()
}

/// (headers in common, per mille of the scheme's headers present), best variant.
fn resemblance(config: &Config, request: &BTreeSet<String>) -> (usize, usize) {
    sent_header_names(config)
        .iter()
        .map(|sent| {
            let common = sent.intersection(request).count();
            (common, common * 1000 / sent.len().max(1))
        })
        .max()
        .unwrap_or((0, 0))
}

fn is_base64_text(s: &str) -> bool {
    let data = s.trim_end_matches('=');
    s.len() - data.len() <= 2
        && !data.is_empty()
        && data
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'+' || b == b'/')
}

/// Headers that carry credentials, never a MAC: ShopCtrl's Basic `Authorization` and Orisha's
/// shared `X-Secret`. A guess from them would print part of a secret as a `--hmac-prefix`.
const CREDENTIAL_HEADERS: [&str; 2] = ["authorization", "x-secret"];

/// A prefix worth guessing is a short label (`sha256=`, `v1=`): anything else before a `=`
/// could be part of a secret, and the guess is printed.
fn is_label(s: &str) -> bool {
    (1..=16).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// ShopCtrl HMAC formats worth trying: for every header whose value (whole, or after a
/// label ending at its first `=`) is a MAC-length hex or base64 string, each digest and
/// encoding that fits.
pub fn hmac_guesses(headers: &[(String, String)]) -> Vec<HmacSpec> {
    let mut out: Vec<HmacSpec> = Vec::new();
    for (name, value) in headers {
        if CREDENTIAL_HEADERS
            .iter()
            .any(|c| c.eq_ignore_ascii_case(name.trim()))
        {
            continue;
        }
        let value = value.trim();
        let mut splits = vec![(None, value)];
        if let Some(i) = value.find('=') {
            if i + 1 < value.len() && is_label(&value[..i]) {
                splits.push((Some(value[..=i].to_string()), &value[i + 1..]));
            }
        }
        for (prefix, tag) in splits {
            for algorithm in [
                MacAlgorithm::HmacSha1,
                MacAlgorithm::HmacSha256,
                MacAlgorithm::HmacSha512,
            ] {
                let n = algorithm.output_len();
                let hex = tag.len() == 2 * n && tag.bytes().all(|b| b.is_ascii_hexdigit());
                let b64 =
                    is_base64_text(tag) && tag.trim_end_matches('=').len() == (4 * n).div_ceil(3);
                for (fits, encoding) in [(hex, TagEncoding::Hex), (b64, TagEncoding::Base64)] {
                    let mut spec = HmacSpec::new(name.clone(), algorithm, encoding);
                    spec.prefix.clone_from(&prefix);
                    let seen = out.iter().any(|s| {
                        s.header.eq_ignore_ascii_case(&spec.header)
                            && (s.algorithm, s.encoding, &s.prefix)
                                == (spec.algorithm, spec.encoding, &spec.prefix)
                    });
                    if fits && !seen {
                        out.push(spec);
                    }
                }
            }
        }
    }
    out
}

/// The flags for a ShopCtrl configuration.
fn shopctrl_flags(config: &Config, password_env: Option<&str>) -> Vec<String> {
    let mut f = vec![
        "--provider".to_string(),
        Provider::ShopCtrl.id().to_string(),
    ];
    if let Some((user, _)) = &config.basic_auth {
        f.extend([
            "--username".into(),
            user.clone(),
            "--password-env".into(),
            password_env.unwrap_or("VAR").into(),
        ]);
    }
    if let Some(h) = &config.hmac {
        f.extend([
            "--hmac-header".into(),
            h.header.clone(),
            "--hmac-algorithm".into(),
            h.algorithm.digest_name().into(),
            "--hmac-encoding".into(),
            h.encoding.name().into(),
        ]);
        if let Some(p) = &h.prefix {
            f.extend(["--hmac-prefix".into(), p.clone()]);
        }
    }
    f
}

/// Every configuration worth trying: each named scheme with the secrets, then ShopCtrl with
/// the given options and with each HMAC format the request's headers suggest.
fn candidates(a: &DiagnoseArgs, cap: &Capture) -> Result<Vec<(Config, Vec<String>)>, String> {
    let base = crate::config(
        Provider::ShopCtrl,
        &a.secrets,
        crate::GenerationArg::default(),
        a.time.tolerance(),
    )?;
    let password_env = a.secrets.password_env.as_deref();
    let mut out = Vec::new();
    for &provider in Provider::ALL {
        if provider == Provider::ShopCtrl {
            continue;
        }
        let mut c = base.clone();
        c.provider = provider;
        // Basic auth and HMAC formats are ShopCtrl options.
        c.basic_auth = None;
        c.hmac = None;
        out.push((c, vec!["--provider".into(), provider.id().into()]));
    }
    let mut shop: Vec<Config> = Vec::new();
    if base.basic_auth.is_some() || base.hmac.is_some() {
        shop.push(base.clone());
    }
    if base.basic_auth.is_some() && base.hmac.is_some() {
        let mut basic_only = base.clone();
        basic_only.hmac = None;
        shop.push(basic_only);
    }
    for spec in hmac_guesses(&cap.headers) {
        if base.hmac.as_ref() == Some(&spec) {
            continue;
        }
        let mut c = base.clone();
        c.hmac = Some(spec);
        shop.push(c);
    }
    out.extend(shop.into_iter().map(|mut c| {
        if c.hmac.is_none() {
            // The secrets are HMAC keys; core refuses them for Basic-only checks.
            c.secrets.clear();
        }
        let f = shopctrl_flags(&c, password_env);
        (c, f)
    }));
    Ok(out)
}

pub fn run(a: DiagnoseArgs) -> ExitCode {
    let cap = match read_capture(a.file.as_ref()) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    if a.secrets.secret_env.is_empty() && a.secrets.secret_file.is_empty() {
        return fail("diagnose needs the secret: --secret-env VAR or --secret-file FILE");
    }
    let now = a.time.now();
    let configs = match candidates(&a, &cap) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let names: BTreeSet<String> = cap
        .headers
        .iter()
        .map(|(n, _)| n.to_ascii_lowercase())
        .collect();
    let mut attempts: Vec<Attempt> = configs
        .into_iter()
        .map(|(config, flags)| {
            let result = config
                .clone()
                .build()
                .and_then(|v| v.verify(&cap.headers, &cap.body, now));
            let untimed = match &result {
                Err(e) if e.family() == "timestamp" => Some(
                    config
                        .clone()
                        .no_tolerance()
                        .build()
                        .and_then(|v| v.verify(&cap.headers, &cap.body, now)),
                ),
                _ => None,
            };
            Attempt {
                resemblance: resemblance(&config, &names),
                config,
                result,
                untimed,
                flags,
            }
        })
        .collect();
    // Best first: nearest to verifying, then the scheme whose headers the request carries
    // (a Standard Webhooks request also verifies as Centrali 6.1+; Centrali's own requests
    // carry its extra headers); the stable order (named schemes before ShopCtrl guesses)
    // breaks ties.
    attempts.sort_by_key(|t| std::cmp::Reverse((t.nearness(), t.resemblance)));
    let mut notes = cap.notes.clone();
    if a.secrets.username.is_none() {
        // The header core's ShopCtrl signing adds for Basic credentials.
        let plain = Config::new(Provider::ShopCtrl)
            .secret("p")
            .hmac(HmacSpec::new(
                "x-probe",
                MacAlgorithm::HmacSha256,
                TagEncoding::Hex,
            ));
        let with_basic = plain.clone().basic_auth("u", "p");
        let before: BTreeSet<String> = sent_header_names(&plain).into_iter().flatten().collect();
        let basic: Vec<String> = sent_header_names(&with_basic)
            .into_iter()
            .flatten()
            .filter(|n| !before.contains(n) && names.contains(n))
            .collect();
        if let Some(h) = basic.first() {
            notes.push(format!(
                "the request carries `{h}`, where ShopCtrl sends Basic credentials: pass \
                 --username U --password-env VAR to check them too"
            ));
        }
    }
    if !attempts
        .iter()
        .any(|t| t.config.provider == Provider::ShopCtrl)
    {
        notes.push(
            "ShopCtrl was not tried: no header value looks like an HMAC, and no \
             --username/--hmac-header was given"
                .to_string(),
        );
    }
    let tried: Vec<Value> = attempts
        .iter()
        .map(|t| {
            json!({
                "provider": t.config.provider.id(),
                "flags": t.flags_text(),
                "code": t.result.as_ref().err().map(Error::code),
            })
        })
        .collect();
    let Some(best) = attempts.first() else {
        return fail("nothing to try");
    };
    if let Ok(v) = &best.result {
        let also: Vec<Value> = attempts[1..]
            .iter()
            .filter(|t| t.result.is_ok())
            .map(|t| json!({ "provider": t.config.provider.id(), "flags": t.flags_text() }))
            .collect();
        // Basic-only ShopCtrl takes no secret (core refuses one without an HMAC format).
        let secret = if best.config.secrets.is_empty() {
            ""
        } else {
            " --secret-env ..."
        };
        eprintln!(
            "hookproof: verifies as {}: hookproof verify {}{secret} FILE",
            best.config.provider.id(),
            best.flags_text()
        );
        print_json(&json!({
            "ok": true,
            "verifies_as": best.config.provider.id(),
            "flags": best.flags_text(),
            "options": best.options(),
            "secret_index": v.secret_index,
            "timestamp": v.timestamp,
            "also_verifies_as": also,
            "request": request_summary(&cap),
            "notes": &notes,
        }));
        return ExitCode::SUCCESS;
    }
    let Err(e) = &best.result else {
        return fail("unreachable");
    };
    let mut nearest = error_json(e);
    nearest["provider"] = json!(best.config.provider.id());
    nearest["flags"] = json!(best.flags_text());
    nearest["options"] = best.options();
    if let Some(untimed) = &best.untimed {
        nearest["signature_valid"] = json!(untimed.is_ok());
        if let Ok(v) = untimed {
            if let Some(ts) = v.timestamp {
                nearest["advice"] = json!(format!(
                    "the signature is valid but the signed timestamp {ts} is outside the \
                     tolerance: to check the capture as of its arrival, pass --now {ts}"
                ));
            }
        }
    }
    eprintln!(
        "hookproof: no scheme verifies; nearest: {} ({})",
        best.flags_text(),
        e.code()
    );
    print_json(&json!({
        "ok": false,
        "nearest": nearest,
        "tried": tried,
        "request": request_summary(&cap),
        "notes": &notes,
    }));
    ExitCode::from(1)
}
