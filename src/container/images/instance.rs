//! The running container: its main process (a script, or a server that replaced it as PID 1),
//! the operating system around it ([`Sys`]), and how it ends. The kubelet reaches it through
//! `crate::container::Container`.

use std::sync::Arc;

use super::argv::{container_argv, expand_env};
use super::catalogue::{layers_for, lookup, stop_signal_of, Tools};
use super::logs::LogRecord;
use super::reference::repository;
use super::sys::{Shared, Sys};
use super::wired::Wired;
use crate::container::fs::{normalize, Fs};
use crate::container::net::{ClientRequest, Isolated, Network};
use crate::container::programs::Reaction;
use crate::container::shell::{Process, Program, State};
use crate::container::*;

/// The main process.
#[derive(Clone, Debug)]
enum Main {
    /// A script or a plain command run through the shell machinery.
    Script(Box<Process>),
    /// A server is PID 1 (its entry in `Sys::servers` has pid 1).
    Server,
    Exited,
}

/// One container instance.
#[derive(Clone, Debug)]
pub struct Instance {
    main: Main,
    sys: Sys,
    exit: Option<ExitStatus>,
    /// Why the runtime could not start the process (Go's `exec.LookPath` error), if it could not.
    start_error: Option<String>,
    /// What the instance's shells spent of the playground's budgets.
    budget: Spent,
}

/// The budget marks of one container instance (`crate::budget`).
#[derive(Clone, Copy, Debug, Default)]
struct Spent {
    /// The main process was killed for its memory, as the OOM killer kills.
    oom: bool,
    /// A shell of the instance (the main process, an exec, a probe's command) was throttled.
    throttled: bool,
    /// The kubelet has been told about the throttling (once per instance).
    told: bool,
}

/// How long an exec without a timeout may run before it is reported as timed out.
pub const EXEC_LIMIT: Millis = 3_600_000;

impl Instance {
    pub fn start(config: &ContainerConfig, now: Millis) -> Instance {
        Instance::start_in(config, now, &mut Isolated)
    }

