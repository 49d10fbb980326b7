//! Verify and verify+parse against a raw `hmac` + `sha2` baseline, same run, printed as ratios;
//! and parse alone for ~2 KB Extend Commerce and Standard Webhooks bodies (the ones the Node
//! and Python benchmarks use), printed as times.
//!
//! `cargo bench -p hookproof --bench verify` (add `-- --quick` for a short run).

use std::hint::black_box;
use std::path::PathBuf;

use criterion::{BenchmarkId, Criterion, Throughput};
use hmac::{Hmac, KeyInit, Mac};
use hookproof::{Config, Provider, SignOptions, SignedRequest, Verifier};

const NOW: u64 = 1_763_900_000;
const SECRET: &str = "bench-secret-0123456789";
const SIZES: [usize; 3] = [256, 2048, 65536];

/// A Centra Integration API payload whose form-encoded body is about `size` bytes.
fn centra_request(v: &Verifier, size: usize) -> SignedRequest {
    let mut events = Vec::new();
    let mut i = 0u64;
    loop {
        let json = format!("{{\"events\":[{}]}}", events.join(","));
        let req = v.sign(json.as_bytes(), &SignOptions::at(NOW)).unwrap();
        if req.body.len() >= size || size < 200 {
            return req;
        }
        events.push(format!(
            "{{\"type\":\"order\",\"action\":\"update\",\"date\":\"2021-01-29 14:40:58.628033\",\"id\":{}}}",
            9_007_199_254_740_993 + i
        ));
        i += 1;
    }
}

/// What a careful hand-written check does: HMAC over `t.` + body, constant-time compare.
fn baseline(secret: &[u8], t: &[u8], body: &[u8], expected: &[u8]) -> bool {
    let mut m = Hmac::<sha2::Sha256>::new_from_slice(secret).unwrap();
    m.update(t);
    m.update(b".");
    m.update(body);
    m.verify_slice(expected).is_ok()
}

fn bench(c: &mut Criterion) {
    let v = Config::new(Provider::Centra)
        .secret(SECRET)
        .build()
        .unwrap();
    let mut group = c.benchmark_group("centra");
    for size in SIZES {
        let req = centra_request(&v, size);
        let sig = &req.headers[1].1;
        let (t, hex) = sig.split_once(",v1=").unwrap();
        let t = t.trim_start_matches("t=").as_bytes().to_vec();
        let expected = base16ct::lower::decode_vec(hex).unwrap();
        assert!(baseline(SECRET.as_bytes(), &t, &req.body, &expected));
        let label = format!("{}B", req.body.len());
        group.throughput(Throughput::Bytes(req.body.len() as u64));
        group.bench_with_input(BenchmarkId::new("baseline_hmac", &label), &req, |b, r| {
            b.iter(|| baseline(SECRET.as_bytes(), &t, black_box(&r.body), &expected))
        });
        group.bench_with_input(BenchmarkId::new("verify", &label), &req, |b, r| {
            b.iter(|| {
                v.verify(black_box(&r.headers), black_box(&r.body), NOW)
                    .unwrap()
            })
        });
        group.bench_with_input(
            BenchmarkId::new("verify_and_parse", &label),
            &req,
            |b, r| {
                b.iter(|| {
                    v.verify_and_parse(black_box(&r.headers), black_box(&r.body), NOW)
                        .unwrap()
                })
            },
        );
    }
    group.finish();
}

/// The smallest body of at least `size` bytes that `make(n)` gives, n = 1, 2, ...
fn sized(make: impl Fn(usize) -> String, size: usize) -> Vec<u8> {
    (1..)
        .map(&make)
        .find(|b| b.len() >= size)
        .unwrap()
        .into_bytes()
}

/// Extend's notifications, indented with CRLF as its sender writes them (~2.1 KB: 13).
fn extend_body(n: usize) -> String {
    let notes: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "    {{\r\n      \"Action\": \"OrderCreated\",\r\n      \"Details\": {{\r\n        \"OrderNumber\": \"{}\",\r\n        \"OrderType\": \"NormalOrder\"\r\n      }}\r\n    }}",
                3_339_887 + i
            )
        })
        .collect();
    format!(
        "{{\r\n  \"Id\": \"6e249eebb818463086ae0dda6eeba7b2\",\r\n  \"Attempt\": 1,\r\n  \"Properties\": {{\r\n    \"NotificationId\": \"3b3fd4a6-36d5-46fe-8a3f-e73532529db3\"\r\n  }},\r\n  \"Notifications\": [\r\n{}\r\n  ]\r\n}}",
        notes.join(",\r\n")
    )
}

