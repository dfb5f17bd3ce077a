//! `stress` 1.0.x (the `polinux/stress` image), the load generator of the Kubernetes docs'
//! memory examples (`assign-memory-resource.md`, `memory-request-limit-2.yaml`). It forks the
//! requested hogs and never returns while they run; what matters here is the memory its `--vm`
//! workers make resident: each mallocs `--vm-bytes` (256MB by default) and touches every page,
//! so the container holds `vm × vm-bytes` at once. The kubelet's cgroup limit does the rest: over
//! `limits.memory` the container is OOM-killed (`engine/containers.rs`).
//!
//! Its first line is `stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd`
//! (world-semantics.md marks the PID and exact wording unverified). It installs no signal
//! handlers, so as PID 1 the kernel drops SIGTERM and only SIGKILL ends it.

use std::sync::Arc;

use super::{Command, Program, Reaction, Request};
use crate::container::images::Sys;
use crate::container::shell::{Call, Flow, Io};
use crate::container::{HttpOutcome, Signal};

/// A running `stress` with its hogs.
#[derive(Debug)]
pub(crate) struct Stress;

impl Program for Stress {
    fn name(&self) -> &'static str {
        "stress"
    }

    fn ports(&self, _sys: &Sys, _env: &[(String, String)], _command: &str) -> Vec<u16> {
        Vec::new()
    }

    fn react(&self, _signal: Signal) -> Reaction {
        Reaction::Ignore
    }

    /// It listens on nothing.
    fn serve(&self, _sys: &mut Sys, _server: usize, _r: &Request) -> HttpOutcome {
        HttpOutcome::NoResponse
    }
}

pub(crate) static COMMANDS: &[Command] =
    &[Command { names: &["stress"], available: |sys, _| sys.ships("stress"), run }];

/// The hogs a command line asks for.
#[derive(Debug, Default, PartialEq, Eq)]
struct Hogs {
    cpu: u64,
    io: u64,
    vm: u64,
    hdd: u64,
    vm_bytes: u64,
}

/// Reads stress's options (`-c/--cpu`, `-i/--io`, `-m/--vm`, `-d/--hdd`, `--vm-bytes`; the
/// others take a value or none and change nothing the playground shows). Sizes are stress's
/// `atoll_b`: a number with an optional `b`, `k`, `m` or `g` suffix in powers of 1024.
fn parse(argv: &[String]) -> Result<Hogs, String> {
    let mut hogs = Hogs { vm_bytes: 256 * 1024 * 1024, ..Hogs::default() };
    let mut words = argv.iter().skip(1);
    while let Some(w) = words.next() {
        let mut value =
            |name: &str| words.next().cloned().ok_or_else(|| format!("missing argument to {name}"));
        match w.as_str() {
            "-c" | "--cpu" => hogs.cpu = count(&value(w)?)?,
            "-i" | "--io" => hogs.io = count(&value(w)?)?,
            "-m" | "--vm" => hogs.vm = count(&value(w)?)?,
            "-d" | "--hdd" => hogs.hdd = count(&value(w)?)?,
            "--vm-bytes" => hogs.vm_bytes = size(&value(w)?)?,
            "-t" | "--timeout" | "--backoff" | "--vm-stride" | "--vm-hang" | "--hdd-bytes" => {
                value(w)?;
            }
            "-v" | "--verbose" | "-q" | "--quiet" | "-n" | "--dry-run" | "--vm-keep" => {}
            other => return Err(format!("unrecognized option '{other}'")),
        }
    }
    Ok(hogs)
}

fn count(text: &str) -> Result<u64, String> {
    text.parse().map_err(|_| format!("invalid number: {text}"))
}

fn size(text: &str) -> Result<u64, String> {
    let (number, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_lowercase()),
        _ => (text, 'b'),
    };
    let scale: u64 = match unit {
        'b' => 1,
        'k' => 1 << 10,
        'm' => 1 << 20,
        'g' => 1 << 30,
        _ => return Err(format!("invalid suffix: {text}")),
    };
    let n: u64 = number.parse().map_err(|_| format!("invalid number: {text}"))?;
    n.checked_mul(scale).ok_or_else(|| format!("invalid number: {text}"))
}

/// `stress ...`: dispatches its hogs and runs until it is killed; the vm workers' memory is
/// resident from the start (the reference model counts the first touch pass as instant).
fn run(sys: &mut Sys, argv: &[String], io: &mut Io, call: &Call) -> Option<Flow> {
    let hogs = match parse(argv) {
        Ok(hogs) => hogs,
        Err(e) => {
            io.err.push_str(&format!("stress: FAIL: [1] (0) {e}\n"));
            return Some(Flow::Done(1));
        }
    };
    let line = format!(
        "stress: info: [1] dispatching hogs: {} cpu, {} io, {} vm, {} hdd\n",
        hogs.cpu, hogs.io, hogs.vm, hogs.hdd
    );
    // As the container's main process it writes to the container log; run from a shell, to
    // the shell's output.
    if call.replace && !call.background {
        sys.log(call.at, &line);
    } else {
        io.out.push_str(&line);
    }
    sys.resident = sys.resident.saturating_add(hogs.vm.saturating_mul(hogs.vm_bytes));
    Some(sys.launch(Arc::new(Stress), argv, call))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<String> {
        line.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn reads_the_docs_command_line() {
        let hogs = parse(&words("stress --vm 1 --vm-bytes 250M --vm-hang 1")).unwrap();
        assert_eq!(hogs, Hogs { vm: 1, vm_bytes: 250 << 20, ..Hogs::default() });
        assert_eq!(parse(&words("stress -m 2")).unwrap().vm_bytes, 256 << 20);
        assert!(parse(&words("stress --vm")).is_err());
        assert!(parse(&words("stress --vm-bytes 1x")).is_err());
    }
}
