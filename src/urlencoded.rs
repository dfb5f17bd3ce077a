//! Form-encoded text (`application/x-www-form-urlencoded`), which embed URLs and the query strings
//! of requests to the images' servers both carry. The embed options read it as the browser's
//! `URLSearchParams` does, and Go's `url.QueryUnescape` (agnhost, the liveness server) decodes the
//! same way for every well-formed input.

/// Decodes `application/x-www-form-urlencoded` text as `URLSearchParams` does: `+` is a space,
/// `%XX` a byte, a `%` without two hex digits stays as it is, and invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() && hex(bytes[i + 1]).is_some() && hex(bytes[i + 2]).is_some() => {
                out.push(hex(bytes[i + 1]).unwrap_or(0) * 16 + hex(bytes[i + 2]).unwrap_or(0));
                i += 2;
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of one hexadecimal digit.
pub fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}