/// An order event with `n` lines.
fn standard_body(n: usize) -> String {
    let lines: Vec<String> = (0..n)
        .map(|i| {
            format!(
                "{{\"sku\": \"SKU-{i:05}\", \"quantity\": {}, \"price\": {{\"amount\": {}, \"currency\": \"EUR\"}}}}",
                i % 7 + 1,
                1999 + i
            )
        })
        .collect();
    format!(
        "{{\"type\": \"order.created\", \"timestamp\": \"2025-11-23T12:00:00Z\", \"data\": {{\"id\": \"ord_1\", \"customer\": {{\"id\": \"cus_1\", \"email\": \"a@example.com\"}}, \"lines\": [{}]}}}}",
        lines.join(", ")
    )
}

/// Parse alone, after a verification (the verifier's `parse`, as receivers call it).
fn bench_parse(c: &mut Criterion) {
    let extend = Config::new(Provider::Extend)
        .secret(SECRET)
        .build()
        .unwrap();
    let standard = Config::new(Provider::StandardWebhooks)
        .secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        .build()
        .unwrap();
    let mut group = c.benchmark_group("parse");
    for (name, v, body) in [
        ("extend", &extend, sized(extend_body, 2048)),
        ("standardwebhooks", &standard, sized(standard_body, 2048)),
    ] {
        let req = v.sign(&body, &SignOptions::at(NOW)).unwrap();
        v.verify(&req.headers, &req.body, NOW).unwrap();
        let label = format!("{}B", req.body.len());
        group.bench_with_input(BenchmarkId::new(name, &label), &req, |b, r| {
            b.iter(|| v.parse(black_box(&r.headers), black_box(&r.body)).unwrap())
        });
        group.bench_with_input(
            BenchmarkId::new(format!("{name}_normalised"), &label),
            &req,
            |b, r| {
                b.iter(|| {
                    v.parse_normalised(black_box(&r.headers), black_box(&r.body))
                        .unwrap()
                })
            },
        );
    }
    group.finish();
}

/// Where criterion keeps `group/id`'s results.
fn results(group: &str, id: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("criterion")
        .join(group)
        .join(id)
}

/// Criterion's mean estimate (ns) for `group/id/label` in this run, if it ran.
fn mean(group: &str, id: &str, label: &str) -> Option<f64> {
    let path = results(group, id).join(label).join("new/estimates.json");
    let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).ok()?).ok()?;
    v["mean"]["point_estimate"].as_f64()
}

/// Labels (`2048B`, ...) of the runs of `group/id`, smallest first.
fn labels(group: &str, id: &str) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(results(group, id)) else {
        return Vec::new();
    };
    let mut labels: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|l| l.ends_with('B'))
        .collect();
    labels.sort_by_key(|l| l.trim_end_matches('B').parse::<usize>().unwrap_or(0));
    labels
}

/// Reads criterion's estimates of this run and prints our time beside the baseline.
fn print_ratios() {
    let mean = |id: &str, label: &str| mean("centra", id, label);
    let labels = labels("centra", "verify");
    if labels.is_empty() {
        return;
    }
    println!("\nsize        baseline     verify  ratio   verify+parse   (ratio = ours / baseline)");
    for l in labels {
        if let (Some(b), Some(v), Some(p)) = (
            mean("baseline_hmac", &l),
            mean("verify", &l),
            mean("verify_and_parse", &l),
        ) {
            println!(
                "{l:>8} {:>9.2}us {:>9.2}us  {:>5.2}x  {:>9.2}us",
                b / 1e3,
                v / 1e3,
                v / b,
                p / 1e3
            );
        }
    }
}

/// Prints parse times (no baseline: the idiomatic `JSON.parse`/`json.loads` is in the
/// bindings' benchmarks).
fn print_parse() {
    println!(
        "\n{:>16} {:>7} {:>10} {:>11}",
        "parse", "body", "full", "normalised"
    );
    for name in ["extend", "standardwebhooks"] {
        for l in labels("parse", name) {
            let normalised = format!("{name}_normalised");
            if let (Some(full), Some(norm)) =
                (mean("parse", name, &l), mean("parse", &normalised, &l))
            {
                println!(
                    "{name:>16} {l:>7} {:>8.2}us {:>9.2}us",
                    full / 1e3,
                    norm / 1e3
                );
            }
        }
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    bench_parse(&mut c);
    c.final_summary();
    print_ratios();
    print_parse();
}
