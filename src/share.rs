//! Share links: a scenario and the view state, compressed into a URL fragment.
//!
//! A link's fragment is `v1.` followed by the unpadded URL-safe base64 of the zlib stream (deflate with
//! an Adler-32 checksum) of the state as JSON. Every character of it is allowed unescaped in a URL
//! fragment, so the link survives copying, chat programs and `location.hash` alike.
//!
//! Links arrive from strangers, so [`decode`] treats its input as hostile: it bounds the length of the
//! text, stops decompressing as soon as the output passes [`MAX_JSON_BYTES`] (a small link must not
//! expand into gigabytes), checks the checksum, rejects trailing bytes, and refuses values that would
//! make the playground do unbounded work, such as a virtual time of years that the UI would replay.
//! Every failure is a [`ShareError`] whose message says what is wrong with the link; nothing panics.
//!
//! Unknown JSON fields are ignored, so a later writer may add optional fields to `v1` links without
//! breaking older readers; an incompatible change gets a new version prefix.
//!
//! `v2.` links (`share/v2.rs`) add what the author did by hand, at its virtual instants: the
//! timeline's input log, which opening the link replays. [`decode`] reads both versions (a `v2`
//! link's inputs are then left out); [`decode_link`] gives a `v2` link's inputs too.

use std::fmt;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};
use serde::{Deserialize, Serialize};

mod v2;

pub use v2::{decode_link, encode_link, SharedLink, MAX_INPUTS, MAX_INPUT_TEXT, PREFIX_V2};

/// What a share link carries: the editor's scenario and where the viewer was in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedState {
    /// The whole scenario file as the editor held it.
    pub yaml: String,
    /// The virtual time the viewer had reached, in milliseconds.
    pub time_ms: u64,
    /// The playback speed (a multiple of virtual time per second of wall time; 0 when paused).
    pub speed: u32,
    /// The name of the view that was shown.
    pub view: String,
    /// The object that was selected, if any.
    #[serde(default)]
    pub selected: Option<String>,
}

/// Why a share link could not be read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShareError {
    /// The link is empty.
    Empty,
    /// The link is longer than [`MAX_LINK_LEN`] characters.
    TooLong { len: usize },
    /// The link does not start with a version this build knows.
    UnknownVersion { version: String },
    /// The payload is not unpadded URL-safe base64.
    NotBase64 { detail: String },
    /// The payload is not a complete, intact zlib stream.
    Corrupt { detail: &'static str },
    /// The payload decompresses to more than [`MAX_JSON_BYTES`] bytes.
    TooLarge,
    /// The decompressed payload is not the expected JSON document.
    InvalidJson { detail: String },
    /// A field holds a value the playground refuses.
    InvalidValue { field: &'static str, detail: String },
}

impl fmt::Display for ShareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShareError::Empty => write!(f, "the share link is empty"),
            ShareError::TooLong { len } => write!(
                f,
                "the share link is {len} characters long; links longer than {MAX_LINK_LEN} characters are refused"
            ),
            ShareError::UnknownVersion { version } if version.is_empty() => write!(
                f,
                "the share link has no version prefix: it should start with {PREFIX:?}"
            ),
            ShareError::UnknownVersion { version } => write!(
                f,
                "the share link has version {version:?}, which this playground does not know (it reads {PREFIX:?} and {PREFIX_V2:?} links); \
                 it may come from a newer playground"
            ),
            ShareError::NotBase64 { detail } => {
                write!(f, "the share link is damaged: it is not URL-safe base64 ({detail}); was it copied completely?")
            }
            ShareError::Corrupt { detail } => {
                write!(f, "the share link is damaged: {detail}; was it copied completely?")
            }
            ShareError::TooLarge => write!(
                f,
                "the share link expands to more than {MAX_JSON_BYTES} bytes, which is refused"
            ),
            ShareError::InvalidJson { detail } => {
                write!(f, "the share link does not hold a playground state: {detail}")
            }
            ShareError::InvalidValue { field, detail } => {
                write!(f, "the share link's {field} is refused: {detail}")
            }
        }
    }
}

impl std::error::Error for ShareError {}

/// The prefix of every link this build writes, naming the format version.
pub const PREFIX: &str = "v1.";

/// The largest JSON document a link may expand to: 1 MiB.
pub const MAX_JSON_BYTES: usize = 1 << 20;

