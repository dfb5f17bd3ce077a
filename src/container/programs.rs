//! The programs images run: each serving program (nginx, httpd, Redis, the liveness server, ...)
//! lives in its own file behind one trait, [`Program`], that says how long it takes to start and
//! what it logs then, which ports it serves, how it answers HTTP, TCP and gRPC, how it reacts to
//! signals and reloads, what it logs when it stops, and — through its [`Command`]s — what it does
//! when the shell runs it.
//!
//! The operating system around the programs (processes, logs, files, the shell's [`Host`]) is
//! `crate::container::images`' `Sys`; a running program is a [`Server`] there. Adding an image's
//! program is one file here, its line in [`COMMANDS`], and the image's row in the catalogue.
//!
//! [`Host`]: crate::container::shell::Host

use std::sync::Arc;

use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{GrpcOutcome, HttpOutcome, Millis, Signal};

pub(crate) mod agnhost;
pub(crate) mod curl;
pub(crate) mod etcd;
pub(crate) mod generic;
pub(crate) mod goproxy;
pub(crate) mod http_echo;
pub(crate) mod httpd;
pub(crate) mod inetd;
pub(crate) mod java;
pub(crate) mod liveness;
pub(crate) mod nacos;
pub(crate) mod nginx;
pub(crate) mod node_exporter;
pub(crate) mod pause;
pub(crate) mod redis;
pub(crate) mod stress;
pub(crate) mod tomcat;

/// A program that listens, and how it behaves as the real one does when it is PID 1.
///
/// Methods that need the container (its files, configuration, logs) get the [`Sys`]; a program
/// itself is immutable data (its version, document root, subcommand), shared between clones of a
/// container, so serving a probe copies nothing.
pub(crate) trait Program: std::fmt::Debug + Send + Sync {
    /// A short name, for finding a running instance (`nginx -s`, `redis-cli shutdown`).
    fn name(&self) -> &'static str;

    /// How long the program takes to start listening.
    fn startup(&self) -> Millis {
        0
    }

    /// The ports it listens on, from its configuration, its command line or the environment.
    fn ports(&self, sys: &Sys, env: &[(String, String)], command: &str) -> Vec<u16>;

    /// What it logs when it starts, if anything (`ports` are those it is about to listen on).
    fn startup_log(&self, _sys: &Sys, _ports: &[u16], _at: Millis) -> Option<String> {
        None
    }

    /// How it reacts to a signal.
    fn react(&self, signal: Signal) -> Reaction;

    /// Re-reads its configuration after a [`Reaction::Reload`] (nothing by default: httpd's and
    /// inetd's restarts change nothing the playground shows).
    fn reload(&self, _sys: &mut Sys, _server: usize, _at: Millis) {}

    /// What it logs when a signal makes it stop, if anything.
    fn shutdown_log(&self, _signal: Signal, _at: Millis) -> Option<String> {
        None
    }

    /// Answers an HTTP request (`server` is its index in `sys.servers`).
    fn serve(&self, sys: &mut Sys, server: usize, request: &Request) -> HttpOutcome;

    /// Answers `grpc.health.v1.Health/Check` on `port`; programs without the health service
    /// leave the call unimplemented.
    fn grpc_health(&self, _port: u16, _service: &str) -> GrpcOutcome {
        GrpcOutcome::Unimplemented
    }

    /// What it prints when a port it wants is taken (Go's `net.Listen` error by default).
    fn bind_error(&self, port: u16, _at: Millis) -> String {
        format!("listen tcp :{port}: bind: address already in use\n")
    }

    /// What it logs, line by line with the instant of each, when the ports in `taken` are held
    /// by another process of the pod's network namespace, and how long it keeps trying before it
    /// exits with status 1 (at once by default: [`Program::bind_error`] for the first port).
    fn bind_failure(&self, _sys: &Sys, taken: &[u16], at: Millis) -> (Vec<(Millis, String)>, Millis) {
        (vec![(at, self.bind_error(taken[0], at))], 0)
    }
}

/// A running server process.
#[derive(Clone, Debug)]
pub(crate) struct Server {
    pub program: Arc<dyn Program>,
    pub pid: u32,
    pub started: Millis,
    /// Ports are accepted from this instant on (the program's start-up time).
    pub ready_at: Millis,
    pub ports: Vec<u16>,
    /// A graceful shutdown in progress: when it ends and with which exit code.
    pub stopping: Option<(Millis, i32)>,
    pub command: String,
}

