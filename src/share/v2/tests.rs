//! `v2` links: inputs round-trip, hostile inputs are refused with the input named, `v1` links keep
//! opening, and a replayed link shows what its author saw, byte for byte.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use expect_test::{expect, Expect};

use super::super::{decode, encode, SharedState, MAX_TIME_MS, PREFIX};
use super::*;
use crate::sim::Simulation;
use crate::timeline::Timeline;

fn state(yaml: &str, time_ms: u64) -> SharedState {
    SharedState { yaml: yaml.to_string(), time_ms, speed: 0, view: "pods".to_string(), selected: None }
}

fn link_of_json(json: &str) -> String {
    format!(
        "{PREFIX_V2}{}",
        URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec_zlib(json.as_bytes(), 6))
    )
}

fn check_err(link: &str, expect: Expect) {
    match decode_link(link) {
        Ok(l) => panic!("decoded {l:?} from {link:?}"),
        Err(e) => expect.assert_eq(&e.to_string()),
    }
}

#[test]
fn inputs_round_trip_in_a_v2_link() {
    let link = SharedLink {
        state: state("apiVersion: v1\nkind: Pod\n", 32_000),
        inputs: vec![
            (20_000, Input::Command("kubectl exec deploy/web -- rm /index.html".to_string())),
            (20_000, Input::Apply("apiVersion: v1\nkind: Pod # 注释\n".to_string())),
            (45_000, Input::Command("kubectl get pods".to_string())),
        ],
    };
    let text = encode_link(&link);
    assert!(text.starts_with(PREFIX_V2), "{text}");
    assert_eq!(decode_link(&text), Ok(link.clone()));
    // The v1 reader's entry point opens it too, without the inputs.
    assert_eq!(decode(&text), Ok(link.state));
}

#[test]
fn a_link_without_inputs_is_written_as_v1_and_v1_links_keep_opening() {
    let s = state("a: 1\n", 5_000);
    let text = encode_link(&SharedLink { state: s.clone(), inputs: Vec::new() });
    assert!(text.starts_with(PREFIX), "{text}");
    assert_eq!(text, encode(&s));
    assert_eq!(decode_link(&format!("#{}", encode(&s))), Ok(SharedLink { state: s, inputs: Vec::new() }));
}

