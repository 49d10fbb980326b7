//! Verify and verify+parse against a raw `hmac` + `sha2` baseline, same run, printed as ratios.
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

/// Reads criterion's estimates of this run and prints our time beside the baseline.
fn print_ratios() {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("criterion/centra");
    let mean = |id: &str, label: &str| -> Option<f64> {
        let text =
            std::fs::read_to_string(dir.join(id).join(label).join("new/estimates.json")).ok()?;
        let v: serde_json::Value = serde_json::from_str(&text).ok()?;
        v["mean"]["point_estimate"].as_f64()
    };
    let Ok(entries) = std::fs::read_dir(dir.join("verify")) else {
        return;
    };
    let mut labels: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|l| l.ends_with('B'))
        .collect();
    labels.sort_by_key(|l| l.trim_end_matches('B').parse::<usize>().unwrap_or(0));
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

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    print_ratios();
}
