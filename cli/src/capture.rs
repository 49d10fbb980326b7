//! Captured HTTP requests, in the formats people have at hand when debugging a webhook:
//!
//! - a raw HTTP/1.x request as `nc -l PORT > capture.http` writes it (CRLF or LF line ends;
//!   the request line is optional; `Content-Length` honoured; chunked bodies decoded);
//! - a `curl --trace-ascii` or `curl --trace` log (the `=> Send header` / `=> Send data`
//!   blocks; `--trace-time` prefixes are fine);
//! - a JSON export: `{"method"?, "path"|"url"?, "headers": {...} | [[name, value], ...],
//!   "body" | "content" | "body_base64"}`. Header object values may be strings or arrays of
//!   strings (webhook.site's export); a name written twice in the object is kept twice.
//!   `"isBase64Encoded": true` marks a base64 `body` (an AWS API Gateway / Lambda event).
//!
//! Error messages never quote a header value: it may be a signature or a credential.

use base64::Engine;

/// A request: headers in arrival order and the exact body bytes. Its `Debug` shows header names
/// only: values may be signatures or credentials (Orisha's `X-Secret` is the secret itself).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Capture {
    pub method: Option<String>,
    pub target: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Which format was recognised (`raw`, `trace-ascii`, `trace`, `json`).
    pub format: &'static str,
    /// Caveats about the capture worth showing when it does not verify.
    pub notes: Vec<String>,
}

impl std::fmt::Debug for Capture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        struct Names<'a>(&'a [(String, String)]);
        impl std::fmt::Debug for Names<'_> {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                let mut list = f.debug_list();
                for (name, value) in self.0 {
                    list.entry(&(name, format_args!("<{} bytes redacted>", value.len())));
                }
                list.finish()
            }
        }
        f.debug_struct("Capture")
            .field("method", &self.method)
            .field("target", &self.target)
            .field("headers", &Names(&self.headers))
            .field("body", &format_args!("<{} bytes>", self.body.len()))
            .field("format", &self.format)
            .field("notes", &self.notes)
            .finish()
    }
}

impl Capture {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Applies the message framing the headers declare: chunked transfer coding is decoded,
    /// and `Content-Length` cuts off what follows the body (capture tools often add a newline).
    /// `lf_head`: the head's line ends are LF, so the capture's were likely converted.
    fn frame_body(&mut self, body: &[u8], lf_head: bool) -> Result<(), String> {
        let chunked = self
            .header("transfer-encoding")
            .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
        self.body = if chunked {
            let (decoded, after) = dechunk(body)?;
            // As after a Content-Length body: a line end is what capture tools add.
            if !matches!(after, b"" | b"\n" | b"\r\n") {
                self.notes.push(format!(
                    "{} bytes after the chunked body's last chunk were left out",
                    after.len()
                ));
            }
            decoded
        } else if let Some(len) = self.header("content-length") {
            let len = len.trim();
            // Digits only (Rust's parse takes a `+`); differing copies make the length
            // ambiguous, which HTTP treats as an invalid message.
            let mut lengths = self
                .headers
                .iter()
                .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"));
            if lengths.any(|(_, v)| v.trim() != len) {
                return Err("the request has Content-Length headers that differ".into());
            }
            let len: usize = len
                .parse()
                .ok()
                .filter(|_| !len.is_empty() && len.bytes().all(|b| b.is_ascii_digit()))
                .ok_or("the Content-Length header is not a number")?;
            if body.len() < len {
                let cause = if lf_head {
                    ", or its line ends were converted from CRLF to LF (which shortens a body \
                     with CRLF line ends): save the capture without converting line ends"
                } else {
                    ""
                };
                return Err(format!(
                    "the body has {} bytes but Content-Length says {len}: the capture is \
                     truncated{cause}",
                    body.len()
                ));
            }
            // A final line end is what capture tools and editors add; anything more is noted.
            let extra = &body[len..];
            if !matches!(extra, b"" | b"\n" | b"\r\n") {
                self.notes.push(format!(
                    "{} bytes after the body's Content-Length ({len}) were left out",
                    extra.len()
                ));
            }
            body[..len].to_vec()
        } else {
            body.to_vec()
        };
        Ok(())
    }
}

/// Detects the format and parses it.
pub fn parse(bytes: &[u8]) -> Result<Capture, String> {
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let rest = &bytes[start..];
    if rest.starts_with(b"{") {
        return parse_json(rest);
    }
    let first_line = rest.split(|b| *b == b'\n').next().unwrap_or_default();
    let first_line = String::from_utf8_lossy(first_line);
    if trace_marker(&first_line).is_some() {
        return parse_trace(&String::from_utf8_lossy(rest));
    }
    parse_raw(rest)
}