    pub fn start_in(config: &ContainerConfig, now: Millis, net: &mut dyn Network) -> Instance {
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
            // The kubelet bind-mounts the pod's resolv.conf over the image's
            // (`pkg/kubelet/network/dns/dns.go`).
            if let Some(resolv) = &config.resolv_conf {
                let _ = fs.write("/etc/resolv.conf", resolv, false);
            }
        }
        if repository(&config.image) == "myapp" {
            let _ = fs.write("/usr/share/nginx/html/hostname.html", &format!("{}\n", config.hostname), false);
        }
        // Volumes are mounted before the main process starts, hiding what the image had there.
        for (path, tree) in &config.volumes {
            fs.replace_tree(&normalize("/", path), tree);
        }
        let precheck = argv.first().and_then(|name| super::lookpath::precheck(&fs, image.workdir, name));
        for (path, text) in &config.files {
            let path = normalize("/", path);
            let _ = fs.mkdir(crate::container::fs::parent_of(&path), true);
            let _ = fs.write(&path, text, false);
        }
        let mut sys = Sys::new(image, shared, fs);
        let failed = |sys, error| Instance {
            main: Main::Exited,
            sys,
            exit: Some(ExitStatus { code: 128, at: now, signal: None }),
            start_error: Some(error),
            budget: Spent::default(),
        };
        if let Some(error) = precheck {
            return failed(sys, error);
        }
        let mut inst = if argv.is_empty() {
            // The runtime refuses to create a container with nothing to run.
            sys.log(now, "exec: no command specified");
            Instance {
                main: Main::Exited,
                sys,
                exit: Some(ExitStatus { code: 128, at: now, signal: None }),
                start_error: None,
                budget: Spent::default(),
            }
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
            let budget = Spent::default();
            Instance { main: Main::Script(Box::new(process)), sys, exit: None, start_error: None, budget }
        };
        inst.advance_in(now, net);
        // A command the image cannot run at all ends at once with the runtime's "not found"; runc
        // refuses to start it instead, and nothing is logged.
        let ended_at_once = inst.exit.as_ref().is_some_and(|e| e.code == 128 && e.at == now);
        if ended_at_once && inst.sys.logs.len() == 1 {
            let log = inst.sys.logs[0].render().text;
            if let Some(error) = argv.first().and_then(|name| super::lookpath::not_found(name, &log)) {
                inst.sys.logs = Default::default();
                return failed(inst.sys, error);
            }
        }
        inst
    }

    /// Why the runtime could not start the process, as containerd reports it to the kubelet
    /// (the CRI error, and the message of the container's terminated state).
    pub fn start_error(&self) -> Option<(String, String)> {
        let error = self.start_error.as_deref()?;
        Some((super::lookpath::cri_error(error), super::lookpath::status_message(error)))
    }

    pub fn advance(&mut self, now: Millis) {
        self.advance_in(now, &mut Isolated)
    }

    pub fn advance_in(&mut self, now: Millis, net: &mut dyn Network) {
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
            process.run(&mut Wired { sys: &mut self.sys, net }, now);
            self.budget.throttled |= process.throttled();
            match process.state().clone() {
                State::Exited(code) => {
                    let at = process.clock().min(now);
                    let oom = process.oom_killed();
                    self.budget.oom = oom;
                    self.finish(code, at, oom.then_some(Signal::Kill.number()));
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
        self.exec_in(argv, now, timeout, &mut Isolated)
    }

    pub fn exec_in(
        &mut self,
        argv: &[String],
        now: Millis,
        timeout: Option<Millis>,
        net: &mut dyn Network,
    ) -> ExecResult {
        if now > 0 {
            self.advance_in(now - 1, net);
        }
        if self.exit.is_some() || argv.is_empty() {
            return ExecResult {
                exit_code: 126,
                output: "OCI runtime exec failed: exec failed: cannot exec in a stopped container: unknown\n"
                    .to_string(),
                duration: 0,
                timed_out: false,
                throttled: false,
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
            process.run(&mut Wired { sys: &mut self.sys, net: &mut *net }, deadline);
            rounds += 1;
            match process.state() {
                State::Exited(code) => break (*code, process.clock().max(now), false),
                State::Ready if rounds < 20 && process.clock() <= deadline => {}
                _ => break (-1, deadline, true),
            }
        };
        let throttled = process.throttled();
        self.budget.throttled |= throttled;
        let end = if timed_out { deadline } else { end.min(deadline) };
        let code = if timed_out { -1 } else { code };
        let (out, err) = self.sys.capture.take().unwrap_or_default();
        let mut output = out;
        output.push_str(&err);
        // What the command did to the container takes effect now.
        if let Some((signal, _)) = self.sys.pid1_signal.take() {
            self.deliver(signal, now, true);
        }
        ExecResult { exit_code: code, output, duration: end - now, timed_out, throttled }
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
        self.sys.serve(request.port, "GET", &request.path, ua, &config.gateway, None, now)
    }

    pub fn serve_client(&mut self, port: u16, r: &ClientRequest, client: &str, now: Millis) -> HttpOutcome {
        self.settle(now);
        if self.exit.is_some() {
            return HttpOutcome::Refused;
        }
        self.sys.serve(port, r.method, r.path, r.ua, client, Some(r.host), now)
    }

    pub fn binds(&self, port: u16) -> bool {
        self.exit.is_none() && self.sys.servers.iter().any(|s| s.ports.contains(&port))
    }

    pub fn bound_ports(&self, out: &mut Vec<u16>) {
        if self.exit.is_none() {
            for s in &self.sys.servers {
                out.extend_from_slice(&s.ports);
            }
        }
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
        match self.sys.listener(port, now) {
            None => GrpcOutcome::Refused,
            Some(i) => self.sys.servers[i].program.grpc_health(port, service),
        }
    }

    pub fn signal(&mut self, signal: Signal, now: Millis) {
        self.advance(now);
        self.deliver(signal, now, false);
    }

    /// The memory the container's processes keep resident (see `Sys::resident`); 0 for every
    /// program but the memory hogs.
    pub fn resident_bytes(&self) -> u64 {
        if self.exit.is_some() {
            0
        } else {
            self.sys.resident
        }
    }

    /// Whether the main process was killed for holding more memory than the playground allows
    /// (`crate::budget::SHELL_MEMORY_BYTES`): the runtime reports it as an OOM kill.
    pub fn oom_killed(&self) -> bool {
        self.budget.oom
    }

    /// True once, the first time one of the instance's shells has been throttled
    /// (`crate::budget::SHELL_STEPS_PER_SECOND`), so the learner is told once per instance.
    pub fn take_throttle_notice(&mut self) -> bool {
        let notice = self.budget.throttled && !self.budget.told;
        self.budget.told |= notice;
        notice
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

    pub fn read_file(&self, path: &str) -> Option<String> {
        self.sys.fs.read(path).ok().map(str::to_string)
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
                match self.sys.servers[i].program.react(signal) {
                    Reaction::Ignore => {}
                    Reaction::Reload => self.sys.reload(i, now),
                    Reaction::Exit { code, after, signal: died_of } => {
                        self.sys.shutdown_log(i, signal, now);
                        if after == 0 {
                            self.finish(code, now, died_of);
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
