//! The image catalogue and the running container instance.
//!
//! An image reference (`nginx:1.20.2-alpine`, `docker.io/httpd`, `registry.k8s.io/liveness`) is
//! resolved to a catalogue entry by its repository's last path component, ignoring registry and
//! tag; the tag still matters where the real images differ by version (nginx's STOPSIGNAL and
//! welcome page, Tomcat's default web apps, `-alpine` variants' BusyBox tools). Each entry gives
//! the image's entrypoint and default command, its files, its tools, its size and its stop signal.
//!
//! Programs that serve (nginx, httpd, the liveness server, Redis, ...) are [`Server`]s: they listen
//! on ports from the moment they are ready, answer HTTP/TCP/gRPC, write access logs where the real
//! server does, and react to signals as the real program does when it is PID 1.

use std::sync::Arc;

use super::fs::{normalize, Fs, Lookup, Seed};
use super::shell::{self, Call, Dialect, Flow, Host, Io, Process, Program, State};
use super::*;

/// The catalogue entry an image reference resolves to.
#[derive(Debug)]
pub struct Image {
    /// The repository names (last path component) this entry answers to.
    pub names: &'static [&'static str],
    /// `ENTRYPOINT` and `CMD` of the real image.
    pub entrypoint: &'static [&'static str],
    pub cmd: &'static [&'static str],
    pub tools: Tools,
    /// Programs of the image besides its tools.
    pub programs: &'static [&'static str],
    pub layers: &'static [&'static [Seed]],
    pub workdir: &'static str,
    pub size: u64,
    pub stop_signal: Signal,
}

/// The tools an image ships.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tools {
    /// BusyBox: `sh` is ash, `wget` is there, `curl` and `bash` are not.
    Busybox,
    /// Debian or Ubuntu: GNU coreutils, `sh` is dash, `bash` is there.
    Debian,
    /// CentOS: GNU coreutils, `sh` is bash.
    Centos,
    /// No shell and no tools (images built `FROM scratch` or distroless).
    None,
}

/// The catalogue entry for an image reference; unknown images get the generic entry.
pub fn lookup(image: &str) -> &'static Image {
    let name = repository(image);
    CATALOGUE.iter().find(|i| i.names.contains(&name)).unwrap_or(&GENERIC)
}

/// The image size in bytes, for `Pulled` events. Unknown images get a stable size derived from
/// their name.
pub fn image_size(image: &str) -> u64 {
    let entry = lookup(image);
    if !std::ptr::eq(entry, &GENERIC) {
        if alpine_tag(image) && repository(image) == "nginx" {
            return 20_431_588;
        }
        return entry.size;
    }
    let hash = crate::fnv::fnv64(image.as_bytes());
    20_000_000 + hash % 180_000_000
}

/// The repository's last path component, lower-cased, without tag or digest.
fn repository(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split(':').next().unwrap_or(last)
}

fn tag(image: &str) -> &str {
    let no_digest = image.split('@').next().unwrap_or(image);
    let last = no_digest.rsplit('/').next().unwrap_or(no_digest);
    last.split_once(':').map(|(_, t)| t).unwrap_or("latest")
}

fn alpine_tag(image: &str) -> bool {
    tag(image).contains("alpine")
}

/// The `major.minor` version a tag starts with, if any (`1.20.2-alpine` → (1, 20)).
fn tag_version(image: &str) -> Option<(u32, u32)> {
    let t = tag(image);
    let mut it = t.split(|c: char| !c.is_ascii_digit());
    let major = it.next()?.parse().ok()?;
    let minor = it.next().and_then(|m| m.parse().ok()).unwrap_or(0);
    Some((major, minor))
}

/// The nginx release an image tag stands for (`latest` is the mainline of September 2025).
fn nginx_version(image: &str) -> String {
    let t = tag(image);
    let v: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    match v.split('.').count() {
        3 => v,
        2 => format!("{v}.0"),
        _ => "1.29.1".to_string(),
    }
}

/// A program that listens: what it is and how it behaves.
#[derive(Clone, Debug, PartialEq)]
pub enum ServerKind {
    /// nginx serving files from `root` on `ports` (read from `/etc/nginx/conf.d/default.conf`).
    Nginx {
        version: Arc<str>,
        root: Arc<str>,
    },
    Httpd,
    /// The probe docs' liveness server: `/healthz` is 200 for 10 s after start, then 500.
    Liveness,
    Redis,
    Tomcat {
        version: Arc<str>,
    },
    Etcd,
    Goproxy,
    NodeExporter,
    /// agnhost `netexec`, `serve-hostname`, `test-webserver`, `grpc-health-checking`, `pause`.
    Agnhost(&'static str),
    /// `inetd` started by `/etc/init.d/openbsd-inetd start`: telnet on 23.
    Inetd,
    /// A Spring Boot style Java application.
    JavaApp,
    Nacos,
    /// `registry.k8s.io/pause`.
    Pause,
    /// An unknown image's process: accepts TCP and answers HTTP 200 on the declared ports.
    Generic,
}

/// A running server process.
#[derive(Clone, Debug)]
pub struct Server {
    pub kind: ServerKind,
    pub pid: u32,
    pub started: Millis,
    /// Ports are accepted from this instant on (the program's start-up time).
    pub ready_at: Millis,
    pub ports: Vec<u16>,
    /// A graceful shutdown in progress: when it ends and with which exit code.
    pub stopping: Option<(Millis, i32)>,
    pub command: String,
}

/// How a PID-1 program reacts to a signal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reaction {
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

impl ServerKind {
    fn react(&self, signal: Signal) -> Reaction {
        use Signal::*;
        let exit = |code, after| Reaction::Exit { code, after, signal: None };
        match self {
            // Go programs without signal handlers: the runtime exits with status 2 on SIGTERM,
            // SIGINT, SIGHUP and SIGQUIT (it cannot re-raise them as PID 1); others are ignored.
            ServerKind::Liveness
            | ServerKind::Goproxy
            | ServerKind::NodeExporter
            | ServerKind::Agnhost(_)
            | ServerKind::Generic => match (self, signal) {
                (ServerKind::Agnhost("pause"), Term | Int) => exit(0, 0),
                (_, Term | Int | Hup | Quit) => exit(2, 0),
                _ => Reaction::Ignore,
            },
            // nginx: TERM/INT fast shutdown, QUIT graceful shutdown, HUP reload; exit 0.
            ServerKind::Nginx { .. } => match signal {
                Term | Int => exit(0, 5),
                Quit => exit(0, 20),
                Hup => Reaction::Reload,
                _ => Reaction::Ignore,
            },
            // httpd: WINCH graceful stop, TERM/INT stop, HUP/USR1 restart.
            ServerKind::Httpd => match signal {
                Winch => exit(0, 20),
                Term | Int => exit(0, 10),
                Hup | Usr1 => Reaction::Reload,
                _ => Reaction::Ignore,
            },
            // Redis saves nothing (no persistence configured) and exits 0 on TERM/INT.
            ServerKind::Redis => match signal {
                Term | Int => exit(0, 5),
                _ => Reaction::Ignore,
            },
            // The JVM runs its shutdown hooks and exits with 128 + the signal number.
            ServerKind::Tomcat { .. } | ServerKind::JavaApp | ServerKind::Nacos => match signal {
                Term => exit(143, 500),
                Int => exit(130, 500),
                Hup => exit(129, 500),
                _ => Reaction::Ignore,
            },
            // etcd's interrupt handler stops the server and, as PID 1, exits 0.
            ServerKind::Etcd => match signal {
                Term | Int => exit(0, 50),
                _ => Reaction::Ignore,
            },
            ServerKind::Inetd => match signal {
                Term | Int => exit(0, 0),
                Hup => Reaction::Reload,
                _ => Reaction::Ignore,
            },
            ServerKind::Pause => match signal {
                Term | Int => exit(0, 0),
                _ => Reaction::Ignore,
            },
        }
    }

    /// How long the program takes to start listening.
    fn startup(&self) -> Millis {
        match self {
            ServerKind::Tomcat { .. } => 1_500,
            ServerKind::JavaApp => 8_000,
            ServerKind::Nacos => 15_000,
            _ => 0,
        }
    }
}

/// The main process.
#[derive(Clone, Debug)]
enum Main {
    /// A script or a plain command run through the shell machinery.
    Script(Box<Process>),
    /// A server is PID 1 (its entry in `Sys::servers` has pid 1).
    Server,
    Exited,
}

/// nginx's configuration as read: the ports it listens on and its document root.
type NginxConf = (Vec<u16>, String);

/// One container instance.
#[derive(Clone, Debug)]
pub struct Instance {
    main: Main,
    sys: Sys,
    exit: Option<ExitStatus>,
}

/// Everything but the main process: what the shell reaches through [`Host`].
#[derive(Clone, Debug)]
struct Sys {
    image: &'static Image,
    config: Arc<Shared>,
    fs: Fs,
    servers: Vec<Server>,
    logs: Arc<Vec<LogRecord>>,
    /// The request lines of the latest access-log entries, shared by the entries that repeat them.
    recent_requests: Vec<Arc<RequestLine>>,
    /// Image files recently served with 200, valid while the file system's generation is theirs:
    /// a probe asks for the same page every few seconds.
    recent_files: Vec<ServedFile>,
    /// The last reading of nginx's configuration (ports and root), with the file system generation
    /// it was read at.
    nginx_conf_read: std::cell::RefCell<Option<(u64, NginxConf)>>,
    next_pid: u32,
    /// Requests served, for nginx's connection numbers in error logs.
    requests: u64,
    /// Output of an exec being captured (stdout, stderr); `None` sends output to the logs.
    capture: Option<(String, String)>,
    /// Set when a process inside the container asked PID 1 to stop (`kill 1`, `nginx -s quit`).
    pid1_signal: Option<(Signal, Millis)>,
}

/// The parts of the configuration every clone shares.
#[derive(Debug)]
struct Shared {
    image_ref: String,
    env: Vec<(String, String)>,
    ports: Vec<u16>,
    pod_ip: String,
    hostname: String,
    /// The address probes come from: the node's side of the pod network (`10.244.1.1`).
    gateway: String,
    command_line: String,
}

/// How long an exec without a timeout may run before it is reported as timed out.
pub const EXEC_LIMIT: Millis = 3_600_000;

impl Instance {
    pub fn start(config: &ContainerConfig, now: Millis) -> Instance {
        let image = lookup(&config.image);
        let env = expand_env(config);
        let argv = container_argv(image, config, &env);
        let gateway = match config.pod_ip.rsplit_once('.') {
            Some((net, _)) => format!("{net}.1"),
            None => "10.244.1.1".to_string(),
        };
        let mut vars = vec![
            ("PATH".to_string(), "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".to_string()),
            ("HOSTNAME".to_string(), config.hostname.clone()),
            ("HOME".to_string(), "/root".to_string()),
        ];
        vars.extend(env.iter().cloned());
        let shared = Shared {
            image_ref: config.image.clone(),
            env: vars,
            ports: config
                .ports
                .iter()
                .filter(|p| p.protocol.is_empty() || p.protocol == "TCP")
                .map(|p| p.port)
                .collect(),
            pod_ip: config.pod_ip.clone(),
            hostname: config.hostname.clone(),
            gateway,
            command_line: argv.join(" "),
        };
        let mut fs = Fs::new(layers_for(&config.image));
        if image.tools != Tools::None {
            let _ = fs.write("/etc/hostname", &format!("{}\n", config.hostname), false);
        }
        if repository(&config.image) == "myapp" {
            let _ = fs.write("/usr/share/nginx/html/hostname.html", &format!("{}\n", config.hostname), false);
        }
        // Volumes are mounted before the main process starts, hiding what the image had there.
        for (path, tree) in &config.volumes {
            fs.replace_tree(&normalize("/", path), tree);
        }
        let mut sys = Sys {
            image,
            config: Arc::new(shared),
            fs,
            servers: Vec::new(),
            logs: Arc::new(Vec::new()),
            recent_requests: Vec::new(),
            recent_files: Vec::new(),
            nginx_conf_read: std::cell::RefCell::new(None),
            next_pid: 7,
            requests: 0,
            capture: None,
            pid1_signal: None,
        };
        let mut inst = if argv.is_empty() {
            // The runtime refuses to create a container with nothing to run.
            sys.log(now, "exec: no command specified");
            Instance { main: Main::Exited, sys, exit: Some(ExitStatus { code: 128, at: now, signal: None }) }
        } else {
            let dialect = sys.dialect_for("sh");
            let process = Process::new(
                Program::from_argv(&argv),
                "sh",
                dialect,
                sys.config.env.clone(),
                image.workdir,
                now,
            );
            Instance { main: Main::Script(Box::new(process)), sys, exit: None }
        };
        inst.advance(now);
        inst
    }