/// The head ends at the first empty line, CRLF or LF style.
fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    let crlf = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|i| (i, 4));
    let lf = bytes.windows(2).position(|w| w == b"\n\n").map(|i| (i, 2));
    let (i, n) = match (crlf, lf) {
        (Some(a), Some(b)) => {
            if a.0 <= b.0 {
                a
            } else {
                b
            }
        }
        (a, b) => a.or(b)?,
    };
    Some((&bytes[..i], &bytes[i + n..]))
}

/// A raw HTTP/1.x request (or just headers, a blank line and the body).
pub fn parse_raw(bytes: &[u8]) -> Result<Capture, String> {
    let (head, body) = match split_head(bytes) {
        Some(parts) => parts,
        // Headers only, the capture ends without the blank line: an empty body.
        None if !bytes.is_empty() => (bytes, &[][..]),
        None => return Err("the capture is empty".into()),
    };
    let mut cap = parse_head(head)?;
    cap.format = "raw";
    // HTTP sends CRLF: a head with LF line ends was converted, and so, likely, was the body.
    cap.frame_body(body, !head.contains(&b'\r'))?;
    Ok(cap)
}

/// The request line (optional) and header lines.
fn parse_head(head: &[u8]) -> Result<Capture, String> {
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let mut cap = Capture::default();
    let first = lines.next().unwrap_or_default();
    if is_request_line(first) {
        let mut parts = first.split_whitespace();
        cap.method = parts.next().map(String::from);
        cap.target = parts.next().map(String::from);
    } else {
        add_header(&mut cap, first, 1)?;
    }
    for (i, line) in lines.enumerate() {
        if !line.is_empty() {
            add_header(&mut cap, line, i + 2)?;
        }
    }
    Ok(cap)
}

/// `METHOD target HTTP/x`, or a bare `METHOD /path` (HTTP/0.9 style, hand-written captures).
fn is_request_line(line: &str) -> bool {
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default();
    let target = parts.next().unwrap_or_default();
    let version = parts.next();
    !method.is_empty()
        && method.bytes().all(|b| b.is_ascii_uppercase())
        && !target.is_empty()
        && version.is_none_or(|v| v.starts_with("HTTP/"))
        && parts.next().is_none()
}

fn add_header(cap: &mut Capture, line: &str, number: usize) -> Result<(), String> {
    if line.starts_with([' ', '\t']) {
        // Obsolete line folding: read as a header of its own, a wrapped value holding `:`
        // would become a made-up header.
        return Err(format!(
            "line {number} of the request head continues the previous header (line folding): \
             join the two lines into one"
        ));
    }
    let Some((n, v)) = line.split_once(':') else {
        // Never echo the line: it may hold a signature.
        return Err(format!(
            "line {number} of the request head is not a `Name: value` header"
        ));
    };
    let name = ows(n);
    if name.is_empty() || name.contains(char::is_whitespace) {
        return Err(format!(
            "line {number} of the request head has no valid header name"
        ));
    }
    cap.headers.push((name.to_string(), ows(v).to_string()));
    Ok(())
}

/// A header name or value without HTTP's optional white space (spaces and tabs) around it.
/// Not `str::trim`: a receiver's server leaves other white space (U+00A0, U+3000) in the value
/// it hands over, and the core treats it as part of the value.
pub fn ows(s: &str) -> &str {
    s.trim_matches([' ', '\t'])
}

/// Decodes chunked transfer coding; chunk lines may end with CRLF or (hand-edited) LF.
/// Returns the body and what follows the trailer section.
fn dechunk(mut b: &[u8]) -> Result<(Vec<u8>, &[u8]), String> {
    let mut out = Vec::new();
    loop {
        let eol = b
            .iter()
            .position(|c| *c == b'\n')
            .ok_or("a chunk size line is missing: the chunked body is truncated")?;
        let line = String::from_utf8_lossy(&b[..eol]);
        let size_text = line.trim_end_matches('\r');
        let hex = size_text.split(';').next().unwrap_or("").trim();
        let size = usize::from_str_radix(hex, 16)
            .ok()
            .filter(|_| hex.bytes().all(|c| c.is_ascii_hexdigit()))
            .ok_or("a chunk size is not hexadecimal")?;
        b = &b[eol + 1..];
        if size == 0 {
            // Trailers, if any, are not part of the body; they end at an empty line.
            while let Some(eol) = b.iter().position(|c| *c == b'\n') {
                let line = &b[..eol];
                b = &b[eol + 1..];
                if matches!(line, b"" | b"\r") {
                    return Ok((out, b));
                }
            }
            return Ok((out, b""));
        }
        let data = b
            .get(..size)
            .ok_or("a chunk is shorter than its size: the chunked body is truncated")?;
        out.extend_from_slice(data);
        b = &b[size..];
        b = b
            .strip_prefix(b"\r\n")
            .or_else(|| b.strip_prefix(b"\n"))
            .ok_or("a chunk is not followed by a line end")?;
    }
}

