//! Small codecs the schemes share: MAC tags, timestamps, form bodies, dates.

use alloc::string::String;
use alloc::vec::Vec;

use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use base64::Engine;

use crate::Error;

/// The longest MAC we handle (HMAC-SHA512).
pub(crate) const MAX_TAG: usize = 64;

/// A decoded MAC tag, held inline so candidate lists cost no per-tag allocation.
///
/// Invariant: bytes past `len` are zero, so whole arrays compare word by word.
#[derive(Clone, Copy)]
pub(crate) struct Tag {
    bytes: [u8; MAX_TAG],
    len: usize,
}

impl Tag {
    /// Constant-time equality of length and contents: the words' differences are OR-ed
    /// together without branches and the result goes through one `subtle` compare (one
    /// optimisation barrier, where a compare per byte or word passes one each).
    pub(crate) fn ct_eq(&self, other: &Tag) -> subtle::Choice {
        use subtle::ConstantTimeEq;
        let word = |c: &[u8]| {
            let mut b = [0u8; 8];
            b.copy_from_slice(c);
            u64::from_ne_bytes(b)
        };
        let diff = self
            .bytes
            .chunks_exact(8)
            .zip(other.bytes.chunks_exact(8))
            .fold(0u64, |acc, (a, b)| acc | (word(a) ^ word(b)));
        self.len.ct_eq(&other.len) & diff.ct_eq(&0)
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or(&[])
    }

    pub(crate) fn from_slice(b: &[u8]) -> Option<Tag> {
        if b.len() > MAX_TAG {
            return None;
        }
        let mut bytes = [0u8; MAX_TAG];
        bytes.get_mut(..b.len())?.copy_from_slice(b);
        Some(Tag {
            bytes,
            len: b.len(),
        })
    }
}

/// Hex digit values; 0xFF marks a byte that is not a hex digit.
const HEX_VALUES: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Decodes hex (either case) to exactly `len` bytes. The transmitted tag is public, so a
/// table decoder is fine (only the comparison must be constant-time); it is a large share
/// of verifying a small body, hence no per-digit branches.
pub(crate) fn hex_tag(s: &str, len: usize) -> Option<Tag> {
    if s.len() != len * 2 || len > MAX_TAG {
        return None;
    }
    let mut bytes = [0u8; MAX_TAG];
    let mut invalid = 0u8;
    for (out, pair) in bytes.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
        let (hi, lo) = match pair {
            [h, l] => (HEX_VALUES[usize::from(*h)], HEX_VALUES[usize::from(*l)]),
            _ => return None,
        };
        invalid |= hi | lo;
        *out = hi << 4 | lo;
    }
    // Any 0xFF entry sets the high bits; valid digits never do.
    (invalid & 0xF0 == 0).then_some(Tag { bytes, len })
}

const PAD_ANY: GeneralPurposeConfig =
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent);
/// Standard alphabet, padding optional.
pub(crate) const B64_STD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, PAD_ANY);
/// URL-safe alphabet, padding optional.
pub(crate) const B64_URL: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, PAD_ANY);
/// Canonical standard base64 with padding, for output.
pub(crate) const B64_OUT: GeneralPurpose = base64::engine::general_purpose::STANDARD;

/// Decodes standard base64 (padding optional) to exactly `len` bytes.
pub(crate) fn base64_tag(s: &str, len: usize) -> Option<Tag> {
    // 4 chars per 3 bytes, rounded up, plus at most two '='.
    if s.len() > len.div_ceil(3) * 4 {
        return None;
    }
    let mut buf = [0u8; MAX_TAG + 3];
    let n = B64_STD.decode_slice(s.as_bytes(), &mut buf).ok()?;
    if n != len {
        return None;
    }
    Tag::from_slice(buf.get(..n)?)
}

/// Decodes base64 in either alphabet, padding optional (`whsec_` secrets, Basic auth).
pub(crate) fn base64_any(s: &str) -> Option<Vec<u8>> {
    B64_STD.decode(s).or_else(|_| B64_URL.decode(s)).ok()
}

pub(crate) fn hex_lower(b: &[u8]) -> String {
    base16ct::lower::encode_string(b)
}

pub(crate) fn hex_upper(b: &[u8]) -> String {
    base16ct::upper::encode_string(b)
}

