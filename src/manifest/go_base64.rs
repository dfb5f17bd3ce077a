//! Base64 as the API server reads the `[]byte` fields of a manifest (a Secret's `data`, a
//! ConfigMap's `binaryData`): Go's `encoding/json` decodes them with `base64.StdEncoding`, so the
//! accepted texts and the error wording are Go's (`encoding/base64` `decodeQuantum`): padding is
//! required, line breaks anywhere are skipped, and a bad text is `illegal base64 data at input
//! byte N`, N being the offset Go reports.

/// The standard alphabet's value of a character, if it has one.
fn value(c: u8) -> Option<u8> {
    match c {
        b'A'..=b'Z' => Some(c - b'A'),
        b'a'..=b'z' => Some(c - b'a' + 26),
        b'0'..=b'9' => Some(c - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

fn newline(c: u8) -> bool {
    c == b'\n' || c == b'\r'
}

/// Decodes `text` as Go's `base64.StdEncoding.Decode` does; the error is Go's message.
pub fn decode(text: &str) -> Result<Vec<u8>, String> {
    let src = text.as_bytes();
    let corrupt = |at: usize| format!("illegal base64 data at input byte {at}");
    let mut out = Vec::with_capacity(src.len() / 4 * 3);
    let mut si = 0;
    loop {
        // One quantum of up to four characters (`decodeQuantum`).
        let mut buf = [0u8; 4];
        let mut len = 4;
        let mut j = 0;
        let mut trailing = None;
        while j < 4 {
            if si == src.len() {
                if j == 0 {
                    return Ok(out);
                }
                // Running out inside a quantum is an error with padding required.
                return Err(corrupt(si - j));
            }
            let c = src[si];
            si += 1;
            if let Some(v) = value(c) {
                buf[j] = v;
                j += 1;
                continue;
            }
            if newline(c) {
                continue;
            }
            if c != b'=' {
                return Err(corrupt(si - 1));
            }
            // Padding ends the input.
            match j {
                0 | 1 => return Err(corrupt(si - 1)),
                2 => {
                    while si < src.len() && newline(src[si]) {
                        si += 1;
                    }
                    if si == src.len() {
                        return Err(corrupt(src.len()));
                    }
                    if src[si] != b'=' {
                        return Err(corrupt(si - 1));
                    }
                    si += 1;
                }
                _ => {}
            }
            while si < src.len() && newline(src[si]) {
                si += 1;
            }
            if si < src.len() {
                trailing = Some(si);
            }
            len = j;
            break;
        }
        let v = (u32::from(buf[0]) << 18)
            | (u32::from(buf[1]) << 12)
            | (u32::from(buf[2]) << 6)
            | u32::from(buf[3]);
        let bytes = [(v >> 16) as u8, (v >> 8) as u8, v as u8];
        out.extend_from_slice(&bytes[..len - 1]);
        if let Some(at) = trailing {
            return Err(corrupt(at));
        }
        if len < 4 {
            return Ok(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn reads_and_refuses_as_go_does() {
        let cases: &[(&str, Result<&[u8], &str>)] = &[
            ("", Ok(b"")),
            ("czNjcmV0", Ok(b"s3cret")),
            ("YWRtaW4=", Ok(b"admin")),
            ("YQ==", Ok(b"a")),
            ("YWRt\naW4=\n", Ok(b"admin")),
            ("abc", Err("illegal base64 data at input byte 0")),
            ("czNj!mV0", Err("illegal base64 data at input byte 4")),
            ("YQ=", Err("illegal base64 data at input byte 3")),
            ("YQ==YQ==", Err("illegal base64 data at input byte 4")),
            ("=", Err("illegal base64 data at input byte 0")),
            ("s3cret", Err("illegal base64 data at input byte 4")),
        ];
        for (text, want) in cases {
            let got = decode(text);
            match want {
                Ok(bytes) => assert_eq!(got.as_deref(), Ok(*bytes), "{text:?}"),
                Err(msg) => assert_eq!(got, Err(msg.to_string()), "{text:?}"),
            }
        }
    }
}
