//! The HTTP clients images ship, `curl` and BusyBox `wget`: their options, output and error
//! messages and exit codes as the real tools print them. They reach only the container itself
//! (`localhost`, its IP or its hostname); every other host fails to resolve.

use super::static_files::reason;
use super::sys::Sys;
use crate::container::fs::normalize;
use crate::container::shell::{Flow, Io};
use crate::container::*;

impl Sys {
    /// An HTTP client inside the container (`curl`, `wget`).
    fn http_client(
        &mut self,
        url: &str,
        method: &str,
        ua: &str,
        at: Millis,
    ) -> Result<(u16, String), HttpError> {
        let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or(url);
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| HttpError::BadUrl)?),
            None => (authority, if url.starts_with("https://") { 443 } else { 80 }),
        };
        let local = matches!(host, "localhost" | "127.0.0.1" | "0.0.0.0" | "[::1]")
            || host == self.config.pod_ip
            || host == self.config.hostname;
        if !local {
            return Err(HttpError::Resolve(host.to_string()));
        }
        // curl and wget send the URL's authority as the `Host` header.
        match self.serve(port, method, path, ua, "127.0.0.1", Some(authority), at) {
            HttpOutcome::Response { status, body, .. } => Ok((status, body.into_owned())),
            HttpOutcome::Refused => Err(HttpError::Refused(host.to_string(), port)),
            HttpOutcome::NoResponse => Err(HttpError::Empty),
        }
    }

    pub(super) fn curl(&mut self, args: &[String], io: &mut Io, at: Millis) -> Flow {
        let mut method = "GET".to_string();
        let mut fail = false;
        let mut silent = false;
        let mut show_errors = false;
        let mut head = false;
        let mut output: Option<String> = None;
        let mut write_out: Option<String> = None;
        let mut url: Option<String> = None;
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-X" | "--request" => method = iter.next().cloned().unwrap_or(method),
                "-o" | "--output" => output = iter.next().cloned(),
                "-w" | "--write-out" => write_out = iter.next().cloned(),
                "-H" | "--header" | "-d" | "--data" | "-m" | "--max-time" | "--connect-timeout" | "-u"
                | "-A" => {
                    iter.next();
                }
                "-I" | "--head" => head = true,
                "-f" | "--fail" => fail = true,
                "-s" | "--silent" => silent = true,
                "-S" | "--show-error" => show_errors = true,
                s if s.starts_with("--") => {}
                s if s.starts_with('-') && s.len() > 1 => {
                    fail |= s.contains('f');
                    silent |= s.contains('s');
                    show_errors |= s.contains('S');
                    head |= s.contains('I');
                }
                s => url = Some(s.to_string()),
            }
        }
        let Some(url) = url else {
            io.err.push_str("curl: try 'curl --help' or 'curl --manual' for more information\n");
            return Flow::Done(2);
        };
        let quiet_errors = silent && !show_errors;
        match self.http_client(&url, &method, "curl/7.88.1", at) {
            Ok((status, body)) => {
                if fail && status >= 400 {
                    if !quiet_errors {
                        io.err.push_str(&format!("curl: (22) The requested URL returned error: {status}\n"));
                    }
                    return Flow::Done(22);
                }
                let text = if head { format!("HTTP/1.1 {status} {}\r\n\r\n", reason(status)) } else { body };
                match output.as_deref() {
                    Some("/dev/null") => {}
                    Some(path) => {
                        let _ = self.fs.write(&normalize("/", path), &text, false);
                    }
                    None => io.out.push_str(&text),
                }
                if let Some(w) = write_out {
                    io.out.push_str(&w.replace("%{http_code}", &status.to_string()).replace("\\n", "\n"));
                }
                Flow::Done(0)
            }
            Err(e) => {
                let (code, msg) = match e {
                    HttpError::Refused(host, port) => (7, format!("curl: (7) Failed to connect to {host} port {port} after 0 ms: Couldn't connect to server\n")),
                    HttpError::Resolve(host) => (6, format!("curl: (6) Could not resolve host: {host}\n")),
                    HttpError::Empty => (52, "curl: (52) Empty reply from server\n".to_string()),
                    HttpError::BadUrl => (3, "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n".to_string()),
                };
                if !quiet_errors {
                    io.err.push_str(&msg);
                }
                if let Some(w) = write_out {
                    io.out.push_str(&w.replace("%{http_code}", "000").replace("\\n", "\n"));
                }
                Flow::Done(code)
            }
        }
    }

    pub(super) fn wget(&mut self, args: &[String], io: &mut Io, at: Millis) -> Flow {
        let mut output: Option<String> = None;
        let mut quiet = false;
        let mut spider = false;
        let mut url = None;
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-O" => output = iter.next().cloned(),
                "-q" | "--quiet" => quiet = true,
                "--spider" => spider = true,
                "-T" | "--timeout" | "-U" | "--header" => {
                    iter.next();
                }
                s if s.starts_with("-O") && s.len() > 2 => output = Some(s[2..].to_string()),
                s if s.starts_with("--timeout") => {}
                s if s.starts_with('-') => {
                    quiet |= s.contains('q');
                }
                s => url = Some(s.to_string()),
            }
        }
        let Some(url) = url else {
            io.err.push_str("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR] URL...\n");
            return Flow::Done(1);
        };
        let (host_port, _) = url
            .trim_start_matches("http://")
            .split_once('/')
            .unwrap_or((url.trim_start_matches("http://"), ""));
        match self.http_client(&url, "GET", "Wget", at) {
            Ok((status, body)) => {
                if !quiet {
                    io.err.push_str(&format!("Connecting to {host_port} ({host_port})\n"));
                }
                if status >= 400 {
                    io.err.push_str(&format!(
                        "wget: server returned error: HTTP/1.1 {status} {}\n",
                        reason(status)
                    ));
                    return Flow::Done(1);
                }
                if spider {
                    if !quiet {
                        io.err.push_str("remote file exists\n");
                    }
                    return Flow::Done(0);
                }
                match output.as_deref() {
                    Some("-") => io.out.push_str(&body),
                    Some("/dev/null") => {}
                    Some(path) => {
                        let _ = self.fs.write(&normalize("/", path), &body, false);
                    }
                    None => {
                        let name = url
                            .rsplit('/')
                            .next()
                            .filter(|n| !n.is_empty() && !n.contains(':'))
                            .unwrap_or("index.html");
                        let _ = self.fs.write(&normalize(self.image.workdir, name), &body, false);
                        if !quiet {
                            io.err.push_str(&format!("saving to '{name}'\n'{name}' saved\n"));
                        }
                    }
                }
                Flow::Done(0)
            }
            Err(HttpError::Refused(host, _)) => {
                io.err.push_str(&format!("Connecting to {host_port} ({host_port})\nwget: can't connect to remote host ({}): Connection refused\n", if host == "localhost" { "127.0.0.1" } else { &host }));
                Flow::Done(1)
            }
            Err(HttpError::Resolve(host)) => {
                io.err.push_str(&format!("wget: bad address '{host}'\n"));
                Flow::Done(1)
            }
            Err(_) => {
                io.err.push_str("wget: error getting response: Connection reset by peer\n");
                Flow::Done(1)
            }
        }
    }
}

/// Why a request from inside the container got no response.
enum HttpError {
    Refused(String, u16),
    Resolve(String),
    Empty,
    BadUrl,
}