/// The `=>`/`<=`/`==` marker of a trace line, after an optional `--trace-time` stamp.
fn trace_marker(line: &str) -> Option<&str> {
    let line = line.trim_end_matches('\r');
    let is_marker = |l: &str| l.starts_with("=> ") || l.starts_with("<= ") || l.starts_with("== ");
    if is_marker(line) {
        return Some(line);
    }
    // `12:34:56.789012 => Send header, ...`: curl's stamp exactly, since a data line's
    // offset (`0040: `) followed by body text such as `<= 5` must stay data.
    let (stamp, rest) = line.split_once(' ')?;
    (is_trace_time(stamp) && is_marker(rest)).then_some(rest)
}

/// `HH:MM:SS.f...`, as `--trace-time` writes it.
fn is_trace_time(stamp: &str) -> bool {
    let b = stamp.as_bytes();
    b.len() > 9
        && b.iter().enumerate().all(|(i, c)| match i {
            2 | 5 => *c == b':',
            8 => *c == b'.',
            _ => c.is_ascii_digit(),
        })
}

/// One request of a trace: its head and data blocks, decoded.
#[derive(Default)]
struct TraceRequest {
    head: Vec<u8>,
    body: Vec<u8>,
    /// `--trace-ascii` showed some byte as `.`.
    lossy: bool,
}

impl TraceRequest {
    fn sent_body(&self) -> bool {
        !self.body.is_empty() || split_head(&self.head).is_some_and(|(_, rest)| !rest.is_empty())
    }

    /// `METHOD target HTTP/1.1`: a repeat of a request (an authentication round's, a retry
    /// after a refused `Expect: 100-continue`) has the same one.
    fn request_line(&self) -> &[u8] {
        let line = self.head.split(|b| *b == b'\n').next().unwrap_or_default();
        line.strip_suffix(b"\r").unwrap_or(line)
    }
}

/// One `=> Send header` / `=> Send data` block: its stated size and its `(offset, text)` lines.
struct Block {
    is_head: bool,
    size: usize,
    lines: Vec<(usize, String)>,
}

/// `curl --trace-ascii` or `curl --trace` output.
///
/// `--trace` lines hold 16 bytes in hex: exact. `--trace-ascii` lines hold the text: curl
/// starts a new line after each CRLF and after 64 bytes, and shows every byte outside
/// printable ASCII (a bare LF, a tab, UTF-8) as `.`. The CRLFs are recovered from the
/// offsets; the `.`s cannot be, which a note says when they are present.
pub fn parse_trace(text: &str) -> Result<Capture, String> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<Block> = None;
    for line in text.lines() {
        if let Some(marker) = trace_marker(line) {
            if let Some(b) = current.take() {
                blocks.push(b);
            }
            let (is_head, rest) = if let Some(r) = marker.strip_prefix("=> Send header, ") {
                (true, r)
            } else if let Some(r) = marker.strip_prefix("=> Send data, ") {
                (false, r)
            } else {
                continue;
            };
            let size: usize = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or("a trace block has no byte count")?;
            current = Some(Block {
                is_head,
                size,
                lines: Vec::new(),
            });
        } else if let Some(block) = current.as_mut() {
            let line = line.trim_end_matches('\r');
            let (off, t) = line
                .split_once(':')
                .ok_or("a trace line has no `offset:` prefix")?;
            let off = usize::from_str_radix(off.trim(), 16)
                .map_err(|_| "a trace line's offset is not hexadecimal")?;
            // curl writes `offset: text`; editors may have trimmed the space of an empty line.
            let t = t.strip_prefix(' ').unwrap_or(t);
            block.lines.push((off, t.to_string()));
        }
    }
    if let Some(b) = current.take() {
        blocks.push(b);
    }
    let first_head = blocks
        .iter()
        .find(|b| b.is_head)
        .ok_or("the trace has no \"=> Send header\" block")?;
    let hex = first_head
        .lines
        .first()
        .is_some_and(|(_, t)| looks_like_hex_dump(t, first_head.size));
    // The requests, up to the first that sent a body. A head block after data, or after a
    // complete head, starts the next request: a redirect, a retry, or the body-carrying repeat
    // of a bodiless first request (an authentication round, a refused `Expect: 100-continue`).
    let mut requests: Vec<TraceRequest> = Vec::new();
    let mut later = false;
    for b in &blocks {
        let starts = requests
            .last()
            .is_none_or(|r| b.is_head && (!r.body.is_empty() || split_head(&r.head).is_some()));
        if starts {
            if requests.iter().any(TraceRequest::sent_body) {
                later = true;
                break;
            }
            requests.push(TraceRequest::default());
        }
        let Some(r) = requests.last_mut() else { break };
        let out = if b.is_head { &mut r.head } else { &mut r.body };
        if hex {
            decode_hex_block(b, out)?;
        } else {
            r.lossy |= decode_ascii_block(b, out)?;
        }
    }
    // A bodiless request is skipped only for its repeat (same method and target); any other
    // next request (`curl URL1 URL2`, `--next`, a GET before a POST) is a different one.
    let mut used = 0;
    while !requests[used].sent_body()
        && requests
            .get(used + 1)
            .is_some_and(|next| next.request_line() == requests[used].request_line())
    {
        used += 1;
    }
    let more = later || requests.len() > used + 1;
    let TraceRequest { head, body, lossy } = requests.swap_remove(used);
    let (head_only, rest) = match split_head(&head) {
        Some((h, r)) => (h, r),
        None => (&head[..], &[][..]),
    };
    let mut cap = parse_head(head_only)?;
    cap.format = if hex { "trace" } else { "trace-ascii" };
    // A head block holding body bytes too is unusual, but keep them in order.
    let mut all = rest.to_vec();
    all.extend_from_slice(&body);
    cap.frame_body(&all, false)?;
    if used > 0 {
        let skipped = if used == 1 {
            "request".to_string()
        } else {
            format!("{used} requests")
        };
        let after = if more {
            "; the requests after it were ignored"
        } else {
            ""
        };
        cap.notes.push(format!(
            "the trace's first {skipped} sent no body and was repeated (an authentication round \
             or a refused `Expect: 100-continue`): request {}, the repeat, was used{after}",
            used + 1
        ));
    } else if more {
        cap.notes
            .push("the trace holds more than one request; the first one was used".to_string());
    }
    if lossy && cap.body.contains(&b'.') {
        cap.notes.push(
            "curl --trace-ascii shows bytes outside printable ASCII (LF, tab, UTF-8) as `.`, so \
             the body may differ from what was sent: capture with `curl --trace FILE` (hex) instead"
                .to_string(),
        );
    }
    Ok(cap)
}