/// One HTTP request as a program sees it.
pub(crate) struct Request<'a> {
    pub port: u16,
    pub method: &'a str,
    /// The request target as sent, query included.
    pub raw_path: &'a str,
    /// The path without query or fragment (`/` when the target is not a path).
    pub path: &'a str,
    pub ua: &'a str,
    /// The client's address, for access logs.
    pub client: &'a str,
    /// The `Host` header when it is not the pod's address and the port (the prober's default).
    pub host: Option<&'a str>,
    pub now: Millis,
}

/// How a PID-1 program reacts to a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reaction {
    Ignore,
    /// Exits after `after` with `code` (and `signal` when it dies of the signal).
    Exit {
        code: i32,
        after: Millis,
        signal: Option<i32>,
    },
    /// Reloads its configuration and keeps running.
    Reload,
}

/// Exits with `code` after `after` milliseconds.
pub(crate) fn exit(code: i32, after: Millis) -> Reaction {
    Reaction::Exit { code, after, signal: None }
}

/// A Go program without signal handlers: the runtime exits with status 2 on SIGTERM, SIGINT,
/// SIGHUP and SIGQUIT (as PID 1 it cannot re-raise them, see the os/signal package docs); other
/// signals are ignored.
pub(crate) fn go_runtime(signal: Signal) -> Reaction {
    match signal {
        Signal::Term | Signal::Int | Signal::Hup | Signal::Quit => exit(2, 0),
        _ => Reaction::Ignore,
    }
}

/// The JVM runs its shutdown hooks and exits with 128 + the signal number.
pub(crate) fn jvm(signal: Signal) -> Reaction {
    match signal {
        Signal::Term => exit(143, 500),
        Signal::Int => exit(130, 500),
        Signal::Hup => exit(129, 500),
        _ => Reaction::Ignore,
    }
}

/// A `200 OK` with a body.
pub(crate) fn ok(body: &str) -> HttpOutcome {
    respond(200, body)
}

/// A response with a status and a body.
pub(crate) fn respond(status: u16, body: &str) -> HttpOutcome {
    HttpOutcome::Response { status, body: body.to_string().into(), location: None, latency: 0 }
}

/// Go's `http.NotFound`.
pub(crate) fn go_not_found() -> HttpOutcome {
    respond(404, "404 page not found\n")
}

/// The port a `--flag N` or `--flag=N` on a command line gives.
pub(crate) fn flag_port(command: &str, flag: &str) -> Option<u16> {
    let mut words = command.split_whitespace();
    while let Some(w) = words.next() {
        if let Some(v) = w.strip_prefix(flag) {
            if let Some(v) = v.strip_prefix('=') {
                return v.parse().ok();
            }
            if v.is_empty() {
                return words.next().and_then(|v| v.parse().ok());
            }
        }
    }
    None
}

/// The signal's name as programs log it.
pub(crate) fn signal_name(signal: Signal) -> &'static str {
    match signal {
        Signal::Hup => "SIGHUP",
        Signal::Int => "SIGINT",
        Signal::Quit => "SIGQUIT",
        Signal::Usr1 => "SIGUSR1",
        Signal::Term => "SIGTERM",
        Signal::Winch => "SIGWINCH",
        Signal::Kill => "SIGKILL",
    }
}

/// A command an image's program answers to in the shell.
pub(crate) struct Command {
    /// The names it is run by (the last path component of `argv[0]`).
    pub names: &'static [&'static str],
    /// Whether the container has it; `argv[0]` as typed is given for commands found by path.
    pub available: fn(&Sys, &str) -> bool,
    /// Runs it; `None` when it turns out not to be there (the shell's `not found`).
    pub run: fn(&mut Sys, &[String], &mut Io, &Call) -> Option<Flow>,
}

/// Every program's commands.
static COMMANDS: &[&[Command]] = &[
    agnhost::COMMANDS,
    curl::COMMANDS,
    etcd::COMMANDS,
    goproxy::COMMANDS,
    http_echo::COMMANDS,
    httpd::COMMANDS,
    inetd::COMMANDS,
    java::COMMANDS,
    liveness::COMMANDS,
    nacos::COMMANDS,
    nginx::COMMANDS,
    node_exporter::COMMANDS,
    pause::COMMANDS,
    stress::COMMANDS,
    redis::COMMANDS,
    tomcat::COMMANDS,
];

/// The program command `base` names, if the container has it.
pub(crate) fn command(sys: &Sys, name: &str, base: &str) -> Option<&'static Command> {
    COMMANDS.iter().flat_map(|c| c.iter()).find(|c| c.names.contains(&base) && (c.available)(sys, name))
}
