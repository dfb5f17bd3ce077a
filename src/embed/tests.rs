use expect_test::{expect, Expect};

use super::*;

/// Renders what the playground makes of each query string: the options written back as a query
/// (the defaults write nothing) and every warning.
fn check_queries(queries: &[&str], expect: Expect) {
    let mut out = String::new();
    for query in queries {
        let (options, warnings) = EmbedOptions::from_query(query);
        out.push_str(&format!("{query}\n  => {}\n", options.to_query()));
        for w in warnings {
            out.push_str(&format!("  warning: {w}\n"));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn query_strings() {
    check_queries(
        &[
            "",
            "?",
            "?embed=1&editor=hidden&autoplay=1&t=90s&speed=10&panels=pods,endpoints,events,timeline,describe,terminal,workloads&scenario=liveness-exec&theme=dark",
            "embed=1&editor=readonly",
            "https://example.com/playground/index.html?embed&autoplay=true#v1.abc",
            "?utm_source=course&embed=1&foo=bar&&=&x",
            "?editor=Read-Only&theme=LIGHT&panels=Pods,%20events,pods",
            "?t=1m30s&speed=2",
            "?t=1500ms",
            "?t=-5s&speed=fast",
            "?t=25h&speed=7",
            "?t=soon&speed=1000&speed=0",
            "?speed=3",
            "?panels=logs,pods,graph",
            "?panels=,,",
            "?editor=sideways&theme=neon&embed=maybe&autoplay=2",
            "?scenario=Liveness-Exec",
            "?scenario=readiness%2Dhttpd",
            "?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            "?scenario=-bad-",
            "?embed=1&embed=0&embed=1",
            "?%65mbed=1&theme=%ZZ",
            "?scenario=a+b",
        ],
        expect![[r#"

              => 
            ?
              => 
            ?embed=1&editor=hidden&autoplay=1&t=90s&speed=10&panels=pods,endpoints,events,timeline,describe,terminal,workloads&scenario=liveness-exec&theme=dark
              => embed=1&scenario=liveness-exec&editor=hidden&panels=pods,endpoints,events,timeline,describe,terminal,workloads&autoplay=1&t=90s&speed=10&theme=dark
            embed=1&editor=readonly
              => embed=1&editor=readonly
            https://example.com/playground/index.html?embed&autoplay=true#v1.abc
              => embed=1&autoplay=1
            ?utm_source=course&embed=1&foo=bar&&=&x
              => embed=1
            ?editor=Read-Only&theme=LIGHT&panels=Pods,%20events,pods
              => editor=readonly&panels=pods,events&theme=light
            ?t=1m30s&speed=2
              => t=90s&speed=2
            ?t=1500ms
              => t=1500ms
            ?t=-5s&speed=fast
              => 
              warning: t="-5s" is not a duration like 90, 90s or 1m30s; the playground opens at 0s
              warning: speed="fast" is not a whole number; the default speed is used
            ?t=25h&speed=7
              => speed=5
              warning: t="25h" is later than 24h, the latest time a link may open at; the playground opens at 0s
              warning: speed=7 is not one of the playground's speeds (1, 2, 5, 10, 30, 60); speed 5 is used
            ?t=soon&speed=1000&speed=0
              => speed=1
              warning: the parameter "speed" is given more than once; the last value is used
              warning: t="soon" is not a duration like 90, 90s or 1m30s; the playground opens at 0s
              warning: speed=0 is not one of the playground's speeds (1, 2, 5, 10, 30, 60); speed 1 is used
            ?speed=3
              => speed=2
              warning: speed=3 is not one of the playground's speeds (1, 2, 5, 10, 30, 60); speed 2 is used
            ?panels=logs,pods,graph
              => panels=pods
              warning: panels: "logs", "graph" are not a panel (the panels are pods, endpoints, events, timeline, describe, terminal, workloads); ignored
            ?panels=,,
              => 
              warning: panels= names no panel; every panel is shown
            ?editor=sideways&theme=neon&embed=maybe&autoplay=2
              => 
              warning: embed="maybe" is not 1 or 0; embed is off
              warning: editor="sideways" is not one of visible, readonly or hidden; the editor is shown
              warning: autoplay="2" is not 1 or 0; autoplay is off
              warning: theme="neon" is not one of auto, light or dark; the theme follows the system
            ?scenario=Liveness-Exec
              => 
              warning: scenario="Liveness-Exec" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
            ?scenario=readiness%2Dhttpd
              => scenario=readiness-httpd
            ?scenario=%3Cscript%3Ealert(1)%3C%2Fscript%3E
              => 
              warning: scenario="<script>alert(1)</script>" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
            ?scenario=-bad-
              => 
              warning: scenario="-bad-" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
            ?embed=1&embed=0&embed=1
              => embed=1
              warning: the parameter "embed" is given more than once; the last value is used
            ?%65mbed=1&theme=%ZZ
              => embed=1
              warning: theme="%ZZ" is not one of auto, light or dark; the theme follows the system
            ?scenario=a+b
              => 
              warning: scenario="a b" is not a scenario name (lowercase letters, digits and '-', at most 63 characters); no scenario is opened
        "#]],
    );
}

/// Whatever options the UI builds, writing them as a query and reading it back gives the same
/// options and no warnings, so an "Embed code" snippet always opens what the author saw.
#[test]
fn to_query_round_trips() {
    let cases = [
        EmbedOptions::default(),
        EmbedOptions { embed: true, ..EmbedOptions::default() },
        EmbedOptions {
            embed: true,
            editor: EditorMode::Hidden,
            autoplay: true,
            start: Some(1500),
            speed: Some(60),
            panels: Some(vec![Panel::Terminal, Panel::Pods]),
            scenario: Some("readiness-httpd".into()),
            theme: Theme::Dark,
            origins: None,
        },
        EmbedOptions {
            editor: EditorMode::ReadOnly,
            start: Some(MAX_TIME_MS),
            panels: Some(Panel::ALL.to_vec()),
            theme: Theme::Light,
            ..EmbedOptions::default()
        },
        EmbedOptions { start: Some(0), speed: Some(1), ..EmbedOptions::default() },
    ];
    for options in cases {
        let query = options.to_query();
        assert_eq!(EmbedOptions::from_query(&query), (options.clone(), vec![]), "{query}");
        assert_eq!(EmbedOptions::from_query(&format!("?{query}")).0, options);
    }
}

#[test]
fn panels_shown() {
    let all = EmbedOptions::default();
    assert!(Panel::ALL.iter().all(|p| all.shows(*p)));
    let (some, _) = EmbedOptions::from_query("panels=pods,endpoints");
    let shown: Vec<&str> = Panel::ALL.iter().filter(|p| some.shows(**p)).map(|p| p.as_str()).collect();
    assert_eq!(shown, ["pods", "endpoints"]);
}

#[test]
fn snippets() {
    let (first, _) =
        EmbedOptions::from_query("scenario=liveness-exec&autoplay=1&speed=10&panels=pods,events,timeline");
    let (second, _) =
        EmbedOptions::from_query("embed=1&scenario=readiness-httpd&editor=hidden&panels=pods,endpoints");
    let hostile = EmbedOptions { scenario: Some("x\"><script>".into()), ..EmbedOptions::default() };
    let out = [
        embed_snippet("https://learn.example.com/playground/", &first, None),
        embed_snippet(
            "https://learn.example.com/playground/index.html?old=1#v1.old",
            &second,
            Some("#v1.eNoLyc9X"),
        ),
        embed_snippet("../index.html", &EmbedOptions::default(), Some("")),
        embed_snippet("https://x.test/?a=\"b\"&c=<d>", &hostile, Some("v1.a b\"<c>%41%zz")),
    ]
    .join("\n");
    expect![[r#"
        <iframe src="https://learn.example.com/playground/?embed=1&amp;scenario=liveness-exec&amp;panels=pods,events,timeline&amp;autoplay=1&amp;speed=10" title="Probe Playground: liveness-exec" width="100%" height="640" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>
        <iframe src="https://learn.example.com/playground/index.html?embed=1&amp;scenario=readiness-httpd&amp;editor=hidden&amp;panels=pods,endpoints#v1.eNoLyc9X" title="Probe Playground: readiness-httpd" width="100%" height="360" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>
        <iframe src="../index.html?embed=1" title="Probe Playground" width="100%" height="900" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>
        <iframe src="https://x.test/?embed=1&amp;scenario=x%22%3E%3Cscript%3E#v1.a%20b%22%3Cc%3E%41%25zz" title="Probe Playground: x&quot;&gt;&lt;script&gt;" width="100%" height="900" loading="lazy" sandbox="allow-scripts allow-same-origin allow-popups" style="border: 1px solid #8884; border-radius: 6px;"></iframe>"#]]
    .assert_eq(&out);
}

/// Renders what [`parse_inbound`] makes of each message, one line per message.
fn check_inbound(messages: &[&str], expect: Expect) {
    let mut out = String::new();
    for message in messages {
        let result = match parse_inbound(message) {
            Ok(inbound) => format!("{inbound:?}"),
            Err(InboundError::NotForUs) => "not for us".to_string(),
            Err(InboundError::Invalid(e)) => format!("invalid: {e}"),
        };
        out.push_str(&format!("{message}\n  => {result}\n"));
    }
    expect.assert_eq(&out);
}

#[test]
fn inbound_messages() {
    check_inbound(
        &[
            r#"{"probePlayground":1,"type":"play"}"#,
            r#"{"type":"pause","probePlayground":1}"#,
            r#"{"probePlayground":1,"type":"load","yaml":"apiVersion: v1\nkind: Pod\n"}"#,
            r#"{"probePlayground":1,"type":"seek","t":80}"#,
            r#"{"probePlayground":1,"type":"seek","t":2.5}"#,
            r#"{"probePlayground":1,"type":"seek","t":"1m30s"}"#,
            r#"{"probePlayground":1,"type":"seek","t":0}"#,
            r#"{"probePlayground":1,"type":"speed","value":30}"#,
            r#"{"probePlayground":1,"type":"run","command":"  kubectl get pods  "}"#,
            r#"{"probePlayground":1,"type":"getState"}"#,
            r#"{"probePlayground":1,"type":"subscribe"}"#,
            r#"{"probePlayground":1,"type":"unsubscribe"}"#,
            // Not addressed to the playground: other frames, extensions, devtools.
            r#"{"type":"play"}"#,
            r#""play""#,
            r#"[1,2,3]"#,
            r#"null"#,
            r#"webpackHotUpdate"#,
            r#"{"source":"react-devtools","payload":{}}"#,
            "",
            // Addressed to the playground but wrong.
            r#"{"probePlayground":2,"type":"play"}"#,
            r#"{"probePlayground":"1","type":"play"}"#,
            r#"{"probePlayground":true,"type":"play"}"#,
            r#"{"probePlayground":1}"#,
            r#"{"probePlayground":1,"type":5}"#,
            r#"{"probePlayground":1,"type":"Play"}"#,
            r#"{"probePlayground":1,"type":"play","speed":2}"#,
            r#"{"probePlayground":1,"type":"seek","time":80}"#,
            r#"{"probePlayground":1,"type":"seek"}"#,
            r#"{"probePlayground":1,"type":"seek","t":-1}"#,
            r#"{"probePlayground":1,"type":"seek","t":"soon"}"#,
            r#"{"probePlayground":1,"type":"seek","t":90000}"#,
            r#"{"probePlayground":1,"type":"seek","t":"25h"}"#,
            r#"{"probePlayground":1,"type":"seek","t":[80]}"#,
            r#"{"probePlayground":1,"type":"seek","t":null}"#,
            r#"{"probePlayground":1,"type":"speed","value":7}"#,
            r#"{"probePlayground":1,"type":"speed","value":"10"}"#,
            r#"{"probePlayground":1,"type":"speed","value":10.5}"#,
            r#"{"probePlayground":1,"type":"run","command":""}"#,
            r#"{"probePlayground":1,"type":"run","command":"kubectl get pods\nkubectl get svc"}"#,
            r#"{"probePlayground":1,"type":"run","command":{"kubectl":"get"}}"#,
            r#"{"probePlayground":1,"type":"load","yaml":42}"#,
            r#"{"probePlayground":1,"type":"load"}"#,
            r#"{"probePlayground":1,"type":"play""#,
        ],
        expect![[r#"
            {"probePlayground":1,"type":"play"}
              => Play
            {"type":"pause","probePlayground":1}
              => Pause
            {"probePlayground":1,"type":"load","yaml":"apiVersion: v1\nkind: Pod\n"}
              => Load { yaml: "apiVersion: v1\nkind: Pod\n" }
            {"probePlayground":1,"type":"seek","t":80}
              => Seek { t: 80000 }
            {"probePlayground":1,"type":"seek","t":2.5}
              => Seek { t: 2500 }
            {"probePlayground":1,"type":"seek","t":"1m30s"}
              => Seek { t: 90000 }
            {"probePlayground":1,"type":"seek","t":0}
              => Seek { t: 0 }
            {"probePlayground":1,"type":"speed","value":30}
              => Speed { value: 30 }
            {"probePlayground":1,"type":"run","command":"  kubectl get pods  "}
              => Run { command: "kubectl get pods" }
            {"probePlayground":1,"type":"getState"}
              => GetState
            {"probePlayground":1,"type":"subscribe"}
              => Subscribe
            {"probePlayground":1,"type":"unsubscribe"}
              => Unsubscribe
            {"type":"play"}
              => not for us
            "play"
              => not for us
            [1,2,3]
              => not for us
            null
              => not for us
            webpackHotUpdate
              => not for us
            {"source":"react-devtools","payload":{}}
              => not for us

              => not for us
            {"probePlayground":2,"type":"play"}
              => invalid: probePlayground is 2, but this playground speaks version 1 of the protocol
            {"probePlayground":"1","type":"play"}
              => invalid: probePlayground is "1", but this playground speaks version 1 of the protocol
            {"probePlayground":true,"type":"play"}
              => invalid: probePlayground is true, but this playground speaks version 1 of the protocol
            {"probePlayground":1}
              => invalid: the message has no type; expected one of load, play, pause, seek, speed, run, getState, subscribe, unsubscribe
            {"probePlayground":1,"type":5}
              => invalid: type must be a string, not 5
            {"probePlayground":1,"type":"Play"}
              => invalid: unknown message type "Play"; expected one of load, play, pause, seek, speed, run, getState, subscribe, unsubscribe
            {"probePlayground":1,"type":"play","speed":2}
              => invalid: unknown field "speed" in a "play" message; it takes no fields
            {"probePlayground":1,"type":"seek","time":80}
              => invalid: unknown field "time" in a "seek" message; it takes t
            {"probePlayground":1,"type":"seek"}
              => invalid: a "seek" message needs the field "t"
            {"probePlayground":1,"type":"seek","t":-1}
              => invalid: seek: t must not be negative, not -1
            {"probePlayground":1,"type":"seek","t":"soon"}
              => invalid: seek: invalid duration "soon": expected seconds or a duration like 90s, 1m30s or 1h
            {"probePlayground":1,"type":"seek","t":90000}
              => invalid: seek: t is later than 24h, the latest time the playground replays to
            {"probePlayground":1,"type":"seek","t":"25h"}
              => invalid: seek: t is later than 24h, the latest time the playground replays to
            {"probePlayground":1,"type":"seek","t":[80]}
              => invalid: seek: t must be a number of seconds or a duration like "1m30s", not an array
            {"probePlayground":1,"type":"seek","t":null}
              => invalid: seek: t must be a number of seconds or a duration like "1m30s", not null
            {"probePlayground":1,"type":"speed","value":7}
              => invalid: speed 7 is not one of the playground's speeds (1, 2, 5, 10, 30, 60)
            {"probePlayground":1,"type":"speed","value":"10"}
              => invalid: speed "10" is not one of the playground's speeds (1, 2, 5, 10, 30, 60)
            {"probePlayground":1,"type":"speed","value":10.5}
              => invalid: speed 10.5 is not one of the playground's speeds (1, 2, 5, 10, 30, 60)
            {"probePlayground":1,"type":"run","command":""}
              => invalid: the command is empty
            {"probePlayground":1,"type":"run","command":"kubectl get pods\nkubectl get svc"}
              => invalid: the command must be a single line; send one run message per command
            {"probePlayground":1,"type":"run","command":{"kubectl":"get"}}
              => invalid: the field "command" of a "run" message must be a string, not an object
            {"probePlayground":1,"type":"load","yaml":42}
              => invalid: the field "yaml" of a "load" message must be a string, not 42
            {"probePlayground":1,"type":"load"}
              => invalid: a "load" message needs the field "yaml"
            {"probePlayground":1,"type":"play"
              => invalid: the message is not valid JSON: EOF while parsing an object at line 1 column 34
        "#]],
    );
}

fn pod(name: &str, ready: &str, status: &str, restarts: i64) -> PodState {
    PodState {
        name: name.into(),
        namespace: "default".into(),
        ready: ready.into(),
        status: status.into(),
        restarts,
    }
}

fn endpoints(name: &str, ready: &[&str], not_ready: &[&str]) -> EndpointsState {
    EndpointsState {
        name: name.into(),
        namespace: "default".into(),
        addresses: ready.iter().map(|s| s.to_string()).collect(),
        not_ready_addresses: not_ready.iter().map(|s| s.to_string()).collect(),
    }
}

fn state(time_ms: Millis, pods: Vec<PodState>, eps: Vec<EndpointsState>) -> State {
    State { time_ms, clock: duration::clock(time_ms), playing: true, speed: 10, pods, endpoints: eps }
}

/// Renders the change messages between consecutive states, one JSON document per line.
fn check_diffs(states: &[State], expect: Expect) {
    let mut out = String::new();
    for pair in states.windows(2) {
        out.push_str(&format!("{} -> {}\n", pair[0].clock, pair[1].clock));
        for message in diff_state(&pair[0], &pair[1]) {
            out.push_str(&format!("  {}\n", message.to_json()));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn diffs() {
    let a = "10.244.1.3:80";
    let b = "10.244.2.4:80";
    check_diffs(
        &[
            state(0, vec![], vec![]),
            state(
                1000,
                vec![
                    pod("web-1", "0/1", "ContainerCreating", 0),
                    pod("web-2", "0/1", "ContainerCreating", 0),
                ],
                vec![endpoints("web", &[], &[])],
            ),
            state(
                2000,
                vec![pod("web-1", "0/1", "Running", 0), pod("web-2", "0/1", "Running", 0)],
                vec![endpoints("web", &[], &[a, b])],
            ),
            state(
                5000,
                vec![pod("web-1", "1/1", "Running", 0), pod("web-2", "1/1", "Running", 0)],
                vec![endpoints("web", &[a, b], &[])],
            ),
            // Nothing a host watches changes: no messages, even though the not-ready list and the clock move.
            state(
                5500,
                vec![pod("web-1", "1/1", "Running", 0), pod("web-2", "1/1", "Running", 0)],
                vec![endpoints("web", &[a, b], &[])],
            ),
            state(
                75000,
                vec![pod("web-1", "0/1", "Error", 1), pod("web-2", "1/1", "Running", 0)],
                vec![endpoints("web", &[b], &[a])],
            ),
            state(80000, vec![pod("web-1", "0/1", "CrashLoopBackOff", 1)], vec![]),
        ],
        expect![[r#"
            0s -> 1s
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":null,"to":"ContainerCreating","t":1}
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-2","namespace":"default","from":null,"to":"ContainerCreating","t":1}
              {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":null,"to":[],"t":1}
            1s -> 2s
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":"ContainerCreating","to":"Running","t":2}
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-2","namespace":"default","from":"ContainerCreating","to":"Running","t":2}
            2s -> 5s
              {"probePlayground":1,"type":"change","kind":"ready","pod":"web-1","namespace":"default","from":"0/1","to":"1/1","t":5}
              {"probePlayground":1,"type":"change","kind":"ready","pod":"web-2","namespace":"default","from":"0/1","to":"1/1","t":5}
              {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":[],"to":["10.244.1.3:80","10.244.2.4:80"],"t":5}
            5s -> 5s
            5s -> 75s
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":"Running","to":"Error","t":75}
              {"probePlayground":1,"type":"change","kind":"ready","pod":"web-1","namespace":"default","from":"1/1","to":"0/1","t":75}
              {"probePlayground":1,"type":"change","kind":"restarts","pod":"web-1","namespace":"default","from":0,"to":1,"t":75}
              {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":["10.244.1.3:80","10.244.2.4:80"],"to":["10.244.2.4:80"],"t":75}
            75s -> 80s
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-1","namespace":"default","from":"Error","to":"CrashLoopBackOff","t":80}
              {"probePlayground":1,"type":"change","kind":"status","pod":"web-2","namespace":"default","from":"Running","to":null,"t":80}
              {"probePlayground":1,"type":"change","kind":"endpoints","service":"web","namespace":"default","from":["10.244.2.4:80"],"to":null,"t":80}
        "#]],
    );
}

#[test]
fn outbound_json() {
    let messages = [
        Outbound::Ready {
            version: "1.2.3".into(),
            warnings: vec!["speed=7 is not one of the playground's speeds".into()],
        },
        Outbound::State(state(
            80_500,
            vec![pod("liveness-exec", "1/1", "Running", 1)],
            vec![endpoints("web", &["10.244.1.3:80"], &[])],
        )),
        Outbound::CommandResult {
            command: "kubectl get pods".into(),
            output: "No resources found in default namespace.\n".into(),
            ok: true,
        },
        Outbound::Error { message: "seek: t is later than 24h".into() },
    ];
    let out: Vec<String> = messages.iter().map(Outbound::to_json).collect();
    expect![[r#"
        {"probePlayground":1,"type":"ready","version":"1.2.3","warnings":["speed=7 is not one of the playground's speeds"]}
        {"probePlayground":1,"type":"state","t":80.5,"clock":"80s","playing":true,"speed":10,"pods":[{"name":"liveness-exec","namespace":"default","ready":"1/1","status":"Running","restarts":1}],"endpoints":[{"name":"web","namespace":"default","addresses":["10.244.1.3:80"],"notReadyAddresses":[]}]}
        {"probePlayground":1,"type":"commandResult","command":"kubectl get pods","output":"No resources found in default namespace.\n","ok":true}
        {"probePlayground":1,"type":"error","message":"seek: t is later than 24h"}"#]]
    .assert_eq(&out.join("\n"));
    assert_eq!(
        Outbound::ready(vec![]).to_json(),
        format!(
            "{{\"probePlayground\":1,\"type\":\"ready\",\"version\":\"{}\",\"warnings\":[]}}",
            env!("CARGO_PKG_VERSION")
        )
    );
}

/// A `state` message carries the columns of the simulation's snapshot and the playground's clock.
#[test]
fn state_from_snapshot() {
    use crate::sim::{ContainerView, EndpointsView, PodView};
    let snapshot = Snapshot {
        t: 80,
        pods: vec![PodView {
            name: "liveness-exec".into(),
            namespace: "default".into(),
            phase: "Running".into(),
            ready: "1/1".into(),
            status: "Running".into(),
            restarts: 1,
            restarts_column: "1 (5s ago)".into(),
            age: "80s".into(),
            ip: "10.244.1.2".into(),
            node: "k8s-worker1".into(),
            deleting: false,
            containers: vec![ContainerView {
                name: "liveness".into(),
                state: "running".into(),
                reason: None,
                ready: true,
                started: true,
                restart_count: 1,
            }],
        }],
        endpoints: vec![EndpointsView {
            name: "httpd-svc".into(),
            namespace: "default".into(),
            addresses: vec!["10.244.1.3:80".into()],
            not_ready_addresses: vec!["10.244.2.4:80".into()],
        }],
    };
    let state = State::from_snapshot(&snapshot, 125_250, false, 30);
    expect![[r#"{"probePlayground":1,"type":"state","t":125.25,"clock":"2m5s","playing":false,"speed":30,"pods":[{"name":"liveness-exec","namespace":"default","ready":"1/1","status":"Running","restarts":1}],"endpoints":[{"name":"httpd-svc","namespace":"default","addresses":["10.244.1.3:80"],"notReadyAddresses":["10.244.2.4:80"]}]}"#]].assert_eq(&Outbound::State(state).to_json());
}

/// Hostile input of every kind gets an answer, never a panic or a hang.
#[test]
fn hostile_input() {
    let too_big_yaml = format!(
        "{{\"probePlayground\":1,\"type\":\"load\",\"yaml\":\"{}\"}}",
        "a".repeat(MAX_YAML_BYTES + 1)
    );
    assert_eq!(
        parse_inbound(&too_big_yaml),
        Err(InboundError::Invalid(format!(
            "the scenario is {} bytes long; scenarios longer than {MAX_YAML_BYTES} bytes are refused",
            MAX_YAML_BYTES + 1
        )))
    );
    let just_fits = format!(
        "{{\"probePlayground\":1,\"type\":\"load\",\"yaml\":\"{}\"}}",
        "\\u0001".repeat(MAX_YAML_BYTES)
    );
    assert!(matches!(parse_inbound(&just_fits), Ok(Inbound::Load { yaml }) if yaml.len() == MAX_YAML_BYTES));
    let huge = format!(
        "{{\"probePlayground\":1,\"type\":\"run\",\"command\":\"{}\"}}",
        "x".repeat(MAX_MESSAGE_BYTES)
    );
    assert!(matches!(parse_inbound(&huge), Err(InboundError::Invalid(m)) if m.contains("are refused")));
    assert_eq!(parse_inbound(&"x".repeat(MAX_MESSAGE_BYTES + 1)), Err(InboundError::NotForUs));
    let long_command = format!(
        "{{\"probePlayground\":1,\"type\":\"run\",\"command\":\"{}\"}}",
        "x".repeat(MAX_COMMAND_BYTES + 1)
    );
    assert!(
        matches!(parse_inbound(&long_command), Err(InboundError::Invalid(m)) if m.contains("4097 bytes"))
    );

    let deep = format!(
        "{{\"probePlayground\":1,\"type\":\"load\",\"yaml\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    assert!(matches!(parse_inbound(&deep), Err(InboundError::Invalid(m)) if m.contains("recursion limit")));
    let deep_foreign = "[".repeat(100_000);
    assert_eq!(parse_inbound(&deep_foreign), Err(InboundError::NotForUs));

    for t in ["1e308", "1.7976931348623157e308", "18446744073709551616", "-0", "0.0004"] {
        let message = format!("{{\"probePlayground\":1,\"type\":\"seek\",\"t\":{t}}}");
        let _ = parse_inbound(&message);
    }
    assert_eq!(
        parse_inbound("{\"probePlayground\":1,\"type\":\"seek\",\"t\":0.0004}"),
        Ok(Inbound::Seek { t: 0 })
    );

    let long_value =
        format!("?speed={}&t={}&panels={}", "9".repeat(100), "1".repeat(10_000), "x,".repeat(10_000));
    let (options, warnings) = EmbedOptions::from_query(&long_value);
    assert_eq!(options, EmbedOptions::default());
    assert_eq!(warnings.len(), 4, "{warnings:?}");
    assert!(warnings.iter().all(|w| w.len() < 300), "{warnings:?}");
    let many = "embed=1&".repeat(100_000);
    assert_eq!(EmbedOptions::from_query(&many).1.len(), 1);

    // A cheap deterministic generator of messy strings over the characters that matter here.
    let alphabet: Vec<char> = "{}[]\":,&=?#%+ 0123456789abcdeftyp-probePlayground\\é\u{0}".chars().collect();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..2000 {
        let len = (state % 80) as usize;
        let mut text = String::new();
        for _ in 0..len {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            text.push(alphabet[(state >> 33) as usize % alphabet.len()]);
        }
        let _ = parse_inbound(&text);
        let _ = parse_inbound(&format!("{{\"probePlayground\":1,\"type\":\"seek\",\"t\":{text}}}"));
        let (options, _) = EmbedOptions::from_query(&text);
        let snippet = embed_snippet(&text, &options, Some(&text));
        assert_eq!(snippet.matches('"').count(), 14, "{snippet}");
        assert!(
            !snippet.contains('<') || snippet.starts_with("<iframe ") && snippet.matches('<').count() == 2
        );
    }
}

#[test]
fn origins_restrict_who_drives_the_frame() {
    let (open, warnings) = EmbedOptions::from_query("embed=1");
    assert!(warnings.is_empty());
    assert!(open.allows_origin("https://anyone.example"), "no list answers every page");

    let (options, warnings) = EmbedOptions::from_query(
        "embed=1&origins=https://Learn.Example.com,%20http://localhost:8080,https://learn.example.com",
    );
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        options.origins.as_deref(),
        Some(&["https://learn.example.com".to_string(), "http://localhost:8080".to_string()][..])
    );
    assert!(options.allows_origin("https://learn.example.com"));
    assert!(options.allows_origin("http://localhost:8080"));
    assert!(!options.allows_origin("https://evil.example"));
    assert!(!options.allows_origin("null"), "an opaque origin is not on any list");
    let query = options.to_query();
    assert_eq!(EmbedOptions::from_query(&query), (options, Vec::new()), "{query}");

    let (options, warnings) = EmbedOptions::from_query(
        "origins=learn.example.com,https://a.example/path,ftp://x,https://ok.example:443",
    );
    assert_eq!(options.origins, Some(vec!["https://ok.example:443".to_string()]));
    assert_eq!(
        warnings,
        [
            r#"origins: "learn.example.com", "https://a.example/path", "ftp://x" are not an origin like https://learn.example.com (a scheme, a host, maybe a port, and no path); ignored"#
        ]
    );
    let (options, warnings) = EmbedOptions::from_query("origins=*");
    assert_eq!(options.origins, None);
    assert_eq!(
        warnings.last().map(String::as_str),
        Some("origins= names no origin; messages from any page are answered")
    );
}
