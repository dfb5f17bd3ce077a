//! The operating system around a container's main process: its file system, processes (the
//! servers programs started), logs and signals, and the shell's [`Host`] interface to them.
//! Programs' own behaviour is in `crate::container::programs`; the commands the OS itself ships
//! (package managers, `curl`, `wget`) are in `packages` and `http_client`.

use std::sync::Arc;

use super::catalogue::{is_generic, Image, Tools};
use super::logs::LogRecord;
use super::reference::{alpine_tag, repository};
use crate::container::fs::Fs;
use crate::container::programs::{self, generic, nginx, Program, Reaction, Request, Server};
use crate::container::shell::{Call, Dialect, Flow, Host, Io};
use crate::container::*;

/// Everything but the main process: what the shell reaches through [`Host`].
#[derive(Clone, Debug)]
pub(crate) struct Sys {
    pub image: &'static Image,
    pub config: Arc<Shared>,
    pub fs: Fs,
    pub servers: Vec<Server>,
    pub logs: Arc<Vec<LogRecord>>,
    /// The size of the current log file, which the kubelet rotates (`Sys::append_log`).
    pub log_bytes: usize,
    /// Recently logged access-log request lines and served files, reused by the next requests.
    pub recent: super::logs::Recent,
    /// nginx's configuration as last read.
    pub nginx_conf: nginx::ConfCache,
    pub next_pid: u32,
    /// Requests served, for nginx's connection numbers in error logs.
    pub requests: u64,
    /// Output of an exec being captured (stdout, stderr); `None` sends output to the logs.
    pub capture: Option<(String, String)>,
    /// Set when a process inside the container asked PID 1 to stop (`kill 1`, `nginx -s quit`).
    pub pid1_signal: Option<(Signal, Millis)>,
    /// Bytes the container's processes keep resident beyond what every image needs (`stress`'s
    /// vm workers), which the kubelet holds against `limits.memory`.
    pub resident: u64,
    /// The ports the pod's other containers hold, as the network last reported them: the pod has
    /// one port space, so a server cannot bind them here either.
    pub pod_ports: Vec<u16>,
}

/// The parts of the configuration every clone shares.
#[derive(Debug)]
pub(crate) struct Shared {
    pub image_ref: String,
    pub env: Vec<(String, String)>,
    pub ports: Vec<u16>,
    pub pod_ip: String,
    pub hostname: String,
    /// The address probes come from: the node's side of the pod network (`10.244.1.1`).
    pub gateway: String,
    pub command_line: String,
}

impl Sys {
    pub(super) fn new(image: &'static Image, config: Shared, fs: Fs) -> Sys {
        Sys {
            image,
            config: Arc::new(config),
            fs,
            servers: Vec::new(),
            logs: Arc::new(Vec::new()),
            log_bytes: 0,
            recent: Default::default(),
            nginx_conf: Default::default(),
            next_pid: 7,
            requests: 0,
            capture: None,
            pid1_signal: None,
            resident: 0,
            pod_ports: Vec::new(),
        }
    }

    /// Appends the lines of `text` to the container's log.
    pub(crate) fn log(&mut self, at: Millis, text: &str) {
        for line in text.lines() {
            self.append_log(LogRecord::Line(LogLine { at, text: line.to_string() }));
        }
    }

    /// Appends one line to the container's log.
    pub(crate) fn push_log(&mut self, at: Millis, text: String) {
        self.append_log(LogRecord::Line(LogLine { at, text }));
    }

    /// The image's tools, with `-alpine` tags bringing BusyBox.
    pub(crate) fn tools(&self) -> Tools {
        if alpine_tag(&self.config.image_ref) && self.image.tools != Tools::None {
            Tools::Busybox
        } else {
            self.image.tools
        }
    }

    /// Whether the image ships a program (a name of its catalogue entry's `programs`).
    pub(crate) fn ships(&self, program: &str) -> bool {
        self.image.programs.contains(&program)
    }

    pub(super) fn dialect_for(&self, shell: &str) -> Dialect {
        match (self.tools(), shell) {
            (Tools::Busybox, _) => Dialect::Busybox,
            (Tools::Debian, "sh") => Dialect::Dash,
            _ => Dialect::Bash,
        }
    }

    /// The index of the server accepting connections on `port` at `now`.
    pub(crate) fn listener(&self, port: u16, now: Millis) -> Option<usize> {
        self.servers.iter().position(|s| s.ready_at <= now && s.ports.contains(&port))
    }