/// `--trace` lines start with up to 16 `xx ` groups.
fn looks_like_hex_dump(first: &str, size: usize) -> bool {
    let n = size.clamp(1, 16);
    let b = first.as_bytes();
    b.len() >= 3 * n
        && (0..n).all(|i| {
            b[3 * i].is_ascii_hexdigit() && b[3 * i + 1].is_ascii_hexdigit() && b[3 * i + 2] == b' '
        })
}

fn decode_hex_block(b: &Block, out: &mut Vec<u8>) -> Result<(), String> {
    let start = out.len();
    for (off, t) in &b.lines {
        if out.len() - start != *off {
            return Err("a trace line's offset does not follow the previous line".into());
        }
        // 16 groups of `xx ` (padded with spaces on the last line), then the ASCII column.
        let hex_part = t.get(..48.min(t.len())).unwrap_or(t);
        for tok in hex_part.split_whitespace() {
            let byte = u8::from_str_radix(tok, 16).map_err(|_| "a trace hex byte is not hex")?;
            out.push(byte);
        }
    }
    if out.len() - start != b.size {
        return Err(format!(
            "a trace block says {} bytes but holds {}",
            b.size,
            out.len() - start
        ));
    }
    Ok(())
}

/// Returns whether the block may have lost bytes (shown as `.`).
fn decode_ascii_block(b: &Block, out: &mut Vec<u8>) -> Result<bool, String> {
    let mut lossy = false;
    for (i, (off, t)) in b.lines.iter().enumerate() {
        out.extend_from_slice(t.as_bytes());
        lossy |= t.contains('.');
        let next = b.lines.get(i + 1).map_or(b.size, |(o, _)| *o);
        let gap = off
            .checked_add(t.len())
            .and_then(|end| next.checked_sub(end))
            .ok_or("a trace line is longer than its offsets allow")?;
        match gap {
            0 => {}
            // curl breaks lines after CRLF; a gap of one is a hand-made trace with LF.
            1 => out.push(b'\n'),
            2 => out.extend_from_slice(b"\r\n"),
            _ => return Err("a trace line lost more than a line ending".into()),
        }
    }
    Ok(lossy)
}

