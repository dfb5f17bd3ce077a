//! The image catalogue. (Placeholder: every image runs forever and answers every probe.)

use super::*;

#[derive(Clone, Debug)]
pub struct Instance {
    exit: Option<ExitStatus>,
    logs: Vec<LogLine>,
}

pub fn image_size(_image: &str) -> u64 {
    4_269_000
}

impl Instance {
    pub fn start(_config: &ContainerConfig, _now: Millis) -> Instance {
        Instance { exit: None, logs: Vec::new() }
    }
    pub fn advance(&mut self, _now: Millis) {}
    pub fn next_wake(&self) -> Option<Millis> {
        None
    }
    pub fn exit_status(&self) -> Option<&ExitStatus> {
        self.exit.as_ref()
    }
    pub fn exec(&mut self, _argv: &[String], _now: Millis, _timeout: Option<Millis>) -> ExecResult {
        ExecResult { exit_code: 0, output: String::new(), duration: 0, timed_out: false }
    }
    pub fn http(&mut self, _request: &HttpRequest, _now: Millis) -> HttpOutcome {
        HttpOutcome::Response { status: 200, body: "ok".into(), location: None, latency: 0 }
    }
    pub fn tcp_connect(&mut self, _port: u16, _now: Millis) -> TcpOutcome {
        TcpOutcome::Connected
    }
    pub fn grpc_health(&mut self, _port: u16, _service: &str, _now: Millis) -> GrpcOutcome {
        GrpcOutcome::Status("SERVING".into())
    }
    pub fn signal(&mut self, signal: Signal, now: Millis) {
        if self.exit.is_none() {
            self.exit = Some(ExitStatus { code: 128 + signal.number(), at: now, signal: Some(signal.number()) });
        }
    }
    pub fn stop_signal(&self) -> Signal {
        Signal::Term
    }
    pub fn logs(&self) -> &[LogLine] {
        &self.logs
    }
    pub fn files(&self) -> Vec<FileEntry> {
        Vec::new()
    }
}
