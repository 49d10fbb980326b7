//! Form decoding 32 bytes a step with AVX2: the crate's one `unsafe` line (besides what the
//! `cpufeatures::new!` detection macro expands to).
//!
//! Centra's PHP form-encodes nearly every JSON punctuation byte (`%7B%22id%22%3A1`), so
//! byte-at-a-time decoding mispredicts every few bytes; it was a sixth of verifying and
//! parsing a 2 KB Integration API event. This runs on every form body the crate decodes
//! (untrusted ones too: parsing may run without verifying), on CPUs that report AVX2 and
//! POPCNT at run time, and decodes only blocks it is sure of: a
//! block holding a `&` or a broken escape, and the last 33 bytes, are left to the scalar
//! decoder (the caller's), which the tests and a fuzz target hold it equal to.
//!
//! Every intrinsic used here takes values, not pointers (safe to call inside a
//! `#[target_feature]` function since Rust 1.87); memory is read and written through
//! bounds-checked arrays.

use core::arch::x86_64::{
    __m256i, _mm256_and_si256, _mm256_andnot_si256, _mm256_castsi256_si128, _mm256_cmpeq_epi8,
    _mm256_cmpgt_epi8, _mm256_extracti128_si256, _mm256_movemask_epi8, _mm256_or_si256,
    _mm256_set1_epi8, _mm256_set_epi64x, _mm256_slli_epi16, _mm256_sub_epi8, _mm_add_epi8,
    _mm_cvtsi128_si64, _mm_cvtsi64_si128, _mm_set1_epi8, _mm_shuffle_epi8,
};

cpufeatures::new!(cpu, "avx2", "popcnt");

/// Decodes the longest prefix of `s` that this can into `out` (at least as long as `s`) and
/// returns how many bytes it read and wrote; `(0, 0)` on CPUs without AVX2.
pub(super) fn decode_prefix(s: &[u8], out: &mut [u8]) -> (usize, usize) {
    if !cpu::get() {
        return (0, 0);
    }
    // SAFETY: `blocks` needs only the CPU features, which `cpu::get()` just confirmed.
    #[allow(unsafe_code)]
    unsafe {
        blocks(s, out)
    }
}

/// For each 8-bit mask, the positions of its set bits, in order, as `pshufb` indices
/// (`0x80`, which selects zero, past the last).
const COMPACT: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut mask = 0;
    while mask < 256 {
        let mut ctrl = [0x80u8; 8];
        let (mut bit, mut n) = (0, 0);
        while bit < 8 {
            if mask & (1 << bit) != 0 {
                ctrl[n] = bit as u8;
                n += 1;
            }
            bit += 1;
        }
        t[mask] = u64::from_le_bytes(ctrl);
        mask += 1;
    }
    t
};

#[target_feature(enable = "avx2,popcnt")]
fn blocks(s: &[u8], out: &mut [u8]) -> (usize, usize) {
    let (mut i, mut o) = (0, 0);
    // Lanes at the start of this block that are the digits of an escape in the previous one.
    let mut carried = 0u64;
    // Lane k's escape digits are lanes k+1 and k+2, so each step reads 34 bytes. It writes
    // at most 32, never past `o + 32 <= i + 32`. The stride is fixed, so the next block's
    // loads never wait for this one's escapes.
    while let (Some(src), Some(dst)) = (
        s.get(i..).and_then(<[u8]>::first_chunk::<34>),
        out.get_mut(o..).and_then(<[u8]>::first_chunk_mut::<32>),
    ) {
        let (v, hi, lo) = (load(src, 0), load(src, 1), load(src, 2));
        let pct = _mm256_cmpeq_epi8(v, splat(b'%'));
        let (hi, hi_ok) = hex(hi);
        let (lo, lo_ok) = hex(lo);
        // The field ends here, or an escape is broken: the scalar decoder takes over.
        let stop = _mm256_or_si256(
            _mm256_cmpeq_epi8(v, splat(b'&')),
            _mm256_andnot_si256(_mm256_and_si256(hi_ok, lo_ok), pct),
        );
        if _mm256_movemask_epi8(stop) != 0 {
            break;
        }
        // Digits are below 16, so a 16-bit shift moves no bits across bytes.
        let escaped = _mm256_or_si256(_mm256_slli_epi16::<4>(hi), lo);
        let plain = select(_mm256_cmpeq_epi8(v, splat(b'+')), splat(b' '), v);
        let decoded = select(pct, escaped, plain);

        // Keep every lane except escape digits; those of lanes 30 and 31 spill into the
        // next block's first lanes.
        let escapes = u64::from(_mm256_movemask_epi8(pct) as u32);
        let digits = escapes << 1 | escapes << 2 | carried;
        carried = digits >> 32;
        let keep = !digits;
        // Compact each 8-lane group with `pshufb` and store it right after the previous one.
        let mut n = 0;
        for (g, half) in [
            _mm256_castsi256_si128(decoded),
            _mm256_extracti128_si256::<1>(decoded),
        ]
        .into_iter()
        .enumerate()
        {
            for base in [0, 8] {
                let mask = (keep >> (g * 16 + base) & 0xFF) as usize;
                let ctrl = _mm_add_epi8(
                    _mm_cvtsi64_si128(COMPACT[mask] as i64),
                    _mm_set1_epi8(base as i8),
                );
                let bytes = (_mm_cvtsi128_si64(_mm_shuffle_epi8(half, ctrl)) as u64).to_le_bytes();
                if let Some(d) = dst.get_mut(n..n + 8) {
                    d.copy_from_slice(&bytes);
                }
                n += mask.count_ones() as usize;
            }
        }
        o += n;
        i += 32;
    }
    // Carried digits were decoded with their escape.
    (i + carried.count_ones() as usize, o)
}