    pub fn advance(&mut self, now: Millis) {
        if self.exit.is_some() {
            return;
        }
        // Servers finishing a graceful shutdown.
        let mut i = 0;
        while i < self.sys.servers.len() {
            match self.sys.servers[i].stopping {
                Some((at, code)) if at <= now => {
                    let server = self.sys.servers.remove(i);
                    if server.pid == 1 {
                        self.finish(code, at, None);
                        return;
                    }
                }
                _ => i += 1,
            }
        }
        if let Main::Script(process) = &mut self.main {
            process.run(&mut self.sys, now);
            match process.state().clone() {
                State::Exited(code) => {
                    let at = process.clock().min(now);
                    self.finish(code, at, None);
                    return;
                }
                State::Replaced => self.main = Main::Server,
                _ => {}
            }
        }
        if let Some((signal, at)) = self.sys.pid1_signal.take() {
            self.deliver(signal, at, true);
        }
    }

    /// Brings the container up to just before `now`: an interaction at an instant sees the state
    /// before the container's own actions at that instant (the kubelet's same-second ordering).
    fn settle(&mut self, now: Millis) {
        if now > 0 {
            self.advance(now - 1);
        }
    }

    pub fn next_wake(&self) -> Option<Millis> {
        if self.exit.is_some() {
            return None;
        }
        let script = match &self.main {
            Main::Script(p) => p.next_wake(),
            _ => None,
        };
        let stops = self.sys.servers.iter().filter_map(|s| s.stopping.map(|(at, _)| at)).min();
        match (script, stops) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    pub fn exit_status(&self) -> Option<&ExitStatus> {
        self.exit.as_ref()
    }

    pub fn exec(&mut self, argv: &[String], now: Millis, timeout: Option<Millis>) -> ExecResult {
        self.settle(now);
        if self.exit.is_some() || argv.is_empty() {
            return ExecResult {
                exit_code: 126,
                output: "OCI runtime exec failed: exec failed: cannot exec in a stopped container: unknown\n"
                    .to_string(),
                duration: 0,
                timed_out: false,
            };
        }
        let limit = timeout.unwrap_or(EXEC_LIMIT);
        let deadline = now.saturating_add(limit);
        let dialect = self.sys.dialect_for("sh");
        let mut process = Process::new(
            Program::from_argv(argv),
            "sh",
            dialect,
            self.sys.config.env.clone(),
            self.sys.image.workdir,
            now,
        );
        self.sys.capture = Some((String::new(), String::new()));
        // Everything up to the deadline runs now; a run that spends its instruction budget (busy
        // loops) is resumed a bounded number of times.
        let mut rounds = 0;
        let (code, end, timed_out) = loop {
            process.run(&mut self.sys, deadline);
            rounds += 1;
            match process.state() {
                State::Exited(code) => break (*code, process.clock().max(now), false),
                State::Ready if rounds < 20 && process.clock() <= deadline => {}
                _ => break (-1, deadline, true),
            }
        };
        let end = if timed_out { deadline } else { end.min(deadline) };
        let code = if timed_out { -1 } else { code };
        let (out, err) = self.sys.capture.take().unwrap_or_default();
        let mut output = out;
        output.push_str(&err);
        // What the command did to the container takes effect now.
        if let Some((signal, _)) = self.sys.pid1_signal.take() {
            self.deliver(signal, now, true);
        }
        ExecResult { exit_code: code, output, duration: end - now, timed_out }
    }

    pub fn http(&mut self, request: &HttpRequest, now: Millis) -> HttpOutcome {
        self.settle(now);
        if self.exit.is_some() {
            return HttpOutcome::Refused;
        }
        let ua = request
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("user-agent"))
            .map(|(_, v)| v.as_str())
            .unwrap_or("-");
        let config = Arc::clone(&self.sys.config);
        self.sys.serve(request.port, "GET", &request.path, ua, &config.gateway, now)
    }

    pub fn tcp_connect(&mut self, port: u16, now: Millis) -> TcpOutcome {
        self.settle(now);
        if self.exit.is_none() && self.sys.listener(port, now).is_some() {
            TcpOutcome::Connected
        } else {
            TcpOutcome::Refused
        }
    }

    pub fn grpc_health(&mut self, port: u16, service: &str, now: Millis) -> GrpcOutcome {
        self.settle(now);
        if self.exit.is_some() {
            return GrpcOutcome::Refused;
        }
        match self.sys.listener(port, now).map(|i| &self.sys.servers[i].kind) {
            None => GrpcOutcome::Refused,
            Some(ServerKind::Etcd) if port == 2379 => {
                GrpcOutcome::Status(if service.is_empty() { "SERVING" } else { "SERVICE_UNKNOWN" }.into())
            }
            Some(ServerKind::Agnhost("grpc-health-checking")) if port == 5000 => {
                if service.is_empty() {
                    GrpcOutcome::Status("SERVING".into())
                } else {
                    GrpcOutcome::Status("SERVICE_UNKNOWN".into())
                }
            }
            Some(_) => GrpcOutcome::Unimplemented,
        }
    }

    pub fn signal(&mut self, signal: Signal, now: Millis) {
        self.advance(now);
        self.deliver(signal, now, false);
    }

    pub fn stop_signal(&self) -> Signal {
        stop_signal_of(&self.sys.config.image_ref)
    }

    pub fn logs(&self) -> Vec<LogLine> {
        self.sys.logs.iter().map(LogRecord::render).collect()
    }

    pub fn files(&self) -> Vec<FileEntry> {
        self.sys.fs.entries()
    }

    pub fn volume_tree(&self, dir: &str) -> Vec<(String, Option<String>)> {
        self.sys.fs.tree(dir)
    }

    pub fn mount_tree(&mut self, dir: &str, tree: &[(String, Option<String>)]) {
        self.sys.fs.replace_tree(dir, tree)
    }

    /// Delivers a signal to PID 1. `inside` marks a signal sent from within the container
    /// (`kill 1`), which the contract lets end a shell that a real kernel would protect.
    fn deliver(&mut self, signal: Signal, now: Millis, inside: bool) {
        if self.exit.is_some() {
            return;
        }
        let n = signal.number();
        if signal == Signal::Kill {
            self.finish(128 + n, now, Some(n));
            return;
        }
        match &mut self.main {
            Main::Script(process) => {
                // A shell as PID 1 has no default action for signals: without a trap the kernel
                // drops them. Only the contract's `kill 1` from inside ends it.
                if !process.signal(signal) && inside {
                    self.finish(128 + n, now, Some(n));
                } else {
                    self.advance(now);
                }
            }
            Main::Server => {
                let Some(i) = self.sys.servers.iter().position(|s| s.pid == 1) else { return };
                match self.sys.servers[i].kind.react(signal) {
                    Reaction::Ignore => {}
                    Reaction::Reload => self.sys.reload(i, now),
                    Reaction::Exit { code, after, signal } => {
                        self.sys.shutdown_log(i, signal_name(n), now);
                        if after == 0 {
                            self.finish(code, now, signal);
                        } else if self.sys.servers[i].stopping.is_none() {
                            self.sys.servers[i].stopping = Some((now + after, code));
                        }
                    }
                }
            }
            Main::Exited => {}
        }
    }

    fn finish(&mut self, code: i32, at: Millis, signal: Option<i32>) {
        self.main = Main::Exited;
        self.sys.servers.clear();
        self.exit = Some(ExitStatus { code, at, signal });
    }
}

fn signal_name(n: i32) -> &'static str {
    match n {
        1 => "SIGHUP",
        2 => "SIGINT",
        3 => "SIGQUIT",
        10 => "SIGUSR1",
        15 => "SIGTERM",
        28 => "SIGWINCH",
        _ => "SIGKILL",
    }
}

/// The `STOPSIGNAL` of an image: nginx images from 1.19.7 on stop with SIGQUIT (older ones used
/// the default SIGTERM), httpd with SIGWINCH, everything else with SIGTERM.
pub fn stop_signal_of(image: &str) -> Signal {
    let entry = lookup(image);
    if repository(image) == "nginx" {
        return match tag_version(image) {
            Some((1, minor)) if minor < 20 => Signal::Term,
            _ => Signal::Quit,
        };
    }
    entry.stop_signal
}

/// Expands `$(VAR)` in env values against earlier entries, as the kubelet does.
fn expand_env(config: &ContainerConfig) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::with_capacity(config.env.len());
    for (k, v) in &config.env {
        let value = expand_refs(v, &out);
        out.push((k.clone(), value));
    }
    out
}

