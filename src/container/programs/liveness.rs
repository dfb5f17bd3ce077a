//! The Kubernetes documentation's liveness server (`registry.k8s.io/liveness`, also agnhost's
//! `liveness` subcommand, test/images/agnhost/liveness/server.go): `/healthz` answers 200 for the
//! first 10 seconds after start and 500 after, as the liveness-probe task page shows.

use std::sync::Arc;

use super::agnhost::query_value;
use super::{go_not_found, go_runtime, ok, respond, Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Signal};

/// The liveness server on 8080.
#[derive(Debug)]
pub(crate) struct Liveness;

impl Program for Liveness {
    fn name(&self) -> &'static str {
        "liveness"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        vec![8080]
    }

    fn react(&self, signal: Signal) -> Reaction {
        go_runtime(signal)
    }

    fn serve(&self, sys: &mut Sys, server: usize, r: &Request) -> HttpOutcome {
        let elapsed = (r.now - sys.servers[server].started) as f64 / 1000.0;
        match r.path {
            "/healthz" if elapsed > 10.0 => respond(500, &format!("error: {elapsed}")),
            "/healthz" => ok("ok"),
            // `time.Since(started).String()`: a Go duration such as `5s` or `1m0.5s`.
            "/started" => ok(&crate::duration::go_duration(r.now - sys.servers[server].started)),
            "/redirect" => redirect(&query_value(r.raw_path, "loc")),
            _ => go_not_found(),
        }
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["server"], available: |sys, _| sys.ships("server"), run }];

/// `/server`: starts serving.
fn run(sys: &mut Sys, argv: &[String], _io: &mut Io, call: &Call) -> Option<Flow> {
    Some(sys.launch(Arc::new(Liveness), argv, call))
}

/// `http.Redirect(w, r, loc, http.StatusFound)` for a GET: the `Location` header and net/http's
/// short HTML body naming the target, its `&`, `<`, `>`, `"` and `'` escaped as `htmlEscape`
/// does. A target without a scheme that does not start with `/` is resolved against the
/// request's directory, which for `/redirect` is `/`.
fn redirect(loc: &str) -> HttpOutcome {
    let relative = !loc.contains("://") && !loc.starts_with('/');
    let owned = if relative { format!("/{loc}") } else { loc.to_string() };
    let target = owned.as_str();
    let mut escaped = String::with_capacity(target.len());
    for c in target.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&#34;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    HttpOutcome::Response {
        status: 302,
        body: format!("<a href=\"{escaped}\">Found</a>.\n\n").into(),
        location: Some(target.to_string()),
        latency: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::programs::agnhost::query_value;

    fn parts(outcome: HttpOutcome) -> (u16, String, Option<String>) {
        match outcome {
            HttpOutcome::Response { status, body, location, .. } => (status, body.into_owned(), location),
            other => panic!("not a response: {other:?}"),
        }
    }

    /// The `loc` parameter is URL-decoded before the redirect, as server.go's QueryUnescape does,
    /// and net/http writes its short body naming the target.
    #[test]
    fn redirect_decodes_its_target_and_writes_go_body() {
        let loc = query_value("/redirect?loc=%2Fhealthz%3Fa%3D1%26b%3D2", "loc");
        assert_eq!(loc, "/healthz?a=1&b=2");
        let (status, body, location) = parts(redirect(&loc));
        assert_eq!(status, 302);
        assert_eq!(location.as_deref(), Some("/healthz?a=1&b=2"));
        assert_eq!(body, "<a href=\"/healthz?a=1&amp;b=2\">Found</a>.\n\n");
        assert_eq!(parts(redirect("healthz")).2.as_deref(), Some("/healthz"));
        assert_eq!(parts(redirect("http://example.com/x")).2.as_deref(), Some("http://example.com/x"));
    }

    #[test]
    fn query_values_decode_plus_and_keep_bad_escapes() {
        assert_eq!(query_value("/echo?msg=a+b%21&code=", "msg"), "a b!");
        assert_eq!(query_value("/echo?msg=100%", "msg"), "100%");
        assert_eq!(query_value("/echo?msg=%zz", "msg"), "%zz");
        assert_eq!(query_value("/echo", "msg"), "");
    }
}
