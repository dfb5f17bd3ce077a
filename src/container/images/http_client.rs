//! The HTTP clients images ship, `curl` and BusyBox `wget`: their options, output and error
//! messages and exit codes as the real tools print them. Where a URL leads is the pod network's
//! business (`crate::container::net`): the container's own servers for its own addresses, then
//! the pod's other containers, other pods, Services and DNS names.

use std::net::Ipv4Addr;

use super::static_files::reason;
use super::sys::Sys;
use crate::container::fs::normalize;
use crate::container::net::{is_loopback, ClientRequest, Dest, Network, Route};
use crate::container::shell::{Flow, Io};
use crate::container::*;

/// How long the kernel keeps retrying a SYN nobody answers before `connect()` fails with
/// `ETIMEDOUT` (Linux `tcp_syn_retries` 6: 1+2+4+8+16+32+64 s).
pub(super) const SYN_TIMEOUT: Millis = 127_000;

/// A URL taken apart, with where its host resolved to.
pub(super) struct Dialed<'u> {
    /// The URL's authority as written (`web`, `web:8080`), which clients print and send as `Host`.
    pub authority: &'u str,
    pub host: &'u str,
    pub port: u16,
    pub path: &'u str,
    /// The address the host resolved to.
    pub ip: Ipv4Addr,
}

/// Why a request from inside the container got no response.
pub(super) enum HttpError {
    /// The connection was refused (RST or kube-proxy's REJECT).
    Refused,
    /// The name does not resolve.
    Resolve,
    /// Nobody answers: the connection attempt times out.
    Unreachable,
    Empty,
    BadUrl,
}

