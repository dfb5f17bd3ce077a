//! nginx as the official image runs it: the document root and `listen` ports from
//! `/etc/nginx/conf.d/*.conf`, its error log's start-up, reload and shutdown notices, the
//! `combined`-like `main` access log, its own error pages, and `nginx -s`/`-t`/`-v`.

use std::cell::RefCell;
use std::sync::Arc;

use super::{exit, Command, Program, Reaction, Request};
use crate::container::fs::{normalize, Fs};
use crate::container::images::{error_stamp, nginx_version, reason, Site, Sys, Tools};
use crate::container::shell::{Call, Flow, Host, Io};
use crate::container::{HttpOutcome, Millis, Signal};

/// nginx serving files from `root`, as release `version`.
#[derive(Debug)]
pub(crate) struct Nginx {
    version: Box<str>,
    root: Box<str>,
}

/// nginx's configuration as read: the ports it listens on and its document root.
type Conf = (Vec<u16>, String);

/// The last reading of nginx's configuration, with the file system generation it was read at:
/// starting nginx reads the configuration several times (ports, then root).
#[derive(Clone, Debug, Default)]
pub(crate) struct ConfCache(RefCell<Option<(u64, Conf)>>);

impl ConfCache {
    /// `listen` ports and `root` from nginx's site configuration (defaults 80 and the html dir).
    fn get(&self, fs: &Fs) -> Conf {
        let generation = fs.generation();
        if let Some((at, conf)) = &*self.0.borrow() {
            if *at == generation {
                return conf.clone();
            }
        }
        let conf = read_conf(fs);
        *self.0.borrow_mut() = Some((generation, conf.clone()));
        conf
    }
}

fn read_conf(fs: &Fs) -> Conf {
    let mut ports = Vec::new();
    let mut root = None;
    if let Ok(names) = fs.list("/etc/nginx/conf.d") {
        for (name, is_dir) in names {
            if is_dir || !name.ends_with(".conf") {
                continue;
            }
            let Ok(text) = fs.read(&format!("/etc/nginx/conf.d/{name}")) else { continue };
            let mut words = conf_words(text);
            while let Some(w) = words.next() {
                match w {
                    "listen" => {
                        if let Some(p) =
                            words.next().and_then(|v| v.rsplit(':').next()).and_then(|v| v.parse().ok())
                        {
                            if !ports.contains(&p) {
                                ports.push(p);
                            }
                        }
                    }
                    "root" if root.is_none() => root = words.next().map(|r| normalize("/etc/nginx", r)),
                    _ => {}
                }
            }
        }
    }
    if ports.is_empty() {
        ports.push(80);
    }
    (ports, root.unwrap_or_else(|| "/usr/share/nginx/html".to_string()))
}

/// The words of an nginx configuration file, without comments (a `#` that starts a word comments
/// out the rest of the line); `;` ends a word as whitespace does. Works on bytes: every nginx start
/// reads its configuration.
fn conf_words(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        loop {
            while i < bytes.len() && (bytes[i].is_ascii_whitespace() || bytes[i] == b';') {
                i += 1;
            }
            if i >= bytes.len() {
                return None;
            }
            if bytes[i] == b'#' {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            let start = i;
            while i < bytes.len() && !(bytes[i].is_ascii_whitespace() || bytes[i] == b';') {
                i += 1;
            }
            // Word boundaries are ASCII bytes, so the slice stays on character boundaries.
            return Some(&text[start..i]);
        }
    })
}

/// How often nginx tries to bind its listening sockets, and how long it waits in between.
const BIND_TRIES: Millis = 5;
const BIND_RETRY: Millis = 500;

/// The addresses of the `listen` directives on the given ports, as nginx prints them
/// (`listen 80` is `0.0.0.0:80`, `listen [::]:80` stays `[::]:80`), in configuration order.
fn listen_addresses(fs: &Fs, ports: &[u16]) -> Vec<String> {
    let mut out = Vec::new();
    let names = fs.list("/etc/nginx/conf.d").unwrap_or_default();
    for (name, is_dir) in names {
        if is_dir || !name.ends_with(".conf") {
            continue;
        }
        let Ok(text) = fs.read(&format!("/etc/nginx/conf.d/{name}")) else { continue };
        let mut words = conf_words(text);
        while let Some(w) = words.next() {
            if w != "listen" {
                continue;
            }
            let Some(value) = words.next() else { break };
            let Some(port) = value.rsplit(':').next().and_then(|p| p.parse::<u16>().ok()) else { continue };
            if !ports.contains(&port) {
                continue;
            }
            let address = if value.contains(':') { value.to_string() } else { format!("0.0.0.0:{port}") };
            if !out.contains(&address) {
                out.push(address);
            }
        }
    }
    if out.is_empty() {
        out.extend(ports.iter().map(|p| format!("0.0.0.0:{p}")));
    }
    out
}