/// A JSON export (see the module documentation for the shape).
pub fn parse_json(bytes: &[u8]) -> Result<Capture, String> {
    use serde_json::Value;
    let v: Value =
        serde_json::from_slice(bytes).map_err(|e| format!("the JSON capture is invalid: {e}"))?;
    let text = |key: &str| v.get(key).and_then(Value::as_str).map(String::from);
    let mut cap = Capture {
        method: text("method").or_else(|| text("httpMethod")),
        target: text("path").or_else(|| text("url")),
        format: "json",
        ..Capture::default()
    };
    let value_text = |x: &Value| x.as_str().map_or_else(|| x.to_string(), String::from);
    match v.get("headers") {
        Some(Value::Object(_)) => {
            // Read again for the object's entries as written; `Value` keeps one per name.
            let mut de = serde_json::Deserializer::from_slice(bytes);
            let entries = serde::Deserializer::deserialize_map(&mut de, HeaderEntries)
                .map_err(|e| format!("the JSON capture is invalid: {e}"))?;
            for (k, val) in entries {
                match val {
                    Value::Array(items) => {
                        for i in &items {
                            cap.headers.push((k.clone(), value_text(i)));
                        }
                    }
                    other => cap.headers.push((k, value_text(&other))),
                }
            }
        }
        Some(Value::Array(pairs)) => {
            for p in pairs {
                let (Some(k), Some(val)) = (
                    p.get(0).and_then(Value::as_str),
                    p.get(1).and_then(Value::as_str),
                ) else {
                    return Err("`headers` pairs must be [name, value] strings".into());
                };
                cap.headers.push((k.to_string(), val.to_string()));
            }
        }
        _ => return Err("the JSON capture has no `headers` object or list".into()),
    }
    let b64 = |s: &str, what: &str| {
        base64::engine::general_purpose::STANDARD
            .decode(s.trim())
            .map_err(|e| format!("`{what}` is not base64: {e}"))
    };
    let is_b64 = v.get("isBase64Encoded").and_then(Value::as_bool) == Some(true);
    cap.body = match (v.get("body_base64"), v.get("body").or(v.get("content"))) {
        (Some(Value::String(s)), _) => b64(s, "body_base64")?,
        (Some(_), _) => return Err("`body_base64` must be a string".into()),
        (None, Some(Value::String(s))) if is_b64 => b64(s, "body")?,
        (None, Some(Value::String(s))) => s.as_bytes().to_vec(),
        (None, Some(Value::Null) | None) => Vec::new(),
        (None, Some(_)) => {
            return Err(
                "`body` must be the raw body as a string (a parsed JSON object \
                        has lost the exact bytes that were signed); use `body_base64` for \
                        bytes that are not UTF-8"
                    .into(),
            )
        }
    };
    Ok(cap)
}

/// The top-level object's `headers` object, entries in their order, a repeated name kept as
/// often as it is written. serde_json's `Value` keeps only the last of a repeated key, which
/// would hide a second signature header that the check refuses as ambiguous (and sorts the
/// rest). Called only once `headers` is known to be an object.
struct HeaderEntries;

impl<'de> serde::de::Visitor<'de> for HeaderEntries {
    type Value = Vec<(String, serde_json::Value)>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an object with a `headers` object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut top: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(key) = top.next_key::<String>()? {
            if key != "headers" {
                top.next_value::<serde::de::IgnoredAny>()?;
            } else if found.is_some() {
                return Err(serde::de::Error::duplicate_field("headers"));
            } else {
                found = Some(top.next_value_seed(Entries)?);
            }
        }
        found.ok_or_else(|| serde::de::Error::missing_field("headers"))
    }
}

/// One object's entries, in order, repeats kept.
struct Entries;

