//! Simulated containers: a file system seeded from the image, a main process, and the servers it
//! runs, all advancing in virtual time.
//!
//! # Layout
//! - `fs`: the container's own file system.
//! - `shell`: a small POSIX-like shell, compiled to a resumable program so that `sleep` suspends a
//!   script in virtual time and it carries on later.
//! - `images`: the catalogue of images, keyed by image name (any tag), and the running instance.
//! - `programs`: what the images' programs (nginx, httpd, Redis, ...) do, one file each.
//!
//! The kubelet owns one [`Container`] per container instance. It never looks inside: it starts the
//! container, asks when the main process next wants to act ([`Container::next_wake`]), lets it run
//! up to an instant ([`Container::advance`]), sends signals, and runs exec/HTTP/TCP/gRPC probes
//! against it. Nothing here knows about pods, probes' thresholds or the kubelet's timing.

pub mod fs;
pub mod images;
pub mod net;
pub(crate) mod programs;
pub mod shell;

use crate::duration::Millis;

/// What the kubelet hands to the runtime to create one container.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContainerConfig {
    pub name: String,
    /// The image reference as written (`busybox`, `nginx:1.25`, `registry.k8s.io/liveness`).
    pub image: String,
    /// `command` (overrides the image's entrypoint) and `args` (override its cmd), as in the pod spec.
    pub command: Vec<String>,
    pub args: Vec<String>,
    /// Statically defined `env` values, in spec order.
    pub env: Vec<(String, String)>,
    /// Declared container ports.
    pub ports: Vec<PortDecl>,
    /// The pod's IP and name, for images that print them (and for `hostname`).
    pub pod_ip: String,
    pub hostname: String,
    /// The `/etc/resolv.conf` the kubelet writes for the pod's DNS policy, if it writes one.
    pub resolv_conf: Option<String>,
    /// Pod volumes mounted into the container: the mount path and the volume's files (paths
    /// relative to the mount point, contents or `None` for directories).
    pub volumes: Vec<MountedVolume>,
    /// Files the runtime bind-mounts before the main process starts (path, contents): the
    /// kubelet's empty termination-message file at `terminationMessagePath`.
    pub files: Vec<(String, String)>,
}

/// A pod volume mounted into a container: the mount path and the volume's files (paths relative to
/// the mount point, contents or `None` for directories).
pub type MountedVolume = (String, Vec<(String, Option<String>)>);

/// A declared `containerPort`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortDecl {
    pub name: Option<String>,
    pub port: u16,
    /// `TCP`, `UDP` or `SCTP`.
    pub protocol: String,
}

/// Signals the kubelet and `kill` send. The exit code of a process killed by signal N is 128+N.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signal {
    Term,
    Kill,
    Quit,
    Int,
    Winch,
    Hup,
    Usr1,
}

impl Signal {
    /// The signal's number on Linux (SIGTERM 15, SIGKILL 9, ...).
    pub fn number(self) -> i32 {
        match self {
            Signal::Hup => 1,
            Signal::Int => 2,
            Signal::Quit => 3,
            Signal::Kill => 9,
            Signal::Usr1 => 10,
            Signal::Term => 15,
            Signal::Winch => 28,
        }
    }
}

/// How the main process ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExitStatus {
    pub code: i32,
    /// When it ended.
    pub at: Millis,
    /// The signal that killed it, if any (exit code is then 128 + its number).
    pub signal: Option<i32>,
}

/// The result of running a command in the container (`kubectl exec`, exec probes, exec hooks).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecResult {
    pub exit_code: i32,
    /// stdout then stderr, as the CRI's ExecSync returns them.
    pub output: String,
    /// How long the command ran in virtual time (the sum of its `sleep`s and built-in costs).
    pub duration: Millis,
    /// Whether `duration` exceeded the timeout given to [`Container::exec`]; the output is then what
    /// was produced before the deadline.
    pub timed_out: bool,
    /// Whether the command used up its shell steps for a virtual second and was throttled
    /// (`crate::budget::SHELL_STEPS_PER_SECOND`); `kubectl exec` then says so.
    pub throttled: bool,
}