/// Parses unix seconds: ASCII digits only, no sign, at most 12 digits (year 33658).
pub(crate) fn unix_seconds(s: &str, header: &'static str) -> Result<u64, Error> {
    if s.is_empty() || s.len() > 12 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Error::malformed(
            header,
            "the timestamp is not a whole number of unix seconds",
        ));
    }
    s.parse()
        .map_err(|_| Error::malformed(header, "the timestamp is out of range"))
}

/// Checks a signed timestamp against `now` within `tolerance` seconds, both directions.
pub(crate) fn check_timestamp(ts: u64, now: u64, tolerance: Option<u64>) -> Result<(), Error> {
    let Some(tol) = tolerance else { return Ok(()) };
    if ts < now && now - ts > tol {
        return Err(Error::TimestampTooOld {
            age: now - ts,
            tolerance: tol,
        });
    }
    if ts > now && ts - now > tol {
        return Err(Error::TimestampInFuture {
            ahead: ts - now,
            tolerance: tol,
        });
    }
    Ok(())
}

/// Decodes an `application/x-www-form-urlencoded` value, up to the first `&` (the end of a
/// field) or the end: `+` is a space, `%XX` a byte. (The crate reads values through
/// `form_field`; the tests state the rules here.)
#[cfg(test)]
fn form_decode(s: &[u8]) -> Result<Vec<u8>, Error> {
    decode_until_amp(s).map(|(out, _)| out)
}

/// [`form_decode`], also returning how many input bytes it read (up to the `&` or the end).
fn decode_until_amp(s: &[u8]) -> Result<(Vec<u8>, usize), Error> {
    let (out, i, ok) = decode_with(s, true);
    if !ok {
        return Err(Error::payload("the form body has a broken %-escape"));
    }
    Ok((out, i))
}

#[cfg(all(target_arch = "x86_64", not(miri)))]
mod avx2;
#[cfg(all(target_arch = "x86_64", not(miri)))]
use avx2::decode_prefix;

/// Elsewhere the scalar decoder does it all.
#[cfg(not(all(target_arch = "x86_64", not(miri))))]
fn decode_prefix(_: &[u8], _: &mut [u8]) -> (usize, usize) {
    (0, 0)
}

/// Decodes up to a `&` or the end, with or without the SIMD blocks (the tests and the
/// `form_decode` fuzz target hold the two equal): the bytes, where reading stopped, and
/// whether every escape was whole.
pub(crate) fn decode_with(s: &[u8], simd: bool) -> (Vec<u8>, usize, bool) {
    // Decoding only shrinks, so the output is written into a zeroed buffer of the input's
    // length and cut at the end: no per-byte capacity checks.
    let mut out = alloc::vec![0u8; s.len()];
    let (i, o) = if simd {
        decode_prefix(s, &mut out)
    } else {
        (0, 0)
    };
    let (i, o, ok) = decode_bytes(s, &mut out, i, o);
    out.truncate(o);
    (out, i, ok)
}

/// Decodes `s` from byte `i` into `out` (at least as long as `s`) from byte `o`, up to a `&`
/// or the end; returns where reading and writing stopped and whether every escape was whole.
fn decode_bytes(s: &[u8], out: &mut [u8], mut i: usize, mut o: usize) -> (usize, usize, bool) {
    let mut invalid = 0u8;
    // A plain branchy loop: a branch-free select version makes each step wait for the
    // previous one's length (3x slower on Centra bodies, which are mostly escapes).
    while let (Some(&b), Some(slot)) = (s.get(i), out.get_mut(o)) {
        *slot = match b {
            b'+' => b' ',
            b'%' => {
                let hi = s.get(i + 1).map_or(0xFF, |&c| HEX_VALUES[usize::from(c)]);
                let lo = s.get(i + 2).map_or(0xFF, |&c| HEX_VALUES[usize::from(c)]);
                invalid |= hi | lo;
                i += 2;
                hi << 4 | (lo & 0x0F)
            }
            b'&' => break,
            _ => b,
        };
        i += 1;
        o += 1;
    }
    (i, o, invalid & 0xF0 == 0)
}

