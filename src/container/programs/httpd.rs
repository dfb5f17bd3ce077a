//! Apache httpd as the official image runs it (`httpd-foreground`): port 80, files under
//! `htdocs` with directory listings, the `common` access log, Apache's error pages, its mpm_event
//! start-up and shutdown notices, and `apachectl -k stop|graceful-stop`.

use std::sync::Arc;

use super::{exit, Command, Program, Reaction, Request};
use crate::container::images::{apache_stamp, reason, Site, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// httpd 2.4.65.
#[derive(Debug)]
pub(crate) struct Httpd;

/// Apache's own error page (`modules/http/http_protocol.c`).
fn error_page(status: u16) -> String {
    let title = format!("{status} {}", reason(status));
    let text = match status {
        404 => "<p>The requested URL was not found on this server.</p>",
        403 => "<p>You don't have permission to access this resource.</p>",
        _ => "<p>The document has moved.</p>",
    };
    format!("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{title}</title>\n</head><body>\n<h1>{}</h1>\n{text}\n</body></html>\n", reason(status))
}

impl Program for Httpd {
    fn name(&self) -> &'static str {
        "httpd"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![80]
    }

    fn startup_log(&self, sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let t = apache_stamp(at);
        let ip = &sys.config.pod_ip;
        Some(format!(
            "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message\n\
             AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message\n\
             [{t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations\n\
             [{t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"
        ))
    }

    /// WINCH graceful stop, TERM/INT stop, HUP/USR1 restart (httpd's "Stopping and Restarting").
    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            Signal::Winch => exit(0, 20),
            Signal::Term | Signal::Int => exit(0, 10),
            Signal::Hup | Signal::Usr1 => Reaction::Reload,
            _ => Reaction::Ignore,
        }
    }

    fn shutdown_log(&self, signal: Signal, at: Millis) -> Option<String> {
        let t = apache_stamp(at);
        Some(if signal == Signal::Winch {
            format!(
                "[{t}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully"
            )
        } else {
            format!("[{t}] [mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down")
        })
    }

    fn serve(&self, sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        let site = Site { error_page: &error_page, list_directories: true };
        let outcome = sys.static_file("/usr/local/apache2/htdocs", r.path, r.port, &site);
        sys.access_log(r.now, r.client, r.method, r.raw_path, &outcome, r.ua, false);
        outcome
    }
}

pub(crate) static COMMANDS: &[Command] = &[Command {
    names: &["httpd-foreground", "httpd", "apachectl"],
    available: |sys, _| sys.ships("httpd"),
    run,
}];

/// `httpd-foreground`, `httpd [-v] [-k stop|graceful-stop]`, `apachectl`.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let name = argv[0].rsplit('/').next().unwrap_or(&argv[0]);
    let args = &argv[1..];
    if name == "httpd-foreground" {
        return Some(sys.launch(Arc::new(Httpd), argv, call));
    }
    Some(if args.iter().any(|a| a == "-k") {
        if let Some("stop" | "graceful-stop") =
            args.iter().skip_while(|a| *a != "-k").nth(1).map(String::as_str)
        {
            let signal = if args.iter().any(|a| a == "graceful-stop") { Signal::Winch } else { Signal::Term };
            sys.pid1_signal = Some((signal, call.at));
        }
        Flow::Done(0)
    } else if args.iter().any(|a| a == "-v") {
        io.out.push_str("Server version: Apache/2.4.65 (Unix)\nServer built:   Jul 24 2025 00:00:00\n");
        Flow::Done(0)
    } else {
        sys.launch(Arc::new(Httpd), argv, call)
    })
}