/// The longest link [`decode`] reads, in characters. It is set so that any state whose JSON fits in
/// [`MAX_JSON_BYTES`] encodes to a link that fits too, even when the text does not compress at all:
/// deflate's stored blocks add 5 bytes per 64 KiB, zlib adds 6, and base64 grows the result by 4/3.
pub const MAX_LINK_LEN: usize = PREFIX.len() + (MAX_JSON_BYTES + MAX_JSON_BYTES / 1024 + 64).div_ceil(3) * 4;

/// The latest virtual time a link may name: 24 hours. Opening a link replays the scenario up to this
/// instant, so an unbounded value would let a link hang the viewer's browser.
pub const MAX_TIME_MS: u64 = 24 * 60 * 60 * 1000;

/// The fastest playback speed a link may ask for.
pub const MAX_SPEED: u32 = 1000;

/// The longest view name a link may carry.
pub const MAX_VIEW_LEN: usize = 64;

/// The longest selected-object name a link may carry (a namespace, a kind and a name, each bounded
/// by Kubernetes, fit well within it).
pub const MAX_SELECTED_LEN: usize = 512;

/// Encodes a state as a URL-fragment-safe link payload (`v1.` and base64url). The result decodes back
/// to an equal state whenever the state itself is acceptable to [`decode`].
pub fn encode(state: &SharedState) -> String {
    // Serializing a struct of strings and integers to JSON cannot fail.
    let json = serde_json::to_vec(state).expect("a SharedState always serializes");
    link_of(PREFIX, &json)
}

/// Decodes a link payload written by [`encode`] or [`encode_link`] (whose inputs it leaves out). A
/// leading `#` (as `location.hash` gives it) and surrounding whitespace (as pasting gives it) are
/// ignored.
pub fn decode(link: &str) -> Result<SharedState, ShareError> {
    decode_link(link).map(|link| link.state)
}

/// The payload of a link after its prefix, checked for length, with the prefix it had: the first
/// steps of decoding every version.
fn payload_of(link: &str) -> Result<(&'static str, &str), ShareError> {
    // The length is checked before trimming, so that no work at all is spent on oversized input.
    if link.len() > MAX_LINK_LEN + 64 {
        return Err(ShareError::TooLong { len: link.chars().count() });
    }
    let link = link.trim();
    let link = link.strip_prefix('#').unwrap_or(link);
    if link.is_empty() {
        return Err(ShareError::Empty);
    }
    if link.len() > MAX_LINK_LEN {
        return Err(ShareError::TooLong { len: link.chars().count() });
    }
    for prefix in [PREFIX, PREFIX_V2] {
        if let Some(payload) = link.strip_prefix(prefix) {
            return Ok((prefix, payload));
        }
    }
    Err(ShareError::UnknownVersion { version: version_of(link) })
}

/// The JSON text a link's payload holds: base64url, then zlib, inflated within the cap.
fn json_of(payload: &str) -> Result<Vec<u8>, ShareError> {
    let compressed =
        URL_SAFE_NO_PAD.decode(payload).map_err(|e| ShareError::NotBase64 { detail: e.to_string() })?;
    inflate_capped(&compressed, MAX_JSON_BYTES)
}

/// Writes a link: the prefix, then base64url of the zlib-compressed JSON.
fn link_of(prefix: &str, json: &[u8]) -> String {
    // Level 9 is the best ratio miniz offers; the inputs are small, so the time is negligible.
    let compressed = miniz_oxide::deflate::compress_to_vec_zlib(json, 9);
    let mut out = String::with_capacity(prefix.len() + compressed.len().div_ceil(3) * 4);
    out.push_str(prefix);
    URL_SAFE_NO_PAD.encode_string(&compressed, &mut out);
    out
}

/// The version a foreign link claims: the text before its first `.`, shortened so that a hostile link
/// cannot fill the error message.
fn version_of(link: &str) -> String {
    match link.split_once('.') {
        Some((version, _)) if version.len() <= 16 && version.chars().all(|c| c.is_ascii_alphanumeric()) => {
            version.to_string()
        }
        _ => String::new(),
    }
}