/// Whether the form-encoded field name `key` decodes to `name`, without allocating (a body of
/// many short fields would otherwise cost an allocation each): decoding at most shortens a
/// byte run threefold, so only keys of `name.len()..=3 * name.len()` bytes can, and those are
/// decoded on the stack. A key with a broken escape is not `name` (like other fields' values,
/// other names are not checked).
fn key_is(key: &[u8], name: &[u8]) -> bool {
    let mut buf = [0u8; 32];
    debug_assert!(
        3 * name.len() <= buf.len(),
        "a longer field name needs a larger buffer"
    );
    if key.len() < name.len() || key.len() > 3 * name.len() || key.len() > buf.len() {
        return false;
    }
    let (_, o, ok) = decode_bytes(key, &mut buf, 0, 0);
    ok && buf.get(..o) == Some(name)
}

/// The value of field `name` in a form body, decoded. One pass: the value is decoded up
/// to its `&` rather than found first and decoded after. A field sent twice is an error:
/// readers disagree on which copy counts (PHP's `$_POST` takes the last).
pub(crate) fn form_field(body: &[u8], name: &[u8]) -> Result<Option<Vec<u8>>, Error> {
    let mut found = None;
    let mut rest = body;
    loop {
        // Field names are short: find where this one ends.
        let k_end = rest
            .iter()
            .position(|&b| b == b'=' || b == b'&')
            .unwrap_or(rest.len());
        let (key, after) = rest.split_at(k_end);
        let value = match after.split_first() {
            Some((b'=', v)) => v,
            _ => &[],
        };
        // What follows this field, from its `&` on.
        let mut tail = after;
        if key_is(key, name) {
            if found.is_some() {
                return Err(Error::payload(
                    "the form body has the field more than once: readers differ on which copy \
                     counts",
                ));
            }
            let (decoded, used) = decode_until_amp(value)?;
            found = Some(decoded);
            tail = value.get(used..).unwrap_or_default();
        }
        match tail.iter().position(|&b| b == b'&') {
            Some(amp) => rest = tail.get(amp + 1..).unwrap_or_default(),
            None => return Ok(found),
        }
    }
}

/// Encodes like PHP's `urlencode` (what `http_build_query` uses): alphanumerics and
/// `-_.` stay, space becomes `+`, everything else `%XX` in upper case.
pub(crate) fn php_urlencode(b: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(b.len() * 3);
    for &c in b {
        match c {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(c as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(c >> 4)] as char);
                out.push(HEX[usize::from(c & 15)] as char);
            }
        }
    }
    out
}