    /// The index of a running (not stopping) server of the named program.
    pub(crate) fn server_running(&self, name: &str) -> Option<usize> {
        self.servers.iter().position(|s| s.program.name() == name && s.stopping.is_none())
    }

    fn start_server(
        &mut self,
        program: Arc<dyn Program>,
        pid1: bool,
        at: Millis,
        command: String,
        env: &[(String, String)],
    ) {
        let ports = program.ports(self, env, &command);
        let pid = if pid1 {
            1
        } else {
            self.next_pid += 1;
            self.next_pid
        };
        if let Some(text) = program.startup_log(self, &ports, at) {
            self.log(at, &text);
        }
        let ready_at = at + program.startup();
        self.servers.push(Server { program, pid, started: at, ready_at, ports, stopping: None, command });
    }

    /// Starts a server program; in the foreground it either replaces the shell or keeps it waiting.
    pub(crate) fn launch(&mut self, program: Arc<dyn Program>, argv: &[String], call: &Call) -> Flow {
        let pid1 = call.replace
            && !call.background
            && self.capture.is_none()
            && !self.servers.iter().any(|s| s.pid == 1);
        let taken: Vec<u16> = program
            .ports(self, call.env, &argv.join(" "))
            .into_iter()
            .filter(|p| self.servers.iter().any(|s| s.ports.contains(p)) || self.pod_ports.contains(p))
            .collect();
        if !taken.is_empty() {
            let (lines, gives_up_after) = program.bind_failure(self, &taken, call.at);
            for (at, text) in lines {
                self.write(&text, true, at);
            }
            return if gives_up_after > 0 { Flow::Sleep(gives_up_after, 1) } else { Flow::Done(1) };
        }
        self.start_server(program, pid1, call.at, argv.join(" "), call.env);
        if pid1 {
            Flow::Replaced
        } else if call.background {
            Flow::Done(0)
        } else {
            Flow::Forever
        }
    }

    /// Makes server `i` re-read its configuration.
    pub(crate) fn reload(&mut self, i: usize, now: Millis) {
        let program = Arc::clone(&self.servers[i].program);
        program.reload(self, i, now);
    }

    /// Logs what server `i` says when `signal` makes it stop.
    pub(super) fn shutdown_log(&mut self, i: usize, signal: Signal, at: Millis) {
        if let Some(text) = self.servers[i].program.shutdown_log(signal, at) {
            self.log(at, &text);
        }
    }

    /// Answers an HTTP request on `port`; `host` is its `Host` header when that is not the pod's
    /// address and the port.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn serve(
        &mut self,
        port: u16,
        method: &str,
        raw_path: &str,
        ua: &str,
        client: &str,
        host: Option<&str>,
        now: Millis,
    ) -> HttpOutcome {
        let Some(i) = self.listener(port, now) else { return HttpOutcome::Refused };
        self.requests += 1;
        let path = raw_path.split(['?', '#']).next().unwrap_or("/");
        let path = if path.starts_with('/') { path } else { "/" };
        let request = Request { port, method, raw_path, path, ua, client, host, now };
        let program = Arc::clone(&self.servers[i].program);
        program.serve(self, i, &request)
    }
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
        if let Some(command) = programs::command(self, name, base) {
            return (command.run)(self, argv, io, call);
        }
        Some(match base {
            "docker-entrypoint.sh" if self.ships("docker-entrypoint.sh") => {
                if args.is_empty() {
                    return Some(Flow::Done(0));
                }
                if repository(&self.config.image_ref) == "nginx"
                    && matches!(args[0].as_str(), "nginx" | "nginx-debug")
                {
                    self.log(call.at, nginx::ENTRYPOINT_LOG);
                }
                Flow::Exec(args.to_vec())
            }
            "apt-get" | "apt" if self.tools() == Tools::Debian => self.apt(args, io),
            "yum" | "dnf" if self.image.tools == Tools::Centos => self.yum(args, io),
            "apk" if self.tools() == Tools::Busybox && repository(&self.config.image_ref) != "busybox" => {
                self.apk(io)
            }
            _ => {
                // An unknown image's own program: its configured command runs as its server.
                if is_generic(self.image) && !call.background && call.replace && !generic::is_shell_tool(base)
                {
                    return Some(self.launch(Arc::new(generic::Generic), argv, call));
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
        match (signal, self.servers[i].program.react(signal)) {
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
                for line in text.lines() {
                    self.append_log(LogRecord::Line(LogLine { at, text: line.to_string() }));
                }
            }
        }
    }
}