impl<'de> serde::de::DeserializeSeed<'de> for Entries {
    type Value = Vec<(String, serde_json::Value)>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Entries {
    type Value = Vec<(String, serde_json::Value)>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a `headers` object")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(entry) = m.next_entry()? {
            out.push(entry);
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_shows_header_names_not_values() {
        let c = parse(
            b"POST / HTTP/1.1\r\nX-Secret: hunter2-secret\r\nms-signature: sha256=ABCDEF\r\n\r\n{}",
        )
        .unwrap();
        let shown = format!("{c:?}");
        assert!(
            shown.contains("X-Secret") && shown.contains("ms-signature"),
            "{shown}"
        );
        assert!(
            !shown.contains("hunter2") && !shown.contains("ABCDEF"),
            "{shown}"
        );
    }

    #[test]
    fn raw_crlf_with_content_length_and_trailing_newline() {
        let c = parse(
            b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nms-signature: a\r\n\r\nbody\n",
        )
        .unwrap();
        assert_eq!(c.method.as_deref(), Some("POST"));
        assert_eq!(c.target.as_deref(), Some("/hook"));
        assert_eq!(c.headers.len(), 3);
        assert_eq!(c.body, b"body");
        assert_eq!(c.format, "raw");
    }

    #[test]
    fn raw_without_content_length_keeps_every_byte() {
        let c = parse(b"POST / HTTP/1.1\nA: b\n\nline\n\n").unwrap();
        assert_eq!(c.body, b"line\n\n");
    }

    #[test]
    fn raw_absolute_target_and_colon_in_value() {
        let c =
            parse(b"POST http://127.0.0.1:8080/x HTTP/1.1\r\nX-T: t=1,v1=ab:cd\r\n\r\n").unwrap();
        assert_eq!(c.target.as_deref(), Some("http://127.0.0.1:8080/x"));
        assert_eq!(c.headers, vec![("X-T".into(), "t=1,v1=ab:cd".into())]);
        assert!(c.body.is_empty());
    }

    #[test]
    fn raw_lf_without_request_line() {
        let c = parse(b"X-Secret: s\nX-Event-Type: item.created\n\n{\"a\":1}").unwrap();
        assert_eq!(c.method, None);
        assert_eq!(c.headers[1], ("X-Event-Type".into(), "item.created".into()));
        assert_eq!(c.body, b"{\"a\":1}");
    }

    #[test]
    fn folded_header_lines_are_refused() {
        let e = parse(b"POST / HTTP/1.1\r\nX-T: t=1,\r\n v1=ab:cd\r\n\r\n").unwrap_err();
        assert!(e.contains("line 3") && e.contains("folding"), "{e}");
        assert!(!e.contains("ab:cd"), "{e}");
    }

    #[test]
    fn only_spaces_and_tabs_are_trimmed_around_a_value() {
        // As a server hands the value over: U+00A0 stays, and the core's check sees it.
        let c =
            parse("POST / HTTP/1.1\r\nX-Secret: \t\u{a0}k\u{3000} \r\n\r\n".as_bytes()).unwrap();
        assert_eq!(
            c.headers,
            [("X-Secret".to_string(), "\u{a0}k\u{3000}".to_string())]
        );
    }

    #[test]
    fn duplicate_headers_stay_separate() {
        let c = parse(b"POST / HTTP/1.1\r\nA: 1\r\na: 2\r\n\r\n").unwrap();
        assert_eq!(c.headers.len(), 2);
    }

    #[test]
    fn truncated_body_is_an_error() {
        let e = parse(b"POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc").unwrap_err();
        assert!(e.contains("truncated") && !e.contains("LF"), "{e}");
        // LF line ends in the head: the body's CRLFs were most likely converted too.
        let e = parse(b"POST / HTTP/1.1\nContent-Length: 6\n\na\nb\n").unwrap_err();
        assert!(e.contains("CRLF to LF"), "{e}");
    }

    #[test]
    fn bytes_past_content_length_are_noted() {
        let c = parse(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}\r\n").unwrap();
        assert_eq!((c.body.as_slice(), c.notes.len()), (&b"{}"[..], 0));
        let c = parse(b"POST / HTTP/1.1\r\nContent-Length: 2\r\n\r\n{}, more").unwrap();
        assert_eq!(c.body, b"{}");
        assert!(c.notes[0].contains("6 bytes after"), "{:?}", c.notes);
    }

    #[test]
    fn framing_is_read_strictly() {
        // After the last chunk (and its trailers): a line end passes, a second request is noted.
        let head = "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        let c = parse(format!("{head}2\r\n{{}}\r\n0\r\nX-T: 1\r\n\r\n\n").as_bytes()).unwrap();
        assert_eq!((c.body.as_slice(), c.notes.len()), (&b"{}"[..], 0));
        let c = parse(format!("{head}2\r\n{{}}\r\n0\r\n\r\nPOST / HTTP/1.1\r\n\r\n").as_bytes())
            .unwrap();
        assert_eq!(c.body, b"{}");
        assert!(
            c.notes[0].contains("19 bytes after the chunked body"),
            "{:?}",
            c.notes
        );
        for bad in ["+2\r\n{}\r\n0\r\n\r\n", "2 2\r\n{}\r\n0\r\n\r\n"] {
            let e = parse(format!("{head}{bad}").as_bytes()).unwrap_err();
            assert!(e.contains("not hexadecimal"), "{e}");
        }
        // Content-Length: digits only, and copies that differ make the message ambiguous.
        let e = parse(b"POST / HTTP/1.1\r\nContent-Length: +2\r\n\r\n{}").unwrap_err();
        assert!(e.contains("not a number"), "{e}");
        let e = parse(b"POST / HTTP/1.1\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}x")
            .unwrap_err();
        assert!(e.contains("differ"), "{e}");
        let c =
            parse(b"POST / HTTP/1.1\r\nContent-Length: 2\r\ncontent-length: 2 \r\n\r\n{}").unwrap();
        assert_eq!(c.body, b"{}");
    }

    #[test]
    fn errors_never_quote_header_values() {
        let e = parse(b"POST / HTTP/1.1\r\nms-signature sha256=DEADBEEF\r\n\r\n").unwrap_err();
        assert!(!e.contains("DEADBEEF"), "{e}");
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn chunked_crlf_and_lf() {
        let c = parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n6;x=y\r\npedia!\r\n0\r\n\r\n").unwrap();
        assert_eq!(c.body, b"Wikipedia!");
        let c = parse(b"POST / HTTP/1.1\nTransfer-Encoding: chunked\n\n3\na\nb\n0\n\n").unwrap();
        assert_eq!(c.body, b"a\nb");
        assert!(parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n9\r\nabc").is_err());
    }

    /// What curl 7.88/8.x writes for `--trace-ascii` (tool_cb_dbg.c, `dump` with nohex).
    fn curl_trace_ascii(blocks: &[(&str, &[u8])]) -> String {
        let mut t = String::from("== Info: Connected to 127.0.0.1 port 9\n");
        for (kind, data) in blocks {
            t.push_str(&format!(
                "=> Send {kind}, {} bytes (0x{:x})\n",
                data.len(),
                data.len()
            ));
            let size = data.len();
            let mut i = 0;
            while i < size {
                t.push_str(&format!("{i:04x}: "));
                let mut c = 0;
                let mut next = i + 64;
                while c < 64 && i + c < size {
                    if i + c + 1 < size && data[i + c] == b'\r' && data[i + c + 1] == b'\n' {
                        next = i + c + 2;
                        break;
                    }
                    let b = data[i + c];
                    t.push(if (0x20..0x80).contains(&b) {
                        b as char
                    } else {
                        '.'
                    });
                    if i + c + 2 < size && data[i + c + 1] == b'\r' && data[i + c + 2] == b'\n' {
                        next = i + c + 3;
                        break;
                    }
                    c += 1;
                }
                t.push('\n');
                i = next;
            }
        }
        t.push_str("== Info: upload completely sent off\n<= Recv header, 17 bytes (0x11)\n0000: HTTP/1.1 200 OK\n");
        t
    }

    #[test]
    fn trace_ascii_as_curl_writes_it() {
        let body: Vec<u8> = format!(
            "{{\r\n  \"a\": \"{}\",\r\n  \"b\": 1\r\n}}",
            "x".repeat(120)
        )
        .into_bytes();
        let head = format!(
            "POST /h HTTP/1.1\r\nHost: x\r\nwebhook-id: m\r\nContent-Length: {}\r\n\r\n",
            body.len()
        );
        let head = head.as_bytes();
        let t = curl_trace_ascii(&[("header", head), ("data", &body)]);
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c.format, "trace-ascii");
        assert_eq!(c.headers.len(), 3);
        assert_eq!(c.body, body);
        assert!(c.notes.is_empty());
    }

    #[test]
    fn trace_ascii_tolerates_trimmed_lines_and_time_stamps() {
        // 17 + 6 + 2 header bytes; the empty last line (its space trimmed) is the final CRLF.
        let t = "12:00:01.000001 == Info: x\n12:00:01.000002 => Send header, 25 bytes (0x19)\n\
                 0000: POST / HTTP/1.1\n0011: A: b\n0017:\n\
                 12:00:01.000003 => Send data, 2 bytes (0x2)\n0000: hi\n";
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c.headers, vec![("A".into(), "b".into())]);
        assert_eq!(c.body, b"hi");
    }

    #[test]
    fn trace_ascii_body_lines_that_read_like_markers_are_data() {
        // A line of a data block starts with its offset, `0040: `: body text there that reads
        // `<= `, `=> ` or `== ` is not curl's `--trace-time` stamp and marker.
        for marker in ["<= 5 items", "=> Send data, 3 bytes (0x3)", "== Info: x"] {
            let body = format!("{{\"a\":\"{}{marker}\"}}", "a".repeat(58)).into_bytes();
            let head = format!("POST / HTTP/1.1\r\nContent-Length: {}\r\n\r\n", body.len());
            let t = curl_trace_ascii(&[("header", head.as_bytes()), ("data", &body)]);
            assert!(t.contains(&format!("0040: {marker}")), "{t}");
            let c = parse(t.as_bytes()).unwrap();
            assert_eq!(c.body, body);
        }
    }

    #[test]
    fn trace_offsets_past_the_address_space_are_an_error() {
        let t = "=> Send header, 10 bytes (0xa)\nffffffffffffffff: A: b\n";
        assert!(parse(t.as_bytes()).is_err());
    }

    #[test]
    fn trace_ascii_notes_lost_bytes() {
        let head = b"POST / HTTP/1.1\r\nContent-Length: 6\r\n\r\n";
        let t = curl_trace_ascii(&[("header", head), ("data", b"{\n\"a\"}")]);
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c.body, b"{.\"a\"}");
        assert_eq!(c.notes.len(), 1);
    }