/// The 32 bytes of `src` from `at`.
#[inline]
#[target_feature(enable = "avx2")]
fn load(src: &[u8; 34], at: usize) -> __m256i {
    let word = |at: usize| {
        let mut w = [0u8; 8];
        if let Some(b) = src.get(at..at + 8) {
            w.copy_from_slice(b);
        }
        i64::from_le_bytes(w)
    };
    // Compiles to one unaligned load.
    _mm256_set_epi64x(word(at + 24), word(at + 16), word(at + 8), word(at))
}

#[inline]
#[target_feature(enable = "avx2")]
fn splat(b: u8) -> __m256i {
    _mm256_set1_epi8(b as i8)
}

/// `mask ? a : b`, per byte.
#[inline]
#[target_feature(enable = "avx2")]
fn select(mask: __m256i, a: __m256i, b: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_and_si256(mask, a), _mm256_andnot_si256(mask, b))
}

/// Each byte's hex digit value (0 where it is none) and whether it is one. The compares are
/// signed, so bytes from 0x80 are below every bound.
#[inline]
#[target_feature(enable = "avx2")]
fn hex(v: __m256i) -> (__m256i, __m256i) {
    let within = |v, lo: u8, hi: u8| {
        _mm256_and_si256(
            _mm256_cmpgt_epi8(v, splat(lo - 1)),
            _mm256_cmpgt_epi8(splat(hi + 1), v),
        )
    };
    let lower = _mm256_or_si256(v, splat(0x20));
    let digit = within(v, b'0', b'9');
    let letter = within(lower, b'a', b'f');
    let value = _mm256_or_si256(
        _mm256_and_si256(digit, _mm256_sub_epi8(v, splat(b'0'))),
        _mm256_and_si256(letter, _mm256_sub_epi8(lower, splat(b'a' - 10))),
    );
    (value, _mm256_or_si256(digit, letter))
}

#[cfg(test)]
mod tests {
    use alloc::vec;
    use alloc::vec::Vec;

    use proptest::prelude::*;

    use super::super::decode_with;

    /// The scalar decoder alone: what the SIMD blocks plus the scalar tail must equal.
    fn scalar(s: &[u8]) -> (Vec<u8>, usize, bool) {
        decode_with(s, false)
    }

    fn both(s: &[u8]) -> (Vec<u8>, usize, bool) {
        decode_with(s, true)
    }

    #[test]
    fn this_machine_runs_the_simd_path() {
        // Otherwise the comparisons below compare the scalar decoder with itself.
        assert!(
            super::cpu::get(),
            "no AVX2+POPCNT: the SIMD decoder is untested here"
        );
        let s = b"%7B%22a%22%3A1%2C%22b%22%3A%22x+y%22%7D%7B%22a%22%3A1%7D";
        let mut out = vec![0u8; s.len()];
        let (read, _) = super::decode_prefix(s, &mut out);
        assert!(read >= 32, "read only {read} bytes");
        assert_eq!(both(s).0, b"{\"a\":1,\"b\":\"x y\"}{\"a\":1}");
    }

    #[test]
    fn escapes_at_every_block_offset() {
        for at in 0..80 {
            for tail in ["", "&rest", "%4", "%zz", "%%41", "+"] {
                let mut s = vec![b'x'; at];
                s.extend_from_slice(b"%41%2b+");
                s.extend_from_slice(&[b'y'; 20]);
                s.extend_from_slice(tail.as_bytes());
                assert_eq!(both(&s), scalar(&s), "{:?}", core::str::from_utf8(&s));
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(4096))]
        #[test]
        fn equals_the_scalar_decoder(
            s in proptest::collection::vec(
                proptest::sample::select(b"%%%%++&0123456789abcdefABCDEFgGx{\"\x80\xff".to_vec()),
                0..240,
            )
        ) {
            prop_assert_eq!(both(&s), scalar(&s));
        }
    }
}