/// What the official image's `/docker-entrypoint.sh` prints before it starts nginx.
pub(crate) const ENTRYPOINT_LOG: &str =
    "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n\
    /docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n\
    /docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n\
    10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n\
    10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n\
    /docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
    /docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n\
    /docker-entrypoint.sh: Configuration complete; ready for start up";

/// nginx's own error page (`ngx_http_special_response.c`).
fn error_page(version: &str, status: u16) -> String {
    let title = format!("{status} {}", reason(status));
    format!(
        "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n"
    )
}

impl Program for Nginx {
    fn name(&self) -> &'static str {
        "nginx"
    }

    fn ports(&self, sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        sys.nginx_conf.get(&sys.fs).0
    }

    fn startup_log(&self, _sys: &Sys, _ports: &[u16], at: Millis) -> Option<String> {
        let stamp = error_stamp(at);
        let version = &self.version;
        Some(format!(
            "{stamp} [notice] 1#1: using the \"epoll\" event method\n{stamp} [notice] 1#1: nginx/{version}\n\
             {stamp} [notice] 1#1: OS: Linux 5.15.0-153-generic\n{stamp} [notice] 1#1: start worker processes\n\
             {stamp} [notice] 1#1: start worker process 29"
        ))
    }

    /// TERM/INT fast shutdown, QUIT graceful shutdown, HUP reload; exit 0 (nginx's
    /// "Controlling nginx" documentation).
    fn react(&self, signal: Signal) -> Reaction {
        match signal {
            Signal::Term | Signal::Int => exit(0, 5),
            Signal::Quit => exit(0, 20),
            Signal::Hup => Reaction::Reload,
            _ => Reaction::Ignore,
        }
    }

    fn reload(&self, sys: &mut Sys, server: usize, at: Millis) {
        let (ports, root) = sys.nginx_conf.get(&sys.fs);
        sys.servers[server].ports = ports;
        sys.servers[server].program = Arc::new(Nginx { version: self.version.clone(), root: root.into() });
        let stamp = error_stamp(at);
        sys.log(at, &format!("{stamp} [notice] 1#1: signal 1 (SIGHUP) received from 29, reconfiguring"));
    }

    fn shutdown_log(&self, signal: Signal, at: Millis) -> Option<String> {
        let stamp = error_stamp(at);
        let name = super::signal_name(signal);
        let what = if signal == Signal::Quit { "gracefully shutting down" } else { "exiting" };
        Some(format!("{stamp} [notice] 1#1: signal {} ({name}) received, {what}", signal.number()))
    }

    fn serve(&self, sys: &mut Sys, _server: usize, r: &Request) -> HttpOutcome {
        let site = Site { error_page: &|status| error_page(&self.version, status), list_directories: false };
        let outcome = sys.static_file(&self.root, r.path, r.port, &site);
        if let HttpOutcome::Response { status: 404, .. } = outcome {
            let stamp = error_stamp(r.now);
            let file = normalize(&self.root, &r.path[1..]);
            let host = match r.host {
                Some(host) => host.to_string(),
                None => format!("{}:{}", sys.config.pod_ip, r.port),
            };
            let line = format!(
                "{stamp} [error] 29#29: *{} open() \"{file}\" failed (2: No such file or directory), client: {}, server: localhost, request: \"{} {} HTTP/1.1\", host: \"{host}\"",
                sys.requests, r.client, r.method, r.raw_path
            );
            sys.push_log(r.now, line);
        }
        sys.access_log(r.now, r.client, r.method, r.raw_path, &outcome, r.ua, true);
        outcome
    }

    /// `ngx_open_listening_sockets` (`src/core/ngx_connection.c`): five rounds 500 ms apart,
    /// each logging every listening socket whose `bind()` fails and a notice, then a last
    /// `still could not bind()` and exit 1. Emergencies go to the error log (the image links it
    /// to stderr) and again to the console as `nginx: [emerg] …` (`src/core/ngx_log.c`). The
    /// errno text is the C library's: glibc's on the Debian images, musl's on `-alpine` (the musl
    /// wording is unverified, as `world-semantics.md` says).
    fn bind_failure(&self, sys: &Sys, taken: &[u16], at: Millis) -> (Vec<(Millis, String)>, Millis) {
        let errno = if sys.tools() == Tools::Busybox { "Address in use" } else { "Address already in use" };
        let addresses = listen_addresses(&sys.fs, taken);
        let mut lines = Vec::new();
        for round in 0..BIND_TRIES {
            let t = at + round * BIND_RETRY;
            let stamp = error_stamp(t);
            for a in &addresses {
                lines.push((t, format!("{stamp} [emerg] 1#1: bind() to {a} failed (98: {errno})\n")));
                lines.push((t, format!("nginx: [emerg] bind() to {a} failed (98: {errno})\n")));
            }
            lines.push((t, format!("{stamp} [notice] 1#1: try again to bind() after 500ms\n")));
        }
        let end = at + BIND_TRIES * BIND_RETRY;
        let stamp = error_stamp(end);
        lines.push((
            end,
            format!("{stamp} [emerg] 1#1: still could not bind()\nnginx: [emerg] still could not bind()\n"),
        ));
        (lines, end - at)
    }

    fn bind_error(&self, port: u16, at: Millis) -> String {
        let stamp = error_stamp(at);
        format!("{stamp} [emerg] 1#1: bind() to 0.0.0.0:{port} failed (98: Address already in use)\nnginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)\n")
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["nginx", "nginx-debug"], available: |sys, _| sys.ships("nginx"), run }];