/// An HTTP request as the kubelet's prober (or a Service client) sends it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HttpRequest {
    pub port: u16,
    pub path: String,
    /// Request headers in the order sent (user headers first, then User-Agent, Accept).
    pub headers: Vec<(String, String)>,
    /// `HTTP` or `HTTPS`.
    pub scheme: String,
}

/// What an HTTP request got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpOutcome {
    Response {
        status: u16,
        /// The body; an image's own files are served without copying them.
        body: std::borrow::Cow<'static, str>,
        /// The `Location` header of a redirect, if any.
        location: Option<String>,
        /// How long the server took to answer.
        latency: Millis,
    },
    /// Nothing listens on the port: `connect: connection refused`.
    Refused,
    /// The server accepted the connection but does not answer in time.
    NoResponse,
}

/// What a TCP connect got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpOutcome {
    Connected,
    Refused,
}

/// What a gRPC health check (`grpc.health.v1.Health/Check`) got.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GrpcOutcome {
    /// The server answered with this status (`SERVING`, `NOT_SERVING`, `SERVICE_UNKNOWN`).
    Status(String),
    /// Nothing listens on the port.
    Refused,
    /// Something listens but does not speak the health protocol.
    Unimplemented,
}

/// One line a container wrote to its stdout/stderr, for `kubectl logs`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LogLine {
    pub at: Millis,
    pub text: String,
}

/// One entry of a container's file system listing, for the UI's file browser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileEntry {
    pub path: String,
    pub is_dir: bool,
    pub size: usize,
}

/// One running or finished container instance.
#[derive(Clone, Debug)]
pub struct Container {
    // Fields are private to this module tree; see `images` and `shell`.
    pub(crate) inner: images::Instance,
}

impl Container {
    /// Creates the file system from the image and starts the main process at `now`: the image's
    /// default behaviour, or the config's command/args run through the shell.
    pub fn start(config: &ContainerConfig, now: Millis) -> Container {
        Container { inner: images::Instance::start(config, now) }
    }

    /// Why the runtime could not start the container's process (a missing executable, a
    /// directory, a file that cannot be executed): the CRI error the kubelet receives and the
    /// message of the container's terminated state. Such a container has exited with code 128.
    pub fn start_error(&self) -> Option<(String, String)> {
        self.inner.start_error()
    }

    /// Lets the main process (and anything it started) act up to and including `now`.
    pub fn advance(&mut self, now: Millis) {
        self.inner.advance(now)
    }

    /// [`Container::start`] inside a pod: the main process's first steps reach the pod network.
    pub fn start_in(config: &ContainerConfig, now: Millis, net: &mut dyn net::Network) -> Container {
        Container { inner: images::Instance::start_in(config, now, net) }
    }

    /// [`Container::advance`] inside a pod: what the processes connect to goes through `net`.
    pub fn advance_in(&mut self, now: Millis, net: &mut dyn net::Network) {
        self.inner.advance_in(now, net)
    }

    /// [`Container::exec`] inside a pod: the command's clients reach the pod network.
    pub fn exec_in(
        &mut self,
        argv: &[String],
        now: Millis,
        timeout: Option<Millis>,
        net: &mut dyn net::Network,
    ) -> ExecResult {
        self.inner.exec_in(argv, now, timeout, net)
    }

    /// Answers an HTTP request from a client elsewhere in the cluster (another container of the
    /// pod, another pod, or through a Service): `client` is its address for access logs.
    pub fn serve_client(
        &mut self,
        port: u16,
        request: &net::ClientRequest,
        client: &str,
        now: Millis,
    ) -> HttpOutcome {
        self.inner.serve_client(port, request, client, now)
    }

    /// Whether a server of the container listens on `port` (bound, whether or not it accepts yet).
    pub fn binds(&self, port: u16) -> bool {
        self.inner.binds(port)
    }