/// Kubernetes' `$(VAR)` expansion: `$$` escapes, unknown references stay as written.
pub fn expand_refs(text: &str, env: &[(String, String)]) -> String {
    if !text.contains('$') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        if let Some(tail) = after.strip_prefix('$') {
            out.push('$');
            rest = tail;
        } else if let Some(inner) = after.strip_prefix('(') {
            match inner.find(')') {
                Some(end) => {
                    let name = &inner[..end];
                    match env.iter().rev().find(|(k, _)| k == name) {
                        Some((_, v)) => out.push_str(v),
                        None => {
                            out.push_str("$(");
                            out.push_str(name);
                            out.push(')');
                        }
                    }
                    rest = &inner[end + 1..];
                }
                None => {
                    out.push_str("$(");
                    rest = inner;
                }
            }
        } else {
            out.push('$');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The process the runtime starts: `command` replaces the entrypoint, `args` replace the
/// default command (and an explicit `command` drops the default command).
fn container_argv(image: &Image, config: &ContainerConfig, env: &[(String, String)]) -> Vec<String> {
    let x = |v: &[String]| v.iter().map(|a| expand_refs(a, env)).collect::<Vec<_>>();
    let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match (config.command.is_empty(), config.args.is_empty()) {
        (false, _) => [x(&config.command), x(&config.args)].concat(),
        (true, false) => [owned(image.entrypoint), x(&config.args)].concat(),
        (true, true) => [owned(image.entrypoint), owned(image.cmd)].concat(),
    }
}

impl Sys {
    fn log(&mut self, at: Millis, text: &str) {
        let logs = Arc::make_mut(&mut self.logs);
        for line in text.lines() {
            logs.push(LogRecord::Line(LogLine { at, text: line.to_string() }));
        }
    }

    /// The image's tools, with `-alpine` tags bringing BusyBox.
    fn tools(&self) -> Tools {
        if alpine_tag(&self.config.image_ref) && self.image.tools != Tools::None {
            Tools::Busybox
        } else {
            self.image.tools
        }
    }

    fn dialect_for(&self, shell: &str) -> Dialect {
        match (self.tools(), shell) {
            (Tools::Busybox, _) => Dialect::Busybox,
            (Tools::Debian, "sh") => Dialect::Dash,
            _ => Dialect::Bash,
        }
    }

    /// The index of the server accepting connections on `port` at `now`.
    fn listener(&self, port: u16, now: Millis) -> Option<usize> {
        self.servers.iter().position(|s| s.ready_at <= now && s.ports.contains(&port))
    }

    fn start_server(
        &mut self,
        kind: ServerKind,
        pid1: bool,
        at: Millis,
        command: String,
        env: &[(String, String)],
    ) {
        let ports = self.ports_of(&kind, env, &command);
        let pid = if pid1 {
            1
        } else {
            self.next_pid += 1;
            self.next_pid
        };
        self.startup_log(&kind, &ports, at);
        let ready_at = at + kind.startup();
        self.servers.push(Server { kind, pid, started: at, ready_at, ports, stopping: None, command });
    }

    fn ports_of(&self, kind: &ServerKind, env: &[(String, String)], command: &str) -> Vec<u16> {
        match kind {
            ServerKind::Nginx { .. } => self.nginx_conf().0,
            ServerKind::Httpd => vec![80],
            ServerKind::Liveness | ServerKind::Goproxy => vec![8080],
            ServerKind::Redis => vec![6379],
            ServerKind::Tomcat { .. } => vec![8080, 8005],
            ServerKind::Etcd => vec![2379, 2380],
            ServerKind::NodeExporter => vec![9100],
            ServerKind::Agnhost(sub) => match *sub {
                "netexec" => vec![
                    flag_port(command, "--http-port").unwrap_or(8080),
                    flag_port(command, "--udp-port").unwrap_or(8081),
                ],
                "serve-hostname" => vec![flag_port(command, "--port").unwrap_or(9376)],
                "grpc-health-checking" => vec![
                    flag_port(command, "--port").unwrap_or(5000),
                    flag_port(command, "--http-port").unwrap_or(8080),
                ],
                "test-webserver" => vec![flag_port(command, "--port").unwrap_or(80)],
                "liveness" => vec![8080],
                _ => Vec::new(),
            },
            ServerKind::Inetd => vec![23],
            ServerKind::JavaApp => {
                let from_env = env.iter().find(|(k, _)| k == "SERVER_PORT").and_then(|(_, v)| v.parse().ok());
                let from_arg = flag_port(command, "--server.port");
                match from_arg.or(from_env) {
                    Some(p) => vec![p],
                    None if !self.config.ports.is_empty() => self.config.ports.clone(),
                    None => vec![8080],
                }
            }
            ServerKind::Nacos => vec![8848, 9848, 9849, 7848],
            ServerKind::Pause => Vec::new(),
            ServerKind::Generic => self.config.ports.clone(),
        }
    }

    /// `listen` ports and `root` from nginx's site configuration (defaults 80 and the html dir).
    fn nginx_conf(&self) -> NginxConf {
        // Starting nginx reads the configuration several times (ports, then root); the file system's
        // generation says whether the last reading still holds.
        let generation = self.fs.generation();
        if let Some((at, conf)) = &*self.nginx_conf_read.borrow() {
            if *at == generation {
                return conf.clone();
            }
        }
        let conf = self.read_nginx_conf();
        *self.nginx_conf_read.borrow_mut() = Some((generation, conf.clone()));
        conf
    }

    fn read_nginx_conf(&self) -> NginxConf {
        let mut ports = Vec::new();
        let mut root = None;
        if let Ok(names) = self.fs.list("/etc/nginx/conf.d") {
            for (name, is_dir) in names {
                if is_dir || !name.ends_with(".conf") {
                    continue;
                }
                let Ok(text) = self.fs.read(&format!("/etc/nginx/conf.d/{name}")) else { continue };
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

    fn reload(&mut self, i: usize, now: Millis) {
        if let ServerKind::Nginx { .. } = self.servers[i].kind {
            let (ports, root) = self.nginx_conf();
            self.servers[i].ports = ports;
            if let ServerKind::Nginx { root: r, .. } = &mut self.servers[i].kind {
                *r = Arc::from(root.as_str());
            }
            let stamp = error_stamp(now);
            self.log(
                now,
                &format!("{stamp} [notice] 1#1: signal 1 (SIGHUP) received from 29, reconfiguring"),
            );
        }
    }

    fn startup_log(&mut self, kind: &ServerKind, ports: &[u16], at: Millis) {
        let stamp = error_stamp(at);
        let text = match kind {
            ServerKind::Nginx { version, .. } => format!(
                "{stamp} [notice] 1#1: using the \"epoll\" event method\n{stamp} [notice] 1#1: nginx/{version}\n\
                 {stamp} [notice] 1#1: OS: Linux 5.15.0-153-generic\n{stamp} [notice] 1#1: start worker processes\n\
                 {stamp} [notice] 1#1: start worker process 29"
            ),
            ServerKind::Httpd => {
                let t = apache_stamp(at);
                let ip = &self.config.pod_ip;
                format!(
                    "AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message\n\
                     AH00558: httpd: Could not reliably determine the server's fully qualified domain name, using {ip}. Set the 'ServerName' directive globally to suppress this message\n\
                     [{t}] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations\n\
                     [{t}] [core:notice] [pid 1:tid 1] AH00094: Command line: 'httpd -D FOREGROUND'"
                )
            }
            ServerKind::Redis => {
                let t = strftime_ms("%d %b %Y %H:%M:%S", at);
                format!(
                    "1:C {t} # oO0OoO0OoO0Oo Redis is starting oO0OoO0OoO0Oo\n1:M {t} * Running mode=standalone, port=6379.\n1:M {t} * Server initialized\n1:M {t} * Ready to accept connections tcp"
                )
            }
            ServerKind::Tomcat { version } => {
                let t = strftime_ms("%d-%b-%Y %H:%M:%S.000", at);
                let done = strftime_ms("%d-%b-%Y %H:%M:%S.000", at + kind.startup());
                format!(
                    "{t} INFO [main] org.apache.catalina.startup.VersionLoggerListener.log Server version name:   Apache Tomcat/{version}\n\
                     {t} INFO [main] org.apache.coyote.AbstractProtocol.init Initializing ProtocolHandler [\"http-nio-8080\"]\n\
                     {done} INFO [main] org.apache.catalina.startup.Catalina.start Server startup in [1500] milliseconds"
                )
            }
            ServerKind::JavaApp => {
                let t = strftime_ms("%Y-%m-%d %H:%M:%S.000", at);
                let port = ports.first().copied().unwrap_or(8080);
                format!(
                    "{t}  INFO 1 --- [           main] com.example.Application                  : Starting Application using Java 17.0.12 with PID 1\n\
                     {t}  INFO 1 --- [           main] o.s.b.w.embedded.tomcat.TomcatWebServer  : Tomcat initialized with port {port} (http)"
                )
            }
            ServerKind::Nacos => "         ,--.'|\n       Nacos 2.4.3\n Running in stand alone mode, All function modules".to_string(),
            ServerKind::Etcd => {
                let t = strftime_ms("%Y-%m-%dT%H:%M:%S.000Z", at);
                format!("{{\"level\":\"info\",\"ts\":\"{t}\",\"caller\":\"embed/serve.go:98\",\"msg\":\"ready to serve client requests\"}}")
            }
            ServerKind::NodeExporter => {
                let t = strftime_ms("%Y-%m-%dT%H:%M:%S.000Z", at);
                format!("ts={t} caller=node_exporter.go:199 level=info msg=\"Listening on\" address=:9100")
            }
            ServerKind::Agnhost("netexec") => format!("Started HTTP server on port {}", ports.first().copied().unwrap_or(8080)),
            ServerKind::Agnhost("serve-hostname") => format!("Serving on port {}.", ports.first().copied().unwrap_or(9376)),
            ServerKind::Pause | ServerKind::Agnhost("pause") => "Paused".to_string(),
            _ => return,
        };
        self.log(at, &text);
    }

    fn shutdown_log(&mut self, i: usize, signal: &str, at: Millis) {
        let text = match &self.servers[i].kind {
            ServerKind::Nginx { .. } => {
                let stamp = error_stamp(at);
                let what = if signal == "SIGQUIT" { "gracefully shutting down" } else { "exiting" };
                format!("{stamp} [notice] 1#1: signal {} ({signal}) received, {what}", signal_number(signal))
            }
            ServerKind::Httpd => {
                let t = apache_stamp(at);
                if signal == "SIGWINCH" {
                    format!("[{t}] [mpm_event:notice] [pid 1:tid 1] AH00492: caught SIGWINCH, shutting down gracefully")
                } else {
                    format!("[{t}] [mpm_event:notice] [pid 1:tid 1] AH00491: caught SIGTERM, shutting down")
                }
            }
            ServerKind::Redis => {
                let t = strftime_ms("%d %b %Y %H:%M:%S", at);
                format!("1:signal-handler ({}) Received {signal} scheduling shutdown...\n1:M {t} # Redis is now ready to exit, bye bye...", (crate::api::EPOCH_UNIX_SECONDS as u64) + at / 1000)
            }
            _ => return,
        };
        self.log(at, &text);
    }

    /// Answers an HTTP request on `port`.
    fn serve(
        &mut self,
        port: u16,
        method: &str,
        raw_path: &str,
        ua: &str,
        client: &str,
        now: Millis,
    ) -> HttpOutcome {
        let Some(i) = self.listener(port, now) else { return HttpOutcome::Refused };
        self.requests += 1;
        let path = raw_path.split(['?', '#']).next().unwrap_or("/");
        let path = if path.starts_with('/') { path } else { "/" };
        let ok = |body: &str| HttpOutcome::Response {
            status: 200,
            body: body.to_string().into(),
            location: None,
            latency: 0,
        };
        let status_body = |status: u16, body: &str| HttpOutcome::Response {
            status,
            body: body.to_string().into(),
            location: None,
            latency: 0,
        };
        let kind = self.servers[i].kind.clone();
        match kind {
            ServerKind::Nginx { version, root } => {
                let outcome = self.static_file(&root, path, port, Flavor::Nginx(&version));
                if let HttpOutcome::Response { status: 404, .. } = outcome {
                    let stamp = error_stamp(now);
                    let file = normalize(&root, &path[1..]);
                    let line = format!(
                        "{stamp} [error] 29#29: *{} open() \"{file}\" failed (2: No such file or directory), client: {client}, server: localhost, request: \"{method} {raw_path} HTTP/1.1\", host: \"{}:{port}\"",
                        self.requests, self.config.pod_ip
                    );
                    self.push_log(now, line);
                }
                self.access_log(now, client, method, raw_path, &outcome, ua, true);
                outcome
            }
            ServerKind::Httpd => {
                let outcome = self.static_file("/usr/local/apache2/htdocs", path, port, Flavor::Httpd);
                self.access_log(now, client, method, raw_path, &outcome, ua, false);
                outcome
            }
            ServerKind::Tomcat { version } => {
                let old = version.starts_with('7') || version.starts_with('8');
                let root = "/usr/local/tomcat/webapps/ROOT";
                if old && (path == "/" || path == "/index.jsp") && !self.fs.is_file(&format!("{root}/index.html")) {
                    return ok(&format!("<!DOCTYPE html>\n<html lang=\"en\">\n<head><title>Apache Tomcat/{version}</title></head>\n<body><h1>Apache Tomcat/{version}</h1>\n<p>If you're seeing this, you've successfully installed Tomcat. Congratulations!</p></body>\n</html>\n"));
                }
                self.static_file(root, path, port, Flavor::Tomcat(&version))
            }
            ServerKind::Liveness | ServerKind::Agnhost("liveness") => {
                let elapsed = (now - self.servers[i].started) as f64 / 1000.0;
                match path {
                    "/healthz" if elapsed > 10.0 => status_body(500, &format!("error: {elapsed}")),
                    "/healthz" => ok("ok"),
                    "/started" => ok(&format!("{elapsed}")),
                    "/redirect" => {
                        let loc = raw_path.split_once("loc=").map(|(_, l)| l.to_string()).unwrap_or_else(|| "/".to_string());
                        HttpOutcome::Response { status: 302, body: "".into(), location: Some(loc), latency: 0 }
                    }
                    _ => status_body(404, "404 page not found\n"),
                }
            }
            ServerKind::Goproxy => status_body(500, "This is a proxy server. Does not respond to non-proxy requests.\n"),
            ServerKind::NodeExporter => match path {
                "/metrics" => ok("# HELP node_load1 1m load average.\n# TYPE node_load1 gauge\nnode_load1 0.21\n"),
                "/" => ok("<html>\n<head><title>Node Exporter</title></head>\n<body>\n<h1>Node Exporter</h1>\n<p><a href=\"/metrics\">Metrics</a></p>\n</body>\n</html>\n"),
                _ => status_body(404, "404 page not found\n"),
            },
            ServerKind::Etcd => match path {
                "/health" | "/livez" | "/readyz" => ok("{\"health\":\"true\",\"reason\":\"\"}"),
                "/version" => ok("{\"etcdserver\":\"3.5.1\",\"etcdcluster\":\"3.5.0\"}"),
                "/metrics" => ok("# HELP etcd_server_has_leader Whether or not a leader exists.\netcd_server_has_leader 1\n"),
                _ => status_body(404, "404 page not found\n"),
            },
            ServerKind::Agnhost(sub) => match (sub, path) {
                ("serve-hostname", _) => ok(&self.config.hostname.clone()),
                ("netexec", "/hostname") => ok(&self.config.hostname.clone()),
                ("netexec", "/healthz") | ("netexec", "/") => ok("ok"),
                ("netexec", "/echo") => ok(raw_path.split_once("msg=").map(|(_, m)| m).unwrap_or("")),
                ("grpc-health-checking", _) => ok("ok"),
                ("test-webserver", "/") => ok("It works!"),
                _ => status_body(404, "404 page not found\n"),
            },
            ServerKind::JavaApp => {
                if path.starts_with("/actuator/health") {
                    ok("{\"status\":\"UP\"}")
                } else {
                    ok("")
                }
            }
            ServerKind::Nacos => match path {
                "/nacos/v1/console/health/readiness" | "/nacos/v1/console/health/liveness" => ok("OK"),
                p if p.starts_with("/nacos") => ok("ok"),
                _ => status_body(404, "{\"timestamp\":\"2025-09-01T09:00:00.000+00:00\",\"status\":404,\"error\":\"Not Found\",\"path\":\"/\"}"),
            },
            // Redis, telnetd and the pause process do not speak HTTP: the connection is closed
            // without a response.
            ServerKind::Redis | ServerKind::Inetd | ServerKind::Pause => {
                if matches!(kind, ServerKind::Redis) {
                    let t = strftime_ms("%d %b %Y %H:%M:%S", now);
                    self.push_log(now, format!("1:M {t} # Possible SECURITY ATTACK detected. It looks like somebody is sending POST or Host: commands to Redis. This is likely due to an attacker attempting to use Cross Protocol Scripting to compromise your Redis instance. Connection from {client}:40000 aborted."));
                }
                HttpOutcome::NoResponse
            }
            ServerKind::Generic => ok(""),
        }
    }

    fn static_file(&mut self, root: &str, path: &str, port: u16, flavor: Flavor) -> HttpOutcome {
        let generation = self.fs.generation();
        if let Some(hit) = self
            .recent_files
            .iter()
            .find(|f| f.generation == generation && &*f.path == path && &*f.root == root)
        {
            return HttpOutcome::Response { status: 200, body: hit.body.into(), location: None, latency: 0 };
        }
        let outcome = self.resolve_static_file(root, path, port, flavor);
        if let HttpOutcome::Response { status: 200, body: std::borrow::Cow::Borrowed(body), .. } = &outcome {
            self.recent_files.retain(|f| f.generation == generation);
            remember(
                &mut self.recent_files,
                ServedFile { generation, root: root.into(), path: path.into(), body },
            );
        }
        outcome
    }

    fn resolve_static_file(&self, root: &str, path: &str, port: u16, flavor: Flavor) -> HttpOutcome {
        let mut file = join_path(root, path);
        let inside = file.strip_prefix(root).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
        let page = |status| HttpOutcome::Response {
            status,
            body: error_page(flavor, status).into(),
            location: None,
            latency: 0,
        };
        if !inside {
            return page(404);
        }
        match self.fs.lookup(&file) {
            Some(Lookup::File(body)) => {
                HttpOutcome::Response { status: 200, body, location: None, latency: 0 }
            }
            Some(Lookup::Dir) if !path.ends_with('/') => {
                let location = format!("http://{}:{port}{path}/", self.config.pod_ip);
                HttpOutcome::Response {
                    status: 301,
                    body: error_page(flavor, 301).into(),
                    location: Some(location),
                    latency: 0,
                }
            }
            Some(Lookup::Dir) => {
                let dir_len = file.len();
                if !file.ends_with('/') {
                    file.push('/');
                }
                file.push_str("index.html");
                match (self.fs.lookup(&file), flavor) {
                    (Some(Lookup::File(body)), _) => {
                        HttpOutcome::Response { status: 200, body, location: None, latency: 0 }
                    }
                    (_, Flavor::Httpd) => {
                        // httpd's default configuration lists directories without an index.
                        file.truncate(dir_len);
                        let names = self.fs.list(&file).unwrap_or_default();
                        let mut body = format!("<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of {path}</title>\n </head>\n <body>\n<h1>Index of {path}</h1>\n<ul>");
                        for (n, _) in names {
                            body.push_str(&format!("<li><a href=\"{n}\"> {n}</a></li>\n"));
                        }
                        body.push_str("</ul>\n</body></html>\n");
                        HttpOutcome::Response { status: 200, body: body.into(), location: None, latency: 0 }
                    }
                    _ => page(403),
                }
            }
            None => page(404),
        }
    }

    /// nginx's `combined`-like main format and httpd's `common` format.
    #[allow(clippy::too_many_arguments)]
    fn access_log(
        &mut self,
        now: Millis,
        client: &str,
        method: &str,
        path: &str,
        outcome: &HttpOutcome,
        ua: &str,
        nginx: bool,
    ) {
        let (status, bytes) = match outcome {
            HttpOutcome::Response { status, body, .. } => (*status, body.len()),
            _ => return,
        };
        // Every probe of a web server writes one line, so the line is kept as data and only
        // formatted when someone reads the logs; its repeating part is shared with earlier lines.
        let same = |r: &RequestLine| {
            &*r.path == path
                && &*r.client == client
                && &*r.ua == ua
                && &*r.method == method
                && r.nginx == nginx
        };
        let request = match self.recent_requests.iter().position(|r| same(r)) {
            Some(i) => Arc::clone(&self.recent_requests[i]),
            None => {
                let line = Arc::new(RequestLine {
                    client: client.into(),
                    method: method.into(),
                    path: path.into(),
                    ua: ua.into(),
                    nginx,
                });
                remember(&mut self.recent_requests, Arc::clone(&line));
                line
            }
        };
        let logs = Arc::make_mut(&mut self.logs);
        if logs.len() >= MAX_LOG_LINES {
            logs.drain(..MAX_LOG_LINES / 2);
        }
        logs.push(LogRecord::Access(AccessRecord {
            at: now,
            status,
            bytes: bytes.min(u32::MAX as usize) as u32,
            request,
        }));
    }

    fn push_log(&mut self, at: Millis, text: String) {
        Arc::make_mut(&mut self.logs).push(LogRecord::Line(LogLine { at, text }));
    }

    fn server_running(&self, pred: impl Fn(&ServerKind) -> bool) -> Option<usize> {
        self.servers.iter().position(|s| pred(&s.kind) && s.stopping.is_none())
    }

    /// Starts a server program; in the foreground it either replaces the shell or keeps it waiting.
    fn launch(&mut self, kind: ServerKind, argv: &[String], call: &Call) -> Flow {
        let pid1 = call.replace
            && !call.background
            && self.capture.is_none()
            && !self.servers.iter().any(|s| s.pid == 1);
        let conflict = self
            .ports_of(&kind, call.env, &argv.join(" "))
            .into_iter()
            .find(|p| self.servers.iter().any(|s| s.ports.contains(p)));
        if let Some(port) = conflict {
            let stamp = error_stamp(call.at);
            let msg = match kind {
                ServerKind::Nginx { .. } => format!("{stamp} [emerg] 1#1: bind() to 0.0.0.0:{port} failed (98: Address already in use)\nnginx: [emerg] bind() to 0.0.0.0:{port} failed (98: Address already in use)\n"),
                _ => format!("listen tcp :{port}: bind: address already in use\n"),
            };
            self.write(&msg, true, call.at);
            return Flow::Done(1);
        }
        self.start_server(kind, pid1, call.at, argv.join(" "), call.env);
        if pid1 {
            Flow::Replaced
        } else if call.background {
            Flow::Done(0)
        } else {
            Flow::Forever
        }
    }

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
        match self.serve(port, method, path, ua, "127.0.0.1", at) {
            HttpOutcome::Response { status, body, .. } => Ok((status, body.into_owned())),
            HttpOutcome::Refused => Err(HttpError::Refused(host.to_string(), port)),
            HttpOutcome::NoResponse => Err(HttpError::Empty),
        }
    }

    fn curl(&mut self, args: &[String], io: &mut Io, at: Millis) -> Flow {
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

    fn wget(&mut self, args: &[String], io: &mut Io, at: Millis) -> Flow {
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

enum HttpError {
    Refused(String, u16),
    Resolve(String),
    Empty,
    BadUrl,
}

#[derive(Clone, Copy)]
enum Flavor<'a> {
    Nginx(&'a str),
    Httpd,
    Tomcat(&'a str),
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        302 => "Found",
        403 => "Forbidden",
        404 => "Not Found",
        500 => "Internal Server Error",
        _ => "Unknown",
    }
}

/// The server's own error page for a status.
/// The file a request path names under a document root: `normalize(root, path)`, built in one
/// allocation (with room for `/index.html`) when neither has anything to resolve, which is every
/// probe's case.
fn join_path(root: &str, path: &str) -> String {
    // Absolute, without empty, `.` or `..` segments (a trailing slash is fine).
    let clean = |p: &str| {
        let p = p.as_bytes();
        if p.first() != Some(&b'/') {
            return false;
        }
        let mut i = 0;
        while i < p.len() {
            let start = i + 1;
            let end = p[start..].iter().position(|&b| b == b'/').map_or(p.len(), |n| start + n);
            match &p[start..end] {
                b"." | b".." => return false,
                b"" if end < p.len() => return false,
                _ => {}
            }
            i = end;
        }
        true
    };
    if !(clean(root) && !root.ends_with('/') && clean(path)) {
        return normalize(root, &path[1..]);
    }
    let rest = path.trim_end_matches('/');
    let mut file = String::with_capacity(root.len() + rest.len() + "/index.html".len());
    file.push_str(root);
    file.push_str(rest);
    file
}

fn error_page(flavor: Flavor, status: u16) -> String {
    let title = format!("{status} {}", reason(status));
    match flavor {
        Flavor::Nginx(version) => format!(
            "<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n<center><h1>{title}</h1></center>\r\n<hr><center>nginx/{version}</center>\r\n</body>\r\n</html>\r\n"
        ),
        Flavor::Httpd => {
            let text = match status {
                404 => "<p>The requested URL was not found on this server.</p>",
                403 => "<p>You don't have permission to access this resource.</p>",
                _ => "<p>The document has moved.</p>",
            };
            format!("<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>{title}</title>\n</head><body>\n<h1>{}</h1>\n{text}\n</body></html>\n", reason(status))
        }
        Flavor::Tomcat(version) => format!(
            "<!doctype html><html lang=\"en\"><head><title>HTTP Status {status} – {}</title></head><body><h1>HTTP Status {status} – {}</h1><hr class=\"line\" /><h3>Apache Tomcat/{version}</h3></body></html>",
            reason(status), reason(status)
        ),
    }
}

fn flag_port(command: &str, flag: &str) -> Option<u16> {
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

fn signal_number(name: &str) -> i32 {
    shell::parse_signal(name).map(Signal::number).unwrap_or(15)
}

fn secs(at: Millis) -> i64 {
    crate::api::EPOCH_UNIX_SECONDS + (at / 1000) as i64
}

fn strftime_ms(fmt: &str, at: Millis) -> String {
    shell::tools::strftime(fmt, secs(at))
}

/// nginx's error-log time: `2025/09/01 09:00:05`.
fn error_stamp(at: Millis) -> String {
    strftime_ms("%Y/%m/%d %H:%M:%S", at)
}

/// httpd's error-log time: `Mon Sep 01 09:00:00.000000 2025`.
fn apache_stamp(at: Millis) -> String {
    let base = strftime_ms("%a %b %d %H:%M:%S", at);
    format!("{base}.{:06} {}", (at % 1000) * 1000, shell::tools::civil(secs(at)).0)
}

impl Host for Sys {
    fn fs(&mut self) -> &mut Fs {
        &mut self.fs
    }

    fn fs_ref(&self) -> &Fs {
        &self.fs
    }

    fn gnu(&self) -> bool {
        matches!(self.tools(), Tools::Debian | Tools::Centos)
    }

    fn dialect(&self, shell: &str) -> Dialect {
        self.dialect_for(shell)
    }

    fn missing_program_status(&self) -> i32 {
        if self.capture.is_some() {
            126
        } else {
            128
        }
    }

    fn has_tools(&self) -> bool {
        self.image.tools != Tools::None
    }

    fn has_bash(&self) -> bool {
        self.gnu()
    }

    fn hostname(&self) -> &str {
        &self.config.hostname
    }

    fn program(&mut self, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
        let name = argv[0].as_str();
        let base = name.rsplit('/').next().unwrap_or(name);
        let args = &argv[1..];
        let has = |p: &str| self.image.programs.contains(&p);
        let image_name = repository(&self.config.image_ref).to_string();
        Some(match base {
            "docker-entrypoint.sh" if has("docker-entrypoint.sh") => {
                if args.is_empty() {
                    return Some(Flow::Done(0));
                }
                if image_name == "nginx" && matches!(args[0].as_str(), "nginx" | "nginx-debug") {
                    self.log(call.at, "/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration\n\
                        /docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/\n\
                        /docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh\n\
                        10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf\n\
                        10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf\n\
                        /docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh\n\
                        /docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh\n\
                        /docker-entrypoint.sh: Configuration complete; ready for start up");
                }
                Flow::Exec(args.to_vec())
            }
            "nginx" | "nginx-debug" if has("nginx") => self.nginx(args, io, call),
            "httpd-foreground" if has("httpd") => self.launch(ServerKind::Httpd, argv, call),
            "httpd" | "apachectl" if has("httpd") => {
                if args.iter().any(|a| a == "-k") {
                    match args.iter().skip_while(|a| *a != "-k").nth(1).map(String::as_str) {
                        Some("stop" | "graceful-stop") => {
                            self.pid1_signal = Some((
                                if args.iter().any(|a| a == "graceful-stop") {
                                    Signal::Winch
                                } else {
                                    Signal::Term
                                },
                                call.at,
                            ));
                            Flow::Done(0)
                        }
                        _ => Flow::Done(0),
                    }
                } else if args.iter().any(|a| a == "-v") {
                    io.out.push_str(
                        "Server version: Apache/2.4.65 (Unix)\nServer built:   Jul 24 2025 00:00:00\n",
                    );
                    Flow::Done(0)
                } else {
                    self.launch(ServerKind::Httpd, argv, call)
                }
            }
            "server" if has("server") => self.launch(ServerKind::Liveness, argv, call),
            "goproxy" if has("goproxy") => self.launch(ServerKind::Goproxy, argv, call),
            "node_exporter" if has("node_exporter") => self.launch(ServerKind::NodeExporter, argv, call),
            "etcd" if has("etcd") => self.launch(ServerKind::Etcd, argv, call),
            "pause" if has("pause") => self.launch(ServerKind::Pause, argv, call),
            "redis-server" if has("redis-server") => self.launch(ServerKind::Redis, argv, call),
            "redis-cli" if has("redis-cli") => {
                let listening = self.listener(6379, call.at).is_some();
                let cmd: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).collect();
                if !listening {
                    io.err.push_str("Could not connect to Redis at 127.0.0.1:6379: Connection refused\n");
                    return Some(Flow::Done(1));
                }
                match cmd.first().map(|c| c.to_ascii_lowercase()).as_deref() {
                    Some("ping") | None => io.out.push_str("PONG\n"),
                    Some("quit") => io.out.push_str("OK\n"),
                    Some("set") => io.out.push_str("OK\n"),
                    Some("get") => io.out.push('\n'),
                    Some("info") => {
                        io.out.push_str("# Server\r\nredis_version:8.2.1\r\nredis_mode:standalone\r\n")
                    }
                    Some("shutdown") => {
                        if let Some(i) = self.server_running(|k| *k == ServerKind::Redis) {
                            if self.servers[i].pid == 1 {
                                self.pid1_signal = Some((Signal::Term, call.at));
                            } else {
                                self.servers.remove(i);
                            }
                        }
                    }
                    Some(other) => io.out.push_str(&format!(
                        "(error) ERR unknown command '{other}', with args beginning with: \n"
                    )),
                }
                Flow::Done(0)
            }
            "catalina.sh" if has("catalina.sh") => {
                let version: Arc<str> = Arc::from(tomcat_version(&self.config.image_ref));
                match args.first().map(String::as_str) {
                    Some("run") => self.launch(
                        ServerKind::Tomcat { version },
                        argv,
                        &Call { replace: true, ..call.clone() },
                    ),
                    Some("start") => self.launch(
                        ServerKind::Tomcat { version },
                        argv,
                        &Call { background: true, ..call.clone() },
                    ),
                    Some("stop") => match self.server_running(|k| matches!(k, ServerKind::Tomcat { .. })) {
                        Some(i) => {
                            // The shutdown port makes the JVM stop cleanly: it exits 0 about a second later.
                            self.servers[i].stopping = Some((call.at + 1_000, 0));
                            Flow::Sleep(1_000, 0)
                        }
                        None => {
                            io.err.push_str("Sep 01, 2025 9:00:00 AM org.apache.catalina.startup.Catalina stopServer\nSEVERE: Could not contact [localhost:8005] (base port [8005] and offset [0]). Tomcat may not be running.\n");
                            Flow::Done(1)
                        }
                    },
                    Some("version") => {
                        io.out.push_str(&format!(
                            "Server version: Apache Tomcat/{}\n",
                            tomcat_version(&self.config.image_ref)
                        ));
                        Flow::Done(0)
                    }
                    _ => {
                        io.err.push_str("Usage: catalina.sh ( commands ... )\n");
                        Flow::Done(1)
                    }
                }
            }
            "java" if has("java") => {
                if args.iter().any(|a| a == "-version" || a == "--version") {
                    io.err.push_str("openjdk version \"17.0.12\" 2024-07-16\n");
                    Flow::Done(0)
                } else if args.iter().any(|a| a == "-jar" || a.ends_with(".jar")) || !args.is_empty() {
                    self.launch(ServerKind::JavaApp, argv, call)
                } else {
                    io.err.push_str("Usage: java [options] <mainclass> [args...]\n");
                    Flow::Done(1)
                }
            }
            "docker-startup.sh" if has("docker-startup.sh") => self.launch(ServerKind::Nacos, argv, call),
            "agnhost" if has("agnhost") => self.agnhost(argv, io, call),
            "curl" if has("curl") => self.curl(args, io, call.at),
            "wget" if self.tools() == Tools::Busybox || has("wget") => self.wget(args, io, call.at),
            "apt-get" | "apt" if self.tools() == Tools::Debian => self.apt(args, io),
            "yum" | "dnf" if self.image.tools == Tools::Centos => {
                if args.first().map(String::as_str) == Some("install") {
                    io.out.push_str("Loaded plugins: fastestmirror, ovl\nComplete!\n");
                    Flow::Sleep(8_000, 0)
                } else {
                    Flow::Sleep(3_000, 0)
                }
            }
            "apk" if self.tools() == Tools::Busybox && (image_name != "busybox") => {
                io.out.push_str("OK: 8 MiB in 16 packages\n");
                Flow::Sleep(2_000, 0)
            }
            "openbsd-inetd" | "inetd" if name.starts_with("/etc/init.d/") || base == "inetd" => {
                let script = "/etc/init.d/openbsd-inetd";
                if base == "openbsd-inetd" && !self.fs.is_file(script) {
                    return None;
                }
                if base == "inetd" && !self.fs.is_file("/usr/sbin/inetd") {
                    return None;
                }
                match args.first().map(String::as_str) {
                    Some("start") | None => {
                        io.out.push_str("Starting internet superserver: inetd.\n");
                        if self.server_running(|k| *k == ServerKind::Inetd).is_none() {
                            let _ = self.launch(
                                ServerKind::Inetd,
                                argv,
                                &Call { background: true, replace: false, ..call.clone() },
                            );
                        }
                        Flow::Done(0)
                    }
                    Some("stop") => {
                        io.out.push_str("Stopping internet superserver: inetd.\n");
                        self.servers.retain(|s| s.kind != ServerKind::Inetd);
                        Flow::Done(0)
                    }
                    _ => {
                        io.out.push_str("Usage: /etc/init.d/openbsd-inetd {start|stop|reload|restart|force-reload|status}\n");
                        Flow::Done(1)
                    }
                }
            }
            _ => {
                // An unknown image's own program: its configured command runs as its server.
                if std::ptr::eq(self.image, &GENERIC)
                    && !call.background
                    && call.replace
                    && !is_shell_tool(base)
                {
                    return Some(self.launch(ServerKind::Generic, argv, call));
                }
                return None;
            }
        })
    }

    fn kill(&mut self, pid: i64, signal: Signal, at: Millis) -> Result<(), String> {
        if pid == 1 {
            self.pid1_signal = Some((signal, at));
            return Ok(());
        }
        let Some(i) = self.servers.iter().position(|s| i64::from(s.pid) == pid) else {
            return Err("No such process".to_string());
        };
        match (signal, self.servers[i].kind.react(signal)) {
            (Signal::Kill, _) | (_, Reaction::Exit { after: 0, .. }) => {
                self.servers.remove(i);
            }
            (_, Reaction::Exit { after, code, .. }) => self.servers[i].stopping = Some((at + after, code)),
            (_, Reaction::Reload) => self.reload(i, at),
            (_, Reaction::Ignore) => {}
        }
        Ok(())
    }

    fn processes(&self) -> Vec<(u32, String)> {
        let mut out = Vec::new();
        if !self.servers.iter().any(|s| s.pid == 1) {
            out.push((1, self.config.command_line.clone()));
        }
        for s in &self.servers {
            out.push((s.pid, s.command.clone()));
        }
        out.sort();
        out
    }

    fn write(&mut self, text: &str, stderr: bool, at: Millis) {
        match &mut self.capture {
            Some((out, err)) => {
                let buf = if stderr { err } else { out };
                if buf.len() < 1 << 20 {
                    buf.push_str(text);
                }
            }
            None => {
                let logs = Arc::make_mut(&mut self.logs);
                // Kubernetes keeps a bounded log; past it the oldest lines are rotated away.
                if logs.len() >= MAX_LOG_LINES {
                    logs.drain(..MAX_LOG_LINES / 2);
                }
                for line in text.lines() {
                    logs.push(LogRecord::Line(LogLine { at, text: line.to_string() }));
                }
            }
        }
    }
}

/// The most log lines a container keeps (rotation stands in for the kubelet's 10 MiB limit).
pub const MAX_LOG_LINES: usize = 100_000;

/// One log line as stored: plain text, or an access-log entry formatted on reading.
#[derive(Clone, Debug)]
enum LogRecord {
    Line(LogLine),
    Access(AccessRecord),
}

/// One access-log entry: what varies per request, and the request line it shares with the other
/// requests of the same client, method, path and user agent (every run of one probe).
#[derive(Clone, Debug)]
struct AccessRecord {
    at: Millis,
    status: u16,
    bytes: u32,
    request: Arc<RequestLine>,
}

/// The fields of an access-log line that repeat from request to request.
#[derive(Debug, PartialEq, Eq)]
struct RequestLine {
    client: Box<str>,
    method: Box<str>,
    path: Box<str>,
    ua: Box<str>,
    nginx: bool,
}

/// An image file a request path under a document root resolved to.
#[derive(Clone, Debug)]
struct ServedFile {
    generation: u64,
    root: Box<str>,
    path: Box<str>,
    body: &'static str,
}

/// How many distinct request lines (and served files) a container remembers for reuse: a pod's
/// probes and a few clients; a miss only costs an allocation.
const RECENT_REQUEST_LINES: usize = 4;

/// Adds an item to a short list of recent ones, forgetting the oldest beyond the limit.
fn remember<T>(recent: &mut Vec<T>, item: T) {
    if recent.len() >= RECENT_REQUEST_LINES {
        recent.remove(0);
    }
    recent.push(item);
}

impl LogRecord {
    /// The line as the server writes it (nginx's combined format, or httpd's common format).
    fn render(&self) -> LogLine {
        let (a, r) = match self {
            LogRecord::Line(l) => return l.clone(),
            LogRecord::Access(a) => (a, &*a.request),
        };
        use std::fmt::Write;
        let (y, mo, d, h, mi, s, _) = shell::tools::civil(secs(a.at));
        let month = shell::tools::MONTHS[(mo - 1) as usize];
        let mut line = String::with_capacity(96 + r.path.len() + r.ua.len());
        let _ = write!(
            line,
            "{} - - [{d:02}/{month}/{y}:{h:02}:{mi:02}:{s:02} +0000] \"{} {} HTTP/1.1\" {} ",
            r.client, r.method, r.path, a.status
        );
        if r.nginx {
            let _ = write!(line, "{} \"-\" \"{}\" \"-\"", a.bytes, r.ua);
        } else if a.bytes == 0 {
            line.push('-');
        } else {
            let _ = write!(line, "{}", a.bytes);
        }
        LogLine { at: a.at, text: line }
    }
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

fn is_shell_tool(name: &str) -> bool {
    matches!(
        name,
        "sh" | "bash"
            | "echo"
            | "sleep"
            | "cat"
            | "touch"
            | "rm"
            | "ls"
            | "true"
            | "false"
            | "test"
            | "["
            | "printf"
            | "mkdir"
            | "kill"
            | "date"
            | "env"
            | "tail"
            | "exit"
            | "exec"
            | "hostname"
    )
}

fn tomcat_version(image: &str) -> String {
    let t = tag(image);
    let v: String = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
    match v.split('.').count() {
        3 => v,
        _ => "11.0.10".to_string(),
    }
}

impl Sys {
    fn nginx(&mut self, args: &[String], io: &mut Io, call: &Call) -> Flow {
        let version = nginx_version(&self.config.image_ref);
        let running = self.server_running(|k| matches!(k, ServerKind::Nginx { .. }));
        if let Some(pos) = args.iter().position(|a| a == "-s") {
            let Some(i) = running else {
                io.err.push_str(&format!("{} [notice] 40#40: signal process started\n{} [error] 40#40: open() \"/run/nginx.pid\" failed (2: No such file or directory)\nnginx: [error] open() \"/run/nginx.pid\" failed (2: No such file or directory)\n", error_stamp(call.at), error_stamp(call.at)));
                return Flow::Done(1);
            };
            io.err.push_str(&format!("{} [notice] 40#40: signal process started\n", error_stamp(call.at)));
            let signal = match args.get(pos + 1).map(String::as_str) {
                Some("reload") => Signal::Hup,
                Some("quit") => Signal::Quit,
                Some("stop") => Signal::Term,
                Some("reopen") => Signal::Usr1,
                other => {
                    io.err.push_str(&format!("nginx: invalid option: \"-s {}\"\n", other.unwrap_or("")));
                    return Flow::Done(1);
                }
            };
            if self.servers[i].pid == 1 {
                if signal == Signal::Hup {
                    self.reload(i, call.at);
                } else if signal != Signal::Usr1 {
                    self.pid1_signal = Some((signal, call.at));
                }
            } else {
                let pid = i64::from(self.servers[i].pid);
                let _ = self.kill(pid, signal, call.at);
            }
            return Flow::Done(0);
        }
        if args.iter().any(|a| a == "-v" || a == "-V") {
            io.err.push_str(&format!("nginx version: nginx/{version}\n"));
            return Flow::Done(0);
        }
        if args.iter().any(|a| a == "-t" || a == "-T") {
            io.err.push_str("nginx: the configuration file /etc/nginx/nginx.conf syntax is ok\nnginx: configuration file /etc/nginx/nginx.conf test is successful\n");
            return Flow::Done(0);
        }
        let foreground =
            args.windows(2).any(|w| w[0] == "-g" && w[1].replace(' ', "").contains("daemonoff;"));
        let (_, root) = self.nginx_conf();
        let kind = ServerKind::Nginx { version: Arc::from(version.as_str()), root: Arc::from(root.as_str()) };
        let argv: Vec<String> = std::iter::once("nginx".to_string()).chain(args.iter().cloned()).collect();
        if foreground {
            self.launch(kind, &argv, call)
        } else {
            // Without `daemon off;` nginx forks into the background and the command returns.
            self.launch(kind, &argv, &Call { background: true, replace: false, ..call.clone() })
        }
    }

    fn agnhost(&mut self, argv: &[String], io: &mut Io, call: &Call) -> Flow {
        let sub = argv.get(1).map(String::as_str).unwrap_or("");
        let known: Option<&'static str> =
            ["netexec", "serve-hostname", "grpc-health-checking", "test-webserver", "pause", "liveness"]
                .into_iter()
                .find(|s| *s == sub);
        match known {
            Some("liveness") => self.launch(ServerKind::Liveness, argv, call),
            Some(s) => self.launch(ServerKind::Agnhost(s), argv, call),
            None if sub.is_empty() => {
                io.out.push_str("Usage:\n  agnhost [command]\n");
                Flow::Done(0)
            }
            None => {
                io.err.push_str(&format!(
                    "Error: unknown command \"{sub}\" for \"agnhost\"\nRun 'agnhost --help' for usage.\n"
                ));
                Flow::Done(1)
            }
        }
    }

    fn apt(&mut self, args: &[String], io: &mut Io) -> Flow {
        match args.iter().find(|a| !a.starts_with('-')).map(String::as_str) {
            Some("update") => {
                io.out.push_str("Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]\nGet:2 http://deb.debian.org/debian bookworm/main amd64 Packages [8792 kB]\nFetched 8943 kB in 3s (2981 kB/s)\nReading package lists...\n");
                Flow::Sleep(3_000, 0)
            }
            Some("install") => {
                let yes = args.iter().any(|a| a == "-y" || a == "--yes" || a == "-qy" || a == "-yq");
                let packages: Vec<&String> = args.iter().filter(|a| !a.starts_with('-')).skip(1).collect();
                io.out.push_str(
                    "Reading package lists...\nBuilding dependency tree...\nReading state information...\n",
                );
                if !yes {
                    io.out.push_str("Do you want to continue? [Y/n] Abort.\n");
                    return Flow::Done(1);
                }
                for p in &packages {
                    io.out.push_str(&format!("Setting up {p} ...\n"));
                    if p.as_str() == "openbsd-inetd" {
                        let _ = self.fs.write("/etc/init.d/openbsd-inetd", "#!/bin/sh\n### BEGIN INIT INFO\n# Provides:          openbsd-inetd\n### END INIT INFO\n", false);
                        let _ = self.fs.write("/usr/sbin/inetd", "\u{7f}ELF", false);
                    }
                    if p.as_str() == "curl" {
                        let _ = self.fs.write("/usr/bin/curl", "\u{7f}ELF", false);
                    }
                }
                Flow::Sleep(5_000 + 1_000 * packages.len() as Millis, 0)
            }
            _ => Flow::Done(0),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The catalogue.

const ELF: &str = "\u{7f}ELF\u{2}\u{1}\u{1}";

static BUSYBOX_BASE: &[Seed] = &[
    ("/bin", None),
    ("/bin/busybox", Some(ELF)),
    ("/bin/sh", Some(ELF)),
    ("/dev", None),
    ("/etc", None),
    ("/etc/group", Some("root:x:0:\n")),
    ("/etc/passwd", Some("root:x:0:0:root:/root:/bin/sh\n")),
    ("/home", None),
    ("/proc", None),
    ("/root", None),
    ("/sys", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/bin", None),
    ("/usr/sbin", None),
    ("/var", None),
    ("/var/log", None),
];

static ALPINE_BASE: &[Seed] = &[
    ("/bin", None),
    ("/bin/busybox", Some(ELF)),
    ("/bin/sh", Some(ELF)),
    ("/dev", None),
    ("/etc", None),
    ("/etc/alpine-release", Some("3.22.1\n")),
    ("/etc/group", Some("root:x:0:root\n")),
    ("/etc/os-release", Some("NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.1\n")),
    ("/etc/passwd", Some("root:x:0:0:root:/root:/bin/sh\n")),
    ("/home", None),
    ("/lib", None),
    ("/proc", None),
    ("/root", None),
    ("/run", None),
    ("/sbin", None),
    ("/sys", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/bin", None),
    ("/usr/local", None),
    ("/usr/local/bin", None),
    ("/usr/sbin", None),
    ("/usr/share", None),
    ("/var", None),
    ("/var/log", None),
];

static DEBIAN_BASE: &[Seed] = &[
    ("/bin", None),
    ("/bin/bash", Some(ELF)),
    ("/bin/cat", Some(ELF)),
    ("/bin/sh", Some(ELF)),
    ("/boot", None),
    ("/dev", None),
    ("/etc", None),
    ("/etc/debian_version", Some("12.11\n")),
    ("/etc/group", Some("root:x:0:\n")),
    ("/etc/init.d", None),
    ("/etc/os-release", Some("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n")),
    ("/etc/passwd", Some("root:x:0:0:root:/root:/bin/bash\n")),
    ("/home", None),
    ("/lib", None),
    ("/proc", None),
    ("/root", None),
    ("/run", None),
    ("/sbin", None),
    ("/sys", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/bin", None),
    ("/usr/local", None),
    ("/usr/local/bin", None),
    ("/usr/sbin", None),
    ("/usr/share", None),
    ("/var", None),
    ("/var/log", None),
];

static UBUNTU_RELEASE: &[Seed] =
    &[("/etc/lsb-release", Some("DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=24.04\nDISTRIB_CODENAME=noble\n"))];

static CENTOS_RELEASE: &[Seed] = &[("/etc/centos-release", Some("CentOS Linux release 7.9.2009 (Core)\n"))];

static NGINX_FILES: &[Seed] = &[
    ("/docker-entrypoint.d", None),
    ("/docker-entrypoint.d/10-listen-on-ipv6-by-default.sh", Some("#!/bin/sh\n")),
    ("/docker-entrypoint.d/20-envsubst-on-templates.sh", Some("#!/bin/sh\n")),
    ("/docker-entrypoint.d/30-tune-worker-processes.sh", Some("#!/bin/sh\n")),
    ("/docker-entrypoint.sh", Some("#!/bin/sh\nset -e\nexec \"$@\"\n")),
    ("/etc/nginx", None),
    ("/etc/nginx/conf.d", None),
    ("/etc/nginx/conf.d/default.conf", Some(NGINX_DEFAULT_CONF)),
    ("/etc/nginx/mime.types", Some("types {\n    text/html html htm shtml;\n    text/css css;\n}\n")),
    ("/etc/nginx/nginx.conf", Some(NGINX_CONF)),
    ("/usr/sbin/nginx", Some(ELF)),
    ("/usr/share/nginx", None),
    ("/usr/share/nginx/html", None),
    ("/var/cache/nginx", None),
    ("/var/log/nginx", None),
    ("/var/log/nginx/access.log", Some("")),
    ("/var/log/nginx/error.log", Some("")),
];

static NGINX_HTML: &[Seed] = &[
    ("/usr/share/nginx/html/50x.html", Some(NGINX_50X)),
    ("/usr/share/nginx/html/index.html", Some(NGINX_INDEX)),
];

static NGINX_HTML_OLD: &[Seed] = &[
    ("/usr/share/nginx/html/50x.html", Some(NGINX_50X)),
    ("/usr/share/nginx/html/index.html", Some(NGINX_INDEX_OLD)),
];

static MYAPP_HTML: &[Seed] = &[(
    "/usr/share/nginx/html/index.html",
    Some("Hello MyApp | Version: v1 | <a href=\"hostname.html\">Pod Name</a>\n"),
)];

static HTTPD_FILES: &[Seed] = &[
    ("/usr/local/apache2", None),
    ("/usr/local/apache2/bin", None),
    ("/usr/local/apache2/bin/httpd", Some(ELF)),
    ("/usr/local/apache2/conf", None),
    ("/usr/local/apache2/conf/httpd.conf", Some("ServerRoot \"/usr/local/apache2\"\nListen 80\nDocumentRoot \"/usr/local/apache2/htdocs\"\nErrorLog /proc/self/fd/2\nCustomLog /proc/self/fd/1 common\n")),
    ("/usr/local/apache2/htdocs", None),
    ("/usr/local/apache2/htdocs/index.html", Some("<html><body><h1>It works!</h1></body></html>\n")),
    ("/usr/local/apache2/logs", None),
    ("/usr/local/bin/httpd-foreground", Some("#!/bin/sh\nset -e\nrm -f /usr/local/apache2/logs/httpd.pid\nexec httpd -DFOREGROUND \"$@\"\n")),
];

static REDIS_FILES: &[Seed] = &[
    ("/data", None),
    ("/usr/local/bin/docker-entrypoint.sh", Some("#!/bin/sh\nset -e\nexec \"$@\"\n")),
    ("/usr/local/bin/redis-cli", Some(ELF)),
    ("/usr/local/bin/redis-server", Some(ELF)),
];

static TOMCAT_FILES: &[Seed] = &[
    ("/usr/local/tomcat", None),
    ("/usr/local/tomcat/bin", None),
    ("/usr/local/tomcat/bin/catalina.sh", Some("#!/usr/bin/env bash\n")),
    ("/usr/local/tomcat/conf", None),
    ("/usr/local/tomcat/conf/server.xml", Some("<Server port=\"8005\" shutdown=\"SHUTDOWN\">\n  <Connector port=\"8080\" protocol=\"HTTP/1.1\" />\n</Server>\n")),
    ("/usr/local/tomcat/logs", None),
    ("/usr/local/tomcat/webapps", None),
];

static TOMCAT_ROOT: &[Seed] = &[
    ("/usr/local/tomcat/webapps/ROOT", None),
    ("/usr/local/tomcat/webapps/ROOT/index.jsp", Some("<%@ page session=\"false\" %>\n")),
];

static SCRATCH_LIVENESS: &[Seed] = &[("/server", Some(ELF))];
static SCRATCH_GOPROXY: &[Seed] = &[("/goproxy", Some(ELF))];
static SCRATCH_PAUSE: &[Seed] = &[("/pause", Some(ELF))];
static ETCD_FILES: &[Seed] = &[
    ("/etc", None),
    ("/tmp", None),
    ("/usr", None),
    ("/usr/local", None),
    ("/usr/local/bin", None),
    ("/usr/local/bin/etcd", Some(ELF)),
    ("/usr/local/bin/etcdctl", Some(ELF)),
    ("/var", None),
    ("/var/lib", None),
    ("/var/lib/etcd", None),
];
static NODE_EXPORTER_FILES: &[Seed] = &[("/bin/node_exporter", Some(ELF))];
static AGNHOST_FILES: &[Seed] = &[("/agnhost", Some(ELF))];
static NACOS_FILES: &[Seed] = &[
    ("/home/nacos", None),
    ("/home/nacos/bin", None),
    ("/home/nacos/bin/docker-startup.sh", Some("#!/bin/bash\n")),
    ("/home/nacos/conf", None),
    (
        "/home/nacos/conf/application.properties",
        Some("server.servlet.contextPath=/nacos\nserver.port=8848\n"),
    ),
    ("/home/nacos/logs", None),
];
static JAVA_FILES: &[Seed] = &[
    ("/opt/java", None),
    ("/opt/java/openjdk", None),
    ("/opt/java/openjdk/bin", None),
    ("/opt/java/openjdk/bin/java", Some(ELF)),
];

const NGINX_DEFAULT_CONF: &str = "server {\n    listen       80;\n    listen  [::]:80;\n    server_name  localhost;\n\n    location / {\n        root   /usr/share/nginx/html;\n        index  index.html index.htm;\n    }\n\n    error_page   500 502 503 504  /50x.html;\n    location = /50x.html {\n        root   /usr/share/nginx/html;\n    }\n}\n";
const NGINX_CONF: &str = "user  nginx;\nworker_processes  auto;\n\nerror_log  /var/log/nginx/error.log notice;\npid        /run/nginx.pid;\n\nevents {\n    worker_connections  1024;\n}\n\nhttp {\n    include       /etc/nginx/mime.types;\n    access_log  /var/log/nginx/access.log  main;\n    include /etc/nginx/conf.d/*.conf;\n}\n";
const NGINX_INDEX: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
const NGINX_INDEX_OLD: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Welcome to nginx!</title>\n<style>\n    body {\n        width: 35em;\n        margin: 0 auto;\n        font-family: Tahoma, Verdana, Arial, sans-serif;\n    }\n</style>\n</head>\n<body>\n<h1>Welcome to nginx!</h1>\n<p>If you see this page, the nginx web server is successfully installed and\nworking. Further configuration is required.</p>\n\n<p>For online documentation and support please refer to\n<a href=\"http://nginx.org/\">nginx.org</a>.<br/>\nCommercial support is available at\n<a href=\"http://nginx.com/\">nginx.com</a>.</p>\n\n<p><em>Thank you for using nginx.</em></p>\n</body>\n</html>\n";
const NGINX_50X: &str = "<!DOCTYPE html>\n<html>\n<head>\n<title>Error</title>\n<style>\nhtml { color-scheme: light dark; }\nbody { width: 35em; margin: 0 auto;\nfont-family: Tahoma, Verdana, Arial, sans-serif; }\n</style>\n</head>\n<body>\n<h1>An error occurred.</h1>\n<p>Sorry, the page you are looking for is currently unavailable.<br/>\nPlease try again later.</p>\n<p>If you are the system administrator of this resource then you should check\nthe error log for details.</p>\n<p><em>Faithfully yours, nginx.</em></p>\n</body>\n</html>\n";

const NONE: &[&str] = &[];

static CATALOGUE: &[Image] = &[
    Image {
        names: &["busybox"],
        entrypoint: NONE,
        cmd: &["sh"],
        tools: Tools::Busybox,
        programs: NONE,
        layers: &[BUSYBOX_BASE],
        workdir: "/",
        size: 2_155_847,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["alpine"],
        entrypoint: NONE,
        cmd: &["/bin/sh"],
        tools: Tools::Busybox,
        programs: NONE,
        layers: &[ALPINE_BASE],
        workdir: "/",
        size: 3_637_284,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["ubuntu"],
        entrypoint: NONE,
        cmd: &["/bin/bash"],
        tools: Tools::Debian,
        programs: NONE,
        layers: &[DEBIAN_BASE, UBUNTU_RELEASE],
        workdir: "/",
        size: 29_724_688,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["debian"],
        entrypoint: NONE,
        cmd: &["bash"],
        tools: Tools::Debian,
        programs: NONE,
        layers: &[DEBIAN_BASE],
        workdir: "/",
        size: 48_486_471,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["centos"],
        entrypoint: NONE,
        cmd: &["/bin/bash"],
        tools: Tools::Centos,
        programs: &["curl"],
        layers: &[DEBIAN_BASE, CENTOS_RELEASE],
        workdir: "/",
        size: 76_097_157,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["nginx"],
        entrypoint: &["/docker-entrypoint.sh"],
        cmd: &["nginx", "-g", "daemon off;"],
        tools: Tools::Debian,
        programs: &["nginx", "curl", "docker-entrypoint.sh"],
        layers: &[DEBIAN_BASE, NGINX_FILES, NGINX_HTML],
        workdir: "/",
        size: 72_319_182,
        stop_signal: Signal::Quit,
    },
    Image {
        names: &["myapp"],
        entrypoint: NONE,
        cmd: &["nginx", "-g", "daemon off;"],
        tools: Tools::Busybox,
        programs: &["nginx"],
        layers: &[ALPINE_BASE, NGINX_FILES, MYAPP_HTML],
        workdir: "/",
        size: 6_298_310,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["httpd"],
        entrypoint: NONE,
        cmd: &["httpd-foreground"],
        tools: Tools::Debian,
        programs: &["httpd"],
        layers: &[DEBIAN_BASE, HTTPD_FILES],
        workdir: "/usr/local/apache2",
        size: 45_153_112,
        stop_signal: Signal::Winch,
    },
    Image {
        names: &["liveness"],
        entrypoint: NONE,
        cmd: &["/server"],
        tools: Tools::None,
        programs: &["server"],
        layers: &[SCRATCH_LIVENESS],
        workdir: "/",
        size: 4_945_529,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["agnhost"],
        entrypoint: &["/agnhost"],
        cmd: &["pause"],
        tools: Tools::Busybox,
        programs: &["agnhost"],
        layers: &[ALPINE_BASE, AGNHOST_FILES],
        workdir: "/",
        size: 51_365_224,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["redis"],
        entrypoint: &["docker-entrypoint.sh"],
        cmd: &["redis-server"],
        tools: Tools::Debian,
        programs: &["redis-server", "redis-cli", "docker-entrypoint.sh"],
        layers: &[DEBIAN_BASE, REDIS_FILES],
        workdir: "/data",
        size: 52_514_637,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["tomcat"],
        entrypoint: NONE,
        cmd: &["catalina.sh", "run"],
        tools: Tools::Debian,
        programs: &["catalina.sh", "java", "curl"],
        layers: &[DEBIAN_BASE, TOMCAT_FILES, TOMCAT_ROOT],
        workdir: "/usr/local/tomcat",
        size: 106_438_722,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["etcd"],
        entrypoint: NONE,
        cmd: &["/usr/local/bin/etcd"],
        tools: Tools::None,
        programs: &["etcd"],
        layers: &[ETCD_FILES],
        workdir: "/",
        size: 98_888_614,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["goproxy"],
        entrypoint: NONE,
        cmd: &["/goproxy"],
        tools: Tools::None,
        programs: &["goproxy"],
        layers: &[SCRATCH_GOPROXY],
        workdir: "/",
        size: 2_603_418,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["node-exporter"],
        entrypoint: &["/bin/node_exporter"],
        cmd: NONE,
        tools: Tools::Busybox,
        programs: &["node_exporter"],
        layers: &[BUSYBOX_BASE, NODE_EXPORTER_FILES],
        workdir: "/",
        size: 10_964_288,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["nacos-server"],
        entrypoint: &["bin/docker-startup.sh"],
        cmd: NONE,
        tools: Tools::Centos,
        programs: &["docker-startup.sh", "java", "curl"],
        layers: &[DEBIAN_BASE, NACOS_FILES],
        workdir: "/home/nacos",
        size: 310_274_519,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["openjdk", "eclipse-temurin", "amazoncorretto"],
        entrypoint: NONE,
        cmd: &["jshell"],
        tools: Tools::Debian,
        programs: &["java", "curl"],
        layers: &[DEBIAN_BASE, JAVA_FILES],
        workdir: "/",
        size: 190_342_115,
        stop_signal: Signal::Term,
    },
    Image {
        names: &["pause"],
        entrypoint: &["/pause"],
        cmd: NONE,
        tools: Tools::None,
        programs: &["pause"],
        layers: &[SCRATCH_PAUSE],
        workdir: "/",
        size: 320_368,
        stop_signal: Signal::Term,
    },
];

/// Unknown images: a BusyBox user land, and the configured command as the image's server. They
/// also carry `curl`, as application images built on a distribution base do, so that lifecycle
/// hooks calling the application itself (`curl http://localhost:PORT/...`) work as on a cluster.
static GENERIC: Image = Image {
    names: NONE,
    entrypoint: NONE,
    cmd: &["/app"],
    tools: Tools::Busybox,
    programs: &["curl"],
    layers: &[BUSYBOX_BASE],
    workdir: "/",
    size: 0,
    stop_signal: Signal::Term,
};

static NGINX_ALPINE_OLD: &[&[Seed]] = &[ALPINE_BASE, NGINX_FILES, NGINX_HTML_OLD];
static NGINX_ALPINE: &[&[Seed]] = &[ALPINE_BASE, NGINX_FILES, NGINX_HTML];
static NGINX_OLD: &[&[Seed]] = &[DEBIAN_BASE, NGINX_FILES, NGINX_HTML_OLD];
static TOMCAT_ALPINE_WITH_ROOT: &[&[Seed]] = &[ALPINE_BASE, TOMCAT_FILES, TOMCAT_ROOT];
static TOMCAT_ALPINE: &[&[Seed]] = &[ALPINE_BASE, TOMCAT_FILES];
static TOMCAT_NO_ROOT: &[&[Seed]] = &[DEBIAN_BASE, TOMCAT_FILES];
static REDIS_ALPINE: &[&[Seed]] = &[ALPINE_BASE, REDIS_FILES];

/// The file layers of an image reference: version-dependent pages and alpine variants.
fn layers_for(image: &str) -> &'static [&'static [Seed]] {
    let entry = lookup(image);
    match repository(image) {
        "nginx" => {
            let old = matches!(tag_version(image), Some((1, m)) if m < 21);
            match (alpine_tag(image), old) {
                (true, true) => NGINX_ALPINE_OLD,
                (true, false) => NGINX_ALPINE,
                (false, true) => NGINX_OLD,
                (false, false) => entry.layers,
            }
        }
        "tomcat" => match tag_version(image) {
            Some((7 | 8, _)) if alpine_tag(image) => TOMCAT_ALPINE_WITH_ROOT,
            Some((7 | 8, _)) => entry.layers,
            _ if alpine_tag(image) => TOMCAT_ALPINE,
            _ => TOMCAT_NO_ROOT,
        },
        "redis" if alpine_tag(image) => REDIS_ALPINE,
        _ => entry.layers,
    }
}

#[cfg(test)]
mod tests;
