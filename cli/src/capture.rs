//! Captured HTTP requests: raw requests as `nc -l` writes them, curl `--trace-ascii` logs,
//! and a JSON export (`{"headers": {...} | [[name, value], ...], "body" | "body_base64"}`).

use base64::Engine;

/// A request: headers in arrival order and the exact body bytes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Capture {
    pub method: Option<String>,
    pub target: Option<String>,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Capture {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// Detects the format and parses it.
pub fn parse(bytes: &[u8]) -> Result<Capture, String> {
    let text_start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(0);
    let rest = &bytes[text_start..];
    if rest.starts_with(b"{") {
        return parse_json(rest);
    }
    if rest.starts_with(b"== Info:") || rest.starts_with(b"=> Send header") {
        return parse_trace_ascii(&String::from_utf8_lossy(rest));
    }
    parse_raw(rest)
}

fn split_head(bytes: &[u8]) -> Option<(&[u8], &[u8])> {
    // The head ends at the first empty line, CRLF or LF style.
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

/// A raw HTTP/1.x request. Honours Content-Length (a capture often ends with an extra
/// newline that is not part of the body) and decodes chunked transfer encoding.
pub fn parse_raw(bytes: &[u8]) -> Result<Capture, String> {
    let (head, body) = split_head(bytes).ok_or("no blank line between headers and body")?;
    let mut cap = parse_head(head)?;
    let chunked = cap
        .header("transfer-encoding")
        .is_some_and(|t| t.to_ascii_lowercase().contains("chunked"));
    cap.body = if chunked {
        dechunk(body)?
    } else if let Some(len) = cap.header("content-length") {
        let len: usize = len.trim().parse().map_err(|_| "bad Content-Length")?;
        if body.len() < len {
            return Err(format!(
                "the body has {} bytes, Content-Length says {len}",
                body.len()
            ));
        }
        body[..len].to_vec()
    } else {
        body.to_vec()
    };
    Ok(cap)
}

/// The request line (optional) and header lines.
fn parse_head(head: &[u8]) -> Result<Capture, String> {
    let head = String::from_utf8_lossy(head);
    let mut lines = head.split('\n').map(|l| l.trim_end_matches('\r'));
    let mut cap = Capture::default();
    let first = lines.next().unwrap_or_default();
    let mut parts = first.split_whitespace();
    if first.contains(':') && !first.contains(" HTTP/") {
        // Headers only, no request line.
        add_header(&mut cap, first)?;
    } else {
        cap.method = parts.next().map(String::from);
        cap.target = parts.next().map(String::from);
    }
    for line in lines.filter(|l| !l.is_empty()) {
        add_header(&mut cap, line)?;
    }
    Ok(cap)
}

fn add_header(cap: &mut Capture, line: &str) -> Result<(), String> {
    let (n, v) = line
        .split_once(':')
        .ok_or_else(|| format!("not a header line: {line:?}"))?;
    cap.headers
        .push((n.trim().to_string(), v.trim().to_string()));
    Ok(())
}

fn dechunk(mut b: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let eol = b
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or("broken chunk size line")?;
        let size_text = String::from_utf8_lossy(&b[..eol]);
        let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
            .map_err(|_| "bad chunk size")?;
        b = &b[eol + 2..];
        if size == 0 {
            return Ok(out);
        }
        if b.len() < size + 2 {
            return Err("truncated chunk".into());
        }
        out.extend_from_slice(&b[..size]);
        b = &b[size + 2..];
    }
}

/// One trace block: header or data, its stated size, and its `(offset, text)` lines.
type Block = (bool, usize, Vec<(usize, String)>);

/// `curl --trace-ascii` output: the "=> Send header" and "=> Send data" blocks. Each line is
/// `OFFSET: text`; the newline bytes curl drops are recovered from the offsets (a gap of 2
/// is CRLF, of 1 is LF), and the block's stated size closes the last line.
pub fn parse_trace_ascii(text: &str) -> Result<Capture, String> {
    let mut head = Vec::new();
    let mut body = Vec::new();
    let mut current: Option<Block> = None;
    let flush =
        |cur: Option<Block>, head: &mut Vec<u8>, body: &mut Vec<u8>| -> Result<(), String> {
            if let Some((is_head, total, lines)) = cur {
                let out = if is_head { head } else { body };
                for (i, (off, t)) in lines.iter().enumerate() {
                    out.extend_from_slice(t.as_bytes());
                    let next = lines.get(i + 1).map_or(total, |(o, _)| *o);
                    let gap = next
                        .checked_sub(off + t.len())
                        .ok_or("overlapping trace lines")?;
                    match gap {
                        0 => {}
                        1 => out.push(b'\n'),
                        2 => out.extend_from_slice(b"\r\n"),
                        _ => return Err("a trace line lost more than a line ending".into()),
                    }
                }
            }
            Ok(())
        };
    for line in text.lines() {
        if let Some(rest) = line
            .strip_prefix("=> Send header, ")
            .or_else(|| line.strip_prefix("=> Send data, "))
        {
            flush(current.take(), &mut head, &mut body)?;
            let total: usize = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or("bad trace block size")?;
            current = Some((line.starts_with("=> Send header"), total, Vec::new()));
        } else if line.starts_with("==") || line.starts_with("<=") || line.starts_with("=>") {
            flush(current.take(), &mut head, &mut body)?;
        } else if let Some((_, _, lines)) = current.as_mut() {
            let (off, t) = line.split_once(": ").ok_or("bad trace line")?;
            let off = usize::from_str_radix(off.trim(), 16).map_err(|_| "bad trace offset")?;
            lines.push((off, t.to_string()));
        }
    }
    flush(current.take(), &mut head, &mut body)?;
    if head.is_empty() {
        return Err("no \"=> Send header\" block in the trace".into());
    }
    let mut cap = parse_head(&head)?;
    cap.body = body;
    Ok(cap)
}

/// A JSON export: `headers` as an object (string or array values) or a list of pairs, and
/// `body` (text) or `body_base64`.
pub fn parse_json(bytes: &[u8]) -> Result<Capture, String> {
    let v: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|e| format!("bad JSON capture: {e}"))?;
    let mut cap = Capture {
        method: v.get("method").and_then(|m| m.as_str()).map(String::from),
        target: v
            .get("url")
            .or(v.get("path"))
            .and_then(|m| m.as_str())
            .map(String::from),
        ..Capture::default()
    };
    match v.get("headers") {
        Some(serde_json::Value::Object(m)) => {
            for (k, val) in m {
                match val {
                    serde_json::Value::Array(items) => {
                        for i in items {
                            cap.headers
                                .push((k.clone(), i.as_str().unwrap_or_default().to_string()));
                        }
                    }
                    other => cap.headers.push((
                        k.clone(),
                        other
                            .as_str()
                            .map_or_else(|| other.to_string(), String::from),
                    )),
                }
            }
        }
        Some(serde_json::Value::Array(pairs)) => {
            for p in pairs {
                let (Some(k), Some(val)) = (
                    p.get(0).and_then(|x| x.as_str()),
                    p.get(1).and_then(|x| x.as_str()),
                ) else {
                    return Err("headers pairs must be [name, value]".into());
                };
                cap.headers.push((k.to_string(), val.to_string()));
            }
        }
        _ => return Err("the JSON capture has no headers".into()),
    }
    cap.body = match (v.get("body_base64"), v.get("body")) {
        (Some(b), _) => base64::engine::general_purpose::STANDARD
            .decode(b.as_str().ok_or("body_base64 must be a string")?)
            .map_err(|e| format!("bad body_base64: {e}"))?,
        (None, Some(serde_json::Value::String(s))) => s.as_bytes().to_vec(),
        (None, Some(_)) => {
            return Err("body must be the raw text; use body_base64 for bytes".into())
        }
        (None, None) => Vec::new(),
    };
    Ok(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_crlf_with_content_length_and_trailing_newline() {
        let c = parse(
            b"POST /hook HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nms-signature: a\r\n\r\nbody\n",
        )
        .unwrap();
        assert_eq!(c.method.as_deref(), Some("POST"));
        assert_eq!(c.headers.len(), 3);
        assert_eq!(c.body, b"body");
    }

    #[test]
    fn raw_lf_without_request_line() {
        let c = parse(b"X-Secret: s\nX-Event-Type: item.created\n\n{\"a\":1}").unwrap();
        assert_eq!(c.method, None);
        assert_eq!(c.headers[1], ("X-Event-Type".into(), "item.created".into()));
        assert_eq!(c.body, b"{\"a\":1}");
    }

    #[test]
    fn chunked() {
        let c = parse(b"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nWiki\r\n6;x=y\r\npedia!\r\n0\r\n\r\n").unwrap();
        assert_eq!(c.body, b"Wikipedia!");
    }

    #[test]
    fn trace_ascii() {
        let head = "POST /h HTTP/1.1\r\nHost: x\r\nwebhook-id: m\r\nContent-Length: 8\r\n\r\n";
        let mut t = format!(
            "== Info: Connected\n=> Send header, {} bytes (0x0)\n",
            head.len()
        );
        let mut off = 0;
        for l in head.split("\r\n").take(5) {
            t.push_str(&format!("{off:04x}: {l}\n"));
            off += l.len() + 2;
        }
        t.push_str("=> Send data, 8 bytes (0x8)\n0000: {\"a\":\n0006: 1}\n== Info: done\n");
        let c = parse(t.as_bytes()).unwrap();
        assert_eq!(c.headers.len(), 3);
        assert_eq!(c.body, b"{\"a\":\n1}");
    }

    #[test]
    fn json_export() {
        let c = parse(br#"{"method":"POST","headers":{"X-A":"1","X-B":["2","3"]},"body":"hi"}"#)
            .unwrap();
        assert_eq!(c.headers.len(), 3);
        assert_eq!(c.body, b"hi");
        let c = parse(br#"{"headers":[["a","b"]],"body_base64":"/w=="}"#).unwrap();
        assert_eq!(c.body, vec![0xff]);
    }
}
