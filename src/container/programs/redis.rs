//! Redis (the official image, `docker-entrypoint.sh redis-server`): RESP on 6379, so an HTTP
//! request gets the connection closed and Redis' "Possible SECURITY ATTACK" log line; its
//! start-up and shutdown log lines, and a `redis-cli` for `ping`, `info` and `shutdown`.

use std::sync::Arc;

use super::{exit, Command, Program, Reaction, Request};
use crate::container::images::{strftime_ms, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// `redis-server` 8.2 without persistence.
#[derive(Debug)]
pub(crate) struct Redis;

impl Program for Redis {
    fn name(&self) -> &'static str {
        "redis"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![6379]
    }

    fn startup_log(&self, _sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let t = strftime_ms("%d %b %Y %H:%M:%S", at);
        Some(format!(
            "1:C {t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:M {t} * Running mode=standalone, port=6379.\n1:M {t} * Server initialized\n1:M {t} * Ready to accept connections tcp"
        ))
    }

    /// Redis saves nothing (no persistence configured) and exits 0 on TERM/INT.
    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            Signal::Term | Signal::Int => exit(0, 5),
            _ => Reaction::Ignore,
        }
    }

    fn shutdown_log(&self, signal: Signal, at: Millis) -> Option<String> {
        let t = strftime_ms("%d %b %Y %H:%M:%S", at);
        let name = super::signal_name(signal);
        let unix = (crate::api::EPOCH_UNIX_SECONDS as u64) + at / 1000;
        Some(format!(
            "1:signal-handler ({unix}) Received {name} scheduling shutdown...\n1:M {t} # Redis is now ready to exit, bye bye..."
        ))
    }

    /// Redis does not speak HTTP: it logs the attempt and closes the connection.
    fn serve(&self, sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        let t = strftime_ms("%d %b %Y %H:%M:%S", r.now);
        sys.push_log(r.now, format!("1:M {t} # Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection from {}:40000 aborted.", r.client));
        HttpOutcome::NoResponse
    }
}

pub(crate) static COMMANDS: &[Command] = &[
    Command { names: &["redis-server"], available: |sys, _| sys.ships("redis-server"), run: server },
    Command { names: &["redis-cli"], available: |sys, _| sys.ships("redis-cli"), run: cli },
];

/// `redis-server`: starts serving.
fn server(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Redis), argv, call))
}

/// `redis-cli [COMMAND ...]` against the local server.
fn cli(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let args = &argv[1..];
    let listening = sys.listener(6379, call.at).is_some();
    let cmd: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
    if !listening {
        io.err.push_str("Could not connect to Redis at 127.0.0.1:6379: Connection refused\n");
        return Some(Flow::Done(1));
    }
    match cmd.first().map(|c| c.to_ascii_lowercase()).as_deref() {
        Some("ping") | None => io.out.push_str("PONG\n"),
        Some("quit") => io.out.push_str("OK\n"),
        Some("set") => io.out.push_str("OK\n"),
        Some("get") => io.out.push('\n'),
        Some("info") => io.out.push_str("# Server\r\nredis_version:8.2.1\r\nredis_mode:standalone\r\n"),
        Some("shutdown") => {
            if let Some(i) = sys.server_running("redis") {
                if sys.servers[i].pid == 1 {
                    sys.pid1_signal = Some((Signal::Term, call.at));
                } else {
                    sys.servers.remove(i);
                }
            }
        }
        Some(other) => {
            io.out.push_str(&format!("(error) ERR unknown command '{other}', with args beginning with: \n"))
        }
    }
    Some(Flow::Done(0))
}