/// `nginx [-g 'daemon off;'] [-s SIGNAL] [-t] [-v]`.
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let args = &argv[1..];
    let version = nginx_version(&sys.config.image_ref);
    let running = sys.server_running("nginx");
    if let Some(pos) = args.iter().position(|a| a == "-s") {
        let Some(i) = running else {
            io.err.push_str(&format!("{} [notice] 40#40: signal process started\n{} [error] 40#40: open() \"/run/nginx.pid\" failed (2: No such file or directory)\nnginx: [error] open() \"/run/nginx.pid\" failed (2: No such file or directory)\n", error_stamp(call.at), error_stamp(call.at)));
            return Some(Flow::Done(1));
        };
        io.err.push_str(&format!("{} [notice] 40#40: signal process started\n", error_stamp(call.at)));
        let signal = match args.get(pos + 1).map(String::as_str) {
            Some("reload") => Signal::Hup,
            Some("quit") => Signal::Quit,
            Some("stop") => Signal::Term,
            Some("reopen") => Signal::Usr1,
            other => {
                io.err.push_str(&format!("nginx: invalid option: \"-s {}\"\n", other.unwrap_or("")));
                return Some(Flow::Done(1));
            }
        };
        if sys.servers[i].pid == 1 {
            if signal == Signal::Hup {
                sys.reload(i, call.at);
            } else if signal != Signal::Usr1 {
                sys.pid1_signal = Some((signal, call.at));
            }
        } else {
            let pid = i64::from(sys.servers[i].pid);
            let _ = sys.kill(pid, signal, call.at);
        }
        return Some(Flow::Done(0));
    }
    if args.iter().any(|a| a == "-v" || a == "-V") {
        io.err.push_str(&format!("nginx version: nginx/{version}\n"));
        return Some(Flow::Done(0));
    }
    if args.iter().any(|a| a == "-t" || a == "-T") {
        io.err.push_str("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n");
        return Some(Flow::Done(0));
    }
    let foreground = args.windows(2).any(|w| w[0] == "-g" && w[1].replace(' ', "").contains("daemonoff;"));
    let (_, root) = sys.nginx_conf.get(&sys.fs);
    let program = Arc::new(Nginx { version: version.into(), root: root.into() });
    let argv: Vec<String> = std::iter::once("nginx".to_string()).chain(args.iter().cloned()).collect();
    Some(if foreground {
        sys.launch(program, &argv, call)
    } else {
        // Without `daemon off;` nginx forks into the background and the command returns.
        sys.launch(program, &argv, &Call { background: true, replace: false, ..call.clone() })
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn nginx_configuration_words_skip_comments() {
        let conf = "server {\n    listen       8080;\n    #listen 9090;\n    # root /wrong;\n    root   /srv/www; # trailing\n    location /a#b { }\n}\n";
        let words: Vec<&str> = super::conf_words(conf).collect();
        assert_eq!(
            words,
            ["server", "{", "listen", "8080", "root", "/srv/www", "location", "/a#b", "{", "}", "}"]
        );
    }
}