    /// Appends the ports the container's servers have bound.
    pub fn bound_ports(&self, out: &mut Vec<u16>) {
        self.inner.bound_ports(out)
    }

    /// When the main process next wants to act on its own (a `sleep` ending, a server finishing a
    /// graceful shutdown), or `None` if it only reacts to the outside or has exited.
    pub fn next_wake(&self) -> Option<Millis> {
        self.inner.next_wake()
    }

    /// How the main process ended, once it has.
    pub fn exit_status(&self) -> Option<&ExitStatus> {
        self.inner.exit_status()
    }

    /// Runs `argv` in the container at `now` without a shell (as CRI ExecSync does; `sh -c` is a
    /// program like any other). It completes at once in virtual time; `duration` says how long it
    /// would have taken, and `timeout` marks it timed out when that is longer.
    pub fn exec(&mut self, argv: &[String], now: Millis, timeout: Option<Millis>) -> ExecResult {
        self.inner.exec(argv, now, timeout)
    }

    /// Sends an HTTP request to the container's port.
    pub fn http(&mut self, request: &HttpRequest, now: Millis) -> HttpOutcome {
        self.inner.http(request, now)
    }

    /// Opens (and at once closes) a TCP connection to the container's port.
    pub fn tcp_connect(&mut self, port: u16, now: Millis) -> TcpOutcome {
        self.inner.tcp_connect(port, now)
    }

    /// Calls the gRPC health service on the container's port.
    pub fn grpc_health(&mut self, port: u16, service: &str, now: Millis) -> GrpcOutcome {
        self.inner.grpc_health(port, service, now)
    }

    /// Delivers a signal to the main process (PID 1). Whether and when it exits depends on the
    /// image: see `images`.
    pub fn signal(&mut self, signal: Signal, now: Millis) {
        self.inner.signal(signal, now)
    }

    /// The memory its processes keep resident beyond the image's own (`stress`'s vm workers),
    /// which the kubelet holds against `limits.memory`.
    pub fn resident_bytes(&self) -> u64 {
        self.inner.resident_bytes()
    }

    /// Whether the main process was killed for its memory (`crate::budget::SHELL_MEMORY_BYTES`),
    /// which the runtime reports as an OOM kill.
    pub fn oom_killed(&self) -> bool {
        self.inner.oom_killed()
    }

    /// True once per instance, the first time one of its shells was throttled.
    pub fn take_throttle_notice(&mut self) -> bool {
        self.inner.take_throttle_notice()
    }

    /// The signal the runtime sends to stop this container (the image's `STOPSIGNAL`).
    pub fn stop_signal(&self) -> Signal {
        self.inner.stop_signal()
    }

    /// Everything the container wrote to stdout/stderr so far.
    pub fn logs(&self) -> Vec<LogLine> {
        self.inner.logs()
    }

    /// The container's files, sorted by path.
    pub fn files(&self) -> Vec<FileEntry> {
        self.inner.files()
    }

    /// The contents below a mount point, for sharing a pod volume with the pod's other containers.
    pub fn volume_tree(&self, dir: &str) -> Vec<(String, Option<String>)> {
        self.inner.volume_tree(dir)
    }

    /// Shows a pod volume's contents at a mount point, replacing what the image had there.
    pub fn mount_tree(&mut self, dir: &str, tree: &[(String, Option<String>)]) {
        self.inner.mount_tree(&crate::container::fs::normalize("/", dir), tree)
    }

    /// The contents of a file in the container, if it is a readable file (the kubelet reads the
    /// termination-message file after the container exits).
    pub fn read_file(&self, path: &str) -> Option<String> {
        self.inner.read_file(&crate::container::fs::normalize("/", path))
    }

    /// The image size in bytes the catalogue gives for this image, for `Pulled` events.
    pub fn image_size(image: &str) -> u64 {
        images::image_size(image)
    }
}
