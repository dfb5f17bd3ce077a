//! A Spring Boot style application run with `java -jar` on the JDK images (`openjdk`,
//! `eclipse-temurin`, `amazoncorretto`): it listens after an 8 s start-up on `--server.port`,
//! `SERVER_PORT`, the declared ports or 8080, and answers `/actuator/health` with `UP`.

use std::sync::Arc;

use super::{flag_port, jvm, ok, Command, Program, Reaction, Request};
use crate::container::images::{strftime_ms, Sys};
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// The application.
#[derive(Debug)]
pub(crate) struct JavaApp;

impl Program for JavaApp {
    fn name(&self) -> &'static str {
        "java"
    }

    fn startup(&self) -> Millis {
        8_000
    }

    fn ports(&self, sys: &Sys, env: &[(String, String)], command: &str) -> Vec<u16> {
        let from_env = env.iter().find(|(k, _)| k == "SERVER_PORT").and_then(|(_, v)| v.parse().ok());
        let from_arg = flag_port(command, "--server.port");
        match from_arg.or(from_env) {
            Some(p) => vec![p],
            None if !sys.config.ports.is_empty() => sys.config.ports.clone(),
            None => vec![8080],
        }
    }

    fn startup_log(&self, _sys: &Sys, ports: &[u16], at: Millis) -> Option<String> {
        let t = strftime_ms("%Y-%m-%d %H:%M:%S.000", at);
        let port = ports.first().copied().unwrap_or(8080);
        Some(format!(
            "{t}  INFO 1 --- [           main] com.example.Application                  : Starting Application using Java 17.0.12 with PID 1\n\
             {t}  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port {port} (http)"
        ))
    }

    fn react(&self, signal: Signal) -> Reaction {
        jvm(signal)
    }

    fn serve(&self, _sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        if r.path.starts_with("/actuator/health") {
            ok("{\"status\":\"UP\"}")
        } else {
            ok("")
        }
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["java"], available: |sys, _| sys.ships("java"), run }];

/// `java -version`, `java -jar APP.jar [ARGS]`.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let args = &argv[1..];
    Some(if args.iter().any(|a| a == "-version" || a == "--version") {
        io.err.push_str("openjdk version \"17.0.12\" 2024-07-16\n");
        Flow::Done(0)
    } else if !args.is_empty() {
        sys.launch(Arc::new(JavaApp), argv, call)
    } else {
        io.err.push_str("Usage: java [options] <mainclass> [args...]\n");
        Flow::Done(1)
    })
}