/// Inflates a zlib stream into at most `cap` bytes, chunk by chunk, so that memory never exceeds the
/// cap plus one chunk however well the input compresses.
fn inflate_capped(input: &[u8], cap: usize) -> Result<Vec<u8>, ShareError> {
    let mut state = InflateState::new_boxed(DataFormat::Zlib);
    let mut out = Vec::new();
    let mut chunk = vec![0u8; 32 * 1024];
    let mut rest = input;
    loop {
        let result = inflate(&mut state, rest, &mut chunk, MZFlush::None);
        rest = &rest[result.bytes_consumed..];
        if out.len() + result.bytes_written > cap {
            return Err(ShareError::TooLarge);
        }
        out.extend_from_slice(&chunk[..result.bytes_written]);
        match result.status {
            Ok(MZStatus::StreamEnd) => {
                if !rest.is_empty() {
                    return Err(ShareError::Corrupt {
                        detail: "unexpected data after the end of the compressed state",
                    });
                }
                return Ok(out);
            }
            Ok(_) => {
                // No progress with input left over cannot happen with a non-empty output buffer, but a
                // loop over hostile input must be provably finite, so it is treated as corruption.
                if result.bytes_consumed == 0 && result.bytes_written == 0 {
                    return Err(ShareError::Corrupt { detail: "the compressed state does not advance" });
                }
            }
            // `Buf` means the input ran out before the stream ended.
            Err(MZError::Buf) => {
                return Err(ShareError::Corrupt { detail: "the compressed state is truncated" })
            }
            Err(_) => {
                return Err(ShareError::Corrupt {
                    detail: "the compressed state is corrupt (bad header, block or checksum)",
                })
            }
        }
    }
}