#[test]
fn hostile_inputs_are_refused_naming_the_input() {
    let base = r#""yaml": "", "time_ms": 1000, "speed": 0, "view": "pods""#;
    check_err(
        &link_of_json(&format!(
            r#"{{{base}, "inputs": [{{"at_ms": 5, "command": "get pods"}}, {{"at_ms": 4, "command": "get pods"}}]}}"#
        )),
        expect![[
            r#"the share link's inputs is refused: input 2 is at 4 ms, before the input ahead of it (5 ms); inputs are in time order"#
        ]],
    );
    check_err(
        &link_of_json(&format!(
            r#"{{{base}, "inputs": [{{"at_ms": {}, "command": "get pods"}}]}}"#,
            MAX_TIME_MS + 1
        )),
        expect![[
            r#"the share link's inputs is refused: input 1 is at 86400001 ms, beyond the limit of 86400000 ms (24 hours)"#
        ]],
    );
    check_err(
        &link_of_json(&format!(r#"{{{base}, "inputs": [{{"at_ms": 1}}]}}"#)),
        expect![[
            r#"the share link's inputs is refused: input 1 must have exactly one of "command" and "apply""#
        ]],
    );
    check_err(
        &link_of_json(&format!(r#"{{{base}, "inputs": [{{"at_ms": 1, "command": "a", "apply": "b"}}]}}"#)),
        expect![[
            r#"the share link's inputs is refused: input 1 must have exactly one of "command" and "apply""#
        ]],
    );
    check_err(
        &link_of_json(&format!(r#"{{{base}, "inputs": [{{"at_ms": 1, "command": "get pods\nrm -rf /"}}]}}"#)),
        expect![[
            r#"the share link's inputs is refused: input 1 is a command with a control character; a command is one line"#
        ]],
    );
    let long = "x".repeat(MAX_INPUT_TEXT + 1);
    check_err(
        &link_of_json(&format!(r#"{{{base}, "inputs": [{{"at_ms": 1, "command": "{long}"}}]}}"#)),
        expect![[
            r#"the share link's inputs is refused: input 1 is a command of 4097 bytes; commands are at most 4096 bytes"#
        ]],
    );
    let many = vec![r#"{"at_ms": 1, "command": "get pods"}"#; MAX_INPUTS + 1].join(",");
    check_err(
        &link_of_json(&format!(r#"{{{base}, "inputs": [{many}]}}"#)),
        expect![[r#"the share link's inputs is refused: 2001 inputs are more than the limit of 2000"#]],
    );
    check_err(
        &link_of_json(r#"{"yaml": "", "time_ms": 1000, "speed": 0, "view": "pods", "inputs": [{"at_ms": -1, "command": "x"}]}"#),
        expect!["the share link does not hold a playground state: invalid value: integer `-1`, expected u64 at line 1 column 81"],
    );
    check_err(
        &link_of_json(r#"{"yaml": "", "time_ms": 90000000, "speed": 0, "view": "pods"}"#),
        expect![[
            r#"the share link's time_ms is refused: 90000000 ms is beyond the limit of 86400000 ms (24 hours)"#
        ]],
    );
}

/// The issue's case: index.html deleted by hand in one httpd replica at 20 s, the link made at
/// 32 s. Opening it shows that pod `0/1` (its readiness probe failed three times: failureThreshold
/// 3, every 5 s) and the terminal's history as the author saw it.
#[test]
fn a_replayed_link_shows_what_its_author_saw() {
    let yaml = crate::gallery::find("readiness-httpd").map(|e| e.yaml).unwrap_or_default();
    let mut author = Timeline::new(Simulation::load(yaml).unwrap_or_else(|e| panic!("{e:?}")));
    let mut terminal = String::new();
    let mut type_at = |t: &mut Timeline, at: Millis, line: &str| {
        t.advance_to(at);
        let out = t.act(Input::Command(line.to_string())).unwrap_or_else(|e| panic!("{e:?}"));
        terminal.push_str(&format!("[{at}] $ {line}\n{}", out.text));
    };
    type_at(
        &mut author,
        20_000,
        "kubectl exec deploy/httpd-deployment -- rm /usr/local/apache2/htdocs/index.html",
    );
    type_at(&mut author, 32_000, "kubectl get pods -l app=httpd");
    let seen = shown(&author, "kubectl get pods -l app=httpd");
    assert_eq!(seen.matches("0/1").count(), 1, "one replica not ready at 32 s:\n{seen}");

    let link =
        encode_link(&SharedLink { state: state(yaml, author.now()), inputs: author.recorded_inputs() });
    let opened = decode_link(&link).unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulation::load(&opened.state.yaml).unwrap_or_else(|e| panic!("{e:?}"));
    let (viewer, replayed) = Timeline::replay(sim, &opened.inputs, opened.state.time_ms);
    let replayed_terminal: String =
        replayed.iter().map(|r| format!("[{}] $ {}\n{}", r.at, r.line, r.output.text)).collect();
    assert_eq!(replayed_terminal, terminal);
    assert_eq!(viewer.now(), 32_000);
    assert_eq!(shown(&viewer, "kubectl get pods -l app=httpd"), seen);
}

/// A link made while rewound opens at the viewed moment, with the later inputs kept as the future
/// that playing on replays.
#[test]
fn a_link_made_while_rewound_restores_that_moment() {
    let yaml = crate::gallery::find("readiness-httpd").map(|e| e.yaml).unwrap_or_default();
    let mut author = Timeline::new(Simulation::load(yaml).unwrap_or_else(|e| panic!("{e:?}")));
    author.advance_to(20_000);
    let rm = "kubectl exec deploy/httpd-deployment -- rm /usr/local/apache2/htdocs/index.html";
    author.act(Input::Command(rm.to_string())).unwrap_or_else(|e| panic!("{e:?}"));
    author.advance_to(40_000);
    let at_40 = shown(&author, "kubectl get pods");
    author.seek(15_000);
    let at_15 = shown(&author, "kubectl get pods");
    assert!(author.has_future());

    let link =
        encode_link(&SharedLink { state: state(yaml, author.now()), inputs: author.recorded_inputs() });
    let opened = decode_link(&link).unwrap_or_else(|e| panic!("{e}"));
    let sim = Simulation::load(&opened.state.yaml).unwrap_or_else(|e| panic!("{e:?}"));
    let (mut viewer, replayed) = Timeline::replay(sim, &opened.inputs, opened.state.time_ms);
    assert!(replayed.is_empty(), "nothing was performed before 15 s: {replayed:?}");
    assert_eq!(viewer.now(), 15_000);
    assert_eq!(shown(&viewer, "kubectl get pods"), at_15);
    assert!(viewer.has_future());
    viewer.advance_to(40_000);
    assert_eq!(shown(&viewer, "kubectl get pods"), at_40);
}

/// What a command prints now, without disturbing the timeline (on a copy of its simulation).
fn shown(t: &Timeline, line: &str) -> String {
    t.sim().clone().execute(line).text
}
