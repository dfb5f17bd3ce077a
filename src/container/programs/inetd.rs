//! openbsd-inetd, as `apt-get install openbsd-inetd` leaves it on Debian: its init script starts
//! the super-server, which accepts telnet on port 23 (and speaks no HTTP).

use std::sync::Arc;

use super::{exit, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Signal};

/// inetd with its default services.
#[derive(Debug)]
pub(crate) struct Inetd;

impl Program for Inetd {
    fn name(&self) -> &'static str {
        "inetd"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![23]
    }

    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            Signal::Term | Signal::Int => exit(0, 0),
            Signal::Hup => Reaction::Reload,
            _ => Reaction::Ignore,
        }
    }

    /// telnetd does not speak HTTP: the connection is closed without a response.
    fn serve(&self, _sys: &mut Sys, _server: usize, _r: &Request) -> HttpOutcome {
        HttpOutcome::NoResponse
    }
}

/// The init script is run by its path; `inetd` itself by name.
pub(crate) static COMMANDS: &[Command] = &[Command {
    names: &["openbsd-inetd", "inetd"],
    available: |_, name| name.starts_with("/etc/init.d/") || name.rsplit('/').next() == Some("inetd"),
    run,
}];

/// `/etc/init.d/openbsd-inetd start|stop`, `inetd`.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let base = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    if base == "openbsd-inetd" && !sys.fs.is_file("/etc/init.d/openbsd-inetd") {
        return None;
    }
    if base == "inetd" && !sys.fs.is_file("/usr/sbin/inetd") {
        return None;
    }
    Some(match argv.get(1).map(String::as_str) {
        Some("start") | None => {
            io.out.push_str("Starting internet superserver: inetd.\n");
            if sys.server_running("inetd").is_none() {
                let _ = sys.launch(
                    Arc::new(Inetd),
                    argv,
                    &Call { background: true, replace: false, ..call.clone() },
                );
            }
            Flow::Done(0)
        }
        Some("stop") => {
            io.out.push_str("Stopping internet superserver: inetd.\n");
            sys.servers.retain(|s| s.program.name() != "inetd");
            Flow::Done(0)
        }
        _ => {
            io.out.push_str(
                "Usage: /etc/init.d/openbsd-inetd {start|stop|reload|restart|force-reload|status}\n",
            );
            Flow::Done(1)
        }
    })
}