    #[test]
    fn trace_chunked_upload_is_decoded() {
        let head = b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n";
        let t = curl_trace_ascii(&[
            ("header", head),
            ("data", b"2\r\nhi\r\n"),
            ("data", b"0\r\n\r\n"),
        ]);
        assert_eq!(parse(t.as_bytes()).unwrap().body, b"hi");
    }

    #[test]
    fn trace_hex_is_exact() {
        let head = b"POST / HTTP/1.1\r\nA: b\r\n\r\n";
        let body = "{\n\t\"é\": 1}\n".as_bytes();
        let mut t = String::from("== Info: x\n");
        for (kind, data) in [("header", &head[..]), ("data", body)] {
            t.push_str(&format!(
                "=> Send {kind}, {} bytes (0x{:x})\n",
                data.len(),
                data.len()
            ));
            for (n, chunk) in data.chunks(16).enumerate() {
                t.push_str(&format!("{:04x}: ", n * 16));
                for i in 0..16 {
                    match chunk.get(i) {
                        Some(b) => t.push_str(&format!("{b:02x} ")),
                        None => t.push_str("   "),
                    }
                }
                for b in chunk {
                    t.push(if (0x20..0x80).contains(b) {
                        *b as char
                    } else {
                        '.'
                    });
                }
                t.push('\n');
            }
        }
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c.format, "trace");
        assert_eq!(c.headers, vec![("A".into(), "b".into())]);
        assert_eq!(c.body, body);
    }

    #[test]
    fn trace_second_request_is_ignored() {
        let t = curl_trace_ascii(&[
            ("header", b"POST /1 HTTP/1.1\r\nContent-Length: 1\r\n\r\n"),
            ("data", b"a"),
            ("header", b"POST /2 HTTP/1.1\r\nContent-Length: 1\r\n\r\n"),
            ("data", b"b"),
        ]);
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c.target.as_deref(), Some("/1"));
        assert_eq!(c.body, b"a");
        assert_eq!(c.notes.len(), 1);
    }

    #[test]
    fn trace_bodiless_first_request_is_skipped() {
        // An authentication round, then the repeat that carries the body. Before, the second
        // head was read as the first request's body.
        for expect in [
            "Content-Length: 0",
            "Content-Length: 1\r\nExpect: 100-continue",
        ] {
            let first = format!("POST /1 HTTP/1.1\r\n{expect}\r\n\r\n");
            let t = curl_trace_ascii(&[
                ("header", first.as_bytes()),
                ("header", b"POST /1 HTTP/1.1\r\nContent-Length: 1\r\n\r\n"),
                ("data", b"b"),
                ("header", b"GET /3 HTTP/1.1\r\n\r\n"),
            ]);
            let c = parse(t.as_bytes()).unwrap();
            assert_eq!((c.target.as_deref(), &c.body[..]), (Some("/1"), &b"b"[..]));
            assert_eq!(c.notes.len(), 1, "{:?}", c.notes);
            assert!(c.notes[0].contains("request 2"), "{:?}", c.notes);
            assert!(
                c.notes[0].contains("after it were ignored"),
                "{:?}",
                c.notes
            );
        }
        // A different request after a bodiless one (`curl URL1 URL2`, a GET then a POST) is
        // not its repeat: the first is used.
        for second in ["POST /2", "GET /1"] {
            let next = format!("{second} HTTP/1.1\r\nContent-Length: 1\r\n\r\n");
            let t = curl_trace_ascii(&[
                ("header", b"POST /1 HTTP/1.1\r\n\r\n"),
                ("header", next.as_bytes()),
                ("data", b"b"),
            ]);
            let c = parse(t.as_bytes()).unwrap();
            assert_eq!((c.target.as_deref(), c.body.len()), (Some("/1"), 0));
            assert!(c.notes[0].contains("first one was used"), "{:?}", c.notes);
        }
    }

    #[test]
    fn json_export() {
        let c = parse(br#"{"method":"POST","headers":{"X-A":"1","X-B":["2","3"]},"body":"hi"}"#)
            .unwrap();
        assert_eq!(c.headers.len(), 3);
        assert_eq!(c.body, b"hi");
        let c = parse(br#"{"headers":[["a","b"]],"body_base64":"/w=="}"#).unwrap();
        assert_eq!(c.body, vec![0xff]);
        // webhook.site
        let c = parse(br#"{"headers":{"x":["1"]},"content":"{\"a\":1}"}"#).unwrap();
        assert_eq!(c.body, br#"{"a":1}"#);
        // AWS API Gateway / Lambda event
        let c = parse(
            br#"{"httpMethod":"POST","headers":{"x":"1"},"body":"aGk=","isBase64Encoded":true}"#,
        )
        .unwrap();
        assert_eq!(
            (c.method.as_deref(), &c.body[..]),
            (Some("POST"), &b"hi"[..])
        );
        let e = parse(br#"{"headers":{},"body":{"a":1}}"#).unwrap_err();
        assert!(e.contains("raw body"), "{e}");
        // A name written twice stays twice (the check refuses the ambiguity), in order.
        let c = parse(br#"{"body":"","headers":{"X-S":"a","b":"1","X-S":["c"]}}"#).unwrap();
        let names: Vec<_> = c.headers.iter().map(|(k, v)| format!("{k}={v}")).collect();
        assert_eq!(names, ["X-S=a", "b=1", "X-S=c"]);
        let e = parse(br#"{"headers":{},"headers":{}}"#).unwrap_err();
        assert!(e.contains("duplicate field `headers`"), "{e}");
    }
}
