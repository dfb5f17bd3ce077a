//! hashicorp/http-echo (github.com/hashicorp/http-echo `main.go`, `handlers.go`): a Go server that
//! answers every path with the text it was started with and a newline, `/health` with
//! `{"status":"ok"}`, on `-listen` (`:5678` by default). Release 1.0 also reads the text from
//! `ECHO_TEXT` (its image sets `ECHO_TEXT=hello-world`), answers with `-status-code`, and shuts
//! down on SIGTERM; the 0.2 releases need `-text` and ignore SIGTERM (their handler only acts on
//! SIGINT), so the kubelet has to SIGKILL them at the end of the grace period.

use std::sync::Arc;

use super::{go_runtime, respond, Command, Program, Reaction, Request};
use crate::container::images::reference::tag_version;
use crate::container::images::{error_stamp, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// The server, as its flags configured it.
#[derive(Debug)]
pub(crate) struct HttpEcho {
    text: String,
    listen: String,
    port: u16,
    status: u16,
    /// Release 1.0 or later (its log wording, `ECHO_TEXT` and SIGTERM handling).
    v1: bool,
}

impl Program for HttpEcho {
    fn name(&self) -> &'static str {
        "http-echo"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![self.port]
    }

    /// Go's `log.Printf`, on standard error.
    fn startup_log(&self, _sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let stamp = error_stamp(at);
        Some(if self.v1 {
            format!("{stamp} [INFO] server is listening on {}", self.listen)
        } else {
            format!("{stamp} Server is listening on {}", self.listen)
        })
    }

    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            // `signal.Notify(signalCh, os.Interrupt, syscall.SIGTERM)`, then `os.Exit(2)` after
            // the server's shutdown.
            Signal::Term | Signal::Int if self.v1 => super::exit(2, 0),
            Signal::Int => super::exit(2, 0),
            // 0.2's `signal.Notify(signalCh)` catches every signal and only logs the others.
            _ if !self.v1 => Reaction::Ignore,
            other => go_runtime(other),
        }
    }

    fn shutdown_log(&self, signal: Signal, at: Millis) -> Option<String> {
        if !matches!(signal, Signal::Term | Signal::Int) {
            return None;
        }
        let stamp = error_stamp(at);
        Some(if self.v1 {
            format!("{stamp} [INFO] received interrupt, shutting down...")
        } else {
            format!("{stamp} [INFO] Received interrupt")
        })
    }

    fn serve(&self, sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        if r.path == "/health" {
            return respond(200, "{\"status\":\"ok\"}\n");
        }
        let body = format!("{}\n", self.text);
        // `httpLog` writes one line per request to standard output, with the Host header, the
        // client's address and port, the response's status and length and how long it took. The
        // client's port is an ephemeral one (Linux's range 32768-60999), chosen here from the
        // request count so runs repeat; the duration is a typical one for so small an answer.
        let host = match r.host {
            Some(h) => h.to_string(),
            None => format!("{}:{}", sys.config.pod_ip, r.port),
        };
        let client_port = 32768 + (sys.requests * 7919) % 28232;
        let line = format!(
            "{} {host} {}:{client_port} \"{} {} HTTP/1.1\" {} {} \"{}\" 27.4µs",
            error_stamp(r.now),
            r.client,
            r.method,
            r.path,
            self.status,
            body.len(),
            r.ua
        );
        sys.push_log(r.now, line);
        respond(self.status, &body)
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["http-echo"], available: |sys, _| sys.ships("http-echo"), run }];

/// The flags, as Go's `flag` package prints them after an error.
const USAGE: &str = "Usage of /http-echo:\n  -listen string\n    \taddress and port to listen (default \":5678\")\n  -status-code int\n    \thttp response code, e.g.: 200 (default 200)\n  -text string\n    \ttext to put on the webpage\n  -version\n    \tdisplay version information\n";

/// `/http-echo [-listen ADDR] [-text TEXT] [-status-code N]`: reads its flags as Go's `flag`
/// package does (`-name value`, `-name=value`, one or two dashes, parsing stops at the first
/// argument that is not a flag), then serves, or exits 127 without a text or with extra arguments.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let v1 = tag_version(&sys.config.image_ref).is_none_or(|(major, _)| major >= 1);
    let mut listen = ":5678".to_string();
    let mut text = String::new();
    let mut status: u16 = 200;
    let mut rest: &[String] = &argv[1..];
    while let Some(arg) = rest.first() {
        let Some(flag) = arg.strip_prefix("--").or_else(|| arg.strip_prefix('-')) else { break };
        rest = &rest[1..];
        if flag.is_empty() && arg == "--" {
            break;
        }
        let (name, inline) = match flag.split_once('=') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (flag, None),
        };
        if name == "version" {
            continue;
        }
        let known = matches!(name, "listen" | "text") || (v1 && name == "status-code");
        if !known {
            io.err.push_str(&format!("flag provided but not defined: -{name}\n{USAGE}"));
            return Some(Flow::Done(2));
        }
        let value = match inline {
            Some(v) => v,
            None => match rest.first() {
                Some(v) => {
                    rest = &rest[1..];
                    v.clone()
                }
                None => {
                    io.err.push_str(&format!("flag needs an argument: -{name}\n{USAGE}"));
                    return Some(Flow::Done(2));
                }
            },
        };
        match name {
            "listen" => listen = value,
            "text" => text = value,
            _ => match value.parse::<u16>() {
                Ok(s) => status = s,
                Err(_) => {
                    io.err
                        .push_str(&format!("invalid value {value:?} for flag -{name}: parse error\n{USAGE}"));
                    return Some(Flow::Done(2));
                }
            },
        }
    }
    if text.is_empty() && v1 {
        // The image's `ENV ECHO_TEXT="hello-world"` unless the pod sets its own.
        text = call
            .env
            .iter()
            .rev()
            .find(|(k, _)| k == "ECHO_TEXT")
            .map_or_else(|| "hello-world".to_string(), |(_, v)| v.clone());
    }
    if text.is_empty() {
        let what = if v1 { "Missing -text option or ECHO_TEXT env var!" } else { "Missing -text option!" };
        io.err.push_str(&format!("{what}\n"));
        return Some(Flow::Done(127));
    }
    if !rest.is_empty() {
        io.err.push_str("Too many arguments!\n");
        return Some(Flow::Done(127));
    }
    let Some(port) = listen.rsplit_once(':').and_then(|(_, p)| p.parse::<u16>().ok()) else {
        // `server.ListenAndServe` fails and `log.Fatalf` exits with status 1.
        let stamp = error_stamp(call.at);
        io.err.push_str(&format!(
            "{stamp} [ERR] server exited with: listen tcp: address {listen}: missing port in address\n"
        ));
        return Some(Flow::Done(1));
    };
    let program = HttpEcho { text, listen, port, status, v1 };
    Some(sys.launch(Arc::new(program), argv, call))
}
