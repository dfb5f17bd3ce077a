//! Share links come from anyone: decoding must return an error or a valid state, never panic, and a
//! decoded state must survive another round trip unchanged.
//!
//! Random text almost never gets past the base64 layer and the zlib checksum, so the first byte of each
//! input chooses which layer the fuzzer writes, and the target builds the outer layers itself:
//! - `b'j'`: the rest is the JSON document, compressed and encoded here (explores JSON and validation);
//! - `b'z'`: the rest is the compressed stream, encoded here (explores decompression and its cap);
//! - anything else: the whole input is the link text (explores the prefix and base64 layers).

#![no_main]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use libfuzzer_sys::fuzz_target;
use probe_playground::share::{decode, encode, PREFIX};

fuzz_target!(|data: &[u8]| {
    let link = match data.split_first() {
        Some((b'j', json)) => {
            format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(json, 1)))
        }
        Some((b'z', compressed)) => format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(compressed)),
        _ => match std::str::from_utf8(data) {
            Ok(text) => text.to_string(),
            Err(_) => return,
        },
    };
    if let Ok(state) = decode(&link) {
        assert_eq!(decode(&encode(&state)).as_ref(), Ok(&state));
    }
});