/// Parses an RFC 3339 date-time (`2025-01-15T10:30:00Z`, fractions and offsets allowed)
/// to unix seconds. Returns `None` for anything else; callers keep the original text.
pub(crate) fn rfc3339_seconds(s: &str) -> Option<u64> {
    let b = s.as_bytes();
    let num = |r: core::ops::Range<usize>| -> Option<i64> {
        let part = b.get(r)?;
        if part.is_empty() || !part.iter().all(u8::is_ascii_digit) {
            return None;
        }
        core::str::from_utf8(part).ok()?.parse().ok()
    };
    if b.len() < 20 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' '))
        || b.get(13) != Some(&b':')
        || b.get(16) != Some(&b':')
    {
        return None;
    }
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let month_days = match mo {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1..=12).contains(&mo) || !(1..=month_days).contains(&d) || h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let digits = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == digits {
            return None;
        }
    }
    let offset = match b.get(i)? {
        b'Z' | b'z' if i + 1 == b.len() => 0,
        sign @ (b'+' | b'-') if i + 6 == b.len() && b.get(i + 3) == Some(&b':') => {
            let (oh, om) = (num(i + 1..i + 3)?, num(i + 4..i + 6)?);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'+' {
                off
            } else {
                -off
            }
        }
        _ => return None,
    };
    // Days from civil (Howard Hinnant's algorithm), proleptic Gregorian.
    let yy = if mo <= 2 { y - 1 } else { y };
    let era = yy.div_euclid(400);
    let yoe = yy - era * 400;
    let mp = (mo + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset;
    u64::try_from(secs).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert_eq!(rfc3339_seconds("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339_seconds("2025-01-15T10:30:00Z"), Some(1_736_937_000));
        assert_eq!(
            rfc3339_seconds("2025-01-15T12:30:00.123+02:00"),
            Some(1_736_937_000)
        );
        assert_eq!(rfc3339_seconds("2025-01-15 10:30:00"), None);
        assert_eq!(rfc3339_seconds("2024-02-29T00:00:00Z"), Some(1_709_164_800));
        for bad in [
            "2025-02-29T00:00:00Z",
            "2025-02-31T10:30:00Z",
            "2025-04-31T10:30:00Z",
            "2025-01-15T10:30X00Z",
            "2025-01-15T10:30:00.Z",
            "2025-01-15T10:30:00+24:00",
            "2025-01-15T10:30:00+02:60",
        ] {
            assert_eq!(rfc3339_seconds(bad), None, "{bad}");
        }
        assert_eq!(rfc3339_seconds("garbage"), None);
    }

    #[test]
    fn form() {
        assert_eq!(form_decode(b"a+b%2Bc").unwrap(), b"a b+c");
        assert!(form_decode(b"%4").is_err());
        assert!(form_decode(b"ab%4").is_err());
        assert!(form_decode(b"%zz").is_err());
        assert!(form_decode(b"%G0abc").is_err());
        assert_eq!(form_decode(b"%41%42+%2b").unwrap(), b"AB +");
        assert_eq!(form_decode(b"%41").unwrap(), b"A");
        assert_eq!(
            form_field(b"payload", b"payload").unwrap(),
            Some(Vec::new())
        );
        assert_eq!(
            form_field(b"a&payload=x%41&b=2", b"payload").unwrap(),
            Some(b"xA".to_vec())
        );
        assert_eq!(form_field(b"a=1&b=2", b"payload").unwrap(), None);
        assert!(form_field(b"payload=1&b=2&payload=3", b"payload").is_err());
        assert!(form_field(b"payload=1&pay%6Coad=3", b"payload").is_err());
        // Other fields' values are not decoded, so not checked; nor are other names.
        assert_eq!(
            form_field(b"payload=%7B%7D&b=%zz", b"payload").unwrap(),
            Some(b"{}".to_vec())
        );
        for other in [
            &b"b%zz=1&payload=2"[..],
            b"pay%6=1&payload=2",
            b"%70%61%79%6C%6F%61%64%=1&payload=2",
        ] {
            assert_eq!(form_field(other, b"payload").unwrap(), Some(b"2".to_vec()));
        }
        // Every spelling of the name counts, at any length from 7 to 21 bytes.
        for key in [
            &b"payload"[..],
            b"p+yload",
            b"%70ayload",
            b"%70%61%79%6C%6F%61%64",
            b"%70%61%79%6c%6f%61%64",
        ] {
            let body = [key, b"=1"].concat();
            let want = (key != b"p+yload").then(|| b"1".to_vec());
            assert_eq!(form_field(&body, b"payload").unwrap(), want, "{key:?}");
        }
        assert_eq!(
            form_field(b"pay%6Coad=1", b"payload").unwrap(),
            Some(b"1".to_vec())
        );
        assert_eq!(
            php_urlencode(b"{\"x\":\"a b~\"}"),
            "%7B%22x%22%3A%22a+b%7E%22%7D"
        );
        assert_eq!(
            form_field(b"a=1&payload=%7B%7D", b"payload").unwrap(),
            Some(b"{}".to_vec())
        );
    }

    #[test]
    fn tags() {
        assert!(hex_tag("0b9C", 2).is_some());
        assert!(hex_tag("0b9", 2).is_none());
        assert!(hex_tag("zz9c", 2).is_none());
        assert!(base64_tag("AAAA", 3).is_some());
        assert!(base64_tag("AAA", 3).is_none());
    }

    #[test]
    fn tag_equality_sees_every_byte_and_the_length() {
        let a: Vec<u8> = (0u8..64).collect();
        let tag = |b: &[u8]| Tag::from_slice(b).unwrap();
        assert!(bool::from(tag(&a).ct_eq(&tag(&a))));
        for i in 0..64 {
            let mut b = a.clone();
            b[i] ^= 0x80;
            assert!(!bool::from(tag(&a).ct_eq(&tag(&b))), "byte {i}");
        }
        // Same bytes, shorter: trailing zeros must not make them equal.
        let z = [0u8; 32];
        assert!(!bool::from(tag(&z).ct_eq(&tag(&z[..31]))));
    }
}