/// Refuses values that no playground writes and that would make the viewer do unbounded work.
fn validate(state: &SharedState) -> Result<(), ShareError> {
    if state.time_ms > MAX_TIME_MS {
        return Err(ShareError::InvalidValue {
            field: "time_ms",
            detail: format!("{} ms is beyond the limit of {MAX_TIME_MS} ms (24 hours)", state.time_ms),
        });
    }
    if state.speed > MAX_SPEED {
        return Err(ShareError::InvalidValue {
            field: "speed",
            detail: format!("{} is faster than the limit of {MAX_SPEED}", state.speed),
        });
    }
    if state.view.len() > MAX_VIEW_LEN || !state.view.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ShareError::InvalidValue {
            field: "view",
            detail: format!(
                "a view name is at most {MAX_VIEW_LEN} printable ASCII characters without spaces"
            ),
        });
    }
    if let Some(selected) = &state.selected {
        if selected.len() > MAX_SELECTED_LEN || selected.chars().any(char::is_control) {
            return Err(ShareError::InvalidValue {
                field: "selected",
                detail: format!(
                    "an object name is at most {MAX_SELECTED_LEN} bytes without control characters"
                ),
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn state(yaml: &str) -> SharedState {
        SharedState {
            yaml: yaml.to_string(),
            time_ms: 42_000,
            speed: 4,
            view: "timeline".to_string(),
            selected: Some("Pod/default/liveness-exec".to_string()),
        }
    }

    fn roundtrip(s: &SharedState) -> String {
        let link = encode(s);
        assert!(link.starts_with(PREFIX));
        assert!(
            link.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b)),
            "link has characters that need escaping in a fragment: {link}"
        );
        assert_eq!(decode(&link).as_ref(), Ok(s));
        link
    }

    /// The liveness-exec lab of the first seed article, with its Chinese comments.
    const LIVENESS_EXEC: &str = "apiVersion: v1
kind: Pod
metadata:
  labels:
    test: liveness
  name: liveness-exec
spec:
  containers:
  - name: liveness
    args:
    - /bin/sh
    - -c
    - touch /tmp/healthy; sleep 30; rm -rf /tmp/healthy; sleep 600
    image: busybox
    livenessProbe:
      exec:    #handler类型
        command:
        - cat
        - /tmp/healthy
      initialDelaySeconds: 5    #初始延时秒数
      periodSeconds: 5          #延迟周期
";

    /// Non-ASCII text, including the seeds' Chinese comments, survives unchanged.
    #[test]
    fn roundtrips_chinese_comments() {
        let link = roundtrip(&state(LIVENESS_EXEC));
        // A typical single-pod lab fits comfortably in a chat message.
        assert!(link.len() < 600, "link is {} characters", link.len());
    }

    /// The empty editor and the smallest values are shareable.
    #[test]
    fn roundtrips_empty_state() {
        let s =
            SharedState { yaml: String::new(), time_ms: 0, speed: 0, view: String::new(), selected: None };
        roundtrip(&s);
    }

    /// The largest values the decoder accepts are accepted.
    #[test]
    fn roundtrips_limits() {
        let s = SharedState {
            yaml: "x".repeat(1000),
            time_ms: MAX_TIME_MS,
            speed: MAX_SPEED,
            view: "v".repeat(MAX_VIEW_LEN),
            selected: Some("名".repeat(MAX_SELECTED_LEN / 3)),
        };
        roundtrip(&s);
    }

    /// A large file of many distinct documents round-trips and compresses well.
    #[test]
    fn roundtrips_large_yaml() {
        let yaml: String = (0..400)
            .map(|i| LIVENESS_EXEC.replace("liveness-exec", &format!("liveness-exec-{i}")) + "---\n")
            .collect();
        let link = roundtrip(&state(&yaml));
        assert!(link.len() * 10 < yaml.len(), "{} bytes gave a {}-character link", yaml.len(), link.len());
    }

    /// Text that does not compress at all still encodes to a link the decoder accepts, up to the cap.
    #[test]
    fn incompressible_state_at_the_cap_still_decodes() {
        // A pseudo-random walk over CJK code points: 3 UTF-8 bytes each and no repetition to exploit.
        let mut x: u32 = 1;
        let mut yaml = String::new();
        let overhead = serde_json::to_vec(&state("")).unwrap().len();
        while yaml.len() + 3 + overhead <= MAX_JSON_BYTES {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            yaml.push(char::from_u32(0x4e00 + x % 20_000).unwrap());
        }
        let s = state(&yaml);
        let link = roundtrip(&s);
        assert!(link.len() <= MAX_LINK_LEN);
        yaml.push_str("超出");
        assert_eq!(decode(&encode(&state(&yaml))), Err(ShareError::TooLarge));
    }

    /// Every built-in scenario can be shared.
    #[test]
    fn roundtrips_every_gallery_entry() {
        for entry in crate::gallery::all() {
            let mut s = state(entry.yaml);
            s.selected = None;
            s.view = entry.slug.chars().filter(|c| c.is_ascii_graphic()).take(MAX_VIEW_LEN).collect();
            roundtrip(&s);
        }
    }

    /// The scenarios of the transcript tests, real files of one to a few objects, can be shared and
    /// make links shorter than the files themselves.
    #[test]
    fn roundtrips_transcript_scenarios() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/transcripts");
        let Ok(entries) = std::fs::read_dir(&dir) else { return };
        let mut paths: Vec<_> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
            .collect();
        paths.sort();
        for path in paths {
            let yaml = std::fs::read_to_string(&path).unwrap();
            let link = roundtrip(&state(&yaml));
            assert!(
                link.len() < yaml.len().max(600),
                "{}: {} bytes gave {} characters",
                path.display(),
                yaml.len(),
                link.len()
            );
        }
    }

    /// `location.hash` and pasted text are accepted as they come.
    #[test]
    fn accepts_hash_and_whitespace() {
        let s = state("a: 1\n");
        let link = encode(&s);
        assert_eq!(decode(&format!("#{link}")), Ok(s.clone()));
        assert_eq!(decode(&format!("  {link}\n")), Ok(s));
    }

    fn link_of_json(json: &str) -> String {
        format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6))
        )
    }

    fn check_err(link: &str, expect: Expect) {
        match decode(link) {
            Ok(s) => panic!("decoded {s:?} from {link:?}"),
            Err(e) => expect.assert_eq(&e.to_string()),
        }
    }

    /// Each kind of broken link gets a message that says what is wrong.
    #[test]
    fn explains_broken_links() {
        let good = encode(&state(LIVENESS_EXEC));
        check_err("", expect![[r#"the share link is empty"#]]);
        check_err("#", expect![[r#"the share link is empty"#]]);
        check_err(
            "v3.AAAA",
            expect![[
                r#"the share link has version "v3", which this playground does not know (it reads "v1." and "v2." links); it may come from a newer playground"#
            ]],
        );
        check_err(
            "eJzLSM3JyQcABiwCFQ",
            expect![[r#"the share link has no version prefix: it should start with "v1.""#]],
        );
        check_err(
            "v1.abc$def",
            expect![[
                r#"the share link is damaged: it is not URL-safe base64 (Invalid symbol 36, offset 3.); was it copied completely?"#
            ]],
        );
        check_err(
            "v1.abcd=",
            expect![[
                r#"the share link is damaged: it is not URL-safe base64 (Invalid symbol 61, offset 4.); was it copied completely?"#
            ]],
        );
        let bytes = URL_SAFE_NO_PAD.decode(&good[PREFIX.len()..]).unwrap();
        check_err(
            &format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&bytes[..bytes.len() - 6])),
            expect![[
                r#"the share link is damaged: the compressed state is truncated; was it copied completely?"#
            ]],
        );
        check_err(
            &good[..good.len() - 3],
            expect![
                "the share link is damaged: the compressed state is truncated; was it copied completely?"
            ],
        );
        check_err(
            "v1.",
            expect![[
                r#"the share link is damaged: the compressed state is truncated; was it copied completely?"#
            ]],
        );
        // Flipping one character in the middle breaks either a block or the checksum.
        let mut bytes = good.clone().into_bytes();
        let mid = bytes.len() / 2;
        bytes[mid] = if bytes[mid] == b'A' { b'B' } else { b'A' };
        check_err(
            std::str::from_utf8(&bytes).unwrap(),
            expect![[
                r#"the share link is damaged: the compressed state is corrupt (bad header, block or checksum); was it copied completely?"#
            ]],
        );
        let mut trailing = URL_SAFE_NO_PAD.decode(&good[PREFIX.len()..]).unwrap();
        trailing.extend_from_slice(b"tail");
        check_err(
            &format!("{PREFIX}{}", URL_SAFE_NO_PAD.encode(&trailing)),
            expect![[
                r#"the share link is damaged: unexpected data after the end of the compressed state; was it copied completely?"#
            ]],
        );
        check_err(
            &link_of_json("[1, 2]"),
            expect!["the share link does not hold a playground state: invalid type: integer `1`, expected a string at line 1 column 2"],
        );
        check_err(
            &link_of_json(r#"{"yaml": "", "time_ms": -1, "speed": 1, "view": ""}"#),
            expect!["the share link does not hold a playground state: invalid value: integer `-1`, expected u64 at line 1 column 26"],
        );
        check_err(
            &link_of_json(r#"{"yaml": "", "speed": 1, "view": ""}"#),
            expect![[
                r#"the share link does not hold a playground state: missing field `time_ms` at line 1 column 36"#
            ]],
        );
    }

    /// Values that would make the viewer do unbounded work are refused.
    #[test]
    fn refuses_absurd_values() {
        let mut s = state("");
        s.time_ms = u64::MAX;
        check_err(
            &encode(&s),
            expect![[
                r#"the share link's time_ms is refused: 18446744073709551615 ms is beyond the limit of 86400000 ms (24 hours)"#
            ]],
        );
        let mut s = state("");
        s.speed = MAX_SPEED + 1;
        check_err(
            &encode(&s),
            expect![[r#"the share link's speed is refused: 1001 is faster than the limit of 1000"#]],
        );
        let mut s = state("");
        s.view = "time line".to_string();
        check_err(
            &encode(&s),
            expect![[
                r#"the share link's view is refused: a view name is at most 64 printable ASCII characters without spaces"#
            ]],
        );
        let mut s = state("");
        s.selected = Some("pod\u{1b}[31m".to_string());
        check_err(
            &encode(&s),
            expect![[
                r#"the share link's selected is refused: an object name is at most 512 bytes without control characters"#
            ]],
        );
    }

    /// A tiny link that would expand without bound is stopped at the cap, and oversized text is
    /// refused before any work is done.
    #[test]
    fn refuses_bombs_and_oversized_links() {
        let bomb = vec![b' '; 64 * MAX_JSON_BYTES];
        let link = format!(
            "{PREFIX}{}",
            URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(&bomb, 9))
        );
        assert!(link.len() < 200_000);
        assert_eq!(decode(&link), Err(ShareError::TooLarge));
        let long = format!("{PREFIX}{}", "A".repeat(MAX_LINK_LEN));
        assert_eq!(decode(&long), Err(ShareError::TooLong { len: long.len() }));
    }
}
