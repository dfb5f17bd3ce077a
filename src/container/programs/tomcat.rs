//! Apache Tomcat (the official image, `catalina.sh run`): the HTTP connector on 8080 after a
//! 1.5 s start-up and the shutdown port 8005, `webapps/ROOT` (the welcome page for 7 and 8, whose
//! images ship it), Tomcat's error pages, its start-up log and `catalina.sh start|stop|version`.

use std::sync::Arc;

use super::{jvm, ok, Command, Program, Reaction, Request};
use crate::container::images::{reason, strftime_ms, tomcat_version, Site, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// Tomcat `version`.
#[derive(Debug)]
pub(crate) struct Tomcat {
    version: Box<str>,
}

/// Tomcat's `ErrorReportValve` page.
fn error_page(version: &str, status: u16) -> String {
    format!(
        "<!doctype html><html lang=\"en\"><head><title>HTTP Status {status} – {}</title></head><body><h1>HTTP Status {status} – {}</h1><hr class=\"line\" /><h3>Apache Tomcat/{version}</h3></body></html>",
        reason(status),
        reason(status)
    )
}

impl Program for Tomcat {
    fn name(&self) -> &'static str {
        "tomcat"
    }

    fn startup(&self) -> Millis {
        1_500
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![8080, 8005]
    }

    fn startup_log(&self, _sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let t = strftime_ms("%d-%b-%Y %H:%M:%S.000", at);
        let done = strftime_ms("%d-%b-%Y %H:%M:%S.000", at + self.startup());
        let version = &self.version;
        Some(format!(
            "{t} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/{version}\n\
             {t} INFO [main] org.apache.coyote.AbstractProtocol.init Initializing ProtocolHandler [\"http-nio-8080\"]\n\
             {done} INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1500] milliseconds"
        ))
    }

    fn react(&self, signal: Signal) -> Reaction {
        jvm(signal)
    }

    fn serve(&self, sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        let version = &*self.version;
        let old = version.starts_with('7') || version.starts_with('8');
        let root = "/usr/local/tomcat/webapps/ROOT";
        if old && (r.path == "/" || r.path == "/index.jsp") && !sys.fs.is_file(&format!("{root}/index.html"))
        {
            return ok(&format!("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Apache Tomcat/{version}</title></head>\n<body><h1>Apache Tomcat/{version}</h1>\n<p>If you're seeing this, you've successfully installed Tomcat. Congratulations!</p></body>\n</html>\n"));
        }
        let site = Site { error_page: &|status| error_page(version, status), list_directories: false };
        sys.static_file(root, r.path, r.port, &site)
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["catalina.sh"], available: |sys, _| sys.ships("catalina.sh"), run }];

/// `catalina.sh run|start|stop|version`.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let version = tomcat_version(&sys.config.image_ref);
    let tomcat = || Arc::new(Tomcat { version: version.as_str().into() });
    Some(match argv.get(1).map(String::as_str) {
        Some("run") => sys.launch(tomcat(), argv, &Call { replace: true, ..call.clone() }),
        Some("start") => sys.launch(tomcat(), argv, &Call { background: true, ..call.clone() }),
        Some("stop") => match sys.server_running("tomcat") {
            Some(i) => {
                // The shutdown port makes the JVM stop cleanly: it exits 0 about a second later.
                sys.servers[i].stopping = Some((call.at + 1_000, 0));
                Flow::Sleep(1_000, 0)
            }
            None => {
                io.err.push_str("Sep 01, 2025 9:00:00 AM org.apache.catalina.startup.Catalina stopServer\nSEVERE: Could not contact [localhost:8005] (base port [8005] and offset [0]). Tomcat may not be running.\n");
                Flow::Done(1)
            }
        },
        Some("version") => {
            io.out.push_str(&format!("Server version: Apache Tomcat/{version}\n"));
            Flow::Done(0)
        }
        _ => {
            io.err.push_str("Usage: catalina.sh ( commands ... )\n");
            Flow::Done(1)
        }
    })
}