impl Sys {
    /// Splits a URL and resolves its host as the container's resolver does: its own names through
    /// `/etc/hosts` (`localhost`, the pod's hostname), addresses as they are, other names through
    /// cluster DNS.
    pub(super) fn dial<'u>(
        &self,
        net: &mut dyn Network,
        url: &'u str,
    ) -> Result<Dialed<'u>, (HttpError, &'u str)> {
        let https = url.starts_with("https://");
        let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or(url);
        let (authority, path) = match rest.find('/') {
            Some(i) => (&rest[..i], &rest[i..]),
            None => (rest, "/"),
        };
        let (host, port) = match authority.rsplit_once(':').filter(|(h, _)| !h.ends_with(':')) {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| (HttpError::BadUrl, h))?),
            None => (authority, if https { 443 } else { 80 }),
        };
        let ip = self.resolve_host(net, host).ok_or((HttpError::Resolve, host))?;
        Ok(Dialed { authority, host, port, path, ip })
    }

    /// A host name or address as the container resolves it.
    pub(super) fn resolve_host(&self, net: &mut dyn Network, host: &str) -> Option<Ipv4Addr> {
        if is_loopback(host) {
            return Some(Ipv4Addr::LOCALHOST);
        }
        if host == self.config.hostname {
            return self.config.pod_ip.parse().ok();
        }
        if let Ok(ip) = host.parse::<Ipv4Addr>() {
            return Some(ip);
        }
        net.resolve(host)
    }

    /// Where a connection to `ip:port` goes: the container's own pod for its own addresses,
    /// otherwise as the network routes it.
    pub(super) fn route(&self, net: &mut dyn Network, ip: Ipv4Addr, port: u16) -> Route {
        if ip.is_loopback() || ip.is_unspecified() || self.config.pod_ip.parse() == Ok(ip) {
            return Route::To(Dest::OwnPod, port);
        }
        net.route(ip, port)
    }

    /// One HTTP exchange inside the container: `Ok` with the status and body.
    pub(super) fn http_client(
        &mut self,
        net: &mut dyn Network,
        dialed: &Dialed,
        method: &str,
        ua: &str,
        at: Millis,
    ) -> Result<(u16, String), HttpError> {
        let (dest, port) = match self.route(net, dialed.ip, dialed.port) {
            Route::To(dest, port) => (dest, port),
            Route::Refused => return Err(HttpError::Refused),
            Route::Unreachable => return Err(HttpError::Unreachable),
        };
        let request = ClientRequest { method, path: dialed.path, ua, host: dialed.authority };
        let outcome = match dest {
            Dest::OwnPod => {
                let client = if dialed.ip.is_loopback() { "127.0.0.1" } else { net.client_ip() };
                let client = client.to_string();
                match self.serve(port, method, dialed.path, ua, &client, Some(dialed.authority), at) {
                    HttpOutcome::Refused => net.http(Dest::OwnPod, port, &request),
                    outcome => outcome,
                }
            }
            dest => net.http(dest, port, &request),
        };
        match outcome {
            HttpOutcome::Response { status, body, .. } => Ok((status, body.into_owned())),
            HttpOutcome::Refused => Err(HttpError::Refused),
            HttpOutcome::NoResponse => Err(HttpError::Empty),
        }
    }

    /// The curl release the image ships, which decides its wording: curlimages/curl's tag is
    /// its curl release (`latest` is 8.16.0, September 2025); the distribution images ship
    /// Debian bookworm's 7.88.1.
    fn curl_version(&self) -> String {
        let image = &self.config.image_ref;
        if super::reference::repository(image) != "curl" {
            return "7.88.1".to_string();
        }
        let tag = super::reference::tag(image);
        match tag.split('.').count() {
            3 if tag.split('.').all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) => {
                tag.to_string()
            }
            _ => "8.16.0".to_string(),
        }
    }

    pub(super) fn curl(&mut self, net: &mut dyn Network, args: &[String], io: &mut Io, at: Millis) -> Flow {
        let mut method = "GET".to_string();
        let mut fail = false;
        let mut silent = false;
        let mut show_errors = false;
        let mut head = false;
        let mut output: Option<String> = None;
        let mut write_out: Option<String> = None;
        let mut max_time: Option<Millis> = None;
        let mut url: Option<String> = None;
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-X" | "--request" => method = iter.next().cloned().unwrap_or(method),
                "-o" | "--output" => output = iter.next().cloned(),
                "-w" | "--write-out" => write_out = iter.next().cloned(),
                "-m" | "--max-time" | "--connect-timeout" => {
                    max_time =
                        iter.next().and_then(|v| v.parse::<f64>().ok()).map(|s| (s * 1000.0) as Millis);
                }
                "-H" | "--header" | "-d" | "--data" | "-u" | "-A" => {
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
        let version = self.curl_version();
        let ua = format!("curl/{version}");
        let result = self.dial(net, &url).and_then(|d| {
            let r = self.http_client(net, &d, &method, &ua, at);
            r.map_err(|e| (e, d.host))
        });
        let mut took = 0;
        let outcome = match result {
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
                return Flow::Done(0);
            }
            Err((e, host)) => {
                // curl 8.9 reworded `Couldn't connect to server` (lib/strerror.c).
                let connect_text = if version_at_least(&version, 8, 9) {
                    "Could not connect to server"
                } else {
                    "Couldn't connect to server"
                };
                let port = port_of(&url);
                match e {
                    HttpError::Refused => (
                        7,
                        format!(
                            "curl: (7) Failed to connect to {host} port {port} after 0 ms: {connect_text}\n"
                        ),
                    ),
                    HttpError::Resolve => (6, format!("curl: (6) Could not resolve host: {host}\n")),
                    HttpError::Empty => (52, "curl: (52) Empty reply from server\n".to_string()),
                    HttpError::BadUrl => (
                        3,
                        "curl: (3) URL rejected: Port number was not a decimal number between 0 and 65535\n"
                            .to_string(),
                    ),
                    HttpError::Unreachable => {
                        // A SYN nobody answers: curl's own timeout if one was given, else the
                        // kernel's. The wording of both is unverified.
                        match max_time.filter(|t| *t < SYN_TIMEOUT) {
                            Some(limit) => {
                                took = limit;
                                (
                                    28,
                                    format!(
                                        "curl: (28) Connection timed out after {} milliseconds\n",
                                        limit + 1
                                    ),
                                )
                            }
                            None => {
                                took = SYN_TIMEOUT;
                                (7, format!("curl: (7) Failed to connect to {host} port {port} after {SYN_TIMEOUT} ms: {connect_text}\n"))
                            }
                        }
                    }
                }
            }
        };
        let (code, msg) = outcome;
        if !quiet_errors {
            io.err.push_str(&msg);
        }
        if let Some(w) = write_out {
            io.out.push_str(&w.replace("%{http_code}", "000").replace("\\n", "\n"));
        }
        if took > 0 {
            Flow::Sleep(took, code)
        } else {
            Flow::Done(code)
        }
    }

    pub(super) fn wget(&mut self, net: &mut dyn Network, args: &[String], io: &mut Io, at: Millis) -> Flow {
        let mut output: Option<String> = None;
        let mut quiet = false;
        let mut spider = false;
        let mut timeout: Option<Millis> = None;
        let mut url = None;
        let mut iter = args.iter();
        while let Some(a) = iter.next() {
            match a.as_str() {
                "-O" => output = iter.next().cloned(),
                "-q" | "--quiet" => quiet = true,
                "--spider" => spider = true,
                "-T" | "--timeout" => {
                    timeout = iter.next().and_then(|v| v.parse::<Millis>().ok()).map(|s| s * 1000)
                }
                "-U" | "--header" => {
                    iter.next();
                }
                s if s.starts_with("-O") && s.len() > 2 => output = Some(s[2..].to_string()),
                s if s.starts_with("--timeout=") => {
                    timeout = s["--timeout=".len()..].parse::<Millis>().ok().map(|s| s * 1000);
                }
                // Short options cluster as getopt reads them (`-qO-`, `-qO /tmp/f`): an option
                // that takes an argument takes the rest of the word, or the next word.
                s if s.starts_with('-') && !s.starts_with("--") => {
                    for (i, c) in s.char_indices().skip(1) {
                        match c {
                            'q' => quiet = true,
                            'O' | 'T' | 'U' | 'o' => {
                                let rest = &s[i + 1..];
                                let value = if rest.is_empty() {
                                    iter.next().cloned()
                                } else {
                                    Some(rest.to_string())
                                };
                                match c {
                                    'O' => output = value,
                                    'T' => {
                                        timeout =
                                            value.and_then(|v| v.parse::<Millis>().ok()).map(|s| s * 1000)
                                    }
                                    _ => {}
                                }
                                break;
                            }
                            _ => {}
                        }
                    }
                }
                s if s.starts_with('-') => {}
                s => url = Some(s.to_string()),
            }
        }
        let Some(url) = url else {
            io.err.push_str("BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR] URL...\n");
            return Flow::Done(1);
        };
        let dialed = match self.dial(net, &url) {
            Ok(d) => d,
            Err((HttpError::BadUrl, _)) => {
                io.err.push_str(&format!("wget: bad port spec '{}'\n", port_text(&url)));
                return Flow::Done(1);
            }
            Err((_, host)) => {
                io.err.push_str(&format!("wget: bad address '{host}'\n"));
                return Flow::Done(1);
            }
        };
        // `libbb/xconnect.c` and `networking/wget.c`: the line names the host as written and the
        // address it resolved to, and is left out under `-q`.
        if !quiet {
            io.err.push_str(&format!("Connecting to {} ({}:{})\n", dialed.authority, dialed.ip, dialed.port));
        }
        let ip = dialed.ip;
        match self.http_client(net, &dialed, "GET", "Wget", at) {
            Ok((status, body)) => {
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
                    Some("-") => {
                        io.out.push_str(&body);
                        if !quiet {
                            io.err.push_str("writing to stdout\nwritten to stdout\n");
                        }
                    }
                    target => {
                        let name = match target {
                            Some(path) => path,
                            None => url
                                .rsplit('/')
                                .next()
                                .filter(|n| !n.is_empty() && !n.contains(':'))
                                .unwrap_or("index.html"),
                        };
                        if name != "/dev/null" {
                            let _ = self.fs.write(&normalize(self.image.workdir, name), &body, false);
                        }
                        if !quiet {
                            io.err.push_str(&format!("saving to '{name}'\n'{name}' saved\n"));
                        }
                    }
                }
                Flow::Done(0)
            }
            Err(HttpError::Refused) => {
                io.err.push_str(&format!("wget: can't connect to remote host ({ip}): Connection refused\n"));
                Flow::Done(1)
            }
            Err(HttpError::Unreachable) => match timeout.filter(|t| *t < SYN_TIMEOUT) {
                Some(limit) => {
                    io.err.push_str("wget: download timed out\n");
                    Flow::Sleep(limit, 1)
                }
                None => {
                    io.err.push_str(&format!(
                        "wget: can't connect to remote host ({ip}): Connection timed out\n"
                    ));
                    Flow::Sleep(SYN_TIMEOUT, 1)
                }
            },
            Err(_) => {
                io.err.push_str("wget: error getting response: Connection reset by peer\n");
                Flow::Done(1)
            }
        }
    }
}

/// Whether a dotted release (`8.9.1`) is at least `major.minor`.
fn version_at_least(version: &str, major: u32, minor: u32) -> bool {
    let mut parts = version.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let (a, b) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    (a, b) >= (major, minor)
}

/// The port a URL names, or its scheme's default.
fn port_of(url: &str) -> u16 {
    port_text(url).parse().unwrap_or(if url.starts_with("https://") { 443 } else { 80 })
}

/// The text after the authority's last `:`, or nothing.
fn port_text(url: &str) -> &str {
    let rest = url.strip_prefix("http://").or_else(|| url.strip_prefix("https://")).unwrap_or(url);
    let authority = rest.split('/').next().unwrap_or(rest);
    authority.rsplit_once(':').map_or("", |(_, p)| p)
}
